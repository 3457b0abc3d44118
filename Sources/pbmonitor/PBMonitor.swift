import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import Monitor
import MonitorStore
import MonitorWeb

/// `pbmonitor`: the Monitor pedagogische basis on the command line.
@main
struct PBMonitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbmonitor",
        abstract: "Monitor pedagogische basis: cijfers over opgroeien en opvoeden per gemeente, wijk en buurt.",
        discussion: """
            Start de site met `pbmonitor serve` (http://127.0.0.1:8080). Bij de eerste start laadt de monitor de
            meegeleverde open data van CBS en PDOK in een SQLite-bestand.
            """,
        version: Release.version,
        subcommands: [Serve.self, Import.self, CBS.self, Documents.self, ORI.self, Export.self, Check.self, Migrate.self, CodeChangeCommand.self, Bench.self, User.self, Backup.self, Restore.self, Report.self, ExpectedCare.self]
    )
}

/// Exit codes: scripted callers can tell rejected input from a failing tool.
enum Exit {
    /// The input was rejected (bad file, bad catalogue); nothing was changed.
    static let inputRejected = ExitCode(65)
    /// The tool failed (database unavailable, I/O).
    static let failed = ExitCode(1)
    /// A service it needs is unreachable (no internet for the CBS API).
    static let unavailable = ExitCode(69)
}

/// Options shared by the commands that open the database.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite-bestand (standaard pbmonitor-data/pbmonitor.sqlite) of een PostgreSQL-adres postgres://gebruiker@host:5432/database; of PBMONITOR_DATABASE.")
    var database: String?

    @Option(name: .long, help: "Map met de indicatorcatalogus (standaard catalog; of PBMONITOR_CATALOG).")
    var catalog: String?

    @Option(name: .long, help: "Map met de gebundelde open data (standaard data; of PBMONITOR_DATA).")
    var data: String?

    /// The configuration these flags give, over the environment and the defaults.
    func configuration(_ extra: [String: String] = [:]) throws -> MonitorConfiguration {
        try MonitorConfiguration.resolve(flags: flags.merging(extra) { _, new in new }, environment: ProcessInfo.processInfo.environment)
    }

    var flags: [String: String] {
        var flags: [String: String] = [:]
        flags["database"] = database
        flags["catalog"] = catalog
        flags["data"] = data
        return flags
    }
}

/// Helpers shared by the commands.
enum Shared {
    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func loadCatalog(_ configuration: MonitorConfiguration) throws -> Catalog {
        do {
            return try CatalogLoader.load(directory: configuration.catalogDirectory)
        } catch let errors as CatalogErrors {
            standardError(errors.description)
            throw Exit.inputRejected
        }
    }

