import Foundation
import Monitor
import SQLKit

/// Interventions (effect designs with a frozen baseline and an MKBA) of a gemeente: concepts until published,
/// every saved state kept as a version, every change audited.
public protocol InterventionStore: Sendable {
    /// Inserts a new intervention (`id` 0) or replaces a concept, freezing the baseline (the figures of the targets
    /// and the comparison wijken for its indicators before the start) as the store knows them now.
    func saveIntervention(_ intervention: Intervention, actor: String) async throws -> Intervention
    func intervention(id: Int) async throws -> Intervention?
    func interventions(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Intervention]
    /// Every saved version, oldest first.
    func interventionVersions(id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)]
    /// Current figures of the intervention's indicators for its targets and comparison wijken (all periods).
    func interventionFigures(_ intervention: Intervention) async throws -> [BaselineFigure]
}

extension SQLStore: InterventionStore {
    public func interventionFigures(_ intervention: Intervention) async throws -> [BaselineFigure] {
        let areas = Array(Set(intervention.targets + intervention.comparison))
        var figures: [BaselineFigure] = []
        for indicator in Set(intervention.indicators).sorted() {
            for o in try await observations(ObservationQuery(indicator: indicator, areas: areas)).items where o.status == .waarde {
                if let value = o.value { figures.append(BaselineFigure(indicator: indicator, area: o.area, period: o.period, value: value)) }
            }
        }
        return figures.sorted { ($0.indicator, $0.area.rawValue, $0.period) < ($1.indicator, $1.area.rawValue, $1.period) }
    }

    public func saveIntervention(_ intervention: Intervention, actor: String) async throws -> Intervention {
        let problems = intervention.problems()
        guard problems.isEmpty else { throw RecordError.invalid(.intervention, id: intervention.id, problems) }
        // The nulmeting: what the monitor knows now about the periods before the start.
        let baseline = try await interventionFigures(intervention).filter { $0.period < intervention.startPeriod }
        let now = clock()
        return try await write { db in
            var item = intervention
            item.baseline = baseline
            item.frozenAt = now
            // A copy from a kopgroep: the share must still be there for this gemeente; the origin is taken from it, and
            // the MKBA comes along from the shared design.
            var copiedFrom: SharedRecord?
            if item.id == 0, let origin = item.origin {
                let (share, _) = try await Self.copyableShare(id: origin.shareID, kind: .interventie, into: item.gemeente, on: db)
                guard let source = try await Self.loadIntervention(id: share.recordID, on: db), source.status == .gepubliceerd else {
                    throw CooperationError(.conflict, tr("Deze interventie is niet meer gepubliceerd en kan niet worden gekopieerd."))
                }
                item.origin = RecordOrigin(shareID: share.id, groupID: share.groupID, kind: share.kind, gemeente: share.gemeente,
                                           recordID: share.recordID, title: source.name)
                if item.costBenefit == nil { item.costBenefit = source.costBenefit }
                copiedFrom = share
            } else if item.id == 0 {
                item.origin = nil
            }
            let (saved, body) = try await Self.saveConcept(item, table: "interventions", now: now, actor: actor, on: db,
                                                           load: Self.loadIntervention(id:on:), carry: { item, old in
                item.createdBy = old?.createdBy ?? actor
                item.version = (old?.version ?? 0) + 1
                if let old { item.origin = old.origin }
            }, columns: { [("version", $0.version)] })
            try await Self.appendInterventionVersion(saved, body: body, actor: actor, at: now, on: db)
            if let share = copiedFrom {
                try await Self.recordCopy(RecordCopy(shareID: share.id, kind: .intervention, recordID: saved.id, gemeente: saved.gemeente,
                                                     copiedBy: actor, copiedAt: now), on: db)
            }
            return saved
        }
    }

    static func appendInterventionVersion(_ item: Intervention, body: String, actor: String, at now: Date, on db: any SQLDatabase) async throws {
        try await appendVersion(in: "intervention_versions", key: "intervention_id", id: item.id, version: item.version, body: body, actor: actor, at: now, on: db)
    }

    public func intervention(id: Int) async throws -> Intervention? {
        try await connector.read { db in try await Self.loadIntervention(id: id, on: db) }
    }

    public func interventions(gemeente: AreaCode, includeConcepts: Bool) async throws -> [Intervention] {
        try await connector.read { db in
            try await db.raw("""
                SELECT id, body, status FROM interventions WHERE gemeente_code = \(bind: gemeente.rawValue)
                \(unsafeRaw: includeConcepts ? "AND status <> 'ingetrokken'" : "AND status = 'gepubliceerd'") ORDER BY id DESC
                """).all().map { try Self.record(Intervention.self, from: $0) }
        }
    }

    public func interventionVersions(id: Int) async throws -> [(version: Int, savedAt: Date, savedBy: String)] {
        try await savedVersions(in: "intervention_versions", key: "intervention_id", id: id)
    }

    func decideIntervention(id: Int, to status: PublicationStatus, actor: String) async throws -> Intervention {
        let now = clock()
        return try await write { db in
            let item = try await Self.changePublication(
                table: "interventions", id: id, to: status, now: now, actor: actor, on: db,
                load: { try await Self.loadIntervention(id: $0, on: $1) },
                apply: { $0.version += 1 }, json: Self.storedJSON, columns: { ", version = \(bind: $0.version)" })
            try await Self.appendInterventionVersion(item, body: try Self.storedJSON(item), actor: actor, at: now, on: db)
            return item
        }
    }

    static func loadIntervention(id: Int, on db: any SQLDatabase) async throws -> Intervention? {
        try await db.raw("SELECT id, body, status FROM interventions WHERE id = \(bind: id)").first().map { try record(Intervention.self, from: $0) }
    }

}
