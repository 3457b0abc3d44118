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
        #expect(SiteRoute.gemeente("GM0363").path == "/gemeenten/GM0363")
        #expect(SiteRoute.wijk("WK0363AA").path == "/wijken/WK0363AA")
        #expect(SiteRoute.apiWaarden.url([("indicator", "inwoners"), ("gebied", nil), ("periode", "2023")]) == "/api/v1/waarden?indicator=inwoners&periode=2023")
        #expect(SiteRoute.profile("BU0363AA01") == .buurt("BU0363AA01"))
    }

    @Test func aSearchFromAGetFormWithPlusForSpacesFindsTheGemeente() async throws {
        try await withApp { client in
            let json = try await client.execute(uri: "/api/v1/gemeenten?q=+Schiermonnikoog+", method: .get).json()
            #expect((json["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["GM0088"])
            let literal = try await client.execute(uri: "/api/v1/gemeenten?q=Schiermonnikoog%2B", method: .get).json()
            #expect((literal["items"] as? [[String: Any]])?.isEmpty == true, "an encoded plus stays a plus")
        }
    }

    @Test func everyRegisteredPatternAnswers() async throws {
        try await withApp { client in
            let concrete: [SiteRoute.Pattern: String] = [
                .home: "/", .gemeenten: "/gemeenten", .gemeente: "/gemeenten/GM0363", .wijk: "/wijken/WK0363AA",
                .buurt: "/buurten/BU0363AA01", .indicatoren: "/indicatoren", .indicator: "/indicatoren/inwoners",
                .versions: "/indicatoren/inwoners/versies?gebied=GM0363&periode=2023",
                .health: "/-/health", .version: "/-/version", .stylesheet: "/static/pbmonitor.css",
                .apiGemeenten: "/api/v1/gemeenten", .apiGemeente: "/api/v1/gemeenten/GM0363", .apiWijk: "/api/v1/wijken/WK0363AA",
                .apiBuurt: "/api/v1/buurten/BU0363AA01", .apiIndicatoren: "/api/v1/indicatoren",
                .apiIndicator: "/api/v1/indicatoren/inwoners", .apiWaarden: "/api/v1/waarden",
                .lantaarnpaal: "/lantaarnpaal", .privacy: "/privacy", .meetlast: "/meetlast", .apiLantaarnpaal: "/api/v1/lantaarnpaal",
                .apiMeetlast: "/api/v1/meetlast", .peers: "/gemeenten/GM0363/vergelijkbaar",
                .apiPeers: "/api/v1/gemeenten/GM0363/vergelijkbaar", .map: "/kaart/inwoners", .export: "/export/inwoners", .apiOpenAPI: "/api/v1/openapi.json",
                .login: "/inloggen", .logout: "/uitloggen", .password: "/account/wachtwoord", .accounts: "/beheer/gebruikers",
                .account: "/beheer/gebruikers/1", .audit: "/beheer/audit", .ggdMapping: "/beheer/ggd-koppeling",
                .drafts: "/gemeenten/GM0363/concepten", .draft: "/gemeenten/GM0363/concepten/1",
                .localIndicators: "/gemeenten/GM0363/eigen-indicatoren", .localIndicator: "/gemeenten/GM0363/eigen-indicatoren/1",
                .apiLocalIndicators: "/api/v1/gemeenten/GM0363/eigen-indicatoren",
                .dialogues: "/gemeenten/GM0363/duiding", .apiDialogues: "/api/v1/gemeenten/GM0363/duiding",
                .newDialogue: "/gemeenten/GM0363/duiding/nieuw", .dialogue: "/gemeenten/GM0363/duiding/1",
                .editDialogue: "/gemeenten/GM0363/duiding/1/bewerken",
                .board: "/gemeenten/GM0363/gespreksmodel", .boardItem: "/gemeenten/GM0363/gespreksmodel/1",
                .apiBoard: "/api/v1/gemeenten/GM0363/gespreksmodel", .report: "/gemeenten/GM0363/rapport",
                .expectedCare: "/jeugdzorg/verwacht", .careModel: "/jeugdzorg/model", .apiExpectedCare: "/api/v1/jeugdzorg/verwacht",
                .apiCareModel: "/api/v1/jeugdzorg/model", .interventions: "/gemeenten/GM0363/interventies",
                .intervention: "/gemeenten/GM0363/interventies/1", .apiInterventions: "/api/v1/gemeenten/GM0363/interventies",
                .facilities: "/gemeenten/GM0363/voorzieningen", .apiFacilities: "/api/v1/gemeenten/GM0363/voorzieningen",
                .networks: "/gemeenten/GM0363/netwerken", .network: "/gemeenten/GM0363/netwerken/1", .apiNetworks: "/api/v1/gemeenten/GM0363/netwerken",
                .questionnaires: "/gemeenten/GM0363/vragenlijsten", .questionnaire: "/gemeenten/GM0363/vragenlijsten/1",
                .apiQuestionnaires: "/api/v1/gemeenten/GM0363/vragenlijsten", .respond: "/vragenlijst/onbekende-link",
                .evaluations: "/evaluaties", .evaluation: "/evaluaties/999999", .apiEvaluations: "/api/v1/evaluaties", .documents: "/documenten",
                .documentRules: "/documenten/regels", .apiDocumentAnalysis: "/api/v1/documenten/analyse", .search: "/zoeken?q=opvoeden",
                .apiSearch: "/api/v1/zoeken?q=opvoeden",
            ]
            // Pages for logged-in users send an anonymous visitor to the login page.
            // Records of a gemeente that may be concepts: an anonymous visitor is sent to log in whether or not the id exists
            // (so nobody learns which concept ids exist).
            let needsAccount: Set<SiteRoute.Pattern> = [.password, .accounts, .account, .audit, .ggdMapping, .drafts, .draft, .localIndicators, .localIndicator, .newDialogue, .editDialogue,
                                                         .dialogue, .boardItem, .intervention, .network, .questionnaire]
            // The shared store has no such records: the route answers, with "not found".
            let missing: Set<SiteRoute.Pattern> = [.respond, .evaluation]
            #expect(Set(concrete.keys) == Set(SiteRoute.Pattern.allCases.filter { !$0.isAction }), "elke route heeft een test-URL")
            for (pattern, path) in concrete {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == (needsAccount.contains(pattern) ? .seeOther : missing.contains(pattern) ? .notFound : .ok),
                            "\(pattern.rawValue) → \(path)")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                }
            }
        }
    }
}

