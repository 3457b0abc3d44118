import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/area-show.mustache`: a gemeente, wijk or buurt.
struct AreaShowPage: Sendable {
    /// The shared partial `profile-sections` also serves the report, which adds `missing`; here there is none.
    struct Section: Sendable { var label: String; var anchor: String; var rows: [FigureRow]; var missing: String? = nil }
    struct ChildRow: Sendable { var name: String; var url: String; var code: String; var value: String; var hasValue: Bool }
    struct ChildTable: Sendable {
        var title: String
        var kindPlural: String
        var options: [Option]
        var indicatorName: String
        var indicatorURL: String
        var period: String
        var rows: [ChildRow]
        var formAction: String
        var count: Int
        var downloads: [LinkItem]
    }
    struct Fact: Sendable { var label: String; var value: String; var url: String? }

    var pageTitle: String
    /// Sections under `h2` (the report nests them under its own headings with `h3`).
    var subheadings = false
    /// "Wat zeggen we ervan": published dialogue records about this area.
    var dialogue: DialogueBlock?
    var jsonURL: String
    var name: String
    var code: String
    var kindLabel: String
    var breadcrumbs: [LinkItem]
    var facts: [Fact]
    var referenceNames: [String]
    var referenceSentence: String
    var sections: [Section]
    var childTable: ChildTable?
    var peersURL: String?
    var mapURL: String?
    var conversationBoardURL: String?
    var reportURL: String?
    var expectedCareURL: String?
    var interventionsURL: String?
    var networksURL: String?
    var facilitiesURL: String?
    var hasPeers: Bool
    var attribution = BundledData.attribution

    init(profile: AreaController.Profile, catalog: Catalog) {
        let area = profile.area
        let code = area.code.rawValue
        name = area.name
        self.code = code
        kindLabel = area.kind.title
        pageTitle = "\(area.name) (\(area.kind.label)) — Monitor pedagogische basis"
        jsonURL = (area.kind == .gemeente ? SiteRoute.apiMunicipality(code) : area.kind == .wijk ? SiteRoute.apiDistrict(code) : SiteRoute.apiNeighbourhood(code)).path
        var crumbs = [LinkItem(name: "Gemeenten", url: SiteRoute.municipalities.path)]
        for parent in profile.parents.reversed() where parent.kind == .gemeente || parent.kind == .wijk {
            crumbs.append(LinkItem(name: parent.name, url: SiteRoute.profile(parent.code.rawValue)?.path ?? "#"))
        }
        breadcrumbs = crumbs
        facts = profile.parents.map { parent in
            Fact(label: parent.kind.title, value: parent.name,
                 url: SiteRoute.profile(parent.code.rawValue)?.path)
        } + [Fact(label: "CBS-code", value: code, url: nil), Fact(label: "Gebiedsindeling", value: String(area.indelingYear), url: nil)]
        referenceNames = profile.references.map(\.name)
        referenceSentence = referenceNames.count > 1
            ? referenceNames.dropLast().joined(separator: ", ") + " en " + referenceNames.last!
            : referenceNames.joined()
        sections = ProfileRows.build(catalog: catalog, area: area.code, references: profile.references, observations: profile.observations,
                                     peers: profile.peers, changes: profile.changes, regional: profile.regional)
            .map { Section(label: $0.sphere.label, anchor: "sfeer-\($0.sphere.rawValue)", rows: $0.rows) }
        hasPeers = !profile.peers.isEmpty
        if area.kind == .gemeente {
            peersURL = SiteRoute.peers(code).path
            conversationBoardURL = SiteRoute.conversationBoard(code).path
            reportURL = SiteRoute.report(code).path
            expectedCareURL = SiteRoute.expectedCare.url([("niveau", "wijk"), ("gemeente", code)])
            interventionsURL = SiteRoute.interventions(code).path
            networksURL = SiteRoute.networks(code).path
            facilitiesURL = SiteRoute.facilities(code).path
            mapURL = SiteRoute.map(profile.childIndicator.id).url([("niveau", "wijk"), ("gemeente", code)])
        }
        if let childKind = profile.childKind {
            let indicator = profile.childIndicator
            let plural = childKind == .wijk ? "wijken" : "buurten"
            childTable = ChildTable(
                title: "De \(plural) van \(area.name)", kindPlural: plural,
                options: catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: $0.id == indicator.id) },
                indicatorName: indicator.name, indicatorURL: SiteRoute.indicator(indicator.id).path,
                period: profile.childPeriod ?? "—",
                rows: profile.children.map { child in
                    let text = FigureText(profile.childObservations[child.code], indicator: indicator)
                    return ChildRow(name: child.name, url: SiteRoute.profile(child.code.rawValue)?.path ?? "#",
                                    code: child.code.rawValue, value: text.value, hasValue: text.hasValue)
                },
                formAction: SiteRoute.profile(code)?.path ?? "#", count: profile.children.count,
                downloads: ExportController.links(indicator: indicator.id, parameters: [
                    ("niveau", childKind.rawValue), ("gemeente", area.gemeente?.rawValue), ("periode", profile.childPeriod)]))
        }
    }
}
