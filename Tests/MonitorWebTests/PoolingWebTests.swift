import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Samenvoegen per soort interventie")
struct PoolingWebTests {
    /// Five designs (three in Amsterdam, two in Groningen), each with two target wijken that gain `effect` points from 2032 on
    /// and three comparison wijken that follow the same trend without it.
    static let designs: [(gemeente: String, targets: [String], comparison: [String], effect: Double)] = [
        ("GM0363", ["WK0363AA", "WK0363AB"], ["WK0363AC", "WK0363AD", "WK0363AE"], 3),
        ("GM0363", ["WK0363EA", "WK0363EB"], ["WK0363EC", "WK0363ED", "WK0363EE"], 1),
        ("GM0363", ["WK0363FA", "WK0363FB"], ["WK0363FC", "WK0363FD", "WK0363FE"], 4.5),
        ("GM0014", ["WK001400", "WK001401"], ["WK001402", "WK001403", "WK001404"], 2),
        ("GM0014", ["WK001405", "WK001406"], ["WK001407", "WK001408", "WK001409"], -0.5),
    ]

    static var series: String {
        var lines = ["indicator,gebied,periode,waarde,n"]
        for (d, design) in designs.enumerated() {
            for (i, wijk) in (design.targets + design.comparison).enumerated() {
                for (t, period) in ["2030", "2031", "2032", "2033"].enumerated() {
                    // Noise of a different size per design, so the designs weigh differently.
                    let noise = (Double((i * 7 + t * 3 + d * 5) % 5) * 0.2 - 0.4) * (0.5 + 0.4 * Double(d))
                    let value = 10 + Double(i) + 0.5 * Double(t) + (i < 2 && t >= 2 ? design.effect : 0) + noise
                    lines.append("kindmonitor_speelt_buiten,\(wijk),\(period),\(String(format: "%.2f", value)),200")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: TestBackend.available)
    func fiveSharedDesignsOfOneTypeArePooledWithAForestPlotAndTheCautionAndOneIsNot(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            _ = try await store.importBatch(try TidyImporter.parse(Data(Self.series.utf8), file: "reeks.csv", catalog: store.catalog, period: nil))
            let group = try await store.saveKopgroep(Kopgroep(name: "Buurtgezinnen-kopgroep", purpose: "", members: [AreaCode("GM0363")!, AreaCode("GM0014")!]),
                                                     actor: "beheer")
            var saved: [Int] = []
            for (d, design) in Self.designs.enumerated() {
                let gemeente = AreaCode(design.gemeente)!
                let item = try await store.saveIntervention(
                    Intervention(gemeente: gemeente, name: "Buurtgezinnen \(d + 1)", targets: design.targets.map { AreaCode($0)! },
                                 comparison: design.comparison.map { AreaCode($0)! }, indicators: ["kindmonitor_speelt_buiten"], startPeriod: "2032",
                                 typeID: "buurtgezinnen"), actor: "analist")
                _ = try await store.changePublication(Intervention.self, id: item.id, to: .gepubliceerd, actor: "analist")
                saved.append(item.id)
            }
            let ids = saved
            // A published design of the type that is not shared does not count.
            let unshared = try await store.saveIntervention(
                Intervention(gemeente: AreaCode("GM0363")!, name: "Niet gedeeld", targets: [AreaCode("WK0363KA")!], comparison: [AreaCode("WK0363KB")!],
                             indicators: ["kindmonitor_speelt_buiten"], startPeriod: "2032", typeID: "buurtgezinnen"), actor: "analist")
            _ = try await store.changePublication(Intervention.self, id: unshared.id, to: .gepubliceerd, actor: "analist")

            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var visitor = Browser()
                // One shared design: the page says pooling is not possible, and shows that one estimate.
                _ = try await store.share(kind: .interventie, recordID: ids[0], gemeente: AreaCode("GM0363")!, groupID: group.id, actor: "analist")
                let one = try await visitor.get(client, "/interventietypen/buurtgezinnen")
                #expect(one.status == .ok && one.text.contains("samenvoegen kan pas vanaf twee opzetten"))
                #expect(!one.text.contains("class=\"forest-plot\"") && one.text.contains("Buurtgezinnen 1"))

                for (d, id) in ids.enumerated().dropFirst() {
                    _ = try await store.share(kind: .interventie, recordID: id, gemeente: AreaCode(Self.designs[d].gemeente)!, groupID: group.id, actor: "analist")
                }
                // The expected result: the same designs' estimates through the meta-analysis that the reference test checks.
                var studies: [RandomEffectsMetaAnalysis.Study] = []
                for id in ids {
                    let item = try #require(try await store.intervention(id: id))
                    let estimate = try #require(item.estimates(current: try await store.interventionFigures(item)).first?.estimate)
                    studies.append(.init(label: item.name, estimate: estimate.estimate, standardError: estimate.standardError))
                }
                let expected = try RandomEffectsMetaAnalysis.pool(studies, method: .reml)
                // The same designs are the "gedeelde-opzetten" case of the reference file that statsmodels and scipy made: equal to 1e-6.
                let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/meta-analysis/reference.json")
                let reference = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])?["gedeelde-opzetten"] as? [String: Any])
                let inputs = try #require(reference["estimates"] as? [Double]), errors = try #require(reference["standardErrors"] as? [Double])
                #expect(zip(studies, zip(inputs, errors)).allSatisfy { abs($0.estimate - $1.0) < 1e-9 && abs($0.standardError - $1.1) < 1e-9 },
                        "the reference case is these five designs: \(studies.map { ($0.estimate, $0.standardError) })")
                let reml = try #require(reference["reml"] as? [String: Any])
                for (name, value) in [("estimate", expected.estimate), ("lower", expected.lower), ("upper", expected.upper), ("tau2", expected.tau2)] {
                    let wanted = reml[name] as? Double ?? .nan
                    #expect(abs(value - wanted) <= 1e-6, "pooled \(name): \(value) against \(wanted)")
                }
                let page = try await visitor.get(client, "/interventietypen/buurtgezinnen")
                let diff = { (v: Double) in DutchNumber.difference(v, unit: .procent, decimals: 2) }
                #expect(page.text.contains("samen <strong>\(diff(expected.estimate))</strong>"), "\(diff(expected.estimate))")
                #expect(page.text.contains("95%-interval \(diff(expected.lower)) tot \(diff(expected.upper))"))
                #expect(page.text.contains("τ² = \(DutchNumber.format(expected.tau2, decimals: 4))"))
                #expect(page.text.contains("class=\"forest-plot\"") && page.text.contains("<polygon"))
                #expect(page.text.matches(of: /<rect [^>]*class="estimate"/).count == 5)
                #expect(page.text.contains("Voorzichtig:") && page.text.contains("niet meer over oorzaak en gevolg"))
                #expect(!page.text.contains("Niet gedeeld"), "an unshared design is not pooled")
                // The estimates pool around the effects put in (3, 1, 4.5, 2, −0.5: mean 2).
                #expect(abs(expected.estimate - 2) < 1.5, "\(expected.estimate)")

