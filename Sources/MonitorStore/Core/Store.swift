import Foundation
import Monitor

/// A selection of figures: each filter optional, paged.
public struct ObservationQuery: Sendable, Hashable {
    public var indicator: String?
    public var areas: [AreaCode]?
    public var areaKind: AreaKind?
    /// Only areas inside this gemeente (its wijken and buurten).
    public var withinGemeente: AreaCode?
    public var period: String?
    /// Which versions: the current ones (default), those valid at a peildatum, one version number, or all.
    public var versions: VersionSelection
    public var limit: Int
    public var offset: Int
    /// The order of the rows: by indicator and area code (default), or by area name as a spreadsheet user reads them.
    public var order: Order
    /// Whether ``ObservationPage/total`` is counted (a streamed export pages without it).
    public var countsTotal: Bool
    /// Indicators left out: a gemeente's own indicators this visitor may not see (``Catalog/hidden(comparedWith:)``).
    public var excludedIndicators: [String] = []

    public enum Order: Sendable, Hashable {
        /// Indicator, area code, period, version.
        case code
        /// Area name, area code, period, version.
        case areaName
    }

    public init(indicator: String? = nil, areas: [AreaCode]? = nil, areaKind: AreaKind? = nil, withinGemeente: AreaCode? = nil,
                period: String? = nil, versions: VersionSelection = .current, limit: Int = 100_000, offset: Int = 0,
                order: Order = .code, countsTotal: Bool = true) {
        self.order = order
        self.countsTotal = countsTotal
        self.versions = versions
        self.indicator = indicator
        self.areas = areas
        self.areaKind = areaKind
        self.withinGemeente = withinGemeente
        self.period = period
        self.limit = limit
        self.offset = offset
    }
}

/// Which versions of figures a query returns.
public enum VersionSelection: Sendable, Hashable {
    /// The current version of each figure.
    case current
    /// The version that was current at the end of that day.
    case asOf(ReferenceDate)
    /// Exactly this version number.
    case number(Int)
    /// Every version, oldest first.
    case all
    /// The versions that were current right after this import (a ``Store/generation()``): a fixed snapshot, so the pages
    /// of a streamed export agree with each other even when an import lands meanwhile.
    case afterImport(Int)
}

/// One page of figures and the total number that match.
public struct ObservationPage: Sendable {
    public var items: [Observation]
    /// How many figures match in all (0 when the query did not count them).
    public var total: Int
    /// The names of the areas on this page.
    public var areaNames: [AreaCode: String] = [:]
}

/// Import record: where every figure came from.
public struct ImportRecord: Sendable, Hashable, Codable {
    public var id: Int
    public var fileName: String
    public var sha256: String
    public var format: String
    public var importedAt: String
    public var rowCount: Int
    public var valueCount: Int
    public var note: String?
}

/// What an import did, for the terminal and the web.
public struct ImportReport: Sendable {
    public var record: ImportRecord
    public var unmappedColumns: [String]
    /// Values per indicator: (total, of which without a number).
    public var perIndicator: [(indicator: String, values: Int, withoutNumber: Int)]
    /// Areas the import created (codes new to the monitor, parent derived from the code).
    public var newAreas: [AreaCode] = []
    /// What the loaded figures did: new, revised (a new version), unchanged.
    public var versions = VersionCounts()
    /// What recomputing did to computed figures.
    public var derivedVersions = VersionCounts()

    /// Figures computed afterwards (formulas and sums) that are new or revised.
    public var derivedCount: Int { derivedVersions.new + derivedVersions.revised }
}

