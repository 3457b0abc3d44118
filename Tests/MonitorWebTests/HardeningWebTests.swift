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

                var beheerder = try await Browser.loggedIn(client, as: "beheer", password: "een-goed-wachtwoord")
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
            var visitor = Browser()
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
            var attacker = Browser()
            try await attacker.get(client, "/inloggen")
            for index in 0..<12 {
                _ = try await attacker.post(client, "/inloggen", [("gebruikersnaam", "verzonnen\(index)@example.nl"), ("wachtwoord", "fout")])
            }
            _ = try await Browser.loggedIn(client, as: world.beheerder.username)
            let blocked = try await attacker.post(client, "/inloggen", [("gebruikersnaam", "verzonnen0@example.nl"), ("wachtwoord", "fout")])
            #expect(blocked.status == .unauthorized, "one failure on a name is no reason to wait")
        }
    }

    /// Finding 4: an anonymous post is refused before its body is read, and a body over the limit gets 413 in Dutch.
    @Test func bodiesAreLimitedBeforeTheyAreRead() async throws {
        try await AccountWorld.with { client, world in
            var anonymous = Browser()
            try await anonymous.get(client, "/inloggen")
            let big = String(repeating: "a", count: 200_000)
            let tooBig = try await anonymous.post(client, "/inloggen", [("gebruikersnaam", big), ("wachtwoord", "x")])
            #expect(tooBig.status == .contentTooLarge && tooBig.text.contains("te groot"))
            let elsewhere = try await anonymous.post(client, "/gemeenten/GM0363/concepten", [("x", big)])
            #expect(elsewhere.status == .forbidden)
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let hugeUpload = try await analist.post(client, "/gemeenten/GM0363/concepten", [],
                                                    file: ("bestand", "groot.csv", String(repeating: "x", count: 21 << 20)))
            #expect(hugeUpload.status == .contentTooLarge && hugeUpload.text.contains("ten hoogste 20 MB"))
        }
    }

    /// A body that says it is multipart but is not (a cut-off or hand-made request) gets a 400 in Dutch, not a CSRF 403
    /// or a half-read form; the concepts stay as they were.
    @Test func aGarbledUploadIsRefusedAsUnreadable() async throws {
        try await AccountWorld.with { client, world in
            let analist = try await Browser.loggedIn(client, as: world.analist.username)
            let before = try await world.store.drafts(gemeente: AreaCode("GM0363")!).count
            var headers = analist.cookieHeader
            headers[.contentType] = "multipart/form-data; boundary=grens"
            let body = "--grens\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(analist.csrf)\r\n--grens\r\nkop zonder dubbele punt\r\n\r\nx\r\n--grens--\r\n"
            let response = try await client.execute(uri: "/gemeenten/GM0363/concepten", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest && response.text.contains("geen geldig multipart/form-data-bericht"), "\(response.status)")
            #expect(try await world.store.drafts(gemeente: AreaCode("GM0363")!).count == before)
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
            var other = try await Browser.loggedIn(client, as: "g@groningen.nl")
            let existing = try await other.get(client, SiteRoute.intervention("GM0363", world.amsterdamIntervention.id).path)
            let missing = try await other.get(client, SiteRoute.intervention("GM0363", 987_654).path)
            #expect(existing.status == .notFound && missing.status == .notFound)
            var anonymous = Browser()
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
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
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
            var beheerder = try await Browser.loggedIn(client, as: world.beheerder.username)
            try await beheerder.get(client, "/documenten")
            let added = try await beheerder.post(client, "/documenten", [("gemeente", "GM0363"), ("datum", "2025-03-01"), ("soort", "motie"), ("titel", "Motie speeltuinen")],
                                                 file: ("bestand", "motie.txt", "De raad wil de pedagogische basis versterken met speeltuinen in elke wijk."))
            #expect(added.status == .ok && added.text.contains("is toegevoegd"))
            let search = try await world.store.search(SearchQuery("speeltuinen"), in: .document, limit: 10, offset: 0)
            let id = try #require(search.hits.first?.ref)
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
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

/// Issue 17, heavy endpoints: an export is written a page at a time from one snapshot, its slot is held until the last
/// byte and no longer than the time limit, and a body that trickles in gets a fixed time.
@Suite("Harden: zwaar werk")
struct HeavyWorkTests {
    /// The streamed file is the same as one read at once, sorted by area name, and an import that lands between two
    /// pages does not show in it (the next export has it).
    @Test(arguments: TestBackend.available)
    func anExportIsStreamedPageByPageFromOneSnapshot(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ in
            func selection(_ format: String) throws -> ExportSelection {
                try ExportSelection.parse(indicator: "inwoners", catalog: store.catalog) { ["niveau": "buurt", "gemeente": "GM0014", "formaat": format][$0] }
            }
            var whole = ""
            try await selection("csv").write(store: store, pageSize: 100_000) { whole += $0 }
            let lines = whole.split(separator: "\r\n")
            #expect(lines.count > 30, "Groningen has dozens of buurten")

            let buurten = try await store.areas(inGemeente: AreaCode("GM0014")!).filter { $0.code.kind == .buurt }
            let last = try #require(buurten.max { ($0.name, $0.code.rawValue) < ($1.name, $1.code.rawValue) })
            var chunks: [String] = []
            try await selection("csv").write(store: store, pageSize: 7) { text in
                chunks.append(text)
                if chunks.count == 2 {
                    _ = try await store.importBatch(try TidyImporter.parse(Data("gebied,periode,inwoners\n\(last.code.rawValue),2023,4321\n".utf8),
                                                                           file: "tussendoor.csv", catalog: store.catalog, period: nil))
                }
            }
            #expect(chunks.count > lines.count / 7, "one piece per page of seven rows")
            #expect(chunks.joined() == whole, "pages of seven give the same file, and the import between them does not show")
            var after = ""
            try await selection("csv").write(store: store) { after += $0 }
            #expect(after.contains("\(last.code.rawValue),\(Exporter.cell(last.name)),2023,4321,") && after != whole)

            var json = ""
            try await selection("json").write(store: store, pageSize: 5) { json += $0 }
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            #expect(rows.count == lines.count - 1, "the JSON file, written in pages of five, holds every row")
            let names = rows.compactMap { $0["gebied_naam"] as? String }
            #expect(names.count == rows.count)
            #expect(zip(names, names.dropFirst()).allSatisfy { Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes(Array($0.1.unicodeScalars.map(\.value))) || $0.0 == $0.1 },
                    "sorted by area name (code point order, the same on SQLite and PostgreSQL)")
            for row in rows { if let value = row["waarde"] as? Double { #expect(value == 0 || value >= 10, "no small count leaves the server") } }
        }
    }

    /// An export past its time limit stops between two pages instead of running on.
    @Test func anExportPastItsTimeLimitStops() async throws {
        let store = try await TestStore.shared()
        let selection = try ExportSelection.parse(indicator: "inwoners", catalog: store.catalog) { ["niveau": "buurt", "formaat": "csv"][$0] }
        var pieces = 0
        await #expect(throws: ExportTimeLimit.self) {
            try await selection.write(store: store, pageSize: 10, deadline: .now + .milliseconds(1)) { _ in
                pieces += 1
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        #expect(pieces <= 3, "the header and at most one page went out")
    }

    /// The slot of an export is held while its body is written and given back once: after the body, when the response
    /// is dropped unwritten, or when the time limit passes.
    @Test func aHeavySlotIsHeldUntilTheBodyIsWrittenAndNoLongerThanItsTimeLimit() async throws {
        let limiter = HeavyWorkLimiter(slots: 1, queueLength: 0)
        #expect(await limiter.enter())
        do {
            let lease = HeavyWorkLease(limiter: limiter, timeLimit: .seconds(600))
            #expect(await limiter.freeSlots == 0, "held while the lease lives")
            _ = lease
        }  // the response was dropped without being written: the lease goes with it
        try await eventually { await limiter.freeSlots == 1 }
        #expect(await limiter.enter())
        let timed = HeavyWorkLease(limiter: limiter, timeLimit: .milliseconds(50))
        try await eventually { await limiter.freeSlots == 1 }
        timed.release()  // a release after the time limit gives nothing back a second time
        timed.release()
        try await Task.sleep(for: .milliseconds(50))
        #expect(await limiter.freeSlots == 1)
    }

    /// Through the router: while a download is being written, a second one finds the only slot taken.
    @Test func aStreamingExportKeepsItsSlotUntilTheLastByte() async throws {
        let limiter = HeavyWorkLimiter(slots: 1, queueLength: 0)
        let middleware = HeavyWorkMiddleware<BasicRequestContext>(limiter: limiter)
        let router = Router()
        router.add(middleware: middleware)
        let (gate, opened) = AsyncStream<Void>.makeStream()
        router.get("/export/x") { _, _ in
            Response(status: .ok, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "kop\n"))
                for await _ in gate { break }
                try await writer.write(ByteBuffer(string: "rest\n"))
                try await writer.finish(nil)
            })
        }
        let app = Application(router: router)
        try await app.test(.live) { client in
            // One test client is one connection; the two downloads need two.
            let port = try #require(client.port)
            // A patient client: on a loaded machine the first download may wait longer than the default 15 s for its end.
            let patient = TestClient.Configuration(timeout: .seconds(180))
            async let first = TestClient.withClient(host: "localhost", port: port, configuration: patient) { try await $0.get("/export/x") }
            try await eventually { await limiter.freeSlots == 0 }  // the first download holds the slot while it writes
            let second = try await TestClient.withClient(host: "localhost", port: port, configuration: patient) { try await $0.get("/export/x") }
            #expect(second.head.status == .tooManyRequests || second.head.status == .internalServerError)
            opened.yield()
            opened.finish()
            let done = try await first
            #expect(done.body.map { String(buffer: $0) } == "kop\nrest\n")
            try await eventually { await limiter.freeSlots == 1 }
        }
    }

    /// A body that never finishes arriving is given up after its time limit with 408 (reading it is cancelled).
    @Test func aBodyThatTricklesInIsCutOff() async throws {
        let (body, source) = RequestBody.makeStream()
        await source.yield(ByteBuffer(string: "csrf="))
        await #expect {
            _ = try await SessionMiddleware.withTimeLimit(seconds: 1, message: "te traag") {
                try await body.collect(upTo: 1 << 20)
            }
        } throws: { error in
            if case AppError.timeout = error { return true }
            return false
        }
        source.finish()  // only now does the body end: the answer above did not wait for it
    }

    func eventually(_ condition: () async -> Bool) async throws {
        for _ in 0..<6_000 {  // up to a minute on a loaded machine
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition never held")
    }
}
