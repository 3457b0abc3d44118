import Foundation
import Monitor
import Testing

@Suite("Getallen in het Nederlands")
struct DutchNumberTests {
    @Test func groupsThousandsWithDotsAndUsesADecimalComma() {
        #expect(DutchDate.format("2026-11-29T05:12:00.123Z") == "29 november 2026")
        #expect(DutchDate.format("2026-03-01") == "1 maart 2026")
        #expect(DutchDate.format("onzin") == "onzin")
        #expect(DutchNumber.format(918117, decimals: 0) == "918.117")
        #expect(DutchNumber.format(17811291, decimals: 0) == "17.811.291")
        #expect(DutchNumber.format(10.7, decimals: 1) == "10,7")
        #expect(DutchNumber.format(0.05, decimals: 1) == "0,1")
        #expect(DutchNumber.format(-3.25, decimals: 2) == "−3,25")
        #expect(DutchNumber.format(999.96, decimals: 1) == "1.000,0")
    }

    @Test func formatsUnits() {
        #expect(DutchNumber.format(10.7, unit: .procent, decimals: 1) == "10,7%")
        #expect(DutchNumber.format(0.6, unit: .km, decimals: 1) == "0,6 km")
        #expect(DutchNumber.difference(-0.2, unit: .procent, decimals: 1) == "−0,2 procentpunt")
        #expect(DutchNumber.difference(0.01, unit: .procent, decimals: 1) == "±0,0 procentpunt")
    }

    @Test func comparisonWordingIsNeutralAndUsesDisplayPrecision() {
        #expect(ComparisonWording.describe(10.7, against: 10.9, referenceName: "Nederland", decimals: 1) == "lager dan Nederland")
        #expect(ComparisonWording.describe(10.74, against: 10.66, referenceName: "Nederland", decimals: 1) == "gelijk aan Nederland")
        #expect(ComparisonWording.describe(12, against: 10.9, referenceName: "Nederland", decimals: 1) == "hoger dan Nederland")
    }
}
