import Foundation
import Monitor
import SQLKit

/// Who is looking: which studies under review they may see.
public struct KnowledgeViewer: Sendable, Hashable {
    /// Beheerders see everything.
    public var all: Bool
    /// Analisten see what was submitted for their gemeenten.
    public var gemeenten: Set<AreaCode>
    public init(all: Bool = false, gemeenten: Set<AreaCode> = []) {
        self.all = all
        self.gemeenten = gemeenten
    }
    public static let anonymous = KnowledgeViewer()

    public func sees(_ study: EvaluationStudy) -> Bool {
        study.review == .goedgekeurd || all || study.submittedFor.map(gemeenten.contains) == true
    }
}

/// An uploaded file: its name, type, bytes and the text extracted from it for searching.
public struct StoredFile: Sendable, Hashable {
    public var name: String
    public var type: String
    public var data: Data
    public var text: String
    public init(name: String, type: String, data: Data, text: String) {
        self.name = name
        self.type = type
        self.data = data
        self.text = text
    }
}

/// A full-text hit: what it is, which one, and its rank (lower is better on SQLite's bm25; the store orders them).
public struct SearchHit: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case document = "documenten", evaluation = "evaluaties" }
    public var kind: Kind
    public var ref: Int
}

/// The evaluatiebank, council documents and their full-text index.
public protocol KnowledgeStore: Sendable {
    /// Adds a study as submitted (a beheerder reviews it), or as approved for the monitor's own seed entries.
    func submitStudy(_ study: EvaluationStudy, file: StoredFile?, actor: String) async throws -> EvaluationStudy
    func studies(visibleTo viewer: KnowledgeViewer) async throws -> [EvaluationStudy]
    func study(id: Int) async throws -> EvaluationStudy?
    func studyFile(id: Int) async throws -> StoredFile?
    /// Approves or refuses (with a reason) a submitted study.
    func reviewStudy(id: Int, approve: Bool, reason: String, actor: String) async throws -> EvaluationStudy
    /// Adds documents in one transaction; documents whose source is already there are skipped (counted).
    func addDocuments(_ documents: [CouncilDocument], actor: String) async throws -> (added: Int, skipped: Int)
    func documents(ids: [Int]) async throws -> [CouncilDocument]
    func documentCount() async throws -> Int
    /// Changes whenever documents or the analysis rules change (for caching an analysis).
    func documentStamp() async throws -> String
    /// Removes a document and its index entry (audited); false when there was none with this id.
    func removeDocument(id: Int, actor: String) async throws -> Bool
    /// The ids of documents (or studies) matching the query, best first.
    func search(_ query: SearchQuery, in kind: SearchHit.Kind, limit: Int, offset: Int) async throws -> (hits: [SearchHit], total: Int)
    /// The analysis rules in force (nil: none saved yet, use the shipped file).
    func analysisRules() async throws -> (text: String, savedBy: String, savedAt: String)?
    func saveAnalysisRules(_ text: String, actor: String) async throws
}

/// Why a knowledge action was refused, in Dutch.
public enum KnowledgeError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid([String])
    case unknown(Int)
    case alreadyReviewed(Int, EvaluationStudy.Review)

    public var description: String {
        switch self {
        case .invalid(let problems): problems.joined(separator: "; ")
        case .unknown(let id): tr("studie {0} bestaat niet", id)
        case .alreadyReviewed(let id, let review): tr("studie {0} is al beoordeeld ({1})", id, review.label)
        }
    }
}

