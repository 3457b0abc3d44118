import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Issue 18, item 4: an analist of Amsterdam defines an indicator in the browser, publishes it, uploads figures for three
/// wijken and sees them on the wijk map and in the API — also on a second app node, without a restart; an analist of
/// another gemeente, and an anonymous visitor, see nothing of it.
@Suite("Eigen indicatoren in de site")
struct LocalIndicatorWebTests {
    static let password = "een-lang-wachtwoord-42"

    @Test func anAnalistDefinesPublishesAndFillsAnIndicatorThatOnlyTheirGemeenteSeesOnEveryNode() async throws {
        try await TestStore.withEmptyStore { store, location in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let hash = try await Passwords(cost: 4).hash(Self.password)
            _ = try await store.addAccount(username: "anna@amsterdam.nl", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!],
                                           passwordHash: hash, actor: "test")
            _ = try await store.addAccount(username: "dirk@delfzijl.nl", displayName: "Dirk", role: .analist, gemeenten: [AreaCode("GM0014")!],
                                           passwordHash: hash, actor: "test")
            // The second node: its own store on the same database, started before anything is defined.
            let other = try SQLStore.sqlite(path: location.path, catalog: try Fixtures.catalog())
            let watcher = Task { try await CatalogWatcher(store: other, logger: Logger(label: "test"), interval: .milliseconds(50)).run() }
            do {
                let first = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
                let second = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: other)
                try await first.test(.router) { client in
                    try await second.test(.router) { secondClient in
                        try await walk(client, secondClient, store: store, other: other)
                    }
                }
            } catch {
                watcher.cancel()
                _ = try? await watcher.value
                await other.close()
                throw error
            }
            watcher.cancel()
            _ = try? await watcher.value
            await other.close()
        }
    }

    func walk(_ client: any TestClientProtocol, _ secondClient: any TestClientProtocol, store: SQLStore, other: SQLStore) async throws {
        var anna = try await Browser.loggedIn(client, as: "anna@amsterdam.nl", password: Self.password)
        let form = try await anna.get(client, "/gemeenten/GM0363/eigen-indicatoren")
        #expect(form.status == .ok)
        #expect(form.text.contains("gm0363_"), "the form shows the gemeente's prefix")
        Self.expectEveryFieldFilled(form.text, "the form")

        // One example too few: the catalogue's own message, beside the field, and what was typed stays.
        var fields = AccountWorld.localIndicatorFields(code: "speeltuin").filter { $0.0 != "gebruiksvoorbeelden" } + [("gebruiksvoorbeelden", "Alleen dit")]
        let refused = try await anna.post(client, "/gemeenten/GM0363/eigen-indicatoren", fields)
        #expect(refused.status == .badRequest)
        #expect(refused.text.contains("verwacht ten minste 2 ingevulde onderdelen, gevonden 1"))
        #expect(refused.text.contains("href=\"#veld-gebruiksvoorbeelden\""), "the summary links to the field")
        #expect(refused.text.contains("Bezoek aan bemande speeltuinen"), "nothing typed is lost")
        Self.expectEveryFieldFilled(refused.text, "the refused form")
        #expect(try await store.localIndicators(gemeente: AreaCode("GM0363")!).isEmpty)

        fields = AccountWorld.localIndicatorFields(code: "speeltuin")
        let saved = try await anna.post(client, "/gemeenten/GM0363/eigen-indicatoren", fields)
        #expect(saved.status == .seeOther)
        let page = try #require(saved.headers[.location])
        #expect(try await anna.get(client, page).text.contains("concept"))
        #expect(try await anna.get(client, "/indicatoren/gm0363_speeltuin").status == .notFound, "a concept is not in the catalogue")

        Self.expectEveryFieldFilled(try await anna.get(client, page).text, "the concept's page")
        let published = try await anna.submit(client, page + "/publiceren")
        #expect(published.status == .ok)
        #expect(published.text.contains("Gepubliceerd"))

        // Figures for three wijken through the existing drafts upload.
        let csv = "gebied,periode,gm0363_speeltuin\nWK0363AA,2025,120\nWK0363AB,2025,85\nWK0363AC,2025,40\n"
        let upload = try await anna.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "speeltuinen.csv", csv))
        #expect(upload.status == .seeOther, "\(upload.text.prefix(600))")
        let draft = try #require(upload.headers[.location])
        #expect(try await anna.post(client, draft, [("actie", "publiceren")]).status == .ok)

        let map = try await anna.get(client, "/kaart/gm0363_speeltuin?niveau=wijk&gemeente=GM0363")
        #expect(map.status == .ok)
        for value in ["120", "85", "40"] { #expect(map.text.contains(">\(value)<"), "\(value) on the wijk map") }
        let api = try await anna.get(client, "/api/v1/indicatoren")
        #expect(api.text.contains("\"gm0363_speeltuin\""))
        #expect(api.text.contains("\"eigen_indicator_van\":\"GM0363\""))
        #expect(try await anna.get(client, "/api/v1/waarden?indicator=gm0363_speeltuin").text.contains("WK0363AB"))

        // The YAML download is a catalogue file `pbmonitor check` reads as it is.
        let yaml = try await anna.get(client, page + "?formaat=yaml")
        #expect(yaml.headers[.contentDisposition]?.contains("gm0363_speeltuin.yaml") == true)
        let (parsed, problems) = CatalogLoader.parse(yaml: yaml.text, file: "gm0363_speeltuin.yaml")
        #expect(problems.isEmpty && parsed.first?.id == "gm0363_speeltuin", "\(problems)")

        // The second node: no restart, its watcher notices within moments.
        for _ in 0..<200 where other.catalog["gm0363_speeltuin"] == nil { try await Task.sleep(for: .milliseconds(50)) }
        var annaThere = try await Browser.loggedIn(secondClient, as: "anna@amsterdam.nl", password: Self.password)
        #expect(try await annaThere.get(secondClient, "/api/v1/indicatoren").text.contains("\"gm0363_speeltuin\""), "on the second node")
        #expect(try await annaThere.get(secondClient, "/kaart/gm0363_speeltuin?niveau=wijk&gemeente=GM0363").text.contains(">85<"))

        // Another gemeente's analist and an anonymous visitor: nothing, on either node, in any list or query.
        var dirk = try await Browser.loggedIn(secondClient, as: "dirk@delfzijl.nl", password: Self.password)
        var anonymous = Browser()
        for (name, client) in [("eerste", client), ("tweede", secondClient)] {
            for path in ["/api/v1/indicatoren", "/indicatoren", "/api/v1/waarden?gebied=WK0363AA", "/api/v1/wijken/WK0363AA", "/wijken/WK0363AA",
                         "/api/v1/lantaarnpaal", "/meetlast", "/api/v1/gemeenten/GM0363/eigen-indicatoren"] {
                #expect(!(try await dirk.get(client, path).text.contains("gm0363_speeltuin")), "Dirk, \(name) node: \(path)")
                #expect(!(try await anonymous.get(client, path).text.contains("gm0363_speeltuin")), "anonymous, \(name) node: \(path)")
            }
            for path in ["/indicatoren/gm0363_speeltuin", "/api/v1/indicatoren/gm0363_speeltuin", "/kaart/gm0363_speeltuin", "/export/gm0363_speeltuin"] {
                #expect(try await dirk.get(client, path).status == .notFound, "Dirk, \(name) node: \(path)")
                #expect(try await anonymous.get(client, path).status == .notFound, "anonymous, \(name) node: \(path)")
            }
            #expect(try await dirk.get(client, page).status == .notFound, "Dirk cannot open Amsterdam's record")
        }
        // Nor can Dirk's gemeente fill it: its drafts read Delfzijl's catalogue.
        let foreign = try await dirk.post(secondClient, "/gemeenten/GM0014/concepten", [],
                                          file: ("bestand", "x.csv", "gebied,periode,gm0363_speeltuin\nGM0014,2025,3\n"))
        #expect(foreign.status == .badRequest)

        // A published effect design on the indicator: the design is public, the figures of the unshared indicator are not.
        let design = try await store.saveIntervention(
            Intervention(gemeente: AreaCode("GM0363")!, name: "Speeltuinwerkers in de wijk", targets: [AreaCode("WK0363AA")!],
                         comparison: [AreaCode("WK0363AB")!, AreaCode("WK0363AC")!], indicators: ["gm0363_speeltuin"], startPeriod: "2026"),
            actor: "anna@amsterdam.nl")
        #expect(design.baseline.count == 3, "the baseline holds the three wijken's figures")
        _ = try await store.changePublication(Intervention.self, id: design.id, to: .gepubliceerd, actor: "anna@amsterdam.nl")
        for path in [SiteRoute.intervention("GM0363", design.id).path, SiteRoute.apiInterventions("GM0363").path] {
            let seen = try await anonymous.get(client, path).text
            #expect(seen.contains("Speeltuinwerkers in de wijk"), "the published design itself: \(path)")
            #expect(!seen.contains("gm0363_speeltuin") && !seen.contains("Bezoek aan bemande speeltuinen"), "anonymous: \(path)")
            #expect(!(try await dirk.get(client, path).text.contains("gm0363_speeltuin")), "Dirk: \(path)")
            #expect(try await anna.get(client, path).text.contains("gm0363_speeltuin") || path.hasPrefix("/gemeenten"), "Anna: \(path)")
        }
        #expect(try await anna.get(client, SiteRoute.intervention("GM0363", design.id).path).text.contains("Bezoek aan bemande speeltuinen"))

        // Anna's wijk page shows the figure, with the other figures of the wijk.
        #expect(try await anna.get(client, "/wijken/WK0363AB").text.contains("Bezoek aan bemande speeltuinen"))
    }

    /// Every label points at a control that exists, and no attribute a template fills is empty (a field the view model lacks).
    static func expectEveryFieldFilled(_ html: String, _ what: String) {
        for attribute in ["id", "for", "name", "href", "action", "aria-describedby", "value=\"\" name"] where html.contains(" \(attribute)=\"\"") {
            Issue.record("\(what): an empty \(attribute)")
        }
        let ids = Set(html.matches(of: /id="([^"]+)"/).map { String($0.1) })
        for match in html.matches(of: /<label for="([^"]+)"/) where !ids.contains(String(match.1)) {
            Issue.record("\(what): label for '\(match.1)' has no control")
        }
        for match in html.matches(of: /aria-describedby="([^"]+)"/) {
            for id in match.1.split(separator: " ") where !ids.contains(String(id)) { Issue.record("\(what): aria-describedby names '\(id)', which is not there") }
        }
        for match in html.matches(of: /href="#([^"]+)"/) where !ids.contains(String(match.1)) {
            Issue.record("\(what): link to #\(match.1), which is not there")
        }
        #expect(!html.contains("{{"), "\(what): no template left")
    }
}
