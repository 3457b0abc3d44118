import Foundation
import Monitor
import Testing

@Suite("Grafiekgeometrie")
struct ChartGeometryTests {
    @Test func niceStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        #expect(NiceScale.step(for: 0.7) == 1)
        #expect(NiceScale.step(for: 1.3) == 2)
        #expect(NiceScale.step(for: 2.2) == 2.5)
        #expect(NiceScale.step(for: 37) == 50)
    }

    @Test func histogramCountsEveryValueOnce() {
        let values = [1.0, 1.5, 2.0, 9.9, 10.0, 5.5]
        let histogram = Histogram(values: values, target: 5)
        #expect(histogram.bins.reduce(0) { $0 + $1.count } == values.count)
        #expect(histogram.bins.first!.lower <= 1 && histogram.bins.last!.upper >= 10)
    }

    @Test func medianAndQuantilesInterpolate() {
        #expect(Summary.median([3, 1, 2]) == 2)
        #expect(Summary.median([1, 2, 3, 4]) == 2.5)
        #expect(Summary.quantile([], 0.5) == nil)
    }
}
