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
enum BulkValue: Sendable, Equatable {
    case null
    case text(String)
    case real(Double)
    case integer(Int)

    static func == (a: BulkValue, b: BulkValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.text(x), .text(y)): x == y
        case let (.real(x), .real(y)): x.bitPattern == y.bitPattern
        case let (.integer(x), .integer(y)): x == y
        default: false
        }
    }
}

/// A statement of a bulk insert: its SQL and the values it binds.
struct BulkStatement: Sendable {
    var sql: String
    var binds: [BulkValue]
}

/// A database that can insert many rows faster than statement by statement through SQLKit.
protocol BulkInserting: Sendable {
    /// The statements that insert rows given as one flat list of values, `columns.count` per row.
    /// Touches nothing: they can be made off the connection.
    func statements(inserting values: [BulkValue], into table: String, columns: [String]) -> [BulkStatement]
    /// Runs statements made by ``statements(inserting:into:columns:)``.
    func run(_ statements: [BulkStatement]) async throws
}

/// Runs the figure writer's statements on a transaction's connection behind the computation that
/// produces them: while one chunk of new versions is being inserted, the next is compared and the
/// derived figures are computed, so a large import keeps both cores busy instead of taking turns.
/// Statements run one at a time, in the order they were given. Nothing may read figures through the
/// connection while it runs — callers read what they need first (``SQLStore/prepareDerived``).
struct WriteBehind: Sendable {
    typealias Statement = @Sendable (any SQLDatabase) async throws -> Void
    private let continuation: AsyncStream<Statement>.Continuation

    /// Queues a statement; it runs after every statement queued before it.
    func enqueue(_ statement: @escaping Statement) {
        continuation.yield(statement)
    }

    /// Runs `body` with a writer and returns when every queued statement has run. A failure — of `body`
    /// or of a statement — is thrown only after the writer has stopped, so the caller's transaction
    /// rolls back with nothing in flight; statements queued after a failure do not run.
    static func run<T>(on db: any SQLDatabase, _ body: (WriteBehind) async throws -> T) async throws -> T {
        let (stream, continuation) = AsyncStream.makeStream(of: Statement.self)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask {
                for await statement in stream {
                    try Task.checkCancellation()
                    try await statement(db)
                }
                // A cancelled task ends the stream early: that is a failure, never a shorter import.
                try Task.checkCancellation()
            }
            let result: T
            do {
                result = try await body(WriteBehind(continuation: continuation))
            } catch {
                continuation.finish()
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
            continuation.finish()
            try await group.waitForAll()
            return result
        }
    }
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
    /// What is stored for one pair: the current figures, and the last version of areas whose figure was withdrawn
    /// (a new figure there must get a higher version).
    struct Stored: Sendable {
        var current: [AreaCode: Observation] = [:]
        /// The highest version per area where that is not the current figure (a withdrawn figure's last version).
        var closedVersion: [AreaCode: Int] = [:]

