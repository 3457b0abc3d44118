import Foundation

/// Every path of the site, in one place. Handlers are registered from ``SiteRoute/Pattern``
/// and every link is built from a ``SiteRoute`` value, so no path is spelled twice.
public enum SiteRoute: Hashable, Sendable {
    case home
    case gemeenten
    case gemeente(String)
    case peers(String)
    case wijk(String)
    case buurt(String)
    case indicatoren
    case indicator(String)
    case versions(String)
    case lantaarnpaal
    case privacy
    case meetlast
    case map(String)
    case mapSVG(String)
    case export(String)
    case health
    case version
    case stylesheet
    case apiGemeenten
    case apiGemeente(String)
    case apiPeers(String)
    case apiWijk(String)
    case apiBuurt(String)
    case apiIndicatoren
    case apiIndicator(String)
    case apiWaarden
    case apiLantaarnpaal
    case apiMeetlast
    case apiOpenAPI
    case login
    case logout
    case password
    case accounts
    case account(Int)
    case audit
    case ggdMapping
    case drafts(String)
    case localIndicators(String)
    case localIndicator(String, Int)
    case apiLocalIndicators(String)
    case draft(String, Int)
    case dialogues(String)
    case newDialogue(String)
    case dialogue(String, Int)
    case editDialogue(String, Int)
    case apiDialogues(String)
    case board(String)
    case boardItem(String, Int)
    case apiBoard(String)
    case report(String)
    case expectedCare
    case careModel
    case apiExpectedCare
    case apiCareModel
    case interventions(String)
    case intervention(String, Int)
    case apiInterventions(String)
    case networks(String)
    case network(String, Int)
    case apiNetworks(String)
    case facilities(String)
    case apiFacilities(String)
    case questionnaires(String)
    case questionnaire(String, Int)
    case apiQuestionnaires(String)
    case respond(String)
    case evaluations
    case evaluation(Int)
    case apiEvaluations
    case documents
    case documentRules
    case apiDocumentAnalysis
    case search
    case apiSearch

