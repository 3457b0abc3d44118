import Foundation
import Monitor
import SQLKit

extension SQLStore: FacilityStore {
    public func addFacilities(_ facilities: [Facility], actor: String, source: String) async throws -> [Facility] {
        let now = clock()
        return try await connector.transaction { db in
            var saved: [Facility] = []
            for facility in facilities {
                var item = facility
                item.status = .concept
                item.id = try await db.raw("""
                    INSERT INTO facilities (gemeente_code, area_code, status, body, created_by, created_at, updated_at)
                    VALUES (\(bind: item.gemeente.rawValue), \(bind: item.area.rawValue), 'concept', '{}', \(bind: actor),
                            \(bind: Self.timestamp(now)), \(bind: Self.timestamp(now)))
                    RETURNING id
                    """).first()?.decode(column: "id", as: Int.self) ?? 0
                try await db.raw("UPDATE facilities SET body = \(bind: try Self.storedJSON(item)) WHERE id = \(bind: item.id)").run()
                saved.append(item)
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "voorzieningen.toevoegen",
                                                  object: "voorzieningen:\(facilities.first?.gemeente.rawValue ?? "")", before: nil,
                                                  after: #"{"bron":\#(try Self.storedJSON(source)),"aantal":\#(saved.count)}"#), on: db)
            return saved
        }
    }

    public func facilities(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Facility] {
        try await connector.read { db in
            try await db.raw("""
                SELECT id, body, status FROM facilities WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'") ORDER BY area_code, id
                """).all().map { try Self.record(Facility.self, from: $0) }
        }
    }

    public func publishFacilities(gemeente: AreaCode, actor: String) async throws -> Int {
        let now = clock()
        return try await connector.transaction { db in
            let rows = try await db.raw("""
                UPDATE facilities SET status = 'gepubliceerd', updated_at = \(bind: Self.timestamp(now))
                WHERE gemeente_code = \(bind: gemeente.rawValue) AND status = 'concept' RETURNING id
                """).all()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "voorzieningen.publiceren", object: "voorzieningen:\(gemeente.rawValue)",
                                                  before: nil, after: #"{"aantal":\#(rows.count)}"#), on: db)
            return rows.count
        }
    }

    public func withdrawFacility(id: Int, gemeente: AreaCode, actor: String) async throws {
        let now = clock()
        try await connector.transaction { db in
            let row = try await db.raw("""
                UPDATE facilities SET status = 'ingetrokken', updated_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND gemeente_code = \(bind: gemeente.rawValue) AND status <> 'ingetrokken' RETURNING body
                """).first()
            guard let row else { return }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "voorziening.intrekken", object: "voorziening:\(id)",
                                                  before: try row.decode(column: "body", as: String.self), after: nil), on: db)
        }
    }
}
