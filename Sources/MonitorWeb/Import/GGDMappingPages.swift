import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/ggd-mapping.mustache`.
struct GGDMappingPage: Sendable {
    struct Row: Sendable { var subject: String; var indicatorName: String; var indicatorURL: String; var changed: String }
    struct Default: Sendable { var indicatorName: String; var indicatorURL: String; var names: String }
    var pageTitle = tr("GGD-koppeling — Monitor pedagogische basis")
    var formAction = SiteRoute.ggdMapping.path
    var removeAction = SiteRoute.action(.ggdMappingRemove).path
    var csrf: String
    var rows: [Row]
    var defaults: [Default]
    var options: [Option]
    var subject: String
    var message: String?
    /// A refused mapping: its problem at the field it concerns and in a summary.
    var feedback: FormFeedback

    static var fields: [(id: String, label: String)] {
        [("onderwerp", tr("Onderwerp zoals het in de export staat")), ("indicator", tr("Indicator (alleen percentages)"))]
    }

    init(rows: [GGDMappingRow], catalog: Catalog, csrf: String, message: String?, feedback: FormFeedback, subject: String, indicator: String) {
        self.csrf = csrf
        self.rows = rows.map { row in
            Row(subject: row.subject, indicatorName: catalog[row.indicator]?.name ?? row.indicator, indicatorURL: SiteRoute.indicator(row.indicator).path,
                changed: "\(row.changedBy), \(DutchDate.format(row.changedAt))")
        }
        let percentages = catalog.indicators.filter(GGDImporter.canFeed)
        defaults = percentages.filter { $0.source.publisher.hasPrefix("GGD") }.map { indicator in
            Default(indicatorName: indicator.name, indicatorURL: SiteRoute.indicator(indicator.id).path,
                    names: GGDImporter.ownNames(indicator).joined(separator: " · "))
        }
        options = percentages.map { Option(value: $0.id, label: "\($0.name) (\($0.id))", selected: $0.id == indicator) }
        self.subject = subject
        self.message = message
        self.feedback = feedback
    }
}
