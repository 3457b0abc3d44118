import Foundation
import Monitor
import MonitorStore

/// The form of a gemeente's own indicator: the fields of a catalogue entry (``LocalIndicatorEntry/fields``) in sections,
/// each with its label, hint and — after a failed save — the validator's message beside it.
struct LocalIndicatorFormView: Sendable {
    struct Check: Sendable { var value: String; var label: String; var checked: Bool; var inputID: String }
    struct Field: Sendable {
        var name: String
        var inputID: String
        var label: String
        var hint: String?
        var value: String
        var isText = false, isArea = false, isNumber = false, isSelect = false, isChecks = false
        var options: [Option] = []
        var checks: [Check] = []
        var error: String?
        var required: Bool
        /// The ids of the hint and the message, for `aria-describedby` (nil when there is neither); stored, as templates read it.
        var describedBy: String?

        mutating func describe() {
            let ids = [hint.map { _ in inputID + "-hint" }, error.map { _ in inputID + "-fout" }].compactMap { $0 }
            describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
        }
    }
    struct Section: Sendable { var title: String; var fields: [Field] }
    struct Problem: Sendable { var text: String; var anchor: String }

    var action: String
    var csrf: String
    var submitLabel: String
    var codePrefix: String
    var code: String
    var codeLocked: Bool
    var codeError: String?
    var sections: [Section]
    var problems: [Problem] = []

    /// The form for a new indicator (`editing` nil) or for a new version of one.
    init(gemeente: AreaCode, values: [String: [String]], csrf: String, editing: LocalIndicator? = nil) {
        let prefix = LocalIndicator.prefix(of: gemeente)
        self.csrf = csrf
        codePrefix = prefix
        let id = editing?.indicator ?? values["id"]?.first ?? ""
        code = id.hasPrefix(prefix) ? String(id.dropFirst(prefix.count)) : id
        codeLocked = editing != nil
        action = editing.map { SiteRoute.action(.localIndicatorEdit, code: gemeente.rawValue, id: $0.id).path } ?? SiteRoute.localIndicators(gemeente.rawValue).path
        submitLabel = editing == nil ? tr("Opslaan als concept") : tr("Wijziging opslaan (nieuwe versie)")
        // A new form starts from the usual choices of a gemeente's own figure.
        var values = values
        if editing == nil && values.isEmpty {
            values = ["eenheid": ["procent"], "decimalen": ["1"], "polariteit": ["hoger_gunstig"], "lading": ["positief"], "rol": ["basis"],
                      "beeld": ["lokaal"], "aggregatie": ["geen"], "meetlast.producent": ["lokale_registratie"],
                      "bron.uitgever": ["Gemeente"]]
        }
        func v(_ key: String) -> String { values[key]?.first ?? "" }
        func field(_ key: String, _ label: String, hint: String? = nil) -> Field {
            let kind = LocalIndicatorEntry.fields.first { $0.key == key }?.kind ?? .text
            var f = Field(name: key, inputID: Self.inputID(key), label: label, hint: hint, value: v(key),
                          required: !LocalIndicatorEntry.optionalKeys.contains(key))
            f.describe()
            switch kind {
            case .text: f.isText = !Self.longTexts.contains(key); f.isArea = Self.longTexts.contains(key)
            case .lines: f.isArea = true; f.value = (values[key] ?? []).joined(separator: "\n")
            case .number: f.isNumber = true
            case .choice:
                f.isSelect = true
                f.options = Self.choices(key).map { Option(value: $0.0, label: $0.1, selected: $0.0 == v(key)) }
            case .choices:
                f.isChecks = true
                let chosen = Set(values[key] ?? [])
                f.checks = Self.choices(key).map { Check(value: $0.0, label: $0.1, checked: chosen.contains($0.0), inputID: Self.inputID(key) + "-" + $0.0) }
            }
            return f
        }
        sections = Self.layout.map { title, fields in Section(title: title, fields: fields.map { field($0.key, $0.label, hint: $0.hint) }) }
    }

