import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

@Suite("Inloggen en sessies")
struct LoginTests {
    @Test func loggingInGivesAnHttpOnlySessionCookieAndTheMenuShowsTheName() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = Browser()
            let form = try await visitor.get(client, "/inloggen?terug=/beheer/gebruikers")
            #expect(form.status == .ok)
            #expect(visitor.cookies["pbm_csrf"]?.count == 64, "a form token for the anonymous login form")
            let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", " Beheer@Example.NL "), ("wachtwoord", AccountWorld.password),
                                                                       ("terug", "/beheer/gebruikers")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/beheer/gebruikers")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("pbm_sessie=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP on loopback")
            let page = try await visitor.get(client, "/beheer/gebruikers")
            #expect(page.status == .ok)
            #expect(page.text.contains("Bea Beheer") && page.text.contains("Uitloggen"))

            // Behind TLS the cookie is Secure.
            var tls = Browser()
            _ = try await tls.get(client, "/inloggen")
            var headers = tls.cookieHeader
            headers[.contentType] = "application/x-www-form-urlencoded"
            headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let secure = try await client.execute(uri: "/inloggen", method: .post, headers: headers,
                                                  body: ByteBuffer(string: "csrf=\(tls.csrf)&gebruikersnaam=beheer%40example.nl&wachtwoord=\(AccountWorld.password)"))
            #expect(secure.headers[values: .setCookie].contains { $0.hasPrefix("pbm_sessie=") && $0.contains("Secure") })
        }
    }

    @Test func aWrongNameAndAWrongPasswordGetTheSameAnswer() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = Browser()
            try await visitor.get(client, "/inloggen")
            let unknown = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "niemand@example.nl"), ("wachtwoord", "iets-anders-123")])
            let wrong = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "beheer@example.nl"), ("wachtwoord", "iets-anders-123")])
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.text.contains("Gebruikersnaam of wachtwoord klopt niet."))
            let message = { (text: String) in text.components(separatedBy: "role=\"alert\">").dropFirst().first?.prefix(60) }
            #expect(message(unknown.text) == message(wrong.text))
            #expect(visitor.cookies["pbm_sessie"] == nil)
        }
    }

    @Test func afterFiveFailuresEvenTheRightPasswordWaitsAndUnknownNamesAreLimitedTheSameWay() async throws {
        try await AccountWorld.with { client, world in
            var visitor = Browser()
            try await visitor.get(client, "/inloggen")
            for _ in 0..<5 {
                let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "analist@amsterdam.nl"), ("wachtwoord", "fout-fout-fout")])
                #expect(response.status == .unauthorized)
            }
            let blocked = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "analist@amsterdam.nl"), ("wachtwoord", AccountWorld.password)])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("Te veel mislukte pogingen"))
            #expect(visitor.cookies["pbm_sessie"] == nil)
            for _ in 0..<5 {
                _ = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "bestaat-niet@example.nl"), ("wachtwoord", "fout-fout-fout")])
            }
            let alsoBlocked = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "bestaat-niet@example.nl"), ("wachtwoord", "x")])
            #expect(alsoBlocked.status == .tooManyRequests, "an unknown name is limited like a known one: nothing to learn")
            // Others are not locked out by it.
            _ = try await Browser.loggedIn(client, as: world.beheerder.username)
        }
    }

    @Test func loggingOutEndsTheSessionOnTheServer() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = try await Browser.loggedIn(client, as: "beheer@example.nl")
            let stolen = visitor.cookies
            let out = try await visitor.post(client, "/uitloggen", [])
            #expect(out.status == .seeOther)
            #expect(visitor.cookies["pbm_sessie"] == nil)
            // The old cookie no longer works anywhere.
            var replay = Browser(cookies: stolen)
            let page = try await replay.get(client, "/beheer/gebruikers")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/inloggen?terug=%2Fbeheer%2Fgebruikers")
        }
    }

    @Test func onlyLocalReturnPathsAreFollowed() async throws {
        try await AccountWorld.with { client, _ in
            for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                var visitor = Browser()
                try await visitor.get(client, "/inloggen")
                let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "beheer@example.nl"),
                                                                           ("wachtwoord", AccountWorld.password), ("terug", target)])
                #expect(response.headers[.location] == "/", "\(target)")
            }
        }
    }

    @Test func changingThePasswordLogsOutOtherSessionsAndNeedsTheCurrentOne() async throws {
        try await AccountWorld.with { client, _ in
            var here = try await Browser.loggedIn(client, as: "analist@amsterdam.nl")
            var elsewhere = try await Browser.loggedIn(client, as: "analist@amsterdam.nl")
            let wrong = try await here.post(client, "/account/wachtwoord", [("huidig", "niet-het-goede"), ("nieuw", "nieuw-wachtwoord-99"),
                                                                            ("herhaling", "nieuw-wachtwoord-99")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("het huidige wachtwoord klopt niet"))
            let short = try await here.post(client, "/account/wachtwoord", [("huidig", AccountWorld.password), ("nieuw", "kort"), ("herhaling", "kort")])
            #expect(short.status == .badRequest && short.text.contains("minstens 12 tekens"))
            let done = try await here.post(client, "/account/wachtwoord", [("huidig", AccountWorld.password), ("nieuw", "nieuw-wachtwoord-99"),
                                                                           ("herhaling", "nieuw-wachtwoord-99")])
            #expect(done.status == .ok && done.text.contains("Uw wachtwoord is gewijzigd"))
            #expect(try await here.get(client, "/account/wachtwoord").status == .ok, "this session stays")
            #expect(try await elsewhere.get(client, "/account/wachtwoord").status == .seeOther, "the other session ended")
            _ = try await Browser.loggedIn(client, as: "analist@amsterdam.nl", password: "nieuw-wachtwoord-99")
        }
    }
}

