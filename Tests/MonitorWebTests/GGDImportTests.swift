import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Issue 18, item 7: the Gezondheidsmonitor Jeugd comes in as a GGD delivers it, mapped by a table a beheerder edits.
@Suite("GGD-export importeren")
struct GGDImportTests {
    static var fixture: URL { Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/ggd/gezondheidsmonitor-jeugd-2023.csv") }

    @Test func anExportReadsPercentagesIntervalsRespondentsAndMarkers() throws {
        let catalog = try Fixtures.catalog()
        let data = try Data(contentsOf: Self.fixture)
        let batch = try Importer.parse(data, file: "gmj.csv", catalog: catalog, period: nil)  // detected by its header
        #expect(batch.format == "ggd" && batch.observations.count == 9)
        let alkmaar = try #require(batch.observations.first { $0.indicator == "gmj_gelukkig" && $0.area == AreaCode("GM0361") })
        #expect(alkmaar.value == 83.1 && alkmaar.n == 1410 && alkmaar.confidenceInterval == ConfidenceInterval(lower: 81.2, upper: 85.0))
        let tooFew = try #require(batch.observations.first { $0.area == AreaCode("WK036101") })
        #expect(tooFew.status == .geheim && tooFew.value == nil && tooFew.n == 38)
        #expect(batch.observations.contains { $0.indicator == "gmj_schoolklimaat" && $0.value == 71.5 })
        #expect(batch.observations.contains { $0.indicator == "gmj_lid_club" && $0.value == 66.0 })
    }

    @Test func aBadRowStopsTheFileWithItsLineColumnAndWhatWasExpected() throws {
        let catalog = try Fixtures.catalog()
        let header = "Regiocode;Indicator;Jaar;Percentage;Ondergrens;Bovengrens;Aantal\n"
        func error(_ rows: String) throws -> ImportError {
            do {
                _ = try GGDImporter.parse(Data((header + rows).utf8), file: "ggd.csv", catalog: catalog, mapping: GGDImporter.defaultMapping(catalog))
            } catch { return error }
            Issue.record("accepted: \(rows)")
            return ImportError(file: "", expected: "")
        }
        let unknown = try error("GM0361;Voelt zich gelukkig;2023;83,1;81,2;85,0;1410\nGM0361;Lekker in je vel;2023;70,1;;;1410\n")
        #expect(unknown.line == 3 && unknown.column == "Indicator" && unknown.found == "Lekker in je vel" && unknown.expected.contains("/beheer/ggd-koppeling"))
        let percent = try error("GM0361;Gepest;2023;140,0;;;1410\n")
        #expect(percent.line == 2 && percent.column == "Percentage" && percent.expected.contains("0 tot en met 100"))
        let interval = try error("GM0361;Gepest;2023;14,8;16,0;18,0;1410\n")
        #expect(interval.line == 2 && interval.column == "Ondergrens")
        let area = try error("Alkmaar;Gepest;2023;14,8;;;1410\n")
        #expect(area.line == 2 && area.column == "Regiocode" && area.found == "Alkmaar")
        let twice = try error("GM0361;Gepest;2023;14,8;;;1410\nGM0361;gepest;2023;14,9;;;1410\n")
        #expect(twice.line == 3 && twice.expected.contains("regel 2"))
        do {
            _ = try GGDImporter.parse(Data("Gebied;Onderwerp;Waarde\nGM0361;Gepest;14\n".utf8), file: "ggd.csv", catalog: catalog, mapping: [:])
            Issue.record("a file without a year was accepted")
        } catch {
            #expect(error.line == 1 && error.expected.contains("Jaar"))
        }
    }

    /// A beheerder maps a name the GGD uses; an analist may not; the import then lands, small groups stay hidden,
    /// and the figures appear on the profile and light the gemeente's lantaarnpaal.
    @Test(arguments: TestBackend.available)
    func aBeheerderMapsASubjectAndTheImportFeedsTheProfile(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: ["GM0361"])) { _ in }
            let hash = try await Passwords(cost: 4).hash(AccountWorld.password)
            _ = try await store.addAccount(username: "beheer@ggd.nl", displayName: "B", role: .beheerder, gemeenten: [], passwordHash: hash, actor: "test")
            _ = try await store.addAccount(username: "analist@alkmaar.nl", displayName: "A", role: .analist, gemeenten: [AreaCode("GM0361")!],
                                           passwordHash: hash, actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var analist = try await Browser.loggedIn(client, as: "analist@alkmaar.nl")
                #expect(try await analist.get(client, "/beheer/ggd-koppeling").status == .forbidden)
                var beheerder = try await Browser.loggedIn(client, as: "beheer@ggd.nl")
                let page = try await beheerder.get(client, "/beheer/ggd-koppeling")
                #expect(page.status == .ok && page.text.contains("Voelt zich gelukkig"))
                let refused = try await beheerder.post(client, "/beheer/ggd-koppeling", [("actie", "opslaan"), ("onderwerp", "Lekker in je vel"), ("indicator", "inwoners")])
                #expect(refused.status == .badRequest && refused.text.contains("geen percentage"))
                #expect(refused.text.contains(#"aria-invalid="true" aria-describedby="indicator-fout""#) && refused.text.contains(#"value="Lekker in je vel""#),
                        "the problem at the indicator, the subject as typed")
                let saved = try await beheerder.post(client, "/beheer/ggd-koppeling", [("actie", "opslaan"), ("onderwerp", "Lekker  in je VEL"), ("indicator", "gmj_gelukkig")])
                #expect(saved.status == .ok && saved.text.contains("lekker in je vel"))
                #expect(try await store.auditLog(limit: 1, offset: 0).entries.first?.action == "ggd-koppeling.vastleggen")

                let csv = try String(contentsOf: Self.fixture, encoding: .utf8) + "WK036103;Overdie;Lekker in je vel;2023;77,7;70,2;85,2;150\n"
                let batch = try Importer.parse(Data(csv.utf8), file: "gmj.csv", catalog: store.catalog, period: nil, ggdMapping: try await store.ggdMapping())
                _ = try await store.importBatch(batch)

                let profile = try await client.execute(uri: "/gemeenten/GM0361", method: .get).text
                let row = try #require(profile.range(of: "Voelt zich gelukkig (%)</a></th>").map { String(profile[$0.upperBound...].prefix(600)) })
                #expect(row.contains("83,1"), "Alkmaar's own figure, not the region's")
                let values = try await client.execute(uri: "/api/v1/waarden?indicator=gmj_veilig_buurt&gebied=GM0361", method: .get)
                    .decode(ListBody<ValueDTO>.self).items.map(\.observation)
                #expect(values.first?.status == .geheim && values.first?.value == nil && values.first?.numerator == nil, "8 respondents stay hidden")
                let wijk = try await client.execute(uri: "/api/v1/waarden?indicator=gmj_gelukkig&gebied=WK036103", method: .get)
                    .decode(ListBody<ValueDTO>.self).items.map(\.observation)
                #expect(wijk.first?.value == 77.7, "the beheerder's name was used")
                let lamppost = try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=GM0361", method: .get)
                    .decode(LamppostController.LamppostBody.self)
                #expect(lamppost.cellen.contains { $0.per_bereik?["eigen"]?.contains("gmj_gelukkig") == true })
                let removed = try await beheerder.post(client, "/beheer/ggd-koppeling", [("actie", "verwijderen"), ("onderwerp", "lekker in je vel")])
                let rows = try await store.ggdMappingRows()
                #expect(removed.status == .ok && !rows.contains { $0.subject == "lekker in je vel" })
                _ = analist
            }
        }
    }
}