@Suite("Acties als routes")
struct ActionRouteTests {
    @Test func everyActionIsAPostRouteOfItsOwnThatAGetDoesNotReach() async throws {
        #expect(!SiteRoute.Pattern.actions.isEmpty)
        #expect(Set(SiteRoute.Pattern.actions).count == SiteRoute.Pattern.actions.count)
        #expect(Set(SiteRoute.Pattern.allCases.filter(\.isAction)) == Set(SiteRoute.Pattern.actions), "Pattern.actions lists every action")
        try await withApp { client in
            for pattern in SiteRoute.Pattern.actions {
                #expect(pattern.changesState)
                let path = pattern.path(code: "GM0363", id: 1)
                try await client.execute(uri: path, method: .get) { response in
                    #expect([.notFound, .methodNotAllowed].contains(response.status), "GET \(path): \(response.status)")
                }
                // Without a session and a form token nothing happens.
                try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "csrf=x")) { response in
                    #expect(response.status == .forbidden, "POST \(path): \(response.status)")
                }
            }
        }
    }

    @Test func aFormOfAnEarlierVersionThatPostsActieToTheRecordReachesTheActionsRoute() {
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "publiceren") == .networkPublish)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/vragenlijsten/{id}", named: "ronde-openen") == .roundOpen)
        #expect(LegacyActions.action(under: "/documenten", named: "verwijderen") == .documentRemove)
        #expect(LegacyActions.action(under: "/beheer/gebruikers/{id}", named: "rol") == .accountRole)
        #expect(LegacyActions.parent(of: .networkPublish) == SiteRoute.Pattern.network.rawValue)
        // Only actions that exist: anything else is left to the page's own POST (or its 404).
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "verwijderen") == nil)
        #expect(LegacyActions.action(under: "/beheer/ggd-koppeling", named: "opslaan") == nil)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/vragenlijsten", named: "nieuw") == nil)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "../../x") == nil)
        // Every action hangs under a page of the route table.
        for action in SiteRoute.Pattern.actions { #expect(SiteRoute.Pattern(rawValue: LegacyActions.parent(of: action)) != nil, "\(action)") }
    }
}

@Suite("Pagina's")
struct PageTests {
    @Test func homeShowsThePlattegrondWithIndicatorCountsAndASearch() async throws {
        try await withApp { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                #expect(html.contains("<svg"))
                #expect(html.contains("Plattegrond van de pedagogische basis"))
                #expect(html.contains("relaties (weefsel)"))
                #expect(html.contains("Gemeentelijke beleidsdomeinen"))
                #expect(html.contains("href=\"/indicatoren#sfeer-hulp\""))
                #expect(html.contains("name=\"q\""))
                #expect(!html.contains("{{"))
            }
        }
    }

    @Test func municipalityListFiltersByNameProvinceAndGGD() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten", method: .get) { response in
                #expect(response.text.contains("3 van 3 gemeenten"))
                #expect(response.text.contains("href=\"/gemeenten/GM0363\""))
            }
            try await client.execute(uri: "/gemeenten?q=amster", method: .get) { response in
                #expect(response.text.contains("1 van 3 gemeenten"))
                #expect(response.text.contains("Amsterdam"))
                #expect(!response.text.contains("Schiermonnikoog</a>"))
            }
            try await client.execute(uri: "/gemeenten?provincie=PV20", method: .get) { response in
                #expect(response.text.contains("Groningen</a>"))
                #expect(!response.text.contains("Amsterdam</a>"))
            }
            try await client.execute(uri: "/api/v1/gemeenten?ggd=GG3406", method: .get) { response in
                let json = try response.json()
                #expect(json["total"] as? Int == 1)
            }
        }
    }

    @Test func gemeenteProfileGroupsFiguresBySphereWithNederlandAndWijken() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                let html = response.text
                #expect(response.status == .ok)
                #expect(response.headers[.init("Link")!]?.contains("/api/v1/gemeenten/GM0363") == true)
                #expect(html.contains("<h1>Amsterdam"))
                #expect(html.contains("id=\"sfeer-gezin\""))
                #expect(html.contains("id=\"sfeer-hulp\""))
                #expect(html.contains("10,7%"), "jeugdzorg in natura 2023")
                #expect(html.contains("10,9%"), "Nederland")
                #expect(html.contains("lager dan Nederland"))
                #expect(html.contains("CBS 85618NED"))
                #expect(html.contains("Haarlemmerbuurt"), "wijken in a table")
                #expect(html.contains("href=\"/wijken/WK0363AA\""))
                #expect(html.contains("rel=\"alternate\" type=\"application/json\""))
                #expect(!html.contains("{{"))
            }
        }
    }

    @Test func theWijkTableShowsTheChosenIndicator() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363?indicator=inwoners", method: .get) { response in
                #expect(response.text.contains("<option value=\"inwoners\" selected>"))
                #expect(response.text.contains("9.180"), "Haarlemmerbuurt 2024")
            }
            try await client.execute(uri: "/gemeenten/GM0363?indicator=bestaat_niet", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("onbekende indicator"))
            }
        }
    }

    @Test func wijkAndBuurtProfilesCompareWithTheirGemeente() async throws {
        try await withApp { client in
            try await client.execute(uri: "/wijken/WK0363AA", method: .get) { response in
                #expect(response.text.contains("Haarlemmerbuurt"))
                #expect(response.text.contains("<th scope=\"col\" class=\"num\">Amsterdam</th>"))
                #expect(response.text.contains("href=\"/buurten/BU0363AA01\""))
            }
            try await client.execute(uri: "/buurten/BU0363AA01", method: .get) { response in
                let html = response.text
                #expect(html.contains("Haarlemmerbuurt"))
                // CBS suppressed this buurt's income: "geen gegevens", never 0.
                let row = try #require(html.range(of: "Gemiddeld gestandaardiseerd inkomen van huishoudens</a></th>"))
                let cell = html[row.upperBound...].prefix(200)
                #expect(cell.contains("geen gegevens"))
                #expect(!cell.contains("€ 0"))
            }
        }
    }

    @Test func indicatorPageExplainsTheFigureAndShowsItsDistribution() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get) { response in
                let html = response.text
                #expect(html.contains("Jongeren met jeugdzorg in natura (%)"))
                #expect(html.contains("Kanttekeningen"))
                #expect(html.contains("Gebruiksvoorbeelden"))
                #expect(html.contains("class=\"histogram\""))
                #expect(html.contains("Nederland: <strong>10,9%</strong>"))
                #expect(html.contains("href=\"/gemeenten/GM0088\""))
            }
            try await client.execute(uri: "/indicatoren", method: .get) { response in
                #expect(response.text.contains("id=\"sfeer-georganiseerd\""))
                #expect(response.text.contains("Lid sportvereniging (%)"), "the kindmonitor is in the catalogue")
            }
        }
    }

    @Test func unknownPagesGetADutchNotFoundPage() async throws {
        try await withApp { client in
            for path in ["/gemeenten/GM9999", "/gemeenten/WK0363AA", "/wijken/XX", "/buurten/BU99999999", "/indicatoren/onbekend", "/bestaat/niet"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.text.contains("<title>Niet gevonden — pbmonitor</title>"))
                }
            }
        }
    }
}

