import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Expected versus actual youth care: three maps and a table per gemeente or per wijk, the model on a
/// methods page, and their JSON twins. The model is refitted once per generation of the figures, so an
/// import of new figures gives a new model on the next request, on every node.
struct ExpectedCareController: Sendable {
    let store: any Store
    let renderer: PageRenderer?
    let layers: MapLayerCache
    let cache: GenerationCache<State>

    init(store: any Store, renderer: PageRenderer?, layers: MapLayerCache, cache: GenerationCache<State> = GenerationCache()) {
        self.store = store
        self.renderer = renderer
        self.layers = layers
        self.cache = cache
    }

    /// SCP's caveat, in plain Dutch, on every page and in every JSON answer.
    static var caveat: String {
        tr("Een verschil tussen werkelijk en verwacht jeugdzorggebruik zegt niet of beleid goed of slecht is. Het model kent alleen een paar kenmerken van de wijk (inkomen, bijstand, huishoudens, herkomst, stedelijkheid). Alles wat het niet kent — de toegang tot jeugdhulp, het aanbod, de werkwijze van wijkteams, huisartsen en scholen, de pedagogische basis zelf, en toeval — zit in het verschil. Meer jeugdzorg dan verwacht kan wijzen op goede signalering en toegang; minder dan verwacht op een sterke basis, óf op kinderen die hulp missen. Gebruik het verschil als vraag voor het gesprek, niet als oordeel of rangorde (naar SCP, Jeugdhulp in de wijk).")
    }

    /// The fitted model with its inputs, per generation.
    struct State: Sendable {
        var model: ExpectedCareModel?
        var problem: String?
        var inputs: [ExpectedCareModel.Input]
        var gemeenteActual: [AreaCode: Double]
        var names: [AreaCode: String]
        var fitSeconds: Double
        var generation: Int
    }

    func state() async throws -> State {
        let generation = try await store.generation()
        let store = self.store
        return try await cache.value(for: generation) { try await Self.load(store: store, generation: generation) }
    }

    /// Reads the wijk figures of the model's period and fits the model.
    static func load(store: any Store, generation: Int) async throws -> State {
        let period = ExpectedCareModel.period
        func values(_ indicator: String, _ kind: AreaKind) async throws -> [AreaCode: Double] {
            var result: [AreaCode: Double] = [:]
            for o in try await store.observations(ObservationQuery(indicator: indicator, areaKind: kind, period: period)).items
            where o.status == .waarde { if let v = o.value { result[o.area] = v } }
            return result
        }
        let outcome = try await values(ExpectedCareModel.outcome, .wijk)
        var characteristics: [[AreaCode: Double]] = []
        for variable in ExpectedCareModel.variables { characteristics.append(try await values(variable.indicator, .wijk)) }
        let inhabitants = try await values("inwoners", .wijk)
        var names: [AreaCode: String] = [:]
        for kind in [AreaKind.gemeente, .wijk] { for area in try await store.areas(kind: kind) { names[area.code] = area.name } }
        let wijken = Set(characteristics.first?.keys.map { $0 } ?? []).union(outcome.keys)
        let inputs = wijken.sorted { $0.rawValue < $1.rawValue }.compactMap { code -> ExpectedCareModel.Input? in
            guard let gemeente = code.gemeente else { return nil }
            let row = characteristics.compactMap { $0[code] }
            guard row.count == characteristics.count else { return nil }
            return ExpectedCareModel.Input(area: code, gemeente: gemeente, outcome: outcome[code], weight: inhabitants[code] ?? 0, values: row)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        var model: ExpectedCareModel?
        var problem: String?
        let gemeenteActual = try await values(ExpectedCareModel.outcome, .gemeente)
        do {
            model = try ExpectedCareModel.fit(inputs)
            model?.calibrateGemeenten(Dictionary(grouping: inputs, by: \.gemeente), actual: gemeenteActual)
        } catch let error as ModelError { problem = error.description }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return State(model: model, problem: problem, inputs: inputs, gemeenteActual: gemeenteActual,
                     names: names, fitSeconds: seconds, generation: generation)
    }

    struct Query: Sendable {
        var level: AreaKind
        var gemeente: AreaCode?

        /// `gemeente` may be a code or a name ("Amsterdam", "Den Haag").
        init(_ request: Request, store: any Store) async throws {
            let q = request.uri.queryParameters
            if let raw = q.get("gemeente"), !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                gemeente = try await GemeenteInput.resolve(raw, parameter: "gemeente", store: store)
            }
            let levelText = q.get("niveau").flatMap { $0.isEmpty ? nil : $0 } ?? (gemeente == nil ? "gemeente" : "wijk")
            switch levelText {
            case "gemeente": level = .gemeente
            case "wijk": level = .wijk
            default: throw AppError.badRequest(parameter: "niveau", message: tr("kies gemeente of wijk (gekregen '{0}')", levelText))
            }
        }

        var parameters: [(String, String?)] { [("niveau", level.rawValue), ("gemeente", gemeente?.rawValue)] }
    }

