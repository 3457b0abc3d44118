import Foundation
import Monitor
import SQLKit

/// Dialogue records: concepts of a gemeente until published; published ones appear on the figure pages
/// they are about and count as use of those indicators in the meetlast ledger. Every change is audited.
public protocol DialogueStore: Sendable {
    /// Inserts a new record (`id` 0) or replaces a concept; returns it as stored.
    func saveDialogue(_ record: DialogueRecord, actor: String) async throws -> DialogueRecord
    func dialogue(id: Int) async throws -> DialogueRecord?
    /// A gemeente's records, newest conversation first; concepts only when asked for.
    func dialogues(gemeente: AreaCode, includeConcepts: Bool) async throws -> [DialogueRecord]
    /// Published records about an indicator and/or an area, newest first.
    func publishedDialogues(indicator: String?, area: AreaCode?) async throws -> [DialogueRecord]
}

extension SQLStore: DialogueStore {
    static let dialogueDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public func saveDialogue(_ record: DialogueRecord, actor: String) async throws -> DialogueRecord {
        let problems = record.problems()
        guard problems.isEmpty else { throw RecordError.invalid(.dialogue, id: record.id, problems) }
        let now = clock()
        return try await write { db in
            let (record, _) = try await Self.saveConcept(record, table: "dialogues", now: now, actor: actor, on: db,
                                                         load: Self.loadDialogue(id:on:), carry: { record, old in
                record.createdBy = old?.createdBy ?? actor
                if old == nil { record.publishedAt = nil }
            }, columns: { [("kind", $0.kind.rawValue), ("day", $0.date.day)] })
            try await db.raw("DELETE FROM dialogue_figures WHERE dialogue_id = \(bind: record.id)").run()
            for figure in Set(record.figures) {
                try await db.raw("""
                    INSERT INTO dialogue_figures (dialogue_id, indicator, area_code, period)
                    VALUES (\(bind: record.id), \(bind: figure.indicator), \(bind: figure.area.rawValue), \(bind: figure.period))
                    """).run()
            }
            return record
        }
    }

    public func dialogue(id: Int) async throws -> DialogueRecord? {
        try await connector.read { db in try await Self.loadDialogue(id: id, on: db) }
    }

    public func dialogues(gemeente: AreaCode, includeConcepts: Bool) async throws -> [DialogueRecord] {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT body, status, published_at FROM dialogues WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "" : "AND status = 'gepubliceerd'")
                ORDER BY day DESC, id DESC
                """).all()
            return try rows.map(Self.dialogue(from:))
        }
    }

    public func publishedDialogues(indicator: String?, area: AreaCode?) async throws -> [DialogueRecord] {
        try await connector.read { db in
            var conditions: [SQLQueryString] = ["d.status = 'gepubliceerd'"]
            if let indicator { conditions.append("f.indicator = \(bind: indicator)") }
            if let area { conditions.append("f.area_code = \(bind: area.rawValue)") }
            let rows = try await db.raw("""
                SELECT d.body, d.status, d.published_at FROM dialogues d
                WHERE d.id IN (SELECT f.dialogue_id FROM dialogue_figures f JOIN dialogues d ON d.id = f.dialogue_id
                               WHERE \(conditions.joined(separator: " AND ")))
                ORDER BY d.day DESC, d.id DESC
                """).all()
            return try rows.map(Self.dialogue(from:))
        }
    }

    /// Publishing and withdrawing (``changePublication(table:id:to:now:actor:on:load:apply:json:columns:)``);
    /// publishing also counts as a use of every indicator the conversation is about (the meetlast ledger).
    func decideDialogue(id: Int, to status: PublicationStatus, actor: String) async throws -> DialogueRecord {
        let now = clock()
        return try await write { db in
            let record = try await Self.changePublication(
                table: "dialogues", id: id, to: status, now: now, actor: actor, on: db,
                load: { try await Self.loadDialogue(id: $0, on: $1) },
                apply: { if status == .gepubliceerd { $0.publishedAt = now } }, json: Self.storedJSON)
            if status == .gepubliceerd {
                let day = String(Self.timestamp(now).prefix(10))
                for indicator in Set(record.figures.map(\.indicator)) {
                    try await db.raw("""
                        INSERT INTO indicator_usage (indicator, day, page_views, dialogue_references) VALUES (\(bind: indicator), \(bind: day), 0, 1)
                        ON CONFLICT (indicator, day) DO UPDATE SET dialogue_references = indicator_usage.dialogue_references + 1
                        """).run()
                }
            }
            return record
        }
    }

    static func loadDialogue(id: Int, on db: any SQLDatabase) async throws -> DialogueRecord? {
        try await db.raw("SELECT body, status, published_at FROM dialogues WHERE id = \(bind: id)").first().map(dialogue(from:))
    }

    static func dialogue(from row: any SQLRow) throws -> DialogueRecord {
        let body = try row.decode(column: "body", as: String.self)
        var record = try dialogueDecoder.decode(DialogueRecord.self, from: Data(body.utf8))
        record.status = DialogueRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? record.status
        return record
    }
}
