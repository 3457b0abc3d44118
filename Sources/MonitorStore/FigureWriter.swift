import Foundation
import Monitor
import SQLKit

/// What writing a set of figures did to the versions.
public struct VersionCounts: Sendable, Hashable {
    /// Figures that had no version yet (version 1).
    public var new = 0
    /// Figures that differed from the current version: a new version was added, the old one closed.
    public var revised = 0
    /// Figures equal to the current version: nothing written.
    public var unchanged = 0
    /// Computed figures that can no longer be computed: closed without a successor.
    public var withdrawn = 0

    public init(new: Int = 0, revised: Int = 0, unchanged: Int = 0, withdrawn: Int = 0) {
        self.new = new
        self.revised = revised
        self.unchanged = unchanged
        self.withdrawn = withdrawn
    }

    static func + (a: VersionCounts, b: VersionCounts) -> VersionCounts {
        VersionCounts(new: a.new + b.new, revised: a.revised + b.revised, unchanged: a.unchanged + b.unchanged,
                      withdrawn: a.withdrawn + b.withdrawn)
    }
}

extension SQLDatabase {
    /// True on PostgreSQL: the few statements that differ between the two backends ask this.
    var isPostgres: Bool { dialect.name.hasPrefix("postgres") }
}

/// A value for a bulk insert.
enum BulkValue: Sendable {
    case null
    case text(String)
    case real(Double)
    case integer(Int)
}

/// A database that can insert many rows faster than statement by statement through SQLKit.
protocol BulkInserting: Sendable {
    /// Inserts rows given as one flat list of values, `columns.count` per row.
    func insert(into table: String, columns: [String], values: [BulkValue]) async throws
}

/// The figures of one indicator in one period.
struct FigurePair: Hashable, Sendable, Comparable {
    var indicator: String
    var period: String

    static func < (a: FigurePair, b: FigurePair) -> Bool { (a.indicator, a.period) < (b.indicator, b.period) }
}

/// Writes figures as versions (migration 0004). It reads what is stored for the indicator × period
/// pairs it touches, compares in memory, and writes only differences: a figure that changed gets
/// the next version and the current one is closed (`superseded_by` = this import); an equal figure
/// is left alone. New versions go in with direct binds on SQLite (``BulkInserting``) and as one JSON
/// document per chunk on PostgreSQL; what is stored comes back as one JSON document built by the
/// database. Nothing is changed in place; a trigger refuses it. Runs inside the caller's transaction.
enum FigureWriter {
    /// What is stored for one pair: the current figures and the highest version per area (also of closed ones).
    struct Stored: Sendable {
        var current: [AreaCode: Observation] = [:]
        var highestVersion: [AreaCode: Int] = [:]
    }

    /// Rows per JSON document (reads and PostgreSQL writes).
    static let chunkSize = 50_000

    /// On PostgreSQL, takes the transaction-scoped lock that makes writers from several nodes take turns.
    static func serialiseWriters(on db: any SQLDatabase) async throws {
        if db.isPostgres { try await db.raw("SELECT pg_advisory_xact_lock(727274)").run() }
    }

    /// Reads every version stored for the pairs, one JSON document per period.
    static func read(_ pairs: Set<FigurePair>, on db: any SQLDatabase) async throws -> [FigurePair: Stored] {
        var result: [FigurePair: Stored] = [:]
        for pair in pairs { result[pair] = Stored() }
        let postgres = db.isPostgres
        let columns = "indicator, area_code, status, value, numerator, denominator, n, ci_lower, ci_upper, origin, import_id, version, superseded_by"
        let aggregate: SQLQueryString = postgres
            ? "SELECT COALESCE(json_agg(json_build_array(\(unsafeRaw: columns))), '[]')::text AS j"
            : "SELECT COALESCE(json_group_array(json_array(\(unsafeRaw: columns))), '[]') AS j"
        for period in Set(pairs.map(\.period)).sorted() {
            let indicators = pairs.filter { $0.period == period }.map(\.indicator).sorted()
            let text = try await db.raw(aggregate + """
                 FROM observations WHERE period = \(bind: period) AND indicator IN (\(binds: indicators))
                """).first()?.decode(column: "j", as: String.self) ?? "[]"
            for row in try FigureJSON.rows(text) {
                guard row.count == 13, case .string(let indicator) = row[0], case .string(let areaText) = row[1],
                      let area = AreaCode(areaText), case .string(let statusText) = row[2] else {
                    throw FigureJSON.Malformed(offset: 0)
                }
                let pair = FigurePair(indicator: indicator, period: period)
                let version = row[11].number.map { Int($0) } ?? 1
                result[pair, default: Stored()].highestVersion[area] = max(version, result[pair]?.highestVersion[area] ?? 0)
                guard row[12] == .null else { continue }
                var observation = Observation(
                    indicator: indicator, area: area, period: period, status: ObservationStatus(rawValue: statusText) ?? .onbekend,
                    value: row[3].number, numerator: row[4].number, denominator: row[5].number, n: row[6].number.map { Int($0) },
                    origin: row[9].string.flatMap(ObservationOrigin.init(rawValue:)) ?? .geladen, importID: row[10].number.map { Int($0) })
                if let lower = row[7].number, let upper = row[8].number { observation.confidenceInterval = ConfidenceInterval(lower: lower, upper: upper) }
                observation.version = version
                result[pair, default: Stored()].current[area] = observation
            }
        }
        return result
    }

