import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Opslag met de gebundelde data")
struct LoadedStoreTests {
    @Test(arguments: TestBackend.available) func bundledFiguresComeBackExactly(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let page = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0363")!], period: "2023"))
        #expect(page.items.first?.value == 918117)
        let care = try await store.observations(ObservationQuery(indicator: "jeugdzorg_in_natura_pct", areas: [AreaCode("GM0363")!], period: "2023"))
        #expect(care.items.first?.value == 10.7)
        #expect(care.items.first?.numerator == 22555)
        #expect(care.items.first?.importID != nil)
    }

    @Test(arguments: TestBackend.available) func areasKnowTheirParents(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let amsterdam = try #require(try await store.area(AreaCode("GM0363")!))
        #expect(amsterdam.name == "Amsterdam")
        #expect(Set(amsterdam.parents.map(\.rawValue)) == ["PV27", "GG3406"])
        let wijken = try await store.children(of: AreaCode("GM0363")!, kind: .wijk)
        #expect(wijken.count > 90)
        #expect(wijken.contains { $0.code.rawValue == "WK0363AA" && $0.name == "Haarlemmerbuurt" })
        let buurt = try #require(try await store.area(AreaCode("BU0363AA01")!))
        #expect(buurt.parents == [AreaCode("WK0363AA")!])
    }

    @Test(arguments: TestBackend.available) func formulaValuesAreComputedFromNumeratorAndDenominator(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let value = try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("WK0363AA")!], period: "2023")).items.first
        // KWB 2023, WK0363AA: 260 persons with bijstand, 9,135 inhabitants.
        #expect(value?.origin == .berekend)
        #expect(abs((value?.value ?? 0) - 260.0 / 9135.0 * 1000) < 1e-9)
        let households = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0363")!], period: "2023")).items.first
        #expect(abs((households?.value ?? 0) - 117086.0 / 505705.0 * 100) < 1e-9)
    }

    @Test(arguments: TestBackend.available) func countsAreSummedForLargerAreasWithoutALoadedValue(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        // KWB 2024 has gemeenten and wijken but no Nederland: the provincie Groningen sums its loaded gemeenten.
        let groningen = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0014")!], period: "2024")).items.first
        #expect(groningen?.value == 243768)
        #expect(groningen?.origin == .geladen)
        let loaded2023 = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [.nederland], period: "2023")).items.first
        #expect(loaded2023?.value == 17811291)
        #expect(loaded2023?.origin == .geladen)
    }

    @Test(arguments: TestBackend.available) func aSuppressedIncomeIsNeverANumber(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        // BU0363AA01 (345 inhabitants): CBS kept the income secret; the bundled file has an empty cell.
        let income = try await store.observations(ObservationQuery(indicator: "gestandaardiseerd_inkomen_hh", areas: [AreaCode("BU0363AA01")!], period: "2023")).items.first
        #expect(income?.status == .onbekend)
        #expect(income?.value == nil)
    }

    @Test(arguments: TestBackend.available) func smallCountsAreSuppressedOnTheWayOut(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let small = try await store.observations(ObservationQuery(indicator: "personen_bijstand", areaKind: .buurt, withinGemeente: AreaCode("GM0363")!, period: "2023")).items
        #expect(!small.isEmpty)
        for observation in small where observation.status == .waarde {
            #expect((observation.value ?? 0) >= 10 || observation.value == 0)
        }
    }

    @Test(arguments: TestBackend.available) func smallNumbersImportedByAUserNeverLeaveTheStore(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let csv = "indicator,gebied,periode,waarde,n\npersonen_bijstand,BU0363AA01,2030,4,\njeugdzorg_in_natura_pct,BU0363AA01,2030,12.5,8\njeugdzorg_in_natura_pct,BU0363AA02,2030,12.5,80\n"
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "klein.csv", catalog: store.catalog, period: nil))
            let all = try await store.observations(ObservationQuery(period: "2030")).items
            let count = try #require(all.first { $0.indicator == "personen_bijstand" && $0.area.rawValue == "BU0363AA01" })
            #expect(count.status == .geheim && count.value == nil && count.suppressionReason == PrivacyPolicy.suppressedLabel)
            let rate = try #require(all.first { $0.indicator == "jeugdzorg_in_natura_pct" && $0.area.rawValue == "BU0363AA01" })
            #expect(rate.status == .geheim && rate.value == nil)
            let enough = try #require(all.first { $0.indicator == "jeugdzorg_in_natura_pct" && $0.area.rawValue == "BU0363AA02" })
            #expect(enough.value == 12.5)
        }
    }

    @Test(arguments: TestBackend.available) func everyImportIsRecordedWithItsFingerprint(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let imports = try await store.imports()
        #expect(imports.count == 4)
        #expect(imports.allSatisfy { $0.sha256.count == 64 && $0.note == BundledData.attribution })
        #expect(imports.map(\.fileName).contains("data/kwb/kwb_2023_gemeente_wijk_buurt.csv"))
    }
}
