import Foundation
import Monitor

/// View model of `pages/login.mustache`.
struct LoginPage: Sendable {
    var csrf: String
    var returnTo: String?
    var loggedInAs: String?
    var firstRun = false
    var username = ""
    var error: String?
    var pageTitle = tr("Inloggen — Monitor pedagogische basis")

    init(csrf: String, returnTo: String?, loggedInAs: String? = nil, firstRun: Bool = false, username: String = "", error: String? = nil) {
        self.csrf = csrf
        self.returnTo = returnTo
        self.loggedInAs = loggedInAs
        self.firstRun = firstRun
        self.username = username
        self.error = error
    }
}

/// View model of `pages/logout.mustache`.
struct LogoutPage: Sendable {
    var csrf: String
    var loggedInAs: String?
    var pageTitle = tr("Uitloggen — Monitor pedagogische basis")
}

/// View model of `pages/password.mustache`.
struct PasswordPage: Sendable {
    var csrf: String
    var name: String
    var username: String
    var minimumLength = PasswordRule.minimumLength
    /// A refused change: each problem beside its field (passwords are never typed back in).
    var feedback = FormFeedback()
    var done = false
    var pageTitle = tr("Wachtwoord wijzigen — Monitor pedagogische basis")
    static var fields: [(id: String, label: String)] { [(id: "huidig", label: tr("Huidig wachtwoord")), (id: "nieuw", label: tr("Nieuw wachtwoord")),
                         (id: "herhaling", label: tr("Nieuw wachtwoord nog eens"))] }

    init(csrf: String, account: Account) {
        self.csrf = csrf
        name = account.displayName
        username = account.username
    }
}

/// One account in a list or on its page.
struct AccountRow: Sendable {
    var id: Int
    var url: String
    var username: String
    var displayName: String
    var role: String
    var gemeenten: String
    var gemeenteCodes: String
    var created: String

    init(_ account: Account, names: [AreaCode: String]) {
        id = account.id
        url = SiteRoute.account(account.id).path
        username = account.username
        displayName = account.displayName
        role = account.role.label
        gemeenten = account.role == .beheerder && account.gemeenten.isEmpty ? "alle"
            : account.gemeenten.map { code in names[code].map { "\($0) (\(code.rawValue))" } ?? code.rawValue }.joined(separator: ", ")
        gemeenteCodes = account.gemeenten.map(\.rawValue).joined(separator: ", ")
        created = DutchDate.long(account.createdAt)
    }
}

extension Option {
    /// The roles for a select, with `selected` chosen.
    static func roles(selected: String) -> [Option] {
        Role.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }
}

/// View model of `pages/accounts.mustache`.
struct AccountsPage: Sendable {
    struct Draft: Sendable {
        var username = ""
        var displayName = ""
        var role = "analist"
        var gemeenten = ""
    }

    var csrf: String
    var accounts: [AccountRow]
    var accountCount: String
    /// A refused new user: each problem beside its field; what was typed stays in `draft`.
    var feedback = FormFeedback()
    static var fields: [(id: String, label: String)] { [(id: "gebruikersnaam", label: tr("Gebruikersnaam")), (id: "naam", label: tr("Naam")), (id: "rol", label: tr("Rol")),
                         (id: "gemeenten", label: tr("Gemeenten")), (id: "wachtwoord", label: tr("Eerste wachtwoord"))] }
    var draft = Draft() { didSet { roles = Option.roles(selected: draft.role) } }
    var roles: [Option]
    var minimumLength = PasswordRule.minimumLength
    var pageTitle = tr("Gebruikers — Monitor pedagogische basis")

    init(csrf: String, accounts: [Account], gemeenteNames: [AreaCode: String]) {
        self.csrf = csrf
        self.accounts = accounts.map { AccountRow($0, names: gemeenteNames) }
        accountCount = DutchNumber.count(accounts.count, "gebruiker", "gebruikers")
        roles = Option.roles(selected: "analist")
    }
}

/// View model of `pages/account.mustache`.
struct AccountPage: Sendable {
    var csrf: String
    var account: AccountRow
    var roles: [Option]
    /// The gemeenten in the role form: the account's, or what was typed when the form was refused.
    var gemeenteCodes: String
    /// A refused action: its problem at the field it concerns (rol, gemeenten, wachtwoord) and in a summary.
    var feedback = FormFeedback()
    var message: String?
    var minimumLength = PasswordRule.minimumLength
    var pageTitle: String
    var roleURL, passwordURL, removeURL: String

    static var fields: [(id: String, label: String)] {
        [("rol", tr("Rol")), ("gemeenten", tr("Gemeenten")), ("wachtwoord", tr("Nieuw wachtwoord"))]
    }

