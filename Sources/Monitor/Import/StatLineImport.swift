import Foundation

/// Reads CBS StatLine's OData "TypedDataSet" CSV download as CBS publishes it: UTF-8 with BOM,
/// `;`, every field quoted, space-padded values (`"GM0363    "`, `"  862965"`), column keys with
/// a numeric suffix that changes between editions (`AantalInwoners_5`), a region column
/// (`WijkenEnBuurten` or `RegioS`), an optional `Perioden` column (`2019JJ00`) and the marker `.`.
///
/// Columns map to indicators through the CBS keys in the catalogue (`cbs:`), matched without the
/// numeric suffix. Columns that map to nothing are reported. Region codes that the monitor does not
/// know yet are returned as new areas, their parent derived from the code.
public enum StatLineImporter {
    static let regionKeys = ["WijkenEnBuurten", "RegioS", "Regio's", "Gemeenten"]
    static let descriptiveKeys: Set<String> = ["ID", "Gemeentenaam", "SoortRegio", "Codering", "IndelingswijzigingWijkenEnBuurten",
                                               "Perioden", "Gemeentecode", "Wijkcode", "Buurtcode", "Marges"]
    /// In a table with a dimension `Marges` (RIVM and GGD tables give each figure with its 95% bounds as extra rows),
    /// the rows of the figure itself; the bounds are not figures of the monitor.
    static let valueMargin = "MW00000"

    /// The key without CBS's numeric suffix: `AantalInwoners_5` → `AantalInwoners`.
    public static func baseKey(_ key: String) -> String {
        guard let underscore = key.lastIndex(of: "_"), key[key.index(after: underscore)...].allSatisfy(\.isASCIIDigit),
              key.index(after: underscore) < key.endIndex else { return key }
        return String(key[..<underscore])
    }

    /// True when the header looks like a TypedDataSet download (an `ID` column and a CBS region column, or suffixed keys).
    public static func detect(_ table: CSVTable) -> Bool {
        let keys = table.header.map(baseKey)
        let hasRegion = keys.contains { regionKeys.contains($0) }
        let suffixed = table.header.filter { $0 != baseKey($0) }.count
        return hasRegion && (keys.contains("ID") || suffixed >= 1)
    }

    /// Parses a TypedDataSet CSV into a batch (format "statline-csv").
    public static func parse(_ data: Data, file: String, catalog: Catalog, period: String?) throws(ImportError) -> ImportBatch {
        let table = try CSVReader.read(data, file: file)
        return try parse(table, data: data, file: file, catalog: catalog, period: period)
    }

