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
    /// The current figures of these areas after the privacy rule, ordered by indicator, area and period. Nederland, the
    /// provincies, GGD-regio's and gemeenten (the references and peers of many pages) are kept per data generation.
    func currentObservations(of areas: [AreaCode]) async throws -> [Observation]
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
    /// Changes whenever anything a visitor could see changes (figures, publications, herindelingen, rules): one number,
    /// raised in the same transaction as the write, read by every app node for its HTTP caching.
    func dataGeneration() async throws -> Int
    /// How many visible writes this process made through this store (not stored): a change means the data generation
    /// changed here, without asking the database.
    var localWrites: Int { get }
    /// Number of figures stored (all statuses).
    func observationCount() async throws -> Int
    /// Closes the database.
    func close() async
}

/// Everything the site needs from one store: ``Store`` (figures, areas, imports) and each feature's protocol, declared next
/// to its SQL in the feature's folder.
public typealias SiteStore = Store & PublicationStore & AccountStore & DraftStore & DialogueStore & ConversationBoardStore & InterventionStore & NetworkStore & FacilityStore
    & QuestionnaireStore & KnowledgeStore & GGDMappingStore & LocalIndicatorStore & KopgroepStore & EmbedStore & JointDuidingStore
