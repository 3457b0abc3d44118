import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Migraties")
struct MigrationTests {
    /// The committed list: migrations are only ever appended.
    static let committed = ["0001-areas-observations-imports", "0002-indicator-usage", "0003-area-code-changes", "0004-observation-versions",
                            "0005-accounts-sessions-audit", "0006-drafts", "0007-dialogues", "0008-gespreksmodel", "0009-interventions", "0010-networks", "0011-facilities", "0012-facility-usage", "0013-questionnaires", "0014-knowledge", "0015-disclosure-control", "0016-questionnaire-invitations", "0017-network-figures", "0018-ggd-mapping", "0019-local-indicators"]

    /// What each shipped migration says, as SHA-256 of its SQL in both dialects: a database migrated yesterday must mean
    /// the same as one migrated tomorrow, so a shipped migration's statements never change (add a new one instead).
    static let checksums: [String] = [
        "8c647a4a377b80dde207a44a0f89a48d77895b02e30956e12e6c1489507a08db", "598dd3a0f75e4d09823d1b005e776e6116f634e4188cbb3eb1289c0eeb996f1a", "f7a8ef8150a26f1bdc36c64d82df0f0c244bee78f0b8e32d0ec79db12cfa2b5f",
        "08bf1f882339055404fff82a240584e93f252150e022d308c3ce984cba4e1b54", "229e08ee49aabe9ae7ce1a417210b4d5edadcfa938b7ad2e4edc0386ed5afc62", "822b264f27d6ac2dfa07ce17be1fdefe170f04bf35567f6727f361ebbc4ff412",
        "06b8faf25cf2698faa9ae358e1e23753b85e92e90241a881eb65688e6f686600", "b558633d3670d69be4c27d41200062b59db13f6aa045190ff24289d07a0e1c05", "12ab61e657945244ebcbb3c984e4c49e634e945e4b0bfa960b043c40e26290a2",
        "a02434a374e7cb79d2a4ee2efcc38910848602e51d33a824bd44e78107dfa5a9", "c2bc2a76121e822e087362aa6d439bbce4a0b240a7c11c7b2ef2d992e356c80c", "e33bbba7ec033d1983cfb61c4bfe9e075c747dfcfcdcd928e0a3be413ebab378",
        "bce8a0290b7ab02da70b7907525c5dfabfb486dea397f01bf9bc7e2d99e87388", "2bd33ba15871f43b4f867ca1a65c1a43d247e308ae7aab2fcaa7b83f3cff5303", "45215fa640ace04020090d9047ad24ab388d931decb73609916c489a0cbae455",
        "ba698cd1cc30ddfb2337da5347ea70dc30fea8d809b2a6cd74402849c6afb439", "65a88059bb211238b4dcf909ba412a29d01ed3654d85af5aa55e8d543cc67564", "baa667c90d8b641e1d023b61290c4ed1171dc9c6b51558584a77b46e685145b0",
        "6d601d56da5dc40360fbab960ac824c8947e22d740539fa2ec1b286ce563aef2",
    ]

    @Test func migrationIdsAreUniqueSortedAndOnlyAppended() {
        let ids = Migrations.all.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(Array(Migrations.all.map(\.name).prefix(Self.committed.count)) == Self.committed)
    }

    @Test func theSQLOfAShippedMigrationNeverChanges() {
        let actual = Migrations.all.map(\.checksum)
        #expect(Array(actual.prefix(Self.checksums.count)) == Self.checksums, "\(actual.map { "\"\($0)\"" }.joined(separator: ", "))")
        #expect(Self.checksums.count == Self.committed.count, "every committed migration has its checksum: \(actual.map { "\"\($0)\"" }.joined(separator: ", "))")
    }

    @Test(arguments: TestBackend.available) func anEmptyDatabaseMigratesToTheLatestVersionAndThenHasNothingPending(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ async throws in
            #expect(try await store.pendingMigrations().isEmpty)
            #expect(try await store.migrate().isEmpty)
            #expect(try await store.isEmpty())
        }
    }
}

