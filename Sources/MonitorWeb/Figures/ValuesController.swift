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
                throw AppError.badRequest(parameter: "indicator", message: tr("onbekende indicator '{0}'; zie /api/v1/indicatoren", indicator))
            }
            if let raw = q.get("gebied"), !raw.isEmpty {
                guard let code = AreaCode(raw) else {
                    throw AppError.badRequest(parameter: "gebied", message: tr("'{0}' is geen CBS-gebiedscode (bijvoorbeeld GM0363)", raw))
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
                throw AppError.badRequest(parameter: given[1].0, message: tr("kies één van peildatum, versie of versies"))
            }
            if let date, !date.isEmpty {
                guard let day = ReferenceDate(date) else {
                    throw AppError.badRequest(parameter: "peildatum", message: tr("verwacht een datum als 2026-11-29, gekregen '{0}'", date))
                }
                return .asOf(day)
            }
            if let number, !number.isEmpty {
                return .number(try integer(number, name: "versie", default: 1, range: 1...Int(Int32.max)))
            }
            switch all {
            case nil, "", "huidige": return .current
            case "alle": return .all
            case let other?: throw AppError.badRequest(parameter: "versies", message: tr("verwacht 'alle' of 'huidige', gekregen '{0}'", other))
            }
        }

        static func integer(_ raw: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let raw, !raw.isEmpty else { return value }
            guard let number = Int(raw), range.contains(number) else {
                throw AppError.badRequest(parameter: name, message: tr("verwacht een geheel getal van {0} tot en met {1}, gekregen '{2}'", range.lowerBound, range.upperBound, raw))
            }
            return number
        }
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try Query(request, catalog: context.catalog)
        if let area = query.area, try await store.area(area) == nil {
            throw AppError.notFound(tr("Onbekend gebied: {0}", area.rawValue))
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
            ? SiteRoute.apiValues.url([("indicator", query.indicator), ("gebied", query.area?.rawValue), ("periode", query.period),
                                        versionParameter, ("limit", String(query.limit)), ("offset", String(query.offset + query.limit))])
            : nil
        return try JSONResponse.make(ListBody(items: page.items.map(ValueDTO.init), total: page.total, limit: query.limit,
                                              offset: query.offset, next_url: next))
    }
}

