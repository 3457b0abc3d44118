import Foundation
import Monitor
import SQLKit

/// Drafts of local figures: uploaded, looked at by the gemeente's users, then published (an ordinary
/// versioned import) or withdrawn. Every step is in the audit log.
public protocol DraftStore: Sendable {
    /// Keeps an uploaded file as a draft of `gemeente`.
    func addDraft(gemeente: AreaCode, fileName: String, format: String, period: String?, content: String, actor: String) async throws -> Draft
    /// A gemeente's drafts, newest first (all statuses).
    func drafts(gemeente: AreaCode) async throws -> [Draft]
    /// One draft with the file it holds.
    func draft(id: Int) async throws -> (draft: Draft, content: String)?
    /// Publishes a draft: imports `batch` (parsed from the draft's file) in the same transaction that marks
    /// it published. Fails when the draft is no longer a concept (someone else published or withdrew it).
    func publishDraft(id: Int, batch: ImportBatch, actor: String) async throws -> ImportReport
    /// Withdraws a concept; its file stays for the record.
    func withdrawDraft(id: Int, actor: String) async throws
}

/// Why a draft could not be published or withdrawn.
public enum DraftError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAConcept(id: Int, status: Draft.Status)
    case unknown(Int)

    public var description: String {
        switch self {
        case .notAConcept(let id, let status): tr("Concept {0} is al {1}; er is niets veranderd.", id, tr(status.rawValue))
        case .unknown(let id): tr("Er is geen concept {0}.", id)
        }
    }
}

extension SQLStore: DraftStore {
    public func addDraft(gemeente: AreaCode, fileName: String, format: String, period: String?, content: String, actor: String) async throws -> Draft {
        let now = clock()
        let sha = SHA256.hex(Data(content.utf8))
        return try await write { db in
            let id = try await db.raw("""
                INSERT INTO drafts (gemeente_code, file_name, format, period, content, sha256, created_by, created_at, status)
                VALUES (\(bind: gemeente.rawValue), \(bind: fileName), \(bind: format), \(bind: period), \(bind: content), \(bind: sha),
                        \(bind: actor), \(bind: Self.timestamp(now)), 'concept')
                RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "concept.toevoegen", object: "concept:\(id)",
                                                  before: nil, after: Self.snapshot(fileName: fileName, gemeente: gemeente, status: .concept, sha256: sha)), on: db)
            return Draft(id: id, gemeente: gemeente, fileName: fileName, format: format, period: period, sha256: sha, createdBy: actor,
                         createdAt: now, status: .concept)
        }
    }

    public func drafts(gemeente: AreaCode) async throws -> [Draft] {
        try await connector.read { db in
            try await db.raw("""
                SELECT id, gemeente_code, file_name, format, period, sha256, created_by, created_at, status, decided_by, decided_at, import_id
                FROM drafts WHERE gemeente_code = \(bind: gemeente.rawValue) ORDER BY id DESC
                """).all().map(Self.draft(from:))
        }
    }

    public func draft(id: Int) async throws -> (draft: Draft, content: String)? {
        try await connector.read { db in
            guard let row = try await db.raw("""
                SELECT id, gemeente_code, file_name, format, period, sha256, created_by, created_at, status, decided_by, decided_at, import_id, content
                FROM drafts WHERE id = \(bind: id)
                """).first() else { return nil }
            return (try Self.draft(from: row), try row.decode(column: "content", as: String.self))
        }
    }

    public func publishDraft(id: Int, batch: ImportBatch, actor: String) async throws -> ImportReport {
        let now = clock()
        return try await write { db in
            // Claim it first: a second publisher (on any node) finds it no longer a concept.
            let claimed = try await db.raw("""
                UPDATE drafts SET status = 'gepubliceerd', decided_by = \(bind: actor), decided_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND status = 'concept' RETURNING gemeente_code, file_name, sha256
                """).first()
            guard let claimed else { throw try await Self.draftProblem(id: id, on: db) }
            let gemeente = try claimed.decode(column: "gemeente_code", as: String.self)
            let report = try await self.importBatch(batch, note: "concept \(id) van \(gemeente), gepubliceerd door \(actor)", actor: actor, on: db)
            try await db.raw("UPDATE drafts SET import_id = \(bind: report.record.id) WHERE id = \(bind: id)").run()
            let fileName = try claimed.decode(column: "file_name", as: String.self), sha = try claimed.decode(column: "sha256", as: String.self)
            let code = AreaCode(gemeente) ?? AreaCode("NL00")!
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "concept.publiceren", object: "concept:\(id)",
                                                  before: Self.snapshot(fileName: fileName, gemeente: code, status: .concept, sha256: sha),
                                                  after: Self.snapshot(fileName: fileName, gemeente: code, status: .gepubliceerd, sha256: sha,
                                                                       importID: report.record.id)), on: db)
            return report
        }
    }

    public func withdrawDraft(id: Int, actor: String) async throws {
        let now = clock()
        try await write { db in
            let claimed = try await db.raw("""
                UPDATE drafts SET status = 'ingetrokken', decided_by = \(bind: actor), decided_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND status = 'concept' RETURNING gemeente_code, file_name, sha256
                """).first()
            guard let claimed else { throw try await Self.draftProblem(id: id, on: db) }
            let code = AreaCode(try claimed.decode(column: "gemeente_code", as: String.self)) ?? AreaCode("NL00")!
            let fileName = try claimed.decode(column: "file_name", as: String.self), sha = try claimed.decode(column: "sha256", as: String.self)
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "concept.intrekken", object: "concept:\(id)",
                                                  before: Self.snapshot(fileName: fileName, gemeente: code, status: .concept, sha256: sha),
                                                  after: Self.snapshot(fileName: fileName, gemeente: code, status: .ingetrokken, sha256: sha)), on: db)
        }
    }

    static func draftProblem(id: Int, on db: any SQLDatabase) async throws -> DraftError {
        guard let row = try await db.raw("SELECT status FROM drafts WHERE id = \(bind: id)").first() else { return .unknown(id) }
        return .notAConcept(id: id, status: Draft.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .ingetrokken)
    }

    static func draft(from row: any SQLRow) throws -> Draft {
        Draft(id: try row.decode(column: "id", as: Int.self),
              gemeente: AreaCode(try row.decode(column: "gemeente_code", as: String.self)) ?? AreaCode("NL00")!,
              fileName: try row.decode(column: "file_name", as: String.self), format: try row.decode(column: "format", as: String.self),
              period: try row.decode(column: "period", as: String?.self), sha256: try row.decode(column: "sha256", as: String.self),
              createdBy: try row.decode(column: "created_by", as: String.self),
              createdAt: date(try row.decode(column: "created_at", as: String.self)),
              status: Draft.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .concept,
              decidedBy: try row.decode(column: "decided_by", as: String?.self),
              decidedAt: try row.decode(column: "decided_at", as: String?.self).map(date),
              importID: try row.decode(column: "import_id", as: Int?.self))
    }

    /// What the audit log keeps of a draft (not the file: its fingerprint).
    static func snapshot(fileName: String, gemeente: AreaCode, status: Draft.Status, sha256: String, importID: Int? = nil) -> String {
        struct Snapshot: Encodable { let bestand, gemeente, status, sha256: String; let import_id: Int? }
        return auditJSON(Snapshot(bestand: fileName, gemeente: gemeente.rawValue, status: status.rawValue, sha256: sha256, import_id: importID))
    }
}
