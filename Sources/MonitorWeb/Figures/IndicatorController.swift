import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The catalogue: indicators grouped by sphere, and one indicator with its reasoning and distribution.
struct IndicatorController: Sendable {
    let store: any Store & DialogueStore
    let renderer: PageRenderer

    /// `?beeld=landelijk|lokaal` and `?rol=basis|context|hulp`, shared by the page and its JSON twin.
    static func filters(_ request: Request) throws -> (picture: Level?, role: IndicatorRole?) {
        let q = request.uri.queryParameters
        var picture: Level?, role: IndicatorRole?
        if let raw = q.get("beeld"), !raw.isEmpty {
            guard let value = Level(rawValue: raw) else { throw AppError.badRequest(parameter: "beeld", message: "kies landelijk of lokaal") }
            picture = value
        }
        if let raw = q.get("rol"), !raw.isEmpty {
            guard let value = IndicatorRole(rawValue: raw) else { throw AppError.badRequest(parameter: "rol", message: "kies basis, context of hulp") }
            role = value
        }
        return (picture, role)
    }

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (picture, role) = try Self.filters(request)
        let page = IndicatorIndexPage(catalog: context.catalog, picture: picture, role: role)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (picture, role) = try Self.filters(request)
        let items = context.catalog.indicators(picture: picture, role: role).map(IndicatorDTO.init)
        return try JSONResponse.make(ListBody(items: items, total: items.count), htmlAlternate: SiteRoute.indicators.path)
    }

    struct Distribution: Sendable {
        var indicator: Indicator
        var periods: [String]
        var period: String?
        var gemeenten: [Area]
        var values: [AreaCode: Observation]
        var nederland: Observation?
        /// Figures for Nederland, provincies and GGD-regio's over all periods (the trend table).
        var regional: [Observation]
        var regionNames: [AreaCode: String]
        var levels: Set<AreaKind>
        var usage: IndicatorUsage
    }

    func distribution(_ id: String, request: Request, catalog: Catalog) async throws -> Distribution {
        guard let indicator = catalog[id] else {
            throw AppError.notFound("Onbekende indicator: \(id). Zie /indicatoren voor de catalogus.")
        }
        let periods = try await store.periods(indicator: id)
        let requested = request.uri.queryParameters.get("periode")
        if let requested, !periods.contains(requested) {
            throw AppError.badRequest(parameter: "periode", message: "geen cijfers voor periode '\(requested)' (wel: \(periods.joined(separator: ", ")))")
        }
        async let gemeenten = store.areas(kind: .gemeente)
        let observations = try await store.observations(ObservationQuery(indicator: id, areaKind: .gemeente)).items
        // Default: the newest period in which gemeenten have numbers.
        let period = requested ?? observations.filter { $0.status == .waarde }.map(\.period).max() ?? periods.first
        var values: [AreaCode: Observation] = [:]
        for o in observations where o.period == period { values[o.area] = o }
        var nl: Observation? = nil
        if let period { nl = try await store.observations(ObservationQuery(indicator: id, areas: [.nederland], period: period)).items.first }
        async let provincies = store.areas(kind: .provincie)
        async let regions = store.areas(kind: .ggdregio)
        async let coverage = store.coverage()
        async let usage = store.usage()
        var regional = try await store.observations(ObservationQuery(indicator: id, areas: [.nederland])).items
        regional += try await store.observations(ObservationQuery(indicator: id, areaKind: .ggdregio)).items
        var names: [AreaCode: String] = [.nederland: "Nederland"]
        for area in try await provincies + regions { names[area.code] = area.name }
        return Distribution(indicator: indicator, periods: periods, period: period, gemeenten: try await gemeenten, values: values,
                            nederland: nl, regional: regional.filter { $0.status == .waarde || $0.area == .nederland },
                            regionNames: names, levels: try await coverage[id] ?? [], usage: try await usage[id] ?? IndicatorUsage())
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let distribution = try await distribution(try context.parameters.require("id"), request: request, catalog: context.catalog)
        // Count the view for the meetlast ledger without holding up the page.
        let store = self.store, id = distribution.indicator.id
        Task { try? await store.recordPageView(indicator: id) }
        var page = IndicatorShowPage(distribution)
        page.dialogue = DialogueBlock(records: try await store.publishedDialogues(indicator: id, area: nil),
                                      startURL: nil, listURL: nil)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    /// Every version of one figure (indicator × gebied × periode), oldest first, with the import it came from.
    /// POST (beheerders): `gebied`, `periode`, `reden` — withdraws the current figure (a new version without a value),
    /// for a stored figure that cannot be right. Audited as an import; the earlier versions stay.
    func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.withdrawFigures)
        let id = try context.parameters.require("id")
        guard context.catalog[id] != nil else { throw AppError.notFound("Onbekende indicator: \(id).") }
        let form = context.form
        guard let code = AreaCode(form["gebied"] ?? ""), try await store.area(code) != nil else {
            throw AppError.badRequest(parameter: "gebied", message: "een gebied dat de monitor kent")
        }
        guard let period = form["periode"], TidyImporter.normalizePeriod(period) == period else {
            throw AppError.badRequest(parameter: "periode", message: "een periode als 2023")
        }
        let reason = (form["reden"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else { throw AppError.badRequest(parameter: "reden", message: "zeg in een zin waarom (ten hoogste 500 tekens)") }
        _ = try await store.withdrawFigure(indicator: id, area: code, period: period, reason: reason, actor: account.username)
        return Response(status: .seeOther, headers: [.location: SiteRoute.versions(id).url([("gebied", code.rawValue), ("periode", period)])])
    }

    func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let indicator = context.catalog[id] else {
            throw AppError.notFound("Onbekende indicator: \(id). Zie /indicatoren voor de catalogus.")
        }
        let q = request.uri.queryParameters
        guard let raw = q.get("gebied"), let code = AreaCode(raw) else {
            throw AppError.badRequest(parameter: "gebied", message: "geef een CBS-gebiedscode, bijvoorbeeld ?gebied=GM0363&periode=2023")
        }
        guard let area = try await store.area(code) else { throw AppError.notFound("Onbekend gebied: \(code.rawValue)") }
        guard let period = q.get("periode"), !period.isEmpty else {
            throw AppError.badRequest(parameter: "periode", message: "geef een periode, bijvoorbeeld ?gebied=GM0363&periode=2023")
        }
        let versions = try await store.observations(ObservationQuery(indicator: id, areas: [code], period: period, versions: .all)).items
        let imports = Dictionary(uniqueKeysWithValues: try await store.imports().map { ($0.id, $0) })
        var page = VersionsPage(indicator: indicator, area: area, period: period, versions: versions, imports: imports)
        if context.account?.may(.withdrawFigures) == true, versions.last?.status == .waarde {
            page.mayWithdraw = true
            page.csrf = context.csrfToken
            page.formAction = SiteRoute.versions(id).path
        }
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }

    struct IndicatorBody: Codable, Sendable {
        var ok = true
        var indicator: IndicatorDTO
        var perioden: [String]
        var periode: String?
        var nederland: ValueDTO?
        var gemeenten: [ValueDTO]
        var bron = BundledData.attribution
    }

    func showJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let d = try await distribution(try context.parameters.require("id"), request: request, catalog: context.catalog)
        let body = IndicatorBody(indicator: IndicatorDTO(d.indicator), perioden: d.periods, periode: d.period,
                                 nederland: d.nederland.map(ValueDTO.init),
                                 gemeenten: d.gemeenten.compactMap { d.values[$0.code] }.map(ValueDTO.init), bron: BundledData.attribution(for: d.indicator))
        return try JSONResponse.make(body, htmlAlternate: SiteRoute.indicator(d.indicator.id).path)
    }
}