@Suite("Verantwoord meten")
struct ResponsibleMeasuringTests {
    @Test func theLamppostShowsWhatIsNotMeasured() async throws {
        try await withApp { client in
            try await client.execute(uri: "/lantaarnpaal", method: .get) { response in
                let html = response.text
                #expect(html.contains("lantaarnpaaleffect"))
                #expect(html.contains("beschreven, niet gemeten"))
                #expect(html.contains("Relaties: het weefsel"))
                #expect(html.contains("ouders ↔ professionals"))
                #expect(html.contains("Houding</th>"))
                #expect(html.contains("positief geformuleerd"))
                #expect(html.contains("cijfers tot buurt"), "KWB figures reach down to buurten")
                #expect(html.contains("cijfers tot GGD-regio"), "the kindmonitor is regional only")
                #expect(html.contains("Context (telt niet mee)"))
                #expect(html.contains("De buitensfeer in drie lagen") && html.contains("jeugdhulp met verwijzing"))
            }
            try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get) { response in
                let json = try response.json()
                let cells = try #require(json["cellen"] as? [[String: Any]])
                #expect(cells.count == 20)
                func cell(_ sphere: String, _ perspective: String) throws -> [String: Any] {
                    try #require(cells.first { $0["sfeer"] as? String == sphere && $0["perspectief"] as? String == perspective })
                }
                // A lantaarnpaal of data: school × houding has definitions (the samenwerking scales) but no figure.
                let schoolHouding = try cell("school", "houding")
                #expect(schoolHouding["status"] as? String == "beschreven, niet gemeten")
                #expect(schoolHouding["aantal_met_cijfers"] as? Int == 0 && (schoolHouding["aantal_zonder_cijfers"] as? Int ?? 0) > 0)
                #expect(schoolHouding["leemte"] as? Bool == true)
                // Context lights no cell.
                for cell in cells { #expect(!((cell["indicatoren"] as? [String]) ?? []).contains("inwoners")) }
                let context = try #require(json["context"] as? [String: Any])
                #expect((context["indicatoren"] as? [String])?.contains("inwoners") == true)
                // Where there are figures, they count, per level.
                let gezinIdeaal = try cell("gezin", "ideaal")
                #expect((gezinIdeaal["aantal_met_cijfers"] as? Int ?? 0) > 0)
                #expect(((gezinIdeaal["per_niveau"] as? [String: Int])?["ggdregio"] ?? 0) > 0)
                #expect(!((gezinIdeaal["met_cijfers"] as? [String]) ?? []).contains("ww_per_1000"))
                let relations = try #require(json["relaties"] as? [[String: Any]])
                #expect(relations.count == 3)
                #expect(relations.contains { ($0["zonder_cijfers"] as? [String])?.contains("samenwerking_afstemmen") == true })
                #expect(json["relaties_weefsel"] as? Int == 0, "no questionnaire round in this database")
                // The buitensfeer in its three layers: jeugdzorg in natura counts two; the open layer has no figure.
                let layers = try #require(json["buitensfeer_lagen"] as? [[String: Any]])
                #expect(layers.map { $0["relatie"] as? String } == ["vrij_toegankelijk", "jeugdhulp", "jeugdbescherming"])
                #expect((layers[1]["met_cijfers"] as? [String])?.contains("jeugdzorg_in_natura_pct") == true)
                #expect((layers[0]["met_cijfers"] as? [String])?.isEmpty == true)
                let gaps = try #require(json["leemtes"] as? [[String: Any]])
                #expect(gaps.contains { $0["perspectief"] as? String == "houding" })
            }
        }
    }

