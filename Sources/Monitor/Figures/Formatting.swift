import Foundation

/// Dates in the current language (``Language/current``): `2026-11-29T05:12:00.123Z` → "29 november 2026", in English
/// "29 November 2026".
public enum DutchDate {
    static let dutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                              "november", "december"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                                "November", "December"]
    static var months: [String] { Language.current == .en ? englishMonths : dutchMonths }

    /// The day of an ISO 8601 time stamp (UTC) in words; the text itself when it is not one.
    public static func format(_ iso: String) -> String {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return iso }
        return "\(day) \(months[month - 1]) \(year)"
    }

    /// A moment as its day in the Netherlands, in words: "29 november 2026".
    public static func long(_ date: Date) -> String {
        let parts = amsterdam.dateComponents([.year, .month, .day], from: date)
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// A moment as its day in the Netherlands in ISO form: "2026-11-29" (after midnight in Amsterdam, already the next day).
    public static func isoDay(_ date: Date) -> String {
        let parts = amsterdam.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The time of day in the Netherlands: "14:05:09".
    public static func time(_ date: Date) -> String {
        let parts = amsterdam.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    static let amsterdam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam") ?? TimeZone(secondsFromGMT: 3600)!
        return calendar
    }()
}

/// Numbers as the current language (``Language/current``) writes them: Dutch `918.117`, `10,7`, `−0,4`; English
/// `918,117`, `10.7`, `−0.4`. (The name is from before there was English: Dutch is the source language.)
public enum DutchNumber {
    /// The separators of the current language: between thousands, before the decimals.
    static var separators: (thousands: String, decimal: String) { Language.current == .en ? (",", ".") : (".", ",") }

    /// A count with its noun in the right number: "1 gebruiker", "3 gebruikers", "1.234 wijken"; the Dutch noun is
    /// translated into the current language (``tr(_:_:)``).
    public static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(format(Double(n), decimals: 0)) \(tr(n == 1 ? singular : plural))"
    }

    /// Words in a list: "a, b en c" (in English "a, b and c").
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " " + tr("en") + " " + items.last!
    }

    /// Shown instead of a number that cannot be a figure (NaN or infinite).
    public static var invalid: String { tr("ongeldige waarde") }

    /// Formats with a decimal comma and a dot between thousands. Total over every Double:
    /// NaN and infinities give "ongeldige waarde", any finite value (also 1e300) its digits —
    /// no integer conversion that could trap.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return invalid }
        let places = min(max(decimals, 0), 10)
        let factor = pow(10.0, Double(places))
        var integerText: String, fractionText: String
        if abs(value) * factor < 1e15 {
            // Rounded half away from zero at the shown precision (as before); exact in this range.
            let scaled = (abs(value) * factor).rounded()
            let whole = Int(scaled)
            let divisor = Int(factor)
            integerText = String(whole / divisor)
            let fraction = String(whole % divisor)
            fractionText = places == 0 ? "" : String(repeating: "0", count: places - fraction.count) + fraction
        } else {
            // Beyond 10¹⁵ (scaled) the C library writes the decimal expansion; no Int is made.
            let parts = String(format: "%.\(places)f", abs(value)).split(separator: ".", omittingEmptySubsequences: false)
            integerText = String(parts[0])
            fractionText = parts.count > 1 ? String(parts[1]) : ""
        }
        let (thousands, decimal) = separators
        var digits = Substring(integerText)
        var grouped = ""
        while digits.count > 3 {
            grouped = thousands + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        if places > 0 { grouped += decimal + fractionText }
        let isZero = !(integerText + fractionText).contains(where: { $0 >= "1" && $0 <= "9" })
        return (value < 0 && !isZero ? "−" : "") + grouped
    }

    /// A value with its unit, e.g. `10,7%`, `918.117`, `0,6 km`.
    public static func format(_ value: Double, unit: IndicatorUnit, decimals: Int) -> String {
        guard value.isFinite else { return invalid }
        let number = format(value, decimals: decimals)
        switch unit {
        case .procent: return number + "%"
        case .km: return number + " km"
        case .euro1000: return tr("€ {0} dzd.", number)
        case .per1000: return number + " per " + format(1000, decimals: 0)
        case .perKm2: return number + " per km²"
        case .personen, .aantal, .gemiddelde, .klasse: return number
        }
    }

    /// A signed difference, e.g. `+0,4` or `−1,2` (with the unit's suffix for percentages: "procentpunt").
    public static func difference(_ value: Double, unit: IndicatorUnit, decimals: Int) -> String {
        guard value.isFinite else { return invalid }
        let number = format(abs(value), decimals: decimals)
        let sign = value > 0 && number != format(0, decimals: decimals) ? "+" : (value < 0 && number != format(0, decimals: decimals) ? "−" : "±")
        switch unit {
        case .procent: return tr("{0} procentpunt", "\(sign)\(number)")
        case .km: return "\(sign)\(number) km"
        default: return "\(sign)\(number)"
        }
    }
}

/// Vergelijking: neutral wording of a difference, never a rank.
public enum ComparisonWording {
    /// "hoger dan Nederland", "lager dan Nederland" or "gelijk aan Nederland" at display precision.
    ///
    /// With a confidence interval (`margin`) around the value, a difference is only named when
    /// the reference lies outside it; otherwise the wording says the difference is within the margin.
    public static func describe(_ value: Double, against reference: Double, referenceName: String, decimals: Int,
                                margin: ConfidenceInterval? = nil) -> String {
        if let margin, reference >= margin.lower, reference <= margin.upper {
            return tr("verschil met {0} valt binnen de foutmarge", referenceName)
        }
        let factor = pow(10.0, Double(decimals))
        let a = (value * factor).rounded(), b = (reference * factor).rounded()
        if a > b { return tr("hoger dan {0}", referenceName) }
        if a < b { return tr("lager dan {0}", referenceName) }
        return tr("gelijk aan {0}", referenceName)
    }
}

extension Int {
    /// The whole number nearest to `value` (rounded as `rule` says) when it is finite and fits in an Int;
    /// nil otherwise. Use this instead of `Int(Double)`, which traps on NaN, infinities and values
    /// of 9.22·10¹⁸ or more — a stored figure or a parameter must never stop the server.
    public init?(checked value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        let rounded = value.rounded(rule)
        guard rounded.isFinite, rounded >= -9.2e18, rounded <= 9.2e18 else { return nil }
        self = Int(rounded)
    }
}
