import Foundation
import Monitor

/// Display-ready text for one figure: never a number where there is none.
struct FigureText: Sendable {
    var value: String
    var hasValue: Bool
    var note: String?
    /// What a figure that does not exist at all reads as.
    static var noData: String { tr("geen gegevens") }

    init(_ observation: Observation?, indicator: Indicator) {
        guard let observation else {
            value = Self.noData
            hasValue = false
            note = nil
            return
        }
        if observation.status == .waarde, let number = observation.value, !indicator.unit.plausibleRange.contains(number) {
            // Stored before the import's checks, or by another tool: not shown as if it were a figure.
            value = DutchNumber.invalid
            hasValue = false
            note = tr("buiten wat mogelijk is ({0}); een beheerder kan dit cijfer intrekken op de versiepagina", indicator.unit.plausibleDescription)
        } else if observation.status == .waarde, let number = observation.value {
            value = DutchNumber.format(number, unit: indicator.unit, decimals: indicator.decimals)
            hasValue = true
            note = nil
        } else {
            value = observation.suppressionReason.map { tr($0) } ?? observation.status.label
            hasValue = false
            note = observation.status == .geheim && observation.suppressionReason == nil ? tr("door de bron geheimgehouden") : nil
        }
    }
}

/// One comparison cell: the reference's value and the neutral difference.
struct ComparisonCell: Sendable {
    var name: String
    var value: String
    /// Nil when the figures are not compared (no value, or counts of different areas).
    var difference: String?
    var wording: String?
}

/// A row on a profile page.
struct FigureRow: Sendable {
    var indicatorID: String
    var indicatorName: String
    var indicatorURL: String
    var value: String
    var hasValue: Bool
    var note: String?
    var period: String
    var source: String
    var origin: String?
    var comparisons: [ComparisonCell]
    /// Against the peer group: median and range in words, and a strip plot.
    var peerSummary: String?
    var strip: RenderedSVG?
    /// Over the periods, on today's borders.
    var trend: RenderedSVG?
    var trendText: String?
    /// "herzien op 29 november 2026" when the figure has been corrected, with a link to its versions.
    var revision: String?
    var versionsURL: String?
    /// For a figure of the region the area lies in: "cijfer van GGD Hollands-Noorden, niet van Alkmaar".
    var regionNote: String? = nil
    /// Where the value lies against the similar gemeenten (for the profile's summary).
    var peerPosition: PeerPosition? = nil
    /// The relative change since the previous period on today's borders (0.1 is 10 %), when there are two numbers.
    var relativeChange: Double? = nil
}

/// A value against its similar gemeenten: above all of them, below all of them, or among them.
enum PeerPosition: String, Sendable {
    case above, below, within

    init(value: Double, peers: [Double], decimals: Int) {
        let factor = pow(10.0, Double(decimals))
        let v = (value * factor).rounded()
        if let high = peers.max(), v > (high * factor).rounded() { self = .above }
        else if let low = peers.min(), v < (low * factor).rounded() { self = .below }
        else { self = .within }
    }
}

/// The revision note of a figure: nil for a first version.
struct Revision: Sendable {
    var text: String
    var url: String

    init?(_ observation: Observation?) {
        guard let observation, observation.version > 1 else { return nil }
        text = tr("herzien op ") + (observation.recordedAt.map(DutchDate.format) ?? tr("onbekende datum"))
        url = SiteRoute.versions(observation.indicator).url([("gebied", observation.area.rawValue), ("periode", observation.period)])
    }
}

/// A choice in a `select` or a group of checkboxes, on every page: what is sent, what is shown, whether it is chosen.
struct Option: Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// Link in a breadcrumb trail or list.
struct LinkItem: Sendable {
    var name: String
    var url: String
}

