import Foundation
import Monitor
import SQLKit

/// Questionnaires of a gemeente (concepts until published; only a concept can be edited), their rounds with an
/// anonymous link, and the responses. Individual responses never leave the store: it hands out results, computed
/// with the privacy threshold.
public protocol QuestionnaireStore: Sendable {
    /// Inserts a new questionnaire (`id` 0) or replaces a concept.
    func saveQuestionnaire(_ questionnaire: Questionnaire, actor: String) async throws -> Questionnaire
    func questionnaire(id: Int) async throws -> Questionnaire?
    func questionnaires(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Questionnaire]
    /// Opens a round (with a fresh link secret) on a published questionnaire.
    func openRound(_ round: QuestionnaireRound, actor: String) async throws -> QuestionnaireRound
    func rounds(questionnaireID: Int) async throws -> [QuestionnaireRound]
    /// The round and its questionnaire behind a link secret.
    func round(token: String) async throws -> (round: QuestionnaireRound, questionnaire: Questionnaire)?
    /// Stores one anonymous response on an open round, using up one invitation code of the round; a nonce already
    /// used is refused (a double submit), and so is a code that is unknown or used. The response is not linked to
    /// the code: the code is only marked used.
    func submitResponse(token: String, response: QuestionnaireResponse, nonce: String, code: String) async throws
    /// Makes `count` new single-use invitation codes for a round (only their SHA-256 is kept; the codes are returned once).
    func createInvitations(roundID: Int, count: Int, actor: String) async throws -> [String]
    /// How many invitation codes a round has and how many are used.
    func invitations(roundID: Int) async throws -> (total: Int, used: Int)
    /// True when the code is an unused invitation of the round behind the link.
    func invitationUsable(token: String, code: String) async throws -> Bool
    /// open → gesloten, or to gepubliceerd (which writes the scale scores as figures for the catalogue's indicators).
    func changeRound(id: Int, to status: QuestionnaireRound.Status, actor: String) async throws -> QuestionnaireRound
    /// How many responses a round has (for its organisers).
    func responseCount(roundID: Int) async throws -> Int
    /// Scale scores with alpha of a round of `questionnaire`, overall and per sphere of the respondent; groups under the
    /// threshold are suppressed.
    func results(of round: QuestionnaireRound, in questionnaire: Questionnaire) async throws -> QuestionnaireResults
}

/// Why a questionnaire action was refused, in Dutch.
public enum QuestionnaireError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(Int)
    case invalid([String])
    case notPublished(Int)
    case roundClosed
    case alreadySubmitted
    /// The invitation code is unknown for this round or already used.
    case invitationInvalid
    case wrongRoundStatus(QuestionnaireRound.Status, QuestionnaireRound.Status)

    public var description: String {
        switch self {
        case .unknown(let id): "vragenlijst of ronde \(id) bestaat niet"
        case .invalid(let problems): problems.joined(separator: "; ")
        case .notPublished(let id): "vragenlijst \(id) is nog een concept; publiceer haar eerst om een ronde te openen"
        case .roundClosed: "deze vragenlijst is gesloten; er worden geen antwoorden meer aangenomen"
        case .alreadySubmitted: "deze antwoorden zijn al verstuurd"
        case .invitationInvalid: "deze uitnodigingscode is onbekend of al gebruikt; elke code geldt voor één ingevulde vragenlijst"
        case .wrongRoundStatus(let from, let to): "een ronde die \(from.rawValue) is, kan niet \(to.rawValue) worden"
        }
    }
}

extension SQLStore: QuestionnaireStore {
    public func saveQuestionnaire(_ questionnaire: Questionnaire, actor: String) async throws -> Questionnaire {
        let problems = questionnaire.problems()
        guard problems.isEmpty else { throw RecordError.invalid(.questionnaire, id: questionnaire.id, problems) }
        let now = clock()
        return try await write { db in
            // A copy within the gemeente keeps where its original came from; an edit keeps the concept's origin.
            try await Self.saveConcept(questionnaire, table: "questionnaires", now: now, actor: actor, on: db,
                                       load: Self.loadQuestionnaire(id:on:), carry: { item, old in if let old { item.origin = old.origin } }).record
        }
    }

