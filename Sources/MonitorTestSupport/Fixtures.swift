import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Monitor
import MonitorStore
import Hummingbird
import SQLKit

/// Paths and fixtures shared by the test targets.
public enum Fixtures {
    /// The repository root (found from this file's location).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static var catalogDirectory: URL { repositoryRoot.appendingPathComponent("catalog") }
    public static var dataDirectory: URL { repositoryRoot.appendingPathComponent("data") }

    /// The built `pbmonitor` binary (debug build, as `swift build` / `swift test` leave it).
    public static var binary: URL {
        let candidates = [".build/debug/pbmonitor", ".build/x86_64-unknown-linux-gnu/debug/pbmonitor",
                          ".build/aarch64-unknown-linux-gnu/debug/pbmonitor"]
        return candidates.map { repositoryRoot.appendingPathComponent($0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? repositoryRoot.appendingPathComponent(candidates[0])
    }

    /// The shipped catalogue.
    public static func catalog() throws -> Catalog { try CatalogLoader.load(directory: catalogDirectory) }

    /// A fresh temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The gemeenten loaded in the shared test database: Amsterdam, Groningen and Schiermonnikoog (small).
    public static let testGemeenten: Set<String> = ["GM0363", "GM0014", "GM0088"]
}

/// The databases the store tests run on: SQLite always; PostgreSQL as well when
/// `PBMONITOR_TEST_POSTGRES` names a server (`.ci/run` starts a throwaway cluster and sets it).
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The tests run many store suites at once on two cores; waiting for a pooled connection there is
    /// contention, not an outage, so they allow far more than the site's five seconds.
    public static let leaseTimeout: Duration = .seconds(120)

    public static var available: [TestBackend] { postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// An administrative address, e.g. `postgres://postgres@127.0.0.1:5433/postgres`.
    public static var postgresAdminURL: String? {
        ProcessInfo.processInfo.environment["PBMONITOR_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String { rawValue }
}

/// Opens stores for tests and always closes them (sqlite-nio asserts on unclosed connections).
public enum TestStore {
    /// A migrated, empty store: a temporary SQLite file, or a throwaway PostgreSQL database that is dropped afterwards.
    /// The URL is the file (SQLite) or the database address (PostgreSQL).
    public static func withEmptyStore<T>(_ backend: TestBackend = .sqlite, clock: @escaping @Sendable () -> Date = Date.init,
                                         _ body: (SQLStore, URL) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite:
            let directory = try Fixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("test.sqlite")
            return try await run(try SQLStore.sqlite(path: path.path, catalog: try Fixtures.catalog(), clock: clock), location: path, body)
        case .postgres:
            guard let admin = TestBackend.postgresAdminURL, var components = URLComponents(string: admin) else {
                throw StoreError.unavailable("PBMONITOR_TEST_POSTGRES is niet gezet")
            }
            let name = "pbm_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let server = try PostgresConnector(url: admin, leaseTimeout: TestBackend.leaseTimeout)
            try await server.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            components.path = "/" + name
            let location = components.string!
            do {
                let result = try await run(try SQLStore.open(location, catalog: try Fixtures.catalog(), clock: clock, postgresLeaseTimeout: TestBackend.leaseTimeout), location: URL(string: location)!, body)
                try? await server.read { db in try await db.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await server.close()
                return result
            } catch {
                try? await server.read { db in try await db.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await server.close()
                throw error
            }
        }
    }

    static func run<T>(_ store: SQLStore, location: URL, _ body: (SQLStore, URL) async throws -> T) async throws -> T {
        do {
            try await store.migrate()
            let result = try await body(store, location)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// A store with the bundled data of ``Fixtures/testGemeenten``.
    public static func withLoadedStore<T>(_ backend: TestBackend = .sqlite, clock: @escaping @Sendable () -> Date = Date.init,
                                          _ body: (SQLStore, URL) async throws -> T) async throws -> T {
        try await withEmptyStore(backend, clock: clock) { store, location in
            _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)) { _ in }
            return try await body(store, location)
        }
    }

    /// A closed SQLite file in `directory` with the areas of ``Fixtures/testGemeenten``, and their bundled
    /// figures when `figures` is true (for tests that run the binary on it).
    public static func database(in directory: URL, name: String, figures: Bool) async throws -> String {
        let path = directory.appendingPathComponent(name).path
        let store = try SQLStore.sqlite(path: path, catalog: try Fixtures.catalog())
        do {
            try await store.migrate()
            let bundle = BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)
            if figures { _ = try await store.loadBundledData(bundle) { _ in } } else { _ = try await store.loadBundledAreas(bundle) }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return path
    }

    /// One loaded store per backend shared by read-only tests in this process (created once, never written;
    /// on PostgreSQL its database stays in the throwaway cluster).
    public static func shared(_ backend: TestBackend = .sqlite) async throws -> SQLStore {
        try await SharedStore.instance.store(backend)
    }

    /// A raw connection to the same database, for tests that go around the store (the triggers).
    public static func connector(_ backend: TestBackend, location: URL) throws -> any DatabaseConnector {
        backend == .sqlite ? try SQLiteConnector(path: location.path) : try PostgresConnector(url: location.absoluteString, leaseTimeout: TestBackend.leaseTimeout)
    }
}

actor SharedStore {
    static let instance = SharedStore()
    private var tasks: [TestBackend: Task<SQLStore, any Error>] = [:]

    func store(_ backend: TestBackend) async throws -> SQLStore {
        if let task = tasks[backend] { return try await task.value }
        let task = Task<SQLStore, any Error> {
            let store: SQLStore
            switch backend {
            case .sqlite:
                let directory = try Fixtures.temporaryDirectory()
                store = try SQLStore.sqlite(path: directory.appendingPathComponent("shared.sqlite").path, catalog: try Fixtures.catalog())
            case .postgres:
                guard let admin = TestBackend.postgresAdminURL, var components = URLComponents(string: admin) else {
                    throw StoreError.unavailable("PBMONITOR_TEST_POSTGRES is niet gezet")
                }
                let name = "pbm_shared_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                let server = try PostgresConnector(url: admin, leaseTimeout: TestBackend.leaseTimeout)
                try await server.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
                await server.close()
                components.path = "/" + name
                store = try SQLStore.open(components.string!, catalog: try Fixtures.catalog(), postgresLeaseTimeout: TestBackend.leaseTimeout)
            }
            try await store.migrate()
            _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)) { _ in }
            return store
        }
        tasks[backend] = task
        return try await task.value
    }
}

/// Runs the built binary and captures its output.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum CommandRunner {
    /// Runs `pbmonitor` with arguments and waits for it to finish.
    /// `input` is written to its standard input (then closed).
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = Fixtures.binary
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files, not pipes: reading one pipe to its end while the child fills the other (more than the
        // 64 kB a pipe holds) left both waiting for ever — a test that hung with every thread idle (issue 17, finding 11).
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("pbmonitor-out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("pbmonitor-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        // A command that never ends is a failure with its output, not a hang.
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var timedOut = false
        if process.isRunning { timedOut = true; process.terminate() }
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        let errText = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                             stderr: timedOut ? errText + "\n[test: na \(Int(timeout)) s gestopt]" : errText)
    }

    /// How long one command may run in a test.
    public static let timeout: TimeInterval = 600

    /// `run` on its own thread, so a test that serves the command from this process (a loopback stand-in for an API)
    /// does not hold one of the few cooperative threads while it waits; the stand-in's handlers need them.
    public static func runAsync(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do { continuation.resume(returning: try run(arguments, environment: environment, input: input)) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    /// A free TCP port on loopback.
    public static func freePort() -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { return Int.random(in: 20000...45000) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
        #else
        return Int.random(in: 20000...45000)
        #endif
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `pbmonitor serve` process on a free loopback port, for end-to-end and browser tests.
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public let output: URL
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server and waits until `/-/health` answers (or the timeout passes).
    public init(database: String, extraArguments: [String] = [], timeout: TimeInterval = 300) async throws {
        port = CommandRunner.freePort()
        process = Process()
        process.executableURL = Fixtures.binary
        process.arguments = ["serve", "--database", database, "--port", String(port)] + extraArguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        output = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw ServerError.exited(log) }
            if let (status, _) = try? await get("/-/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        stop()
        throw ServerError.timeout(log)
    }

    public enum ServerError: Error { case exited(String), timeout(String) }

    /// What the server printed so far.
    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// GET a path; returns status and body.
    public func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: baseURL + path)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Stops the server with SIGTERM (a graceful shutdown) and waits for it.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: output)
    }
}

/// A stand-in for the CBS OData v4 API on loopback: serves `Tests/Fixtures/cbs-odata-v4/<table>/<entity>.json`
/// (with `{base}` replaced by its own address, so `@odata.nextLink` points back here). The first
/// `failures` requests for `Observations` answer 503, to exercise the client's retries.
public final class FixtureCBSServer: @unchecked Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let counter: RequestCounter
    public var base: String { "http://127.0.0.1:\(port)/CBS" }

    actor RequestCounter {
        var requests: [String] = []
        var failuresLeft: Int
        let failing: String
        init(failures: Int, failing: String = "/Observations") {
            failuresLeft = failures
            self.failing = failing
        }
        func record(_ path: String) -> Bool {
            requests.append(path)
            guard path.hasSuffix(failing), failuresLeft > 0 else { return false }
            failuresLeft -= 1
            return true
        }
    }

    /// - Parameters:
    ///   - fixtures: the folder under `Tests/Fixtures` (`statline-v3` for the RIVM stand-in).
    ///   - ready: an entity that answers once the server is up.
    ///   - failing: the entity whose first requests fail.
    public init(failures: Int = 1, fixtures: String = "cbs-odata-v4", ready: String = "85318NED/Dimensions", failing: String = "/Observations") async throws {
        let port = CommandRunner.freePort()
        self.port = port
        let counter = RequestCounter(failures: failures, failing: failing)
        self.counter = counter
        let directory = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/\(fixtures)")
        let router = Router()
        router.get("/CBS/{table}/{entity}") { request, context -> Response in
            let table = try context.parameters.require("table"), entity = try context.parameters.require("entity")
            if await counter.record(request.uri.path) {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "even niet")))
            }
            var name = entity
            if let skip = request.uri.queryParameters.get("$skip") { name += "-skip-\(skip)" }
            let file = directory.appendingPathComponent(table).appendingPathComponent(name + ".json")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                return Response(status: .notFound, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"404","message":"Resource not found"}}"#)))
            }
            let body = text.replacingOccurrences(of: "{base}", with: "http://127.0.0.1:\(port)/CBS")
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let url = URL(string: "http://127.0.0.1:\(port)/CBS/\(ready)"),
               let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerProcess.ServerError.timeout("de CBS-stand-in startte niet op poort \(port)")
    }

    /// The paths requested so far, in order.
    public var requests: [String] { get async { await counter.requests } }

    public func stop() { task.cancel() }
}


