import Foundation

/// An intervention with a baseline and a comparison group (report §4.5): register what is done where and from
/// when, freeze the nulmeting at registration, and when follow-up figures arrive estimate the effect as a
/// difference in differences, with a confidence interval and the assumptions spelled out.
public struct Intervention: Sendable, Codable, Hashable, Identifiable {
    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    public var name: String
    public var description: String
    /// The wijken (or buurten) where it runs.
    public var targets: [AreaCode]
    /// The wijken it is compared with.
    public var comparison: [AreaCode]
    /// The indicators it should move.
    public var indicators: [String]
    /// The first period of the intervention (figures of earlier periods are the baseline).
    public var startPeriod: String
    /// The frozen nulmeting: every figure of targets and comparison for the indicators up to the start, as known at registration.
    public var baseline: [BaselineFigure]
    public var frozenAt: Date?
    public var status: Status
    public var version: Int
    public var createdBy: String
    /// The social cost-benefit analysis of the intervention, when one is made.
    public var costBenefit: CostBenefitAnalysis?
    /// The kind of intervention (``InterventionType/id``), for pooling the results of one kind across gemeenten.
    public var typeID: String?
    /// Where it came from, when a member copied it from a kopgroep.
    public var origin: RecordOrigin?

    public init(id: Int = 0, gemeente: AreaCode, name: String, description: String = "", targets: [AreaCode], comparison: [AreaCode],
                indicators: [String], startPeriod: String, baseline: [BaselineFigure] = [], frozenAt: Date? = nil,
                status: Status = .concept, version: Int = 1, createdBy: String = "", costBenefit: CostBenefitAnalysis? = nil,
                typeID: String? = nil, origin: RecordOrigin? = nil) {
        self.costBenefit = costBenefit
        self.typeID = typeID
        self.origin = origin
        self.id = id
        self.gemeente = gemeente
        self.name = name
        self.description = description
        self.targets = targets
        self.comparison = comparison
        self.indicators = indicators
        self.startPeriod = startPeriod
        self.baseline = baseline
        self.frozenAt = frozenAt
        self.status = status
        self.version = version
        self.createdBy = createdBy
    }

    /// The part of a design a problem concerns (a form shows the problem there).
    public enum Part: String, Sendable, CaseIterable { case name, type, targets, comparison, indicators, start, costBenefit, other }

    /// What is wrong with it, in Dutch; empty when it can be saved.
    public func problems() -> [String] { partProblems().map(\.message) }

    /// The same problems, each with the part of the design it concerns.
    public func partProblems() -> [(part: Part, message: String)] {
        var problems: [(part: Part, message: String)] = []
        if name.trimmedWhitespace.isEmpty { problems.append((.name, tr("geef de interventie een naam"))) }
        if targets.isEmpty { problems.append((.targets, tr("kies de wijken waar de interventie loopt"))) }
        if comparison.isEmpty { problems.append((.comparison, tr("kies vergelijkingswijken (zonder vergelijkingsgroep is er geen effectschatting)"))) }
        if !Set(targets).isDisjoint(with: comparison) { problems.append((.comparison, tr("een wijk kan niet tegelijk doelwijk en vergelijkingswijk zijn"))) }
        if indicators.isEmpty { problems.append((.indicators, tr("kies ten minste één indicator"))) }
        if startPeriod.trimmedWhitespace.isEmpty { problems.append((.start, tr("geef de startperiode (bijvoorbeeld 2024)"))) }
        for area in targets where area.gemeente != gemeente { problems.append((.targets, tr("{0} ligt niet in {1}", area.rawValue, gemeente.rawValue))) }
        problems += (costBenefit?.problems() ?? []).map { (.costBenefit, $0) }
        return problems
    }
}

/// One figure of the nulmeting.
public struct BaselineFigure: Sendable, Codable, Hashable {
    public var indicator: String
    public var area: AreaCode
    public var period: String
    public var value: Double

    public init(indicator: String, area: AreaCode, period: String, value: Double) {
        self.indicator = indicator
        self.area = area
        self.period = period
        self.value = value
    }
}

