import Foundation
import Monitor
import SQLKit

/// One subject of a GGD export and the indicator it feeds, as a beheerder set it.
public struct GGDMappingRow: Sendable, Hashable {
    public var subject: String
    public var indicator: String
    public var changedBy: String
    public var changedAt: String
}

/// Why a mapping was not saved, in Dutch.
public enum GGDMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptySubject
    case unknownIndicator(String)
    case notAPercentage(String)

    public var description: String {
        switch self {
        case .emptySubject: tr("Vul het onderwerp in zoals het in de GGD-export staat (bijvoorbeeld 'Voelt zich gelukkig').")
        case .unknownIndicator(let id): tr("Onbekende indicator '{0}'; kies er een uit de lijst.", id)
        case .notAPercentage(let id): tr("Indicator '{0}' is geen percentage uit bestanden; een GGD-export levert percentages.", id)
        }
    }
}

/// The beheerder's table from GGD subjects to catalogue indicators (issue 18): audited, read by every GGD import.
public protocol GGDMappingStore: Sendable {
    /// The rows a beheerder set, by subject.
    func ggdMappingRows() async throws -> [GGDMappingRow]
    /// The catalogue's own names overlaid with the beheerder's rows: what an import uses.
    func ggdMapping() async throws -> [String: String]
    func setGGDMapping(subject: String, indicator: String, actor: String) async throws
    func removeGGDMapping(subject: String, actor: String) async throws
}

extension SQLStore: GGDMappingStore {
    public func ggdMappingRows() async throws -> [GGDMappingRow] {
        try await connector.read { db in
            try await db.raw("SELECT subject, indicator, changed_by, changed_at FROM ggd_mapping ORDER BY subject").all().map { row in
                GGDMappingRow(subject: try row.decode(column: "subject", as: String.self), indicator: try row.decode(column: "indicator", as: String.self),
                              changedBy: try row.decode(column: "changed_by", as: String.self), changedAt: try row.decode(column: "changed_at", as: String.self))
            }
        }
    }

    public func ggdMapping() async throws -> [String: String] {
        var mapping = GGDImporter.defaultMapping(catalog)
        for row in try await ggdMappingRows() { mapping[row.subject] = row.indicator }
        return mapping
    }

    public func setGGDMapping(subject: String, indicator: String, actor: String) async throws {
        let key = GGDImporter.key(subject)
        guard !key.isEmpty, key.count <= 300 else { throw GGDMappingError.emptySubject }
        guard let target = catalog[indicator] else { throw GGDMappingError.unknownIndicator(indicator) }
        guard GGDImporter.canFeed(target) else { throw GGDMappingError.notAPercentage(indicator) }
        let now = clock()
        try await write { db in
            let before = try await db.raw("SELECT indicator FROM ggd_mapping WHERE subject = \(bind: key)").first()?.decode(column: "indicator", as: String.self)
            try await db.raw("DELETE FROM ggd_mapping WHERE subject = \(bind: key)").run()
            try await db.raw("""
                INSERT INTO ggd_mapping (subject, indicator, changed_by, changed_at)
                VALUES (\(bind: key), \(bind: indicator), \(bind: actor), \(bind: Self.timestamp(now)))
                """).run()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "ggd-koppeling.vastleggen", object: "ggd:\(key)",
                                                  before: before.map { Self.auditJSON(["indicator": $0]) }, after: Self.auditJSON(["indicator": indicator])), on: db)
        }
    }

    public func removeGGDMapping(subject: String, actor: String) async throws {
        let key = GGDImporter.key(subject)
        let now = clock()
        try await write { db in
            guard let before = try await db.raw("SELECT indicator FROM ggd_mapping WHERE subject = \(bind: key)").first()?
                .decode(column: "indicator", as: String.self) else { return }
            try await db.raw("DELETE FROM ggd_mapping WHERE subject = \(bind: key)").run()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "ggd-koppeling.verwijderen", object: "ggd:\(key)",
                                                  before: Self.auditJSON(["indicator": before]), after: nil), on: db)
        }
    }
}
