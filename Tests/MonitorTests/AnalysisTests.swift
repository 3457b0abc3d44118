import Foundation
import Monitor
import Testing

@Suite("Kaartprojectie en klassen")
struct MapGeometryTests {
    @Test func projectsAmersfoortToTheRDOrigin() {
        // The RD origin is the Onze Lieve Vrouwetoren in Amersfoort: (155000, 463000).
        let p = RDProjection.project(longitude: 5.38720621, latitude: 52.15517440)
        #expect(abs(p.x - 155000) < 0.01 && abs(p.y - 463000) < 0.01)
        // Dam square, Amsterdam: about (121 400, 487 400) in RD.
        let dam = RDProjection.project(longitude: 4.8924, latitude: 52.3731)
        #expect(abs(dam.x - 121_400) < 300 && abs(dam.y - 487_400) < 300)
    }

    @Test func readsPolygonsAndMultiPolygonsAndWritesStablePaths() throws {
        let square = try #require(Shape(geoJSON: #"{"type":"Polygon","coordinates":[[[5,52],[5.1,52],[5.1,52.1],[5,52.1],[5,52]]]}"#))
        #expect(square.polygons.count == 1)
        let frame = MapFrame(bounds: square.bounds, width: 100)
        let path = frame.path(square)
        #expect(path.hasPrefix("M") && path.hasSuffix("Z"))
        #expect(path == frame.path(square), "byte-stable")
        let multi = Shape(geoJSON: #"{"type":"MultiPolygon","coordinates":[[[[5,52],[5.1,52],[5.1,52.1],[5,52]]],[[[6,52],[6.1,52],[6.1,52.1],[6,52]]]]}"#)
        #expect(multi?.polygons.count == 2)
        #expect(Shape(geoJSON: #"{"type":"Point","coordinates":[5,52]}"#) == nil)
    }

    @Test func quantilesPutAboutAsManyAreasInEachClass() {
        let values = (1...100).map(Double.init)
        let c = Classification(values: values, classes: 5, method: .kwantielen)
        #expect(c.classCount == 5)
        var counts = [Int](repeating: 0, count: 5)
        for v in values { counts[c.classIndex(v)!] += 1 }
        #expect(counts.allSatisfy { (19...21).contains($0) })
    }

    @Test func equalIntervalsHaveEqualWidth() {
        let c = Classification(values: [0, 1, 3, 4, 7, 10], classes: 5, method: .gelijk)
        #expect(c.breaks == [0, 2, 4, 6, 8, 10])
    }

    @Test func naturalBreaksFindObviousClusters() {
        let values = [1.0, 1.1, 1.2, 5.0, 5.1, 5.2, 9.0, 9.1, 9.3]
        let c = Classification(values: values, classes: 3, method: .natuurlijk)
        #expect(c.classIndex(1.2) == 0 && c.classIndex(5.0) == 1 && c.classIndex(5.2) == 1 && c.classIndex(9.0) == 2)
    }

    @Test func fewerDistinctValuesGiveFewerClasses() {
        #expect(Classification(values: [3, 3, 3], classes: 5, method: .kwantielen).classCount == 1)
        #expect(Classification(values: [], classes: 5, method: .kwantielen).classCount == 0)
    }
}

@Suite("Vergelijkbare gemeenten")
struct PeerFinderTests {
    let a = AreaCode("GM0001")!, b = AreaCode("GM0002")!, c = AreaCode("GM0003")!, d = AreaCode("GM0004")!

    @Test func nearestNeighboursOnStandardisedVariables() {
        // Variable 1 in thousands, variable 2 in units: z-scores make them weigh alike.
        let v1 = PeerFinder.Variable(id: "x", values: [a: 1000, b: 1100, c: 5000, d: 1050])
        let v2 = PeerFinder.Variable(id: "y", values: [a: 1, b: 9, c: 1, d: 2])
        let z = PeerFinder.standardised([v1, v2])
        let peers = PeerFinder.nearest(to: a, k: 2, in: z)
        // On raw numbers b (x = 1100) looks nearest; standardised, its y = 9 is the larger gap and c comes first.
        #expect(peers.map(\.area) == [d, c])
        #expect(abs(peers[0].shares.reduce(0, +) - 1) < 1e-12)
        #expect(peers[0].distance < peers[1].distance)
    }

