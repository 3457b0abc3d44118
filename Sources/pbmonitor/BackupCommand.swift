import ArgumentParser
import Foundation
import MonitorStore

/// `pbmonitor backup FILE`: a consistent copy while the server runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Maak een back-up van de database (mag terwijl de server draait).",
        discussion: """
            SQLite: een consistente kopie in één nieuw bestand. PostgreSQL: gebruik pg_dump en pg_restore (zie de README).
            """)

    @Argument(help: "Nieuw bestand voor de back-up (wordt niet overschreven).")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        let catalog = try Shared.loadCatalog(configuration)
        let started = Date()
        try await Shared.withStore(configuration, catalog: catalog) { store in
            do {
                try await store.backup(to: file)
            } catch let error as BackupError {
                Shared.standardError(error.description)
                throw Exit.inputRejected
            }
        }
        let summary = try await SQLStore.inspectBackup(file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print("Back-up gemaakt: \(file) (\(size / 1_000_000) MB, \(summary.figures) cijfers, \(summary.accounts) gebruikers, "
              + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s).")
    }
}

/// `pbmonitor restore FILE`: puts a backup in place; the current database is kept aside.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Zet een back-up terug (stop eerst de server). De huidige database blijft bewaard naast de nieuwe.")

    @Argument(help: "Het back-upbestand.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        do {
            let summary = try await SQLStore.inspectBackup(file)
            let aside = try await SQLStore.restore(from: file, to: configuration.databasePath)
            print("Teruggezet in \(configuration.databasePath): \(summary.figures) cijfers, \(summary.accounts) gebruikers, "
                  + "\(summary.migrations.count) migraties.")
            if let aside { print("De vorige database staat in \(aside).") }
            let pending = Migrations.all.count - summary.migrations.count
            if pending > 0 { print("De back-up is van een oudere versie: start met `pbmonitor serve --migrate` of voer `pbmonitor migrate` uit.") }
        } catch let error as BackupError {
            Shared.standardError(error.description)
            throw Exit.inputRejected
        }
    }
}
