import Foundation

/// Every path of the site, in one place. Handlers are registered from ``SiteRoute/Pattern``
/// and every link is built from a ``SiteRoute`` value, so no path is spelled twice.
public enum SiteRoute: Hashable, Sendable {
    case home
    case municipalities
    case municipality(String)
    case peers(String)
    case district(String)
    case neighbourhood(String)
    case indicators
    case indicator(String)
    case versions(String)
    case lamppost
    case privacy
    case accessibility
    case contact
    case burden
    case map(String)
    case mapSVG(String)
    case export(String)
    case health
    case version
    case metrics
    case stylesheet
    case apiMunicipalities
    case apiMunicipality(String)
    case apiPeers(String)
    case apiDistrict(String)
    case apiNeighbourhood(String)
    case apiIndicators
    case apiIndicator(String)
    case apiValues
    case apiLamppost
    case apiBurden
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
    case conversationBoard(String)
    case conversationBoardItem(String, Int)
    case apiConversationBoard(String)
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
    case kopgroepen
    case kopgroep(Int)
    case interventionTypes
    case interventionType(String)
    case embedCard(String, String)
    case embedCardImage(String, String)
    case figure(String, String, String)
    case apiOEmbed
    case embedOrigins
    case longExport
    case goodPractices
    case jointDuidingen(String)
    case jointDuiding(Int)
    /// An action on a record or a register: a POST route of its own (``Pattern/isAction``), its `{code}` and `{id}` filled in.
    case action(Pattern, code: String? = nil, id: Int? = nil)