    public func questionnaire(id: Int) async throws -> Questionnaire? {
        try await connector.read { db in try await Self.loadQuestionnaire(id: id, on: db) }
    }

    public func questionnaires(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Questionnaire] {
        try await connector.read { db in
            try await db.raw("""
                SELECT id, body, status FROM questionnaires WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'") ORDER BY id
                """).all().map { try Self.record(Questionnaire.self, from: $0) }
        }
    }

    /// A questionnaire is published (its statements are fixed from then on) or withdrawn like every record.
    func decideQuestionnaire(id: Int, to status: PublicationStatus, actor: String) async throws -> Questionnaire {
        let now = clock()
        return try await write { db in
            try await Self.changePublication(table: "questionnaires", id: id, to: status, now: now, actor: actor, on: db,
                                             load: { try await Self.loadQuestionnaire(id: $0, on: $1) }, json: Self.storedJSON)
        }
    }

    public func openRound(_ round: QuestionnaireRound, actor: String) async throws -> QuestionnaireRound {
        let now = clock()
        return try await write { db in
            guard let questionnaire = try await Self.loadQuestionnaire(id: round.questionnaireID, on: db), questionnaire.gemeente == round.gemeente else {
                throw QuestionnaireError.unknown(round.questionnaireID)
            }
            guard questionnaire.status == .gepubliceerd else { throw QuestionnaireError.notPublished(questionnaire.id) }
            var item = round
            item.status = .open
            item.token = QuestionnaireRound.newToken()
            item.id = try await db.raw("""
                INSERT INTO questionnaire_rounds (questionnaire_id, gemeente_code, area_code, period, name, token, status, created_by, created_at, updated_at)
                VALUES (\(bind: item.questionnaireID), \(bind: item.gemeente.rawValue), \(bind: item.area.rawValue), \(bind: item.period),
                        \(bind: item.name), \(bind: item.token), 'open', \(bind: actor), \(bind: Self.timestamp(now)), \(bind: Self.timestamp(now)))
                RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            // The audit names the round, never its link secret.
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "ronde.openen", object: "ronde:\(item.id)", before: nil,
                                                  after: Self.auditJSON(["vragenlijst": String(item.questionnaireID), "gebied": item.area.rawValue,
                                                                         "periode": item.period, "naam": item.name])), on: db)
            return item
        }
    }

    public func rounds(questionnaireID: Int) async throws -> [QuestionnaireRound] {
        try await connector.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.roundColumns) FROM questionnaire_rounds WHERE questionnaire_id = \(bind: questionnaireID) ORDER BY period, id
                """).all().map(Self.round(from:))
        }
    }