    /// The values of a submitted form, by key (the id from the prefix and the short name, or `fixedID` when editing).
    static func values(of form: FormData, gemeente: AreaCode, fixedID: String? = nil) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for (key, _) in LocalIndicatorEntry.fields { values[key] = form.all(key) }
        let code = (form["code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        values["id"] = [fixedID ?? (LocalIndicator.prefix(of: gemeente) + code)]
        return values
    }

    /// Places the validator's messages beside their fields (and in the summary at the top, each linking to its field).
    mutating func show(_ error: RecordError) {
        guard case .invalid(let errors) = error.reason else {
            problems = [Problem(text: error.description, anchor: "#indicator-formulier")]
            return
        }
        let id = codePrefix + code
        for error in errors {
            let field = error.field ?? ""
            var key = field.hasPrefix(id + ".") ? String(field.dropFirst(id.count + 1)) : field
            if let bracket = key.firstIndex(of: "[") { key = String(key[..<bracket]) }
            if key == "meetlast" { key = "meetlast.minuten_per_respondent" }
            if key == "id" {
                codeError = error.message
                problems.append(Problem(text: tr("Korte naam: {0}", error.message), anchor: "#veld-code"))
                continue
            }
            var placed = false
            for s in sections.indices {
                for f in sections[s].fields.indices where sections[s].fields[f].name == key {
                    sections[s].fields[f].error = [sections[s].fields[f].error, error.message].compactMap { $0 }.joined(separator: "; ")
                    sections[s].fields[f].describe()
                    problems.append(Problem(text: "\(sections[s].fields[f].label): \(error.message)", anchor: "#" + sections[s].fields[f].inputID))
                    placed = true
                }
            }
            if !placed { problems.append(Problem(text: error.description, anchor: "#indicator-formulier")) }
        }
    }

    /// The form's sections: every key of ``LocalIndicatorEntry/fields`` once, with its label and hint.
    static var layout: [(title: String, fields: [(key: String, label: String, hint: String?)])] { [
        (tr("Wat wordt gemeten"), [
            ("naam", tr("Naam"), tr("Zoals hij op de pagina's staat, bijvoorbeeld 'Bezoek aan speeltuinen per kind'.")),
            ("definitie", tr("Definitie"), tr("Wat telt mee, waardoor wordt gedeeld, over welke kinderen of ouders.")),
            ("eenheid", tr("Eenheid"), nil),
            ("decimalen", tr("Decimalen"), tr("0 tot en met 4; leeg is 0.")),
            ("peilmoment", tr("Peilmoment"), tr("Waar de periode van een cijfer naar verwijst, bijvoorbeeld 'schooljaar' of 'peildatum 1 januari'.")),
            ("leeftijd", tr("Leeftijdsgroep"), tr("Bijvoorbeeld '4–12 jaar' of 'ouders van kinderen tot 18 jaar'.")),
            ("aggregatie", tr("Optellen naar grotere gebieden"), nil),
        ]),
        (tr("Bron"), [
            ("bron.uitgever", tr("Uitgever"), tr("Wie levert de cijfers, bijvoorbeeld de eigen afdeling Onderzoek.")),
            ("bron.tabel", tr("Tabel of registratie"), tr("De naam van de registratie of het bestand.")),
            ("bron.titel", tr("Titel"), nil),
            ("bron.url", tr("Adres (mag leeg)"), nil),
        ]),
        (tr("Plaats in het model"), [
            ("rol", tr("Rol"), tr("Alleen 'basis' en 'hulp' tellen mee in de lantaarnpaal; context verklaart, maar is niet de basis.")),
            ("rol_waarom", tr("Waarom deze rol?"), nil),
            ("sferen", tr("Sferen"), tr("De eerste aangevinkte is de hoofdsfeer.")),
            ("perspectieven", tr("Perspectieven"), nil),
            ("kennisvragen", tr("Kennisvragen"), nil),
            ("beeld", tr("Landelijk of lokaal beeld"), nil),
            ("relaties", tr("Relaties (het weefsel; mag leeg)"), nil),
            ("hulplagen", tr("Lagen van de buitensfeer (alleen bij rol 'hulp')"), nil),
        ]),
        (tr("Lezen en gebruiken"), [
            ("polariteit", tr("Polariteit"), nil),
            ("lading", tr("Lading van de formulering"), nil),
            ("toelichting", tr("Toelichting"), tr("Waarom doet dit cijfer ertoe voor de pedagogische basis?")),
            ("gebruiksvoorbeelden", tr("Gebruiksvoorbeelden"), tr("Eén per regel; ten minste twee.")),
            ("kanttekeningen", tr("Kanttekeningen"), tr("Eén per regel; ten minste één: wat zegt het cijfer niet?")),
        ]),
        (tr("Meetlast"), [
            ("meetlast.producent", tr("Wie levert de gegevens"), nil),
            ("meetlast.minuten_per_respondent", tr("Minuten per persoon"), tr("0 bij een bestaand register.")),
            ("meetlast.respondenten_per_periode", tr("Personen per periode"), tr("Hoeveel mensen per periode iets invullen of registreren.")),
            ("meetlast.aanname", tr("Aanname"), tr("Waar rust de schatting op?")),
        ]),
    ] }

    static var labels: [String: String] { Dictionary(layout.flatMap { $0.fields.map { ($0.key, $0.label) } }, uniquingKeysWith: { a, _ in a }) }

    static let longTexts: Set<String> = ["definitie", "toelichting", "rol_waarom"]

    static func inputID(_ key: String) -> String {
        "veld-" + key.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
    }

    static func choices(_ key: String) -> [(String, String)] {
        switch key {
        case "eenheid": IndicatorUnit.allCases.map { ($0.rawValue, $0.label) }
        case "polariteit": Polarity.allCases.map { ($0.rawValue, $0.label) }
        case "lading": Framing.allCases.map { ($0.rawValue, $0.rawValue) }
        case "rol": IndicatorRole.allCases.map { ($0.rawValue, $0.label) }
        case "hulplagen": HelpLayer.allCases.map { ($0.rawValue, $0.label) }
        case "relaties": RelationType.allCases.map { ($0.rawValue, $0.label) }
        case "sferen": Sphere.allCases.map { ($0.rawValue, $0.label) }
        case "perspectieven": Perspective.allCases.map { ($0.rawValue, $0.label) }
        case "kennisvragen": KnowledgeQuestion.allCases.map { ($0.rawValue, $0.label) }
        case "beeld": Level.allCases.map { ($0.rawValue, $0.label) }
        case "aggregatie": [("geen", tr("nee: per gebied aanleveren (gemiddelden, percentages)")), ("som", tr("ja: buurten optellen tot wijk en gemeente (alleen aantallen)"))]
        case "meetlast.producent": MeasurementBurden.Producer.allCases.map { ($0.rawValue, $0.label) }
        default: []
        }
    }
}

/// View model of `pages/local-indicators.mustache`: a gemeente's own indicators and the form for a new one.
struct LocalIndicatorListPage: Sendable {
    struct Row: Sendable { var name: String; var id: String; var url: String; var status: String; var shared: Bool; var version: Int }
    var pageTitle: String
    var gemeenteName: String
    var gemeenteURL: String
    var draftsURL: String
    var jsonURL: String
    var rows: [Row]
    var form: LocalIndicatorFormView?

