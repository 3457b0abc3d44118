import Foundation

/// Status of a figure: a suppressed or unknown value is never a number.
public enum ObservationStatus: String, CaseIterable, Codable, Sendable {
    /// Waarde: a number is available.
    case waarde
    /// Geheim: suppressed (by the source, CBS `x`, or by our privacy rule).
    case geheim
    /// Onbekend: not known (CBS `.`, an empty cell).
    case onbekend
    /// Niet van toepassing (CBS `-`).
    case nvt

    /// The Dutch text shown instead of a number.
    public var label: String {
        switch self {
        case .waarde: tr("waarde")
        case .geheim: tr("geen gegevens (geheim)")
        case .onbekend: tr("geen gegevens")
        case .nvt: tr("niet van toepassing")
        }
    }
}

/// Herkomst: whether a value was loaded from a file or computed by the monitor.
public enum ObservationOrigin: String, CaseIterable, Codable, Sendable {
    /// Geladen uit een bestand.
    case geladen
    /// Berekend met de formule van de indicator.
    case berekend
    /// Opgeteld uit de delen van het gebied (buurten, wijken, gemeenten).
    case opgeteld
    /// Berekend uit het voorzieningenregister en het geregistreerde gebruik van een gemeente.
    case registratie
    /// Schaalscore uit een gepubliceerde vragenlijstronde.
    case vragenlijst
    /// Maat van een gepubliceerde netwerkkaart van een wijk.
    case netwerk

    /// The Dutch label shown with a figure.
    public var label: String {
        switch self {
        case .geladen: tr("geladen uit de bron")
        case .berekend: tr("berekend met de formule")
        case .opgeteld: tr("opgeteld uit de deelgebieden")
        case .registratie: tr("berekend uit het voorzieningenregister van de gemeente")
        case .vragenlijst: tr("schaalscore uit een vragenlijstronde van de gemeente")
        case .netwerk: tr("maat van een gepubliceerde netwerkkaart van de gemeente")
        }
    }
}

/// Betrouwbaarheidsinterval.
public struct ConfidenceInterval: Hashable, Sendable, Codable {
    public var lower: Double
    public var upper: Double
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Waarneming: one figure for one indicator, area and period.
public struct Observation: Hashable, Sendable {
    /// Indicator id.
    public var indicator: String
    /// Gebied.
    public var area: AreaCode
    /// Periode, e.g. "2023".
    public var period: String
    /// Status; ``value`` is nil unless this is `.waarde`.
    public var status: ObservationStatus
    /// Waarde (nil unless status is `.waarde`).
    public var value: Double?
    /// Teller, where known.
    public var numerator: Double?
    /// Noemer, where known.
    public var denominator: Double?
    /// Aantal waarnemingen / respondenten, where known.
    public var n: Int?
    /// Betrouwbaarheidsinterval, where known.
    public var confidenceInterval: ConfidenceInterval?
    /// Herkomst.
    public var origin: ObservationOrigin
    /// The import this figure came from (for computed figures: the import that triggered it).
    public var importID: Int?
    /// Why the value was withheld, when our privacy rule suppressed it.
    public var suppressionReason: String?
    /// Versie: 1 for the first figure; a corrected import adds the next version.
    public var version: Int = 1
    /// When this version entered the monitor (ISO 8601, UTC).
    public var recordedAt: String?
    /// When a newer version (or a withdrawal) replaced it; nil for the current figure.
    public var supersededAt: String?

    public init(
        indicator: String, area: AreaCode, period: String, status: ObservationStatus, value: Double?,
        numerator: Double? = nil, denominator: Double? = nil, n: Int? = nil,
        confidenceInterval: ConfidenceInterval? = nil, origin: ObservationOrigin = .geladen,
        importID: Int? = nil, suppressionReason: String? = nil
    ) {
        self.indicator = indicator
        self.area = area
        self.period = period
        self.status = status
        self.value = status == .waarde ? value : nil
        self.numerator = numerator
        self.denominator = denominator
        self.n = n
        self.confidenceInterval = confidenceInterval
        self.origin = origin
        self.importID = importID
        self.suppressionReason = suppressionReason
    }

    /// A figure with a number.
    public static func value(
        _ value: Double, indicator: String, area: AreaCode, period: String,
        numerator: Double? = nil, denominator: Double? = nil, origin: ObservationOrigin = .geladen
    ) -> Observation {
        Observation(indicator: indicator, area: area, period: period, status: .waarde, value: value,
                    numerator: numerator, denominator: denominator, origin: origin)
    }
}

/// Key of a figure: indicator × area × period.
public struct ObservationKey: Hashable, Sendable {
    public var indicator: String
    public var area: AreaCode
    public var period: String
    public init(indicator: String, area: AreaCode, period: String) {
        self.indicator = indicator
        self.area = area
        self.period = period
    }
}

extension Observation {
    public var key: ObservationKey { ObservationKey(indicator: indicator, area: area, period: period) }
}

/// Peildatum: the figures as the monitor knew them at the end of a day (YYYY-MM-DD, UTC).
public struct ReferenceDate: Hashable, Sendable, CustomStringConvertible {
    /// The day as given, `2026-11-29`.
    public let day: String
    /// The next day, `2026-11-30`: a version counts when it was recorded before this and not superseded before it.
    public let exclusiveBound: String

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, (1900...2999).contains(year) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components),
              let next = calendar.date(byAdding: .day, value: 1, to: date) else { return nil }
        let parts2 = calendar.dateComponents([.year, .month, .day], from: next)
        self.day = text
        self.exclusiveBound = String(format: "%04d-%02d-%02d", parts2.year!, parts2.month!, parts2.day!)
    }

    public var description: String { day }
}
