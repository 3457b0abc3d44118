import Foundation
import Monitor

/// View model of `pages/interventions.mustache`.
struct InterventionListPage: Sendable {
    struct Row: Sendable { var name: String; var url: String; var start: String; var status: String; var isConcept: Bool; var targets: String }

    var pageTitle: String
    var jsonURL: String
    var gemeenteName: String
    var gemeente: String
    var profileURL: String
    var formAction: String
    var rows: [Row]
    var form: InterventionForm.View?
    var errors: [String] = []
    /// A refused form: each problem beside the field it concerns, and what was typed.
    var feedback = FormFeedback()

    init(gemeente: Area, items: [Intervention]) {
        let code = gemeente.code.rawValue
        pageTitle = tr("Interventies en effecten — {0} — Monitor pedagogische basis", gemeente.name)
        jsonURL = SiteRoute.apiInterventions(code).path
        gemeenteName = gemeente.name
        self.gemeente = code
        profileURL = SiteRoute.municipality(code).path
        formAction = SiteRoute.interventions(code).path
        rows = items.map {
            Row(name: $0.name, url: SiteRoute.intervention(code, $0.id).path, start: $0.startPeriod, status: $0.status.rawValue,
                isConcept: $0.status == .concept, targets: DutchNumber.count($0.targets.count, "doelwijk", "doelwijken"))
        }
    }
}

/// View model of `pages/intervention.mustache`: definition, nulmeting, effect per indicator, MKBA, versions.
struct InterventionPage: Sendable {
    struct EstimateView: Sendable {
        var indicatorName: String
        var indicatorURL: String
        var hasEstimate: Bool
        /// Why there is no estimate yet.
        var waiting: String
        var basePeriod: String
        var followUpPeriod: String
        var targetChange: String
        var comparisonChange: String
        var estimate: String
        var interval: String
        var containsZero: Bool
        var counts: String
        var preTrend: String?
        var chart: RenderedSVG?
    }
    struct StakeholderRow: Sendable { var label: String; var costs: String; var benefits: String; var net: String; var qualitative: Int }
    struct ItemRow: Sendable { var stakeholder: String; var kind: String; var description: String; var year: Int; var amount: String; var present: String; var youthCare: Bool }
    struct SensitivityRow: Sendable { var label: String; var values: [String] }
    struct CostBenefitView: Sendable {
        var npv: String
        var npvWithoutYouthCare: String
        var ratio: String?
        var rate: String
        var stakeholders: [StakeholderRow]
        var items: [ItemRow]
        var qualitative: [ItemRow]
        var rateHeaders: [String]
        var sensitivity: [SensitivityRow]
    }
    struct Version: Sendable { var version: Int; var savedAt: String; var savedBy: String? }

    var pageTitle: String
    var listURL: String
    var gemeenteName: String
    var name: String
    var description: String
    var status: String
    var start: String
    var targets: [LinkItem]
    var comparison: [LinkItem]
    var baselineCount: Int
    var frozenAt: String
    var estimates: [EstimateView]
    var assumptions = DifferenceInDifferences.assumptions
    var costBenefit: CostBenefitView?
    var versions: [Version]
    var csrf: String?
    var edit: InterventionForm.View?
    var costBenefitForm: CostBenefitForm.View?
    var publication: PublicationForms?
    var editURL: String
    var costBenefitURL: String
    var typeName: String?
    var typeURL: String?
    var origin: OriginView?
    var message: String?
    var errors: [String] = []
    /// A refused form: each problem beside the field it concerns, and what was typed.
    var feedback = FormFeedback()

