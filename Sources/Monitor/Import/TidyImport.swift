import Foundation

/// What an import file holds, parsed and validated, before anything touches the database.
public struct ImportBatch: Sendable {
    /// File name as given.
    public var file: String
    /// SHA-256 of the file's bytes (hex).
    public var sha256: String
    /// "lang" (indicator, gebied, periode, waarde) or "breed" (a column per indicator).
    public var format: String
    /// Number of data rows read.
    public var rowCount: Int
    /// Loaded figures.
    public var observations: [Observation]
    /// Columns that map to no indicator (reported, not silently dropped).
    public var unmappedColumns: [String]
    /// Where each area code was first seen, for errors about unknown areas.
    public var areaPositions: [AreaCode: (line: Int, column: String)]
    /// Names given in the file (StatLine's Gemeentenaam), for areas that are new to the monitor.
    public var areaNames: [AreaCode: String] = [:]
    /// True when areas the monitor does not know are created (parent derived from the code)
    /// instead of rejected: CBS files bring new codes after every herindeling.
    public var createsUnknownAreas = false

    public init(file: String, sha256: String, format: String, rowCount: Int, observations: [Observation],
                unmappedColumns: [String], areaPositions: [AreaCode: (line: Int, column: String)]) {
        self.file = file
        self.sha256 = sha256
        self.format = format
        self.rowCount = rowCount
        self.observations = observations
        self.unmappedColumns = unmappedColumns
        self.areaPositions = areaPositions
    }
}

/// Reads tidy CSV into an ``ImportBatch``.
///
/// Two shapes are accepted:
/// - **lang**: columns `indicator`, `gebied`, `periode` (or `--periode`), `waarde`, and
///   optionally `teller`, `noemer`, `n`, `ondergrens`, `bovengrens`;
/// - **breed**: an area column (`gebied`, `regio_code`, `gemeente_code`, …), optionally
///   `periode`/`jaar`, and one column per indicator (its id or a source column the
///   catalogue maps to it).
///
/// `,` or `;`, decimal comma or dot. The CBS markers `.` and empty (onbekend), `x`
/// (geheim) and `-` (niet van toepassing) become a status, never a number.
public enum TidyImporter {
    /// Columns that identify or describe a row rather than hold a figure.
    static let descriptiveColumns: Set<String> = [
        "jaar", "periode", "perioden", "regio_niveau", "niveau", "gemeente_code", "wijk_code", "gemeente_naam",
        "regio_naam", "naam", "gebied", "regio_code", "code", "gwb_code", "wijkenenbuurten", "regios",
        "gebiedsnaam", "gemeentenaam",
    ]
    static let areaColumnNames = ["gebied", "regio_code", "gwb_code", "wijkenenbuurten", "regios", "code", "gemeente_code"]
    static let periodColumnNames = ["periode", "perioden", "jaar"]

    /// Parses and validates a whole file; throws on the first problem.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: file name for messages.
    ///   - catalog: the indicator catalogue (columns map to its indicators).
    ///   - period: the period for files without a period column (`--periode`).
    public static func parse(_ data: Data, file: String, catalog: Catalog, period: String?) throws(ImportError) -> ImportBatch {
        try parse(try CSVReader.read(data, file: file), data: data, file: file, catalog: catalog, period: period)
    }