/// Builds profile rows: each indicator's latest figure for the area, against reference areas.
enum ProfileRows {
    static func build(catalog: Catalog, area: AreaCode, references: [(code: AreaCode, name: String)],
                      observations: [Observation], peers: [AreaCode] = [], changes: [CodeChange] = [],
                      regional: [String: AreaController.RegionalFigure] = [:]) -> [(sphere: Sphere, rows: [FigureRow])] {
        let predecessors = Set(changes.filter { $0.new == area }.map(\.old))
        let ownSeries = observations.filter { $0.area == area || predecessors.contains($0.area) }
        var byKey: [ObservationKey: Observation] = [:]
        var periodsByIndicator: [String: [String]] = [:]
        for observation in observations {
            byKey[observation.key] = observation
            if observation.area == area { periodsByIndicator[observation.indicator, default: []].append(observation.period) }
        }
        return catalog.bySphere.compactMap { sphere, indicators in
            let rows = indicators.map { indicator -> FigureRow in
                if let figure = regional[indicator.id] { return regionalRow(figure, indicator: indicator, references: references, byKey: byKey) }
                // Latest period with a number; else the latest period with any status.
                let periods = (periodsByIndicator[indicator.id] ?? []).sorted(by: >)
                let period = periods.first { byKey[ObservationKey(indicator: indicator.id, area: area, period: $0)]?.status == .waarde } ?? periods.first
                let own = period.flatMap { byKey[ObservationKey(indicator: indicator.id, area: area, period: $0)] }
                let text = FigureText(own, indicator: indicator)
                let comparisons = references.map { reference -> ComparisonCell in
                    let other = period.flatMap { byKey[ObservationKey(indicator: indicator.id, area: reference.code, period: $0)] }
                    let otherText = FigureText(other, indicator: indicator)
                    // Counts of different areas are not compared: a gemeente always has fewer inhabitants than Nederland.
                    if let a = own?.value, let b = other?.value, !indicator.unit.isAdditive {
                        return ComparisonCell(name: reference.name, value: otherText.value,
                                              difference: DutchNumber.difference(a - b, unit: indicator.unit, decimals: indicator.decimals),
                                              wording: ComparisonWording.describe(a, against: b, referenceName: reference.name, decimals: indicator.decimals,
                                                                                  margin: own?.confidenceInterval))
                    }
                    return ComparisonCell(name: reference.name, value: otherText.value, difference: nil, wording: nil)
                }
                var peerSummary: String?
                var peerPosition: PeerPosition?
                var strip: RenderedSVG?
                let peerValues = period.map { p in peers.compactMap { byKey[ObservationKey(indicator: indicator.id, area: $0, period: p)]?.value } } ?? []
                if !peerValues.isEmpty, !indicator.unit.isAdditive, let median = Summary.median(peerValues) {
                    let f = { (v: Double) in DutchNumber.format(v, unit: indicator.unit, decimals: indicator.decimals) }
                    var summary = tr("vergelijkbare gemeenten: mediaan {0}, van {1} tot {2}", f(median), f(peerValues.min()!), f(peerValues.max()!))
                    if let a = own?.value {
                        summary += "; " + ComparisonWording.describe(a, against: median, referenceName: tr("vergelijkbare gemeenten"), decimals: indicator.decimals,
                                                                     margin: own?.confidenceInterval)
                    }
                    peerSummary = summary
                    peerPosition = own?.value.map { PeerPosition(value: $0, peers: peerValues, decimals: indicator.decimals) }
                    let nl = period.flatMap { byKey[ObservationKey(indicator: indicator.id, area: .nederland, period: $0)]?.value }
                    let regional = references.first { $0.code.kind == .ggdregio }.flatMap { r in period.flatMap { byKey[ObservationKey(indicator: indicator.id, area: r.code, period: $0)]?.value } }
                    strip = StripPlot.render(own: own?.value, peers: peerValues, nederland: nl, region: regional, indicator: indicator)
                }
                let series = Series.onTodaysBorders(area: area, indicator: indicator, observations: ownSeries, changes: changes)
                var trend: RenderedSVG?
                var trendText: String?
                var relativeChange: Double?
                if series.count >= 2 {
                    let last = series[series.count - 1], previous = series[series.count - 2]
                    if previous.value != 0, own?.value != nil { relativeChange = (last.value - previous.value) / abs(previous.value) }
                    trend = TrendChart.render(series, indicator: indicator)
                    trendText = tr("{0} sinds {1}", DutchNumber.difference(last.value - previous.value, unit: indicator.unit, decimals: indicator.decimals), previous.period)
                        + (series.contains(where: \.reconstructed) ? tr(" (eerdere jaren op de huidige grenzen)") : "")
                }
                let revision = Revision(own)
                return FigureRow(indicatorID: indicator.id, indicatorName: indicator.name, indicatorURL: SiteRoute.indicator(indicator.id).path,
                                 value: text.value, hasValue: text.hasValue, note: text.note, period: period ?? "—",
                                 source: indicator.source.citation, origin: own?.origin == .geladen ? nil : own?.origin.label,
                                 comparisons: comparisons, peerSummary: peerSummary, strip: strip, trend: trend, trendText: trendText,
                                 revision: revision?.text, versionsURL: revision?.url, peerPosition: peerPosition, relativeChange: relativeChange)
            }
            return rows.isEmpty ? nil : (sphere, rows)
        }
    }

    /// A row showing a region's figure: labelled as the region's, compared with nothing as if it were the area's own
    /// (the reference columns show their own figures, without a difference).
    static func regionalRow(_ figure: AreaController.RegionalFigure, indicator: Indicator, references: [(code: AreaCode, name: String)],
                            byKey: [ObservationKey: Observation]) -> FigureRow {
        let o = figure.observation
        let text = FigureText(o, indicator: indicator)
        let comparisons = references.map { reference in
            ComparisonCell(name: reference.name,
                           value: FigureText(byKey[ObservationKey(indicator: indicator.id, area: reference.code, period: o.period)], indicator: indicator).value,
                           difference: nil, wording: nil)
        }
        return FigureRow(indicatorID: indicator.id, indicatorName: indicator.name, indicatorURL: SiteRoute.indicator(indicator.id).path,
                         value: text.value, hasValue: text.hasValue, note: text.note, period: o.period, source: indicator.source.citation,
                         origin: nil, comparisons: comparisons, peerSummary: nil, strip: nil, trend: nil, trendText: nil,
                         revision: nil, versionsURL: nil, regionNote: figure.note)
    }
}
