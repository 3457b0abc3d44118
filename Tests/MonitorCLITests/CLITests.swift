import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

/// End-to-end tests on the built `pbmonitor` binary: stdout, stderr and exit codes.
@Suite("Opdrachtregel", .serialized)
struct CLITests {
    @Test func helpDescribesEveryCommand() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for command in ["serve", "import", "check", "migrate"] { #expect(result.stdout.contains(command)) }
        let importHelp = try CommandRunner.run(["import", "--help"])
        #expect(importHelp.stdout.contains("--periode"))
    }

    @Test func checkAcceptsTheShippedCatalogue() throws {
        let result = try CommandRunner.run(["check"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Catalogus in orde"))
    }

    @Test func checkNamesFileAndKeyOfABrokenCatalogue() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = try String(contentsOf: Fixtures.catalogDirectory.appendingPathComponent("hulp.yaml"), encoding: .utf8)
        try shipped.replacingOccurrences(of: "sferen: [hulp]", with: "sferen: [hulpp]")
            .write(to: directory.appendingPathComponent("hulp.yaml"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["check", "--catalog", directory.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("catalog/hulp.yaml: jongeren_jeugdzorg_in_natura.sferen: onbekende sfeer 'hulpp'"))
    }

    @Test func migrateDryRunChangesNothing() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nieuw.sqlite").path
        let result = try CommandRunner.run(["migrate", "--dry-run", "--database", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("0001-areas-observations-imports"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let apply = try CommandRunner.run(["migrate", "--database", path])
        #expect(apply.stdout.contains("Uitgevoerd: 0001"))
        let again = try CommandRunner.run(["migrate", "--dry-run", "--database", path])
        #expect(again.stdout.contains("geen openstaande migraties"))
    }

    /// A database with the bundled data of the test gemeenten, made in-process and closed.
    func seededDatabase(in directory: URL) async throws -> String {
        try await TestStore.database(in: directory, name: "seed.sqlite", figures: true)
    }

    /// A GGD export imports with `--format ggd` (and is recognised without it); a subject the beheerder did not map
    /// stops it with its line and column, and the database is unchanged.
    @Test func aGGDExportImportsFromTheCommandLine() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await seededDatabase(in: directory)
        let file = directory.appendingPathComponent("gmj.csv")
        try """
            Regiocode;Regionaam;Indicator;Jaar;Percentage;Ondergrens;Bovengrens;Aantal
            GM0363;Amsterdam;Voelt zich gelukkig;2023;81,0;80,1;81,9;7012
            GM0014;Groningen;Voelt zich gelukkig;2023;te weinig waarnemingen;;;12
            GM0363;Amsterdam;Gepest;2023;12,5;11,8;13,2;7012

            """.write(to: file, atomically: true, encoding: .utf8)
        let ok = try CommandRunner.run(["import", file.path, "--format", "ggd", "--database", database])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("ggd formaat") && ok.stdout.contains("gmj_gelukkig: 2 waarden, waarvan 1 zonder getal"))

        let bad = directory.appendingPathComponent("gmj-fout.csv")
        try "Regiocode;Indicator;Jaar;Percentage\nGM0363;Gepest;2025;12,5\nGM0363;Lekker in je vel;2025;70,0\n".write(to: bad, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let rejected = try CommandRunner.run(["import", bad.path, "--database", database])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("gmj-fout.csv, regel 3, kolom Indicator") && rejected.stderr.contains("/beheer/ggd-koppeling"), "\(rejected.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    @Test func importReportsWhatLandedAndRejectsBadFilesWithoutTouchingTheDatabase() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await seededDatabase(in: directory)

        let good = directory.appendingPathComponent("lokaal.csv")
        try "\u{FEFF}gebied;inwoners;personen_bijstand\r\nGM0088;1000;20\r\nGM0014;240000;x\r\n".write(to: good, atomically: true, encoding: .utf8)
        let ok = try CommandRunner.run(["import", good.path, "--periode", "2030", "--database", database])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("geslaagd"))
        #expect(ok.stdout.contains("personen_bijstand: 2 waarden, waarvan 1 zonder getal"))

        let bad = directory.appendingPathComponent("fout.csv")
        try "gebied,periode,inwoners\nGM0088,2031,1000\nGM0014,2031,veel\n".write(to: bad, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let rejected = try CommandRunner.run(["import", bad.path, "--database", database])
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("fout.csv, regel 3, kolom inwoners"))
        #expect(rejected.stderr.contains("gevonden: \"veel\""))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)

        let unknown = directory.appendingPathComponent("onbekend.csv")
        try "gebied,periode,inwoners\nGM0088,2031,1000\nGM9999,2031,5\n".write(to: unknown, atomically: true, encoding: .utf8)
        let refused = try CommandRunner.run(["import", unknown.path, "--database", database])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("regel 3"))
        #expect(refused.stderr.contains("GM9999"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)

        let statline = try CommandRunner.run(["import", Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv").path,
                                              "--periode", "2022", "--database", database])
        #expect(statline.status == 0, "\(statline.stderr)")
        #expect(statline.stdout.contains("statline-csv formaat"))
        #expect(statline.stdout.contains("Nieuwe gebieden (3): WK036300, WK0363ZZ, BU03630000"))
        #expect(statline.stdout.contains("Kolommen zonder indicator (niet geïmporteerd): Mannen_6"))

        let export = try CommandRunner.run(["export", "--indicator", "inwoners", "--gebied", "GM0363", "--periode", "2022",
                                            "--formaat", "excel", "--database", database])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains(";GM0363;Amsterdam;2022;882633;waarde;"))

        // CBS republishes a corrected table: Amsterdam's inhabitants change, everything else is equal.
        let original = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/statline-kwb-2022.csv"), encoding: .utf8)
        let correctedFile = directory.appendingPathComponent("kwb-2022-gecorrigeerd.csv")
        try original.replacingOccurrences(of: "\"    882633\"", with: "\"    882700\"").write(to: correctedFile, atomically: true, encoding: .utf8)
        let corrected = try CommandRunner.run(["import", correctedFile.path, "--periode", "2022", "--database", database])
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(corrected.stdout.contains("Versies: 0 nieuw, 1 herzien"), "\(corrected.stdout)")
        #expect(corrected.stdout.contains("herzien"))
        let server = try await ServerProcess(database: database)
        let (_, versions) = try await server.get("/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2022&versies=alle")
        let (_, current) = try await server.get("/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2022")
        let (_, history) = try await server.get("/indicatoren/inwoners/versies?gebied=GM0363&periode=2022")
        server.stop()
        #expect(versions.contains("\"waarde\":882633") && versions.contains("\"waarde\":882700"), "both versions: \(versions)")
        #expect(current.contains("\"waarde\":882700") && !current.contains("882633"))
        #expect(history.contains("kwb-2022-gecorrigeerd.csv") && history.contains("statline-kwb-2022.csv"))

        let merger = try CommandRunner.run(["code-change", "GM0088", "GM0014", "--jaar", "2024", "--database", database])
        #expect(merger.status == 0, "\(merger.stderr)")
        #expect(merger.stdout.contains("GM0088 gaat vanaf 2024 op in GM0014"))
        let unknownTarget = try CommandRunner.run(["herindeling", "GM0088", "GM9999", "--jaar", "2024", "--database", database])
        #expect(unknownTarget.status == 65)
        #expect(unknownTarget.stderr.contains("Onbekend gebied: GM9999"))

        let missing = try CommandRunner.run(["import", directory.appendingPathComponent("bestaat-niet.csv").path, "--database", database])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("bestaat niet. Controleer de naam en de map"))
    }

