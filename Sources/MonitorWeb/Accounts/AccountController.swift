import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Logging in and out, one's own password, and (for beheerders) accounts and the audit log.
struct AccountController: Sendable {
    let store: any Store
    let accounts: any AccountStore
    let renderer: PageRenderer
    let passwords: Passwords

    /// How long a session lasts.
    static let sessionLifetime: TimeInterval = 12 * 3600
    /// Login throttling, so that guessing is slow and nobody can lock anyone else out:
    /// - per name and client address: after ``failureLimit`` failures, wait 15, 30, then 60 seconds (``maximumDelay``)
    ///   after the last failure;
    /// - per name from all addresses together: after ``accountFailureLimit`` failures, wait ``maximumDelay`` after the
    ///   last failure (slows guessing from many addresses; never longer than that for the real user);
    /// - per client address (the real client, see ``AppRequestContext/clientAddress``): after ``addressFailureLimit``
    ///   failures in ``failureWindow``, that address waits for the window to pass — other addresses are not affected.
    /// Names that do not exist are limited the same way (a 429 says nothing about whether a name exists); their keys are
    /// their own, so failures on made-up names never slow a real account down, and no one is locked out for a quarter hour.
    static let failureLimit = 5
    static let accountFailureLimit = 50
    static let addressFailureLimit = 30
    static let maximumDelay: TimeInterval = 60
    static let failureWindow: TimeInterval = 15 * 60
    /// Said for every failed login, whether or not the name exists.
    static var loginFailed: String { tr("Gebruikersnaam of wachtwoord klopt niet.") }
    static var tooManyFromAddress: String { tr("Te veel mislukte pogingen vanaf dit adres. Probeer het over een kwartier opnieuw.") }
    static func wait(_ seconds: Int) -> String {
        tr("Te veel mislukte pogingen voor deze naam. Wacht {0} seconden en probeer het dan opnieuw.", seconds)
    }

    // MARK: Login and logout

