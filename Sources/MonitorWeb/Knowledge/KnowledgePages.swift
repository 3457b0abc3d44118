import Foundation
import Monitor

/// A fragment with its matches, for a template: `{{#parts}}{{#mark}}<mark>{{text}}</mark>{{/mark}}…` (escaped text).
struct FragmentView: Sendable {
    struct Part: Sendable { var text: String; var mark: Bool }
    var parts: [Part]
    init(_ fragment: Fragment) { parts = fragment.parts.map { Part(text: $0.text, mark: $0.mark) } }
}

struct FacetOption: Sendable { var value: String; var label: String; var count: Int; var selected: Bool }
struct FacetGroup: Sendable { var key: String; var label: String; var options: [FacetOption] }
struct QueueRow: Sendable { var title: String; var organisation: String; var url: String }

struct EvaluationRow: Sendable {
    var title: String
    var url: String
    var organisation: String
    var year: Int
    var design: String
    var spheres: String
    var status: String?
    var fragment: FragmentView?

    init(_ s: EvaluationStudy, query: SearchQuery) {
        title = s.title
        url = SiteRoute.evaluation(s.id).path
        organisation = s.organisation
        year = s.year
        design = s.design.label
        spheres = s.spheres.map(\.shortLabel).joined(separator: ", ")
        status = s.review == .goedgekeurd ? nil : s.review.label
        fragment = query.isEmpty ? nil : FragmentView(Fragment.snippet(s.searchableText, query: query))
    }
}

/// The submit form: every field a plain input.
struct StudyForm: Sendable {
    /// The form's fields, in order, for problems beside them.
    static var fields: [(id: String, label: String)] { [(id: "titel", label: tr("Titel")), (id: "organisatie", label: tr("Organisatie of auteurs")), (id: "jaar", label: tr("Jaar")),
                         (id: "samenvatting", label: tr("Samenvatting")), (id: "link", label: tr("Link")), (id: "bestand", label: tr("Bestand"))] }

    static func field(_ field: EvaluationStudy.Field) -> String {
        switch field {
        case .title: "titel"
        case .organisation: "organisatie"
        case .year: "jaar"
        case .summary: "samenvatting"
        case .url: "link"
        }
    }

    var title = "", organisation = "", year = "", intervention = "", kind = "", design = "", outcomes = "", summary = "", url = ""
    var spheres: [Option] = Sphere.allCases.map { Option(value: $0.rawValue, label: $0.shortLabel, selected: false) }
    var perspectives: [Option] = Perspective.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) }
    var designs: [Option] = EvaluationStudy.Design.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) }
    var kinds: [Option] = Facility.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) }
    var gemeenten: [Option] = []
    var gemeente = ""
    var forAll = false
    var csrf = ""

    init() {}

    init(_ form: FormData) {
        title = form["titel"] ?? ""
        organisation = form["organisatie"] ?? ""
        year = form["jaar"] ?? ""
        intervention = form["interventie"] ?? ""
        kind = form["soort"] ?? ""
        design = form["opzet"] ?? ""
        outcomes = form["uitkomsten"] ?? ""
        summary = form["samenvatting"] ?? ""
        url = form["link"] ?? ""
        let chosenSpheres = Set(form.all("sferen")), chosenPerspectives = Set(form.all("perspectieven"))
        spheres = spheres.map { var o = $0; o.selected = chosenSpheres.contains($0.value); return o }
        perspectives = perspectives.map { var o = $0; o.selected = chosenPerspectives.contains($0.value); return o }
        designs = designs.map { var o = $0; o.selected = $0.value == design; return o }
        kinds = kinds.map { var o = $0; o.selected = $0.value == kind; return o }
    }

    func study() -> EvaluationStudy {
        EvaluationStudy(title: title.trimmingCharacters(in: .whitespaces), organisation: organisation.trimmingCharacters(in: .whitespaces),
                        year: Int(year.trimmingCharacters(in: .whitespaces)) ?? 0, intervention: intervention, facilityKind: Facility.Kind(rawValue: kind),
                        spheres: spheres.filter(\.selected).compactMap { Sphere(rawValue: $0.value) },
                        perspectives: perspectives.filter(\.selected).compactMap { Perspective(rawValue: $0.value) },
                        design: EvaluationStudy.Design(rawValue: design) ?? .beschrijvend, outcomes: outcomes, summary: summary,
                        url: url.trimmingCharacters(in: .whitespaces))
    }

    static func mimeType(_ name: String) -> String {
        let lower = name.lowercased()
        if lower.hasSuffix(".pdf") { return "application/pdf" }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return "text/html; charset=utf-8" }
        return "text/plain; charset=utf-8"
    }
}

