import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Concepten en publiceren")
struct DraftTests {
    @Test func anAnalistUploadsLocalFiguresThatOnlyTheirGemeenteSeesUntilTheyPublish() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/gemeenten/GM0363/concepten")
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0363,2032,912345\ninwoners,WK0363AA,2032,4\n"
            let uploaded = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "eigen-telling.csv", csv))
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.headers[.location])
            let draft = try await analist.get(client, location)
            #expect(draft.status == .ok)
            #expect(draft.text.contains("912.345"))
            #expect(!draft.text.contains(">4<"), "a count of 4 persons is suppressed on the draft page too")
            #expect(draft.text.contains("geen gegevens (te weinig waarnemingen)"))

            // Nobody else sees it: not the public API, not another gemeente's analist, not an anonymous visitor.
            var stranger = Browser()
            let before = try await stranger.get(client, "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2032")
            #expect(try before.decode(ListBody<ValueDTO>.self).total == 0)
            #expect(try await stranger.get(client, location).status == .seeOther)
            let hash = try await Passwords(cost: 4).hash(AccountWorld.password)
            _ = try await world.store.addAccount(username: "g@groningen.nl", displayName: "G", role: .analist, gemeenten: [AreaCode("GM0014")!],
                                                 passwordHash: hash, actor: "test")
            var other = try await Browser.loggedIn(client, as: "g@groningen.nl")
            #expect(try await other.get(client, location).status == .forbidden)
            #expect(try await other.get(client, "/gemeenten/GM0363/concepten").status == .forbidden)

            // Published: an ordinary import, seen by all.
            let published = try await analist.post(client, location, [("actie", "publiceren")])
            #expect(published.status == .ok)
            #expect(published.text.contains("Gepubliceerd als import"))
            let after = try await stranger.get(client, "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2032")
            #expect(try after.decode(ListBody<ValueDTO>.self).items.map(\.observation.value) == [912345])
            #expect(after.text.contains("912345"))
            let again = try await analist.post(client, location, [("actie", "publiceren")])
            #expect(again.status == .conflict && again.text.contains("is al gepubliceerd"))
            let log = try await world.store.auditLog(limit: 10, offset: 0).entries.map(\.action)
            #expect(log.first == "concept.publiceren" && log.contains("concept.toevoegen"))
        }
    }

    @Test func aFileWithAnAreaOutsideTheGemeenteIsRefusedWithItsLineAndColumn() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/gemeenten/GM0363/concepten")
            let before = try await world.store.drafts(gemeente: AreaCode("GM0363")!).count
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0363,2032,912345\ninwoners,GM0014,2032,200000\n"
            let refused = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "mix.csv", csv))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("mix.csv, regel 3, kolom gebied"), "\(refused.text)")
            #expect(refused.text.contains("een gebied in gemeente GM0363"))
            let broken = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "kapot.csv", "indicator,gebied,periode,waarde\nbestaatniet,GM0363,2032,1\n"))
            #expect(broken.status == .badRequest && broken.text.contains("kapot.csv, regel 2"))
            let typo = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "typo.csv", "indicator,gebied,periode,waarde\ninwoners,WK0363ZZ,2032,100\n"))
            #expect(typo.status == .badRequest && typo.text.contains("typo.csv, regel 2, kolom gebied"))
            #expect(try await world.store.drafts(gemeente: AreaCode("GM0363")!).count == before, "nothing kept")
        }
    }
}
