import Foundation

/// The gemeentelijke beleidsdomeinen around the basis: of influence, not part of it (report §2.1).
public enum PolicyDomain: String, Sendable, Codable, CaseIterable {
    case armoede, participatiewet, sociaaldomein, openbareruimte, onderwijshuisvesting, verbinden

    public var label: String {
        switch self {
        case .armoede: tr("Armoedebeleid")
        case .participatiewet: tr("Participatiewet")
        case .sociaaldomein: tr("Sociaal domein en jongerenwerk")
        case .openbareruimte: tr("Openbare ruimte")
        case .onderwijshuisvesting: tr("Onderwijshuisvesting")
        case .verbinden: tr("Verbinden van sferen")
        }
    }
}

/// Where an item sits on the gespreksmodel: in a sphere of the basis, in the buitensfeer (hulpverlening),
/// or in a policy domain around it. Stored as `gezin`, …, `hulp`, or `beleid-armoede`, ….
public enum ConversationBoardPlace: Sendable, Hashable, Codable, RawRepresentable, CaseIterable {
    case sphere(Sphere)
    case domain(PolicyDomain)

    public static let allCases: [ConversationBoardPlace] = Sphere.allCases.map(ConversationBoardPlace.sphere) + PolicyDomain.allCases.map(ConversationBoardPlace.domain)

    public init?(rawValue: String) {
        if let sphere = Sphere(rawValue: rawValue) {
            self = .sphere(sphere)
        } else if rawValue.hasPrefix("beleid-"), let domain = PolicyDomain(rawValue: String(rawValue.dropFirst(7))) {
            self = .domain(domain)
        } else {
            return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .sphere(let sphere): sphere.rawValue
        case .domain(let domain): "beleid-\(domain.rawValue)"
        }
    }

    public var label: String {
        switch self {
        case .sphere(.hulp): tr("Buitensfeer: hulpverlening")
        case .sphere(let sphere): "Sfeer: \(sphere.shortLabel.lowercased())"
        case .domain(let domain): "Beleidsdomein: \(domain.label.lowercased())"
        }
    }

    /// ConversationBoard order: the spheres, the buitensfeer, then the policy domains.
    public var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Inside the pedagogische basis itself (the four spheres), as opposed to the buitensfeer or a policy domain.
    public var isInsideBasis: Bool {
        if case .sphere(let sphere) = self { return sphere != .hulp }
        return false
    }
}

/// The answer to the report's question (§2.3): "hoort dit bij onze pedagogische basis — en waarom?"
public enum BelongingAnswer: String, Sendable, Codable, CaseIterable {
    case ja, nee, twijfel
}

/// One person's answer. The answerer is a logged-in user of the gemeente; pages show the role and function
/// they answered as, never the login name.
public struct ConversationBoardAnswer: Sendable, Codable, Hashable {
    /// Login name, to let a person change their own answer; not shown on pages or in the API.
    public var account: String
    public var role: ParticipantRole
    /// Function or organisation, e.g. "jeugdverpleegkundige GGD" (optional).
    public var function: String
    public var answer: BelongingAnswer
    public var reason: String
    public var at: Date

    public init(account: String, role: ParticipantRole, function: String = "", answer: BelongingAnswer, reason: String, at: Date = Date()) {
        self.account = account
        self.role = role
        self.function = function
        self.answer = answer
        self.reason = reason
        self.at = at
    }

    /// "professional (jeugdverpleegkundige GGD)".
    public var speaker: String {
        let function = function.trimmedWhitespace
        return function.isEmpty ? role.label : "\(role.label) (\(function))"
    }
}

