import Foundation
import Monitor
import SQLKit

/// Publishing and withdrawing, the same for every kind of record (``PublishableRecord``): one protocol, one rule.
public protocol PublicationStore: Sendable {
    /// Publishes (`.gepubliceerd`, a concept only) or withdraws (`.ingetrokken`) a record, audited, with what the kind
    /// does besides (a published network map writes its figures, an own indicator joins the catalogue, …).
    /// Throws ``RecordError`` (unknown id, or a status the change does not take).
    func changePublication<Record: PublishableRecord>(_ type: Record.Type, id: Int, to status: PublicationStatus, actor: String) async throws -> Record
}

extension SQLStore: PublicationStore {
    public func changePublication<Record: PublishableRecord>(_ type: Record.Type, id: Int, to status: PublicationStatus, actor: String) async throws -> Record {
                let changed: any PublishableRecord = switch Record.kind {
        case .dialogue: try await decideDialogue(id: id, to: status, actor: actor)
        case .conversationBoardItem: try await decideConversationBoardItem(id: id, to: status, actor: actor)
        case .intervention: try await decideIntervention(id: id, to: status, actor: actor)
        case .network: try await decideNetwork(id: id, to: status, actor: actor)
        case .questionnaire: try await decideQuestionnaire(id: id, to: status, actor: actor)
        case .localIndicator: try await decideLocalIndicator(id: id, to: status, actor: actor)
        }
        guard let record = changed as? Record else { throw RecordError.unknown(Record.kind, id: id) }
        return record
    }
}

/// A record kept as JSON in its own table with `id`, `status` and `body` columns.
protocol StoredRecord: Codable, Sendable {
    var id: Int { get set }
    var status: PublicationStatus { get set }
}

extension ConversationBoardItem: StoredRecord {}
extension Intervention: StoredRecord {}
extension NetworkMap: StoredRecord {}
extension Facility: StoredRecord {}
extension Questionnaire: StoredRecord {}
extension LocalIndicator: StoredRecord {}


