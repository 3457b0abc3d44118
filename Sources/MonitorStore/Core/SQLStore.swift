import Foundation
import Monitor
import CoreMetrics
import SQLKit
import Synchronization

/// The store over SQL (SQLite now; the SQL is kept portable to PostgreSQL).
public final class SQLStore: Store {
    /// The catalogue of `catalog/*.yaml` this store was opened with.
    public let shippedCatalog: Catalog
    /// The shipped catalogue plus the published indicators gemeenten defined themselves, and the state of the
    /// `local_indicators` table it was built from (see ``refreshCatalog()``).
    let current: Mutex<(catalog: Catalog, signature: String)>
    /// Every indicator the store knows: the shipped ones and every gemeente's published own indicators. Pages read it
    /// through ``Catalog/visible(to:)``; imports and computations use it whole.
    public var catalog: Catalog { current.withLock { $0.catalog } }
    let connector: any DatabaseConnector
    let privacy: PrivacyPolicy
    let coverageCache = GenerationCache<[String: Set<AreaKind>]>()
    /// ``periods(indicator:)`` per data generation.
    let periodCache = GenerationCache<[String]>()
    /// ``areas(kind:)`` per data generation.
    let areaCache = GenerationCache<[Area]>()
    /// The current figures of Nederland, provincies, GGD-regio's and gemeenten for one data generation
    /// (``currentObservations(of:)``).
    let referenceFigures = Mutex<(generation: Int?, byArea: [AreaCode: [Observation]])>((nil, [:]))
    /// Visible writes made through this store (``localWrites``).
    let writes = Mutex(0)
    /// The time stamped on imports (and so on versions); tests set it to show a peildatum.
    let clock: @Sendable () -> Date
    /// Import durations (``StoreMetrics``).
    let metrics: StoreMetrics

    public init(connector: any DatabaseConnector, catalog: Catalog, privacy: PrivacyPolicy = PrivacyPolicy(),
                clock: @escaping @Sendable () -> Date = Date.init, metrics: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.connector = connector
        self.metrics = StoreMetrics(factory: metrics, database: SQLStore.isPostgres(connector.location) ? "postgresql" : "sqlite")
        self.shippedCatalog = catalog
        self.current = Mutex((catalog, ""))
        self.privacy = privacy
        self.clock = clock
    }

    /// Opens the database at `location`: a `postgres://…` address or a SQLite file path.
    /// Migrations are not applied here; see ``Migrations``.
    /// `postgresLeaseTimeout`: how long a request waits for a PostgreSQL connection before it fails with 503.
    /// `metrics`: where connection waits and import durations are recorded (``StoreMetrics``).
    public static func open(_ location: String, catalog: Catalog, clock: @escaping @Sendable () -> Date = Date.init,
                            postgresLeaseTimeout: Duration = .seconds(5), metrics: (any MetricsFactory)? = nil) throws -> SQLStore {
        let metrics = metrics ?? NOOPMetricsHandler.instance
        if isPostgres(location) {
            return SQLStore(connector: try PostgresConnector(url: location, leaseTimeout: postgresLeaseTimeout, metrics: metrics),
                            catalog: catalog, clock: clock, metrics: metrics)
        }
        return SQLStore(connector: try SQLiteConnector(path: location, metrics: metrics), catalog: catalog, clock: clock, metrics: metrics)
    }

    /// True for a PostgreSQL address (`postgres://` or `postgresql://`).
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Opens a SQLite file. Migrations are not applied here; see ``Migrations``.
    public static func sqlite(path: String, catalog: Catalog, clock: @escaping @Sendable () -> Date = Date.init) throws -> SQLStore {
        SQLStore(connector: try SQLiteConnector(path: path), catalog: catalog, clock: clock)
    }

    public func close() async { await connector.close() }

    public func ping() async throws {
        try await connector.read { db in _ = try await db.raw("SELECT 1 AS one").all() }
    }

    public func isEmpty() async throws -> Bool {
        try await connector.read { db in try await db.raw("SELECT code FROM areas LIMIT 1").all().isEmpty }
    }

