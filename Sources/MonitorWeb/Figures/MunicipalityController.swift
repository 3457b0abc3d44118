import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The list of gemeenten with filters by name, provincie and GGD-regio (HTML and JSON twins).
struct MunicipalityController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    struct Filter: Sendable {
        let name: String?
        var provincie: String?
        var ggd: String?
        /// The name folded once for all 342 gemeenten.
        private let nameQuery: AreaNames.Query?

        init(_ request: Request) {
            let q = request.uri.queryParameters
            name = q.get("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
            nameQuery = name.map(AreaNames.Query.init)
            provincie = q.get("provincie").flatMap { $0.isEmpty ? nil : $0 }
            ggd = q.get("ggd").flatMap { $0.isEmpty ? nil : $0 }
        }

        func matches(_ area: Area) -> Bool {
            if let nameQuery, !nameQuery.matches(area) { return false }
            if let provincie, !area.parents.contains(where: { $0.rawValue == provincie }) { return false }
            if let ggd, !area.parents.contains(where: { $0.rawValue == ggd }) { return false }
            return true
        }
    }

    struct Listing: Sendable {
        var gemeenten: [Area]
        var all: [Area]
        var provincies: [Area]
        var ggdRegions: [Area]
        var names: [AreaCode: String]
        var inhabitants: [AreaCode: Observation]
    }

    func listing(_ filter: Filter) async throws -> Listing {
        async let gemeenten = store.areas(kind: .gemeente)
        async let provincies = store.areas(kind: .provincie)
        async let ggd = store.areas(kind: .ggdregio)
        let (all, pv, gg) = try await (gemeenten, provincies, ggd)
        var names: [AreaCode: String] = [:]
        for area in pv + gg { names[area.code] = area.name }
        let filtered = all.filter(filter.matches)
        let period = try await store.periods(indicator: "inwoners").first
        var inhabitants: [AreaCode: Observation] = [:]
        if let period {
            for o in try await store.observations(ObservationQuery(indicator: "inwoners", areaKind: .gemeente, period: period)).items {
                inhabitants[o.area] = o
            }
        }
        return Listing(gemeenten: filtered, all: all, provincies: pv, ggdRegions: gg, names: names, inhabitants: inhabitants)
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filter = Filter(request)
        let listing = try await listing(filter)
        let page = MunicipalityIndexPage(listing: listing, filter: filter, catalog: context.catalog)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct GemeenteItem: Codable, Sendable {
        var code: String
        var naam: String
        var provincie: String?
        var ggdregio: String?
        var url: String
        var html_url: String
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filter = Filter(request)
        let listing = try await listing(filter)
        let items = listing.gemeenten.map { area in
            GemeenteItem(code: area.code.rawValue, naam: area.name,
                         provincie: area.parents.first { $0.kind == .provincie }?.rawValue,
                         ggdregio: area.parents.first { $0.kind == .ggdregio }?.rawValue,
                         url: SiteRoute.apiMunicipality(area.code.rawValue).path, html_url: SiteRoute.municipality(area.code.rawValue).path)
        }
        return try JSONResponse.make(ListBody(items: items, total: items.count), htmlAlternate: SiteRoute.municipalities.path)
    }
}