    /// One gemeente's lantaarnpaal: per cell what has figures for the gemeente itself, only its region, only nationally.
    @Test func aGemeenteHasItsOwnLamppost() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=GM0363", method: .get) { response in
                let json = try response.json()
                #expect(json["gemeente"] as? String == "GM0363")
                let cells = try #require(json["cellen"] as? [[String: Any]])
                let hulp = try #require(cells.first { $0["sfeer"] as? String == "hulp" && $0["perspectief"] as? String == "instrumenteel" })
                let reach = try #require(hulp["per_bereik"] as? [String: [String]])
                #expect(reach["eigen"]?.contains("jeugdzorg_in_natura_pct") == true)
                #expect(Set(reach.keys) == ["eigen", "regio", "landelijk", "geen"])
            }
            try await client.execute(uri: "/lantaarnpaal?gemeente=GM0363", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Lantaarnpaal van Amsterdam"))
                #expect(response.text.contains("cijfers voor de gemeente zelf"))
            }
            try await client.execute(uri: "/lantaarnpaal?gemeente=GM9999", method: .get) { response in #expect(response.status == .notFound) }
            try await client.execute(uri: "/api/v1/lantaarnpaal?gemeente=amsterdam", method: .get) { response in #expect(response.status == .badRequest) }
        }
    }

    /// The home page counts what the API counts: nothing is written by hand.
    @Test func theHomePageCountsWhatTheAPICounts() async throws {
        try await withApp { client in
            let indicators = try #require(try await client.execute(uri: "/api/v1/indicatoren", method: .get).json()["items"] as? [[String: Any]])
            let lamppost = try await client.execute(uri: "/api/v1/lantaarnpaal", method: .get).json()
            let basis = indicators.filter { $0["rol"] as? String != "context" }.count
            let context = indicators.filter { $0["rol"] as? String == "context" }.count
            let cbs = indicators.filter { ($0["bron"] as? [String: Any])?["uitgever"] as? String == "CBS" }.count
            #expect(lamppost["totaal"] as? Int == basis)
            let measured = try #require(lamppost["totaal_met_cijfers"] as? Int)
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(html.contains("De monitor bevat nu \(indicators.count) indicatoren: \(basis) over de pedagogische basis en de buitensfeer, waarvan \(measured) met cijfers, en \(context) over de context"))
            #expect(html.contains("\(cbs) komen uit open data van het CBS"))
            #expect(!html.contains("\(indicators.count) indicatoren uit open data van het CBS"))
        }
    }

    /// `/indicatoren` filters on the national or local picture and on the role; context stands apart.
    @Test func theIndicatorListFiltersOnPictureAndRole() async throws {
        try await withApp { client in
            let local = try #require(try await client.execute(uri: "/api/v1/indicatoren?beeld=lokaal", method: .get).json()["items"] as? [[String: Any]])
            let national = try #require(try await client.execute(uri: "/api/v1/indicatoren?beeld=landelijk", method: .get).json()["items"] as? [[String: Any]])
            #expect(local.allSatisfy { ($0["beeld"] as? [String])?.contains("lokaal") == true })
            #expect(national.allSatisfy { ($0["beeld"] as? [String])?.contains("landelijk") == true })
            #expect(local.contains { $0["id"] as? String == "samenwerking_afstemmen" } && !national.contains { $0["id"] as? String == "samenwerking_afstemmen" })
            let context = try #require(try await client.execute(uri: "/api/v1/indicatoren?rol=context", method: .get).json()["items"] as? [[String: Any]])
            #expect(context.contains { $0["id"] as? String == "inwoners" } && context.allSatisfy { $0["rol"] as? String == "context" })
            #expect(try await client.execute(uri: "/api/v1/indicatoren?beeld=europees", method: .get).status == .badRequest)
            let html = try await client.execute(uri: "/indicatoren?beeld=lokaal", method: .get).text
            #expect(html.contains("Context (verklaart de basis, telt niet mee)"))
            #expect(html.contains(#"<option value="lokaal" selected>"#))
        }
    }

    @Test func theBurdenLedgerFlagsSurveyIndicatorsThatAreHardlyUsed() async throws {
        try await withApp { client in
            try await client.execute(uri: "/meetlast", method: .get) { response in
                #expect(response.text.contains("meetlast, weinig gebruik"))
                #expect(response.text.contains("bestaand register"))
            }
            try await client.execute(uri: "/api/v1/meetlast", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                let survey = try #require(items.first { $0["indicator"] as? String == "kindmonitor_opvoeding_moeilijk" })
                #expect(survey["producent"] as? String == "enquete")
                #expect((survey["minuten_per_respondent"] as? Double ?? 0) > 0)
                #expect(survey["gemarkeerd"] as? Bool == true)
                let register = try #require(items.first { $0["indicator"] as? String == "inwoners" })
                #expect(register["minuten_per_periode"] as? Double == 0)
                #expect(register["gemarkeerd"] as? Bool == false)
            }
        }
    }

    @Test func theKindmonitorIndicatorPageShowsTheRegionalTrend() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/kindmonitor_lid_sportvereniging", method: .get) { response in
                let html = response.text
                #expect(html.contains("GGD Hollands-Noorden"))
                #expect(html.contains("78,7%") && html.contains("83,1%") && html.contains("77,3%"))
                #expect(html.contains("−5,8 procentpunt sinds 2016"))
                #expect(html.contains("geen cijfers per gemeente"))
                #expect(html.contains("vragenlijst (enquête)"))
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=kindmonitor_lid_sportvereniging", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.map { $0["waarde"] as? Double } == [78.7, 83.1, 77.3])
                #expect(items.map { $0["periode"] as? String } == ["2011", "2016", "2021"])
            }
        }
    }

    @Test func everyIndicatorInTheAPIIsComplete() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count >= 30)
                for item in items {
                    for key in ["id", "naam", "definitie", "eenheid", "peilmoment", "polariteit", "lading", "leeftijd", "toelichting", "afleiding"] {
                        #expect(!((item[key] as? String) ?? "").isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                    for key in ["sferen", "perspectieven", "kennisvragen", "gebruiksvoorbeelden", "kanttekeningen"] {
                        #expect(!((item[key] as? [String]) ?? []).isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                    let table = ((item["bron"] as? [String: Any])?["tabel"] as? String) ?? ""
                    #expect(table.isEmpty == false)
                }
            }
        }
    }
}

