import ArgumentParser
import Foundation
import Monitor
import MonitorStore
import MonitorWeb
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension PBMonitor {
    struct Documents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "documents",
            abstract: "Importeer raadsstukken (tekst, HTML of PDF) voor de documentanalyse.",
            discussion: """
                Eén of meer bestanden met --gemeente, --datum en --soort (en --titel; anders de bestandsnaam), of een lijst
                (--lijst stukken.csv) met de kolommen bestand, gemeente, datum, soort, titel; bestanden in de lijst staan
                naast de lijst. PDF wordt gelezen met pdftotext (Debian: poppler-utils). Alles komt erin in één transactie,
                of niets; een stuk dat er al is (zelfde bestand en inhoud) wordt overgeslagen.
                """, aliases: ["documenten"])

        @Argument(help: "Bestanden (.txt, .html, .pdf).")
        var files: [String] = []

        @Option(name: .long, help: "CSV met bestand, gemeente, datum, soort, titel.")
        var lijst: String?

        @Option(name: .long, help: "Gemeentecode, bijvoorbeeld GM0363.")
        var gemeente: String?

        @Option(name: .long, help: "Datum van het stuk, JJJJ-MM-DD.")
        var datum: String?

        @Option(name: .long, help: "Soort: \(CouncilDocument.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var soort: String = "overig"

        @Option(name: .long, help: "Titel (alleen bij één bestand; standaard de bestandsnaam).")
        var titel: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if lijst == nil && files.isEmpty { throw ValidationError("Geef bestanden of --lijst.") }
            if lijst == nil && (gemeente == nil || datum == nil) { throw ValidationError("Geef --gemeente en --datum (of gebruik --lijst).") }
            if titel != nil && files.count > 1 { throw ValidationError("--titel geldt voor één bestand.") }
        }

        func run() async throws {
            let configuration = try store.configuration()
            let documents: [CouncilDocument]
            do {
                documents = try read()
            } catch let error as ImportError {
                Shared.standardError(error.description)
                throw Exit.inputRejected
            }
            try await Shared.withStore(configuration, catalog: try Shared.loadCatalog(configuration), migrate: true) { store in
                let known = Set(try await store.areas(kind: .gemeente).map(\.code))
                if let unknown = documents.first(where: { !known.contains($0.gemeente) }) {
                    Shared.standardError(ImportError(file: unknown.source, column: "gemeente", found: unknown.gemeente.rawValue,
                                                     expected: "een gemeente die de monitor kent").description)
                    throw Exit.inputRejected
                }
                let result = try await store.addDocuments(documents, actor: SQLStore.commandLineActor)
                print("\(result.added) raadsstuk(ken) toegevoegd, \(result.skipped) stond(en) er al in.")
            }
        }

        /// Every document, read and checked before anything is written.
        func read() throws -> [CouncilDocument] {
            struct Entry { var path: String; var gemeente: String; var datum: String; var soort: String; var titel: String?; var line: Int; var file: String }
            var entries: [Entry] = []
            if let lijst {
                let table = try CSVReader.read(try Shared.readFile(lijst), file: lijst)
                let header = table.header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
                for column in ["bestand", "gemeente", "datum", "soort"] where !header.contains(column) {
                    throw ImportError(file: lijst, line: 1, column: column, expected: "de kolommen bestand, gemeente, datum, soort en titel")
                }
                let folder = URL(fileURLWithPath: lijst).deletingLastPathComponent()
                for row in table.rows {
                    func field(_ name: String) -> String {
                        guard let i = header.firstIndex(of: name), i < row.fields.count else { return "" }
                        return row.fields[i].trimmingCharacters(in: .whitespaces)
                    }
                    entries.append(Entry(path: folder.appendingPathComponent(field("bestand")).path, gemeente: field("gemeente"), datum: field("datum"),
                                         soort: field("soort"), titel: field("titel").isEmpty ? nil : field("titel"), line: row.line, file: lijst))
                }
            }
            for path in files {
                entries.append(Entry(path: path, gemeente: gemeente ?? "", datum: datum ?? "", soort: soort, titel: titel, line: 0, file: path))
            }
            return try entries.map { e in
                func problem(_ column: String, _ found: String, _ expected: String) -> ImportError {
                    ImportError(file: e.file, line: e.line == 0 ? nil : e.line, column: column, found: found, expected: expected)
                }
                guard let code = AreaCode(e.gemeente.uppercased()), code.kind == .gemeente else { throw problem("gemeente", e.gemeente, "een gemeentecode als GM0363") }
                guard let date = ReferenceDate(e.datum) else { throw problem("datum", e.datum, "een datum als 2024-05-14") }
                guard let kind = CouncilDocument.Kind(text: e.soort) else {
                    throw problem("soort", e.soort, CouncilDocument.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard let data = FileManager.default.contents(atPath: e.path) else { throw problem("bestand", e.path, "een bestand dat bestaat") }
                let name = (e.path as NSString).lastPathComponent
                let text = try DocumentText.extract(data, fileName: name)
                return CouncilDocument(gemeente: code, date: date, kind: kind, title: e.titel ?? (name as NSString).deletingPathExtension, 
                                       source: CouncilDocument.fileSource("bestand", gemeente: code, date: date, fileName: name, text: text), text: text)
            }
        }
    }

    struct ORI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ori",
            abstract: "Haal raadsstukken die een term noemen op uit Open Raadsinformatie en importeer ze.",
            discussion: """
                Zoekt met de zoek-API van Open Raadsinformatie (Elasticsearch, https://api.openraadsinformatie.nl/v1/elastic)
                naar documenten (MediaObject) die de term noemen in een periode, pagina voor pagina, en importeert ze in één
                transactie. De gemeente volgt uit de index (ori_amsterdam_… → Amsterdam); stukken van onbekende organisaties
                worden overgeslagen en genoemd. Zonder internet volgt een duidelijke melding.
                """)

        @Option(name: .long, help: "De term (standaard: pedagogische basis, als woordgroep).")
        var term: String = "pedagogische basis"

        @Option(name: .long, help: "Vanaf datum, JJJJ-MM-DD.")
        var van: String = "2020-01-01"

        @Option(name: .long, help: "Tot en met datum, JJJJ-MM-DD.")
        var tot: String = "2025-06-30"

        @Option(name: .long, help: "Hoogstens zoveel documenten.")
        var max: Int = 2000

        @Option(name: .long, help: "Adres van de zoek-API.")
        var api: String = ORIClient.defaultBase

        @Option(name: .long, help: "Aantal pogingen per verzoek.")
        var pogingen: Int = 3

        @Option(name: .customLong("per-pagina"), help: "Documenten per verzoek.")
        var perPagina: Int = 100

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard ReferenceDate(van) != nil, ReferenceDate(tot) != nil else { throw ValidationError("--van en --tot: een datum als 2024-05-14") }
            guard URL(string: api)?.scheme?.hasPrefix("http") == true else { throw ValidationError("--api: geen http(s)-adres: \(api)") }
            guard (1...50_000).contains(max) else { throw ValidationError("--max: 1 tot en met 50.000") }
            guard (1...1000).contains(perPagina) else { throw ValidationError("--per-pagina: 1 tot en met 1.000") }
        }

        func run() async throws {
            let configuration = try store.configuration()
            try await Shared.withStore(configuration, catalog: try Shared.loadCatalog(configuration), migrate: true) { store in
                let gemeenten = try await store.areas(kind: .gemeente)
                let client = ORIClient(base: api, attempts: pogingen, pageSize: perPagina) { Shared.standardError($0) }
                let found: ORIClient.Result
                do {
                    found = try await client.documents(term: term, from: van, to: tot, max: max, gemeenten: gemeenten)
                } catch let error as HTTPJSON.Failure {
                    Shared.standardError(error.description)
                    throw error.isOffline ? Exit.unavailable : Exit.failed
                }
                for (index, count) in found.unknownIndices.sorted(by: { $0.key < $1.key }) {
                    Shared.standardError("  overgeslagen: \(count) stuk(ken) uit \(index) (geen gemeente die de monitor kent)")
                }
                let result = try await store.addDocuments(found.documents, actor: SQLStore.commandLineActor)
                print("Open Raadsinformatie: \(found.total) treffer(s); \(result.added) raadsstuk(ken) toegevoegd, \(result.skipped) stond(en) er al in.")
            }
        }
    }
}

