import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

@Suite("Jeugdzorg: werkelijk en verwacht")
struct ExpectedCareWebTests {
    @Test func amsterdamsWijkenGetThreeMapsATableAndTheCaveat() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/jeugdzorg/verwacht?gemeente=GM0363", method: .get)
            #expect(page.status == .ok)
            for id in ["werkelijk", "verwacht", "verschil"] { #expect(page.text.contains(#"aria-labelledby="\#(id)-title" class="map""#), "\(id) map") }
            #expect(page.text.contains("zegt niet of beleid goed of slecht is"), "SCP's caveat")
            #expect(page.text.contains("Haarlemmerbuurt") && page.text.contains("95%-voorspellingsinterval"))
            #expect(page.text.contains("/api/v1/jeugdzorg/verwacht?niveau=wijk&amp;gemeente=GM0363"), "the JSON twin is linked")

            let json = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?niveau=wijk&gemeente=GM0363", method: .get).json()
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count > 50, "Amsterdam's wijken with every characteristic")
            var withActual = 0
            for item in items {
                let expected = try #require(item["verwacht"] as? Double)
                let lower = try #require(item["ondergrens"] as? Double), upper = try #require(item["bovengrens"] as? Double)
                #expect(lower < expected && expected < upper)
                #expect((item["gebied"] as? String)?.hasPrefix("WK0363") == true)
                if let actual = item["werkelijk"] as? Double {
                    withActual += 1
                    #expect(abs((item["verschil"] as? Double ?? .nan) - (actual - expected)) < 1e-9)
                    #expect((item["buiten_interval"] as? Bool) == (actual < lower || actual > upper))
                }
            }
            #expect(withActual > 40)
            #expect((json["kanttekening"] as? String)?.contains("niet als oordeel") == true)

            let gemeenten = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?niveau=gemeente", method: .get).json()
            let codes = (gemeenten["items"] as? [[String: Any]] ?? []).compactMap { $0["gebied"] as? String }
            #expect(Set(codes) == Fixtures.testGemeenten, "every gemeente with wijken in the model")
            let all = try await client.execute(uri: "/jeugdzorg/verwacht", method: .get)
            #expect(all.status == .ok && all.text.contains("alle gemeenten") && all.text.contains(#"aria-labelledby="verschil-title""#))
        }
    }

    @Test func theMethodsPageAndJSONShowTheModelWithItsFit() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/jeugdzorg/model", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("marginale R²") && page.text.contains("Standaardfout") && page.text.contains("REML"))
            #expect(page.text.contains("Bijstandsontvangers per 1.000 inwoners"))
            let json = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).json()
            let coefficients = try #require(json["coefficienten"] as? [[String: Any]])
            #expect(coefficients.count == ExpectedCareModel.variables.count + 1)
            #expect(coefficients.allSatisfy { ($0["standaardfout"] as? Double ?? 0) > 0 })
            #expect((json["n"] as? Int ?? 0) > 50 && json["gemeenten"] as? Int == 3)
            #expect((json["r2_marginaal"] as? Double).map { $0 > 0 && $0 < 1 } == true)
        }
    }

    @Test func badParametersAreExplained() async throws {
        try await withApp { client in
            let level = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?niveau=buurt", method: .get)
            #expect(level.status == .badRequest && level.text.contains("kies gemeente of wijk"))
            let wijk = try await client.execute(uri: "/jeugdzorg/verwacht?gemeente=WK036300", method: .get)
            #expect(wijk.status == .badRequest)
            let unknown = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?gemeente=GM9999", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func importingNewFiguresRefitsTheModel() async throws {
        try await TestStore.withLoadedStore { store, _ in
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                let before = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).json()
                let csv = "indicator,gebied,periode,waarde,n\njeugdzorg_in_natura_pct,WK0363AA,2023,31.5,400\njeugdzorg_in_natura_pct,WK0363AB,2023,0.5,400\n"
                _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "correctie.csv", catalog: store.catalog, period: nil))
                let after = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).json()
                let b = (before["coefficienten"] as? [[String: Any]] ?? []).compactMap { $0["schatting"] as? Double }
                let a = (after["coefficienten"] as? [[String: Any]] ?? []).compactMap { $0["schatting"] as? Double }
                #expect(b.count == a.count && b != a, "a corrected figure gives a new model")
                let wijk = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?gemeente=GM0363", method: .get).json()
                let item = (wijk["items"] as? [[String: Any]] ?? []).first { $0["gebied"] as? String == "WK0363AA" }
                #expect(item?["werkelijk"] as? Double == 31.5)
            }
        }
    }
}