/// The store the web layer and the CLI talk to. All SQL lives behind it.
public protocol Store: Sendable {
    /// The indicator catalogue the store guards figures with.
    var catalog: Catalog { get }
    /// Answers when the database answers.
    func ping() async throws
    /// True when no areas are loaded yet (a fresh database).
    func isEmpty() async throws -> Bool
    /// One area with its parents.
    func area(_ code: AreaCode) async throws -> Area?
    /// All areas of a kind, sorted by name.
    func areas(kind: AreaKind) async throws -> [Area]
    /// Areas of `kind` whose parent is `parent` (wijken of a gemeente, buurten of a wijk, gemeenten of a provincie).
    func children(of parent: AreaCode, kind: AreaKind) async throws -> [Area]
    /// A gemeente with all its wijken and buurten.
    func areas(inGemeente gemeente: AreaCode) async throws -> [Area]
    /// Figures matching the query, after the privacy rule.
    func observations(_ query: ObservationQuery) async throws -> ObservationPage
    /// Figures that do not come from the database (a draft being looked at) through the same privacy rule.
    func privacyGuarded(_ observations: [Observation]) -> [Observation]
    /// Periods with figures for an indicator, newest first.
    func periods(indicator: String) async throws -> [String]
    /// An import record.
    func importRecord(id: Int) async throws -> ImportRecord?
    /// All import records, newest first.
    func imports() async throws -> [ImportRecord]
    /// Imports a validated batch in one transaction (whole or not at all), then recomputes
    /// derived figures. Unknown areas are an ``ImportError`` naming line and column.
    func importBatch(_ batch: ImportBatch) async throws -> ImportReport
    /// Per indicator, the kinds of area that have at least one value (for the lantaarnpaal).
    func coverage() async throws -> [String: Set<AreaKind>]
    /// For one gemeente, per indicator how close its current figures come: the gemeente itself (or its wijken and
    /// buurten), a region that holds it, or only Nederland. Indicators without any such figure are missing.
    func coverage(gemeente: AreaCode) async throws -> [String: Lamppost.Reach]
    /// Counts one view of an indicator's page (for the meetlast ledger).
    func recordPageView(indicator: String) async throws
    /// Uses per indicator: page views and references from dialogue records.
    func usage() async throws -> [String: IndicatorUsage]
    /// Boundaries (GeoJSON geometry, WGS84) of all areas of a kind, optionally within one gemeente; the newest year per area.
    func shapes(kind: AreaKind, withinGemeente: AreaCode?) async throws -> [(code: AreaCode, geoJSON: String)]
    /// Code changes (herindelingen): old code → new code, from a year.
    func codeChanges() async throws -> [CodeChange]
    /// Records a herindeling; the new code must exist.
    func addCodeChange(_ change: CodeChange) async throws
    /// What disclosure control hides: positions (indicator × area × period) per reason, and the positions of the
    /// indicators it watches (current figures with a value or hidden), for the privacy page.
    func disclosureCounts() async throws -> (byReason: [DisclosureControl.Reason: Int], positions: Int)
    /// Withdraws the current figure of one indicator, area and period: a new version without a value (status
    /// onbekend), written as an ordinary import in one transaction; earlier versions stay. Derived figures follow.
    func withdrawFigure(indicator: String, area: AreaCode, period: String, reason: String, actor: String) async throws -> ImportReport
    /// Changes whenever figures change (the newest import id): for caches of derived results.
    func generation() async throws -> Int
    /// Number of figures stored (all statuses).
    func observationCount() async throws -> Int
    /// Closes the database.
    func close() async
}

/// A login session, shared by every app node through the database. The cookie holds a random token;
/// the database only its SHA-256, so a copy of the database does not log anyone in.
public struct SessionRecord: Sendable, Hashable {
    public var tokenHash: String
    public var accountID: Int
    /// The token every state-changing form of this session must carry.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, accountID: Int, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Why an account change was refused.
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateUsername(String)
    case unknownAccount(String)
    case invalid(String)
    /// The last beheerder cannot be removed or demoted.
    case lastAdministrator

    public var description: String {
        switch self {
        case .duplicateUsername(let name): "Er is al een gebruiker '\(name)'."
        case .unknownAccount(let name): "Er is geen gebruiker '\(name)'."
        case .invalid(let why): why
        case .lastAdministrator: "Dit is de laatste beheerder; maak eerst een ander beheerder."
        }
    }
}