/// View model of `pages/evaluations.mustache`.
struct EvaluationListPage: Sendable {
    var pageTitle = tr("Evaluatiebank — Monitor pedagogische basis")
    var q: String
    var facets: [FacetGroup]
    var total: Int
    var rows: [EvaluationRow]
    var formAction = SiteRoute.evaluations.path
    var jsonURL = SiteRoute.apiEvaluations.path
    var csvURL = ""
    var form: StudyForm?
    var queue: [QueueRow] = []
    var message: String?
    var errors: [String] = []
    /// A refused study: each problem beside its field.
    var feedback = FormFeedback()
}

/// View model of `pages/evaluation.mustache`.
struct EvaluationPage: Sendable {
    var pageTitle: String
    var title: String
    var organisation: String
    var year: Int
    var gemeenten: String
    var intervention: String
    var kind: String?
    var facilitiesURLs: [Option]
    var spheres: String
    var perspectives: String
    var design: String
    var outcomes: String
    var summary: String
    var url: String?
    var fileURL: String?
    var fileName: String?
    var review: String
    var isApproved: Bool
    var reviewReason: String?
    var approveURL, rejectURL: String
    var mayReview = false
    var csrf = ""
    var message: String?
    var errors: [String] = []

    init(_ s: EvaluationStudy, gemeenteNames: [String]) {
        pageTitle = tr("{0} — evaluatiebank — Monitor pedagogische basis", s.title)
        title = s.title
        organisation = s.organisation
        year = s.year
        gemeenten = gemeenteNames.joined(separator: ", ")
        intervention = s.intervention
        kind = s.facilityKind?.label
        facilitiesURLs = zip(s.gemeenten, gemeenteNames).map { Option(value: SiteRoute.facilities($0.0.rawValue).path, label: $0.1, selected: false) }
        spheres = s.spheres.map(\.label).joined(separator: ", ")
        perspectives = s.perspectives.map(\.label).joined(separator: ", ")
        design = s.design.label
        outcomes = s.outcomes
        summary = s.summary
        url = s.url.isEmpty ? nil : s.url
        fileName = s.fileName
        fileURL = s.fileName == nil ? nil : SiteRoute.evaluation(s.id).url([("bestand", "ja")])
        review = s.review.label
        isApproved = s.review == .goedgekeurd
        reviewReason = s.reviewReason.isEmpty ? nil : s.reviewReason
        approveURL = SiteRoute.action(.evaluationApprove, id: s.id).path
        rejectURL = SiteRoute.action(.evaluationReject, id: s.id).path
    }
}

struct StudyJSON: Codable, Sendable {
    var id: Int
    var titel: String
    var organisatie: String
    var jaar: Int
    var gemeente: String?
    var gemeenten: [String]
    var interventie: String
    var soort: String?
    var sferen: [String]
    var perspectieven: [String]
    var opzet: String
    var uitkomsten: String
    var samenvatting: String
    var link: String?
    var beoordeling: String
    var fragment: String?
    var url: String

    init(_ s: EvaluationStudy, query: SearchQuery) {
        id = s.id
        titel = s.title
        organisatie = s.organisation
        jaar = s.year
        gemeente = s.gemeenten.first?.rawValue
        gemeenten = s.gemeenten.map(\.rawValue)
        interventie = s.intervention
        soort = s.facilityKind?.rawValue
        sferen = s.spheres.map(\.rawValue)
        perspectieven = s.perspectives.map(\.rawValue)
        opzet = s.design.rawValue
        uitkomsten = s.outcomes
        samenvatting = s.summary
        link = s.url.isEmpty ? nil : s.url
        beoordeling = s.review.rawValue
        fragment = query.isEmpty ? nil : Fragment.snippet(s.searchableText, query: query).plain
        url = SiteRoute.evaluation(s.id).path
    }
}