    /// Writes `incoming` as versions stamped with `importID`.
    /// - Parameters:
    ///   - scope: pairs whose resulting current figures are returned (the pairs of `incoming` are always included).
    ///   - withdrawingComputed: close current computed figures in `scope` that `incoming` does not hold (they can no longer be computed).
    ///   - stored: what `read` returned for these pairs, when the caller has it already.
    /// - Returns: the counts, and the current figures per pair after writing.
    static func write(_ incoming: [Observation], scope: Set<FigurePair> = [], withdrawingComputed: Bool = false, importID: Int,
                      stored: [FigurePair: Stored]? = nil, on db: any SQLDatabase) async throws
        -> (counts: VersionCounts, stored: [FigurePair: Stored]) {
        var byPair: [FigurePair: [Observation]] = [:]
        for figure in incoming { byPair[FigurePair(indicator: figure.indicator, period: figure.period), default: []].append(figure) }
        let pairs = scope.union(byPair.keys)
        var existing = (stored ?? [:]).filter { pairs.contains($0.key) }
        let unread = pairs.filter { existing[$0] == nil }
        if !unread.isEmpty { existing.merge(try await read(unread, on: db)) { $1 } }
        var counts = VersionCounts()
        var result: [FigurePair: Stored] = [:]
        var closing: [Observation] = []
        var inserting: [Observation] = []
        inserting.reserveCapacity(incoming.count)
        for pair in pairs.sorted() {
            await Task.yield()
            let before = existing[pair] ?? Stored()
            var after = before
            let figures = byPair[pair] ?? []
            after.current.reserveCapacity(figures.count)
            var written = Set<AreaCode>()
            for figure in figures {
                if withdrawingComputed { written.insert(figure.area) }
                let old = before.current[figure.area]
                if let old, old.sameFigure(as: figure) {
                    counts.unchanged += 1
                    continue
                }
                var version = figure
                version.version = (before.highestVersion[figure.area] ?? 0) + 1
                version.importID = importID
                if let old { closing.append(old); counts.revised += 1 } else { counts.new += 1 }
                inserting.append(version)
                after.current[figure.area] = version
                after.highestVersion[figure.area] = version.version
            }
            if withdrawingComputed && scope.contains(pair) {
                for (area, old) in before.current where old.origin != .geladen && !written.contains(area) {
                    closing.append(old)
                    counts.withdrawn += 1
                    after.current[area] = nil
                }
            }
            result[pair] = after
        }
        try await close(closing, by: importID, on: db)
        try await insert(inserting, on: db)
        return (counts, result)
    }

    /// Closes current versions: `superseded_by` = the import (the one column a trigger lets change, once).
    static func close(_ figures: [Observation], by importID: Int, on db: any SQLDatabase) async throws {
        guard !figures.isEmpty else { return }
        let keys: SQLQueryString = db.isPostgres
            ? "SELECT e->>0, e->>1, e->>2, (e->>3)::integer FROM jsonb_array_elements("
            : "SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM json_each("
        for start in stride(from: 0, to: figures.count, by: chunkSize) {
            let chunk = figures[start..<min(start + chunkSize, figures.count)]
            let document = FigureJSON.encodeKeys(chunk)
            try await db.raw("""
                UPDATE observations SET superseded_by = \(bind: importID)
                WHERE superseded_by IS NULL AND (indicator, period, area_code, version) IN (
                """ + keys + "\(bind: document)" + (db.isPostgres ? "::jsonb) e)" : ") j)")).run()
        }
    }