/// Accounts, sessions, the login rate limit and the audit log. Every change to an account is written
/// to the audit log in the same transaction (`actor` says who).
public protocol AccountStore: Sendable {
    func accountCount() async throws -> Int
    func accounts() async throws -> [Account]
    func account(id: Int) async throws -> Account?
    /// The account and its password hash, for logging in.
    func credentials(username: String) async throws -> (account: Account, passwordHash: String)?
    func addAccount(username: String, displayName: String, role: Role, gemeenten: [AreaCode], passwordHash: String, actor: String) async throws -> Account
    func removeAccount(id: Int, actor: String) async throws
    func setRole(id: Int, role: Role, gemeenten: [AreaCode], actor: String) async throws -> Account
    /// Sets a new password hash and ends the account's other sessions (all when `keepSession` is nil).
    func setPasswordHash(id: Int, passwordHash: String, keepSession: String?, actor: String) async throws
    func createSession(_ session: SessionRecord) async throws
    /// The session and its account when the session exists and has not expired at `now`.
    func session(tokenHash: String, now: Date) async throws -> (session: SessionRecord, account: Account)?
    func deleteSession(tokenHash: String) async throws
    /// Records a failed login for each key (the username and the client address).
    func recordLoginFailure(keys: [String], at: Date) async throws
    /// Failed logins for a key since a moment.
    func loginFailures(key: String, since: Date) async throws -> Int
    func clearLoginFailures(key: String) async throws
    /// The audit log, newest first.
    func auditLog(limit: Int, offset: Int) async throws -> (entries: [AuditEntry], total: Int)
    /// Appends to the audit log (for writes outside this protocol).
    func audit(_ entry: AuditEntry) async throws
}

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
        case .notAConcept(let id, let status): "Concept \(id) is al \(status.rawValue); er is niets veranderd."
        case .unknown(let id): "Er is geen concept \(id)."
        }
    }
}

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

/// Everything the site needs from one store: figures, accounts, drafts, dialogue records and the gespreksmodel.
public typealias SiteStore = Store & PublicationStore & AccountStore & DraftStore & DialogueStore & ConversationBoardStore & InterventionStore & NetworkStore & FacilityStore
    & QuestionnaireStore & KnowledgeStore & GGDMappingStore & LocalIndicatorStore

/// Interventions (effect designs with a frozen baseline and an MKBA) of a gemeente: concepts until published,
/// every saved state kept as a version, every change audited.
public protocol InterventionStore: Sendable {
    /// Inserts a new intervention (`id` 0) or replaces a concept, freezing the baseline (the figures of the targets
    /// and the comparison wijken for its indicators before the start) as the store knows them now.
    func saveIntervention(_ intervention: Intervention, actor: String) async throws -> Intervention
    func intervention(id: Int) async throws -> Intervention?
    func interventions(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Intervention]
    /// Every saved version, oldest first.
    func interventionVersions(id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)]
    /// Current figures of the intervention's indicators for its targets and comparison wijken (all periods).
    func interventionFigures(_ intervention: Intervention) async throws -> [BaselineFigure]
}

/// Informal network maps of a gemeente's wijken: concepts until published, every change audited.
public protocol NetworkStore: Sendable {
    /// Inserts a new map (`id` 0) or replaces a concept.
    func saveNetwork(_ map: NetworkMap, actor: String) async throws -> NetworkMap
    func network(id: Int) async throws -> NetworkMap?
    /// A gemeente's maps, newest date first; concepts only when asked for.
    func networks(gemeente: AreaCode, includeConcepts: Bool) async throws -> [NetworkMap]
}

/// The voorzieningen register of a gemeente: imported or added as concepts, published together, audited.
public protocol FacilityStore: Sendable {
    /// Adds facilities as concepts, all in one transaction (a file lands whole or not at all).
    func addFacilities(_ facilities: [Facility], actor: String, source: String) async throws -> [Facility]
    func facilities(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Facility]
    /// Publishes every concept of the gemeente (facilities and usage) and recomputes the register's indicators for its
    /// wijken and the gemeente, in one transaction.
    func publishFacilities(gemeente: AreaCode, actor: String) async throws -> RegisterPublication
    /// Withdraws a facility (and recomputes the register's indicators when it was published).
    func withdrawFacility(id: Int, gemeente: AreaCode, actor: String) async throws
    /// Adds usage counts as concepts, all in one transaction; every facility must be in the gemeente's register.
    func addUsage(_ usage: [FacilityUsage], actor: String, source: String) async throws -> Int
    /// Usage of the gemeente's facilities (not withdrawn or replaced), counts passed through the privacy rule.
    func usage(gemeente: AreaCode, includeConcepts: Bool) async throws -> [FacilityUsage]
}

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
        case .unknown(let id): "studie \(id) bestaat niet"
        case .alreadyReviewed(let id, let review): "studie \(id) is al beoordeeld (\(review.label))"
        }
    }
}

/// What publishing the register did.
public struct RegisterPublication: Sendable, Hashable {
    public var facilities: Int
    public var usage: Int
    /// Figures of the register's indicators written (new or revised versions).
    public var figures: VersionCounts
    public init(facilities: Int, usage: Int, figures: VersionCounts) {
        self.facilities = facilities
        self.usage = usage
        self.figures = figures
    }
}
