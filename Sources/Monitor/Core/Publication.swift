import Foundation

/// Where a gemeente's own work stands: a concept (its users only), published (everyone), or withdrawn.
public enum PublicationStatus: String, Sendable, Codable, CaseIterable {
    case concept, gepubliceerd, ingetrokken
}

/// The kinds of record a gemeente writes, keeps as a concept, publishes and withdraws: one life cycle
/// (concept → gepubliceerd → ingetrokken) for all of them, in the store (``PublishableRecord``) and on the site.
public enum RecordKind: String, Sendable, CaseIterable {
    case dialogue, conversationBoardItem, intervention, network, questionnaire, localIndicator

    /// The Dutch noun, as messages use it ("Netwerkkaart 3 is ingetrokken").
    public var noun: String {
        switch self {
        case .dialogue: tr("gespreksverslag")
        case .conversationBoardItem: tr("onderdeel van het gespreksmodel")
        case .intervention: tr("interventie")
        case .network: tr("netwerkkaart")
        case .questionnaire: tr("vragenlijst")
        case .localIndicator: tr("eigen indicator")
        }
    }

    /// The prefix of its audit entries (`netwerk.publiceren`, object `netwerk:3`).
    public var auditName: String {
        switch self {
        case .dialogue: "gesprek"
        case .conversationBoardItem: "gespreksmodel"
        case .intervention: "interventie"
        case .network: "netwerk"
        case .questionnaire: "vragenlijst"
        case .localIndicator: "eigen-indicator"
        }
    }

    /// Whether a record of this kind can be withdrawn. A questionnaire cannot: its rounds and their anonymous links
    /// live on it; a round is closed instead.
    public var canBeWithdrawn: Bool { self != .questionnaire }

    /// Whether a record of this kind may move from `status` to `target`: publishing takes a concept; withdrawing takes a
    /// concept or a published record; a withdrawn record stays withdrawn. The one rule of the life cycle.
    public func allows(from status: PublicationStatus, to target: PublicationStatus) -> Bool {
        switch target {
        case .gepubliceerd: status == .concept
        case .ingetrokken: canBeWithdrawn && status != .ingetrokken
        case .concept: false
        }
    }

    /// Why a record that is no longer a concept cannot be saved again, in Dutch.
    public var editRefusal: String {
        self == .questionnaire ? tr("alleen een concept kan worden gewijzigd; maak een kopie om een nieuwe versie te maken")
            : tr("alleen een concept kan worden gewijzigd")
    }

    /// Why `allows(from:to:)` said no, in Dutch.
    public func refusal(to target: PublicationStatus) -> String {
        switch target {
        case .gepubliceerd: tr("alleen een concept kan worden gepubliceerd")
        case .ingetrokken: canBeWithdrawn ? tr("het is al ingetrokken") : tr("een {0} wordt niet ingetrokken; sluit haar ronde", noun)
        case .concept: tr("een record wordt niet terug een concept")
        }
    }
}

/// A record with the publication life cycle.
public protocol PublishableRecord: Codable, Sendable {
    static var kind: RecordKind { get }
    var id: Int { get set }
    var gemeente: AreaCode { get }
    var status: PublicationStatus { get set }
}

extension DialogueRecord: PublishableRecord { public static var kind: RecordKind { .dialogue } }
extension ConversationBoardItem: PublishableRecord { public static var kind: RecordKind { .conversationBoardItem } }
extension Intervention: PublishableRecord { public static var kind: RecordKind { .intervention } }
extension NetworkMap: PublishableRecord { public static var kind: RecordKind { .network } }
extension Questionnaire: PublishableRecord { public static var kind: RecordKind { .questionnaire } }
extension LocalIndicator: PublishableRecord { public static var kind: RecordKind { .localIndicator } }

/// A form field (or none) and what is wrong with it, in Dutch.
public struct RecordProblem: Sendable, Hashable, CustomStringConvertible {
    /// The field's key (a catalogue key for an own indicator), or nil for the record as a whole.
    public var field: String?
    public var message: String

    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

/// Why a publishable record was not saved or changed: the one refusal of every record kind, mapped to an HTTP status in
/// one place by the web layer (unknown 404, wrong status 409, invalid 400).
public struct RecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// There is no such record.
        case unknown
        /// The record is in another status than the change needs; `expected` says what was needed, in Dutch.
        case wrongStatus(PublicationStatus, expected: String)
        /// The record breaks its rules.
        case invalid([RecordProblem])
    }

    public var kind: RecordKind
    public var id: Int
    public var reason: Reason

    public init(_ kind: RecordKind, id: Int, _ reason: Reason) {
        self.kind = kind
        self.id = id
        self.reason = reason
    }

    public static func unknown(_ kind: RecordKind, id: Int) -> RecordError { RecordError(kind, id: id, .unknown) }
    public static func wrongStatus(_ kind: RecordKind, id: Int, status: PublicationStatus, expected: String) -> RecordError {
        RecordError(kind, id: id, .wrongStatus(status, expected: expected))
    }
    /// A save of a record that is no longer a concept.
    public static func notEditable(_ kind: RecordKind, id: Int, status: PublicationStatus) -> RecordError {
        wrongStatus(kind, id: id, status: status, expected: kind.editRefusal)
    }
    public static func invalid(_ kind: RecordKind, id: Int = 0, _ problems: [String]) -> RecordError {
        RecordError(kind, id: id, .invalid(problems.map { RecordProblem($0) }))
    }

    /// The problems of an invalid record (empty for the other reasons).
    public var problems: [RecordProblem] {
        if case .invalid(let problems) = reason { return problems }
        return []
    }

    public var description: String {
        let noun = kind.noun
        switch reason {
        case .unknown: return tr("Er is geen {0} {1}.", noun, id)
        case .wrongStatus(let status, let expected): return tr("{0} {1} is {2}; {3}.", noun.capitalizedFirst, id, tr(status.rawValue), expected)
        case .invalid(let problems):
            return tr("De {0} is niet opgeslagen: ", noun) + problems.map(\.description).joined(separator: "; ") + "."
        }
    }
}

extension String {
    /// The string with its first letter upper-case ("netwerkkaart" → "Netwerkkaart").
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
