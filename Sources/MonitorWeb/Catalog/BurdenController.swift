import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/meetlast`: per indicator who produces the data, the estimated measurement burden and how much it is used.
struct BurdenController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    struct Ledger: Sendable {
        var rows: [(indicator: Indicator, uses: IndicatorUsage)]
    }

    func ledger(catalog: Catalog) async throws -> Ledger {
        let usage = try await store.usage()
        return Ledger(rows: catalog.indicators.map { ($0, usage[$0.id] ?? IndicatorUsage()) })
    }

    func burdenPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = BurdenPage(try await ledger(catalog: context.catalog))
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct BurdenBody: Codable, Sendable {
        struct Row: Codable, Sendable {
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
        let rows = try await ledger(catalog: context.catalog).rows.map { indicator, uses in
            BurdenBody.Row(indicator: indicator.id, naam: indicator.name, producent: indicator.burden.producer.rawValue,
                           minuten_per_respondent: indicator.burden.minutesPerRespondent,
                           respondenten_per_periode: indicator.burden.respondentsPerPeriod,
                           minuten_per_periode: indicator.burden.minutesPerPeriod, aanname: indicator.burden.assumption,
                           paginaweergaven: uses.pageViews, verwijzingen_uit_gesprekken: uses.dialogueReferences, gebruik: uses.total,
                           gemarkeerd: indicator.burden.isFlagged(uses: uses.total, threshold: BurdenPage.threshold))
        }
        return try JSONResponse.make(BurdenBody(items: rows, total: rows.count), htmlAlternate: SiteRoute.burden.path)
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
    var jsonURL = SiteRoute.apiBurden.path
    var rows: [Row]
    var flaggedCount: Int
    var totalHours: String
    var threshold = BurdenPage.threshold

    init(_ ledger: BurdenController.Ledger) {
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
