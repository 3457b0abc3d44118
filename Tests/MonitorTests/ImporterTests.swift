import Foundation
import Monitor
import MonitorTestSupport
import Testing

@Suite("Tidy CSV lezen")
struct ImporterTests {
    let catalog: Catalog

    init() throws { catalog = try Fixtures.catalog() }

    func parse(_ text: String, period: String? = nil, file: String = "test.csv") throws(ImportError) -> ImportBatch {
        try TidyImporter.parse(Data(text.utf8), file: file, catalog: catalog, period: period)
    }

    func rejection(_ text: String, period: String? = nil) -> ImportError? {
        do { _ = try parse(text, period: period); return nil } catch { return error }
    }

    func rejection(_ data: Data) -> ImportError? {
        do { _ = try TidyImporter.parse(data, file: "test.csv", catalog: catalog, period: "2023"); return nil } catch { return error }
    }

    @Test func readsTheLongShapeWithCommasAndDots() throws {
        let batch = try parse("indicator,gebied,periode,waarde,n\ninwoners,GM0363,2023,918117,\njeugdzorg_in_natura_pct,GM0363,2023,10.7,250\n")
        #expect(batch.format == "lang")
        #expect(batch.observations.count == 2)
        #expect(batch.observations[1].value == 10.7)
        #expect(batch.observations[1].n == 250)
        #expect(batch.sha256.count == 64)
    }

    @Test func readsTheDutchExcelDialectWithBOMSemicolonsAndDecimalCommas() throws {
        let text = "\u{FEFF}gebied;inwoners;jeugdzorg_in_natura_pct\r\nGM0363;918117;10,7\r\nWK036300;1234;9,5\r\n"
        let batch = try parse(text, period: "2023")
        #expect(batch.format == "breed")
        let values = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.indicator)@\($0.area)", $0.value) })
        #expect(values["jeugdzorg_in_natura_pct@GM0363"] == 10.7)
        #expect(values["inwoners@WK036300"] == 1234)
    }

    @Test func cbsMarkersBecomeAStatusNeverANumber() throws {
        let batch = try parse("gebied,periode,inwoners,jeugdzorg_in_natura_pct,afstand_school_km\nBU03630000,2023,.,x,-\nBU03630001,2023,,0,0.3\n")
        let byKey = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.indicator)@\($0.area)", $0) })
        #expect(byKey["inwoners@BU03630000"]?.status == .onbekend)
        #expect(byKey["jeugdzorg_in_natura_pct@BU03630000"]?.status == .geheim)
        #expect(byKey["afstand_school_km@BU03630000"]?.status == .nvt)
        #expect(byKey["inwoners@BU03630001"]?.status == .onbekend)
        #expect(byKey["inwoners@BU03630001"]?.value == nil)
        #expect(byKey["jeugdzorg_in_natura_pct@BU03630001"]?.value == 0)
    }

    @Test func sourceColumnsMapToIndicatorsAndUnknownColumnsAreReported() throws {
        let batch = try parse("regio_code,gemeente_naam,pct_jongeren_jeugdzorg_in_natura,jongeren_jeugdzorg_in_natura,mystery\nGM0363,Amsterdam,10.7,22555,3\n", period: "2023")
        let pct = batch.observations.first { $0.indicator == "jeugdzorg_in_natura_pct" }
        #expect(pct?.value == 10.7)
        #expect(pct?.numerator == 22555)
        #expect(batch.unmappedColumns == ["mystery"])
    }

    @Test func cbsPeriodNotationIsNormalised() throws {
        let batch = try parse("gebied,perioden,inwoners\nGM0363,2023JJ00,918117\n")
        #expect(batch.observations.first?.period == "2023")
    }

    // MARK: Rejected input: each a clear error with line and column.

    @Test func mixedSeparatorsNameTheLine() throws {
        let error = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nGM0014;2023;238147\n"))
        #expect(error.line == 3)
        #expect(error.expected.contains("gemengde scheidingstekens"))
    }

    @Test func textInANumericColumnNamesLineColumnAndValue() throws {
        let error = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nGM0014,2023,veel\n"))
        #expect(error.line == 3)
        #expect(error.column == "inwoners")
        #expect(error.found == "veel")
        #expect(error.expected.contains("getal"))
        #expect(error.description.contains("regel 3, kolom inwoners"))
        #expect(error.description.contains("database is ongewijzigd"))
    }

    @Test func anUnknownCodeShapeNamesTheCode() throws {
        let error = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nAmsterdam,2023,1\n"))
        #expect(error.line == 3)
        #expect(error.column == "gebied")
        #expect(error.found == "Amsterdam")
        #expect(error.expected.contains("CBS-gebiedscode"))
    }

    @Test func duplicateRowsNameBothLines() throws {
        let error = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nGM0014,2023,1\nGM0363,2023,918117\n"))
        #expect(error.line == 4)
        #expect(error.expected.contains("regel 2"))
        #expect(error.expected.contains("dubbele regel"))
    }

    @Test func aTruncatedFileIsRecognised() throws {
        let unterminated = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nGM0014,2023,\"2381"))
        #expect(unterminated.line == 3)
        #expect(unterminated.expected.contains("afgebroken"))
        let short = try #require(rejection("gebied,periode,inwoners\nGM0363,2023,918117\nGM0014,20"))
        #expect(short.line == 3)
        #expect(short.expected.contains("afgebroken"))
    }

    @Test func anEmptyFileIsRejected() throws {
        #expect(try #require(rejection("")).expected.contains("leeg"))
        #expect(try #require(rejection("\n\n  \n")).expected.contains("leeg"))
        #expect(try #require(rejection("gebied,periode,inwoners\n")).expected.contains("alleen een kopregel"))
    }

    @Test func aWrongEncodingIsRejectedWithThePlace() throws {
        var latin1 = Data("gebied,periode,inwoners\nGM0363,2023,1\nGM0014,2023,2 ".utf8)
        latin1.append(contentsOf: [0x43, 0x61, 0x66, 0xE9]) // "Café" in Latin-1
        let error = try #require(rejection(latin1))
        #expect(error.line == 3)
        #expect(error.expected.contains("UTF-8"))
        let utf16 = try #require(rejection(Data([0xFF, 0xFE, 0x67, 0x00])))
        #expect(utf16.expected.contains("UTF-16"))
        let binary = try #require(rejection(Data([0x67, 0x65, 0x00, 0x01, 0x02])))
        #expect(binary.expected.contains("binaire"))
    }

    @Test func mixedDecimalMarksAreRejected() throws {
        let error = try #require(rejection("gebied;periode;jeugdzorg_in_natura_pct\nGM0363;2023;10,7\nGM0014;2023;8.7\n"))
        #expect(error.expected.contains("decimaalteken"))
    }

    @Test func aMissingPeriodAsksForDashDashPeriode() throws {
        let error = try #require(rejection("gebied,inwoners\nGM0363,918117\n"))
        #expect(error.expected.contains("--periode"))
    }

    @Test func aFormulaIndicatorCannotBeImported() throws {
        let error = try #require(rejection("indicator,gebied,periode,waarde\nbijstand_per_1000,GM0363,2023,38.6\n"))
        #expect(error.line == 2)
        #expect(error.expected.contains("formule"))
    }
}

