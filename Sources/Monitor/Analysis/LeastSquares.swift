import Foundation

/// Why a model could not be fitted, in Dutch.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooFewObservations(n: Int, parameters: Int)
    case rankDeficient(column: Int)
    case nonFinite
    case groupsMismatch

    public var description: String {
        switch self {
        case .tooFewObservations(let n, let p): tr("te weinig waarnemingen ({0}) voor {1} parameters", n, p)
        case .rankDeficient(let column): tr("kolom {0} is (bijna) een lineaire combinatie van de andere kolommen", column + 1)
        case .nonFinite: tr("de gegevens bevatten een ontbrekende of oneindige waarde")
        case .groupsMismatch: tr("elke waarneming hoort bij precies één groep")
        }
    }
}

/// Ordinary least squares through a Householder QR decomposition of the design matrix (never the normal
/// equations, which square the condition number: the Longley data defeat them, this does not).
public struct LeastSquaresFit: Sendable, Equatable {
    public var coefficients: [Double]
    public var standardErrors: [Double]
    /// σ²(XᵀX)⁻¹, with σ² = RSS / (n − p).
    public var covariance: [[Double]]
    public var residualSumOfSquares: Double
    public var residualVariance: Double
    public var n: Int
    public var p: Int
    /// log det(XᵀX) = 2 Σ log |Rᵢᵢ|.
    public var logDeterminantXtX: Double
    /// (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, without σ².
    public var unscaledCovariance: [[Double]]
    /// 1 − RSS / TSS (around the mean of y).
    public var rSquared: Double
}

public enum LeastSquares {
    /// Fits y = Xβ + ε. `columns` are the columns of X (include a column of ones for an intercept).
    public static func fit(columns: [[Double]], y: [Double]) throws -> LeastSquaresFit {
        let n = y.count, p = columns.count
        guard p > 0, columns.allSatisfy({ $0.count == n }) else { throw ModelError.tooFewObservations(n: n, parameters: p) }
        guard n > p else { throw ModelError.tooFewObservations(n: n, parameters: p) }
        guard y.allSatisfy(\.isFinite), columns.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw ModelError.nonFinite }

        // Column-major working copy; Householder reflections applied in place to A and to y.
        var a = columns
        var qty = y
        var diagonal = [Double](repeating: 0, count: p)
        let scale = columns.map { column in column.reduce(0) { max($0, abs($1)) } }
        for k in 0..<p {
            var norm = 0.0
            for i in k..<n { norm = hypot(norm, a[k][i]) }
            guard norm > 1e-13 * max(scale[k], .leastNormalMagnitude) * Double(n).squareRoot() else { throw ModelError.rankDeficient(column: k) }
            let alpha = a[k][k] > 0 ? -norm : norm
            // v = x − αe₁, stored in a[k][k...]; H = I − 2vvᵀ/(vᵀv).
            a[k][k] -= alpha
            var vtv = 0.0
            for i in k..<n { vtv += a[k][i] * a[k][i] }
            if vtv > 0 {
                for j in (k + 1)..<max(p, k + 1) {
                    var dot = 0.0
                    for i in k..<n { dot += a[k][i] * a[j][i] }
                    let factor = 2 * dot / vtv
                    for i in k..<n { a[j][i] -= factor * a[k][i] }
                }
                var dot = 0.0
                for i in k..<n { dot += a[k][i] * qty[i] }
                let factor = 2 * dot / vtv
                for i in k..<n { qty[i] -= factor * a[k][i] }
            }
            diagonal[k] = alpha
        }
        // R: diagonal[k] on the diagonal, a[j][k] above it (j > k).
        func r(_ i: Int, _ j: Int) -> Double { i == j ? diagonal[i] : (j > i ? a[j][i] : 0) }
        let largest = diagonal.map(abs).max() ?? 0
        for k in 0..<p where abs(diagonal[k]) <= 1e-12 * largest { throw ModelError.rankDeficient(column: k) }