    /// Predictions for the query: every gemeente, or the wijken (of one gemeente, or of all).
    static func predictions(_ state: State, query: Query) -> [ExpectedCareModel.Prediction] {
        guard let model = state.model else { return [] }
        switch query.level {
        case .gemeente:
            let byGemeente = Dictionary(grouping: state.inputs, by: \.gemeente)
            let codes = query.gemeente.map { [$0] } ?? byGemeente.keys.sorted { $0.rawValue < $1.rawValue }
            return codes.compactMap { model.predict(gemeente: $0, wijken: byGemeente[$0] ?? [], actual: state.gemeenteActual[$0]) }
        default:
            return state.inputs.filter { query.gemeente == nil || $0.gemeente == query.gemeente }.compactMap(model.predict)
        }
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try await Query(request, store: store)
        let state = try await state()
        if let gemeente = query.gemeente, state.names[gemeente] == nil { throw AppError.notFound(tr("Onbekende gemeente: {0}", gemeente.rawValue)) }
        let predictions = Self.predictions(state, query: query)
        let layer = try await layers.layer(kind: query.level, gemeente: query.level == .wijk ? query.gemeente : nil)
        let page = ExpectedCarePage(state: state, query: query, predictions: predictions, layer: layer, catalog: context.catalog)
        return renderer!.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    func showJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try await Query(request, store: store)
        let state = try await state()
        if let gemeente = query.gemeente, state.names[gemeente] == nil { throw AppError.notFound(tr("Onbekende gemeente: {0}", gemeente.rawValue)) }
        let items = Self.predictions(state, query: query).map { ExpectedCareItem($0, name: state.names[$0.area]) }
        return try JSONResponse.make(ExpectedCareBody(niveau: query.level.rawValue, gemeente: query.gemeente?.rawValue, items: items, total: items.count,
                                                      model: SiteRoute.apiCareModel.path, probleem: state.problem),
                                     htmlAlternate: SiteRoute.expectedCare.url(query.parameters))
    }

    func model(_ request: Request, context: AppRequestContext) async throws -> Response {
        let state = try await state()
        return renderer!.response(ExpectedCareModelPage(state: state), chrome: context.chrome, jsonAlternate: SiteRoute.apiCareModel.path)
    }

    func modelJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let state = try await state()
        return try JSONResponse.make(CareModelBody(state), htmlAlternate: SiteRoute.careModel.path)
    }
}

// MARK: JSON

struct ExpectedCareItem: Codable, Sendable {
    var gebied: String
    var naam: String?
    var werkelijk: Double?
    var verwacht: Double
    var ondergrens: Double
    var bovengrens: Double
    var verschil: Double?
    var buiten_interval: Bool
    var dekking: Double?

    enum CodingKeys: String, CodingKey { case gebied, naam, werkelijk, verwacht, ondergrens, bovengrens, verschil, buiten_interval, dekking }

    /// Every field is present, `null` when there is no figure (a suppressed actual share stays visible as missing).
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gebied, forKey: .gebied)
        try c.encode(naam, forKey: .naam)
        try c.encode(werkelijk, forKey: .werkelijk)
        try c.encode(verwacht, forKey: .verwacht)
        try c.encode(ondergrens, forKey: .ondergrens)
        try c.encode(bovengrens, forKey: .bovengrens)
        try c.encode(verschil, forKey: .verschil)
        try c.encode(buiten_interval, forKey: .buiten_interval)
        try c.encode(dekking, forKey: .dekking)
    }

    init(_ p: ExpectedCareModel.Prediction, name: String?) {
        gebied = p.area.rawValue
        naam = name
        werkelijk = p.actual
        verwacht = p.expected
        ondergrens = p.lower
        bovengrens = p.upper
        verschil = p.difference
        buiten_interval = p.isOutside
        dekking = p.coverage
    }
}

