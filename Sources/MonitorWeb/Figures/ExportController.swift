import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Downloads of a selection: `/export/{indicator}?niveau=…&gemeente=…&gebied=…&periode=…&formaat=csv|excel|json|datapackage`.
/// Figures pass the same privacy rule as every page (they come from the same store read).
struct ExportController: Sendable {
    let store: any Store
    /// How long one download may take, slow readers included (the heavy-work slot is given back then too).
    var timeLimit: Duration = HeavyWorkLimiter.timeLimit

    func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("indicator")
        let q = request.uri.queryParameters
        let selection: ExportSelection
        do {
            selection = try ExportSelection.parse(indicator: id, catalog: context.catalog) { q.get($0) }
        } catch {
            if error.parameter == "indicator" { throw AppError.notFound(error.message) }
            throw AppError.badRequest(parameter: error.parameter, message: error.message)
        }
        let fileName = selection.format == .datapackage ? "datapackage.json" : "\(selection.name).\(selection.format.fileExtension)"
        let store = store
        let deadline = ContinuousClock.now + timeLimit
        let logger = context.logger
        // Streamed: headers go out at once, then one page of rows at a time; a buurt export never sits whole in memory.
        let body = ResponseBody { writer in
            do {
                try await selection.write(store: store, deadline: deadline) { text in
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            } catch {
                // The status line has gone out: all that is left is to break the connection, so the download is
                // visibly incomplete (curl and browsers report it) rather than silently short.
                logger.warning("Export afgebroken: \(selection.name): \(error is ExportTimeLimit ? "tijdslimiet" : String(describing: error))")
                throw error
            }
        }
        return Response(status: .ok, headers: [.contentType: selection.format.contentType,
                                               .contentDisposition: "attachment; filename=\"\(fileName)\""],
                        body: body)
    }

