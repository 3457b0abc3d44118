import Foundation
import Hummingbird
import Monitor
import MonitorStore

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
    var pageTitle = tr("Meetlast: wat kost een cijfer en wordt het gebruikt? — Monitor pedagogische basis")
    var jsonURL = SiteRoute.apiBurden.path
    var rows: [Row]
    var flaggedCount: Int
    var totalHours: String
    var threshold = BurdenPage.threshold

    init(_ ledger: BurdenController.Ledger) {
        rows = ledger.rows.map { indicator, uses in
            let b = indicator.burden
            let burden = b.hasBurden
                ? tr("{0} min × {1} respondenten = {2} uur per meetronde", DutchNumber.format(b.minutesPerRespondent, decimals: 1), DutchNumber.format(Double(b.respondentsPerPeriod), decimals: 0), DutchNumber.format(b.minutesPerPeriod / 60, decimals: 0))
                : tr("0 (bestaand register)")
            return Row(name: indicator.name, url: SiteRoute.indicator(indicator.id).path, producer: b.producer.label, burden: burden,
                       assumption: b.assumption, views: uses.pageViews, references: uses.dialogueReferences,
                       flagged: b.isFlagged(uses: uses.total, threshold: BurdenPage.threshold))
        }
        flaggedCount = rows.filter(\.flagged).count
        totalHours = DutchNumber.format(ledger.rows.reduce(0) { $0 + $1.indicator.burden.minutesPerPeriod } / 60, decimals: 0)
    }
}