    init(gemeente: Area, items: [LocalIndicator], form: LocalIndicatorFormView?) {
        pageTitle = tr("Eigen indicatoren — {0} — Monitor pedagogische basis", gemeente.name)
        gemeenteName = gemeente.name
        gemeenteURL = SiteRoute.municipality(gemeente.code.rawValue).path
        draftsURL = SiteRoute.drafts(gemeente.code.rawValue).path
        jsonURL = SiteRoute.apiLocalIndicators(gemeente.code.rawValue).path
        rows = items.map { item in
            let name = LocalIndicatorEntry.values(yaml: item.yaml)["naam"]?.first ?? item.indicator
            return Row(name: name, id: item.indicator, url: SiteRoute.localIndicator(gemeente.code.rawValue, item.id).path,
                       status: item.status.rawValue, shared: item.shared, version: item.version)
        }
        self.form = form
    }
}

/// View model of `pages/local-indicator.mustache`: one own indicator, its entry, versions and actions.
struct LocalIndicatorPage: Sendable {
    struct Entry: Sendable { var label: String; var value: String }
    struct Version: Sendable { var version: Int; var saved: String }
    var pageTitle: String
    var name: String
    var id: String
    var status: String
    var isConcept: Bool
    var isPublished: Bool
    var shared: Bool
    var gemeenteName: String
    var listURL: String
    var indicatorURL: String
    var draftsURL: String
    var yamlURL: String
    var copyURL: String
    var csvExample: String
    var yaml: String
    var entries: [Entry]
    var versions: [Version]
    var csrf: String
    var mayEdit = false, mayShare = false, mayCopy = false
    var publication: PublicationForms?
    var shareURL: String
    var unshareURL: String
    var form: LocalIndicatorFormView? {
        didSet { formOpen = !(form?.problems.isEmpty ?? true) }
    }
    /// The form folds open by itself when it comes back with problems.
    var formOpen = false
    var message: String?
    var errors: [String] = []

