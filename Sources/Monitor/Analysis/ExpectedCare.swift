import Foundation

/// Expected versus actual youth care (report §4.4–4.5, after SCP's "jeugdhulp in de wijk"): the share of
/// young people with youth care in kind per wijk, predicted from the wijk's characteristics with a random
/// intercept per gemeente, and compared with what was registered. A gap is a question, not a verdict.
public struct ExpectedCareModel: Sendable {
    /// A wijk characteristic in the model.
    public struct Variable: Sendable, Hashable {
        public var indicator: String
        public var label: String
        /// Natural logarithm of the value (for skewed densities).
        public var logarithm: Bool

        public func transform(_ value: Double) -> Double { logarithm ? log(max(value, 1)) : value }
    }

    /// One wijk's data. `outcome` is nil when the share is suppressed or unknown (the wijk still gets an expectation).
    public struct Input: Sendable, Hashable {
        public var area: AreaCode
        public var gemeente: AreaCode
        public var outcome: Double?
        /// Young people in the wijk (the share's denominator), to weigh wijken into a gemeente.
        public var weight: Double
        /// Raw values of ``ExpectedCareModel/variables``, in that order.
        public var values: [Double]

        public init(area: AreaCode, gemeente: AreaCode, outcome: Double?, weight: Double, values: [Double]) {
            self.area = area
            self.gemeente = gemeente
            self.outcome = outcome
            self.weight = weight
            self.values = values
        }
    }

    /// Actual, expected with a 95% prediction interval, and the difference, for a wijk or a gemeente.
    public struct Prediction: Sendable, Hashable {
        public var area: AreaCode
        public var actual: Double?
        public var expected: Double
        public var lower: Double
        public var upper: Double
        /// actual − expected (nil without an actual figure).
        public var difference: Double?
        /// For a gemeente: the share of its young people living in wijken the model could use.
        public var coverage: Double?

        /// The actual figure lies outside the prediction interval.
        public var isOutside: Bool { actual.map { $0 < lower || $0 > upper } ?? false }
    }

    public static let outcome = "jeugdzorg_in_natura_pct"
    public static let period = "2023"
    /// The wijk characteristics: income, social assistance, household composition, origin, urbanity.
    public static var variables: [Variable] { [
        Variable(indicator: "huishoudens_laag_inkomen_pct", label: tr("Huishoudens met een inkomen in de laagste 40% (%)"), logarithm: false),
        Variable(indicator: "bijstand_per_1000", label: tr("Bijstandsontvangers per 1.000 inwoners"), logarithm: false),
        Variable(indicator: "huishoudens_met_kinderen_pct", label: tr("Huishoudens met kinderen (%)"), logarithm: false),
        Variable(indicator: "eenpersoonshuishoudens_pct", label: tr("Eenpersoonshuishoudens (%)"), logarithm: false),
        Variable(indicator: "herkomst_buiten_europa_pct", label: tr("Inwoners met een herkomst buiten Europa (%)"), logarithm: false),
        Variable(indicator: "omgevingsadressendichtheid", label: tr("Omgevingsadressendichtheid (natuurlijke logaritme)"), logarithm: true),
    ] }
    /// 97.5th percentile of the standard normal: the model has thousands of degrees of freedom.
    public static let z975 = 1.959963984540054

    public var fit: RandomInterceptFit
    /// Wijken used to fit (with an outcome and every characteristic).
    public var n: Int { fit.n }
    /// Share of the outcome's variance explained by the characteristics alone (marginal R²), and with the
    /// gemeente effects (conditional R²), after Nakagawa & Schielzeth.
    public var marginalRSquared: Double
    public var conditionalRSquared: Double
    /// Standard deviation of actual − expected (characteristics only) over the fitted wijken.
    public var residualSpread: Double
    /// Added to every expectation so that, for the whole country and weighted by inhabitants, expected equals
    /// actual. The model is fitted per wijk (every wijk counts once); a gemeente's figure counts every person,
    /// and larger wijken differ from smaller ones in ways the characteristics do not capture.
    public var calibration: Double
    /// Added to every gemeente's expectation so that, over all gemeenten and weighted by inhabitants, expected equals
    /// the gemeenten's own figures. CBS's gemeente figure also counts young people whose wijk is unknown or suppressed,
    /// and lies above the mean of its wijken; without this the comparison would be biased. Set by ``calibrateGemeenten(_:actual:)``.
    public var gemeenteCalibration: Double = 0

    /// Names of the coefficients: the intercept, then the variables.
    public static var coefficientLabels: [String] { [tr("Constante")] + variables.map(\.label) }