enum StudyCSV {
    static func csv(_ studies: [EvaluationStudy]) -> String {
        var out = "titel,organisatie,jaar,gemeenten,interventie,soort,sferen,perspectieven,opzet,uitkomsten,samenvatting,link\r\n"
        for s in studies {
            out += [Exporter.cell(s.title), Exporter.cell(s.organisation), String(s.year), s.gemeenten.map(\.rawValue).joined(separator: "|"), Exporter.cell(s.intervention),
                    s.facilityKind?.rawValue ?? "", s.spheres.map(\.rawValue).joined(separator: "|"), s.perspectives.map(\.rawValue).joined(separator: "|"),
                    s.design.rawValue, Exporter.cell(s.outcomes), Exporter.cell(s.summary), Exporter.cell(s.url)].joined(separator: ",") + "\r\n"
        }
        return out
    }
}

/// Documents per year as bars: documents (dark) and gemeenten (light) side by side, with a table beside it.
enum YearBarChart {
    static func render(_ years: [DocumentAnalysis.YearCount], title: String) -> RenderedSVG {
        let width = 640.0, height = 240.0, left = 40.0, bottom = 30.0, top = 20.0
        let maximum = Double(max(years.map { max($0.documents, $0.gemeenten) }.max() ?? 1, 1))
        let slot = years.isEmpty ? width : (width - left - 10) / Double(years.count)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(width)) \#(svgNumber(height))" role="img" aria-labelledby="jaren-title" class="chart year-chart">"#
        s += #"<title id="jaren-title">\#(xmlEscape(title))</title>"#
        for tick in [0.0, 0.5, 1.0] {
            let y = top + (height - top - bottom) * (1 - tick)
            s += #"<line x1="\#(svgNumber(left))" x2="\#(svgNumber(width - 10))" y1="\#(svgNumber(y))" y2="\#(svgNumber(y))" class="grid"/>"#
            s += #"<text x="\#(svgNumber(left - 4))" y="\#(svgNumber(y + 4))" text-anchor="end" class="tick">\#(Int((maximum * tick).rounded()))</text>"#
        }
        for (i, year) in years.enumerated() {
            let x = left + Double(i) * slot
            let bar = max(slot * 0.35, 2)
            for (j, value) in [year.documents, year.gemeenten].enumerated() {
                let h = (height - top - bottom) * Double(value) / maximum
                let label = j == 0 ? tr("{0}: {1} stukken", year.year, value) : tr("{0}: {1} gemeenten", year.year, value)
                s += #"<rect x="\#(svgNumber(x + slot * 0.1 + Double(j) * bar))" y="\#(svgNumber(height - bottom - h))" width="\#(svgNumber(bar))" height="\#(svgNumber(h))" class="\#(j == 0 ? "bar-documents" : "bar-gemeenten")"><title>\#(xmlEscape(label))</title></rect>"#
            }
            s += #"<text x="\#(svgNumber(x + slot / 2))" y="\#(svgNumber(height - 10))" text-anchor="middle" class="tick">\#(year.year)</text>"#
        }
        s += "</svg>"
        return RenderedSVG(s)
    }
}

/// View model of `pages/documents.mustache`.
struct DocumentsPage: Sendable {
    struct YearRow: Sendable { var year: Int; var documents: Int; var gemeenten: Int; var mentions: Int }
    struct GemeenteRow: Sendable { var name: String; var code: String; var url: String; var cells: [String]; var total: Int }
    struct Context: Sendable { var id: Int; var title: String; var meta: String; var fragments: [FragmentView] }
    struct Goal: Sendable { var sentence: String; var meta: String; var perspectives: String; var because: String; var goalWords: String }
    struct PerspectiveCount: Sendable { var label: String; var count: Int }