    /// Registration patterns, with `{code}` / `{id}` placeholders.
    public enum Pattern: String, CaseIterable, Sendable {
        case home = "/"
        case municipalities = "/gemeenten"
        case municipality = "/gemeenten/{code}"
        case peers = "/gemeenten/{code}/vergelijkbaar"
        case district = "/wijken/{code}"
        case neighbourhood = "/buurten/{code}"
        case indicators = "/indicatoren"
        case indicator = "/indicatoren/{id}"
        /// Every version of one figure: `?gebied=GM0363&periode=2023`.
        case versions = "/indicatoren/{id}/versies"
        case lamppost = "/lantaarnpaal"
        /// The privacy rules: what is hidden and why, what it costs, what the site stores about people.
        case privacy = "/privacy"
        /// The accessibility statement (the Dutch model: status, checks, what does not comply, feedback).
        case accessibility = "/toegankelijkheid"
        /// Who runs this installation and how to reach them (`PBMONITOR_CONTACT`).
        case contact = "/contact"
        case burden = "/meetlast"
        /// Also serves `/kaart/{indicator}.svg` (the bare SVG).
        case map = "/kaart/{indicator}"
        case export = "/export/{indicator}"
        case health = "/-/health"
        case version = "/-/version"
        /// Prometheus text format (request counts and durations, the response cache, connection waits, imports).
        case metrics = "/-/metrics"
        case stylesheet = "/static/pbmonitor.css"
        case apiMunicipalities = "/api/v1/gemeenten"
        case apiMunicipality = "/api/v1/gemeenten/{code}"
        case apiPeers = "/api/v1/gemeenten/{code}/vergelijkbaar"
        case apiDistrict = "/api/v1/wijken/{code}"
        case apiNeighbourhood = "/api/v1/buurten/{code}"
        case apiIndicators = "/api/v1/indicatoren"
        case apiIndicator = "/api/v1/indicatoren/{id}"
        case apiValues = "/api/v1/waarden"
        case apiLamppost = "/api/v1/lantaarnpaal"
        case apiBurden = "/api/v1/meetlast"
        case apiOpenAPI = "/api/v1/openapi.json"
        /// GET the form, POST the name and password (`?terug=` a local path to return to).
        case login = "/inloggen"
        /// POST ends the session (GET shows a button, for a page without the menu).
        case logout = "/uitloggen"
        /// The logged-in user's own password.
        case password = "/account/wachtwoord"
        /// Beheerders: the accounts, and POST to add one.
        case accounts = "/beheer/gebruikers"
        /// Beheerders: one account (its actions: ``accountRole``, ``accountPassword``, ``accountRemove``).
        case account = "/beheer/gebruikers/{id}"
        /// Beheerders: the audit log (`?formaat=csv|json` to export).
        case audit = "/beheer/audit"
        /// Beheerders: how subjects in GGD exports map to indicators; POST saves one (``ggdMappingRemove`` removes one).
        case ggdMapping = "/beheer/ggd-koppeling"
        /// A gemeente's users: its draft local figures, and POST a file to add one.
        case drafts = "/gemeenten/{code}/concepten"
        /// One draft: its figures before publication (``draftPublish``, ``draftWithdraw``).
        case draft = "/gemeenten/{code}/concepten/{id}"
        /// A gemeente's own indicators (its users only) and the form for a new one; POST saves a concept (`?kopie=` starts from one).
        case localIndicators = "/gemeenten/{code}/eigen-indicatoren"
        /// One own indicator (`?formaat=yaml` downloads its catalogue entry); its actions are the `localIndicator…` routes.
        case localIndicator = "/gemeenten/{code}/eigen-indicatoren/{id}"
        /// The published own indicators of a gemeente that the visitor may see.
        case apiLocalIndicators = "/api/v1/gemeenten/{code}/eigen-indicatoren"
        /// "Wat zeggen we ervan": a gemeente's dialogue records (published for all, concepts for its users).
        case dialogues = "/gemeenten/{code}/duiding"
        /// GET the form (`?indicator=&gebied=&periode=` to start from a figure, `?soort=spiegel`), POST to save a concept.
        case newDialogue = "/gemeenten/{code}/duiding/nieuw"
        /// One record (``dialoguePublish``, ``dialogueWithdraw``).
        case dialogue = "/gemeenten/{code}/duiding/{id}"
        /// The form for a concept; POST to save it.
        case editDialogue = "/gemeenten/{code}/duiding/{id}/bewerken"
        case apiDialogues = "/api/v1/gemeenten/{code}/duiding"
        /// The gespreksmodel: the board (published items for all, concepts for the gemeente's users);
        /// POST adds an item (`?voorbeeld=` prefills the form with one of the report's examples).
        case conversationBoard = "/gemeenten/{code}/gespreksmodel"
        /// One item and its answers; its actions are the `conversationBoardItem…` routes.
        case conversationBoardItem = "/gemeenten/{code}/gespreksmodel/{id}"
        case apiConversationBoard = "/api/v1/gemeenten/{code}/gespreksmodel"
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
        /// One intervention: baseline, difference in differences, MKBA, versions; its actions are the `intervention…` routes.
        case intervention = "/gemeenten/{code}/interventies/{id}"
        case apiInterventions = "/api/v1/gemeenten/{code}/interventies"
        /// Informal network maps per wijk; POST adds one.
        case networks = "/gemeenten/{code}/netwerken"
        /// One map: drawing, measures, change; its actions are the `network…` routes.
        case network = "/gemeenten/{code}/netwerken/{id}"
        case apiNetworks = "/api/v1/gemeenten/{code}/netwerken"
        /// The voorzieningen register (`?formaat=csv|excel` to download); its actions are `facilities…` and `usage…`.
        case facilities = "/gemeenten/{code}/voorzieningen"
        case apiFacilities = "/api/v1/gemeenten/{code}/voorzieningen"
        /// Questionnaires of a gemeente; POST makes a new one (from a template, `sjabloon`).
        case questionnaires = "/gemeenten/{code}/vragenlijsten"
        /// One questionnaire: builder, rounds, results; its actions are the `questionnaire…` and `round…` routes.
        case questionnaire = "/gemeenten/{code}/vragenlijsten/{id}"
        case apiQuestionnaires = "/api/v1/gemeenten/{code}/vragenlijsten"
        /// The anonymous respondent's pages (the round's link secret is the token); POST carries the answers page by page.
        case respond = "/vragenlijst/{token}"
        /// The evaluatiebank: faceted and full-text search, `?formaat=csv`; POST submits a study (analisten), reviewed by a beheerder.
        case evaluations = "/evaluaties"
        /// One study (`?bestand=ja` downloads its file); a beheerder reviews it (``evaluationApprove``, ``evaluationReject``).
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
        /// Kopgroepen: a beheerder sees all and makes one (POST); an analist sees those of its gemeenten.
        case kopgroepen = "/kopgroepen"
        /// One kopgroep (its members' analisten and beheerders): purpose, members, shared records, who uses what.
        case kopgroep = "/kopgroepen/{id}"
        /// The shared list of intervention types and what is pooled per type; POST adds a type (analisten, beheerders).
        case interventionTypes = "/interventietypen"
        /// One type: its shared, published designs pooled per outcome indicator (`?indicator=&methode=reml|dl`), a forest plot.
        case interventionType = "/interventietypen/{code}"
        /// A card of one indicator for one area (`?periode=`): a minimal HTML page that the origins a beheerder lists may frame.
        case embedCard = "/insluiten/{indicator}/{code}"
        /// The same card as an SVG image, for an `<img>` on any site.
        case embedCardImage = "/insluiten/{indicator}/{code}/kaartje.svg"
        /// The stable address of one figure (indicator × area × period), with its card and how to embed it.
        case figure = "/cijfers/{indicator}/{code}/{period}"
        /// oEmbed 1.0 (`?url=` a card or figure address): the iframe to embed.
        case apiOEmbed = "/api/v1/oembed"
        /// Beheerders: the origins that may frame the cards; POST saves them.
        case embedOrigins = "/beheer/insluiten"
        /// Chosen indicators in the long layout dashboard tools import (`?indicator=` repeated, `niveau`, `gemeente`, `periode`).
        case longExport = "/export-lang"
        /// Goede voorbeelden: published interventions shared with a kopgroep, with design, result, MKBA and studies
        /// (`?soort=`, `?sfeer=`, `?perspectief=`, `?q=`).
        case goodPractices = "/goede-voorbeelden"
        /// Joint duidingen of a gemeente with vergelijkbare gemeenten; POST invites peers to a new one.
        case jointDuidingen = "/gemeenten/{code}/samen-duiden"
        /// One joint duiding: the figures side by side and the four answers per gemeente (its actions: `jointDuiding…`).
        case jointDuiding = "/samen-duiden/{id}"

