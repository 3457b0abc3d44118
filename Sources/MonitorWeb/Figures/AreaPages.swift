import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/area-show.mustache`: a gemeente, wijk or buurt.
struct AreaShowPage: Sendable {
    /// The shared partial `profile-sections` also serves the report, which adds `missing`; here there is none.
    struct Section: Sendable {
        var label: String; var anchor: String; var rows: [FigureRow]; var missing: String? = nil
        /// Indicators of this sphere without any figure for the area, in one line instead of empty rows.
        var missingItems: [MissingItem] = []
    }
    struct MissingItem: Sendable { var name: String; var url: String }
    /// One line of the summary at the top: a sphere, how much of it has figures, where it differs from similar gemeenten.
    struct SummaryLine: Sendable { var label: String; var anchor: String?; var text: String }
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
    /// "In het kort": per sphere one line, and what changed most.
    var summary: [SummaryLine]
    var changeSummary: String
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
    var lamppostURL = SiteRoute.lamppost.path
    var attribution = BundledData.attribution

    init(profile: AreaController.Profile, catalog: Catalog) {
        let area = profile.area
        let code = area.code.rawValue
        name = area.name
        self.code = code
        kindLabel = area.kind.title
        pageTitle = tr("{0} ({1}) — Monitor pedagogische basis", area.name, area.kind.label)
        jsonURL = (area.kind == .gemeente ? SiteRoute.apiMunicipality(code) : area.kind == .wijk ? SiteRoute.apiDistrict(code) : SiteRoute.apiNeighbourhood(code)).path
        var crumbs = [LinkItem(name: tr("Gemeenten"), url: SiteRoute.municipalities.path)]
        for parent in profile.parents.reversed() where parent.kind == .gemeente || parent.kind == .wijk {
            crumbs.append(LinkItem(name: parent.name, url: SiteRoute.profile(parent.code.rawValue)?.path ?? "#"))
        }
        breadcrumbs = crumbs
        facts = profile.parents.map { parent in
            Fact(label: parent.kind.title, value: parent.name,
                 url: SiteRoute.profile(parent.code.rawValue)?.path)
        } + [Fact(label: "CBS-code", value: code, url: nil), Fact(label: tr("Gebiedsindeling"), value: String(area.indelingYear), url: nil)]
        referenceNames = profile.references.map(\.name)
        referenceSentence = DutchNumber.list(referenceNames)
        let built = ProfileRows.build(catalog: catalog, area: area.code, references: profile.references, observations: profile.observations,
                                      peers: profile.peers, changes: profile.changes, regional: profile.regional)
        hasPeers = !profile.peers.isEmpty
        // Rows without any figure (not even a hidden or regional one) fold into one line per sphere.
        sections = built.map { sphere, rows in
            let empty = rows.filter { !$0.hasValue && $0.note == nil && $0.regionNote == nil && $0.value == FigureText.noData }
            let emptyIDs = Set(empty.map(\.indicatorID))
            return Section(label: sphere.label, anchor: "sfeer-\(sphere.rawValue)", rows: rows.filter { !emptyIDs.contains($0.indicatorID) },
                           missingItems: empty.map { MissingItem(name: $0.indicatorName, url: $0.indicatorURL) })
        }
        // The summary speaks of the basis; context (population, income, distances) helps explain it and gets a line of its own.
        let contextIDs = Set(catalog.indicators.filter { $0.role == .context }.map(\.id))
        summary = built.map { sphere, rows in
            SummaryLine(label: sphere.label, anchor: "sfeer-\(sphere.rawValue)",
                        text: Self.summaryText(rows.filter { !contextIDs.contains($0.indicatorID) }, hasPeers: !profile.peers.isEmpty))
        }
        let contextRows = built.flatMap(\.rows).filter { contextIDs.contains($0.indicatorID) }
        if !contextRows.isEmpty {
            summary.append(SummaryLine(label: tr("Context"), anchor: nil,
                                       text: Self.summaryText(contextRows, hasPeers: !profile.peers.isEmpty)
                                        + tr(" Context helpt de basis duiden, maar telt niet mee als basis.")))
        }
        changeSummary = Self.changeText(built.flatMap(\.rows).filter { !contextIDs.contains($0.indicatorID) })
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
            let plural = childKind == .wijk ? tr("wijken") : tr("buurten")
            childTable = ChildTable(
                title: tr("De {0} van {1}", plural, area.name), kindPlural: plural,
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

extension AreaShowPage {
    /// "12 van 25 indicatoren met een cijfer; hoger dan bij alle vergelijkbare gemeenten: A; lager: B." — a description
    /// in neutral words, never a verdict.
    static func summaryText(_ rows: [FigureRow], hasPeers: Bool) -> String {
        // A figure of the region (a GGD-regio's survey) is not the area's own: counted apart, never as if it were.
        let own = rows.filter { $0.hasValue && $0.regionNote == nil }.count
        let regional = rows.filter { $0.hasValue && $0.regionNote != nil }.count
        guard !rows.isEmpty else { return tr("geen indicatoren.") }
        guard own + regional > 0 else {
            return rows.count == 1 ? tr("de indicator heeft hier nog geen cijfer.") : tr("geen van de {0} indicatoren heeft hier een cijfer.", rows.count)
        }
        guard own > 0 else {
            return regional == 1 ? tr("geen eigen cijfer; {0} van de {1} heeft alleen een cijfer van de regio.", regional, rows.count)
                : tr("geen eigen cijfer; {0} van de {1} hebben alleen een cijfer van de regio.", regional, rows.count)
        }
        var text = tr("{0} van {1} met een cijfer", own, DutchNumber.count(rows.count, "indicator", "indicatoren"))
        if regional > 0 { text += tr(" (en {0} met alleen een cijfer van de regio)", regional) }
        guard hasPeers else { return text + "." }
        let compared = rows.filter { $0.peerPosition != nil }
        guard !compared.isEmpty else { return text + tr("; geen vergelijking met vergelijkbare gemeenten mogelijk.") }
        let above = compared.filter { $0.peerPosition == .above }.map(\.indicatorName)
        let below = compared.filter { $0.peerPosition == .below }.map(\.indicatorName)
        if above.isEmpty && below.isEmpty {
            return text + (compared.count == 1 ? tr("; het vergeleken cijfer ligt") : tr("; alle {0} vergeleken cijfers liggen", compared.count))
                + tr(" binnen de spreiding van vergelijkbare gemeenten.")
        }
        var parts: [String] = []
        if !above.isEmpty { parts.append(tr("hoger dan bij alle vergelijkbare gemeenten: ") + above.joined(separator: ", ")) }
        if !below.isEmpty { parts.append(tr("lager dan bij alle vergelijkbare gemeenten: ") + below.joined(separator: ", ")) }
        text += "; " + parts.joined(separator: "; ")
        return text + "."
    }

    /// The figures that moved most since their previous period (at least 5 %), at most three.
    static func changeText(_ rows: [FigureRow]) -> String {
        let moved = rows.compactMap { row -> (FigureRow, Double)? in
            guard row.hasValue, let change = row.relativeChange, abs(change) >= 0.05, row.trendText != nil else { return nil }
            return (row, change)
        }.sorted { abs($0.1) > abs($1.1) }
        guard !moved.isEmpty else { return tr("Geen cijfer van de basis verschoof 5% of meer sinds de periode ervoor.") }
        return tr("Grootste verschuivingen in de basis sinds de periode ervoor: ")
            + moved.prefix(3).map { "\($0.0.indicatorName) (\($0.0.trendText!))" }.joined(separator: "; ") + "."
    }
}

