import ArgumentParser
import Foundation
import Monitor
import MonitorStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension PBMonitor {
    struct CBS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cbs",
            abstract: "Download een CBS- of RIVM-tabel via de OData-API en bewaar of importeer hem.",
            discussion: """
                Haalt de meetcodes, de regiocodes en alle waarnemingen (pagina voor pagina) op en bewaart ze als één
                JSON-bestand dat `pbmonitor import` leest. Met --importeer wordt het meteen geïmporteerd (in één transactie).
                Met --bron rivm komt de tabel uit StatLine van derden (OData v3), waar RIVM en de GGD'en de Gezondheidsmonitor
                Jeugd publiceren; de onderwerpen worden op hun titel aan de gmj-indicatoren gekoppeld.
                Zonder internet volgt een duidelijke melding; download de tabel dan elders en importeer het bestand.
                """)

        @Argument(help: "De tabel, bijvoorbeeld 85984NED (Kerncijfers wijken en buurten 2024).")
        var table: String

        @Option(name: .long, help: "cbs (CBS, OData v4) of rivm (RIVM en GGD'en op StatLine van derden, OData v3).")
        var bron: CBSClient.Publisher = .cbs

        @Option(name: .long, help: "Adres van de API (standaard voor cbs \(CBSClient.defaultBase), voor rivm \(CBSClient.rivmBase)).")
        var api: String?

        @Option(name: .long, help: "Bewaar de tabel in dit bestand (standaard TABEL.json in de huidige map).")
        var uit: String?

        @Flag(name: .long, help: "Importeer de tabel meteen na het downloaden.")
        var importeer = false

        @Option(name: .long, help: "Periode voor tabellen zonder dimensie Perioden (met --importeer).")
        var periode: String?

        @Option(name: .long, help: "Aantal pogingen per verzoek bij een netwerk- of serverfout.")
        var pogingen: Int = 3

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard table.range(of: #"^[0-9]{5}[A-Z]{3}$"#, options: .regularExpression) != nil else {
                throw ValidationError("Geen CBS-tabelcode: '\(table)'. Een code ziet eruit als 85984NED.")
            }
            if let api, URL(string: api)?.scheme?.hasPrefix("http") != true { throw ValidationError("--api: geen http(s)-adres: \(api)") }
            guard (1...10).contains(pogingen) else { throw ValidationError("--pogingen: kies 1 tot en met 10") }
        }

        func run() async throws {
            let client = CBSClient(base: api ?? bron.defaultBase, attempts: pogingen, publisher: bron) { Shared.standardError($0) }
            let document: Data
            do {
                document = try await client.download(table: table)
            } catch let error as CBSClient.Failure {
                Shared.standardError(error.description)
                throw error.isOffline ? Exit.unavailable : Exit.failed
            }
            let path = uit ?? "\(table).json"
            try document.write(to: URL(fileURLWithPath: path))
            Shared.standardError("Bewaard: \(path) (\(document.count / 1024) kB)")
            guard importeer else { return }
            let configuration = try store.configuration()
            try await Shared.importFile(document, file: URL(fileURLWithPath: path).lastPathComponent, period: periode, format: .json,
                                        configuration: configuration, catalog: try Shared.loadCatalog(configuration))
        }
    }
}

/// A small client for the CBS OData v4 API: JSON pages, `@odata.nextLink`, retries with back-off.
struct CBSClient: Sendable {
    static let defaultBase = "https://datasets.cbs.nl/odata/v1/CBS"
    /// StatLine of third parties (OData v3), where RIVM and the GGDs publish their tables.
    static let rivmBase = "https://dataderden.cbs.nl/ODataApi/odata"

    enum Publisher: String, Sendable, ExpressibleByArgument, CaseIterable {
        case cbs, rivm
        var defaultBase: String { self == .cbs ? CBSClient.defaultBase : CBSClient.rivmBase }
        var service: String { self == .cbs ? "de CBS-API" : "StatLine van derden (RIVM)" }
    }

    var base: String
    var attempts: Int
    var publisher: Publisher = .cbs
    var progress: @Sendable (String) -> Void

    typealias Failure = HTTPJSON.Failure