    @Test func serveLoadsAllBundledDataOnceAndReusesItOnTheNextStart() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("vol.sqlite").path

        let first = try await ServerProcess(database: database)
        let (status, gemeenten) = try await first.get("/api/v1/gemeenten")
        #expect(status == 200)
        #expect(gemeenten.contains("\"total\":342"))
        let (_, inwoners) = try await first.get("/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023")
        #expect(inwoners.contains("\"waarde\":918117"))
        let (_, zorg) = try await first.get("/api/v1/waarden?indicator=jeugdzorg_in_natura_pct&gebied=GM0363&periode=2023")
        #expect(zorg.contains("\"waarde\":10.7"))
        let (_, page) = try await first.get("/gemeenten/GM0363")
        #expect(page.contains("Amsterdam") && page.contains("Haarlemmerbuurt"))
        // The national map: 342 linked gemeenten and a legend.
        let (_, map) = try await first.get("/kaart/jeugdzorg_in_natura_pct.svg")
        #expect(map.components(separatedBy: "<a href=\"/gemeenten/").count - 1 == 342)
        #expect(map.contains("class=\"legend\""))
        // Amsterdam's default peers are other large cities.
        let (_, peers) = try await first.get("/api/v1/gemeenten/GM0363/vergelijkbaar")
        for city in ["GM0599", "GM0518", "GM0344"] { #expect(peers.contains("\"code\":\"\(city)\""), "\(city)") }
        let (_, fewer) = try await first.get("/api/v1/gemeenten/GM0363/vergelijkbaar?variabelen=leeftijd_65plus_pct&variabelen=gem_woz_waarde")
        #expect(fewer != peers, "other variables give other peers")
        let log = first.log
        first.stop()
        #expect(log.contains("Eerste start"))
        #expect(log.contains("Klaar:"))

        let second = try await ServerProcess(database: database)
        let (again, _) = try await second.get("/api/v1/gemeenten")
        let secondLog = second.log
        second.stop()
        #expect(again == 200)
        #expect(!secondLog.contains("Eerste start"), "a second start must not re-import")
    }
}

