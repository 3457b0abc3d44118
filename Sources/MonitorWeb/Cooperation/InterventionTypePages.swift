import Foundation
import Monitor

/// View model of `pages/intervention-types.mustache`.
struct InterventionTypeListPage: Sendable {
    struct Row: Sendable { var name: String; var url: String; var description: String; var designs: String }
    var pageTitle = tr("Soorten interventies — Monitor pedagogische basis")
    var rows: [Row]
    var mayAdd = false
    var csrf = ""
    var formAction = SiteRoute.interventionTypes.path
    var feedback = FormFeedback()

    static var fields: [(id: String, label: String)] { [("naam", tr("Naam")), ("beschrijving", tr("Beschrijving"))] }

    init(types: [InterventionType], shared: [String: Int]) {
        rows = types.map { type in
            Row(name: type.name, url: SiteRoute.interventionType(type.id).path, description: type.description,
                designs: DutchNumber.count(shared[type.id] ?? 0, "gedeelde opzet", "gedeelde opzetten"))
        }
    }
}

/// View model of `pages/intervention-type.mustache`: the designs of one type and, for one outcome indicator, their pooled
/// estimate (or why there is none), the forest plot and the table.
struct InterventionTypePage: Sendable {
    /// A shared, published design of this type with its estimate per indicator.
    struct Design: Sendable {
        var item: Intervention
        var gemeenteName: String
        var estimates: [String: DifferenceInDifferences?]
    }
    struct DesignRow: Sendable { var name: String; var url: String; var gemeente: String; var start: String; var indicators: String }
    struct StudyRow: Sendable { var label: String; var url: String; var estimate: String; var interval: String; var weight: String; var periods: String }
    struct Edit: Sendable { var action: String; var csrf: String; var name: String; var description: String }

    var pageTitle: String
    var name: String
    var description: String
    var listURL = SiteRoute.interventionTypes.path
    var designs: [DesignRow]
    var indicatorOptions: [Option]
    var methodOptions: [Option]
    var formAction: String
    var indicatorName: String?
    var studies: [StudyRow] = []
    /// Why there is no pooled estimate (fewer than two designs with an estimate).
    var refusal: String?
    var pooled: String?
    var pooledInterval: String?
    var heterogeneity: String?
    var methodNote: String?
    var caution: String?
    var forestPlot: RenderedSVG?
    var edit: Edit?

