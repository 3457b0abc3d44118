import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import SQLKit
import Testing

/// Indicators a gemeente defines in the browser (issue 18): one validator with the catalogue, concept → published,
/// versioned and audited, in the catalogue of every app node, visible only to the gemeente unless shared.
@Suite("Eigen indicatoren van een gemeente")
struct LocalIndicatorStoreTests {
    let amsterdam = AreaCode("GM0363")!
    let delfzijl = AreaCode("GM0014")!

    @Test func theFormMakesACatalogueEntryThatTheCatalogueLoaderReadsAsItIs() throws {
        let yaml = Fixtures.localIndicatorYAML(id: "gm0363_speeltuinbezoek")
        let (parsed, problems) = CatalogLoader.parse(yaml: yaml, file: "speeltuin.yaml")
        #expect(problems.isEmpty, "\(problems)")
        let indicator = try #require(parsed.first)
        #expect(indicator.id == "gm0363_speeltuinbezoek")
        #expect(indicator.unit == .aantal && indicator.aggregation == .som && indicator.role == .basis)
        #expect(indicator.spheres == [.vrijetijd] && indicator.perspectives == [.aanbod, .houding])
        #expect(indicator.usageExamples.count == 2, "one example per line")
        #expect(indicator.burden.minutesPerRespondent == 2.5, "a Dutch decimal comma is read as a decimal")
        #expect(indicator.sourceColumns == ["gm0363_speeltuinbezoek"], "figures come in a column named by the id")
        // And back: the stored entry fills the form again with what was typed.
        let values = LocalIndicatorEntry.values(yaml: yaml)
        #expect(values["naam"] == ["Bezoek aan bemande speeltuinen"])
        #expect(values["perspectieven"] == ["aanbod", "houding"])
        #expect(values["gebruiksvoorbeelden"]?.first?.contains("\n") == true)
    }

    @Test func aChoiceSentTwiceCountsOnce() {
        let yaml = Fixtures.localIndicatorYAML(id: "gm0363_x", changing: ["sferen": ["vrijetijd", "school", "vrijetijd"], "perspectieven": ["aanbod", "aanbod"]])
        let (parsed, problems) = CatalogLoader.parse(yaml: yaml, file: "x.yaml")
        #expect(problems.isEmpty, "\(problems)")
        #expect(parsed.first?.spheres == [.vrijetijd, .school] && parsed.first?.perspectives == [.aanbod])
    }

    @Test func textThatLooksLikeYAMLStaysText() {
        let yaml = Fixtures.localIndicatorYAML(id: "gm0363_x", changing: ["naam": ["ja: - [nee] # geen commentaar"], "leeftijd": ["12"]])
        let (parsed, problems) = CatalogLoader.parse(yaml: yaml, file: "x.yaml")
        #expect(problems.isEmpty, "\(problems)")
        #expect(parsed.first?.name == "ja: - [nee] # geen commentaar")
        #expect(parsed.first?.ageGroup == "12")
    }

