import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// View model of `pages/map.mustache`.
struct MapPage: Sendable {
    struct Row: Sendable { var name: String; var code: String; var url: String?; var value: String; var hasValue: Bool }
    var pageTitle: String
    var jsonURL: String
    var title: String
    var indicatorName: String
    var indicatorURL: String
    var map: RenderedSVG
    var svgURL: String
    var legendHTML: RenderedSVG
    var indicators: [Option]
    var levels: [Option]
    var methods: [Option]
    var periods: [Option]
    var gemeente: String
    var classes: [Option]
    var rows: [Row]
    var method: String
    var downloads: [LinkItem]
    var attribution = BundledData.attribution

    init(_ d: MapController.MapData, rendered: MapController.Rendered, catalog: Catalog) {
        let q = d.query
        title = rendered.title
        pageTitle = tr("Kaart: {0} — Monitor pedagogische basis", rendered.title)
        indicatorName = q.indicator.name
        indicatorURL = SiteRoute.indicator(q.indicator.id).path
        jsonURL = SiteRoute.apiValues.url([("indicator", q.indicator.id), ("periode", d.period), ("limit", "1000")])
        map = rendered.svg
        svgURL = SiteRoute.mapSVG(q.indicator.id).url(q.parameters)
        legendHTML = rendered.legendHTML
        indicators = catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: $0.id == q.indicator.id) }
        levels = [AreaKind.gemeente, .ggdregio, .provincie, .wijk].map {
            Option(value: $0.rawValue, label: $0 == .wijk ? tr("wijken (van één gemeente of heel Nederland)") : MapController.levelPlural($0), selected: $0 == q.level)
        }
        methods = ClassificationMethod.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == q.method) }
        periods = d.periods.map { Option(value: $0, label: $0, selected: $0 == d.period) }
        classes = (2...7).map { Option(value: String($0), label: String($0), selected: $0 == q.classes) }
        gemeente = q.gemeente?.rawValue ?? ""
        method = q.method.label
        downloads = ExportController.links(indicator: q.indicator.id, parameters: [("niveau", q.level.rawValue), ("gemeente", q.level == .wijk ? q.gemeente?.rawValue : nil), ("periode", d.period)])
        rows = d.areas.sorted { $0.name < $1.name }.map { area in
            let text = FigureText(d.observations[area.code], indicator: q.indicator)
            return Row(name: area.name, code: area.code.rawValue, url: SiteRoute.profile(area.code.rawValue)?.path,
                       value: text.value, hasValue: text.hasValue)
        }
    }
}