/// A local item on the gespreksmodel of a gemeente: a facility, a project or pilot, or a professional role,
/// placed in a sphere, the buitensfeer or a policy domain, with perspectives, and several people's answers.
public struct ConversationBoardItem: Sendable, Codable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case voorziening, project, rol

        public var label: String {
            switch self {
            case .voorziening: tr("voorziening")
            case .project: tr("project of pilot")
            case .rol: tr("professionele rol")
            }
        }
    }

    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    public var name: String
    public var kind: Kind
    public var place: ConversationBoardPlace
    public var perspectives: [Perspective]
    /// What it is, in a sentence or two.
    public var description: String
    /// The suggestion from the report it started from, if any.
    public var suggestion: String?
    public var answers: [ConversationBoardAnswer]
    public var status: Status
    public var createdBy: String
    public var publishedAt: Date?

    public init(id: Int = 0, gemeente: AreaCode, name: String, kind: Kind, place: ConversationBoardPlace, perspectives: [Perspective] = [],
                description: String = "", suggestion: String? = nil, answers: [ConversationBoardAnswer] = [], status: Status = .concept,
                createdBy: String = "", publishedAt: Date? = nil) {
        self.id = id
        self.gemeente = gemeente
        self.name = name
        self.kind = kind
        self.place = place
        self.perspectives = perspectives
        self.description = description
        self.suggestion = suggestion
        self.answers = answers
        self.status = status
        self.createdBy = createdBy
        self.publishedAt = publishedAt
    }

    /// What is wrong with the item, in Dutch; empty when it can be saved.
    public func problems() -> [String] { fieldProblems().map(\.message) }

    /// The field of an item a problem concerns.
    public enum Field: String, Sendable { case name, description }

    /// The same problems, each with its field.
    public func fieldProblems() -> [(field: Field, message: String)] {
        var problems: [(field: Field, message: String)] = []
        if name.trimmedWhitespace.isEmpty { problems.append((.name, tr("geef het onderdeel een naam"))) }
        if name.count > 120 { problems.append((.name, tr("een naam heeft hoogstens 120 tekens"))) }
        if description.count > 2_000 { problems.append((.description, tr("een toelichting heeft hoogstens 2000 tekens"))) }
        return problems
    }

    /// How many people answered ja, nee and twijfel: counted, never averaged into one verdict.
    public var tally: ConversationBoardTally { ConversationBoardTally(answers) }
}

/// The spread of answers on one item. Disagreement stays visible: there is no "mean" answer.
public struct ConversationBoardTally: Sendable, Hashable {
    public var ja: Int
    public var nee: Int
    public var twijfel: Int

    public init(_ answers: [ConversationBoardAnswer]) {
        ja = answers.filter { $0.answer == .ja }.count
        nee = answers.filter { $0.answer == .nee }.count
        twijfel = answers.filter { $0.answer == .twijfel }.count
    }

    public var total: Int { ja + nee + twijfel }
    public func count(_ answer: BelongingAnswer) -> Int {
        switch answer {
        case .ja: ja
        case .nee: nee
        case .twijfel: twijfel
        }
    }

    /// More than one kind of answer was given.
    public var isContested: Bool { [ja, nee, twijfel].filter { $0 > 0 }.count > 1 }

    /// "2 × ja, 1 × twijfel — niet eens" / "nog niet beantwoord".
    public var summary: String {
        guard total > 0 else { return tr("nog niet beantwoord") }
        let parts = BelongingAnswer.allCases.compactMap { answer in count(answer) > 0 ? "\(count(answer)) × \(answer.rawValue)" : nil }
        let verdict: String
        if isContested { verdict = tr("de meningen verschillen") }
        else if total == 1 { verdict = tr("één antwoord") }
        else { verdict = "iedereen \(BelongingAnswer.allCases.first { count($0) > 0 }!.rawValue)" }
        return parts.joined(separator: ", ") + " — " + verdict
    }
}

