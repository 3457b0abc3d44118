import Foundation
import Monitor
import SQLKit

/// Disclosure control in the store: after every write of figures, in the same transaction, the
/// positions to hide are computed per period (primary, complementary, derived — see
/// ``DisclosureControl``) and kept in `disclosure_hidden`; ``SQLStore/observations(_:)`` reads them in the
/// same query as the figures, so every page, export and API answer hides the same cells, in every version.
extension SQLStore {
    /// The indicators whose hidden positions are kept: the audited counts and the ratios resting on them.
    var disclosureScope: (audited: [Indicator], ratios: [(id: String, inputs: [String])]) {
        let audited = catalog.disclosureAudited
        let ratios = catalog.indicators.compactMap { indicator -> (id: String, inputs: [String])? in
            let inputs = catalog.disclosureInputs(of: indicator)
            return inputs.isEmpty ? nil : (indicator.id, inputs)
        }
        return (audited, ratios)
    }

    /// Recomputes the hidden positions of every period that `touched` names for an audited count or a
    /// ratio on one (inside the caller's transaction).
    func refreshDisclosure(touched: Set<FigurePair>, on db: any SQLDatabase) async throws {
        let scope = disclosureScope
        let relevant = Set(scope.audited.map(\.id)).union(scope.ratios.map(\.id))
        try await refreshDisclosure(periods: Set(touched.filter { relevant.contains($0.indicator) }.map(\.period)), scope: scope, on: db)
    }

    private func refreshDisclosure(periods: Set<String>, scope: (audited: [Indicator], ratios: [(id: String, inputs: [String])]),
                                   on db: any SQLDatabase) async throws {
        guard !periods.isEmpty else { return }
        let equations = try await Self.hierarchy(on: db)
        for period in periods.sorted() {
            try await refreshDisclosure(period: period, scope: scope, equations: equations, on: db)
        }
    }

    private func refreshDisclosure(period: String, scope: (audited: [Indicator], ratios: [(id: String, inputs: [String])]),
                                   equations: [(whole: AreaCode, parts: [AreaCode])], on db: any SQLDatabase) async throws {
        var hidden: [String: [AreaCode: DisclosureControl.Reason]] = [:]
        for indicator in scope.audited {
            let rows = try await db.raw("""
                SELECT area_code, status, value, n, numerator, denominator FROM observations
                WHERE indicator = \(bind: indicator.id) AND period = \(bind: period)
                """).all()
            var cells: [AreaCode: DisclosureControl.Cell] = [:]
            for row in rows {
                guard let area = AreaCode(try row.decode(column: "area_code", as: String.self)) else { continue }
                let status = ObservationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .onbekend
                guard status == .waarde || status == .geheim else { continue }
                var observation = Observation(indicator: indicator.id, area: area, period: period, status: status,
                                              value: try row.decode(column: "value", as: Double?.self))
                observation.n = try row.decode(column: "n", as: Int?.self)
                observation.numerator = try row.decode(column: "numerator", as: Double?.self)
                observation.denominator = try row.decode(column: "denominator", as: Double?.self)
                let shown = privacy.apply(to: observation, indicator: indicator)
                var cell = cells[area] ?? DisclosureControl.Cell(value: nil, hidden: false)
                if shown.status != .waarde { cell.hidden = true }
                if let value = catalog.disclosureValue(of: observation, indicator: indicator), status == .waarde { cell.value = min(cell.value ?? value, value) }
                cells[area] = cell
            }
            var reasons: [AreaCode: DisclosureControl.Reason] = [:]
            for (area, cell) in cells where cell.hidden { reasons[area] = .primary }
            for area in DisclosureControl.complementary(cells: cells, equations: equations, threshold: privacy.threshold) {
                reasons[area] = .complementary
            }
            hidden[indicator.id] = reasons
        }
        for ratio in scope.ratios {
            var reasons: [AreaCode: DisclosureControl.Reason] = [:]
            for input in ratio.inputs { for area in (hidden[input] ?? [:]).keys { reasons[area] = .derived } }
            hidden[ratio.id] = reasons
        }
        let indicators = scope.audited.map(\.id) + scope.ratios.map(\.id)
        try await db.raw("DELETE FROM disclosure_hidden WHERE period = \(bind: period) AND indicator IN (\(binds: indicators + ["*"]))").run()
        var rows: [[any SQLExpression]] = [[SQLBind("*"), SQLBind("*"), SQLBind(period), SQLBind("berekend")]]
        for (indicator, reasons) in hidden.sorted(by: { $0.key < $1.key }) {
            for (area, reason) in reasons.sorted(by: { $0.key < $1.key }) {
                rows.append([SQLBind(indicator), SQLBind(area.rawValue), SQLBind(period), SQLBind(reason.rawValue)])
            }
        }
        for start in stride(from: 0, to: rows.count, by: 200) {
            let builder = db.insert(into: "disclosure_hidden").columns("indicator", "area_code", "period", "reason")
            for row in rows[start..<min(start + 200, rows.count)] { builder.values(row) }
            try await builder.run()
        }
    }

