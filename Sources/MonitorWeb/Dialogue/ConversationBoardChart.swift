import Foundation
import Monitor

/// The gespreksmodel: the plattegrond with a gemeente's own items placed in the spheres, the buitensfeer and
/// the policy domains. Each item is a numbered marker with a ring showing how many people said ja, nee or
/// twijfel — the spread, never an average — and links to the item's page. The table beside it holds the same data.
enum ConversationBoardChart {
    struct Marker: Sendable {
        var number: Int
        var item: ConversationBoardItem
        var url: String
    }

    static let width = 900.0, height = 660.0
    static let markerRadius = 9.0, ringRadius = 12.5, spacing = 30.0

    /// The band of policy domains below the basis: one box per domain.
    static func domainBox(_ domain: PolicyDomain) -> (x: Double, y: Double, w: Double, h: Double) {
        let index = Double(PolicyDomain.allCases.firstIndex(of: domain)!)
        return (20 + index * 143.3, 560, 136, 86)
    }

    /// Where each marker goes: rows under the sphere's label inside its circle, or a row in the domain's box.
    /// Deterministic: the same items give the same picture. Returns the positions and the markers that did not fit.
    static func layout(_ markers: [Marker]) -> (positions: [(Marker, Double, Double)], overflow: [ConversationBoardPlace: Int]) {
        var positions: [(Marker, Double, Double)] = []
        var overflow: [ConversationBoardPlace: Int] = [:]
        let byPlace = Dictionary(grouping: markers, by: \.item.place)
        for place in ConversationBoardPlace.allCases {
            let group = byPlace[place] ?? []
            guard !group.isEmpty else { continue }
            // Rows of slots (y, x positions); a row that is not full is centred.
            var rows: [(y: Double, xs: [Double])] = []
            switch place {
            case .sphere(let sphere):
                let p = PlattegrondChart.placements.first { $0.sphere == sphere }!
                // A marker's ring stays inside the circle: its centre within r − ring − 2 of the sphere's centre.
                let reach = p.r - ringRadius - 2
                var dy = 6.0
                while dy <= reach {
                    let half = (reach * reach - dy * dy).squareRoot()
                    let count = Int((2 * half) / spacing) + 1
                    rows.append((p.y + dy, (0..<count).map { p.x + (Double($0) - Double(count - 1) / 2) * spacing }))
                    dy += spacing
                }
            case .domain(let domain):
                let box = domainBox(domain)
                let count = Int((box.w - 10) / spacing)
                for row in 0..<2 {
                    rows.append((box.y + 44 + Double(row) * 28, (0..<count).map { box.x + box.w / 2 + (Double($0) - Double(count - 1) / 2) * spacing }))
                }
            }
            var slots: [(Double, Double)] = []
            var remaining = group.count
            for row in rows where remaining > 0 {
                let used = min(remaining, row.xs.count)
                let offset = Double(row.xs.count - used) / 2 * spacing
                slots += row.xs.prefix(used).map { ($0 + offset, row.y) }
                remaining -= used
            }
            for (index, marker) in group.enumerated() {
                if index < slots.count {
                    positions.append((marker, slots[index].0, slots[index].1))
                } else {
                    overflow[place, default: 0] += 1
                }
            }
        }
        return (positions, overflow)
    }