    /// Opens the store: a fresh database gets its schema; an existing one with pending
    /// migrations is refused unless `migrate` is true.
    static func openStore(_ configuration: MonitorConfiguration, catalog: Catalog, migrate: Bool, creating: Bool = false,
                          metrics: AppMetrics? = nil) async throws -> SQLStore {
        try checkLocation(configuration.databasePath, creating: creating)
        let existed = FileManager.default.fileExists(atPath: configuration.databasePath)
        let clock = configuration.clock
        let store = try SQLStore.open(configuration.databasePath, catalog: catalog, clock: { clock.now }, metrics: metrics?.storeFactory)
        if existed && !SQLStore.isPostgres(configuration.databasePath) {
            // A damaged file is refused before anything reads or writes it.
            let check: String
            do { check = try await store.quickCheck() } catch { check = "\(error)" }
            if check != "ok" {
                await store.close()
                standardError("""
                    Het databasebestand \(configuration.databasePath) is beschadigd (SQLite quick_check: \(check)).
                    Er is niets gelezen of geschreven. Zet een back-up terug met `pbmonitor restore BACKUPBESTAND --database \(configuration.databasePath)`,
                    of verplaats het bestand en start opnieuw om met de meegeleverde data te beginnen.
                    """)
                throw Exit.failed
            }
        }
        do {
            let pending = try await store.pendingMigrations()
            if !pending.isEmpty {
                let fresh = pending.count == Migrations.all.count
                if fresh || migrate {
                    try await store.migrate()
                } else {
                    standardError(StoreError.pendingMigrations(pending.map(\.name)).description)
                    await store.close()
                    throw Exit.failed
                }
            }
        } catch let error as StoreError {
            standardError(error.description)
            await store.close()
            throw Exit.failed
        }
        // The gemeenten's own published indicators join the catalogue (an import may carry their figures).
        do { try await store.refreshCatalog() } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// The folder of a SQLite database must exist: a typo in `--database` must not silently make folders and a fresh
    /// database. Only `serve` (`creating`) makes the default location on its first start.
    static func checkLocation(_ path: String, creating: Bool) throws {
        guard !SQLStore.isPostgres(path) else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                standardError("\(folder.path) is een bestand, geen map. Kies met --database een pad in een bestaande map.")
                throw Exit.failed
            }
            return
        }
        let defaultPath = MonitorConfiguration.keys.first { $0.name == "database" }?.defaultValue
        if creating && path == defaultPath {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                standardError("Kan de map \(folder.path) niet maken (geen schrijfrechten of geen ruimte). Kies met --database een andere plek.")
                throw Exit.failed
            }
            return
        }
        standardError("""
            De map \(folder.path) bestaat niet. Controleer --database (een tikfout?). Er is niets aangemaakt.
            Wilt u daar een nieuwe database, maak de map dan eerst aan (mkdir -p \(folder.path)).
            """)
        throw Exit.failed
    }

    /// Why a file cannot be read, in Dutch and with what to do (the system's own message is English).
    static func fileProblem(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "\(path) bestaat niet. Controleer de naam en de map (een tikfout?)."
        }
        if isDirectory.boolValue { return "\(path) is een map, geen bestand. Geef het pad van het bestand zelf." }
        if !FileManager.default.isReadableFile(atPath: path) { return "\(path) mag niet gelezen worden (rechten). Controleer de rechten van het bestand." }
        return "\(path) kan niet gelezen worden. Controleer of het bestand volledig en niet beschadigd is."
    }

    /// Reads a whole file, or stops with a Dutch message naming what is wrong (exit 65).
    static func readFile(_ path: String) throws -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            standardError(fileProblem(path) + " Er is niets veranderd.")
            throw Exit.inputRejected
        }
    }

    /// Opens the store, runs `body` and always closes the store (sqlite-nio requires it), also on errors.
    static func withStore<T>(_ configuration: MonitorConfiguration, catalog: Catalog, migrate: Bool = false,
                             _ body: (SQLStore) async throws -> T) async throws -> T {
        let store = try await openStore(configuration, catalog: catalog, migrate: migrate)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Parses a file completely before the database is opened, then imports it in one transaction (loading
    /// the bundled areas first into a fresh database) and prints the report. Rejected input exits with 65.
    static func importFile(_ data: Data, file: String, period: String?, format: Importer.Format,
                           configuration: MonitorConfiguration, catalog: Catalog) async throws {
        // A GGD export is mapped by the beheerder's table in the database (the catalogue's own names without one): for
        // such a file the store opens before parsing, once; any other file is parsed before the database is touched.
        var opened: SQLStore?
        var ggdMapping: [String: String]?
        if format == .ggd || (format == .auto && GGDImporter.looksLikeExport(data)),
           SQLStore.isPostgres(configuration.databasePath) || FileManager.default.fileExists(atPath: configuration.databasePath) {
            let store = try await openStore(configuration, catalog: catalog, migrate: false)
            opened = store
            do { ggdMapping = try await store.ggdMapping() } catch { await store.close(); throw error }
        }
        let batch: ImportBatch
        do {
            batch = try Importer.parse(data, file: file, catalog: catalog, period: period, format: format, ggdMapping: ggdMapping)
        } catch {
            await opened?.close()
            standardError(error.description)
            throw Exit.inputRejected
        }
        let store: SQLStore
        if let opened { store = opened } else { store = try await openStore(configuration, catalog: catalog, migrate: false) }
        do {
            try await loadBundleIfEmpty(store, configuration: configuration, only: nil)
            let start = Date()
            let report = try await store.importBatch(batch)
            await store.close()
            printReport(report, batch: batch, seconds: Date().timeIntervalSince(start))
        } catch let error as ImportError {
            await store.close()
            standardError(error.description)
            throw Exit.inputRejected
        } catch {
            await store.close()
            standardError("Import mislukt: \((error as? StoreError)?.description ?? String(describing: error)). Er is niets geïmporteerd; de database is ongewijzigd.")
            throw Exit.failed
        }
    }

    /// The import report for the terminal: what landed, versions, derived figures, new areas, unmapped columns.
    static func printReport(_ report: ImportReport, batch: ImportBatch, seconds: Double? = nil) {
        print("Import \(report.record.id) geslaagd: \(batch.file) (\(batch.format) formaat, \(report.record.rowCount) regels, \(report.record.valueCount) waarden, sha256 \(report.record.sha256.prefix(12))…)\(seconds.map { String(format: " in %.2f s", $0) } ?? "").")
        for item in report.perIndicator {
            print("  \(item.indicator): \(item.values) waarden, waarvan \(item.withoutNumber) zonder getal (onbekend, geheim of n.v.t.)")
        }
        let v = report.versions
        print("  Versies: \(v.new) nieuw, \(v.revised) herzien (nieuwe versie, de vorige blijft opvraagbaar), \(v.unchanged) ongewijzigd.")
        let d = report.derivedVersions
        if d.new + d.revised + d.withdrawn > 0 {
            print("  Berekende waarden (formules en optellingen): \(d.new) nieuw, \(d.revised) herzien, \(d.withdrawn) vervallen, \(d.unchanged) ongewijzigd.")
        }
        if !report.newAreas.isEmpty {
            print("  Nieuwe gebieden (\(report.newAreas.count)): \(report.newAreas.prefix(20).map(\.rawValue).joined(separator: ", "))\(report.newAreas.count > 20 ? ", …" : "")")
        }
        if !report.unmappedColumns.isEmpty {
            print("  Kolommen zonder indicator (niet geïmporteerd): \(report.unmappedColumns.joined(separator: ", "))")
        }
    }

    /// Loads the bundled data when the database has no areas yet, printing progress.
    static func loadBundleIfEmpty(_ store: SQLStore, configuration: MonitorConfiguration, only: Set<String>?) async throws {
        let seeded = try await store.seedEvaluationBankIfEmpty(BundledData(directory: configuration.dataDirectory))
        if seeded > 0 { print("De evaluatiebank begint met \(seeded) studies: het rapport en de voorbeelden uit §4.6.") }
        guard try await store.isEmpty() else { return }
        let start = Date()
        print("Eerste start: de meegeleverde open data (\(BundledData.attribution)) wordt geladen in \(store.location)…")
        let reports = try await store.loadBundledData(BundledData(directory: configuration.dataDirectory, onlyGemeenten: only)) { message in
            print("  \(message)")
            fflush(nil)
        }
        let values = reports.reduce(0) { $0 + $1.record.valueCount }
        let derived = reports.reduce(0) { $0 + $1.derivedCount }
        print(String(format: "Klaar: %d waarden geladen en %d berekend in %.1f s.", values, derived, Date().timeIntervalSince(start)))
        fflush(nil)
        #if canImport(Glibc)
        // The import held the whole bundle in memory, which is free again now; glibc keeps freed memory for the process
        // unless asked to give it back (a server that loaded the bundle itself otherwise runs at some 400 MB instead of 100).
        // (malloc_trim is in <malloc.h>, which the Glibc module does not export: looked up by name.)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = trim(0)
        }
        #endif
    }
}