        // β = R⁻¹ (Qᵀy)[0..<p], by back-substitution.
        var beta = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var sum = qty[i]
            for j in (i + 1)..<max(p, i + 1) { sum -= r(i, j) * beta[j] }
            beta[i] = sum / r(i, i)
        }
        var rss = 0.0
        for i in p..<n { rss += qty[i] * qty[i] }

        // R⁻¹ (upper triangular), then (XᵀX)⁻¹ = R⁻¹R⁻ᵀ.
        var inverse = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for j in 0..<p {
            inverse[j][j] = 1 / r(j, j)
            for i in stride(from: j - 1, through: 0, by: -1) {
                var sum = 0.0
                for k in (i + 1)...j { sum += r(i, k) * inverse[k][j] }
                inverse[i][j] = -sum / r(i, i)
            }
        }
        var unscaled = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for i in 0..<p {
            for j in i..<p {
                var sum = 0.0
                for k in j..<p { sum += inverse[i][k] * inverse[j][k] }
                unscaled[i][j] = sum
                unscaled[j][i] = sum
            }
        }
        let sigma2 = rss / Double(n - p)
        let covariance = unscaled.map { $0.map { $0 * sigma2 } }
        let mean = y.reduce(0, +) / Double(n)
        let tss = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return LeastSquaresFit(coefficients: beta, standardErrors: (0..<p).map { covariance[$0][$0].squareRoot() }, covariance: covariance,
                               residualSumOfSquares: rss, residualVariance: sigma2, n: n, p: p,
                               logDeterminantXtX: diagonal.reduce(0) { $0 + 2 * log(abs($1)) }, unscaledCovariance: unscaled,
                               rSquared: tss > 0 ? 1 - rss / tss : 0)
    }
}

/// A linear model with a random intercept per group (wijken nested in gemeenten):
/// yᵢⱼ = xᵢⱼβ + uⱼ + εᵢⱼ, uⱼ ~ N(0, σ²ᵤ), εᵢⱼ ~ N(0, σ²ₑ), fitted by restricted maximum likelihood (REML).
///
/// For a given ratio λ = σ²ᵤ/σ²ₑ, GLS is OLS on quasi-demeaned data (y − θⱼȳⱼ, X − θⱼX̄ⱼ with
/// θⱼ = 1 − 1/√(1 + nⱼλ)), through the same QR. The profile REML criterion in log λ is then minimised by a
/// grid and golden-section search.
public struct RandomInterceptFit: Sendable, Equatable {
    public var coefficients: [Double]
    public var standardErrors: [Double]
    public var covariance: [[Double]]
    /// Residual (within-group) variance σ²ₑ.
    public var withinVariance: Double
    /// Between-group variance σ²ᵤ.
    public var betweenVariance: Double
    public var n: Int
    public var groupCount: Int
    /// −2 × the REML log-likelihood, without the constant (n − p) log 2π.
    public var restrictedDeviance: Double

    public var lambda: Double { withinVariance > 0 ? betweenVariance / withinVariance : 0 }
}

public enum RandomIntercept {
    /// Group sizes and means, computed once; GLS for any λ from them.
    struct Prepared {
        let columns: [[Double]]
        let y: [Double]
        let groups: [Int]
        let sizes: [Int]
        let yMeans: [Double]
        let xMeans: [[Double]]

        init(columns: [[Double]], y: [Double], groups: [Int]) throws {
            let n = y.count
            guard groups.count == n, let groupCount = groups.max().map({ $0 + 1 }), groups.allSatisfy({ $0 >= 0 }) else {
                throw ModelError.groupsMismatch
            }
            var sizes = [Int](repeating: 0, count: groupCount)
            for g in groups { sizes[g] += 1 }
            func means(_ values: [Double]) -> [Double] {
                var result = [Double](repeating: 0, count: groupCount)
                for i in 0..<n { result[groups[i]] += values[i] }
                for g in 0..<groupCount where sizes[g] > 0 { result[g] /= Double(sizes[g]) }
                return result
            }
            self.columns = columns
            self.y = y
            self.groups = groups
            self.sizes = sizes
            yMeans = means(y)
            xMeans = columns.map(means)
        }