        /// The version a new figure for `area` gets.
        func nextVersion(for area: AreaCode, current figure: Observation?) -> Int {
            max(figure?.version ?? 0, closedVersion.isEmpty ? 0 : closedVersion[area] ?? 0) + 1
        }
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
        // Closed versions per pair and area; only those above the current figure's (a withdrawn one) are kept.
        var highest: [FigurePair: [AreaCode: Int]] = [:]
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
                guard row[12] == .null else {
                    highest[pair, default: [:]][area] = max(version, highest[pair]?[area] ?? 0)
                    continue
                }
                var observation = Observation(
                    indicator: indicator, area: area, period: period, status: ObservationStatus(rawValue: statusText) ?? .onbekend,
                    value: row[3].number, numerator: row[4].number, denominator: row[5].number, n: row[6].number.map { Int($0) },
                    origin: row[9].string.flatMap(ObservationOrigin.init(rawValue:)) ?? .geladen, importID: row[10].number.map { Int($0) })
                if let lower = row[7].number, let upper = row[8].number { observation.confidenceInterval = ConfidenceInterval(lower: lower, upper: upper) }
                observation.version = version
                result[pair, default: Stored()].current[area] = observation
            }
        }
        for (pair, areas) in highest {
            for (area, version) in areas where version > (result[pair]?.current[area]?.version ?? 0) {
                result[pair, default: Stored()].closedVersion[area] = version
            }
        }
        return result
    }

    /// Before a large import into a small table (the first load, a new deployment): drops the figure
    /// table's secondary indexes, since SQLite builds an index faster in one sorted pass over the rows
    /// than entry by entry in random order. Returns their definitions, as stored, for
    /// ``restoreIndexes``, which the same transaction must run — a rollback restores them anyway.
    /// Does nothing on PostgreSQL, or when the import is small next to what is stored.
    static func suspendIndexes(adding rows: Int, on db: any SQLDatabase) async throws -> [String] {
        guard !db.isPostgres, rows >= 100_000 else { return [] }
        let stored = try await db.raw("SELECT COUNT(*) AS c FROM observations").first()?.decode(column: "c", as: Int.self) ?? 0
        guard rows > stored else { return [] }
        let indexes = try await db.raw("""
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' AND sql IS NOT NULL ORDER BY name
            """).all()
        var definitions: [String] = []
        for index in indexes {
            let name = try index.decode(column: "name", as: String.self)
            definitions.append(try index.decode(column: "sql", as: String.self))
            try await db.raw("DROP INDEX \(ident: name)").run()
        }
        return definitions
    }

    /// Recreates indexes dropped by ``suspendIndexes``.
    static func restoreIndexes(_ definitions: [String], on db: any SQLDatabase) async throws {
        for definition in definitions { try await db.raw("\(unsafeRaw: definition)").run() }
    }

    /// Writes `incoming` as versions stamped with `importID`.
    /// - Parameters:
    ///   - scope: pairs whose resulting current figures are returned (the pairs of `incoming` are always included).
    ///   - withdrawingComputed: close current computed figures in `scope` that `incoming` does not hold (they can no longer be computed).
    ///   - stored: what `read` returned for these pairs, when the caller has it already.
    ///   - output: when given, the statements go to this writer (which runs them behind the caller's
    ///     computation) instead of being awaited here; `stored` must then hold every pair.
    /// - Returns: the counts, and the current figures per pair after writing.
    static func write(_ incoming: [Observation], scope: Set<FigurePair> = [], withdrawingComputed: Bool = false, importID: Int,
                      stored: [FigurePair: Stored]? = nil, behind output: WriteBehind? = nil, on db: any SQLDatabase) async throws
        -> (counts: VersionCounts, stored: [FigurePair: Stored]) {
        // Positions per pair, not copies: a large file's figures are not copied a second time.
        var byPair: [FigurePair: [Int]] = [:]
        for (index, figure) in incoming.enumerated() {
            byPair[FigurePair(indicator: figure.indicator, period: figure.period), default: []].append(index)
        }
        let pairs = scope.union(byPair.keys)
        var existing = (stored ?? [:]).filter { pairs.contains($0.key) }
        let unread = pairs.filter { existing[$0] == nil }
        precondition(output == nil || unread.isEmpty, "a write behind the computation cannot read: pass what is stored")
        if !unread.isEmpty { existing.merge(try await read(unread, on: db)) { $1 } }
        var counts = VersionCounts()
        var result: [FigurePair: Stored] = [:]
        var closing: [Observation] = []
        var inserting: [Observation] = []
        /// Hands what is ready to the database: to the writer behind, or here and now.
        func flush() async throws {
            if let output {
                let (closing, inserting) = (closing, inserting)
                if !closing.isEmpty { output.enqueue { try await close(closing, by: importID, on: $0) } }
                if !inserting.isEmpty {
                    let prepared = prepareInsert(inserting, for: db)
                    output.enqueue { try await insert(prepared, on: $0) }
                }
            } else {
                try await close(closing, by: importID, on: db)
                try await insert(inserting, on: db)
            }
            closing = []
            inserting = []
        }
        for pair in pairs.sorted() {
            await Task.yield()
            let before = existing[pair] ?? Stored()
            var after = before
            let positions = byPair[pair] ?? []
            after.current.reserveCapacity(positions.count)
            var written = Set<AreaCode>()
            for position in positions {
                let figure = incoming[position]
                if withdrawingComputed { written.insert(figure.area) }
                let old = before.current.isEmpty ? nil : before.current[figure.area]
                if let old, old.sameFigure(as: figure) {
                    counts.unchanged += 1
                    continue
                }
                var version = figure
                version.version = before.nextVersion(for: figure.area, current: old)
                version.importID = importID
                if let old { closing.append(old); counts.revised += 1 } else { counts.new += 1 }
                inserting.append(version)
                after.current[figure.area] = version
            }
            if withdrawingComputed && scope.contains(pair) {
                for (area, old) in before.current where old.origin != .geladen && !written.contains(area) {
                    closing.append(old)
                    counts.withdrawn += 1
                    after.current[area] = nil
                    after.closedVersion[area] = old.version
                }
            }
            result[pair] = after
            // Behind the computation, the database starts on the first pairs while the next are compared.
            if output != nil && inserting.count + closing.count >= streamSize { try await flush() }
        }
        try await flush()
        return (counts, result)
    }

    /// Figures per statement handed to a ``WriteBehind`` while comparing.
    static let streamSize = 10_000

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
        try await insert(prepareInsert(figures, for: db), on: db)
    }

    /// New versions made ready for the database — sorted and turned into statements — without touching
    /// it, so a ``WriteBehind`` spends its turn on the connection on the database's own work.
    enum PreparedInsert: Sendable {
        /// Statements with direct binds (SQLite).
        case bulk([BulkStatement])
        /// JSON documents of up to ``chunkSize`` figures (PostgreSQL).
        case json([String])
    }

    static func prepareInsert(_ figures: [Observation], for db: any SQLDatabase) -> PreparedInsert {
        // Sort positions, not the figures themselves (large values with several strings each); the
        // writer hands them over pair by pair, so often only the areas within a pair need sorting.
        let order: [Int] = figures.withUnsafeBufferPointer { f in
            func before(_ a: Int, _ b: Int) -> Bool {
                if f[a].indicator != f[b].indicator { return f[a].indicator < f[b].indicator }
                if f[a].period != f[b].period { return f[a].period < f[b].period }
                return f[a].area.rawValue < f[b].area.rawValue
            }
            let positions = Array(f.indices)
            return zip(positions, positions.dropFirst()).allSatisfy({ !before($1, $0) }) ? positions : positions.sorted(by: before)
        }
        if let bulk = db as? any BulkInserting {
            func number(_ value: Double?) -> BulkValue { value.map(BulkValue.real) ?? .null }
            func integer(_ value: Int?) -> BulkValue { value.map(BulkValue.integer) ?? .null }
            var values: [BulkValue] = []
            values.reserveCapacity(order.count * insertedColumns.count)
            for index in order {
                let o = figures[index]
                values.append(.text(o.indicator)); values.append(.text(o.period)); values.append(.text(o.area.rawValue))
                values.append(.integer(o.version)); values.append(.text(o.status.rawValue)); values.append(number(o.value))
                values.append(number(o.numerator)); values.append(number(o.denominator)); values.append(integer(o.n))
                values.append(number(o.confidenceInterval?.lower)); values.append(number(o.confidenceInterval?.upper))
                values.append(.text(o.origin.rawValue)); values.append(integer(o.importID))
            }
            return .bulk(bulk.statements(inserting: values, into: "observations", columns: insertedColumns))
        }
        let sorted = order.map { figures[$0] }
        return .json(stride(from: 0, to: sorted.count, by: chunkSize).map { start in
            FigureJSON.encode(sorted[start..<min(start + chunkSize, sorted.count)])
        })
    }

    static func insert(_ prepared: PreparedInsert, on db: any SQLDatabase) async throws {
        switch prepared {
        case .bulk(let statements):
            guard let bulk = db as? any BulkInserting else { preconditionFailure("bulk statements for a database without bulk inserts") }
            try await bulk.run(statements)
        case .json(let documents):
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
            for document in documents {
                try await db.raw(select + "\(bind: document)" + (db.isPostgres ? "::jsonb) e" : ") j")).run()
            }
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