@Suite("JSON-API")
struct APITests {
    @Test func waardenGivesTheValuesOfTheChecks() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023", method: .get) { response in
                let json = try response.json()
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items[0]["waarde"] as? Double == 918117)
                #expect(items[0]["status"] as? String == "waarde")
                #expect(items[0]["indicator"] as? String == "inwoners")
                #expect(items[0]["gebied"] as? String == "GM0363")
                #expect(items[0]["periode"] as? String == "2023")
                #expect(json["ok"] as? Bool == true)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=jeugdzorg_in_natura_pct&gebied=GM0363&periode=2023", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.first?["waarde"] as? Double == 10.7)
            }
        }
    }

    @Test func aValueWithoutANumberIsNullWithItsStatus() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=gestandaardiseerd_inkomen_hh&gebied=BU0363AA01&periode=2023", method: .get) { response in
                #expect(response.text.contains("\"waarde\":null"))
                #expect(response.text.contains("\"status\":\"onbekend\""))
            }
        }
    }

    @Test func waardenIsPagedWithANextURL() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&limit=5", method: .get) { response in
                let json = try response.json()
                #expect((json["items"] as? [Any])?.count == 5)
                #expect((json["total"] as? Int ?? 0) > 5)
                #expect((json["next_url"] as? String)?.contains("offset=5") == true)
            }
        }
    }

    @Test func profilesAndIndicatorsHaveJSONTwins() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/gemeenten/GM0363", method: .get) { response in
                let json = try response.json()
                #expect((json["gebied"] as? [String: Any])?["naam"] as? String == "Amsterdam")
                #expect(((json["deelgebieden"] as? [Any])?.count ?? 0) > 90)
                #expect(((json["waarden"] as? [Any])?.count ?? 0) > 10)
            }
            try await client.execute(uri: "/api/v1/indicatoren", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count >= 10)
                for item in items {
                    for key in ["naam", "definitie", "toelichting", "peilmoment", "leeftijd"] {
                        #expect(!((item[key] as? String) ?? "").isEmpty, "\(item["id"] ?? "?").\(key)")
                    }
                }
            }
            try await client.execute(uri: "/api/v1/indicatoren/bijstand_per_1000", method: .get) { response in
                let json = try response.json()
                #expect(((json["indicator"] as? [String: Any])?["formule"] as? [String: Any])?["noemer"] as? String == "inwoners")
                #expect((json["gemeenten"] as? [Any])?.count == 3)
            }
        }
    }

    @Test func everyAPIRouteAnswersErrorsInOneShape() async throws {
        try await withApp { client in
            let bad = ["/api/v1/gemeenten/GM9999", "/api/v1/wijken/WK99999999", "/api/v1/buurten/nope", "/api/v1/indicatoren/nope",
                       "/api/v1/waarden?indicator=nope", "/api/v1/waarden?gebied=Amsterdam", "/api/v1/waarden?limit=0",
                       "/api/v1/waarden?offset=-1", "/api/v1/waarden?gebied=GM9999", "/api/v1/indicatoren/inwoners?periode=1999",
                       "/api/v1/bestaat-niet"]
            for path in bad {
                try await client.execute(uri: path, method: .get) { response in
                    #expect([.notFound, .badRequest].contains(response.status), "\(path)")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                    let json = try response.json()
                    #expect(json["ok"] as? Bool == false)
                    #expect(json["status"] as? Int == Int(response.status.code))
                    #expect(!((json["error"] as? String) ?? "").isEmpty)
                    #expect((json["errors"] as? [String])?.isEmpty == false)
                }
            }
        }
    }

    /// Every `/api/v1` route, taken from the route table (so a new one is walked too): asked about a gemeente, area, indicator
    /// or record that does not exist, or with a parameter that cannot be right, it answers in the one error shape; and
    /// every list of a gemeente's records has the one list shape (`items`, `total`).
    @Test func everyAPIRouteInTheRouteTableAnswersInTheSharedShapes() async throws {
        try await withApp { client in
            for pattern in SiteRoute.Pattern.allCases where pattern.rawValue.hasPrefix("/api/v1/") && pattern != .apiOpenAPI {
                let wrong = pattern.rawValue.replacingOccurrences(of: "{code}", with: "GM9999").replacingOccurrences(of: "{id}", with: "bestaat_niet")
                let badParameter = pattern.rawValue.replacingOccurrences(of: "{code}", with: "GM0363").replacingOccurrences(of: "{id}", with: "inwoners")
                    + "?limit=0&offset=-1&indicator=bestaat_niet&gebied=Amsterdam&niveau=maan&periode=1800&q=&versie=0&k=0&term=&gemeente=XX"
                for path in [wrong, badParameter] where path.contains("GM9999") || path.contains("bestaat_niet") || path.contains("?") {
                    try await client.execute(uri: path, method: .get) { response in
                        guard response.status != .ok else { return }  // a route without parameters that could be wrong
                        #expect([.notFound, .badRequest].contains(response.status), "\(path): \(response.status)")
                        #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                        let json = try response.json()
                        #expect(json["ok"] as? Bool == false, "\(path)")
                        #expect(json["status"] as? Int == Int(response.status.code), "\(path)")
                        #expect(!((json["error"] as? String) ?? "").isEmpty, "\(path)")
                        #expect((json["errors"] as? [String])?.isEmpty == false, "\(path)")
                    }
                }
            }
            let gemeenteLists: [SiteRoute] = [.apiDialogues("GM0363"), .apiBoard("GM0363"), .apiInterventions("GM0363"), .apiNetworks("GM0363"),
                                              .apiFacilities("GM0363"), .apiQuestionnaires("GM0363"), .apiLocalIndicators("GM0363")]
            for route in gemeenteLists {
                try await client.execute(uri: route.path, method: .get) { response in
                    #expect(response.status == .ok, "\(route.path)")
                    let json = try response.json()
                    #expect(json["ok"] as? Bool == true && json["gemeente"] as? String == "GM0363" && json["naam"] as? String == "Amsterdam", "\(route.path)")
                    let items = json["items"] as? [Any]
                    #expect(items != nil && json["total"] as? Int == items?.count, "\(route.path): items and total")
                }
            }
        }
    }

    @Test func healthAndVersionAnswer() async throws {
        try await withApp { client in
            try await client.execute(uri: "/-/health", method: .get) { response in
                let json = try response.json()
                #expect(json["ok"] as? Bool == true)
            }
            try await client.execute(uri: "/-/version", method: .get) { response in
                let json = try response.json()
                #expect(json["versie"] as? String != nil)
            }
        }
    }
}