    init(type: InterventionType, designs: [Design], indicators: [String], chosen: String?, method: RandomEffectsMetaAnalysis.Method,
         catalog: Catalog, counts: [String: Int]) {
        pageTitle = tr("{0} — soorten interventies — Monitor pedagogische basis", type.name)
        name = type.name
        description = type.description
        formAction = SiteRoute.interventionType(type.id).path
        self.designs = designs.map { design in
            DesignRow(name: design.item.name, url: SiteRoute.intervention(design.item.gemeente.rawValue, design.item.id).path, gemeente: design.gemeenteName,
                      start: design.item.startPeriod, indicators: DutchNumber.list(design.item.indicators.map { catalog[$0]?.name ?? $0 }))
        }
        indicatorOptions = indicators.map { id in
            Option(value: id, label: "\(catalog[id]?.name ?? id) (\(DutchNumber.count(counts[id] ?? 0, "opzet", "opzetten")))", selected: id == chosen)
        }
        methodOptions = RandomEffectsMetaAnalysis.Method.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == method) }
        guard let chosen else { return }
        let indicator = catalog[chosen]
        indicatorName = indicator?.name ?? chosen
        let unit = indicator?.unit ?? .aantal, decimals = (indicator?.decimals ?? 1) + 1
        let diff = { (v: Double) in DutchNumber.difference(v, unit: unit, decimals: decimals) }
        let withEstimate = designs.compactMap { design -> (Design, DifferenceInDifferences)? in
            guard let estimate = design.estimates[chosen] ?? nil else { return nil }
            return (design, estimate)
        }
        let studies = withEstimate.map { design, did in
            RandomEffectsMetaAnalysis.Study(label: "\(design.gemeenteName) — \(design.item.name)", estimate: did.estimate, standardError: did.standardError,
                                            ownInterval: ConfidenceInterval(lower: did.lower, upper: did.upper))
        }
        do {
            let result = try RandomEffectsMetaAnalysis.pool(studies, method: method)
            self.studies = withEstimate.enumerated().compactMap { index, pair in
                let (design, did) = pair
                guard let position = result.studies.firstIndex(of: studies[index]) else { return nil }
                return StudyRow(label: studies[index].label, url: SiteRoute.intervention(design.item.gemeente.rawValue, design.item.id).path,
                                estimate: diff(did.estimate), interval: tr("{0} tot {1}", diff(did.lower), diff(did.upper)),
                                weight: DutchNumber.format(result.weights[position] * 100, decimals: 1) + "%", periods: "\(did.basePeriod) → \(did.followUpPeriod)")
            }
            pooled = diff(result.estimate)
            pooledInterval = tr("{0} tot {1}", diff(result.lower), diff(result.upper))
            heterogeneity = tr("τ² = {0}; I² = {1}% (Q = {2} bij {3} vrijheidsgraden)", DutchNumber.format(result.tau2, decimals: 4),
                               DutchNumber.format(result.i2 * 100, decimals: 0), DutchNumber.format(result.q, decimals: 2), result.degreesOfFreedom)
            methodNote = tr("Random-effectsmodel, τ² geschat met {0}; het 95%-interval van het samengevoegde effect met de normale verdeling. Elke opzet weegt naar 1 / (zijn variantie + τ²); het interval per opzet is dat van de opzet zelf (t-verdeling, zoals op haar pagina).", method.label)
            caution = Self.caution(count: result.studies.count, i2: result.i2, interval: (result.lower, result.upper))
            forestPlot = ForestPlot.render(result, indicatorName: indicatorName ?? chosen, format: diff,
                                           tick: { DutchNumber.format($0, decimals: decimals) }, unit: unit == .procent ? tr("procentpunt") : nil)
        } catch {
            refusal = error.message
            self.studies = withEstimate.map { design, did in
                StudyRow(label: "\(design.gemeenteName) — \(design.item.name)", url: SiteRoute.intervention(design.item.gemeente.rawValue, design.item.id).path,
                         estimate: diff(did.estimate), interval: tr("{0} tot {1}", diff(did.lower), diff(did.upper)), weight: "—",
                         periods: "\(did.basePeriod) → \(did.followUpPeriod)")
            }
        }
    }

    /// The report's caution in words (§4.4, §4.5): few designs, different contexts, no causal claim beyond the designs.
    static func caution(count: Int, i2: Double, interval: (Double, Double)) -> String {
        var parts = [tr("Samenvoegen maakt de schatting niet sterker dan de opzetten waar ze uit komt: elke opzet is een verschil in verschillen tussen wijken, met de aanname dat doel- en vergelijkingswijken zonder de interventie gelijk waren opgelopen. Ook samen zeggen ze niet meer over oorzaak en gevolg dan dat.")]
        if count < 5 {
            parts.append(tr("Het zijn {0}: met zo weinig opzetten is vooral de spreiding tussen gemeenten (τ²) onzeker, en daarmee het interval.", DutchNumber.count(count, "opzet", "opzetten")))
        }
        parts.append(i2 >= 0.5
            ? tr("De opzetten verschillen meer dan toeval verklaart (I² is groot): gemeenten, wijken en uitvoering lopen uiteen. Lees het gemiddelde als ‘wat gemiddeld gebeurde’, niet als wat in uw gemeente zal gebeuren.")
            : tr("De gemeenten verschillen in aanpak, doelgroep en wijken; dat de opzetten weinig van elkaar verschillen, betekent niet dat de interventie overal hetzelfde werkt."))
        if interval.0 <= 0 && 0 <= interval.1 {
            parts.append(tr("Het interval bevat nul: een effect is met deze opzetten niet aangetoond, en ook niet uitgesloten."))
        }
        return parts.joined(separator: " ")
    }
}

