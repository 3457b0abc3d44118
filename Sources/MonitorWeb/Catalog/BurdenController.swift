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

