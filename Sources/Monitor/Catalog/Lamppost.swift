import Foundation

/// Lantaarnpaal: what is measured and what is not (report §3.2, the streetlight effect).
///
/// Crosses spheres with perspectives and counts, per cell, the indicators of the basis (and of the buitensfeer) that
/// have at least one figure, those that are only described in the catalogue ("beschreven, niet gemeten"), and down to
/// which level figures exist. Context indicators (population, income, benefits, distances) explain the basis but are
/// not the basis: they are counted apart and light no cell. Relations (het weefsel) are counted by relation type.
/// For one gemeente, a cell says what has figures for the gemeente itself, only for its region, only nationally, or none.
public struct Lamppost: Sendable {
    /// How close the figures of an indicator come to one gemeente.
    public enum Reach: String, CaseIterable, Sendable, Comparable {
        /// Figures for the gemeente itself (or its wijken and buurten).
        case own = "eigen"
        /// Only for a region that holds it (GGD-regio, provincie).
        case region = "regio"
        /// Only for Nederland as a whole.
        case national = "landelijk"
        /// No figure at all that says something about this gemeente.
        case none = "geen"

        public var label: String {
            switch self {
            case .own: tr("cijfers voor de gemeente zelf")
            case .region: tr("alleen voor de regio")
            case .national: tr("alleen landelijk")
            case .none: tr("geen cijfers")
            }
        }

        public static func < (a: Reach, b: Reach) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// What a cell holds: figures, only definitions, or nothing.
    public enum State: String, Sendable {
        case measured = "gemeten"
        case describedOnly = "beschreven, niet gemeten"
        case empty = "niets"
    }

    /// One cell of the sphere × perspective matrix.
    public struct Cell: Sendable {
        public var sphere: Sphere
        public var perspective: Perspective
        /// Indicators of the basis and the buitensfeer in this cell (never context).
        public var indicators: [Indicator]
        /// Those with at least one figure (for one gemeente: a figure of the gemeente itself).
        public var measured: [Indicator]
        /// Those in the catalogue without a figure (for one gemeente: without a figure of its own).
        public var describedOnly: [Indicator]
        /// For one gemeente: the indicators by how close their figures come.
        public var byReach: [Reach: [Indicator]]
        /// Per level, how many of the cell's indicators have a figure there.
        public var byLevel: [AreaKind: Int]
        public var positivelyFramed: Int
        /// The finest level with figures for any indicator in the cell (nil when there are none).
        public var deepestLevel: AreaKind? { Lamppost.levels.last { byLevel[$0, default: 0] > 0 } }

        public var state: State { !measured.isEmpty ? .measured : (indicators.isEmpty ? .empty : .describedOnly) }
        /// Nothing measured here: no figure, whatever the catalogue describes.
        public var isGap: Bool { measured.isEmpty }
    }

    /// The indicators tagged with one relation type of the weefsel, or one layer of the buitensfeer.
    public struct Tagged<Tag: Sendable>: Sendable {
        public var tag: Tag
        public var measured: [Indicator]
        public var describedOnly: [Indicator]
    }

    /// One gemeente and, per indicator id, how close its figures come (missing: none).
    public struct Scope: Sendable {
        public var gemeente: AreaCode
        public var reach: [String: Reach]
        public init(gemeente: AreaCode, reach: [String: Reach]) {
            self.gemeente = gemeente
            self.reach = reach
        }
    }

    public var cells: [Cell]
    public var relations: [Tagged<RelationType>]
    /// The buitensfeer in its three layers: vrij toegankelijk, jeugdhulp met verwijzing, jeugdbescherming.
    public var helpLayers: [Tagged<HelpLayer>]
    /// Context indicators: shown apart, never counted as coverage of the basis.
    public var context: [Indicator]
    /// Context indicators with at least one figure (in scope).
    public var contextMeasured: Int
    /// Indicators of the basis and the buitensfeer per knowledge question.
    public var byQuestion: [(question: KnowledgeQuestion, count: Int)]
    /// Indicators of the basis and the buitensfeer per framing.
    public var byFraming: [(framing: Framing, count: Int)]
    /// Indicators of the basis and the buitensfeer.
    public var total: Int
    /// Of those, with at least one figure (in scope).
    public var measuredTotal: Int
    /// The gemeente this lamppost is for, if any.
    public var gemeente: AreaCode? { scope?.gemeente }
    public var scope: Scope?

