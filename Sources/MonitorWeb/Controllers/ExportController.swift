import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Downloads of a selection: `/export/{indicator}?niveau=…&gemeente=…&gebied=…&periode=…&formaat=csv|excel|json|datapackage`.
/// Figures pass the same privacy rule as every page (they come from the same store read).
struct ExportController: Sendable {
    let store: any Store

    func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("indicator")
        let q = request.uri.queryParameters
        let selection: ExportSelection
        do {
            selection = try ExportSelection.parse(indicator: id, catalog: store.catalog) { q.get($0) }
        } catch {
            if error.parameter == "indicator" { throw AppError.notFound(error.message) }
            throw AppError.badRequest(parameter: error.parameter, message: error.message)
        }
        let data = try await selection.export(store: store)
        let fileName = selection.format == .datapackage ? "datapackage.json" : "\(selection.name).\(selection.format.fileExtension)"
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

/// What to export: one indicator, optionally one level, gemeente, area and period, in one format.
/// Parsed in one place for the download links and for `pbmonitor export`, which name its errors their own way.
public struct ExportSelection: Sendable {
    public var indicator: Indicator
    public var level: AreaKind?
    public var gemeente: AreaCode?
    public var area: AreaCode?
    public var period: String?
    public var format: Exporter.Format

    /// A parameter that cannot be used: its name (`niveau`, `gemeente`, `gebied`, `formaat`, `indicator`) and why.
    public struct Invalid: Error, Sendable {
        public var parameter: String
        public var message: String
    }

    /// - Parameter value: the raw value of a parameter by its Dutch name (`niveau`, `gemeente`, `gebied`, `periode`, `formaat`).
    public static func parse(indicator id: String, catalog: Catalog, value: (String) -> String?) throws(Invalid) -> ExportSelection {
        guard let indicator = catalog[id] else { throw Invalid(parameter: "indicator", message: "Onbekende indicator: \(id)") }
        func given(_ name: String) -> String? { value(name).flatMap { $0.isEmpty ? nil : $0 } }
        var level: AreaKind?
        if let raw = given("niveau") {
            guard let kind = AreaKind(rawValue: raw) else {
                throw Invalid(parameter: "niveau", message: "kies land, provincie, ggdregio, gemeente, wijk of buurt")
            }
            level = kind
        }
        var gemeente: AreaCode?
        if let raw = given("gemeente") {
            guard let code = AreaCode(raw), code.kind == .gemeente else { throw Invalid(parameter: "gemeente", message: "'\(raw)' is geen gemeentecode") }
            gemeente = code
        }
        var area: AreaCode?
        if let raw = given("gebied") {
            guard let code = AreaCode(raw) else { throw Invalid(parameter: "gebied", message: "'\(raw)' is geen CBS-gebiedscode") }
            area = code
        }
        guard let format = Exporter.Format(rawValue: given("formaat") ?? "csv") else {
            throw Invalid(parameter: "formaat", message: "kies csv, excel, json of datapackage")
        }
        return ExportSelection(indicator: indicator, level: level, gemeente: gemeente, area: area, period: given("periode"), format: format)
    }

    /// `pbmonitor-jeugdzorg_in_natura_pct-gemeente-2023`: the file and data package name.
    public var name: String {
        ["pbmonitor", indicator.id, level?.rawValue, gemeente?.rawValue, period].compactMap { $0 }.joined(separator: "-")
    }

    /// The rows, sorted by area name and period (no ranking); they pass the store's privacy rule like every page.
    public func rows(store: any Store) async throws -> [ExportRow] {
        let observations = try await store.observations(ObservationQuery(indicator: indicator.id, areas: area.map { [$0] },
                                                                         areaKind: level, withinGemeente: gemeente, period: period)).items
        var names: [AreaCode: String] = [.nederland: "Nederland"]
        for kind in Set(observations.map(\.area.kind)) where kind != .land {
            for area in try await store.areas(kind: kind) { names[area.code] = area.name }
        }
        return observations.map { ExportRow(observation: $0, areaName: names[$0.area] ?? $0.area.rawValue, indicator: indicator) }
            .sorted { ($0.areaName, $0.observation.area.rawValue, $0.observation.period) < ($1.areaName, $1.observation.area.rawValue, $1.observation.period) }
    }

    /// The file's bytes in the chosen format.
    public func export(store: any Store) async throws -> Data {
        Exporter.export(try await rows(store: store), format: format, name: name)
    }
}