@Suite("Vergelijken, kaarten")
struct ComparisonAndMapTests {
    @Test func peersAreExplainedAndTheVariablesCanBeChosen() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar", method: .get) { response in
                let json = try response.json()
                let peers = try #require(json["vergelijkbaar"] as? [[String: Any]])
                // The test store holds three gemeenten; Schiermonnikoog lacks a context variable, so Groningen remains.
                #expect(peers.compactMap { $0["code"] as? String } == ["GM0014"])
                #expect((peers.first?["aandelen"] as? [String: Double])?.count == 6)
                #expect((json["groepen"] as? [String: Any])?["ggdregio"] != nil)
            }
            try await client.execute(uri: "/gemeenten/GM0363/vergelijkbaar?variabelen=inwoners&variabelen=leeftijd_65plus_pct&k=1", method: .get) { response in
                let html = response.text
                #expect(response.status == .ok)
                #expect(html.contains("van de afstand"))
                #expect(html.contains("name=\"variabelen\" value=\"leeftijd_65plus_pct\" checked"))
                #expect(!html.contains("name=\"variabelen\" value=\"gem_woz_waarde\" checked"))
            }
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar?variabelen=onzin", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            // A variable named twice (schemathesis found this one trapping the server): it counts once.
            for path in ["/api/v1/gemeenten/GM0363/vergelijkbaar?k=22&variabelen=gem_woz_waarde&variabelen=leeftijd_0_15_pct&variabelen=gem_woz_waarde",
                         "/gemeenten/GM0363/vergelijkbaar?variabelen=inwoners,inwoners&variabelen=inwoners"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar?variabelen=gem_woz_waarde&variabelen=gem_woz_waarde", method: .get) { response in
                let json = try response.json()
                #expect(json["variabelen"] as? [String] == ["gem_woz_waarde"])
            }
        }
    }

    @Test func theProfileComparesWithTheGGDRegionAndThePeerGroup() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                let html = response.text
                #expect(html.contains(">GGD Amsterdam</th>"))
                #expect(html.contains("Vergelijkbare gemeenten</a></th>"))
                #expect(html.contains("class=\"strip\""))
                #expect(html.contains("vergelijkbare gemeenten: mediaan"))
            }
        }
    }

    @Test func aGemeenteMapHasEveryGemeenteAsALinkedAreaAndALegend() async throws {
        try await withApp { client in
            try await client.execute(uri: "/kaart/jeugdzorg_in_natura_pct.svg", method: .get) { response in
                let svg = response.text
                #expect(response.headers[.contentType] == "image/svg+xml; charset=utf-8")
                // The test store holds three gemeenten (the CLI test checks all 342 on the full data).
                #expect(svg.components(separatedBy: "<a href=\"/gemeenten/").count - 1 == 3)
                #expect(svg.contains("<pattern id=\"map-geen-gegevens\""))
                #expect(svg.contains("geen gegevens ("))
                #expect(svg.contains("Amsterdam (GM0363): 10,7%"))
            }
            try await client.execute(uri: "/kaart/jeugdzorg_in_natura_pct?niveau=ggdregio&indeling=natuurlijk&klassen=3", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("natuurlijke grenzen"))
                #expect(response.text.contains("Dezelfde gegevens als tabel"))
            }
        }
    }

    @Test func aWijkMapOfAmsterdamHasItsWijkenAndHatchedNoDataAreas() async throws {
        try await withApp { client in
            try await client.execute(uri: "/kaart/gestandaardiseerd_inkomen_hh.svg?niveau=wijk&gemeente=GM0363", method: .get) { response in
                let svg = response.text
                let areas = svg.components(separatedBy: "<a href=\"/wijken/WK0363").count - 1
                #expect(areas > 90)
                #expect(svg.contains("Haarlemmerbuurt"))
                #expect(svg.contains("fill=\"url(#map-geen-gegevens)\""), "some wijken have no income figure")
            }
            try await client.execute(uri: "/kaart/inwoners?niveau=stad", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

@Suite("Herindeling")
struct MergerTests {
    @Test func aMadeUpMergerShowsTheSeriesOnTodaysBorders() async throws {
        try await TestStore.withLoadedStore { store, _ async throws in
            // Pretend Schiermonnikoog (GM0088) went into Groningen (GM0014) from 2024.
            try await store.addCodeChange(CodeChange(old: AreaCode("GM0088")!, new: AreaCode("GM0014")!, fromYear: 2024))
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                try await client.execute(uri: "/gemeenten/GM0014", method: .get) { response in
                    let html = response.text
                    #expect(html.contains("eerdere jaren op de huidige grenzen"))
                    // 2023: Groningen 238,147 + Schiermonnikoog 982 = 239,129; 2024: 243,768.
                    #expect(html.contains("2023: 239.129 (op de huidige grenzen samengesteld)"))
                    #expect(html.contains("+4.639 sinds 2023"))
                }
            }
        }
    }
}

@Suite("Foutmarges op het profiel")
struct MarginPageTests {
    @Test func aPageWithAConfidenceIntervalMarksOnlyDifferencesOutsideTheMargin() async throws {
        try await TestStore.withLoadedStore { store, _ async throws in
            // A survey figure with a margin: Nederland (10,9%) lies inside it, the peer median does not.
            let csv = """
                indicator,gebied,periode,waarde,n,ondergrens,bovengrens
                jeugdzorg_in_natura_pct,GM0014,2023,11.2,800,10.1,12.3
                """
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "marge.csv", catalog: store.catalog, period: nil))
            let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
            try await app.test(.router) { client in
                try await client.execute(uri: "/gemeenten/GM0014", method: .get) { response in
                    let html = response.text
                    let row = try #require(html.range(of: "Jongeren met jeugdzorg in natura (%)</a></th>"))
                    let cells = String(html[row.upperBound...].prefix(1500))
                    #expect(cells.contains("verschil met Nederland valt binnen de foutmarge"))
                    #expect(!cells.contains("hoger dan Nederland"))
                }
            }
        }
    }
}