extension SQLStore {
    /// A stored record from its row: the body, with the row's id and status (the columns are the truth).
    static func record<Record: StoredRecord>(_ type: Record.Type, from row: any SQLRow) throws -> Record {
        var record = try dialogueDecoder.decode(Record.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        record.id = try row.decode(column: "id", as: Int.self)
        record.status = PublicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? record.status
        return record
    }

    /// The one implementation of publishing and withdrawing a record kept as JSON in its own table: the rule is
    /// ``RecordKind/allows(from:to:)``. The UPDATE claims the row with its old status, so when two nodes try at once one
    /// finds nothing and gets the wrong-status error; the change is audited (`<kind>.publiceren|intrekken`, object
    /// `<kind>:<id>`) with the record before and after. Runs inside the caller's transaction.
    /// - Parameters:
    ///   - apply: what else changes with the status in the record (published date, version).
    ///   - columns: more columns to set, e.g. `version = …` (empty for none).
    static func changePublication<Record: PublishableRecord>(
        table: String, id: Int, to status: PublicationStatus, now: Date, actor: String, on db: any SQLDatabase,
        load: (Int, any SQLDatabase) async throws -> Record?,
        apply: (inout Record) -> Void = { _ in },
        json: (Record) throws -> String,
        columns: (Record) -> SQLQueryString = { _ in "" }
    ) async throws -> Record {
        let kind = Record.kind
        guard let old = try await load(id, db) else { throw RecordError.unknown(kind, id: id) }
        let expected = kind.refusal(to: status)
        guard kind.allows(from: old.status, to: status) else {
            throw RecordError.wrongStatus(kind, id: id, status: old.status, expected: expected)
        }
        var record = old
        record.status = status
        apply(&record)
        let body = try json(record)
        let published: SQLQueryString = status == .gepubliceerd ? ", published_at = \(bind: timestamp(now))" : ""
        let claimed = try await db.raw("""
            UPDATE \(unsafeRaw: table) SET status = \(bind: status.rawValue), body = \(bind: body), updated_at = \(bind: timestamp(now))\(published)\(columns(record))
            WHERE id = \(bind: id) AND status = \(bind: old.status.rawValue) RETURNING id
            """).first()
        guard claimed != nil else { throw RecordError.wrongStatus(kind, id: id, status: old.status, expected: expected) }
        let verb = status == .gepubliceerd ? "publiceren" : "intrekken"
        try await appendAudit(AuditEntry(at: now, actor: actor, action: "\(kind.auditName).\(verb)", object: "\(kind.auditName):\(id)",
                                         before: try json(old), after: body), on: db)
        return record
    }

    /// The one implementation of saving a concept of a record kept as JSON in its own table (duiding, gespreksmodel,
    /// interventie, netwerk, vragenlijst): a new record (`id` 0) gets a row of its gemeente; an existing one must be of
    /// the same gemeente (else it is unknown, as another gemeente's record must look) and still a concept
    /// (``RecordError/notEditable(_:id:status:)``). The UPDATE claims the row as a concept, so a publish on another node in
    /// between refuses the save instead of overwriting what is published. Audited as `<kind>.toevoegen|wijzigen` with the
    /// record before and after. Runs inside the caller's transaction.
    /// - Parameters:
    ///   - carry: fills what the kind keeps from the stored record (`old`; nil for a new one): who made it, its version.
    ///   - columns: more columns the kind keeps next to the body (`day`, `version`, …), written on insert and update.
    /// - Returns: the stored record and its JSON body.
    static func saveConcept<Record: PublishableRecord>(
        _ record: Record, table: String, now: Date, actor: String, on db: any SQLDatabase,
        load: (Int, any SQLDatabase) async throws -> Record?,
        carry: (inout Record, _ old: Record?) -> Void,
        json: (Record) throws -> String = { try storedJSON($0) },
        columns: (Record) -> [(name: String, value: any Encodable & Sendable)] = { _ in [] }
    ) async throws -> (record: Record, body: String) {
        let kind = Record.kind
        var item = record
        var old: Record?
        if item.id != 0 {
            guard let stored = try await load(item.id, db), stored.gemeente == item.gemeente else { throw RecordError.unknown(kind, id: item.id) }
            guard stored.status == .concept else { throw RecordError.notEditable(kind, id: item.id, status: stored.status) }
            old = stored
        }
        item.status = .concept
        carry(&item, old)
        let extra = columns(item)
        let stamp = timestamp(now)
        if old == nil {
            let names = extra.map { ", " + $0.name }.joined()
            let values = extra.map { column -> SQLQueryString in ", \(bind: column.value)" }.joined()
            item.id = try await db.raw("""
                INSERT INTO \(unsafeRaw: table) (gemeente_code, status, body, created_by, created_at, updated_at\(unsafeRaw: names))
                VALUES (\(bind: item.gemeente.rawValue), 'concept', '{}', \(bind: actor), \(bind: stamp), \(bind: stamp)\(values))
                RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
        }
        let body = try json(item)
        let assignments = extra.map { column -> SQLQueryString in ", \(unsafeRaw: column.name) = \(bind: column.value)" }.joined()
        let claimed = try await db.raw("""
            UPDATE \(unsafeRaw: table) SET body = \(bind: body), updated_at = \(bind: stamp)\(assignments)
            WHERE id = \(bind: item.id) AND status = 'concept' RETURNING id
            """).first()
        guard claimed != nil else { throw RecordError.notEditable(kind, id: item.id, status: .gepubliceerd) }
        let before = try old.map(json)
        try await appendAudit(AuditEntry(at: now, actor: actor, action: "\(kind.auditName).\(old == nil ? "toevoegen" : "wijzigen")",
                                         object: "\(kind.auditName):\(item.id)", before: before, after: body), on: db)
        return (item, body)
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
