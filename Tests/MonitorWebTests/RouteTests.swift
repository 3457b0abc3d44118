import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

/// Runs requests against the app built by the composition root, on the shared test store.
@Suite("Routes")
struct RouteTests {
    @Test func everyRoutePatternHasOneCaseAndAPath() {
        let paths = SiteRoute.Pattern.allCases.map(\.rawValue)
        #expect(Set(paths).count == paths.count)
        #expect(SiteRoute.municipality("GM0363").path == "/gemeenten/GM0363")
        #expect(SiteRoute.district("WK0363AA").path == "/wijken/WK0363AA")
        #expect(SiteRoute.apiValues.url([("indicator", "inwoners"), ("gebied", nil), ("periode", "2023")]) == "/api/v1/waarden?indicator=inwoners&periode=2023")
        #expect(SiteRoute.profile("BU0363AA01") == .neighbourhood("BU0363AA01"))
    }

    @Test func aSearchFromAGetFormWithPlusForSpacesFindsTheGemeente() async throws {
        try await withApp { client in
            let found = try await client.execute(uri: "/api/v1/gemeenten?q=+Schiermonnikoog+", method: .get)
                .decode(ListBody<MunicipalityController.GemeenteItem>.self)
            #expect(found.items.map(\.code) == ["GM0088"])
            let literal = try await client.execute(uri: "/api/v1/gemeenten?q=Schiermonnikoog%2B", method: .get)
                .decode(ListBody<MunicipalityController.GemeenteItem>.self)
            #expect(literal.items.isEmpty, "an encoded plus stays a plus")
        }
    }

