import Foundation
import Monitor
import MonitorStore

/// A figure in the API. `waarde` is null unless `status` is `waarde`; nulls are written, not left out.
struct ValueDTO: Codable, Sendable {
    var observation: Observation

    enum Keys: String, CodingKey {
        case indicator, gebied, periode, waarde, status, teller, noemer, n, ondergrens, bovengrens, herkomst, `import`, opmerking
        case versie, herzien, vastgelegd_op, vervangen_op
    }

    init(observation: Observation) { self.observation = observation }

    /// Reads a figure back (API clients and the tests): an unknown status, origin or area code is a decoding error.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func invalid(_ key: Keys) -> DecodingError {
            .dataCorruptedError(forKey: key, in: c, debugDescription: tr("geen geldige waarde"))
        }
        guard let area = AreaCode(try c.decode(String.self, forKey: .gebied)) else { throw invalid(.gebied) }
        guard let status = ObservationStatus(rawValue: try c.decode(String.self, forKey: .status)) else { throw invalid(.status) }
        guard let origin = ObservationOrigin(rawValue: try c.decode(String.self, forKey: .herkomst)) else { throw invalid(.herkomst) }
        let lower = try c.decodeIfPresent(Double.self, forKey: .ondergrens), upper = try c.decodeIfPresent(Double.self, forKey: .bovengrens)
        var observation = Observation(
            indicator: try c.decode(String.self, forKey: .indicator), area: area, period: try c.decode(String.self, forKey: .periode),
            status: status, value: try c.decodeIfPresent(Double.self, forKey: .waarde),
            numerator: try c.decodeIfPresent(Double.self, forKey: .teller), denominator: try c.decodeIfPresent(Double.self, forKey: .noemer),
            n: try c.decodeIfPresent(Int.self, forKey: .n),
            confidenceInterval: lower.flatMap { lower in upper.map { ConfidenceInterval(lower: lower, upper: $0) } },
            origin: origin, importID: try c.decodeIfPresent(Int.self, forKey: .import),
            suppressionReason: try c.decodeIfPresent(String.self, forKey: .opmerking))
        observation.version = try c.decode(Int.self, forKey: .versie)
        observation.recordedAt = try c.decodeIfPresent(String.self, forKey: .vastgelegd_op)
        observation.supersededAt = try c.decodeIfPresent(String.self, forKey: .vervangen_op)
        self.observation = observation
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let o = observation
        try c.encode(o.indicator, forKey: .indicator)
        try c.encode(o.area.rawValue, forKey: .gebied)
        try c.encode(o.period, forKey: .periode)
        try c.encode(o.value, forKey: .waarde)
        try c.encode(o.status.rawValue, forKey: .status)
        try c.encode(o.numerator, forKey: .teller)
        try c.encode(o.denominator, forKey: .noemer)
        try c.encode(o.n, forKey: .n)
        try c.encode(o.confidenceInterval?.lower, forKey: .ondergrens)
        try c.encode(o.confidenceInterval?.upper, forKey: .bovengrens)
        try c.encode(o.origin.rawValue, forKey: .herkomst)
        try c.encode(o.importID, forKey: .import)
        try c.encode(o.suppressionReason.map { tr($0) }, forKey: .opmerking)
        try c.encode(o.version, forKey: .versie)
        try c.encode(o.version > 1, forKey: .herzien)
        try c.encode(o.recordedAt, forKey: .vastgelegd_op)
        try c.encode(o.supersededAt, forKey: .vervangen_op)
    }
}

/// An area in the API.
struct AreaDTO: Codable, Sendable {
    var code: String
    var naam: String
    var soort: String
    var bovenliggend: [String]
    var indeling: Int
    var url: String?
    var html_url: String?

    init(_ area: Area) {
        code = area.code.rawValue
        naam = area.name
        soort = area.kind.rawValue
        bovenliggend = area.parents.map(\.rawValue)
        indeling = area.indelingYear
        switch area.kind {
        case .gemeente: url = SiteRoute.apiMunicipality(code).path; html_url = SiteRoute.municipality(code).path
        case .wijk: url = SiteRoute.apiDistrict(code).path; html_url = SiteRoute.district(code).path
        case .buurt: url = SiteRoute.apiNeighbourhood(code).path; html_url = SiteRoute.neighbourhood(code).path
        default: url = nil; html_url = nil
        }
    }
}