/// View model of `pages/indicator-index.mustache`.
struct IndicatorIndexPage: Sendable {
    struct Item: Sendable { var id: String; var name: String; var url: String; var unit: String; var tags: String; var derived: Bool; var framing: String }
    struct Group: Sendable { var label: String; var anchor: String; var items: [Item]; var count: Int; var empty: Bool }
    var pageTitle = "Indicatoren — pbmonitor"
    var jsonURL: String
    var action = SiteRoute.indicators.path
    var groups: [Group]
    /// Context apart: it explains the basis and is not counted as the basis.
    var context: Group
    var total: Int
    var basisCount: Int
    var pictureOptions: [Option]
    var roleOptions: [Option]
    var isFiltered: Bool

    init(catalog: Catalog, picture: Level? = nil, role: IndicatorRole? = nil) {
        let selected = catalog.indicators(picture: picture, role: role)
        func item(_ i: Indicator) -> Item {
            let layers = i.helpLayers.isEmpty ? [] : ["buitensfeer: " + i.helpLayers.map(\.label).joined(separator: " en ")]
            return Item(id: i.id, name: i.name, url: SiteRoute.indicator(i.id).path, unit: i.unit.label,
                        tags: ([i.role.label] + layers + i.perspectives.map(\.label) + i.knowledgeQuestions.map(\.rawValue) + i.pictures.map(\.label))
                            .joined(separator: " · "),
                        derived: !i.isLoaded, framing: i.framing.rawValue)
        }
        let basis = selected.filter { $0.role != .context }
        groups = Sphere.allCases.map { sphere in
            let indicators = basis.filter { $0.primarySphere == sphere }
            return Group(label: sphere.label, anchor: "sfeer-\(sphere.rawValue)", items: indicators.map(item), count: indicators.count, empty: indicators.isEmpty)
        }
        let context = selected.filter { $0.role == .context }
        self.context = Group(label: "Context (verklaart de basis, telt niet mee)", anchor: "context", items: context.map(item), count: context.count,
                             empty: context.isEmpty)
        total = selected.count
        basisCount = basis.count
        pictureOptions = [Option(value: "", label: "landelijk en lokaal", selected: picture == nil)]
            + Level.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == picture) }
        roleOptions = [Option(value: "", label: "alle rollen", selected: role == nil)]
            + IndicatorRole.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == role) }
        isFiltered = picture != nil || role != nil
        jsonURL = SiteRoute.apiIndicators.url([("beeld", picture?.rawValue), ("rol", role?.rawValue)])
    }
}

