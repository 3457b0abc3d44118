import Foundation

/// Afleiding: computed figures. A value loaded for an area always wins over a computed one.
public enum Derivation {
    /// Applies a formula per area: teller / noemer × factor, where both inputs have a value
    /// and the noemer is not zero. Areas in `loaded` keep their loaded value and are skipped.
    /// - Returns: computed observations with origin `berekend`, teller and noemer kept.
    public static func applyFormula(
        _ formula: Formula, indicator: String, period: String,
        numerators: [AreaCode: Observation], denominators: [AreaCode: Observation],
        loaded: Set<AreaCode>, importID: Int?
    ) -> [Observation] {
        var result: [Observation] = []
        for (area, numerator) in numerators where !loaded.contains(area) {
            guard let denominator = denominators[area] else { continue }
            var observation: Observation
            if let top = numerator.value, let bottom = denominator.value, numerator.status == .waarde, denominator.status == .waarde {
                guard bottom != 0 else { continue }
                observation = .value(top / bottom * formula.factor, indicator: indicator, area: area, period: period,
                                     numerator: top, denominator: bottom, origin: .berekend)
            } else {
                // Either input unknown or secret: the result is too, never a number.
                let status: ObservationStatus = (numerator.status == .geheim || denominator.status == .geheim) ? .geheim : .onbekend
                observation = Observation(indicator: indicator, area: area, period: period, status: status, value: nil, origin: .berekend)
            }
            observation.importID = importID
            result.append(observation)
        }
        return result.sorted { $0.area < $1.area }
    }

    /// Sums a count over the parts of larger areas (buurten → wijk, wijken → gemeente,
    /// gemeenten → provincie, GGD-regio and Nederland) where no value was loaded.
    /// A sum is only made when every part that has a figure has a value (no undercounts).
    /// - Parameters:
    ///   - parts: for each larger area, its parts (the caller decides the hierarchy).
    ///   - observations: the figures of one indicator and period, by area.
    /// - Returns: summed observations with origin `opgeteld`, built bottom-up so that a
    ///   wijk summed from buurten can count towards its gemeente.
    public static func sums(
        indicator: String, period: String, parts: [(whole: AreaCode, parts: [AreaCode])],
        observations: [AreaCode: Observation], importID: Int?
    ) -> [Observation] {
        var known = observations
        var result: [Observation] = []
        let order: [AreaKind] = [.wijk, .gemeente, .provincie, .ggdregio, .land]
        for kind in order {
            for entry in parts where entry.whole.kind == kind && known[entry.whole] == nil {
                let figures = entry.parts.compactMap { known[$0] }
                guard !figures.isEmpty else { continue }
                guard figures.allSatisfy({ $0.status == .waarde }) else { continue }
                var observation = Observation.value(figures.reduce(0) { $0 + ($1.value ?? 0) }, indicator: indicator,
                                                    area: entry.whole, period: period, origin: .opgeteld)
                observation.importID = importID
                known[entry.whole] = observation
                result.append(observation)
            }
        }
        return result
    }
}
