import Foundation
import Monitor

/// View model of `pages/facilities.mustache`: the register as points on the wijk map and as a table.
struct FacilityPage: Sendable {
    struct Row: Sendable {
        var number: Int
        var name: String
        var kind: String
        var spheres: String
        var area: String
        var areaURL: String
        var targetGroup: String
        var partOfBasis: String
        var reason: String
        var isConcept: Bool
    }

    var pageTitle: String
    var jsonURL: String
    var gemeenteName: String
    var profileURL: String
    var formAction: String
    var csvURL: String
    var excelURL: String
    var svg: RenderedSVG
    var rows: [Row]
    var count: Int
    var withoutLocation: Int
    var mayEdit = false
    var mayPublish = false
    var csrf: String?
    var kinds: [Option] = []
    var spheres: [Option] = []
    var columns = FacilityImporter.columns.joined(separator: ", ")
    var message: String?
    var errors: [String] = []

    init(gemeente: Area, facilities: [Facility], names: [AreaCode: String], layer: MapLayer) {
        let code = gemeente.code.rawValue
        pageTitle = "Voorzieningen — \(gemeente.name) — pbmonitor"
        jsonURL = SiteRoute.apiFacilities(code).path
        gemeenteName = gemeente.name
        profileURL = SiteRoute.gemeente(code).path
        formAction = SiteRoute.facilities(code).path
        csvURL = SiteRoute.facilities(code).url([("formaat", "csv")])
        excelURL = SiteRoute.facilities(code).url([("formaat", "excel")])
        rows = facilities.enumerated().map { index, f in
            Row(number: index + 1, name: f.name, kind: f.kind.label, spheres: f.spheres.map(\.shortLabel).joined(separator: ", "),
                area: names[f.area] ?? f.area.rawValue, areaURL: SiteRoute.profile(f.area.rawValue)?.path ?? "#", targetGroup: f.targetGroup,
                partOfBasis: f.partOfBasis?.rawValue ?? "nog niet besproken", reason: f.reason, isConcept: f.status == .concept)
        }
        count = facilities.count
        withoutLocation = facilities.filter { $0.rdPoint == nil }.count
        svg = FacilityMap.render(layer: layer, facilities: facilities, names: names, title: "Voorzieningen in de wijken van \(gemeente.name)")
    }
}

/// The wijken of a gemeente in grey with each facility as a numbered point coloured by its sphere.
enum FacilityMap {
    static func render(layer: MapLayer, facilities: [Facility], names: [AreaCode: String], title: String) -> RenderedSVG {
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(layer.width)) \#(svgNumber(layer.height))" role="img" aria-labelledby="vz-title" class="map facility-map">"#
        s += #"<title id="vz-title">\#(xmlEscape(title))</title><g class="areas">"#
        for (code, d) in layer.paths {
            s += #"<path d="\#(d)" class="vz-area"><title>\#(xmlEscape(names[code] ?? code.rawValue))</title></path>"#
        }
        s += "</g>"
        if let frame = layer.frame {
            for (index, facility) in facilities.enumerated() {
                guard let point = facility.rdPoint else { continue }
                let p = frame.point(point)
                guard (0...layer.width).contains(p.x), (0...layer.height).contains(p.y) else { continue }
                let label = "\(index + 1). \(facility.name) (\(facility.kind.label)), \(names[facility.area] ?? facility.area.rawValue)"
                s += #"<g class="vz-point pg-sphere pg-\#(facility.spheres.first?.rawValue ?? "gezin")"><title>\#(xmlEscape(label))</title>"#
                s += #"<circle cx="\#(svgNumber(p.x))" cy="\#(svgNumber(p.y))" r="6"/>"#
                s += #"<text x="\#(svgNumber(p.x + 8))" y="\#(svgNumber(p.y + 4))" class="vz-label">\#(index + 1)</text></g>"#
            }
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

struct FacilityJSON: Encodable, Sendable {
    var id: Int
    var naam: String
    var soort: String
    var sferen: [String]
    var perspectieven: [String]
    var gebied: String
    var breedtegraad: Double?
    var lengtegraad: Double?
    var doelgroep: String
    var openingstijden: String
    var hoort_bij_basis: String?
    var waarom: String

    init(_ f: Facility) {
        id = f.id
        naam = f.name
        soort = f.kind.rawValue
        sferen = f.spheres.map(\.rawValue)
        perspectieven = f.perspectives.map(\.rawValue)
        gebied = f.area.rawValue
        breedtegraad = f.latitude
        lengtegraad = f.longitude
        doelgroep = f.targetGroup
        openingstijden = f.opening
        hoort_bij_basis = f.partOfBasis?.rawValue
        waarom = f.reason
    }
}

struct FacilityListJSON: Encodable, Sendable {
    var ok = true
    var gemeente: String
    var naam: String
    var voorzieningen: [FacilityJSON]
    var total: Int
}
