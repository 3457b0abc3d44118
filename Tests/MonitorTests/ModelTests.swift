import Foundation
import Monitor
import MonitorTestSupport
import Testing

/// Relative agreement to `digits` significant digits.
func agrees(_ a: Double, _ b: Double, digits: Double = 6) -> Bool {
    abs(a - b) <= pow(10, -digits) * max(abs(a), abs(b), 1e-300)
}

@Suite("Kleinste kwadraten")
struct LeastSquaresTests {
    /// NIST StRD, Longley (1967): employment from six collinear economic series, the classic trap for
    /// normal equations (condition number of XᵀX around 10¹⁶).
    static let longleyY: [Double] = [60323, 61122, 60171, 61187, 63221, 63639, 64989, 63761, 66019, 67857, 68169, 66513, 68655, 69564, 69331, 70551]
    static let longleyX: [[Double]] = [
        [83.0, 234289, 2356, 1590, 107608, 1947], [88.5, 259426, 2325, 1456, 108632, 1948], [88.2, 258054, 3682, 1616, 109773, 1949],
        [89.5, 284599, 3351, 1650, 110929, 1950], [96.2, 328975, 2099, 3099, 112075, 1951], [98.1, 346999, 1932, 3594, 113270, 1952],
        [99.0, 365385, 1870, 3547, 115094, 1953], [100.0, 363112, 3578, 3350, 116219, 1954], [101.2, 397469, 2904, 3048, 117388, 1955],
        [104.6, 419180, 2822, 2857, 118734, 1956], [108.4, 442769, 2936, 2798, 120445, 1957], [110.8, 444546, 4681, 2637, 121950, 1958],
        [112.6, 482704, 3813, 2552, 123366, 1959], [114.2, 502601, 3931, 2514, 125368, 1960], [115.7, 518173, 4806, 2572, 127852, 1961],
        [116.9, 554894, 4007, 2827, 130081, 1962],
    ]
    /// NIST's certified values.
    static let certified: [Double] = [-3482258.63459582, 15.0618722713733, -0.358191792925910e-01, -2.02022980381683, -1.03322686717359,
                                      -0.511041056535807e-01, 1829.15146461355]
    static let certifiedSE: [Double] = [890420.383607373, 84.9149257747669, 0.334910077722432e-01, 0.488399681651699, 0.214274163161675,
                                        0.226073200069370, 455.478499142212]

    @Test func theLongleyCoefficientsMatchNISTsCertifiedValues() throws {
        let columns = [[Double](repeating: 1, count: 16)] + (0..<6).map { j in Self.longleyX.map { $0[j] } }
        let fit = try LeastSquares.fit(columns: columns, y: Self.longleyY)
        for (index, (value, expected)) in zip(fit.coefficients, Self.certified).enumerated() {
            #expect(agrees(value, expected, digits: 8), "β\(index): \(value) vs \(expected)")
        }
        for (index, (value, expected)) in zip(fit.standardErrors, Self.certifiedSE).enumerated() {
            #expect(agrees(value, expected, digits: 8), "se\(index): \(value) vs \(expected)")
        }
        #expect(agrees(fit.rSquared, 0.995479004577296, digits: 10))
        #expect(agrees(fit.residualSumOfSquares, 836424.055505915, digits: 8))
    }

    @Test func aColumnThatRepeatsAnotherIsRefusedWithItsNumber() {
        let x = [1.0, 2, 3, 4, 5]
        #expect(throws: ModelError.rankDeficient(column: 2)) {
            try LeastSquares.fit(columns: [[1, 1, 1, 1, 1], x, x.map { $0 * 2 }], y: [1, 2, 3, 5, 4])
        }
        #expect(throws: ModelError.tooFewObservations(n: 2, parameters: 2)) { try LeastSquares.fit(columns: [[1, 1], [1, 2]], y: [1, 2]) }
        #expect(throws: ModelError.nonFinite) { try LeastSquares.fit(columns: [[1, 1, 1], [1, .nan, 3]], y: [1, 2, 3]) }
    }
}

@Suite("Random intercept (REML)")
struct RandomInterceptTests {
    /// Deterministic pseudo-random numbers (no global state).
    struct Generator {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
    }

    static func synthetic(groups: Int, perGroup: Int, sigmaU: Double, sigmaE: Double) -> (columns: [[Double]], y: [Double], groups: [Int]) {
        var random = Generator(state: 42)
        var x1: [Double] = [], x2: [Double] = [], y: [Double] = [], g: [Int] = []
        for group in 0..<groups {
            let u = sigmaU * random.normal()
            for _ in 0..<(perGroup + group % 5) {
                let a = random.uniform() * 40, b = random.normal()
                x1.append(a); x2.append(b); g.append(group)
                y.append(5 + 0.3 * a - 2 * b + u + sigmaE * random.normal())
            }
        }
        return ([[Double](repeating: 1, count: y.count), x1, x2], y, g)
    }