/// View model of `pages/indicator-show.mustache`.
struct IndicatorShowPage: Sendable {
    struct Row: Sendable {
        var name: String; var code: String; var url: String; var value: String; var hasValue: Bool; var origin: String?
        var revision: String?; var versionsURL: String?
    }
    struct Tag: Sendable { var label: String }
    struct PeriodLink: Sendable { var period: String; var url: String; var current: Bool }

    /// "Wat zeggen we ervan": published dialogue records about this indicator (any gemeente).
    var dialogue: DialogueBlock?
    var pageTitle: String
    var jsonURL: String
    var id: String
    var name: String
    var definition: String
    var unit: String
    var source: String
    var sourceTitle: String
    var sourceURL: String?
    var referencePeriod: String
    var polarity: String
    var framing: String
    var ageGroup: String
    var explanation: String
    var examples: [String]
    var caveats: [String]
    var spheres: [Tag]
    /// Rol (basis, context, hulp) with the reason from the catalogue, the layers of the buitensfeer, relations, picture.
    var role: String
    var roleReason: String
    var helpLayers: String?
    var relations: String?
    var pictures: String
    var perspectives: [Tag]
    var questions: [Tag]
    var formula: String?
    var aggregation: String
    var period: String
    var periods: [PeriodLink]
    var nederland: String
    var chart: RenderedSVG
    var chartSummary: String
    var rows: [Row]
    var withValue: Int
    var withoutValue: Int
    var hasGemeenteValues: Bool
    var levels: String
    var burdenProducer: String
    var burden: String
    var burdenAssumption: String
    var uses: String
    var trendPeriods: [String]
    var trendRows: [TrendRow]
    var hasTrend: Bool
    var downloads: [LinkItem]
    var attribution = BundledData.attribution

    struct TrendRow: Sendable { var name: String; var values: [String]; var change: String?; var chart: RenderedSVG? }

