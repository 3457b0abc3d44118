import Foundation

/// A rejected input, as data for the user: file, line, column, the value seen and
/// what was expected. Messages are Dutch.
public struct ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// File name as given by the user.
    public var file: String
    /// 1-based line number, when the problem has one.
    public var line: Int?
    /// 1-based column number or column name, when the problem has one.
    public var column: String?
    /// The value that was seen, if any.
    public var found: String?
    /// What was expected instead, in Dutch.
    public var expected: String

    public init(file: String, line: Int? = nil, column: String? = nil, found: String? = nil, expected: String) {
        self.file = file
        self.line = line
        self.column = column
        self.found = found
        self.expected = expected
    }

    public var description: String {
        var place = file
        if let line { place += ", regel \(line)" }
        if let column { place += ", kolom \(column)" }
        var text = "\(place): \(expected)"
        if let found {
            let shown = found.count > 60 ? String(found.prefix(60)) + "…" : found
            text += " (gevonden: \"\(shown)\")"
        }
        return text + ". Er is niets geïmporteerd; de database is ongewijzigd."
    }
}

/// A parsed CSV file: header and rows with their 1-based line numbers.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [(line: Int, fields: [String])]
    public var delimiter: Character
}

/// Leest CSV: detects `,` or `;`, accepts UTF-8 with or without BOM, quoted fields
/// (RFC 4180, with `""` escapes and line breaks inside quotes), CRLF or LF.
/// Rejects other encodings, ragged rows and unterminated quotes with an ``ImportError``.
public enum CSVReader {
    /// Parses a whole file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the file name for error messages.
    public static func read(_ data: Data, file: String) throws(ImportError) -> CSVTable {
        var bytes = [UInt8](data)
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ImportError(file: file, expected: "het bestand is leeg; verwacht een kopregel met kolomnamen en ten minste één regel met gegevens")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportError(file: file, line: 1, expected: "het bestand is UTF-16; sla het op als UTF-8 (in Excel: 'CSV UTF-8')")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let zero = bytes.firstIndex(of: 0) {
            let line = bytes[..<zero].filter { $0 == 0x0A }.count + 1
            throw ImportError(file: file, line: line, expected: "het bestand bevat binaire gegevens (een nul-byte); verwacht tekst in UTF-8")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(bytes)
            throw ImportError(file: file, line: line, column: String(column),
                expected: "ongeldige tekens: het bestand is geen UTF-8 (misschien Windows-1252 of Latin-1); sla het op als UTF-8")
        }
        let lines = splitRecords(text)
        guard let first = lines.first else {
            throw ImportError(file: file, expected: "het bestand is leeg")
        }
        if let unterminated = lines.last, unterminated.unterminated {
            throw ImportError(file: file, line: unterminated.line,
                expected: "een aanhalingsteken (\") wordt niet gesloten; is het bestand afgebroken?")
        }
        let delimiter = detectDelimiter(first.text)
        let header = splitFields(first.text, delimiter: delimiter).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [(Int, [String])] = []
        rows.reserveCapacity(lines.count)
        for record in lines.dropFirst() {
            if record.text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = splitFields(record.text, delimiter: delimiter)
            if fields.count != header.count {
                let other: Character = delimiter == "," ? ";" : ","
                var hint = ""
                if fields.count < header.count {
                    hint = record.text.contains(other)
                        ? "; de regel gebruikt '\(other)' terwijl de kopregel '\(delimiter)' gebruikt (gemengde scheidingstekens?)"
                        : (record.line == lines.last?.line ? "; is het bestand afgebroken?" : "")
                }
                throw ImportError(file: file, line: record.line, found: record.text,
                    expected: "\(header.count) velden zoals de kopregel, maar de regel heeft er \(fields.count)\(hint)")
            }
            rows.append((record.line, fields))
        }
        if rows.isEmpty {
            throw ImportError(file: file, line: 2, expected: "het bestand heeft alleen een kopregel; verwacht ten minste één regel met gegevens")
        }
        return CSVTable(header: header, rows: rows.map { (line: $0.0, fields: $0.1) }, delimiter: delimiter)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, index - lineStart + 1)
            }
            if length > 1 {
                if index + length > bytes.count { return (line, index - lineStart + 1) }
                for k in 1..<length where bytes[index + k] & 0xC0 != 0x80 { return (line, index - lineStart + 1) }
            }
            if byte == 0x0A { line += 1; lineStart = index + 1 }
            index += length
        }
        return (line, 1)
    }

    struct Record { var line: Int; var text: String; var unterminated: Bool }

    /// Splits into records, keeping line breaks inside quoted fields.
    static func splitRecords(_ text: String) -> [Record] {
        var records: [Record] = []
        var current = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1, startLine = 1
        for scalar in text.unicodeScalars {
            if scalar == "\"" { inQuotes.toggle() }
            if scalar == "\n" {
                line += 1
                if !inQuotes {
                    var record = String(current)
                    if record.hasSuffix("\r") { record.removeLast() }
                    records.append(Record(line: startLine, text: record, unterminated: false))
                    current.removeAll(keepingCapacity: true)
                    startLine = line
                    continue
                }
            }
            current.append(scalar)
        }
        if !current.isEmpty || inQuotes {
            var record = String(current)
            if record.hasSuffix("\r") { record.removeLast() }
            records.append(Record(line: startLine, text: record, unterminated: inQuotes))
        }
        return records
    }

    /// `;` when the header has more semicolons than commas (Dutch Excel), else `,`.
    static func detectDelimiter(_ header: String) -> Character {
        let semicolons = header.filter { $0 == ";" }.count
        let commas = header.filter { $0 == "," }.count
        let tabs = header.filter { $0 == "\t" }.count
        if tabs > semicolons && tabs > commas { return "\t" }
        return semicolons > commas ? ";" : ","
    }

    static func splitFields(_ record: String, delimiter: Character) -> [String] {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = record.makeIterator()
        var pending: Character? = nil
        while let char = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if char == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { field.append(char) }
            } else if char == "\"" && field.allSatisfy({ $0 == " " }) {
                inQuotes = true
                field = ""
            } else if char == delimiter {
                fields.append(field)
                field = ""
            } else {
                field.append(char)
            }
        }
        fields.append(field)
        return fields
    }
}
