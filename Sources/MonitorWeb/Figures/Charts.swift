import Foundation
import Monitor

/// Escapes text for SVG, XML and HTML (also the few HTML strings put together in Swift).
func xmlEscape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for char in text {
        switch char {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(char)
        }
    }
    return result
}

/// Rounds coordinates so SVG output is byte-stable.
func svgNumber(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    guard rounded.isFinite else { return "0" }
    if rounded == rounded.rounded(), let whole = Int(checked: rounded) { return String(whole) }
    return String(format: "%.1f", rounded)
}

/// The report's plattegrond: four spheres of the basis around the family, the buitensfeer of
/// hulpverlening, the relational weefsel between them and the policy domains around it all.
enum PlattegrondChart {
    struct Placement { var sphere: Sphere; var x: Double; var y: Double; var r: Double }

    static let placements: [Placement] = [
        Placement(sphere: .gezin, x: 370, y: 300, r: 92),
        Placement(sphere: .school, x: 370, y: 128, r: 74),
        Placement(sphere: .vrijetijd, x: 206, y: 398, r: 74),
        Placement(sphere: .georganiseerd, x: 534, y: 398, r: 74),
        Placement(sphere: .hulp, x: 760, y: 300, r: 80),
    ]

    static var domains: [String] { PolicyDomain.allCases.map(\.label) }

    /// A text on the plattegrond with the box it takes (width estimated at 0.6 em per character, generous for the
    /// fonts a browser picks), so a test can check that nothing overlaps.
    struct Label {
        enum Anchor { case start, middle }
        var text: String
        var x: Double
        var y: Double
        var size: Double
        var anchor: Anchor
        var className: String
        /// The sphere whose circle the label sits in (it must fit inside it); nil for labels that must stay off every circle.
        var inside: Sphere?

