import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/indicator-index.mustache`.
struct IndicatorIndexPage: Sendable {
    struct Item: Sendable { var id: String; var name: String; var url: String; var unit: String; var tags: String; var derived: Bool; var framing: String }
    struct Group: Sendable {
        var label: String; var anchor: String; var items: [Item]; var count: Int; var empty: Bool
        /// Indicators that touch this sphere at all (the home page's count); `count` lists each indicator once, under its main sphere.
        var touching: Int? = nil
    }
    var pageTitle = tr("Indicatoren — Monitor pedagogische basis")
    var jsonURL: String
    /// The long CSV for dashboards: every indicator of the catalogue this visitor sees, to choose from.
    var longExportURL = SiteRoute.longExport.path
    var longExportOptions: [Option] = []
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
        longExportOptions = catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: false) }
        let selected = catalog.indicators(picture: picture, role: role)
        func item(_ i: Indicator) -> Item {
            let layers = i.helpLayers.isEmpty ? [] : [tr("buitensfeer: {0}", DutchNumber.list(i.helpLayers.map(\.label)))]
            return Item(id: i.id, name: i.name, url: SiteRoute.indicator(i.id).path, unit: i.unit.label,
                        tags: ([i.role.label] + layers + i.perspectives.map(\.label) + i.knowledgeQuestions.map(\.rawValue) + i.pictures.map(\.label))
                            .joined(separator: " · "),
                        derived: !i.isLoaded, framing: i.framing.rawValue)
        }
        let basis = selected.filter { $0.role != .context }
        groups = Sphere.allCases.map { sphere in
            let indicators = basis.filter { $0.primarySphere == sphere }
            return Group(label: sphere.label, anchor: "sfeer-\(sphere.rawValue)", items: indicators.map(item), count: indicators.count, empty: indicators.isEmpty,
                         touching: basis.filter { $0.spheres.contains(sphere) }.count)
        }
        let context = selected.filter { $0.role == .context }
        self.context = Group(label: tr("Context (verklaart de basis, telt niet mee)"), anchor: "context", items: context.map(item), count: context.count,
                             empty: context.isEmpty)
        total = selected.count
        basisCount = basis.count
        pictureOptions = [Option(value: "", label: tr("landelijk en lokaal"), selected: picture == nil)]
            + Level.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == picture) }
        roleOptions = [Option(value: "", label: tr("alle rollen"), selected: role == nil)]
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

    struct TrendRow: Sendable { var name: String; var values: [String]; var change: String?; var sparkline: RenderedSVG? }

    init(_ d: IndicatorController.Distribution) {
        let i = d.indicator
        id = i.id
        attribution = BundledData.attribution(for: i)
        name = i.name
        pageTitle = tr("{0} — Monitor pedagogische basis", i.name)
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
        pictures = DutchNumber.list(i.pictures.map(\.label))
        perspectives = i.perspectives.map { Tag(label: $0.label) }
        questions = i.knowledgeQuestions.map { Tag(label: $0.label) }
        formula = i.formula.map { f in
            tr("{0} / {1} × {2} (per gebied berekend uit teller en noemer)", f.numerator, f.denominator, DutchNumber.format(f.factor, decimals: 0))
        } ?? i.registration.map(\.explanation) ?? i.survey.map { s in
            tr("gemiddelde schaalscore (1–5) van schaal '{0}' uit gepubliceerde rondes van de vragenlijst '{1}', per gebied en periode van de ronde; Cronbachs alfa staat bij de ronde", s.scale, QuestionnaireTemplates.template(s.template).map { tr($0.title) } ?? s.template)
        }
        aggregation = i.aggregation == .som
            ? tr("Voor grotere gebieden zonder eigen cijfer tellen we de delen op (buurten → wijk → gemeente → provincie, GGD-regio, Nederland), alleen als elk deel een waarde heeft.")
            : i.registration != nil ? tr("Per wijk en voor de gemeente zelf berekend uit het register (teller en noemer opgeteld over de voorzieningen); nooit een gemiddelde van wijkcijfers.")
            : i.survey != nil ? tr("Alleen voor het gebied van de ronde (een wijk of de hele gemeente); schaalscores worden niet opgeteld of gemiddeld over gebieden.")
            : (!i.isLoaded ? tr("Voor elk gebied berekend uit de opgetelde teller en noemer; nooit een gemiddelde van percentages.")
                                : tr("Niet opgeteld of gemiddeld: alleen cijfers die de bron zelf per gebied publiceert."))
        period = d.period ?? "—"
        periods = d.periods.sorted().map { PeriodLink(period: $0, url: SiteRoute.indicator(i.id).url([("periode", $0)]), current: $0 == d.period) }
        nederland = FigureText(d.nederland, indicator: i).value
        let numbers = d.gemeenten.compactMap { d.values[$0.code]?.value }
        chart = HistogramChart.render(values: numbers, indicator: i, reference: d.nederland?.value)
        let median = Summary.median(numbers)
        chartSummary = numbers.isEmpty ? tr("Geen gemeenten met een waarde in deze periode.")
            : tr("{0} gemeenten met een waarde; de middelste gemeente (mediaan) heeft {1}, de laagste {2} en de hoogste {3}.", numbers.count, DutchNumber.format(median!, unit: i.unit, decimals: i.decimals), DutchNumber.format(numbers.min()!, unit: i.unit, decimals: i.decimals), DutchNumber.format(numbers.max()!, unit: i.unit, decimals: i.decimals))
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
        if levels.isEmpty { levels = tr("nog geen cijfers") }
        burdenProducer = i.burden.producer.label
        burden = i.burden.hasBurden
            ? tr("{0} minuut per respondent × {1} respondenten ≈ {2} uur per meetronde", DutchNumber.format(i.burden.minutesPerRespondent, decimals: 1), DutchNumber.format(Double(i.burden.respondentsPerPeriod), decimals: 0), DutchNumber.format(i.burden.minutesPerPeriod / 60, decimals: 0))
            : tr("geen extra uitvraag (0 minuten)")
        burdenAssumption = i.burden.assumption
        uses = tr("{0} paginaweergaven, {1} verwijzingen uit gesprekken", d.usage.pageViews, d.usage.dialogueReferences)
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
                ? tr("{0} sinds {1}", DutchNumber.difference(numbers.last! - numbers[numbers.count - 2], unit: i.unit, decimals: i.decimals), periods[periods.count - 2])
                : nil
            let points = periods.compactMap { p in observations.first { $0.period == p }?.value.map { Series.Point(period: p, value: $0, reconstructed: false) } }
            return TrendRow(name: d.regionNames[area] ?? area.rawValue, values: cells, change: change,
                            sparkline: points.count >= 2 ? TrendChart.render(points, indicator: i) : nil)
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
        pageTitle = tr("Versies: {0}, {1}, {2} — Monitor pedagogische basis", indicator.name, area.name, period)
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
                       superseded: o.supersededAt.map(DutchDate.format) ?? tr("huidige versie"), isCurrent: o.supersededAt == nil,
                       source: record.map { tr("{0} (import {1})", $0.fileName, $0.id) } ?? "—")
        }
        hasVersions = !rows.isEmpty
        revised = rows.count > 1
    }
}