    /// - Parameter titles: the titles of the table's measures by column key (an OData v3 document's `DataProperties`): a
    ///   column whose key is not in the catalogue maps by its title to the indicator with that name or source column — how
    ///   RIVM's and the GGDs' tables on StatLine (Gezondheidsmonitor Jeugd) reach the `gmj_*` entries, whose keys differ per table.
    static func parse(_ table: CSVTable, data: Data, file: String, catalog: Catalog, period: String?,
                      titles: [String: String] = [:]) throws(ImportError) -> ImportBatch {
        let keys = table.header.map(baseKey)
        let byTitle = titles.isEmpty ? [:] : GGDImporter.defaultMapping(catalog)
        guard let regionColumn = keys.firstIndex(where: { regionKeys.contains($0) }) else {
            throw ImportError(file: file, line: 1, expected: tr("een regiokolom van CBS (WijkenEnBuurten of RegioS)"))
        }
        let periodColumn = keys.firstIndex(of: "Perioden")
        let fixedPeriod: String?
        if let period {
            guard let normalized = TidyImporter.normalizePeriod(period) else {
                throw ImportError(file: file, found: period, expected: tr("een periode als 2023 (of CBS-notatie 2023JJ00)"))
            }
            fixedPeriod = normalized
        } else {
            fixedPeriod = nil
        }
        if periodColumn == nil && fixedPeriod == nil {
            throw ImportError(file: file, line: 1, expected: tr("deze CBS-tabel heeft geen kolom Perioden; geef de periode mee met --periode (bijvoorbeeld --periode 2022)"))
        }
        let nameColumn = keys.firstIndex(of: "Gemeentenaam")
        let marginColumn = keys.firstIndex(of: "Marges")
        var mapped: [(column: Int, indicator: Indicator)] = []
        var unmapped: [String] = []
        for (index, key) in keys.enumerated() where index != regionColumn && index != periodColumn {
            if let indicator = catalog.indicator(forCBSKey: key), indicator.isLoaded {
                mapped.append((index, indicator))
            } else if let title = titles[table.header[index]], let id = byTitle[GGDImporter.key(title)], let indicator = catalog[id], indicator.isLoaded {
                mapped.append((index, indicator))
            } else if !descriptiveKeys.contains(key) {
                unmapped.append(table.header[index])
            }
        }
        if mapped.isEmpty {
            throw ImportError(file: file, line: 1, found: table.header.prefix(8).joined(separator: ";"),
                expected: tr("ten minste één kolom met een CBS-sleutel die in de catalogus staat (zoals AantalInwoners)"))
        }
        // TypedDataSet numbers use a decimal point, whatever the separator.
        let context = TidyImporter.RowContext(file: file, header: table.header, decimalComma: false)
        var observations: [Observation] = []
        var seen: [ObservationKey: Int] = [:]
        var areaPositions: [AreaCode: (line: Int, column: String)] = [:]
        var names: [AreaCode: String] = [:]
        observations.reserveCapacity(table.rows.count * mapped.count)
        for row in table.rows {
            if let marginColumn, row.fields[marginColumn].trimmedWhitespace != valueMargin { continue }
            let raw = row.fields[regionColumn].trimmedWhitespace
            guard let area = AreaCode(raw) else {
                throw ImportError(file: file, line: row.line, column: table.header[regionColumn], found: raw,
                    expected: tr("een CBS-gebiedscode zoals NL00, GM0363, WK036300 of BU03630000"))
            }
            if areaPositions[area] == nil { areaPositions[area] = (row.line, table.header[regionColumn]) }
            if let nameColumn { names[area] = row.fields[nameColumn].trimmedWhitespace }
            let rowPeriod: String
            if let fixedPeriod {
                rowPeriod = fixedPeriod
            } else {
                let text = row.fields[periodColumn!].trimmedWhitespace
                guard let p = TidyImporter.normalizePeriod(text) else {
                    throw ImportError(file: file, line: row.line, column: table.header[periodColumn!], found: text,
                        expected: tr("een CBS-periode als 2023JJ00 of 2021KW01"))
                }
                rowPeriod = p
            }
            for column in mapped {
                let (status, value) = try context.cell(row.fields, column.column, line: row.line, unit: column.indicator.unit)
                let observation = Observation(indicator: column.indicator.id, area: area, period: rowPeriod, status: status, value: value)
                if let first = seen[observation.key] {
                    throw ImportError(file: file, line: row.line,
                        expected: tr("elk gebied één keer per periode; {0} in {1} staat ook op regel {2} (dubbele regel)", area, rowPeriod, first))
                }
                seen[observation.key] = row.line
                observations.append(observation)
            }
        }
        var batch = ImportBatch(file: file, sha256: SHA256.hex(data), format: "statline-csv", rowCount: table.rows.count,
                                observations: observations, unmappedColumns: unmapped, areaPositions: areaPositions)
        batch.areaNames = names
        batch.createsUnknownAreas = true
        return batch
    }
}

extension Catalog {
    /// The indicator whose `cbs:` keys contain this key (compared without the numeric suffix).
    public func indicator(forCBSKey key: String) -> Indicator? {
        let base = StatLineImporter.baseKey(key)
        return indicators.first { $0.cbsKeys.contains(base) }
    }
}