@Suite("CBS StatLine-download")
struct StatLineTests {
    let catalog: Catalog
    let data: Data

    init() throws {
        catalog = try Fixtures.catalog()
        data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv"))
    }

    @Test func keysAreMatchedWithoutTheirNumericSuffix() {
        #expect(StatLineImporter.baseKey("AantalInwoners_5") == "AantalInwoners")
        #expect(StatLineImporter.baseKey("k_0Tot15Jaar_8") == "k_0Tot15Jaar")
        #expect(StatLineImporter.baseKey("ID") == "ID")
        #expect(catalog.indicator(forCBSKey: "AantalInwoners_57")?.id == "inwoners")
    }

    @Test func aTypedDataSetDownloadIsDetectedAndReadAsCBSPublishesIt() throws {
        let batch = try Importer.parse(data, file: "85000NED.csv", catalog: catalog, period: "2022")
        #expect(batch.format == "statline-csv")
        let values = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.indicator)@\($0.area)", $0) })
        #expect(values["inwoners@GM0363"]?.value == 882633)
        #expect(values["inwoners@NL00"]?.value == 17590672)
        #expect(values["jeugdzorg_in_natura_pct@WK036300"]?.value == 8.4)
        #expect(values["afstand_school_km@GM0363"]?.value == 0.6)
        #expect(values["jeugdzorg_in_natura_pct@BU03630000"]?.status == .onbekend, "the marker . is a status")
        #expect(batch.observations.allSatisfy { $0.period == "2022" })
        #expect(batch.unmappedColumns == ["Mannen_6"])
        #expect(batch.createsUnknownAreas)
        #expect(batch.areaNames[AreaCode("WK0363ZZ")!] == "Amsterdam")
    }

    @Test func withoutAPeriodColumnThePeriodMustBeGiven() throws {
        do {
            _ = try Importer.parse(data, file: "85000NED.csv", catalog: catalog, period: nil)
            Issue.record("verwacht een fout")
        } catch {
            #expect(error.expected.contains("--periode"))
        }
    }

    @Test func aPeriodColumnInCBSNotationIsRead() throws {
        let text = "\u{FEFF}\"ID\";\"RegioS\";\"Perioden\";\"AantalInwoners_1\"\r\n\"0\";\"GM0363    \";\"2021JJ00\";\"  872757\"\r\n\"1\";\"GM0363    \";\"2022JJ00\";\"  882633\"\r\n"
        let batch = try Importer.parse(Data(text.utf8), file: "37230ned.csv", catalog: catalog, period: nil)
        #expect(batch.observations.map(\.period) == ["2021", "2022"])
        #expect(batch.observations.map(\.value) == [872757, 882633])
    }
}

