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

/// A choropleth as SVG: classes in a colour-blind-safe sequential palette (ColorBrewer YlGnBu),
/// a hatched pattern for "geen gegevens", a legend with class bounds, a `<title>` and link per area.
enum ChoroplethMap {
    static let palettes: [Int: [String]] = [
        1: ["#41b6c4"],
        2: ["#a1dab4", "#225ea8"],
        3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
        4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    ]

    /// Two-sided scale around 0 (brown − neutral − teal): a difference, not a judgement.
    static let diverging = ["#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"]

    struct Legend: Sendable { var color: String; var label: String; var count: Int }

    static func render(layer: MapLayer, values: [AreaCode: Double], texts: [AreaCode: String], names: [AreaCode: String],
                       classification: Classification, indicator: Indicator, title: String, id: String = "map",
                       palette: [String]? = nil, link: (AreaCode) -> String?) -> (svg: RenderedSVG, legend: [Legend]) {
        let colors = palette ?? palettes[max(1, min(7, classification.classCount))] ?? palettes[5]!
        var counts = [Int](repeating: 0, count: max(classification.classCount, 1))
        var noData = 0
        let legendHeight = 26.0 * Double(classification.classCount + 1) + 20
        let totalHeight = layer.height + legendHeight
        var s = ""
        s.reserveCapacity(layer.paths.reduce(0) { $0 + $1.d.count + 120 } + 2000)
        s += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(layer.width)) \#(svgNumber(totalHeight))" role="img" aria-labelledby="\#(id)-title" class="map">"#
        s += #"<title id="\#(id)-title">\#(xmlEscape(title))</title>"#
        s += ##"<defs><pattern id="\##(id)-geen-gegevens" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="1.5"/></pattern></defs>"##
        s += #"<g class="areas">"#
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
                s += #"<a href="\#(href)">"# + path + "</a>"
            } else {
                s += path
            }
        }
        s += "</g>"
        // Legend below the map.
        var legend: [Legend] = []
        var y = layer.height + 14
        s += #"<g class="legend" transform="translate(8 0)">"#
        let legendTitle = indicator.name.contains("(") ? indicator.name : "\(indicator.name) (\(indicator.unit.label))"
        s += #"<text x="0" y="\#(svgNumber(y))" class="legend-title">\#(xmlEscape(legendTitle))</text>"#
        y += 8
        for i in 0..<classification.classCount {
            let low = DutchNumber.format(classification.breaks[i], decimals: indicator.decimals)
            let high = DutchNumber.format(classification.breaks[i + 1], decimals: indicator.decimals)
            let label = "\(low) – \(high)"
            legend.append(Legend(color: colors[min(i, colors.count - 1)], label: label, count: counts[i]))
            s += ##"<rect x="0" y="\##(svgNumber(y))" width="22" height="16" fill="\##(colors[min(i, colors.count - 1)])" stroke="#666"/>"##
            s += #"<text x="30" y="\#(svgNumber(y + 12))">\#(xmlEscape(label)) (\#(counts[i]))</text>"#
            y += 26
        }
        s += ##"<rect x="0" y="\##(svgNumber(y))" width="22" height="16" fill="url(#\##(id)-geen-gegevens)" stroke="#666"/>"##
        s += #"<text x="30" y="\#(svgNumber(y + 12))">geen gegevens (\#(noData))</text>"#
        s += "</g></svg>"
        legend.append(Legend(color: "", label: "geen gegevens", count: noData))
        return (RenderedSVG(s), legend)
    }
}
