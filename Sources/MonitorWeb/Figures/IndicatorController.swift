import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The catalogue: indicators grouped by sphere, and one indicator with its reasoning and distribution.
struct IndicatorController: Sendable {
    let store: any Store & DialogueStore
    let renderer: PageRenderer

    /// `?beeld=landelijk|lokaal` and `?rol=basis|context|hulp`, shared by the page and its JSON twin.
    static func filters(_ request: Request) throws -> (picture: Level?, role: IndicatorRole?) {
        let q = request.uri.queryParameters
        var picture: Level?, role: IndicatorRole?
        if let raw = q.get("beeld"), !raw.isEmpty {
            guard let value = Level(rawValue: raw) else { throw AppError.badRequest(parameter: "beeld", message: tr("kies landelijk of lokaal")) }
            picture = value
        }
        if let raw = q.get("rol"), !raw.isEmpty {
            guard let value = IndicatorRole(rawValue: raw) else { throw AppError.badRequest(parameter: "rol", message: tr("kies basis, context of hulp")) }
            role = value
        }
        return (picture, role)
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (picture, role) = try Self.filters(request)
        let page = IndicatorIndexPage(catalog: context.catalog, picture: picture, role: role)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (picture, role) = try Self.filters(request)
        let items = context.catalog.indicators(picture: picture, role: role).map(IndicatorDTO.init)
        return try JSONResponse.make(ListBody(items: items, total: items.count), htmlAlternate: SiteRoute.indicators.path)
    }

    struct Distribution: Sendable {
        var indicator: Indicator
        var periods: [String]
        var period: String?
        var gemeenten: [Area]
        var values: [AreaCode: Observation]
        var nederland: Observation?
        /// Figures for Nederland, provincies and GGD-regio's over all periods (the trend table).
        var regional: [Observation]
        var regionNames: [AreaCode: String]
        var levels: Set<AreaKind>
        var usage: IndicatorUsage
    }

    func distribution(_ id: String, request: Request, catalog: Catalog) async throws -> Distribution {
        guard let indicator = catalog[id] else {
            throw AppError.notFound(tr("Onbekende indicator: {0}. Zie /indicatoren voor de catalogus.", id))
        }
        let periods = try await store.periods(indicator: id)
        let requested = request.uri.queryParameters.get("periode")
        if let requested, !periods.contains(requested) {
            throw AppError.badRequest(parameter: "periode", message: tr("geen cijfers voor periode '{0}' (wel: {1})", requested, periods.joined(separator: ", ")))
        }
        async let gemeenten = store.areas(kind: .gemeente)
        let observations = try await store.observations(ObservationQuery(indicator: id, areaKind: .gemeente)).items
        // Default: the newest period in which gemeenten have numbers.
        let period = requested ?? observations.filter { $0.status == .waarde }.map(\.period).max() ?? periods.first
        var values: [AreaCode: Observation] = [:]
        for o in observations where o.period == period { values[o.area] = o }
        var nl: Observation? = nil
        if let period { nl = try await store.observations(ObservationQuery(indicator: id, areas: [.nederland], period: period)).items.first }
        async let provincies = store.areas(kind: .provincie)
        async let regions = store.areas(kind: .ggdregio)
        async let coverage = store.coverage()
        async let usage = store.usage()
        var regional = try await store.observations(ObservationQuery(indicator: id, areas: [.nederland])).items
        regional += try await store.observations(ObservationQuery(indicator: id, areaKind: .ggdregio)).items
        var names: [AreaCode: String] = [.nederland: tr("Nederland")]
        for area in try await provincies + regions { names[area.code] = area.name }
        return Distribution(indicator: indicator, periods: periods, period: period, gemeenten: try await gemeenten, values: values,
                            nederland: nl, regional: regional.filter { $0.status == .waarde || $0.area == .nederland },
                            regionNames: names, levels: try await coverage[id] ?? [], usage: try await usage[id] ?? IndicatorUsage())
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let distribution = try await distribution(try context.parameters.require("id"), request: request, catalog: context.catalog)
        // The view is counted for the meetlast ledger by PageViewMiddleware, also when it is answered with a 304.
        let id = distribution.indicator.id
        var page = IndicatorShowPage(distribution)
        page.dialogue = DialogueBlock(records: try await store.publishedDialogues(indicator: id, area: nil),
                                      startURL: nil, listURL: nil)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    /// Every version of one figure (indicator × gebied × periode), oldest first, with the import it came from.
    /// POST (beheerders): `gebied`, `periode`, `reden` — withdraws the current figure (a new version without a value),
    /// for a stored figure that cannot be right. Audited as an import; the earlier versions stay.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.withdrawFigures)
        let id = try context.parameters.require("id")
        guard context.catalog[id] != nil else { throw AppError.notFound(tr("Onbekende indicator: {0}.", id)) }
        let form = context.form
        guard let code = AreaCode(form["gebied"] ?? ""), try await store.area(code) != nil else {
            throw AppError.badRequest(parameter: "gebied", message: tr("een gebied dat de monitor kent"))
        }
        guard let period = form["periode"], TidyImporter.normalizePeriod(period) == period else {
            throw AppError.badRequest(parameter: "periode", message: tr("een periode als 2023"))
        }
        let reason = (form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else { throw AppError.badRequest(parameter: "reden", message: tr("zeg in een zin waarom (ten hoogste 500 tekens)")) }
        _ = try await store.withdrawFigure(indicator: id, area: code, period: period, reason: reason, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.versions(id).url([("gebied", code.rawValue), ("periode", period)])])
    }