    @Test func knownParametersAreRecoveredAndTheFitIsGLSAtTheREMLOptimum() throws {
        let data = Self.synthetic(groups: 120, perGroup: 8, sigmaU: 2, sigmaE: 1.5)
        let fit = try RandomIntercept.fit(columns: data.columns, y: data.y, groups: data.groups)
        #expect(abs(fit.coefficients[1] - 0.3) < 4 * fit.standardErrors[1] && abs(fit.coefficients[2] + 2) < 4 * fit.standardErrors[2])
        #expect(abs(fit.betweenVariance.squareRoot() - 2) < 0.4 && abs(fit.withinVariance.squareRoot() - 1.5) < 0.15)

        // The same coefficients from GLS written out directly: Σ Xⱼᵀ Vⱼ⁻¹ Xⱼ β = Σ Xⱼᵀ Vⱼ⁻¹ yⱼ with Vⱼ⁻¹ ∝ I − λ/(1+nⱼλ) J.
        let lambda = fit.lambda
        let p = data.columns.count
        var a = [[Double]](repeating: [Double](repeating: 0, count: p), count: p), b = [Double](repeating: 0, count: p)
        for group in Set(data.groups) {
            let rows = data.groups.indices.filter { data.groups[$0] == group }
            let shrink = lambda / (1 + Double(rows.count) * lambda)
            let sums = (0..<p).map { j in rows.reduce(0) { $0 + data.columns[j][$1] } }
            let ySum = rows.reduce(0) { $0 + data.y[$1] }
            for i in 0..<p {
                for j in 0..<p { a[i][j] += rows.reduce(0) { $0 + data.columns[i][$1] * data.columns[j][$1] } - shrink * sums[i] * sums[j] }
                b[i] += rows.reduce(0) { $0 + data.columns[i][$1] * data.y[$1] } - shrink * sums[i] * ySum
            }
        }
        let direct = solve(a, b)
        for (value, expected) in zip(fit.coefficients, direct) { #expect(agrees(value, expected, digits: 9)) }

        // REML optimum: moving λ either way makes the restricted deviance worse.
        func deviance(_ lambda: Double) throws -> Double { try RandomIntercept.deviance(columns: data.columns, y: data.y, groups: data.groups, lambda: lambda) }
        #expect(try deviance(lambda * 1.02) > fit.restrictedDeviance && deviance(lambda / 1.02) > fit.restrictedDeviance)
    }

    @Test func withoutGroupDifferencesTheModelIsOrdinaryLeastSquares() throws {
        let data = Self.synthetic(groups: 60, perGroup: 10, sigmaU: 0, sigmaE: 1)
        let fit = try RandomIntercept.fit(columns: data.columns, y: data.y, groups: data.groups)
        let ols = try LeastSquares.fit(columns: data.columns, y: data.y)
        #expect(fit.betweenVariance < 0.05)
        for (value, expected) in zip(fit.coefficients, ols.coefficients) { #expect(abs(value - expected) < 0.02) }
    }

    /// Gaussian elimination with partial pivoting, for the small check above.
    func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = a, v = b
        let n = b.count
        for k in 0..<n {
            let pivot = (k..<n).max { abs(m[$0][k]) < abs(m[$1][k]) }!
            m.swapAt(k, pivot); v.swapAt(k, pivot)
            for i in (k + 1)..<n {
                let f = m[i][k] / m[k][k]
                for j in k..<n { m[i][j] -= f * m[k][j] }
                v[i] -= f * v[k]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            x[i] = (v[i] - ((i + 1)..<n).reduce(0) { $0 + m[i][$1] * x[$1] }) / m[i][i]
        }
        return x
    }
}

/// The model on the real bundled data (2,853 wijken in 342 gemeenten, written by `pbmonitor expected-care --ontwerp`) against an
/// independent computation: statsmodels' MixedLM (REML) and GLS written out in numpy (`scripts/reference-care-model.py`).
@Suite("Verwacht jeugdzorggebruik tegen statsmodels")
struct ExpectedCareReferenceTests {
    struct Reference: Decodable {
        struct Mixed: Decodable {
            var coefficients: [Double]
            var between_variance: Double
            var within_variance: Double
            var lambda: Double
            var gls_at_statsmodels_lambda: [Double]
            var gls_standard_errors: [Double]
            var gls_within_variance: Double
        }
        struct OLS: Decodable { var coefficients: [Double]; var standard_errors: [Double]; var r2: Double }
        var n: Int
        var groups: Int
        var ols: OLS
        var mixed: Mixed
    }

    static func load() throws -> (columns: [[Double]], y: [Double], groups: [Int], reference: Reference) {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/care-model")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: directory.appendingPathComponent("reference.json")))
        let lines = try String(contentsOf: directory.appendingPathComponent("design.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        var y: [Double] = [], columns = [[Double]](repeating: [], count: 7), groups: [Int] = [], index: [String: Int] = [:]
        for line in lines {
            let fields = line.split(separator: ",").map(String.init)
            y.append(Double(fields[2])!)
            columns[0].append(1)
            for j in 1...6 { columns[j].append(Double(fields[2 + j])!) }
            groups.append(index[fields[1]] ?? { index[fields[1]] = index.count; return index.count - 1 }())
        }
        return (columns, y, groups, reference)
    }

    @Test func theCoefficientsMatchStatsmodelsToSixSignificantDigits() throws {
        let (columns, y, groups, reference) = try Self.load()
        #expect(y.count == reference.n && Set(groups).count == reference.groups)
        let fit = try RandomIntercept.fit(columns: columns, y: y, groups: groups)
        for (index, (value, expected)) in zip(fit.coefficients, reference.mixed.coefficients).enumerated() {
            #expect(agrees(value, expected, digits: 6), "β\(index): \(value) vs statsmodels \(expected)")
        }
        #expect(agrees(fit.betweenVariance, reference.mixed.between_variance, digits: 4))
        #expect(agrees(fit.withinVariance, reference.mixed.within_variance, digits: 5))
        // At statsmodels' own variance ratio, GLS agrees with numpy's to rounding, standard errors included.
        let gls = try RandomIntercept.gls(columns: columns, y: y, groups: groups, lambda: reference.mixed.lambda)
        for (value, expected) in zip(gls.coefficients, reference.mixed.gls_at_statsmodels_lambda) { #expect(agrees(value, expected, digits: 10)) }
        for (value, expected) in zip(gls.standardErrors, reference.mixed.gls_standard_errors) { #expect(agrees(value, expected, digits: 10)) }
        #expect(agrees(gls.residualVariance, reference.mixed.gls_within_variance, digits: 10))
        // Our optimum is at least as good as statsmodels' by the REML criterion.
        #expect(fit.restrictedDeviance <= (try RandomIntercept.deviance(columns: columns, y: y, groups: groups, lambda: reference.mixed.lambda)) + 1e-9)
    }

    @Test func ordinaryLeastSquaresMatchesStatsmodelsExactly() throws {
        let (columns, y, _, reference) = try Self.load()
        let fit = try LeastSquares.fit(columns: columns, y: y)
        for (value, expected) in zip(fit.coefficients, reference.ols.coefficients) { #expect(agrees(value, expected, digits: 10)) }
        for (value, expected) in zip(fit.standardErrors, reference.ols.standard_errors) { #expect(agrees(value, expected, digits: 10)) }
        #expect(agrees(fit.rSquared, reference.ols.r2, digits: 10))
    }
}

@Suite("Verschil in verschillen en MKBA")
struct EffectAndCostBenefitTests {
    @Test func studentsTQuantilesMatchTheTables() {
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1) - 12.7062047362) < 1e-6)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 10) - 2.2281388520) < 1e-8)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 30) - 2.0422724563) < 1e-8)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4.5) - 2.6589123472) < 1e-8, "a fractional Welch df (scipy)")
        #expect(abs(StudentT.cdf(0, degreesOfFreedom: 7) - 0.5) < 1e-12)
    }

    /// Wijken with their own level and a shared trend; the targets get +3 from the start period on.
    static func synthetic(effect: Double, seed: UInt64) -> (targets: [AreaCode], comparison: [AreaCode], values: [AreaCode: [String: Double]]) {
        var random = RandomInterceptTests.Generator(state: seed)
        var values: [AreaCode: [String: Double]] = [:]
        var targets: [AreaCode] = [], comparison: [AreaCode] = []
        for i in 0..<20 {
            let code = AreaCode(String(format: "WK0363%02d", i))!
            if i < 6 { targets.append(code) } else { comparison.append(code) }
            let level = 40 + 10 * random.uniform()
            for (t, period) in ["2019", "2020", "2021", "2022", "2023", "2024"].enumerated() {
                let treated = i < 6 && period >= "2023"
                values[code, default: [:]][period] = level + 0.8 * Double(t) + (treated ? effect : 0) + random.normal()
            }
        }
        return (targets, comparison, values)
    }

    @Test func aKnownEffectIsRecoveredWithinItsConfidenceInterval() throws {
        var covered = 0
        for seed in 1...40 {
            let data = Self.synthetic(effect: 3, seed: UInt64(seed))
            let did = try #require(DifferenceInDifferences.estimate(indicator: "x", targets: data.targets, comparison: data.comparison,
                                                                  startPeriod: "2023", values: data.values))
            #expect(did.basePeriod == "2022" && did.followUpPeriod == "2024" && did.targetCount == 6 && did.comparisonCount == 14)
            if did.lower <= 3 && 3 <= did.upper { covered += 1 }
            #expect(abs(did.estimate - 3) < 3, "close to the effect")
            #expect(abs(did.preTrendDifference ?? 99) < 2.5, "parallel before the start")
        }
        #expect(covered >= 34, "a 95% interval covers the true effect in most of 40 trials (\(covered))")
        let none = try #require(DifferenceInDifferences.estimate(indicator: "x", targets: Self.synthetic(effect: 0, seed: 7).targets,
                                                               comparison: Self.synthetic(effect: 0, seed: 7).comparison, startPeriod: "2023",
                                                               values: Self.synthetic(effect: 0, seed: 7).values))
        #expect(none.lower < 0 && 0 < none.upper, "no effect: the interval contains 0")
        #expect(DifferenceInDifferences.estimate(indicator: "x", targets: [], comparison: Self.synthetic(effect: 0, seed: 1).comparison,
                                                 startPeriod: "2023", values: [:]) == nil)
    }

    @Test func theNetPresentValueOfKnownCashFlowsIsRight() {
        let mkba = CostBenefitAnalysis(items: [
            .init(stakeholder: .gemeente, kind: .kosten, description: "Coördinator", year: 0, low: 90_000, base: 100_000, high: 120_000),
            .init(stakeholder: .gezinnen, kind: .baten, description: "Minder opvoedstress", year: 1, low: 40_000, base: 55_000, high: 70_000),
            .init(stakeholder: .zorg, kind: .baten, description: "Minder jeugdhulp", year: 2, low: 20_000, base: 60_000, high: 80_000, youthCareSaving: true),
            .init(stakeholder: .samenleving, kind: .baten, description: "Meer vertrouwen in de buurt", year: 1),
        ], discountRate: 0.04)
        // 55,000 / 1.04 + 60,000 / 1.04² − 100,000
        #expect(abs(mkba.netPresentValue() - (55_000 / 1.04 + 60_000 / (1.04 * 1.04) - 100_000)) < 1e-6)
        #expect(abs(mkba.netPresentValue() - 8357.988165680465) < 1e-6)
        #expect(abs(mkba.netPresentValue(.laag) - (40_000 / 1.04 + 20_000 / 1.0816 - 120_000)) < 1e-6)
        #expect(abs(mkba.netPresentValue(.hoog) - (70_000 / 1.04 + 80_000 / 1.0816 - 90_000)) < 1e-6)
        #expect(abs(mkba.netPresentValue(rate: 0) - 15_000) < 1e-9)
        #expect(abs(mkba.netPresentValueWithoutYouthCareSavings() - (55_000 / 1.04 - 100_000)) < 1e-6)
        #expect(mkba.byStakeholder().first { $0.stakeholder == .samenleving }?.qualitative == 1, "the qualitative item is kept")
        #expect(abs((mkba.benefitCostRatio() ?? 0) - (55_000 / 1.04 + 60_000 / 1.0816) / 100_000) < 1e-12)
        var wrong = mkba
        wrong.items.append(.init(stakeholder: .onderwijs, kind: .kosten, description: "", year: 60, base: -5))
        #expect(wrong.problems().count == 3)
    }
}