    static func render(gemeenteName: String, markers: [Marker]) -> RenderedSVG {
        let title = tr("Gespreksmodel van {0}", gemeenteName)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" aria-hidden="true" focusable="false" class="plattegrond board">"#
        s += #"<title id="bd-title">\#(xmlEscape(title))</title>"#
        let contested = markers.filter { $0.item.tally.isContested }.count
        s += #"<desc id="bd-desc">\#(xmlEscape(tr("{0} onderdelen op de plattegrond van de pedagogische basis; bij {1} verschillen de meningen. Per onderdeel een genummerde stip met een ring: groen ja, rood nee, geel twijfel, grijs nog niet beantwoord. De tabel bij de figuur bevat dezelfde gegevens.", markers.count, contested)))</desc>"#
        s += #"<rect x="8" y="8" width="884" height="644" rx="24" class="pg-domains"/>"#
        // The basis and its spheres, as on the plattegrond.
        s += #"<ellipse cx="370" cy="292" rx="300" ry="226" class="pg-basis"/>"#
        s += #"<text x="120" y="186" class="pg-basis-label">\#(xmlEscape(tr("Pedagogische basis")))</text>"#
        for p in PlattegrondChart.placements {
            s += #"<g class="pg-sphere pg-\#(p.sphere.rawValue)"><circle cx="\#(svgNumber(p.x))" cy="\#(svgNumber(p.y))" r="\#(svgNumber(p.r))"/>"#
            s += #"<text x="\#(svgNumber(p.x))" y="\#(svgNumber(p.y - p.r * 0.42))" text-anchor="middle" class="bd-sphere-label">\#(xmlEscape(p.sphere.shortLabel))</text></g>"#
        }
        s += #"<text x="760" y="398" text-anchor="middle" class="pg-note">\#(xmlEscape(tr("buitensfeer")))</text>"#
        s += #"<text x="450" y="548" class="pg-domains-title" text-anchor="middle">\#(xmlEscape(tr("Gemeentelijke beleidsdomeinen (van invloed, geen deel van de basis)")))</text>"#
        for domain in PolicyDomain.allCases {
            let box = domainBox(domain)
            s += #"<rect x="\#(svgNumber(box.x))" y="\#(svgNumber(box.y))" width="\#(svgNumber(box.w))" height="\#(svgNumber(box.h))" rx="8" class="bd-domain"/>"#
            let words = domain.label.split(separator: " ")
            let lines = words.count > 2 ? [words.prefix(2).joined(separator: " "), words.dropFirst(2).joined(separator: " ")] : [domain.label]
            for (index, line) in lines.enumerated() {
                s += #"<text x="\#(svgNumber(box.x + 8))" y="\#(svgNumber(box.y + 15 + Double(index) * 14))" class="pg-domain bd-domain-label">\#(xmlEscape(line))</text>"#
            }
        }
        let (positions, overflow) = layout(markers)
        for (marker, x, y) in positions { s += self.marker(marker, x: x, y: y) }
        for (place, count) in overflow.sorted(by: { $0.key.order < $1.key.order }) {
            let (x, y): (Double, Double)
            switch place {
            case .sphere(let sphere):
                let p = PlattegrondChart.placements.first { $0.sphere == sphere }!
                (x, y) = (p.x, p.y + p.r - 4)
            case .domain(let domain):
                let box = domainBox(domain)
                (x, y) = (box.x + box.w / 2, box.y + box.h - 4)
            }
            s += #"<text x="\#(svgNumber(x))" y="\#(svgNumber(y))" text-anchor="middle" class="bd-more">+\#(count) meer (zie de tabel)</text>"#
        }
        s += "</svg>"
        return RenderedSVG(s)
    }

    /// A numbered dot with a ring cut into arcs for ja, nee and twijfel (grey when nobody answered yet).
    static func marker(_ marker: Marker, x: Double, y: Double) -> String {
        let tally = marker.item.tally
        let label = "\(marker.number). \(marker.item.name) (\(marker.item.kind.label)): \(tally.summary)"
            + (marker.item.status == .concept ? tr(" — concept") : "")
        var s = #"<a href="\#(xmlEscape(marker.url))" tabindex="-1" class="bd-item\#(tally.isContested ? " bd-contested" : "")\#(marker.item.status == .concept ? " bd-concept" : "")"><title>\#(xmlEscape(label))</title>"#
        let circumference = 2 * Double.pi * ringRadius
        if tally.total == 0 {
            s += #"<circle cx="\#(svgNumber(x))" cy="\#(svgNumber(y))" r="\#(svgNumber(ringRadius))" class="bd-ring bd-open"/>"#
        } else {
            var offset = 0.0
            for answer in BelongingAnswer.allCases where tally.count(answer) > 0 {
                let length = circumference * Double(tally.count(answer)) / Double(tally.total)
                // Arcs start at the top and run clockwise.
                s += #"<circle cx="\#(svgNumber(x))" cy="\#(svgNumber(y))" r="\#(svgNumber(ringRadius))" class="bd-ring bd-\#(answer.rawValue)" stroke-dasharray="\#(String(format: "%.2f %.2f", length, circumference - length))" stroke-dashoffset="\#(String(format: "%.2f", -offset))" transform="rotate(-90 \#(svgNumber(x)) \#(svgNumber(y)))"/>"#
                offset += length
            }
        }
        s += #"<circle cx="\#(svgNumber(x))" cy="\#(svgNumber(y))" r="\#(svgNumber(markerRadius))" class="bd-dot"/>"#
        s += #"<text x="\#(svgNumber(x))" y="\#(svgNumber(y + 4))" text-anchor="middle" class="bd-number">\#(marker.number)</text></a>"#
        return s
    }
}
