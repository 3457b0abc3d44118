import Foundation
import Monitor
import SQLKit

/// Kopgroepen, what their members share with them, the copies members make, and the shared list of intervention types.
/// Only published records can be shared; sharing, withdrawing and copying are audited (`kopgroep.…`).
public protocol KopgroepStore: Sendable {
    /// Inserts (`id` 0) or changes a group (name, purpose, members); audited.
    func saveKopgroep(_ group: Kopgroep, actor: String) async throws -> Kopgroep
    func kopgroep(id: Int) async throws -> Kopgroep?
    /// Every group, by name.
    func kopgroepen() async throws -> [Kopgroep]
    /// Shares a published record of a member gemeente with the group; throws ``CooperationError`` when the record is
    /// unknown, not published, not of that gemeente, the gemeente is not a member, or it is shared already.
    func share(kind: ShareKind, recordID: Int, gemeente: AreaCode, groupID: Int, actor: String) async throws -> SharedRecord
    /// Stops sharing (the row stays, with who withdrew it and when); copies already made stay their makers'.
    func withdrawShare(id: Int, groupID: Int, actor: String) async throws -> SharedRecord
    func sharedRecord(id: Int) async throws -> SharedRecord?
    /// A group's shares, newest first (withdrawn ones too when asked).
    func shares(groupID: Int, includeWithdrawn: Bool) async throws -> [SharedRecord]
    /// The published interventions shared with any kopgroep as one of `kinds` (each once, however many groups), newest first:
    /// what is pooled and what the goede voorbeelden show.
    func sharedInterventions(kinds: [ShareKind]) async throws -> [Intervention]
    /// A new concept questionnaire of `gemeente` that starts as a copy of a shared one, its origin kept; audited.
    func copySharedQuestionnaire(shareID: Int, into gemeente: AreaCode, actor: String) async throws -> Questionnaire
    /// The copies made of a group's shares.
    func copies(groupID: Int) async throws -> [RecordCopy]
    /// The intervention types, by name.
    func interventionTypes() async throws -> [InterventionType]
    /// Adds a type (`isNew`, its id from its name) or changes one's name and description; audited.
    func saveInterventionType(_ type: InterventionType, isNew: Bool, actor: String) async throws -> InterventionType
}

