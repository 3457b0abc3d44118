import Foundation
import Monitor
@testable import MonitorStore
import MonitorTestSupport
import Testing

/// Issue 17, finding 3: an attacker with only what the store gives out (the API's view) tries to recompute
/// hidden counts — percentage × denominator, parent minus children over every level, and older versions.
@Suite("Aanvaller op de gebundelde data")
struct DisclosureAttackTests {
    /// What a visitor sees of one indicator in one period: every area's figure, after the store's rules.
    static func visible(_ store: SQLStore, _ indicator: String, _ period: String, versions: VersionSelection = .current) async throws -> [Observation] {
        try await store.observations(ObservationQuery(indicator: indicator, period: period, versions: versions)).items
    }

    @Test(arguments: TestBackend.available) func noRatioOfAPersonsCountRevealsACountUnderTen(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        var checked = 0
        for indicator in store.catalog.indicators where store.catalog.numeratorIsPersons(indicator) {
            guard let formula = indicator.formula, let denominator = store.catalog[formula.denominator] else { continue }
            for period in try await store.periods(indicator: indicator.id) {
                let ratios = try await Self.visible(store, indicator.id, period)
                let denominators = Dictionary(try await Self.visible(store, denominator.id, period).compactMap { o in o.value.map { (o.area, $0) } },
                                              uniquingKeysWith: { a, _ in a })
                let counts = Dictionary(try await Self.visible(store, formula.numerator, period).map { ($0.area, $0) }, uniquingKeysWith: { a, _ in a })
                for ratio in ratios {
                    guard let value = ratio.value, let bottom = ratio.denominator ?? denominators[ratio.area] else { continue }
                    let implied = value * bottom / formula.factor
                    checked += 1
                    #expect(!(implied > 0.5 && implied < 9.5), "\(indicator.id) \(ratio.area) \(period): \(value) × \(bottom) geeft \(implied)")
                    // A hidden count is never shown through its ratio.
                    if let count = counts[ratio.area] { #expect(count.status == .waarde, "\(indicator.id) \(ratio.area): de teller is verborgen, de verhouding niet") }
                }
            }
        }
        #expect(checked > 1_000)
    }

    @Test(arguments: TestBackend.available) func noHiddenCountFollowsFromTheAreaHierarchy(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let equations = try await store.disclosureEquations()
        var hiddenSeen = 0
        for indicator in store.catalog.disclosureAudited {
            for period in try await store.periods(indicator: indicator.id) {
                let truth = try await store.unguardedValues(indicator: indicator.id, period: period)
                for versions in [VersionSelection.current, .all] {
                    let figures = try await Self.visible(store, indicator.id, period, versions: versions)
                    // Per version: the state after version k (each position's newest version up to k), as `versie=` and
                    // `peildatum=` let an attacker ask for it.
                    var byVersion: [Int: [AreaCode: Observation]] = [:]
                    let maximum = figures.map(\.version).max() ?? 1
                    for k in 1...maximum {
                        var snapshot: [AreaCode: Observation] = [:]
                        for figure in figures where figure.version <= k {
                            if let known = snapshot[figure.area], known.version > figure.version { continue }
                            snapshot[figure.area] = figure
                        }
                        byVersion[k] = snapshot
                    }
                    for snapshot in byVersion.values {
                        var cells: [AreaCode: DisclosureControl.Cell] = [:]
                        var hidden: Set<AreaCode> = []
                        for figure in snapshot.values where figure.status == .waarde || figure.status == .geheim {
                            cells[figure.area] = .init(value: figure.value, hidden: figure.status == .geheim)
                            if figure.status == .geheim { hidden.insert(figure.area) }
                        }
                        hiddenSeen += hidden.count
                        let attack = DisclosureControl.recoverable(cells: cells, hidden: hidden, equations: equations, threshold: 10)
                        // A recomputed value within one person of a true hidden value is a leak (CBS rounds to five, so
                        // many recomputations land near but not on the truth; those are not counted).
                        let leaks = attack.values.filter { area, value in (truth[area] ?? []).contains { abs($0 - value) < 1 } }
                        #expect(leaks.isEmpty, "\(indicator.id) \(period): terug te rekenen: \(leaks.prefix(5))")
                    }
                }
            }
        }
        #expect(hiddenSeen > 0)
    }

    /// WK008074 (the probe's example) and a planted small buurt in a fresh store: the wijk minus its shown
    /// buurten is never a single hidden value, on every backend, in every version.
    @Test(arguments: TestBackend.available) func aPlantedSmallBuurtCannotBeRecoveredNorItsOlderVersion(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ in
            let wijk = AreaCode("WK0363AA")!
            let buurten = try await store.children(of: wijk, kind: .buurt).map(\.code)
            try #require(buurten.count >= 3)
            // First version: every buurt 30 persons on bijstand; then a correction makes one buurt 4.
            func file(_ small: Double) -> String {
                "gebied;periode;personen_bijstand;inwoners\n"
                    + buurten.enumerated().map { "\($0.element.rawValue);2031;\($0.offset == 0 ? small : 30);100" }.joined(separator: "\n")
                    + "\n\(wijk.rawValue);2031;\(small + Double(buurten.count - 1) * 30);\(buurten.count * 100)\n"
            }
            for small in [30.0, 4.0] {
                let batch = try TidyImporter.parse(Data(file(small).utf8), file: "bijstand-\(Int(small)).csv", catalog: store.catalog, period: nil)
                _ = try await store.importBatch(batch)
            }
            let current = try await Self.visible(store, "personen_bijstand", "2031")
            let first = try #require(current.first { $0.area == buurten[0] })
            #expect(first.status == .geheim)
            #expect(current.filter { buurten.contains($0.area) && $0.status == .geheim }.count >= 2)
            // Older versions of a hidden position are hidden too (the first version said 30, harmless, but the rule is per position).
            let all = try await Self.visible(store, "personen_bijstand", "2031", versions: .all)
            #expect(all.filter { $0.area == buurten[0] }.allSatisfy { $0.status == .geheim })
            let ratio = try await Self.visible(store, "bijstand_per_1000", "2031")
            #expect(ratio.contains { $0.area == buurten[1] })
            #expect(ratio.filter { $0.area == buurten[0] }.allSatisfy { $0.value == nil })
        }
    }
}

/// Issue 17, finding 11: a wait for a SQLite connection or for the writer that can never end becomes an error
/// naming the caller, instead of a process with every thread idle.
@Suite("Wachten op de database heeft een grens")
struct LeaseTimeoutTests {
    @Test func aWaitForABusyPoolFailsNamingTheCaller() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let connector = try SQLiteConnector(path: directory.appendingPathComponent("lease.sqlite").path, maximumConnections: 1,
                                            leaseTimeout: .milliseconds(300))
        do {
            try await connector.read { _ in
                // The only connection is in use: a second reader (or a transaction) cannot get one.
                do {
                    _ = try await connector.read { db in try await db.raw("SELECT 1 AS one").all().count }
                    Issue.record("a second connection should not have come")
                } catch let error as StoreError {
                    #expect(error.description.contains("DisclosureTests.swift"), "\(error)")
                }
            }
            // A transaction inside a transaction would wait for the writer for ever; now it fails.
            try await connector.transaction { _ in
                await #expect(throws: StoreError.self) { try await connector.transaction { _ in () } }
            }
        } catch {
            Issue.record("\(error)")
        }
        await connector.close()
    }
}
