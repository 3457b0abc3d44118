import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Choropleth maps of any indicator, rendered as SVG on the server: `/kaart/{indicator}` and
/// the bare `/kaart/{indicator}.svg` with the same parameters.
struct MapController: Sendable {
    let store: any Store
    let renderer: PageRenderer?
    let layers: MapLayerCache
    /// Per indicator and level (and gemeente), the periods with figures and the newest with a number, once per
    /// generation: a map then reads one period (with ten years of figures, reading them all cost 200 ms per map).
    let periods = GenerationCache<MapPeriods>()

    struct MapPeriods: Sendable {
        var all: [String]
        var newestWithNumber: String?
    }

    struct Query: Sendable {
        var indicator: Indicator
        var level: AreaKind
        var gemeente: AreaCode?
        var method: ClassificationMethod
        var classes: Int
        var period: String?
        /// A gemeente typed as a name, until ``resolved(with:)`` found its code.
        var gemeenteText: String?

        init(indicator: Indicator, level: AreaKind, gemeente: AreaCode?, method: ClassificationMethod, classes: Int, period: String?) {
            self.indicator = indicator
            self.level = level
            self.gemeente = gemeente
            self.method = method
            self.classes = classes
            self.period = period
        }

        init(indicatorID: String, request: Request, catalog: Catalog) throws {
            guard let indicator = catalog[indicatorID] else { throw AppError.notFound(tr("Onbekende indicator: {0}", indicatorID)) }
            self.indicator = indicator
            let q = request.uri.queryParameters
            let levelText = q.get("niveau").flatMap { $0.isEmpty ? nil : $0 } ?? (q.get("gemeente").map { _ in "wijk" } ?? "gemeente")
            guard let level = AreaKind(rawValue: levelText), [.gemeente, .ggdregio, .provincie, .wijk].contains(level) else {
                throw AppError.badRequest(parameter: "niveau", message: tr("kies gemeente, ggdregio, provincie of wijk (gekregen '{0}')", levelText))
            }
            self.level = level
            if let raw = q.get("gemeente"), !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                if let code = AreaCode(raw.uppercased()), code.kind == .gemeente { gemeente = code } else { gemeenteText = raw }
            }
            let methodText = q.get("indeling").flatMap { $0.isEmpty ? nil : $0 } ?? "kwantielen"
            guard let method = ClassificationMethod(rawValue: methodText) else {
                throw AppError.badRequest(parameter: "indeling", message: tr("kies kwantielen, gelijk of natuurlijk"))
            }
            self.method = method
            classes = try ValuesController.Query.integer(q.get("klassen"), name: "klassen", default: 5, range: 2...7)
            period = q.get("periode").flatMap { $0.isEmpty ? nil : $0 }
        }

        /// The query with a gemeente typed by name replaced by its code.
        func resolved(with store: any Store) async throws -> Query {
            guard let text = gemeenteText else { return self }
            var query = self
            query.gemeente = try await GemeenteInput.resolve(text, parameter: "gemeente", store: store)
            query.gemeenteText = nil
            return query
        }

