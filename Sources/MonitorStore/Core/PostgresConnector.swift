import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL for shared deployments: a pooled `PostgresClient`; every transaction on one leased
/// connection. Several app nodes can use one database: imports serialise on an advisory lock,
/// readers never wait for writers.
public final class PostgresConnector: DatabaseConnector {
    public let location: String
    private let client: PostgresClient
    private let runner: Task<Void, Never>

    /// `postgres://user:password@host:port/database` (also `postgresql://`); `?sslmode=require` for TLS.
    /// How long a request waits for a connection before it fails with 503 (the server may be restarting).
    public let leaseTimeout: Duration
    private let host: String
    private let port: Int
    private let metrics: StoreMetrics

    /// `leaseTimeout`: how long a request may wait for a pooled connection before it fails with 503.
    /// Five seconds on a site; tests that run hundreds of queries in parallel on two cores pass more.
    public init(url: String, maximumConnections: Int = 10, leaseTimeout: Duration = .seconds(5),
                metrics: any MetricsFactory = NOOPMetricsHandler.instance) throws {
        guard let parsed = URL(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""), let host = parsed.host else {
            throw StoreError.unavailable("geen PostgreSQL-adres: \(Self.redacted(url)) (verwacht postgres://gebruiker@host:5432/database)")
        }
        let database = parsed.path.hasPrefix("/") ? String(parsed.path.dropFirst()) : parsed.path
        let tls: PostgresClient.Configuration.TLS = url.contains("sslmode=require")
            ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(host: host, port: parsed.port ?? 5432, username: parsed.user ?? "postgres",
                                                        password: parsed.password, database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectionIdleTimeout = .seconds(60)
        var logger = Logger(label: "pbmonitor.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.location = Self.redacted(url)
        self.leaseTimeout = leaseTimeout
        self.host = host
        self.port = parsed.port ?? 5432
        self.metrics = StoreMetrics(factory: metrics, database: "postgresql")
        runner = Task { await client.run() }
    }

    /// The address without its password, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    public func read<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased(writing: false) { connection in try await body(connection.sql()) }
    }

    public func transaction<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await leased(writing: true) { connection in
            let db = connection.sql()
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` on a pooled connection. When no connection can be had within ``leaseTimeout``
    /// (PostgreSQL down or restarting) it fails with ``StoreError/unavailable(_:)`` instead of waiting;
    /// the pool reconnects by itself, so the next request after PostgreSQL is back succeeds. Once
    /// `body` runs it is not timed: an import may take as long as it needs.
    private func leased<T: Sendable>(writing: Bool, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let started = LeaseFlag()
        let asked = ContinuousClock.now, metrics = self.metrics
        let client = self.client
        let timeout = leaseTimeout
        let host = self.host, port = self.port
        do {
            return try await withoutActuallyEscaping(body) { body in
                try await withThrowingTaskGroup(of: T?.self) { group in
                    group.addTask {
                        try await client.withConnection { connection in
                            started.set()
                            metrics.waited(since: asked, writing: writing)
                            return try await body(connection)
                        }
                    }
                    group.addTask {
                        // No connection after half a second: is the server there at all? A refused or silent
                        // port means an outage, answered at once; a busy server gets the whole lease limit.
                        let probeAfter = Duration.milliseconds(500)
                        if timeout > probeAfter {
                            try await Task.sleep(for: probeAfter)
                            if !started.isSet, await !Self.reachable(host: host, port: port) {
                                throw StoreError.unavailable("PostgreSQL is niet bereikbaar op \(host):\(port)")
                            }
                            try await Task.sleep(for: timeout - probeAfter)
                        } else {
                            try await Task.sleep(for: timeout)
                        }
                        if !started.isSet { throw StoreError.unavailable("PostgreSQL gaf binnen \(timeout.components.seconds) s geen verbinding") }
                        return nil
                    }
                    while let result = try await group.next() {
                        if let result {
                            group.cancelAll()
                            return result
                        }
                    }
                    throw StoreError.unavailable("PostgreSQL gaf geen antwoord")
                }
            }
        } catch let error as PSQLError {
            throw Self.translate(error)
        }
    }

    /// Whether something accepts TCP connections at the server's address (within a second).
    static func reachable(host: String, port: Int) async -> Bool {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(1))
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// Connection failures become ``StoreError/unavailable(_:)`` (a 503 on the site); query errors keep their message.
    static func translate(_ error: PSQLError) -> any Error {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            StoreError.unavailable("PostgreSQL antwoordt niet (\(error.code))")
        default:
            StoreError.queryFailed(operation: "PostgreSQL", underlying: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}

/// Set once a pooled connection has been handed out.
private final class LeaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
