import Foundation
import Monitor

/// View model of `pages/networks.mustache`.
struct NetworkListPage: Sendable {
    struct Row: Sendable { var title: String; var url: String; var area: String; var date: String; var actors: Int; var isConcept: Bool }

    var pageTitle: String
    var jsonURL: String
    var gemeenteName: String
    var profileURL: String
    var formAction: String
    var rows: [Row]
    var form: NetworkForm.View?
    /// A refused form: each problem beside the field or part it concerns.
    var feedback = FormFeedback()

    init(gemeente: Area, maps: [NetworkMap], names: [AreaCode: String]) {
        let code = gemeente.code.rawValue
        pageTitle = tr("Informele netwerken — {0} — Monitor pedagogische basis", gemeente.name)
        jsonURL = SiteRoute.apiNetworks(code).path
        gemeenteName = gemeente.name
        profileURL = SiteRoute.municipality(code).path
        formAction = SiteRoute.networks(code).path
        rows = maps.map {
            Row(title: $0.title, url: SiteRoute.network(code, $0.id).path, area: "\(names[$0.area] ?? $0.area.rawValue) (\($0.area.rawValue))",
                date: DutchDate.format($0.date.day), actors: $0.actors.count, isConcept: $0.status == .concept)
        }
    }
}

/// View model of `pages/network.mustache`: the drawing, the measures and the change since the previous map.
struct NetworkPage: Sendable {
    struct ActorRow: Sendable { var name: String; var kind: String; var spheres: String; var degree: Int; var betweenness: String; var bridges: Bool; var reached: String }
    struct TieRow: Sendable { var from: String; var to: String; var kind: String; var strength: String; var between: Bool }
    struct ChangeView: Sendable {
        var earlier: String
        var actorsAdded: [String]
        var actorsGone: [String]
        var tiesAdded: [String]
        var tiesGone: [String]
        var density: String
    }

    var pageTitle: String
    var listURL: String
    var gemeenteName: String
    var title: String
    var areaName: String
    var areaURL: String
    var date: String
    var status: String
    var svg: RenderedSVG
    var density: String
    var pairs: Int
    var within: Int
    var between: Int
    var actors: [ActorRow]
    var ties: [TieRow]
    var bridging: [String]
    var isolated: [String]
    var change: ChangeView?
    var csrf: String?
    var edit: NetworkForm.View?
    var publication: PublicationForms?
    var editURL: String
    var message: String?
    /// A refused form: each problem beside the field or part it concerns.
    var feedback = FormFeedback()
    /// A refused publication or withdrawal (``RecordPages``).
    var errors: [String] = []

    init(map: NetworkMap, gemeente: Area, areaName: String, change: NetworkChange?, csrf: String?) {
        let code = gemeente.code.rawValue
        let measures = NetworkMeasures(map)
        pageTitle = tr("{0} — netwerk in {1} — Monitor pedagogische basis", map.title, areaName)
        listURL = SiteRoute.networks(code).path
        editURL = SiteRoute.action(.networkEdit, code: code, id: map.id).path
        gemeenteName = gemeente.name
        title = map.title
        self.areaName = areaName
        areaURL = SiteRoute.profile(map.area.rawValue)?.path ?? "#"
        date = DutchDate.format(map.date.day)
        status = map.status.rawValue
        svg = NetworkChart.render(map, measures: measures, title: "\(map.title), \(areaName), \(DutchDate.format(map.date.day))")
        density = DutchNumber.format(measures.density * 100, decimals: 0) + "%"
        pairs = measures.pairCount
        within = measures.tiesWithinSpheres
        between = measures.tiesBetweenSpheres
        let byKey = Dictionary(uniqueKeysWithValues: map.actors.map { ($0.key, $0) })
        actors = zip(map.actors, measures.actors).map { actor, m in
            ActorRow(name: actor.name, kind: actor.kind.label, spheres: actor.spheres.map(\.shortLabel).joined(separator: ", "), degree: m.degree,
                     betweenness: DutchNumber.format(m.betweenness, decimals: 2), bridges: m.bridges,
                     reached: m.spheresReached.sorted().map(\.shortLabel).joined(separator: ", "))
        }
        ties = map.ties.map { tie in
            let a = byKey[tie.from], b = byKey[tie.to]
            return TieRow(from: a?.name ?? tie.from, to: b?.name ?? tie.to, kind: tie.kind.label,
                          strength: ["", "zwak", "gemiddeld", "sterk"][max(1, min(3, tie.strength))], between: a?.sphere != b?.sphere)
        }
        bridging = measures.bridging.map { "\($0.name) (\(DutchNumber.format($0.betweenness, decimals: 2)))" }
        isolated = measures.isolated
        self.change = change.map {
            ChangeView(earlier: DutchDate.format($0.earlierDate.day), actorsAdded: $0.actorsAdded, actorsGone: $0.actorsGone, tiesAdded: $0.tiesAdded,
                       tiesGone: $0.tiesGone, density: DutchNumber.difference($0.densityChange * 100, unit: .procent, decimals: 0))
        }
        self.csrf = csrf
    }
}

