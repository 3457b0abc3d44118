import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Duidings- en spiegelgesprekken")
struct DialogueWebTests {
    /// The smallest form that saves: a title, a date, one figure and who took part.
    static let minimalForm: [(String, String)] = [
        ("titel", "Kort overleg"), ("datum", "2026-11-20"), ("soort", "duiding"),
        ("figuur-indicator-1", "jeugdzorg_in_natura_pct"), ("figuur-gebied-1", "GM0363"), ("figuur-periode-1", "2023"),
        ("deelnemers-beleid", "2"),
    ]

    @Test func anAnalistRecordsADuidingsgesprekFromAFigurePublishesItAndEveryoneSeesIt() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            // From the figure page: the link to start a conversation about it.
            let profile = try await analist.get(client, "/wijken/WK0363AA")
            #expect(profile.text.contains("Wat zeggen we ervan?"))
            #expect(profile.text.contains("/gemeenten/GM0363/duiding/nieuw?gebied=WK0363AA"))
            let form = try await analist.get(client, "/gemeenten/GM0363/duiding/nieuw?gebied=WK0363AA&indicator=jeugdzorg_in_natura_pct&periode=2023")
            #expect(form.status == .ok)
            #expect(form.text.contains("Herkennen we het beeld?") && form.text.contains("Welke verbeteringen willen we?"))
            #expect(form.text.contains(#"value="WK0363AA""#))
            let fields: [(String, String)] = [
                ("titel", "Jeugdzorg in de Burgwallen"), ("datum", "2026-11-20"), ("soort", "duiding"),
                ("figuur-indicator-1", "jeugdzorg_in_natura_pct"), ("figuur-gebied-1", "WK0363AA"), ("figuur-periode-1", "2023"),
                ("deelnemers-ouder", "4"), ("deelnemers-professional", "3"), ("sferen-professional", "school"), ("sferen-professional", "hulp"),
                ("deelnemers-beleid", "1"), ("luistert-beleid", "ja"),
                ("vraag-herkennen-ouder", "Ja, veel gezinnen in de buurt krijgen hulp."), ("vraag-herkennen-professional", "Deels: wij zien vooral lichte vragen."),
                ("eens-herkennen", "deels"),
                ("vraag-verklaren-professional", "Weinig laagdrempelige steun in de wijk."), ("eens-verklaren", "eens"),
                ("vraag-waarderen-ouder", "Zorgelijk."), ("eens-waarderen", "oneens"),
                ("vraag-verbeteren-ouder", "Een opvoedspreekuur op school."), ("eens-verbeteren", "eens"),
                ("conclusies", "We herkennen het beeld deels; de verklaring ligt in het ontbreken van lichte steun."),
                ("actie-wat-1", "Opvoedspreekuur op twee scholen"), ("actie-wie-1", "jeugdgezondheidszorg"), ("actie-wanneer-1", "2027-03-01"),
                ("actie-status-1", "open"),
                ("actie-wat-2", "Brugfunctionaris aanstellen"), ("actie-wie-2", "gemeente (beleid)"), ("actie-wanneer-2", "2027-06-01"),
                ("actie-status-2", "bezig"),
            ]
            let bad = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", fields.map { $0.0 == "datum" ? ($0.0, "20-11-2026") : $0 })
            #expect(bad.status == .badRequest && bad.text.contains(#"<span class="field-error" id="datum-fout">Geef de datum van het gesprek als JJJJ-MM-DD.</span>"#))
            #expect(bad.text.contains("Jeugdzorg in de Burgwallen"), "what was typed stays in the form")
            let saved = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", fields)
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            let concept = try await analist.get(client, location)
            #expect(concept.text.contains("concept") && concept.text.contains("Publiceren"))

            // A concept is for the gemeente's users only.
            var anonymous = Browser()
            #expect(try await anonymous.get(client, location).status == .seeOther)
            #expect(!(try await anonymous.get(client, "/gemeenten/GM0363/duiding").text.contains("Burgwallen")))
            #expect(!(try await anonymous.get(client, "/wijken/WK0363AA").text.contains("Jeugdzorg in de Burgwallen")))

