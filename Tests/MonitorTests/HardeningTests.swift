import Foundation
import Monitor
import Testing

@Suite("Geen getal laat de server vallen")
struct TotalFormattingTests {
    /// Issue 17, finding 1: 9.22·10¹⁸ and more trapped in Int(Double) and stopped the server on every visit.
    @Test(arguments: [9.3e18, 1e19, -1e19, 1e300, -1e300, Double.greatestFiniteMagnitude, 9223372036854775807.0, 0.1, -0.0])
    func everyFiniteValueIsFormattedWithoutTrapping(_ value: Double) {
        for decimals in [0, 1, 2, 3] {
            let text = DutchNumber.format(value, decimals: decimals)
            #expect(!text.isEmpty)
            #expect(text != DutchNumber.invalid)
            for unit in IndicatorUnit.allCases {
                _ = DutchNumber.format(value, unit: unit, decimals: decimals)
                _ = DutchNumber.difference(value, unit: unit, decimals: decimals)
            }
        }
    }

    @Test func hugeValuesKeepTheirDigitsGroupedTheDutchWay() {
        #expect(DutchNumber.format(1e19, decimals: 0) == "10.000.000.000.000.000.000")
        #expect(DutchNumber.format(-9.5e18, decimals: 1) == "−9.500.000.000.000.000.000,0")
        #expect(DutchNumber.format(918117, decimals: 0) == "918.117")
        #expect(DutchNumber.format(10.65, decimals: 1) == "10,7")
        #expect(DutchNumber.format(-0.04, decimals: 1) == "0,0")
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nanAndInfinitiesAreShownAsInvalid(_ value: Double) {
        #expect(DutchNumber.format(value, decimals: 1) == "ongeldige waarde")
        #expect(DutchNumber.format(value, unit: .procent, decimals: 1) == "ongeldige waarde")
        #expect(DutchNumber.difference(value, unit: .procent, decimals: 1) == "ongeldige waarde")
        #expect(Int(checked: value) == nil)
    }

    @Test func checkedIntegerConversionRefusesWhatDoesNotFit() {
        #expect(Int(checked: 9.3e18) == nil)
        #expect(Int(checked: -9.3e18) == nil)
        #expect(Int(checked: 41.5) == 42)
        #expect(Int(checked: 41.9, rounding: .down) == 41)
    }

    @Test func histogramsAndTicksStayBoundedForExtremeValues() {
        let histogram = Histogram(values: [0, 1e300, -1e300, .nan, .infinity, 5])
        #expect(histogram.bins.count <= 500)
        #expect(histogram.bins.reduce(0) { $0 + $1.count } == 4)
        #expect(NiceScale.ticks(lower: -1e308, upper: 1e308).count <= 52)
        #expect(NiceScale.ticks(lower: 1e17, upper: 1e17 + 100).count <= 52)
        #expect(NiceScale.ticks(lower: 0, upper: .infinity).isEmpty)
        #expect(Summary.quantile([1, 2, 3], .nan) == 2)
    }

    @Test func importRefusesValuesOutsideTheUnitsPlausibleRange() throws {
        let catalog = try Catalog(indicators: [
            Indicator.test(id: "aandeel", unit: .procent), Indicator.test(id: "personen", unit: .personen),
        ])
        let percentage = "gebied,periode,aandeel\nGM0363,2023,100.5\n"
        #expect(throws: ImportError.self) { try TidyImporter.parse(Data(percentage.utf8), file: "p.csv", catalog: catalog, period: nil) }
        do {
            _ = try TidyImporter.parse(Data(percentage.utf8), file: "p.csv", catalog: catalog, period: nil)
        } catch {
            #expect(error.line == 2)
            #expect(error.column == "aandeel")
            #expect(error.expected.contains("0 tot en met 100"))
        }
        let persons = "gebied,periode,personen\nGM0363,2023,9e18\n"
        #expect(throws: ImportError.self) { try TidyImporter.parse(Data(persons.utf8), file: "p.csv", catalog: catalog, period: nil) }
        let fine = "gebied,periode,aandeel,personen\nGM0363,2023,100,918117\n"
        #expect(try TidyImporter.parse(Data(fine.utf8), file: "p.csv", catalog: catalog, period: nil).observations.count == 2)
    }
}

@Suite("Afscherming tegen terugrekenen")
struct DisclosureControlTests {
    static func code(_ text: String) -> AreaCode { AreaCode(text)! }

    /// A wijk of four buurten, one with 5 persons: hiding only that buurt leaves it as wijk minus the rest.
    @Test func aSingleHiddenBuurtGetsAComplementSoTheWijkMinusTheRestRevealsNothing() {
        let w = Self.code("WK036300"), b = (1...4).map { Self.code("BU036300\(String(format: "%02d", $0))") }
        let values: [Double] = [5, 40, 60, 80]
        var cells: [AreaCode: DisclosureControl.Cell] = [w: .init(value: 185, hidden: false)]
        for (area, value) in zip(b, values) { cells[area] = .init(value: value, hidden: value < 10) }
        let equations = [(whole: w, parts: b)]
        let before = DisclosureControl.recoverable(cells: cells, hidden: [b[0]], equations: equations, threshold: 10)
        #expect(before.values == [b[0]: 5])
        let added = DisclosureControl.complementary(cells: cells, equations: equations, threshold: 10)
        #expect(added == [b[1]])  // the smallest shown buurt
        let after = DisclosureControl.recoverable(cells: cells, hidden: added.union([b[0]]), equations: equations, threshold: 10)
        #expect(after.values.isEmpty)
        #expect(after.smallSums.isEmpty)
    }