    init(_ d: IndicatorController.Distribution) {
        let i = d.indicator
        id = i.id
        attribution = BundledData.attribution(for: i)
        name = i.name
        pageTitle = "\(i.name) — pbmonitor"
        jsonURL = SiteRoute.apiIndicator(i.id).url([("periode", d.period)])
        definition = i.definition
        unit = i.unit.label
        source = i.source.citation
        sourceTitle = i.source.title
        sourceURL = i.source.url
        referencePeriod = i.referencePeriod
        polarity = i.polarity.label
        framing = i.framing.rawValue
        ageGroup = i.ageGroup
        explanation = i.explanation
        examples = i.usageExamples
        caveats = i.caveats
        spheres = i.spheres.map { Tag(label: $0.label) }
        role = i.role.label
        roleReason = i.roleReason
        helpLayers = i.helpLayers.isEmpty ? nil : i.helpLayers.map(\.label).joined(separator: ", ")
        relations = i.relations.isEmpty ? nil : i.relations.map(\.label).joined(separator: ", ")
        pictures = i.pictures.map(\.label).joined(separator: " en ")
        perspectives = i.perspectives.map { Tag(label: $0.label) }
        questions = i.knowledgeQuestions.map { Tag(label: $0.label) }
        formula = i.formula.map { f in
            "\(f.numerator) / \(f.denominator) × \(DutchNumber.format(f.factor, decimals: 0)) (per gebied berekend uit teller en noemer)"
        } ?? i.registration.map(\.explanation) ?? i.survey.map { s in
            "gemiddelde schaalscore (1–5) van schaal '\(s.scale)' uit gepubliceerde rondes van de vragenlijst '\(QuestionnaireTemplates.template(s.template)?.title ?? s.template)', per gebied en periode van de ronde; Cronbachs alfa staat bij de ronde"
        }
        aggregation = i.aggregation == .som
            ? "Voor grotere gebieden zonder eigen cijfer tellen we de delen op (buurten → wijk → gemeente → provincie, GGD-regio, Nederland), alleen als elk deel een waarde heeft."
            : i.registration != nil ? "Per wijk en voor de gemeente zelf berekend uit het register (teller en noemer opgeteld over de voorzieningen); nooit een gemiddelde van wijkcijfers."
            : i.survey != nil ? "Alleen voor het gebied van de ronde (een wijk of de hele gemeente); schaalscores worden niet opgeteld of gemiddeld over gebieden."
            : (!i.isLoaded ? "Voor elk gebied berekend uit de opgetelde teller en noemer; nooit een gemiddelde van percentages."
                                : "Niet opgeteld of gemiddeld: alleen cijfers die de bron zelf per gebied publiceert.")
        period = d.period ?? "—"
        periods = d.periods.sorted().map { PeriodLink(period: $0, url: SiteRoute.indicator(i.id).url([("periode", $0)]), current: $0 == d.period) }
        nederland = FigureText(d.nederland, indicator: i).value
        let numbers = d.gemeenten.compactMap { d.values[$0.code]?.value }
        chart = HistogramChart.render(values: numbers, indicator: i, reference: d.nederland?.value)
        let median = Summary.median(numbers)
        chartSummary = numbers.isEmpty ? "Geen gemeenten met een waarde in deze periode."
            : "\(numbers.count) gemeenten met een waarde; de middelste gemeente (mediaan) heeft \(DutchNumber.format(median!, unit: i.unit, decimals: i.decimals)), de laagste \(DutchNumber.format(numbers.min()!, unit: i.unit, decimals: i.decimals)) en de hoogste \(DutchNumber.format(numbers.max()!, unit: i.unit, decimals: i.decimals))."
        rows = d.gemeenten.map { area in
            let o = d.values[area.code]
            let text = FigureText(o, indicator: i)
            let revision = Revision(o)
            return Row(name: area.name, code: area.code.rawValue, url: SiteRoute.municipality(area.code.rawValue).path, value: text.value,
                       hasValue: text.hasValue, origin: o.flatMap { $0.origin == .geladen ? nil : $0.origin.label },
                       revision: revision?.text, versionsURL: revision?.url)
        }
        withValue = numbers.count
        withoutValue = d.gemeenten.count - numbers.count
        hasGemeenteValues = !numbers.isEmpty
        levels = Lamppost.levels.filter { d.levels.contains($0) }.map(\.label).joined(separator: ", ")
        if levels.isEmpty { levels = "nog geen cijfers" }
        burdenProducer = i.burden.producer.label
        burden = i.burden.hasBurden
            ? "\(DutchNumber.format(i.burden.minutesPerRespondent, decimals: 1)) minuut per respondent × \(DutchNumber.format(Double(i.burden.respondentsPerPeriod), decimals: 0)) respondenten ≈ \(DutchNumber.format(i.burden.minutesPerPeriod / 60, decimals: 0)) uur per meetronde"
            : "geen extra uitvraag (0 minuten)"
        burdenAssumption = i.burden.assumption
        uses = "\(d.usage.pageViews) paginaweergaven, \(d.usage.dialogueReferences) verwijzingen uit gesprekken"
        // Trend table: every period for Nederland and the regions that have figures.
        let periods = Array(Set(d.regional.map(\.period))).sorted()
        trendPeriods = periods
        let byArea = Dictionary(grouping: d.regional, by: \.area)
        trendRows = byArea.keys.sorted().compactMap { area in
            let observations = byArea[area]!
            guard observations.contains(where: { $0.status == .waarde }) else { return nil }
            let cells = periods.map { p in FigureText(observations.first { $0.period == p }, indicator: i).value }
            let numbers = periods.compactMap { p in observations.first { $0.period == p }?.value }
            let change = numbers.count >= 2
                ? "\(DutchNumber.difference(numbers.last! - numbers[numbers.count - 2], unit: i.unit, decimals: i.decimals)) sinds \(periods[periods.count - 2])"
                : nil
            let points = periods.compactMap { p in observations.first { $0.period == p }?.value.map { Series.Point(period: p, value: $0, reconstructed: false) } }
            return TrendRow(name: d.regionNames[area] ?? area.rawValue, values: cells, change: change,
                            chart: points.count >= 2 ? TrendChart.render(points, indicator: i) : nil)
        }
        hasTrend = !trendRows.isEmpty
        downloads = ExportController.links(indicator: i.id, parameters: [("niveau", "gemeente"), ("periode", d.period)])
    }
}

