import ArgumentParser
import Foundation
import Monitor
import MonitorStore
import MonitorWeb

/// `pbmonitor expected-care`: the model of expected youth care, as the site fits it, and its data for your own analysis.
struct ExpectedCare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expected-care",
        abstract: "Schat het model van verwacht jeugdzorggebruik en toon de coëfficiënten.",
        discussion: """
            Hetzelfde model als op /jeugdzorg/model: het aandeel jongeren met jeugdzorg in natura per wijk uit kenmerken van
            de wijk, met een random intercept per gemeente (REML). Met --ontwerp schrijft het de gegevens waarop het model
            is geschat als CSV (wijk, gemeente, uitkomst, kenmerken zoals in het model), om het na te rekenen.
            """, aliases: ["jeugdzorg"])

    @Option(name: .long, help: "Schrijf de modelgegevens als CSV naar dit bestand.")
    var ontwerp: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        let catalog = try Shared.loadCatalog(configuration)
        let summary = try await Shared.withStore(configuration, catalog: catalog) { store in
            try await Shared.loadBundleIfEmpty(store, configuration: configuration, only: nil)
            return try await ExpectedCareReport.summary(store: store, designFile: ontwerp)
        }
        print(summary)
    }
}