        // Actions: each a POST route of its own (with the CSRF token); the last segment names what it does.
        case accountRole = "/beheer/gebruikers/{id}/rol"
        case accountPassword = "/beheer/gebruikers/{id}/wachtwoord"
        case accountRemove = "/beheer/gebruikers/{id}/verwijderen"
        /// The form's `onderwerp` names the mapping to remove (POST on the page itself saves one).
        case ggdMappingRemove = "/beheer/ggd-koppeling/verwijderen"
        case draftPublish = "/gemeenten/{code}/concepten/{id}/publiceren"
        case draftWithdraw = "/gemeenten/{code}/concepten/{id}/intrekken"
        case localIndicatorEdit = "/gemeenten/{code}/eigen-indicatoren/{id}/wijzigen"
        case localIndicatorPublish = "/gemeenten/{code}/eigen-indicatoren/{id}/publiceren"
        case localIndicatorWithdraw = "/gemeenten/{code}/eigen-indicatoren/{id}/intrekken"
        /// Beheerders: show a published own indicator to every visitor, or stop.
        case localIndicatorShare = "/gemeenten/{code}/eigen-indicatoren/{id}/delen"
        case localIndicatorUnshare = "/gemeenten/{code}/eigen-indicatoren/{id}/niet-delen"
        case dialoguePublish = "/gemeenten/{code}/duiding/{id}/publiceren"
        case dialogueWithdraw = "/gemeenten/{code}/duiding/{id}/intrekken"
        case conversationBoardItemAnswer = "/gemeenten/{code}/gespreksmodel/{id}/antwoorden"
        case conversationBoardItemEdit = "/gemeenten/{code}/gespreksmodel/{id}/wijzigen"
        case conversationBoardItemPublish = "/gemeenten/{code}/gespreksmodel/{id}/publiceren"
        case conversationBoardItemWithdraw = "/gemeenten/{code}/gespreksmodel/{id}/intrekken"
        case interventionEdit = "/gemeenten/{code}/interventies/{id}/wijzigen"
        /// The MKBA (cost-benefit) of an intervention.
        case interventionCostBenefit = "/gemeenten/{code}/interventies/{id}/mkba"
        case interventionPublish = "/gemeenten/{code}/interventies/{id}/publiceren"
        case interventionWithdraw = "/gemeenten/{code}/interventies/{id}/intrekken"
        case networkEdit = "/gemeenten/{code}/netwerken/{id}/wijzigen"
        case networkPublish = "/gemeenten/{code}/netwerken/{id}/publiceren"
        case networkWithdraw = "/gemeenten/{code}/netwerken/{id}/intrekken"
        case facilitiesUpload = "/gemeenten/{code}/voorzieningen/uploaden"
        case facilitiesAdd = "/gemeenten/{code}/voorzieningen/toevoegen"
        case usageUpload = "/gemeenten/{code}/voorzieningen/gebruik-uploaden"
        case usageAdd = "/gemeenten/{code}/voorzieningen/gebruik-toevoegen"
        /// Publishes every concept of the register (facilities and usage).
        case facilitiesPublish = "/gemeenten/{code}/voorzieningen/publiceren"
        case questionnaireEdit = "/gemeenten/{code}/vragenlijsten/{id}/wijzigen"
        case questionnairePublish = "/gemeenten/{code}/vragenlijsten/{id}/publiceren"
        /// A new concept that starts as a copy of this questionnaire.
        case questionnaireCopy = "/gemeenten/{code}/vragenlijsten/{id}/kopie"
        /// More invitation codes for the round the form's `ronde` names.
        case questionnaireInvitations = "/gemeenten/{code}/vragenlijsten/{id}/uitnodigingen"
        case roundOpen = "/gemeenten/{code}/vragenlijsten/{id}/ronde-openen"
        /// Closes the round the form's `ronde` names.
        case roundClose = "/gemeenten/{code}/vragenlijsten/{id}/ronde-sluiten"
        /// Publishes the results of the round the form's `ronde` names.
        case roundPublish = "/gemeenten/{code}/vragenlijsten/{id}/ronde-publiceren"
        case evaluationApprove = "/evaluaties/{id}/goedkeuren"
        /// Rejects a submitted study, with the form's `reden`.
        case evaluationReject = "/evaluaties/{id}/afwijzen"
        /// Removes the document the form's `document` names (beheerder).
        case documentRemove = "/documenten/verwijderen"
        /// Name, purpose and members of a kopgroep (beheerder).
        case kopgroepEdit = "/kopgroepen/{id}/wijzigen"
        /// Shares the published record the form's `record` names (`vragenlijst:GM0363:12`) with the group.
        case kopgroepShare = "/kopgroepen/{id}/delen"
        /// Stops sharing the record the form's `deling` names.
        case kopgroepUnshare = "/kopgroepen/{id}/niet-meer-delen"
        /// Copies the shared questionnaire the form's `deling` names into the form's `gemeente`, as a concept.
        case kopgroepCopy = "/kopgroepen/{id}/kopie"
        /// Name and description of an intervention type (beheerder).
        case interventionTypeEdit = "/interventietypen/{code}/wijzigen"
        /// One member gemeente's answers (the form's `gemeente`).
        case jointDuidingAnswer = "/samen-duiden/{id}/antwoorden"
        /// One member gemeente agrees to publish (the form's `gemeente`); the last one publishes.
        case jointDuidingPublish = "/samen-duiden/{id}/publiceren"