    public func round(token: String) async throws -> (round: QuestionnaireRound, questionnaire: Questionnaire)? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        return try await connector.read { db in
            guard let row = try await db.raw("SELECT \(unsafeRaw: Self.roundColumns) FROM questionnaire_rounds WHERE token = \(bind: token)").first()
            else { return nil }
            let round = try Self.round(from: row)
            guard let questionnaire = try await Self.loadQuestionnaire(id: round.questionnaireID, on: db) else { return nil }
            return (round, questionnaire)
        }
    }

    public func submitResponse(token: String, response: QuestionnaireResponse, nonce: String, code: String) async throws {
        let nonceHash = SHA256.hex(Data(nonce.utf8))
        let codeHash = SHA256.hex(Data(InvitationCode.normalised(code).utf8))
        try await connector.transaction { db in
            guard let row = try await db.raw("SELECT id, status FROM questionnaire_rounds WHERE token = \(bind: token)").first() else {
                throw QuestionnaireError.roundClosed
            }
            guard try row.decode(column: "status", as: String.self) == QuestionnaireRound.Status.open.rawValue else { throw QuestionnaireError.roundClosed }
            let roundID = try row.decode(column: "id", as: Int.self)
            if try await db.raw("SELECT id FROM questionnaire_responses WHERE nonce_sha256 = \(bind: nonceHash)").first() != nil {
                throw QuestionnaireError.alreadySubmitted
            }
            // One code, one response: claimed in the same transaction, without a link between the two rows.
            let claimed = try await db.raw("""
                UPDATE questionnaire_invitations SET used = 1
                WHERE round_id = \(bind: roundID) AND code_sha256 = \(bind: codeHash) AND used = 0 RETURNING round_id
                """).first()
            guard claimed != nil else { throw QuestionnaireError.invitationInvalid }
            let answers = try Self.storedJSON(response.answers)
            try await db.raw("""
                INSERT INTO questionnaire_responses (round_id, sphere, answers, nonce_sha256)
                VALUES (\(bind: roundID), \(bind: response.sphere?.rawValue), \(bind: answers), \(bind: nonceHash))
                """).run()
        }
    }

    public func changeRound(id: Int, to status: QuestionnaireRound.Status, actor: String) async throws -> QuestionnaireRound {
        let now = clock()
        return try await write { db in
            guard let row = try await db.raw("SELECT \(unsafeRaw: Self.roundColumns) FROM questionnaire_rounds WHERE id = \(bind: id)").first() else {
                throw QuestionnaireError.unknown(id)
            }
            var round = try Self.round(from: row)
            let allowed: [QuestionnaireRound.Status: Set<QuestionnaireRound.Status>] = [.gesloten: [.open], .gepubliceerd: [.open, .gesloten], .open: [.gesloten]]
            guard allowed[status]?.contains(round.status) == true else { throw QuestionnaireError.wrongRoundStatus(round.status, status) }
            let claimed = try await db.raw("""
                UPDATE questionnaire_rounds SET status = \(bind: status.rawValue), updated_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND status = \(bind: round.status.rawValue) RETURNING id
                """).first()
            guard claimed != nil else { throw QuestionnaireError.wrongRoundStatus(round.status, status) }
            let old = round.status
            round.status = status
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "ronde.\(status.rawValue)", object: "ronde:\(id)",
                                                  before: Self.auditJSON(["status": old.rawValue]), after: Self.auditJSON(["status": status.rawValue])), on: db)
            if status == .gepubliceerd { try await self.writeRoundFigures(round, actor: actor, on: db) }
            return round
        }
    }

    public func createInvitations(roundID: Int, count: Int, actor: String) async throws -> [String] {
        guard (1...InvitationCode.maximumPerRequest).contains(count) else {
            throw QuestionnaireError.invalid(["uitnodigingen: 1 tot en met \(InvitationCode.maximumPerRequest) per keer"])
        }
        let now = clock()
        return try await connector.transaction { db in
            guard let row = try await db.raw("SELECT status FROM questionnaire_rounds WHERE id = \(bind: roundID)").first() else {
                throw QuestionnaireError.unknown(roundID)
            }
            guard try row.decode(column: "status", as: String.self) == QuestionnaireRound.Status.open.rawValue else { throw QuestionnaireError.roundClosed }
            let codes = (0..<count).map { _ in InvitationCode.random() }
            for start in stride(from: 0, to: codes.count, by: 200) {
                let builder = db.insert(into: "questionnaire_invitations").columns("round_id", "code_sha256", "used")
                for code in codes[start..<min(start + 200, codes.count)] {
                    builder.values([SQLBind(roundID), SQLBind(SHA256.hex(Data(code.utf8))), SQLBind(0)] as [any SQLExpression])
                }
                try await builder.run()
            }
            // The audit counts the codes; it never holds them.
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "ronde.uitnodigingen", object: "ronde:\(roundID)", before: nil,
                                                  after: #"{"uitnodigingen":\#(count)}"#), on: db)
            return codes
        }
    }

    public func invitations(roundID: Int) async throws -> (total: Int, used: Int) {
        try await connector.read { db in
            let row = try await db.raw("""
                SELECT COUNT(*) AS total, COALESCE(SUM(used), 0) AS used FROM questionnaire_invitations WHERE round_id = \(bind: roundID)
                """).first()
            return (try row?.decode(column: "total", as: Int.self) ?? 0, try row?.decode(column: "used", as: Int.self) ?? 0)
        }
    }

    public func invitationUsable(token: String, code: String) async throws -> Bool {
        let codeHash = SHA256.hex(Data(InvitationCode.normalised(code).utf8))
        return try await connector.read { db in
            try await db.raw("""
                SELECT i.used FROM questionnaire_invitations i JOIN questionnaire_rounds r ON r.id = i.round_id
                WHERE r.token = \(bind: token) AND i.code_sha256 = \(bind: codeHash) AND i.used = 0
                """).first() != nil
        }
    }

    public func responseCount(roundID: Int) async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT COUNT(*) AS c FROM questionnaire_responses WHERE round_id = \(bind: roundID)").first()?.decode(column: "c", as: Int.self) ?? 0
        }
    }

    public func results(of round: QuestionnaireRound, in questionnaire: Questionnaire) async throws -> QuestionnaireResults {
        guard round.questionnaireID == questionnaire.id else { throw QuestionnaireError.unknown(round.id) }
        return try await connector.read { db in try await self.results(of: round, in: questionnaire, on: db) }
    }

    /// The one place results are computed: with the privacy threshold, from responses that never leave the store.
    func results(of round: QuestionnaireRound, in questionnaire: Questionnaire, on db: any SQLDatabase) async throws -> QuestionnaireResults {
        QuestionnaireResults.compute(questionnaire, responses: try await Self.responses(roundID: round.id, on: db), threshold: privacy.threshold)
    }

    /// The scale scores of a published round as figures for the catalogue indicators of its template, for the round's
    /// area and period (a later round for the same area and period is a new version). Under the threshold: "geheim".
    func writeRoundFigures(_ round: QuestionnaireRound, actor: String, on db: any SQLDatabase) async throws {
        guard let questionnaire = try await Self.loadQuestionnaire(id: round.questionnaireID, on: db) else { return }
        let indicators = catalog.indicators.filter { $0.survey?.template == questionnaire.template }
        guard !indicators.isEmpty else { return }
        let results = try await results(of: round, in: questionnaire, on: db)
        let figures = indicators.compactMap { indicator -> Observation? in
            guard let scale = indicator.survey?.scale, questionnaire.scales.contains(where: { $0.id == scale }) else { return nil }
            guard let result = results.all.scales.first(where: { $0.scale.id == scale }), !results.all.isSuppressed, !result.isSuppressed else {
                return Observation(indicator: indicator.id, area: round.area, period: round.period, status: .geheim, value: nil, origin: .vragenlijst,
                                   suppressionReason: PrivacyPolicy.suppressedLabel)
            }
            return Observation(indicator: indicator.id, area: round.area, period: round.period, status: .waarde, value: result.mean, n: result.n,
                               confidenceInterval: result.interval, origin: .vragenlijst)
        }
        guard !figures.isEmpty else { return }
        _ = try await importComputed(figures, source: "vragenlijstronde-\(round.id)", format: "vragenlijst", rowCount: results.all.respondents ?? 0,
                                     note: "vragenlijstronde \(round.id) '\(round.name)' van \(round.gemeente.rawValue), gepubliceerd door \(actor)",
                                     actor: actor, on: db)
    }

    static let roundColumns = "id, questionnaire_id, gemeente_code, area_code, period, name, token, status"

    static func round(from row: any SQLRow) throws -> QuestionnaireRound {
        QuestionnaireRound(id: try row.decode(column: "id", as: Int.self), questionnaireID: try row.decode(column: "questionnaire_id", as: Int.self),
                           gemeente: AreaCode(try row.decode(column: "gemeente_code", as: String.self)) ?? .nederland,
                           area: AreaCode(try row.decode(column: "area_code", as: String.self)) ?? .nederland,
                           period: try row.decode(column: "period", as: String.self), name: try row.decode(column: "name", as: String.self),
                           token: try row.decode(column: "token", as: String.self),
                           status: QuestionnaireRound.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .gesloten)
    }

    static func responses(roundID: Int, on db: any SQLDatabase) async throws -> [QuestionnaireResponse] {
        try await db.raw("SELECT sphere, answers FROM questionnaire_responses WHERE round_id = \(bind: roundID) ORDER BY id").all().map { row in
            QuestionnaireResponse(sphere: try row.decode(column: "sphere", as: String?.self).flatMap(Sphere.init(rawValue:)),
                                  answers: try dialogueDecoder.decode([String: Int].self, from: Data(try row.decode(column: "answers", as: String.self).utf8)))
        }
    }

    static func loadQuestionnaire(id: Int, on db: any SQLDatabase) async throws -> Questionnaire? {
        try await db.raw("SELECT id, body, status FROM questionnaires WHERE id = \(bind: id)").first().map { try record(Questionnaire.self, from: $0) }
    }
}
