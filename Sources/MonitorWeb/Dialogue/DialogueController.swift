import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Duidingsgesprekken and spiegelgesprekken of a gemeente: concepts for its users, published records for all
/// (also on the figure pages they are about, and as JSON at `/api/v1/gemeenten/{code}/duiding`).
struct DialogueController: RecordPages {
    typealias Record = DialogueRecord
    let store: any Store & DialogueStore & PublicationStore
    let renderer: PageRenderer
    var publications: any Store & PublicationStore { store }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        let records = try await store.dialogues(gemeente: gemeente.code, includeConcepts: mayRead)
        let page = DialogueListPage(gemeente: gemeente, records: records, mayStart: context.account?.may(.editGemeente(gemeente.code)) ?? false)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: SiteRoute.apiDialogues(gemeente.code.rawValue).path)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let records = try await store.dialogues(gemeente: gemeente.code, includeConcepts: false)
        return try JSONResponse.make(GemeenteListBody(gemeente: gemeente, items: records.map { DialogueJSON($0, catalog: context.catalog) }),
                                     htmlAlternate: SiteRoute.dialogues(gemeente.code.rawValue).path)
    }

    func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        _ = try context.require(.editGemeente(gemeente.code), returnTo: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        let q = request.uri.queryParameters
        var record = DialogueRecord(gemeente: gemeente.code, kind: q.get("soort") == "spiegel" ? .spiegel : .duiding, title: "",
                                    date: ReferenceDate(context.clock.today)!)
        if let indicator = q.get("indicator"), context.catalog[indicator] != nil || q.get("gebied") != nil {
            let area = q.get("gebied").flatMap(AreaCode.init) ?? gemeente.code
            record.figures = [FigureReference(indicator: indicator, area: area, period: q.get("periode"))]
        } else if let area = q.get("gebied").flatMap(AreaCode.init) {
            record.figures = [FigureReference(indicator: "", area: area, period: nil)]
        }
        let page = DialogueFormPage(gemeente: gemeente, record: record, catalog: context.catalog, csrf: context.csrfToken,
                                    action: SiteRoute.newDialogue(gemeente.code.rawValue).path)
        return renderer.response(page, chrome: context.chrome)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let form = context.form
        let (record, problems) = DialogueForm.parse(form, gemeente: gemeente.code, catalog: context.catalog)
        return try await save(record, problems: problems, gemeente: gemeente, account: account, context: context,
                              action: SiteRoute.newDialogue(gemeente.code.rawValue).path)
    }

    /// Who may change a concept: the gemeente's analisten (and beheerders), and deelnemers it invited.
    func requireEditor(_ context: AppRequestContext, of record: DialogueRecord, returnTo: String?) throws -> Account {
        let account = try context.requireAccount(returnTo: returnTo)
        let invited = record.invitedUsernames.contains(account.username)
        guard account.may(.editGemeente(record.gemeente)) || account.may(.contributeDialogue(gemeente: record.gemeente, invited: invited)) else {
            throw AppError.forbidden(tr("U bent niet uitgenodigd voor dit gesprek."))
        }
        return account
    }

    func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        _ = try context.requireAccount(returnTo: request.uri.path)
        let record = try await owned(context, in: gemeente)
        _ = try requireEditor(context, of: record, returnTo: request.uri.path)
        guard record.status == .concept else { throw AppError.badRequest(parameter: "status", message: tr("alleen een concept kan worden bewerkt")) }
        let page = DialogueFormPage(gemeente: gemeente, record: record, catalog: context.catalog, csrf: context.csrfToken,
                                    action: SiteRoute.editDialogue(gemeente.code.rawValue, record.id).path)
        return renderer.response(page, chrome: context.chrome)
    }

    func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        _ = try context.requireAccount(returnTo: nil)
        let existing = try await owned(context, in: gemeente)
        let account = try requireEditor(context, of: existing, returnTo: nil)
        let form = context.form
        var (record, problems) = DialogueForm.parse(form, gemeente: gemeente.code, catalog: context.catalog)
        record.id = existing.id
        // Only the gemeente's own users decide who is invited.
        if !account.may(.editGemeente(gemeente.code)) { record.invited = existing.invited }
        return try await save(record, problems: problems, gemeente: gemeente, account: account, context: context,
                              action: SiteRoute.editDialogue(gemeente.code.rawValue, existing.id).path)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let record = try await record(context, in: gemeente, returnTo: request.uri.path)
        return try await detailResponse(record, gemeente: gemeente, request: request, context: context)
    }

    // MARK: Helpers

    func save(_ record: DialogueRecord, problems: [(part: DialogueRecord.Part, message: String)], gemeente: Area, account: Account,
              context: AppRequestContext, action: String) async throws -> Response {
        var problems = problems + record.partProblems()
        for figure in record.figures where try await store.area(figure.area) == nil {
            problems.append((.figures, tr("de monitor kent gebied {0} niet", figure.area.rawValue)))
        }
        if problems.isEmpty {
            do {
                let saved = try await store.saveDialogue(record, actor: account.username)
                return Response(status: .seeOther, headers: [.location: SiteRoute.dialogue(gemeente.code.rawValue, saved.id).path])
            } catch let error as RecordError {
                problems.append((.other, error.description))
            }
        }
        var page = DialogueFormPage(gemeente: gemeente, record: record, catalog: context.catalog, csrf: context.csrfToken, action: action)
        page.feedback = FormFeedback(problems: problems, fields: DialogueFormPage.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    func message(for notice: RecordNotice) -> String {
        switch notice {
        case .gepubliceerd: tr("Gepubliceerd: het verslag staat nu bij de cijfers waar het over gaat, voor iedereen zichtbaar.")
        case .ingetrokken: tr("Ingetrokken: het verslag is niet meer openbaar.")
        default: Self.standardMessage(for: notice)
        }
    }

    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> DialogueRecord {
        try context.visibleRecord(try await store.dialogue(id: context.recordID), of: gemeente.code, owner: \.gemeente,
                                  isPublished: { $0.status == .gepubliceerd }, returnTo: returnTo,
                                  notFound: tr("Dit gespreksverslag bestaat niet (bij deze gemeente)."))
    }

    /// The gemeente's record of the route whatever its status, for its editors (``requireEditor(_:of:returnTo:)`` decides).
    func owned(_ context: AppRequestContext, in gemeente: Area) async throws -> DialogueRecord {
        guard let id = context.parameters.get("id", as: Int.self), let record = try await store.dialogue(id: id),
              record.gemeente == gemeente.code else {
            throw AppError.notFound(tr("Dit gespreksverslag bestaat niet (bij deze gemeente)."))
        }
        return record
    }

    func detailPage(_ record: DialogueRecord, gemeente: Area, context: AppRequestContext) async throws -> DialoguePage {
        var names: [AreaCode: String] = [:]
        for figure in record.figures { names[figure.area] = try await store.area(figure.area)?.name }
        let account = context.account
        return DialoguePage(record: record, gemeente: gemeente, catalog: context.catalog, areaNames: names, csrf: context.csrfToken,
                            mayEdit: record.status == .concept && account.map {
                                $0.may(.editGemeente(gemeente.code))
                                    || $0.may(.contributeDialogue(gemeente: gemeente.code, invited: record.invitedUsernames.contains($0.username)))
                            } == true,
                            publication: PublicationForms(record, context: context))
    }
}

/// Reads the dialogue form (plain fields, no script): numbered rows for figures, themes and actions.
enum DialogueForm {
    static let figureRows = 3
    static let themeRows = 4
    static let actionRows = 3

    static func parse(_ form: FormData, gemeente: AreaCode, catalog: Catalog) -> (DialogueRecord, [(part: DialogueRecord.Part, message: String)]) {
        var problems: [(part: DialogueRecord.Part, message: String)] = []
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let kind = DialogueRecord.Kind(rawValue: text("soort")) ?? .duiding
        let date = ReferenceDate(text("datum"))
        if date == nil { problems.append((.date, tr("geef de datum van het gesprek als JJJJ-MM-DD"))) }
        var record = DialogueRecord(gemeente: gemeente, kind: kind, title: text("titel"),
                                    date: date ?? ReferenceDate("2000-01-01")!)
        for row in 1...figureRows {
            let indicator = text("figuur-indicator-\(row)"), areaText = text("figuur-gebied-\(row)"), period = text("figuur-periode-\(row)")
            guard !indicator.isEmpty || !areaText.isEmpty else { continue }
            guard catalog[indicator] != nil else { problems.append((.figures, tr("figuur {0}: kies een indicator", row))); continue }
            guard let area = AreaCode(areaText.uppercased()) else { problems.append((.figures, tr("figuur {0}: '{1}' is geen gebiedscode", row, areaText))); continue }
            record.figures.append(FigureReference(indicator: indicator, area: area, period: period.isEmpty ? nil : period))
        }
        for role in ParticipantRole.allCases {
            let countText = text("deelnemers-\(role.rawValue)")
            guard !countText.isEmpty else { continue }
            guard let count = Int(countText), (0...10_000).contains(count) else {
                problems.append((.participants, tr("aantal {0}: '{1}' is geen aantal", role.label, countText))); continue
            }
            guard count > 0 else { continue }
            let spheres = role == .professional ? form.all("sferen-professional").compactMap(Sphere.init(rawValue:)) : []
            record.participants.append(Participant(role: role, count: count, spheres: spheres,
                                                   listening: form["luistert-\(role.rawValue)"] == "ja"))
        }
        for question in DuidingQuestion.allCases {
            let answers = ParticipantRole.allCases.compactMap { role -> RoleAnswer? in
                let answer = text("vraag-\(question.rawValue)-\(role.rawValue)")
                return answer.isEmpty ? nil : RoleAnswer(role: role, text: answer)
            }
            let agreement = Agreement(rawValue: text("eens-\(question.rawValue)")) ?? .nietBesproken
            if !answers.isEmpty || agreement != .nietBesproken {
                record.questions.append(QuestionOutcome(question: question, answers: answers, agreement: agreement))
            }
        }
        for row in 1...themeRows {
            let theme = text("thema-tekst-\(row)")
            guard !theme.isEmpty else { continue }
            let role = ParticipantRole(rawValue: text("thema-rol-\(row)")) ?? .ouder
            let spheres = form.all("thema-sfeer-\(row)").compactMap(Sphere.init(rawValue:))
            record.themes.append(Theme(text: theme, role: role, spheres: spheres))
        }
        record.conclusions = text("conclusies")
        let invited = FormData.list(text("uitgenodigd")).map(Account.normalisedUsername).filter { !$0.isEmpty }
        record.invited = invited.isEmpty ? nil : invited
        for row in 1...actionRows {
            let what = text("actie-wat-\(row)"), who = text("actie-wie-\(row)"), due = text("actie-wanneer-\(row)")
            guard !what.isEmpty || !who.isEmpty || !due.isEmpty else { continue }
            var dueDate: ReferenceDate?
            if !due.isEmpty {
                dueDate = ReferenceDate(due)
                if dueDate == nil { problems.append((.actions, tr("actie {0}: '{1}' is geen datum (JJJJ-MM-DD)", row, due))) }
            }
            record.actions.append(AgreedAction(what: what, who: who, due: dueDate,
                                               status: AgreedAction.Status(rawValue: text("actie-status-\(row)")) ?? .open))
        }
        return (record, problems)
    }
}