/// View model of `pages/versions.mustache`: the history of one figure.
struct VersionsPage: Sendable {
    struct Row: Sendable {
        var version: Int
        var value: String
        var hasValue: Bool
        var origin: String
        var recorded: String
        var superseded: String
        var isCurrent: Bool
        var source: String
    }
    var pageTitle: String
    var jsonURL: String
    var indicatorName: String
    var indicatorURL: String
    var areaName: String
    var areaURL: String?
    var period: String
    var rows: [Row]
    var hasVersions: Bool
    var revised: Bool
    var attribution = BundledData.attribution
    /// A beheerder may withdraw the current figure (for one that cannot be right).
    var mayWithdraw = false
    var csrf = ""
    var formAction = ""
    var areaCode: String

    init(indicator: Indicator, area: Area, period: String, versions: [Observation], imports: [Int: ImportRecord]) {
        pageTitle = "Versies: \(indicator.name), \(area.name), \(period) — pbmonitor"
        jsonURL = SiteRoute.apiValues.url([("indicator", indicator.id), ("gebied", area.code.rawValue), ("periode", period), ("versies", "alle")])
        indicatorName = indicator.name
        attribution = BundledData.attribution(for: indicator)
        indicatorURL = SiteRoute.indicator(indicator.id).path
        areaName = area.name
        areaCode = area.code.rawValue
        areaURL = SiteRoute.profile(area.code.rawValue)?.path
        self.period = period
        rows = versions.map { o in
            let text = FigureText(o, indicator: indicator)
            let record = o.importID.flatMap { imports[$0] }
            return Row(version: o.version, value: text.value, hasValue: text.hasValue, origin: o.origin.label,
                       recorded: o.recordedAt.map(DutchDate.format) ?? "—",
                       superseded: o.supersededAt.map(DutchDate.format) ?? "huidige versie", isCurrent: o.supersededAt == nil,
                       source: record.map { "\($0.fileName) (import \($0.id))" } ?? "—")
        }
        hasVersions = !rows.isEmpty
        revised = rows.count > 1
    }
}
