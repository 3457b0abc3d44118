import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// `/zoeken`: one Dutch-aware search over council documents and the evaluatiebank.
struct SearchController: KnowledgeController {
    let store: any Store & KnowledgeStore
    let renderer: PageRenderer

    struct SearchRequest: Sendable {
        var q: String
        var kind: SearchHit.Kind
        var limit: Int
        var offset: Int

        init(_ request: Request) throws {
            let p = request.uri.queryParameters
            q = p.get("q") ?? ""
            switch p.get("in") ?? "documenten" {
            case "documenten": kind = .document
            case "evaluaties": kind = .evaluation
            default: throw AppError.badRequest(parameter: "in", message: tr("kies documenten of evaluaties"))
            }
            limit = min(max(Int(p.get("limit") ?? "") ?? 20, 1), 100)
            offset = min(max(Int(p.get("offset") ?? "") ?? 0, 0), Int(Int32.max))
            if q.count > 500 { throw AppError.badRequest(parameter: "q", message: tr("hoogstens 500 tekens")) }
        }
    }

    /// One search, as items with id, titel, gemeente and fragment; studies only as far as the viewer may see them.
    func runSearch(_ s: SearchRequest, context: AppRequestContext) async throws -> (items: [SearchItemJSON], total: Int) {
        let query = SearchQuery(s.q)
        switch s.kind {
        case .document:
            let found = try await foundDocuments(query, limit: s.limit, offset: s.offset)
            let names = try await gemeenteNames()
            return (found.documents.map { d in
                SearchItemJSON(id: d.id, titel: d.title, gemeente: d.gemeente.rawValue, gemeente_naam: names[d.gemeente] ?? d.gemeente.rawValue,
                               datum: d.date.day, soort: d.kind.rawValue, fragment: Fragment.snippet(d.title + ". " + d.text, query: query).plain,
                               url: nil)
            }, found.total)
        case .evaluation:
            let ranked = try await rankedStudies(query, viewer: viewer(context))
            return (ranked.dropFirst(s.offset).prefix(s.limit).map { study in
                SearchItemJSON(id: study.id, titel: study.title, gemeente: study.gemeenten.first?.rawValue, gemeente_naam: nil, datum: String(study.year),
                               soort: study.design.rawValue, fragment: Fragment.snippet(study.searchableText, query: query).plain,
                               url: SiteRoute.evaluation(study.id).path)
            }, ranked.count)
        }
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try SearchRequest(request)
        let query = SearchQuery(s.q)
        var page = SearchPage(q: s.q)
        if !query.isEmpty {
            // Places and indicators by name first: most visitors look for their gemeente ("Den Haag", "Weesp").
            let words = s.q.trimmingCharacters(in: .whitespacesAndNewlines)
            let folded = AreaNames.fold(words)
            let gemeenten = try await store.areas(kind: .gemeente)
            let namesByCode = Dictionary(gemeenten.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            page.gemeenten = AreaNames.resolve(words, among: gemeenten).prefix(20).map { area in
                SearchPage.Place(name: area.name, url: SiteRoute.municipality(area.code.rawValue).path,
                                 meta: "gemeente, \(area.code.rawValue)")
            }
            if folded.count >= 3 {
                page.wijken = try await store.areas(kind: .wijk).filter { AreaNames.fold($0.name).contains(folded) }.prefix(20).map { area in
                    SearchPage.Place(name: area.name, url: SiteRoute.district(area.code.rawValue).path,
                                     meta: tr("wijk in {0}, {1}", area.code.gemeente.flatMap { namesByCode[$0] } ?? "?", area.code.rawValue))
                }
                page.indicators = context.catalog.indicators.filter { AreaNames.fold($0.name).contains(folded) }.prefix(20).map { indicator in
                    SearchPage.Place(name: indicator.name, url: SiteRoute.indicator(indicator.id).path, meta: "indicator")
                }
            }
            let documents = try await foundDocuments(query, limit: 20, offset: 0)
            let names = try await gemeenteNames()
            page.documentTotal = documents.total
            page.documents = documents.documents.map { d in
                SearchPage.Hit(title: d.title, url: nil, meta: "\(names[d.gemeente] ?? d.gemeente.rawValue), \(d.kind.rawValue), \(d.date.day)",
                               fragment: FragmentView(Fragment.snippet(d.title + ". " + d.text, query: query)))
            }
            let studies = try await rankedStudies(query, viewer: viewer(context))
            page.studyTotal = studies.count
            page.studies = studies.prefix(20).map { study in
                SearchPage.Hit(title: study.title, url: SiteRoute.evaluation(study.id).path, meta: "\(study.organisation), \(study.year), \(study.design.label)",
                               fragment: FragmentView(Fragment.snippet(study.searchableText, query: query)))
            }
            page.searched = true
        }
        return renderer.response(page, chrome: context.chrome, jsonAlternate: SiteRoute.apiSearch.url([("q", s.q)]))
    }

    func searchJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try SearchRequest(request)
        guard !SearchQuery(s.q).isEmpty else { throw AppError.badRequest(parameter: "q", message: tr("geef een of meer zoekwoorden")) }
        let (items, total) = try await runSearch(s, context: context)
        let next = s.offset + items.count < total
            ? SiteRoute.apiSearch.url([("q", s.q), ("in", s.kind.rawValue), ("limit", String(s.limit)), ("offset", String(s.offset + s.limit))]) : nil
        return try JSONResponse.make(ListBody(items: items, total: total, limit: s.limit, offset: s.offset, next_url: next,
                                              bron: s.kind == .document ? tr("Raadsstukken in de monitor") : tr("Evaluatiebank van de monitor")),
                                     htmlAlternate: SiteRoute.search.url([("q", s.q)]))
    }
}
