import Foundation
import Monitor
import SQLKit

/// A record kept as JSON in its own table with `id`, `status` and `body` columns.
protocol StoredRecord: Codable, Sendable {
    var id: Int { get set }
    var status: PublicationStatus { get set }
}

extension BoardItem: StoredRecord {}
extension Intervention: StoredRecord {}
extension NetworkMap: StoredRecord {}
extension Facility: StoredRecord {}
extension Questionnaire: StoredRecord {}

extension SQLStore {
    /// A stored record from its row: the body, with the row's id and status (the columns are the truth).
    static func record<Record: StoredRecord>(_ type: Record.Type, from row: any SQLRow) throws -> Record {
        var record = try dialogueDecoder.decode(Record.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        record.id = try row.decode(column: "id", as: Int.self)
        record.status = PublicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? record.status
        return record
    }

    /// The one rule for publishing and withdrawing a record kept as JSON in its own table (dialogue records, gespreksmodel
    /// items, interventions, network maps): publishing takes a concept; withdrawing takes a concept or a published record.
    /// The UPDATE claims the row with its old status, so when two nodes try at once one finds nothing and gets the
    /// wrong-status error; the change is audited with the record before and after. Runs inside the caller's transaction.
    /// - Parameters:
    ///   - apply: what else changes with the status in the record (published date, version).
    ///   - columns: more columns to set, e.g. `version = …` (empty for none).
    ///   - unknown: the error when there is no such record.
    ///   - wrongStatus: the error for a record in another status, given that status and what was expected, in Dutch.
    static func changePublication<Record: Codable & Sendable>(
        table: String, id: Int, to status: PublicationStatus, now: Date, actor: String, action: String, object: String,
        on db: any SQLDatabase,
        load: (Int, any SQLDatabase) async throws -> Record?,
        status current: (Record) -> PublicationStatus,
        apply: (inout Record) -> Void,
        json: (Record) throws -> String,
        columns: (Record) -> SQLQueryString = { _ in "" },
        unknown: any Error,
        wrongStatus: (PublicationStatus, String) -> any Error
    ) async throws -> Record {
        guard let old = try await load(id, db) else { throw unknown }
        let allowed: Set<PublicationStatus> = status == .gepubliceerd ? [.concept] : [.concept, .gepubliceerd]
        let expected = status == .gepubliceerd ? "alleen een concept kan worden gepubliceerd" : "het is al ingetrokken"
        guard allowed.contains(current(old)) else { throw wrongStatus(current(old), expected) }
        var record = old
        apply(&record)
        let body = try json(record)
        let published: SQLQueryString = status == .gepubliceerd ? ", published_at = \(bind: timestamp(now))" : ""
        let claimed = try await db.raw("""
            UPDATE \(unsafeRaw: table) SET status = \(bind: status.rawValue), body = \(bind: body), updated_at = \(bind: timestamp(now))\(published)\(columns(record))
            WHERE id = \(bind: id) AND status = \(bind: current(old).rawValue) RETURNING id
            """).first()
        guard claimed != nil else { throw wrongStatus(current(old), expected) }
        try await appendAudit(AuditEntry(at: now, actor: actor, action: action, object: object, before: try json(old), after: body), on: db)
        return record
    }

    /// The saved versions of a record whose every state is kept in `<versions>` (`version`, `saved_at`, `saved_by`, keyed
    /// by `<key>`), oldest first: interventions and a gemeente's own indicators.
    func savedVersions(in versions: String, key: String, id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)] {
        try await connector.read { db in
            try await db.raw("""
                SELECT version, saved_at, saved_by FROM \(unsafeRaw: versions) WHERE \(unsafeRaw: key) = \(bind: id) ORDER BY version
                """).all().map { row in
                (try row.decode(column: "version", as: Int.self), Self.date(try row.decode(column: "saved_at", as: String.self)),
                 try row.decode(column: "saved_by", as: String.self))
            }
        }
    }

    /// Keeps one saved state of such a record, inside the caller's transaction.
    static func appendVersion(in versions: String, key: String, id: Int, version: Int, body: String, actor: String, at now: Date,
                              on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO \(unsafeRaw: versions) (\(unsafeRaw: key), version, body, saved_by, saved_at)
            VALUES (\(bind: id), \(bind: version), \(bind: body), \(bind: actor), \(bind: timestamp(now)))
            """).run()
    }
}
