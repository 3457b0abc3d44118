import Foundation
import Monitor
import MonitorStore
import MonitorTestSupport
import Testing

@Suite("Kennis: zoeken, evaluatiebank, raadsstukken")
struct KnowledgeStoreTests {
    static func document(_ id: String, _ gemeente: String, _ day: String, _ title: String, _ text: String) -> CouncilDocument {
        CouncilDocument(gemeente: AreaCode(gemeente)!, date: ReferenceDate(day)!, kind: .raadsvoorstel, title: title, source: "test:\(id)", text: text)
    }

    static let documents = [
        document("1", "GM0363", "2023-03-01", "Opvoeding in de wijk", "Steun bij de opvoeding van jonge kinderen in Noord."),
        document("2", "GM0363", "2024-05-14", "Ondersteuning", "Het college start opvoedondersteuning op drie basisscholen."),
        document("3", "GM0014", "2024-09-02", "Sport", "Een nieuw sportpark voor de jeugd, met een kantine."),
        document("4", "GM0014", "2025-01-20", "Pedagogische basis", "Wij willen de pedagogische basis versterken zodat kinderen gezond opgroeien."),
        document("5", "GM0088", "2025-02-11", "Losse woorden", "De pedagogische aanpak op school is de basis van goed onderwijs."),
    ]

    @Test(arguments: TestBackend.available) func opvoedenFindsOpvoedingAndOpvoedondersteuningAndAPhraseNeedsItsWordsTogether(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let added = try await store.addDocuments(Self.documents, actor: "test")
            #expect(added.added == 5 && added.skipped == 0)
            let again = try await store.addDocuments([Self.documents[0]], actor: "test")
            #expect(again.added == 0 && again.skipped == 1, "the same source twice is skipped")
            func titles(_ q: String) async throws -> Set<String> {
                let hits = try await store.search(SearchQuery(q), in: .document, limit: 20, offset: 0).hits
                return Set(try await store.documents(ids: hits.map(\.ref)).map(\.title))
            }
            #expect(try await titles("opvoeden") == ["Opvoeding in de wijk", "Ondersteuning"])
            #expect(try await titles("\"pedagogische basis\"") == ["Pedagogische basis"], "not the document with the two words far apart")
            #expect(try await titles("pedagogische basis") == ["Pedagogische basis", "Losse woorden"], "without quotes both words anywhere")
            #expect(try await titles("Opvoédingsondersteuning").isEmpty, "folded and stemmed, but a different word")
            #expect(try await titles("KINDEREN") == ["Opvoeding in de wijk", "Pedagogische basis"], "case does not matter")
            let page = try await store.search(SearchQuery("opvoeden"), in: .document, limit: 1, offset: 1)
            #expect(page.total == 2 && page.hits.count == 1)
        }
    }

    @Test(arguments: TestBackend.available) func aSubmittedStudyIsInvisibleToOtherGemeentenUntilApproved(_ backend: TestBackend) async throws {
        try await TestStore.withEmptyStore(backend) { store, _ in
            let study = try await store.submitStudy(
                EvaluationStudy(title: "Buurtgezinnen in Noord", organisation: "Verwey-Jonker Instituut", year: 2024, gemeenten: [AreaCode("GM0363")!],
                                intervention: "Buurtgezinnen", spheres: [.gezin], perspectives: [.aanbod], design: .procesevaluatie,
                                summary: "Steungezinnen in de buurt helpen vraaggezinnen bij de opvoeding.", submittedFor: AreaCode("GM0363")!),
                file: StoredFile(name: "rapport.txt", type: "text/plain", data: Data("Vraaggezinnen waarderen de steun".utf8),
                                 text: "Vraaggezinnen waarderen de steun"), actor: "anna")
            let amsterdam = KnowledgeViewer(gemeenten: [AreaCode("GM0363")!]), groningen = KnowledgeViewer(gemeenten: [AreaCode("GM0014")!])
            #expect(try await store.studies(visibleTo: amsterdam).map(\.id) == [study.id])
            #expect(try await store.studies(visibleTo: groningen).isEmpty)
            #expect(try await store.studies(visibleTo: .anonymous).isEmpty)
            #expect(try await store.search(SearchQuery("vraaggezin"), in: .evaluation, limit: 10, offset: 0).hits.map(\.ref) == [study.id],
                    "the uploaded file's text is searchable")
            await #expect(throws: KnowledgeError.self) { try await store.reviewStudy(id: study.id, approve: false, reason: " ", actor: "bea") }
            let approved = try await store.reviewStudy(id: study.id, approve: true, reason: "", actor: "bea")
            #expect(approved.review == .goedgekeurd)
            #expect(try await store.studies(visibleTo: groningen).map(\.id) == [study.id])
            await #expect(throws: KnowledgeError.self) { try await store.reviewStudy(id: study.id, approve: false, reason: "toch niet", actor: "bea") }
            #expect(try await store.studyFile(id: study.id)?.data == Data("Vraaggezinnen waarderen de steun".utf8))
        }
    }
}