/// Picks the reader for a file: a StatLine TypedDataSet download or tidy CSV.
public enum Importer {
    /// The formats `pbmonitor import --format` accepts.
    public enum Format: String, CaseIterable, Sendable {
        case auto, tidy, statline, json, ggd
    }

    /// - Parameter ggdMapping: GGD subjects to indicator ids (the beheerder's table); nil: the catalogue's own names.
    public static func parse(_ data: Data, file: String, catalog: Catalog, period: String?, format: Format = .auto,
                             ggdMapping: [String: String]? = nil) throws(ImportError) -> ImportBatch {
        let mapping = ggdMapping ?? GGDImporter.defaultMapping(catalog)
        switch format {
        case .ggd: return try GGDImporter.parse(data, file: file, catalog: catalog, mapping: mapping)
        case .tidy: return try TidyImporter.parse(data, file: file, catalog: catalog, period: period)
        case .statline: return try StatLineImporter.parse(data, file: file, catalog: catalog, period: period)
        case .json: return try StatLineJSONImporter.parse(data, file: file, catalog: catalog, period: period)
        case .auto:
            if StatLineJSONImporter.looksLikeJSON(data) {
                return try StatLineJSONImporter.parse(data, file: file, catalog: catalog, period: period)
            }
            let table = try CSVReader.read(data, file: file)
            if StatLineImporter.detect(table) {
                return try StatLineImporter.parse(table, data: data, file: file, catalog: catalog, period: period)
            }
            if GGDImporter.detect(table) {
                return try GGDImporter.parse(table, data: data, file: file, catalog: catalog, mapping: mapping)
            }
            return try TidyImporter.parse(table, data: data, file: file, catalog: catalog, period: period)
        }
    }
}

/// Reads CBS OData v3 JSON: a `TypedDataSet` (or `value`) array of rows keyed like the CSV download
/// (`AantalInwoners_5`), optionally with the table's `DataProperties`. Rows become the same table
/// the CSV reader makes, so columns map to the catalogue the same way; `null` is CBS's `.`.
public enum StatLineJSONImporter {
    /// A JSON syntax error in Dutch with its line and column (Foundation reports a character offset, in English).
    static func jsonError(_ error: any Error, data: Data, file: String) -> ImportError {
        let debug = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? ""
        var offset: Int?
        if let range = debug.range(of: #"character (\d+)"#, options: .regularExpression) {
            offset = Int(debug[range].dropFirst("character ".count))
        }
        if let lineRange = debug.range(of: #"line (\d+), column (\d+)"#, options: .regularExpression) {
            let numbers = debug[lineRange].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count == 2 {
                return ImportError(file: file, line: numbers[0], column: "teken \(numbers[1])", expected: tr("geldige JSON (een waarde, komma of haakje klopt hier niet)"))
            }
        }
        guard let offset, offset >= 0, offset <= data.count else {
            return ImportError(file: file, expected: tr("geldige JSON (het bestand is geen JSON of is afgebroken)"))
        }
        let before = data.prefix(offset)
        let line = before.filter { $0 == 0x0A }.count + 1
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
        let column = String(decoding: data[lineStart..<(before.startIndex + offset)], as: UTF8.self).count + 1
        let found = String(decoding: data[(before.startIndex + offset)...].prefix(12), as: UTF8.self)
        return ImportError(file: file, line: line, column: "teken \(column)", found: found.isEmpty ? "het einde van het bestand" : found,
                           expected: tr("geldige JSON (een waarde, komma of haakje klopt hier niet)"))
    }

