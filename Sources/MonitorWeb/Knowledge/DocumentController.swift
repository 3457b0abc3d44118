import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// `/documenten`: council documents — upload, a term per year and gemeente, keyword in context, goal sentences with
/// perspectives by keyword rules a beheerder can edit (`/documenten/regels`).
struct DocumentController: KnowledgeController {
    let store: any Store & KnowledgeStore
    let renderer: PageRenderer
    let layers: MapLayerCache
    /// The shipped rules (`catalog/documentanalyse.regels`, read once at start), used until a beheerder saves their own.
    let shippedRules: String
    /// Analyses kept per term and state of the documents (see ``analyse(term:)``).
    let analysisCache = KeptResults<Analysis>(capacity: 32)

    static let defaultTerm = "\"pedagogische basis\""

    func currentRules() async throws -> (rules: PerspectiveRules, text: String, note: String) {
        if let saved = try await store.analysisRules() {
            return (try PerspectiveRules.parse(saved.text), saved.text, tr("Aangepast door {0} op {1}.", saved.savedBy, saved.savedAt.prefix(10)))
        }
        return (try PerspectiveRules.parse(shippedRules), shippedRules, tr("De meegeleverde regels (catalog/documentanalyse.regels)."))
    }

    /// What the documents say about a term: those that mention it (newest first), per year and gemeente, goal sentences.
    struct Analysis: Sendable {
        var term: String
        var query: SearchQuery
        var documents: [CouncilDocument]
        var goals: [DocumentAnalysis.GoalSentence]
        var years: [DocumentAnalysis.YearCount]
        var byGemeente: [AreaCode: [Int: Int]]
    }

    /// Analyses are computed once per term and state of the documents and rules, not per page view (an anonymous
    /// visitor asking again gets the kept result).
    func analyse(term: String) async throws -> Analysis {
        let key = try await store.documentStamp() + "|" + term
        if let kept = await analysisCache.value(for: key) { return kept }
        let analysis = try await computeAnalysis(term: term)
        await analysisCache.store(analysis, for: key)
        return analysis
    }

    func computeAnalysis(term: String) async throws -> Analysis {
        let query = SearchQuery(term)
        let documents = query.isEmpty ? []
            : try await foundDocuments(query, limit: 20_000, offset: 0).documents.sorted { ($0.date.day, $0.id) > ($1.date.day, $1.id) }
        let rules = try await currentRules().rules
        let (years, byGemeente) = DocumentAnalysis.perYear(documents, term: query)
        return Analysis(term: term, query: query, documents: documents,
                        goals: documents.flatMap { DocumentAnalysis.goalSentences($0, term: query, rules: rules) }, years: years, byGemeente: byGemeente)
    }

    static func term(_ request: Request) -> String {
        request.uri.queryParameters.get("term").flatMap { $0.isEmpty ? nil : $0 } ?? defaultTerm
    }

