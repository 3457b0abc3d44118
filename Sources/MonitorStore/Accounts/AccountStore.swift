import Foundation
import Monitor
import SQLKit

/// A login session, shared by every app node through the database. The cookie holds a random token;
/// the database only its SHA-256, so a copy of the database does not log anyone in.
public struct SessionRecord: Sendable, Hashable {
    public var tokenHash: String
    public var accountID: Int
    /// The token every state-changing form of this session must carry.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, accountID: Int, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Why an account change was refused.
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateUsername(String)
    case unknownAccount(String)
    case invalid(String)
    /// The last beheerder cannot be removed or demoted.
    case lastAdministrator

    public var description: String {
        switch self {
        case .duplicateUsername(let name): tr("Er is al een gebruiker '{0}'.", name)
        case .unknownAccount(let name): tr("Er is geen gebruiker '{0}'.", name)
        case .invalid(let why): why
        case .lastAdministrator: tr("Dit is de laatste beheerder; maak eerst een ander beheerder.")
        }
    }
}

/// Accounts, sessions, the login rate limit and the audit log. Every change to an account is written
/// to the audit log in the same transaction (`actor` says who).
public protocol AccountStore: Sendable {
    func accountCount() async throws -> Int
    func accounts() async throws -> [Account]
    func account(id: Int) async throws -> Account?
    /// The account and its password hash, for logging in.
    func credentials(username: String) async throws -> (account: Account, passwordHash: String)?
    func addAccount(username: String, displayName: String, role: Role, gemeenten: [AreaCode], passwordHash: String, actor: String) async throws -> Account
    func removeAccount(id: Int, actor: String) async throws
    func setRole(id: Int, role: Role, gemeenten: [AreaCode], actor: String) async throws -> Account
    /// Sets a new password hash and ends the account's other sessions (all when `keepSession` is nil).
    func setPasswordHash(id: Int, passwordHash: String, keepSession: String?, actor: String) async throws
    func createSession(_ session: SessionRecord) async throws
    /// The session and its account when the session exists and has not expired at `now`.
    func session(tokenHash: String, now: Date) async throws -> (session: SessionRecord, account: Account)?
    func deleteSession(tokenHash: String) async throws
    /// Records a failed login for each key (the username and the client address).
    func recordLoginFailure(keys: [String], at: Date) async throws
    /// Failed logins for a key since a moment.
    func loginFailures(key: String, since: Date) async throws -> Int
    func clearLoginFailures(key: String) async throws
    /// The audit log, newest first.
    func auditLog(limit: Int, offset: Int) async throws -> (entries: [AuditEntry], total: Int)
    /// Appends to the audit log (for writes outside this protocol).
    func audit(_ entry: AuditEntry) async throws
}