                let dl = try await visitor.get(client, "/interventietypen/buurtgezinnen?methode=dl")
                let expectedDL = try RandomEffectsMetaAnalysis.pool(studies, method: .dl)
                #expect(dl.text.contains("samen <strong>\(diff(expectedDL.estimate))</strong>") && dl.text.contains("DerSimonian"))
                #expect(try await visitor.get(client, "/interventietypen/buurtgezinnen?methode=bayes").status == .badRequest)
                #expect(try await visitor.get(client, "/interventietypen/buurtgezinnen?indicator=bestaat_niet").status == .badRequest)
                #expect(try await visitor.get(client, "/interventietypen/bestaat-niet").status == .notFound)

                // The same five on the goede voorbeelden, with a study of the evaluatiebank about Buurtgezinnen.
                let study = try await store.submitStudy(EvaluationStudy(title: "Buurtgezinnen: een effectevaluatie", organisation: "Verwey-Jonker Instituut",
                                                                        year: 2024, intervention: "Buurtgezinnen", design: .quasiExperimenteel,
                                                                        summary: "Steungezinnen ontlasten ouders."), file: nil, actor: "analist")
                _ = try await store.reviewStudy(id: study.id, approve: true, reason: "", actor: "beheer")
                let examples = try await visitor.get(client, "/goede-voorbeelden")
                #expect(examples.status == .ok && examples.text.contains("5 voorbeelden") && !examples.text.contains("Niet gedeeld"))
                #expect(examples.text.contains("Buurtgezinnen: een effectevaluatie") && examples.text.contains("/evaluaties/\(study.id)"))
                #expect(examples.text.contains("Zelfstandige vrije tijd") || examples.text.contains("Vrije tijd"), "the sphere of the indicator")
                #expect(try await visitor.get(client, "/goede-voorbeelden?q=Groningen").text.contains("2 voorbeelden van 5"))
                #expect(try await visitor.get(client, "/goede-voorbeelden?q=buurtgezin+amsterdam").text.contains("3 voorbeelden van 5"), "stemmed, every word")
                #expect(try await visitor.get(client, "/goede-voorbeelden?sfeer=vrijetijd&perspectief=aanbod").text.contains("5 voorbeelden van 5"))
                #expect(try await visitor.get(client, "/goede-voorbeelden?sfeer=school").text.contains("0 voorbeelden van 5"))
                #expect(try await visitor.get(client, "/goede-voorbeelden?soort=oko").text.contains("0 voorbeelden van 5"))
                #expect(try await visitor.get(client, "/goede-voorbeelden?sfeer=maan").status == .badRequest)