    /// Parses a file whose CSV has been read already (format detection reads it first).
    static func parse(_ table: CSVTable, data: Data, file: String, catalog: Catalog, period: String?) throws(ImportError) -> ImportBatch {
        let lower = table.header.map { $0.lowercased() }
        for (index, name) in lower.enumerated() where name.isEmpty {
            throw ImportError(file: file, line: 1, column: String(index + 1), expected: tr("een kolomnaam in de kopregel"))
        }
        var seen: [String: Int] = [:]
        for (index, name) in lower.enumerated() {
            if let first = seen[name] {
                throw ImportError(file: file, line: 1, column: String(index + 1), found: table.header[index],
                    expected: tr("unieke kolomnamen; deze kolom staat ook op positie {0}", first + 1))
            }
            seen[name] = index
        }
        let decimalComma = try detectDecimalComma(table, file: file)
        let fixedPeriod = try period.map { p throws(ImportError) in
            guard let normalized = normalizePeriod(p) else {
                throw ImportError(file: file, found: p, expected: tr("een periode als 2023 (of CBS-notatie 2023JJ00)"))
            }
            return normalized
        }
        let isLong = lower.contains("indicator") && lower.contains("waarde")
        guard let areaColumn = areaColumnNames.lazy.compactMap({ lower.firstIndex(of: $0) }).first else {
            throw ImportError(file: file, line: 1, found: table.header.joined(separator: String(table.delimiter)),
                expected: tr("een kolom met de gebiedscode (gebied, regio_code of gemeente_code)"))
        }
        let periodColumn = periodColumnNames.lazy.compactMap { lower.firstIndex(of: $0) }.first
        if periodColumn == nil && fixedPeriod == nil {
            throw ImportError(file: file, line: 1,
                expected: tr("een kolom 'periode' of 'jaar', of geef de periode mee met --periode (bijvoorbeeld --periode 2023)"))
        }
        let context = RowContext(file: file, header: table.header, decimalComma: decimalComma)
        var observations: [Observation] = []
        var firstLine: [ObservationKey: Int] = [:]
        var areaPositions: [AreaCode: (line: Int, column: String)] = [:]
        var unmapped: [String] = []

        func rowPeriod(_ fields: [String], line: Int) throws(ImportError) -> String {
            if let fixedPeriod { return fixedPeriod }
            let raw = fields[periodColumn!].trimmedWhitespace
            guard let p = normalizePeriod(raw) else {
                throw ImportError(file: file, line: line, column: table.header[periodColumn!], found: raw,
                    expected: tr("een periode als 2023 (of CBS-notatie 2023JJ00)"))
            }
            return p
        }
        func rowArea(_ fields: [String], line: Int) throws(ImportError) -> AreaCode {
            let raw = fields[areaColumn]
            guard let code = AreaCode(raw) else {
                throw ImportError(file: file, line: line, column: table.header[areaColumn], found: raw,
                    expected: tr("een CBS-gebiedscode zoals NL00, GM0363, WK036300 of BU03630000"))
            }
            if areaPositions[code] == nil { areaPositions[code] = (line, table.header[areaColumn]) }
            return code
        }
        func add(_ observation: Observation, line: Int) throws(ImportError) {
            if let previous = firstLine[observation.key] {
                throw ImportError(file: file, line: line,
                    expected: tr("elke combinatie van indicator, gebied en periode één keer; {0} voor {1} in {2} staat ook op regel {3} (dubbele regel)", observation.indicator, observation.area, observation.period, previous))
            }
            firstLine[observation.key] = line
            observations.append(observation)
        }

        if isLong {
            let indicatorColumn = lower.firstIndex(of: "indicator")!
            let valueColumn = lower.firstIndex(of: "waarde")!
            let optional = { (name: String) in lower.firstIndex(of: name) }
            let (numeratorColumn, denominatorColumn, nColumn) = (optional("teller"), optional("noemer"), optional("n"))
            let (lowerColumn, upperColumn) = (optional("ondergrens"), optional("bovengrens"))
            let known: Set<Int> = Set([indicatorColumn, valueColumn, areaColumn, periodColumn].compactMap { $0 }
                + [numeratorColumn, denominatorColumn, nColumn, lowerColumn, upperColumn].compactMap { $0 })
            unmapped = table.header.enumerated().filter { !known.contains($0.offset) && !descriptiveColumns.contains(lower[$0.offset]) }.map(\.element)
            for row in table.rows {
                let fields = row.fields
                let id = fields[indicatorColumn].trimmedWhitespace
                guard let indicator = catalog[id] ?? catalog.indicator(forColumn: id) else {
                    throw ImportError(file: file, line: row.line, column: table.header[indicatorColumn], found: id,
                        expected: tr("een indicator-id uit de catalogus (zie /indicatoren)"))
                }
                if !indicator.isLoaded {
                    throw ImportError(file: file, line: row.line, column: table.header[indicatorColumn], found: id,
                        expected: tr("een geladen indicator; '{0}' wordt {1}", id, indicator.computedFrom))
                }
                let area = try rowArea(fields, line: row.line)
                let p = try rowPeriod(fields, line: row.line)
                let (status, value) = try context.cell(fields, valueColumn, line: row.line, unit: indicator.unit)
                var observation = Observation(indicator: indicator.id, area: area, period: p, status: status, value: value)
                observation.numerator = try context.optionalNumber(fields, numeratorColumn, line: row.line)
                observation.denominator = try context.optionalNumber(fields, denominatorColumn, line: row.line)
                if let n = try context.optionalNumber(fields, nColumn, line: row.line) {
                    // Found by fuzzing: a 300-digit n trapped in Int(n). No survey has more respondents than people on earth.
                    guard n >= 0, n == n.rounded(), n <= 1e10 else {
                        throw ImportError(file: file, line: row.line, column: "n", found: fields[nColumn!],
                            expected: tr("een geheel aantal waarnemingen (0 tot en met 10.000.000.000)"))
                    }
                    observation.n = Int(n)
                }
                if let low = try context.optionalNumber(fields, lowerColumn, line: row.line),
                   let high = try context.optionalNumber(fields, upperColumn, line: row.line) {
                    guard low <= high else {
                        throw ImportError(file: file, line: row.line, column: "ondergrens", found: fields[lowerColumn!],
                            expected: tr("een ondergrens die niet groter is dan de bovengrens ({0})", fields[upperColumn!]))
                    }
                    observation.confidenceInterval = ConfidenceInterval(lower: low, upper: high)
                }
                try add(observation, line: row.line)
            }
        } else {
            // Breed: map each column to an indicator by id or source column.
            var mapped: [(column: Int, indicator: Indicator, numeratorColumn: Int?)] = []
            for (index, name) in table.header.enumerated() where index != areaColumn && index != periodColumn {
                if let indicator = catalog[name] ?? catalog.indicator(forColumn: name), indicator.isLoaded {
                    var numeratorColumn: Int? = nil
                    if case .loaded(_, let numeratorName?) = indicator.derivation { numeratorColumn = table.header.firstIndex(of: numeratorName) }
                    mapped.append((index, indicator, numeratorColumn))
                } else if !descriptiveColumns.contains(lower[index]) {
                    unmapped.append(name)
                }
            }
            if mapped.isEmpty {
                throw ImportError(file: file, line: 1, found: table.header.joined(separator: String(table.delimiter)),
                    expected: tr("ten minste één kolom die bij een indicator uit de catalogus hoort (een id zoals 'inwoners')"))
            }
            var columnOf: [String: Int] = [:]
            for column in mapped {
                if let other = columnOf[column.indicator.id] {
                    throw ImportError(file: file, line: 1, column: String(column.column + 1), found: table.header[column.column],
                        expected: tr("één kolom per indicator; kolom {0} ({1}) hoort ook bij '{2}'", other + 1, table.header[other], column.indicator.id))
                }
                columnOf[column.indicator.id] = column.column
            }
            // One row per area and period: then every indicator × area × period is unique.
            var rowOf: [String: Int] = [:]
            observations.reserveCapacity(table.rows.count * mapped.count)
            // Per cell only what it needs (not a copy of the whole catalogue entry).
            let cells = mapped.map { (column: $0.column, indicator: $0.indicator.id, unit: $0.indicator.unit, numeratorColumn: $0.numeratorColumn) }
            for row in table.rows {
                let area = try rowArea(row.fields, line: row.line)
                let p = try rowPeriod(row.fields, line: row.line)
                let rowKey = area.rawValue + "|" + p
                if let previous = rowOf[rowKey] {
                    throw ImportError(file: file, line: row.line, column: table.header[areaColumn], found: area.rawValue,
                        expected: tr("elke combinatie van gebied en periode één keer; {0} in {1} staat ook op regel {2} (dubbele regel)", area.rawValue, p, previous))
                }
                rowOf[rowKey] = row.line
                for column in cells {
                    let (status, value) = try context.cell(row.fields, column.column, line: row.line, unit: column.unit)
                    var observation = Observation(indicator: column.indicator, area: area, period: p, status: status, value: value)
                    if let numeratorColumn = column.numeratorColumn, status == .waarde {
                        observation.numerator = try context.cell(row.fields, numeratorColumn, line: row.line).1
                    }
                    observations.append(observation)
                }
            }
        }
        return ImportBatch(file: file, sha256: SHA256.hex(data), format: isLong ? "lang" : "breed",
                           rowCount: table.rows.count, observations: observations,
                           unmappedColumns: unmapped, areaPositions: areaPositions)
    }