    func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let indicator = context.catalog[id] else {
            throw AppError.notFound(tr("Onbekende indicator: {0}. Zie /indicatoren voor de catalogus.", id))
        }
        let q = request.uri.queryParameters
        guard let raw = q.get("gebied"), let code = AreaCode(raw) else {
            throw AppError.badRequest(parameter: "gebied", message: tr("geef een CBS-gebiedscode, bijvoorbeeld ?gebied=GM0363&periode=2023"))
        }
        guard let area = try await store.area(code) else { throw AppError.notFound(tr("Onbekend gebied: {0}", code.rawValue)) }
        guard let period = q.get("periode"), !period.isEmpty else {
            throw AppError.badRequest(parameter: "periode", message: tr("geef een periode, bijvoorbeeld ?gebied=GM0363&periode=2023"))
        }
        let versions = try await store.observations(ObservationQuery(indicator: id, areas: [code], period: period, versions: .all)).items
        let imports = Dictionary(uniqueKeysWithValues: try await store.imports().map { ($0.id, $0) })
        var page = VersionsPage(indicator: indicator, area: area, period: period, versions: versions, imports: imports)
        if context.account?.may(.withdrawFigures) == true, versions.last?.status == .waarde {
            page.mayWithdraw = true
            page.csrf = context.csrfToken
            page.formAction = SiteRoute.versions(id).path
        }
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct IndicatorBody: Codable, Sendable {
        var ok = true
        var indicator: IndicatorDTO
        var perioden: [String]
        var periode: String?
        var nederland: ValueDTO?
        var gemeenten: [ValueDTO]
        var bron = BundledData.attribution
    }

    func showJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let d = try await distribution(try context.parameters.require("id"), request: request, catalog: context.catalog)
        let body = IndicatorBody(indicator: IndicatorDTO(d.indicator), perioden: d.periods, periode: d.period,
                                 nederland: d.nederland.map(ValueDTO.init),
                                 gemeenten: d.gemeenten.compactMap { d.values[$0.code] }.map(ValueDTO.init), bron: BundledData.attribution(for: d.indicator))
        return try JSONResponse.make(body, htmlAlternate: SiteRoute.indicator(d.indicator.id).path)
    }
}

