import Foundation
import Monitor

/// The JSON API described as OpenAPI 3.1, served at `/api/v1/openapi.json`. A test compares its
/// paths with the registered `/api/v1` routes so the description cannot drift.
enum OpenAPIDocument {
    struct Operation {
        var pattern: SiteRoute.Pattern
        var summary: String
        var query: [(name: String, description: String, type: String)]
        var schema: String
    }

    static var codeParameter: [String: Any] { ["name": "code", "in": "path", "required": true,
                                               "description": "CBS-gebiedscode, bijvoorbeeld GM0363, WK0363AA of BU0363AA01",
                                               "schema": ["type": "string", "pattern": "^(GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4})$"]] }
    static var idParameter: [String: Any] { ["name": "id", "in": "path", "required": true, "description": "Indicator-id uit de catalogus",
                                             "schema": ["type": "string"]] }

    static let operations: [Operation] = [
        Operation(pattern: .apiMunicipalities, summary: "Alle gemeenten, te filteren op naam, provincie en GGD-regio",
                  query: [("q", "naam of code", "string"), ("provincie", "provinciecode, bijvoorbeeld PV27", "string"), ("ggd", "GGD-regiocode", "string")],
                  schema: "List"),
        Operation(pattern: .apiMunicipality, summary: "Profiel van een gemeente: waarden, vergelijkingsgebieden, vergelijkbare gemeenten en wijken",
                  query: [("indicator", "indicator voor de wijkentabel", "string"), ("periode", "periode voor de wijkentabel", "string")], schema: "Area"),
        Operation(pattern: .apiPeers, summary: "Vergelijkbare gemeenten (k dichtstbijzijnde op gestandaardiseerde contextkenmerken)",
                  query: [("variabelen", "contextkenmerk (herhaalbaar)", "string"), ("k", "aantal gemeenten (1–50)", "integer")], schema: "Peers"),
        Operation(pattern: .apiDistrict, summary: "Profiel van een wijk", query: [("indicator", "indicator voor de buurtentabel", "string")], schema: "Area"),
        Operation(pattern: .apiNeighbourhood, summary: "Profiel van een buurt", query: [], schema: "Area"),
        Operation(pattern: .apiIndicators, summary: "De indicatorcatalogus met alle metadata, met rol (basis, context, hulp) en beeld (landelijk, lokaal)",
                  query: [("beeld", "landelijk of lokaal", "string"), ("rol", "basis, context of hulp", "string")], schema: "List"),
        Operation(pattern: .apiIndicator, summary: "Eén indicator met de waarden per gemeente", query: [("periode", "periode", "string")], schema: "Indicator"),
        Operation(pattern: .apiValues, summary: "Cijfers, gefilterd en gepagineerd; waarde is null tenzij status 'waarde' is",
                  query: [("indicator", "indicator-id", "string"), ("gebied", "CBS-gebiedscode", "string"), ("periode", "periode, bijvoorbeeld 2023", "string"),
                          ("peildatum", "de cijfers zoals de monitor ze kende aan het eind van die dag (JJJJ-MM-DD)", "string"),
                          ("versie", "één versie van elk cijfer (1 = de eerste)", "integer"),
                          ("versies", "'alle': elke versie, ook vervangen versies (oudste eerst)", "string"),
                          ("limit", "1–1000 (standaard 100)", "integer"), ("offset", "vanaf (standaard 0)", "integer")], schema: "List"),
        Operation(pattern: .apiDialogues, summary: "Wat zeggen we ervan: de gepubliceerde duidings- en spiegelgesprekken van een gemeente, nieuwste eerst",
                  query: [], schema: "Dialogues"),
        Operation(pattern: .apiConversationBoard, summary: "Het gespreksmodel van een gemeente: gepubliceerde onderdelen op de plattegrond met ieders antwoord (ja, nee, twijfel en waarom), per rol",
                  query: [], schema: "ConversationBoard"),
        Operation(pattern: .apiExpectedCare, summary: "Jeugdzorg: werkelijk en verwacht aandeel (met 95%-voorspellingsinterval en verschil) per gemeente of per wijk",
                  query: [("niveau", "gemeente of wijk", "string"), ("gemeente", "gemeentecode, voor de wijken van één gemeente", "string")],
                  schema: "ExpectedCare"),
        Operation(pattern: .apiCareModel, summary: "Het model achter het verwachte jeugdzorggebruik: coëfficiënten, standaardfouten, R², n", query: [],
                  schema: "CareModel"),
        Operation(pattern: .apiInterventions, summary: "Gepubliceerde interventies van een gemeente met nulmeting, effectschatting (verschil in verschillen) en MKBA",
                  query: [], schema: "Interventions"),
        Operation(pattern: .apiLocalIndicators, summary: "De eigen indicatoren van een gemeente die de bezoeker mag zien: gepubliceerd, en gedeeld of van de eigen gemeente (zelfde velden als de catalogus, met eigen_indicator_van)",
                  query: [], schema: "LocalIndicators"),
        Operation(pattern: .apiNetworks, summary: "Gepubliceerde netwerkkaarten van een gemeente: actoren (rollen en organisaties), relaties, dichtheid, verbinders",
                  query: [], schema: "Networks"),
        Operation(pattern: .apiQuestionnaires, summary: "Gepubliceerde vragenlijsten van een gemeente met de uitkomsten van gepubliceerde rondes (schaalscores, Cronbachs alfa, per sfeer; groepen onder 10 respondenten onderdrukt)",
                  query: [], schema: "Questionnaires"),
        Operation(pattern: .apiSearch, summary: "Zoeken in raadsstukken of de evaluatiebank (Nederlandse stammer, accenten genegeerd, \"zinnen\" tussen aanhalingstekens); items met id, titel, gemeente, fragment",
                  query: [("q", "zoekwoorden (verplicht)", "string"), ("in", "documenten of evaluaties", "string"), ("limit", "1–100", "integer"), ("offset", "vanaf", "integer")],
                  schema: "List"),
        Operation(pattern: .apiEvaluations, summary: "De evaluatiebank: goedgekeurde studies (en voor ingelogde analisten ook de eigen ingediende), met facetten en zoeken",
                  query: [("q", "zoekwoorden", "string"), ("sfeer", "sfeer", "string"), ("perspectief", "perspectief", "string"), ("opzet", "opzet", "string"),
                          ("soort", "soort voorziening", "string"), ("jaar", "jaar", "string")], schema: "List"),
        Operation(pattern: .apiDocumentAnalysis, summary: "Raadsstukken die een term noemen: per jaar, per gemeente, en doelzinnen met hun perspectief",
                  query: [("term", "de term (standaard \"pedagogische basis\")", "string")], schema: "DocumentAnalysis"),
        Operation(pattern: .apiFacilities, summary: "Het gepubliceerde voorzieningenregister van een gemeente", query: [], schema: "Facilities"),
        Operation(pattern: .apiLamppost, summary: "Sferen × perspectieven: per cel de indicatoren met cijfers en die alleen beschreven zijn, per niveau; relaties per soort; context apart",
                  query: [("gemeente", "gemeentecode: per cel cijfers voor de gemeente zelf, alleen de regio, alleen landelijk, geen", "string")], schema: "Object"),
        Operation(pattern: .apiBurden, summary: "Meetlast en gebruik per indicator", query: [], schema: "List"),
        Operation(pattern: .apiOpenAPI, summary: "Deze beschrijving", query: [], schema: "Object"),
    ]