/// A real browser: headless Chromium loads the Amsterdam profile and we read the rendered DOM.
@Suite("Browser")
struct BrowserTests {
    static var chromium: String? { WebDriver.chromium }

    @Test func headlessChromiumRendersTheGemeenteProfile() async throws {
        guard let chromium = Self.chromium else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("Chromium ontbreekt; .ci/run installeert het") }
            return
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess(database: directory.appendingPathComponent("browser.sqlite").path,
                                             extraArguments: ["--only-gemeenten", "GM0363"])
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                             "--lang=nl", "--accept-lang=nl", "--dump-dom", server.baseURL + "/gemeenten/GM0363"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(dom.contains("<h1>Amsterdam"))
        #expect(dom.contains("Jongeren met jeugdzorg in natura (%)"))
        #expect(dom.contains("10,7%"))
        #expect(dom.contains("Haarlemmerbuurt"))
        #expect(dom.contains("<table class=\"data figures\">"))

        // A map page in the same browser: the SVG is in the DOM and a screenshot is made.
        let shot = directory.appendingPathComponent("kaart.png")
        let screenshot = Process()
        screenshot.executableURL = URL(fileURLWithPath: chromium)
        screenshot.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile2").path)",
                                "--window-size=1000,1300", "--screenshot=\(shot.path)", server.baseURL + "/kaart/inwoners?niveau=wijk&gemeente=GM0363"]
        screenshot.standardOutput = FileHandle.nullDevice
        screenshot.standardError = FileHandle.nullDevice
        try screenshot.run()
        screenshot.waitUntilExit()
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(png.count > 30_000, "a map, not an empty page (\(png.count) bytes)")
    }
}