    /// Registration patterns, with `{code}` / `{id}` placeholders.
    public enum Pattern: String, CaseIterable, Sendable {
        case home = "/"
        case gemeenten = "/gemeenten"
        case gemeente = "/gemeenten/{code}"
        case peers = "/gemeenten/{code}/vergelijkbaar"
        case wijk = "/wijken/{code}"
        case buurt = "/buurten/{code}"
        case indicatoren = "/indicatoren"
        case indicator = "/indicatoren/{id}"
        /// Every version of one figure: `?gebied=GM0363&periode=2023`.
        case versions = "/indicatoren/{id}/versies"
        case lantaarnpaal = "/lantaarnpaal"
        /// The privacy rules: what is hidden and why, what it costs, what the site stores about people.
        case privacy = "/privacy"
        case meetlast = "/meetlast"
        /// Also serves `/kaart/{indicator}.svg` (the bare SVG).
        case map = "/kaart/{indicator}"
        case export = "/export/{indicator}"
        case health = "/-/health"
        case version = "/-/version"
        case stylesheet = "/static/pbmonitor.css"
        case apiGemeenten = "/api/v1/gemeenten"
        case apiGemeente = "/api/v1/gemeenten/{code}"
        case apiPeers = "/api/v1/gemeenten/{code}/vergelijkbaar"
        case apiWijk = "/api/v1/wijken/{code}"
        case apiBuurt = "/api/v1/buurten/{code}"
        case apiIndicatoren = "/api/v1/indicatoren"
        case apiIndicator = "/api/v1/indicatoren/{id}"
        case apiWaarden = "/api/v1/waarden"
        case apiLantaarnpaal = "/api/v1/lantaarnpaal"
        case apiMeetlast = "/api/v1/meetlast"
        case apiOpenAPI = "/api/v1/openapi.json"
        /// GET the form, POST the name and password (`?terug=` a local path to return to).
        case login = "/inloggen"
        /// POST ends the session (GET shows a button, for a page without the menu).
        case logout = "/uitloggen"
        /// The logged-in user's own password.
        case password = "/account/wachtwoord"
        /// Beheerders: the accounts, and POST to add one.
        case accounts = "/beheer/gebruikers"
        /// Beheerders: one account; POST `actie=rol|wachtwoord|verwijderen`.
        case account = "/beheer/gebruikers/{id}"
        /// Beheerders: the audit log (`?formaat=csv|json` to export).
        case audit = "/beheer/audit"
        /// Beheerders: how subjects in GGD exports map to indicators; POST `actie=opslaan|verwijderen`.
        case ggdMapping = "/beheer/ggd-koppeling"
        /// A gemeente's users: its draft local figures, and POST a file to add one.
        case drafts = "/gemeenten/{code}/concepten"
        /// One draft: its figures before publication; POST `actie=publiceren|intrekken`.
        case draft = "/gemeenten/{code}/concepten/{id}"
        /// A gemeente's own indicators (its users only) and the form for a new one; POST saves a concept (`?kopie=` starts from one).
        case localIndicators = "/gemeenten/{code}/eigen-indicatoren"
        /// One own indicator (`?formaat=yaml` downloads its catalogue entry); POST `actie=wijzigen|publiceren|intrekken|delen|niet-delen`.
        case localIndicator = "/gemeenten/{code}/eigen-indicatoren/{id}"
        /// The published own indicators of a gemeente that the visitor may see.
        case apiLocalIndicators = "/api/v1/gemeenten/{code}/eigen-indicatoren"
        /// "Wat zeggen we ervan": a gemeente's dialogue records (published for all, concepts for its users).
        case dialogues = "/gemeenten/{code}/duiding"
        /// GET the form (`?indicator=&gebied=&periode=` to start from a figure, `?soort=spiegel`), POST to save a concept.
        case newDialogue = "/gemeenten/{code}/duiding/nieuw"
        /// One record; POST `actie=publiceren|intrekken`.
        case dialogue = "/gemeenten/{code}/duiding/{id}"
        /// The form for a concept; POST to save it.
        case editDialogue = "/gemeenten/{code}/duiding/{id}/bewerken"
        case apiDialogues = "/api/v1/gemeenten/{code}/duiding"
        /// The gespreksmodel: the board (published items for all, concepts for the gemeente's users);
        /// POST adds an item (`?voorbeeld=` prefills the form with one of the report's examples).
        case board = "/gemeenten/{code}/gespreksmodel"
        /// One item and its answers; POST `actie=antwoorden|wijzigen|publiceren|intrekken`.
        case boardItem = "/gemeenten/{code}/gespreksmodel/{id}"
        case apiBoard = "/api/v1/gemeenten/{code}/gespreksmodel"
        /// The report of a gemeente, printable (`?formaat=markdown` for Markdown).
        case report = "/gemeenten/{code}/rapport"
        /// Expected versus actual youth care: three maps and a table (`?niveau=gemeente|wijk&gemeente=`).
        case expectedCare = "/jeugdzorg/verwacht"
        /// The model behind it: coefficients, fit, method.
        case careModel = "/jeugdzorg/model"
        case apiExpectedCare = "/api/v1/jeugdzorg/verwacht"
        case apiCareModel = "/api/v1/jeugdzorg/model"
        /// Effect designs of a gemeente (`?doelwijken=` suggests comparison wijken); POST registers one.
        case interventions = "/gemeenten/{code}/interventies"
        /// One intervention: baseline, difference in differences, MKBA, versions; POST `actie=wijzigen|mkba|publiceren|intrekken`.
        case intervention = "/gemeenten/{code}/interventies/{id}"
        case apiInterventions = "/api/v1/gemeenten/{code}/interventies"
        /// Informal network maps per wijk; POST adds one.
        case networks = "/gemeenten/{code}/netwerken"
        /// One map: drawing, measures, change; POST `actie=wijzigen|publiceren|intrekken`.
        case network = "/gemeenten/{code}/netwerken/{id}"
        case apiNetworks = "/api/v1/gemeenten/{code}/netwerken"
        /// The voorzieningen register (`?formaat=csv|excel` to download); POST `actie=uploaden|toevoegen|publiceren`.
        case facilities = "/gemeenten/{code}/voorzieningen"
        case apiFacilities = "/api/v1/gemeenten/{code}/voorzieningen"
        /// Questionnaires of a gemeente; POST `actie=nieuw` (from a template).
        case questionnaires = "/gemeenten/{code}/vragenlijsten"
        /// One questionnaire: builder, rounds, results; POST `actie=wijzigen|publiceren|kopie|ronde-openen|ronde-sluiten|ronde-publiceren`.
        case questionnaire = "/gemeenten/{code}/vragenlijsten/{id}"
        case apiQuestionnaires = "/api/v1/gemeenten/{code}/vragenlijsten"
        /// The anonymous respondent's pages (the round's link secret is the token); POST carries the answers page by page.
        case respond = "/vragenlijst/{token}"
        /// The evaluatiebank: faceted and full-text search, `?formaat=csv`; POST submits a study (analisten), reviewed by a beheerder.
        case evaluations = "/evaluaties"
        /// One study (`?bestand=ja` downloads its file); POST `actie=goedkeuren|afwijzen` (beheerder).
        case evaluation = "/evaluaties/{id}"
        case apiEvaluations = "/api/v1/evaluaties"
        /// Council documents: a term per year and gemeente, in context, goal sentences with perspectives (`?term=`, `?formaat=csv`); POST uploads.
        case documents = "/documenten"
        /// The analysis's keyword rules; POST saves them (beheerder).
        case documentRules = "/documenten/regels"
        case apiDocumentAnalysis = "/api/v1/documenten/analyse"
        /// Full-text search over documents and studies (`?q=`, `?in=documenten|evaluaties`).
        case search = "/zoeken"
        case apiSearch = "/api/v1/zoeken"

