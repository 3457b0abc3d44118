import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

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
        Case(pattern: .conversationBoard, label: "onderdeel op het gespreksmodel van de eigen gemeente", allowed: [.analist, .beheerder],
             path: { _ in "/gemeenten/GM0363/gespreksmodel" }, fields: [("naam", "Speeltuin De Pijp"), ("soort", "voorziening"), ("plek", "vrijetijd")],
             success: .seeOther),
        Case(pattern: .conversationBoard, label: "onderdeel op het gespreksmodel van een andere gemeente", allowed: [.beheerder],
             path: { _ in "/gemeenten/GM0014/gespreksmodel" }, fields: [("naam", "Huisarts"), ("soort", "rol"), ("plek", "hulp")], success: .seeOther),
        Case(pattern: .conversationBoardItemAnswer, label: "antwoorden op het gespreksmodel", allowed: [.deelnemer, .analist, .beheerder],
             path: { SiteRoute.action(.conversationBoardItemAnswer, code: "GM0363", id: $0.amsterdamConversationBoardItem.id).path },
             fields: [("antwoord", "twijfel"), ("rol", "ouder"), ("waarom", "Het is ook zorg")], success: .seeOther),
        Case(pattern: .conversationBoardItemEdit, label: "onderdeel wijzigen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.conversationBoardItemEdit, code: "GM0363", id: $0.amsterdamConversationBoardItem.id).path },
             fields: [("naam", "Consultatiebureau Oost"), ("soort", "voorziening"), ("plek", "hulp")], success: .seeOther),
        Case(pattern: .conversationBoardItemPublish, label: "onderdeel publiceren", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.conversationBoardItemPublish, code: "GM0363", id: $0.amsterdamConversationBoardItem.id).path }, fields: [], success: .seeOther),
        Case(pattern: .conversationBoardItemWithdraw, label: "onderdeel intrekken", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.conversationBoardItemWithdraw, code: "GM0363", id: $0.amsterdamConversationBoardItem.id).path }, fields: [], success: .seeOther),
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
        Case(pattern: .kopgroepen, label: "kopgroep maken", allowed: [.beheerder], path: { _ in SiteRoute.kopgroepen.path },
             fields: [("naam", "Kopgroep Noord"), ("doel", "Leren"), ("leden", "GM0014, GM0088")], success: .seeOther),
        Case(pattern: .kopgroepEdit, label: "kopgroep wijzigen", allowed: [.beheerder], path: { SiteRoute.action(.kopgroepEdit, id: $0.kopgroep.id).path },
             fields: [("naam", "Kopgroep Noord"), ("doel", "Leren"), ("leden", "GM0363, GM0014, GM0088")], success: .seeOther),
        Case(pattern: .kopgroepShare, label: "een vragenlijst delen met de kopgroep", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.kopgroepShare, id: $0.kopgroep.id).path }, fields: [], success: .seeOther,
             worldFields: { [("record", "vragenlijst:GM0363:\($0.amsterdamRound.questionnaireID)")] }),
        Case(pattern: .kopgroepUnshare, label: "niet meer delen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.kopgroepUnshare, id: $0.kopgroep.id).path }, fields: [], success: .seeOther,
             worldFields: { [("deling", String($0.amsterdamShare.id))] }),
        Case(pattern: .kopgroepCopy, label: "een gedeelde vragenlijst overnemen", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.kopgroepCopy, id: $0.kopgroep.id).path }, fields: [("gemeente", "GM0363")], success: .seeOther,
             worldFields: { [("deling", String($0.amsterdamShare.id))] }),
        Case(pattern: .kopgroepCopy, label: "overnemen in een andere gemeente", allowed: [.beheerder],
             path: { SiteRoute.action(.kopgroepCopy, id: $0.kopgroep.id).path }, fields: [("gemeente", "GM0014")], success: .seeOther,
             worldFields: { [("deling", String($0.amsterdamShare.id))] }),
        Case(pattern: .interventionTypes, label: "soort interventie toevoegen", allowed: [.analist, .beheerder], path: { _ in SiteRoute.interventionTypes.path },
             fields: [("naam", "Sportmaatje"), ("beschrijving", "")], success: .seeOther),
        Case(pattern: .interventionTypeEdit, label: "soort interventie wijzigen", allowed: [.beheerder],
             path: { _ in SiteRoute.action(.interventionTypeEdit, code: "oko").path }, fields: [("naam", "OKO"), ("beschrijving", "IJslands model")],
             success: .seeOther),
        Case(pattern: .jointDuidingen, label: "vergelijkbare gemeenten uitnodigen om samen te duiden", allowed: [.analist, .beheerder],
             path: { _ in SiteRoute.jointDuidingen("GM0363").path },
             fields: [("titel", "Samen"), ("uitnodigen", "GM0014"), ("indicator", "kindmonitor_speelt_buiten"), ("periode", "2023")], success: .seeOther),
        Case(pattern: .jointDuidingAnswer, label: "eigen antwoorden in een gezamenlijke duiding", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.jointDuidingAnswer, id: $0.jointDuiding.id).path },
             fields: [("gemeente", "GM0363"), ("vraag-herkennen", "Ja")], success: .seeOther),
        Case(pattern: .jointDuidingPublish, label: "instemmen met publiceren van een gezamenlijke duiding", allowed: [.analist, .beheerder],
             path: { SiteRoute.action(.jointDuidingPublish, id: $0.jointDuiding.id).path }, fields: [("gemeente", "GM0363")], success: .seeOther),
        Case(pattern: .embedOrigins, label: "herkomsten voor het insluiten", allowed: [.beheerder], path: { _ in SiteRoute.embedOrigins.path },
             fields: [("herkomsten", "https://www.amsterdam.nl")], success: .ok),
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
