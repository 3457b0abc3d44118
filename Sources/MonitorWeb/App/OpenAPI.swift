import Foundation
import Monitor
import OpenAPIKit

/// The JSON API and the site's actions described as OpenAPI 3.1, served at `/api/v1/openapi.json`, built from typed values
/// (mattpolzin/OpenAPIKit) rather than dictionaries: a misspelt key or a wrong nesting does not compile, and a test runs
/// OpenAPIKit's validation over the document. Another test compares its paths with the registered routes.
enum OpenAPIDocument {
    /// A query parameter of an API route.
    struct Query {
        var name: String
        var description: String
        var schema: JSONSchema
        var required = false

        init(_ name: String, _ description: String, _ schema: JSONSchema, required: Bool = false) {
            self.name = name
            self.description = description
            self.schema = schema
            self.required = required
        }

        /// Paging: from which item.
        static let offset = Query("offset", "vanaf (standaard 0)", .integer(maximum: (Int(Int32.max), exclusive: false), minimum: (0, exclusive: false)))
    }

    struct Operation {
        var pattern: SiteRoute.Pattern
        var summary: String
        var query: [Query]
        var schema: String
    }

    static let operations: [Operation] = [
        Operation(pattern: .apiMunicipalities, summary: "Alle gemeenten, te filteren op naam, provincie en GGD-regio",
                  query: [Query("q", "naam of code", .string), Query("provincie", "provinciecode, bijvoorbeeld PV27", .string), Query("ggd", "GGD-regiocode", .string)],
                  schema: "List"),
        Operation(pattern: .apiMunicipality, summary: "Profiel van een gemeente: waarden, vergelijkingsgebieden, vergelijkbare gemeenten en wijken",
                  query: [Query("indicator", "indicator voor de wijkentabel", .string), Query("periode", "periode voor de wijkentabel", .string)], schema: "Area"),
        Operation(pattern: .apiPeers, summary: "Vergelijkbare gemeenten (k dichtstbijzijnde op gestandaardiseerde contextkenmerken)",
                  query: [Query("variabelen", "contextkenmerk (herhaalbaar)", .array(items: .string(allowedValues: PeerController.candidates.map { AnyCodable($0.id) }))), Query("k", "aantal gemeenten (1–50)", .integer(maximum: (50, exclusive: false), minimum: (1, exclusive: false)))], schema: "Peers"),
        Operation(pattern: .apiDistrict, summary: "Profiel van een wijk", query: [Query("indicator", "indicator voor de buurtentabel", .string)], schema: "Area"),
        Operation(pattern: .apiNeighbourhood, summary: "Profiel van een buurt", query: [], schema: "Area"),
        Operation(pattern: .apiIndicators, summary: "De indicatorcatalogus met alle metadata, met rol (basis, context, hulp) en beeld (landelijk, lokaal)",
                  query: [Query("beeld", "landelijk of lokaal", .string), Query("rol", "basis, context of hulp", .string)], schema: "List"),
        Operation(pattern: .apiIndicator, summary: "Eén indicator met de waarden per gemeente", query: [Query("periode", "periode", .string)], schema: "Indicator"),
        Operation(pattern: .apiValues, summary: "Cijfers, gefilterd en gepagineerd; waarde is null tenzij status 'waarde' is",
                  query: [Query("indicator", "indicator-id", .string), Query("gebied", "CBS-gebiedscode", .string), Query("periode", "periode, bijvoorbeeld 2023", .string),
                          Query("peildatum", "de cijfers zoals de monitor ze kende aan het eind van die dag (JJJJ-MM-DD)", .string(format: .date)),
                          Query("versie", "één versie van elk cijfer (1 = de eerste)", .integer(maximum: (Int(Int32.max), exclusive: false), minimum: (1, exclusive: false))),
                          Query("versies", "'alle': elke versie, ook vervangen versies (oudste eerst)", .string(allowedValues: "alle", "huidige")),
                          Query("limit", "1–1000 (standaard 100)", .integer(maximum: (1000, exclusive: false), minimum: (1, exclusive: false))), .offset], schema: "List"),
        Operation(pattern: .apiDialogues, summary: "Wat zeggen we ervan: de gepubliceerde duidings- en spiegelgesprekken van een gemeente, nieuwste eerst",
                  query: [], schema: "Dialogues"),
        Operation(pattern: .apiConversationBoard, summary: "Het gespreksmodel van een gemeente: gepubliceerde onderdelen op de plattegrond met ieders antwoord (ja, nee, twijfel en waarom), per rol",
                  query: [], schema: "ConversationBoard"),
        Operation(pattern: .apiExpectedCare, summary: "Jeugdzorg: werkelijk en verwacht aandeel (met 95%-voorspellingsinterval en verschil) per gemeente of per wijk",
                  query: [Query("niveau", "gemeente of wijk", .string(allowedValues: "gemeente", "wijk")), Query("gemeente", "gemeentecode, voor de wijken van één gemeente", .string(pattern: "^GM[0-9]{4}$"))],
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
                  query: [Query("q", "zoekwoorden (verplicht)", .string(minLength: 1, maxLength: 500, pattern: "[A-Za-z0-9]"), required: true), Query("in", "documenten of evaluaties", .string(allowedValues: "documenten", "evaluaties")), Query("limit", "1–100", .integer(maximum: (100, exclusive: false), minimum: (1, exclusive: false))), .offset],
                  schema: "List"),
        Operation(pattern: .apiEvaluations, summary: "De evaluatiebank: goedgekeurde studies (en voor ingelogde analisten ook de eigen ingediende), met facetten en zoeken",
                  query: [Query("q", "zoekwoorden", .string), Query("sfeer", "sfeer", .string), Query("perspectief", "perspectief", .string), Query("opzet", "opzet", .string),
                          Query("soort", "soort voorziening", .string), Query("jaar", "jaar", .string)], schema: "List"),
        Operation(pattern: .apiDocumentAnalysis, summary: "Raadsstukken die een term noemen: per jaar, per gemeente, en doelzinnen met hun perspectief",
                  query: [Query("term", "de term (standaard \"pedagogische basis\")", .string)], schema: "DocumentAnalysis"),
        Operation(pattern: .apiOEmbed, summary: "oEmbed 1.0 (type rich): het iframe voor een kaartje (/insluiten/…) of een cijfer (/cijfers/…) van deze monitor",
                  query: [Query("url", "adres van een kaartje of cijfer van deze monitor", .string, required: true), Query("format", "alleen json (een ander formaat: 400)", .string(allowedValues: "json")),
                          Query("maxwidth", "breedste iframe in pixels", .integer(maximum: (10_000, exclusive: false), minimum: (1, exclusive: false))),
                          Query("maxheight", "hoogste iframe in pixels", .integer(maximum: (10_000, exclusive: false), minimum: (1, exclusive: false)))], schema: "Object"),
        Operation(pattern: .apiFacilities, summary: "Het gepubliceerde voorzieningenregister van een gemeente", query: [], schema: "Facilities"),
        Operation(pattern: .apiLamppost, summary: "Sferen × perspectieven: per cel de indicatoren met cijfers en die alleen beschreven zijn, per niveau; relaties per soort; context apart",
                  query: [Query("gemeente", "gemeentecode: per cel cijfers voor de gemeente zelf, alleen de regio, alleen landelijk, geen", .string)], schema: "Object"),
        Operation(pattern: .apiBurden, summary: "Meetlast en gebruik per indicator", query: [], schema: "List"),
        Operation(pattern: .apiOpenAPI, summary: "Deze beschrijving", query: [], schema: "Object"),
    ]