extension SQLStore: KnowledgeStore {
    public func submitStudy(_ study: EvaluationStudy, file: StoredFile?, actor: String) async throws -> EvaluationStudy {
        var problems = study.problems()
        if let text = file?.text, text.utf8.count > CouncilDocument.maximumTextBytes {
            problems.append(tr("bestand: ten hoogste {0} MB tekst", CouncilDocument.maximumTextBytes >> 20))
        }
        if let data = file?.data, data.count > 50 << 20 { problems.append(tr("bestand: ten hoogste 50 MB")) }
        guard problems.isEmpty else { throw KnowledgeError.invalid(problems) }
        let now = clock()
        return try await write { db in
            var item = study
            item.fileName = file?.name
            item.reviewReason = ""
            item.id = try await db.raw("""
                INSERT INTO evaluation_studies (review, submitted_for, submitted_by, body, file_name, file_type, file_base64, file_text, created_at)
                VALUES (\(bind: item.review.rawValue), \(bind: item.submittedFor?.rawValue), \(bind: actor), '{}', \(bind: file?.name), \(bind: file?.type),
                        \(bind: file?.data.base64EncodedString()), \(bind: file?.text), \(bind: Self.timestamp(now)))
                RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            let body = try Self.storedJSON(item)
            try await db.raw("UPDATE evaluation_studies SET body = \(bind: body) WHERE id = \(bind: item.id)").run()
            try await Self.index(kind: .evaluation, ref: item.id, title: item.title, text: item.searchableText + "\n" + (file?.text ?? ""), on: db)
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "studie.indienen", object: "studie:\(item.id)", before: nil,
                                                  after: body), on: db)
            return item
        }
    }

    public func studies(visibleTo viewer: KnowledgeViewer) async throws -> [EvaluationStudy] {
        try await connector.read { db in
            try await db.raw("SELECT id, body, review FROM evaluation_studies ORDER BY id").all().map(Self.study(from:)).filter(viewer.sees)
        }
    }

    public func study(id: Int) async throws -> EvaluationStudy? {
        try await connector.read { db in try await Self.loadStudy(id: id, on: db) }
    }

    public func studyFile(id: Int) async throws -> StoredFile? {
        try await connector.read { db in
            guard let row = try await db.raw("""
                SELECT file_name, file_type, file_base64, file_text FROM evaluation_studies WHERE id = \(bind: id) AND file_name IS NOT NULL
                """).first(),
                let data = Data(base64Encoded: try row.decode(column: "file_base64", as: String?.self) ?? "") else { return nil }
            return StoredFile(name: try row.decode(column: "file_name", as: String.self), type: try row.decode(column: "file_type", as: String?.self) ?? "",
                              data: data, text: try row.decode(column: "file_text", as: String?.self) ?? "")
        }
    }

    public func reviewStudy(id: Int, approve: Bool, reason: String, actor: String) async throws -> EvaluationStudy {
        let now = clock()
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !approve && reason.isEmpty { throw KnowledgeError.invalid(["reden: schrijf waarom de studie wordt afgewezen (de indiener ziet dit)"]) }
        return try await write { db in
            guard let old = try await Self.loadStudy(id: id, on: db) else { throw KnowledgeError.unknown(id) }
            var study = old
            study.review = approve ? .goedgekeurd : .afgewezen
            study.reviewReason = approve ? "" : reason
            let body = try Self.storedJSON(study)
            // Claim it while it is still submitted: a second beheerder on another node finds nothing to update.
            let claimed = try await db.raw("""
                UPDATE evaluation_studies SET review = \(bind: study.review.rawValue), body = \(bind: body), reviewed_by = \(bind: actor),
                    reviewed_at = \(bind: Self.timestamp(now)) WHERE id = \(bind: id) AND review = 'ingediend' RETURNING id
                """).first()
            guard claimed != nil else { throw KnowledgeError.alreadyReviewed(id, old.review) }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: approve ? "studie.goedkeuren" : "studie.afwijzen", object: "studie:\(id)",
                                                  before: try Self.storedJSON(old), after: body), on: db)
            return study
        }
    }

    public func addDocuments(_ documents: [CouncilDocument], actor: String) async throws -> (added: Int, skipped: Int) {
        let now = clock()
        return try await write { db in
            var added = 0, skipped = 0
            if let big = documents.first(where: { $0.text.utf8.count > CouncilDocument.maximumTextBytes }) {
                throw KnowledgeError.invalid(["'\(big.title)' heeft \(big.text.utf8.count / 1_000) kB tekst; ten hoogste \(CouncilDocument.maximumTextBytes >> 20) MB per document"])
            }
            for document in documents {
                if try await db.raw("SELECT id FROM council_documents WHERE source = \(bind: document.source)").first() != nil {
                    skipped += 1
                    continue
                }
                let id = try await db.raw("""
                    INSERT INTO council_documents (gemeente_code, day, kind, title, source, body_text, imported_by, imported_at)
                    VALUES (\(bind: document.gemeente.rawValue), \(bind: document.date.day), \(bind: document.kind.rawValue), \(bind: document.title),
                            \(bind: document.source), \(bind: document.text), \(bind: actor), \(bind: Self.timestamp(now)))
                    RETURNING id
                    """).first()?.decode(column: "id", as: Int.self) ?? 0
                try await Self.index(kind: .document, ref: id, title: document.title, text: document.text, on: db)
                added += 1
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "documenten.importeren", object: "documenten", before: nil,
                                                  after: #"{"toegevoegd":\#(added),"al_aanwezig":\#(skipped)}"#), on: db)
            return (added, skipped)
        }
    }

    public func documents(ids: [Int]) async throws -> [CouncilDocument] {
        guard !ids.isEmpty else { return [] }
        return try await connector.read { db in
            var result: [CouncilDocument] = []
            // In chunks: PostgreSQL and SQLite limit the number of bound values.
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                result += try await db.raw("""
                    SELECT id, gemeente_code, day, kind, title, source, body_text FROM council_documents WHERE id IN (\(binds: chunk))
                    """).all().map(Self.document(from:))
            }
            let order = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return result.sorted { (order[$0.id] ?? 0) < (order[$1.id] ?? 0) }
        }
    }

    public func documentStamp() async throws -> String {
        try await connector.read { db in
            let row = try await db.raw("""
                SELECT (SELECT COUNT(*) FROM council_documents) AS c, (SELECT COALESCE(MAX(id), 0) FROM council_documents) AS m,
                       (SELECT COALESCE(MAX(id), 0) FROM analysis_rules) AS r
                """).first()
            return "\(try row?.decode(column: "c", as: Int.self) ?? 0)-\(try row?.decode(column: "m", as: Int.self) ?? 0)-\(try row?.decode(column: "r", as: Int.self) ?? 0)"
        }
    }

    public func removeDocument(id: Int, actor: String) async throws -> Bool {
        let now = clock()
        return try await write { db in
            guard let row = try await db.raw("SELECT title, source FROM council_documents WHERE id = \(bind: id)").first() else { return false }
            let title = try row.decode(column: "title", as: String.self), source = try row.decode(column: "source", as: String.self)
            if db.isPostgres {
                try await db.raw("DELETE FROM search_index WHERE kind = 'documenten' AND ref = \(bind: id)").run()
            } else {
                try await db.raw("DELETE FROM document_index WHERE rowid = \(bind: id)").run()
            }
            try await db.raw("DELETE FROM council_documents WHERE id = \(bind: id)").run()
            struct Removed: Encodable { let titel, bron: String }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "document.verwijderen", object: "document:\(id)",
                                                  before: try Self.storedJSON(Removed(titel: title, bron: source)), after: nil), on: db)
            return true
        }
    }

    public func documentCount() async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT COUNT(*) AS c FROM council_documents").first()?.decode(column: "c", as: Int.self) ?? 0
        }
    }

    public func search(_ query: SearchQuery, in kind: SearchHit.Kind, limit: Int, offset: Int) async throws -> (hits: [SearchHit], total: Int) {
        guard !query.isEmpty else { return ([], 0) }
        return try await connector.read { db in
            let rows: [any SQLRow]
            let total: Int
            if db.isPostgres {
                let tsquery: SQLQueryString = "to_tsquery('dutch', \(bind: query.tsquery))"
                total = try await db.raw("SELECT COUNT(*) AS c FROM search_index WHERE kind = \(bind: kind.rawValue) AND vector @@ " + tsquery)
                    .first()?.decode(column: "c", as: Int.self) ?? 0
                rows = try await db.raw("SELECT ref FROM search_index WHERE kind = \(bind: kind.rawValue) AND vector @@ " + tsquery
                                        + " ORDER BY ts_rank_cd(vector, " + tsquery + ") DESC, ref LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
            } else {
                let table = Self.ftsTable(kind)
                total = try await db.raw("SELECT COUNT(*) AS c FROM \(unsafeRaw: table) WHERE \(unsafeRaw: table) MATCH \(bind: query.fts5)")
                    .first()?.decode(column: "c", as: Int.self) ?? 0
                rows = try await db.raw("""
                    SELECT rowid AS ref FROM \(unsafeRaw: table) WHERE \(unsafeRaw: table) MATCH \(bind: query.fts5)
                    ORDER BY rank LIMIT \(bind: limit) OFFSET \(bind: offset)
                    """).all()
            }
            return (try rows.map { SearchHit(kind: kind, ref: try $0.decode(column: "ref", as: Int.self)) }, total)
        }
    }

    public func analysisRules() async throws -> (text: String, savedBy: String, savedAt: String)? {
        try await connector.read { db in
            guard let row = try await db.raw("SELECT rules, saved_by, saved_at FROM analysis_rules ORDER BY id DESC LIMIT 1").first() else { return nil }
            return (try row.decode(column: "rules", as: String.self), try row.decode(column: "saved_by", as: String.self),
                    try row.decode(column: "saved_at", as: String.self))
        }
    }

    public func saveAnalysisRules(_ text: String, actor: String) async throws {
        _ = try PerspectiveRules.parse(text)
        let now = clock()
        try await write { db in
            let before = try await db.raw("SELECT rules FROM analysis_rules ORDER BY id DESC LIMIT 1").first()?.decode(column: "rules", as: String.self)
            try await db.raw("""
                INSERT INTO analysis_rules (rules, saved_by, saved_at) VALUES (\(bind: text), \(bind: actor), \(bind: Self.timestamp(now)))
                """).run()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "analyseregels.wijzigen", object: "analyseregels",
                                                  before: before.map { try Self.storedJSON($0) }, after: try Self.storedJSON(text)), on: db)
        }
    }

    /// Adds one entry to the full-text index: our stems on SQLite, PostgreSQL's own Dutch configuration on PostgreSQL.
    static func index(kind: SearchHit.Kind, ref: Int, title: String, text: String, on db: any SQLDatabase) async throws {
        if db.isPostgres {
            try await db.raw("""
                INSERT INTO search_index (kind, ref, vector) VALUES (\(bind: kind.rawValue), \(bind: ref),
                    setweight(to_tsvector('dutch', \(bind: SearchText.fold(title))), 'A') || to_tsvector('dutch', \(bind: SearchText.fold(text))))
                """).run()
        } else {
            try await db.raw("""
                INSERT INTO \(unsafeRaw: ftsTable(kind)) (rowid, title, body) VALUES (\(bind: ref), \(bind: SearchText.stems(title)), \(bind: SearchText.stems(text)))
                """).run()
        }
    }

    /// SQLite's FTS5 table for a kind of record.
    static func ftsTable(_ kind: SearchHit.Kind) -> String { kind == .document ? "document_index" : "evaluation_index" }

    static func loadStudy(id: Int, on db: any SQLDatabase) async throws -> EvaluationStudy? {
        try await db.raw("SELECT id, body, review FROM evaluation_studies WHERE id = \(bind: id)").first().map(study(from:))
    }

    /// A study from its row: the body, with the row's id and review (the columns are the truth).
    static func study(from row: any SQLRow) throws -> EvaluationStudy {
        var study = try dialogueDecoder.decode(EvaluationStudy.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        study.id = try row.decode(column: "id", as: Int.self)
        study.review = EvaluationStudy.Review(rawValue: try row.decode(column: "review", as: String.self)) ?? .ingediend
        return study
    }

    static func document(from row: any SQLRow) throws -> CouncilDocument {
        CouncilDocument(id: try row.decode(column: "id", as: Int.self),
                        gemeente: AreaCode(try row.decode(column: "gemeente_code", as: String.self)) ?? .nederland,
                        date: ReferenceDate(try row.decode(column: "day", as: String.self)) ?? ReferenceDate("2000-01-01")!,
                        kind: CouncilDocument.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .overig,
                        title: try row.decode(column: "title", as: String.self), source: try row.decode(column: "source", as: String.self),
                        text: try row.decode(column: "body_text", as: String.self))
    }
}
