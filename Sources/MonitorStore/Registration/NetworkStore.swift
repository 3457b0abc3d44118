import Foundation
import Monitor
import SQLKit

/// Informal network maps of a gemeente's wijken: concepts until published, every change audited.
public protocol NetworkStore: Sendable {
    /// Inserts a new map (`id` 0) or replaces a concept.
    func saveNetwork(_ map: NetworkMap, actor: String) async throws -> NetworkMap
    func network(id: Int) async throws -> NetworkMap?
    /// A gemeente's maps, newest date first; concepts only when asked for.
    func networks(gemeente: AreaCode, includeConcepts: Bool) async throws -> [NetworkMap]
}

extension SQLStore: NetworkStore {
    public func saveNetwork(_ map: NetworkMap, actor: String) async throws -> NetworkMap {
        let problems = map.problems()
        guard problems.isEmpty else { throw RecordError.invalid(.network, id: map.id, problems) }
        let now = clock()
        return try await connector.transaction { db in
            var item = map
            var before: String?
            item.status = .concept
            if item.id == 0 {
                item.createdBy = actor
                item.id = try await db.raw("""
                    INSERT INTO network_maps (gemeente_code, area_code, day, status, body, created_by, created_at, updated_at)
                    VALUES (\(bind: item.gemeente.rawValue), \(bind: item.area.rawValue), \(bind: item.date.day), 'concept', '{}', \(bind: actor),
                            \(bind: Self.timestamp(now)), \(bind: Self.timestamp(now)))
                    RETURNING id
                    """).first()?.decode(column: "id", as: Int.self) ?? 0
            } else {
                guard let old = try await Self.loadNetwork(id: item.id, on: db), old.gemeente == item.gemeente else { throw RecordError.unknown(.network, id: item.id) }
                guard old.status == .concept else {
                    throw RecordError.notEditable(.network, id: old.id, status: old.status)
                }
                before = try Self.storedJSON(old)
                item.createdBy = old.createdBy
            }
            let body = try Self.storedJSON(item)
            try await db.raw("""
                UPDATE network_maps SET area_code = \(bind: item.area.rawValue), day = \(bind: item.date.day), body = \(bind: body),
                    updated_at = \(bind: Self.timestamp(now)) WHERE id = \(bind: item.id)
                """).run()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: before == nil ? "netwerk.toevoegen" : "netwerk.wijzigen",
                                                  object: "netwerk:\(item.id)", before: before, after: body), on: db)
            return item
        }
    }

    public func network(id: Int) async throws -> NetworkMap? {
        try await connector.read { db in try await Self.loadNetwork(id: id, on: db) }
    }

    public func networks(gemeente: AreaCode, includeConcepts: Bool) async throws -> [NetworkMap] {
        try await connector.read { db in
            try await db.raw("""
                SELECT id, body, status FROM network_maps WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'") ORDER BY day DESC, id DESC
                """).all().map { try Self.record(NetworkMap.self, from: $0) }
        }
    }

    func decideNetwork(id: Int, to status: PublicationStatus, actor: String) async throws -> NetworkMap {
        let now = clock()
        return try await connector.transaction { db in
            let map = try await Self.changePublication(
                table: "network_maps", id: id, to: status, now: now, actor: actor, on: db,
                load: { try await Self.loadNetwork(id: $0, on: $1) }, json: Self.storedJSON)
            if status == .gepubliceerd { try await self.writeNetworkFigures(map, actor: actor, on: db) }
            return map
        }
    }

    /// The measures of a published map as figures of its wijk on its date, in the same transaction as the publication
    /// (a later map of the same wijk and date is a new version), so relations have trends, maps and comparisons.
    func writeNetworkFigures(_ map: NetworkMap, actor: String, on db: any SQLDatabase) async throws {
        let figures = map.figures(for: catalog.indicators)
        guard !figures.isEmpty else { return }
        _ = try await importComputed(figures, source: "netwerkkaart-\(map.id)", format: "netwerk", rowCount: figures.count,
                                     note: "netwerkkaart \(map.id) '\(map.title)' van \(map.area.rawValue) op \(map.date.day), gepubliceerd door \(actor)",
                                     actor: actor, on: db)
    }

    static func loadNetwork(id: Int, on db: any SQLDatabase) async throws -> NetworkMap? {
        try await db.raw("SELECT id, body, status FROM network_maps WHERE id = \(bind: id)").first().map { try record(NetworkMap.self, from: $0) }
    }

}