    /// A path parameter `{code}`: each route takes one kind of area, and its example exists in every installation (the
    /// test data too), so a tool that calls the API reaches real figures and not only "unknown area".
    static func codeParameter(for pattern: SiteRoute.Pattern) -> OpenAPI.Parameter {
        let path = pattern.rawValue
        let (example, regex, description) = path.hasPrefix("/api/v1/wijken") ? ("WK0363AA", "^WK[0-9]{4}[0-9A-Z]{2}$", "wijkcode (CBS), bijvoorbeeld WK0363AA")
            : path.hasPrefix("/api/v1/buurten") ? ("BU0363AA01", "^BU[0-9]{4}[0-9A-Z]{4}$", "buurtcode (CBS), bijvoorbeeld BU0363AA01")
            : ("GM0363", "^GM[0-9]{4}$", "gemeentecode (CBS), bijvoorbeeld GM0363")
        return OpenAPI.Parameter(name: "code", context: .path(schemaOrContent: .schema(.init(.string(pattern: regex), style: .default(for: .path),
                                                                                              example: AnyCodable(example)))),
                                 description: description)
    }

    /// The path parameter `{id}` of an indicator (API) or of a record (actions).
    static func idParameter(action: Bool) -> OpenAPI.Parameter {
        action
            ? OpenAPI.Parameter(name: "id", context: .path(schemaOrContent: .schema(.init(
                .integer(maximum: (Int(Int32.max), exclusive: false), minimum: (1, exclusive: false)), style: .default(for: .path), example: 1))),
                description: "nummer van het record")
            : OpenAPI.Parameter(name: "id", context: .path(schemaOrContent: .schema(.init(.string, style: .default(for: .path),
                                                                                            example: "jeugdzorg_in_natura_pct"))),
                                description: "Indicator-id uit de catalogus")
    }

