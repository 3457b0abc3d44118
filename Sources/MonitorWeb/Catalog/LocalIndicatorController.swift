import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/gemeenten/{code}/eigen-indicatoren`: indicators a gemeente defines in the browser (issue 18). The form has the
/// fields of a catalogue entry and becomes that YAML, checked by the catalogue's own validator (the messages of
/// `pbmonitor check`); a concept until published, then it takes figures through the drafts upload. Only the gemeente's
/// users see it, unless a beheerder shares it with everyone.
struct LocalIndicatorController: RecordPages {
    typealias Record = LocalIndicator
    let store: any Store & LocalIndicatorStore & PublicationStore
    var publications: any Store & PublicationStore { store }
    let renderer: PageRenderer

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.readDrafts(gemeente.code), returnTo: request.uri.path)
        var values: [String: [String]] = [:]
        if let copy = request.uri.queryParameters.get("kopie").flatMap(Int.init), let source = try await store.localIndicator(id: copy),
           source.gemeente == gemeente.code {
            // "Kopie maken": start a new concept from an existing one (its short name left empty: ids are unique).
            values = LocalIndicatorEntry.values(yaml: source.yaml)
            values["id"] = nil
        }
        return try await listPage(gemeente: gemeente, account: account, context: context,
                                  form: LocalIndicatorFormView(gemeente: gemeente.code, values: values, csrf: context.csrfToken))
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        // The published ones this visitor may see: the catalogue of the request decides, as everywhere.
        let items = context.catalog.local.filter { $0.owner == gemeente.code }.map(IndicatorDTO.init)
        return try JSONResponse.make(GemeenteListBody(gemeente: gemeente, items: items),
                                     htmlAlternate: SiteRoute.localIndicators(gemeente.code.rawValue).path)
    }

    /// POST: a new concept from the form.
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let values = LocalIndicatorFormView.values(of: context.form, gemeente: gemeente.code)
        let yaml = LocalIndicatorEntry.yaml(id: values["id"]?.first ?? "", values: { values[$0] ?? [] })
        do {
            let item = try await store.saveLocalIndicator(yaml: yaml, gemeente: gemeente.code, id: 0, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.localIndicator(gemeente.code.rawValue, item.id).path])
        } catch let error as RecordError {
            var form = LocalIndicatorFormView(gemeente: gemeente.code, values: values, csrf: context.csrfToken)
            form.show(error)
            return try await listPage(gemeente: gemeente, account: account, context: context, form: form, status: .badRequest)
        }
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let item = try await record(context, in: gemeente, returnTo: request.uri.path)
        switch request.uri.queryParameters.get("formaat") ?? "html" {
        case "html", "":
            return try await detailResponse(item, gemeente: gemeente, request: request, context: context,
                                            jsonAlternate: SiteRoute.apiLocalIndicators(gemeente.code.rawValue).path)
        case "yaml":
            // To propose it for the shared catalogue: a file `pbmonitor check` reads as it is.
            return Response(status: .ok, headers: [
                .contentType: "application/yaml; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(item.indicator).yaml\"",
            ], body: .init(byteBuffer: ByteBuffer(string: Self.yamlFile(item))))
        default:
            throw AppError.badRequest(parameter: "formaat", message: tr("kies html of yaml"))
        }
    }

    /// POST `…/{id}/wijzigen`: a new version of a concept or a published indicator (its text, not its id or unit).
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let old = try await record(context, in: gemeente, returnTo: nil)
        let values = LocalIndicatorFormView.values(of: context.form, gemeente: gemeente.code, fixedID: old.indicator)
        let yaml = LocalIndicatorEntry.yaml(id: old.indicator, values: { values[$0] ?? [] })
        do {
            return changed(try await store.saveLocalIndicator(yaml: yaml, gemeente: gemeente.code, id: old.id, actor: account.username), notice: .opgeslagen)
        } catch let error as RecordError {
            var page = try await detailPage(old, gemeente: gemeente, context: context)
            var view = LocalIndicatorFormView(gemeente: gemeente.code, values: values, csrf: context.csrfToken, editing: old)
            view.show(error)
            page.form = view
            page.errors = error.problems.isEmpty ? [error.description] : [tr("De wijziging is niet opgeslagen; zie de fouten bij de velden hieronder.")]
            return renderer.response(page, chrome: context.chrome, status: error.status)
        }
    }

    /// POST `…/{id}/delen` (beheerder): every visitor sees the published indicator and its figures.
    func share(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await share(true, context: context)
    }

    /// POST `…/{id}/niet-delen` (beheerder): only its gemeente sees it again.
    func unshare(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await share(false, context: context)
    }

    private func share(_ shared: Bool, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.shareIndicators)
        let old = try await record(context, in: gemeente, returnTo: nil)
        do {
            return changed(try await store.shareLocalIndicator(id: old.id, shared: shared, actor: account.username), notice: shared ? .gedeeld : .nietGedeeld)
        } catch let error as RecordError {
            return try await refusedResponse(old, gemeente: gemeente, context: context, errors: [error.description], status: error.status)
        }
    }

    // MARK: Helpers

    func message(for notice: RecordNotice) -> String {
        switch notice {
        case .gepubliceerd: tr("Gepubliceerd: de indicator staat nu in de catalogus van de gemeente, op elk deel van de site. Lever cijfers aan via de concepten.")
        case .ingetrokken: tr("Ingetrokken: de indicator en zijn cijfers zijn niet meer te zien.")
        case .opgeslagen: tr("Opgeslagen als nieuwe versie.")
        case .gedeeld: tr("Gedeeld: iedereen ziet deze indicator en zijn cijfers.")
        case .nietGedeeld: tr("Niet meer gedeeld: alleen de gemeente ziet hem.")
        default: Self.standardMessage(for: notice)
        }
    }

    /// A published and shared indicator is everyone's; anything else only its gemeente's users (and beheerders) see.
    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> LocalIndicator {
        try context.visibleRecord(try await store.localIndicator(id: context.recordID), of: gemeente.code, owner: \.gemeente, isPublished: { $0.status == .gepubliceerd && $0.shared },
                                  returnTo: returnTo, notFound: tr("Deze eigen indicator bestaat niet (bij deze gemeente)."))
    }

    static func yamlFile(_ item: LocalIndicator) -> String {
        "# Eigen indicator van \(item.gemeente.rawValue), versie \(item.version) (\(item.status.rawValue)), uit pbmonitor.\n"
            + "# Voorstel voor de gedeelde catalogus: zet dit bestand in catalog/ en draai `pbmonitor check`.\n" + item.yaml
    }

    func listPage(gemeente: Area, account: Account, context: AppRequestContext, form: LocalIndicatorFormView,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let items = try await store.localIndicators(gemeente: gemeente.code)
        let page = LocalIndicatorListPage(gemeente: gemeente, items: items, form: account.may(.editGemeente(gemeente.code)) ? form : nil)
        return renderer.response(page, chrome: context.chrome, status: status,
                                 jsonAlternate: SiteRoute.apiLocalIndicators(gemeente.code.rawValue).path)
    }

    func detailPage(_ item: LocalIndicator, gemeente: Area, context: AppRequestContext) async throws -> LocalIndicatorPage {
        let account = context.account
        var page = LocalIndicatorPage(item: item, gemeente: gemeente, versions: try await store.localIndicatorVersions(id: item.id), csrf: context.csrfToken)
        let code = gemeente.code
        page.mayEdit = item.status != .ingetrokken && (account?.may(.editGemeente(code)) ?? false)
        page.publication = PublicationForms(item, context: context)
        page.mayShare = item.status == .gepubliceerd && (account?.may(.shareIndicators) ?? false)
        page.mayCopy = account?.may(.editGemeente(code)) ?? false
        if page.mayEdit { page.form = LocalIndicatorFormView(gemeente: code, values: LocalIndicatorEntry.values(yaml: item.yaml), csrf: context.csrfToken, editing: item) }
        return page
    }
}