    /// Downloads the table: its measure codes, the codes of its region dimension and every observation,
    /// as one JSON document `{"Observations": […], "MeasureCodes": […], "<Regio>Codes": […]}`.
    func download(table: String) async throws -> Data {
        if publisher == .rivm { return try await downloadV3(table: table) }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        progress("CBS-tabel \(table) ophalen van \(root)…")
        var document: [String: Any] = ["@pbmonitor.bron": "\(root)/\(table)", "@pbmonitor.opgehaald": ISO8601DateFormatter().string(from: Date())]
        document["MeasureCodes"] = try await all("\(root)/\(table)/MeasureCodes", label: "meetcodes")
        let dimensions = try await all("\(root)/\(table)/Dimensions", label: "dimensies")
        let names = dimensions.compactMap { $0["Identifier"] as? String }
        for region in ["WijkenEnBuurten", "RegioS"] where names.contains(region) {
            document["\(region)Codes"] = try await all("\(root)/\(table)/\(region)Codes", label: "regiocodes")
        }
        let observations = try await all("\(root)/\(table)/Observations", label: "waarnemingen")
        guard !observations.isEmpty else { throw Failure(description: "De tabel \(table) heeft geen waarnemingen.", isOffline: false) }
        document["Observations"] = observations
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    /// An OData v3 table (RIVM, GGD): its `DataProperties` (the measures' keys and titles) and every row of its
    /// `TypedDataSet`, as one document `{"odata.metadata", "DataProperties", "TypedDataSet"}` that `pbmonitor import` reads.
    func downloadV3(table: String) async throws -> Data {
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        progress("Tabel \(table) ophalen van \(root)…")
        var document: [String: Any] = ["@pbmonitor.bron": "\(root)/\(table)", "@pbmonitor.opgehaald": ISO8601DateFormatter().string(from: Date()),
                                       "odata.metadata": "\(root)/\(table)/$metadata#Cbs.OData.WebAPI.TypedDataSet"]
        document["DataProperties"] = try await all("\(root)/\(table)/DataProperties?$format=json", label: "onderwerpen")
        let rows = try await all("\(root)/\(table)/TypedDataSet?$format=json", label: "rijen")
        guard !rows.isEmpty else { throw Failure(description: "De tabel \(table) heeft geen rijen.", isOffline: false) }
        document["TypedDataSet"] = rows
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    /// All rows of an entity set, following `@odata.nextLink` (v4) or `odata.nextLink` (v3).
    func all(_ url: String, label: String) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        var next: String? = url
        var page = 0
        while let current = next {
            page += 1
            let object = try await fetch(current)
            guard let value = object["value"] as? [[String: Any]] else {
                throw Failure(description: "Onverwacht antwoord van \(current): geen lijst 'value' (is dit de OData-API van \(publisher == .cbs ? "het CBS (v4)" : "StatLine (v3)")?)", isOffline: false)
            }
            rows += value
            next = (object["@odata.nextLink"] ?? object["odata.nextLink"]) as? String
            if next != nil || page > 1 { progress("  \(label): pagina \(page), \(rows.count) tot nu toe") }
        }
        progress("  \(label): \(rows.count)")
        return rows
    }

    /// One GET with retries (see ``HTTPJSON``).
    func fetch(_ address: String) async throws -> [String: Any] {
        guard let url = URL(string: address) else { throw Failure(description: "Ongeldig adres: \(address)", isOffline: false) }
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return try await HTTPJSON.object(request, service: publisher.service, attempts: attempts, progress: progress,
                                         notFound: publisher == .cbs
                                             ? "Niet gevonden (404): \(address). Bestaat de tabel, en staat hij in de OData v4-catalogus van het CBS?"
                                             : "Niet gevonden (404): \(address). Bestaat de tabel op StatLine van derden (RIVM, GGD)? Kies een ander adres met --api.",
                                         offlineHint: "Download de tabel dan op een computer met internet (pbmonitor cbs of via StatLine) en importeer het bestand hier met `pbmonitor import BESTAND`.")
    }
}

/// One JSON request with retries, for the CBS and Open Raadsinformatie clients: network errors, 429 and 5xx are tried
/// again after 0.5, 1, 2 … seconds; offline ends with a message that says what to do instead.
enum HTTPJSON {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        var isOffline: Bool
    }

    static func object(_ request: URLRequest, service: String, attempts: Int, progress: @Sendable (String) -> Void, notFound: String,
                       offlineHint: String) async throws -> [String: Any] {
        let address = request.url?.absoluteString ?? ""
        var lastProblem = ""
        var offline = false
        for attempt in 1...attempts {
            if attempt > 1 {
                progress("  opnieuw proberen (\(attempt)/\(attempts)) na: \(lastProblem)")
                try await Task.sleep(for: .milliseconds(250 << attempt))
            }
            let data: Data, response: URLResponse
            do {
                (data, response) = try await URLSession.shared.data(for: request)
            } catch {
                lastProblem = error.localizedDescription
                offline = true
                continue
            }
            offline = false
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            switch status {
            case 200:
                guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw Failure(description: "Het antwoord van \(address) is geen JSON-object.", isOffline: false)
                }
                return object
            case 404:
                throw Failure(description: notFound, isOffline: false)
            case 429, 500...599:
                lastProblem = "HTTP \(status)"
                continue
            default:
                throw Failure(description: "\(service) antwoordde met HTTP \(status) op \(address).", isOffline: false)
            }
        }
        if offline {
            throw Failure(description: """
                Geen verbinding met \(service) (\(address)): \(lastProblem).
                Is deze computer offline? \(offlineHint) Er is niets geïmporteerd.
                """, isOffline: true)
        }
        throw Failure(description: "\(service) gaf na \(attempts) pogingen nog steeds een fout (\(lastProblem)) op \(address). Er is niets geïmporteerd.",
                      isOffline: false)
    }
}