    var pageTitle = tr("Raadsstukken — Monitor pedagogische basis")
    var term: String
    var formAction = SiteRoute.documents.path
    var removeAction = SiteRoute.action(.documentRemove).path
    var rulesURL = SiteRoute.documentRules.path
    var jsonURL: String
    var csvURL: String
    var total: Int
    var found: Int
    var chart: RenderedSVG
    var map: RenderedSVG
    var mapLegend: RenderedSVG
    var years: [YearRow]
    var yearHeaders: [String]
    var gemeenteRows: [GemeenteRow]
    var contexts: [Context]
    var goals: [Goal]
    var perspectiveCounts: [PerspectiveCount]
    var mayUpload = false
    /// A beheerder may remove documents.
    var mayRemove = false
    var csrf = ""
    var gemeenten: [Option] = []
    var kinds: [Option] = CouncilDocument.Kind.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: false) }
    var message: String?
    /// A refused upload: each problem at its field and in a summary, with what was typed.
    var feedback = FormFeedback()

    static var fields: [(id: String, label: String)] {
        [("gemeente", tr("Gemeente")), ("datum", tr("Datum")), ("soort", tr("Soort")), ("titel", tr("Titel")), ("bestand", tr("Bestand"))]
    }

    init(term: String, query: SearchQuery, documents: [CouncilDocument], goals: [DocumentAnalysis.GoalSentence], years: [DocumentAnalysis.YearCount],
         byGemeente: [AreaCode: [Int: Int]], names: [AreaCode: String], layer: MapLayer, total: Int, catalog: Catalog) {
        self.term = term
        jsonURL = SiteRoute.apiDocumentAnalysis.url([("term", term)])
        csvURL = SiteRoute.documents.url([("term", term), ("formaat", "csv")])
        self.total = total
        found = documents.count
        self.years = years.map { YearRow(year: $0.year, documents: $0.documents, gemeenten: $0.gemeenten, mentions: $0.mentions) }
        chart = YearBarChart.render(years, title: tr("Raadsstukken die {0} noemen, per jaar: stukken en gemeenten", term))
        let allYears = years.map(\.year)
        yearHeaders = allYears.map(String.init)
        gemeenteRows = byGemeente.map { code, counts in
            GemeenteRow(name: names[code] ?? code.rawValue, code: code.rawValue, url: SiteRoute.municipality(code.rawValue).path, cells: allYears.map { counts[$0].map(String.init) ?? "" },
                        total: counts.values.reduce(0, +))
        }.sorted { ($0.total, $1.name) > ($1.total, $0.name) }
        // The map: documents per gemeente over all years.
        let values = byGemeente.mapValues { Double($0.values.reduce(0, +)) }
        var indicator = catalog["inwoners"]!
        indicator.name = tr("Raadsstukken die de term noemen")
        indicator.unit = .aantal
        indicator.decimals = 0
        let classification = Classification(values: Array(values.values), classes: min(5, max(1, Set(values.values).count)), method: .kwantielen)
        let rendered = ChoroplethMap.render(layer: layer, values: values, texts: values.mapValues { "\(Int($0)) stuk(ken)" }, names: names,
                                            classification: classification, indicator: indicator,
                                            title: tr("Gemeenten met raadsstukken die {0} noemen (aantal stukken)", term), id: "documenten",
                                            link: { SiteRoute.municipality($0.rawValue).path })
        map = rendered.svg
        mapLegend = rendered.legendHTML
        contexts = documents.prefix(15).map { d in
            Context(id: d.id, title: d.title, meta: "\(names[d.gemeente] ?? d.gemeente.rawValue), \(d.kind.rawValue), \(d.date.day)",
                    fragments: Fragment.keywordsInContext(d.text, query: query, words: 10, limit: 3).map(FragmentView.init))
        }
        self.goals = goals.prefix(100).map { g in
            Goal(sentence: g.sentence, meta: "\(names[g.gemeente] ?? g.gemeente.rawValue), \(g.year)",
                 perspectives: g.perspectives.isEmpty ? tr("geen perspectief herkend") : g.perspectives.map(\.label).joined(separator: ", "),
                 because: g.because.joined(separator: "; "), goalWords: g.goalWords.joined(separator: ", "))
        }
        perspectiveCounts = Perspective.allCases.map { p in PerspectiveCount(label: p.label, count: goals.filter { $0.perspectives.contains(p) }.count) }
            + [PerspectiveCount(label: tr("geen perspectief herkend"), count: goals.filter(\.perspectives.isEmpty).count)]
    }
}

enum DocumentCSV {
    static func csv(goals: [DocumentAnalysis.GoalSentence], byGemeente: [AreaCode: [Int: Int]], names: [AreaCode: String]) -> String {
        var out = "soort,gemeente,naam,jaar,aantal_stukken,zin,perspectieven,waarom\r\n"
        for (code, years) in byGemeente.sorted(by: { $0.key < $1.key }) {
            for (year, count) in years.sorted(by: { $0.key < $1.key }) {
                out += ["telling", code.rawValue, Exporter.cell(names[code] ?? ""), String(year), String(count), "", "", ""].joined(separator: ",") + "\r\n"
            }
        }
        for g in goals {
            out += ["doelzin", g.gemeente.rawValue, Exporter.cell(names[g.gemeente] ?? ""), String(g.year), "", Exporter.cell(g.sentence),
                    g.perspectives.map(\.rawValue).joined(separator: "|"), Exporter.cell(g.because.joined(separator: "; "))].joined(separator: ",") + "\r\n"
        }
        return out
    }
}

