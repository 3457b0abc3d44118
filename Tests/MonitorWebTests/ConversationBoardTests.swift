import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Gespreksmodel")
struct ConversationBoardWebTests {
    static let board = "/gemeenten/GM0363/gespreksmodel"

    @Test func theConsultatiebureauWithTwoPeopleWhoDisagreeShowsBothAnswersOnTheConversationBoardInJSONAndInTheReport() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            // Start from the report's example: the form comes filled in.
            let form = try await analist.get(client, Self.board + "?voorbeeld=consultatiebureau")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"value="Consultatiebureau""#) && form.text.contains(#"<option value="hulp" selected>"#))
            #expect(form.text.contains("Voorbeelden uit het rapport") && form.text.contains("Mamacafé"))
            let created = try await analist.post(client, Self.board, [
                ("naam", "Consultatiebureau"), ("soort", "voorziening"), ("plek", "hulp"), ("perspectief", "ideaal"), ("perspectief", "aanbod"),
                ("toelichting", "Jeugdgezondheidszorg voor alle ouders"), ("voorbeeld", "consultatiebureau")])
            #expect(created.status == .seeOther)
            let itemPath = try #require(created.headers[.location])

            // A concept: not on the public board, and its page asks for a login.
            var anonymous = Browser()
            #expect(try await anonymous.get(client, itemPath).status == .seeOther)
            #expect(!(try await anonymous.get(client, Self.board).text.contains("Jeugdgezondheidszorg voor alle ouders")))

