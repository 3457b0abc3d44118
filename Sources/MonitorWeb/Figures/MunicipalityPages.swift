import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/municipality-index.mustache`.
struct MunicipalityIndexPage: Sendable {
    struct Row: Sendable { var name: String; var code: String; var url: String; var provincie: String; var ggd: String; var inhabitants: String }

    var pageTitle = tr("Gemeenten — Monitor pedagogische basis")
    var jsonURL: String
    var query: String
    var provincies: [Option]
    var ggdRegions: [Option]
    var rows: [Row]
    var count: Int
    var total: Int
    var filtered: Bool
    var inhabitantsURL: String

    init(listing: MunicipalityController.Listing, filter: MunicipalityController.Filter, catalog: Catalog) {
        jsonURL = SiteRoute.apiMunicipalities.url([("q", filter.name), ("provincie", filter.provincie), ("ggd", filter.ggd)])
        query = filter.name ?? ""
        provincies = listing.provincies.map { Option(value: $0.code.rawValue, label: $0.name, selected: $0.code.rawValue == filter.provincie) }
        ggdRegions = listing.ggdRegions.map { Option(value: $0.code.rawValue, label: $0.name, selected: $0.code.rawValue == filter.ggd) }
        let indicator = catalog["inwoners"]
        rows = listing.gemeenten.map { area in
            Row(name: area.name, code: area.code.rawValue, url: SiteRoute.municipality(area.code.rawValue).path,
                provincie: area.parents.first { $0.kind == .provincie }.flatMap { listing.names[$0] } ?? "",
                ggd: area.parents.first { $0.kind == .ggdregio }.flatMap { listing.names[$0] } ?? "",
                inhabitants: indicator.map { FigureText(listing.inhabitants[area.code], indicator: $0).value } ?? "")
        }
        count = rows.count
        total = listing.all.count
        filtered = filter.name != nil || filter.provincie != nil || filter.ggd != nil
        inhabitantsURL = SiteRoute.indicator("inwoners").path
    }
}