/// View model of `pages/document-rules.mustache`.
struct RulesPage: Sendable {
    struct Line: Sendable { var name: String; var words: String }
    var pageTitle = tr("Regels voor de analyse van raadsstukken — Monitor pedagogische basis")
    var text: String
    var note: String
    var lines: [Line]
    var formAction = SiteRoute.documentRules.path
    var documentsURL = SiteRoute.documents.path
    var mayEdit = false
    var csrf = ""
    var message: String?
    /// Refused rules: every problem, by line, next to the text field and in a summary.
    var feedback = FormFeedback()

    init(text: String, note: String, rules: PerspectiveRules) {
        self.text = text
        self.note = note
        lines = [Line(name: "doelwoorden", words: rules.goalMarkers.map(\.text).joined(separator: ", "))]
            + rules.perspectives.map { Line(name: $0.0.label, words: $0.1.map(\.text).joined(separator: ", ")) }
    }
}

struct AnalysisJSON: Codable, Sendable {
    struct Year: Codable, Sendable { var jaar: Int; var stukken: Int; var gemeenten: Int; var vermeldingen: Int }
    struct PerGemeente: Codable, Sendable { var gemeente: String; var jaar: Int; var stukken: Int }
    struct Goal: Codable, Sendable { var document: Int; var gemeente: String; var jaar: Int; var zin: String; var perspectieven: [String]; var waarom: [String] }
    var ok = true
    var term: String
    var per_jaar: [Year]
    var per_gemeente: [PerGemeente]
    var doelzinnen: [Goal]

    init(term: String, years: [DocumentAnalysis.YearCount], byGemeente: [AreaCode: [Int: Int]], goals: [DocumentAnalysis.GoalSentence]) {
        self.term = term
        per_jaar = years.map { Year(jaar: $0.year, stukken: $0.documents, gemeenten: $0.gemeenten, vermeldingen: $0.mentions) }
        per_gemeente = byGemeente.sorted { $0.key < $1.key }.flatMap { code, years in
            years.sorted { $0.key < $1.key }.map { PerGemeente(gemeente: code.rawValue, jaar: $0.key, stukken: $0.value) }
        }
        doelzinnen = goals.map { Goal(document: $0.documentID, gemeente: $0.gemeente.rawValue, jaar: $0.year, zin: $0.sentence,
                                      perspectieven: $0.perspectives.map(\.rawValue), waarom: $0.because) }
    }
}

struct SearchItemJSON: Codable, Sendable {
    var id: Int
    var titel: String
    var gemeente: String?
    var gemeente_naam: String?
    var datum: String
    var soort: String
    var fragment: String
    var url: String?

    enum CodingKeys: String, CodingKey { case id, titel, gemeente, gemeente_naam, datum, soort, fragment, url }

    /// Every key is always there; unknown values are null.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(titel, forKey: .titel)
        try c.encode(gemeente, forKey: .gemeente)
        try c.encode(gemeente_naam, forKey: .gemeente_naam)
        try c.encode(datum, forKey: .datum)
        try c.encode(soort, forKey: .soort)
        try c.encode(fragment, forKey: .fragment)
        try c.encode(url, forKey: .url)
    }
}

/// View model of `pages/search.mustache`.
struct SearchPage: Sendable {
    struct Hit: Sendable { var title: String; var url: String?; var meta: String; var fragment: FragmentView }
    /// A gemeente, wijk or indicator whose name fits the words.
    struct Place: Sendable { var name: String; var url: String; var meta: String }
    var pageTitle = tr("Zoeken — Monitor pedagogische basis")
    var q: String
    var searched = false
    var documents: [Hit] = []
    var documentTotal = 0
    var studies: [Hit] = []
    var studyTotal = 0
    var gemeenten: [Place] = []
    var wijken: [Place] = []
    var indicators: [Place] = []
    var formAction = SiteRoute.search.path
    var jsonURL: String

    init(q: String) {
        self.q = q
        jsonURL = SiteRoute.apiSearch.url([("q", q)])
    }
}
