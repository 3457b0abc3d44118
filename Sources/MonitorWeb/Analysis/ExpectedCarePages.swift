import Foundation
import Monitor

/// View model of `pages/expected-care.mustache`: actual, expected and difference as three maps and a table.
struct ExpectedCarePage: Sendable {
    struct MapView: Sendable { var title: String; var svg: RenderedSVG; var legend: RenderedSVG }
    struct Row: Sendable {
        var name: String
        var code: String
        var url: String
        var actual: String
        var expected: String
        var interval: String
        var difference: String
        var outside: Bool
        var coverage: String?
    }

    var pageTitle: String
    var jsonURL: String
    var modelURL = SiteRoute.careModel.path
    var caveat = ExpectedCareController.caveat
    var heading: String
    var levels: [Option]
    var gemeente: String
    var formAction = SiteRoute.expectedCare.path
    var maps: [MapView]
    var rows: [Row]
    var count: Int
    var outsideCount: Int
    var problem: String?
    var isGemeenteLevel: Bool
    var attribution = tr("Bron: CBS, Kerncijfers wijken en buurten {0} ({1}); model: pbmonitor", ExpectedCareModel.period, Release.licence)

    init(state: ExpectedCareController.State, query: ExpectedCareController.Query, predictions: [ExpectedCareModel.Prediction],
         layer: MapLayer, catalog: Catalog) {
        let place = query.level == .gemeente ? tr("alle gemeenten") : (query.gemeente.flatMap { state.names[$0] }.map { tr("de wijken van {0}", $0) } ?? tr("alle wijken"))
        heading = tr("Jeugdzorg: werkelijk en verwacht, {0}", place)
        pageTitle = tr("{0} — Monitor pedagogische basis", heading)
        jsonURL = SiteRoute.apiExpectedCare.url(query.parameters)
        levels = [Option(value: "gemeente", label: "gemeenten", selected: query.level == .gemeente),
                  Option(value: "wijk", label: "wijken", selected: query.level == .wijk)]
        gemeente = query.gemeente?.rawValue ?? ""
        isGemeenteLevel = query.level == .gemeente
        problem = state.problem
        let percent = { (v: Double?) in v.map { DutchNumber.format($0, decimals: 1) + "%" } ?? tr("geen gegevens") }
        let points = { (v: Double?) in v.map { DutchNumber.difference($0, unit: .procent, decimals: 1) } ?? "—" }
        let sorted = predictions.sorted { (state.names[$0.area] ?? $0.area.rawValue) < (state.names[$1.area] ?? $1.area.rawValue) }
        rows = sorted.map { p in
            Row(name: state.names[p.area] ?? p.area.rawValue, code: p.area.rawValue,
                url: query.level == .gemeente ? SiteRoute.expectedCare.url([("niveau", "wijk"), ("gemeente", p.area.rawValue)])
                                              : SiteRoute.profile(p.area.rawValue)?.path ?? "#",
                actual: percent(p.actual), expected: percent(p.expected),
                interval: "\(DutchNumber.format(max(p.lower, 0), decimals: 1)) – \(DutchNumber.format(p.upper, decimals: 1))",
                difference: points(p.difference), outside: p.isOutside,
                coverage: p.coverage.map { tr("{0}% van de inwoners", DutchNumber.format($0 * 100, decimals: 0)) })
        }
        count = rows.count
        outsideCount = predictions.filter(\.isOutside).count

        // Actual and expected share one set of classes, so the same colour means the same share on both maps.
        guard var indicator = catalog[ExpectedCareModel.outcome] else { maps = []; return }
        let actual = Dictionary(predictions.compactMap { p in p.actual.map { (p.area, $0) } }, uniquingKeysWith: { a, _ in a })
        let expected = Dictionary(predictions.map { ($0.area, $0.expected) }, uniquingKeysWith: { a, _ in a })
        let difference = Dictionary(predictions.compactMap { p in p.difference.map { (p.area, $0) } }, uniquingKeysWith: { a, _ in a })
        let shared = Classification(values: Array(actual.values) + Array(expected.values), classes: 5, method: .kwantielen)
        var maps: [MapView] = []
        let link: (AreaCode) -> String? = { code in
            query.level == .gemeente ? SiteRoute.expectedCare.url([("niveau", "wijk"), ("gemeente", code.rawValue)]) : SiteRoute.profile(code.rawValue)?.path
        }
        let actualTitle = tr("Werkelijk: jongeren met jeugdzorg in natura (%), {0}, {1}", place, ExpectedCareModel.period)
        let a = ChoroplethMap.render(layer: layer, values: actual, texts: actual.mapValues { percent($0) }, names: state.names,
                                     classification: shared, indicator: indicator, title: actualTitle, id: "werkelijk", link: link)
        maps.append(MapView(title: actualTitle, svg: a.svg, legend: a.legendHTML))
        indicator.name = tr("Verwacht aandeel jongeren met jeugdzorg (%)")
        let expectedTitle = tr("Verwacht uit de wijkkenmerken (%), {0}", place)
        let e = ChoroplethMap.render(layer: layer, values: expected, texts: expected.mapValues { percent($0) }, names: state.names,
                                     classification: shared, indicator: indicator, title: expectedTitle, id: "verwacht", link: link)
        maps.append(MapView(title: expectedTitle, svg: e.svg, legend: e.legendHTML))
        // The difference on a diverging scale around 0, symmetric, in two colours that say nothing of good or bad.
        // Class edges at the median and the 90th percentile of the absolute differences, the same on both sides.
        let sizes = difference.values.map(abs).sorted()
        let largest = max(sizes.last ?? 1, 0.1)
        let inner = max(sizes.isEmpty ? 0.05 : sizes[sizes.count / 2], 0.05)
        let outer = min(max(sizes.isEmpty ? 0.1 : sizes[sizes.count * 9 / 10], inner * 1.5), largest)
        var diverging = Classification(values: [0, 1], classes: 2, method: .gelijk)
        diverging.breaks = [-largest, -outer, -inner, inner, outer, largest]
        indicator.name = tr("Verschil werkelijk − verwacht (procentpunt)")
        let differenceTitle = tr("Verschil: werkelijk min verwacht (procentpunt), {0}", place)
        let d = ChoroplethMap.render(layer: layer, values: difference, texts: difference.mapValues { points($0) }, names: state.names,
                                     classification: diverging, indicator: indicator, title: differenceTitle, id: "verschil",
                                     palette: ChoroplethMap.diverging, link: link)
        maps.append(MapView(title: differenceTitle, svg: d.svg, legend: d.legendHTML))
        self.maps = maps
    }
}

