import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/beheer/ggd-koppeling`: the beheerder's table from the subjects in GGD exports to catalogue indicators (issue 18).
/// The catalogue's own names (id, name, `kolommen`) need no row; a row adds a name a GGD uses, or overrides one.
struct GGDMappingController: Sendable {
    let store: any Store & GGDMappingStore
    let renderer: PageRenderer

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.mapSources, returnTo: SiteRoute.ggdMapping.path)
        return try await page(context: context)
    }

    /// POST (onderwerp, indicator): saves a mapping.
    func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.mapSources)
        let subject = (context.form["onderwerp"] ?? "").trimmedWhitespace
        let indicator = context.form["indicator"] ?? ""
        do {
            try await store.setGGDMapping(subject: subject, indicator: indicator, actor: account.username)
        } catch let error as GGDMappingError {
            return try await page(context: context, errors: [error.description], subject: subject, indicator: indicator, status: .badRequest)
        }
        return try await page(context: context, message: "Vastgelegd: '\(subject)' hoort bij \(context.catalog[indicator]?.name ?? indicator).")
    }

    /// POST `…/ggd-koppeling/verwijderen` (onderwerp): removes a mapping.
    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.mapSources)
        let subject = (context.form["onderwerp"] ?? "").trimmedWhitespace
        try await store.removeGGDMapping(subject: subject, actor: account.username)
        return try await page(context: context, message: "Koppeling voor '\(subject)' verwijderd.")
    }

    func page(context: AppRequestContext, message: String? = nil, errors: [String] = [], subject: String = "", indicator: String = "",
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let rows = try await store.ggdMappingRows()
        let page = GGDMappingPage(rows: rows, catalog: context.catalog, csrf: context.csrfToken, message: message, errors: errors,
                                  subject: subject, indicator: indicator)
        return renderer.response(page, chrome: context.chrome, status: status)
    }
}

/// View model of `pages/ggd-mapping.mustache`.
struct GGDMappingPage: Sendable {
    struct Row: Sendable { var subject: String; var indicatorName: String; var indicatorURL: String; var changed: String }
    struct Default: Sendable { var indicatorName: String; var indicatorURL: String; var names: String }
    var pageTitle = "GGD-koppeling — pbmonitor"
    var formAction = SiteRoute.ggdMapping.path
    var removeAction = SiteRoute.action(.ggdMappingRemove).path
    var csrf: String
    var rows: [Row]
    var defaults: [Default]
    var options: [Option]
    var subject: String
    var message: String?
    var errors: [String]

    init(rows: [GGDMappingRow], catalog: Catalog, csrf: String, message: String?, errors: [String], subject: String, indicator: String) {
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
        self.errors = errors
    }
}
