import Foundation
import Monitor
import MonitorStore

/// Projected boundaries of one map layer, ready to be coloured: computed once per layer and cached.
struct MapLayer: Sendable {
    var width: Double
    var height: Double
    var paths: [(code: AreaCode, d: String)]
    /// The projection of the layer, to put points (facilities) on it.
    var frame: MapFrame? = nil
}

/// Caches projected layers ("gemeente", "ggdregio", "provincie", "wijk", "wijk:GM0363") for the life of the process
/// (one generation that never changes), each made once however many visitors ask for it at the same time.
struct MapLayerCache: Sendable {
    private let layers = GenerationCache<MapLayer>()
    let store: any Store

    init(store: any Store) { self.store = store }

    func layer(kind: AreaKind, gemeente: AreaCode?) async throws -> MapLayer {
        let store = self.store
        return try await layers.value(for: 0, key: kind.rawValue + (gemeente.map { ":" + $0.rawValue } ?? "")) {
            try await Self.make(store: store, kind: kind, gemeente: gemeente)
        }
    }

    private static func make(store: any Store, kind: AreaKind, gemeente: AreaCode?) async throws -> MapLayer {
        let shapes = try await store.shapes(kind: kind, withinGemeente: gemeente).compactMap { row -> (AreaCode, Shape)? in
            Shape(geoJSON: row.geoJSON).map { (row.code, $0) }
        }
        var bounds = (minX: Double.infinity, minY: Double.infinity, maxX: -Double.infinity, maxY: -Double.infinity)
        for (_, shape) in shapes {
            let b = shape.bounds
            bounds = (min(bounds.minX, b.minX), min(bounds.minY, b.minY), max(bounds.maxX, b.maxX), max(bounds.maxY, b.maxY))
        }
        let frame = MapFrame(bounds: shapes.isEmpty ? (0, 0, 1, 1) : bounds, width: 640)
        return MapLayer(width: frame.width, height: frame.height, paths: shapes.map { ($0.0, frame.path($0.1)) }, frame: frame)
    }
}

