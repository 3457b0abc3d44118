import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import SnapshotTesting
import Testing

/// Every page type as HTML, kept as a reference file in `__Snapshots__/PageSnapshotTests/` (pointfreeco's
/// swift-snapshot-testing): a change to a template, a view model or a chart shows up as a reviewable line diff. The data
/// are fixed — the bundled figures of the test gemeenten and the records of ``AccountWorld``, stored and rendered at one
/// fixed moment — and what differs per run (form tokens, invitation codes) is replaced by a placeholder.
///
/// After an intended change, record again and review the diff:
/// `SNAPSHOT_TESTING_RECORD=all swift test --filter PageSnapshotTests`.
@Suite("Pagina's zoals vastgelegd", .serialized)
struct PageSnapshotTests {
    /// 20 November 2026, 10:00 in Amsterdam.
    static let moment = WallClock.fixed(Date(timeIntervalSince1970: 1_795_165_200))

    /// Replaces what differs per run: the session's form token, a questionnaire's one-time nonce, tokens in links, and
    /// measured durations.
    static func normalised(_ html: String, secrets: [String: String] = [:]) -> String {
        var text = html
        for (secret, placeholder) in secrets where !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: placeholder) }
        text = text.replacingOccurrences(of: #"name="csrf" value="[0-9a-f]{64}""#, with: #"name="csrf" value="TOKEN""#, options: .regularExpression)
        text = text.replacingOccurrences(of: #"name="nonce" value="[A-Za-z0-9_-]+""#, with: #"name="nonce" value="NONCE""#, options: .regularExpression)
        text = text.replacingOccurrences(of: #">[0-9.]+(,[0-9]+)? ms\b"#, with: ">… ms", options: .regularExpression)
        // The stylesheet's version changes with every edit of the CSS, which these snapshots do not show.
        text = text.replacingOccurrences(of: #"pbmonitor\.css\?v=[0-9a-f]+"#, with: "pbmonitor.css?v=VERSION", options: .regularExpression)
        return text
    }

    static func check(_ response: TestResponse, _ name: String, secrets: [String: String] = [:],
                      fileID: StaticString = #fileID, filePath: StaticString = #filePath, testName: String = #function,
                      line: UInt = #line, column: UInt = #column) {
        #expect(response.status == .ok || name == "fout", "\(name): \(response.status)")
        assertSnapshot(of: normalised(response.text, secrets: secrets), as: .lines, named: name,
                       fileID: fileID, file: filePath, testName: testName, line: line, column: column)
    }

    /// A page to record: its snapshot name, the template it is rendered with, and its address.
    struct Shot: Sendable {
        let name: String
        let template: String
        let path: @Sendable (AccountWorld?) -> String
        init(_ name: String, _ template: String, _ path: @escaping @Sendable (AccountWorld?) -> String) {
            self.name = name; self.template = template; self.path = path
        }
        init(_ name: String, _ template: String, _ path: String) { self.init(name, template) { _ in path } }
    }

    /// Figure pages, anonymous, on the bundled data of the test gemeenten (Schiermonnikoog: small pages).
    static let figurePages: [Shot] = [
        Shot("home", "pages/home", SiteRoute.home.path),
        Shot("gemeenten", "pages/municipality-index", SiteRoute.municipalities.path),
        Shot("gemeente", "pages/area-show", SiteRoute.municipality("GM0088").path),
        Shot("wijk", "pages/area-show", SiteRoute.district("WK008800").path),
        Shot("vergelijkbaar", "pages/peers", SiteRoute.peers("GM0088").path),
        Shot("indicatoren", "pages/indicator-index", SiteRoute.indicators.path),
        Shot("indicator", "pages/indicator-show", SiteRoute.indicator("jeugdzorg_in_natura_pct").path),
        Shot("versies", "pages/versions", SiteRoute.versions("inwoners").path + "?gebied=GM0088&periode=2023"),
        Shot("kaart", "pages/map", SiteRoute.map("inwoners").path + "?niveau=wijk&gemeente=GM0088"),
        Shot("lantaarnpaal", "pages/lamppost", SiteRoute.lamppost.path + "?gemeente=GM0088"),
        Shot("meetlast", "pages/burden", SiteRoute.burden.path),
        Shot("privacy", "pages/privacy", SiteRoute.privacy.path),
        Shot("toegankelijkheid", "pages/accessibility", SiteRoute.accessibility.path),
        Shot("contact", "pages/contact", SiteRoute.contact.path),
        Shot("rapport", "pages/report", SiteRoute.report("GM0088").path),
        Shot("jeugdzorg-verwacht", "pages/expected-care", SiteRoute.expectedCare.path + "?niveau=wijk&gemeente=GM0088"),
        Shot("jeugdzorg-model", "pages/care-model", SiteRoute.careModel.path),
        Shot("zoeken", "pages/search", SiteRoute.search.path + "?q=opvoeden"),
        Shot("evaluaties", "pages/evaluations", SiteRoute.evaluations.path),
        Shot("documenten", "pages/documents", SiteRoute.documents.path),
        Shot("interventietypen", "pages/intervention-types", SiteRoute.interventionTypes.path),
        Shot("interventietype", "pages/intervention-type", SiteRoute.interventionType("buurtgezinnen").path),
        Shot("cijfer", "pages/figure", SiteRoute.figure("inwoners", "GM0088", "2023").path),
        Shot("goede-voorbeelden", "pages/good-practices", SiteRoute.goodPractices.path),
        Shot("inloggen", "pages/login", SiteRoute.login.path),
        Shot("fout", "pages/error", "/deze-pagina-bestaat-niet"),
    ]

    /// Record pages as the analist of Amsterdam sees them.
    static let analistPages: [Shot] = [
        Shot("concepten", "pages/drafts", SiteRoute.drafts("GM0363").path),
        Shot("concept", "pages/draft") { SiteRoute.draft("GM0363", $0!.amsterdamDraft.id).path },
        Shot("eigen-indicatoren", "pages/local-indicators", SiteRoute.localIndicators("GM0363").path),
        Shot("eigen-indicator", "pages/local-indicator") { SiteRoute.localIndicator("GM0363", $0!.amsterdamLocalIndicator.id).path },
        Shot("duiding", "pages/dialogues", SiteRoute.dialogues("GM0363").path),
        Shot("duiding-nieuw", "pages/dialogue-form", SiteRoute.newDialogue("GM0363").path),
        Shot("duidingsgesprek", "pages/dialogue") { SiteRoute.dialogue("GM0363", $0!.amsterdamDialogue.id).path },
        Shot("gespreksmodel", "pages/conversation-board", SiteRoute.conversationBoard("GM0363").path),
        Shot("gespreksmodel-onderdeel", "pages/conversation-board-item") {
            SiteRoute.conversationBoardItem("GM0363", $0!.amsterdamConversationBoardItem.id).path
        },
        Shot("interventies", "pages/interventions", SiteRoute.interventions("GM0363").path),
        Shot("interventie", "pages/intervention") { SiteRoute.intervention("GM0363", $0!.amsterdamIntervention.id).path },
        Shot("netwerken", "pages/networks", SiteRoute.networks("GM0363").path),
        Shot("netwerk", "pages/network") { SiteRoute.network("GM0363", $0!.amsterdamNetwork.id).path },
        Shot("voorzieningen", "pages/facilities", SiteRoute.facilities("GM0363").path),
        Shot("vragenlijsten", "pages/questionnaires", SiteRoute.questionnaires("GM0363").path),
        Shot("vragenlijst", "pages/questionnaire") { SiteRoute.questionnaire("GM0363", $0!.amsterdamQuestionnaire.id).path },
        Shot("evaluatie", "pages/evaluation") { SiteRoute.evaluation($0!.amsterdamStudy.id).path },
        Shot("kopgroepen", "pages/kopgroepen", SiteRoute.kopgroepen.path),
        Shot("kopgroep", "pages/kopgroep") { SiteRoute.kopgroep($0!.kopgroep.id).path },
        Shot("samen-duiden", "pages/joint-duidingen", SiteRoute.jointDuidingen("GM0363").path),
        Shot("samen-duiden-gesprek", "pages/joint-duiding") { SiteRoute.jointDuiding($0!.jointDuiding.id).path },
        Shot("wachtwoord", "pages/password", SiteRoute.password.path),
        Shot("uitloggen", "pages/logout", SiteRoute.logout.path),
    ]

    /// The beheerder's pages.
    static let beheerderPages: [Shot] = [
        Shot("gebruikers", "pages/accounts", SiteRoute.accounts.path),
        Shot("gebruiker", "pages/account") { SiteRoute.account($0!.analist.id).path },
        Shot("audit", "pages/audit", SiteRoute.audit.path),
        Shot("ggd-koppeling", "pages/ggd-mapping", SiteRoute.ggdMapping.path),
        Shot("documentregels", "pages/document-rules", SiteRoute.documentRules.path),
        Shot("insluiten", "pages/embed-origins", SiteRoute.embedOrigins.path),
    ]

    /// The page a respondent opens from an invitation (anonymous).
    static let respondentPages: [Shot] = [
        Shot("vragenlijst-invullen", "pages/respond") { SiteRoute.respond($0!.amsterdamRound.token).url([("code", $0!.amsterdamInvitation)]) },
    ]

    /// The report as one file (`pbmonitor report`), not a page of the site.
    static let standaloneReport = Shot("rapport-los", "report-standalone", "")

    @Test func figurePagesLookAsRecorded() async throws {
        try await TestStore.withLoadedStore(clock: { Self.moment.now }) { store, _ in
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4, clock: Self.moment), store: store)
            try await app.test(.router) { client in
                var visitor = Browser()
                for shot in Self.figurePages {
                    Self.check(try await visitor.get(client, shot.path(nil)), shot.name)
                }
            }
            let report = try await GemeenteReport.render(store: store, gemeente: "GM0088", format: .html, generated: Self.moment.now)
            assertSnapshot(of: Self.normalised(report), as: .lines, named: Self.standaloneReport.name)
        }
    }

    @Test func recordAndAccountPagesLookAsRecorded() async throws {
        try await AccountWorld.with(clock: Self.moment) { client, world in
            let secrets = [world.amsterdamInvitation: "UITNODIGING", world.amsterdamRound.token: "RONDE"]
            for (shots, username) in [(Self.analistPages, world.analist.username), (Self.beheerderPages, world.beheerder.username)] {
                var visitor = try await Browser.loggedIn(client, as: username)
                for shot in shots { Self.check(try await visitor.get(client, shot.path(world)), shot.name, secrets: secrets) }
            }
            var respondent = Browser()
            for shot in Self.respondentPages { Self.check(try await respondent.get(client, shot.path(world)), shot.name, secrets: secrets) }
        }
    }

    /// A new page template needs a snapshot: the lists above name every template the site renders.
    @Test func everyTemplateHasASnapshot() {
        let shots = Self.figurePages + Self.analistPages + Self.beheerderPages + Self.respondentPages + [Self.standaloneReport]
        let covered = Set(shots.map(\.template))
        let templates = Set(PageRenderer.requiredTemplates).subtracting(["layout"])
        #expect(templates.subtracting(covered).isEmpty, "no snapshot: \(templates.subtracting(covered).sorted())")
        #expect(covered.subtracting(templates).isEmpty, "not a template: \(covered.subtracting(templates).sorted())")
        #expect(Set(shots.map(\.name)).count == shots.count, "snapshot names are unique")
    }
}