/// A stand-in for the Open Raadsinformatie search API on loopback: `POST /v1/elastic/{index}/_search` answers with the
/// hits of `Tests/Fixtures/ori/hits.json` in Elasticsearch's response format, sliced by the body's `from` and `size`.
/// The first `failures` requests answer 503.
public final class FixtureORIServer: @unchecked Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let counter: FixtureCBSServer.RequestCounter
    public var base: String { "http://127.0.0.1:\(port)/v1/elastic" }

    public init(failures: Int = 1) async throws {
        let port = CommandRunner.freePort()
        self.port = port
        let counter = FixtureCBSServer.RequestCounter(failures: failures, failing: "/_search")
        self.counter = counter
        let file = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/ori/hits.json")
        let router = Router()
        router.post("/v1/elastic/{index}/_search") { request, context -> Response in
            if await counter.record(request.uri.path) {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "even niet")))
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let query = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
            let hits = (try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]]) ?? []
            let from = query["from"] as? Int ?? 0, size = query["size"] as? Int ?? 10
            let page = Array(hits.dropFirst(from).prefix(size))
            let answer: [String: Any] = ["took": 3, "timed_out": false,
                                         "hits": ["total": ["value": hits.count, "relation": "eq"], "max_score": NSNull(), "hits": page]]
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: answer))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let url = URL(string: "http://127.0.0.1:\(port)/"), (try? await URLSession.shared.data(from: url)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerProcess.ServerError.timeout("de ORI-stand-in startte niet op poort \(port)")
    }

    /// The paths requested so far, in order.
    public var requests: [String] { get async { await counter.requests } }

    public func stop() { task.cancel() }
}

