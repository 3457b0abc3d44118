import Foundation
import Monitor
import Testing

@Suite("Privacyregel")
struct PrivacyTests {
    let area = AreaCode("BU03630000")!

    func indicator(unit: IndicatorUnit) -> Indicator {
        Indicator(id: "x", name: "x", definition: "x", unit: unit, decimals: 0, source: Source(publisher: "CBS", tableID: "1", title: "t"),
                  referencePeriod: "p", polarity: .neutraal, framing: .neutraal, spheres: [.gezin], perspectives: [.ideaal],
                  knowledgeQuestions: [.staat], ageGroup: "a", explanation: "e", usageExamples: ["a", "b"], caveats: ["c"],
                  derivation: .loaded(columns: ["x"], numeratorColumn: nil), aggregation: .geen)
    }

    @Test func aCountOfFewerThanTenPersonsIsSuppressed() {
        let result = PrivacyPolicy().apply(to: .value(5, indicator: "x", area: area, period: "2023"), indicator: indicator(unit: .personen))
        #expect(result.status == .geheim)
        #expect(result.value == nil)
        #expect(result.suppressionReason == PrivacyPolicy.suppressedLabel)
    }

    @Test func aValueWithFewerThanTenRespondentsIsSuppressed() {
        var observation = Observation.value(42.5, indicator: "x", area: area, period: "2023")
        observation.n = 9
        #expect(PrivacyPolicy().apply(to: observation, indicator: indicator(unit: .procent)).value == nil)
        observation.n = 10
        #expect(PrivacyPolicy().apply(to: observation, indicator: indicator(unit: .procent)).value == 42.5)
    }

    @Test func aRateOverFewerThanTenPersonsIsSuppressed() {
        let observation = Observation.value(20, indicator: "x", area: area, period: "2023", numerator: 1, denominator: 5)
        #expect(PrivacyPolicy().apply(to: observation, indicator: indicator(unit: .procent), denominatorIsPersons: true).status == .geheim)
    }

    @Test func aSmallNumeratorIsHiddenButTheRateStays() {
        let observation = Observation.value(2.5, indicator: "x", area: area, period: "2023", numerator: 5, denominator: 200)
        let result = PrivacyPolicy().apply(to: observation, indicator: indicator(unit: .procent), denominatorIsPersons: true)
        #expect(result.value == 2.5)
        #expect(result.numerator == nil && result.denominator == nil)
    }

    @Test func distancesAreNotCountsOfPersons() {
        let result = PrivacyPolicy().apply(to: .value(0.4, indicator: "x", area: area, period: "2023"), indicator: indicator(unit: .km))
        #expect(result.value == 0.4)
    }
}
