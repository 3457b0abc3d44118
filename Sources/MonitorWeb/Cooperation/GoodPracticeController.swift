import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Goede voorbeelden (report §4.3, §4.4: good examples in the spotlight): every published intervention that a gemeente
/// shared with a kopgroep, with its design, result and MKBA, and the studies of the evaluatiebank about its type; by type,
/// sphere and perspective (those of the indicators it should move), and searchable with the Dutch search. Public.
struct GoodPracticeController: Sendable {
    let store: any SiteStore
    let renderer: PageRenderer

    /// One example, with what the filters and the search look at.
    struct Example: Sendable {
        var item: Intervention
        var gemeenteName: String
        var type: InterventionType?
        var spheres: Set<Sphere>
        var perspectives: Set<Perspective>
        var estimates: [(indicator: String, estimate: DifferenceInDifferences?)]
        var studies: [EvaluationStudy]

        /// Name, description, type, gemeente, indicators and the studies' titles: what `?q=` searches.
        func searchableText(catalog: Catalog) -> String {
            ([item.name, item.description, type?.name ?? "", type?.description ?? "", gemeenteName]
                + item.indicators.map { catalog[$0]?.name ?? $0 } + studies.map(\.title)).joined(separator: " ")
        }
    }

    /// GET `/goede-voorbeelden` (`?soort=`, `?sfeer=`, `?perspectief=`, `?q=`).
    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let type = q.get("soort").flatMap { $0.isEmpty ? nil : $0 }
        var sphere: Sphere?, perspective: Perspective?
        if let raw = q.get("sfeer"), !raw.isEmpty {
            guard let value = Sphere(rawValue: raw) else { throw AppError.badRequest(parameter: "sfeer", message: tr("onbekende sfeer '{0}'", raw)) }
            sphere = value
        }
        if let raw = q.get("perspectief"), !raw.isEmpty {
            guard let value = Perspective(rawValue: raw) else {
                throw AppError.badRequest(parameter: "perspectief", message: tr("onbekend perspectief '{0}'", raw))
            }
            perspective = value
        }
        let text = (q.get("q") ?? "").trimmedWhitespace
        guard text.count <= 500 else { throw AppError.badRequest(parameter: "q", message: tr("hoogstens 500 tekens")) }
        let all = try await examples(catalog: context.catalog)
        let words = SearchText.words(text).map(\.word)
        let shown = all.filter { example in
            (type == nil || example.item.typeID == type) && (sphere == nil || example.spheres.contains(sphere!))
                && (perspective == nil || example.perspectives.contains(perspective!))
                && (words.isEmpty || Self.contains(every: words, in: example.searchableText(catalog: context.catalog)))
        }
        let page = GoodPracticePage(all: all, shown: shown, types: try await store.interventionTypes(), type: type, sphere: sphere,
                                    perspective: perspective, query: text, catalog: context.catalog)
        return renderer.response(page, chrome: context.chrome)
    }

    /// The published interventions shared with any kopgroep (each once), newest first, with their studies.
    func examples(catalog: Catalog) async throws -> [Example] {
        let types = Dictionary(try await store.interventionTypes().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let names = try await store.gemeenteNames()
        let studies = try await store.studies(visibleTo: .anonymous)
        var result: [Example] = []
        for stored in try await store.sharedInterventions(kinds: [.interventie, .mkba]) {
            let item = InterventionController.visible(stored, catalog: catalog)
            let indicators = item.indicators.compactMap { catalog[$0] }
            let type = item.typeID.flatMap { types[$0] }
            // Studies about this kind of intervention: its name (before any explanation in brackets) in the study's
            // intervention or title.
            let key = SearchText.words(type.map { String($0.name.prefix { $0 != "(" }) } ?? "").map(\.word)
            let related = key.isEmpty ? [] : studies.filter { Self.contains(every: key, in: $0.intervention + " " + $0.title) }
            result.append(Example(item: item, gemeenteName: names[item.gemeente] ?? item.gemeente.rawValue, type: type,
                                  spheres: Set(indicators.flatMap(\.spheres)), perspectives: Set(indicators.flatMap(\.perspectives)),
                                  estimates: item.estimates(current: try await store.interventionFigures(item)), studies: related))
        }
        return result
    }

    /// Whether every word occurs in `text`, as the Dutch search finds it (stemmed, accents ignored).
    static func contains(every words: [String], in text: String) -> Bool {
        words.allSatisfy { !SearchQuery($0).matches(in: text).isEmpty }
    }
}