@Suite("Exports")
struct ExportTests {
    let catalog: Catalog
    init() throws { catalog = try Fixtures.catalog() }

    func rows() -> [ExportRow] {
        let pct = catalog["jeugdzorg_in_natura_pct"]!
        return [
            ExportRow(observation: .value(10.7, indicator: pct.id, area: AreaCode("GM0363")!, period: "2023", numerator: 22555), areaName: "Amsterdam", indicator: pct),
            ExportRow(observation: Observation(indicator: pct.id, area: AreaCode("GM0088")!, period: "2023", status: .geheim, value: nil),
                      areaName: "=Schier; \"mon\"", indicator: pct),
        ]
    }

    @Test func plainCSVUsesCommasAndDecimalPoints() {
        let text = String(decoding: Exporter.export(rows(), format: .csv), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == Exporter.columns.joined(separator: ","))
        #expect(lines[1].hasPrefix("jeugdzorg_in_natura_pct,Jongeren met jeugdzorg in natura (%),GM0363,Amsterdam,2023,10.7,waarde,procent,22555,"))
        #expect(!text.hasPrefix("\u{FEFF}"))
    }

    @Test func theDutchExcelDialectHasABOMSemicolonsAndDecimalCommasAndNeutralisesFormulas() {
        let data = Exporter.export(rows(), format: .excel)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.contains(";GM0363;Amsterdam;2023;10,7;waarde;"))
        // A value without a number is an empty cell with its status; a name starting with = is not a formula.
        #expect(text.contains(";\"'=Schier; \"\"mon\"\"\";2023;;geheim;"))
    }

    @Test func exportsReadBackThroughTheImporter() throws {
        // The plain CSV has the tidy 'lang' shape (indicator, gebied, periode, waarde), so it imports again.
        let batch = try TidyImporter.parse(Exporter.export(rows(), format: .csv), file: "export.csv", catalog: catalog, period: nil)
        #expect(batch.observations.first { $0.area.rawValue == "GM0363" }?.value == 10.7)
        #expect(batch.observations.first { $0.area.rawValue == "GM0088" }?.status == .onbekend)
    }

    @Test func theDataPackageDescribesFieldsUnitsSourcesAndLicence() throws {
        let json = try JSONSerialization.jsonObject(with: Exporter.export(rows(), format: .datapackage, name: "test")) as? [String: Any]
        let resource = try #require((json?["resources"] as? [[String: Any]])?.first)
        let fields = try #require((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]])
        #expect(fields.map { $0["name"] as? String } == Exporter.columns)
        #expect(fields.first { $0["name"] as? String == "waarde" }?["type"] as? String == "number")
        #expect((json?["licenses"] as? [[String: Any]])?.first?["name"] as? String == "CC-BY-4.0")
        #expect(((json?["sources"] as? [[String: Any]])?.first?["title"] as? String)?.contains("85618NED") == true)
    }
}

