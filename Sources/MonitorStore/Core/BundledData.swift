import Foundation
import Monitor
import SQLKit

/// The real open data shipped in `data/` (CBS / PDOK, CC BY 4.0), loaded on the first start.
public struct BundledData: Sendable {
    /// The `data/` folder.
    public var directory: URL
    /// Only these gemeenten (and their wijken and buurten); nil for all. For demos and tests.
    public var onlyGemeenten: Set<String>?

    public init(directory: URL, onlyGemeenten: Set<String>? = nil) {
        self.directory = directory
        self.onlyGemeenten = onlyGemeenten
    }

    /// The attribution every page and export carries.
    public static let attribution = Release.attribution

    /// The credit for one indicator's figures: its own publisher (a GGD, the gemeente itself), with CBS / PDOK for the
    /// area boundaries; CBS figures keep the one line above.
    public static func attribution(for indicator: Indicator) -> String {
        let publisher = indicator.source.publisher
        if publisher == "CBS" { return attribution }
        return "Bron van de cijfers: \(publisher) (\(indicator.source.title)); gebiedsindeling en kaarten: \(Release.dataSource), \(Release.licence)"
    }

    static let gemeentenFile = "gemeenten/gemeenten_2023.csv"
    static let dataFiles: [(path: String, period: String?)] = [
        ("kwb/kwb_2023_gemeente_wijk_buurt.csv", nil),
        ("kwb/kwb_2023_gemeenten_leeftijd_huishoudens.csv", nil),
        ("kwb/kwb_2024_gemeente_wijk.csv", nil),
    ]
    /// The report's kindmonitor table: GGD Hollands-Noorden (regio Noord-Holland Noord).
    static let ggdFile = "ggd/kerncijfers_hollands_noorden_0_11.csv"
    static let ggdRegion = "GG2707"
    static let ggdRespondents = 79776

