import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The pages of a record with the publication life cycle (duiding, gespreksmodel, interventies, netwerken,
/// vragenlijsten, eigen indicatoren). Publishing and withdrawing are the same two routes for each kind
/// (`…/{id}/publiceren`, `…/{id}/intrekken`), written once here: who may (``Permission/publishGemeente(_:)``), the
/// store's one rule (``PublicationStore``), the answer (a redirect to the record's page, which says what happened, or
/// the page with the refusal and its status). A controller supplies how to find the record and how to draw its page.
protocol RecordPages: Sendable {
    associatedtype Record: PublishableRecord
    associatedtype DetailPage: RecordPage
    var publications: any Store & PublicationStore { get }
    var renderer: PageRenderer { get }
    /// The record the route names (`{code}`, `{id}`), as far as the visitor may see it; without an account, a visitor
    /// who gave `returnTo` is sent to log in.
    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> Record
    /// The record's page for this visitor.
    func detailPage(_ record: Record, gemeente: Area, context: AppRequestContext) async throws -> DetailPage
    /// What the record's page says after a change.
    func message(for notice: RecordNotice) -> String
}

/// The page of one record: it can say what just happened, or what was refused.
protocol RecordPage: Page {
    var message: String? { get set }
    var errors: [String] { get set }
}

/// The record pages' notice after a change, by the `melding` query parameter the change redirects with (a fixed set
/// of words, so no text from the address reaches the page).
enum RecordNotice: String, CaseIterable {
    case gepubliceerd, ingetrokken, opgeslagen, beantwoord, mkba, gedeeld
    case nietGedeeld = "niet-gedeeld"

    static let parameter = "melding"

    init?(_ request: Request) {
        guard let value = request.uri.queryParameters.get(Self.parameter) else { return nil }
        self.init(rawValue: value)
    }
}

extension RecordPages {
    func message(for notice: RecordNotice) -> String { Self.standardMessage(for: notice) }

    static func standardMessage(for notice: RecordNotice) -> String {
        let noun = Record.kind.noun
        return switch notice {
        case .gepubliceerd: tr("Gepubliceerd: de {0} is voor iedereen zichtbaar.", noun)
        case .ingetrokken: tr("Ingetrokken: de {0} is niet meer te zien, maar blijft in het auditlog.", noun)
        case .opgeslagen: tr("Opgeslagen.")
        case .beantwoord: tr("Uw antwoord staat erbij. Anderen kunnen iets anders vinden; alle antwoorden blijven zichtbaar.")
        case .mkba: tr("De MKBA is opgeslagen.")
        case .gedeeld: tr("Gedeeld: iedereen ziet dit en de cijfers erbij.")
        case .nietGedeeld: tr("Niet meer gedeeld.")
        }
    }

    /// POST `…/{id}/publiceren`.
    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(to: .gepubliceerd, context: context)
    }

    /// POST `…/{id}/intrekken`.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await change(to: .ingetrokken, context: context)
    }

    /// The record's page, saying what the last change did when the address carries a notice (GET after a redirect).
    func detailResponse(_ record: Record, gemeente: Area, request: Request, context: AppRequestContext,
                        jsonAlternate: String? = nil) async throws -> Response {
        var page = try await detailPage(record, gemeente: gemeente, context: context)
        page.message = RecordNotice(request).map(message(for:))
        return renderer.response(page, chrome: context.chrome, jsonAlternate: jsonAlternate)
    }

    /// The record's page with what was refused, and the status that says so.
    func refusedResponse(_ record: Record, gemeente: Area, context: AppRequestContext, errors: [String],
                         status: HTTPResponse.Status) async throws -> Response {
        var page = try await detailPage(record, gemeente: gemeente, context: context)
        page.errors = errors
        return renderer.response(page, chrome: context.chrome, status: status)
    }

    /// After a change that worked: back to the record's page (so reloading does not post again), which says what happened.
    func changed(_ record: Record, notice: RecordNotice) -> Response {
        let path = Record.kind.pageRoute.path(code: record.gemeente.rawValue, id: record.id)
        return Response(status: .seeOther, headers: [.location: path + "?\(RecordNotice.parameter)=\(notice.rawValue)"])
    }

    /// Saves a record whose form had no problems and answers with ``changed(_:notice:)``; nil when there were problems
    /// or the store refused (its reason is added to `problems`), so the caller shows the form again.
    func saved(_ problems: inout [String], notice: RecordNotice = .opgeslagen,
               _ save: () async throws -> Record) async throws -> Response? {
        try await saved(&problems, refusal: { $0 }, notice: notice, save)
    }

    /// The same for problems tied to fields: `refusal` makes the store's reason one of them (a problem of the whole form).
    func saved<Problem>(_ problems: inout [Problem], refusal: (String) -> Problem, notice: RecordNotice = .opgeslagen,
                        _ save: () async throws -> Record) async throws -> Response? {
        guard problems.isEmpty else { return nil }
        do {
            return changed(try await save(), notice: notice)
        } catch let error as RecordError {
            problems.append(refusal(error.description))
            return nil
        }
    }

    private func change(to status: PublicationStatus, context: AppRequestContext) async throws -> Response {
        let gemeente = try await publications.gemeente(from: context)
        let account = try context.require(.publishGemeente(gemeente.code))
        let old = try await record(context, in: gemeente, returnTo: nil)
        do {
            let changed = try await publications.changePublication(Record.self, id: old.id, to: status, actor: account.username)
            return self.changed(changed, notice: status == .gepubliceerd ? .gepubliceerd : .ingetrokken)
        } catch let error as RecordError {
            return try await refusedResponse(old, gemeente: gemeente, context: context, errors: [error.description], status: error.status)
        }
    }
}

