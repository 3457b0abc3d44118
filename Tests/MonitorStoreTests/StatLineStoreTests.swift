import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("CBS-import in de opslag")
struct StatLineStoreTests {
    @Test(arguments: TestBackend.available) func unknownRegionCodesBecomeAreasWithTheirParentFromTheCode(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv"))
            let report = try await store.importBatch(try Importer.parse(data, file: "kwb-2022.csv", catalog: store.catalog, period: "2022"))
            // Amsterdam's wijk codes carry letters (WK0363AA); WK036300, its buurt and WK0363ZZ are new here.
            #expect(Set(report.newAreas) == [AreaCode("WK036300")!, AreaCode("BU03630000")!, AreaCode("WK0363ZZ")!])
            let wijk = try #require(try await store.area(AreaCode("WK0363ZZ")!))
            #expect(wijk.parents == [AreaCode("GM0363")!])
            let buurt = try #require(try await store.area(AreaCode("BU03630000")!))
            #expect(buurt.parents == [AreaCode("WK036300")!], "its wijk is new in the same file")
            let amsterdam = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0363")!], period: "2022")).items
            #expect(amsterdam.first?.value == 882633)
            let perIndicator = Dictionary(uniqueKeysWithValues: report.perIndicator.map { ($0.indicator, $0) })
            #expect(perIndicator["jeugdzorg_in_natura_pct"]?.withoutNumber == 2)
            // Derived for the new year too: households with children in 2022.
            let share = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0363")!], period: "2022")).items.first
            #expect(abs((share?.value ?? 0) - 114450.0 / 492770.0 * 100) < 1e-9)
        }
    }
}
