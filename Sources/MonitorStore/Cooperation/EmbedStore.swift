import Foundation
import Monitor
import SQLKit

/// The origins that may frame the monitor's cards, kept by a beheerder.
public protocol EmbedStore: Sendable {
    /// The allowed origins, sorted.
    func embedOrigins() async throws -> [String]
    /// Replaces the list in one transaction (each origin already normalised by ``EmbedOrigin/normalise(_:)``); audited.
    func setEmbedOrigins(_ origins: [String], actor: String) async throws
}

extension SQLStore: EmbedStore {
    public func embedOrigins() async throws -> [String] {
        try await connector.read { db in
            try await db.raw("SELECT origin FROM embed_origins ORDER BY origin").all().map { try $0.decode(column: "origin", as: String.self) }
        }
    }

    public func setEmbedOrigins(_ origins: [String], actor: String) async throws {
        let now = clock()
        let wanted = Array(Set(origins)).sorted()
        try await write { db in
            let before = try await db.raw("SELECT origin FROM embed_origins ORDER BY origin").all().map { try $0.decode(column: "origin", as: String.self) }
            try await db.raw("DELETE FROM embed_origins").run()
            for origin in wanted {
                try await db.raw("""
                    INSERT INTO embed_origins (origin, added_by, added_at) VALUES (\(bind: origin), \(bind: actor), \(bind: Self.timestamp(now)))
                    """).run()
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "insluiten.herkomsten", object: "insluiten",
                                                  before: try Self.storedJSON(before), after: try Self.storedJSON(wanted)), on: db)
        }
    }
}
