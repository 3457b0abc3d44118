import Foundation
import Monitor
import SQLKit

/// The voorzieningen register of a gemeente: imported or added as concepts, published together, audited.
public protocol FacilityStore: Sendable {
    /// Adds facilities as concepts, all in one transaction (a file lands whole or not at all).
    func addFacilities(_ facilities: [Facility], actor: String, source: String) async throws -> [Facility]
    func facilities(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Facility]
    /// Publishes every concept of the gemeente (facilities and usage) and recomputes the register's indicators for its
    /// wijken and the gemeente, in one transaction.
    func publishFacilities(gemeente: AreaCode, actor: String) async throws -> RegisterPublication
    /// Withdraws a facility (and recomputes the register's indicators when it was published).
    func withdrawFacility(id: Int, gemeente: AreaCode, actor: String) async throws
    /// Adds usage counts as concepts, all in one transaction; every facility must be in the gemeente's register.
    func addUsage(_ usage: [FacilityUsage], actor: String, source: String) async throws -> Int
    /// Usage of the gemeente's facilities (not withdrawn or replaced), counts passed through the privacy rule.
    func usage(gemeente: AreaCode, includeConcepts: Bool) async throws -> [FacilityUsage]
}

/// What publishing the register did.
public struct RegisterPublication: Sendable, Hashable {
    public var facilities: Int
    public var usage: Int
    /// Figures of the register's indicators written (new or revised versions).
    public var figures: VersionCounts
    public init(facilities: Int, usage: Int, figures: VersionCounts) {
        self.facilities = facilities
        self.usage = usage
        self.figures = figures
    }
}