/// Imports are one transaction: a process killed halfway leaves all or nothing of its import.
@Suite("Afgebroken import")
struct KilledImportTests {
    @Test func killMinus9DuringALargeImportLeavesAConsistentDatabaseWithoutThatImport() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("kill.sqlite").path
        do {
            let store = try SQLStore.sqlite(path: database, catalog: try Fixtures.catalog())
            try await store.migrate()
            _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)) { _ in }
            await store.close()
        }
        // A large file: the test gemeenten's KWB 2023 rows repeated for 40 future periods (~1 million values).
        let csv = try String(contentsOf: Fixtures.dataDirectory.appendingPathComponent("kwb/kwb_2023_gemeente_wijk_buurt.csv"), encoding: .utf8)
        var lines = csv.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let kept = lines.filter { line in Fixtures.testGemeenten.contains { line.contains(",\($0),") } && !line.contains(",NL00,") }
        var out = [header.replacingOccurrences(of: "jaar,", with: "periode,")]
        for year in 2040..<2080 { for line in kept { out.append(String(year) + line.dropFirst(4)) } }
        let file = directory.appendingPathComponent("groot.csv")
        try out.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let before = try await counts(database)
        let process = Process()
        process.executableURL = Fixtures.binary
        process.arguments = ["import", file.path, "--database", database]
        process.currentDirectoryURL = Fixtures.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the import is writing (the WAL grows), then kill it without warning.
        let wal = database + "-wal"
        let deadline = Date().addingTimeInterval(120)
        var walSize = 0
        while Date() < deadline && process.isRunning {
            walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if walSize > 8_000_000 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(process.isRunning, "the import finished before it could be killed; make the file larger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(walSize > 8_000_000, "killed while writing")

        let after = try await counts(database)
        #expect(after.integrity == "ok")
        #expect(after.imports == before.imports, "no half import is recorded")
        #expect(after.observations == before.observations, "none of the killed import's figures are visible")
    }

    struct Counts: Equatable { var integrity: String; var imports: Int; var observations: Int }

    func counts(_ database: String) async throws -> Counts {
        let store = try SQLStore.sqlite(path: database, catalog: try Fixtures.catalog())
        do {
            let result = Counts(integrity: try await store.integrityCheck(), imports: try await store.imports().count,
                                observations: try await store.observationCount())
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

@Suite("CBS-API")
struct CBSClientTests {
    @Test func aTableIsDownloadedPageByPageWithARetryAndImported() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("cbs.sqlite").path
        let store = try SQLStore.sqlite(path: database, catalog: try Fixtures.catalog())
        try await store.migrate()
        _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten)) { _ in }
        await store.close()

        let server = try await FixtureCBSServer(failures: 1)
        defer { server.stop() }
        let saved = directory.appendingPathComponent("85318NED.json").path
        let result = try await CommandRunner.runAsync(["cbs", "85318NED", "--api", server.base, "--uit", saved, "--importeer", "--periode", "2022",
                                            "--database", database])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("opnieuw proberen (2/3) na: HTTP 503"), "\(result.stderr)")
        #expect(result.stderr.contains("waarnemingen: pagina 2, 30 tot nu toe"))
        #expect(result.stderr.contains("Bewaard: \(saved)"))
        #expect(result.stdout.contains("statline-odata-v4 formaat"), "\(result.stdout)")
        #expect(result.stdout.contains("Kolommen zonder indicator (niet geïmporteerd): M000353 (Mannen)"))
        let requests = await server.requests
        #expect(requests.filter { $0.hasSuffix("/Observations") }.count == 3, "one 503, then the first page and the next link")

        // The saved file imports again the same way (nothing changes), and the figures are there.
        let again = try CommandRunner.run(["import", saved, "--periode", "2022", "--database", database])
        #expect(again.stdout.contains("Versies: 0 nieuw, 0 herzien"), "\(again.stdout)")
        let export = try CommandRunner.run(["export", "--indicator", "inwoners", "--gebied", "GM0363", "--periode", "2022", "--database", database])
        #expect(export.stdout.contains("GM0363,Amsterdam,2022,882633,waarde"), "\(export.stdout)")
    }

    /// Issue 18, 7c: RIVM's and the GGDs' tables (the Gezondheidsmonitor Jeugd) on StatLine of third parties, OData v3.
    @Test func aRIVMTableComesFromStatLineOfThirdPartiesAndItsSubjectsMapByTitle() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await TestStore.database(in: directory, name: "rivm.sqlite", figures: false)
        let server = try await FixtureCBSServer(failures: 1, fixtures: "statline-v3", ready: "50099NED/DataProperties", failing: "/TypedDataSet")
        defer { server.stop() }
        let saved = directory.appendingPathComponent("50099NED.json").path
        let result = try await CommandRunner.runAsync(["cbs", "50099NED", "--bron", "rivm", "--api", server.base, "--uit", saved, "--importeer",
                                                       "--database", database])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("opnieuw proberen (2/3) na: HTTP 503"), "\(result.stderr)")
        #expect(result.stderr.contains("rijen: pagina 2, 6 tot nu toe"), "\(result.stderr)")
        #expect(result.stdout.contains("RooktWelEens_3"), "a subject the catalogue does not have is named: \(result.stdout)")
        let gelukkig = try CommandRunner.run(["export", "--indicator", "gmj_gelukkig", "--database", database])
        #expect(gelukkig.stdout.contains("GM0363,Amsterdam,2023,81.4,waarde"), "the figure, not its bounds: \(gelukkig.stdout)")
        #expect(gelukkig.stdout.contains("GM0014,"), "\(gelukkig.stdout)")
        #expect(!gelukkig.stdout.contains("80.2") && !gelukkig.stdout.contains("82.6"), "the 95% bounds are not figures")
        let club = try CommandRunner.run(["export", "--indicator", "gmj_lid_club", "--database", database])
        #expect(club.stdout.contains("GM0363,Amsterdam,2023,62,waarde") || club.stdout.contains("GM0363,Amsterdam,2023,62.0,waarde"), "\(club.stdout)")

        // Offline: the same clear message, naming the service.
        let closed = CommandRunner.freePort()
        let offline = try CommandRunner.run(["cbs", "50099NED", "--bron", "rivm", "--api", "http://127.0.0.1:\(closed)/CBS", "--pogingen", "1",
                                             "--uit", directory.appendingPathComponent("x.json").path])
        #expect(offline.status == 69)
        #expect(offline.stderr.contains("Geen verbinding met StatLine van derden (RIVM)"), "\(offline.stderr)")
    }

    @Test func offlineGivesAClearMessageAndImportsNothing() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let closed = CommandRunner.freePort()
        let result = try CommandRunner.run(["cbs", "85318NED", "--api", "http://127.0.0.1:\(closed)/CBS", "--pogingen", "2",
                                            "--uit", directory.appendingPathComponent("x.json").path])
        #expect(result.status == 69)
        #expect(result.stderr.contains("Geen verbinding met de CBS-API"))
        #expect(result.stderr.contains("pbmonitor import"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.json").path))
    }

    @Test func anUnknownTableIsNamed() async throws {
        let server = try await FixtureCBSServer(failures: 0)
        defer { server.stop() }
        let result = try await CommandRunner.runAsync(["cbs", "99999NED", "--api", server.base, "--uit", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Niet gevonden (404)"))
        let invalid = try CommandRunner.run(["cbs", "kerncijfers"])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("Geen CBS-tabelcode"))
    }
}