            // Without a reason: the answer is refused, the problem stands beside "Waarom?", and the choice made stays chosen.
            let refused = try await analist.post(client, itemPath + "/antwoorden", [("antwoord", "nee"), ("rol", "ouder"), ("functie", "moeder"),
                                                                                   ("waarom", "")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"<span class="field-error" id="waarom-fout">Zeg waarom: juist de reden maakt het gesprek.</span>"#))
            #expect(refused.text.contains(#"value="nee" checked"#) && refused.text.contains(#"<option value="ouder" selected>"#))
            #expect(refused.text.contains(#"value="moeder""#))
            let first = try await analist.submit(client, itemPath + "/antwoorden", [("antwoord", "twijfel"), ("rol", "professional"),
                                                                ("functie", "jeugdverpleegkundige"),
                                                                ("waarom", "Vrij toegankelijk, maar het blijft zorg")])
            #expect(first.status == .ok && first.text.contains("Uw antwoord staat erbij"))
            var deelnemer = try await Browser.loggedIn(client, as: world.deelnemer.username)
            try await deelnemer.get(client, itemPath)
            let second = try await deelnemer.submit(client, itemPath + "/antwoorden", [("antwoord", "ja"), ("rol", "ouder"),
                                                                   ("waarom", "Daar leer ik andere ouders kennen")])
            #expect(second.status == .ok)
            #expect(second.text.contains("1 × ja, 1 × twijfel — de meningen verschillen"))
            let published = try await analist.submit(client, itemPath + "/publiceren")
            #expect(published.status == .ok && published.text.contains("Gepubliceerd"))

            let page = try await anonymous.get(client, Self.board)
            #expect(page.text.contains("Vrij toegankelijk, maar het blijft zorg") && page.text.contains("Daar leer ik andere ouders kennen"))
            #expect(page.text.contains("professionals (jeugdverpleegkundige)") && page.text.contains("de meningen verschillen"))
            #expect(page.text.contains("bd-contested"), "the marker on the board shows the disagreement")
            #expect(page.text.contains("<title>1. Consultatiebureau (voorziening): 1 × ja, 1 × twijfel — de meningen verschillen</title>"))
            #expect(!page.text.contains("Zet iets op het gespreksmodel"), "no form for visitors")
            for username in [world.analist.username, world.deelnemer.username] { #expect(!page.text.contains(username), "no login names") }

            let json = try await client.execute(uri: "/api/v1/gemeenten/GM0363/gespreksmodel", method: .get)
            #expect(json.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as! [String: Any]
            let items = body["items"] as! [[String: Any]]
            #expect(items.count == 1 && items[0]["plek"] as? String == "hulp" && items[0]["binnen_de_basis"] as? Bool == false)
            let tally = items[0]["telling"] as! [String: Any]
            #expect(tally["ja"] as? Int == 1 && tally["twijfel"] as? Int == 1 && tally["meningen_verschillen"] as? Bool == true)
            #expect((items[0]["antwoorden"] as! [[String: Any]]).map { $0["rol"] as? String } == ["professional", "ouder"])
            #expect(!json.text.contains("@amsterdam.nl"), "answers by role, never by login name")

            let report = try await anonymous.get(client, "/gemeenten/GM0363/rapport")
            #expect(report.status == .ok)
            #expect(report.text.contains("Gespreksmodel: wat hoort bij onze pedagogische basis?"))
            #expect(report.text.contains("Vrij toegankelijk, maar het blijft zorg") && report.text.contains("Daar leer ik andere ouders kennen"))
            let markdown = try await client.execute(uri: "/gemeenten/GM0363/rapport?formaat=markdown", method: .get)
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(markdown.text.contains("| 1 | Consultatiebureau (voorziening) | Buitensfeer: hulpverlening |"))
            #expect(markdown.text.contains("twijfel — professionals (jeugdverpleegkundige): Vrij toegankelijk, maar het blijft zorg"))
        }
    }

    @Test func anAnswerNeedsAChoiceAndAReasonAndABadOneStoresNothing() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let path = SiteRoute.conversationBoardItem("GM0363", world.amsterdamConversationBoardItem.id).path
            try await analist.get(client, path)
            let response = try await analist.post(client, path, [("actie", "antwoorden"), ("antwoord", "misschien"), ("waarom", " ")])
            #expect(response.status == .badRequest)
            #expect(response.text.contains("Kies ja, nee of twijfel.") && response.text.contains("Zeg waarom"))
            #expect(try await world.store.conversationBoardItem(id: world.amsterdamConversationBoardItem.id)?.answers.isEmpty == true)
            let nameless = try await analist.post(client, Self.board, [("naam", ""), ("soort", "rol"), ("plek", "nergens")])
            #expect(nameless.status == .badRequest)
            #expect(nameless.text.contains(#"<span class="field-error" id="plek-fout">Kies een sfeer of beleidsdomein.</span>"#))
            #expect(nameless.text.contains(#"<span class="field-error" id="naam-fout">Geef het onderdeel een naam.</span>"#))
            #expect(nameless.text.contains(#"<option value="rol" selected>"#), "the choice made stays")
            #expect(try await world.store.conversationBoardItems(gemeente: AreaCode("GM0363")!, includeConcepts: true).count == 1)
        }
    }

    @Test func manyItemsInOneSphereAreDrawnInsideItWithoutOverlapAndTheRestIsCounted() async throws {
        try await AccountWorld.with { client, world in
            for number in 1...20 {
                let item = try await world.store.saveConversationBoardItem(ConversationBoardItem(gemeente: AreaCode("GM0363")!, name: "Initiatief \(number)", kind: .project,
                                                                         place: .sphere(.gezin)), actor: "test")
                _ = try await world.store.changePublication(ConversationBoardItem.self, id: item.id, to: .gepubliceerd, actor: "test")
            }
            var visitor = Browser()
            let page = try await visitor.get(client, Self.board)
            let svg = try #require(page.text.components(separatedBy: "<svg").dropFirst().first { $0.contains("class=\"plattegrond board\"") })
            let pattern = try Regex(#"<circle cx="([0-9.]+)" cy="([0-9.]+)" r="9" class="bd-dot"/>"#)
            let dots = svg.matches(of: pattern).map { (Double($0.output[1].substring!)!, Double($0.output[2].substring!)!) }
            #expect(dots.count == 14, "the gezin circle holds 14 markers")
            for (i, a) in dots.enumerated() {
                #expect(((a.0 - 370) * (a.0 - 370) + (a.1 - 300) * (a.1 - 300)).squareRoot() + 12.5 <= 92, "inside the gezin circle")
                for b in dots[(i + 1)...] { #expect(((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)).squareRoot() >= 25, "no overlap") }
            }
            #expect(svg.contains("+6 meer (zie de tabel)"))
            #expect(page.text.contains("Initiatief 20"), "the table lists every item")
            let again = try await visitor.get(client, Self.board)
            #expect(again.text == page.text, "the same board draws the same picture")
        }
    }
}

@Suite("Rapport per gemeente")
struct ReportWebTests {
    @Test func theReportHasEveryPartAndOnlyPublishedConversationsWithTheirActions() async throws {
        try await TestStore.withLoadedStore { store, _ in
            let concept = try await store.saveDialogue(DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Nog niet klaar",
                                                                      date: ReferenceDate("2026-11-01")!, participants: [Participant(role: .beleid, count: 1)]),
                                                       actor: "test")
            _ = try await store.saveConversationBoardItem(ConversationBoardItem(gemeente: AreaCode("GM0363")!, name: "Jeugdgezondheidszorg", kind: .voorziening,
                                                        place: .sphere(.hulp)), actor: "test")
            var record = DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Jeugdzorg in Oost besproken",
                                        date: ReferenceDate("2026-11-20")!,
                                        figures: [FigureReference(indicator: "jeugdzorg_in_natura_pct", area: AreaCode("GM0363")!, period: "2023")],
                                        participants: [Participant(role: .professional, count: 4), Participant(role: .ouder, count: 2)],
                                        questions: [QuestionOutcome(question: .herkennen, answers: [], agreement: .oneens)],
                                        conclusions: "Het beeld klopt voor Oost, niet voor Zuid.",
                                        actions: [AgreedAction(what: "Gesprek met de huisartsen", who: "beleid", due: ReferenceDate("2027-03-01"), status: .open),
                                                  AgreedAction(what: "Cijfers per school opvragen", who: "GGD", due: nil, status: .bezig)])
            record = try await store.saveDialogue(record, actor: "test")
            _ = try await store.changePublication(DialogueRecord.self, id: record.id, to: .gepubliceerd, actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
            var visitor = Browser()
            let report = try await visitor.get(client, "/gemeenten/GM0363/rapport")
            #expect(report.status == .ok)
            for heading in ["Rapport Amsterdam", "Profiel", "Vergelijkbare gemeenten", "De wijken op de kaart", "Lantaarnpaal: wat meten we hier wel en niet?",
                            "Wat zeggen we ervan? Gesprekken en acties", "Gespreksmodel: wat hoort bij onze pedagogische basis?"] {
                #expect(report.text.contains(heading), "\(heading)")
            }
            #expect(report.text.contains("Jeugdzorg in Oost besproken") && report.text.contains("Gesprek met de huisartsen")
                    && report.text.contains("1 maart 2027") && report.text.contains("Cijfers per school opvragen"))
            #expect(report.text.contains("2 afgesproken actie(s) staan open of zijn bezig"))
            #expect(report.text.contains("Herkennen we het beeld? — <strong class=\"disagreement\">oneens</strong>"))
            #expect(!report.text.contains(concept.title), "concepts stay out of the report")
            #expect(!report.text.contains("Jeugdgezondheidszorg"), "the concept board item stays out too")
            #expect(report.text.contains("class=\"map\""), "a wijk map")
            #expect(report.text.contains(">Groningen</a></td><td>GM0014"), "peers among the test gemeenten")
            #expect(report.text.contains("Jongeren met jeugdzorg in natura (%)") && report.text.contains("10,7%"))

            let markdown = try await client.execute(uri: "/gemeenten/GM0363/rapport?formaat=markdown", method: .get)
            #expect(markdown.text.hasPrefix("# Rapport Amsterdam (GM0363)"))
            #expect(markdown.text.contains("| Gesprek met de huisartsen | beleid | 1 maart 2027 | open |"))
            #expect(markdown.text.contains("- Herkennen we het beeld? — oneens"))

            let wrong = try await client.execute(uri: "/gemeenten/GM0363/rapport?formaat=docx", method: .get)
            #expect(wrong.status == .badRequest)
            let unknown = try await client.execute(uri: "/gemeenten/GM9999/rapport", method: .get)
            #expect(unknown.status == .notFound)
            }
        }
    }
}