@Suite("Downloads")
struct DownloadTests {
    @Test func everyTablePageOffersDownloadsAndTheyReturnTheSameFigures() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get) { response in
                #expect(response.text.contains("/export/jeugdzorg_in_natura_pct?niveau=gemeente&amp;periode=2023&amp;formaat=excel"))
            }
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                #expect(response.text.contains("/export/jeugdzorg_in_natura_pct?niveau=wijk&amp;gemeente=GM0363"))
            }
            try await client.execute(uri: "/export/jeugdzorg_in_natura_pct?niveau=gemeente&periode=2023&formaat=excel", method: .get) { response in
                #expect(response.headers[.contentDisposition]?.contains("pbmonitor-jeugdzorg_in_natura_pct-gemeente-2023.csv") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(";GM0363;Amsterdam;2023;10,7;waarde;"))
            }
            try await client.execute(uri: "/export/inwoners?niveau=buurt&gemeente=GM0088&formaat=json", method: .get) { response in
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [[String: Any]])
                #expect(!rows.isEmpty)
                // Small counts never leave the server, also not in exports.
                for row in rows { if let value = row["waarde"] as? Double { #expect(value >= 10) } }
            }
            try await client.execute(uri: "/export/inwoners?formaat=xls", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}

@Suite("OpenAPI")
struct OpenAPITests {
    @Test func theDescriptionCoversExactlyTheRegisteredAPIRoutes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                let json = try response.json()
                #expect(json["openapi"] as? String == "3.1.0")
                let paths = Set((json["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
                let registered = Set(SiteRoute.Pattern.allCases.filter { $0.rawValue.hasPrefix("/api/v1/") || $0.isAction }.map(\.rawValue))
                #expect(paths == registered)
            }
        }
    }
}

@Suite("Versies op de site")
struct VersionPageTests {
    @Test func theAPIGivesVersionsAndAPeildatumAndRefusesNonsense() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023&versies=alle", method: .get) { response in
                #expect(response.status == .ok)
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.count == 1)
                #expect(items.first?["versie"] as? Int == 1)
                #expect(items.first?["herzien"] as? Bool == false)
                #expect((items.first?["vastgelegd_op"] as? String)?.count ?? 0 >= 20)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2023&peildatum=2999-01-01", method: .get) { response in
                let items = try #require(try response.json()["items"] as? [[String: Any]])
                #expect(items.first?["waarde"] as? Double == 918117)
            }
            try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0363&peildatum=2000-01-01", method: .get) { response in
                let total = try response.json()["total"] as? Int
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
                    let items = try #require(try response.json()["items"] as? [[String: Any]])
                    #expect(items.map { $0["versie"] as? Int } == [1, 2])
                    #expect(items.last?["waarde"] as? Double == 1234)
                    #expect(items.last?["herzien"] as? Bool == true)
                    #expect(items.first?["vervangen_op"] as? String != nil)
                }
                try await client.execute(uri: "/api/v1/waarden?indicator=inwoners&gebied=GM0088&periode=2024&versie=1", method: .get) { response in
                    let items = try #require(try response.json()["items"] as? [[String: Any]])
                    #expect(items.count == 1)
                    #expect(items.first?["waarde"] as? Double != 1234)
                }
            }
        }
    }
}