extension SQLStore: FacilityStore {
    public func addFacilities(_ facilities: [Facility], actor: String, source: String) async throws -> [Facility] {
        let now = clock()
        return try await write { db in
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
            try await Self.facilities(gemeente: gemeente, condition: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'", on: db)
        }
    }

    /// A gemeente's facilities; `condition` narrows by status (a fixed SQL fragment, never user input).
    static func facilities(gemeente: AreaCode, condition: String, on db: any SQLDatabase) async throws -> [Facility] {
        try await db.raw("""
            SELECT id, body, status FROM facilities WHERE gemeente_code = \(bind: gemeente.rawValue) \(unsafeRaw: condition) ORDER BY area_code, id
            """).all().map { try Self.record(Facility.self, from: $0) }
    }

    public func publishFacilities(gemeente: AreaCode, actor: String) async throws -> RegisterPublication {
        let now = clock()
        return try await write { db in
            let facilities = try await db.raw("""
                UPDATE facilities SET status = 'gepubliceerd', updated_at = \(bind: Self.timestamp(now))
                WHERE gemeente_code = \(bind: gemeente.rawValue) AND status = 'concept' RETURNING id
                """).all()
            // A newer registration of the same facility, period and method replaces an older one (published or concept).
            try await db.raw("""
                UPDATE facility_usage SET status = 'vervangen', updated_at = \(bind: Self.timestamp(now))
                WHERE gemeente_code = \(bind: gemeente.rawValue) AND status IN ('gepubliceerd', 'concept')
                  AND EXISTS (SELECT 1 FROM facility_usage newer WHERE newer.status = 'concept' AND newer.facility_id = facility_usage.facility_id
                              AND newer.period = facility_usage.period AND newer.method = facility_usage.method AND newer.id > facility_usage.id)
                """).run()
            let usage = try await db.raw("""
                UPDATE facility_usage SET status = 'gepubliceerd', updated_at = \(bind: Self.timestamp(now))
                WHERE gemeente_code = \(bind: gemeente.rawValue) AND status = 'concept' RETURNING id
                """).all()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "voorzieningen.publiceren", object: "voorzieningen:\(gemeente.rawValue)",
                                                  before: nil, after: #"{"voorzieningen":\#(facilities.count),"gebruik":\#(usage.count)}"#), on: db)
            let figures = facilities.isEmpty && usage.isEmpty ? VersionCounts()
                : try await self.refreshRegisterFigures(gemeente: gemeente, actor: actor, on: db)
            return RegisterPublication(facilities: facilities.count, usage: usage.count, figures: figures)
        }
    }

    public func withdrawFacility(id: Int, gemeente: AreaCode, actor: String) async throws {
        let now = clock()
        try await write { db in
            let old = try await db.raw("""
                SELECT status FROM facilities WHERE id = \(bind: id) AND gemeente_code = \(bind: gemeente.rawValue)
                """).first()?.decode(column: "status", as: String.self)
            let row = try await db.raw("""
                UPDATE facilities SET status = 'ingetrokken', updated_at = \(bind: Self.timestamp(now))
                WHERE id = \(bind: id) AND gemeente_code = \(bind: gemeente.rawValue) AND status <> 'ingetrokken' RETURNING body
                """).first()
            guard let row else { return }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "voorziening.intrekken", object: "voorziening:\(id)",
                                                  before: try row.decode(column: "body", as: String.self), after: nil), on: db)
            // Its usage goes with it; the register's figures change only when it was public.
            try await db.raw("""
                UPDATE facility_usage SET status = 'ingetrokken', updated_at = \(bind: Self.timestamp(now))
                WHERE facility_id = \(bind: id) AND status IN ('concept', 'gepubliceerd')
                """).run()
            if old == PublicationStatus.gepubliceerd.rawValue {
                _ = try await self.refreshRegisterFigures(gemeente: gemeente, actor: actor, on: db)
            }
        }
    }

    public func addUsage(_ usage: [FacilityUsage], actor: String, source: String) async throws -> Int {
        guard let gemeente = usage.first?.gemeente else { return 0 }
        let now = clock()
        return try await write { db in
            let known = Set(try await db.raw("""
                SELECT id FROM facilities WHERE gemeente_code = \(bind: gemeente.rawValue) AND status <> 'ingetrokken'
                """).all().map { try $0.decode(column: "id", as: Int.self) })
            for record in usage {
                guard record.gemeente == gemeente, known.contains(record.facilityID), let visits = record.visits else {
                    throw ImportError(file: source, line: 1, column: "voorziening", found: String(record.facilityID),
                                      expected: "een voorziening in het register van \(gemeente.rawValue)")
                }
                try await db.raw("""
                    INSERT INTO facility_usage (gemeente_code, facility_id, period, method, visits, unique_visitors, status, created_by, created_at, updated_at)
                    VALUES (\(bind: gemeente.rawValue), \(bind: record.facilityID), \(bind: record.period), \(bind: record.method.rawValue),
                            \(bind: visits), \(bind: record.uniqueVisitors), 'concept', \(bind: actor), \(bind: Self.timestamp(now)), \(bind: Self.timestamp(now)))
                    """).run()
            }
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "gebruik.toevoegen", object: "voorzieningen:\(gemeente.rawValue)",
                                                  before: nil, after: #"{"bron":\#(try Self.storedJSON(source)),"aantal":\#(usage.count)}"#), on: db)
            return usage.count
        }
    }

    public func usage(gemeente: AreaCode, includeConcepts: Bool) async throws -> [FacilityUsage] {
        // The registered visit counts, audited for differencing like every count of persons.
        let visitIndicators = catalog.disclosureAudited.filter { $0.registration != nil }.map(\.id)
        let (usage, facilities, hiddenTotals) = try await connector.read { db in
            (try await Self.usage(gemeente: gemeente, statuses: includeConcepts ? ["concept", "gepubliceerd"] : ["gepubliceerd"], on: db),
             try await Self.facilities(gemeente: gemeente, condition: "", on: db),
             // The wijk figures of visits that disclosure control hides (their records must not add up to them in the open).
             visitIndicators.isEmpty ? [] : Set(try await db.raw("""
                SELECT h.area_code, h.period FROM disclosure_hidden h JOIN areas a ON a.code = h.area_code
                WHERE h.indicator IN (\(binds: visitIndicators)) AND a.gemeente_code = \(bind: gemeente.rawValue) AND a.kind = 'wijk'
                """).all().compactMap { row -> FacilityUsage.WijkPeriod? in
                    guard let wijk = AreaCode(try row.decode(column: "area_code", as: String.self)) else { return nil }
                    return FacilityUsage.WijkPeriod(wijk: wijk, period: try row.decode(column: "period", as: String.self))
                }))
        }
        // The wijk each facility counts towards (as the register's figures do), for complementary suppression.
        let wijkOf = Dictionary(facilities.map { ($0.id, $0.wijk) }, uniquingKeysWith: { a, _ in a })
        return FacilityUsage.guarded(usage, wijkOf: wijkOf, hiddenTotals: hiddenTotals, threshold: privacy.threshold)
    }

    static func usage(gemeente: AreaCode, statuses: [String], on db: any SQLDatabase) async throws -> [FacilityUsage] {
        try await db.raw("""
            SELECT id, facility_id, period, method, visits, unique_visitors, status FROM facility_usage
            WHERE gemeente_code = \(bind: gemeente.rawValue) AND status IN (\(binds: statuses)) ORDER BY period, facility_id, id
            """).all().map { row in
            FacilityUsage(id: try row.decode(column: "id", as: Int.self), gemeente: gemeente,
                          facilityID: try row.decode(column: "facility_id", as: Int.self), period: try row.decode(column: "period", as: String.self),
                          method: FacilityUsage.Method(rawValue: try row.decode(column: "method", as: String.self)) ?? .registratie,
                          visits: try row.decode(column: "visits", as: Int.self), uniqueVisitors: try row.decode(column: "unique_visitors", as: Int?.self),
                          status: PublicationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .concept)
        }
    }

    /// Recomputes every catalogue indicator with a `registratie` for the gemeente's wijken and the gemeente from its
    /// published register and usage, as an ordinary versioned import (unchanged figures stay as they are).
    func refreshRegisterFigures(gemeente: AreaCode, actor: String, on db: any SQLDatabase) async throws -> VersionCounts {
        let indicators = catalog.indicators.compactMap { i in i.registration.map { (id: i.id, measure: $0) } }
        guard !indicators.isEmpty,
              try await db.raw("SELECT code FROM areas WHERE code = \(bind: gemeente.rawValue)").first() != nil else { return VersionCounts() }
        let facilities = try await db.raw("""
            SELECT id, body, status FROM facilities WHERE gemeente_code = \(bind: gemeente.rawValue) AND status = 'gepubliceerd'
            """).all().map { try Self.record(Facility.self, from: $0) }
        let usage = try await Self.usage(gemeente: gemeente, statuses: ["gepubliceerd"], on: db)
        let wijken = try await db.raw("""
            SELECT code FROM areas WHERE gemeente_code = \(bind: gemeente.rawValue) AND kind = 'wijk' ORDER BY code
            """).all().compactMap { AreaCode(try $0.decode(column: "code", as: String.self)) }
        let areaCodes = wijken.map(\.rawValue) + [gemeente.rawValue]
        let population = try await db.raw("""
            SELECT indicator, area_code, period, value FROM observations
            WHERE superseded_by IS NULL AND status = 'waarde' AND indicator IN ('inwoners', 'leeftijd_0_15_pct')
              AND area_code IN (\(binds: areaCodes))
            """).all().compactMap { row -> Observation? in
            guard let area = AreaCode(try row.decode(column: "area_code", as: String.self)) else { return nil }
            return Observation.value(try row.decode(column: "value", as: Double.self), indicator: try row.decode(column: "indicator", as: String.self),
                                     area: area, period: try row.decode(column: "period", as: String.self))
        }
        var oldPeriods: [String: Set<String>] = [:]
        for row in try await db.raw("""
            SELECT DISTINCT indicator, period FROM observations
            WHERE superseded_by IS NULL AND area_code = \(bind: gemeente.rawValue) AND indicator IN (\(binds: indicators.map(\.id)))
            """).all() {
            oldPeriods[try row.decode(column: "indicator", as: String.self), default: []].insert(try row.decode(column: "period", as: String.self))
        }
        let children = FacilityFigures.Children(inhabitants: population.filter { $0.indicator == "inwoners" },
                                                shareAged0to15: population.filter { $0.indicator == "leeftijd_0_15_pct" })
        let year = String(Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Europe/Amsterdam")!, from: clock()).year ?? 2026)
        let figures = FacilityFigures.compute(indicators: indicators, gemeente: gemeente, wijken: wijken, facilities: facilities, usage: usage,
                                              children: children, registerPeriod: year, oldPeriods: oldPeriods)
        let report = try await importComputed(figures, source: "voorzieningenregister-\(gemeente.rawValue)", format: "register",
                                              rowCount: facilities.count + usage.count,
                                              note: "voorzieningenregister van \(gemeente.rawValue), gepubliceerd door \(actor)", actor: actor, on: db)
        return report.versions
    }
}
