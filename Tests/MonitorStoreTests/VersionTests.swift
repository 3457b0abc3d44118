import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import SQLKit
import Testing

/// A clock the test moves: imports are stamped with its time.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ iso: String) { current = ISO8601DateFormatter().date(from: iso)! }

    func set(_ iso: String) { lock.withLock { current = ISO8601DateFormatter().date(from: iso)! } }
    var now: Date { lock.withLock { current } }
}

@Suite("Versies van cijfers")
struct VersionTests {
    static let gm0088 = AreaCode("GM0088")!

    /// A store with the bundled test gemeenten, loaded at the clock's time.
    func withStore(_ backend: TestBackend, clock: TestClock, _ body: (SQLStore, URL) async throws -> Void) async throws {
        try await TestStore.withLoadedStore(backend, clock: { clock.now }, body)
    }

    func inwoners(_ store: SQLStore, _ versions: VersionSelection = .current) async throws -> [Observation] {
        try await store.observations(ObservationQuery(indicator: "inwoners", areas: [Self.gm0088], period: "2023", versions: versions)).items
    }

    @Test(arguments: TestBackend.available) func aCorrectedImportAddsAVersionAndKeepsTheEarlierOne(_ backend: TestBackend) async throws {
        let clock = TestClock("2026-01-10T09:00:00Z")
        try await withStore(backend, clock: clock) { store, _ in
            let original = try #require(try await inwoners(store).first)
            #expect(original.version == 1)
            clock.set("2026-03-15T14:30:00Z")
            let corrected = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0088,2023,1234\n".utf8),
                                                   file: "correctie.csv", catalog: store.catalog, period: nil)
            let report = try await store.importBatch(corrected)
            #expect(report.versions == VersionCounts(new: 0, revised: 1, unchanged: 0, withdrawn: 0))
            #expect(report.derivedVersions.revised > 0, "rates with inwoners as noemer and the sums above GM0088 change too")

            let current = try #require(try await inwoners(store).first)
            #expect(current.value == 1234)
            #expect(current.version == 2)
            #expect(current.recordedAt?.hasPrefix("2026-03-15") == true)
            #expect(current.supersededAt == nil)

            let all = try await inwoners(store, .all)
            #expect(all.map(\.version) == [1, 2])
            #expect(all[0].value == original.value, "the earlier value is kept as it was")
            #expect(all[0].supersededAt?.hasPrefix("2026-03-15") == true)
            #expect(try await inwoners(store, .number(1)).first?.value == original.value)

            // A rate computed from inwoners has a new version as well.
            let rate = try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [Self.gm0088], period: "2023", versions: .all)).items
            #expect(rate.count == 2)
            #expect(rate.last?.denominator == 1234)
        }
    }

    @Test(arguments: TestBackend.available) func aPeildatumGivesTheFiguresAsTheMonitorKnewThem(_ backend: TestBackend) async throws {
        let clock = TestClock("2026-01-10T09:00:00Z")
        try await withStore(backend, clock: clock) { store, _ in
            let original = try #require(try await inwoners(store).first?.value)
            clock.set("2026-03-15T14:30:00Z")
            _ = try await store.importBatch(try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0088,2023,1234\n".utf8),
                                                                   file: "correctie.csv", catalog: store.catalog, period: nil))
            #expect(try await inwoners(store, .asOf(ReferenceDate("2026-01-09")!)).isEmpty, "before the first import nothing was known")
            #expect(try await inwoners(store, .asOf(ReferenceDate("2026-01-10")!)).first?.value == original)
            #expect(try await inwoners(store, .asOf(ReferenceDate("2026-03-14")!)).first?.value == original)
            #expect(try await inwoners(store, .asOf(ReferenceDate("2026-03-15")!)).first?.value == 1234)
            #expect(try await inwoners(store, .asOf(ReferenceDate("2027-01-01")!)).first?.value == 1234)
        }
    }

    @Test(arguments: TestBackend.available) func importingTheSameFileAgainWritesNothing(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv"))
            let batch = try Importer.parse(data, file: "kwb-2022.csv", catalog: store.catalog, period: "2022")
            let first = try await store.importBatch(batch)
            #expect(first.versions.new == batch.observations.count)
            let count = try await store.observationCount()
            let again = try await store.importBatch(batch)
            #expect(again.versions == VersionCounts(new: 0, revised: 0, unchanged: batch.observations.count, withdrawn: 0))
            #expect(again.derivedVersions.new + again.derivedVersions.revised + again.derivedVersions.withdrawn == 0)
            #expect(try await store.observationCount() == count)
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    @Test(arguments: TestBackend.available) func aLoadedWijkValueReplacesItsSumAsANewVersion(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            // WK008800's inwoners for 2024 are loaded; for 2023 there is a buurt level, so check a summed figure.
            let summed = try await store.observations(ObservationQuery(indicator: "inwoners", areaKind: .provincie, period: "2023")).items
            let province = try #require(summed.first { $0.origin == .opgeteld })
            let batch = try TidyImporter.parse(Data("gebied,periode,inwoners\n\(province.area.rawValue),2023,5\n".utf8),
                                               file: "provincie.csv", catalog: store.catalog, period: nil)
            let report = try await store.importBatch(batch)
            #expect(report.versions.revised == 1)
            let all = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [province.area], period: "2023", versions: .all)).items
            #expect(all.map(\.origin) == [.opgeteld, .geladen])
            #expect(all.last?.value == nil, "5 persons is below the privacy threshold")
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    @Test(arguments: TestBackend.available) func theDatabaseRefusesToChangeAFigureInPlace(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, path async throws in
            let before = try await store.observationCount()
            let connector = try TestStore.connector(backend, location: path)
            do {
                try await connector.transaction { db in
                    try await db.raw("UPDATE observations SET value = 1 WHERE indicator = 'inwoners' AND period = '2023'").run()
                }
                Issue.record("an update of a value must be refused")
            } catch {
                #expect(String(describing: error).contains("never changed in place"))
            }
            do {
                try await connector.transaction { db in
                    try await db.raw("UPDATE observations SET superseded_by = 1 WHERE indicator = 'inwoners' AND period = '2023'").run()
                    try await db.raw("UPDATE observations SET superseded_by = 2 WHERE indicator = 'inwoners' AND period = '2023'").run()
                }
                Issue.record("a closed version must stay closed")
            } catch {
                #expect(String(describing: error).contains("stays as it was"))
            }
            await connector.close()
            #expect(try await store.observationCount() == before)
            #expect(try await store.integrityCheck() == "ok")
        }
    }
}

@Suite("Peildatum")
struct ReferenceDateTests {
    @Test func aPeildatumIsAValidDayAndEndsAtMidnight() {
        #expect(ReferenceDate("2026-11-29")?.exclusiveBound == "2026-11-30")
        #expect(ReferenceDate("2026-12-31")?.exclusiveBound == "2027-01-01")
        #expect(ReferenceDate("2024-02-28")?.exclusiveBound == "2024-02-29")
        #expect(ReferenceDate("2026-02-30") == nil)
        #expect(ReferenceDate("29-11-2026") == nil)
        #expect(ReferenceDate("2026-1-5") == nil)
        #expect(ReferenceDate("gisteren") == nil)
    }
}