extension SQLStore: AccountStore {
    public func accountCount() async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT count(*) AS n FROM accounts").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func accounts() async throws -> [Account] {
        try await connector.read { db in try await Self.loadAccounts(where: nil, on: db) }
    }

    public func account(id: Int) async throws -> Account? {
        try await connector.read { db in try await Self.loadAccounts(where: ("id", .bind(id)), on: db).first }
    }

    public func credentials(username: String) async throws -> (account: Account, passwordHash: String)? {
        let name = Account.normalisedUsername(username)
        return try await connector.read { db in
            guard let account = try await Self.loadAccounts(where: ("username", .bindText(name)), on: db).first,
                  let row = try await db.raw("SELECT password_hash FROM accounts WHERE id = \(bind: account.id)").first()
            else { return nil }
            return (account, try row.decode(column: "password_hash", as: String.self))
        }
    }

    public func addAccount(username: String, displayName: String, role: Role, gemeenten: [AreaCode], passwordHash: String,
                           actor: String) async throws -> Account {
        let name = Account.normalisedUsername(username)
        try Self.validate(username: name, displayName: displayName, role: role, gemeenten: gemeenten)
        let now = clock()
        return try await write { db in
            if try await db.raw("SELECT id FROM accounts WHERE username = \(bind: name)").first() != nil {
                throw AccountError.duplicateUsername(name)
            }
            let stamp = Self.timestamp(now)
            let id = try await db.raw("""
                INSERT INTO accounts (username, display_name, role, password_hash, created_at, password_changed_at)
                VALUES (\(bind: name), \(bind: displayName.trimmedWhitespace), \(bind: role.rawValue), \(bind: passwordHash), \(bind: stamp), \(bind: stamp))
                RETURNING id
                """).first()?.decode(column: "id", as: Int.self) ?? 0
            try await Self.writeGemeenten(gemeenten, account: id, on: db)
            let account = try await Self.loadAccounts(where: ("id", .bind(id)), on: db)[0]
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "gebruiker.toevoegen", object: "gebruiker:\(name)",
                                                  before: nil, after: Self.snapshot(account)), on: db)
            return account
        }
    }

    public func removeAccount(id: Int, actor: String) async throws {
        let now = clock()
        try await write { db in
            guard let account = try await Self.loadAccounts(where: ("id", .bind(id)), on: db).first else {
                throw AccountError.unknownAccount("#\(id)")
            }
            if account.role == .beheerder, try await Self.administratorCount(on: db) <= 1 { throw AccountError.lastAdministrator }
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM account_gemeenten WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM accounts WHERE id = \(bind: id)").run()
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "gebruiker.verwijderen", object: "gebruiker:\(account.username)",
                                                  before: Self.snapshot(account), after: nil), on: db)
        }
    }

    public func setRole(id: Int, role: Role, gemeenten: [AreaCode], actor: String) async throws -> Account {
        let now = clock()
        return try await write { db in
            guard let before = try await Self.loadAccounts(where: ("id", .bind(id)), on: db).first else {
                throw AccountError.unknownAccount("#\(id)")
            }
            try Self.validate(username: before.username, displayName: before.displayName, role: role, gemeenten: gemeenten)
            if before.role == .beheerder, role != .beheerder, try await Self.administratorCount(on: db) <= 1 {
                throw AccountError.lastAdministrator
            }
            try await db.raw("UPDATE accounts SET role = \(bind: role.rawValue) WHERE id = \(bind: id)").run()
            try await db.raw("DELETE FROM account_gemeenten WHERE account_id = \(bind: id)").run()
            try await Self.writeGemeenten(gemeenten, account: id, on: db)
            let after = try await Self.loadAccounts(where: ("id", .bind(id)), on: db)[0]
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "gebruiker.rol", object: "gebruiker:\(before.username)",
                                                  before: Self.snapshot(before), after: Self.snapshot(after)), on: db)
            return after
        }
    }

    public func setPasswordHash(id: Int, passwordHash: String, keepSession: String?, actor: String) async throws {
        let now = clock()
        try await connector.transaction { db in
            guard let account = try await Self.loadAccounts(where: ("id", .bind(id)), on: db).first else {
                throw AccountError.unknownAccount("#\(id)")
            }
            try await db.raw("""
                UPDATE accounts SET password_hash = \(bind: passwordHash), password_changed_at = \(bind: Self.timestamp(now)) WHERE id = \(bind: id)
                """).run()
            // Whoever knew the old password is logged out everywhere, except in the session that changed it.
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id) AND token_hash <> \(bind: keepSession ?? "")").run()
            // The hash itself never enters the log.
            try await Self.appendAudit(AuditEntry(at: now, actor: actor, action: "gebruiker.wachtwoord", object: "gebruiker:\(account.username)",
                                                  before: nil, after: #"{"wachtwoord":"gewijzigd"}"#), on: db)
        }
    }

    public func createSession(_ session: SessionRecord) async throws {
        try await connector.transaction { db in
            // Expired sessions are cleared on the way (no separate job needed on any node).
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: Self.timestamp(session.createdAt))").run()
            try await db.raw("""
                INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: session.tokenHash), \(bind: session.accountID), \(bind: session.csrfToken),
                        \(bind: Self.timestamp(session.createdAt)), \(bind: Self.timestamp(session.expiresAt)))
                """).run()
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> (session: SessionRecord, account: Account)? {
        try await connector.read { db in
            guard let row = try await db.raw("""
                SELECT token_hash, account_id, csrf_token, created_at, expires_at FROM sessions
                WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: Self.timestamp(now))
                """).first() else { return nil }
            let session = SessionRecord(tokenHash: try row.decode(column: "token_hash", as: String.self),
                                        accountID: try row.decode(column: "account_id", as: Int.self),
                                        csrfToken: try row.decode(column: "csrf_token", as: String.self),
                                        createdAt: Self.date(try row.decode(column: "created_at", as: String.self)),
                                        expiresAt: Self.date(try row.decode(column: "expires_at", as: String.self)))
            guard let account = try await Self.loadAccounts(where: ("id", .bind(session.accountID)), on: db).first else { return nil }
            return (session, account)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await connector.transaction { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    public func recordLoginFailure(keys: [String], at: Date) async throws {
        try await connector.transaction { db in
            // Keep the table small: failures older than a day no longer count for anything.
            try await db.raw("DELETE FROM login_failures WHERE at < \(bind: Self.timestamp(at.addingTimeInterval(-86_400)))").run()
            for key in keys {
                try await db.raw("INSERT INTO login_failures (key, at) VALUES (\(bind: key), \(bind: Self.timestamp(at)))").run()
            }
        }
    }

    public func loginFailures(key: String, since: Date) async throws -> Int {
        try await connector.read { db in
            try await db.raw("SELECT count(*) AS n FROM login_failures WHERE key = \(bind: key) AND at >= \(bind: Self.timestamp(since))")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func clearLoginFailures(key: String) async throws {
        try await connector.transaction { db in try await db.raw("DELETE FROM login_failures WHERE key = \(bind: key)").run() }
    }

    public func auditLog(limit: Int, offset: Int) async throws -> (entries: [AuditEntry], total: Int) {
        try await connector.read { db in
            let total = try await db.raw("SELECT count(*) AS n FROM audit_log").first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT id, at, actor, action, object, before_state, after_state FROM audit_log
                ORDER BY id DESC LIMIT \(bind: max(0, limit)) OFFSET \(bind: max(0, offset))
                """).all()
            let entries = try rows.map { row in
                AuditEntry(id: try row.decode(column: "id", as: Int.self), at: Self.date(try row.decode(column: "at", as: String.self)),
                           actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                           object: try row.decode(column: "object", as: String.self),
                           before: try row.decode(column: "before_state", as: String?.self),
                           after: try row.decode(column: "after_state", as: String?.self))
            }
            return (entries, total)
        }
    }

    public func audit(_ entry: AuditEntry) async throws {
        try await write { db in try await Self.appendAudit(entry, on: db) }
    }

    // MARK: - Helpers

    /// The audit log's and the dialogue table's JSON: sorted keys, plain slashes, ISO 8601 dates.
    static let auditEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func auditJSON(_ value: some Encodable) -> String {
        (try? storedJSON(value)) ?? "{}"
    }

    /// A record as stored in a `body` column and in the audit log; throws rather than storing an empty object.
    static func storedJSON(_ value: some Encodable) throws -> String {
        String(decoding: try auditEncoder.encode(value), as: UTF8.self)
    }

    static func appendAudit(_ entry: AuditEntry, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO audit_log (at, actor, action, object, before_state, after_state)
            VALUES (\(bind: timestamp(entry.at)), \(bind: entry.actor), \(bind: entry.action), \(bind: entry.object),
                    \(bind: entry.before), \(bind: entry.after))
            """).run()
    }

    static func validate(username: String, displayName: String, role: Role, gemeenten: [AreaCode]) throws {
        guard (3...200).contains(username.count), !username.contains(where: \.isWhitespace) else {
            throw AccountError.invalid(tr("Een gebruikersnaam heeft 3 tot 200 tekens en geen spaties."))
        }
        guard !displayName.trimmedWhitespace.isEmpty, displayName.count <= 200 else {
            throw AccountError.invalid(tr("Geef een naam van 1 tot 200 tekens."))
        }
        guard gemeenten.allSatisfy({ $0.kind == .gemeente }) else {
            throw AccountError.invalid(tr("Alleen gemeentecodes (GM…) kunnen aan een gebruiker worden gekoppeld."))
        }
        if role != .beheerder, gemeenten.isEmpty {
            throw AccountError.invalid(tr("Een {0} werkt voor minstens één gemeente.", role.label))
        }
    }

    static func writeGemeenten(_ gemeenten: [AreaCode], account id: Int, on db: any SQLDatabase) async throws {
        for code in Set(gemeenten) {
            try await db.raw("INSERT INTO account_gemeenten (account_id, gemeente_code) VALUES (\(bind: id), \(bind: code.rawValue))").run()
        }
    }

    static func administratorCount(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT count(*) AS n FROM accounts WHERE role = 'beheerder'").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func loadAccounts(where filter: (column: String, value: AccountKey)?, on db: any SQLDatabase) async throws -> [Account] {
        let condition: SQLQueryString
        switch filter {
        case nil: condition = "1 = 1"
        case (let column, .bind(let id))?: condition = "\(unsafeRaw: column) = \(bind: id)"
        case (let column, .bindText(let text))?: condition = "\(unsafeRaw: column) = \(bind: text)"
        }
        let rows = try await db.raw("""
            SELECT id, username, display_name, role, created_at FROM accounts WHERE \(condition) ORDER BY username
            """).all()
        guard !rows.isEmpty else { return [] }
        let links = try await db.raw("SELECT account_id, gemeente_code FROM account_gemeenten ORDER BY gemeente_code").all()
        var gemeenten: [Int: [AreaCode]] = [:]
        for link in links {
            if let code = AreaCode(try link.decode(column: "gemeente_code", as: String.self)) {
                gemeenten[try link.decode(column: "account_id", as: Int.self), default: []].append(code)
            }
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            return Account(id: id, username: try row.decode(column: "username", as: String.self),
                           displayName: try row.decode(column: "display_name", as: String.self),
                           role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .deelnemer,
                           gemeenten: gemeenten[id] ?? [], createdAt: date(try row.decode(column: "created_at", as: String.self)))
        }
    }

    /// What the audit log keeps of an account: never its password.
    static func snapshot(_ account: Account) -> String {
        struct Snapshot: Encodable { let gebruikersnaam, naam, rol: String; let gemeenten: [String] }
        return auditJSON(Snapshot(gebruikersnaam: account.username, naam: account.displayName, rol: account.role.rawValue,
                                  gemeenten: account.gemeenten.map(\.rawValue)))
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }
}

/// A key to look an account up by.
enum AccountKey {
    case bind(Int)
    case bindText(String)
}
