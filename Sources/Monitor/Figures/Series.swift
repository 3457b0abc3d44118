import Foundation

/// Codewijziging: a gemeente (or wijk) code that stopped at a herindeling and went into another.
public struct CodeChange: Hashable, Sendable {
    /// The code that ended.
    public var old: AreaCode
    /// The code it went into.
    public var new: AreaCode
    /// The first year of the new indeling.
    public var fromYear: Int

    public init(old: AreaCode, new: AreaCode, fromYear: Int) {
        self.old = old
        self.new = new
        self.fromYear = fromYear
    }
}

/// Tijdreeksen op de huidige grenzen.
public enum Series {
    /// One point of a series.
    public struct Point: Hashable, Sendable {
        public var period: String
        public var value: Double
        /// True when the value was put together from the areas that merged into today's area.
        public var reconstructed: Bool

        public init(period: String, value: Double, reconstructed: Bool) {
            self.period = period
            self.value = value
            self.reconstructed = reconstructed
        }
    }

    /// The year a period starts in ("2023", "2021KW01" → 2023, 2021).
    public static func year(_ period: String) -> Int? { Int(period.prefix(4)) }

    /// The series of `area` on today's borders. For a period before a herindeling into `area`,
    /// the value combines the area itself (if it existed) and its predecessors: counts are
    /// summed, rates are recomputed from summed tellers and noemers; other figures (averages,
    /// distances, classes) cannot be combined and are left out for those periods.
    /// - Parameter observations: figures of `area` and its predecessors, all periods.
    public static func onTodaysBorders(area: AreaCode, indicator: Indicator, observations: [Observation], changes: [CodeChange]) -> [Point] {
        let byPeriod = Dictionary(grouping: observations.filter { $0.indicator == indicator.id }, by: \.period)
        var points: [Point] = []
        for period in byPeriod.keys.sorted() {
            let figures = byPeriod[period]!
            guard let year = year(period) else { continue }
            // Predecessors whose change into `area` happened after this period.
            let predecessors = Set(changes.filter { $0.new == area && year < $0.fromYear }.map(\.old))
            let own = figures.first { $0.area == area }
            if predecessors.isEmpty {
                if let value = own?.value { points.append(Point(period: period, value: value, reconstructed: false)) }
                continue
            }
            let parts = figures.filter { $0.area == area || predecessors.contains($0.area) }
            // Every predecessor must have a number, or the combined figure would be an undercount.
            guard predecessors.allSatisfy({ code in parts.contains { $0.area == code && $0.status == .waarde } }) else { continue }
            if indicator.unit.isAdditive {
                let values = parts.compactMap(\.value)
                guard values.count == parts.count else { continue }
                points.append(Point(period: period, value: values.reduce(0, +), reconstructed: true))
            } else if let formula = indicator.formula {
                let numerators = parts.compactMap(\.numerator), denominators = parts.compactMap(\.denominator)
                guard numerators.count == parts.count, denominators.count == parts.count else { continue }
                let bottom = denominators.reduce(0, +)
                guard bottom != 0 else { continue }
                points.append(Point(period: period, value: numerators.reduce(0, +) / bottom * formula.factor, reconstructed: true))
            }
        }
        return points
    }
}
