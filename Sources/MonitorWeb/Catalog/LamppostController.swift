import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/lantaarnpaal`: what the monitor measures and what it does not (report §3.2), for the whole monitor or one gemeente.
struct LamppostController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    func lamppost(catalog: Catalog) async throws -> Lamppost {
        Lamppost(catalog: catalog, coverage: try await store.coverage())
    }

    /// One gemeente's lamppost: per cell what has figures for the gemeente itself, its region, only Nederland (also in its report).
    static func lamppost(of gemeente: AreaCode, store: any Store, catalog: Catalog) async throws -> Lamppost {
        Lamppost(catalog: catalog, coverage: try await store.coverage(),
                 scope: .init(gemeente: gemeente, reach: try await store.coverage(gemeente: gemeente)))
    }

    /// The lamppost of the whole monitor, or of one gemeente (`?gemeente=GM0363`: unknown → 404, not a code → 400).
    func lamppost(_ request: Request, catalog: Catalog) async throws -> (Lamppost, Area?) {
        guard let raw = request.uri.queryParameters.get("gemeente"), !raw.isEmpty else { return (try await lamppost(catalog: catalog), nil) }
        guard let code = AreaCode(raw), code.kind == .gemeente else {
            throw AppError.badRequest(parameter: "gemeente", message: tr("'{0}' is geen gemeentecode (zoals GM0363)", raw))
        }
        guard let area = try await store.area(code) else { throw AppError.notFound(tr("Onbekende gemeente: {0}", raw)) }
        return (try await Self.lamppost(of: code, store: store, catalog: catalog), area)
    }

    func lamppostPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (lamppost, area) = try await lamppost(request, catalog: context.catalog)
        let page = LamppostPage(lamppost, gemeente: area, gemeenten: try await store.areas(kind: .gemeente))
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct LamppostBody: Codable, Sendable {
        struct CellDTO: Codable, Sendable {
            var sfeer: String
            var perspectief: String
            /// gemeten, "beschreven, niet gemeten" of niets.
            var status: String
            var indicatoren: [String]
            var met_cijfers: [String]
            var zonder_cijfers: [String]
            var aantal: Int
            var aantal_met_cijfers: Int
            var aantal_zonder_cijfers: Int
            /// Per niveau het aantal indicatoren met een cijfer op dat niveau.
            var per_niveau: [String: Int]
            /// Alleen voor één gemeente: eigen, regio, landelijk, geen.
            var per_bereik: [String: [String]]?
            var positief_geformuleerd: Int
            var diepste_niveau: String?
            var leemte: Bool
        }
        struct RelationDTO: Codable, Sendable {
            var relatie: String
            var naam: String
            var met_cijfers: [String]
            var zonder_cijfers: [String]
        }
        struct ContextDTO: Codable, Sendable {
            var aantal: Int
            var met_cijfers: Int
            var indicatoren: [String]
            var toelichting = tr("Context (bevolking, inkomen, uitkeringen, afstanden) verklaart de pedagogische basis maar is haar niet; telt in geen cel mee.")
        }
        var ok = true
        var gemeente: String?
        var cellen: [CellDTO]
        var leemtes: [CellDTO]
        var relaties: [RelationDTO]
        /// De buitensfeer in drie lagen: vrij_toegankelijk, jeugdhulp, jeugdbescherming.
        var buitensfeer_lagen: [RelationDTO]
        var relaties_weefsel: Int
        var context: ContextDTO
        var kennisvragen: [String: Int]
        var lading: [String: Int]
        /// Indicatoren van de basis en de buitensfeer (zonder context).
        var totaal: Int
        var totaal_met_cijfers: Int
        var toelichting = LamppostPage.reportQuote
    }

    func lamppostJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (l, _) = try await lamppost(request, catalog: context.catalog)
        let cells = l.cells.map { cell in
            LamppostBody.CellDTO(sfeer: cell.sphere.rawValue, perspectief: cell.perspective.rawValue, status: cell.state.rawValue,
                                 indicatoren: cell.indicators.map(\.id), met_cijfers: cell.measured.map(\.id), zonder_cijfers: cell.describedOnly.map(\.id),
                                 aantal: cell.indicators.count, aantal_met_cijfers: cell.measured.count, aantal_zonder_cijfers: cell.describedOnly.count,
                                 per_niveau: Dictionary(uniqueKeysWithValues: cell.byLevel.map { ($0.key.rawValue, $0.value) }),
                                 per_bereik: l.gemeente == nil ? nil : Dictionary(uniqueKeysWithValues: Lamppost.Reach.allCases.map { reach in
                                     (reach.rawValue, (cell.byReach[reach] ?? []).map(\.id)) }),
                                 positief_geformuleerd: cell.positivelyFramed, diepste_niveau: cell.deepestLevel?.rawValue, leemte: cell.isGap)
        }
        func tagged<Tag: RawRepresentable<String>>(_ rows: [Lamppost.Tagged<Tag>], label: (Tag) -> String) -> [LamppostBody.RelationDTO] {
            rows.map { LamppostBody.RelationDTO(relatie: $0.tag.rawValue, naam: label($0.tag), met_cijfers: $0.measured.map(\.id),
                                                zonder_cijfers: $0.describedOnly.map(\.id)) }
        }
        let body = LamppostBody(gemeente: l.gemeente?.rawValue, cellen: cells, leemtes: cells.filter(\.leemte),
                                relaties: tagged(l.relations, label: \.label), buitensfeer_lagen: tagged(l.helpLayers, label: \.label),
                                relaties_weefsel: l.relationalIndicators,
                                context: .init(aantal: l.context.count, met_cijfers: l.contextMeasured, indicatoren: l.context.map(\.id)),
                                kennisvragen: Dictionary(uniqueKeysWithValues: l.byQuestion.map { ($0.question.rawValue, $0.count) }),
                                lading: Dictionary(uniqueKeysWithValues: l.byFraming.map { ($0.framing.rawValue, $0.count) }),
                                totaal: l.total, totaal_met_cijfers: l.measuredTotal)
        let html = l.gemeente.map { SiteRoute.lamppost.url([("gemeente", $0.rawValue)]) } ?? SiteRoute.lamppost.path
        return try JSONResponse.make(body, htmlAlternate: html)
    }
}