    @Test func everyRegisteredPatternAnswers() async throws {
        try await withApp { client in
            let concrete: [SiteRoute.Pattern: String] = [
                .home: "/", .municipalities: "/gemeenten", .municipality: "/gemeenten/GM0363", .district: "/wijken/WK0363AA",
                .neighbourhood: "/buurten/BU0363AA01", .indicators: "/indicatoren", .indicator: "/indicatoren/inwoners",
                .versions: "/indicatoren/inwoners/versies?gebied=GM0363&periode=2023",
                .health: "/-/health", .version: "/-/version", .metrics: "/-/metrics", .stylesheet: "/static/pbmonitor.css",
                .apiMunicipalities: "/api/v1/gemeenten", .apiMunicipality: "/api/v1/gemeenten/GM0363", .apiDistrict: "/api/v1/wijken/WK0363AA",
                .apiNeighbourhood: "/api/v1/buurten/BU0363AA01", .apiIndicators: "/api/v1/indicatoren",
                .apiIndicator: "/api/v1/indicatoren/inwoners", .apiValues: "/api/v1/waarden",
                .lamppost: "/lantaarnpaal", .privacy: "/privacy", .accessibility: "/toegankelijkheid", .contact: "/contact", .burden: "/meetlast", .apiLamppost: "/api/v1/lantaarnpaal",
                .apiBurden: "/api/v1/meetlast", .peers: "/gemeenten/GM0363/vergelijkbaar",
                .apiPeers: "/api/v1/gemeenten/GM0363/vergelijkbaar", .map: "/kaart/inwoners", .export: "/export/inwoners", .apiOpenAPI: "/api/v1/openapi.json",
                .login: "/inloggen", .logout: "/uitloggen", .password: "/account/wachtwoord", .accounts: "/beheer/gebruikers",
                .account: "/beheer/gebruikers/1", .audit: "/beheer/audit", .ggdMapping: "/beheer/ggd-koppeling",
                .drafts: "/gemeenten/GM0363/concepten", .draft: "/gemeenten/GM0363/concepten/1",
                .localIndicators: "/gemeenten/GM0363/eigen-indicatoren", .localIndicator: "/gemeenten/GM0363/eigen-indicatoren/1",
                .apiLocalIndicators: "/api/v1/gemeenten/GM0363/eigen-indicatoren",
                .dialogues: "/gemeenten/GM0363/duiding", .apiDialogues: "/api/v1/gemeenten/GM0363/duiding",
                .newDialogue: "/gemeenten/GM0363/duiding/nieuw", .dialogue: "/gemeenten/GM0363/duiding/1",
                .editDialogue: "/gemeenten/GM0363/duiding/1/bewerken",
                .conversationBoard: "/gemeenten/GM0363/gespreksmodel", .conversationBoardItem: "/gemeenten/GM0363/gespreksmodel/1",
                .apiConversationBoard: "/api/v1/gemeenten/GM0363/gespreksmodel", .report: "/gemeenten/GM0363/rapport",
                .expectedCare: "/jeugdzorg/verwacht", .careModel: "/jeugdzorg/model", .apiExpectedCare: "/api/v1/jeugdzorg/verwacht",
                .apiCareModel: "/api/v1/jeugdzorg/model", .interventions: "/gemeenten/GM0363/interventies",
                .intervention: "/gemeenten/GM0363/interventies/1", .apiInterventions: "/api/v1/gemeenten/GM0363/interventies",
                .facilities: "/gemeenten/GM0363/voorzieningen", .apiFacilities: "/api/v1/gemeenten/GM0363/voorzieningen",
                .networks: "/gemeenten/GM0363/netwerken", .network: "/gemeenten/GM0363/netwerken/1", .apiNetworks: "/api/v1/gemeenten/GM0363/netwerken",
                .questionnaires: "/gemeenten/GM0363/vragenlijsten", .questionnaire: "/gemeenten/GM0363/vragenlijsten/1",
                .apiQuestionnaires: "/api/v1/gemeenten/GM0363/vragenlijsten", .respond: "/vragenlijst/onbekende-link",
                .evaluations: "/evaluaties", .evaluation: "/evaluaties/999999", .apiEvaluations: "/api/v1/evaluaties", .documents: "/documenten",
                .documentRules: "/documenten/regels", .apiDocumentAnalysis: "/api/v1/documenten/analyse", .search: "/zoeken?q=opvoeden",
                .apiSearch: "/api/v1/zoeken?q=opvoeden", .kopgroepen: "/kopgroepen", .kopgroep: "/kopgroepen/1",
                .interventionTypes: "/interventietypen", .interventionType: "/interventietypen/buurtgezinnen",
                .embedCard: "/insluiten/inwoners/GM0363", .embedCardImage: "/insluiten/inwoners/GM0363/kaartje.svg",
                .figure: "/cijfers/inwoners/GM0363/2023", .apiOEmbed: "/api/v1/oembed?url=http%3A%2F%2F127.0.0.1%3A8080%2Fcijfers%2Finwoners%2FGM0363%2F2023",
                .embedOrigins: "/beheer/insluiten", .longExport: "/export-lang?indicator=inwoners&indicator=kindmonitor_speelt_buiten",
                .goodPractices: "/goede-voorbeelden", .jointDuidingen: "/gemeenten/GM0363/samen-duiden", .jointDuiding: "/samen-duiden/1",
            ]
            // Pages for logged-in users send an anonymous visitor to the login page.
            // Records of a gemeente that may be concepts: an anonymous visitor is sent to log in whether or not the id exists
            // (so nobody learns which concept ids exist).
            let needsAccount: Set<SiteRoute.Pattern> = [.password, .accounts, .account, .audit, .ggdMapping, .drafts, .draft, .localIndicators, .localIndicator, .newDialogue, .editDialogue,
                                                         .dialogue, .conversationBoardItem, .intervention, .network, .questionnaire, .kopgroepen, .kopgroep, .embedOrigins, .jointDuiding]
            // The shared store has no such records: the route answers, with "not found".
            let missing: Set<SiteRoute.Pattern> = [.respond, .evaluation]
            #expect(Set(concrete.keys) == Set(SiteRoute.Pattern.allCases.filter { !$0.isAction }), "elke route heeft een test-URL")
            for (pattern, path) in concrete {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == (needsAccount.contains(pattern) ? .seeOther : missing.contains(pattern) ? .notFound : .ok),
                            "\(pattern.rawValue) → \(path)")
                    // Only the embeddable card may be framed (by itself and the origins a beheerder lists; none here).
                    let framing = pattern == .embedCard ? "frame-ancestors 'self';" : "frame-ancestors 'none'"
                    #expect(response.headers[.contentSecurityPolicy]?.contains(framing) == true, "\(path)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                }
                // HEAD answers every GET address as GET does: same status, type and length, no body.
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == get.status && head.body.readableBytes == 0, "HEAD \(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(path): type")
                if pattern != .metrics, pattern != .health, get.status == .ok, let length = get.headers[.contentLength] {
                    #expect(head.headers[.contentLength] == length, "HEAD \(path): length")
                }
            }
        }
    }
}