@Suite("Verwacht jeugdzorggebruik: ijking")
struct ExpectedCareCalibrationTests {
    @Test func gemeenteExpectationsAddUpToTheGemeentenOwnFiguresAndWijkIntervalsHoldTheirExpectation() throws {
        var random = RandomInterceptTests.Generator(state: 11)
        var inputs: [ExpectedCareModel.Input] = []
        var actual: [AreaCode: Double] = [:]
        for g in 0..<40 {
            let gemeente = AreaCode(String(format: "GM%04d", g + 1))!
            let effect = random.normal()
            for w in 0..<(4 + g % 6) {
                let values = (0..<ExpectedCareModel.variables.count).map { _ in 1 + 50 * random.uniform() }
                let y = 8 + 0.05 * values[0] - 0.03 * values[2] + effect + random.normal()
                inputs.append(.init(area: AreaCode(String(format: "WK%04d%02d", g + 1, w))!, gemeente: gemeente, outcome: y,
                                    weight: 500 + 3000 * random.uniform(), values: values))
            }
            // The gemeente's own figure lies 1.3 points above its wijken, as CBS's gemeente figures do.
            let own = inputs.filter { $0.gemeente == gemeente }
            actual[gemeente] = own.reduce(0) { $0 + $1.outcome! * $1.weight } / own.reduce(0) { $0 + $1.weight } + 1.3
        }
        var model = try ExpectedCareModel.fit(inputs)
        model.calibrateGemeenten(Dictionary(grouping: inputs, by: \.gemeente), actual: actual)
        #expect(abs(model.gemeenteCalibration - 1.3) < 0.5)
        var weighted = 0.0, total = 0.0
        for (code, wijken) in Dictionary(grouping: inputs, by: \.gemeente) {
            let p = try #require(model.predict(gemeente: code, wijken: wijken, actual: actual[code]))
            let weight = wijken.reduce(0) { $0 + $1.weight }
            weighted += weight * (p.difference ?? 0)
            total += weight
            #expect(p.lower < p.expected && p.expected < p.upper && p.coverage == 1)
        }
        #expect(abs(weighted / total) < 1e-9, "over all gemeenten, weighted by inhabitants, expected equals actual")
        let wijk = try #require(model.predict(inputs[0]))
        #expect(wijk.lower < wijk.expected && wijk.expected < wijk.upper && wijk.difference == inputs[0].outcome! - wijk.expected)
    }
}

