import Foundation
import SQLKit

/// Consistent copies of the embedded database. On PostgreSQL, `pg_dump`/`pg_restore` do this (see the README).
extension SQLStore {
    /// Writes a consistent copy of the SQLite database to `path` while the server keeps running
    /// (`VACUUM INTO` reads one snapshot; writers are not blocked). The file must not exist yet.
    public func backup(to path: String) async throws {
        guard !SQLStore.isPostgres(connector.location) else { throw BackupError.postgres }
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError.exists(path) }
        try await connector.read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
    }

    /// What a backup file holds, checked before it is restored.
    public struct BackupSummary: Sendable {
        public var migrations: [String]
        public var figures: Int
        public var accounts: Int
    }

    /// Checks that `path` is an intact pbmonitor database: SQLite's integrity check, known migrations only.
    public static func inspectBackup(_ path: String) async throws -> BackupSummary {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupError.missing(path) }
        let connector = try SQLiteConnector(path: path)
        do {
            let summary = try await connector.read { db -> BackupSummary in
                let check = try await db.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                guard check == ["ok"] else { throw BackupError.damaged(path, check.prefix(3).joined(separator: "; ")) }
                let names: [String]
                do {
                    names = try await db.raw("SELECT name FROM schema_migrations ORDER BY id").all().map { try $0.decode(column: "name", as: String.self) }
                } catch {
                    throw BackupError.notPBMonitor(path)
                }
                let unknown = Set(names).subtracting(Migrations.all.map(\.name))
                guard unknown.isEmpty else { throw BackupError.newer(path, unknown.sorted()) }
                let figures = try await db.raw("SELECT count(*) AS n FROM observations").first()?.decode(column: "n", as: Int.self) ?? 0
                let accounts = names.contains("0005-accounts-sessions-audit")
                    ? try await db.raw("SELECT count(*) AS n FROM accounts").first()?.decode(column: "n", as: Int.self) ?? 0 : 0
                return BackupSummary(migrations: names, figures: figures, accounts: accounts)
            }
            await connector.close()
            return summary
        } catch let error as BackupError {
            await connector.close()
            throw error
        } catch {
            await connector.close()
            throw BackupError.notPBMonitor(path)
        }
    }

    /// Puts the backup at `backupPath` in place of the database at `databasePath` (the server must be stopped).
    /// Nothing is lost: an existing database is first moved aside to `<name>.voor-herstel-<time>`; the copy is
    /// written next to the target and renamed into place in one step. Returns where the old database went.
    @discardableResult
    public static func restore(from backupPath: String, to databasePath: String, now: Date = Date()) async throws -> String? {
        guard !isPostgres(databasePath) else { throw BackupError.postgres }
        _ = try await inspectBackup(backupPath)
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: databasePath)
        try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).herstel-\(UUID().uuidString)")
        // A clean copy through SQLite (not a byte copy): no stray journal, the same result as a fresh backup.
        let source = try SQLiteConnector(path: backupPath)
        do {
            try await source.read { db in try await db.raw("VACUUM INTO \(bind: staging.path)").run() }
            await source.close()
        } catch {
            await source.close()
            try? fileManager.removeItem(at: staging)
            throw error
        }
        var aside: String?
        if fileManager.fileExists(atPath: target.path) {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            let moved = target.path + ".voor-herstel-\(stamp)"
            // Fold the old database's WAL into it before it is moved, so the kept copy is whole.
            let old = try SQLiteConnector(path: target.path)
            try? await old.read { db in try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
            await old.close()
            try fileManager.moveItem(atPath: target.path, toPath: moved)
            aside = moved
        }
        for suffix in ["-wal", "-shm"] { try? fileManager.removeItem(atPath: target.path + suffix) }
        try fileManager.moveItem(at: staging, to: target)
        return aside
    }
}

/// Why a backup or restore could not be done.
public enum BackupError: Error, Sendable, CustomStringConvertible {
    case postgres
    case exists(String)
    case missing(String)
    case damaged(String, String)
    case notPBMonitor(String)
    case newer(String, [String])

    public var description: String {
        switch self {
        case .postgres:
            "Op PostgreSQL maakt u een back-up met pg_dump (pg_dump -Fc -f pbmonitor.dump DATABASE) en zet u die terug met pg_restore (zie de README)."
        case .exists(let path): "\(path) bestaat al; kies een nieuwe bestandsnaam (een back-up overschrijft niets)."
        case .missing(let path): "\(path) bestaat niet."
        case .damaged(let path, let why): "\(path) is beschadigd (SQLite integrity_check: \(why)); er is niets teruggezet."
        case .notPBMonitor(let path): "\(path) is geen pbmonitor-database (geen SQLite-bestand met schema_migrations); er is niets teruggezet."
        case .newer(let path, let names):
            "\(path) komt van een nieuwere pbmonitor (onbekende migraties: \(names.joined(separator: ", "))); werk pbmonitor eerst bij."
        }
    }
}
