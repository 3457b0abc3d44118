import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Vragenlijsten op de site")
struct QuestionnaireWebTests {
    /// The hidden inputs of a page, as a browser would send them back.
    static func hiddenFields(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]+)" value="([^"]*)">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            (String(html[Range(match.range(at: 1), in: html)!]), String(html[Range(match.range(at: 2), in: html)!]))
        }.filter { $0.0 != "csrf" }
    }

    /// Fills in the questionnaire behind `link` page by page; returns the last response.
    @discardableResult
    static func respond(_ client: any TestClientProtocol, link: String, sphere: Sphere?, answers: [String: Int], sections: [[String]],
                        sendTwice: Bool = false) async throws -> TestResponse {
        var visitor = Browser()
        var page = try await visitor.get(client, link)
        #expect(page.status == .ok && page.text.contains("Onderdeel 1 van \(sections.count)"))
        for (index, section) in sections.enumerated() {
            var fields = hiddenFields(page.text)
            if index == 0, let sphere { fields.append(("sfeer", sphere.rawValue)) }
            for id in section { fields.append((id, answers[id].map(String.init) ?? "")) }
            let last = index == sections.count - 1
            fields.append(("richting", last ? "versturen" : "verder"))
            page = try await visitor.post(client, link, fields)
            if last && sendTwice { page = try await visitor.post(client, link, fields) }
            if !last { #expect(page.text.contains("Onderdeel \(index + 2) van \(sections.count)")) }
        }
        #expect(page.status == .seeOther && page.headers[.location]?.hasSuffix("?verstuurd=ja") == true)
        return page
    }

    @Test func twelveAnonymousResponsesGiveScaleScoresWithAlphaAndSixAreSuppressed() async throws {
        try await TestStore.withLoadedStore { store, _ in
            _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var analist = try await Browser.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
                try await analist.get(client, "/gemeenten/GM0363/vragenlijsten")
                let created = try await analist.post(client, "/gemeenten/GM0363/vragenlijsten", [("actie", "nieuw"), ("sjabloon", "werken-volgens-de-bedoeling")])
                let url = try #require(created.headers[.location])
                var anonymous = Browser()
                #expect(try await anonymous.get(client, url).status == .seeOther, "a concept is not public")

                // The builder: a broken line is named, a good edit is kept.
                let page = try await analist.get(client, url)
                #expect(page.text.contains("Ik begin bij wat het gezin zelf belangrijk vindt."))
                let broken = try await analist.post(client, url, [("actie", "wijzigen"), ("titel", "Werken volgens de bedoeling"), ("inleiding", ""),
                                                                  ("definitie", "= vraag: Vraag\n# Deel\n[vragen] Tekst\n")])
                #expect(broken.status == .badRequest && broken.text.contains("Regel 3"))
                #expect(broken.text.contains(#"<span class="field-error" id="definitie-fout">Regel 3"#) && broken.text.contains(#"aria-invalid="true""#),
                        "the problem stands at the definition's text field, by line")
                let q = try #require(try await store.questionnaires(gemeente: AreaCode("GM0363")!, includeConcepts: true).first)
                let definition = QuestionnaireDefinition.text(q).replacingOccurrences(of: "Ik begin bij wat het gezin zelf belangrijk vindt.",
                                                                                    with: "Ik begin bij wat het gezin zelf wil.")
                let edited = try await analist.post(client, url, [("actie", "wijzigen"), ("titel", "Werken volgens de bedoeling — Amsterdam"),
                                                                  ("inleiding", q.introduction), ("definitie", definition)])
                #expect(edited.status == .ok && edited.text.contains("Ik begin bij wat het gezin zelf wil."))
                #expect(try await analist.post(client, url, [("actie", "ronde-openen"), ("naam", "Te vroeg"), ("gebied", "GM0363"), ("periode", "2026"), ("uitnodigingen", "3")])
                    .text.contains("publiceer haar eerst"))
                #expect(try await analist.submit(client, url + "/publiceren").text.contains("Gepubliceerd"))

                let opened = try await analist.post(client, url, [("actie", "ronde-openen"), ("naam", "Wijkteams, najaar 2026"), ("gebied", "GM0363"),
                                                                  ("periode", "2026"), ("uitnodigingen", "13")])
                // Thirteen personal links, each with its own code; the round's address itself admits nobody.
                let invitations = opened.text.matches(of: /\/vragenlijst\/[A-Za-z0-9_-]{32}\?code=[2-9A-Z]{5}-[2-9A-Z]{5}/).map { String($0.output) }
                #expect(Set(invitations).count == 13)
                let link = try #require(invitations.first?.components(separatedBy: "?").first)
                var stranger = Browser()
                let noCode = try await stranger.get(client, link)
                #expect(noCode.status == .ok && noCode.text.contains("persoonlijke uitnodiging") && !noCode.text.contains("Onderdeel 1 van"))
                #expect(try await stranger.get(client, link + "?code=AAAAA-BBBBB").status == .forbidden, "a made-up code admits nobody")
                let questionnaire = try #require(try await store.questionnaire(id: q.id))
                let sections = questionnaire.sections.map { $0.items.map(\.id) }
                #expect(sections.count == 2)

                // Twelve respondents: answers that hang together within each scale (and a few "weet niet").
                var matrix: [[String: Int]] = []
                for r in 0..<12 {
                    let level = 1 + r % 5
                    var answers: [String: Int] = [:]
                    for (i, item) in questionnaire.items.enumerated() {
                        let raw = min(5, max(1, level + (i + r) % 3 - 1))
                        answers[item.id] = item.reversed ? 6 - raw : raw
                    }
                    if r == 3 { answers["v2"] = nil }
                    matrix.append(answers)
                    try await Self.respond(client, link: invitations[r], sphere: r < 10 ? .hulp : .school, answers: answers, sections: sections, sendTwice: r == 0)
                }
                // A used code admits nobody a second time (the padding attack: one person cannot count twice).
                let reused = try await stranger.get(client, invitations[0])
                #expect(reused.status == .forbidden && reused.text.contains("al gebruikt"))
                let forged = try await stranger.post(client, invitations[1], [("stap", "1"), ("v9", "4"), ("richting", "versturen"), ("nonce", String(repeating: "n", count: 20))])
                #expect(forged.status == .forbidden)
                let thanks = try await anonymous.get(client, link + "?verstuurd=ja")
                #expect(thanks.text.contains("Dank u wel"))
                let round = try #require(try await store.rounds(questionnaireID: q.id).first)
                #expect(try await store.responseCount(roundID: round.id) == 12, "the double click counted once")

                // A respondent still on the last page when the round is published.
                var late = Browser()
                let latePage = try await late.get(client, invitations[12])
                let published = try await analist.post(client, url, [("actie", "ronde-publiceren"), ("ronde", String(round.id))])
                #expect(published.text.contains("gepubliceerd"))
                let refused = try await late.post(client, invitations[12], Self.hiddenFields(latePage.text) + [("stap", "1"), ("v9", "4"), ("richting", "versturen")])
                #expect(refused.status == .gone && refused.text.contains("gesloten"), "a closed link takes nothing")
                #expect(try await store.responseCount(roundID: round.id) == 12)
                let expected = QuestionnaireResults.compute(questionnaire, responses: matrix.map { QuestionnaireResponse(sphere: nil, answers: $0) })
                let vraag = try #require(expected.all.scales.first { $0.scale.id == "vraag" })
                let alpha = try #require(vraag.alpha)
                let shown = try await anonymous.get(client, url)
                #expect(shown.text.contains("Schaalscores, 12 respondenten"))
                #expect(shown.text.contains(DutchNumber.format(vraag.mean, decimals: 2)) && shown.text.contains(DutchNumber.format(alpha, decimals: 2)))
                #expect(shown.text.contains("Hulpverlening") && shown.text.contains("niet getoond (te weinig respondenten, of afgeschermd)"), "two school respondents are not shown")
                let figure = try await store.observations(ObservationQuery(indicator: "bedoeling_vraag_centraal", areas: [AreaCode("GM0363")!], period: "2026")).items
                #expect(figure.count == 1 && abs((figure.first?.value ?? 0) - vraag.mean) < 1e-9 && figure.first?.n == 12 && figure.first?.origin == .vragenlijst)

                // A second group of six: suppressed on the page, in the JSON and as a figure.
                let second = try await analist.post(client, url, [("actie", "ronde-openen"), ("naam", "Jeugdgezondheidszorg Noord"), ("gebied", "WK0363AA"),
                                                                  ("periode", "2026"), ("uitnodigingen", "6")])
                let secondLinks = second.text.matches(of: /\/vragenlijst\/[A-Za-z0-9_-]{32}\?code=[2-9A-Z]{5}-[2-9A-Z]{5}/).map { String($0.output) }
                #expect(secondLinks.count == 6 && !secondLinks.contains { $0.hasPrefix(link) })
                for r in 0..<6 {
                    try await Self.respond(client, link: secondLinks[r], sphere: .hulp, answers: matrix[r], sections: sections)
                }
                let secondRound = try #require(try await store.rounds(questionnaireID: q.id).first { $0.id != round.id })
                _ = try await analist.post(client, url, [("actie", "ronde-publiceren"), ("ronde", String(secondRound.id))])
                let both = try await anonymous.get(client, url)
                #expect(both.text.contains("Minder dan 10 respondenten: geen uitkomsten"))
                #expect(both.text.contains("Door de tijd"))
                let response = try await client.execute(uri: "/api/v1/gemeenten/GM0363/vragenlijsten", method: .get)
                let rounds = try response.decode(GemeenteListBody<QuestionnaireJSON>.self).items.first?.rondes ?? []
                #expect(rounds.count == 2)
                let small = rounds.first { $0.naam == "Jeugdgezondheidszorg Noord" }?.resultaten
                #expect(small?.onderdrukt == true && small?.respondenten == nil)
                #expect(response.text.contains(#""respondenten":null"#), "a withheld count is written as null")
                let wijk = try await store.observations(ObservationQuery(indicator: "bedoeling_vraag_centraal", areas: [AreaCode("WK0363AA")!])).items
                #expect(wijk.count == 1 && wijk.first?.status == .geheim && wijk.first?.value == nil)
            }
        }
    }
}