        /// Routes that change state (they take a POST with a CSRF token); all others are GET only.
        public var changesState: Bool {
            switch self {
            case .login, .logout, .password, .accounts, .ggdMapping, .drafts, .localIndicators, .newDialogue, .editDialogue, .conversationBoard,
                 .interventions, .networks, .questionnaires, .respond, .evaluations, .documents, .documentRules, .versions, .kopgroepen,
                 .interventionTypes, .embedOrigins, .jointDuidingen: true
            default: isAction
            }
        }

        /// Pages and API answers that are the same bytes for every anonymous visitor until the data generation changes
        /// (``HTTPCacheMiddleware``: `ETag`, `Cache-Control`, `304 Not Modified` without rendering). Not here: pages
        /// with a form token (login, questionnaires to answer), accounts, health and version (they report live state).
        public var isCacheable: Bool {
            switch self {
            case .home, .municipalities, .municipality, .peers, .district, .neighbourhood, .indicators, .indicator, .versions, .lamppost,
                 .privacy, .accessibility, .contact, .burden, .map, .export, .apiMunicipalities, .apiMunicipality, .apiPeers, .apiDistrict, .apiNeighbourhood,
                 .apiIndicators, .apiIndicator, .apiValues, .apiLamppost, .apiBurden, .apiOpenAPI, .dialogues, .apiDialogues,
                 .conversationBoard, .apiConversationBoard, .report, .expectedCare, .careModel, .apiExpectedCare, .apiCareModel,
                 .interventions, .apiInterventions, .networks, .apiNetworks, .facilities, .apiFacilities, .questionnaires,
                 .apiQuestionnaires, .localIndicators, .apiLocalIndicators, .evaluations, .apiEvaluations, .documents,
                 .apiDocumentAnalysis, .search, .apiSearch, .interventionTypes, .interventionType, .figure, .longExport, .goodPractices: true
            default: false
            }
        }