            let published = try await analist.submit(client, location + "/publiceren")
            #expect(published.status == .ok && published.text.contains("Gepubliceerd"))
            let record = try await anonymous.get(client, location)
            #expect(record.status == .ok)
            for text in ["Herkennen we het beeld?", "deels eens", "Deels: wij zien vooral lichte vragen.", "Opvoedspreekuur op twee scholen",
                         "Brugfunctionaris aanstellen", "1 maart 2027", "4 ouders", "3 professionals (School en opvang, Hulpverlening)",
                         "Luisterden: 1 beleid"] {
                #expect(record.text.contains(text), "\(text)")
            }
            #expect(try await anonymous.get(client, "/wijken/WK0363AA").text.contains("Jeugdzorg in de Burgwallen"))
            #expect(try await anonymous.get(client, "/indicatoren/jeugdzorg_in_natura_pct").text.contains("Jeugdzorg in de Burgwallen"))
            let items = try await anonymous.get(client, "/api/v1/gemeenten/GM0363/duiding").decode(GemeenteListBody<DialogueJSON>.self).items
            #expect(items.count == 1)
            #expect(items.first?.titel == "Jeugdzorg in de Burgwallen")
            #expect(items.first?.acties.count == 2)
            #expect(items.first?.vragen.count == 4)
            #expect(try await world.store.usage()["jeugdzorg_in_natura_pct"]?.dialogueReferences == 1, "counts as use in the meetlast ledger")
        }
    }

    @Test func aSpiegelgesprekRecordsWhoSpokeAndWhoListened() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let form = try await analist.get(client, "/gemeenten/GM0363/duiding/nieuw?soort=spiegel")
            #expect(form.text.contains(#"<option value="spiegel" selected>"#))
            let missing = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", [
                ("titel", "Spiegelgesprek jongeren"), ("datum", "2026-10-01"), ("soort", "spiegel"), ("deelnemers-bestuur", "1"), ("luistert-bestuur", "ja")])
            #expect(missing.status == .badRequest)
            // Each problem in the part of the form it concerns, linked from the summary; what was typed stays.
            #expect(missing.text.contains(#"<p class="field-error" id="deelnemers-fout">In een spiegelgesprek spreken ouders, jongeren of professionals.</p>"#))
            #expect(missing.text.contains(#"<p class="field-error" id="themas-fout">Noteer wat er gezegd is (thema&#39;s per rol).</p>"#))
            #expect(missing.text.contains(##"<li><a href="#deelnemers">Wie deden mee</a>: In een spiegelgesprek"##))
            #expect(missing.text.contains(#"value="Spiegelgesprek jongeren""#))
            let saved = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", [
                ("titel", "Spiegelgesprek jongeren"), ("datum", "2026-10-01"), ("soort", "spiegel"),
                ("deelnemers-jongere", "8"), ("deelnemers-bestuur", "1"), ("luistert-bestuur", "ja"), ("deelnemers-beleid", "2"), ("luistert-beleid", "ja"),
                ("thema-tekst-1", "Er is geen plek om na school af te spreken"), ("thema-rol-1", "jongere"), ("thema-sfeer-1", "vrijetijd"),
                ("thema-tekst-2", "De jongerenwerker kennen we wel"), ("thema-rol-2", "jongere"), ("thema-sfeer-2", "georganiseerd"), ("thema-sfeer-2", "hulp"),
            ])
            #expect(saved.status == .seeOther)
            let page = try await analist.get(client, try #require(saved.headers[.location]))
            #expect(page.text.contains("Spraken: 8 jongeren"))
            #expect(page.text.contains("Luisterden: 1 bestuur, 2 beleid") || page.text.contains("Luisterden: 2 beleid, 1 bestuur"))
            #expect(page.text.contains("Georganiseerde vrije tijd, Hulpverlening"))
        }
    }
}