@Suite("Informele netwerken")
struct NetworkTests {
    static let map = Fixtures.exampleNetwork

    @Test func theBridgingActorsDensityAndIsolatedActorsMatchNetworkx() {
        let m = NetworkMeasures(Self.map)
        #expect(Self.map.problems().isEmpty)
        #expect(abs(m.density - 0.2857142857142857) < 1e-12 && m.pairCount == 8)
        #expect(m.tiesWithinSpheres == 6 && m.tiesBetweenSpheres == 2)
        // networkx.betweenness_centrality(normalized=True): 1: 0.38095, 5: 0.23810, 6: 0.42857, others 0.
        let expected: [String: Double] = ["1": 0.38095238095238093, "5": 0.23809523809523808, "6": 0.42857142857142855]
        for actor in m.actors { #expect(abs(actor.betweenness - (expected[actor.key] ?? 0)) < 1e-12, "\(actor.name)") }
        #expect(m.bridging.map(\.name) == ["Brugfunctionaris", "Ouders van De Regenboog", "Intern begeleider"])
        #expect(m.isolated == ["Huisarts"])
    }

    @Test func theLayoutIsDeterministicInsideTheCanvasAndKeepsActorsApart() {
        let a = NetworkLayout.positions(Self.map, width: 760, height: 520)
        let b = NetworkLayout.positions(Self.map, width: 760, height: 520)
        for key in a.keys {
            #expect(a[key]!.x == b[key]!.x && a[key]!.y == b[key]!.y)
            #expect((0...760).contains(a[key]!.x) && (0...520).contains(a[key]!.y))
        }
        let points = Array(a.values)
        for i in points.indices { for j in points.indices where j > i {
            #expect(((points[i].x - points[j].x) * (points[i].x - points[j].x) + (points[i].y - points[j].y) * (points[i].y - points[j].y)).squareRoot() >= 60, "no two actors on top of each other")
        } }
    }

    @Test func changeSinceAnEarlierMapAndPrivateDetailsAreRefused() {
        var earlier = Self.map
        earlier.date = ReferenceDate("2025-11-01")!
        earlier.actors.removeLast()
        earlier.ties.removeLast()
        let change = NetworkChange(from: earlier, to: Self.map)
        #expect(change.actorsAdded == ["Huisarts"] && change.actorsGone.isEmpty)
        #expect(change.tiesAdded == ["Intern begeleider – Wijkteam (verwijzing)"])
        var wrong = Self.map
        wrong.actors[1].name = "Fatima, 06-12345678"
        wrong.ties.append(.init(from: "2", to: "2", kind: .ontmoeting, strength: 4))
        #expect(wrong.problems().contains("actor 2: noteer een rol of organisatie, geen contactgegevens van personen"))
        #expect(wrong.problems().contains("relatie 9 verbindt een actor met zichzelf"))
    }
}

@Suite("Voorzieningenregister lezen")
struct FacilityImportTests {
    static let known: Set<AreaCode> = [AreaCode("WK0363AA")!, AreaCode("WK0363AB")!, AreaCode("BU0363AA01")!]