        /// OLS on the quasi-demeaned data, and −2 × the profile REML log-likelihood (without constants).
        func gls(_ lambda: Double) throws -> (fit: LeastSquaresFit, deviance: Double) {
            let n = y.count, p = columns.count
            let theta = sizes.map { 1 - 1 / (1 + Double($0) * lambda).squareRoot() }
            var ys = y
            for i in 0..<n { ys[i] -= theta[groups[i]] * yMeans[groups[i]] }
            let xs = columns.enumerated().map { index, column in
                var c = column
                for i in 0..<n { c[i] -= theta[groups[i]] * xMeans[index][groups[i]] }
                return c
            }
            let fit = try LeastSquares.fit(columns: xs, y: ys)
            let logDetV = sizes.reduce(0) { $0 + log(1 + Double($1) * lambda) }
            let dof = Double(n - p)
            return (fit, dof * log(fit.residualSumOfSquares / dof) + dof + logDetV + fit.logDeterminantXtX)
        }
    }

    /// GLS at a given λ = σ²ᵤ/σ²ₑ: the coefficients, their standard errors and σ²ₑ = r′V⁻¹r / (n − p).
    public static func gls(columns: [[Double]], y: [Double], groups: [Int], lambda: Double) throws -> LeastSquaresFit {
        try Prepared(columns: columns, y: y, groups: groups).gls(lambda).fit
    }

    /// −2 × the profile REML log-likelihood at a given λ = σ²ᵤ/σ²ₑ (without the constant), e.g. to check an optimum.
    public static func deviance(columns: [[Double]], y: [Double], groups: [Int], lambda: Double) throws -> Double {
        try Prepared(columns: columns, y: y, groups: groups).gls(lambda).deviance
    }

    /// - Parameters:
    ///   - columns: columns of X, including the intercept column.
    ///   - groups: the group index (0..<groupCount) of every observation.
    public static func fit(columns: [[Double]], y: [Double], groups: [Int]) throws -> RandomInterceptFit {
        let prepared = try Prepared(columns: columns, y: y, groups: groups)
        // Grid over log λ, then golden-section around the best point (the boundary λ = 0 included).
        var best = (t: -Double.infinity, deviance: try prepared.gls(0).deviance)
        let grid = stride(from: -12.0, through: 6.0, by: 0.5).map { $0 }
        for t in grid {
            let d = try prepared.gls(exp(t)).deviance
            if d < best.deviance { best = (t, d) }
        }
        if best.t.isFinite {
            var lower = max(best.t - 0.5, grid.first!), upper = min(best.t + 0.5, grid.last!)
            let ratio = (5.0.squareRoot() - 1) / 2
            var c = upper - ratio * (upper - lower), d = lower + ratio * (upper - lower)
            var fc = try prepared.gls(exp(c)).deviance, fd = try prepared.gls(exp(d)).deviance
            while upper - lower > 1e-9 {
                if fc < fd {
                    upper = d; d = c; fd = fc
                    c = upper - ratio * (upper - lower); fc = try prepared.gls(exp(c)).deviance
                } else {
                    lower = c; c = d; fc = fd
                    d = lower + ratio * (upper - lower); fd = try prepared.gls(exp(d)).deviance
                }
            }
            let t = (lower + upper) / 2
            let dt = try prepared.gls(exp(t)).deviance
            if dt <= best.deviance { best = (t, dt) }
        }
        let lambda = best.t.isFinite ? exp(best.t) : 0
        let (fit, deviance) = try prepared.gls(lambda)
        let sigma2 = fit.residualVariance
        return RandomInterceptFit(coefficients: fit.coefficients, standardErrors: fit.standardErrors, covariance: fit.covariance,
                                  withinVariance: sigma2, betweenVariance: lambda * sigma2, n: y.count, groupCount: prepared.sizes.count,
                                  restrictedDeviance: deviance)
    }
}