@Suite("CBS OData v3-JSON")
struct StatLineJSONTests {
    @Test func aTypedDataSetJSONImportsLikeTheCSVDownload() throws {
        let catalog = try Fixtures.catalog()
        let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022-odata-v3.json"))
        let batch = try Importer.parse(data, file: "85000NED.json", catalog: catalog, period: "2022")
        #expect(batch.format == "statline-json")
        let values = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.indicator)@\($0.area)", $0) })
        #expect(values["inwoners@GM0363"]?.value == 882633)
        #expect(values["jeugdzorg_in_natura_pct@GM0363"]?.value == 10.9)
        #expect(values["jeugdzorg_in_natura_pct@BU03630000"]?.status == .onbekend, "null is CBS's '.'")
        #expect(batch.areaNames[AreaCode("GM0363")!] == "Amsterdam")
    }

    @Test func jsonWithoutCBSColumnsIsRejectedClearly() throws {
        let catalog = try Fixtures.catalog()
        do {
            _ = try Importer.parse(Data(#"{"value": [{"a": 1}]}"#.utf8), file: "x.json", catalog: catalog, period: "2022")
            Issue.record("verwacht een fout")
        } catch {
            #expect(error.expected.contains("regiokolom"))
        }
        do {
            _ = try Importer.parse(Data("{not json".utf8), file: "y.json", catalog: catalog, period: "2022")
            Issue.record("verwacht een fout")
        } catch {
            #expect(error.expected.contains("JSON"))
        }
    }
}

@Suite("CBS OData v4-JSON")
struct StatLineV4Tests {
    /// The fixture has the shape `pbmonitor cbs` saves (Observations with MeasureCodes and region codes);
    /// its measure codes are illustrative, so the measures map through their titles.
    @Test func observationsWithMeasureCodesImportLikeTheCSVDownload() throws {
        let catalog = try Fixtures.catalog()
        let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022-odata-v4.json"))
        let batch = try Importer.parse(data, file: "85318NED.json", catalog: catalog, period: "2022")
        #expect(batch.format == "statline-odata-v4")
        let values = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.indicator)@\($0.area)", $0) })
        #expect(values["inwoners@GM0363"]?.value == 882633)
        #expect(values["inwoners@GM0363"]?.period == "2022")
        #expect(values["huishoudens_met_kinderen@WK036300"]?.value == 300)
        #expect(values["jeugdzorg_in_natura_pct@GM0363"]?.value == 10.9)
        #expect(values["jeugdzorg_in_natura_pct@BU03630000"]?.status == .onbekend, "ValueAttribute Missing is CBS's '.'")
        #expect(values["jeugdzorg_in_natura_pct@WK0363ZZ"]?.status == .geheim, "ValueAttribute Confidential is CBS's 'x'")
        #expect(batch.unmappedColumns == ["M000353 (Mannen)"])
        #expect(batch.areaNames[AreaCode("WK036300")!] == "Burgwallen-Oude Zijde")
        #expect(batch.rowCount == 5)
    }

    @Test func aPageOfObservationsWithPeriodsAndCBSKeysImports() throws {
        let catalog = try Fixtures.catalog()
        let page = #"""
            {"@odata.context": "x", "value": [
              {"Id": 0, "Measure": "AantalInwoners", "ValueAttribute": "None", "Value": 882633, "RegioS": "GM0363", "Perioden": "2022JJ00"},
              {"Id": 1, "Measure": "AantalInwoners", "ValueAttribute": "None", "Value": 918117, "RegioS": "GM0363", "Perioden": "2023JJ00"},
              {"Id": 2, "Measure": "AantalInwoners", "ValueAttribute": "Impossible", "Value": null, "RegioS": "GM0014", "Perioden": "2023JJ00"}
            ]}
            """#
        let batch = try Importer.parse(Data(page.utf8), file: "page.json", catalog: catalog, period: nil)
        let values = Dictionary(uniqueKeysWithValues: batch.observations.map { ("\($0.area)@\($0.period)", $0) })
        #expect(values["GM0363@2022"]?.value == 882633)
        #expect(values["GM0363@2023"]?.value == 918117)
        #expect(values["GM0014@2023"]?.status == .nvt)
    }

    @Test func aMeasureTwiceForOneRegionIsRejectedWithItsPosition() throws {
        let catalog = try Fixtures.catalog()
        let page = #"{"value": [{"Measure": "AantalInwoners", "Value": 1, "RegioS": "GM0363"}, {"Measure": "AantalInwoners", "Value": 2, "RegioS": "GM0363"}]}"#
        do {
            _ = try Importer.parse(Data(page.utf8), file: "dubbel.json", catalog: catalog, period: "2022")
            Issue.record("verwacht een fout")
        } catch {
            #expect(error.line == 2)
            #expect(error.expected.contains("positie 1"))
        }
    }

    @Test func measureTitlesBecomeCBSKeys() {
        #expect(StatLineV4Importer.key(fromTitle: "Aantal inwoners") == "AantalInwoners")
        #expect(StatLineV4Importer.key(fromTitle: "Percentage jongeren met jeugdzorg") == "PercentageJongerenMetJeugdzorg")
        #expect(StatLineV4Importer.key(fromTitle: "Personen per soort uitkering; Bijstand") == "PersonenPerSoortUitkeringBijstand")
    }
}

@Suite("Fuzzcorpus")
struct FuzzCorpusTests {
    /// Every input libFuzzer kept (Tests/Fixtures/fuzz-corpus) goes through every reader again: each is
    /// read or rejected with an ImportError, never a crash — so a fixed finding cannot come back.
    @Test func everyCorpusFileIsReadOrRejectedWithoutACrash() throws {
        let catalog = try Fixtures.catalog()
        let directory = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz-corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.count >= 30)
        var accepted = 0, rejected = 0
        for name in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            for format in Importer.Format.allCases {
                do {
                    let batch = try Importer.parse(data, file: name, catalog: catalog, period: "2023", format: format)
                    #expect(batch.observations.allSatisfy { $0.status == .waarde ? $0.value?.isFinite == true : $0.value == nil }, "\(name)")
                    accepted += 1
                } catch {
                    #expect(!error.expected.isEmpty, "\(name): an error says what was expected")
                    rejected += 1
                }
            }
        }
        #expect(accepted > 0 && rejected > 0)
    }
}
