import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("JSON-API")
struct APITests {
    @Test func waardenGivesTheValuesOfTheChecks() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023", method: .get) { response in
                let list = try response.decode(ListBody<ValueDTO>.self)
                #expect(list.ok && list.items.count == 1 && list.total == 1)
                let figure = try #require(list.items.first?.observation)
                #expect(figure.value == 918117 && figure.status == .waarde)
                #expect(figure.key == ObservationKey(indicator: "inwoners", area: AreaCode("GM0363")!, period: "2023"))
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=jeugdzorg_in_natura_pct&gebied=GM0363&periode=2023", method: .get) { response in
                let list = try response.decode(ListBody<ValueDTO>.self)
                #expect(list.items.first?.observation.value == 10.7)
            }
        }
    }

    @Test func aValueWithoutANumberIsNullWithItsStatus() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=gestandaardiseerd_inkomen_hh&gebied=BU0363AA01&periode=2023", method: .get) { response in
                #expect(response.text.contains("\"waarde\":null"), "null is written, not left out")
                let figure = try #require(try response.decode(ListBody<ValueDTO>.self).items.first?.observation)
                #expect(figure.value == nil && figure.status == .onbekend)
            }
        }
    }

    @Test func waardenIsPagedWithANextURL() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&limit=5", method: .get) { response in
                let page = try response.decode(ListBody<ValueDTO>.self)
                #expect(page.items.count == 5 && page.limit == 5 && page.offset == 0)
                #expect(page.total > 5)
                #expect(page.next_url?.contains("offset=5") == true)
            }
        }
    }

    @Test func profilesAndIndicatorsHaveJSONTwins() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/gemeenten/GM0363", method: .get) { response in
                let profile = try response.decode(AreaController.AreaBody.self)
                #expect(profile.gebied.naam == "Amsterdam" && profile.gebied.soort == "gemeente")
                #expect(profile.deelgebieden.count > 90)
                #expect(profile.waarden.count > 10 && profile.waarden.allSatisfy { $0.observation.area.rawValue == "GM0363" })
            }
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try response.decode(ListBody<IndicatorDTO>.self).items
                #expect(items.count >= 10)
                for item in items {
                    for (key, text) in [("naam", item.naam), ("definitie", item.definitie), ("toelichting", item.toelichting),
                                        ("peilmoment", item.peilmoment), ("leeftijd", item.leeftijd)] {
                        #expect(!text.isEmpty, "\(item.id).\(key)")
                    }
                }
            }
            try await client.execute(uri: "/api/v1/indicatoren/bijstand_per_1000", method: .get) { response in
                let body = try response.decode(IndicatorController.IndicatorBody.self)
                #expect(body.indicator.formule?.noemer == "inwoners")
                #expect(body.gemeenten.count == 3)
            }
        }
    }

    @Test func everyAPIRouteAnswersErrorsInOneShape() async throws {
        try await withApp { client in
            let bad = ["/api/v1/gemeenten/GM9999", "/api/v1/wijken/WK99999999", "/api/v1/buurten/nope", "/api/v1/indicatoren/nope",
                       "/api/v1/waarden?indicator=nope", "/api/v1/waarden?gebied=Amsterdam", "/api/v1/waarden?limit=0",
                       "/api/v1/waarden?offset=-1", "/api/v1/waarden?gebied=GM9999", "/api/v1/indicatoren/inwoners?periode=1999",
                       "/api/v1/bestaat-niet"]
            for path in bad {
                try await client.execute(uri: path, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(path)")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                    let error = try response.decode(ErrorBody.self)
                    #expect(!error.ok && error.status == Int(response.status.code), "\(path)")
                    #expect(!error.error.isEmpty && !error.errors.isEmpty, "\(path)")
                }
            }
        }
    }

    /// Every `/api/v1` route, taken from the route table (so a new one is walked too): asked about a gemeente, area, indicator
    /// or record that does not exist, or with a parameter that cannot be right, it answers in the one error shape; and
    /// every list of a gemeente's records has the one list shape (`items`, `total`).
    @Test func everyAPIRouteInTheRouteTableAnswersInTheSharedShapes() async throws {
        try await withApp { client in
            for pattern in SiteRoute.Pattern.allCases where pattern.rawValue.hasPrefix("/api/v1/") && pattern != .apiOpenAPI {
                let wrong = pattern.rawValue.replacingOccurrences(of: "{code}", with: "GM9999").replacingOccurrences(of: "{id}", with: "bestaat_niet")
                let badParameter = pattern.rawValue.replacingOccurrences(of: "{code}", with: "GM0363").replacingOccurrences(of: "{id}", with: "inwoners")
                    + "?limit=0&offset=-1&indicator=bestaat_niet&gebied=Amsterdam&niveau=maan&periode=1800&q=&versie=0&k=0&term=&gemeente=XX"
                for path in [wrong, badParameter] where path.contains("GM9999") || path.contains("bestaat_niet") || path.contains("?") {
                    try await client.execute(uri: path, method: .get) { response in
                        guard response.status != .ok else { return }  // a route without parameters that could be wrong
                        #expect([.notFound, .badRequest].contains(response.status), "\(path): \(response.status)")
                        #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                        let error = try response.decode(ErrorBody.self)
                        #expect(!error.ok && error.status == Int(response.status.code), "\(path)")
                        #expect(!error.error.isEmpty && !error.errors.isEmpty, "\(path)")
                    }
                }
            }
            // Each list of a gemeente's records decodes into the one list type with its own item type.
            func expectGemeenteList<Item: Codable & Sendable>(_ route: SiteRoute, _ item: Item.Type) async throws {
                try await client.execute(uri: route.path, method: .get) { response in
                    #expect(response.status == .ok, "\(route.path)")
                    let list = try response.decode(GemeenteListBody<Item>.self)
                    #expect(list.ok && list.gemeente == "GM0363" && list.naam == "Amsterdam", "\(route.path)")
                    #expect(list.total == list.items.count, "\(route.path): items and total")
                }
            }
            try await expectGemeenteList(.apiDialogues("GM0363"), DialogueJSON.self)
            try await expectGemeenteList(.apiInterventions("GM0363"), InterventionJSON.self)
            try await expectGemeenteList(.apiNetworks("GM0363"), NetworkJSON.self)
            try await expectGemeenteList(.apiQuestionnaires("GM0363"), QuestionnaireJSON.self)
            try await expectGemeenteList(.apiLocalIndicators("GM0363"), IndicatorDTO.self)
            // These two add fields to the shared head: the board's question, the register's indicators.
            try await client.execute(uri: SiteRoute.apiConversationBoard("GM0363").path, method: .get) { response in
                let board = try response.decode(ConversationBoardJSON.self)
                #expect(board.ok && board.gemeente == "GM0363" && board.total == board.items.count && !board.vraag.isEmpty)
            }
            try await client.execute(uri: SiteRoute.apiFacilities("GM0363").path, method: .get) { response in
                let register = try response.decode(FacilityListJSON.self)
                #expect(register.ok && register.gemeente == "GM0363" && register.total == register.items.count)
            }
        }
    }

    @Test func healthAndVersionAnswer() async throws {
        try await withApp { client in
            try await client.execute(uri: "/-/health", method: .get) { response in
                let health = try response.decode(OperatorController.Health.self)
                #expect(health.ok && !health.database.isEmpty)
            }
            try await client.execute(uri: "/-/version", method: .get) { response in
                let version = try response.decode(OperatorController.Version.self)
                #expect(version.versie == Release.version)
            }
        }
    }
}
