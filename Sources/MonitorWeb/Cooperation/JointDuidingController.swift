import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Benchlearning (issue 22): from its vergelijkbare gemeenten a gemeente invites peers to interpret the same figures
/// together. One record with the figures of every member and, per gemeente, its own answers to the four duidingsvragen;
/// its members' users see the concept; it is published when every member agreed.
struct JointDuidingController: Sendable {
    let store: any SiteStore
    let renderer: PageRenderer

    /// GET `/gemeenten/{code}/samen-duiden` (`?uitnodigen=GM0014,GM0088&indicator=…&periode=…` fills in the form).
    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var form = JointDuidingForm()
        let q = request.uri.queryParameters
        form.invited = (q.get("uitnodigen") ?? "").replacingOccurrences(of: ",", with: ", ")
        form.indicators = q.getAll("indicator")
        form.period = q.get("periode") ?? ""
        if !form.invited.isEmpty, form.title.isEmpty { form.title = tr("Samen duiden met vergelijkbare gemeenten") }
        return try await listPage(gemeente: gemeente, context: context, form: form)
    }

    /// POST `/gemeenten/{code}/samen-duiden`: a new joint record of this gemeente with the gemeenten it invites.
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        var form = JointDuidingForm(context.form)
        let (invited, unknown) = try await store.gemeenten(typed: form.invited)
        var problems = unknown.map { (part: JointDuiding.Part.invited, message: tr("onbekende gemeente: {0}", $0)) }
        for id in form.indicators where context.catalog[id] == nil { problems.append((.indicators, tr("onbekende indicator '{0}'", id))) }
        let record = JointDuiding(host: gemeente.code, invited: invited, title: form.title, indicators: form.indicators, period: form.period)
        problems += record.partProblems()
        if problems.isEmpty {
            let saved = try await store.createJointDuiding(record, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.jointDuiding(saved.id).path])
        }
        form.problems = problems
        return try await listPage(gemeente: gemeente, context: context, form: form, status: .badRequest)
    }

    /// GET `/samen-duiden/{id}`.
    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let record = try await visible(context, returnTo: request.uri.path)
        var page = try await detailPage(record, context: context)
        page.message = request.uri.queryParameters.get("melding").flatMap { $0 == "opgeslagen" ? tr("Opgeslagen.") : $0 == "ingestemd" ? tr("Ingestemd met publiceren.") : nil }
        return renderer.response(page, chrome: context.chrome)
    }

    /// POST `…/antwoorden` (`gemeente`, one field per question): a member's own answers.
    func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try member(context)
        let account = try context.require(.editGemeente(gemeente))
        var answers: [DuidingQuestion: String] = [:]
        for question in DuidingQuestion.allCases { answers[question] = context.form["vraag-\(question.rawValue)"] ?? "" }
        let record = try await store.answerJointDuiding(id: context.recordID, gemeente: gemeente, answers: answers, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.jointDuiding(record.id).url([("melding", "opgeslagen")])])
    }

    /// POST `…/publiceren` (`gemeente`): a member agrees to publish; the last one publishes.
    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try member(context)
        let account = try context.require(.publishGemeente(gemeente))
        let record = try await store.consentJointDuiding(id: context.recordID, gemeente: gemeente, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.jointDuiding(record.id).url([("melding", "ingestemd")])])
    }

    // MARK: Helpers

    func member(_ context: AppRequestContext) throws -> AreaCode {
        guard let code = AreaCode((context.form["gemeente"] ?? "").uppercased()), code.kind == .gemeente else {
            _ = try context.requireAccount(returnTo: nil)
            throw AppError.badRequest(parameter: "gemeente", message: tr("kies de gemeente waarvoor u antwoordt"))
        }
        return code
    }

    /// The record when this visitor may see it: published for all; a concept for the users of its gemeenten and beheerders
    /// (others: not found; anonymous visitors are sent to log in first).
    func visible(_ context: AppRequestContext, returnTo: String?) async throws -> JointDuiding {
        let notFound = tr("Dit gesprek bestaat niet.")
        let record = try await store.jointDuiding(id: context.recordID)
        if let record, record.status == .gepubliceerd { return record }
        guard let account = context.account else {
            if let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.notFound(notFound)
        }
        guard let record, record.status != .ingetrokken, record.members.contains(where: { account.may(.readDrafts($0)) }) else {
            throw AppError.notFound(notFound)
        }
        return record
    }

    func listPage(gemeente: Area, context: AppRequestContext, form: JointDuidingForm, status: HTTPResponse.Status = .ok) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        let records = try await store.jointDuidingen(gemeente: gemeente.code, includeConcepts: mayRead)
        let names = try await store.gemeenteNames()
        var page = JointDuidingListPage(gemeente: gemeente, records: records, names: names)
        if context.account?.may(.editGemeente(gemeente.code)) == true {
            page.form = form.view(catalog: context.catalog, csrf: context.csrfToken, action: SiteRoute.jointDuidingen(gemeente.code.rawValue).path)
            page.feedback = FormFeedback(problems: form.problems, fields: JointDuidingForm.fields)
        }
        return renderer.response(page, chrome: context.chrome, status: status)
    }

    func detailPage(_ record: JointDuiding, context: AppRequestContext) async throws -> JointDuidingPage {
        let names = try await store.gemeenteNames()
        // The figures of every member for the chosen period, after the privacy rule like every page.
        var values: [String: [AreaCode: Observation]] = [:]
        for indicator in record.indicators where context.catalog[indicator] != nil {
            for o in try await store.observations(ObservationQuery(indicator: indicator, areas: record.members, period: record.period)).items {
                values[indicator, default: [:]][o.area] = o
            }
        }
        var page = JointDuidingPage(record, names: names, values: values, catalog: context.catalog)
        page.forms = record.members.filter { context.account?.may(.editGemeente($0)) == true }.map { gemeente in
            JointDuidingPage.AnswerForm(gemeente: gemeente.rawValue, gemeenteName: names[gemeente] ?? gemeente.rawValue, csrf: context.csrfToken,
                                        answerAction: SiteRoute.action(.jointDuidingAnswer, id: record.id).path,
                                        publishAction: SiteRoute.action(.jointDuidingPublish, id: record.id).path,
                                        questions: DuidingQuestion.allCases.map { .init(id: "vraag-\($0.rawValue)-\(gemeente.rawValue)", name: "vraag-\($0.rawValue)",
                                                                                        text: $0.text, answer: record.answer(gemeente, $0)) },
                                        mayConsent: record.status == .concept && !record.hasConsented(gemeente)
                                            && context.account?.may(.publishGemeente(gemeente)) == true,
                                        isConcept: record.status == .concept)
        }
        return page
    }
}

/// The form for a new joint record.
struct JointDuidingForm: Sendable {
    var title = ""
    var invited = ""
    var indicators: [String] = []
    var period = ""
    var problems: [(part: JointDuiding.Part, message: String)] = []

    static var fields: [(part: JointDuiding.Part, id: String, label: String)] { [
        (.title, "titel", tr("Titel")), (.invited, "uitnodigen", tr("Vergelijkbare gemeenten die u uitnodigt (codes of namen)")),
        (.indicators, "indicator", tr("Cijfers om samen te duiden")), (.period, "periode", tr("Periode")),
    ] }

    init() {}

    init(_ form: FormData) {
        title = (form["titel"] ?? "").trimmedWhitespace
        invited = form["uitnodigen"] ?? ""
        indicators = form.all("indicator").filter { !$0.isEmpty }
        period = (form["periode"] ?? "").trimmedWhitespace
    }

    struct View: Sendable {
        var action: String
        var csrf: String
        var title: String
        var invited: String
        var indicators: [Option]
        var period: String
    }

    func view(catalog: Catalog, csrf: String, action: String) -> View {
        View(action: action, csrf: csrf, title: title, invited: invited,
             indicators: catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: indicators.contains($0.id)) }, period: period)
    }
}
