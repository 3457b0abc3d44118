import Foundation

/// A kopgroep (report §4.1, §4.3): gemeenten that go first and learn from each other. A beheerder makes it; the analisten
/// of its members see its page; a member shares a published record with it, explicitly and one at a time.
public struct Kopgroep: Sendable, Codable, Hashable, Identifiable {
    public var id: Int
    public var name: String
    /// Why the group exists and what it wants to learn (shown at the top of its page).
    public var purpose: String
    public var members: [AreaCode]
    public var createdBy: String
    public var createdAt: Date

    public init(id: Int = 0, name: String, purpose: String, members: [AreaCode], createdBy: String = "", createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.purpose = purpose
        self.members = members
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// The part of a group a problem concerns (a form shows the problem there).
    public enum Part: String, Sendable, CaseIterable { case name, purpose, members }

    /// What is wrong with it, each with its part; empty when it can be saved.
    public func partProblems() -> [(part: Part, message: String)] {
        var problems: [(part: Part, message: String)] = []
        if name.trimmedWhitespace.isEmpty { problems.append((.name, tr("geef de kopgroep een naam"))) }
        if name.count > 200 { problems.append((.name, tr("een naam heeft hoogstens 200 tekens"))) }
        if purpose.count > 5_000 { problems.append((.purpose, tr("het doel heeft hoogstens 5000 tekens"))) }
        if Set(members).count < 2 { problems.append((.members, tr("een kopgroep heeft ten minste twee gemeenten"))) }
        for member in members where member.kind != .gemeente { problems.append((.members, tr("{0} is geen gemeente", member.rawValue))) }
        return problems
    }

    /// Whether an account sees the group: beheerders all, analisten of a member gemeente theirs.
    public func isVisible(to account: Account?) -> Bool {
        guard let account else { return false }
        switch account.role {
        case .beheerder: return true
        case .analist: return !Set(account.gemeenten).isDisjoint(with: members)
        case .deelnemer: return false
        }
    }

    /// The member gemeenten this account may share from and copy into (an analist's own members; a beheerder's all).
    public func gemeenten(actingFor account: Account?) -> [AreaCode] {
        guard let account else { return [] }
        return members.filter { account.may(.editGemeente($0)) }
    }
}

/// What a member can share with its kopgroep. Only published records cross, and only their aggregated parts.
public enum ShareKind: String, Sendable, Codable, CaseIterable {
    /// A published questionnaire: its statements, and the scale results of its published rounds where n ≥ 10.
    case vragenlijst
    /// A published effect design: targets, comparison, frozen baseline and difference-in-differences result.
    case interventie
    /// The MKBA of a published intervention.
    case mkba
    /// The conclusions and actions of a published dialogue record.
    case duiding

    public var label: String {
        switch self {
        case .vragenlijst: tr("vragenlijst")
        case .interventie: tr("effectopzet")
        case .mkba: "MKBA"
        case .duiding: tr("duiding (conclusies en acties)")
        }
    }

    /// Whether a member can copy it into its own gemeente as a concept.
    public var canBeCopied: Bool { self != .duiding }
}

/// One record a gemeente shares with a kopgroep; withdrawing keeps the row (and the audit log says who and when).
public struct SharedRecord: Sendable, Codable, Hashable, Identifiable {
    public var id: Int
    public var groupID: Int
    public var kind: ShareKind
    public var recordID: Int
    /// The gemeente whose record it is.
    public var gemeente: AreaCode
    /// The record's title when it was shared (the record itself is read again for the page).
    public var title: String
    public var sharedBy: String
    public var sharedAt: Date
    public var withdrawnBy: String?
    public var withdrawnAt: Date?

    public init(id: Int = 0, groupID: Int, kind: ShareKind, recordID: Int, gemeente: AreaCode, title: String, sharedBy: String,
                sharedAt: Date, withdrawnBy: String? = nil, withdrawnAt: Date? = nil) {
        self.id = id
        self.groupID = groupID
        self.kind = kind
        self.recordID = recordID
        self.gemeente = gemeente
        self.title = title
        self.sharedBy = sharedBy
        self.sharedAt = sharedAt
        self.withdrawnBy = withdrawnBy
        self.withdrawnAt = withdrawnAt
    }

    public var isActive: Bool { withdrawnAt == nil }
}

/// Where a copied record came from: kept in the copy for as long as it exists, also when the share is withdrawn.
public struct RecordOrigin: Sendable, Codable, Hashable {
    public var shareID: Int
    public var groupID: Int
    public var kind: ShareKind
    public var gemeente: AreaCode
    public var recordID: Int
    public var title: String

    public init(shareID: Int, groupID: Int, kind: ShareKind, gemeente: AreaCode, recordID: Int, title: String) {
        self.shareID = shareID
        self.groupID = groupID
        self.kind = kind
        self.gemeente = gemeente
        self.recordID = recordID
        self.title = title
    }
}

/// A copy a member made of a shared record: who uses what (the group page lists them).
public struct RecordCopy: Sendable, Hashable {
    public var shareID: Int
    /// The kind of the copy itself (an MKBA's copy is an intervention).
    public var kind: RecordKind
    public var recordID: Int
    public var gemeente: AreaCode
    public var copiedBy: String
    public var copiedAt: Date

    public init(shareID: Int, kind: RecordKind, recordID: Int, gemeente: AreaCode, copiedBy: String, copiedAt: Date) {
        self.shareID = shareID
        self.kind = kind
        self.recordID = recordID
        self.gemeente = gemeente
        self.copiedBy = copiedBy
        self.copiedAt = copiedAt
    }
}

/// A kind of intervention (report §4.4: a national programme pools the results of interventions of one kind). The list is
/// shared by every gemeente and can be added to; each intervention is tagged with one.
public struct InterventionType: Sendable, Codable, Hashable, Identifiable {
    /// A short key in lower case with hyphens (`buurtgezinnen`), stable in addresses.
    public var id: String
    public var name: String
    public var description: String

    public init(id: String, name: String, description: String) {
        self.id = id
        self.name = name
        self.description = description
    }

    /// The key for a name: lower case, letters and digits, hyphens between words (`Gewoon opvoeden versterken` →
    /// `gewoon-opvoeden-versterken`, `Mamacafé` → `mamacafe`).
    public static func key(for name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl_NL")).lowercased()
        var key = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { key.unicodeScalars.append(scalar) }
            else if !key.isEmpty, !key.hasSuffix("-") { key += "-" }
        }
        while key.hasSuffix("-") { key.removeLast() }
        return String(key.prefix(60))
    }

    public func partProblems() -> [(part: String, message: String)] {
        var problems: [(part: String, message: String)] = []
        if name.trimmedWhitespace.isEmpty { problems.append(("naam", tr("geef het type een naam"))) }
        else if id.isEmpty { problems.append(("naam", tr("een naam heeft ten minste één letter of cijfer"))) }
        if name.count > 120 { problems.append(("naam", tr("een naam heeft hoogstens 120 tekens"))) }
        if description.count > 2_000 { problems.append(("beschrijving", tr("de beschrijving heeft hoogstens 2000 tekens"))) }
        return problems
    }
}

/// Why a kopgroep, a share or a copy was refused; the message is in the visitor's language.
public struct CooperationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// No such group, share or type (or not one this visitor may know of): 404.
        case unknown
        /// Not possible in the state things are in (a concept cannot be shared, a share is already withdrawn): 409.
        case conflict
        /// The form or record breaks a rule: 400.
        case invalid
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