extension Fixtures {
    /// Eight actors across three spheres: a family cluster, a school cluster joined by the brugfunctionaris,
    /// the wijkteam reached through the intern begeleider, and the huisarts without ties.
    public static let exampleNetwork = NetworkMap(
        gemeente: AreaCode("GM0363")!, area: AreaCode("WK0363AA")!, date: ReferenceDate("2026-11-01")!, title: "Haarlemmerbuurt",
        actors: [
            .init(key: "1", name: "Ouders van De Regenboog", kind: .groep, spheres: [.gezin]),
            .init(key: "2", name: "Buurtmoeder", kind: .rol, spheres: [.gezin]),
            .init(key: "3", name: "Mamacafé", kind: .organisatie, spheres: [.gezin]),
            .init(key: "4", name: "Leerkracht groep 8", kind: .rol, spheres: [.school]),
            .init(key: "5", name: "Intern begeleider", kind: .rol, spheres: [.school]),
            .init(key: "6", name: "Brugfunctionaris", kind: .rol, spheres: [.school, .gezin]),
            .init(key: "7", name: "Wijkteam", kind: .organisatie, spheres: [.hulp]),
            .init(key: "8", name: "Huisarts", kind: .rol, spheres: [.hulp]),
        ],
        ties: [
            .init(from: "1", to: "2", kind: .informeleSteun, strength: 3), .init(from: "2", to: "3", kind: .ontmoeting, strength: 2),
            .init(from: "1", to: "3", kind: .ontmoeting, strength: 2), .init(from: "4", to: "5", kind: .samenwerking, strength: 3),
            .init(from: "5", to: "6", kind: .samenwerking, strength: 2), .init(from: "4", to: "6", kind: .samenwerking, strength: 1),
            .init(from: "6", to: "1", kind: .informeleSteun, strength: 2), .init(from: "5", to: "7", kind: .verwijzing, strength: 2),
        ])
}

