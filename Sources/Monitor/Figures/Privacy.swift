import Foundation

/// Privacyregel: a value resting on fewer than `threshold` persons or respondents
/// never leaves the server. Every figure passes ``PrivacyPolicy/apply(to:indicator:)``
/// on its way out of the store (report ch. 3: "alleen geaggregeerde cijfers").
public struct PrivacyPolicy: Sendable, Hashable {
    /// The product's rule: a figure resting on fewer than this many persons or respondents never leaves the server.
    /// The one place the number is written; every default, page and text reads it from here.
    public static let minimumCount = 10

    /// Minimum number of persons or respondents (``minimumCount`` unless a test sets another).
    public var threshold: Int

    public init(threshold: Int = PrivacyPolicy.minimumCount) { self.threshold = threshold }

    /// The Dutch text shown in place of a suppressed value.
    public static let suppressedLabel = "geen gegevens (te weinig waarnemingen)"

    /// Returns the observation, or a copy with status `geheim` and no numbers when it
    /// rests on too few persons: its `n`, its denominator when the formula divides by
    /// persons, or its own value when the indicator counts persons.
    ///
    /// When the numerator counts persons (`numeratorIsPersons`), a ratio of a small count is hidden whole:
    /// a percentage times its published denominator would give the count back.
    public func apply(to observation: Observation, indicator: Indicator?, denominatorIsPersons: Bool = false,
                      numeratorIsPersons: Bool = false) -> Observation {
        guard observation.status == .waarde else { return observation }
        var bases: [Double] = []
        if let n = observation.n { bases.append(Double(n)) }
        if observation.n == nil, denominatorIsPersons, let denominator = observation.denominator { bases.append(denominator) }
        if observation.n == nil, indicator?.unit == .personen, let value = observation.value, value > 0 { bases.append(value) }
        if numeratorIsPersons, let numerator = observation.numerator, numerator > 0 { bases.append(numerator) }
        if let base = bases.min(), base < Double(threshold) {
            return Observation(indicator: observation.indicator, area: observation.area, period: observation.period,
                               status: .geheim, value: nil, origin: observation.origin,
                               importID: observation.importID, suppressionReason: Self.suppressedLabel)
        }
        // A small teller would leak through teller or noemer (value × noemer = teller): hide both.
        var result = observation
        if let numerator = result.numerator, numerator > 0, numerator < Double(threshold) {
            result.numerator = nil
            result.denominator = nil
        }
        return result
    }
}
