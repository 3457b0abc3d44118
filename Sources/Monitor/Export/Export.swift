import Foundation

/// One exported figure with the names and metadata a spreadsheet user needs.
public struct ExportRow: Sendable, Hashable {
    public var observation: Observation
    public var areaName: String
    public var indicator: Indicator

    public init(observation: Observation, areaName: String, indicator: Indicator) {
        self.observation = observation
        self.areaName = areaName
        self.indicator = indicator
    }
}

/// Exports of a selection (indicator × areas × periods): CSV, the Dutch Excel dialect, JSON and a
/// Frictionless data package descriptor. A value without a number is an empty cell with its status.
public enum Exporter {
    public enum Format: String, CaseIterable, Sendable {
        /// CSV: `,`, decimal point, UTF-8 without BOM.
        case csv
        /// Dutch Excel: `;`, decimal comma, UTF-8 with BOM (opens correctly in Excel with a Dutch locale).
        case excel
        /// JSON array of objects.
        case json
        /// `datapackage.json`: fields, types, units, sources and licence of the CSV export.
        case datapackage

        public var fileExtension: String {
            switch self {
            case .csv, .excel: "csv"
            case .json: "json"
            case .datapackage: "json"
            }
        }

        public var contentType: String {
            switch self {
            case .csv, .excel: "text/csv; charset=utf-8"
            case .json, .datapackage: "application/json; charset=utf-8"
            }
        }
    }

    public static let columns = ["indicator", "indicator_naam", "gebied", "gebied_naam", "periode", "waarde", "status", "eenheid",
                                 "teller", "noemer", "n", "ondergrens", "bovengrens", "herkomst", "bron"]
    public static let licence = "\(Release.licence) — Bron: \(Release.dataSource) (en de bron per indicator)"

    /// A whole file in memory (tests, small selections); the web streams the same parts with ``head(_:)``,
    /// ``body(_:format:continuing:)`` and ``tail(_:)``.
    public static func export(_ rows: [ExportRow], format: Format, name: String = "pbmonitor-export") -> Data {
        if format == .datapackage {
            var seen = Set<String>()
            return dataPackage(indicators: rows.map(\.indicator).filter { seen.insert($0.id).inserted }, name: name)
        }
        return Data((head(format) + body(rows, format: format, continuing: false) + tail(format)).utf8)
    }

    /// What a file starts with: the header line (with a BOM for Excel), or the opening bracket of a JSON array.
    /// A data package is not made of rows: see ``dataPackage(indicators:name:)``.
    public static func head(_ format: Format) -> String {
        switch format {
        case .csv: columns.joined(separator: ",") + "\r\n"
        case .excel: "\u{FEFF}" + columns.joined(separator: ";") + "\r\n"
        case .json: "["
        case .datapackage: ""
        }
    }

    /// Rows in the middle of a file; `continuing` when rows were written before them (JSON needs a comma then).
    public static func body(_ rows: [ExportRow], format: Format, continuing: Bool) -> String {
        switch format {
        case .csv: csv(rows, separator: ",", decimalComma: false)
        case .excel: csv(rows, separator: ";", decimalComma: true)
        case .json: json(rows, continuing: continuing)
        case .datapackage: ""
        }
    }

    /// What a file ends with.
    public static func tail(_ format: Format) -> String {
        format == .json ? "\n]\n" : ""
    }

    static func number(_ value: Double?, decimalComma: Bool) -> String {
        guard let value else { return "" }
        var text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        if decimalComma { text = text.replacingOccurrences(of: ".", with: ",") }
        return text
    }

    /// A text cell for any CSV the monitor writes: quoted when needed, spreadsheet formulas neutralised.
    public static func cell(_ text: String, separator: Character = ",") -> String { field(text, separator: separator, isText: true) }