    @Test(arguments: TestBackend.available) func theFormIsCheckedByTheCataloguesValidatorWithItsMessages(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let yaml = Fixtures.localIndicatorYAML(id: "gm0363_speeltuinbezoek", changing: [
                "gebruiksvoorbeelden": ["Alleen één voorbeeld"], "rol": [""], "aggregatie": ["som"], "eenheid": ["procent"],
            ])
            let (indicator, problems) = try await store.checkLocalIndicator(yaml: yaml, gemeente: amsterdam, replacing: 0)
            #expect(indicator == nil)
            // The very messages `pbmonitor check` gives for the same entry in a catalogue file.
            let (_, fromFile) = CatalogLoader.parse(yaml: yaml, file: LocalIndicator.origin(of: amsterdam))
            #expect(problems == fromFile)
            let keys = Set(problems.map(\.key))
            #expect(keys.contains("gm0363_speeltuinbezoek.gebruiksvoorbeelden"))
            #expect(keys.contains("gm0363_speeltuinbezoek.rol"))
            #expect(keys.contains("gm0363_speeltuinbezoek.aggregatie"), "a percentage is not summed")
            await #expect(throws: RecordError.self) {
                _ = try await store.saveLocalIndicator(yaml: yaml, gemeente: amsterdam, id: 0, actor: "anna")
            }
            #expect(try await store.localIndicators(gemeente: amsterdam).isEmpty, "nothing half-saved")
        }
    }

    @Test(arguments: TestBackend.available) func anOwnIndicatorHasTheGemeentesPrefixAndAFreeID(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let foreign = try await store.checkLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0014_speeltuin"), gemeente: amsterdam, replacing: 0)
            #expect(foreign.problems.map(\.message).contains { $0.contains("begint met 'gm0363_'") })
            let shipped = try await store.checkLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "inwoners"), gemeente: amsterdam, replacing: 0)
            #expect(!shipped.problems.isEmpty)
            _ = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"), gemeente: amsterdam, id: 0, actor: "anna")
            let twice = try await store.checkLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"), gemeente: amsterdam, replacing: 0)
            #expect(twice.problems.map(\.message).contains("deze id bestaat al; kies een andere naam"))
        }
    }

    @Test(arguments: TestBackend.available) func aConceptJoinsTheCatalogueOnlyWhenPublishedAndLeavesItWhenWithdrawn(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let shipped = store.catalog.indicators.count
            var item = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"), gemeente: amsterdam, id: 0, actor: "anna")
            #expect(item.status == .concept && item.version == 1)
            #expect(store.catalog["gm0363_speeltuin"] == nil, "a concept is not in the catalogue")

            item = try await store.changePublication(LocalIndicator.self, id: item.id, to: .gepubliceerd, actor: "anna")
            let published = try #require(store.catalog["gm0363_speeltuin"])
            #expect(published.owner == amsterdam && !published.sharedWithAll)
            #expect(store.catalog.indicators.count == shipped + 1)

            // A new version of a published indicator: the text may change, the unit may not.
            item = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin", changing: ["naam": ["Speeltuinbezoek"]]),
                                                      gemeente: amsterdam, id: item.id, actor: "anna")
            #expect(item.status == .gepubliceerd && item.version == 3)
            #expect(store.catalog["gm0363_speeltuin"]?.name == "Speeltuinbezoek")
            await #expect(throws: RecordError.self) {
                _ = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin", changing: ["eenheid": ["personen"]]),
                                                       gemeente: amsterdam, id: item.id, actor: "anna")
            }

            item = try await store.changePublication(LocalIndicator.self, id: item.id, to: .ingetrokken, actor: "anna")
            #expect(store.catalog["gm0363_speeltuin"] == nil)
            #expect(try await store.localIndicatorVersions(id: item.id).map(\.version) == [1, 2, 3, 4])
            let audit = try await store.auditLog(limit: 20, offset: 0).entries.map(\.action)
            for action in ["eigen-indicator.toevoegen", "eigen-indicator.publiceren", "eigen-indicator.wijzigen", "eigen-indicator.intrekken"] {
                #expect(audit.contains(action), "\(action) in the audit log")
            }
        }
    }

    @Test(arguments: TestBackend.available) func aSecondAppNodeSeesAPublicationWhenItRefreshes(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, location in
            let other = backend == .sqlite ? try SQLStore.sqlite(path: location.path, catalog: try Fixtures.catalog())
                                           : try SQLStore.open(location.absoluteString, catalog: try Fixtures.catalog())
            do {
                #expect(try await other.refreshCatalog() == true, "the first look loads the table's state")
                let item = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"), gemeente: amsterdam, id: 0, actor: "anna")
                _ = try await store.changePublication(LocalIndicator.self, id: item.id, to: .gepubliceerd, actor: "anna")
                #expect(other.catalog["gm0363_speeltuin"] == nil, "not before it looks")
                #expect(try await other.refreshCatalog() == true)
                #expect(other.catalog["gm0363_speeltuin"]?.owner == amsterdam)
                #expect(try await other.refreshCatalog() == false, "nothing changed since: nothing reloaded")
                _ = try await store.shareLocalIndicator(id: item.id, shared: true, actor: "beheer")
                #expect(try await other.refreshCatalog() == true)
                #expect(other.catalog["gm0363_speeltuin"]?.sharedWithAll == true)
            } catch {
                await other.close()
                throw error
            }
            await other.close()
        }
    }

    @Test(arguments: TestBackend.available) func figuresOfAnOwnIndicatorImportAndAreLeftOutForThoseWhoMayNotSeeIt(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ in
            let item = try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"), gemeente: amsterdam, id: 0, actor: "anna")
            _ = try await store.changePublication(LocalIndicator.self, id: item.id, to: .gepubliceerd, actor: "anna")
            let wijken = try await store.children(of: amsterdam, kind: .wijk).prefix(3).map(\.code)
            let csv = "gebied,periode,gm0363_speeltuin\n" + wijken.enumerated().map { "\($1.rawValue),2025,\(100 + 10 * $0)" }.joined(separator: "\n")
            let batch = try TidyImporter.parse(Data(csv.utf8), file: "speeltuin.csv", catalog: store.catalog.visible(toGemeenten: [amsterdam]), period: nil)
            _ = try await store.importBatch(batch)
            let figures = try await store.observations(ObservationQuery(indicator: "gm0363_speeltuin")).items
            #expect(Set(figures.filter { $0.area.kind == .wijk }.map(\.area)) == Set(wijken))

            // What another gemeente's analist may see leaves the indicator out of every query over all indicators.
            let theirs = store.catalog.visible(toGemeenten: [delfzijl])
            #expect(theirs["gm0363_speeltuin"] == nil)
            #expect(theirs.hidden(comparedWith: store.catalog) == ["gm0363_speeltuin"])
            var query = ObservationQuery(areas: wijken)
            query.excludedIndicators = theirs.hidden(comparedWith: store.catalog)
            #expect(try await store.observations(query).items.allSatisfy { $0.indicator != "gm0363_speeltuin" })
            #expect(try await store.observations(ObservationQuery(areas: wijken)).items.contains { $0.indicator == "gm0363_speeltuin" })
            // A draft of another gemeente reads its own catalogue: the column is unknown there.
            #expect(throws: ImportError.self) {
                _ = try TidyImporter.parse(Data(csv.utf8), file: "speeltuin.csv", catalog: theirs, period: nil)
            }
        }
    }
}