/// View model of `pages/care-model.mustache`: the methods page.
struct ExpectedCareModelPage: Sendable {
    struct Coefficient: Sendable { var label: String; var estimate: String; var standardError: String; var t: String; var url: String? }
    struct Fact: Sendable { var label: String; var value: String }

    var pageTitle = tr("Methode: verwacht jeugdzorggebruik — Monitor pedagogische basis")
    var jsonURL = SiteRoute.apiCareModel.path
    var mapsURL = SiteRoute.expectedCare.path
    var caveat = ExpectedCareController.caveat
    var coefficients: [Coefficient]
    var facts: [Fact]
    var problem: String?

    init(state: ExpectedCareController.State) {
        problem = state.problem
        guard let model = state.model else { coefficients = []; facts = []; return }
        let f = model.fit
        coefficients = ExpectedCareModel.coefficientLabels.indices.map { i in
            Coefficient(label: ExpectedCareModel.coefficientLabels[i], estimate: DutchNumber.format(f.coefficients[i], decimals: 4),
                        standardError: DutchNumber.format(f.standardErrors[i], decimals: 4),
                        t: DutchNumber.format(f.coefficients[i] / f.standardErrors[i], decimals: 1),
                        url: i == 0 ? nil : SiteRoute.indicator(ExpectedCareModel.variables[i - 1].indicator).path)
        }
        facts = [
            Fact(label: tr("Wijken in het model"), value: tr("{0} (met een gepubliceerd jeugdzorgcijfer en alle kenmerken, {1})", model.n, ExpectedCareModel.period)),
            Fact(label: tr("Gemeenten"), value: "\(f.groupCount)"),
            Fact(label: tr("Verklaarde variantie door de kenmerken (marginale R²)"), value: DutchNumber.format(model.marginalRSquared, decimals: 3)),
            Fact(label: tr("Met de gemeente-effecten (conditionele R²)"), value: DutchNumber.format(model.conditionalRSquared, decimals: 3)),
            Fact(label: tr("Spreiding tussen gemeenten (σ gemeente)"), value: DutchNumber.format(f.betweenVariance.squareRoot(), decimals: 2) + " procentpunt"),
            Fact(label: tr("Spreiding tussen wijken binnen een gemeente (σ wijk)"), value: DutchNumber.format(f.withinVariance.squareRoot(), decimals: 2) + " procentpunt"),
            Fact(label: tr("Spreiding van werkelijk − verwacht"), value: DutchNumber.format(model.residualSpread, decimals: 2) + " procentpunt"),
            Fact(label: tr("IJking op het landelijke totaal"), value: DutchNumber.difference(model.calibration, unit: .procent, decimals: 2)
                    + tr(" bij elke verwachting: zo is het verwachte aandeel voor heel Nederland (gewogen naar inwoners) gelijk aan het werkelijke")),
            Fact(label: tr("Extra ijking per gemeente"), value: DutchNumber.difference(model.gemeenteCalibration, unit: .procent, decimals: 2)
                    + tr(": het gemeentecijfer van het CBS telt ook jongeren zonder bekende of gepubliceerde wijk en ligt gemiddeld zoveel boven wat de wijken laten verwachten")),
            Fact(label: tr("Tijd om het model te schatten"), value: DutchNumber.format(state.fitSeconds * 1000, decimals: 1) + tr(" ms (bij elke nieuwe import opnieuw)")),
        ]
    }
}