/// The difference-in-differences estimate for one indicator.
extension Intervention {
    /// The figures for the estimate: the frozen baseline before the start, the current figures from the start on.
    public func figures(current: [BaselineFigure]) -> [String: [AreaCode: [String: Double]]] {
        var result: [String: [AreaCode: [String: Double]]] = [:]
        for figure in baseline where figure.period < startPeriod { result[figure.indicator, default: [:]][figure.area, default: [:]][figure.period] = figure.value }
        for figure in current where figure.period >= startPeriod { result[figure.indicator, default: [:]][figure.area, default: [:]][figure.period] = figure.value }
        return result
    }

    /// The difference-in-differences estimate per indicator (nil while there are no follow-up figures).
    public func estimates(current: [BaselineFigure]) -> [(indicator: String, estimate: DifferenceInDifferences?)] {
        let figures = figures(current: current)
        return indicators.map { id in
            (id, DifferenceInDifferences.estimate(indicator: id, targets: targets, comparison: comparison, startPeriod: startPeriod,
                                                  values: figures[id] ?? [:]))
        }
    }

    /// Comparison wijken like the targets, by the standardised characteristics (`values` per wijk): for each
    /// target its nearest wijken, merged by distance, without the targets; `count` of them.
    public static func suggestedComparison(targets: [AreaCode], values: [AreaCode: [Double]], count: Int) -> [AreaCode] {
        let codes = values.keys.sorted { $0.rawValue < $1.rawValue }
        guard let width = values.values.first?.count, width > 0 else { return [] }
        var means = [Double](repeating: 0, count: width), sds = [Double](repeating: 0, count: width)
        for j in 0..<width {
            let column = codes.map { values[$0]![j] }
            means[j] = column.reduce(0, +) / Double(column.count)
            sds[j] = max((column.reduce(0) { $0 + ($1 - means[j]) * ($1 - means[j]) } / Double(max(column.count - 1, 1))).squareRoot(), 1e-12)
        }
        func z(_ code: AreaCode) -> [Double] { (0..<width).map { (values[code]![$0] - means[$0]) / sds[$0] } }
        let targetSet = Set(targets)
        var best: [AreaCode: Double] = [:]
        for target in targets where values[target] != nil {
            let t = z(target)
            for code in codes where !targetSet.contains(code) {
                let d = zip(z(code), t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                best[code] = min(best[code] ?? .infinity, d)
            }
        }
        return best.sorted { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }.prefix(count).map(\.key)
    }
}

public struct DifferenceInDifferences: Sendable, Hashable {
    /// Mean per period of the targets and of the comparison group (for the parallel-trends chart).
    public struct PeriodMeans: Sendable, Hashable {
        public var period: String
        public var targets: Double?
        public var comparison: Double?
    }

    public var indicator: String
    /// The last baseline period and the follow-up period compared.
    public var basePeriod: String
    public var followUpPeriod: String
    public var targetChange: Double
    public var comparisonChange: Double
    /// (Δ targets) − (Δ comparison).
    public var estimate: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    public var degreesOfFreedom: Double
    public var targetCount: Int
    public var comparisonCount: Int
    public var series: [PeriodMeans]
    /// Baseline periods before the last one, with the difference in trend between the groups there (a check
    /// of the parallel-trends assumption: ideally close to 0).
    public var preTrendDifference: Double?

    /// The assumptions, in plain Dutch.
    public static var assumptions: [String] { [
        tr("Parallelle trends: zonder de interventie waren de doelwijken en de vergelijkingswijken even hard veranderd. Bekijk de lijnen vóór de start: lopen ze gelijk op?"),
        tr("Geen andere verandering die alleen de doelwijken trof in dezelfde periode (ander beleid, een herindeling, een nieuwe school)."),
        tr("De samenstelling van de wijken bleef ongeveer gelijk; de cijfers zijn op dezelfde manier gemeten vóór en na."),
        tr("Wijken zijn onafhankelijke waarnemingen; met weinig wijken is het interval breed, en een interval dat 0 bevat betekent: geen aantoonbaar effect, niet: geen effect."),
    ] }

