import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorWeb

/// A store with the test gemeenten' areas and one account per role, and the app on it.
public struct AccountWorld: Sendable {
    public static let password = "een-lang-wachtwoord-42"
    public let store: SQLStore
    public let beheerder: Account
    public let analist: Account
    public let deelnemer: Account
    /// A draft of local figures for Amsterdam and one for Groningen.
    public let amsterdamDraft: Draft
    public let groningenDraft: Draft
    /// A concept dialogue record of Amsterdam, and one the deelnemer is invited to.
    public let amsterdamDialogue: DialogueRecord
    public let invitedDialogue: DialogueRecord
    /// A concept item on Amsterdam's gespreksmodel.
    public let amsterdamConversationBoardItem: ConversationBoardItem
    /// A concept intervention of Amsterdam.
    public let amsterdamIntervention: Intervention
    /// A concept network map of Amsterdam.
    public let amsterdamNetwork: NetworkMap
    /// A concept questionnaire of Amsterdam, and an open round of a published one.
    public let amsterdamQuestionnaire: Questionnaire
    public let amsterdamRound: QuestionnaireRound
    /// One unused invitation code of that round.
    public let amsterdamInvitation: String
    /// A study submitted for Amsterdam, waiting for review.
    public let amsterdamStudy: EvaluationStudy
    /// A concept and a published own indicator of Amsterdam.
    public let amsterdamLocalIndicator: LocalIndicator
    public let amsterdamPublishedIndicator: LocalIndicator
    /// A kopgroep of Amsterdam and Groningen, with a published questionnaire of Amsterdam shared with it (the questionnaire of
    /// ``amsterdamRound`` is published and not shared).
    public let kopgroep: Kopgroep
    public let amsterdamShare: SharedRecord
    /// A joint duiding of Amsterdam with Groningen (concept).
    public let jointDuiding: JointDuiding
    /// ``Fixtures/localIndicatorForm`` as the form's fields, with this short name.
    public static func localIndicatorFields(code: String) -> [(String, String)] {
        [("code", code)] + Fixtures.localIndicatorForm.sorted { $0.key < $1.key }.flatMap { key, values in values.map { (key, $0) } }
    }
    public static let amsterdamCSV = "indicator,gebied,periode,waarde\ninwoners,GM0363,2031,900001\ninwoners,WK0363AA,2031,5\n"

