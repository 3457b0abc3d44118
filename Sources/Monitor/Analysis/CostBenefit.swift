import Foundation

/// A social cost-benefit analysis (MKBA) of an intervention (report §4.5): costs and effects per stakeholder
/// and year, monetised where that is defensible and otherwise described (shown, never dropped), discounted to
/// a net present value with a low/base/high sensitivity table. Youth-care savings are one line among others.
public struct CostBenefitAnalysis: Sendable, Codable, Hashable {
    public enum Stakeholder: String, Sendable, Codable, CaseIterable {
        case gemeente, onderwijs, zorg, gezinnen, samenleving

        public var label: String {
            switch self {
            case .gemeente: tr("Gemeente")
            case .onderwijs: tr("Onderwijs")
            case .zorg: tr("Zorg")
            case .gezinnen: tr("Gezinnen")
            case .samenleving: tr("Samenleving")
            }
        }
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case kosten, baten
    }

    /// One cost or effect. Monetised items have amounts (euro) per scenario; qualitative ones only a description.
    public struct Item: Sendable, Codable, Hashable {
        public var stakeholder: Stakeholder
        public var kind: Kind
        public var description: String
        /// Year of the cash flow, 0 = the start year (not discounted).
        public var year: Int
        public var low: Double?
        public var base: Double?
        public var high: Double?
        /// Marks a youth-care saving, so it can be shown as one line among others (never the headline).
        public var youthCareSaving: Bool

        public init(stakeholder: Stakeholder, kind: Kind, description: String, year: Int, low: Double? = nil, base: Double? = nil,
                    high: Double? = nil, youthCareSaving: Bool = false) {
            self.stakeholder = stakeholder
            self.kind = kind
            self.description = description
            self.year = year
            self.low = low
            self.base = base
            self.high = high
            self.youthCareSaving = youthCareSaving
        }

        public var isMonetised: Bool { base != nil }
    }

    public enum Scenario: String, Sendable, CaseIterable {
        case laag, basis, hoog

        public var label: String {
            switch self {
            case .laag: tr("laag (hoge kosten, lage baten)")
            case .basis: tr("basis")
            case .hoog: tr("hoog (lage kosten, hoge baten)")
            }
        }
    }

    public var items: [Item]
    /// Discount rate per year, e.g. 0.0225 (the Dutch MKBA guideline's risk-free rate is a common choice).
    public var discountRate: Double

    public init(items: [Item], discountRate: Double) {
        self.items = items
        self.discountRate = discountRate
    }

    /// An item's amount in a scenario: for costs the pessimistic scenario takes the high amount, for benefits the low one.
    public func amount(_ item: Item, _ scenario: Scenario) -> Double? {
        guard let base = item.base else { return nil }
        switch (scenario, item.kind) {
        case (.basis, _): return base
        case (.laag, .kosten), (.hoog, .baten): return item.high ?? base
        case (.laag, .baten), (.hoog, .kosten): return item.low ?? base
        }
    }

    public func discountFactor(year: Int, rate: Double? = nil) -> Double { 1 / pow(1 + (rate ?? discountRate), Double(year)) }

    /// Present value of an item (signed: benefits +, costs −), nil when it is qualitative.
    public func presentValue(_ item: Item, _ scenario: Scenario = .basis, rate: Double? = nil) -> Double? {
        amount(item, scenario).map { (item.kind == .baten ? 1 : -1) * $0 * discountFactor(year: item.year, rate: rate) }
    }

    /// Net present value: Σ (baten − kosten) / (1 + r)^jaar over the monetised items.
    public func netPresentValue(_ scenario: Scenario = .basis, rate: Double? = nil) -> Double {
        items.compactMap { presentValue($0, scenario, rate: rate) }.reduce(0, +)
    }

    /// Present value of costs and of benefits (both positive), per stakeholder.
    public func byStakeholder(_ scenario: Scenario = .basis) -> [(stakeholder: Stakeholder, costs: Double, benefits: Double, qualitative: Int)] {
        Stakeholder.allCases.map { s in
            let own = items.filter { $0.stakeholder == s }
            let costs = own.filter { $0.kind == .kosten }.compactMap { presentValue($0, scenario) }.reduce(0, +)
            let benefits = own.filter { $0.kind == .baten }.compactMap { presentValue($0, scenario) }.reduce(0, +)
            return (s, -costs, benefits, own.filter { !$0.isMonetised }.count)
        }
    }

    /// Benefit/cost ratio (nil without monetised costs).
    public func benefitCostRatio(_ scenario: Scenario = .basis) -> Double? {
        let pv = items.compactMap { item in presentValue(item, scenario).map { (item.kind, $0) } }
        let costs = -pv.filter { $0.0 == .kosten }.map(\.1).reduce(0, +)
        let benefits = pv.filter { $0.0 == .baten }.map(\.1).reduce(0, +)
        return costs > 0 ? benefits / costs : nil
    }

    /// The NPV without the youth-care savings: what the intervention is worth on its other merits.
    public func netPresentValueWithoutYouthCareSavings(_ scenario: Scenario = .basis) -> Double {
        items.filter { !$0.youthCareSaving }.compactMap { presentValue($0, scenario) }.reduce(0, +)
    }

    /// The largest amount one item may have (€ 1 billion): beyond it a typo, and arithmetic on it stays exact enough.
    public static let maximumAmount = 1e9

    public func problems() -> [String] {
        var problems: [String] = []
        if !(0...0.2).contains(discountRate) { problems.append(tr("de discontovoet ligt tussen 0% en 20%")) }
        for (index, item) in items.enumerated() {
            if item.description.trimmedWhitespace.isEmpty { problems.append(tr("post {0}: beschrijf de post", index + 1)) }
            if !(0...50).contains(item.year) { problems.append(tr("post {0}: het jaar ligt tussen 0 en 50", index + 1)) }
            for value in [item.low, item.base, item.high].compactMap({ $0 }) where value < 0 || !value.isFinite {
                problems.append(tr("post {0}: bedragen zijn positief (kosten en baten staan in hun eigen kolom)", index + 1))
            }
            for value in [item.low, item.base, item.high].compactMap({ $0 }) where value.isFinite && value > Self.maximumAmount {
                problems.append(tr("post {0}: een bedrag is ten hoogste € 1 miljard per post", index + 1))
            }
            if item.base == nil && (item.low != nil || item.high != nil) { problems.append(tr("post {0}: geef ook het basisbedrag", index + 1)) }
        }
        return problems
    }
}
