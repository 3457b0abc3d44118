import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Questionnaires for professionals: a builder (start from one of the two templates, edit the plain-text definition while
/// it is a concept), rounds with an anonymous link, the respondent's pages (one section per page, no account), and the
/// results — scale scores with Cronbach's alpha per round, per sphere of the respondents and over time, nothing for a
/// group under 10. A published round's scale scores become figures of the catalogue's questionnaire indicators.
struct QuestionnaireController: RecordPages {
    typealias Record = Questionnaire
    let store: any Store & QuestionnaireStore & PublicationStore
    var publications: any Store & PublicationStore { store }
    let renderer: PageRenderer
    /// The installation's public address (configuration `public-url`): links never come from the request's Host header.
    var publicURL = "http://127.0.0.1:8080"

    // MARK: The gemeente's questionnaires

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        return try await listPage(gemeente: gemeente, context: context)
    }

    /// POST with `sjabloon` (a template key or `eigen`): a new concept.
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let key = context.form["sjabloon"] ?? ""
        let questionnaire: Questionnaire
        if let template = QuestionnaireTemplates.template(key) {
            questionnaire = QuestionnaireTemplates.questionnaire(template, gemeente: gemeente.code)
        } else if key == "eigen" {
            questionnaire = Questionnaire(gemeente: gemeente.code, template: "eigen", title: tr("Nieuwe vragenlijst"), introduction: "",
                                          scales: [.init(id: "schaal", name: tr("Mijn schaal"))],
                                          sections: [.init(title: tr("Onderdeel 1"), items: [.init(id: "v1", text: tr("Eerste stelling."), scale: "schaal"),
                                                                                         .init(id: "v2", text: tr("Tweede stelling."), scale: "schaal")])])
        } else {
            throw AppError.badRequest(parameter: "sjabloon", message: tr("kies {0} of eigen", QuestionnaireTemplates.all.map(\.key).joined(separator: ", ")))
        }
        let saved = try await store.saveQuestionnaire(questionnaire, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.questionnaire(gemeente.code.rawValue, saved.id).path])
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var items: [QuestionnaireJSON] = []
        for q in try await store.questionnaires(gemeente: gemeente.code, includeConcepts: false) {
            var rounds: [RoundJSON] = []
            for round in try await store.rounds(questionnaireID: q.id) where round.status == .gepubliceerd {
                let results = try await store.results(of: round, in: q)
                rounds.append(RoundJSON(id: round.id, naam: round.name, gebied: round.area.rawValue, periode: round.period,
                                        resultaten: ResultGroupJSON(results.all), per_sfeer: results.bySphere.map(ResultGroupJSON.init)))
            }
            items.append(QuestionnaireJSON(id: q.id, titel: q.title, sjabloon: q.template,
                                           schalen: q.scales.map { s in .init(id: s.id, naam: s.name, stellingen: q.items(of: s.id).map(\.text)) },
                                           rondes: rounds))
        }
        return try JSONResponse.make(GemeenteListBody(gemeente: gemeente, items: items),
                                     htmlAlternate: SiteRoute.questionnaires(gemeente.code.rawValue).path)
    }

    // MARK: One questionnaire

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let questionnaire = try await record(context, in: gemeente, returnTo: request.uri.path)
        return try await detailResponse(questionnaire, gemeente: gemeente, request: request, context: context,
                                        jsonAlternate: SiteRoute.apiQuestionnaires(gemeente.code.rawValue).path)
    }

    func message(for notice: RecordNotice) -> String {
        notice == .gepubliceerd ? tr("Gepubliceerd: u kunt nu een ronde openen. De stellingen liggen vast; maak een kopie om ze te veranderen.")
            : Self.standardMessage(for: notice)
    }


    /// What an action on one questionnaire gives its page: a message, errors, the definition as typed, new invitation links.
    /// (A page, not a redirect: new invitation codes are shown once and never stored in the clear.)
    struct Outcome {
        var questionnaire: Questionnaire
        var message: String?
        var definition: String?
        var newInvitations: [String] = []
    }

    /// POST `…/{id}/wijzigen`: the title, introduction and plain-text definition of a concept.
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { outcome, form, account, _ in
            outcome.definition = form["definitie"] ?? ""
            let parsed = try QuestionnaireDefinition.parse(outcome.definition ?? "")
            var updated = outcome.questionnaire
            updated.title = (form["titel"] ?? "").trimmingCharacters(in: .whitespaces)
            updated.introduction = (form["inleiding"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            updated.scales = parsed.scales
            updated.sections = parsed.sections
            outcome.questionnaire = try await store.saveQuestionnaire(updated, actor: account.username)
            outcome.definition = nil
            outcome.message = tr("Opgeslagen.")
        }
    }

    /// POST `…/{id}/kopie`: a new concept that starts as a copy (to change the statements of a published one).
    func copy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        var copy = try await record(context, in: gemeente, returnTo: nil)
        copy.id = 0
        copy.title += " (kopie)"
        let saved = try await store.saveQuestionnaire(copy, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.questionnaire(gemeente.code.rawValue, saved.id).path])
    }

    /// POST `…/{id}/ronde-openen`: a round with a name, period, area and single-use invitations, on a published questionnaire.
    func openRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { outcome, form, account, gemeente in
            let name = (form["naam"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw QuestionnaireError.invalid([tr("geef de ronde een naam (bijvoorbeeld 'Wijkteams Noord, najaar 2026')")]) }
            guard let period = TidyImporter.normalizePeriod(form["periode"] ?? "") else {
                throw QuestionnaireError.invalid([tr("periode: een jaar als 2026 of een kwartaal als 2026KW04")])
            }
            guard let area = AreaCode((form["gebied"] ?? "").uppercased()), area.gemeente == gemeente.code, area.kind == .gemeente || area.kind == .wijk,
                  try await store.area(area) != nil else {
                throw QuestionnaireError.invalid([tr("gebied: de gemeente of een van haar wijken")])
            }
            let count = try Self.invitationCount(form["uitnodigingen"])
            let round = try await store.openRound(QuestionnaireRound(questionnaireID: outcome.questionnaire.id, gemeente: gemeente.code, area: area,
                                                                     period: period, name: name, token: ""), actor: account.username)
            outcome.newInvitations = try await store.createInvitations(roundID: round.id, count: count, actor: account.username)
                .map { invitationLink(token: round.token, code: $0) }
            outcome.message = tr("Ronde '{0}' geopend met {1} uitnodigingen. Stuur elke respondent één link hieronder.", round.name, count)
        }
    }

    /// POST `…/{id}/uitnodigingen`: more invitation codes for the round the form's `ronde` names.
    func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { outcome, form, account, _ in
            let round = try await round(form, of: outcome.questionnaire)
            let count = try Self.invitationCount(form["aantal"])
            outcome.newInvitations = try await store.createInvitations(roundID: round.id, count: count, actor: account.username)
                .map { invitationLink(token: round.token, code: $0) }
            outcome.message = tr("{0} nieuwe uitnodigingen voor '{1}'.", count, round.name)
        }
    }

    /// POST `…/{id}/ronde-sluiten`: the round's link takes no more answers.
    func closeRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { outcome, form, account, _ in
            let round = try await store.changeRound(id: try await round(form, of: outcome.questionnaire).id, to: .gesloten, actor: account.username)
            outcome.message = tr("Ronde '{0}' gesloten: de link neemt geen antwoorden meer aan.", round.name)
        }
    }

    /// POST `…/{id}/ronde-publiceren`: the round's results for everyone, and as figures in the monitor.
    func publishRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.publishGemeente) { outcome, form, account, _ in
            let round = try await store.changeRound(id: try await round(form, of: outcome.questionnaire).id, to: .gepubliceerd, actor: account.username)
            outcome.message = tr("Ronde '{0}' gepubliceerd: de uitkomsten zijn voor iedereen zichtbaar en staan als cijfers in de monitor.", round.name)
        }
    }

    /// The round of this questionnaire that the form's `ronde` names.
    private func round(_ form: FormData, of questionnaire: Questionnaire) async throws -> QuestionnaireRound {
        guard let id = Int(form["ronde"] ?? ""), let round = try await store.rounds(questionnaireID: questionnaire.id).first(where: { $0.id == id }) else {
            throw AppError.badRequest(parameter: "ronde", message: tr("geen ronde van deze vragenlijst"))
        }
        return round
    }

    /// One action on a questionnaire: who may (its permission for the route's gemeente), the questionnaire of the route,
    /// and the page with what happened — or with what was refused and 400.
    private func act(_ context: AppRequestContext, needs permission: (AreaCode) -> Permission,
                     _ body: (inout Outcome, FormData, Account, Area) async throws -> Void) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(permission(gemeente.code))
        var outcome = Outcome(questionnaire: try await record(context, in: gemeente, returnTo: nil))
        // A problem of the definition is shown at its text field, by line; others (a round, the record) for the form as a whole.
        var problems: [(field: String, message: String)] = []
        do {
            try await body(&outcome, context.form, account, gemeente)
        } catch let error as QuestionnaireError {
            problems = [("", error.description)]
        } catch let error as RecordError {
            problems = [("", error.description)]
        } catch let found as ImportProblems {
            problems = found.problems.map { ("definitie", tr("regel {0}: verwacht {1} (gevonden: \"{2}\")", $0.line ?? 0, $0.expected, $0.found ?? "")) }
        }
        var page = try await detailPage(outcome.questionnaire, gemeente: gemeente, context: context)
        page.newInvitations = outcome.newInvitations
        if let definition = outcome.definition { page.definition = definition }
        page.message = problems.isEmpty ? outcome.message : nil
        page.feedback = FormFeedback(problems: problems, fields: [("definitie", tr("Schalen, onderdelen en stellingen"))])
        return renderer.response(page, chrome: context.chrome, status: problems.isEmpty ? .ok : .badRequest)
    }

    // MARK: The anonymous respondent

    /// GET: the first section (with the introduction and the sphere question), or "thank you" after sending.
    func respond(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let (round, questionnaire) = try await store.round(token: token) else { throw AppError.notFound(tr("Deze link naar een vragenlijst bestaat niet.")) }
        if request.uri.queryParameters.get("verstuurd") == "ja" {
            return renderer.response(RespondPage.closedPage(title: questionnaire.title, thanks: true), chrome: context.chrome)
        }
        guard round.status == .open else {
            return renderer.response(RespondPage.closedPage(title: questionnaire.title, thanks: false), chrome: context.chrome)
        }
        let code = InvitationCode.normalised(request.uri.queryParameters.get("code").map { String($0) } ?? "")
        guard !code.isEmpty, code.count <= 20, try await store.invitationUsable(token: token, code: code) else {
            return renderer.response(codePage(questionnaire, token: token, code: code), chrome: context.chrome, status: code.isEmpty ? .ok : .forbidden)
        }
        let page = respondPage(questionnaire, token: token, code: code, step: 0, answers: [:], sphere: nil, nonce: QuestionnaireRound.newToken(),
                               csrf: context.csrfToken)
        return renderer.response(page, chrome: context.chrome)
    }

    /// The page that asks for an invitation code (none given, or one that is unknown or used).
    func codePage(_ questionnaire: Questionnaire, token: String, code: String) -> RespondPage {
        var page = RespondPage.closedPage(title: questionnaire.title, thanks: false)
        page.closed = false
        page.needsCode = true
        page.formAction = SiteRoute.respond(token).path
        page.code = code
        if !code.isEmpty { page.codeError = QuestionnaireError.invitationInvalid.description.prefix(1).uppercased() + QuestionnaireError.invitationInvalid.description.dropFirst() + "." }
        return page
    }

    /// The number of invitations asked for in a form field: 1 … ``InvitationCode/maximumPerRequest``, one per respondent.
    static func invitationCount(_ text: String?) throws -> Int {
        guard let count = Int((text ?? "").trimmingCharacters(in: .whitespaces)), (1...InvitationCode.maximumPerRequest).contains(count) else {
            throw QuestionnaireError.invalid([tr("aantal uitnodigingen: 1 tot en met {0} (één per respondent)", InvitationCode.maximumPerRequest)])
        }
        return count
    }

    /// A respondent's personal link: the round's address with one invitation code.
    func invitationLink(token: String, code: String) -> String {
        publicURL + SiteRoute.respond(token).url([("code", code)])
    }

    func invitationSummary(_ roundID: Int) async throws -> String {
        let (total, used) = try await store.invitations(roundID: roundID)
        return tr("{0} gemaakt, {1} gebruikt", total, used)
    }

    /// POST: `stap` (the page the answers come from), `richting=terug|verder|versturen`, the answers (`v1`…), `sfeer`, `nonce`.
    func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let (round, questionnaire) = try await store.round(token: token) else { throw AppError.notFound(tr("Deze link naar een vragenlijst bestaat niet.")) }
        guard round.status == .open else {
            return renderer.response(RespondPage.closedPage(title: questionnaire.title, thanks: false), chrome: context.chrome, status: .gone)
        }
        let form = context.form
        let code = InvitationCode.normalised(form["code"] ?? request.uri.queryParameters.get("code").map { String($0) } ?? "")
        // Between pages the code must still be unused; the final submit checks it in the store (a double click then
        // finds its own response by the nonce and is thanked, not refused).
        let sending = form["richting"] == "versturen"
        let usable = sending ? true : try await store.invitationUsable(token: token, code: code)
        guard !code.isEmpty, code.count <= 20, usable else {
            return renderer.response(codePage(questionnaire, token: token, code: code), chrome: context.chrome, status: .forbidden)
        }
        var answers: [String: Int] = [:]
        for item in questionnaire.items {
            if let value = Int(form[item.id] ?? ""), LikertAnswer.range.contains(value) { answers[item.id] = value }
        }
        let sphere = (form["sfeer"]).flatMap(Sphere.init(rawValue:))
        let nonce = form["nonce"].flatMap { $0.count >= 16 && $0.count <= 64 ? $0 : nil } ?? QuestionnaireRound.newToken()
        let last = questionnaire.sections.count - 1
        let step = min(max(Int(form["stap"] ?? "") ?? 0, 0), last)
        switch form["richting"] ?? "verder" {
        case "versturen" where step == last:
            do {
                try await store.submitResponse(token: token, response: QuestionnaireResponse(sphere: sphere, answers: answers), nonce: nonce, code: code)
            } catch QuestionnaireError.invitationInvalid {
                return renderer.response(codePage(questionnaire, token: token, code: code), chrome: context.chrome, status: .forbidden)
            } catch QuestionnaireError.alreadySubmitted {
                // A second click on "versturen": the first one counted.
            } catch QuestionnaireError.roundClosed {
                return renderer.response(RespondPage.closedPage(title: questionnaire.title, thanks: false), chrome: context.chrome, status: .gone)
            }
            return Response(status: .seeOther, headers: [.location: SiteRoute.respond(token).url([("verstuurd", "ja")])])
        case "terug":
            return renderer.response(respondPage(questionnaire, token: token, code: code, step: max(step - 1, 0), answers: answers, sphere: sphere,
                                                 nonce: nonce, csrf: context.csrfToken), chrome: context.chrome)
        default:
            return renderer.response(respondPage(questionnaire, token: token, code: code, step: min(step + 1, last), answers: answers, sphere: sphere,
                                                 nonce: nonce, csrf: context.csrfToken), chrome: context.chrome)
        }
    }

    func respondPage(_ q: Questionnaire, token: String, code: String, step: Int, answers: [String: Int], sphere: Sphere?, nonce: String,
                     csrf: String) -> RespondPage {
        let section = q.sections[step]
        let before = q.sections.prefix(step).reduce(0) { $0 + $1.items.count }
        let statements = section.items.enumerated().map { index, item in
            RespondPage.Statement(id: item.id, number: before + index + 1, text: item.text, choices:
                LikertAnswer.labels.enumerated().map { i, label in
                    RespondPage.Choice(name: item.id, value: String(i + 1), label: label, checked: answers[item.id] == i + 1, id: "\(item.id)-\(i + 1)")
                } + [RespondPage.Choice(name: item.id, value: "", label: tr("weet niet / niet van toepassing"), checked: answers[item.id] == nil, id: "\(item.id)-0")])
        }
        let onPage = Set(section.items.map(\.id))
        var hidden = q.items.filter { !onPage.contains($0.id) }.compactMap { item in answers[item.id].map { RespondPage.Hidden(name: item.id, value: String($0)) } }
        if step > 0, let sphere { hidden.append(.init(name: "sfeer", value: sphere.rawValue)) }
        var page = RespondPage(
            pageTitle: tr("{0} — Monitor pedagogische basis", q.title), title: q.title, introduction: step == 0 ? q.introduction : nil,
            formAction: SiteRoute.respond(token).path, csrf: csrf, nonce: nonce, step: step,
            stepLabel: tr("Onderdeel {0} van {1}", step + 1, q.sections.count), sectionTitle: section.title, statements: statements, hidden: hidden,
            spheres: step == 0 ? Sphere.allCases.map { RespondPage.Choice(name: "sfeer", value: $0.rawValue, label: $0.shortLabel, checked: sphere == $0, id: "sfeer-\($0.rawValue)") }
                + [RespondPage.Choice(name: "sfeer", value: "", label: tr("zeg ik liever niet"), checked: sphere == nil, id: "sfeer-geen")] : nil,
            isFirst: step == 0, isLast: step == q.sections.count - 1, progress: step + 1, progressMax: q.sections.count)
        page.code = code
        return page
    }

    // MARK: Helpers

    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> Questionnaire {
        try context.visibleRecord(try await store.questionnaire(id: context.recordID).flatMap { $0.status == .ingetrokken ? nil : $0 },
                                  of: gemeente.code, owner: \.gemeente, isPublished: { $0.status == .gepubliceerd }, returnTo: returnTo,
                                  notFound: tr("Deze vragenlijst bestaat niet (bij deze gemeente)."))
    }

    func listPage(gemeente: Area, context: AppRequestContext) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        var rows: [QuestionnaireListPage.Row] = []
        for q in try await store.questionnaires(gemeente: gemeente.code, includeConcepts: mayRead) {
            let rounds = try await store.rounds(questionnaireID: q.id).filter { mayRead || $0.status == .gepubliceerd }
            rows.append(.init(title: q.title, url: SiteRoute.questionnaire(gemeente.code.rawValue, q.id).path,
                              template: QuestionnaireTemplates.template(q.template).map { tr($0.title) } ?? tr("eigen vragenlijst"), rounds: rounds.count,
                              isConcept: q.status == .concept))
        }
        let code = gemeente.code.rawValue
        var page = QuestionnaireListPage(pageTitle: tr("Vragenlijsten — {0} — Monitor pedagogische basis", gemeente.name), gemeenteName: gemeente.name,
                                         profileURL: SiteRoute.municipality(code).path, jsonURL: SiteRoute.apiQuestionnaires(code).path,
                                         formAction: SiteRoute.questionnaires(code).path, rows: rows)
        if context.account?.may(.editGemeente(gemeente.code)) == true {
            page.mayEdit = true
            page.csrf = context.csrfToken
        }
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    func detailPage(_ q: Questionnaire, gemeente: Area, context: AppRequestContext) async throws -> QuestionnairePage {
        let account = context.account
        let mayRead = account?.may(.readDrafts(gemeente.code)) ?? false
        let mayEdit = account?.may(.editGemeente(gemeente.code)) ?? false
        let mayPublish = account?.may(.publishGemeente(gemeente.code)) ?? false
        var names: [AreaCode: String] = [gemeente.code: gemeente.name]
        let wijken = try await store.areas(inGemeente: gemeente.code).filter { $0.code.kind == .wijk }
        for area in wijken { names[area.code] = area.name }
        var rounds: [QuestionnairePage.Round] = []
        var trendHeaders: [String] = []
        var trend: [String: [String]] = [:]
        for round in try await store.rounds(questionnaireID: q.id) where mayRead || round.status == .gepubliceerd {
            let results = try await store.results(of: round, in: q)
            let link = round.status == .open && mayRead ? publicURL + SiteRoute.respond(round.token).path : nil
            rounds.append(.init(id: round.id, name: round.name, area: names[round.area] ?? round.area.rawValue, period: round.period,
                                status: round.status.label, link: link,
                                responses: mayRead ? String(try await store.responseCount(roundID: round.id)) : nil,
                                invitations: mayRead ? try await invitationSummary(round.id) : nil,
                                mayInvite: mayEdit && round.status == .open,
                                mayClose: mayEdit && round.status == .open, mayPublish: mayPublish && round.status != .gepubliceerd,
                                results: ResultGroupView(results.all), bySphere: results.bySphere.map(ResultGroupView.init), anchor: "ronde-\(round.id)"))
            // Over time: the rounds in period order, one column each.
            trendHeaders.append("\(round.period): \(round.name)")
            for scale in q.scales {
                let result = results.all.scales.first { $0.scale.id == scale.id }
                trend[scale.id, default: []].append(result.map { $0.isSuppressed ? tr("minder dan {0}", PrivacyPolicy.minimumCount) : DutchNumber.format($0.mean, decimals: 2) } ?? tr("minder dan {0}", PrivacyPolicy.minimumCount))
            }
        }
        let indicators = context.catalog.indicators.filter { $0.survey?.template == q.template }
        let note = indicators.isEmpty ? nil
            : tr("Gepubliceerde rondes staan als cijfers in de monitor: ") + indicators.map(\.name).joined(separator: "; ") + "."
        var page = QuestionnairePage(questionnaire: q, gemeente: gemeente, rounds: rounds,
                                     trend: (trendHeaders, q.scales.map { .init(scale: $0.name, cells: trend[$0.id] ?? []) }), catalogueNote: note)
        page.csrf = context.csrfToken
        page.origin = OriginView(q.origin)
        page.mayEdit = mayEdit && q.status == .concept
        page.mayPublish = mayPublish && q.status == .concept
        page.mayOpenRound = mayEdit && q.status == .gepubliceerd
        page.areas = [Option(value: gemeente.code.rawValue, label: tr("{0} (hele gemeente)", gemeente.name), selected: true)]
            + wijken.map { Option(value: $0.code.rawValue, label: $0.name, selected: false) }
        return page
    }
}