/// A forest plot: per design its estimate and 95% interval (the square's area by its weight), the pooled estimate as a
/// diamond, the line of no effect. The table beside it carries the same numbers for screen readers.
enum ForestPlot {
    static func render(_ result: RandomEffectsMetaAnalysis, indicatorName: String, format: (Double) -> String,
                       tick: (Double) -> String, unit: String?) -> RenderedSVG {
        let rowHeight = 28.0, top = 12.0, left = 150.0, right = 12.0, width = 560.0
        let rows = result.studies.count
        let height = top + Double(rows + 1) * rowHeight + 44
        var low = min(0, result.lower), high = max(0, result.upper)
        for study in result.studies {
            low = min(low, study.interval.lower)
            high = max(high, study.interval.upper)
        }
        if high - low < 1e-9 { low -= 1; high += 1 }
        let pad = (high - low) * 0.05
        low -= pad
        high += pad
        func x(_ v: Double) -> Double { left + (v - low) / (high - low) * (width - left - right) }
        let title = tr("{0}: effect per opzet en samen, met 95%-intervallen", indicatorName)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" role="img" aria-label="\#(xmlEscape(title))" class="forest-plot">"#
        s += "<title>\(xmlEscape(title))</title>"
        let axisY = top + Double(rows + 1) * rowHeight + 4
        s += #"<line x1="\#(svgNumber(x(0)))" y1="\#(svgNumber(top))" x2="\#(svgNumber(x(0)))" y2="\#(svgNumber(axisY))" class="zero-line"/>"#
        let maxWeight = result.weights.max() ?? 1
        for (i, study) in result.studies.enumerated() {
            let cy = top + (Double(i) + 0.5) * rowHeight
            let lo = study.interval.lower, hi = study.interval.upper
            let label = study.label.count > 24 ? String(study.label.prefix(23)) + "…" : study.label
            s += #"<text x="4" y="\#(svgNumber(cy + 4))" class="label">\#(xmlEscape(label))</text>"#
            s += #"<line x1="\#(svgNumber(x(lo)))" y1="\#(svgNumber(cy))" x2="\#(svgNumber(x(hi)))" y2="\#(svgNumber(cy))" class="interval"/>"#
            let side = 4 + 8 * (result.weights[i] / maxWeight).squareRoot()
            s += #"<rect x="\#(svgNumber(x(study.estimate) - side / 2))" y="\#(svgNumber(cy - side / 2))" width="\#(svgNumber(side))" height="\#(svgNumber(side))" class="estimate">"#
            s += "<title>\(xmlEscape("\(study.label): \(format(study.estimate)) (\(format(lo)) – \(format(hi)))"))</title></rect>"
        }
        let cy = top + (Double(rows) + 0.5) * rowHeight
        s += #"<text x="4" y="\#(svgNumber(cy + 4))" class="label pooled-label">\#(xmlEscape(tr("Samen")))</text>"#
        let diamond: [(Double, Double)] = [(x(result.lower), cy), (x(result.estimate), cy - 8), (x(result.upper), cy), (x(result.estimate), cy + 8)]
        let points = diamond.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " ")
        s += #"<polygon points="\#(points)" class="pooled">"#
        s += "<title>\(xmlEscape(tr("Samen: {0} ({1} – {2})", format(result.estimate), format(result.lower), format(result.upper))))</title></polygon>"
        s += #"<line x1="\#(svgNumber(left))" y1="\#(svgNumber(axisY))" x2="\#(svgNumber(width - right))" y2="\#(svgNumber(axisY))" class="axis"/>"#
        for value in NiceScale.ticks(lower: low, upper: high, count: 5) {
            s += #"<text x="\#(svgNumber(x(value)))" y="\#(svgNumber(axisY + 16))" text-anchor="middle" class="tick">\#(xmlEscape(tick(value)))</text>"#
        }
        s += #"<text x="\#(svgNumber(x(0) - 4))" y="\#(svgNumber(axisY + 34))" text-anchor="end" class="tick">← \#(xmlEscape(tr("lager")))</text>"#
        s += #"<text x="\#(svgNumber(x(0) + 4))" y="\#(svgNumber(axisY + 34))" class="tick">\#(xmlEscape(tr("hoger"))) →</text>"#
        if let unit { s += #"<text x="\#(svgNumber(width - right))" y="\#(svgNumber(axisY + 34))" text-anchor="end" class="tick">\#(xmlEscape(unit))</text>"# }
        s += "</svg>"
        return RenderedSVG(s)
    }
}