    /// Turns the printed GGD table (a row per indicator, a column per year) into the long
    /// shape the importer reads: indicator, gebied, periode, waarde, n.
    func ggdTable() throws -> Data {
        let file = "data/" + Self.ggdFile
        let table = try CSVReader.read(try read(Self.ggdFile), file: file)
        let h = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
        guard let name = h["indicator"] else { throw ImportError(file: file, line: 1, expected: "een kolom 'indicator'") }
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = ["indicator,gebied,periode,waarde,n"]
        for row in table.rows {
            for year in ["2011", "2016", "2021"] {
                guard let column = h["pct_\(year)"] else { continue }
                let value = row.fields[column]
                guard !value.isEmpty else { continue }
                // The table prints n only for the whole 2021 round.
                let n = year == "2021" ? String(Self.ggdRespondents) : ""
                lines.append([quoted(row.fields[name]), Self.ggdRegion, year, value, n].joined(separator: ","))
            }
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    static let shapeFiles: [(path: String, year: Int)] = [
        ("geo/provincies_2023.geojson", 2023), ("geo/ggd_regios_2023.geojson", 2023),
        ("geo/gemeenten_2023.geojson", 2023), ("geo/wijken_2024.geojson", 2024),
    ]

    func read(_ path: String) throws -> Data {
        let url = directory.appendingPathComponent(path)
        do { return try Data(contentsOf: url) } catch {
            throw ImportError(file: "data/" + path, expected: "het gebundelde bestand bestaat en is leesbaar (\(error.localizedDescription))")
        }
    }

    func included(_ code: AreaCode) -> Bool {
        guard let only = onlyGemeenten, let gemeente = code.gemeente else { return true }
        return only.contains(gemeente.rawValue)
    }

    /// Filters a CSV to the chosen gemeenten (keeping NL and header) by its gemeente or region column.
    func filtered(_ data: Data) -> Data {
        guard onlyGemeenten != nil, let text = String(data: data, encoding: .utf8) else { return data }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let column = header.firstIndex(of: "regio_code") ?? header.firstIndex(of: "gemeente_code") ?? 0
        let kept = lines.filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard column < fields.count, let code = AreaCode(String(fields[column])) else { return false }
            return included(code)
        }
        return Data(([header.joined(separator: ",")] + kept.map(String.init)).joined(separator: "\n").utf8)
    }

    /// All areas: Nederland, provincies, GGD-regio's, gemeenten (with both parents), wijken and buurten.
    func areas() throws -> [Area] {
        let gemeenten = try CSVReader.read(try read(Self.gemeentenFile), file: "data/" + Self.gemeentenFile)
        let h = Dictionary(uniqueKeysWithValues: gemeenten.header.enumerated().map { ($1, $0) })
        var result: [AreaCode: Area] = [.nederland: Area(code: .nederland, name: "Nederland", indelingYear: 2024)]
        for row in gemeenten.rows {
            let f = row.fields
            guard let gm = AreaCode(f[h["gemeente_code"]!]), let pv = AreaCode(f[h["provincie_code"]!]),
                  let gg = AreaCode(f[h["ggd_code"]!]) else {
                throw ImportError(file: "data/" + Self.gemeentenFile, line: row.line, expected: "geldige gemeente-, provincie- en GGD-codes")
            }
            result[pv] = Area(code: pv, name: f[h["provincie_naam"]!], parents: [.nederland], indelingYear: 2023)
            result[gg] = Area(code: gg, name: f[h["ggd_naam"]!], parents: [.nederland], indelingYear: 2023)
            guard included(gm) else { continue }
            result[gm] = Area(code: gm, name: f[h["gemeente_naam_2024"]!], parents: [pv, gg], indelingYear: 2024)
        }
        // Wijk names: KWB 2024 (names) and the 2024 wijk boundaries; 2023-only wijken keep their code.
        var wijkNames: [AreaCode: String] = [:]
        let kwb2024 = try CSVReader.read(try read("kwb/kwb_2024_gemeente_wijk.csv"), file: "data/kwb/kwb_2024_gemeente_wijk.csv")
        let h24 = Dictionary(uniqueKeysWithValues: kwb2024.header.enumerated().map { ($1, $0) })
        for row in kwb2024.rows {
            guard let code = AreaCode(row.fields[h24["regio_code"]!]), code.kind == .wijk, included(code) else { continue }
            wijkNames[code] = row.fields[h24["regio_naam"]!]
            result[code] = Area(code: code, name: row.fields[h24["regio_naam"]!], parents: Area.parentsFromCode(code), indelingYear: 2024)
        }
        let kwb2023 = try CSVReader.read(try read("kwb/kwb_2023_gemeente_wijk_buurt.csv"), file: "data/kwb/kwb_2023_gemeente_wijk_buurt.csv")
        let h23 = Dictionary(uniqueKeysWithValues: kwb2023.header.enumerated().map { ($1, $0) })
        for row in kwb2023.rows {
            guard let code = AreaCode(row.fields[h23["regio_code"]!]), included(code) else { continue }
            switch code.kind {
            case .wijk where result[code] == nil:
                result[code] = Area(code: code, name: "Wijk \(code.rawValue.suffix(2)) (\(code.rawValue))", parents: Area.parentsFromCode(code), indelingYear: 2023)
            case .buurt:
                let wijkName = code.wijk.flatMap { wijkNames[$0] ?? result[$0]?.name } ?? code.wijk?.rawValue ?? ""
                // CBS buurt names are not in the bundled extract; the code and wijk identify the buurt.
                result[code] = Area(code: code, name: "Buurt \(code.rawValue.suffix(2)) in \(wijkName)", parents: Area.parentsFromCode(code), indelingYear: 2023)
            default: break
            }
        }
        // A buurt whose wijk is missing from the wijk list still needs its parent.
        for area in result.values where area.kind == .buurt {
            if let wijk = area.code.wijk, result[wijk] == nil {
                result[wijk] = Area(code: wijk, name: "Wijk \(wijk.rawValue.suffix(2)) (\(wijk.rawValue))", parents: Area.parentsFromCode(wijk), indelingYear: 2023)
            }
        }
        let order: [AreaKind] = [.land, .provincie, .ggdregio, .gemeente, .wijk, .buurt]
        return result.values.sorted { (order.firstIndex(of: $0.kind)!, $0.code) < (order.firstIndex(of: $1.kind)!, $1.code) }
    }

    /// Boundaries as (code, year, GeoJSON geometry text).
    func shapes(knownAreas: Set<AreaCode>) throws -> [(AreaCode, Int, String)] {
        var result: [(AreaCode, Int, String)] = []
        for (path, year) in Self.shapeFiles {
            let data = try read(path)
            guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let features = root["features"] as? [[String: Any]] else {
                throw ImportError(file: "data/" + path, expected: "een GeoJSON FeatureCollection")
            }
            for feature in features {
                let id = (feature["id"] as? String) ?? ((feature["properties"] as? [String: Any]).flatMap {
                    ($0["gemeente_code"] ?? $0["wijk_code"] ?? $0["ggd_code"] ?? $0["provincie_code"]) as? String } ?? "")
                guard let code = AreaCode(id), knownAreas.contains(code), let geometry = feature["geometry"],
                      let json = try? JSONSerialization.data(withJSONObject: geometry) else { continue }
                result.append((code, year, String(decoding: json, as: UTF8.self)))
            }
        }
        return result
    }
}

extension SQLStore {
    /// Loads only the bundled areas (no figures): for benchmarks and tests that import files themselves.
    @discardableResult
    public func loadBundledAreas(_ bundle: BundledData) async throws -> Int {
        let areas = try bundle.areas()
        try await write { db in try await Self.upsertAreas(areas, on: db) }
        return areas.count
    }