    /// A JSON object: `required` keys must be there, `optional` ones may be.
    static func object(_ required: OrderedDictionary<String, JSONSchema>, optional: OrderedDictionary<String, JSONSchema> = [:]) -> JSONSchema {
        var properties = required
        for (key, schema) in optional { properties[key] = schema.optionalSchemaObject() }
        return .object(properties: properties)
    }

    /// A list of objects with these required keys (their values not further described).
    static func items(_ keys: [String], _ described: OrderedDictionary<String, JSONSchema> = [:]) -> JSONSchema {
        var properties = OrderedDictionary<String, JSONSchema>()
        for key in keys { properties[key] = described[key] ?? .fragment }
        for (key, schema) in described where properties[key] == nil { properties[key] = schema.optionalSchemaObject() }
        return .array(items: .object(properties: properties))
    }

    static func reference(_ name: String) -> JSONSchema { .reference(.component(named: name)) }

    /// The lists of one gemeente share their head: ok, gemeente, naam, total, items.
    static func gemeenteList(_ items: JSONSchema, extra: OrderedDictionary<String, JSONSchema> = [:]) -> JSONSchema {
        var required: OrderedDictionary<String, JSONSchema> = ["ok": .boolean, "gemeente": .string, "naam": .string, "total": .integer, "items": items]
        for (key, schema) in extra { required[key] = schema }
        return object(required)
    }

    static var schemas: OrderedDictionary<String, JSONSchema> {
        let nullableNumber = JSONSchema.number(nullable: true)
        let value = object([
            "indicator": .string, "gebied": .string, "periode": .string, "waarde": nullableNumber,
            "status": .string(allowedValues: ObservationStatus.allCases.map { AnyCodable($0.rawValue) }),
        ], optional: [
            "teller": nullableNumber, "noemer": nullableNumber, "n": .integer(nullable: true),
            "ondergrens": nullableNumber, "bovengrens": nullableNumber,
            // From the domain's own lists, so a new origin (registratie, vragenlijst, netwerk came later) cannot be forgotten here.
            "herkomst": .string(allowedValues: ObservationOrigin.allCases.map { AnyCodable($0.rawValue) }), "import": .integer(nullable: true),
            "opmerking": .string(nullable: true), "versie": .integer(minimum: (1, exclusive: false)), "herzien": .boolean,
            "vastgelegd_op": .string(nullable: true), "vervangen_op": .string(nullable: true),
        ])
        return [
            "Error": object(["ok": .boolean(allowedValues: false), "status": .integer, "error": .string, "errors": .array(items: .string)]),
            "Value": value,
            "List": object(["ok": .boolean, "items": .array, "total": .integer],
                           optional: ["limit": .integer(nullable: true), "offset": .integer(nullable: true), "next_url": .string(nullable: true)]),
            "Area": object(["ok": .boolean, "gebied": .object, "waarden": .array(items: reference("Value"))]),
            "Indicator": object(["ok": .boolean, "indicator": .object]),
            "Peers": object(["ok": .boolean, "gemeente": .string, "vergelijkbaar": .array]),
            "Dialogues": gemeenteList(items(["id", "soort", "titel", "datum", "cijfers", "deelnemers", "vragen", "conclusies", "acties"])),
            "ConversationBoard": gemeenteList(items(["id", "naam", "soort", "plek", "perspectieven", "antwoorden", "telling"], [
                "soort": .string(allowedValues: ConversationBoardItem.Kind.allCases.map { AnyCodable($0.rawValue) }),
                "plek": .string(allowedValues: ConversationBoardPlace.allCases.map { AnyCodable($0.rawValue) }),
                "antwoorden": items(["rol", "antwoord", "waarom"], ["antwoord": .string(allowedValues: BelongingAnswer.allCases.map { AnyCodable($0.rawValue) })]),
            ]), extra: ["vraag": .string]),
            "ExpectedCare": object(["ok": .boolean, "niveau": .string, "total": .integer, "kanttekening": .string,
                                    "items": items(["gebied", "verwacht", "ondergrens", "bovengrens", "buiten_interval"], [
                                        "gebied": .string, "werkelijk": nullableNumber, "verwacht": .number, "ondergrens": .number,
                                        "bovengrens": .number, "verschil": nullableNumber, "buiten_interval": .boolean])]),
            "CareModel": object(["ok": .boolean, "n": .integer, "coefficienten": .array, "kanttekening": .string]),
            "Interventions": gemeenteList(items(["id", "naam", "start", "doelwijken", "vergelijkingswijken", "effecten", "aannames"])),
            "LocalIndicators": gemeenteList(items(["id", "naam", "definitie", "eenheid", "rol", "eigen_indicator_van"])),
            "Networks": gemeenteList(items(["id", "titel", "gebied", "datum", "actoren", "relaties", "dichtheid"])),
            "Facilities": gemeenteList(items(["id", "naam", "soort", "sferen", "gebied", "gebruik"], [
                "gebruik": items(["periode", "methode", "onderdrukt"], [
                    "periode": .string, "methode": .string, "onderdrukt": .boolean,
                    "bezoeken": .integer(nullable: true), "unieke_bezoekers": .integer(nullable: true)]),
            ]), extra: ["indicatoren": items(["id", "naam", "kaart_url", "url"])]),
            "Questionnaires": gemeenteList(items(["id", "titel", "sjabloon", "schalen", "rondes"], [
                "rondes": items(["id", "naam", "gebied", "periode", "resultaten", "per_sfeer"], [
                    "resultaten": object(["groep": .fragment, "respondenten": .integer(nullable: true), "onderdrukt": .boolean,
                                          "schalen": items(["schaal", "naam", "onderdrukt", "n", "gemiddelde", "alfa"])]),
                ]),
            ])),
            "DocumentAnalysis": object(["ok": .boolean, "term": .string, "per_jaar": .array, "per_gemeente": .array,
                                        "doelzinnen": items(["document", "gemeente", "jaar", "zin", "perspectieven", "waarom"])]),
            "Object": .object,
        ]
    }

