import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// Knowledge shared between gemeenten (report §4.3): the evaluatiebank (submit, review, faceted and full-text search)
/// and council documents (upload, a term per year and gemeente, keyword in context, goal sentences with perspectives
/// by editable keyword rules), with one Dutch-aware search over both.
struct KnowledgeController: Sendable {
    let store: any Store & KnowledgeStore
    let renderer: PageRenderer
    let layers: MapLayerCache
    /// The shipped rules (`catalog/documentanalyse.regels`, read once at start), used until a beheerder saves their own.
    let shippedRules: String
    /// Analyses kept per term and state of the documents (see ``analyse(term:)``).
    let analysisCache = KeptResults<Analysis>(capacity: 32)

    static let defaultTerm = "\"pedagogische basis\""

    func viewer(_ context: AppRequestContext) -> KnowledgeViewer {
        guard let account = context.account else { return .anonymous }
        return KnowledgeViewer(all: account.may(.reviewKnowledge), gemeenten: Set(account.gemeenten))
    }

    // MARK: Evaluatiebank

    struct Filters: Sendable {
        var q = "", sphere = "", perspective = "", design = "", kind = "", year = ""

        init(_ request: Request) {
            let p = request.uri.queryParameters
            q = p.get("q") ?? ""
            sphere = p.get("sfeer") ?? ""
            perspective = p.get("perspectief") ?? ""
            design = p.get("opzet") ?? ""
            kind = p.get("soort") ?? ""
            year = p.get("jaar") ?? ""
        }

        /// Whether a study passes every facet except `skipping`.
        func passes(_ s: EvaluationStudy, skipping: String = "") -> Bool {
            (skipping == "sfeer" || sphere.isEmpty || s.spheres.map(\.rawValue).contains(sphere))
                && (skipping == "perspectief" || perspective.isEmpty || s.perspectives.map(\.rawValue).contains(perspective))
                && (skipping == "opzet" || design.isEmpty || s.design.rawValue == design)
                && (skipping == "soort" || kind.isEmpty || (s.facilityKind?.rawValue ?? "overig") == kind)
                && (skipping == "jaar" || year.isEmpty || String(s.year) == year)
        }
    }

    /// The studies the viewer may see, best first for a query (newest first without one).
    func rankedStudies(_ query: SearchQuery, viewer: KnowledgeViewer) async throws -> [EvaluationStudy] {
        let studies = try await store.studies(visibleTo: viewer)
        guard !query.isEmpty else { return studies.sorted { ($0.year, $1.title) > ($1.year, $0.title) } }
        let byID = Dictionary(studies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try await store.search(query, in: .evaluation, limit: 5000, offset: 0).hits.compactMap { byID[$0.ref] }
    }

    /// A page of documents matching the query, best first, with the total.
    func foundDocuments(_ query: SearchQuery, limit: Int, offset: Int) async throws -> (documents: [CouncilDocument], total: Int) {
        let found = try await store.search(query, in: .document, limit: limit, offset: offset)
        return (try await store.documents(ids: found.hits.map(\.ref)), found.total)
    }

    /// The visible studies matching the query and facets, best first, with the facet counts.
    func findStudies(_ filters: Filters, viewer: KnowledgeViewer) async throws -> (studies: [EvaluationStudy], facets: [FacetGroup]) {
        let studies = try await rankedStudies(SearchQuery(filters.q), viewer: viewer)
        func group(_ key: String, _ label: String, _ values: (EvaluationStudy) -> [(String, String)]) -> FacetGroup {
            var counts: [String: (label: String, count: Int)] = [:]
            for study in studies where filters.passes(study, skipping: key) {
                for (value, text) in values(study) { counts[value, default: (text, 0)].count += 1 }
            }
            let selected = [("sfeer", filters.sphere), ("perspectief", filters.perspective), ("opzet", filters.design), ("soort", filters.kind),
                            ("jaar", filters.year)].first { $0.0 == key }?.1 ?? ""
            return FacetGroup(key: key, label: label, options: counts.sorted { $0.key < $1.key }.map {
                FacetOption(value: $0.key, label: $0.value.label, count: $0.value.count, selected: $0.key == selected)
            })
        }
        let facets = [
            group("sfeer", "Sfeer") { $0.spheres.map { ($0.rawValue, $0.shortLabel) } },
            group("perspectief", "Perspectief") { $0.perspectives.map { ($0.rawValue, $0.label) } },
            group("opzet", "Opzet") { [($0.design.rawValue, $0.design.label)] },
            group("soort", "Soort voorziening") { [($0.facilityKind?.rawValue ?? "overig", $0.facilityKind?.label ?? "geen voorziening / overig")] },
            group("jaar", "Jaar") { [(String($0.year), String($0.year))] },
        ]
        return (studies.filter { filters.passes($0) }, facets)
    }

    func evaluations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filters = Filters(request)
        let viewer = viewer(context)
        let (studies, facets) = try await findStudies(filters, viewer: viewer)
        if request.uri.queryParameters.get("formaat") == "csv" {
            return csvResponse(StudyCSV.csv(studies), name: "evaluatiebank.csv")
        }
        return try await evaluationsPage(filters: filters, studies: studies, facets: facets, context: context)
    }

