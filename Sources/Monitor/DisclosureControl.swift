import Foundation

/// Disclosure control as statistical offices do it: primary suppression (``PrivacyPolicy``: a figure
/// resting on fewer than `threshold` persons) and secondary, *complementary* suppression, so that no
/// hidden figure follows from the published ones by subtraction.
///
/// The areas form additive equations — a wijk is the sum of its buurten, a gemeente of its wijken, a
/// provincie, GGD-regio or Nederland of its gemeenten. Were one part of an equation hidden and the rest
/// shown, the hidden part would be the whole minus the shown parts. So every equation must have no
/// hidden member or at least two; and when the whole is shown, the hidden parts together must rest
/// on at least `threshold` persons (else their sum is itself a small group). Where an equation
/// breaks this, one more member is hidden — the smallest shown part, else the whole — and every
/// equation that member is in is looked at again, until all hold. The result is a fixpoint: an
/// attacker who solves equations with a single unknown (and iterates) recovers nothing.
public enum DisclosureControl {
    /// One area's figure for an additive count (persons) in one period.
    public struct Cell: Sendable, Hashable {
        /// The smallest value over the figure's versions (nil when no version has a number).
        public var value: Double?
        /// Hidden by the primary rule or by the source (in any version).
        public var hidden: Bool

        public init(value: Double?, hidden: Bool) {
            self.value = value
            self.hidden = hidden
        }
    }

    /// Why a figure is hidden.
    public enum Reason: String, Sendable, Codable {
        /// Fewer than the threshold of persons (or hidden by the source).
        case primary = "primair"
        /// Hidden so that a hidden figure elsewhere cannot be recomputed by subtraction.
        case complementary = "aanvullend"
        /// A ratio whose numerator or denominator is hidden.
        case derived = "afgeleid"

        /// The Dutch text shown in place of the value.
        public var label: String {
            switch self {
            case .primary: PrivacyPolicy.suppressedLabel
            case .complementary: "geen gegevens (afgeschermd, zodat een klein aantal elders niet terug te rekenen is)"
            case .derived: "geen gegevens (teller of noemer is afgeschermd)"
            }
        }
    }

    /// The complementary suppressions for one count indicator in one period.
    /// - Parameters:
    ///   - cells: every area that has a figure.
    ///   - equations: each whole with all its parts (a missing part counts as a known 0).
    /// - Returns: the areas to hide in addition to those already hidden in `cells`.
    public static func complementary(cells: [AreaCode: Cell], equations: [(whole: AreaCode, parts: [AreaCode])],
                                     threshold: Int) -> Set<AreaCode> {
        // Only equations whose whole or some part has a figure matter.
        let relevant = equations.filter { cells[$0.whole] != nil || $0.parts.contains { cells[$0] != nil } }
        var hidden = Set(cells.filter { $0.value.hidden }.map(\.key))
        var added: Set<AreaCode> = []
        var memberOf: [AreaCode: [Int]] = [:]
        for (index, equation) in relevant.enumerated() {
            memberOf[equation.whole, default: []].append(index)
            for part in equation.parts { memberOf[part, default: []].append(index) }
        }
        var queued = Set(relevant.indices)
        var work = Array(relevant.indices.reversed())
        func hide(_ area: AreaCode) {
            hidden.insert(area)
            added.insert(area)
            for index in memberOf[area] ?? [] where !queued.contains(index) {
                queued.insert(index)
                work.append(index)
            }
        }
        let limit = Double(threshold)
        while let index = work.popLast() {
            queued.remove(index)
            let equation = relevant[index]
            // A whole without a figure gives nothing to subtract from: nothing to protect here.
            guard cells[equation.whole] != nil else { continue }
            let hiddenParts = equation.parts.filter { hidden.contains($0) && cells[$0] != nil }
            let wholeHidden = hidden.contains(equation.whole)
            let unknowns = hiddenParts.count + (wholeHidden ? 1 : 0)
            var breach = unknowns == 1
            if !breach, !wholeHidden, !hiddenParts.isEmpty {
                // The hidden parts' sum is published implicitly; it must not be a small group.
                let values = hiddenParts.map { cells[$0]?.value }
                if values.allSatisfy({ $0 != nil }) {
                    let sum = values.reduce(0) { $0 + ($1 ?? 0) }
                    breach = sum > 0 && sum < limit
                }
            }
            guard breach else { continue }
            // The smallest shown part with persons in it, else any shown part, else the whole.
            let shown = equation.parts.filter { !hidden.contains($0) && cells[$0] != nil }
            let positive = shown.filter { (cells[$0]?.value ?? 0) > 0 }
            let candidates = positive.isEmpty ? shown : positive
            if let next = candidates.min(by: { ((cells[$0]?.value ?? 0), $0) < ((cells[$1]?.value ?? 0), $1) }) {
                hide(next)
            } else if !hidden.contains(equation.whole) {
                hide(equation.whole)
            }
            // Look at this equation again after the change.
            if !queued.contains(index) { queued.insert(index); work.append(index) }
        }
        return added
    }

