import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// `/evaluaties`: the evaluatiebank — submit a study (analisten), review it (beheerder), faceted and full-text search.
struct EvaluationController: KnowledgeController {
    let store: any Store & KnowledgeStore
    let renderer: PageRenderer

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
            group("sfeer", tr("Sfeer")) { $0.spheres.map { ($0.rawValue, $0.shortLabel) } },
            group("perspectief", tr("Perspectief")) { $0.perspectives.map { ($0.rawValue, $0.label) } },
            group("opzet", tr("Opzet")) { [($0.design.rawValue, $0.design.label)] },
            group("soort", tr("Soort voorziening")) { [($0.facilityKind?.rawValue ?? "overig", $0.facilityKind?.label ?? tr("geen voorziening / overig"))] },
            group("jaar", tr("Jaar")) { [(String($0.year), String($0.year))] },
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
                         message: String? = nil, errors: [String] = [], feedback: FormFeedback = FormFeedback(),
                         status: HTTPResponse.Status = .ok) async throws -> Response {
        let query = SearchQuery(filters.q)
        var page = EvaluationListPage(q: filters.q, facets: facets, total: studies.count,
                                      rows: studies.prefix(200).map { EvaluationRow($0, query: query) })
        page.message = message
        page.errors = errors
        page.feedback = feedback
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
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: SiteRoute.apiEvaluations.path)
    }

    /// POST (multipart): a study with an optional file; it waits for a beheerder.
    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let requested = AreaCode(form["gemeente"] ?? "")
        let account: Account
        if let requested { account = try context.require(.submitStudy(requested)) } else { account = try context.require(.reviewKnowledge) }
        var studyForm = StudyForm(form)
        var problems: [(field: String, message: String)] = []
        var file: StoredFile?
        if let upload = form.files["bestand"], !upload.data.isEmpty {
            let name = upload.fileName.isEmpty ? "bestand" : (upload.fileName as NSString).lastPathComponent
            do {
                file = StoredFile(name: name, type: StudyForm.mimeType(name), data: upload.data, text: try DocumentText.extract(upload.data, fileName: name))
            } catch let error as ImportError {
                problems.append(("bestand", error.description))
            }
        }
        var study = studyForm.study()
        study.review = .ingediend
        study.submittedFor = requested
        if let requested { study.gemeenten = [requested] }
        problems += study.fieldProblems().map { (StudyForm.field($0.field), $0.message) }
        if problems.isEmpty {
            let saved = try await store.submitStudy(study, file: file, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.evaluation(saved.id).path])
        }
        studyForm.gemeente = requested?.rawValue ?? ""
        let filters = Filters(request)
        let (studies, facets) = try await findStudies(filters, viewer: viewer(context))
        return try await evaluationsPage(filters: filters, studies: studies, facets: facets, context: context, form: studyForm,
                                         feedback: FormFeedback(problems: problems, fields: StudyForm.fields), status: .badRequest)
    }

    func evaluation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let study = try await visibleStudy(context, returnTo: request.uri.path)
        if request.uri.queryParameters.get("bestand") == "ja" {
            guard let file = try await store.studyFile(id: study.id) else { throw AppError.notFound(tr("Deze studie heeft geen bestand.")) }
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
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: SiteRoute.apiEvaluations.path)
    }

    /// POST `/evaluaties/{id}/goedkeuren` (beheerder): the study becomes visible to every gemeente.
    func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await review(approve: true, context: context)
    }

    /// POST `/evaluaties/{id}/afwijzen` with `reden` (beheerder): the submitter sees the reason.
    func reject(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await review(approve: false, context: context)
    }

    private func review(approve: Bool, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.reviewKnowledge)
        let study = try await visibleStudy(context, returnTo: nil)
        do {
            let reviewed = try await store.reviewStudy(id: study.id, approve: approve, reason: context.form["reden"] ?? "", actor: account.username)
            return try await evaluationPage(reviewed, context: context, message: reviewed.review == .goedgekeurd
                                            ? tr("Goedgekeurd: de studie is nu voor alle gemeenten zichtbaar.") : tr("Afgewezen; de indiener ziet de reden."))
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
            throw AppError.notFound(tr("Deze studie bestaat niet."))
        }
        if !viewer(context).sees(study) {
            if context.account == nil, let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.notFound(tr("Deze studie bestaat niet (of wacht nog op beoordeling)."))
        }
        return study
    }
}
