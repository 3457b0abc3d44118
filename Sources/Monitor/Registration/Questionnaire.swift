import Foundation

/// A Likert questionnaire for professionals (report §4.3: attitude — "werken volgens de bedoeling" — and collaboration
/// across spheres, in the spirit of ISOJ). Statements belong to scales; a scale's score is the mean of its statements
/// (reversed ones mirrored), its reliability Cronbach's alpha. Respondents are anonymous: no account, no address, no time.
public struct Questionnaire: Sendable, Codable, Hashable, Identifiable {
    public struct Scale: Sendable, Codable, Hashable, Identifiable {
        /// Short id used in the definition and the catalogue (`vraag`, `kennen`).
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Item: Sendable, Codable, Hashable, Identifiable {
        /// `v1`, `v2`, … in the order of the definition (answers are kept by this id).
        public var id: String
        public var text: String
        public var scale: String
        /// Negatively worded: the answer counts as 6 − answer.
        public var reversed: Bool
        public init(id: String, text: String, scale: String, reversed: Bool = false) {
            self.id = id
            self.text = text
            self.scale = scale
            self.reversed = reversed
        }
    }

    public struct Section: Sendable, Codable, Hashable {
        public var title: String
        public var items: [Item]
        public init(title: String, items: [Item]) {
            self.title = title
            self.items = items
        }
    }

    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    /// The template it was made from (`werken-volgens-de-bedoeling`), or `eigen`; with a scale id it names a catalogue indicator.
    public var template: String
    public var title: String
    public var introduction: String
    public var scales: [Scale]
    public var sections: [Section]
    public var status: Status
    /// Where it came from, when a member copied it from a kopgroep.
    public var origin: RecordOrigin?

    public init(id: Int = 0, gemeente: AreaCode, template: String, title: String, introduction: String, scales: [Scale], sections: [Section],
                status: Status = .concept, origin: RecordOrigin? = nil) {
        self.origin = origin
        self.id = id
        self.gemeente = gemeente
        self.template = template
        self.title = title
        self.introduction = introduction
        self.scales = scales
        self.sections = sections
        self.status = status
    }

    public var items: [Item] { sections.flatMap(\.items) }

    public func items(of scale: String) -> [Item] { items.filter { $0.scale == scale } }

    /// What is wrong with it, in Dutch (empty when it can be used).
    public func problems() -> [String] {
        var problems: [String] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(tr("geef de vragenlijst een titel")) }
        if sections.isEmpty || items.isEmpty { problems.append(tr("een vragenlijst heeft ten minste één onderdeel met stellingen")) }
        for section in sections where section.items.isEmpty { problems.append(tr("onderdeel '{0}' heeft geen stellingen", section.title)) }
        for scale in scales where items(of: scale.id).count < 2 {
            problems.append(tr("schaal '{0}' heeft ten minste twee stellingen nodig (voor een schaalscore en Cronbachs alfa)", scale.name))
        }
        return problems
    }
}