    static let insertedColumns = ["indicator", "period", "area_code", "version", "status", "value", "numerator", "denominator", "n",
                                  "ci_lower", "ci_upper", "origin", "import_id"]

    /// Inserts new versions, sorted by key so the clustered table is appended to.
    static func insert(_ figures: [Observation], on db: any SQLDatabase) async throws {
        guard !figures.isEmpty else { return }
        let sorted = figures.sorted { ($0.indicator, $0.period, $0.area.rawValue) < ($1.indicator, $1.period, $1.area.rawValue) }
        if let bulk = db as? any BulkInserting {
            func number(_ value: Double?) -> BulkValue { value.map(BulkValue.real) ?? .null }
            func integer(_ value: Int?) -> BulkValue { value.map(BulkValue.integer) ?? .null }
            var values: [BulkValue] = []
            values.reserveCapacity(sorted.count * insertedColumns.count)
            for o in sorted {
                values += [.text(o.indicator), .text(o.period), .text(o.area.rawValue), .integer(o.version), .text(o.status.rawValue),
                           number(o.value), number(o.numerator), number(o.denominator), integer(o.n),
                           number(o.confidenceInterval?.lower), number(o.confidenceInterval?.upper), .text(o.origin.rawValue),
                           integer(o.importID)]
            }
            try await bulk.insert(into: "observations", columns: insertedColumns, values: values)
            return
        }
        let insert = "INSERT INTO observations (\(insertedColumns.joined(separator: ", "))) "
        let select: SQLQueryString = db.isPostgres
            ? """
              \(unsafeRaw: insert)
              SELECT e->>0, e->>1, e->>2, (e->>3)::integer, e->>4, (e->>5)::double precision, (e->>6)::double precision,
                  (e->>7)::double precision, (e->>8)::integer, (e->>9)::double precision, (e->>10)::double precision, e->>11,
                  (e->>12)::bigint
              FROM jsonb_array_elements(
              """
            : """
              \(unsafeRaw: insert)
              SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7,
                  j.value->>8, j.value->>9, j.value->>10, j.value->>11, j.value->>12
              FROM json_each(
              """
        for start in stride(from: 0, to: sorted.count, by: chunkSize) {
            let document = FigureJSON.encode(sorted[start..<min(start + chunkSize, sorted.count)])
            try await db.raw(select + "\(bind: document)" + (db.isPostgres ? "::jsonb) e" : ") j")).run()
        }
    }
}

extension Observation {
    /// Same figure: status, value, teller, noemer, n, interval and origin (numbers equal to 12 significant digits,
    /// so a figure that went through the database's text form is not a revision).
    func sameFigure(as other: Observation) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case let (x?, y?): x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y))
            default: false
            }
        }
        return status == other.status && origin == other.origin && n == other.n && same(value, other.value)
            && same(numerator, other.numerator) && same(denominator, other.denominator)
            && same(confidenceInterval?.lower, other.confidenceInterval?.lower) && same(confidenceInterval?.upper, other.confidenceInterval?.upper)
    }
}

/// The compact JSON the writer sends and reads: arrays of strings, numbers and nulls.
enum FigureJSON {
    enum Scalar: Equatable {
        case string(String)
        case number(Double)
        case null

