import Foundation

/// Histogram geometry for the distribution of an indicator over areas.
public struct Histogram: Sendable, Equatable {
    /// A bin [lower, upper) with its count (the last bin includes its upper bound).
    public struct Bin: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
    }
    public var bins: [Bin]

    /// Bins `values` into about `target` bins with "nice" bounds (1, 2, 2.5 or 5 × 10ⁿ).
    /// Values that are not finite are left out (they cannot be placed on an axis).
    public init(values allValues: [Double], target: Int = 20) {
        let values = allValues.filter(\.isFinite)
        guard let minimum = values.min(), let maximum = values.max() else { bins = []; return }
        if minimum == maximum {
            bins = [Bin(lower: minimum, upper: maximum, count: values.count)]
            return
        }
        let step = NiceScale.step(for: (maximum - minimum) / Double(max(target, 1)))
        let start = (minimum / step).rounded(.down) * step
        // At most a few hundred bins, whatever the values (a range too wide for a Double gives one bin).
        let count = min(500, max(1, (Int(checked: (maximum - start) / step, rounding: .down) ?? 0) + 1))
        var result = (0..<count).map { Bin(lower: start + Double($0) * step, upper: start + Double($0 + 1) * step, count: 0) }
        for value in values {
            let index = min(count - 1, max(0, Int(checked: (value - start) / step, rounding: .down) ?? (count - 1)))
            result[index].count += 1
        }
        bins = result
    }
}

/// Nice numbers for axes.
public enum NiceScale {
    /// The smallest step of the form {1, 2, 2.5, 5} × 10ⁿ that is ≥ `raw`.
    public static func step(for raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for multiple in [1.0, 2.0, 2.5, 5.0, 10.0] where multiple * magnitude >= raw * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }

    /// About `count` evenly spaced nice ticks covering [lower, upper].
    public static func ticks(lower: Double, upper: Double, count: Int = 5) -> [Double] {
        guard upper.isFinite, lower.isFinite else { return [] }
        guard upper > lower else { return [lower] }
        let step = self.step(for: (upper - lower) / Double(max(count, 1)))
        var tick = (lower / step).rounded(.up) * step
        var ticks: [Double] = []
        // Bounded: a range too wide or too fine for a Double (tick + step == tick) cannot loop for ever.
        while tick <= upper + step * 1e-9, ticks.count < 10 * max(count, 1) + 2 {
            if tick + step == tick { ticks.append(tick); break }
            ticks.append((tick / step).rounded() * step)
            tick += step
        }
        return ticks
    }
}

/// Simple statistics for summaries (median, quartiles) without ranking.
public enum Summary {
    /// The median of the values (nil when empty).
    public static func median(_ values: [Double]) -> Double? { quantile(values, 0.5) }

    /// Linear-interpolated quantile (type 7, as R and numpy default).
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = min(max(q.isFinite ? q : 0.5, 0), 1) * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