    /// Two hidden buurten of 3 and 4 would still reveal a group of 7 as the wijk minus the rest.
    @Test func hiddenPartsTogetherMustRestOnAtLeastTenPersons() {
        let w = Self.code("WK036301"), b = (1...4).map { Self.code("BU036301\(String(format: "%02d", $0))") }
        let values: [Double] = [3, 4, 12, 50]
        var cells: [AreaCode: DisclosureControl.Cell] = [w: .init(value: 69, hidden: false)]
        for (area, value) in zip(b, values) { cells[area] = .init(value: value, hidden: value < 10) }
        let added = DisclosureControl.complementary(cells: cells, equations: [(w, b)], threshold: 10)
        #expect(added == [b[2]])
        let hidden = added.union([b[0], b[1]])
        #expect(DisclosureControl.recoverable(cells: cells, hidden: hidden, equations: [(w, b)], threshold: 10).smallSums.isEmpty)
    }

    /// A gemeente whose only hidden wijk could be recovered as gemeente minus the other wijken — and a hidden
    /// wijk whose buurten are all shown would be their sum: both levels hold at once.
    @Test func complementsHoldOverSeveralLevelsAgainstAnIteratingAttacker() {
        var generator = SplitMix(seed: 17)
        for round in 0..<200 {
            var cells: [AreaCode: DisclosureControl.Cell] = [:]
            var equations: [(whole: AreaCode, parts: [AreaCode])] = []
            let gemeente = Self.code("GM0\(String(format: "%03d", round % 1000))")
            var wijken: [AreaCode] = []
            var gemeenteTotal = 0.0
            for w in 0..<Int.random(in: 1...5, using: &generator) {
                let wijk = Self.code("WK0\(String(format: "%03d", round % 1000))\(String(format: "%02d", w))")
                wijken.append(wijk)
                var buurten: [AreaCode] = []
                var total = 0.0
                for b in 0..<Int.random(in: 1...5, using: &generator) {
                    let buurt = Self.code("BU0\(String(format: "%03d", round % 1000))\(String(format: "%02d", w))\(String(format: "%02d", b))")
                    let value = Double(Int.random(in: 0...40, using: &generator))
                    cells[buurt] = .init(value: value, hidden: value > 0 && value < 10)
                    buurten.append(buurt)
                    total += value
                }
                cells[wijk] = .init(value: total, hidden: total > 0 && total < 10)
                equations.append((wijk, buurten))
                gemeenteTotal += total
            }
            cells[gemeente] = .init(value: gemeenteTotal, hidden: gemeenteTotal > 0 && gemeenteTotal < 10)
            equations.append((gemeente, wijken))
            let primary = Set(cells.filter { $0.value.hidden }.map(\.key))
            let hidden = primary.union(DisclosureControl.complementary(cells: cells, equations: equations, threshold: 10))
            let attack = DisclosureControl.recoverable(cells: cells, hidden: hidden, equations: equations, threshold: 10)
            let leaks = attack.values.filter { area, value in abs((cells[area]?.value ?? -100) - value) < 0.5 }
            #expect(leaks.isEmpty, "ronde \(round): terug te rekenen \(leaks)")
            #expect(attack.smallSums.isEmpty, "ronde \(round): kleine som \(attack.smallSums)")
        }
    }

    /// Percentage × published denominator gave the hidden count back (BU00140004: 50% of 10 inwoners = 5).
    @Test func aRatioOfASmallCountOfPersonsIsHiddenWhole() {
        let observation = Observation.value(50, indicator: "herkomst_buiten_europa_pct", area: Self.code("BU00140004"), period: "2023",
                                            numerator: 5, denominator: 10, origin: .berekend)
        let shown = PrivacyPolicy().apply(to: observation, indicator: nil, denominatorIsPersons: true, numeratorIsPersons: true)
        #expect(shown.status == .geheim)
        #expect(shown.value == nil)
        #expect(shown.numerator == nil)
    }
}

extension Indicator {
    /// A loaded indicator for tests: only the id and unit matter.
    static func test(id: String, unit: IndicatorUnit) -> Indicator {
        Indicator(id: id, name: id, definition: "d", unit: unit, decimals: 1, source: Source(publisher: "CBS", tableID: "t", title: "t"),
                  referencePeriod: "p", polarity: .neutraal, framing: .neutraal, spheres: [.gezin], perspectives: [.ideaal],
                  knowledgeQuestions: [.staat], ageGroup: "a", explanation: "e", usageExamples: ["a", "b"], caveats: ["c"],
                  derivation: .loaded(columns: [id], numeratorColumn: nil), aggregation: .geen)
    }
}

@Suite("Foute JSON in het Nederlands")
struct JSONErrorTests {
    @Test func brokenJSONNamesLineAndColumnInDutch() throws {
        let catalog = try Catalog(indicators: [Indicator.test(id: "inwoners", unit: .personen)])
        let text = "{\n  \"value\": [\n    {\"Gemeente\": \"GM0363\",, \"AantalInwoners\": 5}\n  ]\n}"
        do {
            _ = try StatLineJSONImporter.parse(Data(text.utf8), file: "kwb.json", catalog: catalog, period: "2023")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3, "\(error.description)")
            #expect(error.description.contains("geldige JSON") && !error.description.contains("couldn"), "\(error.description)")
        }
    }
}
