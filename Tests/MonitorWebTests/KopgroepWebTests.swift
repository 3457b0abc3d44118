import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Kopgroepen: delen, overnemen en samen leren")
struct KopgroepWebTests {
    static let amsterdam = AreaCode("GM0363")!, groningen = AreaCode("GM0014")!, schiermonnikoog = AreaCode("GM0088")!
    static let password = "een-goed-wachtwoord"

    /// A beheerder, an analist of Amsterdam (A), of Groningen (B), of Schiermonnikoog (outside the group) and a deelnemer of Groningen.
    static func accounts(_ store: SQLStore) async throws {
        let hash = try await Passwords(cost: 4).hash(password)
        _ = try await store.addAccount(username: "beheer", displayName: "Bea", role: .beheerder, gemeenten: [], passwordHash: hash, actor: "test")
        _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [amsterdam], passwordHash: hash, actor: "test")
        _ = try await store.addAccount(username: "bram", displayName: "Bram", role: .analist, gemeenten: [groningen], passwordHash: hash, actor: "test")
        _ = try await store.addAccount(username: "sien", displayName: "Sien", role: .analist, gemeenten: [schiermonnikoog], passwordHash: hash, actor: "test")
        _ = try await store.addAccount(username: "dirk", displayName: "Dirk", role: .deelnemer, gemeenten: [groningen], passwordHash: hash, actor: "test")
    }

    @Test(arguments: TestBackend.available)
    func amsterdamSharesGroningenCopiesAndRunsARoundAndAGemeenteOutsideSeesNothing(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            try await Self.accounts(store)
            // Amsterdam's published questionnaire, a concept one, and a published effect design with an MKBA.
            let questionnaire = try await store.saveQuestionnaire(QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.bedoeling, gemeente: Self.amsterdam), actor: "anna")
            _ = try await store.changePublication(Questionnaire.self, id: questionnaire.id, to: .gepubliceerd, actor: "anna")
            let concept = try await store.saveQuestionnaire(QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.bedoeling, gemeente: Self.amsterdam), actor: "anna")
            var design = Intervention(gemeente: Self.amsterdam, name: "Buurtgezinnen in Noord", description: "Steungezinnen",
                                      targets: [AreaCode("WK0363AA")!], comparison: [AreaCode("WK0363AB")!], indicators: ["kindmonitor_speelt_buiten"],
                                      startPeriod: "2032", typeID: "buurtgezinnen")
            design.costBenefit = CostBenefitAnalysis(items: [.init(stakeholder: .gemeente, kind: .kosten, description: "Coördinator", year: 0, low: 40_000, base: 50_000, high: 60_000)],
                                                     discountRate: 0.0225)
            let savedDesign = try await store.saveIntervention(design, actor: "anna")
            _ = try await store.changePublication(Intervention.self, id: savedDesign.id, to: .gepubliceerd, actor: "anna")
            let designID = savedDesign.id

            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var beheer = try await Browser.loggedIn(client, as: "beheer", password: Self.password)
                try await beheer.get(client, "/kopgroepen")
                let refused = try await beheer.post(client, "/kopgroepen", [("naam", ""), ("doel", ""), ("leden", "Amsterdam, Atlantis")])
                #expect(refused.status == .badRequest)
                #expect(refused.text.contains(#"<span class="field-error" id="naam-fout">Geef de kopgroep een naam.</span>"#))
                #expect(refused.text.contains("Onbekende gemeente: Atlantis") && refused.text.contains(#"value="Amsterdam, Atlantis""#))
                let made = try await beheer.post(client, "/kopgroepen", [("naam", "Kopgroep Noord-Holland en Groningen"),
                                                                        ("doel", "Samen leren wat werkt in de vrije tijd."), ("leden", "Amsterdam, GM0014")])
                #expect(made.status == .seeOther)
                let groupURL = try #require(made.headers[.location])
                let group = try #require(try await store.kopgroepen().first)
                #expect(group.members == [Self.groningen, Self.amsterdam] || group.members == [Self.amsterdam, Self.groningen])

                // A shares its published questionnaire and its design; a concept cannot be shared.
                var anna = try await Browser.loggedIn(client, as: "anna", password: Self.password)
                let annaPage = try await anna.get(client, groupURL)
                #expect(annaPage.status == .ok && annaPage.text.contains("Samen leren wat werkt in de vrije tijd."))
                #expect(annaPage.text.contains("vragenlijst:GM0363:\(questionnaire.id)") && !annaPage.text.contains("vragenlijst:GM0363:\(concept.id)"),
                        "only published records are offered")
                #expect(try await anna.post(client, groupURL + "/delen", [("record", "vragenlijst:GM0363:\(concept.id)")]).status == .conflict)
                #expect(try await anna.post(client, groupURL + "/delen", [("record", "vragenlijst:GM0014:\(questionnaire.id)")]).status == .forbidden,
                        "Anna cannot share for Groningen")
                #expect(try await anna.post(client, groupURL + "/delen", [("record", "vragenlijst:GM0363:\(questionnaire.id)")]).status == .seeOther)
                #expect(try await anna.post(client, groupURL + "/delen", [("record", "interventie:GM0363:\(designID)")]).status == .seeOther)
                #expect(try await anna.post(client, groupURL + "/delen", [("record", "vragenlijst:GM0363:\(questionnaire.id)")]).status == .conflict,
                        "shared once")

                // B sees both and copies the questionnaire into Groningen as a concept, with its origin.
                var bram = try await Browser.loggedIn(client, as: "bram", password: Self.password)
                let bramPage = try await bram.get(client, groupURL)
                #expect(bramPage.text.contains("Stellingen") && bramPage.text.contains(questionnaire.items[0].text.replacingOccurrences(of: "'", with: "&#39;")))
                #expect(bramPage.text.contains("Buurtgezinnen in Noord") && bramPage.text.contains("Buurtgezinnen"))
                let shares = try await store.shares(groupID: group.id, includeWithdrawn: false)
                let questionnaireShare = try #require(shares.first { $0.kind == .vragenlijst })
                let designShare = try #require(shares.first { $0.kind == .interventie })
                #expect(try await bram.post(client, groupURL + "/kopie", [("deling", String(questionnaireShare.id)), ("gemeente", "GM0363")]).status == .forbidden,
                        "Bram cannot copy into Amsterdam")
                let copied = try await bram.post(client, groupURL + "/kopie", [("deling", String(questionnaireShare.id)), ("gemeente", "GM0014")])
                #expect(copied.status == .seeOther)
                let copyURL = try #require(copied.headers[.location])
                #expect(copyURL.hasPrefix("/gemeenten/GM0014/vragenlijsten/"))
                let copy = try #require(try await store.questionnaires(gemeente: Self.groningen, includeConcepts: true).first)
                #expect(copy.status == .concept && copy.origin?.shareID == questionnaireShare.id && copy.origin?.gemeente == Self.amsterdam)
                #expect(copy.items.map(\.text) == questionnaire.items.map(\.text))
                #expect(try await bram.get(client, copyURL).text.contains("Overgenomen uit een kopgroep"))

                // B publishes the copy and runs a round with twelve anonymous responses.
                #expect(try await bram.submit(client, copyURL + "/publiceren").text.contains("Gepubliceerd"))
                let round = try await store.openRound(QuestionnaireRound(questionnaireID: copy.id, gemeente: Self.groningen, area: Self.groningen,
                                                                         period: "2026", name: "Jeugdteams Groningen", token: ""), actor: "bram")
                let codes = try await store.createInvitations(roundID: round.id, count: 12, actor: "bram")
                let sections = copy.sections.map { $0.items.map(\.id) }
                for (r, code) in codes.enumerated() {
                    var answers: [String: Int] = [:]
                    for (i, item) in copy.items.enumerated() { answers[item.id] = 1 + (r + i) % 5 }
                    try await QuestionnaireWebTests.respond(client, link: "/vragenlijst/\(round.token)?code=\(code)", sphere: .hulp, answers: answers, sections: sections)
                }
                _ = try await store.changeRound(id: round.id, to: .gesloten, actor: "bram")
                _ = try await store.changeRound(id: round.id, to: .gepubliceerd, actor: "bram")

                // The group page shows who uses what, and the copy's published results (n ≥ 10).
                let after = try await anna.get(client, groupURL)
                #expect(after.text.contains("Wie gebruikt wat") && after.text.contains("Groningen"))
                #expect(after.text.contains("Jeugdteams Groningen") && after.text.contains("12 respondenten"))
                #expect(after.text.contains("Overgenomen door:"))

                // The design is copied through the intervention form, with the wijken left to Groningen.
                let start = try await bram.post(client, groupURL + "/kopie", [("deling", String(designShare.id)), ("gemeente", "GM0014")])
                let formURL = try #require(start.headers[.location])
                let form = try await bram.get(client, formURL)
                #expect(form.text.contains("Overgenomen uit de kopgroep") && form.text.contains(#"value="Buurtgezinnen in Noord""#))
                #expect(form.text.contains(#"<option value="buurtgezinnen" selected>"#))
                let saved = try await bram.post(client, "/gemeenten/GM0014/interventies", [
                    ("naam", "Buurtgezinnen in Groningen"), ("soort", "buurtgezinnen"), ("herkomst", String(designShare.id)),
                    ("doelwijken", "WK001400"), ("vergelijkingswijken", "WK001401 WK001402"), ("indicator", "kindmonitor_speelt_buiten"), ("start", "2032")])
                #expect(saved.status == .seeOther)
                let groningenDesign = try #require(try await store.interventions(gemeente: Self.groningen, includeConcepts: true).first)
                #expect(groningenDesign.origin?.shareID == designShare.id && groningenDesign.costBenefit?.items.count == 1, "the MKBA comes along")
                #expect(groningenDesign.typeID == "buurtgezinnen")
                #expect(try await store.copies(groupID: group.id).count == 2)

                // Outside the group: nothing, not even whether it exists.
                var sien = try await Browser.loggedIn(client, as: "sien", password: Self.password)
                let outside = try await sien.get(client, groupURL)
                #expect(outside.status == .notFound && !outside.text.contains("Kopgroep Noord-Holland"))
                #expect(try await sien.get(client, "/kopgroepen/999").status == .notFound)
                #expect(!(try await sien.get(client, "/kopgroepen")).text.contains("Kopgroep Noord-Holland"))
                #expect(try await sien.post(client, groupURL + "/kopie", [("deling", String(questionnaireShare.id)), ("gemeente", "GM0088")]).status == .notFound)
                #expect(try await sien.post(client, groupURL + "/delen", [("record", "vragenlijst:GM0088:1")]).status == .notFound)
                var dirk = try await Browser.loggedIn(client, as: "dirk", password: Self.password)
                #expect(try await dirk.get(client, groupURL).status == .notFound, "a deelnemer of a member gemeente does not see the group")
                var anonymous = Browser()
                let visitor = try await anonymous.get(client, groupURL)
                #expect(visitor.status == .seeOther && visitor.headers[.location]?.hasPrefix("/inloggen") == true)

                // Withdrawing: audited, the card goes, the copies stay Groningen's.
                #expect(try await bram.post(client, groupURL + "/niet-meer-delen", [("deling", String(questionnaireShare.id))]).status == .forbidden,
                        "only Amsterdam's users withdraw Amsterdam's share")
                #expect(try await anna.post(client, groupURL + "/niet-meer-delen", [("deling", String(questionnaireShare.id))]).status == .seeOther)
                #expect(try await bram.post(client, groupURL + "/kopie", [("deling", String(questionnaireShare.id)), ("gemeente", "GM0014")]).status == .conflict)
                let withdrawn = try await bram.get(client, groupURL)
                #expect(withdrawn.text.contains("Geschiedenis van het delen") && !withdrawn.text.contains(#"name="deling" value="\#(questionnaireShare.id)""#))
                #expect(try await store.questionnaire(id: copy.id)?.origin != nil)
                let actions = try await store.auditLog(limit: 500, offset: 0).entries.map(\.action)
                for action in ["kopgroep.toevoegen", "kopgroep.delen", "kopgroep.kopie", "kopgroep.niet-meer-delen"] {
                    #expect(actions.contains(action), "audited: \(action)")
                }
            }
        }
    }
}