struct ExpectedCareBody: Codable, Sendable {
    var ok = true
    var niveau: String
    var gemeente: String?
    var eenheid = tr("procent van de jongeren tot 23 jaar")
    var periode = ExpectedCareModel.period
    var items: [ExpectedCareItem]
    var total: Int
    var model: String
    var probleem: String?
    var kanttekening = ExpectedCareController.caveat
}

struct CareModelBody: Codable, Sendable {
    struct Coefficient: Codable, Sendable { var naam: String; var variabele: String?; var schatting: Double; var standaardfout: Double }
    var ok = true
    var uitkomst = ExpectedCareModel.outcome
    var periode = ExpectedCareModel.period
    var methode = tr("Lineair model met een random intercept per gemeente (wijken genest in gemeenten), geschat met REML; kleinste kwadraten via een QR-ontbinding (Householder).")
    var n: Int
    var gemeenten: Int
    var coefficienten: [Coefficient]
    var r2_marginaal: Double?
    var r2_conditioneel: Double?
    var sigma_gemeente: Double?
    var sigma_wijk: Double?
    var spreiding_residuen: Double?
    /// Added to every expectation so that nationally (weighted by inhabitants) expected equals actual.
    var ijking: Double?
    var ijking_gemeenten: Double?
    var herschatten_ms: Double
    var probleem: String?
    var kanttekening = ExpectedCareController.caveat

    init(_ state: ExpectedCareController.State) {
        let model = state.model
        n = model?.n ?? 0
        gemeenten = model?.fit.groupCount ?? 0
        coefficienten = model.map { m in
            ExpectedCareModel.coefficientLabels.indices.map { i in
                Coefficient(naam: ExpectedCareModel.coefficientLabels[i], variabele: i == 0 ? nil : ExpectedCareModel.variables[i - 1].indicator,
                            schatting: m.fit.coefficients[i], standaardfout: m.fit.standardErrors[i])
            }
        } ?? []
        r2_marginaal = model?.marginalRSquared
        r2_conditioneel = model?.conditionalRSquared
        sigma_gemeente = model.map { $0.fit.betweenVariance.squareRoot() }
        sigma_wijk = model.map { $0.fit.withinVariance.squareRoot() }
        spreiding_residuen = model?.residualSpread
        ijking = model?.calibration
        ijking_gemeenten = model?.gemeenteCalibration
        herschatten_ms = (state.fitSeconds * 1000 * 10).rounded() / 10
        probleem = state.problem
    }
}

/// The model outside the web server, for `pbmonitor expected-care`.
public enum ExpectedCareReport {
    /// A plain-text summary of the fitted model; with `designFile`, the model's data as CSV (transformed as in the model).
    public static func summary(store: any Store, designFile: String?) async throws -> String {
        let state = try await ExpectedCareController.load(store: store, generation: 0)
        guard let model = state.model else { return "Het model kon niet worden geschat: \(state.problem ?? "geen gegevens")." }
        if let designFile {
            var csv = "wijk,gemeente,uitkomst," + ExpectedCareModel.variables.map(\.indicator).joined(separator: ",") + "\n"
            for input in state.inputs {
                guard let outcome = input.outcome else { continue }
                let values = zip(ExpectedCareModel.variables, input.values).map { String($0.transform($1)) }
                csv += "\(input.area.rawValue),\(input.gemeente.rawValue),\(outcome)," + values.joined(separator: ",") + "\n"
            }
            try Data(csv.utf8).write(to: URL(fileURLWithPath: designFile), options: .atomic)
        }
        let f = model.fit
        var lines = ["Verwacht jeugdzorggebruik (\(ExpectedCareModel.outcome), \(ExpectedCareModel.period)): \(model.n) wijken in \(f.groupCount) gemeenten",
                     "REML random intercept per gemeente; geschat in \(String(format: "%.1f", state.fitSeconds * 1000)) ms"]
        for (index, label) in ExpectedCareModel.coefficientLabels.enumerated() {
            lines.append("  " + label.padding(toLength: 62, withPad: " ", startingAt: 0)
                         + String(format: "%16.9g  (se %.6g)", f.coefficients[index], f.standardErrors[index]))
        }
        lines.append(String(format: "σ²(gemeente) = %.8g, σ²(wijk) = %.8g, marginale R² = %.4f, conditionele R² = %.4f, spreiding = %.4f",
                            f.betweenVariance, f.withinVariance, model.marginalRSquared, model.conditionalRSquared, model.residualSpread))
        if let designFile { lines.append("Modelgegevens geschreven naar \(designFile).") }
        return lines.joined(separator: "\n")
    }
}