@Suite("Raadsstukken en Open Raadsinformatie")
struct DocumentCommandTests {
    static func database(_ directory: URL) async throws -> String {
        try await TestStore.database(in: directory, name: "raad.sqlite", figures: false)
    }

    @Test func oriDocumentsArriveWithTheirGemeentePageByPageAfterARetry() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Self.database(directory)
        let server = try await FixtureORIServer(failures: 1)
        defer { server.stop() }
        let result = try await CommandRunner.runAsync(["ori", "--api", server.base, "--per-pagina", "2", "--database", database])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("opnieuw proberen (2/3) na: HTTP 503"), "\(result.stderr)")
        #expect(result.stderr.contains("overgeslagen: 1 stuk(ken) uit ori_onbekenddorp_20200101000000"))
        #expect(result.stdout.contains("5 treffer(s); 4 raadsstuk(ken) toegevoegd"), "\(result.stdout)")
        #expect(await server.requests.count == 4, "one 503, then three pages of two")
        let again = try await CommandRunner.runAsync(["ori", "--api", server.base, "--database", database])
        #expect(again.stdout.contains("0 raadsstuk(ken) toegevoegd, 4 stond(en) er al in"), "\(again.stdout)")

        let store = try SQLStore.sqlite(path: database, catalog: try Fixtures.catalog())
        do {
            let hits = try await store.search(SearchQuery("\"pedagogische basis\""), in: .document, limit: 10, offset: 0)
            let documents = try await store.documents(ids: hits.hits.map(\.ref))
            #expect(Set(documents.map(\.gemeente.rawValue)) == ["GM0363", "GM0014", "GM0088"])
            #expect(documents.first { $0.title.hasPrefix("Motie") }?.kind == .motie)
            #expect(documents.first { $0.title.hasPrefix("Motie") }?.date.day == "2023-11-02")
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test func oriOfflineSaysWhatToDo() throws {
        let closed = CommandRunner.freePort()
        let result = try CommandRunner.run(["ori", "--api", "http://127.0.0.1:\(closed)/v1/elastic", "--pogingen", "1", "--database", "/tmp/pbm-ori-\(closed).sqlite"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("Geen verbinding met Open Raadsinformatie") && result.stderr.contains("pbmonitor documents"))
        try? FileManager.default.removeItem(atPath: "/tmp/pbm-ori-\(closed).sqlite")
    }

    @Test func filesAndAListImportWholeOrNotAtAll() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await Self.database(directory)
        try "Wij willen de pedagogische basis versterken.".write(to: directory.appendingPathComponent("nota.txt"), atomically: true, encoding: .utf8)
        try "<html><body><h1>Motie</h1><p>De raad vraagt om meer speelplekken &amp; ontmoeting.</p></body></html>"
            .write(to: directory.appendingPathComponent("motie.html"), atomically: true, encoding: .utf8)
        try "bestand,gemeente,datum,soort,titel\nnota.txt,GM0363,2024-02-01,beleidsnota,Nota opgroeien\nmotie.html,GM0014,2024-13-01,motie,Motie\n"
            .write(to: directory.appendingPathComponent("lijst.csv"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["documenten", "--lijst", directory.appendingPathComponent("lijst.csv").path, "--database", database])
        #expect(bad.status == 65 && bad.stderr.contains("lijst.csv, regel 3, kolom datum"), "\(bad.stderr)")
        try "bestand,gemeente,datum,soort,titel\nnota.txt,GM0363,2024-02-01,beleidsnota,Nota opgroeien\nmotie.html,GM0014,2024-12-01,motie,Motie\n"
            .write(to: directory.appendingPathComponent("lijst.csv"), atomically: true, encoding: .utf8)
        let good = try CommandRunner.run(["documents", "--lijst", directory.appendingPathComponent("lijst.csv").path, "--database", database])
        #expect(good.status == 0 && good.stdout.contains("2 raadsstuk(ken) toegevoegd"), "\(good.stdout) \(good.stderr)")
        let single = try CommandRunner.run(["documenten", directory.appendingPathComponent("nota.txt").path, "--gemeente", "GM0088", "--datum", "2025-01-01",
                                            "--soort", "collegebrief", "--database", database])
        #expect(single.status == 0 && single.stdout.contains("1 raadsstuk(ken) toegevoegd"))
        let pdf = try CommandRunner.run(["documenten", "/dev/null/geen.pdf", "--gemeente", "GM0088", "--datum", "2025-01-01", "--database", database])
        #expect(pdf.status == 65 && pdf.stderr.contains("kolom bestand"))
    }
}