/// The plain-text definition the builder edits: one line per scale, section or statement.
///
///     = vraag: De vraag van het gezin centraal
///     # Uw werk met gezinnen
///     [vraag] Ik begin bij wat het gezin zelf belangrijk vindt.
///     [vraag -] Ik volg vooral het vaste aanbod, ook als een gezin iets anders vraagt.
///
/// `[schaal -]` marks a negatively worded statement; empty lines and lines starting with `//` are skipped.
public enum QuestionnaireDefinition {
    public static func parse(_ text: String) throws -> (scales: [Questionnaire.Scale], sections: [Questionnaire.Section]) {
        var scales: [Questionnaire.Scale] = []
        var sections: [Questionnaire.Section] = []
        var problems: [ImportError] = []
        var number = 0
        for (index, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let lineNumber = index + 1
            func problem(_ expected: String) { problems.append(ImportError(file: "definitie", line: lineNumber, found: String(line.prefix(60)), expected: expected)) }
            if line.isEmpty || line.hasPrefix("//") { continue }
            if line.hasPrefix("=") {
                let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
                guard let colon = body.firstIndex(of: ":") else { problem(tr("een schaal als '= id: naam'")); continue }
                let id = body[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let name = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if id.isEmpty || !id.allSatisfy({ ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" || $0 == "-" }) {
                    problem(tr("een schaal-id van kleine letters, cijfers, - of _ (bijvoorbeeld 'vraag')"))
                } else if name.isEmpty {
                    problem(tr("een naam voor schaal '{0}' na de dubbele punt", id))
                } else if scales.contains(where: { $0.id == id }) {
                    problem(tr("een nieuwe schaal-id; '{0}' bestaat al", id))
                } else {
                    scales.append(.init(id: id, name: name))
                }
            } else if line.hasPrefix("#") {
                let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                if title.isEmpty { problem(tr("een titel voor het onderdeel na #")) } else { sections.append(.init(title: title, items: [])) }
            } else if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { problem(tr("een stelling als '[schaal] tekst'")); continue }
                let tag = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces).lowercased()
                let reversed = tag.hasSuffix("-")
                let scale = (reversed ? String(tag.dropLast()) : tag).trimmingCharacters(in: .whitespaces)
                let statement = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
                if !scales.contains(where: { $0.id == scale }) {
                    problem(tr("een schaal die hierboven met '= {0}: naam' is genoemd (bekend: {1})", scale, scales.map(\.id).joined(separator: ", ")))
                } else if statement.isEmpty {
                    problem(tr("de tekst van de stelling na ]"))
                } else if sections.isEmpty {
                    problem(tr("eerst een onderdeel met '# titel'"))
                } else {
                    number += 1
                    sections[sections.count - 1].items.append(.init(id: "v\(number)", text: statement, scale: scale, reversed: reversed))
                }
            } else {
                problem(tr("een regel die begint met = (schaal), # (onderdeel) of [schaal] (stelling)"))
            }
        }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        return (scales, sections)
    }