        var number: Double? { if case .number(let v) = self { v } else { nil } }
        var string: String? { if case .string(let v) = self { v } else { nil } }
    }

    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "onverwachte JSON van de database op positie \(offset)" }
    }

    /// `[["jeugd_pct","2023","GM0363",1,"waarde",12.5,null,…,"geladen",7],…]`: key, version, figure, import.
    static func encode(_ observations: ArraySlice<Observation>) -> String {
        var out = "["
        out.reserveCapacity(observations.count * 110)
        var first = true
        for o in observations {
            if !first { out += "," }
            first = false
            out += "["
            appendKey(o, to: &out); out += ","
            appendString(o.status.rawValue, to: &out); out += ","
            appendNumber(o.value, to: &out); out += ","
            appendNumber(o.numerator, to: &out); out += ","
            appendNumber(o.denominator, to: &out); out += ","
            appendNumber(o.n.map(Double.init), to: &out); out += ","
            appendNumber(o.confidenceInterval?.lower, to: &out); out += ","
            appendNumber(o.confidenceInterval?.upper, to: &out); out += ","
            appendString(o.origin.rawValue, to: &out); out += ","
            appendNumber(o.importID.map(Double.init), to: &out)
            out += "]"
        }
        out += "]"
        return out
    }

    /// `[["jeugd_pct","2023","GM0363",1],…]`
    static func encodeKeys(_ observations: ArraySlice<Observation>) -> String {
        var out = "["
        var first = true
        for o in observations {
            if !first { out += "," }
            first = false
            out += "["
            appendKey(o, to: &out)
            out += "]"
        }
        return out + "]"
    }

    /// The primary key of a version: indicator, period, area, version.
    static func appendKey(_ o: Observation, to out: inout String) {
        appendString(o.indicator, to: &out); out += ","
        appendString(o.period, to: &out); out += ","
        appendString(o.area.rawValue, to: &out); out += ","
        out += String(o.version)
    }

    static func appendNumber(_ value: Double?, to out: inout String) {
        guard let value, value.isFinite else { out += "null"; return }
        if value == value.rounded(), abs(value) < 1e15 { out += String(Int64(value)) } else { out += String(value) }
    }

    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses an array of arrays of scalars (what `json_group_array(json_array(…))` returns).
    static func rows(_ text: String) throws -> [[Scalar]] {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBufferPointer { bytes in
            var index = 0
            func skipSpace() {
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            }
            func expect(_ byte: UInt8) throws {
                skipSpace()
                guard index < bytes.count, bytes[index] == byte else { throw Malformed(offset: index) }
                index += 1
            }
            func scalar() throws -> Scalar {
                skipSpace()
                guard index < bytes.count else { throw Malformed(offset: index) }
                switch bytes[index] {
                case 0x22:
                    index += 1
                    var piece: [UInt8] = []
                    while index < bytes.count, bytes[index] != 0x22 {
                        if bytes[index] == 0x5C, index + 1 < bytes.count {
                            index += 1
                            switch bytes[index] {
                            case 0x6E: piece.append(0x0A)
                            case 0x74: piece.append(0x09)
                            case 0x72: piece.append(0x0D)
                            case 0x62: piece.append(0x08)
                            case 0x66: piece.append(0x0C)
                            case 0x75:
                                guard index + 4 < bytes.count,
                                      let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)...(index + 4)]), as: UTF8.self), radix: 16)
                                else { throw Malformed(offset: index) }
                                piece.append(contentsOf: Array(String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                                index += 4
                            default: piece.append(bytes[index])
                            }
                        } else {
                            piece.append(bytes[index])
                        }
                        index += 1
                    }
                    guard index < bytes.count else { throw Malformed(offset: index) }
                    index += 1
                    return .string(String(decoding: piece, as: UTF8.self))
                case 0x6E:
                    guard index + 3 < bytes.count else { throw Malformed(offset: index) }
                    index += 4
                    return .null
                default:
                    let start = index
                    while index < bytes.count, bytes[index] != 0x2C, bytes[index] != 0x5D, bytes[index] != 0x20 { index += 1 }
                    let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    guard let value = Double(token) else { throw Malformed(offset: start) }
                    return .number(value)
                }
            }
            var rows: [[Scalar]] = []
            try expect(0x5B)
            skipSpace()
            if index < bytes.count, bytes[index] == 0x5D { return rows }
            while true {
                try expect(0x5B)
                var row: [Scalar] = []
                row.reserveCapacity(12)
                skipSpace()
                if index < bytes.count, bytes[index] == 0x5D { index += 1 } else {
                    while true {
                        row.append(try scalar())
                        skipSpace()
                        guard index < bytes.count else { throw Malformed(offset: index) }
                        if bytes[index] == 0x2C { index += 1; continue }
                        try expect(0x5D)
                        break
                    }
                }
                rows.append(row)
                skipSpace()
                guard index < bytes.count else { throw Malformed(offset: index) }
                if bytes[index] == 0x2C { index += 1; continue }
                try expect(0x5D)
                return rows
            }
        }
    }
}