    func documents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let analysis = try await analyse(term: Self.term(request))
        if request.uri.queryParameters.get("formaat") == "csv" {
            return csvResponse(DocumentCSV.csv(goals: analysis.goals, byGemeente: analysis.byGemeente, names: try await gemeenteNames()),
                               name: "raadsstukken-analyse.csv")
        }
        return try await documentsPage(analysis, context: context)
    }


    func documentsPage(_ a: Analysis, context: AppRequestContext, message: String? = nil, feedback: FormFeedback = FormFeedback(),
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let names = try await gemeenteNames()
        let layer = try await layers.layer(kind: .gemeente, gemeente: nil)
        var page = DocumentsPage(term: a.term, query: a.query, documents: a.documents, goals: a.goals, years: a.years, byGemeente: a.byGemeente,
                                 names: names, layer: layer, total: try await store.documentCount(), catalog: context.catalog)
        page.message = message
        page.feedback = feedback
        if context.account?.may(.reviewKnowledge) == true {
            page.mayRemove = true
            page.csrf = context.csrfToken
        }
        if let account = context.account {
            let gemeenten = account.may(.reviewKnowledge) ? try await store.areas(kind: .gemeente).map(\.code)
                : account.gemeenten.filter { account.may(.editGemeente($0)) }
            if !gemeenten.isEmpty {
                page.mayUpload = true
                page.csrf = context.csrfToken
                let chosen = feedback.values["gemeente"]
                page.gemeenten = gemeenten.map { Option(value: $0.rawValue, label: names[$0] ?? $0.rawValue, selected: $0.rawValue == chosen) }
                page.kinds = page.kinds.map { Option(value: $0.value, label: $0.label, selected: $0.value == feedback.values["soort"]) }
            }
        }
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: SiteRoute.apiDocumentAnalysis.url([("term", a.term)]))
    }

    /// POST `/documenten/verwijderen` with `document=ID`: a beheerder removes a document (audited).
    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.reviewKnowledge)
        guard let id = Int(context.form["document"] ?? ""), try await store.removeDocument(id: id, actor: account.username) else {
            throw AppError.notFound(tr("Dit raadsstuk bestaat niet (meer)."))
        }
        return try await documentsPage(try await analyse(term: Self.term(request)), context: context, message: tr("Het raadsstuk is verwijderd."))
    }

    /// POST (multipart): a document with gemeente, date, kind and title; the file as text, HTML or PDF.
    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        guard let gemeente = AreaCode(form["gemeente"] ?? ""), gemeente.kind == .gemeente else {
            throw AppError.badRequest(parameter: "gemeente", message: tr("kies een gemeente"))
        }
        let account = try context.require(.editGemeente(gemeente))
        // Each problem at its field; the file's own problem names what was expected of it.
        var errors: [(field: String, message: String)] = []
        let date = ReferenceDate(form["datum"] ?? "")
        if date == nil { errors.append(("datum", tr("verwacht een datum als 2024-05-14"))) }
        let kind = CouncilDocument.Kind(text: form["soort"] ?? "")
        if kind == nil { errors.append(("soort", tr("kies een van: {0}", CouncilDocument.Kind.allCases.map(\.rawValue).joined(separator: ", ")))) }
        let title = (form["titel"] ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty { errors.append(("titel", tr("vul de titel van het raadsstuk in"))) }
        var text = ""
        if let file = form.files["bestand"], !file.data.isEmpty {
            do { text = try DocumentText.extract(file.data, fileName: (file.fileName as NSString).lastPathComponent) } catch let error as ImportError {
                errors.append(("bestand", tr("Verwacht: {0}", error.expected)))
            }
        } else {
            errors.append(("bestand", tr("kies een .txt-, .html- of .pdf-bestand")))
        }
        var message: String?
        if errors.isEmpty, let date, let kind {
            let name = (form.files["bestand"]?.fileName as NSString?)?.lastPathComponent ?? "document"
            let document = CouncilDocument(gemeente: gemeente, date: date, kind: kind, title: title,
                                           source: CouncilDocument.fileSource("upload", gemeente: gemeente, date: date, fileName: name, text: text), text: text)
            do {
                let result = try await store.addDocuments([document], actor: account.username)
                message = result.added == 1 ? tr("'{0}' is toegevoegd.", title) : tr("Dit document stond er al in.")
            } catch let error as KnowledgeError {
                errors.append(("bestand", error.description))
            }
        }
        let feedback = FormFeedback(problems: errors, fields: DocumentsPage.fields,
                                    typed: errors.isEmpty ? [:] : ["gemeente": gemeente.rawValue, "datum": form["datum"] ?? "", "soort": form["soort"] ?? "", "titel": title])
        return try await documentsPage(try await analyse(term: Self.defaultTerm), context: context, message: message, feedback: feedback,
                                       status: errors.isEmpty ? .ok : .badRequest)
    }

    func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let current = try await currentRules()
        return rulesPage(text: current.text, note: current.note, context: context)
    }

    func rulesPage(text: String, note: String, context: AppRequestContext, message: String? = nil, feedback: FormFeedback = FormFeedback(),
                   status: HTTPResponse.Status = .ok) -> Response {
        var page = RulesPage(text: text, note: note, rules: (try? PerspectiveRules.parse(text)) ?? PerspectiveRules(goalMarkers: [], perspectives: []))
        page.message = message
        page.feedback = feedback
        if context.account?.may(.reviewKnowledge) == true {
            page.mayEdit = true
            page.csrf = context.csrfToken
        }
        return renderer.response(page, chrome: context.chrome, status: status)
    }

    /// POST `regels` (beheerder).
    func saveRules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.reviewKnowledge)
        let text = (context.form["regels"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        do {
            try await store.saveAnalysisRules(text, actor: account.username)
        } catch let problems as ImportProblems {
            // Every problem at the one field, by its line in it.
            let feedback = FormFeedback(problems: problems.problems.map { ("regels", tr("regel {0}: verwacht {1} (gevonden: \"{2}\")", $0.line ?? 0, $0.expected, $0.found ?? "")) },
                                        fields: [("regels", tr("Regels"))])
            return rulesPage(text: text, note: "", context: context, feedback: feedback, status: .badRequest)
        }
        let current = try await currentRules()
        return rulesPage(text: current.text, note: current.note, context: context, message: tr("Opgeslagen; de analyse gebruikt nu deze regels."))
    }

    func analysisJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await analyse(term: Self.term(request))
        return try JSONResponse.make(AnalysisJSON(term: a.term, years: a.years, byGemeente: a.byGemeente, goals: a.goals),
                                     htmlAlternate: SiteRoute.documents.url([("term", a.term)]))
    }
}