    public static func text(_ questionnaire: Questionnaire) -> String {
        var lines = questionnaire.scales.map { "= \($0.id): \($0.name)" }
        for section in questionnaire.sections {
            lines.append("")
            lines.append("# \(section.title)")
            lines += section.items.map { "[\($0.scale)\($0.reversed ? " -" : "")] \($0.text)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A round: the questionnaire sent to a group (the professionals of a wijk, a team) in a period, through one anonymous link.
public struct QuestionnaireRound: Sendable, Codable, Hashable, Identifiable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// The link takes responses.
        case open
        /// No more responses; results for the gemeente's users.
        case gesloten
        /// Results public, and the scale scores are figures in the monitor.
        case gepubliceerd

        public var label: String {
            switch self {
            case .open: tr("open (de link neemt antwoorden aan)")
            case .gesloten: tr("gesloten")
            case .gepubliceerd: tr("gepubliceerd")
            }
        }
    }

    public var id: Int
    public var questionnaireID: Int
    public var gemeente: AreaCode
    /// The gemeente or one of its wijken the group works in (the figures are written for this area).
    public var area: AreaCode
    /// The monitor's period notation: `2026`, `2026KW04`.
    public var period: String
    public var name: String
    /// The secret in the anonymous link.
    public var token: String
    public var status: Status

    public init(id: Int = 0, questionnaireID: Int, gemeente: AreaCode, area: AreaCode, period: String, name: String, token: String,
                status: Status = .open) {
        self.id = id
        self.questionnaireID = questionnaireID
        self.gemeente = gemeente
        self.area = area
        self.period = period
        self.name = name
        self.token = token
        self.status = status
    }

    /// A new link secret: 24 random bytes, URL-safe (192 bits; guessing one is hopeless).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// One anonymous response: the respondent's own sphere (optional) and an answer 1–5 per statement (missing: no answer).
public struct QuestionnaireResponse: Sendable, Codable, Hashable {
    public var sphere: Sphere?
    public var answers: [String: Int]
    public init(sphere: Sphere?, answers: [String: Int]) {
        self.sphere = sphere
        self.answers = answers
    }
}

/// The five points of the scale, and "weet niet" (no answer).
public enum LikertAnswer {
    public static var labels: [String] { [tr("helemaal mee oneens"), tr("mee oneens"), tr("neutraal"), tr("mee eens"), tr("helemaal mee eens")] }
    public static let range = 1...5
}

/// Cronbach's alpha: k/(k−1) × (1 − Σ item variances / variance of the sum), over respondents who answered every item.
public enum CronbachAlpha {
    public static func compute(_ rows: [[Double]]) -> Double? {
        guard let k = rows.first?.count, k >= 2, rows.count >= 2, rows.allSatisfy({ $0.count == k }) else { return nil }
        func variance(_ values: [Double]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        }
        let itemVariances = (0..<k).map { j in variance(rows.map { $0[j] }) }
        let total = variance(rows.map { $0.reduce(0, +) })
        guard total > 0 else { return nil }
        return Double(k) / Double(k - 1) * (1 - itemVariances.reduce(0, +) / total)
    }
}

/// Scale scores of a group of responses; any group under the privacy threshold shows nothing but that.
public struct QuestionnaireResults: Sendable, Hashable {
    public struct ScaleResult: Sendable, Hashable {
        public var scale: Questionnaire.Scale
        /// Respondents with a score (at least half of the scale's statements answered).
        public var n: Int
        public var mean: Double
        public var standardDeviation: Double
        /// 95% confidence interval of the mean (t distribution), when n ≥ 2.
        public var interval: ConfidenceInterval?
        /// Over the respondents who answered every statement of the scale; nil when it cannot be computed.
        public var alpha: Double?
        public var alphaN: Int
    }

    public struct Group: Sendable, Hashable {
        public var label: String
        /// nil when suppressed: fewer respondents than the threshold (the exact number is not shown either).
        public var respondents: Int?
        public var scales: [ScaleResult]
        public var isSuppressed: Bool { respondents == nil }
    }

    public var all: Group
    public var bySphere: [Group]

    public static func compute(_ questionnaire: Questionnaire, responses: [QuestionnaireResponse], threshold: Int = PrivacyPolicy().threshold,
                               label: String = tr("alle respondenten")) -> QuestionnaireResults {
        func group(_ label: String, _ members: [QuestionnaireResponse]) -> Group {
            guard members.count >= threshold else { return Group(label: label, respondents: nil, scales: []) }
            let scales = questionnaire.scales.compactMap { scale -> ScaleResult? in
                let items = questionnaire.items(of: scale.id)
                guard !items.isEmpty else { return nil }
                func value(_ item: Questionnaire.Item, _ response: QuestionnaireResponse) -> Double? {
                    guard let answer = response.answers[item.id], LikertAnswer.range.contains(answer) else { return nil }
                    return Double(item.reversed ? 6 - answer : answer)
                }
                let scores = members.compactMap { response -> Double? in
                    let values = items.compactMap { value($0, response) }
                    guard values.count * 2 >= items.count, !values.isEmpty else { return nil }
                    return values.reduce(0, +) / Double(values.count)
                }
                let complete = members.compactMap { response -> [Double]? in
                    let values = items.compactMap { value($0, response) }
                    return values.count == items.count ? values : nil
                }
                guard scores.count >= threshold else {
                    return ScaleResult(scale: scale, n: scores.count, mean: .nan, standardDeviation: .nan, interval: nil, alpha: nil, alphaN: 0)
                }
                let mean = scores.reduce(0, +) / Double(scores.count)
                let sd = (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count - 1)).squareRoot()
                let half = StudentT.quantile(0.975, degreesOfFreedom: Double(scores.count - 1)) * sd / Double(scores.count).squareRoot()
                return ScaleResult(scale: scale, n: scores.count, mean: mean, standardDeviation: sd,
                                   interval: ConfidenceInterval(lower: mean - half, upper: mean + half),
                                   alpha: complete.count >= threshold ? CronbachAlpha.compute(complete) : nil, alphaN: complete.count)
            }
            return Group(label: label, respondents: members.count, scales: scales)
        }
        // The respondents per sphere of work, split once.
        let members = Sphere.allCases.map { sphere in (sphere.shortLabel, responses.filter { $0.sphere == sphere }) }
            + [(tr("sfeer niet genoemd"), responses.filter { $0.sphere == nil })]
        var spheres = members.map { group($0.0, $0.1) }
        var all = group(label, responses)
        // Complementary suppression: "all respondents" is the sum of the groups (its n and its mean × n), so one hidden
        // group would be all minus the shown ones. Hide more groups — and, per scale, more scale results — until
        // no hidden group or score follows (``DisclosureControl``).
        let counts = members.map(\.1.count)
        var cells: [Int: DisclosureControl.Cell] = [-1: .init(value: Double(responses.count), hidden: all.isSuppressed)]
        for (index, group) in spheres.enumerated() where counts[index] > 0 {
            cells[index] = .init(value: Double(counts[index]), hidden: group.isSuppressed)
        }
        let equation = [(whole: -1, parts: Array(spheres.indices))]
        for index in DisclosureControl.complementary(cells: cells, equations: equation, threshold: threshold) {
            if index == -1 { all = Group(label: all.label, respondents: nil, scales: []) } else {
                spheres[index] = Group(label: spheres[index].label, respondents: nil, scales: [])
            }
        }
        for scale in questionnaire.scales {
            func result(_ group: Group) -> ScaleResult? { group.scales.first { $0.scale.id == scale.id } }
            guard let whole = result(all) else { continue }
            var scaleCells: [Int: DisclosureControl.Cell] = [-1: .init(value: Double(whole.n), hidden: whole.isSuppressed)]
            for (index, group) in spheres.enumerated() {
                if let part = result(group) { scaleCells[index] = .init(value: Double(part.n), hidden: part.isSuppressed) }
                else if counts[index] > 0 { scaleCells[index] = .init(value: nil, hidden: true) }
            }
            for index in DisclosureControl.complementary(cells: scaleCells, equations: equation, threshold: threshold) {
                func hide(_ group: inout Group) {
                    group.scales = group.scales.map { r in
                        r.scale.id == scale.id ? ScaleResult(scale: r.scale, n: 0, mean: .nan, standardDeviation: .nan, interval: nil, alpha: nil, alphaN: 0) : r
                    }
                }
                if index == -1 { hide(&all) } else { hide(&spheres[index]) }
            }
        }
        return QuestionnaireResults(all: all, bySphere: spheres)
    }
}

extension QuestionnaireResults.ScaleResult {
    /// A scale score resting on fewer respondents than the threshold (its numbers are not shown).
    public var isSuppressed: Bool { mean.isNaN }
}

/// The two questionnaires we ship as templates (written for this monitor, not validated instruments: say so).
public enum QuestionnaireTemplates {
    public struct Template: Sendable {
        public var key: String
        public var title: String
        public var introduction: String
        public var definition: String
    }

    public static let all: [Template] = [bedoeling, samenwerking]

    public static func template(_ key: String) -> Template? { all.first { $0.key == key } }

    public static let bedoeling = Template(
        key: "werken-volgens-de-bedoeling",
        title: "Werken volgens de bedoeling",  // the title a new questionnaire gets; shown through tr()
        introduction: """
            Deze vragenlijst gaat over hoe u werkt met kinderen en gezinnen en de ruimte die u daarvoor krijgt. Er zijn geen \
            goede of foute antwoorden. Uw antwoorden zijn anoniem: we vragen geen naam en bewaren geen adres of tijdstip, en \
            uitkomsten van groepen kleiner dan \(PrivacyPolicy.minimumCount) worden niet getoond. Invullen duurt ongeveer 8 minuten.
            """,
        definition: """
            = vraag: De vraag van het gezin centraal
            = normaal: Normaliseren
            = ruimte: Ruimte van de organisatie

            # Uw werk met gezinnen
            [vraag] Ik begin bij wat het gezin zelf belangrijk vindt.
            [vraag] Ik neem de tijd om te begrijpen wat er in een gezin speelt.
            [vraag -] Ik volg vooral het vaste aanbod, ook als een gezin iets anders vraagt.
            [vraag] Ik kan afwijken van de standaardaanpak als dat beter past bij een gezin.
            [normaal] Ik zie opvoedvragen als een gewoon onderdeel van het leven.
            [normaal -] Bij twijfel verwijs ik liever door naar specialistische hulp.
            [normaal] Ik zoek eerst naar steun in het netwerk van het gezin voordat ik hulp inzet.
            [normaal] Ik help ouders om vertrouwen te houden in hun eigen opvoeding.

            # Uw organisatie
            [ruimte] Mijn organisatie geeft me de ruimte om te doen wat nodig is.
            [ruimte -] Regels en registratie houden me af van het werk met gezinnen.
            [ruimte] Mijn leidinggevende steunt me als ik buiten de gebaande paden ga.
            [ruimte] Ik heb genoeg tijd om contact te houden met gezinnen die dat nodig hebben.
            """)

    public static let samenwerking = Template(
        key: "samenwerking-over-sferen",
        title: "Samenwerken over de sferen heen",
        introduction: """
            Deze vragenlijst gaat over de samenwerking tussen professionals uit onderwijs en opvang, jeugdhulp en \
            jeugdgezondheidszorg, welzijn, sport en cultuur in uw wijk. Er zijn geen goede of foute antwoorden. Uw antwoorden \
            zijn anoniem: we vragen geen naam en bewaren geen adres of tijdstip, en uitkomsten van groepen kleiner dan \(PrivacyPolicy.minimumCount) worden \
            niet getoond. Invullen duurt ongeveer 8 minuten.
            """,
        definition: """
            = kennen: Elkaar kennen
            = afstemmen: Afstemmen rond een kind
            = gedeeld: Gedeelde verantwoordelijkheid

            # Elkaar kennen
            [kennen] Ik weet wie ik moet bellen bij de school, de opvang of het wijkteam in mijn wijk.
            [kennen] Ik ken professionals uit andere sferen in mijn wijk persoonlijk.
            [kennen] Ik weet wat andere organisaties in de wijk voor kinderen en ouders doen.
            [kennen -] Ik weet vaak niet bij wie ik buiten mijn eigen organisatie terecht kan.

            # Samenwerken rond een kind
            [afstemmen] Als ik me zorgen maak over een kind, overleg ik snel met professionals uit andere sferen.
            [afstemmen] We spreken af wie wat doet voor een gezin.
            [afstemmen] Afspraken tussen organisaties worden nagekomen.
            [afstemmen -] Gezinnen moeten hun verhaal steeds opnieuw vertellen.

            # Samen verantwoordelijk
            [gedeeld] We voelen ons samen verantwoordelijk voor de kinderen in de wijk.
            [gedeeld] Onderwijs en jeugdhulp werken vanuit een gedeeld beeld van wat kinderen nodig hebben.
            [gedeeld -] Ik zie samenwerken als extra werk naast mijn eigenlijke taak.
            [gedeeld] Ouders en vrijwilligers worden betrokken bij de samenwerking.
            """)

    /// A concept questionnaire for `gemeente` from a template.
    public static func questionnaire(_ template: Template, gemeente: AreaCode) -> Questionnaire {
        let parsed = try! QuestionnaireDefinition.parse(template.definition)
        return Questionnaire(gemeente: gemeente, template: template.key, title: template.title, introduction: template.introduction,
                             scales: parsed.scales, sections: parsed.sections)
    }
}

/// A catalogue indicator filled by questionnaire rounds: `vragenlijst: {sjabloon: …, schaal: …}`.
public struct QuestionnaireMeasure: Hashable, Sendable {
    public var template: String
    public var scale: String
    public init(template: String, scale: String) {
        self.template = template
        self.scale = scale
    }
}

/// A single-use invitation code for one respondent of a round: ten characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), shown as `ABCDE-FGHJK`, about 49 bits — enough that guessing one unused code among thousands is hopeless
/// within any rate of requests. One code lets in one completed questionnaire; the response is not linked to it.
public enum InvitationCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// At most this many codes are made at once.
    public static let maximumPerRequest = 5_000

    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(characters[0..<5]) + "-" + String(characters[5..<10])
    }

    /// As typed by a person: upper case, without spaces, and with the dash in place.
    public static func normalised(_ text: String) -> String {
        let plain = text.uppercased().filter { alphabet.contains($0) }
        guard plain.count == 10 else { return text.uppercased() }
        return String(plain.prefix(5)) + "-" + String(plain.suffix(5))
    }
}