/// The network drawing: actors coloured by sphere, ties dashed by kind and thicker when stronger; bridging
/// actors have a heavy outline. Every element has a title; the tables beside it hold the same data.
enum NetworkChart {
    static func render(_ map: NetworkMap, measures: NetworkMeasures, title: String) -> RenderedSVG {
        let width = 760.0, height = 520.0
        let positions = NetworkLayout.positions(map, width: width, height: height)
        let names = Dictionary(uniqueKeysWithValues: map.actors.map { ($0.key, $0.name) })
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" role="img" aria-labelledby="nw-title" class="network">"#
        s += #"<title id="nw-title">\#(xmlEscape(title))</title>"#
        s += #"<g class="nw-ties">"#
        for tie in map.ties {
            guard let a = positions[tie.from], let b = positions[tie.to] else { continue }
            let label = tr("{0} – {1}: {2}, sterkte {3}", names[tie.from] ?? tie.from, names[tie.to] ?? tie.to, tie.kind.label, tie.strength)
            s += #"<line x1="\#(svgNumber(a.x))" y1="\#(svgNumber(a.y))" x2="\#(svgNumber(b.x))" y2="\#(svgNumber(b.y))" class="nw-tie nw-\#(tie.kind.rawValue)" stroke-width="\#(tie.strength + 1)"><title>\#(xmlEscape(label))</title></line>"#
        }
        s += "</g>"
        let bridging = Set(measures.bridging.map(\.key))
        for (actor, m) in zip(map.actors, measures.actors) {
            guard let p = positions[actor.key] else { continue }
            let r = 10 + 3 * Double(min(m.degree, 6))
            let label = tr("{0} ({1}, {2}): {3} relatie(s)", actor.name, actor.kind.label, actor.spheres.map(\.shortLabel).joined(separator: ", "), m.degree)
                + (bridging.contains(actor.key) ? tr(", verbindt sferen") : "") + (m.degree == 0 ? tr(", geïsoleerd") : "")
            s += #"<g class="nw-actor pg-sphere pg-\#(actor.sphere.rawValue)\#(bridging.contains(actor.key) ? " nw-bridge" : "")"><title>\#(xmlEscape(label))</title>"#
            s += #"<circle cx="\#(svgNumber(p.x))" cy="\#(svgNumber(p.y))" r="\#(svgNumber(r))"/>"#
            s += #"<text x="\#(svgNumber(p.x))" y="\#(svgNumber(p.y + r + 14))" text-anchor="middle" class="nw-label">\#(xmlEscape(actor.name))</text></g>"#
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

// MARK: JSON

struct NetworkJSON: Codable, Sendable {
    struct Actor: Codable, Sendable { var sleutel: String; var naam: String; var soort: String; var sferen: [String]; var relaties: Int; var tussenpositie: Double; var verbindt_sferen: Bool }
    struct Tie: Codable, Sendable { var van: String; var naar: String; var soort: String; var sterkte: Int }
    var id: Int
    var titel: String
    var gebied: String
    var datum: String
    var actoren: [Actor]
    var relaties: [Tie]
    var dichtheid: Double
    var relaties_binnen_sferen: Int
    var relaties_tussen_sferen: Int
    var geisoleerd: [String]
    var url: String

    init(_ map: NetworkMap) {
        let m = NetworkMeasures(map)
        id = map.id
        titel = map.title
        gebied = map.area.rawValue
        datum = map.date.day
        actoren = zip(map.actors, m.actors).map {
            Actor(sleutel: $0.key, naam: $0.name, soort: $0.kind.rawValue, sferen: $0.spheres.map(\.rawValue), relaties: $1.degree,
                  tussenpositie: $1.betweenness, verbindt_sferen: $1.bridges)
        }
        relaties = map.ties.map { Tie(van: $0.from, naar: $0.to, soort: $0.kind.rawValue, sterkte: $0.strength) }
        dichtheid = m.density
        relaties_binnen_sferen = m.tiesWithinSpheres
        relaties_tussen_sferen = m.tiesBetweenSpheres
        geisoleerd = m.isolated
        url = SiteRoute.network(map.gemeente.rawValue, map.id).path
    }
}