    static func document() -> OpenAPI.Document {
        var paths = OpenAPI.PathItem.Map()
        let error = OpenAPI.Response(description: "Fout", content: [.json: .b(OpenAPI.Content(schemaReference: .component(named: "Error")))])
        for op in operations {
            var parameters: OpenAPI.Parameter.Array = []
            if op.pattern.rawValue.contains("{code}") { parameters.append(.b(codeParameter(for: op.pattern))) }
            if op.pattern.rawValue.contains("{id}") { parameters.append(.b(idParameter(action: false))) }
            for q in op.query {
                parameters.append(.b(OpenAPI.Parameter(name: q.name, context: .query(required: q.required, schema: q.schema), description: q.description)))
            }
            let ok = OpenAPI.Response(description: "Gelukt", content: [.json: .b(OpenAPI.Content(schemaReference: .component(named: op.schema)))])
            paths[OpenAPI.Path(rawValue: op.pattern.rawValue)] = .b(OpenAPI.PathItem(get: OpenAPI.Operation(
                summary: op.summary, operationId: "get_" + String(describing: op.pattern), parameters: parameters,
                responses: [200: .b(ok), 400: .b(error), 404: .b(error), 503: .b(error)])))
        }
        // The actions of the site: each its own POST route (a form with the session's CSRF token), listed so that what a
        // logged-in user can change is as visible as what anyone can read.
        let page = OpenAPI.Response(description: "De pagina, met wat er gebeurde of wat er mis is", content: [.html: .b(OpenAPI.Content(schema: nil))])
        let form = OpenAPI.Request(content: [
            .form: .b(OpenAPI.Content(schema: object(["csrf": .string(description: "het formuliertoken van de sessie")]))),
            .multipartForm: .b(OpenAPI.Content(schema: object(["csrf": .string]))),
        ], required: true)
        for action in SiteRoute.Pattern.actions {
            var parameters: OpenAPI.Parameter.Array = []
            if action.rawValue.contains("{code}") { parameters.append(.b(codeParameter(for: action))) }
            if action.rawValue.contains("{id}") { parameters.append(.b(idParameter(action: true))) }
            paths[OpenAPI.Path(rawValue: action.rawValue)] = .b(OpenAPI.PathItem(post: OpenAPI.Operation(
                tags: ["acties"], summary: action.summary, operationId: "post_" + String(describing: action), parameters: parameters,
                requestBody: form,
                responses: [
                    200: .b(page), 303: .b(OpenAPI.Response(description: "Gelukt: terug naar de pagina van het record, die zegt wat er gebeurde")),
                    400: .b(page), 403: .b(page), 404: .b(page),
                    409: .b(OpenAPI.Response(description: "Het record staat in een andere status dan de actie vraagt", content: [.html: .b(OpenAPI.Content(schema: nil))])),
                ])))
        }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_0,
            info: .init(title: "pbmonitor — Monitor pedagogische basis",
                        description: "JSON-API van de monitor, en de acties van de site (tag 'acties': formulieren voor wie is ingelogd, met het CSRF-token van de sessie). Elke succesvolle respons heeft ok: true; elke fout heeft ok: false, status, error en errors. Stabiel binnen /api/v1: velden worden alleen toegevoegd, niet hernoemd of verwijderd.",
                        license: .init(name: "Data: \(Release.licence) (Bron: \(Release.dataSource))", spdxIdentifier: Release.licenceSPDX),
                        version: Release.version),
            servers: [], paths: paths, components: .init(schemas: schemas.reduce(into: [:]) { $0[.init(stringLiteral: $1.key)] = $1.value }))
    }

    static func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document())) ?? Data()
    }
}