    /// A published questionnaire of Amsterdam with an open round.
    public static func openRound(_ store: SQLStore) async throws -> QuestionnaireRound {
        let saved = try await store.saveQuestionnaire(QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.bedoeling, gemeente: AreaCode("GM0363")!),
                                                      actor: "analist@amsterdam.nl")
        _ = try await store.changePublication(Questionnaire.self, id: saved.id, to: .gepubliceerd, actor: "analist@amsterdam.nl")
        return try await store.openRound(QuestionnaireRound(questionnaireID: saved.id, gemeente: AreaCode("GM0363")!, area: AreaCode("GM0363")!,
                                                            period: "2026", name: "Wijkteams", token: ""), actor: "analist@amsterdam.nl")
    }

    @discardableResult
    /// `clock`: the time of the store and the app (a fixed moment makes dates on pages predictable); `setup`: `.router`
    /// answers in process, `.live` on a real port (for a browser).
    public static func with<T: Sendable>(clock: WallClock = .system, setup: TestingSetup = .router,
                                         _ body: @escaping @Sendable (any TestClientProtocol, AccountWorld) async throws -> T) async throws -> T {
        try await TestStore.withEmptyStore(clock: { clock.now }) { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let hash = try await Passwords(cost: 4).hash(password)
            let round = try await openRound(store)
            guard let invitation = try await store.createInvitations(roundID: round.id, count: 1, actor: "analist@amsterdam.nl").first else {
                throw TestSupportError("geen uitnodiging gemaakt")
            }
            let group = try await store.saveKopgroep(Kopgroep(name: "Kopgroep Amsterdam en Groningen", purpose: "Samen leren.",
                                                              members: [AreaCode("GM0363")!, AreaCode("GM0014")!]), actor: "test")
            let shared = try await store.saveQuestionnaire(QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.samenwerking, gemeente: AreaCode("GM0363")!),
                                                           actor: "analist@amsterdam.nl")
            _ = try await store.changePublication(Questionnaire.self, id: shared.id, to: .gepubliceerd, actor: "analist@amsterdam.nl")
            let share = try await store.share(kind: .vragenlijst, recordID: shared.id, gemeente: AreaCode("GM0363")!, groupID: group.id, actor: "analist@amsterdam.nl")
            let world = AccountWorld(
                store: store,
                beheerder: try await store.addAccount(username: "beheer@example.nl", displayName: "Bea Beheer", role: .beheerder, gemeenten: [],
                                                      passwordHash: hash, actor: "test"),
                analist: try await store.addAccount(username: "analist@amsterdam.nl", displayName: "Anna Analist", role: .analist,
                                                    gemeenten: [AreaCode("GM0363")!], passwordHash: hash, actor: "test"),
                deelnemer: try await store.addAccount(username: "ouder@amsterdam.nl", displayName: "Dirk Deelnemer", role: .deelnemer,
                                                      gemeenten: [AreaCode("GM0363")!], passwordHash: hash, actor: "test"),
                amsterdamDraft: try await store.addDraft(gemeente: AreaCode("GM0363")!, fileName: "lokaal.csv", format: "auto", period: nil,
                                                         content: amsterdamCSV, actor: "analist@amsterdam.nl"),
                groningenDraft: try await store.addDraft(gemeente: AreaCode("GM0014")!, fileName: "groningen.csv", format: "auto", period: nil,
                                                         content: "indicator,gebied,periode,waarde\ninwoners,GM0014,2031,250000\n", actor: "test"),
                amsterdamDialogue: try await store.saveDialogue(
                    DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Concept", date: ReferenceDate("2026-11-01")!,
                                   participants: [Participant(role: .beleid, count: 1)]), actor: "analist@amsterdam.nl"),
                invitedDialogue: try await store.saveDialogue(
                    DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Met ouders", date: ReferenceDate("2026-11-02")!,
                                   participants: [Participant(role: .ouder, count: 3)], invited: ["ouder@amsterdam.nl"]), actor: "analist@amsterdam.nl"),
                amsterdamConversationBoardItem: try await store.saveConversationBoardItem(
                    ConversationBoardSuggestion.named("consultatiebureau")!.item(gemeente: AreaCode("GM0363")!), actor: "analist@amsterdam.nl"),
                amsterdamIntervention: try await store.saveIntervention(
                    Intervention(gemeente: AreaCode("GM0363")!, name: "Opvoedspreekuur op school", targets: [AreaCode("WK0363AA")!],
                                 comparison: [AreaCode("WK0363AB")!, AreaCode("WK0363AC")!], indicators: ["jeugdzorg_in_natura_pct"], startPeriod: "2024"),
                    actor: "analist@amsterdam.nl"),
                amsterdamNetwork: try await store.saveNetwork(
                    NetworkMap(gemeente: AreaCode("GM0363")!, area: AreaCode("WK0363AA")!, date: ReferenceDate("2026-10-01")!, title: "Haarlemmerbuurt",
                               actors: [.init(key: "1", name: "Buurtmoeder", kind: .rol, spheres: [.gezin]),
                                        .init(key: "2", name: "Wijkteam", kind: .organisatie, spheres: [.hulp])],
                               ties: [.init(from: "1", to: "2", kind: .verwijzing, strength: 2)]), actor: "analist@amsterdam.nl"),
                amsterdamQuestionnaire: try await store.saveQuestionnaire(
                    QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.samenwerking, gemeente: AreaCode("GM0363")!), actor: "analist@amsterdam.nl"),
                amsterdamRound: round,
                amsterdamInvitation: invitation,
                amsterdamStudy: try await store.submitStudy(
                    EvaluationStudy(title: "Opvoedspreekuur", organisation: "GGD", year: 2025, design: .procesevaluatie, summary: "Een procesevaluatie.",
                                    submittedFor: AreaCode("GM0363")!), file: nil, actor: "analist@amsterdam.nl"),
                amsterdamLocalIndicator: try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"),
                                                                            gemeente: AreaCode("GM0363")!, id: 0, actor: "analist@amsterdam.nl"),
                amsterdamPublishedIndicator: try await store.changePublication(
                    LocalIndicator.self, id: try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_buurthuis"),
                                                                                gemeente: AreaCode("GM0363")!, id: 0, actor: "analist@amsterdam.nl").id,
                    to: .gepubliceerd, actor: "analist@amsterdam.nl"),
                kopgroep: group, amsterdamShare: share,
                jointDuiding: try await store.createJointDuiding(
                    JointDuiding(host: AreaCode("GM0363")!, invited: [AreaCode("GM0014")!], title: "Buiten spelen in twee steden",
                                 indicators: ["kindmonitor_speelt_buiten"], period: "2023"), actor: "analist@amsterdam.nl"))
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4, clock: clock), store: store)
            return try await app.test(setup) { client in try await body(client, world) }
        }
    }
}
