import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Errors from the store, with the operation they happened in. Driver errors do not escape.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database could not be opened or does not answer.
    case unavailable(String)
    /// The store was closed.
    case closed
    /// A query failed.
    case queryFailed(operation: String, underlying: String)
    /// The schema is older than this program expects.
    case pendingMigrations([String])

    public var description: String {
        switch self {
        case .unavailable(let why): "De database is niet beschikbaar: \(why)"
        case .closed: "De database is gesloten."
        case .queryFailed(let operation, let underlying): "Databasefout bij \(operation): \(underlying)"
        case .pendingMigrations(let names):
            "De database heeft \(names.count) openstaande migratie(s): \(names.joined(separator: ", ")). Voer `pbmonitor migrate` uit."
        }
    }
}

/// Gives SQL access: a few reader connections and one writer at a time, each
/// transaction on its own connection. A PostgreSQL connector can implement the same protocol.
public protocol DatabaseConnector: Sendable {
    /// Runs read work on a pooled connection. `caller` (file and line) is named when no connection comes in time.
    func read<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: it commits whole or rolls back whole.
    func transaction<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Closes every connection.
    func close() async
    /// Human-readable location (path or URL without secrets).
    var location: String { get }
}

extension DatabaseConnector {
    /// Runs read work on a pooled connection (the call site is named if the wait for a connection runs out).
    public func read<T: Sendable>(file: String = #fileID, line: Int = #line,
                                  _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(caller: "\(file):\(line)", body)
    }

    /// Runs `body` in one transaction (the call site is named if the wait for the writer runs out).
    public func transaction<T: Sendable>(file: String = #fileID, line: Int = #line,
                                         _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(caller: "\(file):\(line)", body)
    }
}

/// A FIFO async lock so only one write transaction runs at a time in this process. A waiter gives up after
/// the lease timeout with an error naming the caller, instead of waiting for ever (a nested transaction, or
/// a holder that never returns, would otherwise hang the process silently).
actor AsyncLock {
    private var locked = false
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    func lock(timeout: Duration, caller: String) async throws {
        if !locked { locked = true; return }
        nextID += 1
        let id = nextID
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expire(id, caller: caller, timeout: timeout)
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
    }

    private func expire(_ id: UInt64, caller: String, timeout: Duration) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: StoreError.unavailable(
            "\(caller) wachtte langer dan \(timeout) op de schrijftoegang (een andere schrijfactie liep nog)"))
    }

    func unlock() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().continuation.resume() }
    }
}

/// Pool of SQLite connections on one file in WAL mode: readers never see half a write.
public final class SQLiteConnector: DatabaseConnector {
    public let location: String
    private let pool: Pool
    private let writeLock = AsyncLock()

    actor Pool {
        let path: String
        let maximum: Int
        var idle: [SQLiteConnection] = []
        var all: [SQLiteConnection] = []
        var waiters: [(id: UInt64, continuation: CheckedContinuation<SQLiteConnection, any Error>)] = []
        var nextID: UInt64 = 0
        var isClosed = false
        /// How long a caller waits for a connection before it fails with an error naming it.
        let leaseTimeout: Duration

        init(path: String, maximum: Int, leaseTimeout: Duration) {
            self.path = path
            self.maximum = maximum
            self.leaseTimeout = leaseTimeout
        }

        func acquire(caller: String) async throws -> SQLiteConnection {
            if isClosed { throw StoreError.closed }
            if let connection = idle.popLast() { return connection }
            if all.count < maximum {
                let connection = try await Self.open(path: path)
                if isClosed { try? await connection.close(); throw StoreError.closed }
                all.append(connection)
                return connection
            }
            nextID += 1
            let id = nextID, timeout = leaseTimeout
            let timer = Task { [weak self] in
                try await Task.sleep(for: timeout)
                await self?.expire(id, caller: caller)
            }
            defer { timer.cancel() }
            return try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
        }

        private func expire(_ id: UInt64, caller: String) {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
            waiters.remove(at: index).continuation.resume(throwing: StoreError.unavailable(
                "\(caller) kreeg binnen \(leaseTimeout) geen databaseverbinding (alle \(maximum) in gebruik)"))
        }

        func release(_ connection: SQLiteConnection) {
            if !waiters.isEmpty { waiters.removeFirst().continuation.resume(returning: connection) } else { idle.append(connection) }
        }

        func close() async {
            isClosed = true
            for waiter in waiters { waiter.continuation.resume(throwing: StoreError.closed) }
            waiters = []
            for connection in all { try? await connection.close() }
            all = []
            idle = []
        }

        static func open(path: String) async throws -> SQLiteConnection {
            var logger = Logger(label: "pbmonitor.sqlite")
            logger.logLevel = .warning
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger,
                                                            on: MultiThreadedEventLoopGroup.singleton.any())
            } catch {
                throw StoreError.unavailable("\(path): \(error)")
            }
            do {
                for pragma in ["PRAGMA busy_timeout = 15000", "PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON",
                               "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -32768"] {
                    _ = try await connection.query(pragma)
                }
            } catch {
                try? await connection.close()
                throw StoreError.unavailable("\(path): \(error)")
            }
            return connection
        }
    }

    /// Opens (or creates) the SQLite file; the folder is created when missing.
    /// - Parameter leaseTimeout: how long a caller waits for a connection or for the writer before it fails.
    public init(path: String, maximumConnections: Int = 4, leaseTimeout: Duration = .seconds(60),
                metrics: any MetricsFactory = NOOPMetricsHandler.instance) throws {
        let url = URL(fileURLWithPath: path)
        self.metrics = StoreMetrics(factory: metrics, database: "sqlite")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        self.location = url.path
        self.leaseTimeout = leaseTimeout
        self.pool = Pool(path: url.path, maximum: maximumConnections, leaseTimeout: leaseTimeout)
    }

    let leaseTimeout: Duration
    let metrics: StoreMetrics

    public func read<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        let connection = try await pool.acquire(caller: caller)
        metrics.waited(since: asked, writing: false)
        do {
            let result = try await body(connection.sql())
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    public func transaction<T: Sendable>(caller: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        try await writeLock.lock(timeout: leaseTimeout, caller: caller)
        let connection: SQLiteConnection
        do { connection = try await pool.acquire(caller: caller) } catch { await writeLock.unlock(); throw error }
        metrics.waited(since: asked, writing: true)
        let db = SQLiteSession(base: connection.sql(), connection: connection)
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
        } catch {
            await pool.release(connection)
            await writeLock.unlock()
            if error is CancellationError { throw error }
            throw StoreError.unavailable("kon geen schrijftransactie beginnen: \(error)")
        }
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            await pool.release(connection)
            await writeLock.unlock()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            await pool.release(connection)
            await writeLock.unlock()
            throw error
        }
    }

    public func close() async {
        await pool.close()
    }
}