extension PBMonitor {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start de website en de JSON-API.",
            discussion: "Bij een lege database worden eerst de meegeleverde CBS/PDOK-gegevens geladen (één transactie). Latere starts gebruiken ze opnieuw.\n\n"
                + MonitorConfiguration.helpText)

        @Option(name: .long, help: "Adres (standaard 127.0.0.1; of PBMONITOR_HOST).")
        var host: String?

        @Option(name: .long, help: "Poort (standaard 8080; of PBMONITOR_PORT).")
        var port: Int?

        @OptionGroup var store: StoreOptions

        @Flag(name: .long, help: "Voer openstaande databasemigraties uit voordat de server start.")
        var migrate = false

        @Option(name: .long, help: ArgumentHelp("Laad alleen deze gemeenten uit de gebundelde data (kommagescheiden codes; voor demo's en tests).", visibility: .hidden))
        var onlyGemeenten: String?

        func run() async throws {
            var extra: [String: String] = [:]
            extra["host"] = host
            extra["port"] = port.map(String.init)
            let configuration: MonitorConfiguration
            do {
                configuration = try store.configuration(extra)
            } catch {
                throw ValidationError(String(describing: error))
            }
            let catalog = try Shared.loadCatalog(configuration)
            // One registry for the app and its store: /-/metrics shows requests, connection waits and imports together.
            let metrics = AppMetrics()
            let store = try await Shared.openStore(configuration, catalog: catalog, migrate: migrate, creating: true, metrics: metrics)
            do {
                let only = onlyGemeenten.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
                try await Shared.loadBundleIfEmpty(store, configuration: configuration, only: only)
                let app = try await buildApplication(configuration: configuration, store: store, metrics: metrics)
                if try await store.accountCount() == 0 {
                    print("Er is nog geen beheerder. De cijfers zijn te zien zonder account; om in te loggen maakt u eerst een beheerder:")
                    print("  swift run -c release pbmonitor user add NAAM --rol beheerder --naam \"Volledige naam\"")
                }
                print("pbmonitor draait op http://\(configuration.host):\(configuration.port) (stoppen met Ctrl-C)")
                fflush(nil)
                try await app.runService()
            } catch let error as ImportError {
                Shared.standardError(error.description)
                await store.close()
                throw Exit.failed
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Importeer een CSV-bestand met cijfers (in één transactie: alles of niets).",
            discussion: """
                Een CBS StatLine-download ('TypedDataSet' CSV, met kolommen als AantalInwoners_5) wordt herkend;
                kolommen worden via de CBS-sleutels in de catalogus (veld cbs) aan indicatoren gekoppeld.
                Vormen: 'lang' (kolommen indicator, gebied, periode, waarde; optioneel teller, noemer, n, ondergrens,
                bovengrens) of 'breed' (een kolom gebied of regio_code en een kolom per indicator).
                Scheidingsteken , of ; en decimale punt of komma worden herkend; UTF-8 met of zonder BOM.
                De CBS-tekens . en leeg (onbekend), x (geheim) en - (niet van toepassing) worden een status, nooit een getal.
                Een afgekeurd bestand geeft een foutmelding met regel en kolom; de database blijft dan ongewijzigd.
                """)

        @Argument(help: "Het CSV-bestand.")
        var file: String

        @Option(name: .long, help: "Periode voor bestanden zonder kolom periode of jaar, bijvoorbeeld 2023.")
        var periode: String?

        @Option(name: .long, help: "Formaat: auto (standaard; herkent een CBS StatLine-download, CSV of OData v3- of v4-JSON), tidy, statline of json.")
        var format: String = "auto"

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            let url = URL(fileURLWithPath: file)
            let data = try Shared.readFile(file)
            guard let chosen = Importer.Format(rawValue: format) else {
                Shared.standardError(ImportError(file: url.lastPathComponent, found: format, expected: "--format auto, tidy, statline, json of ggd").description)
                throw Exit.inputRejected
            }
            try await Shared.importFile(data, file: url.lastPathComponent, period: periode, format: chosen,
                                        configuration: configuration, catalog: catalog)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Controleer de indicatorcatalogus en de gebundelde data (met --database ook de hele database).",
            discussion: "Meldt elke fout met bestand en sleutel (onbekende sfeer, dubbele id, ontbrekend veld, formule met een onbekende indicator). Met --database volgt SQLite's volledige integrity_check en de regels van de cijfertabel. Exitcode 65 bij fouten.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            let loaded = catalog.indicators.filter(\.isLoaded).count, formulas = catalog.indicators.filter { $0.formula != nil }.count
            let registered = catalog.indicators.filter { $0.registration != nil }.count, surveyed = catalog.indicators.filter { $0.survey != nil }.count
            let networked = catalog.indicators.filter { $0.network != nil }.count
            let roles = IndicatorRole.allCases.map { role in "\(catalog.indicators.filter { $0.role == role }.count) \(role.label)" }
            print("Catalogus in orde: \(catalog.indicators.count) indicatoren (\(loaded) geladen, \(formulas) berekend met een formule, "
                  + "\(registered) uit het voorzieningenregister, \(surveyed) uit vragenlijsten, \(networked) uit netwerkkaarten).")
            print("Rollen: \(roles.joined(separator: ", ")).")
            for (sphere, indicators) in catalog.bySphere {
                print("  \(sphere.label): \(indicators.map(\.id).joined(separator: ", "))")
            }
            let rulesFile = configuration.analysisRulesFile
            if let text = try? String(contentsOf: rulesFile, encoding: .utf8) {
                do {
                    let rules = try PerspectiveRules.parse(text)
                    print("Analyseregels in orde: \(rules.goalMarkers.count) doelwoorden, \(rules.perspectives.reduce(0) { $0 + $1.1.count }) woorden voor de perspectieven.")
                } catch let problems as ImportProblems {
                    Shared.standardError(problems.description.replacingOccurrences(of: "regels, ", with: "\(rulesFile.path), "))
                    throw Exit.inputRejected
                }
            }
            var missing: [String] = []
            for path in ["gemeenten/gemeenten_2023.csv", "kwb/kwb_2023_gemeente_wijk_buurt.csv", "kwb/kwb_2024_gemeente_wijk.csv",
                         "geo/gemeenten_2023.geojson", "geo/wijken_2024.geojson"]
            where !FileManager.default.fileExists(atPath: configuration.dataDirectory.appendingPathComponent(path).path) {
                missing.append(path)
            }
            if missing.isEmpty {
                print("Gebundelde data aanwezig in \(configuration.dataDirectory.path).")
            } else {
                Shared.standardError("Ontbrekende databestanden in \(configuration.dataDirectory.path): \(missing.joined(separator: ", "))")
                throw Exit.inputRejected
            }
            if store.database != nil { try await checkDatabase(configuration, catalog: catalog) }
        }

        /// The full check of an existing database: never creates one.
        func checkDatabase(_ configuration: MonitorConfiguration, catalog: Catalog) async throws {
            let path = configuration.databasePath
            if !SQLStore.isPostgres(path) && !FileManager.default.fileExists(atPath: path) {
                Shared.standardError("De database \(path) bestaat niet; er is niets gecontroleerd of aangemaakt.")
                throw Exit.inputRejected
            }
            let database = try SQLStore.open(path, catalog: catalog)
            let result: String
            do { result = try await database.integrityCheck() } catch {
                result = "de database is niet te lezen (\(error))"
            }
            await database.close()
            if result == "ok" {
                print("Database in orde: \(path) (volledige integriteitscontrole).")
            } else {
                Shared.standardError("""
                    De database \(path) is niet in orde: \(result)
                    Zet een back-up terug met `pbmonitor restore BACKUPBESTAND --database \(path)`.
                    """)
                throw Exit.inputRejected
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Voer openstaande databasemigraties uit (of toon ze met --dry-run).")

        @Flag(name: .long, help: "Toon alleen welke migraties zouden worden uitgevoerd; verander niets.")
        var dryRun = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            if dryRun && !SQLStore.isPostgres(configuration.databasePath) && !FileManager.default.fileExists(atPath: configuration.databasePath) {
                print("Nieuwe database (\(configuration.databasePath) bestaat nog niet); openstaande migraties (niet uitgevoerd, --dry-run):")
                for migration in Migrations.all { print("  \(migration.name)") }
                return
            }
            let store = try SQLStore.open(configuration.databasePath, catalog: catalog)
            do {
                let pending = try await store.pendingMigrations()
                if pending.isEmpty {
                    print("De database is bij: geen openstaande migraties.")
                } else if dryRun {
                    print("Openstaande migraties (niet uitgevoerd, --dry-run):")
                    for migration in pending { print("  \(migration.name)") }
                } else {
                    for migration in try await store.migrate() { print("Uitgevoerd: \(migration.name)") }
                }
            } catch {
                await store.close()
                Shared.standardError("Migratie mislukt: \(error)")
                throw Exit.failed
            }
            await store.close()
        }
    }
}

