import Foundation
import Monitor
import Testing

@Suite("Afgeleide cijfers")
struct DerivationTests {
    let gm = AreaCode("GM0363")!, wk1 = AreaCode("WK036300")!, wk2 = AreaCode("WK036301")!

    @Test func formulaDividesNumeratorByDenominatorTimesFactor() {
        let formula = Formula(numerator: "personen_bijstand", denominator: "inwoners", factor: 1000)
        let result = Derivation.applyFormula(
            formula, indicator: "bijstand_per_1000", period: "2023",
            numerators: [gm: .value(35470, indicator: "personen_bijstand", area: gm, period: "2023")],
            denominators: [gm: .value(918117, indicator: "inwoners", area: gm, period: "2023")],
            loaded: [], importID: 7)
        #expect(result.count == 1)
        #expect(abs(result[0].value! - 38.6334) < 0.0001)
        #expect(result[0].numerator == 35470 && result[0].denominator == 918117)
        #expect(result[0].origin == .berekend && result[0].importID == 7)
    }

    @Test func aLoadedValueWinsOverTheFormula() {
        let formula = Formula(numerator: "a", denominator: "b", factor: 100)
        let result = Derivation.applyFormula(formula, indicator: "c", period: "2023",
            numerators: [gm: .value(1, indicator: "a", area: gm, period: "2023")],
            denominators: [gm: .value(4, indicator: "b", area: gm, period: "2023")], loaded: [gm], importID: nil)
        #expect(result.isEmpty)
    }

    @Test func anUnknownInputGivesAnUnknownResultNeverANumber() {
        let formula = Formula(numerator: "a", denominator: "b", factor: 100)
        let result = Derivation.applyFormula(formula, indicator: "c", period: "2023",
            numerators: [gm: Observation(indicator: "a", area: gm, period: "2023", status: .geheim, value: nil)],
            denominators: [gm: .value(4, indicator: "b", area: gm, period: "2023")], loaded: [], importID: nil)
        #expect(result.first?.status == .geheim)
        #expect(result.first?.value == nil)
    }

    @Test func sumsPartsOnlyWhenEveryPartHasAValue() {
        let parts = [(whole: gm, parts: [wk1, wk2])]
        let complete = Derivation.sums(indicator: "inwoners", period: "2024", parts: parts, observations: [
            wk1: .value(100, indicator: "inwoners", area: wk1, period: "2024"),
            wk2: .value(250, indicator: "inwoners", area: wk2, period: "2024"),
        ], importID: nil)
        #expect(complete.first?.value == 350)
        #expect(complete.first?.origin == .opgeteld)
        let incomplete = Derivation.sums(indicator: "inwoners", period: "2024", parts: parts, observations: [
            wk1: .value(100, indicator: "inwoners", area: wk1, period: "2024"),
            wk2: Observation(indicator: "inwoners", area: wk2, period: "2024", status: .onbekend, value: nil),
        ], importID: nil)
        #expect(incomplete.isEmpty)
    }
}