    /// Estimates the effect from the figures (`values[indicator area period]`), base = the last period before
    /// the start that has figures for both groups, follow-up = the given period or the latest after the start.
    public static func estimate(indicator: String, targets: [AreaCode], comparison: [AreaCode], startPeriod: String,
                                values: [AreaCode: [String: Double]], followUp: String? = nil) -> DifferenceInDifferences? {
        let periods = Set(values.values.flatMap(\.keys)).sorted()
        func mean(_ areas: [AreaCode], _ period: String) -> Double? {
            let v = areas.compactMap { values[$0]?[period] }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        let before = periods.filter { $0 < startPeriod && mean(targets, $0) != nil && mean(comparison, $0) != nil }
        let after = periods.filter { $0 >= startPeriod && mean(targets, $0) != nil && mean(comparison, $0) != nil }
        guard let base = before.last, let follow = followUp.flatMap({ after.contains($0) ? $0 : nil }) ?? after.last else { return nil }
        func changes(_ areas: [AreaCode]) -> [Double] {
            areas.compactMap { area in
                guard let a = values[area]?[base], let b = values[area]?[follow] else { return nil }
                return b - a
            }
        }
        let t = changes(targets), c = changes(comparison)
        guard !t.isEmpty, !c.isEmpty, t.count + c.count >= 3 else { return nil }
        let mt = t.reduce(0, +) / Double(t.count), mc = c.reduce(0, +) / Double(c.count)
        func variance(_ x: [Double], _ m: Double) -> Double { x.count > 1 ? x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1) : 0 }
        // Welch: unequal variances; with a single wijk in a group, the other group's variance stands in for it.
        var vt = variance(t, mt), vc = variance(c, mc)
        if t.count == 1 { vt = vc }
        if c.count == 1 { vc = vt }
        let at = vt / Double(t.count), ac = vc / Double(c.count)
        let se = (at + ac).squareRoot()
        let df: Double
        if at + ac > 0 {
            let dt = t.count > 1 ? at * at / Double(t.count - 1) : 0, dc = c.count > 1 ? ac * ac / Double(c.count - 1) : 0
            df = max(1, (at + ac) * (at + ac) / max(dt + dc, 1e-300))
        } else {
            df = Double(max(t.count + c.count - 2, 1))
        }
        let q = StudentT.quantile(0.975, degreesOfFreedom: df)
        var pre: Double?
        if before.count >= 2, let first = before.first, let ft = mean(targets, first), let fc = mean(comparison, first),
           let lt = mean(targets, base), let lc = mean(comparison, base) {
            pre = (lt - ft) - (lc - fc)
        }
        return DifferenceInDifferences(indicator: indicator, basePeriod: base, followUpPeriod: follow, targetChange: mt, comparisonChange: mc,
                                       estimate: mt - mc, standardError: se, lower: mt - mc - q * se, upper: mt - mc + q * se,
                                       degreesOfFreedom: df, targetCount: t.count, comparisonCount: c.count,
                                       series: periods.map { PeriodMeans(period: $0, targets: mean(targets, $0), comparison: mean(comparison, $0)) },
                                       preTrendDifference: pre)
    }
}

/// Student's t distribution: the CDF through the regularised incomplete beta function, the quantile by bisection.
public enum StudentT {
    public static func cdf(_ t: Double, degreesOfFreedom v: Double) -> Double {
        let x = v / (v + t * t)
        let tail = 0.5 * incompleteBeta(x, a: v / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    public static func quantile(_ p: Double, degreesOfFreedom v: Double) -> Double {
        var low = -1e4, high = 1e4
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid, degreesOfFreedom: v) < p { low = mid } else { high = mid }
            if high - low < 1e-12 { break }
        }
        return (low + high) / 2
    }

    /// Regularised incomplete beta Iₓ(a, b), by its continued fraction (Lentz).
    static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let front = exp(logBeta + a * log(x) + b * log(1 - x))
        if x > (a + 1) / (a + b + 2) { return 1 - incompleteBeta(1 - x, a: b, b: a) }
        var f = 1.0, c = 1.0, d = 0.0
        for i in 0...400 {
            let m = Double(i / 2)
            let numerator: Double
            if i == 0 { numerator = 1 }
            else if i % 2 == 0 {
                let bottom: Double = (a + 2 * m - 1) * (a + 2 * m)
                numerator = m * (b - m) * x / bottom
            }
            else {
                let top: Double = (a + m) * (a + b + m) * x
                let bottom: Double = (a + 2 * m) * (a + 2 * m + 1)
                numerator = -top / bottom
            }
            d = 1 + numerator * d
            if abs(d) < 1e-300 { d = 1e-300 }
            d = 1 / d
            c = 1 + numerator / c
            if abs(c) < 1e-300 { c = 1e-300 }
            let cd = c * d
            f *= cd
            if abs(1 - cd) < 1e-15 { break }
        }
        return front * (f - 1) / a
    }
}
