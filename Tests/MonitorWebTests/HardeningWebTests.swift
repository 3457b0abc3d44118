import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Issue 17: nothing a visitor types or a stored number holds may stop the server. A trap (an integer overflow, an
/// `Int(Double)` of 9.22·10¹⁸) kills the whole test process, so every test here fails loudly if one is left.
@Suite("Harden: geen invoer laat de server vallen")
struct HardeningWebTests {
    static let extremes = ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e308", "-1", "0", "NaN", "%00", "x"]

    /// Every route of the route table, with every placeholder and query parameter set to extreme values.
    static func hostilePaths() -> [String] {
        let query = ["pagina", "limit", "offset", "versie", "klassen", "k", "periode", "peildatum", "jaar", "stap"]
        var paths: [String] = []
        for pattern in SiteRoute.Pattern.allCases {
            for value in extremes {
                let path = pattern.rawValue.replacingOccurrences(of: "{code}", with: "GM0363").replacingOccurrences(of: "{id}", with: value)
                    .replacingOccurrences(of: "{indicator}", with: "inwoners").replacingOccurrences(of: "{token}", with: value)
                let parameters = query.map { "\($0)=\(value)" } + ["gebied=GM0363", "indicator=inwoners", "niveau=wijk", "gemeente=GM0363", "q=opvoeden",
                                                                   "term=opvoeden", "versies=alle"]
                paths.append(path + "?" + parameters.joined(separator: "&"))
            }
        }
        return paths
    }

    @Test func everyRouteAnswersExtremeParametersWithoutAServerError() async throws {
        let store = try await TestStore.shared()
        let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
        try await app.test(.router) { client in
            var failures: [String] = []
            for path in Self.hostilePaths() {
                let response = try await client.execute(uri: path, method: .get)
                if response.status.code >= 500 && response.status != .serviceUnavailable { failures.append("\(response.status.code) \(path)") }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
            #expect(try await client.execute(uri: "/-/health", method: .get).status == .ok)
        }
    }

    /// A figure that cannot be shown (stored before the checks, or by another tool) shows as "ongeldige waarde"
    /// everywhere, and a beheerder withdraws it from the versions page; the audit page cannot be overflowed.
    @Test func aStoredImpossibleValueShowsAsInvalidAndABeheerderWithdrawsIt() async throws {
        try await TestStore.withLoadedStore { store, _ in
            _ = try await store.addAccount(username: "beheer", displayName: "Bea", role: .beheerder, gemeenten: [],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            // Past the importer's checks, straight into the store: as a figure written by an older version could be.
            let wijk = AreaCode("WK0363AA")!
            let batch = ImportBatch(file: "oud.csv", sha256: String(repeating: "a", count: 64), format: "lang", rowCount: 3, observations: [
                .value(1e19, indicator: "gestandaardiseerd_inkomen_hh", area: wijk, period: "2023", origin: .geladen),
                .value(9.3e18, indicator: "afstand_huisartsenpraktijk_km", area: wijk, period: "2023", origin: .geladen),
                .value(-1e300, indicator: "gem_woz_waarde", area: wijk, period: "2023", origin: .geladen),
            ], unmappedColumns: [], areaPositions: [wijk: (line: 2, column: "gebied")])
            _ = try await store.importBatch(batch)
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                for path in ["/wijken/WK0363AA", "/gemeenten/GM0363", "/indicatoren/gestandaardiseerd_inkomen_hh",
                             "/kaart/gestandaardiseerd_inkomen_hh?niveau=wijk&gemeente=GM0363", "/kaart/afstand_huisartsenpraktijk_km?niveau=wijk&gemeente=GM0363",
                             "/kaart/gem_woz_waarde.svg?niveau=wijk&gemeente=GM0363", "/indicatoren/afstand_huisartsenpraktijk_km",
                             "/export/gestandaardiseerd_inkomen_hh?niveau=wijk&gemeente=GM0363&formaat=excel",
                             "/indicatoren/gestandaardiseerd_inkomen_hh/versies?gebied=WK0363AA&periode=2023",
                             "/api/v1/wijken/WK0363AA", "/gemeenten/GM0363/rapport", "/jeugdzorg/verwacht"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .ok, "\(path): \(response.status.code)")
                }
                let profile = try await client.execute(uri: "/wijken/WK0363AA", method: .get)
                let html = String(buffer: profile.body)
                #expect(html.contains("ongeldige waarde"), "\(html.components(separatedBy: "inkomen").dropFirst().first?.prefix(600) ?? "")")
                #expect(html.components(separatedBy: "ongeldige waarde").count >= 4, "three impossible figures, each marked")

                var beheerder = try await Visitor.loggedIn(client, as: "beheer", password: "een-goed-wachtwoord")
                #expect(try await beheerder.get(client, "/beheer/audit?pagina=9223372036854775807").status == .ok)
                let versions = "/indicatoren/gestandaardiseerd_inkomen_hh/versies?gebied=WK0363AA&periode=2023"
                #expect(try await beheerder.get(client, versions).text.contains("Huidige versie intrekken"))
                let withdrawn = try await beheerder.post(client, SiteRoute.versions("gestandaardiseerd_inkomen_hh").path,
                                                         [("gebied", "WK0363AA"), ("periode", "2023"), ("reden", "oneindig: kan niet kloppen")])
                #expect(withdrawn.status == .seeOther)
                let current = try await store.observations(ObservationQuery(indicator: "gestandaardiseerd_inkomen_hh", areas: [wijk], period: "2023")).items
                #expect(current.count == 1 && current[0].value == nil && current[0].version == 3, "CBS, the impossible value, the withdrawal")
                let log = try await store.auditLog(limit: 1, offset: 0).entries
                #expect(log.first?.after?.contains("intrekking") == true || log.first?.action == "import")
            }
        }
    }

    @Test func formsRefuseImpossibleNumbersWithADutchMessage() async throws {
        // The usage form's count and the MKBA's amounts have a stated bound; beyond it the form says so.
        #expect(throws: ImportProblems.self) {
            _ = try UsageImporter.usage(fields: ["voorziening": "1", "periode": "2024", "methode": "deurtelling", "bezoeken": "9223372036854775807"],
                                        gemeente: AreaCode("GM0363")!,
                                        facilities: [Facility(id: 1, gemeente: AreaCode("GM0363")!, name: "Speeltuin", kind: .speeltuin, area: AreaCode("WK0363AA")!)])
        }
        let analysis = CostBenefitAnalysis(items: [.init(stakeholder: .gemeente, kind: .kosten, description: "x", year: 1, low: nil, base: 1e19, high: nil,
                                                         youthCareSaving: false)], discountRate: 0.02)
        #expect(analysis.problems().contains { $0.contains("ten hoogste € 1 miljard") })
    }

    /// Finding 6: a return path with a tab or other control character (which browsers drop, making "//evil.example") is refused.
    @Test(arguments: ["/\t/evil.example", "/%09/evil.example".removingPercentEncoding!, "//evil.example", "/\\evil.example", "https://evil.example",
                      "/\n/evil.example", "/\u{200B}/evil.example"])
    func loginNeverRedirectsOffSite(_ returnTo: String) async throws {
        try await AccountWorld.with { client, world in
            var visitor = Visitor()
            try await visitor.get(client, "/inloggen")
            let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", world.analist.username), ("wachtwoord", AccountWorld.password),
                                                                        ("terug", returnTo)])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
        }
    }

    /// Finding 7: failures on made-up names never slow a real account down, and a locked name waits a minute at most.
    @Test func madeUpNamesNeverBlockARealAccount() async throws {
        try await AccountWorld.with { client, world in
            var attacker = Visitor()
            try await attacker.get(client, "/inloggen")
            for index in 0..<12 {
                _ = try await attacker.post(client, "/inloggen", [("gebruikersnaam", "verzonnen\(index)@example.nl"), ("wachtwoord", "fout")])
            }
            _ = try await Visitor.loggedIn(client, as: world.beheerder.username)
            let blocked = try await attacker.post(client, "/inloggen", [("gebruikersnaam", "verzonnen0@example.nl"), ("wachtwoord", "fout")])
            #expect(blocked.status == .unauthorized, "one failure on a name is no reason to wait")
        }
    }

    /// Finding 4: an anonymous post is refused before its body is read, and a body over the limit gets 413 in Dutch.
    @Test func bodiesAreLimitedBeforeTheyAreRead() async throws {
        try await AccountWorld.with { client, world in
            var anonymous = Visitor()
            try await anonymous.get(client, "/inloggen")
            let big = String(repeating: "a", count: 200_000)
            let tooBig = try await anonymous.post(client, "/inloggen", [("gebruikersnaam", big), ("wachtwoord", "x")])
            #expect(tooBig.status == .contentTooLarge && tooBig.text.contains("te groot"))
            let elsewhere = try await anonymous.post(client, "/gemeenten/GM0363/concepten", [("x", big)])
            #expect(elsewhere.status == .forbidden)
            var analist = try await Visitor.loggedIn(client, as: world.analist.username)
            let hugeUpload = try await analist.post(client, "/gemeenten/GM0363/concepten", [],
                                                    file: ("bestand", "groot.csv", String(repeating: "x", count: 21 << 20)))
            #expect(hugeUpload.status == .contentTooLarge && hugeUpload.text.contains("ten hoogste 20 MB"))
        }
    }

    /// Finding 9: user text in the Markdown report is inert (a Markdown viewer passes raw HTML through).
    @Test func theMarkdownReportEscapesUserText() {
        let text = ReportPage.markdownText("<img src=x onerror=alert(1)> [klik](javascript:alert(1)) *vet* | cel\nregel")
        #expect(!text.contains("<img") && text.contains("&lt;img"))
        #expect(text.contains("\\[klik\\]") && text.contains("\\*vet\\*") && text.contains("\\|"))
        #expect(!text.contains("\n"))
    }

    /// Finding 9: a concept of another gemeente answers exactly as an id that does not exist.
    @Test func aConceptOfAnotherGemeenteIsIndistinguishableFromNothing() async throws {
        try await AccountWorld.with { client, world in
            let hash = try await Passwords(cost: 4).hash(AccountWorld.password)
            _ = try await world.store.addAccount(username: "g@groningen.nl", displayName: "G", role: .analist, gemeenten: [AreaCode("GM0014")!],
                                                 passwordHash: hash, actor: "test")
            var other = try await Visitor.loggedIn(client, as: "g@groningen.nl")
            let existing = try await other.get(client, SiteRoute.intervention("GM0363", world.amsterdamIntervention.id).path)
            let missing = try await other.get(client, SiteRoute.intervention("GM0363", 987_654).path)
            #expect(existing.status == .notFound && missing.status == .notFound)
            var anonymous = Visitor()
            let a = try await anonymous.get(client, SiteRoute.network("GM0363", world.amsterdamNetwork.id).path)
            let b = try await anonymous.get(client, SiteRoute.network("GM0363", 987_654).path)
            #expect(a.status == b.status && a.status == .seeOther)
        }
    }

    /// Finding 8: heavy work runs a few at a time; beyond the queue the answer is 429 at once.
    @Test func heavyWorkIsLimitedAndTheRestIsTurnedAway() async {
        let limiter = HeavyWorkLimiter(slots: 1, queueLength: 0)
        #expect(await limiter.enter())
        #expect(await !limiter.enter(), "the only slot is taken and there is no queue")
        await limiter.leave()
        #expect(await limiter.enter())
    }

    /// Finding 9: links in invitations use the configured public address, never the request's Host header.
    @Test func invitationLinksUseThePublicURL() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Visitor.loggedIn(client, as: world.analist.username)
            let url = SiteRoute.questionnaire("GM0363", world.amsterdamRound.questionnaireID).path
            try await analist.get(client, url)
            let opened = try await analist.post(client, url, [("actie", "ronde-openen"), ("naam", "Scholen"), ("gebied", "GM0363"), ("periode", "2026"),
                                                              ("uitnodigingen", "2")])
            #expect(opened.text.contains("http://127.0.0.1:8080/vragenlijst/"))
        }
    }

    /// Finding 5: a beheerder removes a council document (audited), and it is gone from the analysis and the search.
    @Test func aBeheerderRemovesACouncilDocument() async throws {
        try await AccountWorld.with { client, world in
            var beheerder = try await Visitor.loggedIn(client, as: world.beheerder.username)
            try await beheerder.get(client, "/documenten")
            let added = try await beheerder.post(client, "/documenten", [("gemeente", "GM0363"), ("datum", "2025-03-01"), ("soort", "motie"), ("titel", "Motie speeltuinen")],
                                                 file: ("bestand", "motie.txt", "De raad wil de pedagogische basis versterken met speeltuinen in elke wijk."))
            #expect(added.status == .ok && added.text.contains("is toegevoegd"))
            let search = try await world.store.search(SearchQuery("speeltuinen"), in: .document, limit: 10, offset: 0)
            let id = try #require(search.hits.first?.ref)
            var analist = try await Visitor.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/documenten")
            let refused = try await analist.post(client, "/documenten", [("actie", "verwijderen"), ("document", String(id))])
            #expect(refused.status == .forbidden, "only a beheerder removes")
            let removed = try await beheerder.post(client, "/documenten", [("actie", "verwijderen"), ("document", String(id))])
            #expect(removed.status == .ok && removed.text.contains("verwijderd"))
            #expect(try await world.store.search(SearchQuery("speeltuinen"), in: .document, limit: 10, offset: 0).hits.isEmpty)
            #expect(try await world.store.auditLog(limit: 1, offset: 0).entries.first?.action == "document.verwijderen")
        }
    }
}
