import Foundation

/// The local conversation about figures (report §2.3, §4.1): a duidingsgesprek with NJi's four questions,
/// or a spiegelgesprek where parents, young people and professionals speak and policy listens.
/// Participants are recorded by role, never by name.
public struct DialogueRecord: Sendable, Codable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case duiding, spiegel

        public var label: String {
            switch self {
            case .duiding: tr("duidingsgesprek")
            case .spiegel: tr("spiegelgesprek")
            }
        }
    }

    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    public var kind: Kind
    public var title: String
    /// The day of the conversation.
    public var date: ReferenceDate
    /// The figures it is about (indicator × area × period).
    public var figures: [FigureReference]
    public var participants: [Participant]
    /// The four questions, each with what was said per role and whether the room agreed.
    public var questions: [QuestionOutcome]
    /// Spiegelgesprek: what was said, tagged to spheres.
    public var themes: [Theme]
    public var conclusions: String
    public var actions: [AgreedAction]
    public var status: Status
    public var createdBy: String
    public var publishedAt: Date?
    /// Deelnemers (login names) invited to contribute to this record while it is a concept.
    public var invited: [String]?

    /// The invited login names (none when not set).
    public var invitedUsernames: [String] { invited ?? [] }

    public init(id: Int = 0, gemeente: AreaCode, kind: Kind, title: String, date: ReferenceDate, figures: [FigureReference] = [],
                participants: [Participant] = [], questions: [QuestionOutcome] = [], themes: [Theme] = [], conclusions: String = "",
                actions: [AgreedAction] = [], status: Status = .concept, createdBy: String = "", publishedAt: Date? = nil,
                invited: [String]? = nil) {
        self.invited = invited
        self.id = id
        self.gemeente = gemeente
        self.kind = kind
        self.title = title
        self.date = date
        self.figures = figures
        self.participants = participants
        self.questions = questions
        self.themes = themes
        self.conclusions = conclusions
        self.actions = actions
        self.status = status
        self.createdBy = createdBy
        self.publishedAt = publishedAt
    }
}

/// One figure a conversation is about.
public struct FigureReference: Sendable, Codable, Hashable {
    public var indicator: String
    public var area: AreaCode
    public var period: String?

    public init(indicator: String, area: AreaCode, period: String?) {
        self.indicator = indicator
        self.area = area
        self.period = period
    }
}

/// Who takes part, by role (never a resident's name).
public enum ParticipantRole: String, Sendable, Codable, CaseIterable {
    case ouder, jongere, professional, beleid, bestuur, onderzoek

    public var label: String {
        switch self {
        case .ouder: tr("ouders")
        case .jongere: tr("jongeren")
        case .professional: tr("professionals")
        case .beleid: tr("beleid")
        case .bestuur: tr("bestuur")
        case .onderzoek: tr("onderzoek")
        }
    }

    /// In a spiegelgesprek these speak; the others listen.
    public var speaksInSpiegelgesprek: Bool { [.ouder, .jongere, .professional].contains(self) }
}

public struct Participant: Sendable, Codable, Hashable {
    public var role: ParticipantRole
    /// How many people in this role.
    public var count: Int
    /// For professionals: the spheres they work in.
    public var spheres: [Sphere]
    /// Present to listen, not to speak (policy and bestuur in a spiegelgesprek).
    public var listening: Bool

    public init(role: ParticipantRole, count: Int, spheres: [Sphere] = [], listening: Bool = false) {
        self.role = role
        self.count = count
        self.spheres = spheres
        self.listening = listening
    }
}

/// NJi's four duidingsvragen.
public enum DuidingQuestion: String, Sendable, Codable, CaseIterable {
    case herkennen, verklaren, waarderen, verbeteren

    public var text: String {
        switch self {
        case .herkennen: tr("Herkennen we het beeld?")
        case .verklaren: tr("Kunnen we het verklaren?")
        case .waarderen: tr("Wat vinden we ervan?")
        case .verbeteren: tr("Welke verbeteringen willen we?")
        }
    }
}

/// Whether the room agreed on a question: disagreement is recorded, not averaged away.
public enum Agreement: String, Sendable, Codable, CaseIterable {
    case eens, deels, oneens, nietBesproken = "niet-besproken"

    public var label: String {
        switch self {
        case .eens: tr("eens")
        case .deels: tr("deels eens")
        case .oneens: tr("oneens")
        case .nietBesproken: tr("niet besproken")
        }
    }
}

public struct RoleAnswer: Sendable, Codable, Hashable {
    public var role: ParticipantRole
    public var text: String

    public init(role: ParticipantRole, text: String) {
        self.role = role
        self.text = text
    }
}

public struct QuestionOutcome: Sendable, Codable, Hashable {
    public var question: DuidingQuestion
    public var answers: [RoleAnswer]
    public var agreement: Agreement

    public init(question: DuidingQuestion, answers: [RoleAnswer], agreement: Agreement) {
        self.question = question
        self.answers = answers
        self.agreement = agreement
    }
}

/// What was said in a spiegelgesprek, by whom (a role) and about which sphere.
public struct Theme: Sendable, Codable, Hashable {
    public var text: String
    public var role: ParticipantRole
    public var spheres: [Sphere]

    public init(text: String, role: ParticipantRole, spheres: [Sphere]) {
        self.text = text
        self.role = role
        self.spheres = spheres
    }
}

/// An agreed action: what, who (a role or organisation), by when, and how far it is.
public struct AgreedAction: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, bezig, klaar, vervallen
    }

    public var what: String
    public var who: String
    public var due: ReferenceDate?
    public var status: Status

    public init(what: String, who: String, due: ReferenceDate?, status: Status) {
        self.what = what
        self.who = who
        self.due = due
        self.status = status
    }
}

extension DialogueRecord {
    /// The part of a record a problem concerns (a form shows the problem there).
    public enum Part: String, Sendable, CaseIterable {
        case title, date, figures, participants, themes, actions, other
    }

    /// What is wrong with the record, in Dutch; empty when it can be saved.
    public func problems() -> [String] { partProblems().map(\.message) }

    /// The same problems, each with the part of the record it concerns.
    public func partProblems() -> [(part: Part, message: String)] {
        var problems: [(part: Part, message: String)] = []
        if title.trimmedWhitespace.isEmpty { problems.append((.title, tr("geef het gesprek een titel"))) }
        if participants.isEmpty { problems.append((.participants, tr("noteer wie er meedeed (per rol, zonder namen)"))) }
        for figure in figures where figure.area.gemeente != gemeente {
            problems.append((.figures, tr("{0} ligt niet in {1}", figure.area.rawValue, gemeente.rawValue)))
        }
        if kind == .spiegel {
            if !participants.contains(where: { $0.role.speaksInSpiegelgesprek && !$0.listening }) {
                problems.append((.participants, tr("in een spiegelgesprek spreken ouders, jongeren of professionals")))
            }
            if themes.isEmpty { problems.append((.themes, tr("noteer wat er gezegd is (thema's per rol)"))) }
        }
        for action in actions where action.what.trimmedWhitespace.isEmpty || action.who.trimmedWhitespace.isEmpty {
            problems.append((.actions, tr("een actie heeft een wat en een wie")))
        }
        return problems
    }
}

extension ReferenceDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = ReferenceDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: tr("geen datum (JJJJ-MM-DD): {0}", text)))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(day)
    }
}
