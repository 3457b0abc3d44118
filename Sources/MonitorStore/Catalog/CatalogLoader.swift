import Foundation
import Monitor
import Yams

/// Reads the indicator catalogue from `catalog/*.yaml` and validates every entry.
///
/// Each file holds `indicatoren:`, a list of entries with Dutch keys (see `catalog/README.md`).
/// Every problem is reported with the file and the key, all at once.
public enum CatalogLoader {
    static let requiredText = ["id", "naam", "definitie", "eenheid", "peilmoment", "polariteit", "lading", "leeftijd", "toelichting"]
    static let knownKeys: Set<String> = [
        "id", "naam", "definitie", "eenheid", "decimalen", "bron", "peilmoment", "polariteit", "lading", "sferen",
        "perspectieven", "kennisvragen", "leeftijd", "toelichting", "gebruiksvoorbeelden", "kanttekeningen", "kolommen",
        "teller_kolom", "formule", "registratie", "vragenlijst", "aggregatie", "meetlast", "cbs",
        "rol", "rol_waarom", "hulplagen", "relaties", "beeld", "netwerk",
    ]

    /// Loads every `.yaml` file in `directory` (sorted by name).
    /// - Throws: ``CatalogErrors`` with every problem found.
    public static func load(directory: URL) throws -> Catalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw CatalogErrors([CatalogError(file: directory.path, key: "-", message: tr("map met de catalogus niet gevonden"))])
        }
        if files.isEmpty {
            throw CatalogErrors([CatalogError(file: directory.path, key: "-", message: tr("geen .yaml-bestanden in de catalogusmap"))])
        }
        var indicators: [Indicator] = []
        var errors: [CatalogError] = []
        for file in files {
            let name = "catalog/" + file.lastPathComponent
            do {
                let text = try String(contentsOf: file, encoding: .utf8)
                let (parsed, problems) = parse(yaml: text, file: name)
                indicators += parsed
                errors += problems
            } catch {
                errors.append(CatalogError(file: name, key: "-", message: "onleesbaar: \(error)"))
            }
        }
        if !errors.isEmpty { throw CatalogErrors(errors) }
        return try Catalog(indicators: indicators)
    }

    /// Parses one catalogue file; returns the valid indicators and the problems.
    public static func parse(yaml: String, file: String) -> ([Indicator], [CatalogError]) {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            return ([], [CatalogError(file: file, key: "-", message: tr("geen geldige YAML: {0}", String(describing: error)))])
        }
        guard let list = root?["indicatoren"]?.sequence else {
            return ([], [CatalogError(file: file, key: "indicatoren", message: tr("ontbreekt; verwacht een lijst 'indicatoren:'"))])
        }
        var indicators: [Indicator] = []
        var errors: [CatalogError] = []
        for key in root?.mapping?.keys.compactMap(\.string) ?? [] where !["indicatoren", "meetlast"].contains(key) {
            errors.append(CatalogError(file: file, key: key, message: tr("onbekend veld bovenaan het bestand (bekend: indicatoren, meetlast)")))
        }
        for (index, node) in list.enumerated() {
            var entry = EntryReader(node: node, file: file, fallbackKey: "indicatoren[\(index)]", fileBurden: root?["meetlast"])
            if let indicator = entry.indicator() { indicators.append(indicator) }
            errors += entry.errors
        }
        return (indicators, errors)
    }

    struct EntryReader {
        let node: Node
        let file: String
        let fallbackKey: String
        /// The file's default `meetlast`, used when an entry has none.
        var fileBurden: Node? = nil
        var errors: [CatalogError] = []

        /// Reads `meetlast` (entry first, then the file's default); every indicator needs one.
        mutating func burden() -> MeasurementBurden? {
            guard let node = node["meetlast"] ?? fileBurden else {
                fail("meetlast", tr("verplicht (in de indicator of bovenaan het bestand): producent, minuten_per_respondent, respondenten_per_periode, aanname"))
                return nil
            }
            let raw = node["producent"]?.string ?? ""
            guard let producer = MeasurementBurden.Producer(rawValue: raw) else {
                fail("meetlast.producent", tr("onbekende producent '{0}' (kies uit: {1})", raw, MeasurementBurden.Producer.allCases.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
            let minutes = node["minuten_per_respondent"]?.float ?? node["minuten_per_respondent"]?.int.map(Double.init)
            let respondents = node["respondenten_per_periode"]?.int
            let assumption = node["aanname"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard let minutes, minutes >= 0 else { fail("meetlast.minuten_per_respondent", tr("verwacht een getal van 0 of meer")); return nil }
            guard let respondents, respondents >= 0 else { fail("meetlast.respondenten_per_periode", tr("verwacht een geheel getal van 0 of meer")); return nil }
            guard !assumption.isEmpty else { fail("meetlast.aanname", tr("verplicht: op welke aanname rust de schatting?")); return nil }
            if producer == .register && minutes * Double(respondents) > 0 {
                fail("meetlast", tr("een bestaand register vraagt niemand iets; zet minuten of respondenten op 0, of kies een andere producent"))
            }
            if producer != .register && minutes * Double(respondents) == 0 {
                fail("meetlast", tr("een vragenlijst of lokale registratie kost tijd; schat minuten per respondent en respondenten per periode"))
            }
            return MeasurementBurden(producer: producer, minutesPerRespondent: minutes, respondentsPerPeriod: respondents, assumption: assumption)
        }

        /// `registratie: {maat: voorzieningen|bezoeken|unieke_bezoekers, soorten: [speeltuin, …]}`; unit `per_1000` divides by children 0–15.
        mutating func registration(unit: IndicatorUnit?) -> IndicatorDerivation? {
            guard let spec = node["registratie"], spec.mapping != nil else {
                fail("registratie", tr("verwacht {maat: voorzieningen, bezoeken of unieke_bezoekers, soorten: [...]}"))
                return nil
            }
            let raw = spec["maat"]?.string ?? ""
            guard let measure = FacilityMeasure.Measure(rawValue: raw) else {
                fail("registratie.maat", tr("onbekende maat '{0}' (kies uit: {1})", raw, FacilityMeasure.Measure.allCases.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
            var kinds: [Facility.Kind] = []
            for name in spec["soorten"]?.sequence?.compactMap(\.string) ?? [] {
                if let kind = Facility.Kind(text: name) { kinds.append(kind) } else {
                    fail("registratie.soorten", tr("onbekende soort '{0}' (kies uit: {1})", name, Facility.Kind.allCases.map(\.rawValue).joined(separator: ", ")))
                }
            }
            guard let unit else { return nil }
            guard unit == .per1000 || unit == .aantal else {
                fail("eenheid", tr("een registratie-indicator is een aantal (eenheid aantal) of per 1.000 kinderen (eenheid per_1000)"))
                return nil
            }
            return .registered(FacilityMeasure(measure: measure, kinds: kinds, perThousandChildren: unit == .per1000))
        }

        var prefix: String { node["id"]?.string ?? fallbackKey }

        mutating func fail(_ key: String, _ message: String) {
            errors.append(CatalogError(file: file, key: "\(prefix).\(key)", message: message))
        }

        mutating func text(_ key: String) -> String {
            guard let value = node[key]?.string?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                fail(key, tr("verplicht veld ontbreekt of is leeg"))
                return ""
            }
            return value
        }

        mutating func list(_ key: String, minimum: Int) -> [String] {
            guard let node = node[key] else {
                fail(key, tr("verplicht veld ontbreekt; verwacht een lijst"))
                return []
            }
            guard let sequence = node.sequence else {
                fail(key, tr("verwacht een lijst (regels die beginnen met '- ')"))
                return []
            }
            for (index, item) in sequence.enumerated() where item.string == nil {
                fail("\(key)[\(index)]", tr("verwacht tekst; staat er een dubbele punt in de zin? Zet de tekst dan tussen aanhalingstekens"))
            }
            let values = sequence.compactMap { $0.string?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if values.count < minimum { fail(key, tr("verwacht ten minste {0} ingevulde onderdelen, gevonden {1}", minimum, values.count)) }
            return values
        }

        /// The values of a list of choices, each once (a sphere named twice would count twice in the lantaarnpaal).
        mutating func enumList<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, label: String) -> [E] where E.RawValue == String {
            var seen: Set<String> = []
            return list(key, minimum: 1).filter { seen.insert($0).inserted }.compactMap { raw in
                if let value = E(rawValue: raw) { return value }
                fail(key, tr("onbekende {0} '{1}' (kies uit: {2})", label, raw, E.allCases.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
        }

        mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, label: String) -> E? where E.RawValue == String {
            let raw = text(key)
            guard !raw.isEmpty else { return nil }
            if let value = E(rawValue: raw) { return value }
            fail(key, tr("onbekende {0} '{1}' (kies uit: {2})", label, raw, E.allCases.map(\.rawValue).joined(separator: ", ")))
            return nil
        }

        mutating func indicator() -> Indicator? {
            guard node.mapping != nil else {
                fail("-", tr("verwacht een indicator met velden (id, naam, …)"))
                return nil
            }
            for key in node.mapping!.keys.compactMap(\.string) where !CatalogLoader.knownKeys.contains(key) {
                fail(key, tr("onbekend veld (bekende velden: {0})", CatalogLoader.knownKeys.sorted().joined(separator: ", ")))
            }
            let id = text("id")
            if !id.isEmpty, !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) || !id.allSatisfy(\.isASCII) {
                fail("id", tr("alleen kleine letters, cijfers en _ (gevonden '{0}')", id))
            }
            let name = text("naam"), definition = text("definitie"), referencePeriod = text("peilmoment")
            let ageGroup = text("leeftijd"), explanation = text("toelichting")
            let unit = enumValue("eenheid", IndicatorUnit.self, label: "eenheid")
            let polarity = enumValue("polariteit", Polarity.self, label: "polariteit")
            let framing = enumValue("lading", Framing.self, label: "lading")
            let spheres = enumList("sferen", Sphere.self, label: "sfeer")
            let perspectives = enumList("perspectieven", Perspective.self, label: "perspectief")
            let questions = enumList("kennisvragen", KnowledgeQuestion.self, label: "kennisvraag")
            var role: IndicatorRole?
            if node["rol"] == nil {
                fail("rol", tr("verplicht veld ontbreekt: basis (over de pedagogische basis zelf), context (verklaart, is niet de basis) of hulp (gebruik van hulp in de buitensfeer)"))
            } else {
                role = enumValue("rol", IndicatorRole.self, label: "rol")
            }
            let roleReason = text("rol_waarom")
            let helpLayers = node["hulplagen"] == nil ? [] : enumList("hulplagen", HelpLayer.self, label: "hulplaag")
            if role != nil, role != .hulp, !helpLayers.isEmpty {
                fail("hulplagen", tr("alleen een indicator met rol 'hulp' hoort bij lagen van de buitensfeer"))
            }
            if role == .hulp, helpLayers.isEmpty {
                fail("hulplagen", tr("een indicator met rol 'hulp' noemt welke lagen van de buitensfeer hij telt ({0})", HelpLayer.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            let relations = node["relaties"] == nil ? [] : enumList("relaties", RelationType.self, label: "relatie")
            if role == .context, !relations.isEmpty { fail("relaties", tr("een contextcijfer gaat niet over relaties; kies rol 'basis'")) }
            let pictures = enumList("beeld", Level.self, label: "beeld")
            let examples = list("gebruiksvoorbeelden", minimum: 2)
            let caveats = list("kanttekeningen", minimum: 1)
            var decimals = 0
            if let raw = node["decimalen"] {
                if let value = raw.int, (0...4).contains(value) { decimals = value } else { fail("decimalen", tr("verwacht een geheel getal van 0 tot en met 4")) }
            }
            var source = Source(publisher: "", tableID: "", title: "")
            if let bron = node["bron"], bron.mapping != nil {
                for key in ["uitgever", "tabel", "titel"] where (bron[key]?.string ?? "").isEmpty {
                    fail("bron.\(key)", tr("verplicht veld ontbreekt of is leeg"))
                }
                source = Source(publisher: bron["uitgever"]?.string ?? "", tableID: bron["tabel"]?.string ?? "",
                                title: bron["titel"]?.string ?? "", url: bron["url"]?.string)
            } else {
                fail("bron", tr("verplicht veld ontbreekt; verwacht uitgever, tabel en titel"))
            }
            var aggregation = Aggregation.geen
            if let raw = node["aggregatie"]?.string {
                if let value = Aggregation(rawValue: raw) { aggregation = value } else { fail("aggregatie", tr("onbekende aggregatie '{0}' (kies uit: som, geen)", raw)) }
            }
            var derivation: IndicatorDerivation?
            switch (node["kolommen"], node["formule"]) {
            case _ where node["vragenlijst"] != nil:
                let template = node["vragenlijst"]?["sjabloon"]?.string ?? "", scale = node["vragenlijst"]?["schaal"]?.string ?? ""
                if template.isEmpty || scale.isEmpty {
                    fail("vragenlijst", tr("verwacht {sjabloon: …, schaal: …} (sjablonen: {0})", QuestionnaireTemplates.all.map(\.key).joined(separator: ", ")))
                    derivation = nil
                } else {
                    derivation = .surveyed(QuestionnaireMeasure(template: template, scale: scale))
                    if let shipped = QuestionnaireTemplates.template(template),
                       let scales = try? QuestionnaireDefinition.parse(shipped.definition).scales, !scales.contains(where: { $0.id == scale }) {
                        fail("vragenlijst.schaal", tr("sjabloon '{0}' heeft geen schaal '{1}' (wel: {2})", template, scale, scales.map(\.id).joined(separator: ", ")))
                    }
                }
                if node["kolommen"] != nil || node["formule"] != nil || node["registratie"] != nil {
                    fail("vragenlijst", tr("een indicator uit vragenlijsten heeft geen kolommen, formule of registratie"))
                }
                if aggregation == .som { fail("aggregatie", tr("schaalscores worden niet opgeteld")) }
            case _ where node["netwerk"] != nil:
                let raw = node["netwerk"]?["maat"]?.string ?? ""
                if let kind = NetworkMeasureKind(rawValue: raw) {
                    derivation = .networked(kind)
                } else {
                    fail("netwerk.maat", tr("onbekende netwerkmaat '{0}' (kies uit: {1})", raw, NetworkMeasureKind.allCases.map(\.rawValue).joined(separator: ", ")))
                    derivation = nil
                }
                if node["kolommen"] != nil || node["formule"] != nil || node["registratie"] != nil || node["vragenlijst"] != nil {
                    fail("netwerk", tr("een indicator uit netwerkkaarten heeft geen kolommen, formule, registratie of vragenlijst"))
                }
                if aggregation == .som { fail("aggregatie", tr("netwerkmaten worden per wijk berekend, niet opgeteld")) }
            case _ where node["registratie"] != nil:
                derivation = registration(unit: unit)
                if node["kolommen"] != nil || node["formule"] != nil {
                    fail("registratie", tr("een indicator uit het voorzieningenregister heeft geen kolommen of formule"))
                }
                if aggregation == .som { fail("aggregatie", tr("registratie-indicatoren worden per wijk en gemeente uit het register berekend, niet opgeteld")) }
            case (.some, .some):
                fail("formule", tr("een indicator is óf geladen (kolommen) óf berekend (formule), niet allebei"))
                derivation = nil
            case (.some(let columns), nil):
                let names = columns.sequence?.compactMap(\.string) ?? []
                if names.isEmpty { fail("kolommen", tr("verwacht een lijst met ten minste één bronkolom")) }
                derivation = .loaded(columns: names, numeratorColumn: node["teller_kolom"]?.string)
            case (nil, .some(let formula)):
                let numerator = formula["teller"]?.string ?? "", denominator = formula["noemer"]?.string ?? ""
                if numerator.isEmpty { fail("formule.teller", tr("verplicht veld ontbreekt")) }
                if denominator.isEmpty { fail("formule.noemer", tr("verplicht veld ontbreekt")) }
                let factor = formula["factor"]?.float ?? formula["factor"]?.int.map(Double.init)
                if factor == nil { fail("formule.factor", tr("verwacht een getal, bijvoorbeeld 100 of 1000")) }
                derivation = .formula(Formula(numerator: numerator, denominator: denominator, factor: factor ?? 1))
                if aggregation == .som { fail("aggregatie", tr("een formule-indicator wordt niet opgeteld; hij wordt per gebied berekend uit teller en noemer")) }
            case (nil, nil):
                fail("kolommen", tr("verplicht: 'kolommen' (geladen) of 'formule' (berekend)"))
                derivation = nil
            }
            if let unit, aggregation == .som, !unit.isAdditive {
                fail("aggregatie", tr("alleen aantallen (eenheid personen of aantal) kunnen worden opgeteld, niet '{0}'", unit.rawValue))
            }
            let burden = burden()
            var cbsKeys: [String] = []
            if let raw = node["cbs"] {
                cbsKeys = raw.sequence?.compactMap(\.string) ?? []
                if cbsKeys.isEmpty { fail("cbs", tr("verwacht een lijst met CBS-sleutels zonder nummer, bijvoorbeeld [AantalInwoners]")) }
                for key in cbsKeys where key != StatLineImporter.baseKey(key) {
                    fail("cbs", tr("schrijf de CBS-sleutel zonder het nummer erachter ('{0}' in plaats van '{1}')", StatLineImporter.baseKey(key), key))
                }
                if case .formula = derivation ?? .loaded(columns: [], numeratorColumn: nil), !cbsKeys.isEmpty {
                    fail("cbs", tr("een berekende indicator wordt niet uit CBS-kolommen geladen"))
                }
            }
            guard errors.isEmpty, let unit, let polarity, let framing, let derivation, let burden, let role else { return nil }
            var indicator = Indicator(id: id, name: name, definition: definition, unit: unit, decimals: decimals, source: source,
                             referencePeriod: referencePeriod, polarity: polarity, framing: framing, spheres: spheres,
                             perspectives: perspectives, knowledgeQuestions: questions, ageGroup: ageGroup,
                             explanation: explanation, usageExamples: examples, caveats: caveats, derivation: derivation,
                             aggregation: aggregation, burden: burden, definedIn: file)
            indicator.cbsKeys = cbsKeys
            indicator.role = role
            indicator.roleReason = roleReason
            indicator.helpLayers = helpLayers
            indicator.relations = relations
            indicator.pictures = pictures
            return indicator
        }
    }
}
