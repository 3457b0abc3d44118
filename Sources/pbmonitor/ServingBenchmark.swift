import AsyncHTTPClient
import Foundation
import Histogram
import Monitor
import MonitorStore
import MonitorWeb
import NIOCore

/// `pbmonitor bench --alleen serveren` (issue 20, item 7): load on the pages a shared installation serves most, in one
/// run, next to nginx serving the same bytes and Datasette answering one gemeente's figures as JSON, with the cache
/// warm (`PBMONITOR_CACHE_MB` as set) and cold (0: every request made anew). A long run of many connections must end
/// without one error or non-2xx. Latency percentiles come from HdrHistogram (hdrhistogram-swift); the client is
/// AsyncHTTPClient with one keep-alive connection per simulated visitor. The load generator shares the machine with the
/// servers, so every figure is relative to nginx under the same client.
struct ServingBenchmark {
    var executable: String
    var configuration: MonitorConfiguration
    var connections: Int
    var seconds: Int
    var longConnections: Int
    var longSeconds: Int
    var basePort: Int

    struct Target: Sendable {
        var name: String
        var path: String
        /// The file name nginx serves the same bytes under.
        var file: String
    }

    static let targets = [
        Target(name: "profiel JSON", path: "/api/v1/gemeenten/GM0363", file: "profiel.json"),
        Target(name: "profiel HTML", path: "/gemeenten/GM0363", file: "profiel.html"),
        Target(name: "gemeentekaart SVG", path: "/kaart/jeugdzorg_in_natura_pct.svg", file: "kaart.svg"),
        Target(name: "/api/v1/waarden", path: "/api/v1/waarden?indicator=jeugdzorg_in_natura_pct&gebied=GM0363", file: "waarden.json"),
    ]

    struct Result: Sendable {
        var requests = 0, failures = 0, nonSuccess = 0, bytes = 0
        var elapsed = 0.0
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var perSecond: Double { elapsed > 0 ? Double(requests) / elapsed : 0 }

        mutating func add(_ other: Result) {
            requests += other.requests; failures += other.failures; nonSuccess += other.nonSuccess; bytes += other.bytes
            histogram.add(other.histogram)
        }

        /// `p50 0,41 ms · p99 3,2 ms · p99,9 9,8 ms`
        var percentiles: String {
            guard histogram.totalCount > 0 else { return "—" }
            func ms(_ p: Double) -> String { Self.milliseconds(histogram.valueAtPercentile(p)) }
            return "p50 \(ms(50)) · p99 \(ms(99)) · p99,9 \(ms(99.9)) · max \(Self.milliseconds(histogram.max))"
        }

        static func milliseconds(_ micros: UInt64) -> String {
            let value = Double(micros) / 1000
            return DutchNumber.format(value, decimals: value < 10 ? 2 : (value < 100 ? 1 : 0)) + " ms"
        }
    }

