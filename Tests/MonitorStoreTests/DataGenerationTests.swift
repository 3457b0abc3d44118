import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

/// Issue 20, item 1: one data generation, raised in the same transaction as every write a visitor could see, and not by
/// what nobody else sees (sessions, failed logins, page views), so caches keyed on it last as long as the data do.
@Suite("Datageneratie in de opslag")
struct DataGenerationTests {
    @Test(arguments: TestBackend.available) func visibleWritesRaiseTheGenerationAndPrivateOnesDoNot(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let start = try await store.dataGeneration()
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: ["GM0088"]))
            let afterAreas = try await store.dataGeneration()
            #expect(afterAreas > start, "loading areas is visible")

            // Private: a session, a failed login, a page view.
            let account = try await store.addAccount(username: "a@b.nl", displayName: "A", role: .analist, gemeenten: [AreaCode("GM0088")!],
                                                     passwordHash: "x", actor: "test")
            let afterAccount = try await store.dataGeneration()
            try await store.createSession(SessionRecord(tokenHash: String(repeating: "a", count: 64), accountID: account.id, csrfToken: "t",
                                                        createdAt: Date(), expiresAt: Date().addingTimeInterval(60)))
            try await store.recordLoginFailure(keys: ["adres:127.0.0.1"], at: Date())
            try await store.recordPageView(indicator: "inwoners")
            #expect(try await store.dataGeneration() == afterAccount, "sessions, failed logins and page views change no page")

            // Visible: an import of figures, in the same transaction as the figures.
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0088,2030,950\n"
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "a.csv", catalog: store.catalog, period: nil))
            let afterImport = try await store.dataGeneration()
            #expect(afterImport > afterAccount)
            // A refused import changes nothing, the generation included.
            let bad = "indicator,gebied,periode,waarde\ninwoners,GM9999,2030,950\n"
            _ = try? await store.importBatch(try TidyImporter.parse(Data(bad.utf8), file: "b.csv", catalog: store.catalog, period: nil))
            #expect(try await store.dataGeneration() == afterImport, "a rolled-back write leaves the generation as it was")
        }
    }

    @Test(arguments: TestBackend.available) func keptReferenceFiguresEqualTheQueryAndFollowTheGeneration(_ backend: TestBackend) async throws {
        try await TestStore.withLoadedStore(backend) { store, _ in
            let areas = [AreaCode.nederland, AreaCode("GM0363")!, AreaCode("GM0014")!, AreaCode("WK036300")!]
            let queried = try await store.observations(ObservationQuery(areas: areas)).items
            let cold = try await store.currentObservations(of: areas)
            let warm = try await store.currentObservations(of: areas + [AreaCode("GM0363")!])
            #expect(!queried.isEmpty && cold == queried && warm == queried, "the same figures, in the same order, cold and kept")
            // A new figure for Nederland: the kept ones of the old generation are not used again.
            let csv = "indicator,gebied,periode,waarde\ninwoners,NL00,2031,18000000\n"
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "nl.csv", catalog: store.catalog, period: nil))
            let after = try await store.currentObservations(of: areas)
            #expect(after.contains { $0.area == .nederland && $0.period == "2031" && $0.value == 18_000_000 })
            #expect(after == (try await store.observations(ObservationQuery(areas: areas)).items))
        }
    }
}