@Suite("Instellingen")
struct ConfigurationDocumentationTests {
    /// The README's settings table is the one `MonitorConfiguration.keys` makes (a new setting is documented once).
    @Test func theReadmeListsEverySettingAsTheCodeDescribesIt() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- instellingen -->"))
        let end = try #require(readme.range(of: "<!-- /instellingen -->", range: start.upperBound..<readme.endIndex))
        let table = readme[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(table == MonitorConfiguration.markdownTable,
                "zet deze tabel in de README:\n\(MonitorConfiguration.markdownTable)")
    }

    @Test func aHelperProgramIsFoundThroughItsSettingOrThePath() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tool = directory.appendingPathComponent("pdftotext")
        try "#!/bin/sh\n".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["pdftotext"], environment: ["PBMONITOR_PDFTOTEXT": tool.path, "PATH": "/nergens"]) == tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["pdftotext"], environment: ["PATH": directory.path]) == tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["bestaat-niet"], environment: ["PBMONITOR_PDFTOTEXT": "/nergens/pdftotext", "PATH": "/nergens"]) == nil)
    }
}

@Suite("Formulieren met bestanden")
struct MultipartFormTests {
    static func body(_ disposition: String, content: String = "gebied,periode\n") -> (Data, String) {
        let boundary = "----grens7MA4YWxkTrZu0gW"
        let text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
            + "--\(boundary)\r\nContent-Disposition: \(disposition)\r\nContent-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        return (Data(text.utf8), "multipart/form-data; boundary=\(boundary)")
    }

    @Test func aFileNameKeepsItsQuotesSemicolonsAndAccents() {
        let cases: [(String, String)] = [
            (#"form-data; name="bestand"; filename="cijfers.csv""#, "cijfers.csv"),
            (#"form-data; name="bestand"; filename="wijk \"Oost\"; 2024.csv""#, #"wijk "Oost"; 2024.csv"#),
            (#"form-data; name="bestand"; filename="wijk %22Oost%22.csv""#, #"wijk "Oost".csv"#),
            (#"form-data; name="bestand"; filename="naief.csv"; filename*=UTF-8''na%C3%AFef%20%E2%80%93%20wijk.csv"#, "naïef – wijk.csv"),
            (#"FORM-DATA; NAME="bestand"; FILENAME="hoofdletters.csv""#, "hoofdletters.csv"),
        ]
        for (disposition, expected) in cases {
            let (data, type) = Self.body(disposition)
            let form = FormData(body: data, contentType: type)
            #expect(form["csrf"] == "abc", "\(disposition)")
            #expect(form.files["bestand"]?.fileName == expected, "\(disposition)")
            #expect(form.files["bestand"].map { String(decoding: $0.data, as: UTF8.self) } == "gebied,periode\n")
        }
    }

    @Test func aBrokenDispositionIsSkippedNotTrusted() {
        let (data, type) = Self.body(#"form-data; filename="zonder-naam.csv""#)
        #expect(FormData(body: data, contentType: type).files.isEmpty, "a part without a name is not a field")
        #expect(FormData.dispositionParameters(#" form-data; name="a;b=c"; x"#)["name"] == "a;b=c")
        #expect(FormData.dispositionParameters("form-data; filename*=KOI8-R''%C1")["filename*"] == nil, "an unknown charset is not guessed")
    }

    @Test func anUploadSplitIntoChunksAnywhereReadsTheSame() throws {
        // CRLF line endings and a line that starts like the boundary must stay in the file, wherever the network cuts.
        let content = "gebied,periode\r\n--grens,2024\r\nGM0363,2024\r\n"
        let (data, type) = Self.body(#"form-data; name="bestand"; filename="cijfers.csv""#, content: content)
        for size in [1, 2, 3, 7, 16, 64, data.count] {
            let reader = try #require(MultipartFormReader(contentType: type))
            var offset = 0
            while offset < data.count {
                try reader.feed(ByteBuffer(bytes: data[offset..<min(offset + size, data.count)]))
                offset += size
            }
            let form = try reader.finish()
            #expect(form["csrf"] == "abc", "chunks of \(size)")
            #expect(form.files["bestand"].map { String(decoding: $0.data, as: UTF8.self) } == content, "chunks of \(size)")
        }
    }

    @Test func aBodyThatIsNotMultipartIsRefusedNotGuessed() throws {
        let type = "multipart/form-data; boundary=grens"
        let reader = try #require(MultipartFormReader(contentType: type))
        #expect(throws: (any Error).self) { try reader.feed(ByteBuffer(string: "--grens\r\nkop zonder dubbele punt\r\n\r\nx\r\n--grens--\r\n")) }
        #expect(MultipartFormReader(contentType: "multipart/form-data") == nil, "no boundary: not read as multipart")
        #expect(MultipartFormReader(contentType: "application/x-www-form-urlencoded") == nil)
    }

    @Test func anEmptyFileInputIsNoUploadAndACutOffPartIsLeftOut() throws {
        let (empty, type) = Self.body(#"form-data; name="bestand"; filename="""#, content: "")
        #expect(FormData(body: empty, contentType: type).files.isEmpty)
        let (whole, _) = Self.body(#"form-data; name="bestand"; filename="a.csv""#)
        let cut = whole.prefix(whole.count - 20)
        let form = FormData(body: cut, contentType: type)
        #expect(form["csrf"] == "abc")
        #expect(form.files["bestand"] == nil, "a file whose end never arrived is not half-imported")
    }
}