    init(item: Intervention, gemeente: Area, estimates: [(indicator: String, estimate: DifferenceInDifferences?)], current: [BaselineFigure], catalog: Catalog,
         names: [AreaCode: String], versions: [(version: Int, savedAt: Date, savedBy: String)], csrf: String?) {
        let code = gemeente.code.rawValue
        pageTitle = tr("{0} — interventie in {1} — Monitor pedagogische basis", item.name, gemeente.name)
        listURL = SiteRoute.interventions(code).path
        editURL = SiteRoute.action(.interventionEdit, code: code, id: item.id).path
        costBenefitURL = SiteRoute.action(.interventionCostBenefit, code: code, id: item.id).path
        gemeenteName = gemeente.name
        name = item.name
        description = item.description
        status = item.status.rawValue
        start = item.startPeriod
        let link = { (area: AreaCode) in LinkItem(name: "\(names[area] ?? area.rawValue) (\(area.rawValue))", url: SiteRoute.profile(area.rawValue)?.path ?? "#") }
        targets = item.targets.map(link)
        comparison = item.comparison.map(link)
        baselineCount = item.baseline.count
        frozenAt = item.frozenAt.map { "\(DutchDate.long($0)) om \(DutchDate.time($0))" } ?? "—"
        self.estimates = estimates.map { id, did in
            let indicator = catalog[id]
            let decimals = indicator?.decimals ?? 1
            let unit = indicator?.unit ?? .aantal
            guard let did else {
                let before = item.baseline.contains { $0.indicator == id }
                let after = current.contains { $0.indicator == id && $0.period >= item.startPeriod }
                let waiting = !before
                    ? tr("Geen schatting mogelijk: de nulmeting heeft voor deze indicator geen cijfers van vóór {0} (kies een latere start of een indicator met een langere reeks).", item.startPeriod)
                    : (!after ? tr("Nog geen schatting: de cijfers van {0} of later zijn er nog niet. De nulmeting ligt vast.", item.startPeriod)
                              : tr("Nog geen schatting: er zijn niet voor beide groepen cijfers van vóór én na de start."))
                return EstimateView(indicatorName: indicator?.name ?? id, indicatorURL: SiteRoute.indicator(id).path, hasEstimate: false, waiting: waiting, basePeriod: "",
                                    followUpPeriod: "", targetChange: "", comparisonChange: "", estimate: "", interval: "", containsZero: false,
                                    counts: "", preTrend: nil, chart: nil)
            }
            let diff = { (v: Double) in DutchNumber.difference(v, unit: unit, decimals: decimals + 1) }
            return EstimateView(
                indicatorName: indicator?.name ?? id, indicatorURL: SiteRoute.indicator(id).path, hasEstimate: true, waiting: "",
                basePeriod: did.basePeriod, followUpPeriod: did.followUpPeriod, targetChange: diff(did.targetChange),
                comparisonChange: diff(did.comparisonChange), estimate: diff(did.estimate),
                interval: tr("{0} tot {1}", diff(did.lower), diff(did.upper)), containsZero: did.lower <= 0 && 0 <= did.upper,
                counts: tr("{0}, {1}, {2} vrijheidsgraden", DutchNumber.count(did.targetCount, "doelwijk", "doelwijken"), DutchNumber.count(did.comparisonCount, "vergelijkingswijk", "vergelijkingswijken"), DutchNumber.format(did.degreesOfFreedom, decimals: 1)),
                preTrend: did.preTrendDifference.map { tr("Vóór de start verschilde de trend {0} tussen de groepen.", diff($0)) },
                chart: ParallelTrendsChart.render(did, startPeriod: item.startPeriod, indicatorName: indicator?.name ?? id, decimals: decimals))
        }
        self.versions = versions.map { Version(version: $0.version, savedAt: "\(DutchDate.long($0.savedAt)) \(DutchDate.time($0.savedAt))", savedBy: $0.savedBy) }
        self.csrf = csrf
        costBenefit = item.costBenefit.map(Self.costBenefitView)
    }

