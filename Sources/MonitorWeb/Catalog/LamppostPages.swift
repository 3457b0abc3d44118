import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/lamppost.mustache`.
struct LamppostPage: Sendable {
    static var reportQuote: String { tr("Informatie kan een ‘lantaarnpaaleffect’ hebben. Het gesprek gaat over de informatie die beschikbaar is (in het licht staat); terwijl dat misschien niet is wat er het meest toe doet. Het risico bestaat dat er te weinig aandacht is voor belangrijke zaken die moeilijk meetbaar zijn. (Meten en monitoren in de pedagogische basis, §3.2)") }
    /// The report's words for a cell that is described but not measured (§3.2).
    static var describedOnlyWords: String { tr("beschreven, niet gemeten: belangrijk, maar moeilijk meetbaar of (nog) niet beschikbaar") }

    struct ReachCount: Sendable { var label: String; var count: Int }
    struct CellView: Sendable {
        var measuredCount: Int
        var describedCount: Int
        var positive: Int
        var level: String
        var isGap: Bool
        var isEmpty: Bool
        var title: String
        var measured: [LinkItem]
        var described: [LinkItem]
        var reach: [ReachCount]
        var css: String
        /// For a cell without figures: "beschreven, niet gemeten", or for one gemeente what there is instead.
        var gapLabel: String
        /// "alleen beschreven", or for one gemeente "zonder eigen cijfer".
        var describedLabel: String
    }
    struct Row: Sendable { var sphere: String; var anchor: String; var cells: [CellView] }
    /// A relation type or a layer of the buitensfeer with its indicators.
    struct TaggedView: Sendable {
        var label: String
        var measured: [LinkItem]
        var described: [LinkItem]
        var isGap: Bool
    }
    struct Count: Sendable { var label: String; var count: Int }

    var pageTitle: String
    var jsonURL: String
    var heading: String
    var gemeenteName: String?
    var profileURL: String?
    var isGemeente: Bool
    var options: [Option]
    var action = SiteRoute.lamppost.path
    var perspectives: [String]
    var rows: [Row]
    var gapCount: Int
    var cellCount: Int
    var gapList: [String]
    var relations: [TaggedView]
    /// The buitensfeer's three layers, in the same shape as the relations.
    var helpLayers: [TaggedView]
    var relationalCount: Int
    var context: [LinkItem]
    var contextCount: Int
    var contextMeasured: Int
    var questions: [Count]
    var framings: [Count]
    var total: Int
    var measuredTotal: Int
    var describedOnlyWords = describedOnlyWords
    var quote = reportQuote
    var houdingCount: String

    static func gapLabel(_ cell: Lamppost.Cell, forGemeente: Bool) -> String {
        if forGemeente, !(cell.byReach[.region] ?? []).isEmpty { return tr("alleen cijfers van de regio") }
        if forGemeente, !(cell.byReach[.national] ?? []).isEmpty { return tr("alleen landelijke cijfers") }
        return tr("beschreven, niet gemeten")
    }

    init(_ l: Lamppost, gemeente: Area? = nil, gemeenten: [Area] = []) {
        func links(_ indicators: [Indicator]) -> [LinkItem] { indicators.map { LinkItem(name: $0.name, url: SiteRoute.indicator($0.id).path) } }
        let name = gemeente?.name
        pageTitle = name.map { tr("Lantaarnpaal van {0}: wat meten we wel en niet? — Monitor pedagogische basis", $0) } ?? tr("Lantaarnpaal: wat meten we wel en niet? — Monitor pedagogische basis")
        jsonURL = gemeente.map { SiteRoute.apiLamppost.url([("gemeente", $0.code.rawValue)]) } ?? SiteRoute.apiLamppost.path
        heading = name.map { tr("Lantaarnpaal van {0}: wat meten we wel, en wat niet?", $0) } ?? tr("Lantaarnpaal: wat meten we wel, en wat niet?")
        gemeenteName = name
        profileURL = gemeente.map { SiteRoute.profile($0.code.rawValue)?.path ?? "" }
        isGemeente = gemeente != nil
        options = gemeenten.map { Option(value: $0.code.rawValue, label: $0.name, selected: $0.code == gemeente?.code) }
        perspectives = Perspective.allCases.map(\.label)
        rows = Sphere.allCases.map { sphere in
            let cells = Perspective.allCases.map { perspective -> CellView in
                let cell = l.cell(sphere, perspective)
                let level = cell.deepestLevel.map { tr("cijfers tot {0}", $0.label) } ?? tr("geen cijfers")
                let reach: [ReachCount] = l.gemeente == nil ? [] : Lamppost.Reach.allCases.map {
                    ReachCount(label: $0.label, count: cell.byReach[$0]?.count ?? 0)
                }
                return CellView(measuredCount: cell.measured.count, describedCount: cell.describedOnly.count, positive: cell.positivelyFramed,
                                level: level, isGap: cell.isGap, isEmpty: cell.indicators.isEmpty,
                                title: "\(sphere.label) × \(perspective.label)", measured: links(cell.measured), described: links(cell.describedOnly),
                                reach: reach,
                                css: cell.isGap ? "gap-cell" : (cell.measured.count < 3 ? "thin-cell" : "lit-cell"),
                                gapLabel: Self.gapLabel(cell, forGemeente: l.gemeente != nil),
                                describedLabel: l.gemeente == nil ? tr("alleen beschreven") : tr("zonder eigen cijfer"))
            }
            return Row(sphere: sphere.label, anchor: "sfeer-\(sphere.rawValue)", cells: cells)
        }
        gapCount = l.gaps.count
        cellCount = l.cells.count
        gapList = l.gaps.map { cell in
            let what = cell.indicators.isEmpty ? tr("geen indicator") : tr("{0} beschreven, niet gemeten", cell.describedOnly.count)
            return "\(cell.sphere.shortLabel) × \(cell.perspective.label.lowercased()): \(what)"
        }
        func tagged<Tag>(_ rows: [Lamppost.Tagged<Tag>], label: (Tag) -> String) -> [TaggedView] {
            rows.map { TaggedView(label: label($0.tag), measured: links($0.measured), described: links($0.describedOnly), isGap: $0.measured.isEmpty) }
        }
        relations = tagged(l.relations, label: \.label)
        helpLayers = tagged(l.helpLayers, label: \.label)
        relationalCount = l.relationalIndicators
        context = links(l.context)
        contextCount = l.context.count
        contextMeasured = l.contextMeasured
        questions = l.byQuestion.map { Count(label: $0.question.label, count: $0.count) }
        framings = l.byFraming.map { Count(label: "\($0.framing.rawValue) geformuleerd", count: $0.count) }
        total = l.total
        measuredTotal = l.measuredTotal
        houdingCount = DutchNumber.count(l.cells.filter { $0.perspective == .houding }.reduce(into: Set<String>()) { $0.formUnion($1.measured.map(\.id)) }.count,
                                         "indicator met cijfers zegt", "indicatoren met cijfers zeggen")
    }
}
