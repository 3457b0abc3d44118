import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Informele netwerken op de site")
struct NetworkWebTests {
    @Test func anAnalistDrawsANetworkOfEightActorsAndReadsTheBridgingActors() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/gemeenten/GM0363/netwerken")
            var fields: [(String, String)] = [("titel", "Haarlemmerbuurt najaar 2026"), ("wijk", "WK0363AA"), ("datum", "2026-11-01")]
            for (index, actor) in Fixtures.exampleNetwork.actors.enumerated() {
                fields += [("actor-naam-\(index + 1)", actor.name), ("actor-soort-\(index + 1)", actor.kind.rawValue),
                           ("actor-sfeer-\(index + 1)", actor.spheres[0].rawValue), ("actor-sfeer2-\(index + 1)", actor.spheres.count > 1 ? actor.spheres[1].rawValue : "")]
            }
            for (index, tie) in Fixtures.exampleNetwork.ties.enumerated() {
                fields += [("relatie-van-\(index + 1)", tie.from), ("relatie-naar-\(index + 1)", tie.to), ("relatie-soort-\(index + 1)", tie.kind.rawValue),
                           ("relatie-sterkte-\(index + 1)", String(tie.strength))]
            }
            let created = try await analist.post(client, "/gemeenten/GM0363/netwerken", fields)
            #expect(created.status == .seeOther, "\(created.text.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(300) ?? "")")
            let path = try #require(created.headers[.location])
            let page = try await analist.get(client, path)
            #expect(page.text.contains("<ol><li>Brugfunctionaris (0,43)</li><li>Ouders van De Regenboog (0,38)</li><li>Intern begeleider (0,24)</li></ol>"))
            #expect(page.text.contains("<ul><li>Huisarts</li></ul>"), "isolated")
            #expect(page.text.contains("29% van de mogelijke paren"))
            #expect(page.text.contains(#"class="network""#) && page.text.contains("nw-bridge"))
            var anonymous = Browser()
            #expect(try await anonymous.get(client, path).status == .seeOther, "a concept needs a login")
            #expect(try await analist.submit(client, path + "/publiceren").status == .ok)
            let published = try await client.execute(uri: "/api/v1/gemeenten/GM0363/netwerken", method: .get)
            let map = try #require(try published.decode(GemeenteListBody<NetworkJSON>.self).items.first)
            #expect(map.actoren.count == 8 && map.geisoleerd == ["Huisarts"])
            #expect(!published.text.contains("analist@amsterdam.nl"))

            // A second map of the same wijk a year later shows what changed.
            fields = fields.map { $0.0 == "datum" ? ("datum", "2027-11-01") : $0 }
            fields += [("relatie-van-9", "8"), ("relatie-naar-9", "7"), ("relatie-soort-9", "verwijzing")]
            let later = try await analist.post(client, "/gemeenten/GM0363/netwerken", fields)
            let laterPage = try await analist.get(client, try #require(later.headers[.location]))
            #expect(laterPage.text.contains("Veranderd sinds 1 november 2026") && laterPage.text.contains("Huisarts – Wijkteam (verwijzing)"))

            // Relations over time (issue 18): publishing writes the measures as figures of the wijk on the map's date,
            // so the wijk profile has a trend of its density and the lantaarnpaal counts relations that are measured.
            // A form of an earlier version (the action as a field `actie` on the map's own address) still works.
            let legacy = try await analist.post(client, try #require(later.headers[.location]), [("actie", "publiceren")])
            #expect(legacy.status == .seeOther && legacy.headers[.location]?.hasSuffix("?melding=gepubliceerd") == true)
            let density = try await client.execute(uri: "/api/v1/waarden?indicator=netwerk_dichtheid&gebied=WK0363AA", method: .get)
                .decode(ListBody<ValueDTO>.self).items.map(\.observation)
            #expect(density.map(\.period) == ["2026-11-01", "2027-11-01"])
            #expect(density.map(\.value) == [28.6, 32.1] && density.allSatisfy { $0.origin == .netwerk })
            let wijk = try await anonymous.get(client, "/wijken/WK0363AA").text
            let row = try #require(wijk.range(of: "Dichtheid van het netwerk (%)</a></th>").map { String(wijk[$0.upperBound...].prefix(3000)) })
            #expect(row.contains("32,1") && row.contains("sinds 2026-11-01"), "a trend of the density on the wijk profile")
            let lamppost = try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get).decode(LamppostController.LamppostBody.self)
            #expect(lamppost.relaties_weefsel >= 5)

            let bad = try await analist.post(client, "/gemeenten/GM0363/netwerken", [("titel", "x"), ("wijk", "WK001400"), ("datum", "2026-11-01"),
                                                                                 ("actor-naam-1", "Jan, jan@example.nl"), ("actor-sfeer-1", "gezin")])
            #expect(bad.status == .badRequest)
            // Each problem beside the field or table it concerns, linked from the summary; what was typed stays.
            #expect(bad.text.contains(#"<span class="field-error" id="wijk-fout">WK001400 ligt niet in GM0363.</span>"#))
            #expect(bad.text.contains(#"id="actoren-fout">"#) && bad.text.contains("geen contactgegevens van personen"))
            #expect(bad.text.contains(##"<li><a href="#wijk">Wijk</a>: WK001400 ligt niet in GM0363.</li>"##))
            #expect(bad.text.contains(#"value="Jan, jan@example.nl""#), "what was typed stays")
            // The wijk by its name: one of the gemeente's wijken.
            let byName = try await analist.post(client, "/gemeenten/GM0363/netwerken", [("titel", "Op naam"), ("wijk", "haarlemmerbuurt"),
                                                                                    ("datum", "2026-11-01"), ("actor-naam-1", "Buurtmoeder"),
                                                                                    ("actor-sfeer-1", "gezin"), ("actor-naam-2", "Wijkteam"),
                                                                                    ("actor-sfeer-2", "hulp")])
            #expect(byName.status == .seeOther)
            let unknownWijk = try await analist.post(client, "/gemeenten/GM0363/netwerken", [("titel", "Op naam"), ("wijk", "Nergenswijk"),
                                                                                         ("datum", "2026-11-01")])
            #expect(unknownWijk.status == .badRequest && unknownWijk.text.contains("Geen wijk van deze gemeente heet &#39;Nergenswijk&#39;"))
        }
    }
}
