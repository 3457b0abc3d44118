import Foundation

/// Eenheid: the unit of an indicator, which decides formatting and privacy rules.
public enum IndicatorUnit: String, CaseIterable, Codable, Sendable {
    /// Aantal personen (a count of people: small counts are suppressed).
    case personen
    /// Aantal (a count of things: households, cars, schools).
    case aantal
    /// Procent.
    case procent
    /// Per 1.000 (of the denominator population).
    case per1000 = "per_1000"
    /// Per km² (density).
    case perKm2 = "per_km2"
    /// Kilometer.
    case km
    /// × € 1.000.
    case euro1000 = "euro_x1000"
    /// Gemiddeld aantal (e.g. schools within 3 km).
    case gemiddelde
    /// Klasse (an ordinal class such as stedelijkheid 1–5).
    case klasse

    /// The Dutch label shown after a value.
    public var label: String {
        switch self {
        case .personen: tr("personen")
        case .aantal: tr("aantal")
        case .procent: "%"
        case .per1000: tr("per 1.000")
        case .perKm2: tr("per km²")
        case .km: "km"
        case .euro1000: "× € 1.000"
        case .gemiddelde: tr("gemiddeld aantal")
        case .klasse: tr("klasse")
        }
    }

    /// The values a figure of this unit can plausibly have; an import or form refuses anything else with
    /// ``plausibleDescription`` (a percentage above 100, more persons than live in the Netherlands, …).
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .procent: 0...100
        case .personen: 0...20_000_000
        case .aantal: 0...100_000_000
        case .per1000: 0...10_000_000
        case .perKm2: 0...1_000_000
        case .km: 0...1_000
        case .euro1000: -10_000_000...10_000_000
        case .gemiddelde: -1_000_000_000...1_000_000_000
        case .klasse: 0...100
        }
    }

    /// What ``plausibleRange`` allows, in Dutch.
    public var plausibleDescription: String {
        let range = plausibleRange
        let low = DutchNumber.format(range.lowerBound, decimals: 0), high = DutchNumber.format(range.upperBound, decimals: 0)
        switch self {
        case .procent: return tr("een percentage van 0 tot en met 100")
        case .personen: return tr("een aantal personen van 0 tot en met {0} (meer dan er in Nederland wonen kan niet)", high)
        default: return tr("een waarde van {0} tot en met {1} ({2})", low, high, label)
        }
    }

    /// Whether values of this unit can be summed over areas (counts only).
    public var isAdditive: Bool { self == .personen || self == .aantal }
}

/// Bron: who publishes the data and in which table.
public struct Source: Hashable, Sendable, Codable {
    /// Uitgever, e.g. "CBS".
    public var publisher: String
    /// Tabel-id, e.g. "85618NED".
    public var tableID: String
    /// Titel of the table.
    public var title: String
    /// Link to the table, if any.
    public var url: String?

    public init(publisher: String, tableID: String, title: String, url: String? = nil) {
        self.publisher = publisher
        self.tableID = tableID
        self.title = title
        self.url = url
    }

    /// "CBS 85618NED" — what a figure cites.
    public var citation: String { "\(publisher) \(tableID)" }
}

/// Formule: a derived indicator, teller / noemer × factor over other indicators.
public struct Formula: Hashable, Sendable, Codable {
    /// Indicator id of the numerator (teller).
    public var numerator: String
    /// Indicator id of the denominator (noemer).
    public var denominator: String
    /// Factor, e.g. 100 for a percentage or 1000 for "per 1.000".
    public var factor: Double

    public init(numerator: String, denominator: String, factor: Double) {
        self.numerator = numerator
        self.denominator = denominator
        self.factor = factor
    }
}

/// How an indicator gets its values.
public enum IndicatorDerivation: Hashable, Sendable {
    /// Geladen: values are imported from data files. `columns` lists the source
    /// column names that map to this indicator; `numeratorColumn` optionally names the
    /// column that holds the count behind a loaded rate.
    case loaded(columns: [String], numeratorColumn: String?)
    /// Berekend: computed by formula from other indicators.
    case formula(Formula)
    /// Geregistreerd: computed from a gemeente's published facilities register and usage (never loaded from files).
    case registered(FacilityMeasure)
    /// Gemeten met een vragenlijst: the scale score of published questionnaire rounds made from a template.
    case surveyed(QuestionnaireMeasure)
    /// Een maat van de netwerkkaarten die een gemeente publiceert (per wijk en datum).
    case networked(NetworkMeasureKind)
}

/// Aggregatie: how a value for a larger area follows from its parts when it is not loaded.
public enum Aggregation: String, Hashable, Sendable, Codable {
    /// Optellen: counts are summed (only when every part has a value).
    case som
    /// Niet aggregeren: averages, distances and classes cannot be combined without weights.
    case geen
}

