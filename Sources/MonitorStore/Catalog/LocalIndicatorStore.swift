import Foundation
import Monitor
import SQLKit
import Yams

/// Indicators that gemeenten define in the browser (issue 18): concepts until published, every saved state kept as a
/// version, every change audited; published ones join the store's catalogue on every app node (``refreshCatalog()``).
public protocol LocalIndicatorStore: Sendable {
    /// Validates an entry as `pbmonitor check` validates a catalogue file, plus the rules of an own indicator
    /// (its id starts with the gemeente's prefix, it is loaded from its own column, its id is free).
    func checkLocalIndicator(yaml: String, gemeente: AreaCode, replacing id: Int) async throws -> (indicator: Indicator?, problems: [CatalogError])
    /// Inserts a new concept (`id` 0) or saves a new version of a concept or a published indicator.
    func saveLocalIndicator(yaml: String, gemeente: AreaCode, id: Int, actor: String) async throws -> LocalIndicator
    func localIndicator(id: Int) async throws -> LocalIndicator?
    /// A gemeente's own indicators (every status), newest first.
    func localIndicators(gemeente: AreaCode) async throws -> [LocalIndicator]
    func localIndicatorVersions(id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)]
    /// A beheerder shares a published own indicator with every visitor, or takes the sharing back.
    func shareLocalIndicator(id: Int, shared: Bool, actor: String) async throws -> LocalIndicator
    /// Reloads the catalogue when `local_indicators` changed (on this node or another); true when it did.
    @discardableResult func refreshCatalog() async throws -> Bool
}

/// The fields of an own indicator's form, which are the keys of a catalogue entry: a form value becomes YAML that the
/// catalogue's validator reads, and a stored entry fills the form again. `bron.titel` is key `titel` under `bron`.
public enum LocalIndicatorEntry {
    public enum Kind: Sendable { case text, number, choice, choices, lines }

    /// Field name (the YAML key path) and kind, in the order of a catalogue entry.
    public static let fields: [(key: String, kind: Kind)] = [
        ("naam", .text), ("definitie", .text), ("eenheid", .choice), ("decimalen", .number),
        ("bron.uitgever", .text), ("bron.tabel", .text), ("bron.titel", .text), ("bron.url", .text),
        ("peilmoment", .text), ("polariteit", .choice), ("lading", .choice),
        ("rol", .choice), ("rol_waarom", .text), ("hulplagen", .choices), ("relaties", .choices),
        ("sferen", .choices), ("perspectieven", .choices), ("kennisvragen", .choices), ("beeld", .choices),
        ("leeftijd", .text), ("toelichting", .text), ("gebruiksvoorbeelden", .lines), ("kanttekeningen", .lines),
        ("aggregatie", .choice),
        ("meetlast.producent", .choice), ("meetlast.minuten_per_respondent", .number),
        ("meetlast.respondenten_per_periode", .number), ("meetlast.aanname", .text),
    ]
    /// Keys that may stay empty (the validator has a default or they are only for some roles).
    public static let optionalKeys: Set<String> = ["decimalen", "bron.url", "hulplagen", "relaties", "aggregatie"]