    /// Quotes when needed; neutralises spreadsheet formulas (`=`, `+`, `-`, `@` at the start of text).
    static func field(_ text: String, separator: Character, isText: Bool) -> String {
        var value = text
        if isText, let first = value.first, "=+-@".contains(first) { value = "'" + value }
        if value.contains(separator) || value.contains("\"") || value.contains("\n") || value.contains("\r") {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func csv(_ rows: [ExportRow], separator: Character, decimalComma: Bool) -> String {
        var out = ""
        for row in rows {
            let o = row.observation
            let cells: [(String, Bool)] = [
                (o.indicator, true), (row.indicator.name, true), (o.area.rawValue, true), (row.areaName, true), (o.period, true),
                (number(o.value, decimalComma: decimalComma), false), (o.status.rawValue, true), (row.indicator.unit.rawValue, true),
                (number(o.numerator, decimalComma: decimalComma), false), (number(o.denominator, decimalComma: decimalComma), false),
                (o.n.map(String.init) ?? "", false), (number(o.confidenceInterval?.lower, decimalComma: decimalComma), false),
                (number(o.confidenceInterval?.upper, decimalComma: decimalComma), false), (o.origin.rawValue, true),
                (row.indicator.source.citation, true),
            ]
            out += cells.map { field($0.0, separator: separator, isText: $0.1) }.joined(separator: String(separator)) + "\r\n"
        }
        return out
    }

    /// One object per line, so a file of any length stays readable and can be written a page at a time.
    static func json(_ rows: [ExportRow], continuing: Bool) -> String {
        var out = ""
        for (index, row) in rows.enumerated() {
            let o = row.observation
            let object: [String: Any] = [
                "indicator": o.indicator, "indicator_naam": row.indicator.name, "gebied": o.area.rawValue, "gebied_naam": row.areaName,
                "periode": o.period, "waarde": o.value as Any? ?? NSNull(), "status": o.status.rawValue, "eenheid": row.indicator.unit.rawValue,
                "teller": o.numerator as Any? ?? NSNull(), "noemer": o.denominator as Any? ?? NSNull(), "n": o.n as Any? ?? NSNull(),
                "ondergrens": o.confidenceInterval?.lower as Any? ?? NSNull(), "bovengrens": o.confidenceInterval?.upper as Any? ?? NSNull(),
                "herkomst": o.origin.rawValue, "bron": row.indicator.source.citation,
            ]
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { continue }
            out += (continuing || index > 0 ? ",\n" : "\n") + String(decoding: data, as: UTF8.self)
        }
        return out
    }

    /// The Frictionless descriptor of the CSV export of these indicators (it needs no rows).
    public static func dataPackage(indicators: [Indicator], name: String) -> Data {
        let types: [String: String] = ["waarde": "number", "teller": "number", "noemer": "number", "n": "integer",
                                        "ondergrens": "number", "bovengrens": "number"]
        let descriptions: [String: String] = [
            "waarde": "De waarde; leeg als status niet 'waarde' is (geheim, onbekend of niet van toepassing).",
            "status": "waarde, geheim, onbekend of nvt.", "herkomst": "geladen uit de bron, berekend met de formule of opgeteld uit deelgebieden.",
            "eenheid": "Eenheid van de indicator (zie de indicatoren hieronder).",
        ]
        let fields: [[String: Any]] = columns.map { column in
            var field: [String: Any] = ["name": column, "type": types[column] ?? "string"]
            if let description = descriptions[column] { field["description"] = description }
            return field
        }
        let descriptor: [String: Any] = [
            "name": name, "title": "Monitor pedagogische basis — export", "licenses": [["name": Release.licenceSPDX, "title": licence,
                                                                                   "path": Release.licenceURL]],
            "sources": Array(Set(indicators.map { $0.source.citation + " — " + $0.source.title })).sorted().map { ["title": $0] },
            "resources": [[
                "name": name, "path": name + ".csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": ["fields": fields, "missingValues": [""]],
            ]],
            "indicatoren": indicators.sorted { $0.id < $1.id }.map { i in
                ["id": i.id, "naam": i.name, "definitie": i.definition, "eenheid": i.unit.rawValue, "bron": i.source.citation,
                 "peilmoment": i.referencePeriod] as [String: Any]
            },
        ]
        return (try? JSONSerialization.data(withJSONObject: descriptor, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
    }
}

/// The long layout dashboard tools import (one figure per line: area code, period, indicator, value, unit, source), for
/// several indicators at once. Only figures with a value: a hidden or missing figure is no line (issue 22).
public enum LongExport {
    public static let columns = ["gebiedcode", "periode", "indicator", "waarde", "eenheid", "bron"]

    public static var head: String { columns.joined(separator: ",") + "\r\n" }

    public static func lines(_ observations: [Observation], indicator: Indicator) -> String {
        var out = ""
        for o in observations where o.status == .waarde && o.value != nil {
            let cells = [Exporter.field(o.area.rawValue, separator: ",", isText: true), Exporter.field(o.period, separator: ",", isText: true),
                         Exporter.field(o.indicator, separator: ",", isText: true), Exporter.number(o.value, decimalComma: false),
                         Exporter.field(indicator.unit.rawValue, separator: ",", isText: true),
                         Exporter.field(indicator.source.citation, separator: ",", isText: true)]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }
}
