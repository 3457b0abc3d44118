import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Foutmarges op het profiel")
struct MarginPageTests {
    @Test func aPageWithAConfidenceIntervalMarksOnlyDifferencesOutsideTheMargin() async throws {
        try await TestStore.withLoadedStore { store, _ async throws in
            // A survey figure with a margin: Nederland (10,9%) lies inside it, the peer median does not.
            let csv = """
                indicator,gebied,periode,waarde,n,ondergrens,bovengrens
                jeugdzorg_in_natura_pct,GM0014,2023,11.2,800,10.1,12.3
                """
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "marge.csv", catalog: store.catalog, period: nil))
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                try await client.execute(uri: "/gemeenten/GM0014", method: .get) { response in
                    let html = response.text
                    let row = try #require(html.range(of: "Jongeren met jeugdzorg in natura (%)</a></th>"))
                    let cells = String(html[row.upperBound...].prefix(1500))
                    #expect(cells.contains("verschil met Nederland valt binnen de foutmarge"))
                    #expect(!cells.contains("hoger dan Nederland"))
                }
            }
        }
    }
}
