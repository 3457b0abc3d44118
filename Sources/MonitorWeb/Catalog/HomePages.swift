import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/home.mustache`.
struct HomePage: Sendable {
    struct SphereLink: Sendable { var label: String; var url: String; var count: Int; var measured: Int }
    var pageTitle = tr("Monitor pedagogische basis")
    var jsonURL = SiteRoute.apiIndicators.path
    var plattegrond: RenderedSVG
    var spheres: [SphereLink]
    /// Every count below is computed from the catalogue and the figures (the lantaarnpaal's numbers), never written by hand.
    var indicatorCount: Int
    var basisCount: Int
    var measuredCount: Int
    var contextCount: Int
    var cbsCount: Int
    var ggdCount: Int
    var localCount: Int
    var gemeenteCount: Int
    var lamppostURL = SiteRoute.lamppost.path
    var searchAction = SiteRoute.municipalities.path
    var attribution = BundledData.attribution

    init(catalog: Catalog, lamppost: Lamppost, gemeenteCount: Int) {
        let counts = lamppost.bySphere
        plattegrond = PlattegrondChart.render(counts: counts.mapValues(\.measured))
        spheres = Sphere.allCases.map { sphere in
            SphereLink(label: sphere.label, url: SiteRoute.indicators.path + "#sfeer-\(sphere.rawValue)", count: counts[sphere]?.indicators ?? 0,
                       measured: counts[sphere]?.measured ?? 0)
        }
        indicatorCount = catalog.indicators.count
        basisCount = lamppost.total
        measuredCount = lamppost.measuredTotal
        contextCount = lamppost.context.count
        cbsCount = catalog.indicators.filter { $0.source.publisher == "CBS" }.count
        ggdCount = catalog.indicators.filter { $0.source.publisher.hasPrefix("GGD") }.count
        localCount = catalog.indicators.filter { $0.source.publisher.hasPrefix("Gemeente") }.count
        self.gemeenteCount = gemeenteCount
    }
}