    /// `2023` → `2023`; CBS `2023JJ00` → `2023`; `2021KW01` → `2021KW01`; others nil.
    public static func normalizePeriod(_ raw: String) -> String? {
        let text = raw.trimmedWhitespace
        let chars = Array(text)
        guard chars.count >= 4, chars.prefix(4).allSatisfy(\.isASCIIDigit), let year = Int(String(chars.prefix(4))),
              (1900...2100).contains(year) else { return nil }
        if chars.count == 4 { return text }
        if text.hasSuffix("JJ00") && chars.count == 8 { return String(text.prefix(4)) }
        if chars.count == 8, ["KW", "MM"].contains(String(chars[4...5])), chars[6...7].allSatisfy(\.isASCIIDigit) { return text }
        return nil
    }

    /// In a `;` file, numbers may use a decimal comma; a file must not mix both.
    static func detectDecimalComma(_ table: CSVTable, file: String) throws(ImportError) -> Bool {
        guard table.delimiter != "," else { return false }
        var commaAt: (Int, String)? = nil
        var dotAt: (Int, String)? = nil
        for row in table.rows {
            for field in row.fields {
                let f = field.trimmedWhitespace
                guard let first = f.utf8.first, (48...57).contains(first) || first == 45 else { continue }
                if commaAt == nil, f.contains(","), !f.contains("."), isNumberShape(f.replacingOccurrences(of: ",", with: ".")) { commaAt = (row.line, f) }
                if dotAt == nil, f.contains("."), !f.contains(","), isNumberShape(f) { dotAt = (row.line, f) }
            }
            if commaAt != nil && dotAt != nil { break }
        }
        if let commaAt, let dotAt {
            throw ImportError(file: file, line: max(commaAt.0, dotAt.0), found: commaAt.0 > dotAt.0 ? commaAt.1 : dotAt.1,
                expected: tr("één decimaalteken in het hele bestand; regel {0} gebruikt een komma ({1}), regel {2} een punt ({3})", commaAt.0, commaAt.1, dotAt.0, dotAt.1))
        }
        return commaAt != nil
    }

