import Foundation
import Monitor
import MonitorTestSupport
import Testing

@Suite("Random-effects meta-analyse")
struct MetaAnalysisTests {
    struct Reference: Decodable {
        struct Result: Decodable {
            var estimate: Double
            var standardError: Double
            var lower: Double
            var upper: Double
            var tau2: Double
            var q: Double
            var i2: Double
            var weights: [Double]
        }
        var estimates: [Double]
        var standardErrors: [Double]
        var dl: Result
        var reml: Result
    }

    /// `Tests/Fixtures/meta-analysis/reference.json`: made by `scripts/meta-analysis-reference.py` with statsmodels'
    /// `combine_effects` (DerSimonian–Laird) and scipy (REML); CI makes it again and fails when it differs.
    static func references() throws -> [String: Reference] {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/meta-analysis/reference.json")
        return try JSONDecoder().decode([String: Reference].self, from: Data(contentsOf: url))
    }

    @Test(arguments: ["vijf-opzetten", "homogeen", "twee-opzetten", "heterogeen", "gedeelde-opzetten"])
    func poolingEqualsTheReferenceComputationToOneMillionth(_ name: String) throws {
        let reference = try #require(try Self.references()[name])
        let studies = zip(reference.estimates, reference.standardErrors).enumerated().map {
            RandomEffectsMetaAnalysis.Study(label: "opzet \($0.offset + 1)", estimate: $0.element.0, standardError: $0.element.1)
        }
        for (method, expected) in [(RandomEffectsMetaAnalysis.Method.dl, reference.dl), (.reml, reference.reml)] {
            let result = try RandomEffectsMetaAnalysis.pool(studies, method: method)
            let pairs: [(String, Double, Double)] = [
                ("estimate", result.estimate, expected.estimate), ("se", result.standardError, expected.standardError),
                ("lower", result.lower, expected.lower), ("upper", result.upper, expected.upper), ("tau2", result.tau2, expected.tau2),
                ("q", result.q, expected.q), ("i2", result.i2, expected.i2),
            ]
            for (what, actual, wanted) in pairs {
                #expect(abs(actual - wanted) <= 1e-6, "\(name) \(method) \(what): \(actual) against \(wanted)")
            }
            for (actual, wanted) in zip(result.weights, expected.weights) { #expect(abs(actual - wanted) <= 1e-6, "\(name) \(method) weight") }
            #expect(result.degreesOfFreedom == studies.count - 1)
        }
    }

    @Test func oneDesignCannotBePooledAndSaysSo() {
        #expect(throws: RandomEffectsMetaAnalysis.Refusal.tooFew(1)) {
            try RandomEffectsMetaAnalysis.pool([.init(label: "a", estimate: 1, standardError: 0.5)])
        }
        #expect(throws: RandomEffectsMetaAnalysis.Refusal.tooFew(0)) { try RandomEffectsMetaAnalysis.pool([]) }
        #expect(RandomEffectsMetaAnalysis.Refusal.tooFew(1).message.contains("vanaf twee opzetten"))
    }

    @Test func designsWithoutAUsableStandardErrorAreLeftOutInsteadOfDividingByZero() throws {
        let studies: [RandomEffectsMetaAnalysis.Study] = [
            .init(label: "a", estimate: 1, standardError: 0.5), .init(label: "b", estimate: 2, standardError: 0),
            .init(label: "c", estimate: .nan, standardError: 1), .init(label: "d", estimate: 1.5, standardError: .infinity),
            .init(label: "e", estimate: 0.5, standardError: 0.4),
        ]
        let result = try RandomEffectsMetaAnalysis.pool(studies)
        #expect(result.studies.map(\.label) == ["a", "e"])
        #expect(result.estimate.isFinite && result.lower < result.estimate && result.estimate < result.upper)
        #expect(abs(result.weights.reduce(0, +) - 1) < 1e-12)
    }

    @Test func identicalDesignsHaveNoSpreadBetweenThem() throws {
        let studies = (0..<4).map { RandomEffectsMetaAnalysis.Study(label: "\($0)", estimate: 2, standardError: 0.3) }
        for method in RandomEffectsMetaAnalysis.Method.allCases {
            let result = try RandomEffectsMetaAnalysis.pool(studies, method: method)
            #expect(result.tau2 == 0 && result.i2 == 0 && abs(result.estimate - 2) < 1e-12)
        }
    }
}