    func evaluationsPage(filters: Filters, studies: [EvaluationStudy], facets: [FacetGroup], context: AppRequestContext, form: StudyForm? = nil,
                         message: String? = nil, errors: [String] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let query = SearchQuery(filters.q)
        var page = EvaluationListPage(q: filters.q, facets: facets, total: studies.count,
                                      rows: studies.prefix(200).map { EvaluationRow($0, query: query) })
        page.message = message
        page.errors = errors
        if let account = context.account {
            let gemeenten = account.may(.reviewKnowledge) ? [] : account.gemeenten.filter { account.may(.submitStudy($0)) }
            if account.may(.reviewKnowledge) || !gemeenten.isEmpty {
                var form = form ?? StudyForm()
                form.csrf = context.csrfToken
                var options: [Option] = []
                for code in gemeenten { options.append(Option(value: code.rawValue, label: try await store.area(code)?.name ?? code.rawValue, selected: code.rawValue == form.gemeente)) }
                form.gemeenten = options
                form.forAll = account.may(.reviewKnowledge)
                page.form = form
            }
            if account.may(.reviewKnowledge) {
                page.queue = try await store.studies(visibleTo: KnowledgeViewer(all: true)).filter { $0.review == .ingediend }
                    .map { QueueRow(title: $0.title, organisation: $0.organisation, url: SiteRoute.evaluation($0.id).path) }
            }
        }
        page.csvURL = SiteRoute.evaluations.url([("q", filters.q), ("sfeer", filters.sphere), ("perspectief", filters.perspective), ("opzet", filters.design),
                                                 ("soort", filters.kind), ("jaar", filters.year), ("formaat", "csv")])
        return renderer.response(page, template: "pages/evaluations", status: status, jsonAlternate: SiteRoute.apiEvaluations.path)
    }