        /// An action: POST only, the last segment of its path names what it does (`…/{id}/publiceren`).
        public var isAction: Bool { Self.actions.contains(self) }

        /// Every action route, in declaration order.
        public static let actions: [Pattern] = [
            .accountRole, .accountPassword, .accountRemove, .ggdMappingRemove, .draftPublish, .draftWithdraw,
            .localIndicatorEdit, .localIndicatorPublish, .localIndicatorWithdraw, .localIndicatorShare, .localIndicatorUnshare,
            .dialoguePublish, .dialogueWithdraw, .conversationBoardItemAnswer, .conversationBoardItemEdit, .conversationBoardItemPublish, .conversationBoardItemWithdraw,
            .interventionEdit, .interventionCostBenefit, .interventionPublish, .interventionWithdraw,
            .networkEdit, .networkPublish, .networkWithdraw,
            .facilitiesUpload, .facilitiesAdd, .usageUpload, .usageAdd, .facilitiesPublish,
            .questionnaireEdit, .questionnairePublish, .questionnaireCopy, .questionnaireInvitations, .roundOpen, .roundClose, .roundPublish,
            .evaluationApprove, .evaluationReject, .documentRemove,
            .kopgroepEdit, .kopgroepShare, .kopgroepUnshare, .kopgroepCopy, .interventionTypeEdit, .jointDuidingAnswer, .jointDuidingPublish,
        ]

