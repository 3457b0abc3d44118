import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The gespreksmodel of a gemeente (report §2.3): local items placed on the plattegrond, and per item
/// several people's "hoort dit bij onze pedagogische basis: ja, nee, twijfel — en waarom?".
/// Published items for everyone (also as JSON); concepts for the gemeente's users.
struct ConversationBoardController: RecordPages {
    typealias Record = ConversationBoardItem
    let store: any Store & ConversationBoardStore & PublicationStore
    let renderer: PageRenderer
    var publications: any Store & PublicationStore { store }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var form = ConversationBoardItemForm()
        if let id = request.uri.queryParameters.get("voorbeeld"), let suggestion = ConversationBoardSuggestion.named(id) {
            form = ConversationBoardItemForm(suggestion.item(gemeente: gemeente.code))
        }
        return try await conversationBoardPage(gemeente: gemeente, context: context, form: form)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let items = try await store.conversationBoardItems(gemeente: gemeente.code, includeConcepts: false)
        return try JSONResponse.make(ConversationBoardJSON(gemeente: gemeente, items: items), htmlAlternate: SiteRoute.conversationBoard(gemeente.code.rawValue).path)
    }

    /// POST: a new concept item from the form.
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let form = ConversationBoardItemForm(context.form, gemeente: gemeente.code)
        let item = form.item(gemeente: gemeente.code)
        var problems = form.problems + ConversationBoardItemForm.fieldProblems(item)
        if problems.isEmpty {
            do {
                let saved = try await store.saveConversationBoardItem(item, actor: account.username)
                return Response(status: .seeOther, headers: [.location: SiteRoute.conversationBoardItem(gemeente.code.rawValue, saved.id).path])
            } catch let error as RecordError {
                problems.append(("", error.description))
            }
        }
        return try await conversationBoardPage(gemeente: gemeente, context: context, form: form,
                                               feedback: FormFeedback(problems: problems, fields: ConversationBoardItemForm.fields), status: .badRequest)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let item = try await record(context, in: gemeente, returnTo: request.uri.path)
        return try await detailResponse(item, gemeente: gemeente, request: request, context: context,
                                 jsonAlternate: SiteRoute.apiConversationBoard(gemeente.code.rawValue).path)
    }

    /// POST `…/{id}/antwoorden`: the visitor's answer (one per person, changeable).
    func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.answerConversationBoard(gemeente.code))
        let item = try await record(context, in: gemeente, returnTo: nil)
        let answer = ConversationBoardAnswerForm(context.form)
        var problems = answer.problems
        if problems.isEmpty, let value = answer.answer {
            do {
                _ = try await store.answerConversationBoardItem(id: item.id, answer: ConversationBoardAnswer(
                    account: account.username, role: answer.role, function: answer.function, answer: value, reason: answer.reason))
                return changed(item, notice: .beantwoord)
            } catch let error as RecordError {
                problems.append((field: "antwoord", message: error.description))
            }
        }
        // The form again with what was typed, each problem beside its field.
        var page = try await detailPage(item, gemeente: gemeente, context: context)
        if var form = page.answerForm {
            form.keep(answer)
            page.answerForm = form
        }
        page.feedback = FormFeedback(problems: problems, fields: ConversationBoardAnswerForm.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    /// POST `…/{id}/wijzigen`: saves the form over a concept item (its answers stay).
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let item = try await record(context, in: gemeente, returnTo: nil)
        let itemForm = ConversationBoardItemForm(context.form, gemeente: gemeente.code)
        var updated = itemForm.item(gemeente: gemeente.code)
        updated.id = item.id
        updated.suggestion = item.suggestion
        var problems = itemForm.problems + ConversationBoardItemForm.fieldProblems(updated)
        if let response = try await saved(&problems, refusal: { ("", $0) }, { try await store.saveConversationBoardItem(updated, actor: account.username) }) {
            return response
        }
        var page = detailPage(item, gemeente: gemeente, context: context)
        page.edit = itemForm.view(csrf: context.csrfToken)
        page.feedback = FormFeedback(problems: problems, fields: ConversationBoardItemForm.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    // MARK: Helpers

    func message(for notice: RecordNotice) -> String {
        switch notice {
        case .gepubliceerd: tr("Gepubliceerd: het onderdeel en de antwoorden staan nu voor iedereen op het gespreksmodel.")
        case .ingetrokken: tr("Ingetrokken: het onderdeel staat niet meer op het gespreksmodel.")
        default: Self.standardMessage(for: notice)
        }
    }

    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> ConversationBoardItem {
        try context.visibleRecord(try await store.conversationBoardItem(id: context.recordID), of: gemeente.code, owner: \.gemeente,
                                  isPublished: { $0.status == .gepubliceerd }, returnTo: returnTo, notFound: tr("Dit onderdeel staat niet op het gespreksmodel van deze gemeente."))
    }

    func conversationBoardPage(gemeente: Area, context: AppRequestContext, form: ConversationBoardItemForm, feedback: FormFeedback = FormFeedback(),
                               status: HTTPResponse.Status = .ok) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        let items = try await store.conversationBoardItems(gemeente: gemeente.code, includeConcepts: mayRead)
        var page = ConversationBoardPage(gemeente: gemeente, items: items)
        if context.account?.may(.editGemeente(gemeente.code)) == true {
            page.form = form.view(csrf: context.csrfToken)
            let onConversationBoard = Set(items.compactMap(\.suggestion))
            page.suggestions = ConversationBoardSuggestion.fromReport.filter { !onConversationBoard.contains($0.id) }.map {
                ConversationBoardPage.SuggestionView(name: $0.name, place: $0.place.label, source: $0.source,
                                                     url: SiteRoute.conversationBoard(gemeente.code.rawValue).url([("voorbeeld", $0.id)]) + "#nieuw")
            }
        }
        page.feedback = feedback
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: page.jsonURL)
    }

    func detailPage(_ item: ConversationBoardItem, gemeente: Area, context: AppRequestContext) -> ConversationBoardItemPage {
        let account = context.account
        var page = ConversationBoardItemPage(item: item, gemeente: gemeente, csrf: context.csrfToken)
        if item.status != .ingetrokken, let account, account.may(.answerConversationBoard(gemeente.code)) {
            page.answerForm = ConversationBoardAnswerForm.View(item: item, account: account)
        }
        if item.status == .concept, account?.may(.editGemeente(gemeente.code)) == true {
            page.edit = ConversationBoardItemForm(item).view(csrf: context.csrfToken)
        }
        page.publication = PublicationForms(item, context: context)
        return page
    }
}