extension RecordKind {
    /// The page of a record of this kind.
    var pageRoute: SiteRoute.Pattern {
        switch self {
        case .dialogue: .dialogue
        case .conversationBoardItem: .conversationBoardItem
        case .intervention: .intervention
        case .network: .network
        case .questionnaire: .questionnaire
        case .localIndicator: .localIndicator
        }
    }

    /// The route that publishes a record of this kind.
    var publishRoute: SiteRoute.Pattern {
        switch self {
        case .dialogue: .dialoguePublish
        case .conversationBoardItem: .conversationBoardItemPublish
        case .intervention: .interventionPublish
        case .network: .networkPublish
        case .questionnaire: .questionnairePublish
        case .localIndicator: .localIndicatorPublish
        }
    }

    /// The route that withdraws one (nil for a kind that is not withdrawn).
    var withdrawRoute: SiteRoute.Pattern? {
        switch self {
        case .dialogue: .dialogueWithdraw
        case .conversationBoardItem: .conversationBoardItemWithdraw
        case .intervention: .interventionWithdraw
        case .network: .networkWithdraw
        case .questionnaire: nil
        case .localIndicator: .localIndicatorWithdraw
        }
    }
}

/// The publish and withdraw buttons of a record's page (`partials/publication`): each a form posting to its own route,
/// shown only when the visitor may and the life cycle allows it.
struct PublicationForms: Sendable {
    var publishURL: String?
    var withdrawURL: String?
    var csrf: String

    init<Record: PublishableRecord>(_ record: Record, context: AppRequestContext) {
        let kind = Record.kind
        let code = record.gemeente.rawValue
        let may = context.account?.may(.publishGemeente(record.gemeente)) ?? false
        publishURL = may && kind.allows(from: record.status, to: .gepubliceerd) ? kind.publishRoute.path(code: code, id: record.id) : nil
        withdrawURL = may && kind.allows(from: record.status, to: .ingetrokken) ? kind.withdrawRoute?.path(code: code, id: record.id) : nil
        csrf = context.csrfToken
        any = publishURL != nil || withdrawURL != nil
    }

    /// True when there is a button to show (stored: templates read stored properties).
    var any: Bool
}