        /// What an action does, in Dutch (the OpenAPI document's summary).
        public var summary: String {
            switch self {
            case .accountRole: "Rol en gemeenten van een gebruiker wijzigen (beheerder)"
            case .accountPassword: "Wachtwoord van een gebruiker opnieuw instellen (beheerder)"
            case .accountRemove: "Gebruiker verwijderen (beheerder)"
            case .ggdMappingRemove: "Koppeling van een GGD-onderwerp verwijderen (beheerder; veld onderwerp)"
            case .draftPublish: "Concept met lokale cijfers publiceren"
            case .draftWithdraw: "Concept met lokale cijfers intrekken"
            case .localIndicatorEdit: "Eigen indicator wijzigen (nieuwe versie)"
            case .localIndicatorPublish, .dialoguePublish, .conversationBoardItemPublish, .interventionPublish, .networkPublish, .questionnairePublish:
                "Concept publiceren: voor iedereen zichtbaar"
            case .localIndicatorWithdraw, .dialogueWithdraw, .conversationBoardItemWithdraw, .interventionWithdraw, .networkWithdraw:
                "Intrekken: niet meer zichtbaar, blijft in het auditlog"
            case .localIndicatorShare: "Eigen indicator met iedereen delen (beheerder)"
            case .localIndicatorUnshare: "Eigen indicator niet meer delen (beheerder)"
            case .conversationBoardItemAnswer: "Eigen antwoord op een onderdeel van het gespreksmodel (ja, nee, twijfel en waarom)"
            case .conversationBoardItemEdit, .interventionEdit, .networkEdit, .questionnaireEdit: "Concept wijzigen"
            case .interventionCostBenefit: "MKBA van een interventie opslaan"
            case .facilitiesUpload: "Voorzieningen uploaden (CSV, als concept)"
            case .facilitiesAdd: "Eén voorziening toevoegen (als concept)"
            case .usageUpload: "Gebruik van voorzieningen uploaden (CSV, als concept)"
            case .usageAdd: "Gebruik van één voorziening toevoegen (als concept)"
            case .facilitiesPublish: "Alle concepten van het voorzieningenregister publiceren"
            case .questionnaireCopy: "Kopie van een vragenlijst als nieuw concept"
            case .questionnaireInvitations: "Meer uitnodigingen voor een ronde (veld ronde)"
            case .roundOpen: "Ronde openen met uitnodigingen"
            case .roundClose: "Ronde sluiten (veld ronde)"
            case .roundPublish: "Uitkomsten van een ronde publiceren (veld ronde)"
            case .evaluationApprove: "Studie goedkeuren (beheerder)"
            case .evaluationReject: "Studie afwijzen met reden (beheerder)"
            case .documentRemove: "Raadsstuk verwijderen (beheerder; veld document)"
            case .kopgroepEdit: "Naam, doel en leden van een kopgroep wijzigen (beheerder)"
            case .kopgroepShare: "Een gepubliceerd record delen met een kopgroep (veld record)"
            case .kopgroepUnshare: "Een gedeeld record niet meer delen (veld deling)"
            case .kopgroepCopy: "Een gedeelde vragenlijst kopiëren naar de eigen gemeente (velden deling, gemeente)"
            case .interventionTypeEdit: "Naam en beschrijving van een type interventie wijzigen (beheerder)"
            case .jointDuidingAnswer: "De antwoorden van één gemeente in een gezamenlijke duiding (veld gemeente)"
            case .jointDuidingPublish: "Instemmen met publiceren namens één gemeente; de laatste publiceert (veld gemeente)"
            default: rawValue
            }
        }

        /// The pattern with its `{code}` and `{id}` filled in.
        public func path(code: String? = nil, id: Int? = nil) -> String {
            var path = rawValue
            if let code { path = path.replacingOccurrences(of: "{code}", with: code.urlPathEscaped) }
            if let id { path = path.replacingOccurrences(of: "{id}", with: String(id)) }
            return path
        }
    }

