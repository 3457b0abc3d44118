import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Verantwoord meten")
struct ResponsibleMeasuringTests {
    @Test func theLamppostShowsWhatIsNotMeasured() async throws {
        try await withApp { client in
            try await client.execute(uri: "/lantaarnpaal", method: .get) { response in
                let html = response.text
                #expect(html.contains("lantaarnpaaleffect"))
                #expect(html.contains("beschreven, niet gemeten"))
                #expect(html.contains("Relaties: het weefsel"))
                #expect(html.contains("ouders ↔ professionals"))
                #expect(html.contains("Houding</th>"))
                #expect(html.contains("positief geformuleerd"))
                #expect(html.contains("cijfers tot buurt"), "KWB figures reach down to buurten")
                #expect(html.contains("cijfers tot GGD-regio"), "the kindmonitor is regional only")
                #expect(html.contains("Context (telt niet mee)"))
                #expect(html.contains("De buitensfeer in drie lagen") && html.contains("jeugdhulp met verwijzing"))
            }
            try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get) { response in
                let json = try response.json()
                let cells = try #require(json["cellen"] as? [[String: Any]])
                #expect(cells.count == 20)
                func cell(_ sphere: String, _ perspective: String) throws -> [String: Any] {
                    try #require(cells.first { $0["sfeer"] as? String == sphere && $0["perspectief"] as? String == perspective })
                }
                // A lantaarnpaal of data: school × houding has definitions (the samenwerking scales) but no figure.
                let schoolHouding = try cell("school", "houding")
                #expect(schoolHouding["status"] as? String == "beschreven, niet gemeten")
                #expect(schoolHouding["aantal_met_cijfers"] as? Int == 0 && (schoolHouding["aantal_zonder_cijfers"] as? Int ?? 0) > 0)
                #expect(schoolHouding["leemte"] as? Bool == true)
                // Context lights no cell.
                for cell in cells { #expect(!((cell["indicatoren"] as? [String]) ?? []).contains("inwoners")) }
                let context = try #require(json["context"] as? [String: Any])
                #expect((context["indicatoren"] as? [String])?.contains("inwoners") == true)
                // Where there are figures, they count, per level.
                let gezinIdeaal = try cell("gezin", "ideaal")
                #expect((gezinIdeaal["aantal_met_cijfers"] as? Int ?? 0) > 0)
                #expect(((gezinIdeaal["per_niveau"] as? [String: Int])?["ggdregio"] ?? 0) > 0)
                #expect(!((gezinIdeaal["met_cijfers"] as? [String]) ?? []).contains("ww_per_1000"))
                let relations = try #require(json["relaties"] as? [[String: Any]])
                #expect(relations.count == 3)
                #expect(relations.contains { ($0["zonder_cijfers"] as? [String])?.contains("samenwerking_afstemmen") == true })
                #expect(json["relaties_weefsel"] as? Int == 0, "no questionnaire round in this database")
                // The buitensfeer in its three layers: jeugdzorg in natura counts two; the open layer has no figure.
                let layers = try #require(json["buitensfeer_lagen"] as? [[String: Any]])
                #expect(layers.map { $0["relatie"] as? String } == ["vrij_toegankelijk", "jeugdhulp", "jeugdbescherming"])
                #expect((layers[1]["met_cijfers"] as? [String])?.contains("jeugdzorg_in_natura_pct") == true)
                #expect((layers[0]["met_cijfers"] as? [String])?.isEmpty == true)
                let gaps = try #require(json["leemtes"] as? [[String: Any]])
                #expect(gaps.contains { $0["perspectief"] as? String == "houding" })
            }
        }
    }