extension PBMonitor {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Meet de snelheid van kaarten, vergelijkbare gemeenten en de import (draai met een release-build).",
            discussion: """
                Kaarten: gebruikt de database (en laadt de gebundelde data als die leeg is). Doelen: gemeentekaart ≤ 10 ms,
                wijkkaart van heel Nederland ≤ 60 ms, vergelijkbare gemeenten voor alle gemeenten ≤ 5 ms, het model van
                verwacht jeugdzorggebruik opnieuw schatten ≤ 200 ms (medianen).
                Import: importeert het gebundelde KWB 2023-bestand in een nieuwe database (met alleen de gebieden) en zet
                er `sqlite-utils insert --csv` van hetzelfde bestand naast (pip install sqlite-utils). Doel: ten minste 3× sneller.
                Zoeken: 10.000 gegenereerde raadsstukken van 300–1.500 woorden in een nieuwe SQLite-database; per zoekvraag de eerste
                20 treffers met hun fragment. Doel: mediaan onder 50 ms.
                Serveren (alleen met --alleen serveren): start `pbmonitor serve` op de database met de cache warm en koud, nginx met
                dezelfde bytes en Datasette (als die er zijn), en belast het gemeenteprofiel (JSON en HTML), een gemeentekaart en
                /api/v1/waarden met --verbindingen tegelijk; daarna --lang-verbindingen gedurende --lang-duur seconden. Doelen: profiel
                JSON warm ≥ 0,5× nginx, HTML ≥ 0,3×, p99 ≤ 20 ms; een 304 < 1 ms; de lange meting zonder fout of niet-2xx; RSS ≤ 250 MB.
                Landelijk (alleen met --alleen landelijk): een aparte database met de gebundelde cijfers plus --jaren SYNTHETISCHE jaren
                (2031 en later) van alle gebieden, op SQLite en met --postgres ook op PostgreSQL: importtijd, grootte, en profiel en kaart
                zonder cache (p50/p99) met het geheugen van de server. Doelen: profiel p50 ≤ 50 ms, gemeentekaart ≤ 20 ms, RSS ≤ 400 MB.
                """)

        enum Part: String, ExpressibleByArgument, CaseIterable { case alles, kaarten, `import`, zoeken, serveren, landelijk }

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "Aantal herhalingen per meting.")
        var runs: Int = 25

        @Option(name: .long, help: "Aantal gegenereerde raadsstukken voor de zoekmeting.")
        var documenten: Int = 10_000

        @Option(name: .long, help: "Wat meten: alles, kaarten, import of zoeken.")
        var alleen: Part = .alles

        @Option(name: .long, help: "Aantal herhalingen van de importmeting.")
        var importRuns: Int = 3

        @Option(name: .long, help: "Serveren: verbindingen tegelijk per meting.")
        var verbindingen: Int = 64

        @Option(name: .long, help: "Serveren: seconden per meting.")
        var duur: Int = 10

        @Option(name: .long, help: "Serveren: verbindingen tegelijk in de lange meting.")
        var langVerbindingen: Int = 200

        @Option(name: .long, help: "Serveren: seconden van de lange meting.")
        var langDuur: Int = 60

        @Option(name: .long, help: "Serveren: eerste van de vier poorten (pbmonitor warm, koud, nginx, Datasette).")
        var poort: Int = 18300

        @Option(name: .long, help: "Landelijk: aantal synthetische jaren.")
        var jaren: Int = 10

        @Option(name: .long, help: "Landelijk: ook op PostgreSQL (een beheeradres; daar wordt een database gemaakt en weer verwijderd).")
        var postgres: String?

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            #if DEBUG
            print("Let op: dit is een debug-build; meet met `swift run -c release pbmonitor bench`.")
            #endif
            if alleen == .alles || alleen == .zoeken {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-zoeken-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                let temporary = try self.store.configuration(["database": directory.appendingPathComponent("zoeken.sqlite").path])
                try await Shared.withStore(temporary, catalog: catalog) { store in
                    let gemeenten = try BundledData(directory: configuration.dataDirectory).gemeenteCodes()
                    let start = Date()
                    let documents = Benchmarks.syntheticDocuments(count: documenten, gemeenten: gemeenten)
                    let words = documents.reduce(0) { $0 + $1.text.split(separator: " ").count }
                    _ = try await store.addDocuments(documents, actor: "bench")
                    print(String(format: "Zoeken: %d raadsstukken (%.1f miljoen woorden) gemaakt en geïndexeerd in %.1f s.", documents.count,
                                 Double(words) / 1e6, Date().timeIntervalSince(start)))
                    for result in try await Benchmarks.search(in: store, runs: runs) { print(result.line) }
                }
            }
            if alleen == .alles || alleen == .kaarten {
                try await Shared.withStore(configuration, catalog: catalog) { store in
                    try await Shared.loadBundleIfEmpty(store, configuration: configuration, only: nil)
                    for result in try await Benchmarks.run(store: store, runs: runs) { print(result.line) }
                }
            }
            if alleen == .alles || alleen == .import {
                for line in try await ImportBenchmark(configuration: configuration, catalog: catalog, runs: importRuns).run() { print(line) }
            }
            if alleen == .serveren {
                guard (1...10_000).contains(verbindingen), (1...10_000).contains(langVerbindingen), (1...3_600).contains(duur),
                      (1...3_600).contains(langDuur), (1024...65_000).contains(poort) else {
                    throw ValidationError("verbindingen 1–10.000, duur 1–3.600 s, poort 1024–65.000")
                }
                let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
                _ = try await ServingBenchmark(executable: executable, configuration: configuration, connections: verbindingen, seconds: duur,
                                               longConnections: langVerbindingen, longSeconds: langDuur, basePort: poort).run()
            }
            if alleen == .landelijk {
                guard (1...50).contains(jaren), (1...3_600).contains(duur), (1024...65_000).contains(poort) else {
                    throw ValidationError("jaren 1–50, duur 1–3.600 s, poort 1024–65.000")
                }
                let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
                _ = try await NationalBenchmark(executable: executable, configuration: configuration, catalog: catalog, periods: jaren,
                                                seconds: duur, basePort: poort, postgres: postgres).run()
            }
        }
    }
}