    /// The plain decimals files are full of (`862965`, `-12.5`, `12,5` with a decimal comma), read
    /// without going through `strtod`: at most 15 digits as an integer (below 2⁵³) and a power of ten up
    /// to 10¹⁵, both exact in a Double, so one division gives the correctly rounded value (Clinger's
    /// fast path) — the same Double as `Double(text)`. Anything else (more digits, exponents,
    /// another separator) returns nil and takes the general route.
    static func plainDecimal(_ text: String, separator: UInt8) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var negative = false, sawSeparator = false
        var first = true
        for byte in text.utf8 {
            defer { first = false }
            switch byte {
            case 0x30...0x39:
                digits += 1
                guard digits <= 15 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                if sawSeparator { fraction += 1 }
            case 0x2D where first:
                negative = true
            case separator where !sawSeparator:
                sawSeparator = true
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / exactPowersOfTen[fraction]
        return negative ? -value : value
    }

    /// 10⁰ … 10¹⁵, exact in a Double (a plain decimal has at most 15 digits, so at most 15 after the separator).
    static let exactPowersOfTen: [Double] = (0...15).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

    /// Digits with at most one decimal point and an optional leading minus.
    static func isNumberShape(_ s: String) -> Bool {
        var sawDigit = false, sawDot = false, first = true
        for byte in s.utf8 {
            defer { first = false }
            if byte == 0x2D && first { continue }
            if byte >= 0x30 && byte <= 0x39 { sawDigit = true; continue }
            if byte == 0x2E && !sawDot { sawDot = true; continue }
            return false
        }
        return sawDigit
    }

    struct RowContext {
        var file: String
        var header: [String]
        var decimalComma: Bool

        /// A value cell: a number, or a CBS marker turned into a status.
        func cell(_ fields: [String], _ column: Int, line: Int) throws(ImportError) -> (ObservationStatus, Double?) {
            let raw = fields[column].trimmedWhitespace
            if raw.utf8.count <= 1 {
                switch raw {
                case "", ".": return (.onbekend, nil)
                case "x", "X": return (.geheim, nil)
                case "-": return (.nvt, nil)
                default: break
                }
            }
            guard let number = parseNumber(raw) else {
                if raw.contains("."), raw.contains(","), raw.filter(\.isASCIIDigit).count >= 4 {
                    throw ImportError(file: file, line: line, column: header[column], found: raw,
                        expected: tr("een getal zonder scheidingsteken voor duizendtallen (schrijf 1234,5 of 1234.5, niet 1.234,5 of 1,234.5)"))
                }
                throw ImportError(file: file, line: line, column: header[column], found: raw,
                    expected: decimalComma
                        ? tr("een getal met decimale komma (bijv. 12,5) of een CBS-teken: leeg of . (onbekend), x (geheim), - (niet van toepassing)")
                        : tr("een getal met decimale punt (bijv. 12.5) of een CBS-teken: leeg of . (onbekend), x (geheim), - (niet van toepassing)"))
            }
            return (.waarde, number)
        }

        /// A value cell of an indicator with this unit: a number must lie in the unit's plausible range.
        func cell(_ fields: [String], _ column: Int, line: Int, unit: IndicatorUnit) throws(ImportError) -> (ObservationStatus, Double?) {
            let (status, value) = try cell(fields, column, line: line)
            if let value, !unit.plausibleRange.contains(value) {
                throw ImportError(file: file, line: line, column: header[column], found: fields[column].trimmedWhitespace,
                                  expected: unit.plausibleDescription)
            }
            return (status, value)
        }

        func optionalNumber(_ fields: [String], _ column: Int?, line: Int) throws(ImportError) -> Double? {
            guard let column else { return nil }
            let (status, value) = try cell(fields, column, line: line)
            return status == .waarde ? value : nil
        }

        func parseNumber(_ raw: String) -> Double? {
            if let value = TidyImporter.plainDecimal(raw, separator: decimalComma ? 0x2C : 0x2E) { return value }
            var text = raw
            if decimalComma {
                if text.utf8.contains(0x2E) { return nil }
                if text.utf8.contains(0x2C) { text = String(decoding: text.utf8.map { $0 == 0x2C ? 0x2E : $0 }, as: UTF8.self) }
            }
            guard TidyImporter.isNumberShape(text), let value = Double(text), value.isFinite else { return nil }
            return value
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Without leading and trailing white space; skips Foundation when the ends are plain ASCII.
    public var trimmedWhitespace: String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }
        return plain(first) && plain(last) ? self : trimmingCharacters(in: .whitespaces)
    }
}