        var parameters: [(String, String?)] {
            [("niveau", level.rawValue), ("gemeente", gemeente?.rawValue), ("indeling", method.rawValue),
             ("klassen", String(classes)), ("periode", period)]
        }
    }

    struct MapData: Sendable {
        var query: Query
        var period: String?
        var periods: [String]
        var areas: [Area]
        var observations: [AreaCode: Observation]
        var layer: MapLayer
        var gemeenteName: String?
    }

    func data(_ query: Query) async throws -> MapData {
        var areas: [Area]
        var gemeenteName: String?
        if query.level == .wijk, let gemeente = query.gemeente {
            guard let area = try await store.area(gemeente) else { throw AppError.notFound(tr("Onbekende gemeente: {0}", gemeente.rawValue)) }
            gemeenteName = area.name
            areas = try await store.children(of: gemeente, kind: .wijk)
        } else {
            areas = try await store.areas(kind: query.level)
        }
        let within = query.level == .wijk ? query.gemeente : nil
        let store = self.store, indicator = query.indicator.id, level = query.level
        let available = try await periods.value(for: try await store.dataGeneration(), key: "\(indicator)|\(level.rawValue)|\(within?.rawValue ?? "")") {
            let all = try await store.observations(ObservationQuery(indicator: indicator, areaKind: level, withinGemeente: within)).items
            return MapPeriods(all: Array(Set(all.map(\.period))).sorted(),
                              newestWithNumber: all.filter { $0.status == .waarde }.map(\.period).max())
        }
        let periods = available.all
        if let requested = query.period, !periods.contains(requested) {
            throw AppError.badRequest(parameter: "periode", message: tr("geen cijfers op dit niveau voor periode '{0}' (wel: {1})", requested, periods.joined(separator: ", ")))
        }
        let period = query.period ?? available.newestWithNumber ?? periods.last
        var observations: [AreaCode: Observation] = [:]
        if let period {
            // One period: the primary key's prefix (indicator, period), filtered by level (on PostgreSQL a list of 342
            // gemeente codes cost 8 ms, the level 1.3 ms).
            let selection = ObservationQuery(indicator: indicator, areaKind: level, withinGemeente: within, period: period, countsTotal: false)
            for o in try await store.observations(selection).items { observations[o.area] = o }
        }
        let layer = try await layers.layer(kind: query.level, gemeente: query.level == .wijk ? query.gemeente : nil)
        // Areas on the map without an area record (boundaries of another indeling year) still need a name.
        let known = Set(areas.map(\.code))
        for (code, _) in layer.paths where !known.contains(code) { areas.append(Area(code: code, name: code.rawValue, indelingYear: 2024)) }
        return MapData(query: query, period: period, periods: periods, areas: areas, observations: observations, layer: layer,
                       gemeenteName: gemeenteName)
    }

    /// A rendered map with its title and classes; `use` says where it is shown (``ChoroplethMap/Use``).
    struct Rendered: Sendable {
        var svg: RenderedSVG
        var legend: [ChoroplethMap.Legend]
        var legendHTML: RenderedSVG
        var title: String
        var classification: Classification
    }

    static func render(_ d: MapData, id: String = "map", use: ChoroplethMap.Use = .page) -> Rendered {
        let indicator = d.query.indicator
        let values = d.observations.compactMapValues { $0.status == .waarde ? $0.value : nil }
        let classification = Classification(values: Array(values.values), classes: d.query.classes, method: d.query.method)
        let texts = d.observations.mapValues { FigureText($0, indicator: indicator).value }
        let names = Dictionary(d.areas.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let place = d.gemeenteName.map { tr("de wijken van {0}", $0) } ?? (d.query.level == .wijk ? tr("alle wijken van Nederland") : levelPlural(d.query.level))
        let title = tr("{0} voor {1}, {2}", indicator.name, place, d.period ?? tr("geen periode"))
        let map = ChoroplethMap.render(layer: d.layer, values: values, texts: texts, names: names, classification: classification,
                                       indicator: indicator, title: title, id: id, use: use) { code in
            SiteRoute.profile(code.rawValue)?.path
        }
        return Rendered(svg: map.svg, legend: map.legend, legendHTML: map.legendHTML, title: title, classification: classification)
    }

    static func levelPlural(_ kind: AreaKind) -> String {
        switch kind {
        case .gemeente: tr("alle gemeenten")
        case .ggdregio: tr("alle GGD-regio's")
        case .provincie: tr("alle provincies")
        default: tr("alle {0}en", kind.label)
        }
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        var id = try context.parameters.require("indicator")
        let bare = id.hasSuffix(".svg")
        if bare { id.removeLast(4) }
        let query = try await Query(indicatorID: id, request: request, catalog: context.catalog).resolved(with: store)
        let d = try await data(query)
        let rendered = Self.render(d, use: bare ? .file : .page)
        if bare {
            return Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: rendered.svg.markup)))
        }
        let page = MapPage(d, rendered: rendered, catalog: context.catalog)
        return renderer!.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }
}