    @Test func theLogarithmIsAppliedBeforeStandardising() {
        let v = PeerFinder.Variable(id: "inwoners", values: [a: 10, b: 100, c: 1000], logarithm: true)
        let z = PeerFinder.standardised([v])
        #expect(abs(z[b]![0]) < 1e-12, "100 is the geometric middle of 10 and 1000")
    }

    @Test func areasMissingAVariableAreLeftOut() {
        let v1 = PeerFinder.Variable(id: "x", values: [a: 1, b: 2, c: 3])
        let v2 = PeerFinder.Variable(id: "y", values: [a: 1, b: 2])
        #expect(Set(PeerFinder.standardised([v1, v2]).keys) == [a, b])
    }
}

@Suite("Vergelijken binnen de foutmarge")
struct MarginTests {
    @Test func aDifferenceWithinTheConfidenceIntervalIsNotMarked() {
        let margin = ConfidenceInterval(lower: 10.1, upper: 12.3)
        #expect(ComparisonWording.describe(11.2, against: 10.9, referenceName: "Nederland", decimals: 1, margin: margin)
                == "verschil met Nederland valt binnen de foutmarge")
        #expect(ComparisonWording.describe(11.2, against: 9.8, referenceName: "Nederland", decimals: 1, margin: margin)
                == "hoger dan Nederland")
    }
}

@Suite("Tijdreeksen op de huidige grenzen")
struct SeriesTests {
    let merged = AreaCode("GM9001")!, absorbed = AreaCode("GM9002")!
    let change = CodeChange(old: AreaCode("GM9002")!, new: AreaCode("GM9001")!, fromYear: 2024)

    func indicator(_ unit: IndicatorUnit, formula: Formula? = nil) -> Indicator {
        Indicator(id: "x", name: "X", definition: "d", unit: unit, decimals: 1, source: Source(publisher: "CBS", tableID: "t", title: "t"),
                  referencePeriod: "p", polarity: .neutraal, framing: .neutraal, spheres: [.gezin], perspectives: [.ideaal],
                  knowledgeQuestions: [.staat], ageGroup: "a", explanation: "e", usageExamples: ["a", "b"], caveats: ["c"],
                  derivation: formula.map { .formula($0) } ?? .loaded(columns: ["x"], numeratorColumn: nil), aggregation: .geen)
    }

    @Test func countsBeforeAMergerAreSummedOnTodaysBorders() {
        let observations: [Observation] = [
            .value(1000, indicator: "x", area: merged, period: "2023"), .value(400, indicator: "x", area: absorbed, period: "2023"),
            .value(1450, indicator: "x", area: merged, period: "2024"),
        ]
        let series = Series.onTodaysBorders(area: merged, indicator: indicator(.personen), observations: observations, changes: [change])
        #expect(series == [Series.Point(period: "2023", value: 1400, reconstructed: true), Series.Point(period: "2024", value: 1450, reconstructed: false)])
    }

    @Test func ratesAreRecomputedFromSummedNumeratorsAndDenominators() {
        let observations: [Observation] = [
            .value(10, indicator: "x", area: merged, period: "2023", numerator: 100, denominator: 1000),
            .value(50, indicator: "x", area: absorbed, period: "2023", numerator: 20, denominator: 400),
        ]
        let series = Series.onTodaysBorders(area: merged, indicator: indicator(.procent, formula: Formula(numerator: "a", denominator: "b", factor: 100)),
                                            observations: observations, changes: [change])
        #expect(series.count == 1)
        #expect(abs(series[0].value - 120.0 / 1400.0 * 100) < 1e-9, "never the average of 10% and 50%")
    }

    @Test func averagesCannotBeCombinedAndAreLeftOut() {
        let observations: [Observation] = [
            .value(0.5, indicator: "x", area: merged, period: "2023"), .value(0.9, indicator: "x", area: absorbed, period: "2023"),
            .value(0.6, indicator: "x", area: merged, period: "2024"),
        ]
        let series = Series.onTodaysBorders(area: merged, indicator: indicator(.km), observations: observations, changes: [change])
        #expect(series.map(\.period) == ["2024"])
    }

    @Test func aMissingPredecessorLeavesTheOldPeriodOut() {
        let observations: [Observation] = [.value(1000, indicator: "x", area: merged, period: "2023")]
        #expect(Series.onTodaysBorders(area: merged, indicator: indicator(.personen), observations: observations, changes: [change]).isEmpty)
    }
}