    static func costBenefitView(_ a: CostBenefitAnalysis) -> CostBenefitView {
        let euro = { (v: Double) in (v < 0 ? "−€ " : "€ ") + DutchNumber.format(abs(v), decimals: 0) }
        let rows = a.items.map { item -> ItemRow in
            ItemRow(stakeholder: item.stakeholder.label, kind: item.kind.rawValue, description: item.description, year: item.year,
                    amount: item.base.map(euro) ?? tr("niet in geld uitgedrukt"), present: a.presentValue(item).map(euro) ?? "—", youthCare: item.youthCareSaving)
        }
        let rates = [a.discountRate - 0.01, a.discountRate, a.discountRate + 0.01].map { max($0, 0) }
        return CostBenefitView(
            npv: euro(a.netPresentValue()), npvWithoutYouthCare: euro(a.netPresentValueWithoutYouthCareSavings()),
            ratio: a.benefitCostRatio().map { DutchNumber.format($0, decimals: 2) }, rate: DutchNumber.format(a.discountRate * 100, decimals: 2) + "%",
            stakeholders: a.byStakeholder().map {
                StakeholderRow(label: $0.stakeholder.label, costs: euro($0.costs), benefits: euro($0.benefits), net: euro($0.benefits - $0.costs),
                               qualitative: $0.qualitative)
            },
            items: zip(a.items, rows).filter { $0.0.isMonetised }.map(\.1), qualitative: zip(a.items, rows).filter { !$0.0.isMonetised }.map(\.1),
            rateHeaders: rates.map { "discontovoet " + DutchNumber.format($0 * 100, decimals: 2) + "%" },
            sensitivity: CostBenefitAnalysis.Scenario.allCases.map { scenario in
                SensitivityRow(label: scenario.label, values: rates.map { euro(a.netPresentValue(scenario, rate: $0)) })
            })
    }
}