/// A choropleth as SVG: classes in a colour-blind-safe sequential palette (ColorBrewer YlGnBu, without its
/// near-white first step, so the lowest class is visibly coloured), a hatched pattern for "geen gegevens", outlines dark
/// enough (≥ 3:1 against white) to tell the areas apart, a `<title>` and link per area.
///
/// On a page the map is a picture for sighted mouse users: hidden from screen readers and out of the tab order (its
/// links have `tabindex="-1"`), while the table beside it carries the same figures and links for everyone — a map of
/// 6,817 wijken is not 6,817 tab stops. The legend is HTML beside it (``Rendered/legendHTML``), readable at any size;
/// the report and the SVG file keep it inside (``Use``).
enum ChoroplethMap {
    static let palettes: [Int: [String]] = [
        1: ["#41b6c4"],
        2: ["#7fcdbb", "#225ea8"],
        3: ["#c7e9b4", "#41b6c4", "#225ea8"],
        4: ["#c7e9b4", "#7fcdbb", "#1d91c0", "#253494"],
        5: ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        6: ["#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
        7: ["#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"],
    ]

    /// Two-sided scale around 0 (brown − grey − teal): a difference, not a judgement. The middle is a visible grey,
    /// not white: "about as expected" is a class too.
    static let diverging = ["#a6611a", "#dfc27d", "#c8c8c8", "#80cdc1", "#018571"]

    struct Legend: Sendable { var color: String; var label: String; var count: Int }

    /// Where a map is shown: on a page (a picture beside its table, the legend as HTML), in the report (also hidden
    /// from screen readers, the legend inside: paper has no room beside three maps), or as an SVG file on its own (an
    /// image with a title and its legend inside).
    enum Use: Sendable { case page, report, file }

    struct Rendered: Sendable {
        var svg: RenderedSVG
        var legend: [Legend]
        /// The legend as HTML (a list with small colour swatches), for a page.
        var legendHTML: RenderedSVG
    }

    static func render(layer: MapLayer, values: [AreaCode: Double], texts: [AreaCode: String], names: [AreaCode: String],
                       classification: Classification, indicator: Indicator, title: String, id: String = "map",
                       palette: [String]? = nil, use: Use = .page, link: (AreaCode) -> String?) -> Rendered {
        let legendInside = use != .page, standalone = use == .file
        let colors = palette ?? palettes[max(1, min(7, classification.classCount))] ?? palettes[5]!
        var counts = [Int](repeating: 0, count: max(classification.classCount, 1))
        var noData = 0
        let legendHeight = legendInside ? 26.0 * Double(classification.classCount + 1) + 20 : 0
        let totalHeight = layer.height + legendHeight
        var s = ""
        s.reserveCapacity(layer.paths.reduce(0) { $0 + $1.d.count + 120 } + 2000)
        let hatch = ##"<pattern id="\##(id)-geen-gegevens" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6f6f6f" stroke-width="1.5"/></pattern>"##
        if standalone {
            s += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(layer.width)) \#(svgNumber(totalHeight))" role="img" aria-labelledby="\#(id)-title" class="map">"#
            s += #"<title id="\#(id)-title">\#(xmlEscape(title))</title>"#
        } else {
            s += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(layer.width)) \#(svgNumber(totalHeight))" aria-hidden="true" focusable="false" class="map">"#
        }
        s += "<defs>" + hatch + "</defs>"
        s += #"<g class="areas">"#
        let linkAttributes = standalone ? "" : #" tabindex="-1""#
        for (code, d) in layer.paths {
            let name = names[code] ?? code.rawValue
            let fill: String
            if let value = values[code], let index = classification.classIndex(value) {
                fill = colors[min(index, colors.count - 1)]
                counts[min(index, counts.count - 1)] += 1
            } else {
                fill = "url(#\(id)-geen-gegevens)"
                noData += 1
            }
            let label = "\(name) (\(code.rawValue)): \(texts[code] ?? "geen gegevens")"
            let path = #"<path d="\#(d)" fill="\#(fill)"><title>\#(xmlEscape(label))</title></path>"#
            if let href = link(code) {
                s += #"<a href="\#(href)"\#(linkAttributes)>"# + path + "</a>"
            } else {
                s += path
            }
        }
        s += "</g>"
        var legend: [Legend] = []
        for i in 0..<classification.classCount {
            let low = DutchNumber.format(classification.breaks[i], decimals: indicator.decimals)
            let high = DutchNumber.format(classification.breaks[i + 1], decimals: indicator.decimals)
            legend.append(Legend(color: colors[min(i, colors.count - 1)], label: "\(low) – \(high)", count: counts[i]))
        }
        let legendTitle = indicator.name.contains("(") ? indicator.name : "\(indicator.name) (\(indicator.unit.label))"
        if legendInside {
            // Legend below the map.
            var y = layer.height + 14
            s += #"<g class="legend" transform="translate(8 0)">"#
            s += #"<text x="0" y="\#(svgNumber(y))" class="legend-title">\#(xmlEscape(legendTitle))</text>"#
            y += 8
            for entry in legend {
                s += ##"<rect x="0" y="\##(svgNumber(y))" width="22" height="16" fill="\##(entry.color)" stroke="#666"/>"##
                s += #"<text x="30" y="\#(svgNumber(y + 12))">\#(xmlEscape(entry.label)) (\#(entry.count))</text>"#
                y += 26
            }
            s += ##"<rect x="0" y="\##(svgNumber(y))" width="22" height="16" fill="url(#\##(id)-geen-gegevens)" stroke="#666"/>"##
            s += #"<text x="30" y="\#(svgNumber(y + 12))">\#(xmlEscape(tr("geen gegevens ({0})", noData)))</text>"#
            s += "</g>"
        }
        s += "</svg>"
        var html = #"<p class="legend-title" id="\#(id)-legenda">\#(xmlEscape(tr("Legenda: {0}", legendTitle)))</p><ul class="legend" aria-labelledby="\#(id)-legenda">"#
        func swatch(_ fill: String, defs: String = "") -> String {
            ##"<svg viewBox="0 0 22 16" aria-hidden="true" focusable="false">\##(defs)<rect width="22" height="16" fill="\##(fill)" stroke="#666"/></svg>"##
        }
        for entry in legend {
            html += "<li>" + swatch(entry.color) + "\(xmlEscape(entry.label)) (\(DutchNumber.count(entry.count, "gebied", "gebieden")))</li>"
        }
        html += "<li>" + swatch("url(#\(id)-legenda-geen)", defs: "<defs>" + hatch.replacingOccurrences(of: "\(id)-geen-gegevens", with: "\(id)-legenda-geen") + "</defs>")
            + xmlEscape(tr("geen gegevens ({0})", noData)) + "</li></ul>"
        legend.append(Legend(color: "", label: tr("geen gegevens"), count: noData))
        return Rendered(svg: RenderedSVG(s), legend: legend, legendHTML: RenderedSVG(html))
    }
}
