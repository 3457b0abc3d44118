import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// The voorzieningen register of a gemeente: a CSV upload or a form adds concepts; publishing shows them to all,
/// on the wijk map as points and as a table, with downloads (CSV, Dutch Excel) and a JSON twin.
struct FacilityController: Sendable {
    let store: any Store & FacilityStore & ConversationBoardStore
    let renderer: PageRenderer
    let layers: MapLayerCache

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        switch request.uri.queryParameters.get("formaat") ?? "" {
        case "": return try await page(gemeente: gemeente, context: context)
        case let format where ["csv", "excel", "gebruik-csv", "gebruik-excel"].contains(format):
            let excel = format.hasSuffix("excel")
            let facilities = try await store.facilities(gemeente: gemeente.code, includeConcepts: false)
            let usage = format.hasPrefix("gebruik")
            let csv = usage ? UsageImporter.csv(try await store.usage(gemeente: gemeente.code, includeConcepts: false), facilities: facilities, excel: excel)
                            : FacilityImporter.csv(facilities, excel: excel)
            let name = "\(usage ? "gebruik" : "voorzieningen")-\(gemeente.code.rawValue)\(excel ? "-excel" : "").csv"
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: ByteBuffer(string: csv)))
        default:
            throw AppError.badRequest(parameter: "formaat", message: tr("kies csv, excel, gebruik-csv of gebruik-excel"))
        }
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let facilities = try await store.facilities(gemeente: gemeente.code, includeConcepts: false)
        let usage = Dictionary(grouping: try await store.usage(gemeente: gemeente.code, includeConcepts: false), by: \.facilityID)
        return try JSONResponse.make(FacilityListJSON(gemeente: gemeente.code.rawValue, naam: gemeente.name,
                                                      items: facilities.map { FacilityJSON($0, usage: usage[$0.id] ?? []) },
                                                      total: facilities.count,
                                                      indicatoren: RegisterIndicatorLink.all(catalog: context.catalog, gemeente: gemeente.code).map(\.json)),
                                     htmlAlternate: SiteRoute.facilities(gemeente.code.rawValue).path)
    }

    /// POST `…/voorzieningen/uploaden`: a CSV of facilities (multipart, field `bestand`) as concepts, whole or not at all.
    func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { form, account, gemeente, known in
            let file = try Self.file(form)
            let name = file.fileName.isEmpty ? "voorzieningen.csv" : (file.fileName as NSString).lastPathComponent
            let facilities = try FacilityImporter.parse(file.data, file: name, gemeente: gemeente, knownAreas: known,
                                                        locator: try await locator(gemeente))
            let saved = try await store.addFacilities(facilities, actor: account.username, source: name)
            return tr("{0} uit {1} toegevoegd als concept. Publiceer ze om ze voor iedereen te tonen.", DutchNumber.count(saved.count, "voorziening", "voorzieningen"), name)
        }
    }

    /// The fields of the two forms, in order: id, label, and the importer's column each feeds.
    static var facilityFields: [(id: String, label: String, column: String)] { [
        ("naam", tr("Naam"), "naam"), ("soort", tr("Soort"), "soort"), ("sfeer", tr("Sfeer"), "sferen"), ("gebied", tr("Wijk of buurt"), "gebied"),
        ("breedtegraad", tr("Breedtegraad"), "breedtegraad"), ("lengtegraad", tr("Lengtegraad"), "lengtegraad"), ("doelgroep", tr("Doelgroep"), "doelgroep"),
        ("hoort_bij_basis", tr("Hoort bij onze pedagogische basis?"), "hoort_bij_basis"), ("waarom", tr("Waarom?"), "waarom"),
    ] }
    static var usageFields: [(id: String, label: String, column: String)] { [
        ("voorziening", tr("Voorziening"), "voorziening"), ("periode", tr("Periode"), "periode"), ("methode", tr("Methode"), "methode"),
        ("bezoeken", tr("Bezoeken"), "bezoeken"), ("unieke_bezoekers", tr("Unieke bezoekers"), "unieke_bezoekers"),
    ] }

    /// POST `…/voorzieningen/toevoegen`: one facility from the form, as a concept.
    func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente, fields: Self.facilityFields) { form, account, gemeente, known in
            var fields: [String: String] = [:]
            for column in FacilityImporter.columns { fields[column] = form[column] }
            fields["sferen"] = form["sfeer"]
            let facility = try FacilityImporter.facility(fields: fields, gemeente: gemeente, knownAreas: known, locator: try await locator(gemeente))
            _ = try await store.addFacilities([facility], actor: account.username, source: "formulier")
            return tr("{0} toegevoegd als concept.", facility.name)
        }
    }

    /// POST `…/voorzieningen/gebruik-uploaden`: a CSV of usage counts (multipart, field `bestand`) as concepts.
    func uploadUsage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente) { form, account, gemeente, _ in
            let file = try Self.file(form)
            let name = file.fileName.isEmpty ? "gebruik.csv" : (file.fileName as NSString).lastPathComponent
            let register = try await store.facilities(gemeente: gemeente, includeConcepts: true)
            let usage = try UsageImporter.parse(file.data, file: name, gemeente: gemeente, facilities: register)
            let count = try await store.addUsage(usage, actor: account.username, source: name)
            return tr("{0} gebruik uit {1} toegevoegd als concept. Publiceer ze om de cijfers per wijk te berekenen.", DutchNumber.count(count, "regel", "regels"), name)
        }
    }

    /// POST `…/voorzieningen/gebruik-toevoegen`: one usage count from the form, as a concept.
    func addUsage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.editGemeente, fields: Self.usageFields) { form, account, gemeente, _ in
            var fields: [String: String] = [:]
            for column in UsageImporter.columns { fields[column] = form[column] }
            let register = try await store.facilities(gemeente: gemeente, includeConcepts: true)
            let usage = try UsageImporter.usage(fields: fields, gemeente: gemeente, facilities: register)
            _ = try await store.addUsage([usage], actor: account.username, source: "formulier")
            return tr("Gebruik voor {0} toegevoegd als concept.", usage.period)
        }
    }

    /// POST `…/voorzieningen/publiceren`: every concept of the register (facilities and usage), and its figures per wijk.
    func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, needs: Permission.publishGemeente) { _, account, gemeente, _ in
            let result = try await store.publishFacilities(gemeente: gemeente, actor: account.username)
            return tr("{0} en {1} gebruik gepubliceerd; ", DutchNumber.count(result.facilities, "voorziening", "voorzieningen"), DutchNumber.count(result.usage, "regel", "regels"))
                + tr("{0} per wijk en gemeente nieuw of herzien.", DutchNumber.count(result.figures.new + result.figures.revised, "cijfer", "cijfers"))
        }
    }

    static func file(_ form: FormData) throws -> FormData.File {
        guard let file = form.files["bestand"], !file.data.isEmpty else { throw AppError.badRequest(parameter: "bestand", message: tr("kies een CSV-bestand")) }
        return file
    }

    /// One action on the register: who may, then the register page with its message — or the problems and 400: a file's
    /// with file, line and column; a form's next to its fields, with what was typed kept.
    private func act(_ context: AppRequestContext, needs permission: (AreaCode) -> Permission,
                     fields: [(id: String, label: String, column: String)] = [],
                     _ body: (FormData, Account, AreaCode, Set<AreaCode>) async throws -> String) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(permission(gemeente.code))
        let areas = try await store.areas(inGemeente: gemeente.code)
        var errors: [String] = []
        var feedback = FormFeedback()
        var message: String?
        let typed = Dictionary(fields.map { ($0.id, context.form[$0.id] ?? "") }, uniquingKeysWith: { a, _ in a })
        do {
            message = try await body(context.form, account, gemeente.code, Set(areas.map(\.code)))
        } catch let problems as ImportProblems {
            if fields.isEmpty { errors = problems.problems.map(\.description) } else { feedback = FormFeedback(problems: problems.problems, fields: fields, typed: typed) }
        } catch let problem as ImportError {
            if fields.isEmpty { errors = [problem.description] } else { feedback = FormFeedback(problems: [problem], fields: fields, typed: typed) }
        }
        return try await page(gemeente: gemeente, context: context, areas: areas, message: message, errors: errors, feedback: feedback,
                              status: errors.isEmpty && feedback.isEmpty ? .ok : .badRequest)
    }

    /// Finds the wijk of a facility from its coordinates (the gemeente's wijk boundaries).
    func locator(_ gemeente: AreaCode) async throws -> AreaLocator {
        AreaLocator(shapes: try await store.shapes(kind: .wijk, withinGemeente: gemeente).compactMap { row in
            Shape(geoJSON: row.geoJSON).map { (code: row.code, shape: $0) }
        })
    }

    /// The register page; `areas` are the gemeente's wijken and buurten when the caller has them already.
    func page(gemeente: Area, context: AppRequestContext, areas: [Area]? = nil, message: String? = nil, errors: [String] = [],
              feedback: FormFeedback = FormFeedback(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        let facilities = try await store.facilities(gemeente: gemeente.code, includeConcepts: mayRead)
        var names: [AreaCode: String] = [:]
        var areas = areas
        if areas == nil { areas = try await store.areas(inGemeente: gemeente.code) }
        for area in areas ?? [] { names[area.code] = area.name }
        let layer = try await layers.layer(kind: .wijk, gemeente: gemeente.code)
        let usage = try await store.usage(gemeente: gemeente.code, includeConcepts: mayRead)
        let board = try await store.conversationBoardItems(gemeente: gemeente.code, includeConcepts: mayRead)
        var page = FacilityPage(gemeente: gemeente, facilities: facilities, usage: usage, board: board, names: names, layer: layer,
                                indicators: RegisterIndicatorLink.all(catalog: context.catalog, gemeente: gemeente.code))
        if context.account?.may(.editGemeente(gemeente.code)) == true {
            page.mayEdit = true
            page.csrf = context.csrfToken
            page.kinds = Facility.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: feedback.values["soort"] == $0.rawValue) }
            page.spheres = Sphere.allCases.map { Option(value: $0.rawValue, label: $0.shortLabel, selected: feedback.values["sfeer"] == $0.rawValue) }
            page.basisOptions = [("", tr("nog niet besproken")), ("ja", "ja"), ("nee", "nee"), ("twijfel", "twijfel")].map {
                Option(value: $0.0, label: $0.1, selected: feedback.values["hoort_bij_basis"] == $0.0)
            }
        }
        page.mayPublish = context.account?.may(.publishGemeente(gemeente.code)) == true
            && (facilities.contains { $0.status == .concept } || usage.contains { $0.status == .concept })
        page.methods = FacilityUsage.Method.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: feedback.values["methode"] == $0.rawValue) }
        page.facilityOptions = facilities.map {
            Option(value: String($0.id), label: "\($0.name) (\(names[$0.area] ?? $0.area.rawValue))", selected: feedback.values["voorziening"] == String($0.id))
        }
        page.message = message
        page.errors = errors
        page.feedback = feedback
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: page.jsonURL)
    }
}
