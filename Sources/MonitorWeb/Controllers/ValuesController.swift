import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/api/v1/waarden`: figures filtered by indicator, area and period, paged.
struct ValuesController: Sendable {
    let store: any Store
    static let defaultLimit = 100
    static let maximumLimit = 1000

    struct Query: Sendable {
        var indicator: String?
        var area: AreaCode?
        var period: String?
        var versions: VersionSelection
        var limit: Int
        var offset: Int

        init(_ request: Request, catalog: Catalog) throws {
            let q = request.uri.queryParameters
            indicator = q.get("indicator").flatMap { $0.isEmpty ? nil : $0 }
            if let indicator, catalog[indicator] == nil {
                throw AppError.badRequest(parameter: "indicator", message: "onbekende indicator '\(indicator)'; zie /api/v1/indicatoren")
            }
            if let raw = q.get("gebied"), !raw.isEmpty {
                guard let code = AreaCode(raw) else {
                    throw AppError.badRequest(parameter: "gebied", message: "'\(raw)' is geen CBS-gebiedscode (bijvoorbeeld GM0363)")
                }
                area = code
            }
            period = q.get("periode").flatMap { $0.isEmpty ? nil : $0 }
            versions = try Self.versions(q.get("peildatum"), q.get("versie"), q.get("versies"))
            limit = try Self.integer(q.get("limit"), name: "limit", default: ValuesController.defaultLimit, range: 1...ValuesController.maximumLimit)
            offset = try Self.integer(q.get("offset"), name: "offset", default: 0, range: 0...Int(Int32.max))
        }

        /// `peildatum`, `versie` and `versies` choose versions; at most one of them.
        static func versions(_ date: String?, _ number: String?, _ all: String?) throws -> VersionSelection {
            let given = [("peildatum", date), ("versie", number), ("versies", all)].filter { !($0.1 ?? "").isEmpty }
            if given.count > 1 {
                throw AppError.badRequest(parameter: given[1].0, message: "kies één van peildatum, versie of versies")
            }
            if let date, !date.isEmpty {
                guard let day = ReferenceDate(date) else {
                    throw AppError.badRequest(parameter: "peildatum", message: "verwacht een datum als 2026-11-29, gekregen '\(date)'")
                }
                return .asOf(day)
            }
            if let number, !number.isEmpty {
                return .number(try integer(number, name: "versie", default: 1, range: 1...Int(Int32.max)))
            }
            switch all {
            case nil, "", "huidige": return .current
            case "alle": return .all
            case let other?: throw AppError.badRequest(parameter: "versies", message: "verwacht 'alle' of 'huidige', gekregen '\(other)'")
            }
        }

        static func integer(_ raw: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw, !raw.isEmpty else { return value }
            guard let number = Int(raw), range.contains(number) else {
                throw AppError.badRequest(parameter: name, message: "verwacht een geheel getal van \(range.lowerBound) tot en met \(range.upperBound), gekregen '\(raw)'")
            }
            return number
        }
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try Query(request, catalog: context.catalog)
        if let area = query.area, try await store.area(area) == nil {
            throw AppError.notFound("Onbekend gebied: \(area.rawValue)")
        }
        var selection = ObservationQuery(indicator: query.indicator, areas: query.area.map { [$0] }, period: query.period,
                                         versions: query.versions, limit: query.limit, offset: query.offset)
        selection.excludedIndicators = context.catalog.hidden(comparedWith: store.catalog)
        let page = try await store.observations(selection)
        var versionParameter: (String, String?) = ("versies", nil)
        switch query.versions {
        case .current: break
        case .asOf(let date): versionParameter = ("peildatum", date.day)
        case .number(let number): versionParameter = ("versie", String(number))
        case .all: versionParameter = ("versies", "alle")
        case .afterImport: break  // not a parameter of this API
        }
        let next = query.offset + query.limit < page.total
            ? SiteRoute.apiWaarden.url([("indicator", query.indicator), ("gebied", query.area?.rawValue), ("periode", query.period),
                                        versionParameter, ("limit", String(query.limit)), ("offset", String(query.offset + query.limit))])
            : nil
        return try JSONResponse.make(ListBody(items: page.items.map(ValueDTO.init), total: page.total, limit: query.limit,
                                              offset: query.offset, next_url: next))
    }
}

/// The plattegrond (home page).
struct HomeController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeenten = try await store.areas(kind: .gemeente).count
        let lamppost = Lamppost(catalog: context.catalog, coverage: try await store.coverage())
        let page = HomePage(catalog: context.catalog, lamppost: lamppost, gemeenteCount: gemeenten)
        return renderer.response(page, template: "pages/home", jsonAlternate: page.jsonURL)
    }
}

/// View model of `pages/home.mustache`.
struct HomePage: Sendable {
    struct SphereLink: Sendable { var label: String; var url: String; var count: Int; var measured: Int }
    var pageTitle = "Monitor pedagogische basis"
    var jsonURL = SiteRoute.apiIndicatoren.path
    var plattegrond: RenderedSVG
    var spheres: [SphereLink]
    /// Every count below is computed from the catalogue and the figures (the lantaarnpaal's numbers), never written by hand.
    var indicatorCount: Int
    var basisCount: Int
    var measuredCount: Int
    var contextCount: Int
    var cbsCount: Int
    var ggdCount: Int
    var localCount: Int
    var gemeenteCount: Int
    var lamppostURL = SiteRoute.lantaarnpaal.path
    var searchAction = SiteRoute.gemeenten.path
    var attribution = BundledData.attribution

    init(catalog: Catalog, lamppost: Lamppost, gemeenteCount: Int) {
        let counts = lamppost.bySphere
        plattegrond = PlattegrondChart.render(counts: counts.mapValues(\.measured))
        spheres = Sphere.allCases.map { sphere in
            SphereLink(label: sphere.label, url: SiteRoute.indicatoren.path + "#sfeer-\(sphere.rawValue)", count: counts[sphere]?.indicators ?? 0,
                       measured: counts[sphere]?.measured ?? 0)
        }
        indicatorCount = catalog.indicators.count
        basisCount = lamppost.total
        measuredCount = lamppost.measuredTotal
        contextCount = lamppost.context.count
        cbsCount = catalog.indicators.filter { $0.source.publisher == "CBS" }.count
        ggdCount = catalog.indicators.filter { $0.source.publisher.hasPrefix("GGD") }.count
        localCount = catalog.indicators.filter { $0.source.publisher.hasPrefix("Gemeente") }.count
        self.gemeenteCount = gemeenteCount
    }
}

/// Operator pages under `/-/`.
struct OperatorController: Sendable {
    let store: any Store
    static let version = "0.1.0"

    struct Health: Encodable, Sendable { var ok: Bool; var database: String }
    struct Version: Encodable, Sendable { var ok = true; var versie: String; var indicatoren: Int; var bron = BundledData.attribution }

    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await store.ping()
            return try JSONResponse.make(Health(ok: true, database: "bereikbaar"))
        } catch {
            return try JSONResponse.make(Health(ok: false, database: "niet bereikbaar"), status: .serviceUnavailable)
        }
    }

    func version(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(Version(versie: Self.version, indicatoren: context.catalog.indicators.count))
    }
}