/// The plattegrond's texts, checked as the board's dots are: no label on another, none on a circle it does not belong
/// to, every sphere's name inside its own circle, everything inside the frame.
@Suite("Plattegrond zonder overlap")
struct PlattegrondLayoutTests {
    static func overlap(_ a: (minX: Double, minY: Double, maxX: Double, maxY: Double), _ b: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> Bool {
        a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
    }

    static func touches(_ box: (minX: Double, minY: Double, maxX: Double, maxY: Double), _ p: PlattegrondChart.Placement) -> Bool {
        let x = min(max(p.x, box.minX), box.maxX), y = min(max(p.y, box.minY), box.maxY)
        return ((x - p.x) * (x - p.x) + (y - p.y) * (y - p.y)).squareRoot() < p.r
    }

    @Test(arguments: Language.allCases) func noLabelOverlapsAnotherOrACircleItDoesNotBelongTo(language: Language) throws {
        _ = try PageRenderer.read()  // the message catalogue, for the English labels
        let labels = Language.$current.withValue(language) {
            PlattegrondChart.labels(counts: Dictionary(uniqueKeysWithValues: Sphere.allCases.map { ($0, 123) }))
        }
        for (i, a) in labels.enumerated() {
            let box = a.box
            #expect(box.minX >= 8 && box.maxX <= 892 && box.minY >= 8 && box.maxY <= 552, "\(a.text) inside the frame")
            for b in labels[(i + 1)...] { #expect(!Self.overlap(box, b.box), "\(a.text) / \(b.text)") }
            for p in PlattegrondChart.placements {
                if a.inside == p.sphere {
                    for (x, y) in [(box.minX, box.minY), (box.maxX, box.minY), (box.minX, box.maxY), (box.maxX, box.maxY)] {
                        #expect(((x - p.x) * (x - p.x) + (y - p.y) * (y - p.y)).squareRoot() <= p.r, "\(a.text) fits in its circle")
                    }
                } else {
                    #expect(!Self.touches(box, p), "\(a.text) is off the circle of \(p.sphere)")
                }
            }
        }
    }
}
