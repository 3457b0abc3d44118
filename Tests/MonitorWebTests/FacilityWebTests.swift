import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
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
            var analist = try await Browser.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
            try await analist.get(client, "/gemeenten/GM0363/voorzieningen")
            let bad = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")],
                                             file: ("bestand", "fout.csv", "naam,soort,gebied\nBuurthuis,buurthuis,WK001400\n"))
            #expect(bad.status == .badRequest && bad.text.contains("fout.csv, regel 2, kolom gebied"))
            #expect(try await store.facilities(gemeente: AreaCode("GM0363")!, includeConcepts: true).isEmpty, "nothing from a bad file")

            let uploaded = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")],
                                                  file: ("bestand", "voorzieningen.csv", Self.file))
            #expect(uploaded.status == .ok && uploaded.text.contains("5 voorzieningen uit voorzieningen.csv toegevoegd als concept"))
            var anonymous = Browser()
            #expect(!(try await anonymous.get(client, "/gemeenten/GM0363/voorzieningen").text.contains("Speeltuin Westerpark")), "concepts stay inside")
            let published = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "publiceren")])
            #expect(published.text.contains("5 voorzieningen en 0 regels gebruik gepubliceerd"))

            let page = try await anonymous.get(client, "/gemeenten/GM0363/voorzieningen")
            #expect(page.text.components(separatedBy: #"<g class="vz-point"#).count - 1 == 4, "four with coordinates on the map")
            #expect(page.text.contains("1 voorziening zonder coördinaten staat alleen in de tabel"))
            #expect(page.text.contains("Speeltuin Westerpark") && page.text.contains("Haarlemmerbuurt"))
            let register = try await client.execute(uri: "/api/v1/gemeenten/GM0363/voorzieningen", method: .get).decode(FacilityListJSON.self)
            #expect(register.total == 5 && register.items.count == 5)
            let excel = try await client.execute(uri: "/gemeenten/GM0363/voorzieningen?formaat=excel", method: .get)
            #expect(excel.text.hasPrefix("\u{FEFF}naam;soort;") && excel.text.contains("52,383600"))
            let added = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "toevoegen"), ("naam", "Buurthuis Jordaan"),
                                                                                          ("soort", "buurthuis"), ("gebied", "WK0363AB")])
            #expect(added.status == .ok && added.text.contains("Buurthuis Jordaan toegevoegd als concept"))
            // A refused form: each problem beside its field (and linked in the summary), in words, and what was typed stays.
            let refused = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "toevoegen"), ("naam", "Speel-o-theek"),
                                                                                            ("soort", "speeltuin"), ("gebied", "WK9999ZZ"),
                                                                                            ("doelgroep", "peuters"), ("hoort_bij_basis", "ja")])
            #expect(refused.status == .badRequest)
            let html = refused.text
            #expect(html.contains(#"<span class="field-error" id="gebied-fout">Verwacht: "#) && html.contains("(u vulde in: “WK9999ZZ”)"))
            #expect(html.contains(#"name="gebied" size="12" value="WK9999ZZ" aria-invalid="true" aria-describedby="gebied-fout""#))
            #expect(html.contains(##"<li><a href="#gebied">Wijk of buurt</a>: Verwacht: "##), "the summary links to the field")
            #expect(html.contains(#"name="naam" required value="Speel-o-theek""#) && html.contains(#"value="peuters""#), "typed values kept")
            #expect(html.contains(#"<option value="ja" selected>ja</option>"#) && html.contains(#"<option value="speeltuin" selected>"#))
            #expect(!html.contains("regel 1") && !html.contains("kolom gebied"), "no CSV words for a form")

            // Usage for two periods, by CSV; a bad line refuses the whole file.
            let badUsage = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "gebruik-uploaden")],
                                                  file: ("bestand", "gebruik-fout.csv", "voorziening,periode,methode,bezoeken\nZwembad,2024,deurtelling,10\n"))
            #expect(badUsage.status == .badRequest && badUsage.text.contains("gebruik-fout.csv, regel 2, kolom voorziening"))
            let usage = """
                voorziening;periode;methode;bezoeken;unieke_bezoekers
                Speeltuin Westerpark;2024;deurtelling;1.200;
                Speeltuin Westerpark;2025;deurtelling;1.500;
                Bibliotheek Jordaan;2024;registratie-professional;2.400;600
                Bibliotheek Jordaan;2025;registratie-professional;2.100;550
                Mamacafé De Pijp;2025;vragenlijst;45;7

                """
            let uploadedUsage = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "gebruik-uploaden")],
                                                       file: ("bestand", "gebruik.csv", usage))
            #expect(uploadedUsage.status == .ok && uploadedUsage.text.contains("5 regels gebruik uit gebruik.csv toegevoegd als concept"))
            let publishedUsage = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "publiceren")])
            #expect(publishedUsage.text.contains("1 voorziening en 5 regels gebruik gepubliceerd"))
            let withUsage = try await anonymous.get(client, "/gemeenten/GM0363/voorzieningen")
            #expect(withUsage.text.contains("1.200") && withUsage.text.contains("minder dan 10 personen (niet getoond)"), "the Mamacafé's 7 persons are withheld")
            #expect(!withUsage.text.contains(">45<"))
            let map = try await anonymous.get(client, "/kaart/bezoeken_per_1000_kinderen?niveau=wijk&gemeente=GM0363&periode=2024")
            #expect(map.status == .ok && map.text.contains("Haarlemmerbuurt") && map.text.contains("1.452"), "1,200 visits / 826.2 children × 1,000")
            let map2025 = try await anonymous.get(client, "/kaart/bezoeken_per_1000_kinderen?niveau=wijk&gemeente=GM0363&periode=2025")
            #expect(map2025.status == .ok && map2025.text.contains("1.816"), "1,500 / 826.2 × 1,000 in 2025")
            let response = try await client.execute(uri: "/api/v1/gemeenten/GM0363/voorzieningen", method: .get)
            let usageRegister = try response.decode(FacilityListJSON.self)
            let mamacafe = usageRegister.items.first { $0.naam == "Mamacafé De Pijp" }?.gebruik ?? []
            #expect(mamacafe.count == 1 && mamacafe[0].onderdrukt && mamacafe[0].bezoeken == nil)
            #expect(response.text.contains(#""bezoeken":null"#), "a withheld count is written as null, not left out")
            #expect(usageRegister.indicatoren.contains { $0.id == "bezoeken_per_1000_kinderen" })
            let indicator = try await anonymous.get(client, "/indicatoren/bezoeken_per_1000_kinderen")
            #expect(indicator.status == .ok && indicator.text.contains("voorzieningenregister"))
            }
        }
    }
}

