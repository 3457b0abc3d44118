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
                let lamppost = try response.decode(LamppostController.LamppostBody.self)
                let cells = lamppost.cellen
                #expect(cells.count == 20)
                func cell(_ sphere: String, _ perspective: String) throws -> LamppostController.LamppostBody.CellDTO {
                    try #require(cells.first { $0.sfeer == sphere && $0.perspectief == perspective })
                }
                // A lantaarnpaal of data: school × houding has definitions (the samenwerking scales) but no figure.
                let schoolHouding = try cell("school", "houding")
                #expect(schoolHouding.status == "beschreven, niet gemeten")
                #expect(schoolHouding.aantal_met_cijfers == 0 && schoolHouding.aantal_zonder_cijfers > 0)
                #expect(schoolHouding.leemte)
                // Context lights no cell.
                for cell in cells { #expect(!cell.indicatoren.contains("inwoners")) }
                #expect(lamppost.context.indicatoren.contains("inwoners"))
                // Where there are figures, they count, per level.
                let gezinIdeaal = try cell("gezin", "ideaal")
                #expect(gezinIdeaal.aantal_met_cijfers > 0)
                #expect((gezinIdeaal.per_niveau["ggdregio"] ?? 0) > 0)
                #expect(!gezinIdeaal.met_cijfers.contains("ww_per_1000"))
                #expect(lamppost.relaties.count == 3)
                #expect(lamppost.relaties.contains { $0.zonder_cijfers.contains("samenwerking_afstemmen") })
                #expect(lamppost.relaties_weefsel == 0, "no questionnaire round in this database")
                // The buitensfeer in its three layers: jeugdzorg in natura counts two; the open layer has no figure.
                let layers = lamppost.buitensfeer_lagen
                #expect(layers.map(\.relatie) == ["vrij_toegankelijk", "jeugdhulp", "jeugdbescherming"])
                #expect(layers[1].met_cijfers.contains("jeugdzorg_in_natura_pct"))
                #expect(layers[0].met_cijfers.isEmpty)
                #expect(lamppost.leemtes.contains { $0.perspectief == "houding" })
            }
        }
    }

    /// One gemeente's lantaarnpaal: per cell what has figures for the gemeente itself, only its region, only nationally.
    @Test func aGemeenteHasItsOwnLamppost() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=GM0363", method: .get) { response in
                let lamppost = try response.decode(LamppostController.LamppostBody.self)
                #expect(lamppost.gemeente == "GM0363")
                let hulp = try #require(lamppost.cellen.first { $0.sfeer == "hulp" && $0.perspectief == "instrumenteel" })
                let reach = try #require(hulp.per_bereik)
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
            let indicators = try await client.execute(uri: "/api/v1/indicatoren", method: .get).decode(ListBody<IndicatorDTO>.self).items
            let lamppost = try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get).decode(LamppostController.LamppostBody.self)
            let basis = indicators.filter { $0.rol != "context" }.count
            let context = indicators.filter { $0.rol == "context" }.count
            let cbs = indicators.filter { $0.bron.uitgever == "CBS" }.count
            #expect(lamppost.totaal == basis)
            let measured = lamppost.totaal_met_cijfers
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(html.contains("De monitor bevat nu \(indicators.count) indicatoren: \(basis) over de pedagogische basis en de buitensfeer, waarvan \(measured) met cijfers, en \(context) over de context"))
            #expect(html.contains("\(cbs) komen uit open data van het CBS"))
            #expect(!html.contains("\(indicators.count) indicatoren uit open data van het CBS"))
        }
    }

    /// `/indicatoren` filters on the national or local picture and on the role; context stands apart.
    @Test func theIndicatorListFiltersOnPictureAndRole() async throws {
        try await withApp { client in
            func indicators(_ query: String) async throws -> [IndicatorDTO] {
                try await client.execute(uri: "/api/v1/indicatoren?" + query, method: .get).decode(ListBody<IndicatorDTO>.self).items
            }
            let local = try await indicators("beeld=lokaal"), national = try await indicators("beeld=landelijk")
            #expect(local.allSatisfy { $0.beeld.contains("lokaal") })
            #expect(national.allSatisfy { $0.beeld.contains("landelijk") })
            #expect(local.contains { $0.id == "samenwerking_afstemmen" } && !national.contains { $0.id == "samenwerking_afstemmen" })
            let context = try await indicators("rol=context")
            #expect(context.contains { $0.id == "inwoners" } && context.allSatisfy { $0.rol == "context" })
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
                let items = try response.decode(BurdenController.BurdenBody.self).items
                let survey = try #require(items.first { $0.indicator == "kindmonitor_opvoeding_moeilijk" })
                #expect(survey.producent == "enquete")
                #expect(survey.minuten_per_respondent > 0)
                #expect(survey.gemarkeerd)
                let register = try #require(items.first { $0.indicator == "inwoners" })
                #expect(register.minuten_per_periode == 0)
                #expect(!register.gemarkeerd)
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
                let items = try response.decode(ListBody<ValueDTO>.self).items.map(\.observation)
                #expect(items.map(\.value) == [78.7, 83.1, 77.3])
                #expect(items.map(\.period) == ["2011", "2016", "2021"])
            }
        }
    }

    @Test func everyIndicatorInTheAPIIsComplete() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try response.decode(ListBody<IndicatorDTO>.self).items
                #expect(items.count >= 30)
                for item in items {
                    for (key, text) in [("id", item.id), ("naam", item.naam), ("definitie", item.definitie), ("eenheid", item.eenheid),
                                        ("peilmoment", item.peilmoment), ("polariteit", item.polariteit), ("lading", item.lading),
                                        ("leeftijd", item.leeftijd), ("toelichting", item.toelichting), ("afleiding", item.afleiding)] {
                        #expect(!text.isEmpty, "\(item.id).\(key)")
                    }
                    for (key, list) in [("sferen", item.sferen), ("perspectieven", item.perspectieven), ("kennisvragen", item.kennisvragen),
                                        ("gebruiksvoorbeelden", item.gebruiksvoorbeelden), ("kanttekeningen", item.kanttekeningen)] {
                        #expect(!list.isEmpty, "\(item.id).\(key)")
                    }
                    #expect(!item.bron.tabel.isEmpty, "\(item.id).bron.tabel")
                }
            }
        }
    }
}
