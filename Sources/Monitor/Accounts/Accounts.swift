import Foundation

/// What a user may do. Anonymous visitors have no role: they read published figures only.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    /// Everything: accounts, the audit log, every gemeente.
    case beheerder
    /// Works for one or more gemeenten: imports their local data, writes texts, dialogue records and registrations.
    case analist
    /// Contributes to the dialogue sessions they are invited to.
    case deelnemer

    /// Dutch label for pages.
    public var label: String {
        switch self {
        case .beheerder: tr("beheerder")
        case .analist: tr("analist")
        case .deelnemer: tr("deelnemer")
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A user account (never a resident: accounts are for people who work with the monitor).
public struct Account: Sendable, Codable, Hashable, Identifiable {
    public var id: Int
    /// The login name (usually an e-mail address), stored in lower case.
    public var username: String
    public var displayName: String
    public var role: Role
    /// The gemeenten an analist or deelnemer works for (empty for a beheerder: all).
    public var gemeenten: [AreaCode]
    public var createdAt: Date

    public init(id: Int, username: String, displayName: String, role: Role, gemeenten: [AreaCode] = [], createdAt: Date = Date()) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.gemeenten = gemeenten
        self.createdAt = createdAt
    }

    /// Login names are compared without case and surrounding spaces.
    public static func normalisedUsername(_ name: String) -> String {
        name.trimmedWhitespace.lowercased()
    }
}

/// Something a user wants to do; ``Account/may(_:)`` is the one place that decides.
public enum Permission: Sendable, Hashable {
    /// Add, remove and change accounts.
    case manageAccounts
    /// Read and export the audit log.
    case readAudit
    /// Change one's own password.
    case changeOwnPassword
    /// Import local data, write texts and registrations for a gemeente.
    case editGemeente(AreaCode)
    /// Publish a gemeente's drafts.
    case publishGemeente(AreaCode)
    /// See a gemeente's drafts.
    case readDrafts(AreaCode)
    /// Contribute to a dialogue session of a gemeente (deelnemers only when invited).
    case contributeDialogue(gemeente: AreaCode, invited: Bool)
    /// Answer "hoort dit bij onze pedagogische basis?" on a gemeente's gespreksmodel (its analisten and deelnemers).
    case answerConversationBoard(AreaCode)
    /// Submit a study to the evaluatiebank on behalf of a gemeente.
    case submitStudy(AreaCode)
    /// Approve or refuse submitted studies, and edit the document analysis's keyword rules (beheerders).
    case reviewKnowledge
    /// Withdraw a stored figure that cannot be right (a new version without a value; beheerders).
    case withdrawFigures
    /// Keep the table that maps the subjects of GGD exports to indicators (beheerders).
    case mapSources
    /// Share a gemeente's own indicator with everyone, or take that back (beheerders).
    case shareIndicators
    /// Make kopgroepen and choose their members (beheerders).
    case manageGroups
    /// Change the name and description of an intervention type (beheerders; analisten may add one).
    case editInterventionTypes
    /// Choose which other sites may show the monitor's cards in an iframe (beheerders).
    case manageEmbedding
}

extension Account {
    /// The role × permission rule, for every route and command.
    public func may(_ permission: Permission) -> Bool {
        switch (role, permission) {
        case (.beheerder, _): true
        case (_, .changeOwnPassword): true
        case (_, .manageAccounts), (_, .readAudit), (_, .reviewKnowledge), (_, .withdrawFigures), (_, .mapSources), (_, .shareIndicators),
             (_, .manageGroups), (_, .editInterventionTypes), (_, .manageEmbedding): false
        case (.analist, .editGemeente(let code)), (.analist, .publishGemeente(let code)), (.analist, .readDrafts(let code)):
            gemeenten.contains(code)
        case (.analist, .submitStudy(let code)): gemeenten.contains(code)
        case (.analist, .contributeDialogue(let code, _)), (.analist, .answerConversationBoard(let code)), (.deelnemer, .answerConversationBoard(let code)):
            gemeenten.contains(code)
        case (.deelnemer, .contributeDialogue(let code, let invited)): invited && gemeenten.contains(code)
        case (.deelnemer, .readDrafts(let code)): gemeenten.contains(code)
        case (.deelnemer, _): false
        }
    }
}

/// The password rules, in Dutch, checked before hashing.
public enum PasswordRule {
    public static let minimumLength = 12

    /// Problems with a new password; empty when it is acceptable.
    public static func problems(_ password: String, username: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength { problems.append(tr("een wachtwoord heeft minstens {0} tekens", minimumLength)) }
        if password.count > 200 { problems.append(tr("een wachtwoord heeft hoogstens 200 tekens")) }
        if !username.isEmpty, password.lowercased().contains(Account.normalisedUsername(username)) {
            problems.append(tr("het wachtwoord mag de gebruikersnaam niet bevatten"))
        }
        if Set(password).count < 4 { problems.append(tr("het wachtwoord heeft te weinig verschillende tekens")) }
        return problems
    }
}

/// One line of the audit log: who did what, when, to which object, with the state before and after.
public struct AuditEntry: Sendable, Codable, Hashable {
    public var id: Int
    public var at: Date
    /// The account's login name, or `pbmonitor (opdrachtregel)` for the CLI.
    public var actor: String
    /// What was done, e.g. `gebruiker.toevoegen`.
    public var action: String
    /// What it was done to, e.g. `gebruiker:analist@gemeente.nl`.
    public var object: String
    /// JSON of the object before and after (nil when it did not exist).
    public var before: String?
    public var after: String?

    public init(id: Int = 0, at: Date, actor: String, action: String, object: String, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.object = object
        self.before = before
        self.after = after
    }
}

/// A gemeente's local figures waiting to be published: uploaded by its analist, visible only to its users
/// until someone who may publish for it does so (then it is an ordinary import, versioned like any other).
public struct Draft: Sendable, Hashable, Identifiable {
    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    public var fileName: String
    public var format: String
    public var period: String?
    public var sha256: String
    public var createdBy: String
    public var createdAt: Date
    public var status: Status
    public var decidedBy: String?
    public var decidedAt: Date?
    /// The import it became when published.
    public var importID: Int?

    public init(id: Int, gemeente: AreaCode, fileName: String, format: String, period: String?, sha256: String, createdBy: String,
                createdAt: Date, status: Status, decidedBy: String? = nil, decidedAt: Date? = nil, importID: Int? = nil) {
        self.id = id
        self.gemeente = gemeente
        self.fileName = fileName
        self.format = format
        self.period = period
        self.sha256 = sha256
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.importID = importID
    }
}

extension ImportBatch {
    /// Local data of one gemeente may only touch that gemeente, its wijken and its buurten: the first area
    /// outside it is an ``ImportError`` naming its line and column.
    public func checkWithin(gemeente: AreaCode) throws(ImportError) {
        let outside = areaPositions.filter { $0.key.gemeente != gemeente }
            .min { ($0.value.line, $0.key) < ($1.value.line, $1.key) }
        if let (code, position) = outside {
            throw ImportError(file: file, line: position.line, column: position.column, found: code.rawValue,
                              expected: tr("een gebied in gemeente {0} (de gemeente zelf, haar wijken of buurten); ", gemeente.rawValue)
                                  + tr("lokale cijfers gelden alleen voor de eigen gemeente"))
        }
    }
}