/// Indicator: a figure in the monitor with its reasoning (report §4.1: "more than figures").
public struct Indicator: Hashable, Sendable, Identifiable {
    /// Id used in URLs, the API and data files, e.g. `jeugdzorg_in_natura_pct`.
    public var id: String
    /// Naam (Dutch).
    public var name: String
    /// Definitie (Dutch).
    public var definition: String
    /// Eenheid.
    public var unit: IndicatorUnit
    /// Aantal decimalen for display.
    public var decimals: Int
    /// Bron.
    public var source: Source
    /// Peilmoment / verslagperiode: what the period of a figure refers to.
    public var referencePeriod: String
    /// Polariteit.
    public var polarity: Polarity
    /// Lading (positief, negatief, neutraal geformuleerd).
    public var framing: Framing
    /// Sferen (the first is the primary sphere used for grouping).
    public var spheres: [Sphere]
    /// Perspectieven.
    public var perspectives: [Perspective]
    /// Kennisvragen.
    public var knowledgeQuestions: [KnowledgeQuestion]
    /// Leeftijdsgroep the figure is about, e.g. "0–22 jaar" or "alle leeftijden".
    public var ageGroup: String
    /// Toelichting: why it matters (or does not) for the pedagogische basis.
    public var explanation: String
    /// Gebruiksvoorbeelden.
    public var usageExamples: [String]
    /// Kanttekeningen: what the figure does not tell.
    public var caveats: [String]
    /// Geladen of formule.
    public var derivation: IndicatorDerivation
    /// Aggregatie to larger areas.
    public var aggregation: Aggregation
    /// Meetlast: who produces the data and at what cost.
    public var burden: MeasurementBurden
    /// CBS StatLine keys (without the numeric suffix) that map to this indicator, e.g. `AantalInwoners`.
    public var cbsKeys: [String] = []
    /// Where the indicator was defined (catalogue file), for error messages.
    public var definedIn: String
    /// Rol: basis, context or hulp; only `basis` counts as coverage of the pedagogical basis.
    public var role: IndicatorRole = .basis
    /// Why the indicator has its role, in words (from the catalogue).
    public var roleReason: String = ""
    /// For `hulp`: which layers of the buitensfeer the figure covers (one figure may lump several together).
    public var helpLayers: [HelpLayer] = []
    /// The relations (het weefsel) the indicator is about, if any.
    public var relations: [RelationType] = []
    /// Whether it serves the national picture (comparing gemeenten), the local one (a gemeente and its wijken), or both.
    public var pictures: [Level] = [.landelijk, .lokaal]
    /// For an indicator a gemeente defined in the browser: that gemeente (nil for the shared catalogue of `catalog/`).
    public var owner: AreaCode? = nil
    /// A gemeente's own indicator that a beheerder shared with everyone (visible to every visitor, not only the gemeente's users).
    public var sharedWithAll = false
    /// Whether every visitor may see it: the shared catalogue, or an own indicator a beheerder shared.
    public var isForEveryone: Bool { owner == nil || sharedWithAll }

    public init(
        id: String, name: String, definition: String, unit: IndicatorUnit, decimals: Int,
        source: Source, referencePeriod: String, polarity: Polarity, framing: Framing,
        spheres: [Sphere], perspectives: [Perspective], knowledgeQuestions: [KnowledgeQuestion],
        ageGroup: String, explanation: String, usageExamples: [String], caveats: [String],
        derivation: IndicatorDerivation, aggregation: Aggregation,
        burden: MeasurementBurden = MeasurementBurden(producer: .register, minutesPerRespondent: 0, respondentsPerPeriod: 0,
                                                      assumption: tr("bestaand register")),
        definedIn: String = ""
    ) {
        self.id = id
        self.name = name
        self.definition = definition
        self.unit = unit
        self.decimals = decimals
        self.source = source
        self.referencePeriod = referencePeriod
        self.polarity = polarity
        self.framing = framing
        self.spheres = spheres
        self.perspectives = perspectives
        self.knowledgeQuestions = knowledgeQuestions
        self.ageGroup = ageGroup
        self.explanation = explanation
        self.usageExamples = usageExamples
        self.caveats = caveats
        self.derivation = derivation
        self.aggregation = aggregation
        self.burden = burden
        self.definedIn = definedIn
    }

    /// The sphere the indicator is grouped under.
    public var primarySphere: Sphere { spheres.first ?? .gezin }

    /// The formula, when the indicator is derived.
    public var formula: Formula? {
        if case .formula(let formula) = derivation { return formula }
        return nil
    }

    /// What the indicator counts in the facilities register, when it comes from there.
    public var registration: FacilityMeasure? {
        if case .registered(let measure) = derivation { return measure }
        return nil
    }

    /// The questionnaire scale the indicator reports, when it comes from questionnaire rounds.
    public var survey: QuestionnaireMeasure? {
        if case .surveyed(let measure) = derivation { return measure }
        return nil
    }

    /// The network measure the indicator reports, when it comes from published network maps.
    public var network: NetworkMeasureKind? {
        if case .networked(let kind) = derivation { return kind }
        return nil
    }

    /// How a figure that is not loaded is made, in Dutch ("berekend met een formule").
    public var computedFrom: String {
        switch derivation {
        case .loaded: tr("geladen uit bestanden")
        case .formula: tr("berekend met een formule")
        case .registered: tr("berekend uit het voorzieningenregister")
        case .surveyed: tr("berekend uit vragenlijstrondes")
        case .networked: tr("berekend uit gepubliceerde netwerkkaarten")
        }
    }

    /// True for indicators whose figures come from files (not from a formula or the register).
    public var isLoaded: Bool {
        if case .loaded = derivation { return true }
        return false
    }

    /// Source column names that map to this indicator (empty for formulas).
    public var sourceColumns: [String] {
        if case .loaded(let columns, _) = derivation { return columns }
        return []
    }
}