    /// The concrete path.
    public var path: String {
        switch self {
        case .home: "/"
        case .municipalities: "/gemeenten"
        case .municipality(let code): "/gemeenten/\(code.urlPathEscaped)"
        case .peers(let code): "/gemeenten/\(code.urlPathEscaped)/vergelijkbaar"
        case .district(let code): "/wijken/\(code.urlPathEscaped)"
        case .neighbourhood(let code): "/buurten/\(code.urlPathEscaped)"
        case .indicators: "/indicatoren"
        case .indicator(let id): "/indicatoren/\(id.urlPathEscaped)"
        case .versions(let id): "/indicatoren/\(id.urlPathEscaped)/versies"
        case .lamppost: "/lantaarnpaal"
        case .privacy: "/privacy"
        case .accessibility: "/toegankelijkheid"
        case .contact: "/contact"
        case .burden: "/meetlast"
        case .map(let id): "/kaart/\(id.urlPathEscaped)"
        case .mapSVG(let id): "/kaart/\(id.urlPathEscaped).svg"
        case .export(let id): "/export/\(id.urlPathEscaped)"
        case .health: "/-/health"
        case .version: "/-/version"
        case .metrics: "/-/metrics"
        case .stylesheet: "/static/pbmonitor.css"
        case .apiMunicipalities: "/api/v1/gemeenten"
        case .apiMunicipality(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)"
        case .apiPeers(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/vergelijkbaar"
        case .apiDistrict(let code): "/api/v1/wijken/\(code.urlPathEscaped)"
        case .apiNeighbourhood(let code): "/api/v1/buurten/\(code.urlPathEscaped)"
        case .apiIndicators: "/api/v1/indicatoren"
        case .apiIndicator(let id): "/api/v1/indicatoren/\(id.urlPathEscaped)"
        case .apiValues: "/api/v1/waarden"
        case .apiLamppost: "/api/v1/lantaarnpaal"
        case .apiBurden: "/api/v1/meetlast"
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
        case .conversationBoard(let code): "/gemeenten/\(code.urlPathEscaped)/gespreksmodel"
        case .conversationBoardItem(let code, let id): "/gemeenten/\(code.urlPathEscaped)/gespreksmodel/\(id)"
        case .apiConversationBoard(let code): "/api/v1/gemeenten/\(code.urlPathEscaped)/gespreksmodel"
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
        case .kopgroepen: "/kopgroepen"
        case .kopgroep(let id): "/kopgroepen/\(id)"
        case .interventionTypes: "/interventietypen"
        case .interventionType(let id): "/interventietypen/\(id.urlPathEscaped)"
        case .embedCard(let indicator, let code): "/insluiten/\(indicator.urlPathEscaped)/\(code.urlPathEscaped)"
        case .embedCardImage(let indicator, let code): "/insluiten/\(indicator.urlPathEscaped)/\(code.urlPathEscaped)/kaartje.svg"
        case .figure(let indicator, let code, let period): "/cijfers/\(indicator.urlPathEscaped)/\(code.urlPathEscaped)/\(period.urlPathEscaped)"
        case .apiOEmbed: "/api/v1/oembed"
        case .embedOrigins: "/beheer/insluiten"
        case .longExport: "/export-lang"
        case .goodPractices: "/goede-voorbeelden"
        case .jointDuidingen(let code): "/gemeenten/\(code.urlPathEscaped)/samen-duiden"
        case .jointDuiding(let id): "/samen-duiden/\(id)"
        case .action(let pattern, let code, let id): pattern.path(code: code, id: id)
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
        case "GM": .municipality(code)
        case "WK": .district(code)
        case "BU": .neighbourhood(code)
        default: nil
        }
    }
}

extension String {
    var urlPathEscaped: String {
        // Codes and ids (GM0363, jeugdzorg_in_natura_pct) need no escaping: checked byte by byte, without Foundation.
        if isUnreservedASCII { return self }
        return addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? self
    }
    var urlQueryEscaped: String {
        if isUnreservedASCII { return self }
        return addingPercentEncoding(withAllowedCharacters: Self.queryValueAllowed) ?? self
    }

    private static let pathSegmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
    private static let queryValueAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// Only ASCII letters, digits and `-._~` (RFC 3986 unreserved): the same text escaped or not.
    private var isUnreservedASCII: Bool {
        utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        }
    }
}

