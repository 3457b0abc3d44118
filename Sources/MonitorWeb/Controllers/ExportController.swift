import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Downloads of a selection: `/export/{indicator}?niveau=…&gemeente=…&gebied=…&periode=…&formaat=csv|excel|json|datapackage`.
/// Figures pass the same privacy rule as every page (they come from the same store read).
struct ExportController: Sendable {
    let store: any Store

    struct Selection: Sendable {
        var indicator: Indicator
        var level: AreaKind?
        var gemeente: AreaCode?
        var area: AreaCode?
        var period: String?
        var format: Exporter.Format
    }

    static func selection(_ id: String, request: Request, catalog: Catalog) throws -> Selection {
        guard let indicator = catalog[id] else { throw AppError.notFound("Onbekende indicator: \(id)") }
        let q = request.uri.queryParameters
        var level: AreaKind?
        if let raw = q.get("niveau"), !raw.isEmpty {
            guard let kind = AreaKind(rawValue: raw) else {
                throw AppError.badRequest(parameter: "niveau", message: "kies land, provincie, ggdregio, gemeente, wijk of buurt")
            }
            level = kind
        }
        var gemeente: AreaCode?
        if let raw = q.get("gemeente"), !raw.isEmpty {
            guard let code = AreaCode(raw), code.kind == .gemeente else { throw AppError.badRequest(parameter: "gemeente", message: "'\(raw)' is geen gemeentecode") }
            gemeente = code
        }
        var area: AreaCode?
        if let raw = q.get("gebied"), !raw.isEmpty {
            guard let code = AreaCode(raw) else { throw AppError.badRequest(parameter: "gebied", message: "'\(raw)' is geen CBS-gebiedscode") }
            area = code
        }
        let formatText = q.get("formaat").flatMap { $0.isEmpty ? nil : $0 } ?? "csv"
        guard let format = Exporter.Format(rawValue: formatText) else {
            throw AppError.badRequest(parameter: "formaat", message: "kies csv, excel, json of datapackage")
        }
        return Selection(indicator: indicator, level: level, gemeente: gemeente, area: area,
                         period: q.get("periode").flatMap { $0.isEmpty ? nil : $0 }, format: format)
    }

    /// The rows of a selection, sorted by area name and period (no ranking).
    static func rows(_ s: Selection, store: any Store) async throws -> [ExportRow] {
        let observations = try await store.observations(ObservationQuery(indicator: s.indicator.id, areas: s.area.map { [$0] },
                                                                         areaKind: s.level, withinGemeente: s.gemeente, period: s.period)).items
        var names: [AreaCode: String] = [.nederland: "Nederland"]
        let kinds = Set(observations.map(\.area.kind))
        for kind in kinds where kind != .land {
            for area in try await store.areas(kind: kind) { names[area.code] = area.name }
        }
        return observations.map { ExportRow(observation: $0, areaName: names[$0.area] ?? $0.area.rawValue, indicator: s.indicator) }
            .sorted { ($0.areaName, $0.observation.area.rawValue, $0.observation.period) < ($1.areaName, $1.observation.area.rawValue, $1.observation.period) }
    }

    func download(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let selection = try Self.selection(try context.parameters.require("indicator"), request: request, catalog: store.catalog)
        let rows = try await Self.rows(selection, store: store)
        var name = "pbmonitor-\(selection.indicator.id)"
        if let level = selection.level { name += "-\(level.rawValue)" }
        if let gemeente = selection.gemeente { name += "-\(gemeente.rawValue)" }
        if let period = selection.period { name += "-\(period)" }
        let data = Exporter.export(rows, format: selection.format, name: name)
        let fileName = selection.format == .datapackage ? "datapackage.json" : "\(name).\(selection.format.fileExtension)"
        return Response(status: .ok, headers: [.contentType: selection.format.contentType,
                                               .contentDisposition: "attachment; filename=\"\(fileName)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Download links for a selection, for table pages.
    static func links(indicator: String, parameters: [(String, String?)]) -> [LinkItem] {
        [("CSV", "csv"), ("Excel (NL)", "excel"), ("JSON", "json"), ("datapackage.json", "datapackage")].map { label, format in
            LinkItem(name: label, url: SiteRoute.export(indicator).url(parameters + [("formaat", format)]))
        }
    }
}

/// The export selection without HTTP, for the CLI (`pbmonitor export`).
public enum ExportRows {
    public static func rows(store: any Store, indicator: Indicator, level: AreaKind?, gemeente: AreaCode?, area: AreaCode?,
                            period: String?) async throws -> [ExportRow] {
        try await ExportController.rows(ExportController.Selection(indicator: indicator, level: level, gemeente: gemeente, area: area,
                                                                   period: period, format: .csv), store: store)
    }
}
