import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Jeugdzorg: werkelijk en verwacht")
struct ExpectedCareWebTests {
    @Test func amsterdamsWijkenGetThreeMapsATableAndTheCaveat() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/jeugdzorg/verwacht?gemeente=GM0363", method: .get)
            #expect(page.status == .ok)
            // Each map is a picture beside its table (hidden from screen readers, its areas no tab stops), with a legend in HTML.
            for id in ["werkelijk", "verwacht", "verschil"] { #expect(page.text.contains(#"id="\#(id)-legenda""#), "\(id) map") }
            #expect(page.text.components(separatedBy: #"aria-hidden="true" focusable="false" class="map""#).count - 1 == 3)
            #expect(page.text.contains(#"<a href="/wijken/WK0363AA" tabindex="-1">"#), "a mouse can click an area; Tab passes it")
            #expect(page.text.contains(#"<td><a href="/wijken/WK0363AA">"#), "the table carries the same link for everyone")
            #expect(page.text.contains(##"<a href="#na-de-tabel">Sla de tabel met "##) && page.text.contains(#"id="na-de-tabel""#),
                    "keyboard users can pass the long table in one step")
            #expect(page.text.contains("zegt niet of beleid goed of slecht is"), "SCP's caveat")
            #expect(page.text.contains("Haarlemmerbuurt") && page.text.contains("95%-voorspellingsinterval"))
            #expect(page.text.contains("/api/v1/jeugdzorg/verwacht?niveau=wijk&amp;gemeente=GM0363"), "the JSON twin is linked")

            let body = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?niveau=wijk&gemeente=GM0363", method: .get)
                .decode(ExpectedCareBody.self)
            #expect(body.items.count > 50 && body.total == body.items.count, "Amsterdam's wijken with every characteristic")
            var withActual = 0
            for item in body.items {
                #expect(item.ondergrens < item.verwacht && item.verwacht < item.bovengrens)
                #expect(item.gebied.hasPrefix("WK0363"))
                if let actual = item.werkelijk {
                    withActual += 1
                    #expect(abs((item.verschil ?? .nan) - (actual - item.verwacht)) < 1e-9)
                    #expect(item.buiten_interval == (actual < item.ondergrens || actual > item.bovengrens))
                }
            }
            #expect(withActual > 40)
            #expect(body.kanttekening.contains("niet als oordeel"))

            let gemeenten = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?niveau=gemeente", method: .get).decode(ExpectedCareBody.self)
            let codes = gemeenten.items.map(\.gebied)
            #expect(Set(codes) == Fixtures.testGemeenten, "every gemeente with wijken in the model")
            let all = try await client.execute(uri: "/jeugdzorg/verwacht", method: .get)
            #expect(all.status == .ok && all.text.contains("alle gemeenten") && all.text.contains(#"id="verschil-legenda""#))
        }
    }

    @Test func theMethodsPageAndJSONShowTheModelWithItsFit() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/jeugdzorg/model", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("marginale R²") && page.text.contains("Standaardfout") && page.text.contains("REML"))
            #expect(page.text.contains("Bijstandsontvangers per 1.000 inwoners"))
            let model = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).decode(CareModelBody.self)
            #expect(model.coefficienten.count == ExpectedCareModel.variables.count + 1)
            #expect(model.coefficienten.allSatisfy { $0.standaardfout > 0 })
            #expect(model.n > 50 && model.gemeenten == 3)
            #expect(model.r2_marginaal.map { $0 > 0 && $0 < 1 } == true)
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
                let before = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).decode(CareModelBody.self)
                let csv = "indicator,gebied,periode,waarde,n\njeugdzorg_in_natura_pct,WK0363AA,2023,31.5,400\njeugdzorg_in_natura_pct,WK0363AB,2023,0.5,400\n"
                _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "correctie.csv", catalog: store.catalog, period: nil))
                let after = try await client.execute(uri: "/api/v1/jeugdzorg/model", method: .get).decode(CareModelBody.self)
                let b = before.coefficienten.map(\.schatting), a = after.coefficienten.map(\.schatting)
                #expect(b.count == a.count && b != a, "a corrected figure gives a new model")
                let wijk = try await client.execute(uri: "/api/v1/jeugdzorg/verwacht?gemeente=GM0363", method: .get).decode(ExpectedCareBody.self)
                #expect(wijk.items.first { $0.gebied == "WK0363AA" }?.werkelijk == 31.5)
            }
        }
    }
}
