import Foundation
import Monitor
import SQLKit

/// The gespreksmodel of a gemeente: items are concepts until published; several people answer each one
/// (one answer per person, changeable); every change is audited.
public protocol ConversationBoardStore: Sendable {
    /// Inserts a new item (`id` 0) or replaces a concept's fields (answers stay); returns it as stored.
    func saveConversationBoardItem(_ item: ConversationBoardItem, actor: String) async throws -> ConversationBoardItem
    func conversationBoardItem(id: Int) async throws -> ConversationBoardItem?
    /// A gemeente's items in board order (place, then name); concepts only when asked for.
    func conversationBoardItems(gemeente: AreaCode, includeConcepts: Bool) async throws -> [ConversationBoardItem]
    /// Adds or replaces `answer.account`'s answer on an item that is not withdrawn.
    func answerConversationBoardItem(id: Int, answer: ConversationBoardAnswer) async throws -> ConversationBoardItem
}

extension SQLStore: ConversationBoardStore {
    /// The item's body: its answers live in their own table, one row per person.
    static func bodyJSON(_ item: ConversationBoardItem) throws -> String {
        var item = item
        item.answers = []
        return try storedJSON(item)
    }

    public func saveConversationBoardItem(_ item: ConversationBoardItem, actor: String) async throws -> ConversationBoardItem {
        let problems = item.problems()
        guard problems.isEmpty else { throw RecordError.invalid(.conversationBoardItem, id: item.id, problems) }
        let now = clock()
        return try await write { db in
            let (item, _) = try await Self.saveConcept(item, table: "board_items", now: now, actor: actor, on: db,
                                                       load: Self.loadConversationBoardItem(id:on:), carry: { item, old in
                item.createdBy = old?.createdBy ?? actor
                if old == nil { item.publishedAt = nil }
            }, json: Self.bodyJSON)
            return try await Self.loadConversationBoardItem(id: item.id, on: db) ?? item
        }
    }

    public func conversationBoardItem(id: Int) async throws -> ConversationBoardItem? {
        try await connector.read { db in try await Self.loadConversationBoardItem(id: id, on: db) }
    }

    public func conversationBoardItems(gemeente: AreaCode, includeConcepts: Bool) async throws -> [ConversationBoardItem] {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT id, body, status, published_at FROM board_items WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'") ORDER BY id
                """).all()
            var items = try rows.map { try Self.record(ConversationBoardItem.self, from: $0) }
            let answers = try await db.raw("""
                SELECT a.item_id, a.account, a.role, a.function, a.answer, a.reason, a.answered_at FROM board_answers a
                JOIN board_items i ON i.id = a.item_id WHERE i.gemeente_code = \(bind: gemeente.rawValue)
                ORDER BY a.answered_at, a.account
                """).all()
            var byItem: [Int: [ConversationBoardAnswer]] = [:]
            for row in answers { byItem[try row.decode(column: "item_id", as: Int.self), default: []].append(try Self.conversationBoardAnswer(from: row)) }
            for index in items.indices { items[index].answers = byItem[items[index].id] ?? [] }
            return items.sorted { ($0.place.order, $0.name.lowercased(), $0.id) < ($1.place.order, $1.name.lowercased(), $1.id) }
        }
    }

    public func answerConversationBoardItem(id: Int, answer: ConversationBoardAnswer) async throws -> ConversationBoardItem {
        let now = clock()
        return try await write { db in
            guard let item = try await Self.loadConversationBoardItem(id: id, on: db) else { throw RecordError.unknown(.conversationBoardItem, id: id) }
            guard item.status != .ingetrokken else {
                throw RecordError.wrongStatus(.conversationBoardItem, id: id, status: item.status, expected: tr("een ingetrokken onderdeel krijgt geen antwoorden meer"))
            }
            let old = item.answers.first { $0.account == answer.account }
            var answer = answer
            answer.at = now
            answer.reason = answer.reason.trimmedWhitespace
            try await db.raw("DELETE FROM board_answers WHERE item_id = \(bind: id) AND account = \(bind: answer.account)").run()
            try await db.raw("""
                INSERT INTO board_answers (item_id, account, role, function, answer, reason, answered_at)
                VALUES (\(bind: id), \(bind: answer.account), \(bind: answer.role.rawValue), \(bind: answer.function), \(bind: answer.answer.rawValue),
                        \(bind: answer.reason), \(bind: Self.timestamp(now)))
                """).run()
            try await Self.appendAudit(AuditEntry(at: now, actor: answer.account, action: "gespreksmodel.antwoorden", object: "gespreksmodel:\(id)",
                                                  before: try old.map(Self.storedJSON), after: try Self.storedJSON(answer)), on: db)
            return try await Self.loadConversationBoardItem(id: id, on: db) ?? item
        }
    }

    func decideConversationBoardItem(id: Int, to status: PublicationStatus, actor: String) async throws -> ConversationBoardItem {
        let now = clock()
        return try await write { db in
            try await Self.changePublication(
                table: "board_items", id: id, to: status, now: now, actor: actor, on: db,
                load: { try await Self.loadConversationBoardItem(id: $0, on: $1) },
                apply: { if status == .gepubliceerd { $0.publishedAt = now } }, json: Self.bodyJSON)
        }
    }


    static func loadConversationBoardItem(id: Int, on db: any SQLDatabase) async throws -> ConversationBoardItem? {
        guard let row = try await db.raw("SELECT id, body, status, published_at FROM board_items WHERE id = \(bind: id)").first() else { return nil }
        var item = try record(ConversationBoardItem.self, from: row)
        item.answers = try await db.raw("""
            SELECT item_id, account, role, function, answer, reason, answered_at FROM board_answers WHERE item_id = \(bind: id)
            ORDER BY answered_at, account
            """).all().map(conversationBoardAnswer(from:))
        return item
    }


    static func conversationBoardAnswer(from row: any SQLRow) throws -> ConversationBoardAnswer {
        ConversationBoardAnswer(account: try row.decode(column: "account", as: String.self),
                                role: ParticipantRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .professional,
                                function: try row.decode(column: "function", as: String.self),
                                answer: BelongingAnswer(rawValue: try row.decode(column: "answer", as: String.self)) ?? .twijfel,
                                reason: try row.decode(column: "reason", as: String.self),
                                at: date(try row.decode(column: "answered_at", as: String.self)))
    }
}