@Suite("Rollen en routes")
struct RoleRouteMatrixTests {
    enum Who: String, CaseIterable { case anoniem, deelnemer, analist, beheerder }

    /// One state-changing request per route, with who may do it.
    struct Case: Sendable {
        let pattern: SiteRoute.Pattern
        let label: String
        let allowed: Set<Who>
        let path: @Sendable (AccountWorld) -> String
        let fields: [(String, String)]
        /// The status of an allowed request.
        let success: HTTPResponse.Status
        var file: (field: String, name: String, content: String)? = nil
        /// Fields that name a record of the world (e.g. the round a questionnaire action is about).
        var worldFields: (@Sendable (AccountWorld) -> [(String, String)])? = nil

        func form(_ world: AccountWorld) -> [(String, String)] { fields + (worldFields?(world) ?? []) }
    }

    static let cases: [Case] = [
        Case(pattern: .login, label: "inloggen (verkeerd wachtwoord)", allowed: Set(Who.allCases), path: { _ in "/inloggen" },
             fields: [("gebruikersnaam", "beheer@example.nl"), ("wachtwoord", "fout-fout-fout")], success: .unauthorized),
        Case(pattern: .logout, label: "uitloggen", allowed: Set(Who.allCases), path: { _ in "/uitloggen" }, fields: [], success: .seeOther),
        Case(pattern: .password, label: "eigen wachtwoord", allowed: [.deelnemer, .analist, .beheerder], path: { _ in "/account/wachtwoord" },
             fields: [("huidig", AccountWorld.password), ("nieuw", AccountWorld.password), ("herhaling", AccountWorld.password)], success: .ok),
        Case(pattern: .accounts, label: "gebruiker toevoegen", allowed: [.beheerder], path: { _ in "/beheer/gebruikers" },
             fields: [("gebruikersnaam", "nieuw@example.nl"), ("naam", "Nieuw"), ("rol", "analist"), ("gemeenten", "GM0014"),
                      ("wachtwoord", "nog-een-wachtwoord-1")], success: .seeOther),
        Case(pattern: .accountRole, label: "rol wijzigen", allowed: [.beheerder], path: { SiteRoute.action(.accountRole, id: $0.deelnemer.id).path },
             fields: [("rol", "analist"), ("gemeenten", "GM0363")], success: .ok),
        Case(pattern: .accountPassword, label: "wachtwoord van een ander", allowed: [.beheerder],
             path: { SiteRoute.action(.accountPassword, id: $0.analist.id).path }, fields: [("wachtwoord", "overgenomen-wachtwoord-7")], success: .ok),
        Case(pattern: .accountRemove, label: "gebruiker verwijderen", allowed: [.beheerder], path: { SiteRoute.action(.accountRemove, id: $0.deelnemer.id).path },
             fields: [], success: .seeOther),
        Case(pattern: .drafts, label: "lokale cijfers van de eigen gemeente", allowed: [.analist, .beheerder], path: { _ in "/gemeenten/GM0363/concepten" },
             fields: [], success: .seeOther, file: ("bestand", "lokaal.csv", AccountWorld.amsterdamCSV)),
        Case(pattern: .drafts, label: "lokale cijfers van een andere gemeente", allowed: [.beheerder], path: { _ in "/gemeenten/GM0014/concepten" },
             fields: [], success: .seeOther, file: ("bestand", "groningen.csv", "indicator,gebied,periode,waarde\ninwoners,GM0014,2031,1\n")),
        Case(pattern: .newDialogue, label: "gesprek vastleggen in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/duiding/nieuw" }, fields: DialogueWebTests.minimalForm, success: .seeOther),
        Case(pattern: .newDialogue, label: "gesprek vastleggen in een andere gemeente", allowed: [.beheerder],
             path: { _ in "/gemeenten/GM0014/duiding/nieuw" }, fields: DialogueWebTests.minimalForm.map { $0.0 == "figuur-gebied-1" ? ($0.0, "GM0014") : $0 },
             success: .seeOther),
        Case(pattern: .editDialogue, label: "gespreksconcept bewerken", allowed: [.analist, .beheerder],
             path: { SiteRoute.editDialogue("GM0363", $0.amsterdamDialogue.id).path }, fields: DialogueWebTests.minimalForm, success: .seeOther),
        Case(pattern: .editDialogue, label: "bijdragen aan een gesprek als genodigde", allowed: [.deelnemer, .analist, .beheerder],
             path: { SiteRoute.editDialogue("GM0363", $0.invitedDialogue.id).path },
             fields: DialogueWebTests.minimalForm + [("vraag-herkennen-ouder", "Ja, dat zien wij ook.")], success: .seeOther),
        Case(pattern: .dialoguePublish, label: "gesprek publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.dialoguePublish, code: "GM0363", id: $0.amsterdamDialogue.id).path }, fields: [], success: .seeOther),
        Case(pattern: .dialogueWithdraw, label: "gesprek intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.dialogueWithdraw, code: "GM0363", id: $0.amsterdamDialogue.id).path }, fields: [], success: .seeOther),
        Case(pattern: .board, label: "onderdeel op het gespreksmodel van de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/gespreksmodel" }, fields: [("naam", "Speeltuin De Pijp"), ("soort", "voorziening"), ("plek", "vrijetijd")],
             success: .seeOther),
        Case(pattern: .board, label: "onderdeel op het gespreksmodel van een andere gemeente", allowed: [.beheerder],
             path: { _ in "/gemeenten/GM0014/gespreksmodel" }, fields: [("naam", "Huisarts"), ("soort", "rol"), ("plek", "hulp")], success: .seeOther),
        Case(pattern: .boardItemAnswer, label: "antwoorden op het gespreksmodel", allowed: [.deelnemer, .analist, .beheerder],
             path: { SiteRoute.action(.boardItemAnswer, code: "GM0363", id: $0.amsterdamBoardItem.id).path },
             fields: [("antwoord", "twijfel"), ("rol", "ouder"), ("waarom", "Het is ook zorg")], success: .seeOther),
        Case(pattern: .boardItemEdit, label: "onderdeel wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.boardItemEdit, code: "GM0363", id: $0.amsterdamBoardItem.id).path },
             fields: [("naam", "Consultatiebureau Oost"), ("soort", "voorziening"), ("plek", "hulp")], success: .seeOther),
        Case(pattern: .boardItemPublish, label: "onderdeel publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.boardItemPublish, code: "GM0363", id: $0.amsterdamBoardItem.id).path }, fields: [], success: .seeOther),
        Case(pattern: .boardItemWithdraw, label: "onderdeel intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.boardItemWithdraw, code: "GM0363", id: $0.amsterdamBoardItem.id).path }, fields: [], success: .seeOther),
        Case(pattern: .interventions, label: "interventie vastleggen in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/interventies" },
             fields: [("naam", "Buurtgezinnen"), ("doelwijken", "WK0363AD"), ("vergelijkingswijken", "WK0363AE WK0363AF"),
                      ("indicator", "jeugdzorg_in_natura_pct"), ("start", "2024")], success: .seeOther),
        Case(pattern: .interventions, label: "interventie vastleggen in een andere gemeente", allowed: [.beheerder],
             path: { _ in "/gemeenten/GM0014/interventies" },
             fields: [("naam", "Buurtgezinnen"), ("doelwijken", "WK001400"), ("vergelijkingswijken", "WK001401"),
                      ("indicator", "jeugdzorg_in_natura_pct"), ("start", "2024")], success: .seeOther),
        Case(pattern: .interventionCostBenefit, label: "MKBA van een interventie", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.interventionCostBenefit, code: "GM0363", id: $0.amsterdamIntervention.id).path },
             fields: [("discontovoet", "3"), ("post-omschrijving-1", "Coördinator"), ("post-soort-1", "kosten"),
                      ("post-basis-1", "50.000")], success: .seeOther),
        Case(pattern: .interventionEdit, label: "interventie wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.interventionEdit, code: "GM0363", id: $0.amsterdamIntervention.id).path },
             fields: [("naam", "Buurtgezinnen"), ("doelwijken", "WK0363AD"), ("vergelijkingswijken", "WK0363AE WK0363AF"),
                      ("indicator", "jeugdzorg_in_natura_pct"), ("start", "2024")], success: .seeOther),
        Case(pattern: .interventionPublish, label: "interventie publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.interventionPublish, code: "GM0363", id: $0.amsterdamIntervention.id).path }, fields: [], success: .seeOther),
        Case(pattern: .interventionWithdraw, label: "interventie intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.interventionWithdraw, code: "GM0363", id: $0.amsterdamIntervention.id).path }, fields: [], success: .seeOther),
        Case(pattern: .networks, label: "netwerkkaart vastleggen in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/netwerken" },
             fields: [("titel", "Jordaan"), ("wijk", "WK0363AB"), ("datum", "2026-11-01"), ("actor-naam-1", "Buurtmoeder"), ("actor-sfeer-1", "gezin"),
                      ("actor-naam-2", "Wijkteam"), ("actor-sfeer-2", "hulp"), ("relatie-van-1", "1"), ("relatie-naar-1", "2")], success: .seeOther),
        Case(pattern: .networkEdit, label: "netwerkkaart wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.networkEdit, code: "GM0363", id: $0.amsterdamNetwork.id).path },
             fields: [("titel", "Jordaan"), ("wijk", "WK0363AB"), ("datum", "2026-11-01"), ("actor-naam-1", "Buurtmoeder"), ("actor-sfeer-1", "gezin"),
                      ("actor-naam-2", "Wijkteam"), ("actor-sfeer-2", "hulp"), ("relatie-van-1", "1"), ("relatie-naar-1", "2")], success: .seeOther),
        Case(pattern: .networkPublish, label: "netwerkkaart publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.networkPublish, code: "GM0363", id: $0.amsterdamNetwork.id).path }, fields: [], success: .seeOther),
        Case(pattern: .networkWithdraw, label: "netwerkkaart intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.networkWithdraw, code: "GM0363", id: $0.amsterdamNetwork.id).path }, fields: [], success: .seeOther),
        Case(pattern: .facilitiesAdd, label: "voorziening toevoegen in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.action(.facilitiesAdd, code: "GM0363").path },
             fields: [("naam", "Buurthuis"), ("soort", "buurthuis"), ("gebied", "WK0363AA")], success: .ok),
        Case(pattern: .facilitiesUpload, label: "voorzieningen uploaden in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.action(.facilitiesUpload, code: "GM0363").path }, fields: [], success: .ok,
             file: ("bestand", "voorzieningen.csv", "naam,soort,gebied\nSpeeltuin,speeltuin,WK0363AA\n")),
        Case(pattern: .usageAdd, label: "gebruik toevoegen in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.action(.usageAdd, code: "GM0363").path },
             fields: [("voorziening", "1"), ("periode", "2026"), ("bezoekers", "40")], success: .badRequest),
        Case(pattern: .usageUpload, label: "gebruik uploaden in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.action(.usageUpload, code: "GM0363").path }, fields: [], success: .badRequest,
             file: ("bestand", "gebruik.csv", "voorziening,periode,bezoekers\n999,2026,40\n")),
        Case(pattern: .facilitiesPublish, label: "voorzieningen van een andere gemeente publiceren", allowed: [.beheerder],
             path: { _ in SiteRoute.action(.facilitiesPublish, code: "GM0014").path }, fields: [], success: .ok),
        Case(pattern: .questionnaires, label: "vragenlijst maken in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/vragenlijsten" }, fields: [("sjabloon", "samenwerking-over-sferen")], success: .seeOther),
        Case(pattern: .questionnaireEdit, label: "vragenlijst wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.questionnaireEdit, code: "GM0363", id: $0.amsterdamQuestionnaire.id).path },
             fields: [("titel", "Samenwerking"), ("inleiding", ""), ("definitie", "= s: Schaal\n# Deel\n[s] Een.\n[s] Twee.\n")], success: .ok),
        Case(pattern: .questionnairePublish, label: "vragenlijst publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.questionnairePublish, code: "GM0363", id: $0.amsterdamQuestionnaire.id).path }, fields: [], success: .seeOther),
        Case(pattern: .questionnaireCopy, label: "vragenlijst kopiëren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.questionnaireCopy, code: "GM0363", id: $0.amsterdamRound.questionnaireID).path }, fields: [], success: .seeOther),
        Case(pattern: .roundOpen, label: "ronde openen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.roundOpen, code: "GM0363", id: $0.amsterdamRound.questionnaireID).path },
             fields: [("naam", "Scholen"), ("gebied", "WK0363AA"), ("periode", "2026"), ("uitnodigingen", "5")], success: .ok),
        Case(pattern: .questionnaireInvitations, label: "meer uitnodigingen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.questionnaireInvitations, code: "GM0363", id: $0.amsterdamRound.questionnaireID).path },
             fields: [("aantal", "3")], success: .ok, worldFields: { [("ronde", String($0.amsterdamRound.id))] }),
        Case(pattern: .roundClose, label: "ronde sluiten", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.roundClose, code: "GM0363", id: $0.amsterdamRound.questionnaireID).path },
             fields: [], success: .ok, worldFields: { [("ronde", String($0.amsterdamRound.id))] }),
        Case(pattern: .roundPublish, label: "uitkomsten van een ronde publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.roundPublish, code: "GM0363", id: $0.amsterdamRound.questionnaireID).path },
             fields: [], success: .ok, worldFields: { [("ronde", String($0.amsterdamRound.id))] }),
        Case(pattern: .respond, label: "anoniem een vragenlijst invullen", allowed: Set(Who.allCases),
             path: { SiteRoute.respond($0.amsterdamRound.token).url([("code", $0.amsterdamInvitation)]) }, fields: [("stap", "1"), ("v9", "4"), ("richting", "versturen")],
             success: .seeOther),
        Case(pattern: .evaluations, label: "studie indienen voor de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/evaluaties" }, fields: [("gemeente", "GM0363"), ("titel", "Mamacafé Noord"), ("organisatie", "Buurtmama's"), ("jaar", "2025"),
                                                    ("opzet", "beschrijvend"), ("samenvatting", "Moeders steunen elkaar.")], success: .seeOther),
        Case(pattern: .evaluations, label: "studie indienen voor een andere gemeente", allowed: [.beheerder],
             path: { _ in "/evaluaties" }, fields: [("gemeente", "GM0014"), ("titel", "Buurtgezinnen"), ("organisatie", "Buurtgezinnen"), ("jaar", "2025"),
                                                    ("opzet", "beschrijvend"), ("samenvatting", "Steun van buren.")], success: .seeOther),
        Case(pattern: .evaluationApprove, label: "studie goedkeuren", allowed: [.beheerder],
             path: { SiteRoute.action(.evaluationApprove, id: $0.amsterdamStudy.id).path }, fields: [], success: .ok),
        Case(pattern: .evaluationReject, label: "studie afwijzen", allowed: [.beheerder],
             path: { SiteRoute.action(.evaluationReject, id: $0.amsterdamStudy.id).path }, fields: [("reden", "Geen bron.")], success: .ok),
        Case(pattern: .documentRemove, label: "raadsstuk verwijderen", allowed: [.beheerder],
             path: { _ in SiteRoute.action(.documentRemove).path }, fields: [("document", "999999")], success: .notFound),
        Case(pattern: .documents, label: "raadsstuk toevoegen voor de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/documenten" }, fields: [("gemeente", "GM0363"), ("datum", "2025-03-01"), ("soort", "motie"), ("titel", "Motie pedagogische basis")],
             success: .ok, file: ("bestand", "motie.txt", "De raad wil de pedagogische basis versterken zodat kinderen gezond opgroeien.")),
        Case(pattern: .documentRules, label: "analyseregels aanpassen", allowed: [.beheerder],
             path: { _ in "/documenten/regels" }, fields: [("regels", "doel: doel\nideaal: opgroeien\n")], success: .ok),
        Case(pattern: .draftPublish, label: "concept van de eigen gemeente publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.draftPublish, code: "GM0363", id: $0.amsterdamDraft.id).path }, fields: [], success: .ok),
        Case(pattern: .draftWithdraw, label: "concept van een andere gemeente intrekken", allowed: [.beheerder],
             path: { SiteRoute.action(.draftWithdraw, code: "GM0014", id: $0.groningenDraft.id).path }, fields: [], success: .seeOther),
        Case(pattern: .ggdMapping, label: "een GGD-onderwerp koppelen", allowed: [.beheerder],
             path: { _ in SiteRoute.ggdMapping.path }, fields: [("onderwerp", "Lekker in je vel"), ("indicator", "gmj_gelukkig")], success: .ok),
        Case(pattern: .ggdMappingRemove, label: "een GGD-koppeling verwijderen", allowed: [.beheerder],
             path: { _ in SiteRoute.action(.ggdMappingRemove).path }, fields: [("onderwerp", "Lekker in je vel")], success: .ok),
        Case(pattern: .localIndicators, label: "eigen indicator maken in de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.localIndicators("GM0363").path }, fields: AccountWorld.localIndicatorFields(code: "speeltuin_noord"), success: .seeOther),
        Case(pattern: .localIndicators, label: "eigen indicator maken in een andere gemeente", allowed: [.beheerder],
             path: { _ in SiteRoute.localIndicators("GM0014").path }, fields: AccountWorld.localIndicatorFields(code: "speeltuin"), success: .seeOther),
        Case(pattern: .localIndicatorPublish, label: "eigen indicator publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.localIndicatorPublish, code: "GM0363", id: $0.amsterdamLocalIndicator.id).path }, fields: [], success: .seeOther),
        Case(pattern: .localIndicatorWithdraw, label: "eigen indicator intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.localIndicatorWithdraw, code: "GM0363", id: $0.amsterdamLocalIndicator.id).path }, fields: [], success: .seeOther),
        Case(pattern: .localIndicatorEdit, label: "eigen indicator wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.localIndicatorEdit, code: "GM0363", id: $0.amsterdamLocalIndicator.id).path },
             fields: AccountWorld.localIndicatorFields(code: "speeltuin"), success: .seeOther),
        Case(pattern: .localIndicatorShare, label: "eigen indicator met iedereen delen", allowed: [.beheerder],
             path: { SiteRoute.action(.localIndicatorShare, code: "GM0363", id: $0.amsterdamPublishedIndicator.id).path }, fields: [], success: .seeOther),
        Case(pattern: .localIndicatorUnshare, label: "eigen indicator niet meer delen", allowed: [.beheerder],
             path: { SiteRoute.action(.localIndicatorUnshare, code: "GM0363", id: $0.amsterdamPublishedIndicator.id).path }, fields: [], success: .seeOther),
        Case(pattern: .versions, label: "een cijfer intrekken", allowed: [.beheerder],
             path: { _ in SiteRoute.versions("inwoners").path }, fields: [("gebied", "GM0363"), ("periode", "2031"), ("reden", "tikfout in de import")],
             success: .seeOther),
    ]

    @Test func everyStateChangingRouteIsInTheMatrix() {
        let covered = Set(Self.cases.map(\.pattern))
        let changing = Set(SiteRoute.Pattern.allCases.filter(\.changesState))
        #expect(covered == changing, "add a case for every route that takes a POST")
    }

    @Test(arguments: Who.allCases) func everyRoleGetsExactlyWhatItMayDo(_ who: Who) async throws {
        var violations: [String] = []
        for item in Self.cases {
            violations += try await AccountWorld.with { client, world -> [String] in
                var violations: [String] = []
                var visitor: Browser
                switch who {
                case .anoniem:
                    visitor = Browser()
                    try await visitor.get(client, "/inloggen")
                case .deelnemer: visitor = try await Browser.loggedIn(client, as: world.deelnemer.username)
                case .analist: visitor = try await Browser.loggedIn(client, as: world.analist.username)
                case .beheerder: visitor = try await Browser.loggedIn(client, as: world.beheerder.username)
                }
                let auditBefore = try await world.store.auditLog(limit: 1, offset: 0).total
                let accountsBefore = try await world.store.accounts()
                // Without the CSRF token nobody gets anywhere, and nothing changes.
                var tokenless = visitor
                let forged = try await tokenless.post(client, item.path(world), item.form(world), csrf: false, file: item.file)
                if forged.status != .forbidden { violations.append("\(who) \(item.label) zonder CSRF-token: \(forged.status.code)") }
                let response = try await visitor.post(client, item.path(world), item.form(world), file: item.file)
                let auditAfter = try await world.store.auditLog(limit: 1, offset: 0).total
                if item.allowed.contains(who) {
                    if response.status != item.success { violations.append("\(who) \(item.label): \(response.status.code), verwacht \(item.success.code)") }
                } else {
                    if response.status != .forbidden { violations.append("\(who) \(item.label): \(response.status.code), verwacht 403") }
                    if auditAfter != auditBefore { violations.append("\(who) \(item.label): het auditlog veranderde") }
                    if try await world.store.accounts() != accountsBefore { violations.append("\(who) \(item.label): de gebruikers veranderden") }
                }
                return violations
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func adminPagesSendAnonymousVisitorsToTheLoginPageAndRefuseOtherRoles() async throws {
        try await AccountWorld.with { client, world in
            for path in ["/beheer/gebruikers", SiteRoute.account(world.analist.id).path, "/beheer/audit", "/beheer/audit?formaat=csv"] {
                var anonymous = Browser()
                let response = try await anonymous.get(client, path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/inloggen?terug=") == true)
                var analist = try await Browser.loggedIn(client, as: world.analist.username)
                #expect(try await analist.get(client, path).status == .forbidden, "\(path)")
                var beheerder = try await Browser.loggedIn(client, as: world.beheerder.username)
                #expect(try await beheerder.get(client, path).status == .ok, "\(path)")
            }
        }
    }
}

@Suite("Gebruikersbeheer en auditlog")
struct AccountAdminTests {
    @Test func aBeheerderAddsAnAnalistWhoCanLogInAndEveryStepIsInTheAuditLog() async throws {
        try await AccountWorld.with { client, world in
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let refused = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", "g@groningen.nl"), ("naam", "Gea"), ("rol", "analist"),
                                                                              ("gemeenten", "Atlantis"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("onbekende gemeente: Atlantis"))
            #expect(refused.text.contains(#"value="g@groningen.nl""#), "the form keeps what was typed")
            let added = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", "g@groningen.nl"), ("naam", "Gea"), ("rol", "analist"),
                                                                            ("gemeenten", "Groningen"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(added.status == .seeOther)
            let gea = try #require(try await world.store.credentials(username: "g@groningen.nl")?.account)
            #expect(gea.role == .analist && gea.gemeenten == [AreaCode("GM0014")!])
            _ = try await Browser.loggedIn(client, as: "g@groningen.nl", password: "een-goed-wachtwoord")

            let log = try await world.store.auditLog(limit: 10, offset: 0).entries
            let entry = try #require(log.first { $0.action == "gebruiker.toevoegen" && $0.object == "gebruiker:g@groningen.nl" })
            #expect(entry.actor == world.beheerder.username && entry.before == nil)
            #expect(entry.after?.contains(#""gemeenten":["GM0014"]"#) == true)
            #expect(!(entry.after ?? "").contains("$2"), "no password hash in the log")

            let page = try await admin.get(client, "/beheer/audit")
            #expect(page.text.contains("gebruiker:g@groningen.nl"))
            let csv = try await admin.get(client, "/beheer/audit?formaat=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("id,tijdstip,wie,actie,object,voor,na\r\n"))
            #expect(csv.text.contains("gebruiker.toevoegen"))
            let json = try await admin.get(client, "/beheer/audit?formaat=json")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [[String: Any]])
            #expect(items.contains { $0["actie"] as? String == "gebruiker.toevoegen" && $0["wie"] as? String == world.beheerder.username })
        }
    }

    @Test func theLastBeheerderCannotBeRemovedOrDemoted() async throws {
        try await AccountWorld.with { client, world in
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let path = SiteRoute.account(world.beheerder.id).path
            let demote = try await admin.post(client, path, [("actie", "rol"), ("rol", "analist"), ("gemeenten", "GM0363")])
            #expect(demote.status == .badRequest && demote.text.contains("laatste beheerder"))
            let remove = try await admin.post(client, path, [("actie", "verwijderen")])
            #expect(remove.status == .badRequest)
            #expect(try await world.store.account(id: world.beheerder.id)?.role == .beheerder)
        }
    }

    @Test func scriptInEveryTextFieldIsEscapedOnEveryPageThatShowsIt() async throws {
        try await AccountWorld.with { client, world in
            let payload = "<script>alert(1)</script>"
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let added = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", payload), ("naam", payload), ("rol", "analist"),
                                                                            ("gemeenten", "GM0363"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(added.status == .seeOther)
            let id = try #require(try await world.store.credentials(username: payload)?.account.id)
            var victim = try await Browser.loggedIn(client, as: payload, password: "een-goed-wachtwoord")
            var anonymous = Browser()
            let pages = [try await admin.get(client, "/beheer/gebruikers"), try await admin.get(client, SiteRoute.account(id).path),
                         try await admin.get(client, "/beheer/audit"), try await victim.get(client, "/account/wachtwoord"),
                         try await victim.get(client, "/gemeenten/GM0363"),
                         try await anonymous.get(client, "/inloggen?terug=/\(payload.urlFormEscaped)")]
            for page in pages {
                #expect(!page.text.contains(payload))
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.text.contains("alert(1)") == false)
            }
            #expect(pages[0].text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}

@Suite("Concepten en publiceren")
struct DraftTests {
    @Test func anAnalistUploadsLocalFiguresThatOnlyTheirGemeenteSeesUntilTheyPublish() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/gemeenten/GM0363/concepten")
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0363,2032,912345\ninwoners,WK0363AA,2032,4\n"
            let uploaded = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "eigen-telling.csv", csv))
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.headers[.location])
            let draft = try await analist.get(client, location)
            #expect(draft.status == .ok)
            #expect(draft.text.contains("912.345"))
            #expect(!draft.text.contains(">4<"), "a count of 4 persons is suppressed on the draft page too")
            #expect(draft.text.contains("geen gegevens (te weinig waarnemingen)"))

            // Nobody else sees it: not the public API, not another gemeente's analist, not an anonymous visitor.
            var stranger = Browser()
            let before = try await stranger.get(client, "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2032")
            #expect(try before.json()["total"] as? Int == 0)
            #expect(try await stranger.get(client, location).status == .seeOther)
            let hash = try await Passwords(cost: 4).hash(AccountWorld.password)
            _ = try await world.store.addAccount(username: "g@groningen.nl", displayName: "G", role: .analist, gemeenten: [AreaCode("GM0014")!],
                                                 passwordHash: hash, actor: "test")
            var other = try await Browser.loggedIn(client, as: "g@groningen.nl")
            #expect(try await other.get(client, location).status == .forbidden)
            #expect(try await other.get(client, "/gemeenten/GM0363/concepten").status == .forbidden)

            // Published: an ordinary import, seen by all.
            let published = try await analist.post(client, location, [("actie", "publiceren")])
            #expect(published.status == .ok)
            #expect(published.text.contains("Gepubliceerd als import"))
            let after = try await stranger.get(client, "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2032")
            #expect(try after.json()["total"] as? Int == 1)
            #expect(after.text.contains("912345"))
            let again = try await analist.post(client, location, [("actie", "publiceren")])
            #expect(again.status == .conflict && again.text.contains("is al gepubliceerd"))
            let log = try await world.store.auditLog(limit: 10, offset: 0).entries.map(\.action)
            #expect(log.first == "concept.publiceren" && log.contains("concept.toevoegen"))
        }
    }

    @Test func aFileWithAnAreaOutsideTheGemeenteIsRefusedWithItsLineAndColumn() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            try await analist.get(client, "/gemeenten/GM0363/concepten")
            let before = try await world.store.drafts(gemeente: AreaCode("GM0363")!).count
            let csv = "indicator,gebied,periode,waarde\ninwoners,GM0363,2032,912345\ninwoners,GM0014,2032,200000\n"
            let refused = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "mix.csv", csv))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("mix.csv, regel 3, kolom gebied"), "\(refused.text)")
            #expect(refused.text.contains("een gebied in gemeente GM0363"))
            let broken = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "kapot.csv", "indicator,gebied,periode,waarde\nbestaatniet,GM0363,2032,1\n"))
            #expect(broken.status == .badRequest && broken.text.contains("kapot.csv, regel 2"))
            let typo = try await analist.post(client, "/gemeenten/GM0363/concepten", [], file: ("bestand", "typo.csv", "indicator,gebied,periode,waarde\ninwoners,WK0363ZZ,2032,100\n"))
            #expect(typo.status == .badRequest && typo.text.contains("typo.csv, regel 2, kolom gebied"))
            #expect(try await world.store.drafts(gemeente: AreaCode("GM0363")!).count == before, "nothing kept")
        }
    }
}