@Suite("Opslag met de gebundelde data")
struct LoadedStoreTests {
    @Test(arguments: TestBackend.available) func bundledFiguresComeBackExactly(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let page = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0363")!], period: "2023"))
        #expect(page.items.first?.value == 918117)
        let care = try await store.observations(ObservationQuery(indicator: "jeugdzorg_in_natura_pct", areas: [AreaCode("GM0363")!], period: "2023"))
        #expect(care.items.first?.value == 10.7)
        #expect(care.items.first?.numerator == 22555)
        #expect(care.items.first?.importID != nil)
    }

    @Test(arguments: TestBackend.available) func areasKnowTheirParents(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let amsterdam = try #require(try await store.area(AreaCode("GM0363")!))
        #expect(amsterdam.name == "Amsterdam")
        #expect(Set(amsterdam.parents.map(\.rawValue)) == ["PV27", "GG3406"])
        let wijken = try await store.children(of: AreaCode("GM0363")!, kind: .wijk)
        #expect(wijken.count > 90)
        #expect(wijken.contains { $0.code.rawValue == "WK0363AA" && $0.name == "Haarlemmerbuurt" })
        let buurt = try #require(try await store.area(AreaCode("BU0363AA01")!))
        #expect(buurt.parents == [AreaCode("WK0363AA")!])
    }

    @Test(arguments: TestBackend.available) func formulaValuesAreComputedFromNumeratorAndDenominator(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let value = try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("WK0363AA")!], period: "2023")).items.first
        // KWB 2023, WK0363AA: 260 persons with bijstand, 9,135 inhabitants.
        #expect(value?.origin == .berekend)
        #expect(abs((value?.value ?? 0) - 260.0 / 9135.0 * 1000) < 1e-9)
        let households = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0363")!], period: "2023")).items.first
        #expect(abs((households?.value ?? 0) - 117086.0 / 505705.0 * 100) < 1e-9)
    }

    @Test(arguments: TestBackend.available) func countsAreSummedForLargerAreasWithoutALoadedValue(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        // KWB 2024 has gemeenten and wijken but no Nederland: the provincie Groningen sums its loaded gemeenten.
        let groningen = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0014")!], period: "2024")).items.first
        #expect(groningen?.value == 243768)
        #expect(groningen?.origin == .geladen)
        let loaded2023 = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [.nederland], period: "2023")).items.first
        #expect(loaded2023?.value == 17811291)
        #expect(loaded2023?.origin == .geladen)
    }

    @Test(arguments: TestBackend.available) func aSuppressedIncomeIsNeverANumber(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        // BU0363AA01 (345 inhabitants): CBS kept the income secret; the bundled file has an empty cell.
        let income = try await store.observations(ObservationQuery(indicator: "gestandaardiseerd_inkomen_hh", areas: [AreaCode("BU0363AA01")!], period: "2023")).items.first
        #expect(income?.status == .onbekend)
        #expect(income?.value == nil)
    }

    @Test(arguments: TestBackend.available) func smallCountsAreSuppressedOnTheWayOut(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let small = try await store.observations(ObservationQuery(indicator: "personen_bijstand", areaKind: .buurt, withinGemeente: AreaCode("GM0363")!, period: "2023")).items
        #expect(!small.isEmpty)
        for observation in small where observation.status == .waarde {
            #expect((observation.value ?? 0) >= 10 || observation.value == 0)
        }
    }

    @Test(arguments: TestBackend.available) func smallNumbersImportedByAUserNeverLeaveTheStore(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let csv = "indicator,gebied,periode,waarde,n\npersonen_bijstand,BU0363AA01,2030,4,\njeugdzorg_in_natura_pct,BU0363AA01,2030,12.5,8\njeugdzorg_in_natura_pct,BU0363AA02,2030,12.5,80\n"
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "klein.csv", catalog: store.catalog, period: nil))
            let all = try await store.observations(ObservationQuery(period: "2030")).items
            let count = try #require(all.first { $0.indicator == "personen_bijstand" && $0.area.rawValue == "BU0363AA01" })
            #expect(count.status == .geheim && count.value == nil && count.suppressionReason == PrivacyPolicy.suppressedLabel)
            let rate = try #require(all.first { $0.indicator == "jeugdzorg_in_natura_pct" && $0.area.rawValue == "BU0363AA01" })
            #expect(rate.status == .geheim && rate.value == nil)
            let enough = try #require(all.first { $0.indicator == "jeugdzorg_in_natura_pct" && $0.area.rawValue == "BU0363AA02" })
            #expect(enough.value == 12.5)
        }
    }

    @Test(arguments: TestBackend.available) func everyImportIsRecordedWithItsFingerprint(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let imports = try await store.imports()
        #expect(imports.count == 4)
        #expect(imports.allSatisfy { $0.sha256.count == 64 && $0.note == BundledData.attribution })
        #expect(imports.map(\.fileName).contains("data/kwb/kwb_2023_gemeente_wijk_buurt.csv"))
    }
}