    @Test func aDutchExcelFileReadsAndRoundTrips() throws {
        let csv = "\u{FEFF}naam;soort;sferen;gebied;breedtegraad;lengtegraad;hoort_bij_basis;waarom\r\n"
            + "Consultatiebureau Centrum;consultatiebureau;;WK0363AA;52,3791;4,8883;twijfel;Vrij toegankelijk, maar zorg\r\n"
            + "Speeltuin De Pijp;Speeltuin;vrijetijd|gezin;BU0363AA01;;;ja;\r\n"
        let facilities = try FacilityImporter.parse(Data(csv.utf8), file: "vz.csv", gemeente: AreaCode("GM0363")!, knownAreas: Self.known)
        #expect(facilities.count == 2)
        #expect(facilities[0].spheres == [.hulp] && facilities[0].latitude == 52.3791 && facilities[0].partOfBasis == .twijfel)
        #expect(facilities[1].spheres == [.vrijetijd, .gezin] && facilities[1].rdPoint == nil)
        let again = try FacilityImporter.parse(Data(FacilityImporter.csv(facilities, excel: true).utf8), file: "terug.csv", gemeente: AreaCode("GM0363")!,
                                               knownAreas: Self.known)
        #expect(again == facilities, "export and import again gives the same register")
    }

    @Test func everyBadCellIsNamedWithItsLineAndColumnAndNothingIsTaken() {
        let csv = "naam,soort,gebied,lengtegraad\nBuurthuis,buurthuis,WK0014AA,\n,kerk,WK0363AA,\nBieb,bibliotheek,WK0363ZZ,99\n"
        #expect(throws: ImportProblems.self) {
            try FacilityImporter.parse(Data(csv.utf8), file: "fout.csv", gemeente: AreaCode("GM0363")!, knownAreas: Self.known)
        }
        do {
            _ = try FacilityImporter.parse(Data(csv.utf8), file: "fout.csv", gemeente: AreaCode("GM0363")!, knownAreas: Self.known)
        } catch let error as ImportProblems {
            let text = error.problems.map(\.description)
            #expect(text.contains { $0.hasPrefix("fout.csv, regel 2, kolom gebied: een CBS-code") || $0.hasPrefix("fout.csv, regel 2, kolom gebied: een wijk of buurt van GM0363") })
            #expect(text.contains { $0.hasPrefix("fout.csv, regel 3, kolom naam") } && text.contains { $0.hasPrefix("fout.csv, regel 3, kolom soort") })
            #expect(text.contains { $0.hasPrefix("fout.csv, regel 4, kolom gebied: een wijk of buurt die de monitor kent") })
            #expect(text.contains { $0.hasPrefix("fout.csv, regel 4, kolom lengtegraad") })
            #expect(error.description.hasSuffix("Er is niets geïmporteerd; de database is ongewijzigd."))
        } catch { Issue.record("\(error)") }
    }
}

@Suite("Gebruik van voorzieningen en de cijfers per wijk")
struct FacilityUsageTests {
    static let gemeente = AreaCode("GM0363")!
    static let register = [
        Facility(id: 1, gemeente: gemeente, name: "Speeltuin Westerpark", kind: .speeltuin, area: AreaCode("WK0363AA")!, status: .gepubliceerd),
        Facility(id: 2, gemeente: gemeente, name: "Mamacafé De Pijp", kind: .mamacafe, area: AreaCode("BU0363AB01")!, status: .gepubliceerd),
        Facility(id: 3, gemeente: gemeente, name: "Opvoedspreekuur", kind: .opvoedspreekuur, area: AreaCode("WK0363AB")!, status: .gepubliceerd),
        Facility(id: 4, gemeente: gemeente, name: "Concept", kind: .speeltuin, area: AreaCode("WK0363AA")!, status: .concept),
    ]

