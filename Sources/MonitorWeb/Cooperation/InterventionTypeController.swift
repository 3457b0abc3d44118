import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The shared list of intervention types, and per type the pooled result of the published designs that gemeenten shared
/// with a kopgroep (report §4.4): a random-effects meta-analysis per outcome indicator with a forest plot, the table beside
/// it and the caution in words. Public, like the designs themselves.
struct InterventionTypeController: Sendable {
    let store: any SiteStore
    let renderer: PageRenderer

    /// GET `/interventietypen`.
    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(context: context)
    }

    /// POST `/interventietypen` (naam, beschrijving): adds a type (analisten and beheerders).
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount(returnTo: nil)
        guard account.role != .deelnemer else { throw AppError.forbidden(tr("Uw account ({0}) mag dit niet.", account.role.label)) }
        var type = InterventionType(id: "", name: (context.form["naam"] ?? "").trimmedWhitespace,
                                    description: (context.form["beschrijving"] ?? "").trimmedWhitespace)
        type.id = InterventionType.key(for: type.name)
        var problems = type.partProblems().map { (field: $0.part, message: $0.message) }
        if problems.isEmpty {
            do {
                let saved = try await store.saveInterventionType(type, isNew: true, actor: account.username)
                return Response(status: .seeOther, headers: [.location: SiteRoute.interventionType(saved.id).path])
            } catch let error as CooperationError where error.reason == .conflict {
                problems.append(("naam", error.message))
            }
        }
        let feedback = FormFeedback(problems: problems, fields: InterventionTypeListPage.fields,
                                    typed: ["naam": type.name, "beschrijving": type.description])
        return try await listPage(context: context, feedback: feedback, status: .badRequest)
    }

    /// POST `…/{code}/wijzigen`: name and description (beheerder).
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.editInterventionTypes)
        let id = context.parameters.get("code") ?? ""
        let type = InterventionType(id: id, name: context.form["naam"] ?? "", description: context.form["beschrijving"] ?? "")
        _ = try await store.saveInterventionType(type, isNew: false, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.interventionType(id).path])
    }

    /// GET `/interventietypen/{code}` (`?indicator=`, `?methode=reml|dl`).
    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = context.parameters.get("code") ?? ""
        guard let type = try await store.interventionTypes().first(where: { $0.id == id }) else {
            throw AppError.notFound(tr("Dit type interventie bestaat niet."))
        }
        let q = request.uri.queryParameters
        var method = RandomEffectsMetaAnalysis.Method.reml
        if let raw = q.get("methode"), !raw.isEmpty {
            guard let chosen = RandomEffectsMetaAnalysis.Method(rawValue: raw) else {
                throw AppError.badRequest(parameter: "methode", message: tr("kies reml of dl"))
            }
            method = chosen
        }
        let designs = try await sharedDesigns(of: type, catalog: context.catalog)
        // The outcome indicators with at least one estimate, the one with the most designs first.
        var counts: [String: Int] = [:]
        for design in designs { for (indicator, estimate) in design.estimates where estimate != nil { counts[indicator, default: 0] += 1 } }
        let indicators = counts.keys.sorted { (counts[$0]!, context.catalog[$1]?.name ?? $1) > (counts[$1]!, context.catalog[$0]?.name ?? $0) }
        var chosen = indicators.first
        if let raw = q.get("indicator"), !raw.isEmpty {
            guard context.catalog[raw] != nil else { throw AppError.badRequest(parameter: "indicator", message: tr("onbekende indicator '{0}'", raw)) }
            chosen = raw
        }
        var page = InterventionTypePage(type: type, designs: designs, indicators: indicators, chosen: chosen, method: method,
                                        catalog: context.catalog, counts: counts)
        if context.account?.may(.editInterventionTypes) == true {
            page.edit = InterventionTypePage.Edit(action: SiteRoute.action(.interventionTypeEdit, code: type.id).path, csrf: context.csrfToken,
                                                  name: type.name, description: type.description)
        }
        return renderer.response(page, chrome: context.chrome)
    }

    /// The published designs of this type that a gemeente shared with a kopgroep (each once), with their estimates.
    func sharedDesigns(of type: InterventionType, catalog: Catalog) async throws -> [InterventionTypePage.Design] {
        var designs: [InterventionTypePage.Design] = []
        let names = try await store.gemeenteNames()
        for stored in try await store.sharedInterventions(kinds: [.interventie]) where stored.typeID == type.id {
            let item = InterventionController.visible(stored, catalog: catalog)
            let estimates = item.estimates(current: try await store.interventionFigures(item))
            designs.append(InterventionTypePage.Design(item: item, gemeenteName: names[item.gemeente] ?? item.gemeente.rawValue,
                                                       estimates: Dictionary(estimates.map { ($0.indicator, $0.estimate) }, uniquingKeysWith: { a, _ in a })))
        }
        return designs.sorted { ($0.gemeenteName, $0.item.id) < ($1.gemeenteName, $1.item.id) }
    }

    func listPage(context: AppRequestContext, feedback: FormFeedback = FormFeedback(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let types = try await store.interventionTypes()
        var shared: [String: Int] = [:]
        for item in try await store.sharedInterventions(kinds: [.interventie]) {
            if let typeID = item.typeID { shared[typeID, default: 0] += 1 }
        }
        var page = InterventionTypeListPage(types: types, shared: shared)
        if let account = context.account, account.role != .deelnemer {
            page.mayAdd = true
            page.csrf = context.csrfToken
        }
        page.feedback = feedback
        return renderer.response(page, chrome: context.chrome, status: status)
    }
}