    /// Loads the bundled data in one transaction: areas, boundaries, the KWB files and the
    /// figures computed from them. Prints progress through `progress`.
    public func loadBundledData(_ bundle: BundledData, progress: @escaping @Sendable (String) -> Void) async throws -> [ImportReport] {
        progress("Gebieden lezen…")
        let areas = try bundle.areas()
        let shapes = try bundle.shapes(knownAreas: Set(areas.map(\.code)))
        var batches: [ImportBatch] = []
        for (path, period) in BundledData.dataFiles {
            progress("Lezen: data/\(path)")
            let data = bundle.filtered(try bundle.read(path))
            batches.append(try TidyImporter.parse(data, file: "data/" + path, catalog: catalog, period: period))
        }
        progress("Lezen: data/\(BundledData.ggdFile)")
        batches.append(try TidyImporter.parse(try bundle.ggdTable(), file: "data/" + BundledData.ggdFile, catalog: catalog, period: nil))
        let loadedBatches = batches
        return try await write { db in
            progress("Opslaan: \(areas.count) gebieden")
            try await Self.upsertAreas(areas, on: db)
            progress("Opslaan: \(shapes.count) gebiedsgrenzen")
            for start in stride(from: 0, to: shapes.count, by: 200) {
                let builder = db.insert(into: "area_shapes").columns("code", "year", "geojson")
                for (code, year, json) in shapes[start..<min(start + 200, shapes.count)] {
                    builder.values([SQLBind(code.rawValue), SQLBind(year), SQLBind(json)] as [any SQLExpression])
                }
                try await builder.onConflict(with: ["code", "year"]) { $0.set(excludedValueOf: "geojson") }.run()
            }
            var reports: [ImportReport] = []
            for batch in loadedBatches {
                progress("Opslaan: \(batch.observations.count) waarden uit \(batch.file)")
                reports.append(try await self.importBatch(batch, note: BundledData.attribution, derive: false, actor: "pbmonitor (eerste start)", on: db))
            }
            // Derive once for all files together (formulas and sums), not after every file.
            progress("Berekenen: formules en optellingen")
            let touched = Set(loadedBatches.flatMap { $0.observations.map { FigurePair(indicator: $0.indicator, period: $0.period) } })
            guard let first = reports.first else { return reports }
            let derived = try await self.recomputeDerived(touched: touched, importID: first.record.id, on: db)
            progress("Afschermen: kleine aantallen en wat eruit terug te rekenen is")
            try await self.refreshDisclosure(touched: touched, on: db)
            reports[reports.count - 1].derivedVersions = derived
            return reports
        }
    }
}

extension BundledData {
    /// The evaluatiebank's first entries: the report and the examples of its §4.6 (`data/evaluatiebank/studies.json`).
    public func evaluationSeed() throws -> [(study: EvaluationStudy, file: StoredFile?)] {
        struct Entry: Decodable {
            var titel, organisatie: String
            var jaar: Int
            var interventie: String
            var soort: String?
            var gemeenten: [String]?
            var sferen, perspectieven: [String]
            var opzet, uitkomsten, samenvatting, link: String
            var bestand: String?
        }
        let entries = try JSONDecoder().decode([Entry].self, from: try read("evaluatiebank/studies.json"))
        return try entries.map { e in
            let study = EvaluationStudy(title: e.titel, organisation: e.organisatie, year: e.jaar, gemeenten: (e.gemeenten ?? []).compactMap(AreaCode.init),
                                        intervention: e.interventie, facilityKind: e.soort.flatMap(Facility.Kind.init(rawValue:)),
                                        spheres: e.sferen.compactMap(Sphere.init(rawValue:)), perspectives: e.perspectieven.compactMap(Perspective.init(rawValue:)),
                                        design: EvaluationStudy.Design(rawValue: e.opzet) ?? .beschrijvend, outcomes: e.uitkomsten, summary: e.samenvatting,
                                        url: e.link, review: .goedgekeurd)
            let file = try e.bestand.map { name -> StoredFile in
                let data = try read("evaluatiebank/" + name)
                return StoredFile(name: name, type: "text/plain; charset=utf-8", data: data, text: String(decoding: data, as: UTF8.self))
            }
            return (study, file)
        }
    }
}

extension SQLStore {
    /// Fills an empty evaluatiebank with the bundled first entries (approved); returns how many were added.
    public func seedEvaluationBankIfEmpty(_ bundle: BundledData) async throws -> Int {
        // Every start asks this: one cheap query, not every study decoded.
        let any = try await connector.read { db in try await db.raw("SELECT id FROM evaluation_studies LIMIT 1").first() != nil }
        guard !any else { return 0 }
        var count = 0
        for (study, file) in try bundle.evaluationSeed() {
            _ = try await submitStudy(study, file: file, actor: "pbmonitor")
            count += 1
        }
        return count
    }
}

extension BundledData {
    /// The codes of the bundled gemeenten (for generated benchmark data).
    public func gemeenteCodes() throws -> [AreaCode] {
        let table = try CSVReader.read(try read(Self.gemeentenFile), file: "data/" + Self.gemeentenFile)
        guard let column = table.header.firstIndex(of: "gemeente_code") else { return [] }
        return table.rows.compactMap { $0.fields.count > column ? AreaCode($0.fields[column]) : nil }
    }
}