    @Test func aUsageFileNamesFacilitiesByNameAndEveryProblemByLineAndColumn() throws {
        let csv = "voorziening;periode;methode;bezoeken;unieke_bezoekers\nspeeltuin westerpark;2024;deurtelling;1.250;\nMamacafe de Pijp;2024KW01;registratie door professional;40;12\n"
        let usage = try UsageImporter.parse(Data(csv.utf8), file: "gebruik.csv", gemeente: Self.gemeente, facilities: Self.register)
        #expect(usage.map(\.facilityID) == [1, 2] && usage[0].visits == 1250 && usage[0].uniqueVisitors == nil)
        #expect(usage[1].period == "2024KW01" && usage[1].method == .registratie && usage[1].uniqueVisitors == 12)
        let bad = "voorziening,periode,methode,bezoeken,unieke_bezoekers\nZwembad,2024,deurtelling,10,\nSpeeltuin Westerpark,vorig jaar,telling,-3,\nOpvoedspreekuur,2024,vragenlijst,10,20\n"
        #expect(throws: ImportProblems.self) { try UsageImporter.parse(Data(bad.utf8), file: "fout.csv", gemeente: Self.gemeente, facilities: Self.register) }
        do {
            _ = try UsageImporter.parse(Data(bad.utf8), file: "fout.csv", gemeente: Self.gemeente, facilities: Self.register)
        } catch let problems as ImportProblems {
            let text = problems.description
            #expect(text.contains("fout.csv, regel 2, kolom voorziening") && text.contains("regel 3, kolom periode")
                    && text.contains("regel 3, kolom methode") && text.contains("regel 3, kolom bezoeken") && text.contains("regel 4, kolom unieke_bezoekers"))
        }
        let twice = "voorziening,periode,methode,bezoeken\n1,2024,deurtelling,10\nSpeeltuin Westerpark,2024,deurtelling,12\n"
        #expect(throws: ImportProblems.self) { try UsageImporter.parse(Data(twice.utf8), file: "dubbel.csv", gemeente: Self.gemeente, facilities: Self.register) }
    }

    @Test func visitsPerThousandChildrenUseTheLatestChildrenEstimateAndNameThePersonsBehindThem() {
        let wijken = [AreaCode("WK0363AA")!, AreaCode("WK0363AB")!, AreaCode("WK0363AC")!]
        let inhabitants = [Observation.value(9180, indicator: "inwoners", area: wijken[0], period: "2024"),
                           Observation.value(19685, indicator: "inwoners", area: wijken[1], period: "2024"),
                           Observation.value(900, indicator: "inwoners", area: wijken[2], period: "2024"),
                           Observation.value(931298, indicator: "inwoners", area: Self.gemeente, period: "2024")]
        let shares = [Observation.value(9, indicator: "leeftijd_0_15_pct", area: wijken[0], period: "2024"),
                      Observation.value(7, indicator: "leeftijd_0_15_pct", area: wijken[1], period: "2024"),
                      Observation.value(1, indicator: "leeftijd_0_15_pct", area: wijken[2], period: "2024"),
                      Observation.value(13, indicator: "leeftijd_0_15_pct", area: Self.gemeente, period: "2024")]
        let children = FacilityFigures.Children(inhabitants: inhabitants, shareAged0to15: shares)
        #expect(children.estimate(wijken[0], period: "2025")?.children == 826.2 && children.estimate(wijken[0], period: "2025")?.period == "2024")
        let usage = [FacilityUsage(gemeente: Self.gemeente, facilityID: 1, period: "2024", method: .deurtelling, visits: 1200, status: .gepubliceerd),
                     FacilityUsage(gemeente: Self.gemeente, facilityID: 2, period: "2024", method: .registratie, visits: 40, uniqueVisitors: 6, status: .gepubliceerd),
                     FacilityUsage(gemeente: Self.gemeente, facilityID: 1, period: "2025", method: .deurtelling, visits: 1500, status: .gepubliceerd),
                     FacilityUsage(gemeente: Self.gemeente, facilityID: 4, period: "2025", method: .deurtelling, visits: 999, status: .gepubliceerd)]
        let figures = FacilityFigures.compute(
            indicators: [("bezoeken", FacilityMeasure(measure: .bezoeken, perThousandChildren: true)),
                         ("uniek", FacilityMeasure(measure: .uniekeBezoekers, perThousandChildren: true)),
                         ("speel", FacilityMeasure(measure: .voorzieningen, kinds: [.speeltuin], perThousandChildren: true)),
                         ("aantal", FacilityMeasure(measure: .voorzieningen, perThousandChildren: false))],
            gemeente: Self.gemeente, wijken: wijken, facilities: Self.register, usage: usage, children: children, registerPeriod: "2026",
            oldPeriods: ["bezoeken": ["2023"]])
        func figure(_ id: String, _ area: AreaCode, _ period: String) -> Observation? {
            figures.first { $0.indicator == id && $0.area == area && $0.period == period }
        }
        #expect(abs((figure("bezoeken", wijken[0], "2024")?.value ?? 0) - 1200 / 826.2 * 1000) < 1e-9)
        #expect(figure("bezoeken", wijken[0], "2024")?.origin == .registratie && figure("bezoeken", wijken[0], "2024")?.n == 826)
        #expect(abs((figure("bezoeken", wijken[0], "2025")?.value ?? 0) - 1500 / 826.2 * 1000) < 1e-9, "2025 uses the 2024 children; the concept does not count")
        // The Mamacafé lies in a buurt of WK0363AB: it counts there, resting on 6 persons (n = 6: the store will suppress it).
        #expect(figure("bezoeken", wijken[1], "2024")?.numerator == 40 && figure("bezoeken", wijken[1], "2024")?.n == 6)
        #expect(figure("bezoeken", wijken[2], "2024")?.status == .onbekend, "nothing registered there is not zero")
        #expect(figure("bezoeken", Self.gemeente, "2024")?.numerator == 1240)
        #expect(figure("bezoeken", wijken[0], "2023")?.status == .onbekend, "a period no longer registered is withdrawn as unknown")
        #expect(figure("uniek", wijken[1], "2024")?.n == 6 && figure("uniek", wijken[0], "2024")?.status == .onbekend)
        #expect(figure("speel", wijken[0], "2026")?.numerator == 1 && figure("speel", wijken[2], "2026")?.value == 0)
        #expect(figure("speel", wijken[2], "2026")?.n == 9, "nine children: a privacy base below ten")
        #expect(figure("aantal", Self.gemeente, "2026")?.value == 3 && figure("aantal", wijken[1], "2026")?.value == 2)
    }

    @Test func suppressedUsageKeepsNoCount() {
        let small = FacilityUsage(gemeente: Self.gemeente, facilityID: 1, period: "2024", method: .vragenlijst, visits: 30, uniqueVisitors: 7).guarded()
        #expect(small.isSuppressed && small.visits == nil && small.uniqueVisitors == nil)
        let partly = FacilityUsage(gemeente: Self.gemeente, facilityID: 1, period: "2024", method: .deurtelling, visits: 30).guarded()
        #expect(partly.visits == 30)
    }
}

