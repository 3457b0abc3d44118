import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Informal network maps per wijk: entered by the gemeente's professionals with plain forms (numbered actor and
/// tie rows), drawn as SVG with a deterministic force-directed layout, with density, ties between spheres,
/// bridging actors, isolated actors, and the change since the previous map of the same wijk.
struct NetworkController: RecordPages {
    typealias Record = NetworkMap
    let store: any Store & NetworkStore & PublicationStore
    let renderer: PageRenderer
    var publications: any Store & PublicationStore { store }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var form = NetworkForm(today: context.clock.today)
        form.area = request.uri.queryParameters.get("wijk") ?? ""
        return try await listPage(gemeente: gemeente, context: context, form: form)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let maps = try await store.networks(gemeente: gemeente.code, includeConcepts: false)
        return try JSONResponse.make(GemeenteListBody(gemeente: gemeente, items: maps.map(NetworkJSON.init)),
                                     htmlAlternate: SiteRoute.networks(gemeente.code.rawValue).path)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        var form = NetworkForm(context.form)
        try await form.resolveWijk(among: store.areas(inGemeente: gemeente.code))
        let map = form.map(gemeente: gemeente.code)
        var problems = form.problems
        if let map {
            problems += map.partProblems()
            if try await store.area(map.area) == nil { problems.append((.area, tr("de monitor kent gebied {0} niet", map.area.rawValue))) }
            if problems.isEmpty {
                do {
                    let saved = try await store.saveNetwork(map, actor: account.username)
                    return Response(status: .seeOther, headers: [.location: SiteRoute.network(gemeente.code.rawValue, saved.id).path])
                } catch let error as RecordError {
                    problems.append((.other, error.description))
                }
            }
        }
        return try await listPage(gemeente: gemeente, context: context, form: form, feedback: FormFeedback(problems: problems, fields: NetworkForm.fields), status: .badRequest)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let map = try await record(context, in: gemeente, returnTo: request.uri.path)
        return try await detailResponse(map, gemeente: gemeente, request: request, context: context,
                                        jsonAlternate: SiteRoute.apiNetworks(gemeente.code.rawValue).path)
    }

    /// POST `…/{id}/wijzigen`: saves the form over a concept.
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let old = try await record(context, in: gemeente, returnTo: nil)
        var parsed = NetworkForm(context.form)
        try await parsed.resolveWijk(among: store.areas(inGemeente: gemeente.code))
        var problems = parsed.problems
        if var updated = parsed.map(gemeente: gemeente.code) {
            updated.id = old.id
            problems += updated.partProblems()
            if let response = try await saved(&problems, refusal: { (.other, $0) }, { try await store.saveNetwork(updated, actor: account.username) }) {
                return response
            }
        }
        var page = try await detailPage(old, gemeente: gemeente, context: context)
        page.edit = parsed.view(csrf: context.csrfToken)
        page.feedback = FormFeedback(problems: problems, fields: NetworkForm.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    // MARK: Helpers

    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> NetworkMap {
        try context.visibleRecord(try await store.network(id: context.recordID), of: gemeente.code, owner: \.gemeente,
                                  isPublished: { $0.status == .gepubliceerd }, returnTo: returnTo, notFound: tr("Deze netwerkkaart bestaat niet (bij deze gemeente)."))
    }

    func listPage(gemeente: Area, context: AppRequestContext, form: NetworkForm, feedback: FormFeedback = FormFeedback(),
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        var names: [AreaCode: String] = [:]
        for area in try await store.areas(inGemeente: gemeente.code) { names[area.code] = area.name }
        let maps = try await store.networks(gemeente: gemeente.code, includeConcepts: mayRead)
        var page = NetworkListPage(gemeente: gemeente, maps: maps, names: names)
        if context.account?.may(.editGemeente(gemeente.code)) == true { page.form = form.view(csrf: context.csrfToken) }
        page.feedback = feedback
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: page.jsonURL)
    }

    func detailPage(_ map: NetworkMap, gemeente: Area, context: AppRequestContext) async throws -> NetworkPage {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        // The previous map of the same area, as far as this visitor may see maps.
        let earlier = try await store.networks(gemeente: gemeente.code, includeConcepts: mayRead)
            .filter { $0.area == map.area && $0.id != map.id && $0.date.day < map.date.day }
            .max { $0.date.day < $1.date.day }
        var page = NetworkPage(map: map, gemeente: gemeente, areaName: try await store.area(map.area)?.name ?? map.area.rawValue,
                               change: earlier.map { NetworkChange(from: $0, to: map) }, csrf: context.csrfToken)
        let account = context.account
        if map.status == .concept, account?.may(.editGemeente(gemeente.code)) == true { page.edit = NetworkForm(map).view(csrf: context.csrfToken) }
        page.publication = PublicationForms(map, context: context)
        return page
    }
}

/// The network form: a title, a wijk, a date, numbered actor rows and numbered tie rows (which refer to actor numbers).
struct NetworkForm: Sendable {
    static let actorRows = 14
    static let tieRows = 24

    struct ActorRow: Sendable { var name = ""; var kind = NetworkMap.Actor.Kind.rol; var spheres: [Sphere] = [] }
    struct TieRow: Sendable { var from = ""; var to = ""; var kind = NetworkMap.Tie.Kind.samenwerking; var strength = 2 }

    var title = ""
    var area = ""
    var date = ""
    var actors = [ActorRow](repeating: ActorRow(), count: actorRows)
    var ties = [TieRow](repeating: TieRow(), count: tieRows)
    var problems: [(part: NetworkMap.Part, message: String)] = []