    public static func looksLikeJSON(_ data: Data) -> Bool {
        let first = data.drop { [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }.first
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    public static func parse(_ data: Data, file: String, catalog: Catalog, period: String?) throws(ImportError) -> ImportBatch {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw jsonError(error, data: data, file: file)
        }
        let rows: [[String: Any]]
        if let dictionary = object as? [String: Any], let observations = dictionary["Observations"] as? [[String: Any]] {
            return try StatLineV4Importer.parse(observations, document: dictionary, data: data, file: file, catalog: catalog, period: period)
        }
        if let array = object as? [[String: Any]] {
            rows = array
        } else if let dictionary = object as? [String: Any], let array = (dictionary["TypedDataSet"] ?? dictionary["value"]) as? [[String: Any]] {
            rows = array
        } else {
            throw ImportError(file: file, expected: tr("een CBS OData-bestand: een lijst 'TypedDataSet', 'value' of 'Observations' met rijen"))
        }
        guard let first = rows.first else { throw ImportError(file: file, expected: tr("ten minste één rij in 'TypedDataSet'")) }
        if first["Measure"] != nil && first.keys.contains("Value") {
            return try StatLineV4Importer.parse(rows, document: object as? [String: Any] ?? [:], data: data, file: file, catalog: catalog, period: period)
        }
        var header = first.keys.sorted { a, b in a == "ID" || (b != "ID" && a < b) }
        for row in rows.dropFirst() { for key in row.keys where !header.contains(key) { header.append(key) } }
        // Line numbers count rows from 2, as if the JSON rows were CSV lines after a header; null is CBS's '.'.
        let tableRows = rows.enumerated().map { index, row in
            (line: index + 2, fields: header.map { key in StatLineV4Importer.text(row[key]) ?? "." })
        }
        let table = CSVTable(header: header, rows: tableRows, delimiter: ";")
        guard StatLineImporter.detect(table) else {
            throw ImportError(file: file, found: header.prefix(6).joined(separator: ", "),
                expected: tr("CBS-kolommen: een regiokolom (WijkenEnBuurten of RegioS) en sleutels als AantalInwoners_5"))
        }
        // The measures' titles (`DataProperties`: Key and Title), when the document has them.
        var titles: [String: String] = [:]
        for property in (object as? [String: Any])?["DataProperties"] as? [[String: Any]] ?? [] {
            if let key = property["Key"] as? String, let title = property["Title"] as? String, !key.isEmpty { titles[key] = title }
        }
        var batch = try StatLineImporter.parse(table, data: data, file: file, catalog: catalog, period: period, titles: titles)
        batch.format = "statline-json"
        return batch
    }
}

/// Reads CBS OData v4 JSON (`Observations`: one row per region × period × measure, with `Measure`,
/// `Value` and `ValueAttribute`). A document may carry the table's `MeasureCodes` (as `pbmonitor cbs`
/// saves it); a measure maps to an indicator by its code or, through its title, by the CBS key in the
/// catalogue ("Aantal inwoners" → AantalInwoners). Observations are turned into the TypedDataSet
/// table, so mapping, markers, new areas and the report are the same as for the CSV download.
/// Line numbers in messages are positions in the `Observations` list (the first is 1).
public enum StatLineV4Importer {
    /// A JSON value as the text of a CSV cell; nil for null (shared with the v3 reader).
    static func text(_ value: Any?) -> String? {
        switch value {
        case nil, is NSNull: nil
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: String(describing: value!)
        }
    }

