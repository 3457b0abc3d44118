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
        /// The gespreksmodel item of the same name, when the gemeente has one: its link and tally.
        var conversationBoardURL: String?
        var conversationBoardSummary: String?
    }

    struct UsageRow: Sendable {
        var facility: String
        var period: String
        var method: String
        var visits: String
        var uniqueVisitors: String
        var isConcept: Bool
        var suppressed: Bool
    }

    var pageTitle: String
    var jsonURL: String
    var gemeenteName: String
    var profileURL: String
    /// The register's action routes.
    var uploadURL, addURL, usageUploadURL, usageAddURL, publishURL: String
    var csvURL: String
    var excelURL: String
    var svg: RenderedSVG
    var rows: [Row]
    var count: String
    /// "1 voorziening zonder coördinaten staat", nil when every facility has a place.
    var withoutLocation: String?
    var mayEdit = false
    var mayPublish = false
    var csrf: String?
    var kinds: [Option] = []
    var spheres: [Option] = []
    var columns = FacilityImporter.columns.joined(separator: ", ")
    var usageColumns = UsageImporter.columns.joined(separator: ", ")
    var usageRows: [UsageRow]
    var usageCSVURL: String
    var usageExcelURL: String
    var indicators: [RegisterIndicatorLink]
    var methods: [Option] = []
    var facilityOptions: [Option] = []
    var message: String?
    var errors: [String] = []
    /// A refused form: problems beside their fields, what was typed.
    var feedback = FormFeedback()
    var basisOptions: [Option] = []

    init(gemeente: Area, facilities: [Facility], usage: [FacilityUsage], board: [ConversationBoardItem], names: [AreaCode: String], layer: MapLayer,
         indicators: [RegisterIndicatorLink]) {
        let code = gemeente.code.rawValue
        pageTitle = tr("Voorzieningen — {0} — Monitor pedagogische basis", gemeente.name)
        jsonURL = SiteRoute.apiFacilities(code).path
        gemeenteName = gemeente.name
        profileURL = SiteRoute.municipality(code).path
        uploadURL = SiteRoute.action(.facilitiesUpload, code: code).path
        addURL = SiteRoute.action(.facilitiesAdd, code: code).path
        usageUploadURL = SiteRoute.action(.usageUpload, code: code).path
        usageAddURL = SiteRoute.action(.usageAdd, code: code).path
        publishURL = SiteRoute.action(.facilitiesPublish, code: code).path
        csvURL = SiteRoute.facilities(code).url([("formaat", "csv")])
        excelURL = SiteRoute.facilities(code).url([("formaat", "excel")])
        func folded(_ name: String) -> String { name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
        rows = facilities.enumerated().map { index, f in
            let item = board.first { folded($0.name) == folded(f.name) }
            return Row(number: index + 1, name: f.name, kind: f.kind.label, spheres: f.spheres.map(\.shortLabel).joined(separator: ", "),
                       area: names[f.area] ?? f.area.rawValue, areaURL: SiteRoute.profile(f.area.rawValue)?.path ?? "#", targetGroup: f.targetGroup,
                       partOfBasis: f.partOfBasis?.rawValue ?? tr("nog niet besproken"), reason: f.reason, isConcept: f.status == .concept,
                       conversationBoardURL: item.map { SiteRoute.conversationBoardItem(code, $0.id).path },
                       conversationBoardSummary: item.map { $0.tally.total == 0 ? tr("in het gespreksmodel, nog geen antwoorden") : "gespreksmodel: " + $0.tally.summary })
        }
        let facilityNames = Dictionary(facilities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        usageRows = usage.compactMap { u in
            guard let name = facilityNames[u.facilityID] else { return nil }
            return UsageRow(facility: name, period: u.period, method: u.method.label,
                            visits: u.visits.map { DutchNumber.format(Double($0), decimals: 0) } ?? tr("minder dan {0} personen (niet getoond)", PrivacyPolicy.minimumCount),
                            uniqueVisitors: u.uniqueVisitors.map { DutchNumber.format(Double($0), decimals: 0) } ?? (u.isSuppressed ? "—" : "onbekend"),
                            isConcept: u.status == .concept, suppressed: u.isSuppressed)
        }
        usageCSVURL = SiteRoute.facilities(code).url([("formaat", "gebruik-csv")])
        usageExcelURL = SiteRoute.facilities(code).url([("formaat", "gebruik-excel")])
        self.indicators = indicators
        count = DutchNumber.count(facilities.count, "voorziening", "voorzieningen")
        let unplaced = facilities.filter { $0.rdPoint == nil }.count
        withoutLocation = unplaced == 0 ? nil : DutchNumber.count(unplaced, "voorziening zonder coördinaten staat", "voorzieningen zonder coördinaten staan")
        svg = FacilityMap.render(layer: layer, facilities: facilities, names: names, title: tr("Voorzieningen in de wijken van {0}", gemeente.name))
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

/// A catalogue indicator computed from the register, with its wijk map for this gemeente.
struct RegisterIndicatorLink: Sendable {
    var id: String
    var name: String
    var mapURL: String
    var indicatorURL: String

    static func all(catalog: Catalog, gemeente: AreaCode) -> [RegisterIndicatorLink] {
        catalog.indicators.filter { $0.registration != nil }.map { i in
            RegisterIndicatorLink(id: i.id, name: i.name,
                                  mapURL: SiteRoute.map(i.id).url([("niveau", "wijk"), ("gemeente", gemeente.rawValue)]),
                                  indicatorURL: SiteRoute.indicator(i.id).path)
        }
    }

    var json: RegisterIndicatorJSON { RegisterIndicatorJSON(id: id, naam: name, kaart_url: mapURL, url: SiteRoute.apiIndicator(id).path) }
}

struct RegisterIndicatorJSON: Codable, Sendable {
    var id: String
    var naam: String
    var kaart_url: String
    var url: String
}

struct UsageJSON: Codable, Sendable {
    var periode: String
    var methode: String
    /// Null when the count rests on fewer than 10 persons (then `onderdrukt` is true).
    var bezoeken: Int?
    var unieke_bezoekers: Int?
    var onderdrukt: Bool

    enum CodingKeys: String, CodingKey { case periode, methode, bezoeken, unieke_bezoekers, onderdrukt }

    /// Withheld or unknown counts are written as null, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(periode, forKey: .periode)
        try c.encode(methode, forKey: .methode)
        try c.encode(bezoeken, forKey: .bezoeken)
        try c.encode(unieke_bezoekers, forKey: .unieke_bezoekers)
        try c.encode(onderdrukt, forKey: .onderdrukt)
    }
}

struct FacilityJSON: Codable, Sendable {
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
    var gebruik: [UsageJSON]

    init(_ f: Facility, usage: [FacilityUsage] = []) {
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
        gebruik = usage.map { UsageJSON(periode: $0.period, methode: $0.method.rawValue, bezoeken: $0.visits, unieke_bezoekers: $0.uniqueVisitors,
                                        onderdrukt: $0.isSuppressed) }
    }
}

struct FacilityListJSON: Codable, Sendable {
    var ok = true
    var gemeente: String
    var naam: String
    var items: [FacilityJSON]
    var total: Int
    /// The catalogue indicators computed from the register, with their wijk maps.
    var indicatoren: [RegisterIndicatorJSON]
}