    /// GET `/export-lang?indicator=…&indicator=…&niveau=gemeente|wijk|buurt&gemeente=…&periode=…`: chosen indicators in the
    /// long layout dashboard tools (such as GMSD's Swing) import; wijken and buurten only within one gemeente. Streamed.
    func long(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let ids = q.getAll("indicator").filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw AppError.badRequest(parameter: "indicator", message: tr("kies ten minste één indicator")) }
        guard ids.count <= 40 else { throw AppError.badRequest(parameter: "indicator", message: tr("hoogstens 40 indicatoren per bestand")) }
        var indicators: [Indicator] = []
        for id in ids where !indicators.contains(where: { $0.id == id }) {
            guard let indicator = context.catalog[id] else { throw AppError.badRequest(parameter: "indicator", message: tr("onbekende indicator '{0}'", id)) }
            indicators.append(indicator)
        }
        var level = AreaKind.gemeente
        if let raw = q.get("niveau"), !raw.isEmpty {
            guard let chosen = AreaKind(rawValue: raw), [.gemeente, .wijk, .buurt].contains(chosen) else {
                throw AppError.badRequest(parameter: "niveau", message: tr("kies gemeente, wijk of buurt"))
            }
            level = chosen
        }
        var gemeente: AreaCode?
        if let raw = q.get("gemeente"), !raw.isEmpty {
            guard let code = AreaCode(raw.uppercased()), code.kind == .gemeente, try await store.area(code) != nil else {
                throw AppError.badRequest(parameter: "gemeente", message: tr("onbekende gemeente: {0}", raw))
            }
            gemeente = code
        }
        if level != .gemeente, gemeente == nil {
            throw AppError.badRequest(parameter: "gemeente", message: tr("wijken en buurten alleen binnen één gemeente: geef een gemeentecode"))
        }
        let period = q.get("periode").flatMap { $0.isEmpty ? nil : $0 }
        let chosen = indicators, kind = level, within = gemeente
        let store = store
        let deadline = ContinuousClock.now + timeLimit
        let logger = context.logger
        let body = ResponseBody { writer in
            do {
                let snapshot = try await store.generation()
                try await writer.write(ByteBuffer(string: LongExport.head))
                for indicator in chosen {
                    var offset = 0
                    while true {
                        if ContinuousClock.now > deadline { throw ExportTimeLimit() }
                        let pageSize = ExportSelection.pageSize
                        let page = try await store.observations(ObservationQuery(
                            indicator: indicator.id, areaKind: kind, withinGemeente: within, period: period,
                            versions: .afterImport(snapshot), limit: pageSize, offset: offset, countsTotal: false))
                        let text = LongExport.lines(page.items, indicator: indicator)
                        if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                        guard page.items.count == pageSize else { break }
                        offset += pageSize
                    }
                }
                try await writer.finish(nil)
            } catch {
                logger.warning("Export (lang) afgebroken: \(error is ExportTimeLimit ? "tijdslimiet" : String(describing: error))")
                throw error
            }
        }
        let name = "pbmonitor-\(level.rawValue)\(gemeente.map { "-\($0.rawValue)" } ?? "")\(period.map { "-\($0)" } ?? "").csv"
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""], body: body)
    }

    /// Download links for a selection, for table pages.
    static func links(indicator: String, parameters: [(String, String?)]) -> [LinkItem] {
        [("CSV", "csv"), (tr("Excel (NL)"), "excel"), ("JSON", "json"), ("datapackage.json", "datapackage")].map { label, format in
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
        guard let indicator = catalog[id] else { throw Invalid(parameter: "indicator", message: tr("Onbekende indicator: {0}", id)) }
        func given(_ name: String) -> String? { value(name).flatMap { $0.isEmpty ? nil : $0 } }
        var level: AreaKind?
        if let raw = given("niveau") {
            guard let kind = AreaKind(rawValue: raw) else {
                throw Invalid(parameter: "niveau", message: tr("kies land, provincie, ggdregio, gemeente, wijk of buurt"))
            }
            level = kind
        }
        var gemeente: AreaCode?
        if let raw = given("gemeente") {
            guard let code = AreaCode(raw), code.kind == .gemeente else { throw Invalid(parameter: "gemeente", message: tr("'{0}' is geen gemeentecode", raw)) }
            gemeente = code
        }
        var area: AreaCode?
        if let raw = given("gebied") {
            guard let code = AreaCode(raw) else { throw Invalid(parameter: "gebied", message: tr("'{0}' is geen CBS-gebiedscode", raw)) }
            area = code
        }
        guard let format = Exporter.Format(rawValue: given("formaat") ?? "csv") else {
            throw Invalid(parameter: "formaat", message: tr("kies csv, excel, json of datapackage"))
        }
        return ExportSelection(indicator: indicator, level: level, gemeente: gemeente, area: area, period: given("periode"), format: format)
    }

    /// `pbmonitor-jeugdzorg_in_natura_pct-gemeente-2023`: the file and data package name.
    public var name: String {
        ["pbmonitor", indicator.id, level?.rawValue, gemeente?.rawValue, period].compactMap { $0 }.joined(separator: "-")
    }

    /// Rows per database read while streaming: one page is all an export holds in memory.
    public static let pageSize = 2_000

    /// Writes the file a page of rows at a time, sorted by area name, area code and period (no ranking), from one
    /// snapshot of the figures (the last import when it began), so a file is consistent even when an import lands
    /// meanwhile. The rows pass the store's privacy rule like every page. Past `deadline` it stops with
    /// ``ExportTimeLimit`` between two pages (the download is then visibly incomplete, never silently short).
    public func write(store: any Store, pageSize: Int = ExportSelection.pageSize, deadline: ContinuousClock.Instant? = nil,
                      to emit: (String) async throws -> Void) async throws {
        if format == .datapackage {
            try await emit(String(decoding: Exporter.dataPackage(indicators: [indicator], name: name), as: UTF8.self))
            return
        }
        let snapshot = try await store.generation()
        try await emit(Exporter.head(format))
        var offset = 0
        while true {
            if let deadline, ContinuousClock.now > deadline { throw ExportTimeLimit() }
            let page = try await store.observations(ObservationQuery(
                indicator: indicator.id, areas: area.map { [$0] }, areaKind: level, withinGemeente: gemeente, period: period,
                versions: .afterImport(snapshot), limit: pageSize, offset: offset, order: .areaName, countsTotal: false))
            let rows = page.items.map {
                ExportRow(observation: $0, areaName: page.areaNames[$0.area] ?? $0.area.rawValue, indicator: indicator)
            }
            if !rows.isEmpty { try await emit(Exporter.body(rows, format: format, continuing: offset > 0)) }
            guard page.items.count == pageSize else { break }
            offset += pageSize
        }
        try await emit(Exporter.tail(format))
    }

    /// The whole file in memory (`pbmonitor export`, tests).
    public func export(store: any Store) async throws -> Data {
        var data = Data()
        try await write(store: store) { data.append(contentsOf: $0.utf8) }
        return data
    }
}

/// An export that ran past its time limit.
public struct ExportTimeLimit: Error, Sendable {}