    /// The size of the database in bytes (SQLite: pages × page size; PostgreSQL: `pg_database_size`).
    public func databaseBytes() async throws -> Int {
        try await connector.read { db in
            if db.isPostgres {
                return try await db.raw("SELECT pg_database_size(current_database()) AS size").first()?.decode(column: "size", as: Int.self) ?? 0
            }
            let pages = try await db.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 0
            let size = try await db.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self) ?? 0
            return pages * size
        }
    }

    public func observationCount() async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT COUNT(*) AS c FROM observations").first()?.decode(column: "c", as: Int.self) ?? 0
        }
    }

    // MARK: Areas

    public func area(_ code: AreaCode) async throws -> Area? {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT a.code, a.name, a.indeling_year, p.parent FROM areas a
                LEFT JOIN area_parents p ON p.child = a.code WHERE a.code = \(bind: code.rawValue) ORDER BY p.parent
                """).all()
            return try Self.areas(from: rows).first
        }
    }

    public func areas(kind: AreaKind) async throws -> [Area] {
        // Kept per data generation: every map and list of gemeenten asks (3 ms on PostgreSQL for the gemeenten).
        let connector = self.connector
        return try await areaCache.value(for: try await dataGeneration(), key: kind.rawValue) {
            try await connector.read { db in
                let rows = try await db.raw("""
                    SELECT a.code, a.name, a.indeling_year, p.parent FROM areas a
                    LEFT JOIN area_parents p ON p.child = a.code WHERE a.kind = \(bind: kind.rawValue) ORDER BY a.name, a.code, p.parent
                    """).all()
                return try Self.areas(from: rows)
            }
        }
    }

    public func areas(inGemeente gemeente: AreaCode) async throws -> [Area] {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT a.code, a.name, a.indeling_year, p.parent FROM areas a
                LEFT JOIN area_parents p ON p.child = a.code
                WHERE (a.kind IN ('wijk', 'buurt') AND a.gemeente_code = \(bind: gemeente.rawValue)) OR a.code = \(bind: gemeente.rawValue)
                ORDER BY a.name, a.code, p.parent
                """).all()
            return try Self.areas(from: rows)
        }
    }

    public func children(of parent: AreaCode, kind: AreaKind) async throws -> [Area] {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT a.code, a.name, a.indeling_year, p2.parent FROM area_parents p
                JOIN areas a ON a.code = p.child
                LEFT JOIN area_parents p2 ON p2.child = a.code
                WHERE p.parent = \(bind: parent.rawValue) AND a.kind = \(bind: kind.rawValue)
                ORDER BY a.name, a.code, p2.parent
                """).all()
            return try Self.areas(from: rows)
        }
    }

    static func areas(from rows: [any SQLRow]) throws -> [Area] {
        var result: [Area] = []
        var index: [String: Int] = [:]
        for row in rows {
            let codeText = try row.decode(column: "code", as: String.self)
            if index[codeText] == nil {
                guard let code = AreaCode(codeText) else { continue }
                index[codeText] = result.count
                result.append(Area(code: code, name: try row.decode(column: "name", as: String.self),
                                   indelingYear: try row.decode(column: "indeling_year", as: Int.self)))
            }
            if let parent = try row.decode(column: "parent", as: String?.self).flatMap(AreaCode.init) {
                result[index[codeText]!].parents.append(parent)
            }
        }
        return result
    }

    // MARK: Observations

    public func observations(_ query: ObservationQuery) async throws -> ObservationPage {
        try await connector.read { db -> ObservationPage in
            var conditions: [SQLQueryString] = []
            if let indicator = query.indicator { conditions.append("o.indicator = \(bind: indicator)") }
            if !query.excludedIndicators.isEmpty { conditions.append("o.indicator NOT IN (\(binds: query.excludedIndicators))") }
            if let period = query.period { conditions.append("o.period = \(bind: period)") }
            if let areas = query.areas {
                if areas.isEmpty { return ObservationPage(items: [], total: 0) }
                conditions.append("o.area_code IN (\(binds: areas.map(\.rawValue)))")
            }
            if let kind = query.areaKind { conditions.append("a.kind = \(bind: kind.rawValue)") }
            if let gemeente = query.withinGemeente { conditions.append("a.gemeente_code = \(bind: gemeente.rawValue)") }
            switch query.versions {
            case .current: conditions.append("o.superseded_by IS NULL")
            case .asOf(let date):
                // Import ids grow with time: the last import before the end of that day decides.
                let last: SQLQueryString = "(SELECT COALESCE(MAX(id), 0) FROM imports WHERE imported_at < \(bind: date.exclusiveBound))"
                conditions.append("COALESCE(o.import_id, 0) <= " + last + " AND (o.superseded_by IS NULL OR o.superseded_by > " + last + ")")
            case .number(let version): conditions.append("o.version = \(bind: version)")
            case .all: break
            case .afterImport(let id):
                conditions.append("COALESCE(o.import_id, 0) <= \(bind: id) AND (o.superseded_by IS NULL OR o.superseded_by > \(bind: id))")
            }
            var whereClause: SQLQueryString = ""
            if !conditions.isEmpty {
                whereClause = "WHERE " + conditions.dropFirst().reduce(conditions[0]) { $0 + " AND " + $1 }
            }
            let total = !query.countsTotal ? 0
                : try await db.raw("SELECT COUNT(*) AS c FROM observations o JOIN areas a ON a.code = o.area_code \(whereClause)")
                    .first()?.decode(column: "c", as: Int.self) ?? 0
            // Names sort by code point on both databases (SQLite's BINARY, PostgreSQL's "C"), so an export is the same file on either.
            let order: SQLQueryString = switch query.order {
            case .code: "o.indicator, o.area_code, o.period, o.version"
            case .areaName: db.isPostgres ? "a.name COLLATE \"C\", o.area_code, o.indicator, o.period, o.version"
                                          : "a.name, o.area_code, o.indicator, o.period, o.version"
            }
            let rows = try await db.raw("""
                SELECT o.indicator, o.area_code, o.period, o.status, o.value, o.numerator, o.denominator, o.n, a.name AS area_name,
                       o.ci_lower, o.ci_upper, o.origin, o.import_id, o.version,
                       ri.imported_at AS recorded_at, si.imported_at AS superseded_at, h.reason AS hidden_reason
                FROM observations o JOIN areas a ON a.code = o.area_code
                LEFT JOIN imports ri ON ri.id = o.import_id LEFT JOIN imports si ON si.id = o.superseded_by
                LEFT JOIN disclosure_hidden h ON h.indicator = o.indicator AND h.area_code = o.area_code AND h.period = o.period
                \(whereClause)
                ORDER BY \(order)
                LIMIT \(bind: query.limit) OFFSET \(bind: query.offset)
                """).all()
            var page = ObservationPage(items: [], total: total)
            page.items.reserveCapacity(rows.count)
            for row in rows {
                let reason = try row.decode(column: "hidden_reason", as: String?.self).flatMap(DisclosureControl.Reason.init(rawValue:))
                let observation = self.guarded(try Self.observation(from: row), hidden: reason)
                page.items.append(observation)
                if page.areaNames[observation.area] == nil {
                    page.areaNames[observation.area] = try row.decode(column: "area_name", as: String.self)
                }
            }
            return page
        }
    }

    public func privacyGuarded(_ observations: [Observation]) -> [Observation] { observations.map { guarded($0) } }

    public func currentObservations(of areas: [AreaCode]) async throws -> [Observation] {
        let generation = try await dataGeneration()
        let wanted = Array(Set(areas))
        var found: [Observation] = []
        let missing = referenceFigures.withLock { state -> [AreaCode] in
            if state.generation != generation { state = (generation, [:]) }
            return wanted.filter { code in
                guard let kept = state.byArea[code] else { return true }
                found.append(contentsOf: kept)
                return false
            }
        }
        if !missing.isEmpty {
            let read = try await observations(ObservationQuery(areas: missing, countsTotal: false)).items
            var byArea = Dictionary(grouping: read, by: \.area)
            for code in missing where byArea[code] == nil { byArea[code] = [] }
            found.append(contentsOf: read)
            referenceFigures.withLock { state in
                // A write that landed meanwhile made a new generation: these figures may be older, so they are not kept.
                guard state.generation == generation else { return }
                if state.byArea.count > Self.referenceAreasKept { state.byArea.removeAll() }
                for (code, figures) in byArea where code.kind != .wijk && code.kind != .buurt { state.byArea[code] = figures }
            }
        }
        // The query's order; the indices are sorted so the figures themselves are moved once.
        let order = found.indices.sorted { a, b in
            let x = found[a], y = found[b]
            if x.indicator != y.indicator { return x.indicator < y.indicator }
            if x.area != y.area { return x.area.rawValue < y.area.rawValue }
            if x.period != y.period { return x.period < y.period }
            return x.version < y.version
        }
        return order.map { found[$0] }
    }

    /// At most this many areas' figures are kept (all gemeenten and regions fit: some 400 of about 60 figures each).
    static let referenceAreasKept = 2_000

    /// The one place figures pass on their way out: the privacy rule, and the disclosure control computed
    /// at import (`hidden`: why this position is hidden in every version, see ``refreshDisclosure(touched:on:)``).
    func guarded(_ observation: Observation, hidden: DisclosureControl.Reason? = nil) -> Observation {
        if let hidden, observation.status == .waarde || observation.status == .geheim {
            return Observation(indicator: observation.indicator, area: observation.area, period: observation.period,
                               status: .geheim, value: nil, origin: observation.origin, importID: observation.importID,
                               suppressionReason: observation.status == .geheim && hidden == .primary && observation.suppressionReason == nil
                                   ? nil : hidden.label)
        }
        let indicator = catalog[observation.indicator]
        let denominatorIsPersons = indicator?.formula.flatMap { catalog[$0.denominator] }?.unit == .personen
        return privacy.apply(to: observation, indicator: indicator, denominatorIsPersons: denominatorIsPersons,
                             numeratorIsPersons: indicator.map(catalog.numeratorIsPersons) ?? false)
    }

    static func observation(from row: any SQLRow) throws -> Observation {
        let status = ObservationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .onbekend
        var ci: ConfidenceInterval? = nil
        if let low = try row.decode(column: "ci_lower", as: Double?.self), let high = try row.decode(column: "ci_upper", as: Double?.self) {
            ci = ConfidenceInterval(lower: low, upper: high)
        }
        var observation = Observation(
            indicator: try row.decode(column: "indicator", as: String.self),
            area: AreaCode(try row.decode(column: "area_code", as: String.self)) ?? .nederland,
            period: try row.decode(column: "period", as: String.self),
            status: status,
            value: try row.decode(column: "value", as: Double?.self),
            numerator: try row.decode(column: "numerator", as: Double?.self),
            denominator: try row.decode(column: "denominator", as: Double?.self),
            n: try row.decode(column: "n", as: Int?.self),
            confidenceInterval: ci,
            origin: ObservationOrigin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .geladen,
            importID: try row.decode(column: "import_id", as: Int?.self))
        observation.version = try row.decode(column: "version", as: Int.self)
        observation.recordedAt = try row.decode(column: "recorded_at", as: String?.self)
        observation.supersededAt = try row.decode(column: "superseded_at", as: String?.self)
        return observation
    }

    public func periods(indicator: String) async throws -> [String] {
        // Kept per data generation: on PostgreSQL the DISTINCT reads every figure of the indicator (24 ms with the bundled
        // data, ten times that with ten years), and every profile asks.
        let connector = self.connector
        return try await periodCache.value(for: try await dataGeneration(), key: indicator) {
            try await connector.read { db in
                try await db.raw("SELECT DISTINCT period FROM observations WHERE indicator = \(bind: indicator) AND superseded_by IS NULL ORDER BY period DESC")
                    .all().map { try $0.decode(column: "period", as: String.self) }
            }
        }
    }

    /// A write a visitor could see: `body` in one transaction that also raises the data generation, so a page kept for
    /// the old generation (on this node or any other) is not served again. Writes nobody else sees (sessions, failed
    /// logins, page views, anonymous answers before a round is published) use `connector.transaction` directly.
    func write<T: Sendable>(file: String = #fileID, line: Int = #line,
                            _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await connector.transaction(caller: "\(file):\(line)") { db in
            let result = try await body(db)
            try await db.raw("UPDATE data_generation SET generation = generation + 1 WHERE id = 1").run()
            return result
        }
        writes.withLock { $0 += 1 }
        return result
    }

    /// How many visible writes this store made (see ``write(file:line:_:)``): a reader of the generation in the same
    /// process knows to read it again at once.
    public var localWrites: Int { writes.withLock { $0 } }

    /// The data generation (see ``write(file:line:_:)``): one small read, polled by every app node.
    public func dataGeneration() async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT generation FROM data_generation WHERE id = 1").first()?.decode(column: "generation", as: Int.self) ?? 0
        }
    }

    public func generation() async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT COALESCE(MAX(id), 0) AS g FROM imports").first()?.decode(column: "g", as: Int.self) ?? 0
        }
    }

    public func coverage() async throws -> [String: Set<AreaKind>] {
        let generation = try await generation()
        let connector = self.connector
        return try await coverageCache.value(for: generation) {
            try await connector.read { db in
                let rows = try await db.raw("""
                    SELECT DISTINCT o.indicator, a.kind FROM observations o JOIN areas a ON a.code = o.area_code
                    WHERE o.status = 'waarde' AND o.superseded_by IS NULL
                    """).all()
                var result: [String: Set<AreaKind>] = [:]
                for row in rows {
                    guard let kind = AreaKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                    result[try row.decode(column: "indicator", as: String.self), default: []].insert(kind)
                }
                return result
            }
        }
    }

    public func coverage(gemeente: AreaCode) async throws -> [String: Lamppost.Reach] {
        // Areas first (CROSS JOIN keeps SQLite from scanning every figure: 0.45 s → 0.05 s for Amsterdam on the full data).
        try await connector.read { db in
            let code = gemeente.rawValue
            let rows = try await db.raw("""
                SELECT DISTINCT o.indicator,
                       CASE WHEN a.code = \(bind: code) OR a.gemeente_code = \(bind: code) THEN 'eigen'
                            WHEN a.kind = 'land' THEN 'landelijk' ELSE 'regio' END AS reach
                FROM areas a CROSS JOIN observations o
                WHERE o.area_code = a.code AND o.status = 'waarde' AND o.superseded_by IS NULL
                  AND (a.code = \(bind: code) OR a.gemeente_code = \(bind: code) OR a.kind = 'land'
                       OR a.code IN (SELECT parent FROM area_parents WHERE child = \(bind: code)))
                """).all()
            var result: [String: Lamppost.Reach] = [:]
            for row in rows {
                guard let reach = Lamppost.Reach(rawValue: try row.decode(column: "reach", as: String.self)) else { continue }
                let id = try row.decode(column: "indicator", as: String.self)
                result[id] = min(result[id] ?? .none, reach)
            }
            return result
        }
    }

    public func shapes(kind: AreaKind, withinGemeente: AreaCode?) async throws -> [(code: AreaCode, geoJSON: String)] {
        try await connector.read { db in
            var query: SQLQueryString = """
                SELECT s.code, s.geojson FROM area_shapes s JOIN areas a ON a.code = s.code
                WHERE a.kind = \(bind: kind.rawValue)
                AND s.year = (SELECT MAX(year) FROM area_shapes s2 WHERE s2.code = s.code)
                """
            if let gemeente = withinGemeente { query = query + " AND a.gemeente_code = \(bind: gemeente.rawValue)" }
            query = query + " ORDER BY s.code"
            return try await db.raw(query).all().compactMap { row -> (code: AreaCode, geoJSON: String)? in
                guard let code = AreaCode(try row.decode(column: "code", as: String.self)) else { return nil }
                return (code, try row.decode(column: "geojson", as: String.self))
            }
        }
    }

    public func codeChanges() async throws -> [CodeChange] {
        try await connector.read { db in
            try await db.raw("SELECT old_code, new_code, from_year FROM area_code_changes ORDER BY from_year, old_code").all().compactMap { row in
                guard let old = AreaCode(try row.decode(column: "old_code", as: String.self)),
                      let new = AreaCode(try row.decode(column: "new_code", as: String.self)) else { return nil }
                return CodeChange(old: old, new: new, fromYear: try row.decode(column: "from_year", as: Int.self))
            }
        }
    }

    /// Who did a write that came from the command line (the audit log's `actor`).
    public static let commandLineActor = "pbmonitor (opdrachtregel)"

    public func addCodeChange(_ change: CodeChange) async throws {
        let now = clock()
        try await write { db in
            let before = try await db.raw("""
                SELECT from_year FROM area_code_changes WHERE old_code = \(bind: change.old.rawValue) AND new_code = \(bind: change.new.rawValue)
                """).first().map { #"{"vanaf":"# + String(try $0.decode(column: "from_year", as: Int.self)) + "}" }
            try await Self.appendAudit(AuditEntry(at: now, actor: Self.commandLineActor, action: "herindeling",
                                                  object: "herindeling:\(change.old.rawValue)->\(change.new.rawValue)",
                                                  before: before, after: #"{"vanaf":"# + String(change.fromYear) + "}"), on: db)
            try await db.raw("""
                INSERT INTO area_code_changes (old_code, new_code, from_year)
                VALUES (\(bind: change.old.rawValue), \(bind: change.new.rawValue), \(bind: change.fromYear))
                ON CONFLICT (old_code, new_code) DO UPDATE SET from_year = excluded.from_year
                """).run()
        }
    }

    public func recordPageView(indicator: String) async throws {
        let day = DutchDate.isoDay(clock())
        try await connector.transaction { db in
            try await db.raw("""
                INSERT INTO indicator_usage (indicator, day, page_views) VALUES (\(bind: indicator), \(bind: day), 1)
                ON CONFLICT (indicator, day) DO UPDATE SET page_views = indicator_usage.page_views + 1
                """).run()
        }
    }

    public func usage() async throws -> [String: IndicatorUsage] {
        try await connector.read { db in
            let rows = try await db.raw("""
                SELECT indicator, SUM(page_views) AS views, SUM(dialogue_references) AS refs FROM indicator_usage GROUP BY indicator
                """).all()
            var result: [String: IndicatorUsage] = [:]
            for row in rows {
                result[try row.decode(column: "indicator", as: String.self)] = IndicatorUsage(
                    pageViews: try row.decode(column: "views", as: Int.self), dialogueReferences: try row.decode(column: "refs", as: Int.self))
            }
            return result
        }
    }

    // MARK: Imports

    public func importRecord(id: Int) async throws -> ImportRecord? {
        try await connector.read { db in
            try await db.raw("SELECT * FROM imports WHERE id = \(bind: id)").first().map(Self.importRecord(from:))
        }
    }

    public func imports() async throws -> [ImportRecord] {
        try await connector.read { db in
            try await db.raw("SELECT * FROM imports ORDER BY id DESC").all().map(Self.importRecord(from:))
        }
    }

    static func importRecord(from row: any SQLRow) throws -> ImportRecord {
        ImportRecord(id: try row.decode(column: "id", as: Int.self), fileName: try row.decode(column: "file_name", as: String.self),
                     sha256: try row.decode(column: "sha256", as: String.self), format: try row.decode(column: "format", as: String.self),
                     importedAt: try row.decode(column: "imported_at", as: String.self),
                     rowCount: try row.decode(column: "row_count", as: Int.self),
                     valueCount: try row.decode(column: "value_count", as: Int.self),
                     note: try row.decode(column: "note", as: String?.self))
    }

    public func importBatch(_ batch: ImportBatch) async throws -> ImportReport {
        try await write { db in
            try await self.importBatch(batch, note: nil, on: db)
        }
    }

    /// Figures the monitor computes from a gemeente's own records (register, questionnaire round, network map), imported
    /// like a file inside the transaction that publishes the record: `source` names it in the import list (its SHA-256 is
    /// that of the figures), `rowCount` is how many records they rest on.
    func importComputed(_ figures: [Observation], source: String, format: String, rowCount: Int, note: String, actor: String,
                        on db: any SQLDatabase) async throws -> ImportReport {
        let batch = ImportBatch(file: source, sha256: SHA256.hex(Data(FigureJSON.encode(figures[...]).utf8)), format: format,
                                rowCount: rowCount, observations: figures, unmappedColumns: [], areaPositions: [:])
        return try await importBatch(batch, note: note, actor: actor, on: db)
    }

    /// Imports inside an open transaction (also used by the bundled first load).
    func importBatch(_ batch: ImportBatch, note: String?, derive: Bool = true, actor: String = SQLStore.commandLineActor,
                     on db: any SQLDatabase) async throws -> ImportReport {
        let started = ContinuousClock.now
        defer { metrics.imported(format: batch.format, since: started) }
        // Several app nodes on one PostgreSQL: imports take turns (SQLite has one writer anyway).
        try await FigureWriter.serialiseWriters(on: db)
        // Every area must exist; name the first unknown one with its place in the file.
        let known = Set(try await db.raw("SELECT code FROM areas").all().map { try $0.decode(column: "code", as: String.self) })
        var newAreas: [AreaCode] = []
        if batch.createsUnknownAreas {
            // New codes (a herindeling, a new wijk): create them with the parent their code implies,
            // when that parent exists or is new in this file as well.
            let unknown = batch.areaPositions.keys.filter { !known.contains($0.rawValue) }
            let coming = Set(unknown.map(\.rawValue)).union(known)
            let order: [AreaKind] = [.land, .provincie, .ggdregio, .gemeente, .wijk, .buurt]
            let areas = unknown.sorted { (order.firstIndex(of: $0.kind)!, $0) < (order.firstIndex(of: $1.kind)!, $1) }.map { code in
                Area(code: code, name: batch.areaNames[code].flatMap { $0.isEmpty ? nil : $0 } ?? code.rawValue,
                     parents: Area.parentsFromCode(code).filter { coming.contains($0.rawValue) },
                     indelingYear: batch.observations.first { $0.area == code }.flatMap { Int($0.period.prefix(4)) } ?? 0)
            }
            try await Self.upsertAreas(areas, on: db)
            newAreas = areas.map(\.code)
        } else if let unknown = batch.areaPositions.keys.filter({ !known.contains($0.rawValue) }).min(by: {
            batch.areaPositions[$0]!.line < batch.areaPositions[$1]!.line
        }) {
            let position = batch.areaPositions[unknown]!
            throw ImportError(file: batch.file, line: position.line, column: position.column, found: unknown.rawValue,
                expected: tr("een gebied dat de monitor kent (gemeenten, wijken en buurten van de CBS-indeling 2023/2024)"))
        }
        let importedAt = Self.timestamp(clock())
        let importID = try await db.insert(into: "imports")
            .columns("file_name", "sha256", "format", "imported_at", "row_count", "value_count", "note")
            .values(SQLBind(batch.file), SQLBind(batch.sha256), SQLBind(batch.format),
                    SQLBind(importedAt), SQLBind(batch.rowCount),
                    SQLBind(batch.observations.count), SQLBind(note))
            .returning("id").first()?.decode(column: "id", as: Int.self) ?? 0
        // Read first — what is stored for the file's figures and what the derived figures need — then
        // compare and compute while the new versions are written behind (see ``WriteBehind``).
        let touched = Set(batch.observations.map { FigurePair(indicator: $0.indicator, period: $0.period) })
        let stored = try await FigureWriter.read(touched, on: db)
        let plan = derive ? try await prepareDerived(touched: touched, holding: touched, on: db) : nil
        let suspended = try await FigureWriter.suspendIndexes(adding: batch.observations.count, on: db)
        let (versions, derived, perIndicator) = try await WriteBehind.run(on: db) { output in
            let written = try await FigureWriter.write(batch.observations, importID: importID, stored: stored, behind: output, on: db)
            // Indexes dropped for a large first load come back as soon as the file's figures are in,
            // while the derived figures are being computed.
            if !suspended.isEmpty { output.enqueue { try await FigureWriter.restoreIndexes(suspended, on: $0) } }
            let derived = if let plan {
                try await self.writeDerived(plan, known: written.stored, importID: importID, behind: output, on: db)
            } else {
                VersionCounts()
            }
            // The report's counts, made while the database finishes.
            var perIndicator: [String: (values: Int, suppressed: Int)] = [:]
            for observation in batch.observations {
                perIndicator[observation.indicator, default: (0, 0)].values += 1
                if observation.status != .waarde { perIndicator[observation.indicator, default: (0, 0)].suppressed += 1 }
            }
            return (written.counts, derived, perIndicator)
        }
        // Disclosure control over the new state, in the same transaction (the bundled first load does it once at the end).
        if derive { try await refreshDisclosure(touched: touched, on: db) }
        let record = ImportRecord(id: importID, fileName: batch.file, sha256: batch.sha256, format: batch.format,
                                  importedAt: importedAt, rowCount: batch.rowCount,
                                  valueCount: batch.observations.count, note: note)
        // The audit log: what changed. The figures themselves are versioned (nothing is overwritten), so
        // "before" is every earlier version, still in the database; the entry names how many were revised.
        struct Summary: Encodable {
            let bestand, sha256: String
            let waarden, nieuw, herzien, ongewijzigd, berekend_nieuw_of_herzien, berekend_vervallen: Int
        }
        let summary = Self.auditJSON(Summary(
            bestand: batch.file, sha256: batch.sha256, waarden: batch.observations.count, nieuw: versions.new, herzien: versions.revised,
            ongewijzigd: versions.unchanged, berekend_nieuw_of_herzien: derived.new + derived.revised, berekend_vervallen: derived.withdrawn))
        try await Self.appendAudit(AuditEntry(at: clock(), actor: actor, action: "import", object: "import:\(importID)", before: nil, after: summary), on: db)
        return ImportReport(record: record, unmappedColumns: batch.unmappedColumns,
                            perIndicator: perIndicator.sorted { $0.key < $1.key }.map { ($0.key, $0.value.values, $0.value.suppressed) },
                            newAreas: newAreas,
                            versions: versions, derivedVersions: derived)
    }

    public func withdrawFigure(indicator: String, area: AreaCode, period: String, reason: String, actor: String) async throws -> ImportReport {
        guard catalog[indicator] != nil else { throw ImportError(file: "intrekking", column: "indicator", found: indicator, expected: tr("een indicator uit de catalogus")) }
        let observation = Observation(indicator: indicator, area: area, period: period, status: .onbekend, value: nil, origin: .geladen)
        let body = "\(indicator);\(area.rawValue);\(period);ingetrokken;\(reason)"
        let batch = ImportBatch(file: "intrekking \(indicator) \(area.rawValue) \(period)", sha256: SHA256.hex(Data(body.utf8)), format: "intrekking",
                                rowCount: 1, observations: [observation], unmappedColumns: [], areaPositions: [area: (line: 1, column: "gebied")])
        return try await write { db in
            try await self.importBatch(batch, note: "ingetrokken door \(actor): \(reason)", actor: actor, on: db)
        }
    }

    /// Import time stamps: ISO 8601 in UTC with milliseconds, so they sort as text.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Recomputes sums and formulas for every indicator and period an import touched (and,
    /// transitively, the formulas that use them), as versions: a computed figure that changed gets
    /// a new version, one that can no longer be computed is withdrawn. The arithmetic is
    /// ``Derivation`` in the domain; ``prepareDerived`` gathers its inputs, ``writeDerived`` writes its results.
    func recomputeDerived(touched: Set<FigurePair>, importID: Int, on db: any SQLDatabase) async throws -> VersionCounts {
        guard let plan = try await prepareDerived(touched: touched, holding: [], on: db) else { return VersionCounts() }
        return try await WriteBehind.run(on: db) { output in
            try await self.writeDerived(plan, known: [:], importID: importID, behind: output, on: db)
        }
    }

    /// What recomputing needs, read before anything is written: which sums and which formula × period
    /// to compute (those whose inputs changed, transitively, in dependency order) and the stored figures they use.
    struct DerivedPlan: Sendable {
        var hierarchy: [(whole: AreaCode, parts: [AreaCode])]
        /// Count indicators × periods summed up the area hierarchy.
        var summed: Set<FigurePair>
        var formulas: [(indicator: Indicator, formula: Formula, own: FigurePair)]
        /// Stored figures of the pairs the caller does not hold.
        var stored: [FigurePair: FigureWriter.Stored]
    }

    /// Plans the derived figures of `touched` and reads, in one go, what they need.
    /// - Parameter holding: pairs whose current figures the caller will pass to ``writeDerived`` (what the import writes).
    /// - Returns: nil when nothing is derived from these pairs.
    func prepareDerived(touched: Set<FigurePair>, holding: Set<FigurePair>, on db: any SQLDatabase) async throws -> DerivedPlan? {
        let summed = Set(touched.filter { catalog[$0.indicator].map { $0.aggregation == .som && $0.formula == nil } ?? false })
        var dirty = touched
        var planned: [(indicator: Indicator, formula: Formula, own: FigurePair)] = []
        for indicator in catalog.formulasInDependencyOrder {
            guard let formula = indicator.formula else { continue }
            for period in Set(dirty.filter { $0.indicator == formula.numerator || $0.indicator == formula.denominator }.map(\.period)).sorted() {
                let own = FigurePair(indicator: indicator.id, period: period)
                planned.append((indicator, formula, own))
                dirty.insert(own)
            }
        }
        guard !summed.isEmpty || !planned.isEmpty else { return nil }
        let inputs = planned.flatMap { [FigurePair(indicator: $0.formula.numerator, period: $0.own.period),
                                        FigurePair(indicator: $0.formula.denominator, period: $0.own.period)] }
        let needed = summed.union(inputs).union(planned.map(\.own)).subtracting(holding)
        return DerivedPlan(hierarchy: summed.isEmpty ? [] : try await Self.hierarchy(on: db), summed: summed, formulas: planned,
                           stored: needed.isEmpty ? [:] : try await FigureWriter.read(needed, on: db))
    }

    /// Computes the planned sums and formulas in memory — one formula's results feed the next — and
    /// writes them. Reads nothing: `known` (the current figures of the pairs the caller holds) and the plan have it all.
    func writeDerived(_ plan: DerivedPlan, known holding: [FigurePair: FigureWriter.Stored], importID: Int,
                      behind output: WriteBehind, on db: any SQLDatabase) async throws -> VersionCounts {
        var known = plan.stored.merging(holding) { $1 }
        var counts = VersionCounts()
        // 1. Sums of counts up the area hierarchy, from loaded figures only.
        if !plan.summed.isEmpty {
            let sums = plan.summed.flatMap { pair in
                Derivation.sums(indicator: pair.indicator, period: pair.period, parts: plan.hierarchy,
                                observations: (known[pair]?.current ?? [:]).filter { $0.value.origin == .geladen }, importID: importID)
            }
            let written = try await FigureWriter.write(sums, scope: plan.summed, withdrawingComputed: true, importID: importID,
                                                       stored: known, behind: output, on: db)
            counts = counts + written.counts
            known.merge(written.stored) { $1 }
        }
        // 2. Formulas, in dependency order, each written as soon as it is computed (so the writer behind
        //    has work while the next is computed).
        for (indicator, formula, own) in plan.formulas {
            // Long in-memory work: let the writer behind (and other requests) run.
            await Task.yield()
            let stored = known[own] ?? FigureWriter.Stored()
            let loaded = stored.current.filter { $0.value.origin == .geladen }
            let computed = Derivation.applyFormula(
                formula, indicator: indicator.id, period: own.period,
                numerators: known[FigurePair(indicator: formula.numerator, period: own.period)]?.current ?? [:],
                denominators: known[FigurePair(indicator: formula.denominator, period: own.period)]?.current ?? [:],
                loaded: Set(loaded.keys), importID: importID)
            let written = try await FigureWriter.write(computed, scope: [own], withdrawingComputed: true, importID: importID,
                                                       stored: [own: stored], behind: output, on: db)
            counts = counts + written.counts
            known[own] = written.stored[own]
        }
        return counts
    }

    /// Wholes and their parts: wijk ← buurten, gemeente ← wijken, provincie and GGD-regio ← gemeenten, Nederland ← gemeenten.
    static func hierarchy(on db: any SQLDatabase) async throws -> [(whole: AreaCode, parts: [AreaCode])] {
        let rows = try await db.raw("""
            SELECT p.child, p.parent FROM area_parents p
            """).all()
        var parts: [AreaCode: [AreaCode]] = [:]
        var gemeenten: [AreaCode] = []
        for row in rows {
            guard let child = AreaCode(try row.decode(column: "child", as: String.self)),
                  let parent = AreaCode(try row.decode(column: "parent", as: String.self)) else { continue }
            switch (child.kind, parent.kind) {
            case (.buurt, .wijk), (.wijk, .gemeente), (.gemeente, .provincie), (.gemeente, .ggdregio):
                parts[parent, default: []].append(child)
            default: break
            }
            if child.kind == .gemeente && parent.kind == .provincie { gemeenten.append(child) }
        }
        if !gemeenten.isEmpty { parts[.nederland] = gemeenten }
        return parts.map { (whole: $0.key, parts: $0.value.sorted()) }.sorted { $0.whole < $1.whole }
    }

    // MARK: Areas (writes)

    /// Inserts or updates areas and their parents (inside a transaction).
    static func upsertAreas(_ areas: [Area], on db: any SQLDatabase) async throws {
        let chunkSize = 400
        for start in stride(from: 0, to: areas.count, by: chunkSize) {
            let chunk = areas[start..<min(start + chunkSize, areas.count)]
            let builder = db.insert(into: "areas").columns("code", "name", "kind", "gemeente_code", "indeling_year")
            for area in chunk {
                builder.values([SQLBind(area.code.rawValue), SQLBind(area.name), SQLBind(area.kind.rawValue),
                                SQLBind(area.gemeente?.rawValue), SQLBind(area.indelingYear)] as [any SQLExpression])
            }
            try await builder.onConflict(with: ["code"]) { $0.set(excludedValueOf: "name").set(excludedValueOf: "indeling_year") }.run()
        }
        let links = areas.flatMap { area in area.parents.map { (area.code, $0) } }
        for start in stride(from: 0, to: links.count, by: chunkSize) {
            let builder = db.insert(into: "area_parents").columns("child", "parent")
            for (child, parent) in links[start..<min(start + chunkSize, links.count)] {
                builder.values([SQLBind(child.rawValue), SQLBind(parent.rawValue)] as [any SQLExpression])
            }
            try await builder.ignoringConflicts(with: ["child", "parent"]).run()
        }
    }
}

extension SQLStore {
    /// Migrations not yet applied.
    public func pendingMigrations() async throws -> [Migration] {
        try await Migrations.pending(on: connector)
    }

    /// Applies pending migrations; returns what was applied.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let applied = try await Migrations.apply(on: connector)
        try await ensureDisclosure()
        return applied
    }

    /// Where the database lives.
    public var location: String { connector.location }

    /// SQLite's quick check of the file (pages, b-trees; no index cross-check): "ok", or what is damaged.
    /// PostgreSQL checks its own pages: always "ok" here.
    public func quickCheck() async throws -> String {
        try await connector.read { db in
            guard !db.isPostgres else { return "ok" }
            let lines = try await db.raw("PRAGMA quick_check").all()
                .compactMap { try? $0.decode(column: "quick_check", as: String.self) }
            return lines.isEmpty ? "geen antwoord" : lines.prefix(5).joined(separator: "; ")
        }
    }

    /// The database's consistency: SQLite's own check of the file, and the rules the figure table does
    /// not declare (see migration 0004). Each broken rule is named with its count; "ok" when all hold.
    public func integrityCheck() async throws -> String {
        try await connector.read { db in
            var problems: [String] = []
            if !db.isPostgres {
                let sqlite = try await db.raw("PRAGMA integrity_check").all()
                    .compactMap { try? $0.decode(column: "integrity_check", as: String.self) }.joined(separator: "; ")
                if sqlite != "ok" { problems.append(sqlite) }
            }
            let rules: [(String, SQLQueryString)] = [
                ("cijfers met een onbekende status of herkomst",
                 "SELECT COUNT(*) AS c FROM observations WHERE status NOT IN ('waarde', 'geheim', 'onbekend', 'nvt') OR origin NOT IN ('geladen', 'berekend', 'opgeteld', 'registratie', 'vragenlijst') OR version < 1"),
                ("cijfers waarvan status en waarde elkaar tegenspreken",
                 "SELECT COUNT(*) AS c FROM observations WHERE (status = 'waarde') <> (value IS NOT NULL)"),
                ("cijfers van een onbekend gebied",
                 "SELECT COUNT(*) AS c FROM observations o WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = o.area_code)"),
                ("cijfers van een onbekende import",
                 "SELECT COUNT(*) AS c FROM observations o WHERE (o.import_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = o.import_id)) OR (o.superseded_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = o.superseded_by))"),
                ("cijfers met meer dan één huidige versie",
                 "SELECT COUNT(*) AS c FROM (SELECT 1 FROM observations WHERE superseded_by IS NULL GROUP BY indicator, period, area_code HAVING COUNT(*) > 1) d"),
            ]
            for (rule, query) in rules {
                let count = try await db.raw(query).first()?.decode(column: "c", as: Int.self) ?? 0
                if count > 0 { problems.append("\(count) \(rule)") }
            }
            return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
        }
    }
}

/// Keeps one derived result per generation of the figures (see ``Store/generation()``), so a
/// costly scan runs once per import instead of once per request; every node checks the generation.
public actor GenerationCache<Value: Sendable> {
    private var entries: [String: (generation: Int, value: Value)] = [:]
    /// Values being made, so callers that come meanwhile wait for the same work (after a new generation under load,
    /// one computation instead of one per request).
    private var running: [String: (generation: Int, task: Task<Value, any Error>)] = [:]

    public init() {}

    /// The kept value of this generation, or the one `make` computes — once, however many ask at the same time.
    public func value(for generation: Int, key: String = "", make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let entry = entries[key], entry.generation == generation { return entry.value }
        if let run = running[key], run.generation == generation { return try await run.task.value }
        let task = Task { try await make() }
        running[key] = (generation, task)
        do {
            let value = try await task.value
            if running[key]?.generation == generation { running[key] = nil }
            if (entries[key]?.generation ?? Int.min) <= generation { entries[key] = (generation, value) }
            return value
        } catch {
            if running[key]?.generation == generation { running[key] = nil }
            throw error
        }
    }
}