    /// One gemeente's lantaarnpaal: per cell what has figures for the gemeente itself, only its region, only nationally.
    @Test func aGemeenteHasItsOwnLamppost() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=GM0363", method: .get) { response in
                let json = try response.json()
                #expect(json["gemeente"] as? String == "GM0363")
                let cells = try #require(json["cellen"] as? [[String: Any]])
                let hulp = try #require(cells.first { $0["sfeer"] as? String == "hulp" && $0["perspectief"] as? String == "instrumenteel" })
                let reach = try #require(hulp["per_bereik"] as? [String: [String]])
                #expect(reach["eigen"]?.contains("jeugdzorg_in_natura_pct") == true)
                #expect(Set(reach.keys) == ["eigen", "regio", "landelijk", "geen"])
            }
            try await client.execute(uri: "/lantaarnpaal?gemeente=GM0363", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Lantaarnpaal van Amsterdam"))
                #expect(response.text.contains("cijfers voor de gemeente zelf"))
            }
            try await client.execute(uri: "/lantaarnpaal?gemeente=GM9999", method: .get) { response in #expect(response.status == .notFound) }
            try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=amsterdam", method: .get) { response in #expect(response.status == .badRequest) }
        }
    }

    /// The home page counts what the API counts: nothing is written by hand.
    @Test func theHomePageCountsWhatTheAPICounts() async throws {
        try await withApp { client in
            let indicators = try #require(try await client.execute(uri: "/api/v1/indicatoren", method: .get).json()["items"] as? [[String: Any]])
            let lamppost = try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get).json()
            let basis = indicators.filter { $0["rol"] as? String != "context" }.count
            let context = indicators.filter { $0["rol"] as? String == "context" }.count
            let cbs = indicators.filter { ($0["bron"] as? [String: Any])?["uitgever"] as? String == "CBS" }.count
            #expect(lamppost["totaal"] as? Int == basis)
            let measured = try #require(lamppost["totaal_met_cijfers"] as? Int)
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(html.contains("De monitor bevat nu \(indicators.count) indicatoren: \(basis) over de pedagogische basis en de buitensfeer, waarvan \(measured) met cijfers, en \(context) over de context"))
            #expect(html.contains("\(cbs) komen uit open data van het CBS"))
            #expect(!html.contains("\(indicators.count) indicatoren uit open data van het CBS"))
        }
    }

    /// `/indicatoren` filters on the national or local picture and on the role; context stands apart.
    @Test func theIndicatorListFiltersOnPictureAndRole() async throws {
        try await withApp { client in
            let local = try #require(try await client.execute(uri: "/api/v1/indicatoren?beeld=lokaal", method: .get).json()["items"] as? [[String: Any]])
            let national = try #require(try await client.execute(uri: "/api/v1/indicatoren?beeld=landelijk", method: .get).json()["items"] as? [[String: Any]])
            #expect(local.allSatisfy { ($0["beeld"] as? [String])?.contains("lokaal") == true })
            #expect(national.allSatisfy { ($0["beeld"] as? [String])?.contains("landelijk") == true })
            #expect(local.contains { $0["id"] as? String == "samenwerking_afstemmen" } && !national.contains { $0["id"] as? String == "samenwerking_afstemmen" })
            let context = try #require(try await client.execute(uri: "/api/v1/indicatoren?rol=context", method: .get).json()["items"] as? [[String: Any]])
            #expect(context.contains { $0["id"] as? String == "inwoners" } && context.allSatisfy { $0["rol"] as? String == "context" })
            #expect(try await client.execute(uri: "/api/v1/indicatoren?beeld=europees", method: .get).status == .badRequest)
            let html = try await client.execute(uri: "/indicatoren?beeld=lokaal", method: .get).text
            #expect(html.contains("Context (verklaart de basis, telt niet mee)"))
            #expect(html.contains(#"<option value="lokaal" selected>"#))
        }
    }

    @Test func theBurdenLedgerFlagsSurveyIndicatorsThatAreHardlyUsed() async throws {
        try await withApp { client in
            try await client.execute(uri: "/meetlast", method: .get) { response in
                #expect(response.text.contains("meetlast, weinig gebruik"))
                #expect(response.text.contains("bestaand register"))
            }
            try await client.execute(uri: "/api/v1/meetlast", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                let survey = try #require(items.first { $0["indicator"] as? String == "kindmonitor_opvoeding_moeilijk" })
                #expect(survey["producent"] as? String == "enquete")
                #expect((survey["minuten_per_respondent"] as? Double ?? 0) > 0)
                #expect(survey["gemarkeerd"] as? Bool == true)
                let register = try #require(items.first { $0["indicator"] as? String == "inwoners" })
                #expect(register["minuten_per_periode"] as? Double == 0)
                #expect(register["gemarkeerd"] as? Bool == false)
            }
        }
    }

    @Test func theKindmonitorIndicatorPageShowsTheRegionalTrend() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/kindmonitor_lid_sportvereniging", method: .get) { response in
                let html = response.text
                #expect(html.contains("GGD Hollands-Noorden"))
                #expect(html.contains("78,7%") && html.contains("83,1%") && html.contains("77,3%"))
                #expect(html.contains("−5,8 procentpunt sinds 2016"))
                #expect(html.contains("geen cijfers per gemeente"))
                #expect(html.contains("vragenlijst (enquête)"))
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=kindmonitor_lid_sportvereniging", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.map { $0["waarde"] as? Double } == [78.7, 83.1, 77.3])
                #expect(items.map { $0["periode"] as? String } == ["2011", "2016", "2021"])
            }
        }
    }

    @Test func everyIndicatorInTheAPIIsComplete() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count >= 30)
                for item in items {
                    for key in ["id", "naam", "definitie", "eenheid", "peilmoment", "polariteit", "lading", "leeftijd", "toelichting", "afleiding"] {
                        #expect(!((item[key] as? String) ?? "").isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                    for key in ["sferen", "perspectieven", "kennisvragen", "gebruiksvoorbeelden", "kanttekeningen"] {
                        #expect(!((item[key] as? [String]) ?? []).isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                    let table = ((item["bron"] as? [String: Any])?["tabel"] as? String) ?? ""
                    #expect(table.isEmpty == false)
                }
            }
        }
    }
}
