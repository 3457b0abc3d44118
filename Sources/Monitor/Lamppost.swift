import Foundation

/// Lantaarnpaal: what is measured and what is not (report §3.2, the streetlight effect).
///
/// Crosses spheres with perspectives, counts indicators per cell, how many are positively
/// framed, and down to which level data exist, so the gaps are visible at a glance.
public struct Lamppost: Sendable {
    /// One cell of the sphere × perspective matrix.
    public struct Cell: Sendable {
        public var sphere: Sphere
        public var perspective: Perspective
        public var indicators: [Indicator]
        public var positivelyFramed: Int
        /// The finest level with data for any indicator in the cell (nil when there are none).
        public var deepestLevel: AreaKind?
        public var isGap: Bool { indicators.isEmpty }
    }

    public var cells: [Cell]
    /// Indicators per knowledge question.
    public var byQuestion: [(question: KnowledgeQuestion, count: Int)]
    /// Indicators per framing.
    public var byFraming: [(framing: Framing, count: Int)]
    /// Number of indicators about relations (het weefsel): none can be tagged yet.
    public var relationalIndicators: Int
    public var total: Int

    /// Levels from coarse to fine.
    public static let levels: [AreaKind] = [.land, .provincie, .ggdregio, .gemeente, .wijk, .buurt]

    /// - Parameters:
    ///   - catalog: the indicators.
    ///   - coverage: per indicator id, the area kinds that have at least one value.
    public init(catalog: Catalog, coverage: [String: Set<AreaKind>]) {
        var cells: [Cell] = []
        for sphere in Sphere.allCases {
            for perspective in Perspective.allCases {
                let indicators = catalog.indicators.filter { $0.spheres.contains(sphere) && $0.perspectives.contains(perspective) }
                let kinds = indicators.reduce(into: Set<AreaKind>()) { $0.formUnion(coverage[$1.id] ?? []) }
                let deepest = Self.levels.last { kinds.contains($0) }
                cells.append(Cell(sphere: sphere, perspective: perspective, indicators: indicators,
                                  positivelyFramed: indicators.filter { $0.framing == .positief }.count, deepestLevel: deepest))
            }
        }
        self.cells = cells
        byQuestion = KnowledgeQuestion.allCases.map { q in (q, catalog.indicators.filter { $0.knowledgeQuestions.contains(q) }.count) }
        byFraming = Framing.allCases.map { f in (f, catalog.indicators.filter { $0.framing == f }.count) }
        relationalIndicators = 0
        total = catalog.indicators.count
    }

    /// The cell for a sphere and perspective.
    public func cell(_ sphere: Sphere, _ perspective: Perspective) -> Cell {
        cells.first { $0.sphere == sphere && $0.perspective == perspective }!
    }

    /// Cells without any indicator.
    public var gaps: [Cell] { cells.filter(\.isGap) }
}

/// Meetlast: who produces the data and what it costs them (report §3.2).
public struct MeasurementBurden: Hashable, Sendable {
    /// Producent van de gegevens.
    public enum Producer: String, CaseIterable, Sendable {
        /// Bestaand register: no extra asking.
        case register
        /// Enquête of vragenlijst.
        case enquete
        /// Lokale registratie door professionals.
        case lokaleRegistratie = "lokale_registratie"

        public var label: String {
            switch self {
            case .register: "bestaand register"
            case .enquete: "vragenlijst (enquête)"
            case .lokaleRegistratie: "lokale registratie door professionals"
            }
        }
    }

    public var producer: Producer
    /// Minuten per respondent per meetronde.
    public var minutesPerRespondent: Double
    /// Respondenten per meetronde.
    public var respondentsPerPeriod: Int
    /// De aanname achter de schatting.
    public var assumption: String

    public init(producer: Producer, minutesPerRespondent: Double, respondentsPerPeriod: Int, assumption: String) {
        self.producer = producer
        self.minutesPerRespondent = minutesPerRespondent
        self.respondentsPerPeriod = respondentsPerPeriod
        self.assumption = assumption
    }

    /// Total minutes per measuring round.
    public var minutesPerPeriod: Double { minutesPerRespondent * Double(respondentsPerPeriod) }

    /// True when someone outside existing registers spends time on it.
    public var hasBurden: Bool { minutesPerPeriod > 0 }

    /// An indicator with burden and fewer than `threshold` uses is flagged for review.
    public func isFlagged(uses: Int, threshold: Int = 10) -> Bool { hasBurden && uses < threshold }
}

/// Gebruik: how often an indicator is used (page views counted by the server; references from dialogue records).
public struct IndicatorUsage: Hashable, Sendable {
    public var pageViews: Int
    public var dialogueReferences: Int
    public init(pageViews: Int = 0, dialogueReferences: Int = 0) {
        self.pageViews = pageViews
        self.dialogueReferences = dialogueReferences
    }
    /// All uses together.
    public var total: Int { pageViews + dialogueReferences }
}