extension Fixtures {
    /// The form of a gemeente's own indicator as an analist fills it in: a count of playground visits per wijk.
    public static let localIndicatorForm: [String: [String]] = [
        "naam": ["Bezoek aan bemande speeltuinen"],
        "definitie": ["Bezoeken aan de bemande speeltuinen van de wijk in een kalenderjaar, geteld door de speeltuinwerkers."],
        "eenheid": ["aantal"], "decimalen": ["0"],
        "bron.uitgever": ["Gemeente Amsterdam"], "bron.tabel": ["Turflijsten speeltuinen"], "bron.titel": ["Bezoek bemande speeltuinen"],
        "peilmoment": ["kalenderjaar"], "polariteit": ["hoger_gunstig"], "lading": ["positief"],
        "rol": ["basis"], "rol_waarom": ["Buiten spelen met andere kinderen is de vrije tijd zelf, geen achtergrond."],
        "sferen": ["vrijetijd"], "perspectieven": ["aanbod", "houding"], "kennisvragen": ["staat"], "beeld": ["lokaal"],
        "leeftijd": ["4–12 jaar"], "toelichting": ["Waar kinderen samen spelen, leren ze elkaar en de buurt kennen."],
        "gebruiksvoorbeelden": ["Vergelijk de wijken: waar komen kinderen, waar niet?\nVolg het bezoek na de verbouwing van een speeltuin."],
        "kanttekeningen": ["Telt bezoeken, geen kinderen: één kind dat elke dag komt telt vaak."],
        "aggregatie": ["som"],
        "meetlast.producent": ["lokale_registratie"], "meetlast.minuten_per_respondent": ["2,5"],
        "meetlast.respondenten_per_periode": ["12"], "meetlast.aanname": ["Twaalf speeltuinwerkers turven elke dag."],
    ]

    /// ``localIndicatorForm`` as the catalogue entry the form makes, with this id.
    public static func localIndicatorYAML(id: String, changing changes: [String: [String]] = [:]) -> String {
        let values = localIndicatorForm.merging(changes) { _, new in new }
        return LocalIndicatorEntry.yaml(id: id, values: { values[$0] ?? [] })
    }
}
