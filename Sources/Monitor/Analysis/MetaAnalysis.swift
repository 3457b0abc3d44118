import Foundation

/// A random-effects meta-analysis (report §4.4: a national programme pools the results of interventions of one kind): each
/// design's estimate and standard error, a between-design variance τ² (restricted maximum likelihood, or the
/// DerSimonian–Laird moment estimator), the pooled estimate with its 95% interval, Cochran's Q and I².
public struct RandomEffectsMetaAnalysis: Sendable, Hashable {
    public enum Method: String, Sendable, CaseIterable {
        /// Restricted maximum likelihood (Fisher scoring), the usual choice today.
        case reml
        /// DerSimonian–Laird, the classic moment estimator.
        case dl

        public var label: String {
            switch self {
            case .reml: tr("REML (beperkte grootste aannemelijkheid)")
            case .dl: "DerSimonian–Laird"
            }
        }
    }

    /// One design: its estimate and its standard error.
    public struct Study: Sendable, Hashable {
        public var label: String
        public var estimate: Double
        public var standardError: Double
        /// The design's own 95% interval when it has one (a difference in differences uses the t distribution with its
        /// degrees of freedom); shown, not used for pooling.
        public var ownInterval: ConfidenceInterval?

        public init(label: String, estimate: Double, standardError: Double, ownInterval: ConfidenceInterval? = nil) {
            self.label = label
            self.estimate = estimate
            self.standardError = standardError
            self.ownInterval = ownInterval
        }

        public var variance: Double { standardError * standardError }

        /// Its own interval, or estimate ± 1.96 standard errors.
        public var interval: ConfidenceInterval {
            ownInterval ?? ConfidenceInterval(lower: estimate - RandomEffectsMetaAnalysis.z95 * standardError,
                                              upper: estimate + RandomEffectsMetaAnalysis.z95 * standardError)
        }
    }

    public var method: Method
    public var studies: [Study]
    /// Share of each study in the pooled estimate (random-effects weights, summing to 1), in the order of `studies`.
    public var weights: [Double]
    public var estimate: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    public var tau2: Double
    /// Cochran's Q (with the fixed-effect weights) and its degrees of freedom.
    public var q: Double
    public var degreesOfFreedom: Int
    /// max(0, (Q − df) / Q): the share of the spread that is not chance.
    public var i2: Double
    /// The fixed-effect estimate, for comparison.
    public var fixedEstimate: Double

    /// Why pooling is not possible, in Dutch.
    public enum Refusal: Error, Sendable, Hashable {
        /// Fewer than two designs with a usable estimate.
        case tooFew(Int)

        public var message: String {
            switch self {
            case .tooFew(let count):
                count == 0 ? tr("Er is nog geen gedeelde opzet met een effectschatting: samenvoegen kan niet.")
                    : tr("Er is één gedeelde opzet met een effectschatting: samenvoegen kan pas vanaf twee opzetten. De schatting van die ene opzet staat hieronder.")
            }
        }
    }

    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// Pools the studies with a finite estimate and a positive, finite standard error (others cannot be weighed).
    public static func pool(_ studies: [Study], method: Method = .reml) throws(Refusal) -> RandomEffectsMetaAnalysis {
        let usable = studies.filter { $0.estimate.isFinite && $0.standardError.isFinite && $0.standardError > 0 }
        guard usable.count >= 2 else { throw .tooFew(usable.count) }
        let y = usable.map(\.estimate), v = usable.map(\.variance)
        let k = usable.count
        let w = v.map { 1 / $0 }
        let sumW = w.reduce(0, +)
        let fixed = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sumW
        let q = zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - fixed) * ($1.1 - fixed) }
        let df = k - 1
        let dl: Double = {
            let c = sumW - w.reduce(0) { $0 + $1 * $1 } / sumW
            return c > 0 ? max(0, (q - Double(df)) / c) : 0
        }()
        let tau2: Double
        switch method {
        case .dl: tau2 = dl
        case .reml: tau2 = reml(y: y, v: v, start: dl)
        }
        let wr = v.map { 1 / ($0 + tau2) }
        let sumWR = wr.reduce(0, +)
        let estimate = zip(wr, y).reduce(0) { $0 + $1.0 * $1.1 } / sumWR
        let se = (1 / sumWR).squareRoot()
        return RandomEffectsMetaAnalysis(
            method: method, studies: usable, weights: wr.map { $0 / sumWR }, estimate: estimate, standardError: se,
            lower: estimate - z95 * se, upper: estimate + z95 * se, tau2: tau2, q: q, degreesOfFreedom: df,
            i2: q > 0 ? max(0, (q - Double(df)) / q) : 0, fixedEstimate: fixed)
    }

    /// τ² by restricted maximum likelihood: Fisher scoring from the DerSimonian–Laird value, kept at 0 or above, with step
    /// halving so the restricted log-likelihood never falls.
    static func reml(y: [Double], v: [Double], start: Double) -> Double {
        func logLikelihood(_ t: Double) -> Double {
            let w = v.map { 1 / ($0 + t) }
            let sumW = w.reduce(0, +)
            let mu = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sumW
            return -0.5 * (v.reduce(0) { $0 + log($1 + t) } + log(sumW) + zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - mu) * ($1.1 - mu) })
        }
        var tau2 = max(0, start)
        var current = logLikelihood(tau2)
        for _ in 0..<500 {
            let w = v.map { 1 / ($0 + tau2) }
            let sumW = w.reduce(0, +)
            let mu = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sumW
            // Fisher scoring: the score and the expected information of the restricted likelihood.
            let sumW2 = w.reduce(0) { $0 + $1 * $1 }
            let score = 0.5 * (zip(w, y).reduce(0) { $0 + $1.0 * $1.0 * ($1.1 - mu) * ($1.1 - mu) } - sumW + sumW2 / sumW)
            let trP2 = sumW2 - 2 * w.reduce(0) { $0 + $1 * $1 * $1 } / sumW + sumW2 * sumW2 / (sumW * sumW)
            let information = 0.5 * trP2
            guard information > 0, score.isFinite else { break }
            var step = score / information
            var next = max(0, tau2 + step)
            var value = logLikelihood(next)
            var halvings = 0
            while value < current - 1e-15, halvings < 60 {
                step /= 2
                next = max(0, tau2 + step)
                value = logLikelihood(next)
                halvings += 1
            }
            let change = abs(next - tau2)
            tau2 = next
            current = value
            if change <= 1e-12 * max(1, tau2) { break }
        }
        return tau2
    }
}
