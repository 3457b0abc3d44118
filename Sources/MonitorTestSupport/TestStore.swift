import Foundation
import Monitor
import MonitorStore
import SQLKit

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