    init(item: LocalIndicator, gemeente: Area, versions: [(version: Int, savedAt: Date, savedBy: String)], csrf: String) {
        let values = LocalIndicatorEntry.values(yaml: item.yaml)
        name = values["naam"]?.first ?? item.indicator
        pageTitle = tr("{0} — eigen indicator van {1} — Monitor pedagogische basis", name, gemeente.name)
        id = item.indicator
        status = item.status.rawValue
        isConcept = item.status == .concept
        isPublished = item.status == .gepubliceerd
        shared = item.shared
        gemeenteName = gemeente.name
        let code = gemeente.code.rawValue
        listURL = SiteRoute.localIndicators(code).path
        shareURL = SiteRoute.action(.localIndicatorShare, code: code, id: item.id).path
        unshareURL = SiteRoute.action(.localIndicatorUnshare, code: code, id: item.id).path
        indicatorURL = SiteRoute.indicator(item.indicator).path
        draftsURL = SiteRoute.drafts(code).path
        yamlURL = SiteRoute.localIndicator(code, item.id).url([("formaat", "yaml")])
        copyURL = SiteRoute.localIndicators(code).url([("kopie", String(item.id))])
        // The drafts upload reads a wide file: an area column, a period column and one column per indicator id.
        csvExample = "gebied,periode,\(item.indicator)\n\(code),2025,…"
        yaml = item.yaml
        entries = LocalIndicatorEntry.fields.compactMap { key, kind in
            let items = kind == .lines ? (values[key] ?? []).flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) } : values[key] ?? []
            guard !items.allSatisfy({ $0.isEmpty }) else { return nil }
            let labels = Dictionary(LocalIndicatorFormView.choices(key), uniquingKeysWith: { a, _ in a })
            // Choices by their Dutch label, numbers in Dutch notation (2,5), texts as written.
            let shown = kind == .choice || kind == .choices ? items.map { labels[$0] ?? $0 }
                : kind == .number ? items.map { $0.replacingOccurrences(of: ".", with: ",") } : items
            return Entry(label: LocalIndicatorFormView.labels[key] ?? key, value: shown.joined(separator: kind == .lines ? " · " : ", "))
        }
        self.versions = versions.map { Version(version: $0.version, saved: "\(DutchDate.long($0.savedAt)), \($0.savedBy)") }
        self.csrf = csrf
    }
}
