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
    var pageTitle = "Inloggen — pbmonitor"

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
    var pageTitle = "Uitloggen — pbmonitor"
}

/// View model of `pages/password.mustache`.
struct PasswordPage: Sendable {
    var csrf: String
    var name: String
    var username: String
    var minimumLength = PasswordRule.minimumLength
    var errors: [String] = []
    var done = false
    var pageTitle = "Wachtwoord wijzigen — pbmonitor"

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

/// A role in a select, with whether it is chosen.
struct RoleOption: Sendable {
    var value: String
    var label: String
    var selected: Bool

    static func all(selected: String) -> [RoleOption] {
        Role.allCases.map { RoleOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
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
    var errors: [String] = []
    var draft = Draft() { didSet { roles = RoleOption.all(selected: draft.role) } }
    var roles: [RoleOption]
    var minimumLength = PasswordRule.minimumLength
    var pageTitle = "Gebruikers — pbmonitor"

    init(csrf: String, accounts: [Account], gemeenteNames: [AreaCode: String]) {
        self.csrf = csrf
        self.accounts = accounts.map { AccountRow($0, names: gemeenteNames) }
        roles = RoleOption.all(selected: "analist")
    }
}

/// View model of `pages/account.mustache`.
struct AccountPage: Sendable {
    var csrf: String
    var account: AccountRow
    var roles: [RoleOption]
    var errors: [String] = []
    var message: String?
    var minimumLength = PasswordRule.minimumLength
    var pageTitle: String

    init(csrf: String, account: Account, gemeenteNames: [AreaCode: String]) {
        self.csrf = csrf
        self.account = AccountRow(account, names: gemeenteNames)
        roles = RoleOption.all(selected: account.role.rawValue)
        pageTitle = "\(account.displayName) — gebruikers — pbmonitor"
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
    var pageTitle = "Auditlog — pbmonitor"

    init(entries: [AuditEntry], total: Int, page: Int, pageSize: Int) {
        rows = entries.map { Row(at: DutchDate.long($0.at) + " " + DutchDate.time($0.at),
                                 actor: $0.actor, action: $0.action, object: $0.object, before: $0.before, after: $0.after) }
        self.total = total
        previous = page > 1 ? SiteRoute.audit.url([("pagina", String(page - 1))]) : nil
        next = page * pageSize < total ? SiteRoute.audit.url([("pagina", String(page + 1))]) : nil
    }
}