extension SQLStore: KopgroepStore {
    public func saveKopgroep(_ group: Kopgroep, actor: String) async throws -> Kopgroep {
        let problems = group.partProblems()
        guard problems.isEmpty else { throw CooperationError(.invalid, problems.map(\.message).joined(separator: "; ")) }
        let now = clock()
        return try await write { db in
            var item = group
            var members: [AreaCode] = []
            for code in group.members where !members.contains(code) { members.append(code) }
            item.members = members
            let stamp = Self.timestamp(now)
            var before: String?
            if item.id == 0 {
                item.createdBy = actor
                item.createdAt = now
                item.id = try await db.raw("""
                    INSERT INTO kopgroepen (name, purpose, created_by, created_at, updated_at)
                    VALUES (\(bind: item.name), \(bind: item.purpose), \(bind: actor), \(bind: stamp), \(bind: stamp)) RETURNING id
                    """).first()?.decode(column: "id", as: Int.self) ?? 0
            } else {
                guard let old = try await Self.loadKopgroep(id: item.id, on: db) else { throw CooperationError(.unknown, tr("Deze kopgroep bestaat niet.")) }
                before = try Self.storedJSON(old)
                item.createdBy = old.createdBy
                item.createdAt = old.createdAt
                try await db.raw("""
                    UPDATE kopgroepen SET name = \(bind: item.name), purpose = \(bind: item.purpose), updated_at = \(bind: stamp) WHERE id = \(bind: item.id)
                    """).run()
                try await db.raw("DELETE FROM kopgroep_members WHERE group_id = \(bind: item.id)").run()
            }
            for member in item.members {
                try await db.raw("INSERT INTO kopgroep_members (group_id, gemeente_code) VALUES (\(bind: item.id), \(bind: member.rawValue))").run()
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: before == nil ? "kopgroep.toevoegen" : "kopgroep.wijzigen",
                                                  object: "kopgroep:\(item.id)", before: before, after: try Self.storedJSON(item)), on: db)
            return item
        }
    }

    public func kopgroep(id: Int) async throws -> Kopgroep? {
        try await connector.read { db in try await Self.loadKopgroep(id: id, on: db) }
    }

    public func kopgroepen() async throws -> [Kopgroep] {
        try await connector.read { db in
            let members = try await Self.members(on: db)
            return try await db.raw("SELECT id, name, purpose, created_by, created_at FROM kopgroepen ORDER BY name, id").all()
                .map { try Self.kopgroep(from: $0, members: members) }
        }
    }

    public func share(kind: ShareKind, recordID: Int, gemeente: AreaCode, groupID: Int, actor: String) async throws -> SharedRecord {
        let now = clock()
        return try await write { db in
            guard let group = try await Self.loadKopgroep(id: groupID, on: db) else { throw CooperationError(.unknown, tr("Deze kopgroep bestaat niet.")) }
            guard group.members.contains(gemeente) else {
                throw CooperationError(.invalid, tr("{0} is geen lid van kopgroep {1}.", gemeente.rawValue, group.name))
            }
            let title = try await Self.shareableTitle(kind: kind, recordID: recordID, gemeente: gemeente, on: db)
            let existing = try await db.raw("""
                SELECT id FROM shared_records WHERE group_id = \(bind: groupID) AND kind = \(bind: kind.rawValue) AND record_id = \(bind: recordID)
                AND withdrawn_at IS NULL
                """).first()
            guard existing == nil else { throw CooperationError(.conflict, tr("Deze {0} is al gedeeld met {1}.", kind.label, group.name)) }
            var share = SharedRecord(groupID: groupID, kind: kind, recordID: recordID, gemeente: gemeente, title: title, sharedBy: actor, sharedAt: now)
            share.id = try await db.raw("""
                INSERT INTO shared_records (group_id, kind, record_id, gemeente_code, title, shared_by, shared_at)
                VALUES (\(bind: groupID), \(bind: kind.rawValue), \(bind: recordID), \(bind: gemeente.rawValue), \(bind: title), \(bind: actor),
                        \(bind: Self.timestamp(now))) RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "kopgroep.delen", object: "kopgroep:\(groupID)",
                                                  before: nil, after: try Self.storedJSON(share)), on: db)
            return share
        }
    }

    public func withdrawShare(id: Int, groupID: Int, actor: String) async throws -> SharedRecord {
        let now = clock()
        return try await write { db in
            guard let old = try await Self.loadShare(id: id, on: db), old.groupID == groupID else {
                throw CooperationError(.unknown, tr("Dit gedeelde record bestaat niet (in deze kopgroep)."))
            }
            guard old.isActive else { throw CooperationError(.conflict, tr("Dit record wordt al niet meer gedeeld.")) }
            var share = old
            share.withdrawnBy = actor
            share.withdrawnAt = now
            let claimed = try await db.raw("""
                UPDATE shared_records SET withdrawn_by = \(bind: actor), withdrawn_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND withdrawn_at IS NULL RETURNING id
                """).first()
            guard claimed != nil else { throw CooperationError(.conflict, tr("Dit record wordt al niet meer gedeeld.")) }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "kopgroep.niet-meer-delen", object: "kopgroep:\(groupID)",
                                                  before: try Self.storedJSON(old), after: try Self.storedJSON(share)), on: db)
            return share
        }
    }

    public func sharedRecord(id: Int) async throws -> SharedRecord? {
        try await connector.read { db in try await Self.loadShare(id: id, on: db) }
    }

    public func shares(groupID: Int, includeWithdrawn: Bool) async throws -> [SharedRecord] {
        try await connector.read { db in
            try await db.raw("""
                SELECT * FROM shared_records WHERE group_id = \(bind: groupID)
                \(unsafeRaw: includeWithdrawn ? "" : "AND withdrawn_at IS NULL") ORDER BY id DESC
                """).all().map(Self.share(from:))
        }
    }

    public func sharedInterventions(kinds: [ShareKind]) async throws -> [Intervention] {
        guard !kinds.isEmpty else { return [] }
        // The kinds are the enum's own words, never input.
        let list = kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await connector.read { db in
            try await db.raw("""
                SELECT i.id, i.body, i.status FROM interventions i
                WHERE i.status = 'gepubliceerd' AND EXISTS (
                    SELECT 1 FROM shared_records s WHERE s.record_id = i.id AND s.withdrawn_at IS NULL AND s.kind IN (\(unsafeRaw: list)))
                ORDER BY i.id DESC
                """).all().map { try Self.record(Intervention.self, from: $0) }
        }
    }

    public func copySharedQuestionnaire(shareID: Int, into gemeente: AreaCode, actor: String) async throws -> Questionnaire {
        let now = clock()
        return try await write { db in
            let (share, _) = try await Self.copyableShare(id: shareID, kind: .vragenlijst, into: gemeente, on: db)
            guard let source = try await Self.loadQuestionnaire(id: share.recordID, on: db), source.status == .gepubliceerd else {
                throw CooperationError(.conflict, tr("Deze vragenlijst is niet meer gepubliceerd en kan niet worden gekopieerd."))
            }
            var copy = source
            copy.id = 0
            copy.gemeente = gemeente
            copy.origin = RecordOrigin(shareID: share.id, groupID: share.groupID, kind: share.kind, gemeente: share.gemeente,
                                       recordID: share.recordID, title: source.title)
            let saved = try await Self.saveConcept(copy, table: "questionnaires", now: now, actor: actor, on: db,
                                                   load: Self.loadQuestionnaire(id:on:), carry: { _, _ in }).record
            try await Self.recordCopy(RecordCopy(shareID: share.id, kind: .questionnaire, recordID: saved.id, gemeente: gemeente,
                                                 copiedBy: actor, copiedAt: now), on: db)
            return saved
        }
    }

    /// The active share a member may copy into `gemeente`: of this kind (an MKBA's share for `.interventie` too), in a group
    /// the gemeente belongs to, and not the gemeente's own record.
    static func copyableShare(id: Int, kind: ShareKind, into gemeente: AreaCode, on db: any SQLDatabase) async throws -> (SharedRecord, Kopgroep) {
        guard let share = try await loadShare(id: id, on: db), share.isActive,
              share.kind == kind || (kind == .interventie && share.kind == .mkba),
              let group = try await loadKopgroep(id: share.groupID, on: db) else {
            throw CooperationError(.unknown, tr("Dit gedeelde record bestaat niet (meer)."))
        }
        guard group.members.contains(gemeente) else {
            throw CooperationError(.invalid, tr("{0} is geen lid van kopgroep {1}.", gemeente.rawValue, group.name))
        }
        return (share, group)
    }

    /// Notes a copy (who uses what), inside the caller's transaction, and audits it.
    static func recordCopy(_ copy: RecordCopy, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO record_copies (kind, record_id, share_id, gemeente_code, copied_by, copied_at)
            VALUES (\(bind: copy.kind.rawValue), \(bind: copy.recordID), \(bind: copy.shareID), \(bind: copy.gemeente.rawValue),
                    \(bind: copy.copiedBy), \(bind: timestamp(copy.copiedAt)))
            """).run()
        try await appendAudit(AuditEntry(at: copy.copiedAt, actor: copy.copiedBy, action: "kopgroep.kopie", object: "gedeeld:\(copy.shareID)",
                                         before: nil, after: "{\"soort\":\"\(copy.kind.auditName)\",\"id\":\(copy.recordID),\"gemeente\":\"\(copy.gemeente.rawValue)\"}"),
                              on: db)
    }

    public func copies(groupID: Int) async throws -> [RecordCopy] {
        try await connector.read { db in
            try await db.raw("""
                SELECT c.kind, c.record_id, c.share_id, c.gemeente_code, c.copied_by, c.copied_at FROM record_copies c
                JOIN shared_records s ON s.id = c.share_id WHERE s.group_id = \(bind: groupID) ORDER BY c.copied_at, c.record_id
                """).all().compactMap { row in
                guard let kind = RecordKind(rawValue: try row.decode(column: "kind", as: String.self)),
                      let gemeente = AreaCode(try row.decode(column: "gemeente_code", as: String.self)) else { return nil }
                return RecordCopy(shareID: try row.decode(column: "share_id", as: Int.self), kind: kind,
                                  recordID: try row.decode(column: "record_id", as: Int.self), gemeente: gemeente,
                                  copiedBy: try row.decode(column: "copied_by", as: String.self),
                                  copiedAt: Self.date(try row.decode(column: "copied_at", as: String.self)))
            }
        }
    }

    public func interventionTypes() async throws -> [InterventionType] {
        try await connector.read { db in
            try await db.raw("SELECT id, name, description FROM intervention_types").all().map { row in
                InterventionType(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                                 description: try row.decode(column: "description", as: String.self))
            }.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        }
    }

    public func saveInterventionType(_ type: InterventionType, isNew: Bool, actor: String) async throws -> InterventionType {
        var item = type
        item.name = item.name.trimmedWhitespace
        item.description = item.description.trimmedWhitespace
        if isNew { item.id = InterventionType.key(for: item.name) }
        let problems = item.partProblems()
        guard problems.isEmpty else { throw CooperationError(.invalid, problems.map(\.message).joined(separator: "; ")) }
        let now = clock()
        let saved = item
        return try await write { db in
            let old = try await db.raw("SELECT name, description FROM intervention_types WHERE id = \(bind: saved.id)").first()
            let stamp = Self.timestamp(now)
            if isNew {
                guard old == nil else { throw CooperationError(.conflict, tr("Er is al een type met deze naam: {0}.", saved.id)) }
                try await db.raw("""
                    INSERT INTO intervention_types (id, name, description, created_by, created_at, updated_at)
                    VALUES (\(bind: saved.id), \(bind: saved.name), \(bind: saved.description), \(bind: actor), \(bind: stamp), \(bind: stamp))
                    """).run()
            } else {
                guard old != nil else { throw CooperationError(.unknown, tr("Dit type interventie bestaat niet.")) }
                try await db.raw("""
                    UPDATE intervention_types SET name = \(bind: saved.name), description = \(bind: saved.description), updated_at = \(bind: stamp)
                    WHERE id = \(bind: saved.id)
                    """).run()
            }
            let before = try old.map { row in
                try Self.storedJSON(InterventionType(id: saved.id, name: try row.decode(column: "name", as: String.self),
                                                     description: try row.decode(column: "description", as: String.self)))
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: isNew ? "interventietype.toevoegen" : "interventietype.wijzigen",
                                                  object: "interventietype:\(saved.id)", before: before, after: try Self.storedJSON(saved)), on: db)
            return saved
        }
    }

    // MARK: Rows

    /// The title of a record that may be shared, or why it may not: it must exist, be the gemeente's, and be published (an
    /// MKBA: a published intervention that has one).
    static func shareableTitle(kind: ShareKind, recordID: Int, gemeente: AreaCode, on db: any SQLDatabase) async throws -> String {
        let unknown = CooperationError(.unknown, tr("{0} heeft geen {1} met nummer {2}.", gemeente.rawValue, kind.label, recordID))
        let unpublished = CooperationError(.conflict, tr("Alleen wat gepubliceerd is kan worden gedeeld; deze {0} is dat niet.", kind.label))
        switch kind {
        case .vragenlijst:
            guard let item = try await loadQuestionnaire(id: recordID, on: db), item.gemeente == gemeente else { throw unknown }
            guard item.status == .gepubliceerd else { throw unpublished }
            return item.title
        case .interventie, .mkba:
            guard let item = try await loadIntervention(id: recordID, on: db), item.gemeente == gemeente else { throw unknown }
            guard item.status == .gepubliceerd else { throw unpublished }
            if kind == .mkba, item.costBenefit?.items.isEmpty ?? true {
                throw CooperationError(.conflict, tr("Deze interventie heeft geen MKBA om te delen."))
            }
            return item.name
        case .duiding:
            guard let item = try await loadDialogue(id: recordID, on: db), item.gemeente == gemeente else { throw unknown }
            guard item.status == .gepubliceerd else { throw unpublished }
            return item.title
        }
    }

    static func loadKopgroep(id: Int, on db: any SQLDatabase) async throws -> Kopgroep? {
        guard let row = try await db.raw("SELECT id, name, purpose, created_by, created_at FROM kopgroepen WHERE id = \(bind: id)").first() else { return nil }
        return try kopgroep(from: row, members: try await members(on: db, group: id))
    }

    static func members(on db: any SQLDatabase, group: Int? = nil) async throws -> [Int: [AreaCode]] {
        let filter: SQLQueryString = group.map { "WHERE group_id = \(bind: $0)" } ?? ""
        var result: [Int: [AreaCode]] = [:]
        for row in try await db.raw("SELECT group_id, gemeente_code FROM kopgroep_members \(filter) ORDER BY gemeente_code").all() {
            if let code = AreaCode(try row.decode(column: "gemeente_code", as: String.self)) {
                result[try row.decode(column: "group_id", as: Int.self), default: []].append(code)
            }
        }
        return result
    }

    static func kopgroep(from row: any SQLRow, members: [Int: [AreaCode]]) throws -> Kopgroep {
        let id = try row.decode(column: "id", as: Int.self)
        return Kopgroep(id: id, name: try row.decode(column: "name", as: String.self), purpose: try row.decode(column: "purpose", as: String.self),
                        members: members[id] ?? [], createdBy: try row.decode(column: "created_by", as: String.self),
                        createdAt: date(try row.decode(column: "created_at", as: String.self)))
    }

    static func loadShare(id: Int, on db: any SQLDatabase) async throws -> SharedRecord? {
        try await db.raw("SELECT * FROM shared_records WHERE id = \(bind: id)").first().map(share(from:))
    }

    static func share(from row: any SQLRow) throws -> SharedRecord {
        SharedRecord(id: try row.decode(column: "id", as: Int.self), groupID: try row.decode(column: "group_id", as: Int.self),
                     kind: ShareKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .vragenlijst,
                     recordID: try row.decode(column: "record_id", as: Int.self),
                     gemeente: AreaCode(try row.decode(column: "gemeente_code", as: String.self)) ?? AreaCode("NL00")!,
                     title: try row.decode(column: "title", as: String.self), sharedBy: try row.decode(column: "shared_by", as: String.self),
                     sharedAt: date(try row.decode(column: "shared_at", as: String.self)),
                     withdrawnBy: try row.decode(column: "withdrawn_by", as: String?.self),
                     withdrawnAt: try row.decode(column: "withdrawn_at", as: String?.self).map(date))
    }
}