extension PBMonitor {
    struct CodeChangeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "code-change",
            abstract: "Leg een codewijziging vast (herindeling): de oude code gaat op in de nieuwe vanaf een jaar.",
            discussion: "Tijdreeksen worden dan op de huidige grenzen getoond: aantallen van eerdere jaren worden opgeteld, percentages opnieuw berekend uit teller en noemer.", aliases: ["herindeling"])

        @Argument(help: "De code die ophield, bijvoorbeeld GM0009.")
        var oud: String

        @Argument(help: "De code waarin hij opging, bijvoorbeeld GM0014.")
        var nieuw: String

        @Option(name: .long, help: "Het eerste jaar van de nieuwe indeling.")
        var jaar: Int

        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let old = AreaCode(oud), let new = AreaCode(nieuw), old.kind == new.kind, old != new else {
                throw ValidationError("Geef twee verschillende CBS-codes van dezelfde soort, bijvoorbeeld GM0009 GM0014.")
            }
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                guard try await store.area(new) != nil else {
                    Shared.standardError("Onbekend gebied: \(new.rawValue). Er is niets vastgelegd.")
                    throw Exit.inputRejected
                }
                try await store.addCodeChange(CodeChange(old: old, new: new, fromYear: jaar))
                print("Vastgelegd: \(old.rawValue) gaat vanaf \(jaar) op in \(new.rawValue).")
            }
        }
    }
}