    /// `Aantal inwoners` → `AantalInwoners`; `Percentage jongeren met jeugdzorg` → `PercentageJongerenMetJeugdzorg`.
    public static func key(fromTitle title: String) -> String {
        title.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// CBS value attributes as the markers of the CSV download.
    static func marker(_ attribute: String?) -> String {
        switch attribute?.lowercased() {
        case "confidential", "secret", "geheim": "x"
        case "impossible", "notapplicable", "nvt": "-"
        default: "."
        }
    }

    static func parse(_ observations: [[String: Any]], document: [String: Any], data: Data, file: String, catalog: Catalog,
                      period: String?) throws(ImportError) -> ImportBatch {
        guard let first = observations.first else { throw ImportError(file: file, expected: tr("ten minste één waarneming in 'Observations'")) }
        guard let regionKey = first.keys.first(where: { StatLineImporter.regionKeys.contains($0) }) else {
            throw ImportError(file: file, line: 1, found: first.keys.sorted().joined(separator: ", "),
                expected: tr("een regiodimensie van CBS (WijkenEnBuurten of RegioS) in elke waarneming"))
        }
        // Measure → column key: the code itself when the catalogue knows it, else the key made from its title.
        var titles: [String: String] = [:]
        for code in document["MeasureCodes"] as? [[String: Any]] ?? [] {
            if let id = text(code["Identifier"]), let title = text(code["Title"]) { titles[id] = title }
        }
        var names: [String: String] = [:]
        for dimension in ["WijkenEnBuurtenCodes", "RegioSCodes"] {
            for code in document[dimension] as? [[String: Any]] ?? [] {
                if let id = text(code["Identifier"]), let title = text(code["Title"]) { names[id.trimmedWhitespace] = title.trimmedWhitespace }
            }
        }
        func column(_ measure: String) -> String {
            if catalog.indicator(forCBSKey: measure) != nil { return measure }
            if let title = titles[measure], catalog.indicator(forCBSKey: key(fromTitle: title)) != nil { return key(fromTitle: title) }
            return titles[measure].map { "\(measure) (\($0))" } ?? measure
        }
        var measures: [String] = []
        var columnOf: [String: String] = [:]
        struct Row { var line: Int; var region: String; var period: String?; var values: [String: String] }
        var rows: [Row] = []
        var rowIndex: [String: Int] = [:]
        for (index, observation) in observations.enumerated() {
            let line = index + 1
            guard let measure = text(observation["Measure"]), !measure.isEmpty else {
                throw ImportError(file: file, line: line, column: "Measure", expected: "een meetcode (Measure) in elke waarneming")
            }
            guard let region = text(observation[regionKey]) else {
                throw ImportError(file: file, line: line, column: regionKey, expected: tr("een regiocode in elke waarneming"))
            }
            let rowPeriod = text(observation["Perioden"])
            if columnOf[measure] == nil {
                columnOf[measure] = column(measure)
                measures.append(measure)
            }
            let cell: String
            if let value = observation["Value"], !(value is NSNull) {
                guard let number = value as? NSNumber else {
                    throw ImportError(file: file, line: line, column: "Value", found: text(value),
                        expected: tr("een getal of null"))
                }
                cell = number.stringValue
            } else {
                cell = marker(text(observation["ValueAttribute"]))
            }
            let rowKey = region + "|" + (rowPeriod ?? "")
            if let existing = rowIndex[rowKey] {
                if rows[existing].values[measure] != nil {
                    throw ImportError(file: file, line: line, column: "Measure", found: measure,
                        expected: tr("elke meting één keer per regio en periode; deze staat ook op positie {0}", rows[existing].line))
                }
                rows[existing].values[measure] = cell
            } else {
                rowIndex[rowKey] = rows.count
                rows.append(Row(line: line, region: region, period: rowPeriod, values: [measure: cell]))
            }
        }
        let hasPeriod = rows.contains { $0.period != nil }
        var header = [regionKey] + (hasPeriod ? ["Perioden"] : []) + measures.map { columnOf[$0]! }
        if !names.isEmpty { header.append("Gemeentenaam") }
        let tableRows = rows.map { row -> (line: Int, fields: [String]) in
            var fields = [row.region] + (hasPeriod ? [row.period ?? ""] : []) + measures.map { row.values[$0] ?? "." }
            if !names.isEmpty { fields.append(names[row.region.trimmedWhitespace] ?? "") }
            return (row.line, fields)
        }
        let table = CSVTable(header: header, rows: tableRows, delimiter: ";")
        var batch = try StatLineImporter.parse(table, data: data, file: file, catalog: catalog, period: period)
        batch.format = "statline-odata-v4"
        return batch
    }
}