@Suite("Voorzieningen zonder wijkcode")
struct FacilityLocationTests {
    @Test func coordinatesWithoutAWijkFindTheWijkTheyLieIn() async throws {
        try await TestStore.withLoadedStore { store, _ in
            _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var analist = try await Browser.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
                try await analist.get(client, "/gemeenten/GM0363/voorzieningen")
                // The Lindengracht (Jordaan, WK0363AB), the Westermarkt across the Prinsengracht (Grachtengordel-West, WK0363AC) and the
                // Museumplein (WK0363KD), checked with a separate point-in-polygon in Python; a point in the North Sea lies in no wijk.
                let file = """
                    naam,soort,breedtegraad,lengtegraad
                    Speelplek Lindengracht,speeltuin,52.3810,4.8830
                    Speelplek Westermarkt,speeltuin,52.3752,4.8840
                    Speeltuin Museumplein,speeltuin,52.3580,4.8810

                    """
                let uploaded = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")], file: ("bestand", "punten.csv", file))
                #expect(uploaded.status == .ok, "\(uploaded.text.prefix(2000))")
                let saved = try await store.facilities(gemeente: AreaCode("GM0363")!, includeConcepts: true)
                let areas = Dictionary(saved.map { ($0.name, $0.area.rawValue) }, uniquingKeysWith: { a, _ in a })
                #expect(areas == ["Speelplek Lindengracht": "WK0363AB", "Speelplek Westermarkt": "WK0363AC", "Speeltuin Museumplein": "WK0363KD"])
                let sea = try await analist.post(client, "/gemeenten/GM0363/voorzieningen", [("actie", "uploaden")],
                                                 file: ("bestand", "zee.csv", "naam,soort,breedtegraad,lengtegraad\nBoei,overig,52.40,4.40\n"))
                #expect(sea.status == .badRequest && sea.text.contains("zee.csv, regel 2, kolom breedtegraad"))
            }
        }
    }
}

@Suite("Formulierfouten")
struct FormFeedbackTests {
    /// Each problem once, as a sentence, in the form's order; a problem of the whole form (a refusal by the store) is
    /// named but not linked, since no field carries it.
    @Test func problemsBecomeSentencesBesideTheirFieldsAndTheWholeFormIsNotALink() {
        let feedback = FormFeedback(problems: [("", "de opslag weigerde: het record is al gepubliceerd"), ("naam", "vul een naam in"),
                                               ("naam", "vul een naam in"), ("jaar", "een jaartal als 2024")],
                                    fields: [(id: "naam", label: "Naam"), (id: "jaar", label: "Jaar")])
        #expect(feedback.summary.map(\.label) == ["Naam", "Jaar", "Het formulier"])
        #expect(feedback.summary.map(\.link) == ["naam", "jaar", nil])
        #expect(feedback.errors["naam"] == "Vul een naam in.", "said once")
        #expect(feedback.summary.last?.message == "De opslag weigerde: het record is al gepubliceerd.")
    }
}