/// An indicator with all its metadata in the API.
struct IndicatorDTO: Codable, Sendable {
    var id: String
    var naam: String
    var definitie: String
    var eenheid: String
    var decimalen: Int
    var bron: SourceDTO
    var peilmoment: String
    var polariteit: String
    var lading: String
    var sferen: [String]
    var perspectieven: [String]
    var kennisvragen: [String]
    var leeftijd: String
    var toelichting: String
    var gebruiksvoorbeelden: [String]
    var kanttekeningen: [String]
    var afleiding: String
    var formule: FormulaDTO?
    var aggregatie: String
    /// basis, context of hulp; only basis (and hulp, the buitensfeer) counts as coverage of the pedagogical basis.
    var rol: String
    var rol_waarom: String
    var hulplagen: [String]
    var relaties: [String]
    /// landelijk en/of lokaal beeld.
    var beeld: [String]
    /// For a gemeente's own indicator: that gemeente (absent for the shared catalogue).
    var eigen_indicator_van: String?
    var url: String
    var html_url: String

    struct SourceDTO: Codable, Sendable { var uitgever, tabel, titel: String; var url: String? }
    struct FormulaDTO: Codable, Sendable { var teller, noemer: String; var factor: Double }

    init(_ i: Indicator) {
        id = i.id
        naam = i.name
        definitie = i.definition
        eenheid = i.unit.rawValue
        decimalen = i.decimals
        bron = SourceDTO(uitgever: i.source.publisher, tabel: i.source.tableID, titel: i.source.title, url: i.source.url)
        peilmoment = i.referencePeriod
        polariteit = i.polarity.rawValue
        lading = i.framing.rawValue
        sferen = i.spheres.map(\.rawValue)
        perspectieven = i.perspectives.map(\.rawValue)
        kennisvragen = i.knowledgeQuestions.map(\.rawValue)
        leeftijd = i.ageGroup
        toelichting = i.explanation
        gebruiksvoorbeelden = i.usageExamples
        kanttekeningen = i.caveats
        switch i.derivation {
        case .loaded: afleiding = "geladen"
        case .formula: afleiding = "formule"
        case .registered: afleiding = "registratie"
        case .surveyed: afleiding = "vragenlijst"
        case .networked: afleiding = "netwerk"
        }
        formule = i.formula.map { FormulaDTO(teller: $0.numerator, noemer: $0.denominator, factor: $0.factor) }
        aggregatie = i.aggregation.rawValue
        rol = i.role.rawValue
        rol_waarom = i.roleReason
        hulplagen = i.helpLayers.map(\.rawValue)
        relaties = i.relations.map(\.rawValue)
        eigen_indicator_van = i.owner?.rawValue
        beeld = i.pictures.map(\.rawValue)
        url = SiteRoute.apiIndicator(i.id).path
        html_url = SiteRoute.indicator(i.id).path
    }
}

/// A list with paging; every success carries `ok: true`.
/// Every list of a gemeente's own records in the API has this shape: the gemeente, then `items` and `total` as in
/// ``ListBody`` (interventies, netwerken, vragenlijsten, duiding, gespreksmodel, eigen indicatoren).
struct GemeenteListBody<Item: Codable & Sendable>: Codable, Sendable {
    var ok = true
    var gemeente: String
    var naam: String
    var items: [Item]
    var total: Int

    init(gemeente: Area, items: [Item]) {
        self.gemeente = gemeente.code.rawValue
        naam = gemeente.name
        self.items = items
        total = items.count
    }
}

struct ListBody<Item: Codable & Sendable>: Codable, Sendable {
    var ok = true
    var items: [Item]
    var total: Int
    var limit: Int?
    var offset: Int?
    var next_url: String?
    var bron: String = Release.attribution
}
