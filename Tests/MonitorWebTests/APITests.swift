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
                let json = try response.json()
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items[0]["waarde"] as? Double == 918117)
                #expect(items[0]["status"] as? String == "waarde")
                #expect(items[0]["indicator"] as? String == "inwoners")
                #expect(items[0]["gebied"] as? String == "GM0363")
                #expect(items[0]["periode"] as? String == "2023")
                #expect(json["ok"] as? Bool == true)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=jeugdzorg_in_natura_pct&gebied=GM0363&periode=2023", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.first?["waarde"] as? Double == 10.7)
            }
        }
    }

    @Test func aValueWithoutANumberIsNullWithItsStatus() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=gestandaardiseerd_inkomen_hh&gebied=BU0363AA01&periode=2023", method: .get) { response in
                #expect(response.text.contains("\"waarde\":null"))
                #expect(response.text.contains("\"status\":\"onbekend\""))
            }
        }
    }

    @Test func waardenIsPagedWithANextURL() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&limit=5", method: .get) { response in
                let json = try response.json()
                #expect((json["items"] as? [Any])?.count == 5)
                #expect((json["total"] as? Int ?? 0) > 5)
                #expect((json["next_url"] as? String)?.contains("offset=5") == true)
            }
        }
    }

    @Test func profilesAndIndicatorsHaveJSONTwins() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/gemeenten/GM0363", method: .get) { response in
                let json = try response.json()
                #expect((json["gebied"] as? [String: Any])?["naam"] as? String == "Amsterdam")
                #expect(((json["deelgebieden"] as? [Any])?.count ?? 0) > 90)
                #expect(((json["waarden"] as? [Any])?.count ?? 0) > 10)
            }
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count >= 10)
                for item in items {
                    for key in ["naam", "definitie", "toelichting", "peilmoment", "leeftijd"] {
                        #expect(!((item[key] as? String) ?? "").isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                }
            }
            try await client.execute(uri: "/api/v1/indicatoren/bijstand_per_1000", method: .get) { response in
                let json = try response.json()
                #expect(((json["indicator"] as? [String: Any])?["formule"] as? [String: Any])?["noemer"] as? String == "inwoners")
                #expect((json["gemeenten"] as? [Any])?.count == 3)
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
                    let json = try response.json()
                    #expect(json["ok"] as? Bool == false)
                    #expect(json["status"] as? Int == Int(response.status.code))
                    #expect(!((json["error"] as? String) ?? "").isEmpty)
                    #expect((json["errors"] as? [String])?.isEmpty == false)
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
                        let json = try response.json()
                        #expect(json["ok"] as? Bool == false, "\(path)")
                        #expect(json["status"] as? Int == Int(response.status.code), "\(path)")
                        #expect(!((json["error"] as? String) ?? "").isEmpty, "\(path)")
                        #expect((json["errors"] as? [String])?.isEmpty == false, "\(path)")
                    }
                }
            }
            let gemeenteLists: [SiteRoute] = [.apiDialogues("GM0363"), .apiConversationBoard("GM0363"), .apiInterventions("GM0363"), .apiNetworks("GM0363"),
                                              .apiFacilities("GM0363"), .apiQuestionnaires("GM0363"), .apiLocalIndicators("GM0363")]
            for route in gemeenteLists {
                try await client.execute(uri: route.path, method: .get) { response in
                    #expect(response.status == .ok, "\(route.path)")
                    let json = try response.json()
                    #expect(json["ok"] as? Bool == true && json["gemeente"] as? String == "GM0363" && json["naam"] as? String == "Amsterdam", "\(route.path)")
                    let items = json["items"] as? [Any]
                    #expect(items != nil && json["total"] as? Int == items?.count, "\(route.path): items and total")
                }
            }
        }
    }

    @Test func healthAndVersionAnswer() async throws {
        try await withApp { client in
            try await client.execute(uri: "/-/health", method: .get) { response in
                let json = try response.json()
                #expect(json["ok"] as? Bool == true)
            }
            try await client.execute(uri: "/-/version", method: .get) { response in
                let json = try response.json()
                #expect(json["versie"] as? String != nil)
            }
        }
    }
}
