import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

@Suite("Voorzieningenregister op de site")
struct FacilityWebTests {
    static let file = """
        naam,soort,sferen,gebied,breedtegraad,lengtegraad,doelgroep,hoort_bij_basis,waarom
        Consultatiebureau Haarlemmerbuurt,consultatiebureau,hulp,WK0363AA,52.3836,4.8869,ouders met kinderen 0-4,twijfel,Vrij toegankelijk maar het is zorg
        Speeltuin Westerpark,speeltuin,vrijetijd,WK0363AA,52.3866,4.8771,kinderen 4-12,ja,Ouders ontmoeten elkaar
        Bibliotheek Jordaan,bibliotheek,vrijetijd|school,WK0363AB,52.3745,4.8802,,ja,
        Mamacafé De Pijp,mamacafe,gezin,WK0363AB,,,moeders,ja,Steun van moeders onderling
        Voetbalclub AFC,sportvereniging,georganiseerd,WK0363AC,52.3720,4.8890,jeugd 6-18,,

        """

    @Test func fiveFacilitiesByCSVArePointsOnTheWijkMapAfterPublishing() async throws {
        try await TestStore.withLoadedStore { store, _ in
            _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
            var analist = try await Visitor.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
            try await analist.get(client, "/gemeenten/GM0363/voorzieningen")
            let bad = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")],
                                             file: ("bestand", "fout.csv", "naam,soort,gebied\nBuurthuis,buurthuis,WK001400\n"))
            #expect(bad.status == .badRequest && bad.text.contains("fout.csv, regel 2, kolom gebied"))
            #expect(try await store.facilities(gemeente: AreaCode("GM0363")!, includeConcepts: true).isEmpty, "nothing from a bad file")

            let uploaded = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")],
                                                  file: ("bestand", "voorzieningen.csv", Self.file))
            #expect(uploaded.status == .ok && uploaded.text.contains("5 voorziening(en) uit voorzieningen.csv toegevoegd als concept"))
            var anonymous = Visitor()
            #expect(!(try await anonymous.get(client, "/gemeenten/GM0363/voorzieningen").text.contains("Speeltuin Westerpark")), "concepts stay inside")
            let published = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "publiceren")])
            #expect(published.text.contains("5 voorziening(en) gepubliceerd"))

            let page = try await anonymous.get(client, "/gemeenten/GM0363/voorzieningen")
            #expect(page.text.components(separatedBy: #"<g class="vz-point"#).count - 1 == 4, "four with coordinates on the map")
            #expect(page.text.contains("1 voorziening(en) zonder coördinaten staan alleen in de tabel"))
            #expect(page.text.contains("Speeltuin Westerpark") && page.text.contains("Haarlemmerbuurt"))
            let json = try await client.execute(uri: "/api/v1/gemeenten/GM0363/voorzieningen", method: .get).json()
            #expect(json["total"] as? Int == 5)
            let excel = try await client.execute(uri: "/gemeenten/GM0363/voorzieningen?formaat=excel", method: .get)
            #expect(excel.text.hasPrefix("\u{FEFF}naam;soort;") && excel.text.contains("52,383600"))
            let added = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "toevoegen"), ("naam", "Buurthuis Jordaan"),
                                                                                          ("soort", "buurthuis"), ("gebied", "WK0363AB")])
            #expect(added.status == .ok && added.text.contains("Buurthuis Jordaan toegevoegd als concept"))
            }
        }
    }
}
