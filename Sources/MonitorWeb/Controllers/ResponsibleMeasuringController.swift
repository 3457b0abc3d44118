import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Lantaarnpaal and meetlast: what the monitor measures, what it does not, and at what cost.
struct ResponsibleMeasuringController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    func lamppost() async throws -> Lamppost {
        Lamppost(catalog: store.catalog, coverage: try await store.coverage())
    }

    /// The privacy rules in words, with what disclosure control hides in this installation right now.
    func privacyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (byReason, positions) = try await store.disclosureCounts()
        return renderer.response(PrivacyPage(byReason: byReason, positions: positions), template: "pages/privacy")
    }

    func lamppostPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = LamppostPage(try await lamppost())
        return renderer.response(page, template: "pages/lamppost", jsonAlternate: page.jsonURL)
    }

    struct LamppostBody: Encodable, Sendable {
        struct CellDTO: Encodable, Sendable {
            var sfeer: String
            var perspectief: String
            var indicatoren: [String]
            var aantal: Int
            var positief_geformuleerd: Int
            var diepste_niveau: String?
            var leemte: Bool
        }
        var ok = true
        var cellen: [CellDTO]
        var leemtes: [CellDTO]
        var relaties_weefsel: Int
        var kennisvragen: [String: Int]
        var lading: [String: Int]
        var totaal: Int
        var toelichting = LamppostPage.reportQuote
    }

    func lamppostJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let l = try await lamppost()
        let cells = l.cells.map {
            LamppostBody.CellDTO(sfeer: $0.sphere.rawValue, perspectief: $0.perspective.rawValue, indicatoren: $0.indicators.map(\.id),
                                 aantal: $0.indicators.count, positief_geformuleerd: $0.positivelyFramed,
                                 diepste_niveau: $0.deepestLevel?.rawValue, leemte: $0.isGap)
        }
        let body = LamppostBody(cellen: cells, leemtes: cells.filter(\.leemte), relaties_weefsel: l.relationalIndicators,
                                kennisvragen: Dictionary(uniqueKeysWithValues: l.byQuestion.map { ($0.question.rawValue, $0.count) }),
                                lading: Dictionary(uniqueKeysWithValues: l.byFraming.map { ($0.framing.rawValue, $0.count) }), totaal: l.total)
        return try JSONResponse.make(body, htmlAlternate: SiteRoute.lantaarnpaal.path)
    }

    struct Ledger: Sendable {
        var rows: [(indicator: Indicator, uses: IndicatorUsage)]
    }

    func ledger() async throws -> Ledger {
        let usage = try await store.usage()
        return Ledger(rows: store.catalog.indicators.map { ($0, usage[$0.id] ?? IndicatorUsage()) })
    }

    func burdenPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = BurdenPage(try await ledger())
        return renderer.response(page, template: "pages/burden", jsonAlternate: page.jsonURL)
    }

    struct BurdenBody: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var indicator: String
            var naam: String
            var producent: String
            var minuten_per_respondent: Double
            var respondenten_per_periode: Int
            var minuten_per_periode: Double
            var aanname: String
            var paginaweergaven: Int
            var verwijzingen_uit_gesprekken: Int
            var gebruik: Int
            var gemarkeerd: Bool
        }
        var ok = true
        var items: [Row]
        var total: Int
        var drempel = BurdenPage.threshold
    }

    func burdenJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await ledger().rows.map { indicator, uses in
            BurdenBody.Row(indicator: indicator.id, naam: indicator.name, producent: indicator.burden.producer.rawValue,
                           minuten_per_respondent: indicator.burden.minutesPerRespondent,
                           respondenten_per_periode: indicator.burden.respondentsPerPeriod,
                           minuten_per_periode: indicator.burden.minutesPerPeriod, aanname: indicator.burden.assumption,
                           paginaweergaven: uses.pageViews, verwijzingen_uit_gesprekken: uses.dialogueReferences, gebruik: uses.total,
                           gemarkeerd: indicator.burden.isFlagged(uses: uses.total, threshold: BurdenPage.threshold))
        }
        return try JSONResponse.make(BurdenBody(items: rows, total: rows.count), htmlAlternate: SiteRoute.meetlast.path)
    }
}

/// View model of `pages/lamppost.mustache`.
struct LamppostPage: Sendable {
    static let reportQuote = "Informatie kan een ‘lantaarnpaaleffect’ hebben. Het gesprek gaat over de informatie die beschikbaar is (in het licht staat); terwijl dat misschien niet is wat er het meest toe doet. Het risico bestaat dat er te weinig aandacht is voor belangrijke zaken die moeilijk meetbaar zijn. (Meten en monitoren in de pedagogische basis, §3.2)"

    struct CellView: Sendable {
        var count: Int
        var positive: Int
        var level: String
        var isGap: Bool
        var title: String
        var indicators: [LinkItem]
        var css: String
    }
    struct Row: Sendable { var sphere: String; var anchor: String; var cells: [CellView]; var total: Int }
    struct Count: Sendable { var label: String; var count: Int }

