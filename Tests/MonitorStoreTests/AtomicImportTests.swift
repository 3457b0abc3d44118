import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Importeren is atomair")
struct AtomicImportTests {
    @Test func anImportWithAnUnknownAreaLeavesTheDatabaseFileByteIdentical() async throws {
        try await TestStore.withLoadedStore { store, path async throws in
            let catalog = store.catalog
            let before = try Data(contentsOf: path)
            let count = try await store.observationCount()
            // Valid shape, but GM9999 does not exist: rejected inside the transaction, rolled back.
            let batch = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0363,2030,1000\nGM9999,2030,5\n".utf8),
                                               file: "onbekend.csv", catalog: catalog, period: nil)
            do {
                _ = try await store.importBatch(batch)
                Issue.record("verwacht een ImportError")
            } catch let error as ImportError {
                #expect(error.line == 3)
                #expect(error.found == "GM9999")
            }
            #expect(try await store.observationCount() == count)
            #expect(try await store.imports().count == 4)
            #expect(try Data(contentsOf: path) == before)
        }
    }

    @Test(arguments: TestBackend.available) func anImportWithAnUnknownAreaChangesNothing(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let count = try await store.observationCount()
            let imports = try await store.imports().count
            let batch = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0363,2030,1000\nGM9999,2030,5\n".utf8),
                                               file: "onbekend.csv", catalog: store.catalog, period: nil)
            await #expect(throws: ImportError.self) { try await store.importBatch(batch) }
            #expect(try await store.observationCount() == count)
            #expect(try await store.imports().count == imports)
        }
    }

    @Test(arguments: TestBackend.available) func aGoodImportLandsWholeAndRecomputesDerivedFigures(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let batch = try TidyImporter.parse(Data("gebied;inwoners;personen_bijstand\nGM0088;1000;20\n".utf8),
                                               file: "correctie.csv", catalog: store.catalog, period: "2030")
            let report = try await store.importBatch(batch)
            #expect(report.record.valueCount == 2)
            #expect(report.derivedCount > 0)
            let rate = try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("GM0088")!], period: "2030")).items.first
            #expect(rate?.value == 20)
            #expect(rate?.importID == report.record.id)
        }
    }

    @Test(arguments: TestBackend.available) func aLoadedValueReplacesAComputedOne(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let before = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0088")!], period: "2023")).items.first
            #expect(before?.origin == .berekend)
            // A formula indicator cannot be imported directly, so load its inputs for a new period and then check the origin.
            let batch = try TidyImporter.parse(Data("indicator,gebied,periode,waarde\nhuishoudens_met_kinderen,GM0088,2023,100\n".utf8),
                                               file: "herzien.csv", catalog: store.catalog, period: nil)
            _ = try await store.importBatch(batch)
            let after = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0088")!], period: "2023")).items.first
            #expect(after?.origin == .berekend)
            #expect(after?.numerator == 100)
        }
    }
}