    /// The form element each part of a map is shown at, in the form's order (`.other`: the form as a whole).
    static var fields: [(part: NetworkMap.Part, id: String, label: String)] { [
        (.title, "titel", tr("Titel")), (.area, "wijk", tr("Wijk")), (.date, "datum", tr("Datum")), (.actors, "actoren", tr("Actoren")), (.ties, "relaties", tr("Relaties")),
    ] }

    init(today: String) {
        date = today
    }

    init(_ map: NetworkMap) {
        title = map.title
        area = map.area.rawValue
        date = map.date.day
        actors = map.actors.map { ActorRow(name: $0.name, kind: $0.kind, spheres: $0.spheres) }
        actors += [ActorRow](repeating: ActorRow(), count: max(0, Self.actorRows - actors.count))
        ties = map.ties.map { TieRow(from: $0.from, to: $0.to, kind: $0.kind, strength: $0.strength) }
        ties += [TieRow](repeating: TieRow(), count: max(0, Self.tieRows - ties.count))
    }

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        title = text("titel")
        let wijk = text("wijk")
        area = AreaCode(wijk.uppercased()) != nil ? wijk.uppercased() : wijk
        date = text("datum")
        actors = (1...max(Self.actorRows, 1)).map { row in
            ActorRow(name: text("actor-naam-\(row)"), kind: NetworkMap.Actor.Kind(rawValue: text("actor-soort-\(row)")) ?? .rol,
                     spheres: [text("actor-sfeer-\(row)"), text("actor-sfeer2-\(row)")].compactMap(Sphere.init(rawValue:)).reduce(into: []) {
                         if !$0.contains($1) { $0.append($1) } })
        }
        ties = (1...max(Self.tieRows, 1)).map { row in
            TieRow(from: text("relatie-van-\(row)"), to: text("relatie-naar-\(row)"),
                   kind: NetworkMap.Tie.Kind(rawValue: text("relatie-soort-\(row)")) ?? .samenwerking,
                   strength: Int(text("relatie-sterkte-\(row)")) ?? 2)
        }
        if ReferenceDate(date) == nil { problems.append((.date, tr("geef de datum als JJJJ-MM-DD"))) }
        for (index, actor) in actors.enumerated() where !actor.name.isEmpty && actor.spheres.isEmpty {
            problems.append((.actors, tr("actor {0}: kies een sfeer", index + 1)))
        }
    }

    /// The wijk as typed: a CBS code, or the name of one of the gemeente's wijken ("Haarlemmerbuurt").
    mutating func resolveWijk(among areas: [Area]) {
        if AreaCode(area) != nil { return }
        let found = AreaNames.resolve(area, among: areas.filter { $0.kind == .wijk })
        if found.count == 1 {
            area = found[0].code.rawValue
        } else if found.isEmpty {
            problems.insert((.area, tr("geen wijk van deze gemeente heet '{0}'; geef de naam of de CBS-code (bijvoorbeeld WK036300)", area)), at: 0)
        } else {
            problems.insert((.area, tr("'{0}' past bij meer wijken: {1}; typ de naam voluit of de code", area, found.prefix(5).map(\.name).joined(separator: ", "))), at: 0)
        }
    }

    func map(gemeente: AreaCode) -> NetworkMap? {
        guard let code = AreaCode(area), let day = ReferenceDate(date) else { return nil }
        let actors = self.actors.enumerated().filter { !$0.element.name.isEmpty && !$0.element.spheres.isEmpty }.map {
            NetworkMap.Actor(key: String($0.offset + 1), name: $0.element.name, kind: $0.element.kind, spheres: $0.element.spheres)
        }
        let ties = self.ties.filter { !$0.from.isEmpty || !$0.to.isEmpty }.map {
            NetworkMap.Tie(from: $0.from, to: $0.to, kind: $0.kind, strength: $0.strength)
        }
        return NetworkMap(gemeente: gemeente, area: code, date: day, title: title, actors: actors, ties: ties)
    }

    struct View: Sendable {
        struct Actor: Sendable { var number: Int; var name: String; var kinds: [Option]; var spheres: [Option]; var secondSpheres: [Option] }
        struct Tie: Sendable { var number: Int; var from: String; var to: String; var kinds: [Option]; var strengths: [Option] }
        var csrf: String?
        var title: String
        var area: String
        var date: String
        var actors: [Actor]
        var ties: [Tie]
    }

    func view(csrf: String?) -> View {
        let none = Option(value: "", label: "—", selected: false)
        return View(csrf: csrf, title: title, area: area, date: date,
                    actors: actors.enumerated().map { index, row in
                        View.Actor(number: index + 1, name: row.name,
                                   kinds: NetworkMap.Actor.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == row.kind) },
                                   spheres: [none] + Sphere.allCases.map { Option(value: $0.rawValue, label: $0.shortLabel, selected: $0 == row.spheres.first) },
                                   secondSpheres: [none] + Sphere.allCases.map {
                                       Option(value: $0.rawValue, label: $0.shortLabel, selected: row.spheres.count > 1 && $0 == row.spheres[1]) })
                    },
                    ties: ties.enumerated().map { index, row in
                        View.Tie(number: index + 1, from: row.from, to: row.to,
                                 kinds: NetworkMap.Tie.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == row.kind) },
                                 strengths: [(1, "zwak"), (2, "gemiddeld"), (3, "sterk")].map {
                                     Option(value: String($0.0), label: $0.1, selected: $0.0 == row.strength) })
                    })
    }
}
