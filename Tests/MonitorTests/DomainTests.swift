import Foundation
import Monitor
import Testing

@Suite("Gebiedscodes")
struct AreaCodeTests {
    @Test func parsesEveryKindOfCBSCode() {
        #expect(AreaCode("NL00")?.kind == .land)
        #expect(AreaCode("PV27")?.kind == .provincie)
        #expect(AreaCode("GG3406")?.kind == .ggdregio)
        #expect(AreaCode("GM0363")?.kind == .gemeente)
        #expect(AreaCode("WK036300")?.kind == .wijk)
        #expect(AreaCode("BU03630000")?.kind == .buurt)
    }

    @Test func wijkAndBuurtCodesMayContainLetters() {
        #expect(AreaCode("WK0363AA")?.kind == .wijk)
        #expect(AreaCode("BU0363AA01")?.kind == .buurt)
    }

    @Test func gemeenteAndWijkFollowFromTheCode() {
        #expect(AreaCode("BU0363AA01")?.gemeente == AreaCode("GM0363"))
        #expect(AreaCode("BU0363AA01")?.wijk == AreaCode("WK0363AA"))
        #expect(AreaCode("WK036300")?.gemeente == AreaCode("GM0363"))
        #expect(AreaCode("GM0363")?.wijk == nil)
    }

    @Test func cbsPaddingIsTrimmed() {
        #expect(AreaCode("GM0363    ")?.rawValue == "GM0363")
    }

    @Test(arguments: ["", "GM363", "GM03630", "gm0363", "WK0363a1", "BU0363", "XX0000", "NL01", "GM03 3"])
    func rejectsCodesOfTheWrongShape(_ text: String) {
        #expect(AreaCode(text) == nil)
    }
}

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

@Suite("SHA-256")
struct SHA256Tests {
    @Test func matchesTheFIPSTestVectors() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

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

@Suite("Rollen")
struct RoleTests {
    let amsterdam = AreaCode("GM0363")!
    let groningen = AreaCode("GM0014")!

    @Test func anAnalistWorksOnlyForTheirOwnGemeenten() {
        let analist = Account(id: 1, username: "a", displayName: "A", role: .analist, gemeenten: [amsterdam])
        #expect(analist.may(.editGemeente(amsterdam)))
        #expect(analist.may(.publishGemeente(amsterdam)))
        #expect(analist.may(.readDrafts(amsterdam)))
        #expect(!analist.may(.editGemeente(groningen)))
        #expect(!analist.may(.readDrafts(groningen)))
        #expect(!analist.may(.manageAccounts))
        #expect(!analist.may(.readAudit))
        #expect(analist.may(.changeOwnPassword))
    }

    @Test func aDeelnemerContributesOnlyWhereInvited() {
        let deelnemer = Account(id: 2, username: "d", displayName: "D", role: .deelnemer, gemeenten: [amsterdam])
        #expect(deelnemer.may(.contributeDialogue(gemeente: amsterdam, invited: true)))
        #expect(!deelnemer.may(.contributeDialogue(gemeente: amsterdam, invited: false)))
        #expect(!deelnemer.may(.contributeDialogue(gemeente: groningen, invited: true)))
        #expect(!deelnemer.may(.editGemeente(amsterdam)))
        #expect(!deelnemer.may(.publishGemeente(amsterdam)))
    }

    @Test func aBeheerderMayDoEverything() {
        let beheerder = Account(id: 3, username: "b", displayName: "B", role: .beheerder)
        for permission: Permission in [.manageAccounts, .readAudit, .editGemeente(groningen), .publishGemeente(amsterdam),
                                       .contributeDialogue(gemeente: groningen, invited: false)] {
            #expect(beheerder.may(permission))
        }
    }

    @Test func passwordsAreLongAndNotTheUsername() {
        #expect(PasswordRule.problems("kort", username: "x").contains { $0.contains("minstens 12") })
        #expect(!PasswordRule.problems("anna@gemeente.nl-2026", username: "Anna@Gemeente.nl").isEmpty)
        #expect(!PasswordRule.problems("aaaaaaaaaaaaaaaa", username: "x").isEmpty)
        #expect(PasswordRule.problems("paard-batterij-nietje", username: "anna").isEmpty)
    }
}