    func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = LoginPage(csrf: context.csrfToken, returnTo: Self.localPath(request.uri.queryParameters.get("terug")),
                             loggedInAs: context.account?.displayName, firstRun: try await accounts.accountCount() == 0)
        return renderer.response(page, chrome: context.chrome)
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let username = Account.normalisedUsername(form["gebruikersnaam"] ?? "")
        let password = form["wachtwoord"] ?? ""
        let returnTo = Self.localPath(form["terug"])
        let now = context.clock.now
        let since = now.addingTimeInterval(-Self.failureWindow)
        let addressKey = context.clientAddress.map { "adres:" + $0 }
        let pairKey = "naam-adres:" + username + "@" + (context.clientAddress ?? "-")
        let accountKey = "naam:" + username
        func refuse(_ message: String, retryAfter: Int) -> Response {
            var response = renderer.response(LoginPage(csrf: context.csrfToken, returnTo: returnTo, username: username, error: message),
                                             chrome: context.chrome, status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
        if let addressKey, try await accounts.loginFailures(key: addressKey, since: since) >= Self.addressFailureLimit {
            return refuse(Self.tooManyFromAddress, retryAfter: Int(Self.failureWindow))
        }
        // The same limits for names that exist and names that do not (nothing to learn from a 429); the keys of an unknown
        // name are its own, so failures on it never slow a real account down.
        let pairFailures = try await accounts.loginFailures(key: pairKey, since: since)
        if pairFailures >= Self.failureLimit {
            let delay = min(Self.maximumDelay, 15 * pow(2, Double(min(pairFailures - Self.failureLimit, 10))))
            if try await accounts.loginFailures(key: pairKey, since: now.addingTimeInterval(-delay)) > 0 {
                return refuse(Self.wait(Int(delay)), retryAfter: Int(delay))
            }
        }
        if try await accounts.loginFailures(key: accountKey, since: since) >= Self.accountFailureLimit,
           try await accounts.loginFailures(key: accountKey, since: now.addingTimeInterval(-Self.maximumDelay)) > 0 {
            return refuse(Self.wait(Int(Self.maximumDelay)), retryAfter: Int(Self.maximumDelay))
        }
        let found = try await accounts.credentials(username: username)
        // Always one bcrypt verification, so a wrong name costs as much time as a wrong password.
        let valid = try await passwords.verify(password, hash: found?.passwordHash ?? Passwords.decoy)
        guard let found, valid, !password.isEmpty else {
            try await accounts.recordLoginFailure(keys: [addressKey].compactMap { $0 } + [pairKey, accountKey], at: now)
            let page = LoginPage(csrf: context.csrfToken, returnTo: returnTo, username: username, error: Self.loginFailed)
            return renderer.response(page, chrome: context.chrome, status: .unauthorized)
        }
        try await accounts.clearLoginFailures(key: pairKey)
        let token = Token.random()
        try await accounts.createSession(SessionRecord(tokenHash: Token.hash(token), accountID: found.account.id, csrfToken: Token.random(),
                                                       createdAt: now, expiresAt: now.addingTimeInterval(Self.sessionLifetime)))
        var response = Response(status: .seeOther, headers: [.location: returnTo ?? "/"])
        response.setCookie(Cookie(name: CookieName.session, value: token, maxAge: Int(Self.sessionLifetime), path: "/",
                                  secure: context.secure, httpOnly: true, sameSite: .lax))
        return response
    }

    func logoutForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        renderer.response(LogoutPage(csrf: context.csrfToken, loggedInAs: context.account?.displayName), chrome: context.chrome)
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let hash = context.sessionTokenHash { try await accounts.deleteSession(tokenHash: hash) }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: CookieName.session, value: "", maxAge: 0, path: "/", secure: context.secure, httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: Own password

    func passwordForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount(returnTo: SiteRoute.password.path)
        return renderer.response(PasswordPage(csrf: context.csrfToken, account: account), chrome: context.chrome)
    }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount(returnTo: nil)
        let form = context.form
        let current = form["huidig"] ?? "", new = form["nieuw"] ?? "", repeated = form["herhaling"] ?? ""
        var problems: [(field: String, message: String)] = []
        if let credentials = try await accounts.credentials(username: account.username),
           try await !passwords.verify(current, hash: credentials.passwordHash) {
            problems.append(("huidig", tr("het huidige wachtwoord klopt niet")))
        }
        problems += PasswordRule.problems(new, username: account.username).map { ("nieuw", $0) }
        if new != repeated { problems.append(("herhaling", tr("de twee nieuwe wachtwoorden zijn niet gelijk"))) }
        guard problems.isEmpty else {
            var page = PasswordPage(csrf: context.csrfToken, account: account)
            page.feedback = FormFeedback(problems: problems, fields: PasswordPage.fields)
            return renderer.response(page, chrome: context.chrome, status: .badRequest)
        }
        try await accounts.setPasswordHash(id: account.id, passwordHash: try await passwords.hash(new),
                                           keepSession: context.sessionTokenHash, actor: account.username)
        var page = PasswordPage(csrf: context.csrfToken, account: account)
        page.done = true
        return renderer.response(page, chrome: context.chrome)
    }

    // MARK: Account administration (beheerders)

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageAccounts, returnTo: SiteRoute.accounts.path)
        return renderer.response(try await accountsPage(context), chrome: context.chrome)
    }

    func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let me = try context.require(.manageAccounts)
        let form = context.form
        let username = Account.normalisedUsername(form["gebruikersnaam"] ?? "")
        let password = form["wachtwoord"] ?? ""
        var problems: [(field: String, message: String)] = []
        if username.isEmpty { problems.append(("gebruikersnaam", tr("vul een gebruikersnaam in, bijvoorbeeld het e-mailadres"))) }
        let role = Role(rawValue: form["rol"] ?? "")
        if role == nil { problems.append(("rol", tr("kies een rol"))) }
        let (gemeenten, unknown) = try await store.gemeenten(typed: form["gemeenten"] ?? "")
        problems += unknown.map { ("gemeenten", tr("onbekende gemeente: {0}", $0)) }
        problems += PasswordRule.problems(password, username: username).map { ("wachtwoord", $0) }
        if problems.isEmpty, let role {
            do {
                let account = try await accounts.addAccount(username: username, displayName: form["naam"] ?? "", role: role, gemeenten: gemeenten,
                                                            passwordHash: try await passwords.hash(password), actor: me.username)
                return Response(status: .seeOther, headers: [.location: SiteRoute.account(account.id).path])
            } catch let error as AccountError {
                problems.append(("gebruikersnaam", error.description))
            }
        }
        var page = try await accountsPage(context)
        page.feedback = FormFeedback(problems: problems, fields: AccountsPage.fields)
        page.draft = AccountsPage.Draft(username: username, displayName: form["naam"] ?? "", role: form["rol"] ?? "", gemeenten: form["gemeenten"] ?? "")
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageAccounts, returnTo: request.uri.path)
        let account = try await account(context)
        return renderer.response(AccountPage(csrf: context.csrfToken, account: account, gemeenteNames: try await store.gemeenteNames()), chrome: context.chrome)
    }

    /// POST `…/gebruikers/{id}/rol`: the role and, for gemeente roles, the gemeenten.
    func setRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, field: "gemeenten") { me, account, form in
            guard let role = Role(rawValue: form["rol"] ?? "") else { throw FieldProblem(field: "rol", message: tr("Kies een rol.")) }
            let (gemeenten, unknown) = try await store.gemeenten(typed: form["gemeenten"] ?? "")
            guard unknown.isEmpty else { throw FieldProblem(field: "gemeenten", message: tr("Onbekende gemeente: {0}.", unknown.joined(separator: ", "))) }
            var page = AccountPage(csrf: context.csrfToken, account: try await accounts.setRole(id: account.id, role: role, gemeenten: gemeenten, actor: me.username),
                                   gemeenteNames: try await store.gemeenteNames())
            page.message = tr("De rol is gewijzigd.")
            return renderer.response(page, chrome: context.chrome)
        }
    }

    /// POST `…/gebruikers/{id}/wachtwoord`: a new password set by a beheerder (the user is logged out everywhere).
    func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, field: "wachtwoord") { me, account, form in
            let password = form["wachtwoord"] ?? ""
            let problems = PasswordRule.problems(password, username: account.username)
            guard problems.isEmpty else { throw AccountError.invalid(problems.joined(separator: "; ").capitalizedFirst + ".") }
            try await accounts.setPasswordHash(id: account.id, passwordHash: try await passwords.hash(password), keepSession: nil, actor: me.username)
            var page = AccountPage(csrf: context.csrfToken, account: account, gemeenteNames: try await store.gemeenteNames())
            page.message = tr("Het wachtwoord is opnieuw ingesteld; de gebruiker is overal uitgelogd.")
            return renderer.response(page, chrome: context.chrome)
        }
    }

    /// POST `…/gebruikers/{id}/verwijderen`: the account goes (its audit entries stay); back to the list.
    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, field: "") { me, account, _ in
            try await accounts.removeAccount(id: account.id, actor: me.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.accounts.path])
        }
    }

    /// A refusal that belongs to one field of the account page.
    private struct FieldProblem: Error {
        var field: String
        var message: String
    }

    /// One beheerder action on an account (by the beheerder, on the account of the route): its answer, or the account's
    /// page with the refusal at the field it concerns (`field` for the store's refusals; the last beheerder is about the
    /// role) and 400, with the role and gemeenten as typed.
    private func act(_ context: AppRequestContext, field: String, _ body: (Account, Account, FormData) async throws -> Response) async throws -> Response {
        let me = try context.require(.manageAccounts)
        let account = try await account(context)
        let problem: (field: String, message: String)
        do {
            return try await body(me, account, context.form)
        } catch let error as FieldProblem {
            problem = (error.field, error.message)
        } catch let error as AccountError {
            problem = (error == .lastAdministrator && !field.isEmpty ? "rol" : field, error.description)
        }
        var page = AccountPage(csrf: context.csrfToken, account: account, gemeenteNames: try await store.gemeenteNames())
        page.feedback = FormFeedback(problems: [problem], fields: AccountPage.fields)
        if field == "gemeenten" {
            page.roles = Option.roles(selected: context.form["rol"] ?? account.role.rawValue)
            page.gemeenteCodes = context.form["gemeenten"] ?? page.gemeenteCodes
        }
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    // MARK: Audit log (beheerders)

    func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readAudit, returnTo: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        let query = request.uri.queryParameters
        switch query.get("formaat") {
        case "csv":
            let all = try await accounts.auditLog(limit: Int.max / 2, offset: 0).entries
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"pbmonitor-auditlog.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: AuditExport.csv(all))))
        case "json":
            let all = try await accounts.auditLog(limit: Int.max / 2, offset: 0).entries
            return try JSONResponse.make(all.map(AuditExport.Item.init))
        case nil, "", "html": break
        case let other?: throw AppError.badRequest(parameter: "formaat", message: tr("kies csv of json (niet '{0}')", other))
        }
        let pageSize = 100
        // Clamped: a page number near Int.max once overflowed (number − 1) × pageSize and stopped the server.
        let number = min(max(1, Int(query.get("pagina") ?? "1") ?? 1), 1_000_000)
        let (entries, total) = try await accounts.auditLog(limit: pageSize, offset: (number - 1) * pageSize)
        return renderer.response(AuditPage(entries: entries, total: total, page: number, pageSize: pageSize), chrome: context.chrome)
    }

    // MARK: Helpers

    /// Only paths on this site (`/…`, not `//host`) are followed after logging in.
    /// A return path only when it is a local absolute path: it starts with one "/", and holds no backslash and no
    /// control or white-space character (browsers drop a tab or newline, so "/<tab>/evil.example" would become
    /// "//evil.example", another site).
    static func localPath(_ text: String?) -> String? {
        guard let text, text.utf8.count <= 2_000, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace
                  || $0.properties.generalCategory == .format }) else { return nil }
        return text
    }

    func account(_ context: AppRequestContext) async throws -> Account {
        guard let id = context.parameters.get("id", as: Int.self), let account = try await accounts.account(id: id) else {
            throw AppError.notFound(tr("Deze gebruiker bestaat niet."))
        }
        return account
    }

    func accountsPage(_ context: AppRequestContext) async throws -> AccountsPage {
        AccountsPage(csrf: context.csrfToken, accounts: try await accounts.accounts(), gemeenteNames: try await store.gemeenteNames())
    }
}

extension String {
}

/// The audit log as a download.
enum AuditExport {
    struct Item: Codable {
        let id: Int, tijdstip: String, wie: String, actie: String, object: String, voor: String?, na: String?
        init(_ entry: AuditEntry) {
            id = entry.id
            tijdstip = ISO8601DateFormatter().string(from: entry.at)
            wie = entry.actor
            actie = entry.action
            object = entry.object
            voor = entry.before
            na = entry.after
        }
    }

    static func csv(_ entries: [AuditEntry]) -> String {
        func field(_ text: String?) -> String {
            guard var text else { return "" }
            // A cell starting with = + - @ would be a formula in Excel: neutralise it.
            if let first = text.first, "=+-@".contains(first) { text = "'" + text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = "id,tijdstip,wie,actie,object,voor,na\r\n"
        for entry in entries {
            let item = Item(entry)
            out += [String(item.id), field(item.tijdstip), field(item.wie), field(item.actie), field(item.object), field(item.voor), field(item.na)]
                .joined(separator: ",") + "\r\n"
        }
        return out
    }
}