@Suite("Vragenlijsten: schalen en Cronbachs alfa")
struct QuestionnaireModelTests {
    @Test func alphaMatchesTheTextbookFormula() {
        // Checked with numpy: k/(k−1) × (1 − Σ var(item, ddof=1) / var(sum, ddof=1)) = 0.9538043478260869.
        let rows: [[Double]] = [[1, 2, 2], [2, 2, 3], [3, 3, 3], [4, 4, 5], [5, 4, 5], [3, 2, 3]]
        #expect(abs((CronbachAlpha.compute(rows) ?? 0) - 0.9538043478260869) < 1e-12)
        #expect(CronbachAlpha.compute([[1, 2], [1, 2]]) == nil, "no variance, no alpha")
        #expect(CronbachAlpha.compute([[1, 2, 3]]) == nil)
    }

    @Test func theShippedTemplatesParseIntoThreeScalesOfFourStatements() throws {
        for template in QuestionnaireTemplates.all {
            let q = QuestionnaireTemplates.questionnaire(template, gemeente: AreaCode("GM0363")!)
            #expect(q.problems().isEmpty && q.scales.count == 3 && q.items.count == 12)
            #expect(q.scales.allSatisfy { q.items(of: $0.id).count == 4 && q.items(of: $0.id).contains(where: \.reversed) })
            // The definition round-trips through the builder's text.
            let again = try QuestionnaireDefinition.parse(QuestionnaireDefinition.text(q))
            #expect(again.scales == q.scales && again.sections == q.sections)
        }
    }

    @Test func aBrokenDefinitionNamesEveryLine() {
        let text = "= a: Schaal A\n[a] zonder onderdeel\n# Deel\n[b] onbekende schaal\nlosse tekst\n= a: dubbel\n[a]\n"
        do {
            _ = try QuestionnaireDefinition.parse(text)
            Issue.record("expected problems")
        } catch let problems as ImportProblems {
            #expect(problems.problems.compactMap(\.line) == [2, 4, 5, 6, 7])
        } catch { Issue.record("\(error)") }
    }

    @Test func scoresMirrorReversedStatementsAndGroupsUnderTenShowNothing() {
        let q = Questionnaire(gemeente: AreaCode("GM0363")!, template: "eigen", title: "T", introduction: "",
                              scales: [.init(id: "s", name: "S")],
                              sections: [.init(title: "D", items: [.init(id: "v1", text: "a", scale: "s"), .init(id: "v2", text: "b", scale: "s", reversed: true)])])
        // Twelve school respondents answering 4 and 2 (mirrored: 4): every score is 4; one answered only v1 (half: still a score).
        var responses = (0..<11).map { _ in QuestionnaireResponse(sphere: .school, answers: ["v1": 4, "v2": 2]) }
        responses.append(QuestionnaireResponse(sphere: .school, answers: ["v1": 5]))
        responses += (0..<6).map { _ in QuestionnaireResponse(sphere: .hulp, answers: ["v1": 1, "v2": 5]) }
        // With only these two groups, "all" minus school would give the six hulp respondents exactly: school is hidden too.
        let two = QuestionnaireResults.compute(q, responses: responses)
        #expect(two.all.respondents == 18)
        #expect(two.bySphere.filter(\.isSuppressed).count == two.bySphere.count, "school is the complement of the hidden group")
        // Ten more in vrije tijd: they become the complement, and school shows.
        responses += (0..<10).map { _ in QuestionnaireResponse(sphere: .vrijetijd, answers: ["v1": 3, "v2": 3]) }
        let results = QuestionnaireResults.compute(q, responses: responses)
        #expect(results.all.respondents == 28 && results.all.scales[0].n == 28)
        #expect(abs(results.all.scales[0].mean - (11 * 4 + 5 + 6 * 1 + 10 * 3) / 28.0) < 1e-12)
        let school = results.bySphere.first { $0.label == Sphere.school.shortLabel }!
        #expect(school.respondents == 12 && school.scales[0].alphaN == 11)
        let hulp = results.bySphere.first { $0.label == Sphere.hulp.shortLabel }!
        #expect(hulp.isSuppressed && hulp.scales.isEmpty, "six respondents: nothing, not even their number")
        let free = results.bySphere.first { $0.label == Sphere.vrijetijd.shortLabel }!
        #expect(free.isSuppressed, "the complement: all minus the shown groups is not one hidden group")
        let attack = DisclosureControl.recoverable(
            cells: Dictionary(uniqueKeysWithValues: [(-1, DisclosureControl.Cell(value: 28, hidden: false))]
                + results.bySphere.enumerated().map { ($0.offset, DisclosureControl.Cell(value: Double([0, 12, 10, 0, 6, 0][min($0.offset, 5)]), hidden: $0.element.isSuppressed)) }),
            hidden: Set(results.bySphere.enumerated().filter { $0.element.isSuppressed }.map(\.offset)),
            equations: [(whole: -1, parts: Array(results.bySphere.indices))], threshold: 10)
        #expect(attack.values.filter { $0.value > 0.5 }.isEmpty)
    }
}