    init(csrf: String, account: Account, gemeenteNames: [AreaCode: String]) {
        self.csrf = csrf
        roleURL = SiteRoute.action(.accountRole, id: account.id).path
        passwordURL = SiteRoute.action(.accountPassword, id: account.id).path
        removeURL = SiteRoute.action(.accountRemove, id: account.id).path
        self.account = AccountRow(account, names: gemeenteNames)
        roles = Option.roles(selected: account.role.rawValue)
        gemeenteCodes = self.account.gemeenteCodes
        pageTitle = tr("{0} — gebruikers — Monitor pedagogische basis", account.displayName)
    }
}

/// View model of `pages/audit.mustache`.
struct AuditPage: Sendable {
    struct Row: Sendable {
        var at: String
        var actor: String
        var action: String
        var object: String
        var before: String?
        var after: String?
    }

    var rows: [Row]
    var total: Int
    var previous: String?
    var next: String?
    var pageTitle = tr("Auditlog — Monitor pedagogische basis")

    init(entries: [AuditEntry], total: Int, page: Int, pageSize: Int) {
        rows = entries.map { Row(at: DutchDate.long($0.at) + " " + DutchDate.time($0.at),
                                 actor: $0.actor, action: $0.action, object: $0.object, before: $0.before, after: $0.after) }
        self.total = total
        previous = page > 1 ? SiteRoute.audit.url([("pagina", String(page - 1))]) : nil
        next = page * pageSize < total ? SiteRoute.audit.url([("pagina", String(page + 1))]) : nil
    }
}

/// One draft in a list.
struct DraftRow: Sendable {
    var id: Int
    var url: String
    var fileName: String
    var status: String
    var isConcept: Bool
    var createdBy: String
    var created: String
    var decided: String?

    init(_ draft: Draft) {
        id = draft.id
        url = SiteRoute.draft(draft.gemeente.rawValue, draft.id).path
        fileName = draft.fileName
        status = draft.status.rawValue
        isConcept = draft.status == .concept
        createdBy = draft.createdBy
        created = DutchDate.long(draft.createdAt)
        decided = draft.decidedAt.map { tr("{0} door {1} op {2}", draft.status.rawValue, draft.decidedBy ?? "?", DutchDate.long($0)) }
    }
}

/// View model of `pages/drafts.mustache`.
struct DraftsPage: Sendable {
    var gemeenteName: String
    var gemeenteCode: String
    var profileURL: String
    var uploadURL: String
    var localIndicatorsURL: String
    var drafts: [DraftRow]
    var csrf: String
    var mayUpload: Bool
    var errors: [String] = []
    var pageTitle: String

    init(gemeente: Area, drafts: [Draft], csrf: String, mayUpload: Bool) {
        gemeenteName = gemeente.name
        gemeenteCode = gemeente.code.rawValue
        profileURL = SiteRoute.municipality(gemeente.code.rawValue).path
        uploadURL = SiteRoute.drafts(gemeente.code.rawValue).path
        localIndicatorsURL = SiteRoute.localIndicators(gemeente.code.rawValue).path
        self.drafts = drafts.map(DraftRow.init)
        self.csrf = csrf
        self.mayUpload = mayUpload
        pageTitle = tr("Concepten van {0} — Monitor pedagogische basis", gemeente.name)
    }
}

/// View model of `pages/draft.mustache`.
struct DraftPage: Sendable {
    struct Row: Sendable {
        var indicator: String
        var area: String
        var code: String
        var period: String
        var value: String
    }

    var draft: DraftRow
    var gemeenteName: String
    var listURL: String
    var rows: [Row]
    var count: Int
    var problem: String?
    var csrf: String
    var mayPublish: Bool
    var mayWithdraw: Bool
    var publishURL, withdrawURL: String
    var errors: [String] = []
    var message: String?
    var pageTitle: String

    init(draft: Draft, gemeente: Area, rows: [Row], problem: String?, csrf: String, mayPublish: Bool, mayWithdraw: Bool) {
        publishURL = SiteRoute.action(.draftPublish, code: gemeente.code.rawValue, id: draft.id).path
        withdrawURL = SiteRoute.action(.draftWithdraw, code: gemeente.code.rawValue, id: draft.id).path
        self.draft = DraftRow(draft)
        gemeenteName = gemeente.name
        listURL = SiteRoute.drafts(gemeente.code.rawValue).path
        self.rows = Array(rows.prefix(500))
        count = rows.count
        self.problem = problem
        self.csrf = csrf
        self.mayPublish = mayPublish
        self.mayWithdraw = mayWithdraw
        pageTitle = tr("Concept {0} van {1} — Monitor pedagogische basis", draft.id, gemeente.name)
    }
}
