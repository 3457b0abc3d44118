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

        /// The Dutch text shown in place of the value; stored with the figure (`suppressionReason`), so it stays Dutch here
        /// and is translated where it is shown (``tr(_:_:)`` with the stored text as key).
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
    ///   - equations: each whole with all its parts (parts without a figure are left out; an equation
    ///     whose parts have no figure at all says nothing).
    /// - Returns: the areas to hide in addition to those already hidden in `cells`.
    public static func complementary<Key: Hashable & Comparable>(cells: [Key: Cell], equations: [(whole: Key, parts: [Key])],
                                                               threshold: Int) -> Set<Key> {
        let relevant = usableEquations(cells: cells, equations: equations, threshold: threshold)
        var hidden = Set(cells.filter { $0.value.hidden }.map(\.key))
        var added: Set<Key> = []
        var memberOf: [Key: [Int]] = [:]
        for (index, equation) in relevant.enumerated() {
            memberOf[equation.whole, default: []].append(index)
            for part in equation.parts { memberOf[part, default: []].append(index) }
        }
        var queued = Set(relevant.indices)
        var work = Array(relevant.indices.reversed())
        func hide(_ area: Key) {
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
            // Usable equations only: the whole and every listed part have a figure.
            let equation = relevant[index]
            let hiddenParts = equation.parts.filter { hidden.contains($0) }
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
            let shown = equation.parts.filter { !hidden.contains($0) }
            let positive = shown.filter { (cells[$0]?.value ?? 0) > 0 }
            let candidates = positive.isEmpty ? shown : positive
            if let next = candidates.min(by: { ((cells[$0]?.value ?? 0), $0) < ((cells[$1]?.value ?? 0), $1) }) {
                hide(next)
            } else if !hidden.contains(equation.whole) {
                hide(equation.whole)
            } else {
                continue  // everything in it is hidden already: nothing more to do here
            }
            // Look at this equation again after the change.
            if !queued.contains(index) { queued.insert(index); work.append(index) }
        }
        return added
    }

    /// The equations an attacker can use: the whole and at least one part have a figure, and either every part has
    /// one, or the parts without a figure add up to less than `threshold` (the whole minus the present parts is then
    /// within a small group of the truth — for example wijken that no longer exist in this period's indeling). Parts
    /// that carry real weight without a figure (a local upload of one wijk of a hundred) leave the equation unusable.
    public static func usableEquations<Key: Hashable & Comparable>(cells: [Key: Cell], equations: [(whole: Key, parts: [Key])],
                                                                   threshold: Int) -> [(whole: Key, parts: [Key])] {
        equations.compactMap { equation -> (whole: Key, parts: [Key])? in
            guard let whole = cells[equation.whole] else { return nil }
            let present = equation.parts.filter { cells[$0] != nil }
            guard !present.isEmpty else { return nil }
            if present.count < equation.parts.count {
                let values = present.map { cells[$0]?.value }
                if let total = whole.value, values.allSatisfy({ $0 != nil }) {
                    let missing = total - values.reduce(0) { $0 + ($1 ?? 0) }
                    guard abs(missing) < Double(threshold) else { return nil }
                }
            }
            return (equation.whole, present)
        }
    }

    /// What an attacker who knows every shown figure and the equations can recompute: repeatedly solves any usable
    /// equation with exactly one unknown (parts without a figure taken as 0). Returns the value the attacker computes
    /// for each hidden area it can solve, and the groups of hidden parts whose sum follows and is under `threshold`.
    /// Used by the tests as the attacker: a computed value close to the truth is a leak.
    public static func recoverable<Key: Hashable & Comparable>(cells: [Key: Cell], hidden: Set<Key>, equations: [(whole: Key, parts: [Key])],
                                                             threshold: Int) -> (values: [Key: Double], smallSums: [[Key]]) {
        var known: [Key: Double] = [:]
        for (key, cell) in cells where !hidden.contains(key) { known[key] = cell.value ?? 0 }
        var recovered: [Key: Double] = [:]
        let usable = equations.compactMap { equation -> (whole: Key, parts: [Key])? in
            let parts = equation.parts.filter { cells[$0] != nil }
            return cells[equation.whole] == nil || parts.isEmpty ? nil : (equation.whole, parts)
        }
        var progress = true
        while progress {
            progress = false
            for equation in usable {
                let members = [equation.whole] + equation.parts
                let unknown = members.filter { known[$0] == nil }
                guard unknown.count == 1, let target = unknown.first else { continue }
                let partsSum = equation.parts.compactMap { known[$0] }.reduce(0, +)
                let value = target == equation.whole ? partsSum : (known[equation.whole] ?? 0) - partsSum
                known[target] = value
                recovered[target] = value
                progress = true
            }
        }
        var smallSums: [[Key]] = []
        for equation in usable {
            guard let whole = known[equation.whole] else { continue }
            let unknown = equation.parts.filter { known[$0] == nil }
            guard unknown.count >= 2 else { continue }
            let sum = whole - equation.parts.compactMap { known[$0] }.reduce(0, +)
            if sum > 0.5 && sum < Double(threshold) - 0.5 { smallSums.append(unknown) }
        }
        return (recovered.filter { hidden.contains($0.key) }, smallSums)
    }
}

extension Catalog {
    /// The counts of persons that add up over areas: their figures are checked for differencing
    /// (``DisclosureControl/complementary(cells:equations:threshold:)``).
    /// Also the registered visits (and unique visitors) per 1,000 children: their numerator is a count of visits
    /// that adds up from wijken to the gemeente (``disclosureValue(of:indicator:)``).
    public var disclosureAudited: [Indicator] {
        indicators.filter {
            ($0.unit == .personen && $0.aggregation == .som && $0.formula == nil)
                || [.bezoeken, .uniekeBezoekers].contains($0.registration?.measure)
        }
    }

    /// The additive number behind a figure of an audited indicator: the count itself, or for a registered rate its numerator.
    public func disclosureValue(of observation: Observation, indicator: Indicator) -> Double? {
        indicator.registration != nil ? observation.numerator : observation.value
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
