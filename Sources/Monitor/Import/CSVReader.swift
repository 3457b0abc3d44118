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
        if let line { place += tr(", regel {0}", line) }
        if let column { place += tr(", kolom {0}", column) }
        var text = "\(place): \(expected)"
        if let found {
            let shown = found.count > 60 ? String(found.prefix(60)) + "…" : found
            text += tr(" (gevonden: \"{0}\")", shown)
        }
        return text + tr(". Er is niets geïmporteerd; de database is ongewijzigd.")
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
            throw ImportError(file: file, expected: tr("het bestand is leeg; verwacht een kopregel met kolomnamen en ten minste één regel met gegevens"))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportError(file: file, line: 1, expected: tr("het bestand is UTF-16; sla het op als UTF-8 (in Excel: 'CSV UTF-8')"))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let zero = bytes.firstIndex(of: 0) {
            let line = bytes[..<zero].filter { $0 == 0x0A }.count + 1
            throw ImportError(file: file, line: line, expected: tr("het bestand bevat binaire gegevens (een nul-byte); verwacht tekst in UTF-8"))
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            let (line, column) = firstInvalidUTF8(bytes)
            throw ImportError(file: file, line: line, column: String(column),
                expected: tr("ongeldige tekens: het bestand is geen UTF-8 (misschien Windows-1252 of Latin-1); sla het op als UTF-8"))
        }
        return try bytes.withUnsafeBufferPointer { buffer throws(ImportError) -> CSVTable in
            try table(buffer, file: file)
        }
    }

    /// Splits validated UTF-8 bytes into header and rows (works on bytes: a 3 MB file takes milliseconds).
    static func table(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws(ImportError) -> CSVTable {
        let lines = splitRecords(bytes)
        guard let first = lines.first else {
            throw ImportError(file: file, expected: tr("het bestand is leeg"))
        }
        if let unterminated = lines.last, unterminated.unterminated {
            throw ImportError(file: file, line: unterminated.line,
                expected: tr("een aanhalingsteken (\") wordt niet gesloten; is het bestand afgebroken?"))
        }
        let headerText = first.text(bytes)
        let delimiter = detectDelimiter(headerText)
        let delimiterByte = delimiter.asciiValue ?? 0x2C
        let header = splitFields(bytes, first, delimiter: delimiterByte).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [(line: Int, fields: [String])] = []
        rows.reserveCapacity(lines.count)
        for record in lines.dropFirst() {
            if record.isBlank(bytes) { continue }
            let fields = splitFields(bytes, record, delimiter: delimiterByte)
            if fields.count != header.count {
                let text = record.text(bytes)
                let other: Character = delimiter == "," ? ";" : ","
                var hint = ""
                if fields.count < header.count {
                    hint = text.contains(other)
                        ? tr("; de regel gebruikt '{0}' terwijl de kopregel '{1}' gebruikt (gemengde scheidingstekens?)", other, delimiter)
                        : (record.line == lines.last?.line ? tr("; is het bestand afgebroken?") : "")
                }
                throw ImportError(file: file, line: record.line, found: text,
                    expected: tr("{0} velden zoals de kopregel, maar de regel heeft er {1}{2}", header.count, fields.count, hint))
            }
            rows.append((record.line, fields))
        }
        if rows.isEmpty {
            throw ImportError(file: file, line: 2, expected: tr("het bestand heeft alleen een kopregel; verwacht ten minste één regel met gegevens"))
        }
        return CSVTable(header: header, rows: rows, delimiter: delimiter)
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

    /// A record: its first line and its bytes (without the line break).
    struct Record {
        var line: Int
        var start: Int
        var end: Int
        var unterminated: Bool

        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        /// Only spaces and tabs (or other white space).
        func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var ascii = true
            for index in start..<end {
                let byte = bytes[index]
                if byte >= 0x80 { ascii = false; break }
                if byte != 0x20 && byte != 0x09 { return false }
            }
            return ascii || text(bytes).trimmingCharacters(in: .whitespaces).isEmpty
        }
    }

    /// Splits into records, keeping line breaks inside quoted fields; strips a trailing CR.
    static func splitRecords(_ bytes: UnsafeBufferPointer<UInt8>) -> [Record] {
        var records: [Record] = []
        var inQuotes = false
        var line = 1, startLine = 1, start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x22 { inQuotes.toggle() } else if byte == 0x0A {
                line += 1
                if !inQuotes {
                    var end = index
                    if end > start && bytes[end - 1] == 0x0D { end -= 1 }
                    records.append(Record(line: startLine, start: start, end: end, unterminated: false))
                    start = index + 1
                    startLine = line
                }
            }
            index += 1
        }
        if start < count || inQuotes {
            var end = count
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            records.append(Record(line: startLine, start: start, end: end, unterminated: inQuotes))
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

    /// Splits one record into fields: a quote opens a field only at its start (after spaces),
    /// `""` inside quotes is a quote, and text after a closing quote belongs to the same field.
    static func splitFields(_ bytes: UnsafeBufferPointer<UInt8>, _ record: Record, delimiter: UInt8) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(32)
        var inQuotes = false
        var onlySpaces = true
        var index = record.start
        let end = record.end
        func finish() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            onlySpaces = true
        }
        while index < end {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == 0x22 {
                    if index < end && bytes[index] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22 && onlySpaces {
                inQuotes = true
                field.removeAll(keepingCapacity: true)
                onlySpaces = false
            } else if byte == delimiter {
                finish()
            } else {
                if byte != 0x20 { onlySpaces = false }
                field.append(byte)
            }
        }
        finish()
        return fields
    }
}