    /// What an attacker who knows every shown figure and the equations can recompute: repeatedly solves
    /// any equation with exactly one unknown. Returns the hidden areas whose value follows, and the
    /// groups of hidden parts whose sum follows and rests on fewer than `threshold` persons.
    /// Used by the tests as the attacker, and as a check after ``complementary(cells:equations:threshold:)``.
    public static func recoverable(cells: [AreaCode: Cell], hidden: Set<AreaCode>, equations: [(whole: AreaCode, parts: [AreaCode])],
                                   threshold: Int) -> (values: Set<AreaCode>, smallSums: [[AreaCode]]) {
        var known = Set(cells.keys).subtracting(hidden)
        var recovered: Set<AreaCode> = []
        var progress = true
        while progress {
            progress = false
            for equation in equations where cells[equation.whole] != nil {
                let members = [equation.whole] + equation.parts.filter { cells[$0] != nil }
                let unknown = members.filter { !known.contains($0) }
                if unknown.count == 1 {
                    known.insert(unknown[0])
                    recovered.insert(unknown[0])
                    progress = true
                }
            }
        }
        var smallSums: [[AreaCode]] = []
        for equation in equations where cells[equation.whole] != nil && known.contains(equation.whole) {
            let unknown = equation.parts.filter { cells[$0] != nil && !known.contains($0) }
            guard unknown.count >= 2 else { continue }
            let values = unknown.compactMap { cells[$0]?.value }
            guard values.count == unknown.count else { continue }
            let sum = values.reduce(0, +)
            if sum > 0 && sum < Double(threshold) { smallSums.append(unknown) }
        }
        return (recovered.intersection(hidden), smallSums)
    }
}

extension Catalog {
    /// The counts of persons that add up over areas: their figures are checked for differencing
    /// (``DisclosureControl/complementary(cells:equations:threshold:)``).
    public var disclosureAudited: [Indicator] {
        indicators.filter { $0.unit == .personen && $0.aggregation == .som && $0.formula == nil }
    }

    /// The indicators a ratio rests on — a formula's numerator and denominator, or the count behind a
    /// loaded rate — that are themselves audited counts. A ratio is hidden where one of them is.
    public func disclosureInputs(of indicator: Indicator) -> [String] {
        let audited = Set(disclosureAudited.map(\.id))
        var inputs: [String] = []
        switch indicator.derivation {
        case .formula(let formula): inputs = [formula.numerator, formula.denominator]
        case .loaded(_, let column?): inputs = [(self[column] ?? self.indicator(forColumn: column))?.id].compactMap { $0 }
        default: break
        }
        return inputs.filter { audited.contains($0) && $0 != indicator.id }
    }

    /// True when the indicator's numerator counts persons (a ratio of a small count must not be shown).
    public func numeratorIsPersons(_ indicator: Indicator) -> Bool {
        switch indicator.derivation {
        case .formula(let formula): self[formula.numerator]?.unit == .personen
        case .loaded(_, let column?): (self[column] ?? self.indicator(forColumn: column))?.unit == .personen
        default: false
        }
    }
}