@Suite("Catalogus en verantwoord meten in de opslag")
struct ResponsibleMeasuringStoreTests {
    @Test(arguments: TestBackend.available) func theGGDKindmonitorTableIsARegionalDataSetWithThreePeriods(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let values = try await store.observations(ObservationQuery(indicator: "kindmonitor_lid_sportvereniging", areas: [AreaCode("GG2707")!])).items
        #expect(Dictionary(uniqueKeysWithValues: values.map { ($0.period, $0.value) }) == ["2011": 78.7, "2016": 83.1, "2021": 77.3])
        #expect(values.first { $0.period == "2021" }?.n == 79776)
    }

    @Test(arguments: TestBackend.available) func aDerivedWijkValueIsTheSumOfItsBuurtenNumeratorsOverTheSumOfTheirDenominators(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            // KWB 2023 buurten of WK0363AA (Haarlemmerbuurt), read from the bundled CSV, loaded for a period
            // in which the wijk itself has no figures: the wijk value must come from the buurten.
            let csv = try String(contentsOf: Fixtures.dataDirectory.appendingPathComponent("kwb/kwb_2023_gemeente_wijk_buurt.csv"), encoding: .utf8)
            let lines = csv.split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let code = header.firstIndex(of: "regio_code")!, bijstand = header.firstIndex(of: "personen_bijstand")!, inwoners = header.firstIndex(of: "inwoners")!
            var rows = ["gebied,personen_bijstand,inwoners"]
            var numerator = 0.0, denominator = 0.0
            for line in lines.dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard f[code].hasPrefix("BU0363AA"), let b = Double(f[bijstand]), let i = Double(f[inwoners]) else { continue }
                rows.append("\(f[code]),\(f[bijstand]),\(f[inwoners])")
                numerator += b
                denominator += i
            }
            #expect(rows.count > 3)
            let batch = try TidyImporter.parse(Data(rows.joined(separator: "\n").utf8), file: "buurten.csv", catalog: store.catalog, period: "2031")
            _ = try await store.importBatch(batch)
            let wijk = try #require(try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("WK0363AA")!], period: "2031")).items.first)
            #expect(wijk.origin == .berekend)
            #expect(wijk.numerator == numerator && wijk.denominator == denominator)
            #expect(abs(wijk.value! - numerator / denominator * 1000) < 1e-9)
            let count = try #require(try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("WK0363AA")!], period: "2031")).items.first)
            #expect(count.origin == .opgeteld && count.value == denominator)
        }
    }

    @Test(arguments: TestBackend.available) func coverageSaysDownToWhichLevelDataExist(_ backend: TestBackend) async throws {
        let store = try await TestStore.shared(backend)
        let coverage = try await store.coverage()
        #expect(coverage["inwoners"]?.contains(.buurt) == true)
        #expect(coverage["kindmonitor_lid_sportvereniging"] == [.ggdregio])
        #expect(coverage["leeftijd_0_15_pct"]?.contains(.wijk) == true)
    }

    @Test(arguments: TestBackend.available) func pageViewsAreCountedPerIndicator(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ async throws in
            try await store.recordPageView(indicator: "inwoners")
            try await store.recordPageView(indicator: "inwoners")
            try await store.recordPageView(indicator: "stedelijkheid")
            let usage = try await store.usage()
            #expect(usage["inwoners"]?.pageViews == 2)
            #expect(usage["stedelijkheid"]?.total == 1)
        }
    }
}