    /// Computes the hidden positions for every period that has figures but was never computed (a database
    /// made before disclosure control, or restored from such a copy). Cheap when all are computed.
    public func ensureDisclosure() async throws {
        let scope = disclosureScope
        let relevant = Set(scope.audited.map(\.id)).union(scope.ratios.map(\.id))
        guard !relevant.isEmpty else { return }
        let missing = try await connector.read { db in
            try await db.raw("""
                SELECT DISTINCT o.period FROM observations o
                WHERE o.indicator IN (\(binds: Array(relevant).sorted()))
                AND NOT EXISTS (SELECT 1 FROM disclosure_hidden h WHERE h.indicator = '*' AND h.area_code = '*' AND h.period = o.period)
                """).all().map { try $0.decode(column: "period", as: String.self) }
        }
        guard !missing.isEmpty else { return }
        try await write { db in
            try await FigureWriter.serialiseWriters(on: db)
            try await self.refreshDisclosure(periods: Set(missing), scope: scope, on: db)
        }
    }

    public func disclosureCounts() async throws -> (byReason: [DisclosureControl.Reason: Int], positions: Int) {
        let scope = disclosureScope
        let watched = scope.audited.map(\.id) + scope.ratios.map(\.id)
        return try await connector.read { db in
            var byReason: [DisclosureControl.Reason: Int] = [:]
            for row in try await db.raw("""
                SELECT h.reason, COUNT(*) AS c FROM disclosure_hidden h
                WHERE h.indicator <> '*' AND EXISTS (SELECT 1 FROM observations o WHERE o.indicator = h.indicator AND o.area_code = h.area_code
                      AND o.period = h.period AND o.superseded_by IS NULL AND o.status IN ('waarde', 'geheim'))
                GROUP BY h.reason
                """).all() {
                if let reason = DisclosureControl.Reason(rawValue: try row.decode(column: "reason", as: String.self)) {
                    byReason[reason] = try row.decode(column: "c", as: Int.self)
                }
            }
            let positions = watched.isEmpty ? 0 : try await db.raw("""
                SELECT COUNT(*) AS c FROM observations WHERE superseded_by IS NULL AND status IN ('waarde', 'geheim') AND indicator IN (\(binds: watched))
                """).first()?.decode(column: "c", as: Int.self) ?? 0
            return (byReason, positions)
        }
    }

    /// The equations of the area hierarchy (each whole with its parts), for the tests' attacker.
    public func disclosureEquations() async throws -> [(whole: AreaCode, parts: [AreaCode])] {
        try await connector.read { db in try await Self.hierarchy(on: db) }
    }
}

extension SQLStore {
    /// Every stored number of one indicator and period, all versions, without any privacy rule: for the tests'
    /// attacker to check a recomputed value against the truth. Internal on purpose — never for output.
    func unguardedValues(indicator: String, period: String) async throws -> [AreaCode: [Double]] {
        try await connector.read { db in
            var result: [AreaCode: [Double]] = [:]
            for row in try await db.raw("""
                SELECT area_code, value FROM observations WHERE indicator = \(bind: indicator) AND period = \(bind: period) AND value IS NOT NULL
                """).all() {
                guard let area = AreaCode(try row.decode(column: "area_code", as: String.self)) else { continue }
                result[area, default: []].append(try row.decode(column: "value", as: Double.self))
            }
            return result
        }
    }
}
