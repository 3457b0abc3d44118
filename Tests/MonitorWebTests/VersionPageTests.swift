import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Versies op de site")
struct VersionPageTests {
    @Test func theAPIGivesVersionsAndAPeildatumAndRefusesNonsense() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023&versies=alle", method: .get) { response in
                #expect(response.status == .ok)
                let items = try response.decode(ListBody<ValueDTO>.self).items.map(\.observation)
                #expect(items.count == 1)
                #expect(items.first?.version == 1, "the first version, not revised")
                #expect(items.first?.recordedAt?.count ?? 0 >= 20)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023&peildatum=2999-01-01", method: .get) { response in
                let items = try response.decode(ListBody<ValueDTO>.self).items
                #expect(items.first?.observation.value == 918117)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&peildatum=2000-01-01", method: .get) { response in
                let total = try response.decode(ListBody<ValueDTO>.self).total
                #expect(total == 0, "nothing was known in 2000")
            }
            for (query, parameter) in [("peildatum=2026-13-01", "peildatum"), ("versie=0", "versie"), ("versies=sommige", "versies"),
                                       ("peildatum=2026-01-01&versie=1", "versie")] {
                try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&\(query)", method: .get) { response async throws in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.text.contains(parameter), "\(query)")
                }
            }
            try await client.execute(uri: "/indicatoren/inwoners/versies?gebied=GM0363", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aCorrectedFigureSaysHerzienAndShowsItsEarlierVersion() async throws {
        try await TestStore.withLoadedStore { store, _ async throws in
            let corrected = try TidyImporter.parse(Data("gebied,periode,inwoners\nGM0088,2024,1234\n".utf8),
                                                   file: "correctie-2024.csv", catalog: store.catalog, period: nil)
            let report = try await store.importBatch(corrected)
            #expect(report.versions.revised == 1)
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                let versionsLink = "/indicatoren/inwoners/versies?gebied=GM0088&amp;periode=2024"
                try await client.execute(uri: "/gemeenten/GM0088", method: .get) { response in
                    #expect(response.text.contains("herzien op "))
                    #expect(response.text.contains(versionsLink))
                }
                try await client.execute(uri: "/indicatoren/inwoners?periode=2024", method: .get) { response in
                    #expect(response.text.contains(versionsLink))
                }
                try await client.execute(uri: "/indicatoren/inwoners/versies?gebied=GM0088&periode=2024", method: .get) { response in
                    #expect(response.status == .ok)
                    let html = response.text
                    #expect(html.contains("Dit cijfer is herzien"))
                    #expect(html.contains(">1.234<"))
                    #expect(html.contains("correctie-2024.csv"))
                    #expect(html.contains("huidige versie"))
                    #expect(html.components(separatedBy: "<tr").count - 1 == 3, "header and two versions")
                    #expect(!html.contains("{{"))
                }
                try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0088&periode=2024&versies=alle", method: .get) { response in
                    let items = try response.decode(ListBody<ValueDTO>.self).items.map(\.observation)
                    #expect(items.map(\.version) == [1, 2])
                    #expect(items.last?.value == 1234)
                    #expect(response.text.contains(#""herzien":true"#))
                    #expect(items.first?.supersededAt != nil && items.last?.supersededAt == nil)
                }
                try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0088&periode=2024&versie=1", method: .get) { response in
                    let items = try response.decode(ListBody<ValueDTO>.self).items
                    #expect(items.count == 1)
                    #expect(items.first?.observation.value != 1234)
                }
            }
        }
    }
}