                let list = try await visitor.get(client, "/interventietypen")
                #expect(list.text.contains("Buurtgezinnen") && list.text.contains("5 gedeelde opzetten") && list.text.contains("Kantinemoeders"))
                #expect(!list.text.contains("Soort toevoegen"), "a visitor cannot add a type")
            }
        }
    }

    @Test func anAnalistAddsATypeAndOnlyABeheerderRenamesIt() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/interventietypen")
            let added = try await analist.post(client, "/interventietypen", [("naam", "Sportmaatje in de wijk"), ("beschrijving", "Een maatje om mee te sporten.")])
            #expect(added.status == .seeOther && added.headers[.location] == "/interventietypen/sportmaatje-in-de-wijk")
            let twice = try await analist.post(client, "/interventietypen", [("naam", "Sportmaatje in de wijk!"), ("beschrijving", "")])
            #expect(twice.status == .badRequest && twice.text.contains(#"id="naam-fout""#) && twice.text.contains("Er is al een type met deze naam"))
            let empty = try await analist.post(client, "/interventietypen", [("naam", "  "), ("beschrijving", "")])
            #expect(empty.status == .badRequest && empty.text.contains("Geef het type een naam."))
            #expect(try await analist.post(client, "/interventietypen/sportmaatje-in-de-wijk/wijzigen", [("naam", "Anders"), ("beschrijving", "")]).status == .forbidden)
            var beheerder = try await Browser.loggedIn(client, as: world.beheerder.username)
            try await beheerder.get(client, "/interventietypen/sportmaatje-in-de-wijk")
            #expect(try await beheerder.submit(client, "/interventietypen/sportmaatje-in-de-wijk/wijzigen", [("naam", "Sportmaatje"), ("beschrijving", "Samen sporten.")])
                .text.contains("<h1>Sportmaatje</h1>"))
            #expect(try await world.store.auditLog(limit: 100, offset: 0).entries.contains { $0.action == "interventietype.wijzigen" })
        }
    }
}