        var box: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
            let width = Double(text.count) * size * 0.6
            let left = anchor == .middle ? x - width / 2 : x
            return (left, y - size * 0.8, left + width, y + size * 0.25)
        }
    }

    /// A sphere's short name in lines of at most 14 characters ("Georganiseerde" / "vrije tijd").
    static func lines(_ label: String) -> [String] {
        var lines: [String] = []
        for word in label.split(separator: " ") {
            if let last = lines.last, last.count + 1 + word.count <= 14 { lines[lines.count - 1] = last + " " + word } else { lines.append(String(word)) }
        }
        return lines
    }

    /// Every text of the plattegrond, in drawing order.
    static func labels(counts: [Sphere: Int]) -> [Label] {
        var labels: [Label] = []
        labels.append(Label(text: tr("Gemeentelijke beleidsdomeinen (van invloed, geen deel van de basis)"), x: 450, y: 34, size: 14, anchor: .middle,
                            className: "pg-domains-title"))
        // Three domains top left and top right, three along the bottom: clear of the circles.
        let positions: [(Double, Double)] = [(30, 56), (30, 76), (640, 56), (30, 536), (320, 536), (640, 536)]
        for (index, domain) in domains.enumerated() {
            let (x, y) = positions[min(index, positions.count - 1)]
            labels.append(Label(text: domain, x: x, y: y, size: 13, anchor: .start, className: "pg-domain"))
        }
        labels.append(Label(text: tr("Pedagogische basis"), x: 110, y: 200, size: 15, anchor: .start, className: "pg-basis-label"))
        labels.append(Label(text: tr("relaties (weefsel)"), x: 470, y: 236, size: 13, anchor: .start, className: "pg-weefsel-label"))
        for p in placements {
            let lines = Self.lines(p.sphere.shortLabel)
            for (index, line) in lines.enumerated() {
                let y = p.y - 8 + Double(index) * 18 - Double(lines.count - 1) * 9
                labels.append(Label(text: line, x: p.x, y: y, size: 15, anchor: .middle, className: "pg-label", inside: p.sphere))
            }
            labels.append(Label(text: tr("{0} met cijfers", counts[p.sphere] ?? 0), x: p.x, y: p.y + 24 + Double(lines.count - 1) * 9, size: 13,
                                anchor: .middle, className: "pg-count", inside: p.sphere))
        }
        labels.append(Label(text: tr("buitensfeer"), x: 760, y: 404, size: 12, anchor: .middle, className: "pg-note"))
        // Its three layers (report §2.1), from the most open to a measure.
        for (index, layer) in HelpLayer.allCases.enumerated() {
            labels.append(Label(text: layer.label, x: 760, y: 422 + Double(index) * 16, size: 12, anchor: .middle, className: "pg-note"))
        }
        return labels
    }

    static func render(counts: [Sphere: Int]) -> RenderedSVG {
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 560" aria-hidden="true" focusable="false" class="plattegrond">"#
        s += #"<title>\#(xmlEscape(tr("Plattegrond van de pedagogische basis")))</title>"#
        // Policy domains: the frame around everything.
        s += #"<rect x="8" y="8" width="884" height="544" rx="24" class="pg-domains"/>"#
        // The basis itself.
        s += #"<ellipse cx="370" cy="292" rx="300" ry="226" class="pg-basis"/>"#
        // Weefsel: relations between the spheres.
        let byCode = Dictionary(uniqueKeysWithValues: placements.map { ($0.sphere, $0) })
        let ties: [(Sphere, Sphere)] = [(.gezin, .school), (.gezin, .vrijetijd), (.gezin, .georganiseerd), (.school, .vrijetijd),
                                        (.school, .georganiseerd), (.vrijetijd, .georganiseerd), (.gezin, .hulp), (.school, .hulp)]
        s += #"<g class="pg-weefsel"><title>\#(xmlEscape(tr("Relaties als weefsel: tussen ouders, ouders en professionals, professionals onderling")))</title>"#
        for (a, b) in ties {
            let p = byCode[a]!, q = byCode[b]!
            s += #"<line x1="\#(svgNumber(p.x))" y1="\#(svgNumber(p.y))" x2="\#(svgNumber(q.x))" y2="\#(svgNumber(q.y))"/>"#
        }
        s += "</g>"
        let labels = Self.labels(counts: counts)
        func text(_ label: Label) -> String {
            #"<text x="\#(svgNumber(label.x))" y="\#(svgNumber(label.y))"\#(label.anchor == .middle ? #" text-anchor="middle""# : "") class="\#(label.className)">\#(xmlEscape(label.text))</text>"#
        }
        for label in labels where label.inside == nil { s += text(label) }
        for p in placements {
            let count = counts[p.sphere] ?? 0
            s += #"<a href="/indicatoren#sfeer-\#(p.sphere.rawValue)" tabindex="-1" class="pg-sphere pg-\#(p.sphere.rawValue)">"#
            s += "<title>" + (count == 1 ? tr("{0}: 1 indicator met cijfers", xmlEscape(p.sphere.label)) : tr("{0}: {1} indicatoren met cijfers", xmlEscape(p.sphere.label), count)) + "</title>"
            s += #"<circle cx="\#(svgNumber(p.x))" cy="\#(svgNumber(p.y))" r="\#(svgNumber(p.r))"/>"#
            for label in labels where label.inside == p.sphere { s += text(label) }
            s += "</a>"
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

/// Distribution of an indicator over gemeenten as a histogram, with Nederland marked.
enum HistogramChart {
    static func render(values: [Double], indicator: Indicator, reference: Double?) -> RenderedSVG {
        guard !values.isEmpty else { return RenderedSVG("") }
        let histogram = Histogram(values: values, target: 24)
        let width = 720.0, height = 260.0, left = 48.0, right = 16.0, top = 16.0, bottom = 44.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let lower = histogram.bins.first!.lower, upper = max(histogram.bins.last!.upper, lower + 1e-9)
        let maxCount = Double(histogram.bins.map(\.count).max() ?? 1)
        func x(_ v: Double) -> Double { left + (v - lower) / (upper - lower) * plotWidth }
        func y(_ c: Double) -> Double { top + plotHeight - c / maxCount * plotHeight }
        let title = tr("Verdeling van {0} over {1} gemeenten", indicator.name.lowercased(), values.count)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" role="img" aria-label="\#(xmlEscape(title))" class="histogram">"#
        s += "<title>\(xmlEscape(title))</title>"
        for bin in histogram.bins where bin.count > 0 {
            let x0 = x(bin.lower), x1 = x(bin.upper)
            let range = tr("{0} tot {1}", DutchNumber.format(bin.lower, decimals: indicator.decimals), DutchNumber.format(bin.upper, decimals: indicator.decimals))
            s += #"<rect x="\#(svgNumber(x0 + 0.5))" y="\#(svgNumber(y(Double(bin.count))))" width="\#(svgNumber(max(1, x1 - x0 - 1)))" height="\#(svgNumber(plotHeight - (y(Double(bin.count)) - top)))" class="bar"><title>\#(xmlEscape(tr("{0}: {1} gemeenten", range, bin.count)))</title></rect>"#
        }
        s += #"<line x1="\#(svgNumber(left))" y1="\#(svgNumber(top + plotHeight))" x2="\#(svgNumber(left + plotWidth))" y2="\#(svgNumber(top + plotHeight))" class="axis"/>"#
        for tick in NiceScale.ticks(lower: lower, upper: upper, count: 6) {
            s += #"<text x="\#(svgNumber(x(tick)))" y="\#(svgNumber(top + plotHeight + 16))" text-anchor="middle" class="tick">\#(xmlEscape(DutchNumber.format(tick, decimals: tick == tick.rounded() ? 0 : indicator.decimals)))</text>"#
        }
        // Counts of gemeenten: whole numbers only (a scale up to 1 would otherwise read 0, 0, 0, 0, 1).
        for tick in NiceScale.ticks(lower: 0, upper: maxCount, count: 4) where tick == tick.rounded() {
            s += #"<text x="\#(svgNumber(left - 6))" y="\#(svgNumber(y(tick) + 4))" text-anchor="end" class="tick">\#(Int(tick))</text>"#
        }
        s += #"<text x="\#(svgNumber(left + plotWidth / 2))" y="\#(svgNumber(height - 6))" text-anchor="middle" class="axis-label">\#(xmlEscape(indicator.unit.label)) — aantal gemeenten per klasse</text>"#
        if let reference, reference >= lower, reference <= upper {
            let rx = x(reference)
            s += #"<line x1="\#(svgNumber(rx))" y1="\#(svgNumber(top))" x2="\#(svgNumber(rx))" y2="\#(svgNumber(top + plotHeight))" class="reference"><title>\#(xmlEscape(tr("Nederland: {0}", DutchNumber.format(reference, unit: indicator.unit, decimals: indicator.decimals))))</title></line>"#
            s += #"<text x="\#(svgNumber(rx + 4))" y="\#(svgNumber(top + 12))" class="reference-label">\#(xmlEscape(tr("Nederland")))</text>"#
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

/// A small strip (dot) plot: the peer gemeenten as grey dots with their range, Nederland as a
/// line, the GGD-regio as a ring and the gemeente itself as a larger dot. No axis, no rank.
enum StripPlot {
    static func render(own: Double?, peers: [Double], nederland: Double?, region: Double?, indicator: Indicator) -> RenderedSVG {
        let all = peers + [own, nederland, region].compactMap { $0 }
        guard let low = all.min(), let high = all.max() else { return RenderedSVG("") }
        let width = 170.0, pad = 7.0
        func x(_ v: Double) -> Double { high == low ? width / 2 : pad + (v - low) / (high - low) * (width - 2 * pad) }
        let f = { (v: Double) in DutchNumber.format(v, unit: indicator.unit, decimals: indicator.decimals) }
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 170 26" class="strip" role="img" aria-label="\#(xmlEscape(tr("Vergelijking met vergelijkbare gemeenten")))">"#
        if let pMin = peers.min(), let pMax = peers.max() {
            s += #"<line x1="\#(svgNumber(x(pMin)))" y1="13" x2="\#(svgNumber(x(pMax)))" y2="13" class="range"><title>\#(xmlEscape(tr("vergelijkbare gemeenten: {0} tot {1}", f(pMin), f(pMax))))</title></line>"#
        }
        for v in peers { s += #"<circle cx="\#(svgNumber(x(v)))" cy="13" r="2.5" class="peer"/>"# }
        if let nederland {
            s += #"<line x1="\#(svgNumber(x(nederland)))" y1="3" x2="\#(svgNumber(x(nederland)))" y2="23" class="nl"><title>\#(xmlEscape(tr("Nederland: {0}", f(nederland))))</title></line>"#
        }
        if let region {
            s += #"<circle cx="\#(svgNumber(x(region)))" cy="13" r="5" class="ggd"><title>\#(xmlEscape(tr("GGD-regio: {0}", f(region))))</title></circle>"#
        }
        if let own {
            s += #"<circle cx="\#(svgNumber(x(own)))" cy="13" r="5" class="own"><title>\#(xmlEscape(tr("deze gemeente: {0}", f(own))))</title></circle>"#
        }
        return RenderedSVG(s + "</svg>")
    }
}

/// A small line chart of a series: one dot per period (hollow when reconstructed from merged areas).
enum TrendChart {
    static func render(_ points: [Series.Point], indicator: Indicator, width: Double = 130, height: Double = 34) -> RenderedSVG {
        guard points.count >= 2, let low = points.map(\.value).min(), let high = points.map(\.value).max() else { return RenderedSVG("") }
        let pad = 5.0
        func x(_ i: Int) -> Double { pad + Double(i) / Double(points.count - 1) * (width - 2 * pad) }
        func y(_ v: Double) -> Double { high == low ? height / 2 : pad + (high - v) / (high - low) * (height - 2 * pad) }
        let label = tr("Verloop van {0}: ", indicator.name.lowercased()) + points.map {
            "\($0.period) \(DutchNumber.format($0.value, unit: indicator.unit, decimals: indicator.decimals))"
        }.joined(separator: ", ")
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" class="trend" role="img" aria-label="\#(xmlEscape(label))">"#
        let line = points.enumerated().map { "\(svgNumber(x($0.offset))),\(svgNumber(y($0.element.value)))" }.joined(separator: " ")
        s += #"<polyline points="\#(line)" class="trend-line"/>"#
        for (i, p) in points.enumerated() {
            let text = "\(p.period): \(DutchNumber.format(p.value, unit: indicator.unit, decimals: indicator.decimals))" + (p.reconstructed ? tr(" (op de huidige grenzen samengesteld)") : "")
            s += #"<circle cx="\#(svgNumber(x(i)))" cy="\#(svgNumber(y(p.value)))" r="3" class="\#(p.reconstructed ? "trend-dot reconstructed" : "trend-dot")"><title>\#(xmlEscape(text))</title></circle>"#
        }
        return RenderedSVG(s + "</svg>")
    }
}