        /// Routes that change state (they take a POST with a CSRF token); all others are GET only.
        public var changesState: Bool {
            switch self {
            case .login, .logout, .password, .accounts, .account, .ggdMapping, .drafts, .draft, .localIndicators, .localIndicator, .newDialogue, .dialogue, .editDialogue, .board, .boardItem, .interventions, .intervention, .networks, .network, .facilities,
                 .questionnaires, .questionnaire, .respond, .evaluations, .evaluation, .documents, .documentRules, .versions: true
            default: false
            }
        }
    }

    /// The concrete path.
    public var path: String {
        switch self {
        case .home: "/"
        case .gemeenten: "/gemeenten"
        case .gemeente(let code): "/gemeenten/\(code.urlPathEscaped)"
        case .peers(let code): "/gemeenten/\(code.urlPathEscaped)/vergelijkbaar"
        case .wijk(let code): "/wijken/\(code.urlPathEscaped)"
        case .buurt(let code): "/buurten/\(code.urlPathEscaped)"
        case .indicatoren: "/indicatoren"
        case .indicator(let id): "/indicatoren/\(id.urlPathEscaped)"
        case .versions(let id): "/indicatoren/\(id.urlPathEscaped)/versies"
        case .lantaarnpaal: "/lantaarnpaal"
        case .privacy: "/privacy"
        case .meetlast: "/meetlast"
        case .map(let id): "/kaart/\(id.urlPathEscaped)"
        case .mapSVG(let id): "/kaart/\(id.urlPathEscaped).svg"
        case .export(let id): "/export/\(id.urlPathEscaped)"
        case .health: "/-/health"
        case .version: "/-/version"
        case .stylesheet: "/static/pbmonitor.css"
        case .apiGemeenten: "/api/v1/gemeenten"
        case .apiGemeente(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)"
        case .apiPeers(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/vergelijkbaar"
        case .apiWijk(let code): "/api/v1/wijken/\(code.urlPathEscaped)"
        case .apiBuurt(let code): "/api/v1/buurten/\(code.urlPathEscaped)"
        case .apiIndicatoren: "/api/v1/indicatoren"
        case .apiIndicator(let id): "/api/v1/indicatoren/\(id.urlPathEscaped)"
        case .apiWaarden: "/api/v1/waarden"
        case .apiLantaarnpaal: "/api/v1/lantaarnpaal"
        case .apiMeetlast: "/api/v1/meetlast"
        case .apiOpenAPI: "/api/v1/openapi.json"
        case .login: "/inloggen"
        case .logout: "/uitloggen"
        case .password: "/account/wachtwoord"
        case .accounts: "/beheer/gebruikers"
        case .account(let id): "/beheer/gebruikers/\(id)"
        case .audit: "/beheer/audit"
        case .ggdMapping: "/beheer/ggd-koppeling"
        case .drafts(let code): "/gemeenten/\(code.urlPathEscaped)/concepten"
        case .draft(let code, let id): "/gemeenten/\(code.urlPathEscaped)/concepten/\(id)"
        case .localIndicators(let code): "/gemeenten/\(code.urlPathEscaped)/eigen-indicatoren"
        case .localIndicator(let code, let id): "/gemeenten/\(code.urlPathEscaped)/eigen-indicatoren/\(id)"
        case .apiLocalIndicators(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/eigen-indicatoren"
        case .dialogues(let code): "/gemeenten/\(code.urlPathEscaped)/duiding"
        case .newDialogue(let code): "/gemeenten/\(code.urlPathEscaped)/duiding/nieuw"
        case .dialogue(let code, let id): "/gemeenten/\(code.urlPathEscaped)/duiding/\(id)"
        case .editDialogue(let code, let id): "/gemeenten/\(code.urlPathEscaped)/duiding/\(id)/bewerken"
        case .apiDialogues(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/duiding"
        case .board(let code): "/gemeenten/\(code.urlPathEscaped)/gespreksmodel"
        case .boardItem(let code, let id): "/gemeenten/\(code.urlPathEscaped)/gespreksmodel/\(id)"
        case .apiBoard(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/gespreksmodel"
        case .report(let code): "/gemeenten/\(code.urlPathEscaped)/rapport"
        case .expectedCare: "/jeugdzorg/verwacht"
        case .careModel: "/jeugdzorg/model"
        case .apiExpectedCare: "/api/v1/jeugdzorg/verwacht"
        case .apiCareModel: "/api/v1/jeugdzorg/model"
        case .interventions(let code): "/gemeenten/\(code.urlPathEscaped)/interventies"
        case .intervention(let code, let id): "/gemeenten/\(code.urlPathEscaped)/interventies/\(id)"
        case .apiInterventions(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/interventies"
        case .networks(let code): "/gemeenten/\(code.urlPathEscaped)/netwerken"
        case .network(let code, let id): "/gemeenten/\(code.urlPathEscaped)/netwerken/\(id)"
        case .apiNetworks(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/netwerken"
        case .facilities(let code): "/gemeenten/\(code.urlPathEscaped)/voorzieningen"
        case .apiFacilities(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/voorzieningen"
        case .questionnaires(let code): "/gemeenten/\(code.urlPathEscaped)/vragenlijsten"
        case .questionnaire(let code, let id): "/gemeenten/\(code.urlPathEscaped)/vragenlijsten/\(id)"
        case .apiQuestionnaires(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/vragenlijsten"
        case .respond(let token): "/vragenlijst/\(token.urlPathEscaped)"
        case .evaluations: "/evaluaties"
        case .evaluation(let id): "/evaluaties/\(id)"
        case .apiEvaluations: "/api/v1/evaluaties"
        case .documents: "/documenten"
        case .documentRules: "/documenten/regels"
        case .apiDocumentAnalysis: "/api/v1/documenten/analyse"
        case .search: "/zoeken"
        case .apiSearch: "/api/v1/zoeken"
        }
    }

    /// The path with a query string (empty values are left out).
    public func url(_ query: [(String, String?)] = []) -> String {
        let items = query.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(key)=\(value.urlQueryEscaped)"
        }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// The profile page of an area, by its kind.
    public static func profile(_ code: String) -> SiteRoute? {
        switch code.prefix(2) {
        case "GM": .gemeente(code)
        case "WK": .wijk(code)
        case "BU": .buurt(code)
        default: nil
        }
    }
}

extension String {
    var urlPathEscaped: String { addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? self }
    var urlQueryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