    var pageTitle = "Lantaarnpaal: wat meten we wel en niet? — pbmonitor"
    var jsonURL = SiteRoute.apiLantaarnpaal.path
    var perspectives: [String]
    var rows: [Row]
    var gapCount: Int
    var cellCount: Int
    var gapList: [String]
    var questions: [Count]
    var framings: [Count]
    var total: Int
    var quote = reportQuote
    var houdingCount: Int

    init(_ l: Lamppost) {
        perspectives = Perspective.allCases.map(\.label)
        rows = Sphere.allCases.map { sphere in
            let cells = Perspective.allCases.map { perspective -> CellView in
                let cell = l.cell(sphere, perspective)
                let level = cell.deepestLevel.map { "tot \($0.label)" } ?? "geen gegevens"
                return CellView(count: cell.indicators.count, positive: cell.positivelyFramed, level: level, isGap: cell.isGap,
                                title: "\(sphere.label) × \(perspective.label)",
                                indicators: cell.indicators.map { LinkItem(name: $0.name, url: SiteRoute.indicator($0.id).path) },
                                css: cell.isGap ? "gap-cell" : (cell.indicators.count < 3 ? "thin-cell" : "lit-cell"))
            }
            return Row(sphere: sphere.label, anchor: "sfeer-\(sphere.rawValue)", cells: cells,
                       total: Set(cells.flatMap { $0.indicators.map(\.url) }).count)
        }
        gapCount = l.gaps.count
        cellCount = l.cells.count
        gapList = l.gaps.map { "\($0.sphere.shortLabel) × \($0.perspective.label.lowercased())" }
        questions = l.byQuestion.map { Count(label: $0.question.label, count: $0.count) }
        framings = l.byFraming.map { Count(label: "\($0.framing.rawValue) geformuleerd", count: $0.count) }
        total = l.total
        houdingCount = l.cells.filter { $0.perspective == .houding }.reduce(into: Set<String>()) { $0.formUnion($1.indicators.map(\.id)) }.count
    }
}

/// View model of `pages/burden.mustache`.
struct BurdenPage: Sendable {
    static let threshold = 10

    struct Row: Sendable {
        var name: String
        var url: String
        var producer: String
        var burden: String
        var assumption: String
        var views: Int
        var references: Int
        var flagged: Bool
    }
    var pageTitle = "Meetlast: wat kost een cijfer en wordt het gebruikt? — pbmonitor"
    var jsonURL = SiteRoute.apiMeetlast.path
    var rows: [Row]
    var flaggedCount: Int
    var totalHours: String
    var threshold = BurdenPage.threshold

    init(_ ledger: ResponsibleMeasuringController.Ledger) {
        rows = ledger.rows.map { indicator, uses in
            let b = indicator.burden
            let burden = b.hasBurden
                ? "\(DutchNumber.format(b.minutesPerRespondent, decimals: 1)) min × \(DutchNumber.format(Double(b.respondentsPerPeriod), decimals: 0)) respondenten = \(DutchNumber.format(b.minutesPerPeriod / 60, decimals: 0)) uur per meetronde"
                : "0 (bestaand register)"
            return Row(name: indicator.name, url: SiteRoute.indicator(indicator.id).path, producer: b.producer.label, burden: burden,
                       assumption: b.assumption, views: uses.pageViews, references: uses.dialogueReferences,
                       flagged: b.isFlagged(uses: uses.total, threshold: BurdenPage.threshold))
        }
        flaggedCount = rows.filter(\.flagged).count
        totalHours = DutchNumber.format(ledger.rows.reduce(0) { $0 + $1.indicator.burden.minutesPerPeriod } / 60, decimals: 0)
    }
}

/// View model of `pages/privacy.mustache`.
struct PrivacyPage: Sendable {
    struct Row: Sendable { var reason: String; var explanation: String; var count: String; var share: String }
    var pageTitle = "Privacy: wat de monitor niet laat zien — pbmonitor"
    var rows: [Row]
    var positions: String
    var hidden: String
    var hiddenShare: String

    init(byReason: [DisclosureControl.Reason: Int], positions: Int) {
        func share(_ count: Int) -> String {
            positions > 0 ? DutchNumber.format(Double(count) / Double(positions) * 100, unit: .procent, decimals: 1) : "—"
        }
        let explanations: [DisclosureControl.Reason: String] = [
            .primary: "rust op minder dan 10 personen (of is door de bron geheimgehouden)",
            .complementary: "zelf groot genoeg, maar verborgen zodat een klein aantal elders niet als verschil terug te rekenen is",
            .derived: "een percentage of aantal per 1.000 waarvan de teller of noemer verborgen is",
        ]
        rows = [DisclosureControl.Reason.primary, .complementary, .derived].map { reason in
            Row(reason: reason.rawValue, explanation: explanations[reason] ?? "", count: DutchNumber.format(Double(byReason[reason] ?? 0), decimals: 0),
                share: share(byReason[reason] ?? 0))
        }
        let total = byReason.values.reduce(0, +)
        self.positions = DutchNumber.format(Double(positions), decimals: 0)
        hidden = DutchNumber.format(Double(total), decimals: 0)
        hiddenShare = share(total)
    }
}
