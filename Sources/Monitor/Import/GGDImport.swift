import Foundation

/// Reads a GGD export as the GGD's deliver them from their monitor dashboards (Gezondheidsmonitor Jeugd, kindmonitor):
/// one row per area and subject, with a percentage, its 95% bounds, the number of respondents, and a marker where there
/// were too few.
///
/// ```
/// Regiocode;Regionaam;Indicator;Jaar;Percentage;Ondergrens;Bovengrens;Aantal
/// GG2707;GGD Hollands-Noorden;Voelt zich gelukkig;2023;84,2;83,6;84,8;12544
/// WK036101;Binnenstad;Voelt zich gelukkig;2023;te weinig waarnemingen;;;38
/// ```
///
/// Columns are found by name (not by place; case and spaces do not matter, common variants are accepted). The subject
/// in `Indicator` is mapped to a catalogue indicator by a table a beheerder edits (``defaultMapping(_:)`` gives the
/// catalogue's own names). A row for an unknown subject, an unknown area or an impossible number stops the whole file
/// with its line and column; nothing is imported then.
public enum GGDImporter {
    /// Names accepted per column (lowercased, spaces and punctuation removed).
    static let columns: [(key: String, names: [String], required: Bool)] = [
        ("code", ["regiocode", "gebiedscode", "code", "regio", "gebied"], true),
        ("name", ["regionaam", "gebiedsnaam", "naam"], false),
        ("subject", ["indicator", "onderwerp", "vraag"], true),
        ("period", ["jaar", "periode", "meetjaar"], true),
        ("value", ["percentage", "waarde", "procent"], true),
        ("lower", ["ondergrens", "ondergrens95", "ondergrensbi", "ci95laag", "bi95laag"], false),
        ("upper", ["bovengrens", "bovengrens95", "bovengrensbi", "ci95hoog", "bi95hoog"], false),
        ("n", ["aantal", "n", "aantalrespondenten", "respondenten"], false),
    ]

    /// Markers a GGD writes instead of a percentage.
    static let tooFew = ["te weinig waarnemingen", "te weinig respondenten", "*", "x", "n<30", "<30"]