    func run() async throws -> [String] {
        var lines: [String] = []
        func say(_ line: String) { print(line); fflush(nil); lines.append(line) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-serveren-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("www"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, longConnections))))
        do {
            try await measure(client, work: work, say: say)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return lines
    }

    private func measure(_ client: HTTPClient, work: URL, say: (String) -> Void) async throws {

        say("Serveren: \(connections) verbindingen, \(seconds) s per meting; database \(configuration.databasePath)")
        say("(de belasting komt uit hetzelfde proces op dezelfde machine: vergelijk met nginx onder dezelfde belasting)")

        // Warm: the cache as configured. The same bytes are written for nginx, and the profile's ETag kept for 304s.
        var results: [String: [String: Result]] = [:]
        let warmPort = basePort
        var tag: String?
        var residentAfterLoad: Int?
        try await withServer(port: warmPort, cacheMegabytes: nil, work: work) { pid in
            for target in Self.targets {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(warmPort)\(target.path)")
                request.headers.add(name: "Accept-Encoding", value: "identity")
                let response = try await client.execute(request, timeout: .seconds(120))
                guard response.status == .ok else { throw BenchmarkError("\(target.path) gaf \(response.status.code)") }
                if target.file == "profiel.json" { tag = response.headers.first(name: "ETag") }
                let body = try await response.body.collect(upTo: 64 << 20)
                try Data(body.readableBytesView).write(to: work.appendingPathComponent("www").appendingPathComponent(target.file))
            }
            for target in Self.targets {
                results[target.name, default: [:]]["warm"] = await load(client, url: "http://127.0.0.1:\(warmPort)\(target.path)",
                                                                       connections: connections, seconds: seconds)
            }
            if let tag {
                let url = "http://127.0.0.1:\(warmPort)\(Self.targets[0].path)"
                results["profiel JSON 304", default: [:]]["warm"] = await load(client, url: url, headers: [("If-None-Match", tag)],
                                                                              connections: connections, seconds: seconds)
                // What one 304 costs, without queueing behind others.
                results["profiel JSON 304 alleen", default: [:]]["warm"] = await load(client, url: url, headers: [("If-None-Match", tag)],
                                                                                     connections: 1, seconds: min(seconds, 5))
            }
            // (b) Many visitors for a long time, the four addresses in turn.
            say("Lang: \(longConnections) verbindingen × \(longSeconds) s op de vier adressen (cache warm) …")
            let long = await load(client, urls: Self.targets.map { "http://127.0.0.1:\(warmPort)\($0.path)" },
                                  connections: longConnections, seconds: longSeconds)
            results["lang", default: [:]]["warm"] = long
            residentAfterLoad = AppMetrics.residentBytes(of: String(pid))
        }
        // Cold: no response cache, every request made anew.
        try await withServer(port: basePort + 1, cacheMegabytes: 0, work: work) { _ in
            // One request each first: what is kept per data generation (peers, reference figures, map outlines) is
            // made, as on any server that has run a while; every measured request still makes its answer.
            for target in Self.targets {
                _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(basePort + 1)\(target.path)"), timeout: .seconds(120))
            }
            for target in Self.targets {
                results[target.name, default: [:]]["koud"] = await load(client, url: "http://127.0.0.1:\(basePort + 1)\(target.path)",
                                                                       connections: connections, seconds: seconds)
            }
        }
        // nginx serving the same bytes.
        if let nginx = MonitorConfiguration.tool("nginx", names: ["nginx"], alsoIn: ["/usr/sbin", "/usr/local/sbin"]) {
            try await withNginx(nginx, port: basePort + 2, work: work) {
                for target in Self.targets {
                    results[target.name, default: [:]]["nginx"] = await load(client, url: "http://127.0.0.1:\(basePort + 2)/\(target.file)",
                                                                            connections: connections, seconds: seconds)
                }
            }
        } else {
            say("nginx niet gevonden (apt-get install nginx): geen vergelijking met statische bestanden.")
        }
        // Datasette: one gemeente's current figures as JSON from the same SQLite file.
        var datasette: Result?
        if !SQLStore.isPostgres(configuration.databasePath), let binary = MonitorConfiguration.tool("datasette", names: ["datasette"]) {
            datasette = try await withDatasette(binary, port: basePort + 3, work: work) { url in
                await load(client, url: url, connections: connections, seconds: seconds)
            }
        } else {
            say("Datasette niet gevonden (pip install datasette) of geen SQLite-database: geen vergelijking met Datasette.")
        }

        say("")
        say("adres                         server        verzoeken/s  verhouding     fouten  niet-2xx  latentie")
        for target in Self.targets {
            let nginx = results[target.name]?["nginx"]
            for kind in ["nginx", "warm", "koud"] {
                guard let result = results[target.name]?[kind] else { continue }
                let ratio = nginx.map { kind == "nginx" ? "1" : DutchNumber.format(result.perSecond / max($0.perSecond, 1), decimals: 2) + "× nginx" } ?? "—"
                say(Self.row(target.name, kind == "warm" ? "pbmonitor warm" : (kind == "koud" ? "pbmonitor koud" : "nginx"), result, ratio))
            }
        }
        if let result = results["profiel JSON 304"]?["warm"] {
            say(Self.row("profiel JSON, If-None-Match", "pbmonitor 304", result, "—"))
        }
        if let result = results["profiel JSON 304 alleen"]?["warm"] {
            say(Self.row("  idem, 1 verbinding", "pbmonitor 304", result, "—"))
        }
        if let datasette { say(Self.row("één gemeente als JSON", "Datasette", datasette, "—")) }
        if let long = results["lang"]?["warm"] {
            say("")
            say("Lang: \(long.requests) verzoeken in \(String(format: "%.0f", long.elapsed)) s, \(long.failures) fouten, \(long.nonSuccess) niet-2xx; \(long.percentiles)")
        }
        if let residentAfterLoad {
            say("Geheugen van de server na de belasting (RSS): \(residentAfterLoad >> 20) MB")
        }
    }

    static func row(_ name: String, _ server: String, _ result: Result, _ ratio: String) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
        return pad(name, 30) + pad(server, 14) + pad(String(format: "%11.0f", result.perSecond), 13) + pad(ratio, 15)
            + pad(String(result.failures), 8) + pad(String(result.nonSuccess), 10) + result.percentiles
    }

    /// Keeps `connections` requests going for `seconds`, each connection taking the addresses in turn.
    func load(_ client: HTTPClient, url: String, headers: [(String, String)] = [], connections: Int, seconds: Int) async -> Result {
        await load(client, urls: [url], headers: headers, connections: connections, seconds: seconds)
    }

    func load(_ client: HTTPClient, urls: [String], headers: [(String, String)] = [], connections: Int, seconds: Int) async -> Result {
        let started = ContinuousClock.now
        let deadline = started + .seconds(seconds)
        var total = Result()
        await withTaskGroup(of: Result.self) { group in
            for index in 0..<connections {
                group.addTask {
                    var result = Result()
                    var turn = index
                    while ContinuousClock.now < deadline {
                        var request = HTTPClientRequest(url: urls[turn % urls.count])
                        turn += 1
                        request.headers.add(name: "Accept-Encoding", value: "identity")
                        for (name, value) in headers { request.headers.add(name: name, value: value) }
                        let begin = ContinuousClock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(60))
                            for try await part in response.body { result.bytes += part.readableBytes }
                            let (s, atto) = (ContinuousClock.now - begin).components
                            _ = result.histogram.record(UInt64(max(0, s)) * 1_000_000 + UInt64(max(0, atto)) / 1_000_000_000_000)
                            result.requests += 1
                            if !(200..<300).contains(response.status.code) && response.status.code != 304 { result.nonSuccess += 1 }
                        } catch {
                            result.failures += 1
                        }
                    }
                    return result
                }
            }
            for await partial in group { total.add(partial) }
        }
        let (s, atto) = (ContinuousClock.now - started).components
        total.elapsed = Double(s) + Double(atto) / 1e18
        return total
    }

    /// Runs `pbmonitor serve` on the benchmark's database for the duration of `body`.
    func withServer(port: Int, cacheMegabytes: Int?, work: URL, _ body: (Int32) async throws -> Void) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PBMONITOR_REQUEST_LOG"] = "nee"
        environment["PBMONITOR_CATALOG"] = configuration.catalogDirectory.path
        environment["PBMONITOR_DATA"] = configuration.dataDirectory.path
        if let cacheMegabytes { environment["PBMONITOR_CACHE_MB"] = String(cacheMegabytes) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--port", String(port), "--database", configuration.databasePath]
        process.environment = environment
        let log = work.appendingPathComponent("serve-\(port).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { try? handle.close() }
        try await Self.whileRunning(process) {
            try await Self.waitForHealth("http://127.0.0.1:\(port)/-/health", process: process, log: log)
            try await body(process.processIdentifier)
        }
    }

    /// Runs `body` while `process` runs, and stops the process afterwards, also when `body` throws.
    static func whileRunning<T>(_ process: Process, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await stop(process)
            return result
        } catch {
            await stop(process)
            throw error
        }
    }

    /// SIGTERM, then SIGKILL after five seconds (a server that waits for its keep-alive clients would never end), polled
    /// without blocking: Foundation's `waitUntilExit` spins a core while it waits.
    static func stop(_ process: Process) async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
    }

    func withNginx(_ binary: String, port: Int, work: URL, _ body: () async throws -> Void) async throws {
        let config = """
            worker_processes 2;
            daemon off;
            pid \(work.path)/nginx.pid;
            error_log \(work.path)/nginx-error.log;
            events { worker_connections 4096; }
            http {
              access_log off;
              sendfile on;
              keepalive_requests 10000000;
              types { application/json json; text/html html; image/svg+xml svg; }
              server { listen 127.0.0.1:\(port); root \(work.path)/www; }
            }
            """
        let file = work.appendingPathComponent("nginx.conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-c", file.path, "-p", work.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Self.whileRunning(process) {
            try await Self.waitForHealth("http://127.0.0.1:\(port)/\(Self.targets[0].file)", process: process, log: nil)
            try await body()
        }
    }

    /// Datasette on a copy of the current figures (its SQLite may not read the monitor's full-text index): one table
    /// `observations` with an index on the area, made with Python's sqlite3 next to Datasette.
    func withDatasette(_ binary: String, port: Int, work: URL, _ body: (String) async -> Result) async throws -> Result? {
        let copy = work.appendingPathComponent("figures.sqlite").path
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[2])
            db.execute("ATTACH DATABASE ? AS src", (sys.argv[1],))
            db.execute("CREATE TABLE observations AS SELECT indicator, area_code, period, status, value, numerator, denominator, n FROM src.observations WHERE superseded_by IS NULL")
            db.execute("CREATE INDEX observations_area ON observations (area_code)")
            db.commit()
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, configuration.databasePath, copy]
        try python.run()
        while python.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        guard python.terminationStatus == 0 else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--immutable", copy, "--port", String(port), "--setting", "sql_time_limit_ms", "10000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = "http://127.0.0.1:\(port)/figures/observations.json?area_code=GM0363&_shape=array&_size=max"
        return try await Self.whileRunning(process) {
            try await Self.waitForHealth(url, process: process, log: nil)
            return await body(url)
        }
    }

    static func waitForHealth(_ url: String, process: Process, log: URL?) async throws {
        let deadline = ContinuousClock.now + .seconds(900)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let tail = log.flatMap { try? String(contentsOf: $0, encoding: .utf8) }.map { String($0.suffix(2_000)) } ?? ""
                throw BenchmarkError("\(process.executableURL?.lastPathComponent ?? "server") stopte bij het starten\n\(tail)")
            }
            if let status = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)).status, status == .ok { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw BenchmarkError("\(url) antwoordde niet binnen 15 minuten")
    }

}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