/// Parallel trends: the mean of the targets and of the comparison wijken per period, with the start marked.
enum ParallelTrendsChart {
    static func render(_ did: DifferenceInDifferences, startPeriod: String, indicatorName: String, decimals: Int) -> RenderedSVG {
        let points = did.series.filter { $0.targets != nil || $0.comparison != nil }
        guard points.count >= 2 else { return RenderedSVG("") }
        let width = 560.0, height = 240.0, left = 56.0, right = 120.0, top = 16.0, bottom = 36.0
        let values = points.flatMap { [$0.targets, $0.comparison].compactMap { $0 } }
        var low = values.min()!, high = values.max()!
        if high - low < 1e-9 { low -= 1; high += 1 }
        let pad = (high - low) * 0.1
        low -= pad; high += pad
        func x(_ i: Int) -> Double { left + Double(i) / Double(points.count - 1) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (high - v) / (high - low) * (height - top - bottom) }
        let title = tr("{0}: gemiddelde van de doelwijken en de vergelijkingswijken per periode", indicatorName)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" role="img" aria-label="\#(xmlEscape(title))" class="trends-chart">"#
        s += "<title>\(xmlEscape(title))</title>"
        if let index = points.firstIndex(where: { $0.period >= startPeriod }) {
            let sx = index == 0 ? x(0) : (x(index - 1) + x(index)) / 2
            s += #"<line x1="\#(svgNumber(sx))" y1="\#(svgNumber(top))" x2="\#(svgNumber(sx))" y2="\#(svgNumber(height - bottom))" class="start-line"/>"#
            s += #"<text x="\#(svgNumber(sx + 4))" y="\#(svgNumber(top + 10))" class="tick">start</text>"#
        }
        for tick in NiceScale.ticks(lower: low, upper: high, count: 4) {
            s += #"<text x="\#(svgNumber(left - 6))" y="\#(svgNumber(y(tick) + 4))" text-anchor="end" class="tick">\#(xmlEscape(DutchNumber.format(tick, decimals: decimals)))</text>"#
        }
        for (i, p) in points.enumerated() {
            s += #"<text x="\#(svgNumber(x(i)))" y="\#(svgNumber(height - bottom + 16))" text-anchor="middle" class="tick">\#(xmlEscape(p.period))</text>"#
        }
        for (label, keyPath, css) in [("doelwijken", \DifferenceInDifferences.PeriodMeans.targets, "line-targets"),
                                      ("vergelijkingswijken", \DifferenceInDifferences.PeriodMeans.comparison, "line-comparison")] {
            let coordinates = points.enumerated().compactMap { i, p in p[keyPath: keyPath].map { (x(i), y($0), p.period, $0) } }
            guard !coordinates.isEmpty else { continue }
            s += #"<polyline class="\#(css)" fill="none" points="\#(coordinates.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " "))"/>"#
            for c in coordinates {
                s += #"<circle class="\#(css)" cx="\#(svgNumber(c.0))" cy="\#(svgNumber(c.1))" r="3"><title>\#(xmlEscape("\(label), \(c.2): \(DutchNumber.format(c.3, decimals: decimals))"))</title></circle>"#
            }
            if let lastPoint = coordinates.last {
                s += #"<text x="\#(svgNumber(lastPoint.0 + 8))" y="\#(svgNumber(lastPoint.1 + 4))" class="\#(css)-label">\#(label)</text>"#
            }
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

// MARK: JSON

struct InterventionJSON: Codable, Sendable {
    struct Estimate: Codable, Sendable {
        var indicator: String
        var basisperiode: String?
        var vervolgperiode: String?
        var verandering_doelwijken: Double?
        var verandering_vergelijkingswijken: Double?
        var effect: Double?
        var ondergrens: Double?
        var bovengrens: Double?
        var vrijheidsgraden: Double?
    }
    struct CostBenefitJSON: Codable, Sendable {
        var discontovoet: Double
        var netto_contante_waarde: [String: Double]
        var netto_contante_waarde_zonder_jeugdzorgbesparing: Double
        var posten: Int
        var niet_in_geld: Int
    }

    var id: Int
    var naam: String
    var beschrijving: String
    var start: String
    var doelwijken: [String]
    var vergelijkingswijken: [String]
    var indicatoren: [String]
    var nulmeting_cijfers: Int
    var nulmeting_vastgelegd: String?
    var versie: Int
    var effecten: [Estimate]
    var aannames = DifferenceInDifferences.assumptions
    var mkba: CostBenefitJSON?
    var url: String

    init(_ item: Intervention, estimates: [(indicator: String, estimate: DifferenceInDifferences?)]) {
        id = item.id
        naam = item.name
        beschrijving = item.description
        start = item.startPeriod
        doelwijken = item.targets.map(\.rawValue)
        vergelijkingswijken = item.comparison.map(\.rawValue)
        indicatoren = item.indicators
        nulmeting_cijfers = item.baseline.count
        nulmeting_vastgelegd = item.frozenAt.map { ISO8601DateFormatter().string(from: $0) }
        versie = item.version
        effecten = estimates.map { id, d in
            Estimate(indicator: id, basisperiode: d?.basePeriod, vervolgperiode: d?.followUpPeriod, verandering_doelwijken: d?.targetChange,
                     verandering_vergelijkingswijken: d?.comparisonChange, effect: d?.estimate, ondergrens: d?.lower, bovengrens: d?.upper,
                     vrijheidsgraden: d?.degreesOfFreedom)
        }
        mkba = item.costBenefit.map { a in
            CostBenefitJSON(discontovoet: a.discountRate,
                            netto_contante_waarde: Dictionary(uniqueKeysWithValues: CostBenefitAnalysis.Scenario.allCases.map { ($0.rawValue, a.netPresentValue($0)) }),
                            netto_contante_waarde_zonder_jeugdzorgbesparing: a.netPresentValueWithoutYouthCareSavings(),
                            posten: a.items.count, niet_in_geld: a.items.filter { !$0.isMonetised }.count)
        }
        url = SiteRoute.intervention(item.gemeente.rawValue, item.id).path
    }
}