    /// The catalogue file (`indicatoren:` with one entry) for these form values; the entry is loaded from its own
    /// column (`kolommen: [id]`), the column a drafts upload names.
    public static func yaml(id: String, values: (String) -> [String]) -> String {
        func text(_ value: String) -> Node { .scalar(.init(value, .implicit, .doubleQuoted)) }
        func plain(_ value: String) -> Node { .scalar(.init(value, .implicit, .plain)) }
        var entry: [(Node, Node)] = [(plain("id"), plain(id))]
        // `bron.titel` goes under `bron`: a group takes its place at its first field and is filled in at the end.
        var groups: [String: [(Node, Node)]] = [:]
        for (key, kind) in fields {
            let raw = values(key).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let node: Node?
            switch kind {
            case .text, .choice:
                let value = raw.first ?? ""
                node = value.isEmpty && optionalKeys.contains(key) ? nil : (kind == .text ? text(value) : plain(value))
            case .number:
                // A Dutch decimal comma is a decimal point to YAML.
                let value = (raw.first ?? "").replacingOccurrences(of: ",", with: ".")
                node = value.isEmpty ? (optionalKeys.contains(key) ? nil : text("")) : plain(value)
            case .choices:
                let items = raw.filter { !$0.isEmpty }
                node = items.isEmpty && optionalKeys.contains(key) ? nil : .sequence(.init(items.map(plain)))
            case .lines:
                let items = raw.flatMap { $0.split(whereSeparator: \.isNewline) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                node = .sequence(.init(items.map(text)))
            }
            guard let node else { continue }
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if groups[parts[0]] == nil { entry.append((plain(parts[0]), plain(""))) }
                groups[parts[0], default: []].append((plain(parts[1]), node))
            } else {
                entry.append((plain(key), node))
            }
        }
        entry = entry.map { pair in
            guard let name = pair.0.string, let group = groups[name] else { return pair }
            return (pair.0, .mapping(.init(group)))
        }
        entry.append((plain("kolommen"), .sequence(.init([plain(id)]))))
        let root: Node = .mapping(.init([(plain("indicatoren"), .sequence(.init([.mapping(.init(entry))])))]))
        return (try? Yams.serialize(node: root, allowUnicode: true)) ?? ""
    }

    /// The form values of a stored entry (lists as several values, `lines` as one text with a line per item).
    public static func values(yaml: String) -> [String: [String]] {
        guard let entry = (try? Yams.compose(yaml: yaml))??["indicatoren"]?.sequence?.first else { return [:] }
        var values: [String: [String]] = ["id": [entry["id"]?.string ?? ""]]
        for (key, kind) in fields {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard let node = parts.count == 2 ? entry[parts[0]]?[parts[1]] : entry[key] else { continue }
            let items = node.sequence?.compactMap(\.string) ?? [node.string ?? ""]
            values[key] = kind == .lines ? [items.joined(separator: "\n")] : items
        }
        return values
    }
}


extension SQLStore: LocalIndicatorStore {
    public func checkLocalIndicator(yaml: String, gemeente: AreaCode, replacing id: Int) async throws -> (indicator: Indicator?, problems: [CatalogError]) {
        let file = LocalIndicator.origin(of: gemeente)
        let (parsed, parseProblems) = CatalogLoader.parse(yaml: yaml, file: file)
        var problems = parseProblems
        guard problems.isEmpty else { return (nil, problems) }
        guard parsed.count == 1, var indicator = parsed.first else {
            return (nil, [CatalogError(file: file, key: "indicatoren", message: tr("verwacht precies één indicator"))])
        }
        let prefix = LocalIndicator.prefix(of: gemeente)
        if !indicator.id.hasPrefix(prefix) || indicator.id.count <= prefix.count {
            problems.append(CatalogError(file: file, key: "\(indicator.id).id", message: tr("een eigen indicator van {0} heeft een id die begint met '{1}'", gemeente.rawValue, prefix)))
        }
        if indicator.id.count > 64 { problems.append(CatalogError(file: file, key: "\(indicator.id).id", message: tr("te lang; ten hoogste 64 tekens"))) }
        if indicator.sourceColumns != [indicator.id] || !indicator.cbsKeys.isEmpty {
            problems.append(CatalogError(file: file, key: "\(indicator.id).kolommen",
                                         message: tr("een eigen indicator krijgt zijn cijfers uit de conceptenupload, in een kolom met zijn id (kolommen: [{0}])", indicator.id)))
        }
        let candidate = indicator.id
        let taken = try await connector.read { db in
            try await db.raw("SELECT id FROM local_indicators WHERE indicator = \(bind: candidate) AND id <> \(bind: id)").first() != nil
        }
        if taken || shippedCatalog[indicator.id] != nil {
            problems.append(CatalogError(file: file, key: "\(indicator.id).id", message: tr("deze id bestaat al; kies een andere naam")))
        }
        guard problems.isEmpty else { return (nil, problems) }
        indicator.owner = gemeente
        // The cross-references of the whole catalogue (source columns that belong to one indicator only).
        let others = catalog.indicators.filter { $0.id != indicator.id }
        do { _ = try Catalog(indicators: others + [indicator]) } catch let errors as CatalogErrors { return (nil, errors.errors) }
        return (indicator, [])
    }

