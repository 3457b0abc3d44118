import Foundation
import Monitor
import MonitorStore
import MonitorWeb

/// The import benchmark of issue 5: the bundled KWB 2023 file into a fresh database that holds the
/// areas only, against `sqlite-utils insert --csv` of the same file, in the same run.
struct ImportBenchmark {
    var configuration: MonitorConfiguration
    var catalog: Catalog
    var runs: Int
    static let file = "kwb/kwb_2023_gemeente_wijk_buurt.csv"

    func run() async throws -> [String] {
        let url = configuration.dataDirectory.appendingPathComponent(Self.file)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var ours: [Double] = []
        var parses: [Double] = []
        var rereads: [Double] = []
        var values = 0, derived = 0
        for run in 0..<max(1, runs) {
            let path = work.appendingPathComponent("run\(run).sqlite").path
            let store = try SQLStore.sqlite(path: path, catalog: catalog)
            do {
                try await store.migrate()
                try await store.loadBundledAreas(BundledData(directory: configuration.dataDirectory))
                let start = DispatchTime.now().uptimeNanoseconds
                let data = try Data(contentsOf: url)
                let batch = try Importer.parse(data, file: url.lastPathComponent, catalog: catalog, period: nil, format: .auto)
                let parsed = DispatchTime.now().uptimeNanoseconds
                let report = try await store.importBatch(batch)
                let end = DispatchTime.now().uptimeNanoseconds
                ours.append(Double(end - start) / 1e9)
                parses.append(Double(parsed - start) / 1e9)
                values = report.record.valueCount
                derived = report.derivedVersions.new
                // The same file again: every figure unchanged, nothing written.
                let again = DispatchTime.now().uptimeNanoseconds
                _ = try await store.importBatch(batch)
                rereads.append(Double(DispatchTime.now().uptimeNanoseconds - again) / 1e9)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
        var lines = [
            String(format: "Import KWB 2023 (%d waarden, %d berekend) in een nieuwe database: mediaan %.2f s (waarvan lezen %.2f s), %d runs",
                   values, derived, median(ours), median(parses), ours.count),
            String(format: "Hetzelfde bestand nog eens (alles ongewijzigd, geen nieuwe versies): mediaan %.2f s", median(rereads)),
        ]
        var theirs: [Double] = []
        for run in 0..<max(1, runs) {
            let database = work.appendingPathComponent("sqlite-utils-\(run).db").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite-utils", "insert", database, "kwb", url.path, "--csv"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            do { try process.run() } catch { break }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { break }
            theirs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        if theirs.isEmpty {
            lines.append("sqlite-utils niet gevonden of mislukt (pip install sqlite-utils): geen vergelijking.")
        } else {
            let ratio = median(theirs) / median(ours)
            lines.append(String(format: "sqlite-utils insert --csv van hetzelfde bestand: mediaan %.2f s, %d runs", median(theirs), theirs.count))
            lines.append(String(format: "Verhouding: pbmonitor is %.1f× zo snel%@", ratio, ratio >= 3 ? " — binnen het doel (≥ 3×)" : " — ONDER het doel (≥ 3×)"))
        }
        return lines
    }

    func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }
}