/// The item form: plain fields (name, kind, place, perspectives, description).
struct ConversationBoardItemForm: Sendable {
    var name = ""
    var kind = ConversationBoardItem.Kind.voorziening
    var place = ConversationBoardPlace.sphere(.gezin)
    var perspectives: [Perspective] = []
    var description = ""
    var suggestion: String?
    var problems: [(field: String, message: String)] = []

    /// The form's fields, in order.
    static var fields: [(id: String, label: String)] { [(id: "naam", label: tr("Naam")), (id: "soort", label: tr("Wat is het?")), (id: "plek", label: tr("Waar staat het op de plattegrond?")),
                         (id: "toelichting", label: tr("Toelichting"))] }

    /// The item's own problems, at the form's fields.
    static func fieldProblems(_ item: ConversationBoardItem) -> [(field: String, message: String)] {
        item.fieldProblems().map { ($0.field == .name ? "naam" : "toelichting", $0.message) }
    }

    init() {}

    init(_ item: ConversationBoardItem) {
        name = item.name
        kind = item.kind
        place = item.place
        perspectives = item.perspectives
        description = item.description
        suggestion = item.suggestion
    }

    init(_ form: FormData, gemeente: AreaCode) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        name = text("naam")
        if let kind = ConversationBoardItem.Kind(rawValue: text("soort")) { self.kind = kind } else { problems.append(("soort", tr("kies wat voor onderdeel het is"))) }
        if let place = ConversationBoardPlace(rawValue: text("plek")) { self.place = place } else { problems.append(("plek", tr("kies een sfeer of beleidsdomein"))) }
        perspectives = form.all("perspectief").compactMap(Perspective.init(rawValue:))
        description = text("toelichting")
        suggestion = ConversationBoardSuggestion.named(text("voorbeeld"))?.id
    }

    func item(gemeente: AreaCode) -> ConversationBoardItem {
        ConversationBoardItem(gemeente: gemeente, name: name, kind: kind, place: place, perspectives: perspectives, description: description,
                              suggestion: suggestion)
    }

    struct View: Sendable {
        var csrf: String?
        var name: String
        var kinds: [Option]
        var places: [Option]
        var perspectives: [Option]
        var description: String
        var suggestion: String?
    }

    func view(csrf: String?) -> View {
        View(csrf: csrf, name: name,
             kinds: ConversationBoardItem.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == kind) },
             places: ConversationBoardPlace.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == place) },
             perspectives: Perspective.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: perspectives.contains($0)) },
             description: description, suggestion: suggestion)
    }
}

/// The answer form: as whom (role, function), ja/nee/twijfel, and why.
struct ConversationBoardAnswerForm: Sendable {
    var role: ParticipantRole
    var function: String
    var answer: BelongingAnswer?
    var reason: String
    var problems: [(field: String, message: String)] = []
    static var fields: [(id: String, label: String)] { [(id: "antwoord", label: tr("Hoort dit bij onze pedagogische basis?")), (id: "waarom", label: tr("Waarom?"))] }

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        role = ParticipantRole(rawValue: text("rol")) ?? .professional
        function = String(text("functie").prefix(120))
        answer = BelongingAnswer(rawValue: text("antwoord"))
        reason = text("waarom")
        if answer == nil { problems.append(("antwoord", tr("kies ja, nee of twijfel"))) }
        if reason.isEmpty { problems.append(("waarom", tr("zeg waarom: juist de reden maakt het gesprek"))) }
        if reason.count > 2_000 { problems.append(("waarom", tr("een reden heeft hoogstens 2000 tekens"))) }
    }

    struct View: Sendable {
        var roles: [Option]
        var function: String
        var answers: [Option]
        var reason: String
        var isChange: Bool

        init(item: ConversationBoardItem, account: Account) {
            let own = item.answers.first { $0.account == account.username }
            roles = ParticipantRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == (own?.role ?? .professional)) }
            function = own?.function ?? ""
            answers = BelongingAnswer.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == own?.answer) }
            reason = own?.reason ?? ""
            isChange = own != nil
        }

        /// Shows what was typed in a refused answer instead of the stored one.
        mutating func keep(_ typed: ConversationBoardAnswerForm) {
            roles = ParticipantRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == typed.role) }
            function = typed.function
            answers = BelongingAnswer.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == typed.answer) }
            reason = typed.reason
        }
    }
}