    public func saveLocalIndicator(yaml: String, gemeente: AreaCode, id: Int, actor: String) async throws -> LocalIndicator {
        let (checked, problems) = try await checkLocalIndicator(yaml: yaml, gemeente: gemeente, replacing: id)
        guard let indicator = checked else { throw RecordError(.localIndicator, id: id, .invalid(problems.map { RecordProblem(field: $0.key, $0.message) })) }
        let now = clock()
        let saved: LocalIndicator = try await write { db in
            var item = LocalIndicator(gemeente: gemeente, indicator: indicator.id, yaml: yaml, createdBy: actor)
            var before: String?
            if id == 0 {
                item.version = 1
                item.id = try await db.raw("""
                    INSERT INTO local_indicators (gemeente_code, indicator, status, version, body, created_by, created_at, updated_at)
                    VALUES (\(bind: gemeente.rawValue), \(bind: indicator.id), 'concept', 1, '{}', \(bind: actor), \(bind: Self.timestamp(now)), \(bind: Self.timestamp(now)))
                    RETURNING id
                    """).first()?.decode(column: "id", as: Int.self) ?? 0
            } else {
                guard let old = try await Self.loadLocalIndicator(id: id, on: db), old.gemeente == gemeente else { throw RecordError.unknown(.localIndicator, id: id) }
                guard old.status != .ingetrokken else {
                    throw RecordError.wrongStatus(.localIndicator, id: id, status: old.status, expected: tr("een ingetrokken indicator verandert niet meer"))
                }
                if old.status == .gepubliceerd {
                    let (previous, _) = CatalogLoader.parse(yaml: old.yaml, file: "")
                    if old.indicator != indicator.id || previous.first.map({ $0.unit != indicator.unit }) ?? false {
                        throw RecordError.wrongStatus(.localIndicator, id: id, status: old.status,
                            expected: tr("id en eenheid van een gepubliceerde indicator veranderen niet (de cijfers horen erbij); trek hem in en maak een nieuwe"))
                    }
                }
                before = try Self.storedJSON(old)
                item.id = id
                item.status = old.status
                item.shared = old.shared
                item.createdBy = old.createdBy
                item.version = old.version + 1
            }
            let body = try Self.storedJSON(item)
            try await db.raw("""
                UPDATE local_indicators SET indicator = \(bind: item.indicator), body = \(bind: body), version = \(bind: item.version),
                updated_at = \(bind: Self.timestamp(now)) WHERE id = \(bind: item.id)
                """).run()
            try await Self.appendLocalIndicatorVersion(item, body: body, actor: actor, at: now, on: db)
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: before == nil ? "eigen-indicator.toevoegen" : "eigen-indicator.wijzigen",
                                                  object: "eigen-indicator:\(item.id)", before: before, after: body), on: db)
            return item
        }
        try await refreshCatalog()
        return saved
    }

    public func localIndicator(id: Int) async throws -> LocalIndicator? {
        try await connector.read { db in try await Self.loadLocalIndicator(id: id, on: db) }
    }

    public func localIndicators(gemeente: AreaCode) async throws -> [LocalIndicator] {
        try await connector.read { db in
            try await db.raw("SELECT id, body, status FROM local_indicators WHERE gemeente_code = \(bind: gemeente.rawValue) ORDER BY id DESC")
                .all().map { try Self.record(LocalIndicator.self, from: $0) }
        }
    }

    public func localIndicatorVersions(id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)] {
        try await savedVersions(in: "local_indicator_versions", key: "local_indicator_id", id: id)
    }

    func decideLocalIndicator(id: Int, to status: PublicationStatus, actor: String) async throws -> LocalIndicator {
        let now = clock()
        let item = try await write { db in
            let item = try await Self.changePublication(
                table: "local_indicators", id: id, to: status, now: now, actor: actor, on: db,
                load: { try await Self.loadLocalIndicator(id: $0, on: $1) },
                apply: { $0.version += 1 }, json: Self.storedJSON, columns: { ", version = \(bind: $0.version)" })
            try await Self.appendLocalIndicatorVersion(item, body: try Self.storedJSON(item), actor: actor, at: now, on: db)
            return item
        }
        try await refreshCatalog()
        return item
    }

    public func shareLocalIndicator(id: Int, shared: Bool, actor: String) async throws -> LocalIndicator {
        let now = clock()
        let item: LocalIndicator = try await write { db in
            guard let old = try await Self.loadLocalIndicator(id: id, on: db) else { throw RecordError.unknown(.localIndicator, id: id) }
            guard old.status == .gepubliceerd else {
                throw RecordError.wrongStatus(.localIndicator, id: id, status: old.status, expected: tr("alleen een gepubliceerde indicator kan worden gedeeld"))
            }
            var item = old
            item.shared = shared
            item.version += 1
            let body = try Self.storedJSON(item)
            let claimed = try await db.raw("""
                UPDATE local_indicators SET body = \(bind: body), version = \(bind: item.version), updated_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND version = \(bind: old.version) RETURNING id
                """).first()
            guard claimed != nil else { throw RecordError.wrongStatus(.localIndicator, id: id, status: old.status, expected: tr("hij is intussen gewijzigd; probeer het opnieuw")) }
            try await Self.appendLocalIndicatorVersion(item, body: body, actor: actor, at: now, on: db)
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: shared ? "eigen-indicator.delen" : "eigen-indicator.niet-delen",
                                                  object: "eigen-indicator:\(id)", before: try Self.storedJSON(old), after: body), on: db)
            return item
        }
        try await refreshCatalog()
        return item
    }

    @discardableResult
    public func refreshCatalog() async throws -> Bool {
        // Every change bumps a row's version and an insert adds a row: together they say whether anything changed.
        let signature = try await connector.read { db -> String in
            let row = try await db.raw("SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM local_indicators").first()
            return "\(try row?.decode(column: "n", as: Int.self) ?? 0):\(try row?.decode(column: "v", as: Int.self) ?? 0)"
        }
        guard signature != current.withLock({ $0.signature }) else { return false }
        let published = try await connector.read { db in
            try await db.raw("SELECT id, body, status FROM local_indicators WHERE status = 'gepubliceerd' ORDER BY id")
                .all().map { try Self.record(LocalIndicator.self, from: $0) }
        }
        let locals: [Indicator] = published.compactMap { item in
            guard var indicator = CatalogLoader.parse(yaml: item.yaml, file: LocalIndicator.origin(of: item.gemeente)).0.first else { return nil }
            indicator.owner = item.gemeente
            indicator.sharedWithAll = item.shared
            return indicator
        }
        // One that no longer fits (say, a shipped indicator took its column since) stays out rather than taking the
        // catalogue down; only then are they added one by one to find it.
        let catalog = (try? Catalog(indicators: shippedCatalog.indicators + locals)) ?? locals.reduce(shippedCatalog) { catalog, indicator in
            (try? Catalog(indicators: catalog.indicators + [indicator])) ?? catalog
        }
        current.withLock { $0 = (catalog, signature) }
        return true
    }

    static func appendLocalIndicatorVersion(_ item: LocalIndicator, body: String, actor: String, at now: Date, on db: any SQLDatabase) async throws {
        try await appendVersion(in: "local_indicator_versions", key: "local_indicator_id", id: item.id, version: item.version, body: body, actor: actor, at: now, on: db)
    }

    static func loadLocalIndicator(id: Int, on db: any SQLDatabase) async throws -> LocalIndicator? {
        try await db.raw("SELECT id, body, status FROM local_indicators WHERE id = \(bind: id)").first().map { try record(LocalIndicator.self, from: $0) }
    }
}