/// Issue 18: a lantaarnpaal of data, not of definitions.
@Suite("Lantaarnpaal van cijfers")
struct LamppostOfDataTests {
    func indicator(_ id: String, role: IndicatorRole, sphere: Sphere = .gezin, perspective: Perspective = .ideaal,
                   relations: [RelationType] = []) -> Indicator {
        var i = Indicator(id: id, name: id, definition: "d", unit: .procent, decimals: 1,
                          source: Source(publisher: "CBS", tableID: "t", title: "t"), referencePeriod: "p", polarity: .neutraal,
                          framing: .neutraal, spheres: [sphere], perspectives: [perspective], knowledgeQuestions: [.staat],
                          ageGroup: "alle", explanation: "e", usageExamples: ["a", "b"], caveats: ["c"],
                          derivation: .loaded(columns: [id], numeratorColumn: nil), aggregation: .geen)
        i.role = role
        i.relations = relations
        return i
    }

    @Test func aCellWithOnlyDefinitionsIsAGapAndContextLightsNothing() throws {
        let catalog = try Catalog(indicators: [
            indicator("gemeten", role: .basis), indicator("beschreven", role: .basis, sphere: .school, perspective: .houding,
                                                          relations: [.professionalsProfessionals]),
            indicator("inwoners", role: .context, sphere: .school, perspective: .houding),
        ])
        let l = Lamppost(catalog: catalog, coverage: ["gemeten": [.gemeente, .wijk], "inwoners": [.buurt]])
        #expect(l.cell(.gezin, .ideaal).state == .measured && l.cell(.gezin, .ideaal).byLevel[.wijk] == 1)
        #expect(l.cell(.school, .houding).state == .describedOnly && l.cell(.school, .houding).isGap)
        #expect(l.cell(.school, .houding).indicators.map(\.id) == ["beschreven"], "context counts in no cell")
        #expect(l.cell(.hulp, .aanbod).state == .empty)
        #expect(l.total == 2 && l.measuredTotal == 1 && l.context.count == 1 && l.contextMeasured == 1)
        #expect(l.relationalIndicators == 0 && l.relations.first { $0.tag == .professionalsProfessionals }?.describedOnly.count == 1)
        let withFigures = Lamppost(catalog: catalog, coverage: ["gemeten": [.gemeente], "beschreven": [.wijk]])
        #expect(withFigures.relationalIndicators == 1)
        #expect(withFigures.bySphere[.school]?.measured == 1 && withFigures.bySphere[.gezin]?.measured == 1)
    }

    @Test func forOneGemeenteOnlyItsOwnFiguresLightACell() throws {
        let catalog = try Catalog(indicators: [indicator("eigen", role: .basis), indicator("regionaal", role: .basis), indicator("nl", role: .basis),
                                   indicator("niets", role: .basis)])
        let l = Lamppost(catalog: catalog, coverage: ["eigen": [.gemeente], "regionaal": [.ggdregio], "nl": [.land]],
                         scope: .init(gemeente: AreaCode("GM0361")!, reach: ["eigen": .own, "regionaal": .region, "nl": .national]))
        let cell = l.cell(.gezin, .ideaal)
        #expect(cell.measured.map(\.id) == ["eigen"])
        #expect(cell.byReach[.region]?.map(\.id) == ["regionaal"] && cell.byReach[.national]?.map(\.id) == ["nl"]
                && cell.byReach[.none]?.map(\.id) == ["niets"])
        #expect(l.measuredTotal == 1)
    }
}

/// Issue 18, item 5: a relational measure (network density per wijk and date) can be the outcome of an effect design.
@Suite("Relaties als uitkomst")
struct RelationalOutcomeTests {
    static func map(_ wijk: String, _ date: String, ties: Int) -> NetworkMap {
        let actors = (1...5).map { NetworkMap.Actor(key: String($0), name: "Actor \($0)", kind: .rol, spheres: [$0 <= 2 ? .school : .gezin]) }
        let pairs = [("1", "2"), ("2", "3"), ("3", "4"), ("4", "5"), ("1", "5"), ("1", "3")]
        return NetworkMap(gemeente: AreaCode("GM0363")!, area: AreaCode(wijk)!, date: ReferenceDate(date)!, title: wijk, actors: actors,
                          ties: pairs.prefix(ties).map { NetworkMap.Tie(from: $0.0, to: $0.1, kind: .samenwerking, strength: 2) })
    }

    @Test func aDifferenceInDifferencesOnNetworkDensityFromPublishedMaps() throws {
        let catalog = try Fixtures.catalog()
        let density = try #require(catalog["netwerk_dichtheid"])
        let before: [(String, Int)] = [("WK036301", 3), ("WK036302", 2), ("WK036303", 3), ("WK036304", 2), ("WK036305", 4)]
        let after: [(String, Int)] = [("WK036301", 5), ("WK036302", 4), ("WK036303", 3), ("WK036304", 3), ("WK036305", 4)]
        var values: [AreaCode: [String: Double]] = [:]
        for (wijk, ties) in before { for f in Self.map(wijk, "2026-11-01", ties: ties).figures(for: [density]) { values[f.area, default: [:]][f.period] = f.value } }
        for (wijk, ties) in after { for f in Self.map(wijk, "2027-11-01", ties: ties).figures(for: [density]) { values[f.area, default: [:]][f.period] = f.value } }
        #expect(values[AreaCode("WK036301")!] == ["2026-11-01": 30, "2027-11-01": 50], "density in % of the 10 possible pairs")
        let did = try #require(DifferenceInDifferences.estimate(indicator: density.id, targets: [AreaCode("WK036301")!, AreaCode("WK036302")!],
                                                              comparison: [AreaCode("WK036303")!, AreaCode("WK036304")!, AreaCode("WK036305")!],
                                                              startPeriod: "2027", values: values))
        #expect(did.basePeriod == "2026-11-01" && did.followUpPeriod == "2027-11-01")
        #expect(abs(did.estimate - (20 - 10.0 / 3)) < 1e-9, "targets +20 points, comparison +3⅓ on average")
    }
}
