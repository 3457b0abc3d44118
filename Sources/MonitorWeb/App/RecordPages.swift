import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The pages of a record with the publication life cycle (duiding, gespreksmodel, interventies, netwerken,
/// vragenlijsten, eigen indicatoren). Publishing and withdrawing are the same two routes for each kind
/// (`…/{id}/publiceren`, `…/{id}/intrekken`), written once here: who may (``Permission/publishGemeente(_:)``), the
/// store's one rule (``PublicationStore``), the answer (a redirect to the record's page, which says what happened, or
/// the page with the refusal and 409).
protocol RecordPages: Sendable {
    associatedtype Record: PublishableRecord
    var publications: any Store & PublicationStore { get }
    /// The record the route names (`{code}`, `{id}`), as far as the visitor may see it.
    func record(_ context: AppRequestContext, in gemeente: Area) async throws -> Record
    /// The record's page, with the errors of a refused change and their status.
    func refusedResponse(_ record: Record, gemeente: Area, context: AppRequestContext, errors: [String],
                         status: HTTPResponse.Status) async throws -> Response
    /// The record's address.
    func route(_ record: Record) -> SiteRoute
    /// What the record's page says after a change.
    func message(for notice: RecordNotice) -> String
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
        switch notice {
        case .gepubliceerd: Record.kind.changed(to: .gepubliceerd)
        case .ingetrokken: Record.kind.changed(to: .ingetrokken)
        case .opgeslagen: "Opgeslagen."
        case .beantwoord: "Uw antwoord staat erbij. Anderen kunnen iets anders vinden; alle antwoorden blijven zichtbaar."
        case .mkba: "De MKBA is opgeslagen."
        case .gedeeld: "Gedeeld: iedereen ziet dit en de cijfers erbij."
        case .nietGedeeld: "Niet meer gedeeld."
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

    /// The message for the notice in the request's address (nil without one).
    func notice(_ request: Request) -> String? {
        RecordNotice(request).map(message(for:))
    }

    /// After a change that worked: back to the record's page (so reloading does not post again), which says what happened.
    func changed(_ record: Record, notice: RecordNotice) -> Response {
        Response(status: .seeOther, headers: [.location: route(record).url([(RecordNotice.parameter, notice.rawValue)])])
    }

    private func change(to status: PublicationStatus, context: AppRequestContext) async throws -> Response {
        let gemeente = try await publications.gemeente(from: context)
        let account = try context.require(.publishGemeente(gemeente.code))
        let old = try await record(context, in: gemeente)
        do {
            let changed = try await publications.changePublication(Record.self, id: old.id, to: status, actor: account.username)
            return self.changed(changed, notice: status == .gepubliceerd ? .gepubliceerd : .ingetrokken)
        } catch let error as RecordError {
            return try await refusedResponse(old, gemeente: gemeente, context: context, errors: [error.description], status: error.status)
        }
    }
}

extension RecordKind {
    /// The route that publishes a record of this kind.
    var publishRoute: SiteRoute.Pattern {
        switch self {
        case .dialogue: .dialoguePublish
        case .conversationBoardItem: .boardItemPublish
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
        case .conversationBoardItem: .boardItemWithdraw
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
