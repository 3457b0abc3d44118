import Foundation

/// Indeling in klassen for a choropleth map.
public enum ClassificationMethod: String, CaseIterable, Sendable {
    /// Kwantielen: each class holds about the same number of areas (default).
    case kwantielen
    /// Gelijke intervallen.
    case gelijk
    /// Natuurlijke grenzen (Jenks): classes with the least variance within.
    case natuurlijk

    public var label: String {
        switch self {
        case .kwantielen: tr("kwantielen (evenveel gebieden per klasse)")
        case .gelijk: tr("gelijke intervallen")
        case .natuurlijk: tr("natuurlijke grenzen (Jenks)")
        }
    }
}

/// Class breaks: `breaks[i]...breaks[i+1]` is class i; the first is the minimum, the last the maximum.
public struct Classification: Sendable, Equatable {
    public var breaks: [Double]
    public var classCount: Int { max(breaks.count - 1, 0) }

    /// Classifies `values` into at most `classes` classes (fewer when there are fewer distinct values).
    public init(values: [Double], classes: Int, method: ClassificationMethod) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { breaks = []; return }
        let distinct = Array(Set(sorted)).sorted()
        let k = max(1, min(classes, distinct.count))
        if first == last || k == 1 { breaks = [first, last]; return }
        switch method {
        case .gelijk:
            breaks = (0...k).map { first + (last - first) * Double($0) / Double(k) }
        case .kwantielen:
            var b = [first]
            for i in 1..<k { b.append(Summary.quantile(sorted, Double(i) / Double(k))!) }
            b.append(last)
            breaks = Self.unique(b)
        case .natuurlijk:
            breaks = Self.unique(Self.jenks(sorted, classes: k))
        }
    }

    static func unique(_ b: [Double]) -> [Double] {
        var result: [Double] = []
        for v in b where result.last.map({ v > $0 }) ?? true { result.append(v) }
        return result.count >= 2 ? result : [b.first!, b.last!]
    }

    /// Fisher–Jenks optimal breaks by dynamic programming on the sorted values.
    static func jenks(_ data: [Double], classes k: Int) -> [Double] {
        let n = data.count
        var lower = [[Int]](repeating: [Int](repeating: 0, count: k + 1), count: n + 1)
        var variance = [[Double]](repeating: [Double](repeating: .infinity, count: k + 1), count: n + 1)
        for j in 1...k { lower[1][j] = 1; variance[1][j] = 0 }
        for l in 2...n {
            var s1 = 0.0, s2 = 0.0, w = 0.0, v = 0.0
            for m in 1...l {
                let i = l - m + 1
                let value = data[i - 1]
                s2 += value * value; s1 += value; w += 1
                v = s2 - s1 * s1 / w
                let i4 = i - 1
                if i4 != 0 {
                    for j in 2...k where variance[l][j] >= v + variance[i4][j - 1] {
                        lower[l][j] = i
                        variance[l][j] = v + variance[i4][j - 1]
                    }
                }
            }
            lower[l][1] = 1
            variance[l][1] = v
        }
        var breaks = [Double](repeating: 0, count: k + 1)
        breaks[k] = data[n - 1]
        breaks[0] = data[0]
        var count = n
        var j = k
        while j >= 2 {
            let id = lower[count][j] - 2
            breaks[j - 1] = data[max(id, 0)]
            count = lower[count][j] - 1
            j -= 1
        }
        return breaks
    }

    /// The class of a value (0-based), or nil when outside the breaks.
    public func classIndex(_ value: Double) -> Int? {
        guard breaks.count >= 2, value >= breaks.first!, value <= breaks.last! else { return nil }
        for i in 1..<breaks.count where value <= breaks[i] { return i - 1 }
        return breaks.count - 2
    }
}

/// Vergelijkbare gemeenten: k nearest neighbours on standardised (z-score) context variables.
public enum PeerFinder {
    /// A peer with its distance and each variable's share of the squared distance.
    public struct Peer: Sendable, Equatable {
        public var area: AreaCode
        public var distance: Double
        /// Share (0–1) of the squared distance per variable, in the order of the variables.
        public var shares: [Double]
    }

    /// One context variable: a value per area, optionally log-transformed before standardising.
    public struct Variable: Sendable {
        public var id: String
        public var values: [AreaCode: Double]
        public var logarithm: Bool
        public init(id: String, values: [AreaCode: Double], logarithm: Bool = false) {
            self.id = id
            self.values = values
            self.logarithm = logarithm
        }
    }

    /// Standardises every variable over the areas that have all of them.
    public static func standardised(_ variables: [Variable]) -> [AreaCode: [Double]] {
        guard !variables.isEmpty else { return [:] }
        var areas = Set(variables[0].values.keys)
        for v in variables.dropFirst() { areas.formIntersection(v.values.keys) }
        let transformed: [[AreaCode: Double]] = variables.map { v in
            var t: [AreaCode: Double] = [:]
            for area in areas { let x = v.values[area]!; t[area] = v.logarithm ? log(max(x, 1e-9)) : x }
            return t
        }
        var result: [AreaCode: [Double]] = [:]
        let stats = transformed.map { t -> (mean: Double, sd: Double) in
            let xs = Array(t.values)
            let mean = xs.reduce(0, +) / Double(max(xs.count, 1))
            let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(xs.count - 1, 1))
            return (mean, variance > 0 ? sqrt(variance) : 1)
        }
        for area in areas {
            result[area] = transformed.enumerated().map { i, t in (t[area]! - stats[i].mean) / stats[i].sd }
        }
        return result
    }

    /// The `k` nearest areas to `target` (target excluded), nearest first; ties broken by code.
    public static func nearest(to target: AreaCode, k: Int, in z: [AreaCode: [Double]]) -> [Peer] {
        Matrix(z).nearest(to: target, k: k)
    }

    /// Standardised values as one flat array, areas sorted by code: fast to scan.
    public struct Matrix: Sendable {
        public let codes: [AreaCode]
        let dimensions: Int
        let values: [Double]
        let index: [AreaCode: Int]

        public init(_ z: [AreaCode: [Double]]) {
            codes = z.keys.sorted()
            dimensions = z.first?.value.count ?? 0
            values = codes.flatMap { z[$0]! }
            index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        }

        /// Keeps only the best `k` while scanning, and computes the shares for those alone.
        public func nearest(to target: AreaCode, k: Int) -> [Peer] {
            guard let t = index[target], k > 0, dimensions > 0 else { return [] }
            let d = dimensions
            var best: [(distance: Double, row: Int)] = []
            best.reserveCapacity(k + 1)
            values.withUnsafeBufferPointer { v in
                let origin = t * d
                for row in 0..<codes.count where row != t {
                    var total = 0.0
                    let base = row * d
                    for i in 0..<d { let diff = v[base + i] - v[origin + i]; total += diff * diff }
                    // Rows are in code order, so a strict comparison breaks ties by code.
                    if best.count == k && total >= best[k - 1].distance { continue }
                    var position = best.count
                    while position > 0 && total < best[position - 1].distance { position -= 1 }
                    best.insert((total, row), at: position)
                    if best.count > k { best.removeLast() }
                }
            }
            return best.map { entry in
                let shares = (0..<d).map { i -> Double in
                    let diff = values[entry.row * d + i] - values[t * d + i]
                    return entry.distance > 0 ? diff * diff / entry.distance : 0
                }
                return Peer(area: codes[entry.row], distance: entry.distance.squareRoot(), shares: shares)
            }
        }
    }
}