    static func document() -> [String: Any] {
        var paths: [String: Any] = [:]
        for op in operations {
            var parameters: [[String: Any]] = []
            // An example that exists in every installation (the test data too), so a tool that calls the API reaches real
            // figures and not only "unknown area".
            if op.pattern.rawValue.contains("{code}") {
                // Each route takes one kind of area: its pattern says which (a wijk route refuses a gemeente code).
                var parameter = codeParameter
                let (example, pattern) = op.pattern.rawValue.hasPrefix("/api/v1/wijken") ? ("WK0363AA", "^WK[0-9]{4}[0-9A-Z]{2}$")
                    : op.pattern.rawValue.hasPrefix("/api/v1/buurten") ? ("BU0363AA01", "^BU[0-9]{4}[0-9A-Z]{4}$") : ("GM0363", "^GM[0-9]{4}$")
                parameter["example"] = example
                parameter["schema"] = ["type": "string", "pattern": pattern]
                parameters.append(parameter)
            }
            if op.pattern.rawValue.contains("{id}") {
                var parameter = idParameter
                parameter["example"] = "jeugdzorg_in_natura_pct"
                parameters.append(parameter)
            }
            for q in op.query {
                var schema: [String: Any] = ["type": q.type]
                if q.name == "limit" { schema["minimum"] = 1; schema["maximum"] = 1000 }
                if q.name == "offset" { schema["minimum"] = 0; schema["maximum"] = Int(Int32.max) }
                if q.name == "k" { schema["minimum"] = 1; schema["maximum"] = 50 }
                if q.name == "versie" { schema["minimum"] = 1; schema["maximum"] = Int(Int32.max) }
                if q.name == "versies" { schema["enum"] = ["alle", "huidige"] }
                if q.name == "peildatum" { schema["format"] = "date" }
                if q.name == "niveau" && op.pattern == .apiExpectedCare { schema["enum"] = ["gemeente", "wijk"] }
                if q.name == "gemeente" && op.pattern == .apiExpectedCare { schema["pattern"] = "^GM[0-9]{4}$" }
                if q.name == "variabelen" { schema = ["type": "array", "items": ["type": "string", "enum": PeerController.candidates.map(\.id)]] }
                var required = false
                if op.pattern == .apiSearch {
                    switch q.name {
                    case "q": required = true; schema["minLength"] = 1; schema["maxLength"] = 500; schema["pattern"] = "[A-Za-z0-9]"
                    case "in": schema["enum"] = ["documenten", "evaluaties"]
                    case "limit": schema["maximum"] = 100
                    default: break
                    }
                }
                parameters.append(["name": q.name, "in": "query", "required": required, "description": q.description, "schema": schema])
            }
            let errorResponse: [String: Any] = ["description": "Fout", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
            paths[op.pattern.rawValue] = ["get": [
                "summary": op.summary, "operationId": "get_" + String(describing: op.pattern), "parameters": parameters,
                "responses": [
                    "200": ["description": "Gelukt", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(op.schema)"]]]],
                    "400": errorResponse, "404": errorResponse, "503": errorResponse,
                ],
            ] as [String: Any]]
        }
        // The actions of the site: each its own POST route (a form with the session's CSRF token), listed so that what a
        // logged-in user can change is as visible as what anyone can read.
        for action in SiteRoute.Pattern.actions {
            var parameters: [[String: Any]] = []
            if action.rawValue.contains("{code}") {
                parameters.append(["name": "code", "in": "path", "required": true, "description": "gemeentecode", "example": "GM0363",
                                   "schema": ["type": "string", "pattern": "^GM[0-9]{4}$"]])
            }
            if action.rawValue.contains("{id}") {
                parameters.append(["name": "id", "in": "path", "required": true, "description": "nummer van het record", "example": 1,
                                   "schema": ["type": "integer", "minimum": 1, "maximum": Int(Int32.max)]])
            }
            let page: [String: Any] = ["description": "De pagina, met wat er gebeurde of wat er mis is", "content": ["text/html": [:] as [String: Any]]]
            paths[action.rawValue] = ["post": [
                "summary": action.summary, "operationId": "post_" + String(describing: action), "tags": ["acties"], "parameters": parameters,
                "requestBody": ["required": true, "content": [
                    "application/x-www-form-urlencoded": ["schema": ["type": "object", "required": ["csrf"], "properties": [
                        "csrf": ["type": "string", "description": "het formuliertoken van de sessie"]]]],
                    "multipart/form-data": ["schema": ["type": "object", "required": ["csrf"], "properties": ["csrf": ["type": "string"]]]],
                ]],
                "responses": [
                    "200": page, "303": ["description": "Gelukt: terug naar de pagina van het record, die zegt wat er gebeurde"],
                    "400": page, "403": page, "404": page, "409": ["description": "Het record staat in een andere status dan de actie vraagt", "content": ["text/html": [:] as [String: Any]]],
                ],
            ] as [String: Any]]
        }
        let value: [String: Any] = ["type": "object", "required": ["indicator", "gebied", "periode", "waarde", "status"], "properties": [
            "indicator": ["type": "string"], "gebied": ["type": "string"], "periode": ["type": "string"],
            "waarde": ["type": ["number", "null"]], "status": ["type": "string", "enum": ["waarde", "geheim", "onbekend", "nvt"]],
            "teller": ["type": ["number", "null"]], "noemer": ["type": ["number", "null"]], "n": ["type": ["integer", "null"]],
            "ondergrens": ["type": ["number", "null"]], "bovengrens": ["type": ["number", "null"]],
            "herkomst": ["type": "string", "enum": ["geladen", "berekend", "opgeteld"]], "import": ["type": ["integer", "null"]],
            "opmerking": ["type": ["string", "null"]],
            "versie": ["type": "integer", "minimum": 1], "herzien": ["type": "boolean"],
            "vastgelegd_op": ["type": ["string", "null"]], "vervangen_op": ["type": ["string", "null"]],
        ]]
        return [
            "openapi": "3.1.0",
            "info": ["title": "pbmonitor — Monitor pedagogische basis", "version": OperatorController.version,
                     "description": "JSON-API van de monitor, en de acties van de site (tag 'acties': formulieren voor wie is ingelogd, met het CSRF-token van de sessie). Elke succesvolle respons heeft ok: true; elke fout heeft ok: false, status, error en errors. Stabiel binnen /api/v1: velden worden alleen toegevoegd, niet hernoemd of verwijderd.",
                     "license": ["name": "Data: CC BY 4.0 (Bron: CBS / PDOK)"]],
            "paths": paths,
            "components": ["schemas": [
                "Error": ["type": "object", "required": ["ok", "status", "error", "errors"], "properties": [
                    "ok": ["type": "boolean", "const": false], "status": ["type": "integer"], "error": ["type": "string"],
                    "errors": ["type": "array", "items": ["type": "string"]]]],
                "Value": value,
                "List": ["type": "object", "required": ["ok", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "items": ["type": "array"], "total": ["type": "integer"],
                    "limit": ["type": ["integer", "null"]], "offset": ["type": ["integer", "null"]], "next_url": ["type": ["string", "null"]]]],
                "Area": ["type": "object", "required": ["ok", "gebied", "waarden"], "properties": [
                    "ok": ["type": "boolean"], "gebied": ["type": "object"], "waarden": ["type": "array", "items": ["$ref": "#/components/schemas/Value"]]]],
                "Indicator": ["type": "object", "required": ["ok", "indicator"], "properties": ["ok": ["type": "boolean"], "indicator": ["type": "object"]]],
                "Peers": ["type": "object", "required": ["ok", "gemeente", "vergelijkbaar"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "vergelijkbaar": ["type": "array"]]],
                "Dialogues": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "soort", "titel", "datum", "cijfers", "deelnemers",
                                                                                              "vragen", "conclusies", "acties"]]]]],
                "ConversationBoard": ["type": "object", "required": ["ok", "gemeente", "naam", "vraag", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "vraag": ["type": "string"],
                    "total": ["type": "integer"], "items": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "soort", "plek", "perspectieven",
                                                                                               "antwoorden", "telling"], "properties": [
                        "soort": ["type": "string", "enum": ConversationBoardItem.Kind.allCases.map(\.rawValue)],
                        "plek": ["type": "string", "enum": ConversationBoardPlace.allCases.map(\.rawValue)],
                        "antwoorden": ["type": "array", "items": ["type": "object", "required": ["rol", "antwoord", "waarom"], "properties": [
                            "antwoord": ["type": "string", "enum": BelongingAnswer.allCases.map(\.rawValue)]]]],
                    ]]]]],
                "ExpectedCare": ["type": "object", "required": ["ok", "niveau", "items", "total", "kanttekening"], "properties": [
                    "ok": ["type": "boolean"], "niveau": ["type": "string"], "total": ["type": "integer"], "kanttekening": ["type": "string"],
                    "items": ["type": "array", "items": ["type": "object",
                                                         "required": ["gebied", "verwacht", "ondergrens", "bovengrens", "buiten_interval"],
                                                         "properties": ["gebied": ["type": "string"], "werkelijk": ["type": ["number", "null"]],
                                                                        "verwacht": ["type": "number"], "ondergrens": ["type": "number"],
                                                                        "bovengrens": ["type": "number"], "verschil": ["type": ["number", "null"]],
                                                                        "buiten_interval": ["type": "boolean"]]]]]],
                "CareModel": ["type": "object", "required": ["ok", "n", "coefficienten", "kanttekening"], "properties": [
                    "ok": ["type": "boolean"], "n": ["type": "integer"], "coefficienten": ["type": "array"], "kanttekening": ["type": "string"]]],
                "Interventions": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "start", "doelwijken",
                                                                                                "vergelijkingswijken", "effecten", "aannames"]]]]],
                "LocalIndicators": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "definitie", "eenheid", "rol", "eigen_indicator_van"]]]]],
                "Networks": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "titel", "gebied", "datum", "actoren", "relaties",
                                                                                             "dichtheid"]]]]],
                "Facilities": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total", "indicatoren"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "soort", "sferen", "gebied", "gebruik"], "properties": [
                        "gebruik": ["type": "array", "items": ["type": "object", "required": ["periode", "methode", "onderdrukt"], "properties": [
                            "periode": ["type": "string"], "methode": ["type": "string"], "onderdrukt": ["type": "boolean"],
                            "bezoeken": ["type": ["integer", "null"]], "unieke_bezoekers": ["type": ["integer", "null"]]]]]]]],
                    "indicatoren": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "kaart_url", "url"]]]]],
                "Questionnaires": ["type": "object", "required": ["ok", "gemeente", "naam", "items", "total"], "properties": [
                    "ok": ["type": "boolean"], "gemeente": ["type": "string"], "naam": ["type": "string"], "total": ["type": "integer"],
                    "items": ["type": "array", "items": ["type": "object", "required": ["id", "titel", "sjabloon", "schalen", "rondes"], "properties": [
                        "rondes": ["type": "array", "items": ["type": "object", "required": ["id", "naam", "gebied", "periode", "resultaten", "per_sfeer"], "properties": [
                            "resultaten": ["type": "object", "required": ["groep", "respondenten", "onderdrukt", "schalen"], "properties": [
                                "respondenten": ["type": ["integer", "null"]], "onderdrukt": ["type": "boolean"],
                                "schalen": ["type": "array", "items": ["type": "object", "required": ["schaal", "naam", "onderdrukt", "n", "gemiddelde", "alfa"]]]]]]]]]]]]],
                "DocumentAnalysis": ["type": "object", "required": ["ok", "term", "per_jaar", "per_gemeente", "doelzinnen"], "properties": [
                    "ok": ["type": "boolean"], "term": ["type": "string"], "per_jaar": ["type": "array"], "per_gemeente": ["type": "array"],
                    "doelzinnen": ["type": "array", "items": ["type": "object", "required": ["document", "gemeente", "jaar", "zin", "perspectieven", "waarom"]]]]],
                "Object": ["type": "object"],
            ]],
        ]
    }

    static func json() -> Data {
        (try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
    }
}
