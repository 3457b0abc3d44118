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
            let field = error == .emptySubject ? "onderwerp" : "indicator"
            let feedback = FormFeedback(problems: [(field, error.description)], fields: GGDMappingPage.fields, typed: ["onderwerp": subject])
            return try await page(context: context, feedback: feedback, subject: subject, indicator: indicator, status: .badRequest)
        }
        return try await page(context: context, message: tr("Vastgelegd: '{0}' hoort bij {1}.", subject, context.catalog[indicator]?.name ?? indicator))
    }

    /// POST `…/ggd-koppeling/verwijderen` (onderwerp): removes a mapping.
    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.mapSources)
        let subject = (context.form["onderwerp"] ?? "").trimmedWhitespace
        try await store.removeGGDMapping(subject: subject, actor: account.username)
        return try await page(context: context, message: tr("Koppeling voor '{0}' verwijderd.", subject))
    }

    func page(context: AppRequestContext, message: String? = nil, feedback: FormFeedback = FormFeedback(), subject: String = "",
              indicator: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let rows = try await store.ggdMappingRows()
        let page = GGDMappingPage(rows: rows, catalog: context.catalog, csrf: context.csrfToken, message: message, feedback: feedback,
                                  subject: subject, indicator: indicator)
        return renderer.response(page, chrome: context.chrome, status: status)
    }
}

