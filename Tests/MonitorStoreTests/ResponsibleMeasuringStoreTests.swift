import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Catalogus en verantwoord meten in de opslag")
struct ResponsibleMeasuringStoreTests {
    @Test(arguments: TestBackend.available) func theGGDKindmonitorTableIsARegionalDataSetWithThreePeriods(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let values = try await store.observations(ObservationQuery(indicator: "kindmonitor_lid_sportvereniging", areas: [AreaCode("GG2707")!])).items
        #expect(Dictionary(uniqueKeysWithValues: values.map { ($0.period, $0.value) }) == ["2011": 78.7, "2016": 83.1, "2021": 77.3])
        #expect(values.first { $0.period == "2021" }?.n == 79776)
    }

    @Test(arguments: TestBackend.available) func aDerivedWijkValueIsTheSumOfItsBuurtenNumeratorsOverTheSumOfTheirDenominators(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            // KWB 2023 buurten of WK0363AA (Haarlemmerbuurt), read from the bundled CSV, loaded for a period
            // in which the wijk itself has no figures: the wijk value must come from the buurten.
            let csv = try String(contentsOf: Fixtures.dataDirectory.appendingPathComponent("kwb/kwb_2023_gemeente_wijk_buurt.csv"), encoding: .utf8)
            let lines = csv.split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let code = header.firstIndex(of: "regio_code")!, bijstand = header.firstIndex(of: "personen_bijstand")!, inwoners = header.firstIndex(of: "inwoners")!
            var rows = ["gebied,personen_bijstand,inwoners"]
            var numerator = 0.0, denominator = 0.0
            for line in lines.dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard f[code].hasPrefix("BU0363AA"), let b = Double(f[bijstand]), let i = Double(f[inwoners]) else { continue }
                rows.append("\(f[code]),\(f[bijstand]),\(f[inwoners])")
                numerator += b
                denominator += i
            }
            #expect(rows.count > 3)
            let batch = try TidyImporter.parse(Data(rows.joined(separator: "\n").utf8), file: "buurten.csv", catalog: store.catalog, period: "2031")
            _ = try await store.importBatch(batch)
            let wijk = try #require(try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("WK0363AA")!], period: "2031")).items.first)
            #expect(wijk.origin == .berekend)
            #expect(wijk.numerator == numerator && wijk.denominator == denominator)
            #expect(abs(wijk.value! - numerator / denominator * 1000) < 1e-9)
            let count = try #require(try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("WK0363AA")!], period: "2031")).items.first)
            #expect(count.origin == .opgeteld && count.value == denominator)
        }
    }

    @Test(arguments: TestBackend.available) func coverageSaysDownToWhichLevelDataExist(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let coverage = try await store.coverage()
        #expect(coverage["inwoners"]?.contains(.buurt) == true)
        #expect(coverage["kindmonitor_lid_sportvereniging"] == [.ggdregio])
        #expect(coverage["leeftijd_0_15_pct"]?.contains(.wijk) == true)
    }

    @Test(arguments: TestBackend.available) func pageViewsAreCountedPerIndicator(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ async throws in
            try await store.recordPageView(indicator: "inwoners")
            try await store.recordPageView(indicator: "inwoners")
            try await store.recordPageView(indicator: "stedelijkheid")
            let usage = try await store.usage()
            #expect(usage["inwoners"]?.pageViews == 2)
            #expect(usage["stedelijkheid"]?.total == 1)
        }
    }
}