    /// A subject as the mapping table keys it: lowercased, single spaces.
    public static func key(_ subject: String) -> String {
        subject.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Whether a GGD export can feed the indicator: a percentage loaded from files.
    public static func canFeed(_ indicator: Indicator) -> Bool { indicator.unit == .procent && indicator.isLoaded }

    /// The names under which an export reaches the indicator without a beheerder's row: its id, name and `kolommen`.
    public static func ownNames(_ indicator: Indicator) -> [String] { [indicator.id, indicator.name] + indicator.sourceColumns }

    /// The catalogue's own names, mapped by ``key(_:)``.
    public static func defaultMapping(_ catalog: Catalog) -> [String: String] {
        var mapping: [String: String] = [:]
        for indicator in catalog.indicators where canFeed(indicator) {
            for name in ownNames(indicator) { mapping[key(name)] = indicator.id }
        }
        return mapping
    }

    static func normalised(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }

    /// True when the header looks like a GGD export (a subject column and a percentage column).
    public static func detect(_ table: CSVTable) -> Bool { isExportHeader(table.header) }

    /// The same test on a file's first line only, before anything is parsed (the command line needs the beheerder's
    /// mapping from the database for such a file).
    public static func looksLikeExport(_ data: Data) -> Bool {
        let firstLine = data.prefix { $0 != 0x0A }
        guard let text = String(data: firstLine, encoding: .utf8) else { return false }
        return isExportHeader(text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\t" }).map(String.init))
    }

    static func isExportHeader(_ header: [String]) -> Bool {
        let names = Set(header.map(normalised))
        return !names.isDisjoint(with: ["indicator", "onderwerp"]) && !names.isDisjoint(with: ["percentage", "procent"])
    }

    public static func parse(_ data: Data, file: String, catalog: Catalog, mapping: [String: String]) throws(ImportError) -> ImportBatch {
        try parse(try CSVReader.read(data, file: file), data: data, file: file, catalog: catalog, mapping: mapping)
    }

    static func parse(_ table: CSVTable, data: Data, file: String, catalog: Catalog, mapping: [String: String]) throws(ImportError) -> ImportBatch {
        let header = table.header.map(normalised)
        var index: [String: Int] = [:]
        for column in columns {
            if let found = header.firstIndex(where: { column.names.contains($0) }) {
                index[column.key] = found
            } else if column.required {
                throw ImportError(file: file, line: 1, found: table.header.joined(separator: String(table.delimiter)),
                                  expected: tr("een kolom {0} (GGD-export: Regiocode, Indicator, Jaar, Percentage, en zo mogelijk Ondergrens, Bovengrens en Aantal)", column.names[0].capitalized))
            }
        }
        let decimalComma = try TidyImporter.detectDecimalComma(table, file: file)
        func number(_ raw: String, line: Int, column: Int, what: String) throws(ImportError) -> Double {
            let text = decimalComma ? raw.replacingOccurrences(of: ",", with: ".") : raw
            guard let value = Double(text), value.isFinite else {
                throw ImportError(file: file, line: line, column: table.header[column], found: raw,
                                  expected: tr("{0} met decimale {1}", what, decimalComma ? tr("komma (bijv. 84,2)") : tr("punt (bijv. 84.2)")))
            }
            return value
        }
        var observations: [Observation] = []
        var positions: [AreaCode: (line: Int, column: String)] = [:]
        var names: [AreaCode: String] = [:]
        var seen: [ObservationKey: Int] = [:]
        for row in table.rows {
            let fields = row.fields.map(\.trimmedWhitespace)
            func field(_ key: String) -> String? { index[key].map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            let codeColumn = index["code"]!, subjectColumn = index["subject"]!, periodColumn = index["period"]!, valueColumn = index["value"]!
            guard let area = AreaCode(fields[codeColumn]) else {
                throw ImportError(file: file, line: row.line, column: table.header[codeColumn], found: fields[codeColumn],
                                  expected: tr("een CBS-gebiedscode (GG2707, GM0361, WK036101, BU03610101 of NL01)"))
            }
            let subject = fields[subjectColumn]
            guard let id = mapping[key(subject)], let indicator = catalog[id] else {
                throw ImportError(file: file, line: row.line, column: table.header[subjectColumn], found: subject,
                                  expected: tr("een onderwerp met een koppeling naar een indicator; een beheerder legt die vast op /beheer/ggd-koppeling"))
            }
            guard let period = TidyImporter.normalizePeriod(fields[periodColumn]) else {
                throw ImportError(file: file, line: row.line, column: table.header[periodColumn], found: fields[periodColumn], expected: tr("een jaar, bijv. 2023"))
            }
            let key = ObservationKey(indicator: id, area: area, period: period)
            if let earlier = seen[key] {
                throw ImportError(file: file, line: row.line, column: table.header[subjectColumn], found: subject,
                                  expected: tr("één regel per gebied, onderwerp en jaar ({0} {1} staat ook op regel {2})", area.rawValue, period, earlier))
            }
            seen[key] = row.line
            var n: Int?
            if let raw = field("n") {
                guard let count = Int(raw), count >= 0 else {
                    throw ImportError(file: file, line: row.line, column: table.header[index["n"]!], found: raw, expected: tr("een geheel aantal respondenten"))
                }
                n = count
            }
            let raw = fields[valueColumn]
            var observation: Observation
            if raw.isEmpty {
                observation = Observation(indicator: id, area: area, period: period, status: .onbekend, value: nil, n: n)
            } else if tooFew.contains(raw.lowercased()) {
                observation = Observation(indicator: id, area: area, period: period, status: .geheim, value: nil, n: n,
                                          suppressionReason: PrivacyPolicy.suppressedLabel)
            } else {
                let value = try number(raw, line: row.line, column: valueColumn, what: tr("een percentage of 'te weinig waarnemingen'"))
                guard indicator.unit.plausibleRange.contains(value) else {
                    throw ImportError(file: file, line: row.line, column: table.header[valueColumn], found: raw, expected: indicator.unit.plausibleDescription)
                }
                var interval: ConfidenceInterval?
                if let lowerColumn = index["lower"], let upperColumn = index["upper"], !fields[lowerColumn].isEmpty, !fields[upperColumn].isEmpty {
                    let lower = try number(fields[lowerColumn], line: row.line, column: lowerColumn, what: tr("een ondergrens"))
                    let upper = try number(fields[upperColumn], line: row.line, column: upperColumn, what: tr("een bovengrens"))
                    guard lower <= value, value <= upper else {
                        throw ImportError(file: file, line: row.line, column: table.header[lowerColumn], found: "\(fields[lowerColumn]) – \(fields[upperColumn])",
                                          expected: tr("een 95%-interval rond het percentage (ondergrens ≤ {0} ≤ bovengrens)", raw))
                    }
                    interval = ConfidenceInterval(lower: lower, upper: upper)
                }
                observation = Observation(indicator: id, area: area, period: period, status: .waarde, value: value, n: n, confidenceInterval: interval)
            }
            observations.append(observation)
            if positions[area] == nil { positions[area] = (row.line, table.header[codeColumn]) }
            if let name = field("name") { names[area] = name }
        }
        guard !observations.isEmpty else {
            throw ImportError(file: file, line: 2, expected: tr("ten minste één regel met een gebied, onderwerp, jaar en percentage"))
        }
        var batch = ImportBatch(file: file, sha256: SHA256.hex(data), format: "ggd", rowCount: table.rows.count, observations: observations,
                                unmappedColumns: [], areaPositions: positions)
        batch.areaNames = names
        return batch
    }
}