    /// Number of relational indicators with a figure.
    public var relationalIndicators: Int { Set(relations.flatMap { $0.measured.map(\.id) }).count }

    /// Levels from coarse to fine.
    public static let levels: [AreaKind] = [.land, .provincie, .ggdregio, .gemeente, .wijk, .buurt]

    /// - Parameters:
    ///   - catalog: the indicators.
    ///   - coverage: per indicator id, the area kinds that have at least one figure.
    ///   - scope: one gemeente and how close the figures come to it; nil for the whole monitor.
    public init(catalog: Catalog, coverage: [String: Set<AreaKind>], scope: Scope? = nil) {
        let basis = catalog.indicators.filter { $0.role != .context }
        func isMeasured(_ indicator: Indicator) -> Bool {
            if let scope { return scope.reach[indicator.id] == .own }
            return !(coverage[indicator.id] ?? []).isEmpty
        }
        func tagged<Tag>(_ tag: Tag, _ indicators: [Indicator]) -> Tagged<Tag> {
            Tagged(tag: tag, measured: indicators.filter(isMeasured), describedOnly: indicators.filter { !isMeasured($0) })
        }
        var cells: [Cell] = []
        for sphere in Sphere.allCases {
            for perspective in Perspective.allCases {
                let indicators = basis.filter { $0.spheres.contains(sphere) && $0.perspectives.contains(perspective) }
                let split = tagged((), indicators)
                var byLevel: [AreaKind: Int] = [:]
                for level in Self.levels { byLevel[level] = indicators.filter { coverage[$0.id]?.contains(level) == true }.count }
                var byReach: [Reach: [Indicator]] = [:]
                if let scope { for indicator in indicators { byReach[scope.reach[indicator.id] ?? .none, default: []].append(indicator) } }
                cells.append(Cell(sphere: sphere, perspective: perspective, indicators: indicators, measured: split.measured,
                                  describedOnly: split.describedOnly, byReach: byReach, byLevel: byLevel,
                                  positivelyFramed: indicators.filter { $0.framing == .positief }.count))
            }
        }
        self.cells = cells
        relations = RelationType.allCases.map { relation in tagged(relation, basis.filter { $0.relations.contains(relation) }) }
        helpLayers = HelpLayer.allCases.map { layer in tagged(layer, basis.filter { $0.helpLayers.contains(layer) }) }
        context = catalog.indicators.filter { $0.role == .context }
        contextMeasured = context.filter(isMeasured).count
        byQuestion = KnowledgeQuestion.allCases.map { q in (q, basis.filter { $0.knowledgeQuestions.contains(q) }.count) }
        byFraming = Framing.allCases.map { f in (f, basis.filter { $0.framing == f }.count) }
        total = basis.count
        measuredTotal = basis.filter(isMeasured).count
        self.scope = scope
    }

    /// The cell for a sphere and perspective.
    public func cell(_ sphere: Sphere, _ perspective: Perspective) -> Cell {
        cells.first { $0.sphere == sphere && $0.perspective == perspective }!
    }

    /// Cells without any figure.
    public var gaps: [Cell] { cells.filter(\.isGap) }

    /// Per sphere, the indicators of the basis and the buitensfeer in it, and how many of them have a figure
    /// (the plattegrond's and the home page's counts).
    public var bySphere: [Sphere: (indicators: Int, measured: Int)] {
        Dictionary(uniqueKeysWithValues: Sphere.allCases.map { sphere in
            let cells = cells.filter { $0.sphere == sphere }
            return (sphere, (Set(cells.flatMap { $0.indicators.map(\.id) }).count, Set(cells.flatMap { $0.measured.map(\.id) }).count))
        })
    }
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
            case .register: tr("bestaand register")
            case .enquete: tr("vragenlijst (enquête)")
            case .lokaleRegistratie: tr("lokale registratie door professionals")
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