@Suite("Duidings- en spiegelgesprekken")
struct DialogueWebTests {
    /// The smallest form that saves: a title, a date, one figure and who took part.
    static let minimalForm: [(String, String)] = [
        ("titel", "Kort overleg"), ("datum", "2026-11-20"), ("soort", "duiding"),
        ("figuur-indicator-1", "jeugdzorg_in_natura_pct"), ("figuur-gebied-1", "GM0363"), ("figuur-periode-1", "2023"),
        ("deelnemers-beleid", "2"),
    ]

    @Test func anAnalistRecordsADuidingsgesprekFromAFigurePublishesItAndEveryoneSeesIt() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            // From the figure page: the link to start a conversation about it.
            let profile = try await analist.get(client, "/wijken/WK0363AA")
            #expect(profile.text.contains("Wat zeggen we ervan?"))
            #expect(profile.text.contains("/gemeenten/GM0363/duiding/nieuw?gebied=WK0363AA"))
            let form = try await analist.get(client, "/gemeenten/GM0363/duiding/nieuw?gebied=WK0363AA&indicator=jeugdzorg_in_natura_pct&periode=2023")
            #expect(form.status == .ok)
            #expect(form.text.contains("Herkennen we het beeld?") && form.text.contains("Welke verbeteringen willen we?"))
            #expect(form.text.contains(#"value="WK0363AA""#))
            let fields: [(String, String)] = [
                ("titel", "Jeugdzorg in de Burgwallen"), ("datum", "2026-11-20"), ("soort", "duiding"),
                ("figuur-indicator-1", "jeugdzorg_in_natura_pct"), ("figuur-gebied-1", "WK0363AA"), ("figuur-periode-1", "2023"),
                ("deelnemers-ouder", "4"), ("deelnemers-professional", "3"), ("sferen-professional", "school"), ("sferen-professional", "hulp"),
                ("deelnemers-beleid", "1"), ("luistert-beleid", "ja"),
                ("vraag-herkennen-ouder", "Ja, veel gezinnen in de buurt krijgen hulp."), ("vraag-herkennen-professional", "Deels: wij zien vooral lichte vragen."),
                ("eens-herkennen", "deels"),
                ("vraag-verklaren-professional", "Weinig laagdrempelige steun in de wijk."), ("eens-verklaren", "eens"),
                ("vraag-waarderen-ouder", "Zorgelijk."), ("eens-waarderen", "oneens"),
                ("vraag-verbeteren-ouder", "Een opvoedspreekuur op school."), ("eens-verbeteren", "eens"),
                ("conclusies", "We herkennen het beeld deels; de verklaring ligt in het ontbreken van lichte steun."),
                ("actie-wat-1", "Opvoedspreekuur op twee scholen"), ("actie-wie-1", "jeugdgezondheidszorg"), ("actie-wanneer-1", "2027-03-01"),
                ("actie-status-1", "open"),
                ("actie-wat-2", "Brugfunctionaris aanstellen"), ("actie-wie-2", "gemeente (beleid)"), ("actie-wanneer-2", "2027-06-01"),
                ("actie-status-2", "bezig"),
            ]
            let bad = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", fields.map { $0.0 == "datum" ? ($0.0, "20-11-2026") : $0 })
            #expect(bad.status == .badRequest && bad.text.contains("geef de datum van het gesprek als JJJJ-MM-DD"))
            #expect(bad.text.contains("Jeugdzorg in de Burgwallen"), "what was typed stays in the form")
            let saved = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", fields)
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            let concept = try await analist.get(client, location)
            #expect(concept.text.contains("concept") && concept.text.contains("Publiceren"))