extension PBMonitor {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exporteer cijfers: CSV, Excel (NL: ; en decimale komma), JSON of een datapackage.json.",
            discussion: "Dezelfde privacyregel als op de site: waarden op minder dan 10 personen worden niet geëxporteerd.")

        @Option(name: .long, help: "Indicator-id, bijvoorbeeld jeugdzorg_in_natura_pct.")
        var indicator: String

        @Option(name: .long, help: "Niveau: land, provincie, ggdregio, gemeente, wijk of buurt.")
        var niveau: String?

        @Option(name: .long, help: "Alleen gebieden binnen deze gemeente (voor wijken en buurten).")
        var gemeente: String?

        @Option(name: .long, help: "Eén gebied, bijvoorbeeld GM0363.")
        var gebied: String?

        @Option(name: .long, help: "Periode, bijvoorbeeld 2023.")
        var periode: String?

        @Option(name: .long, help: "csv, excel, json of datapackage.")
        var formaat: String = "csv"

        @Option(name: .long, help: "Uitvoerbestand (standaard: de terminal).")
        var uit: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            let given = ["niveau": niveau, "gemeente": gemeente, "gebied": gebied, "periode": periode, "formaat": formaat]
            let selection: ExportSelection
            do {
                selection = try ExportSelection.parse(indicator: indicator, catalog: catalog) { given[$0] ?? nil }
            } catch {
                throw ValidationError(error.parameter == "indicator" ? error.message : "--\(error.parameter): \(error.message)")
            }
            let data = try await Shared.withStore(configuration, catalog: catalog) { store in try await selection.export(store: store) }
            if let uit {
                try data.write(to: URL(fileURLWithPath: uit))
                Shared.standardError("Geschreven: \(uit) (\(data.count) bytes)")
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }
}