@Suite("Importeren is atomair")
struct AtomicImportTests {
    @Test func anImportWithAnUnknownAreaLeavesTheDatabaseFileByteIdentical() async throws {
        try await TestStore.withLoadedStore { store, path async throws in
            let catalog = store.catalog
            let before = try Data(contentsOf: path)
            let count = try await store.observationCount()
            // Valid shape, but GM9999 does not exist: rejected inside the transaction, rolled back.
            let batch = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0363,2030,1000\nGM9999,2030,5\n".utf8),
                                               file: "onbekend.csv", catalog: catalog, period: nil)
            do {
                _ = try await store.importBatch(batch)
                Issue.record("verwacht een ImportError")
            } catch let error as ImportError {
                #expect(error.line == 3)
                #expect(error.found == "GM9999")
            }
            #expect(try await store.observationCount() == count)
            #expect(try await store.imports().count == 4)
            #expect(try Data(contentsOf: path) == before)
        }
    }

    @Test(arguments: TestBackend.available) func anImportWithAnUnknownAreaChangesNothing(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let count = try await store.observationCount()
            let imports = try await store.imports().count
            let batch = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0363,2030,1000\nGM9999,2030,5\n".utf8),
                                               file: "onbekend.csv", catalog: store.catalog, period: nil)
            await #expect(throws: ImportError.self) { try await store.importBatch(batch) }
            #expect(try await store.observationCount() == count)
            #expect(try await store.imports().count == imports)
        }
    }

    @Test(arguments: TestBackend.available) func aGoodImportLandsWholeAndRecomputesDerivedFigures(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let batch = try TidyImporter.parse(Data("gebied;inwoners;personen_bijstand\nGM0088;1000;20\n".utf8),
                                               file: "correctie.csv", catalog: store.catalog, period: "2030")
            let report = try await store.importBatch(batch)
            #expect(report.record.valueCount == 2)
            #expect(report.derivedCount > 0)
            let rate = try await store.observations(ObservationQuery(indicator: "bijstand_per_1000", areas: [AreaCode("GM0088")!], period: "2030")).items.first
            #expect(rate?.value == 20)
            #expect(rate?.importID == report.record.id)
        }
    }

    @Test(arguments: TestBackend.available) func aLoadedValueReplacesAComputedOne(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let before = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0088")!], period: "2023")).items.first
            #expect(before?.origin == .berekend)
            // A formula indicator cannot be imported directly, so load its inputs for a new period and then check the origin.
            let batch = try TidyImporter.parse(Data("indicator,gebied,periode,waarde\nhuishoudens_met_kinderen,GM0088,2023,100\n".utf8),
                                               file: "herzien.csv", catalog: store.catalog, period: nil)
            _ = try await store.importBatch(batch)
            let after = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0088")!], period: "2023")).items.first
            #expect(after?.origin == .berekend)
            #expect(after?.numerator == 100)
        }
    }
}

@Suite("CBS-import in de opslag")
struct StatLineStoreTests {
    @Test(arguments: TestBackend.available) func unknownRegionCodesBecomeAreasWithTheirParentFromTheCode(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ async throws in
            let data = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv"))
            let report = try await store.importBatch(try Importer.parse(data, file: "kwb-2022.csv", catalog: store.catalog, period: "2022"))
            // Amsterdam's wijk codes carry letters (WK0363AA); WK036300, its buurt and WK0363ZZ are new here.
            #expect(Set(report.newAreas) == [AreaCode("WK036300")!, AreaCode("BU03630000")!, AreaCode("WK0363ZZ")!])
            let wijk = try #require(try await store.area(AreaCode("WK0363ZZ")!))
            #expect(wijk.parents == [AreaCode("GM0363")!])
            let buurt = try #require(try await store.area(AreaCode("BU03630000")!))
            #expect(buurt.parents == [AreaCode("WK036300")!], "its wijk is new in the same file")
            let amsterdam = try await store.observations(ObservationQuery(indicator: "inwoners", areas: [AreaCode("GM0363")!], period: "2022")).items
            #expect(amsterdam.first?.value == 882633)
            let perIndicator = Dictionary(uniqueKeysWithValues: report.perIndicator.map { ($0.indicator, $0) })
            #expect(perIndicator["jeugdzorg_in_natura_pct"]?.withoutNumber == 2)
            // Derived for the new year too: households with children in 2022.
            let share = try await store.observations(ObservationQuery(indicator: "huishoudens_met_kinderen_pct", areas: [AreaCode("GM0363")!], period: "2022")).items.first
            #expect(abs((share?.value ?? 0) - 114450.0 / 492770.0 * 100) < 1e-9)
        }
    }
}