    /// POST (multipart): a study with an optional file; it waits for a beheerder.
    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let requested = AreaCode(form["gemeente"] ?? "")
        let account: Account
        if let requested { account = try context.require(.submitStudy(requested)) } else { account = try context.require(.reviewKnowledge) }
        var studyForm = StudyForm(form)
        var errors: [String] = []
        var file: StoredFile?
        if let upload = form.files["bestand"], !upload.data.isEmpty {
            let name = upload.fileName.isEmpty ? "bestand" : (upload.fileName as NSString).lastPathComponent
            do {
                file = StoredFile(name: name, type: StudyForm.mimeType(name), data: upload.data, text: try DocumentText.extract(upload.data, fileName: name))
            } catch let error as ImportError {
                errors.append(error.description)
            }
        }
        var study = studyForm.study()
        study.review = .ingediend
        study.submittedFor = requested
        if let requested { study.gemeenten = [requested] }
        errors += study.problems()
        if errors.isEmpty {
            let saved = try await store.submitStudy(study, file: file, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.evaluation(saved.id).path])
        }
        studyForm.gemeente = requested?.rawValue ?? ""
        let filters = Filters(request)
        let (studies, facets) = try await findStudies(filters, viewer: viewer(context))
        return try await evaluationsPage(filters: filters, studies: studies, facets: facets, context: context, form: studyForm, errors: errors,
                                         status: .badRequest)
    }

    func evaluation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let study = try await visibleStudy(context, returnTo: request.uri.path)
        if request.uri.queryParameters.get("bestand") == "ja" {
            guard let file = try await store.studyFile(id: study.id) else { throw AppError.notFound("Deze studie heeft geen bestand.") }
            return Response(status: .ok, headers: [.contentType: file.type.isEmpty ? "application/octet-stream" : file.type,
                                                   .contentDisposition: "attachment; filename=\"\(file.name.replacingOccurrences(of: "\"", with: ""))\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        return try await evaluationPage(study, context: context)
    }

    func evaluationPage(_ study: EvaluationStudy, context: AppRequestContext, message: String? = nil, errors: [String] = [],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        var names: [String] = []
        for code in study.gemeenten { names.append(try await store.area(code)?.name ?? code.rawValue) }
        var page = EvaluationPage(study, gemeenteNames: names)
        page.message = message
        page.errors = errors
        if context.account?.may(.reviewKnowledge) == true && study.review == .ingediend {
            page.mayReview = true
            page.csrf = context.csrfToken
        }
        return renderer.response(page, template: "pages/evaluation", status: status, jsonAlternate: SiteRoute.apiEvaluations.path)
    }

    /// POST `actie=goedkeuren|afwijzen` with `reden` (beheerder).
    func review(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.reviewKnowledge)
        let study = try await visibleStudy(context, returnTo: nil)
        let action = context.form["actie"] ?? ""
        guard action == "goedkeuren" || action == "afwijzen" else { throw AppError.badRequest(parameter: "actie", message: "kies goedkeuren of afwijzen") }
        do {
            let reviewed = try await store.reviewStudy(id: study.id, approve: action == "goedkeuren", reason: context.form["reden"] ?? "", actor: account.username)
            return try await evaluationPage(reviewed, context: context, message: reviewed.review == .goedgekeurd
                                            ? "Goedgekeurd: de studie is nu voor alle gemeenten zichtbaar." : "Afgewezen; de indiener ziet de reden.")
        } catch let error as KnowledgeError {
            return try await evaluationPage(study, context: context, errors: [error.description], status: .badRequest)
        }
    }

    func evaluationsJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let filters = Filters(request)
        let (studies, _) = try await findStudies(filters, viewer: viewer(context))
        let query = SearchQuery(filters.q)
        return try JSONResponse.make(ListBody(items: studies.map { StudyJSON($0, query: query) }, total: studies.count, limit: studies.count, offset: 0,
                                              next_url: nil, bron: "Evaluatiebank van de monitor"), htmlAlternate: SiteRoute.evaluations.path)
    }

    func visibleStudy(_ context: AppRequestContext, returnTo: String?) async throws -> EvaluationStudy {
        guard let id = context.parameters.get("id", as: Int.self), let study = try await store.study(id: id) else {
            throw AppError.notFound("Deze studie bestaat niet.")
        }
        if !viewer(context).sees(study) {
            if context.account == nil, let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.notFound("Deze studie bestaat niet (of wacht nog op beoordeling).")
        }
        return study
    }

    // MARK: Council documents

    func currentRules() async throws -> (rules: PerspectiveRules, text: String, note: String) {
        if let saved = try await store.analysisRules() {
            return (try PerspectiveRules.parse(saved.text), saved.text, "Aangepast door \(saved.savedBy) op \(saved.savedAt.prefix(10)).")
        }
        return (try PerspectiveRules.parse(shippedRules), shippedRules, "De meegeleverde regels (catalog/documentanalyse.regels).")
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

    func gemeenteNames() async throws -> [AreaCode: String] {
        Dictionary(try await store.areas(kind: .gemeente).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func documentsPage(_ a: Analysis, context: AppRequestContext, message: String? = nil, errors: [String] = [],
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let names = try await gemeenteNames()
        let layer = try await layers.layer(kind: .gemeente, gemeente: nil)
        var page = DocumentsPage(term: a.term, query: a.query, documents: a.documents, goals: a.goals, years: a.years, byGemeente: a.byGemeente,
                                 names: names, layer: layer, total: try await store.documentCount(), catalog: context.catalog)
        page.message = message
        page.errors = errors
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
                page.gemeenten = gemeenten.map { Option(value: $0.rawValue, label: names[$0] ?? $0.rawValue, selected: false) }
            }
        }
        return renderer.response(page, template: "pages/documents", status: status, jsonAlternate: SiteRoute.apiDocumentAnalysis.url([("term", a.term)]))
    }

    /// POST (multipart): a document with gemeente, date, kind and title; the file as text, HTML or PDF.
    /// With `actie=verwijderen` and `document=ID`: a beheerder removes a document (audited).
    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        if form["actie"] == "verwijderen" {
            let account = try context.require(.reviewKnowledge)
            guard let id = Int(form["document"] ?? ""), try await store.removeDocument(id: id, actor: account.username) else {
                throw AppError.notFound("Dit raadsstuk bestaat niet (meer).")
            }
            return try await documentsPage(try await analyse(term: Self.term(request)), context: context, message: "Het raadsstuk is verwijderd.")
        }
        guard let gemeente = AreaCode(form["gemeente"] ?? ""), gemeente.kind == .gemeente else {
            throw AppError.badRequest(parameter: "gemeente", message: "kies een gemeente")
        }
        let account = try context.require(.editGemeente(gemeente))
        var errors: [String] = []
        let date = ReferenceDate(form["datum"] ?? "")
        if date == nil { errors.append("datum: een datum als 2024-05-14") }
        let kind = CouncilDocument.Kind(text: form["soort"] ?? "")
        if kind == nil { errors.append("soort: \(CouncilDocument.Kind.allCases.map(\.rawValue).joined(separator: ", "))") }
        let title = (form["titel"] ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty { errors.append("titel: verplicht") }
        var text = ""
        if let file = form.files["bestand"], !file.data.isEmpty {
            do { text = try DocumentText.extract(file.data, fileName: (file.fileName as NSString).lastPathComponent) } catch let error as ImportError {
                errors.append(error.description)
            }
        } else {
            errors.append("bestand: kies een .txt-, .html- of .pdf-bestand")
        }
        var message: String?
        if errors.isEmpty, let date, let kind {
            let name = (form.files["bestand"]?.fileName as NSString?)?.lastPathComponent ?? "document"
            let document = CouncilDocument(gemeente: gemeente, date: date, kind: kind, title: title,
                                           source: CouncilDocument.fileSource("upload", gemeente: gemeente, date: date, fileName: name, text: text), text: text)
            do {
                let result = try await store.addDocuments([document], actor: account.username)
                message = result.added == 1 ? "'\(title)' is toegevoegd." : "Dit document stond er al in."
            } catch let error as KnowledgeError {
                errors.append(error.description)
            }
        }
        return try await documentsPage(try await analyse(term: Self.defaultTerm), context: context, message: message, errors: errors,
                                       status: errors.isEmpty ? .ok : .badRequest)
    }

    func rules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let current = try await currentRules()
        return rulesPage(text: current.text, note: current.note, context: context)
    }

    func rulesPage(text: String, note: String, context: AppRequestContext, message: String? = nil, errors: [String] = [],
                   status: HTTPResponse.Status = .ok) -> Response {
        var page = RulesPage(text: text, note: note, rules: (try? PerspectiveRules.parse(text)) ?? PerspectiveRules(goalMarkers: [], perspectives: []))
        page.message = message
        page.errors = errors
        if context.account?.may(.reviewKnowledge) == true {
            page.mayEdit = true
            page.csrf = context.csrfToken
        }
        return renderer.response(page, template: "pages/document-rules", status: status)
    }

    /// POST `regels` (beheerder).
    func saveRules(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.reviewKnowledge)
        let text = (context.form["regels"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        do {
            try await store.saveAnalysisRules(text, actor: account.username)
        } catch let problems as ImportProblems {
            return rulesPage(text: text, note: "", context: context,
                             errors: problems.problems.map { "regel \($0.line ?? 0): verwacht \($0.expected) (gevonden: \"\($0.found ?? "")\")" },
                             status: .badRequest)
        }
        let current = try await currentRules()
        return rulesPage(text: current.text, note: current.note, context: context, message: "Opgeslagen; de analyse gebruikt nu deze regels.")
    }

    func analysisJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try await analyse(term: Self.term(request))
        return try JSONResponse.make(AnalysisJSON(term: a.term, years: a.years, byGemeente: a.byGemeente, goals: a.goals),
                                     htmlAlternate: SiteRoute.documents.url([("term", a.term)]))
    }

    // MARK: Search over both

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
            default: throw AppError.badRequest(parameter: "in", message: "kies documenten of evaluaties")
            }
            limit = min(max(Int(p.get("limit") ?? "") ?? 20, 1), 100)
            offset = min(max(Int(p.get("offset") ?? "") ?? 0, 0), Int(Int32.max))
            if q.count > 500 { throw AppError.badRequest(parameter: "q", message: "hoogstens 500 tekens") }
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
        return renderer.response(page, template: "pages/search", jsonAlternate: SiteRoute.apiSearch.url([("q", s.q)]))
    }

    func searchJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try SearchRequest(request)
        guard !SearchQuery(s.q).isEmpty else { throw AppError.badRequest(parameter: "q", message: "geef een of meer zoekwoorden") }
        let (items, total) = try await runSearch(s, context: context)
        let next = s.offset + items.count < total
            ? SiteRoute.apiSearch.url([("q", s.q), ("in", s.kind.rawValue), ("limit", String(s.limit)), ("offset", String(s.offset + s.limit))]) : nil
        return try JSONResponse.make(ListBody(items: items, total: total, limit: s.limit, offset: s.offset, next_url: next,
                                              bron: s.kind == .document ? "Raadsstukken in de monitor" : "Evaluatiebank van de monitor"),
                                     htmlAlternate: SiteRoute.search.url([("q", s.q)]))
    }

    func csvResponse(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
