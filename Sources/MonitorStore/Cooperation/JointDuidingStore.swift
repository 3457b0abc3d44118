import Foundation
import Monitor
import SQLKit

/// Joint duidingen of vergelijkbare gemeenten: made by the host, answered per gemeente, published when every member agreed.
public protocol JointDuidingStore: Sendable {
    /// A new record (concept) of the host with its invited gemeenten; audited.
    func createJointDuiding(_ record: JointDuiding, actor: String) async throws -> JointDuiding
    func jointDuiding(id: Int) async throws -> JointDuiding?
    /// The records a gemeente is a member of (host or invited), newest first; concepts only when asked.
    func jointDuidingen(gemeente: AreaCode, includeConcepts: Bool) async throws -> [JointDuiding]
    /// One member's answers to the four questions (a concept only); audited.
    func answerJointDuiding(id: Int, gemeente: AreaCode, answers: [DuidingQuestion: String], actor: String) async throws -> JointDuiding
    /// One member agrees to publish; when it is the last, the record is published. Audited.
    func consentJointDuiding(id: Int, gemeente: AreaCode, actor: String) async throws -> JointDuiding
}

extension SQLStore: JointDuidingStore {
    public func createJointDuiding(_ record: JointDuiding, actor: String) async throws -> JointDuiding {
        var item = record
        var invited: [AreaCode] = []
        for code in record.invited where code != record.host && !invited.contains(code) { invited.append(code) }
        item.invited = invited
        let problems = item.partProblems()
        guard problems.isEmpty else { throw CooperationError(.invalid, problems.map(\.message).joined(separator: "; ")) }
        let now = clock()
        item.status = .concept
        item.createdBy = actor
        item.answers = [:]
        item.consents = [:]
        let stored = item
        return try await write { db in
            var saved = stored
            let stamp = Self.timestamp(now)
            saved.id = try await db.raw("""
                INSERT INTO joint_duidingen (host_code, status, body, created_by, created_at, updated_at)
                VALUES (\(bind: saved.host.rawValue), 'concept', '{}', \(bind: actor), \(bind: stamp), \(bind: stamp)) RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            let body = try Self.storedJSON(saved)
            try await db.raw("UPDATE joint_duidingen SET body = \(bind: body) WHERE id = \(bind: saved.id)").run()
            for member in saved.members {
                try await db.raw("INSERT INTO joint_duiding_members (duiding_id, gemeente_code) VALUES (\(bind: saved.id), \(bind: member.rawValue))").run()
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "samen-duiden.toevoegen", object: "samen-duiden:\(saved.id)",
                                                  before: nil, after: body), on: db)
            return saved
        }
    }

    public func jointDuiding(id: Int) async throws -> JointDuiding? {
        try await connector.read { db in try await Self.loadJointDuiding(id: id, on: db) }
    }

    public func jointDuidingen(gemeente: AreaCode, includeConcepts: Bool) async throws -> [JointDuiding] {
        try await connector.read { db in
            try await db.raw("""
                SELECT d.id, d.body, d.status FROM joint_duidingen d JOIN joint_duiding_members m ON m.duiding_id = d.id
                WHERE m.gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND d.status <> 'ingetrokken'" : "AND d.status = 'gepubliceerd'") ORDER BY d.id DESC
                """).all().map(Self.jointDuiding(from:))
        }
    }

    public func answerJointDuiding(id: Int, gemeente: AreaCode, answers: [DuidingQuestion: String], actor: String) async throws -> JointDuiding {
        try await change(id: id, gemeente: gemeente, action: "samen-duiden.antwoorden", actor: actor) { record, _ in
            guard record.status == .concept else {
                throw CooperationError(.conflict, tr("Dit gesprek is gepubliceerd; de antwoorden liggen vast."))
            }
            var mine: [String: String] = [:]
            for question in DuidingQuestion.allCases {
                let text = (answers[question] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard text.count <= 5_000 else { throw CooperationError(.invalid, tr("een antwoord heeft hoogstens 5000 tekens")) }
                if !text.isEmpty { mine[question.rawValue] = text }
            }
            record.answers[gemeente.rawValue] = mine
            // Changed answers need everyone's agreement again.
            record.consents = [:]
        }
    }

    public func consentJointDuiding(id: Int, gemeente: AreaCode, actor: String) async throws -> JointDuiding {
        try await change(id: id, gemeente: gemeente, action: "samen-duiden.publiceren", actor: actor) { record, now in
            guard record.status == .concept else { throw CooperationError(.conflict, tr("Dit gesprek is al gepubliceerd.")) }
            guard !record.hasConsented(gemeente) else {
                throw CooperationError(.conflict, tr("{0} heeft al ingestemd met publiceren.", gemeente.rawValue))
            }
            record.consents[gemeente.rawValue] = JointDuiding.Consent(by: actor, at: now)
            if record.everyoneConsented { record.status = .gepubliceerd }
        }
    }

    /// Loads, checks membership, applies, stores and audits, in one transaction; the UPDATE claims the row as it was.
    private func change(id: Int, gemeente: AreaCode, action: String, actor: String,
                        _ apply: @Sendable (inout JointDuiding, Date) throws -> Void) async throws -> JointDuiding {
        let now = clock()
        return try await write { db in
            guard let old = try await Self.loadJointDuiding(id: id, on: db) else { throw CooperationError(.unknown, tr("Dit gesprek bestaat niet.")) }
            guard old.members.contains(gemeente) else {
                throw CooperationError(.invalid, tr("{0} doet niet mee aan dit gesprek.", gemeente.rawValue))
            }
            var record = old
            try apply(&record, now)
            let body = try Self.storedJSON(record)
            let claimed = try await db.raw("""
                UPDATE joint_duidingen SET body = \(bind: body), status = \(bind: record.status.rawValue), updated_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND body = \(bind: try Self.storedJSON(old)) RETURNING id
                """).first()
            guard claimed != nil else { throw CooperationError(.conflict, tr("Iemand anders veranderde dit gesprek net; probeer het opnieuw.")) }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: action, object: "samen-duiden:\(id)",
                                                  before: try Self.storedJSON(old), after: body), on: db)
            return record
        }
    }

    static func loadJointDuiding(id: Int, on db: any SQLDatabase) async throws -> JointDuiding? {
        try await db.raw("SELECT id, body, status FROM joint_duidingen WHERE id = \(bind: id)").first().map(jointDuiding(from:))
    }

    static func jointDuiding(from row: any SQLRow) throws -> JointDuiding {
        var record = try dialogueDecoder.decode(JointDuiding.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        record.id = try row.decode(column: "id", as: Int.self)
        record.status = PublicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? record.status
        return record
    }
}