/// A client for the Open Raadsinformatie search API (Elasticsearch over the documents of councils).
struct ORIClient: Sendable {
    static let defaultBase = "https://api.openraadsinformatie.nl/v1/elastic"
    var base: String
    var attempts: Int
    var pageSize = 100
    var progress: @Sendable (String) -> Void

    struct Result: Sendable {
        var documents: [CouncilDocument]
        var total: Int
        var unknownIndices: [String: Int]
    }

    /// The gemeente of an ORI index: `ori_amsterdam_20191024114004` → Amsterdam (folded names, a few known aliases).
    static func gemeente(index: String, among gemeenten: [Area]) -> AreaCode? {
        var key = index.lowercased()
        if key.hasPrefix("ori_") { key.removeFirst(4) }
        if let range = key.range(of: #"_[0-9]{8,}$"#, options: .regularExpression) { key.removeSubrange(range) }
        let aliases = ["den_haag": "s_gravenhage", "den_bosch": "s_hertogenbosch", "s_hertogenbosch": "s_hertogenbosch"]
        key = aliases[key] ?? key
        func normal(_ name: String) -> String {
            SearchText.fold(name).map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                .replacingOccurrences(of: "__", with: "_").trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        }
        return gemeenten.first { normal($0.name) == key || normal($0.name).replacingOccurrences(of: "_", with: "") == key.replacingOccurrences(of: "_", with: "") }?.code
    }

    /// The kind of a document from words in its name (ORI does not classify them).
    static func kind(_ title: String) -> CouncilDocument.Kind {
        let t = SearchText.fold(title)
        for (word, kind) in [("raadsvoorstel", CouncilDocument.Kind.raadsvoorstel), ("raadsbesluit", .raadsbesluit), ("motie", .motie), ("amendement", .amendement),
                             ("raadsinformatiebrief", .raadsinformatiebrief), ("collegebrief", .collegebrief), ("beleidsnota", .beleidsnota),
                             ("nota", .beleidsnota), ("verslag", .verslag), ("notulen", .verslag)] where t.contains(word) {
            return kind
        }
        return .overig
    }

    func documents(term: String, from: String, to: String, max: Int, gemeenten: [Area]) async throws -> Result {
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: "\(root)/ori_*/_search") else { throw HTTPJSON.Failure(description: "Ongeldig adres: \(root)", isOffline: false) }
        progress("Open Raadsinformatie: \"\(term)\" van \(from) tot en met \(to) bij \(root)…")
        var result = Result(documents: [], total: 0, unknownIndices: [:])
        var offset = 0
        while offset < max {
            let body: [String: Any] = [
                "query": ["bool": ["must": [
                    ["simple_query_string": ["fields": ["text", "title", "description", "name"], "default_operator": "and", "query": "\"\(term)\""]],
                    ["term": ["@type": "MediaObject"]],
                    ["range": ["last_discussed_at": ["gte": from, "lte": to]]],
                ]]],
                "_source": ["includes": ["name", "text", "md_text", "last_discussed_at", "original_url"]],
                "size": Swift.min(pageSize, max - offset), "from": offset,
                "sort": [["last_discussed_at": ["order": "desc"]]],
            ]
            var request = URLRequest(url: url, timeoutInterval: 120)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            let object = try await HTTPJSON.object(request, service: "Open Raadsinformatie", attempts: attempts, progress: progress,
                                                   notFound: "Niet gevonden (404): \(url.absoluteString). Is dit de zoek-API van Open Raadsinformatie?",
                                                   offlineHint: "Importeer de stukken dan als bestanden met `pbmonitor documents`.")
            guard let hits = object["hits"] as? [String: Any], let list = hits["hits"] as? [[String: Any]] else {
                throw HTTPJSON.Failure(description: "Onverwacht antwoord van \(url.absoluteString): geen hits.hits (is dit Elasticsearch?)", isOffline: false)
            }
            result.total = (hits["total"] as? [String: Any])?["value"] as? Int ?? hits["total"] as? Int ?? result.total
            for hit in list {
                let index = hit["_index"] as? String ?? ""
                let source = hit["_source"] as? [String: Any] ?? [:]
                guard let code = Self.gemeente(index: index, among: gemeenten) else { result.unknownIndices[index, default: 0] += 1; continue }
                let pieces = (source["md_text"] as? [String]) ?? (source["text"] as? [String]) ?? [(source["md_text"] as? String) ?? (source["text"] as? String) ?? ""]
                let text = pieces.joined(separator: "\n\n")
                let title = (source["name"] as? String) ?? "(zonder titel)"
                guard text.contains(where: \.isLetter), let day = (source["last_discussed_at"] as? String).flatMap({ ReferenceDate(String($0.prefix(10))) }) else {
                    continue
                }
                result.documents.append(CouncilDocument(gemeente: code, date: day, kind: Self.kind(title), title: title,
                                                        source: "ori:\(hit["_id"] as? String ?? UUID().uuidString)", text: text))
            }
            offset += list.count
            progress("  pagina \(offset / pageSize + (offset % pageSize == 0 ? 0 : 1)): \(offset) van \(Swift.min(result.total, max))")
            if list.count < pageSize || offset >= result.total { break }
        }
        return result
    }
}
