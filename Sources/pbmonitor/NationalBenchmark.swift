import AsyncHTTPClient
import Foundation
import Monitor
import MonitorStore
import MonitorWeb

/// `pbmonitor bench --alleen landelijk` (issue 20, item 7c): a national, multi-year set in a separate database — the
/// bundled figures plus ten SYNTHETIC years (2031–2040: every loaded figure of its newest real period again, its value
/// moved a few percent, so no synthetic year can be taken for a real one) of all gemeenten, wijken and buurten — and what
/// it costs: import time, database size, and the uncached profile and map (p50/p99, one visitor at a time) with the
/// server's memory, on SQLite and, with `--postgres`, on PostgreSQL. The database is removed afterwards.
struct NationalBenchmark {
    var executable: String
    var configuration: MonitorConfiguration
    var catalog: Catalog
    var periods: Int
    var seconds: Int
    var basePort: Int
    /// An administrative PostgreSQL address (a database is created and dropped there), or nil for SQLite only.
    var postgres: String?

    static let firstSyntheticYear = 2031

    func run() async throws -> [String] {
        var lines: [String] = []
        func say(_ line: String) { print(line); fflush(nil); lines.append(line) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-landelijk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        say("Landelijk: de gebundelde cijfers plus \(periods) SYNTHETISCHE jaren (\(Self.firstSyntheticYear)–\(Self.firstSyntheticYear + periods - 1)) van alle gebieden")
        try await measure(location: work.appendingPathComponent("landelijk-synthetisch.sqlite").path, label: "SQLite", work: work, say: say)
        if let postgres, var components = URLComponents(string: postgres) {
            let name = "pbm_landelijk_synthetisch_" + UUID().uuidString.prefix(8).lowercased()
            let admin = try PostgresConnector(url: postgres)
            try await admin.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            components.path = "/" + name
            do {
                try await measure(location: components.string!, label: "PostgreSQL", work: work, say: say)
            } catch {
                try? await admin.read { db in try await db.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await admin.close()
                throw error
            }
            try? await admin.read { db in try await db.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
            await admin.close()
        }
        return lines
    }

    private func measure(location: String, label: String, work: URL, say: (String) -> Void) async throws {
        // 1. Build the database: areas and bundled figures, then the synthetic years, one import each.
        let started = ContinuousClock.now
        let store = try SQLStore.open(location, catalog: catalog, postgresLeaseTimeout: .seconds(300))
        let figures: Int, bytes: Int
        do {
            try await store.migrate()
            _ = try await store.loadBundledData(BundledData(directory: configuration.dataDirectory)) { _ in }
            let bundled = ContinuousClock.now - started
            let base = try await Self.newestLoaded(store)
            var imported = 0
            let synthetic = ContinuousClock.now
            for step in 0..<periods {
                let year = String(Self.firstSyntheticYear + step)
                let batch = Self.syntheticYear(year, step: step, from: base, catalog: catalog)
                let report = try await store.importBatch(batch)
                imported += report.record.valueCount
            }
            let syntheticTime = ContinuousClock.now - synthetic
            figures = try await store.observationCount()
            bytes = try await store.databaseBytes()
            func count(_ value: Int) -> String { DutchNumber.format(Double(value), decimals: 0) }
            say("\(label): gebundelde data in \(Self.seconds(bundled)); \(periods) synthetische jaren (\(count(imported)) cijfers, "
                + "\(count(base.count)) per jaar, plus de berekende) in \(Self.seconds(syntheticTime)); samen \(count(figures)) cijfers, "
                + "database \(bytes >> 20) MB")
        } catch {
            await store.close()
            throw error
        }
        await store.close()

        // 2. Serve it without the response cache: every request is made anew.
        var serving = ServingBenchmark(executable: executable, configuration: configuration, connections: 1, seconds: seconds,
                                       longConnections: 1, longSeconds: 1, basePort: basePort)
        serving.configuration.databasePath = location
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await serving.withServer(port: basePort, cacheMegabytes: 0, work: work) { pid in
                let targets = [("profiel JSON", "/api/v1/gemeenten/GM0363"), ("profiel HTML", "/gemeenten/GM0363"),
                               ("gemeentekaart", "/kaart/jeugdzorg_in_natura_pct.svg"), ("wijkkaart Amsterdam", "/kaart/jeugdzorg_in_natura_pct.svg?niveau=wijk&gemeente=GM0363")]
                for (_, path) in targets {
                    _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(basePort)\(path)"), timeout: .seconds(300))
                }
                for (name, path) in targets {
                    let result = await serving.load(client, url: "http://127.0.0.1:\(basePort)\(path)", connections: 1, seconds: seconds)
                    say("  \(name) zonder cache, één bezoeker: \(result.percentiles) (\(result.requests) verzoeken, \(result.failures + result.nonSuccess) fout)")
                }
                if let resident = AppMetrics.residentBytes(of: String(pid)) { say("  geheugen van de server daarna (RSS): \(resident >> 20) MB") }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Every loaded (not computed) current figure of its newest period, per indicator and area.
    static func newestLoaded(_ store: SQLStore) async throws -> [Observation] {
        var newest: [ObservationKey: Observation] = [:]
        var offset = 0
        let page = 100_000
        while true {
            let items = try await store.observations(ObservationQuery(limit: page, offset: offset)).items
            for observation in items where observation.origin == .geladen {
                let key = ObservationKey(indicator: observation.indicator, area: observation.area, period: "")
                if let kept = newest[key], kept.period >= observation.period { continue }
                newest[key] = observation
            }
            guard items.count == page else { break }
            offset += page
        }
        return Array(newest.values)
    }

    /// One synthetic year: each figure moved by −5 % to +5 % (the same for every run), counts kept whole, percentages
    /// at most 100; numerators move with the value, denominators and n stay.
    static func syntheticYear(_ year: String, step: Int, from base: [Observation], catalog: Catalog) -> ImportBatch {
        var figures: [Observation] = []
        figures.reserveCapacity(base.count)
        for original in base {
            var figure = original
            figure.period = year
            figure.importID = nil
            figure.version = 1
            figure.suppressionReason = nil
            let seed = original.area.rawValue.utf8.reduce(step &* 31) { ($0 &* 33 &+ Int($1)) & 0xFFFF }
            let factor = 1 + Double(seed % 11 - 5) / 100
            let unit = catalog[original.indicator]?.unit
            if let value = original.value {
                var moved = value * factor
                if unit == .personen || unit == .aantal { moved = moved.rounded() }
                if unit == .procent { moved = min(moved, 100) }
                figure.value = moved
            }
            if let numerator = original.numerator { figure.numerator = (numerator * factor).rounded() }
            figures.append(figure)
        }
        return ImportBatch(file: "SYNTHETISCH-\(year).csv", sha256: String(format: "%064x", step + 1), format: "synthetisch",
                           rowCount: figures.count, observations: figures, unmappedColumns: [], areaPositions: [:])
    }

    static func seconds(_ duration: Duration) -> String {
        let (s, atto) = duration.components
        return DutchNumber.format(Double(s) + Double(atto) / 1e18, decimals: 1) + " s"
    }
}