/// A write transaction's database on SQLite: SQLKit for ordinary statements, and the connection
/// itself for bulk inserts, which bind `SQLiteData` directly (SQLKit's per-value encoder costs more
/// than SQLite's own work when half a million figures arrive at once).
struct SQLiteSession: SQLDatabase, BulkInserting {
    let base: any SQLDatabase
    let connection: SQLiteConnection

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    func statements(inserting values: [BulkValue], into table: String, columns: [String]) -> [BulkStatement] {
        let width = columns.count
        precondition(width > 0 && values.count % width == 0, "a bulk insert needs \(width) values per row")
        let rowCount = values.count / width
        // One statement per chunk of rows. A column that holds one value throughout the chunk (the
        // indicator, period, import and origin of a batch of figures, the empty teller of a loaded one)
        // is bound once instead of once per row: `INSERT … SELECT ?, column1, … FROM (VALUES (?, …), …)`.
        // That makes the statement SQLite has to parse and the binds several times smaller.
        // `OR FAIL`: a conflict stops the statement without undoing its earlier rows, so SQLite keeps no
        // statement journal; bulk inserts only run inside a transaction that rolls back whole on any error.
        // SQLite allows 32,766 variables per statement.
        let variables = 32_000
        var statements: [BulkStatement] = []
        var start = 0
        while start < rowCount {
            var count = min(rowCount - start, variables)
            var varying: [Int] = []
            while true {
                varying = (0..<width).filter { column in
                    let first = values[start * width + column]
                    return (1..<count).contains { values[(start + $0) * width + column] != first }
                }
                // VALUES needs a column: rows that are all alike (or a single row) still vary in the first.
                if varying.isEmpty { varying = [0] }
                if count * varying.count + width <= variables { break }
                count = max(1, (variables - width) / varying.count)
            }
            var binds: [BulkValue] = []
            binds.reserveCapacity(width + count * varying.count)
            let sql: String
            if varying.count == width {
                // Nothing to fold: plain VALUES.
                let tuple = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
                sql = "INSERT OR FAIL INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: tuple, count: count).joined(separator: ",")
                binds += values[(start * width)..<((start + count) * width)]
            } else {
                var select: [String] = []
                for column in 0..<width {
                    if let position = varying.firstIndex(of: column) {
                        select.append("column\(position + 1)")
                    } else {
                        select.append("?")
                        binds.append(values[start * width + column])
                    }
                }
                let tuple = "(" + Array(repeating: "?", count: varying.count).joined(separator: ",") + ")"
                sql = "INSERT OR FAIL INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(select.joined(separator: ", ")) FROM (VALUES "
                    + Array(repeating: tuple, count: count).joined(separator: ",") + ")"
                for row in start..<(start + count) {
                    for column in varying { binds.append(values[row * width + column]) }
                }
            }
            statements.append(BulkStatement(sql: sql, binds: binds))
            start += count
        }
        return statements
    }

    func run(_ statements: [BulkStatement]) async throws {
        for statement in statements {
            try await connection.query(statement.sql, statement.binds.map(\.sqlite)) { _ in }
        }
    }
}

extension BulkValue {
    var sqlite: SQLiteData {
        switch self {
        case .null: .null
        case .text(let text): .text(text)
        case .real(let number): .float(number)
        case .integer(let number): .integer(number)
        }
    }
}