    /// Fits the model on the wijken with an outcome and all characteristics.
    public static func fit(_ inputs: [Input]) throws -> ExpectedCareModel {
        let usable = inputs.filter { $0.outcome != nil && $0.values.count == variables.count && $0.values.allSatisfy(\.isFinite) }
        let gemeenten = Array(Set(usable.map(\.gemeente))).sorted { $0.rawValue < $1.rawValue }
        let index = Dictionary(uniqueKeysWithValues: gemeenten.enumerated().map { ($1, $0) })
        let y = usable.map { $0.outcome! }
        let columns = [[Double](repeating: 1, count: usable.count)]
            + variables.indices.map { j in usable.map { variables[j].transform($0.values[j]) } }
        let fit = try RandomIntercept.fit(columns: columns, y: y, groups: usable.map { index[$0.gemeente]! })
        let fitted = usable.indices.map { i in zip(columns, fit.coefficients).reduce(0) { $0 + $1.0[i] * $1.1 } }
        let mean = fitted.reduce(0, +) / Double(max(fitted.count, 1))
        let fixedVariance = fitted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(fitted.count - 1, 1))
        let total = fixedVariance + fit.betweenVariance + fit.withinVariance
        let residuals = zip(y, fitted).map { $0 - $1 }
        let residualMean = residuals.reduce(0, +) / Double(max(residuals.count, 1))
        let spread = (residuals.reduce(0) { $0 + ($1 - residualMean) * ($1 - residualMean) } / Double(max(residuals.count - 1, 1))).squareRoot()
        let totalWeight = usable.reduce(0) { $0 + max($1.weight, 0) }
        let calibration = totalWeight > 0
            ? zip(usable, residuals).reduce(0) { $0 + max($1.0.weight, 0) * $1.1 } / totalWeight
            : 0
        return ExpectedCareModel(fit: fit, marginalRSquared: fixedVariance / total,
                                 conditionalRSquared: (fixedVariance + fit.betweenVariance) / total, residualSpread: spread,
                                 calibration: calibration)
    }

    /// The design row of raw values (with the intercept), or nil when a value is missing.
    func row(_ values: [Double]) -> [Double]? {
        guard values.count == Self.variables.count, values.allSatisfy(\.isFinite) else { return nil }
        return [1] + zip(Self.variables, values).map { $0.transform($1) }
    }

    func quadratic(_ x: [Double]) -> Double {
        var sum = 0.0
        for i in x.indices { for j in x.indices { sum += x[i] * fit.covariance[i][j] * x[j] } }
        return sum
    }

    /// A wijk: expected from its characteristics for a gemeente of average effect; the interval adds the
    /// wijk's and the gemeente's unexplained variation and the uncertainty of the coefficients.
    public func predict(_ input: Input) -> Prediction? {
        guard let x = row(input.values) else { return nil }
        let expected = zip(x, fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } + calibration
        let spread = Self.z975 * (fit.withinVariance + fit.betweenVariance + quadratic(x)).squareRoot()
        return Prediction(area: input.area, actual: input.outcome, expected: expected, lower: expected - spread, upper: expected + spread,
                          difference: input.outcome.map { $0 - expected }, coverage: nil)
    }

    /// A gemeente: the young-people-weighted mean of its wijken's expectations, with its own actual figure.
    public func predict(gemeente: AreaCode, wijken: [Input], actual: Double?) -> Prediction? {
        let rows = wijken.compactMap { input in row(input.values).map { (x: $0, w: max(input.weight, 0)) } }
        let totalWeight = rows.reduce(0) { $0 + $1.w }
        let allWeight = wijken.reduce(0) { $0 + max($1.weight, 0) }
        guard totalWeight > 0 else { return nil }
        let g = (0..<(Self.variables.count + 1)).map { j in rows.reduce(0) { $0 + $1.x[j] * $1.w } / totalWeight }
        let expected = zip(g, fit.coefficients).reduce(0) { $0 + $1.0 * $1.1 } + calibration + gemeenteCalibration
        let sumSquares = rows.reduce(0) { $0 + $1.w * $1.w } / (totalWeight * totalWeight)
        let spread = Self.z975 * (fit.betweenVariance + fit.withinVariance * sumSquares + quadratic(g)).squareRoot()
        return Prediction(area: gemeente, actual: actual, expected: expected, lower: expected - spread, upper: expected + spread,
                          difference: actual.map { $0 - expected }, coverage: allWeight > 0 ? totalWeight / allWeight : nil)
    }

    /// Sets ``gemeenteCalibration`` from every gemeente's wijken and its own actual figure.
    public mutating func calibrateGemeenten(_ wijken: [AreaCode: [Input]], actual: [AreaCode: Double]) {
        gemeenteCalibration = 0
        var weighted = 0.0, total = 0.0
        for (code, inputs) in wijken {
            guard let value = actual[code], let prediction = predict(gemeente: code, wijken: inputs, actual: value) else { continue }
            let weight = inputs.reduce(0) { $0 + max($1.weight, 0) }
            weighted += weight * (value - prediction.expected)
            total += weight
        }
        gemeenteCalibration = total > 0 ? weighted / total : 0
    }
}
