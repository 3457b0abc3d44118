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
        return try await write { db in
            try await Self.saveConcept(map, table: "network_maps", now: now, actor: actor, on: db, load: Self.loadNetwork(id:on:),
                                       carry: { item, old in item.createdBy = old?.createdBy ?? actor },
                                       columns: { [("area_code", $0.area.rawValue), ("day", $0.date.day)] }).record
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
        return try await write { db in
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