            // A concept is for the gemeente's users only.
            var anonymous = Browser()
            #expect(try await anonymous.get(client, location).status == .seeOther)
            #expect(!(try await anonymous.get(client, "/gemeenten/GM0363/duiding").text.contains("Burgwallen")))
            #expect(!(try await anonymous.get(client, "/wijken/WK0363AA").text.contains("Jeugdzorg in de Burgwallen")))

            let published = try await analist.submit(client, location + "/publiceren")
            #expect(published.status == .ok && published.text.contains("Gepubliceerd"))
            let record = try await anonymous.get(client, location)
            #expect(record.status == .ok)
            for text in ["Herkennen we het beeld?", "deels eens", "Deels: wij zien vooral lichte vragen.", "Opvoedspreekuur op twee scholen",
                         "Brugfunctionaris aanstellen", "1 maart 2027", "4 ouders", "3 professionals (School en opvang, Hulpverlening)",
                         "Luisterden: 1 beleid"] {
                #expect(record.text.contains(text), "\(text)")
            }
            #expect(try await anonymous.get(client, "/wijken/WK0363AA").text.contains("Jeugdzorg in de Burgwallen"))
            #expect(try await anonymous.get(client, "/indicatoren/jeugdzorg_in_natura_pct").text.contains("Jeugdzorg in de Burgwallen"))
            let json = try await anonymous.get(client, "/api/v1/gemeenten/GM0363/duiding").json()
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["titel"] as? String == "Jeugdzorg in de Burgwallen")
            #expect((items.first?["acties"] as? [[String: Any]])?.count == 2)
            #expect((items.first?["vragen"] as? [[String: Any]])?.count == 4)
            #expect(try await world.store.usage()["jeugdzorg_in_natura_pct"]?.dialogueReferences == 1, "counts as use in the meetlast ledger")
        }
    }

    @Test func aSpiegelgesprekRecordsWhoSpokeAndWhoListened() async throws {
        try await AccountWorld.with { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let form = try await analist.get(client, "/gemeenten/GM0363/duiding/nieuw?soort=spiegel")
            #expect(form.text.contains(#"<option value="spiegel" selected>"#))
            let missing = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", [
                ("titel", "Spiegelgesprek jongeren"), ("datum", "2026-10-01"), ("soort", "spiegel"), ("deelnemers-bestuur", "1"), ("luistert-bestuur", "ja")])
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("in een spiegelgesprek spreken ouders, jongeren of professionals"))
            let saved = try await analist.post(client, "/gemeenten/GM0363/duiding/nieuw", [
                ("titel", "Spiegelgesprek jongeren"), ("datum", "2026-10-01"), ("soort", "spiegel"),
                ("deelnemers-jongere", "8"), ("deelnemers-bestuur", "1"), ("luistert-bestuur", "ja"), ("deelnemers-beleid", "2"), ("luistert-beleid", "ja"),
                ("thema-tekst-1", "Er is geen plek om na school af te spreken"), ("thema-rol-1", "jongere"), ("thema-sfeer-1", "vrijetijd"),
                ("thema-tekst-2", "De jongerenwerker kennen we wel"), ("thema-rol-2", "jongere"), ("thema-sfeer-2", "georganiseerd"), ("thema-sfeer-2", "hulp"),
            ])
            #expect(saved.status == .seeOther)
            let page = try await analist.get(client, try #require(saved.headers[.location]))
            #expect(page.text.contains("Spraken: 8 jongeren"))
            #expect(page.text.contains("Luisterden: 1 bestuur, 2 beleid") || page.text.contains("Luisterden: 2 beleid, 1 bestuur"))
            #expect(page.text.contains("Georganiseerde vrije tijd, Hulpverlening"))
        }
    }
}