/// The report's own examples (§2.3 and §4.6), offered as starting points on an empty board.
public struct ConversationBoardSuggestion: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var kind: ConversationBoardItem.Kind
    public var place: ConversationBoardPlace
    public var perspectives: [Perspective]
    public var description: String
    /// Where in the report, and its link when the report gives one.
    public var source: String

    public static var fromReport: [ConversationBoardSuggestion] { [
        ConversationBoardSuggestion(id: "consultatiebureau", name: tr("Consultatiebureau"), kind: .voorziening, place: .sphere(.hulp),
                                    perspectives: [.ideaal, .aanbod],
                                    description: tr("Vrij toegankelijke jeugdgezondheidszorg voor alle ouders en jonge kinderen, zonder indicatie."),
                                    source: tr("Rapport §2.3: behoort het consultatiebureau tot de pedagogische basis en waarom wel of niet?")),
        ConversationBoardSuggestion(id: "huisarts", name: tr("Huisarts"), kind: .rol, place: .sphere(.hulp), perspectives: [.aanbod, .instrumenteel],
                                    description: tr("De huisarts als eerste aanspreekpunt van gezinnen en verwijzer naar jeugdhulp."),
                                    source: tr("Rapport §2.3: … de huisarts …")),
        ConversationBoardSuggestion(id: "brugfunctionaris", name: tr("Brugfunctionaris"), kind: .rol, place: .sphere(.school), perspectives: [.houding, .aanbod],
                                    description: tr("Verbindt de sferen van gezinnen, scholen en de buitensfeer."),
                                    source: tr("Rapport §2.3 en §4.6 (kohnstamminstituut.nl/de-brugfunctie-in-beeld)")),
        ConversationBoardSuggestion(id: "jongerenwerker", name: tr("Jongerenwerker"), kind: .rol, place: .sphere(.vrijetijd), perspectives: [.ideaal, .houding],
                                    description: tr("Jongerenwerk in de wijk, op straat en in het buurthuis."),
                                    source: tr("Rapport §2.3: … de jongerenwerker …")),
        ConversationBoardSuggestion(id: "buurtgezinnen", name: tr("Buurtgezinnen"), kind: .project, place: .sphere(.gezin), perspectives: [.houding, .ideaal],
                                    description: tr("Medebewoners geven binnen de sfeer van gezinnen laagdrempelige steun."),
                                    source: tr("Rapport §4.6 (buurtgezinnen.nl)")),
        ConversationBoardSuggestion(id: "familiescholen", name: tr("Familiescholen"), kind: .project, place: .sphere(.school), perspectives: [.ideaal, .houding],
                                    description: tr("Extra investering in het verbinden van de gezins- en familiesfeer met de school (Amsterdamse Familiescholen)."),
                                    source: tr("Rapport §4.6 (uva.nl, Amsterdamse Familiescholen)")),
        ConversationBoardSuggestion(id: "oko", name: tr("Opgroeien in een Kansrijke Omgeving (OKO)"), kind: .project, place: .domain(.verbinden),
                                    perspectives: [.houding, .ideaal],
                                    description: tr("Lokale partijen werken vanuit de eigen sferen met elkaar aan een gedeelde houding."),
                                    source: tr("Rapport §4.6 (trimbos.nl, Opgroeien in een Kansrijke Omgeving)")),
        ConversationBoardSuggestion(id: "mamacafe", name: tr("Mamacafé"), kind: .project, place: .sphere(.gezin), perspectives: [.houding],
                                    description: tr("Moeders krijgen en geven steun aan elkaar, met professionele ondersteuning."),
                                    source: tr("Rapport §4.6 (buurtmamas.nl/mamacafe)")),
        ConversationBoardSuggestion(id: "kantinemoeders", name: tr("Kantinemoeders"), kind: .project, place: .sphere(.school), perspectives: [.houding, .ideaal],
                                    description: tr("Moeders krijgen een werkplek op school."),
                                    source: tr("Rapport §4.6 (progresso.amsterdam, De Kantinemoeders)")),
        ConversationBoardSuggestion(id: "gewoon-opvoeden", name: tr("Gewoon opvoeden versterken"), kind: .project, place: .sphere(.gezin),
                                    perspectives: [.houding, .instrumenteel],
                                    description: tr("Project in drie wijken in Utrecht om gewoon opvoeden te versterken."),
                                    source: tr("Rapport §4.6 (kenniswerkplaatsjeugdutrechtstad.nl)")),
        ConversationBoardSuggestion(id: "opgroeiondersteuning-school", name: tr("Opgroeiondersteuning op school"), kind: .project, place: .sphere(.school),
                                    perspectives: [.aanbod, .instrumenteel],
                                    description: tr("Laagdrempelige ondersteuning aan kinderen en ouders op po- en vo-scholen ('s-Hertogenbosch)."),
                                    source: tr("Rapport §4.6 (wijzijnqurius.nl)")),
    ] }

    public static func named(_ id: String) -> ConversationBoardSuggestion? { fromReport.first { $0.id == id } }

    public func item(gemeente: AreaCode) -> ConversationBoardItem {
        ConversationBoardItem(gemeente: gemeente, name: name, kind: kind, place: place, perspectives: perspectives, description: description,
                              suggestion: id)
    }
}
