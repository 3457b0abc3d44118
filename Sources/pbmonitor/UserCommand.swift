import ArgumentParser
import Foundation
import Monitor
import MonitorStore
import MonitorWeb

#if canImport(Glibc)
import Glibc
#endif

/// `pbmonitor user add|list|remove|set-role|password`: accounts from the server's command line
/// (the first beheerder is made here). Every change lands in the audit log as `pbmonitor (opdrachtregel)`.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Beheer gebruikers: toevoegen, tonen, verwijderen, rol wijzigen, wachtwoord instellen.",
        discussion: """
            Rollen: beheerder (alles), analist (werkt voor een of meer gemeenten), deelnemer (draagt bij aan
            gesprekken waarvoor hij of zij is uitgenodigd). Het wachtwoord wordt gevraagd, of met
            --wachtwoord-stdin van de standaardinvoer gelezen (voor scripts).
            """,
        subcommands: [Add.self, List.self, Remove.self, SetRole.self, Password.self]
    )

    static let actor = SQLStore.commandLineActor

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Voeg een gebruiker toe.")

        @Argument(help: "Gebruikersnaam (bijvoorbeeld het e-mailadres).")
        var username: String

        @Option(name: .long, help: "beheerder, analist of deelnemer.")
        var rol: String

        @Option(name: .long, help: "Volledige naam (standaard de gebruikersnaam).")
        var naam: String?

        @Option(name: .long, help: "Gemeentecodes, kommagescheiden (verplicht voor analist en deelnemer), bijvoorbeeld GM0363,GM0014.")
        var gemeenten: String?

        @Flag(name: .long, help: "Lees het wachtwoord van de standaardinvoer (één regel).")
        var wachtwoordStdin = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let role = try User.role(rol)
            let codes = try User.codes(gemeenten)
            let password = try User.readPassword(fromStandardInput: wachtwoordStdin, username: username)
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                try await User.checkGemeenten(codes, in: store)
                let hash = try await Passwords().hash(password)
                let account = try await User.reporting {
                    try await store.addAccount(username: username, displayName: naam ?? username, role: role, gemeenten: codes,
                                               passwordHash: hash, actor: User.actor)
                }
                print("Gebruiker \(account.username) toegevoegd als \(account.role.label)\(account.gemeenten.isEmpty ? "" : " voor " + account.gemeenten.map(\.rawValue).joined(separator: ", ")).")
                if account.role == .beheerder { print("Log in op /inloggen.") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Toon alle gebruikers.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                let accounts = try await store.accounts()
                if accounts.isEmpty {
                    print("Nog geen gebruikers. Maak de eerste beheerder met: pbmonitor user add NAAM --rol beheerder")
                    return
                }
                print("gebruikersnaam\trol\tgemeenten\tnaam")
                for account in accounts {
                    print([account.username, account.role.label, account.gemeenten.map(\.rawValue).joined(separator: ","), account.displayName]
                        .joined(separator: "\t"))
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verwijder een gebruiker (ook uit alle sessies).")

        @Argument(help: "Gebruikersnaam.")
        var username: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                let account = try await User.find(username, in: store)
                try await User.reporting { try await store.removeAccount(id: account.id, actor: User.actor) }
                print("Gebruiker \(account.username) verwijderd.")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Wijzig de rol en gemeenten van een gebruiker.")

        @Argument(help: "Gebruikersnaam.")
        var username: String

        @Option(name: .long, help: "beheerder, analist of deelnemer.")
        var rol: String

        @Option(name: .long, help: "Gemeentecodes, kommagescheiden.")
        var gemeenten: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let role = try User.role(rol)
            let codes = try User.codes(gemeenten)
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                try await User.checkGemeenten(codes, in: store)
                let account = try await User.find(username, in: store)
                let changed = try await User.reporting { try await store.setRole(id: account.id, role: role, gemeenten: codes, actor: User.actor) }
                print("\(changed.username) is nu \(changed.role.label)\(changed.gemeenten.isEmpty ? "" : " voor " + changed.gemeenten.map(\.rawValue).joined(separator: ", ")).")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stel een nieuw wachtwoord in (de gebruiker wordt overal uitgelogd).")

        @Argument(help: "Gebruikersnaam.")
        var username: String

        @Flag(name: .long, help: "Lees het wachtwoord van de standaardinvoer (één regel).")
        var wachtwoordStdin = false

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let password = try User.readPassword(fromStandardInput: wachtwoordStdin, username: username)
            let configuration = try store.configuration()
            let catalog = try Shared.loadCatalog(configuration)
            try await Shared.withStore(configuration, catalog: catalog) { store in
                let account = try await User.find(username, in: store)
                let hash = try await Passwords().hash(password)
                try await store.setPasswordHash(id: account.id, passwordHash: hash, keepSession: nil, actor: User.actor)
                print("Nieuw wachtwoord ingesteld voor \(account.username).")
            }
        }
    }

    // MARK: Helpers

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text.lowercased()) else {
            throw ValidationError("onbekende rol '\(text)'; kies beheerder, analist of deelnemer")
        }
        return role
    }

    static func codes(_ text: String?) throws -> [AreaCode] {
        try (text ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { part in
            guard let code = AreaCode(part.uppercased()), code.kind == .gemeente else {
                throw ValidationError("'\(part)' is geen gemeentecode (GM gevolgd door vier cijfers, bijvoorbeeld GM0363)")
            }
            return code
        }
    }

    static func checkGemeenten(_ codes: [AreaCode], in store: SQLStore) async throws {
        for code in codes where try await store.area(code) == nil {
            Shared.standardError("De monitor kent gemeente \(code.rawValue) niet.")
            throw Exit.inputRejected
        }
    }

    static func find(_ username: String, in store: SQLStore) async throws -> Account {
        guard let account = try await store.credentials(username: username)?.account else {
            Shared.standardError(AccountError.unknownAccount(Account.normalisedUsername(username)).description)
            throw Exit.inputRejected
        }
        return account
    }

    /// Account errors are the user's input: a clear message and exit code 65.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AccountError {
            Shared.standardError(error.description)
            throw Exit.inputRejected
        }
    }

    /// From standard input (scripts) or asked twice without echo (a terminal).
    static func readPassword(fromStandardInput: Bool, username: String) throws -> String {
        let password: String
        if fromStandardInput || isatty(STDIN_FILENO) == 0 {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            guard let first = getpass("Wachtwoord: ").map({ String(cString: $0) }),
                  let second = getpass("Nog een keer: ").map({ String(cString: $0) }) else {
                throw ValidationError("geen wachtwoord gelezen")
            }
            guard first == second else { throw ValidationError("de twee wachtwoorden zijn niet gelijk") }
            password = first
        }
        let problems = PasswordRule.problems(password, username: username)
        guard problems.isEmpty else { throw ValidationError("wachtwoord afgekeurd: " + problems.joined(separator: "; ")) }
        return password
    }
}
