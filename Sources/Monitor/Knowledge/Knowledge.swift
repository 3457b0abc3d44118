import Foundation

/// A study in the evaluatiebank (report §4.3: "maak een verzamelplek van evaluatieonderzoek, met oproep en actief
/// beheer"): submitted by an analist, visible to every gemeente once a beheerder approved it.
public struct EvaluationStudy: Sendable, Codable, Hashable, Identifiable {
    public enum Design: String, Sendable, Codable, CaseIterable {
        case beschrijvend, procesevaluatie, voorEnNameting = "voor-en-nameting", quasiExperimenteel = "quasi-experimenteel", rct, mkba

        public var label: String {
            switch self {
            case .beschrijvend: tr("beschrijvend")
            case .procesevaluatie: tr("procesevaluatie")
            case .voorEnNameting: tr("voor- en nameting")
            case .quasiExperimenteel: tr("quasi-experimenteel")
            case .rct: tr("RCT (gerandomiseerd)")
            case .mkba: tr("MKBA")
            }
        }
    }

    public enum Review: String, Sendable, Codable, CaseIterable {
        case ingediend, goedgekeurd, afgewezen

        public var label: String {
            switch self {
            case .ingediend: tr("ingediend, wacht op beoordeling")
            case .goedgekeurd: tr("goedgekeurd")
            case .afgewezen: tr("afgewezen")
            }
        }
    }

    public var id: Int
    public var title: String
    /// Organisation and/or authors.
    public var organisation: String
    public var year: Int
    public var gemeenten: [AreaCode]
    /// The intervention or facility it is about, by name.
    public var intervention: String
    /// The kind of facility, when it is one (links the study to the voorzieningen register).
    public var facilityKind: Facility.Kind?
    public var spheres: [Sphere]
    public var perspectives: [Perspective]
    public var design: Design
    public var outcomes: String
    public var summary: String
    public var url: String
    /// The uploaded file's name, when there is one.
    public var fileName: String?
    public var review: Review
    /// Why a beheerder refused it.
    public var reviewReason: String
    /// The gemeente it was submitted for (its analisten see it before approval); nil for the monitor's own entries.
    public var submittedFor: AreaCode?

    public init(id: Int = 0, title: String, organisation: String, year: Int, gemeenten: [AreaCode] = [], intervention: String = "",
                facilityKind: Facility.Kind? = nil, spheres: [Sphere] = [], perspectives: [Perspective] = [], design: Design,
                outcomes: String = "", summary: String, url: String = "", fileName: String? = nil, review: Review = .ingediend,
                reviewReason: String = "", submittedFor: AreaCode? = nil) {
        self.id = id
        self.title = title
        self.organisation = organisation
        self.year = year
        self.gemeenten = gemeenten
        self.intervention = intervention
        self.facilityKind = facilityKind
        self.spheres = spheres
        self.perspectives = perspectives
        self.design = design
        self.outcomes = outcomes
        self.summary = summary
        self.url = url
        self.fileName = fileName
        self.review = review
        self.reviewReason = reviewReason
        self.submittedFor = submittedFor
    }

    /// The field of a study a problem concerns.
    public enum Field: String, Sendable, CaseIterable { case title, organisation, year, summary, url }

    /// What is missing, in Dutch.
    public func problems() -> [String] { fieldProblems().map { "\($0.field.label): \($0.message)" } }

    /// The same problems, each with its field, in plain words.
    public func fieldProblems() -> [(field: Field, message: String)] {
        var problems: [(field: Field, message: String)] = []
        if title.trimmingCharacters(in: .whitespaces).isEmpty { problems.append((.title, tr("vul de titel van de studie in"))) }
        if organisation.trimmingCharacters(in: .whitespaces).isEmpty { problems.append((.organisation, tr("vul in wie de studie deed"))) }
        if !(1950...2100).contains(year) { problems.append((.year, tr("vul het jaar in, bijvoorbeeld 2024"))) }
        if summary.trimmingCharacters(in: .whitespaces).isEmpty { problems.append((.summary, tr("vat in een paar zinnen samen wat de studie vond"))) }
        if !url.isEmpty, !(url.hasPrefix("https://") || url.hasPrefix("http://")) { problems.append((.url, tr("een link begint met https://"))) }
        return problems
    }

    /// The text the full-text index holds besides an uploaded file.
    public var searchableText: String {
        [title, organisation, intervention, facilityKind?.label ?? "", outcomes, summary].joined(separator: "\n")
    }
}

/// A council document (raadsinformatie): a proposal, motion, policy paper or letter, with its text.
public struct CouncilDocument: Sendable, Codable, Hashable, Identifiable {
    /// The most text one document (or study) may hold: 2 MB, about 300,000 words. The store refuses more, so one
    /// file cannot make every search and analysis slow for everyone.
    public static let maximumTextBytes = 2 << 20

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case raadsvoorstel, raadsbesluit, motie, amendement, beleidsnota, collegebrief, raadsinformatiebrief, verslag, overig

        public init?(text: String) {
            let folded = SearchText.fold(text).replacingOccurrences(of: " ", with: "")
            guard let kind = Self.allCases.first(where: { $0.rawValue == folded }) else { return nil }
            self = kind
        }
    }

    public var id: Int
    public var gemeente: AreaCode
    public var date: ReferenceDate
    public var kind: Kind
    public var title: String
    /// File name or address it came from (an ORI identifier for imported ones).
    public var source: String
    public var text: String

    public init(id: Int = 0, gemeente: AreaCode, date: ReferenceDate, kind: Kind, title: String, source: String, text: String) {
        self.id = id
        self.gemeente = gemeente
        self.date = date
        self.kind = kind
        self.title = title
        self.source = source
        self.text = text
    }

    public var year: Int { Int(date.day.prefix(4)) ?? 0 }

    /// The source of a document read from a file: where it came from, gemeente, date, file name and a fingerprint of its
    /// text, so the same file imported twice (by upload or command line) is recognised and skipped.
    public static func fileSource(_ origin: String, gemeente: AreaCode, date: ReferenceDate, fileName: String, text: String) -> String {
        "\(origin):\(gemeente.rawValue):\(date.day):\(fileName):\(SHA256.hex(Data(text.utf8)).prefix(16))"
    }
}

/// The editable, transparent keyword rules of the document analysis: which words make a sentence a goal sentence,
/// and which words put it in one of the four perspectives. One line per rule: `naam: woord, woorden, woord*`
/// (`*`: also words that begin with it); `#` starts a comment.
public struct PerspectiveRules: Sendable {
    public struct Rule: Sendable, Hashable {
        /// As written.
        public var text: String
        public var stems: [String]
        public var prefix: Bool
    }

    public var goalMarkers: [Rule]
    public var perspectives: [(Perspective, [Rule])]

    public init(goalMarkers: [Rule], perspectives: [(Perspective, [Rule])]) {
        self.goalMarkers = goalMarkers
        self.perspectives = perspectives
    }

    public static func parse(_ text: String) throws -> PerspectiveRules {
        var goal: [Rule] = []
        var perspectives: [Perspective: [Rule]] = [:]
        var problems: [ImportError] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append(ImportError(file: "regels", line: index + 1, found: String(line.prefix(40)), expected: "naam: woord, woord"))
                continue
            }
            let name = SearchText.fold(String(line[..<colon])).trimmingCharacters(in: .whitespaces)
            let rules = line[line.index(after: colon)...].split(separator: ",").compactMap { part -> Rule? in
                let phrase = part.trimmingCharacters(in: .whitespaces)
                let prefix = phrase.hasSuffix("*")
                let stems = SearchText.words(phrase).map { SearchText.key($0.word) }
                return stems.isEmpty ? nil : Rule(text: phrase, stems: stems, prefix: prefix)
            }
            if name == "doel" {
                goal += rules
            } else if let perspective = Perspective(rawValue: name) {
                perspectives[perspective, default: []] += rules
            } else {
                problems.append(ImportError(file: "regels", line: index + 1, column: name, found: name,
                                            expected: "doel, ideaal, instrumenteel, aanbod of houding"))
            }
        }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        return PerspectiveRules(goalMarkers: goal, perspectives: Perspective.allCases.map { ($0, perspectives[$0] ?? []) })
    }

    /// The rules that match a sentence's stems.
    func matching(_ rules: [Rule], keys: [String]) -> [Rule] {
        rules.filter { rule in
            guard rule.stems.count <= keys.count else { return false }
            return (0...(keys.count - rule.stems.count)).contains { i in
                zip(keys[i..<(i + rule.stems.count)], rule.stems).enumerated().allSatisfy { j, pair in
                    j == rule.stems.count - 1 && rule.prefix ? pair.0.hasPrefix(pair.1) : pair.0 == pair.1
                }
            }
        }
    }

    /// The perspectives of a sentence (given as its stems), each with the rule words that put it there.
    func classify(keys: [String]) -> [(perspective: Perspective, because: [String])] {
        perspectives.compactMap { perspective, rules in
            let hits = matching(rules, keys: keys)
            return hits.isEmpty ? nil : (perspective, hits.map(\.text))
        }
    }

    /// The goal words in a sentence (given as its stems).
    func goalWords(keys: [String]) -> [String] { matching(goalMarkers, keys: keys).map(\.text) }
}

/// What a set of council documents says about a term: which gemeenten mention it per year, the term in context, and
/// the goal sentences around it with their perspectives.
public enum DocumentAnalysis {
    public struct GoalSentence: Sendable, Hashable {
        public var documentID: Int
        public var gemeente: AreaCode
        public var year: Int
        public var sentence: String
        public var goalWords: [String]
        public var perspectives: [Perspective]
        /// Per perspective, the rule words that matched.
        public var because: [String]
    }

    /// Sentences: split after . ! ? ; or a blank line, trimmed.
    public static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            let blankLine = c == "\n" && i + 1 < chars.count && chars[i + 1] == "\n"
            if blankLine || c == "\n" && current.hasSuffix(":") { appendTrimmed(&result, current); current = ""; continue }
            current.append(c == "\n" ? " " : c)
            if ".!?;".contains(c), i + 1 >= chars.count || chars[i + 1].isWhitespace {
                // Not after a common abbreviation or a single letter ("bijv.", "o.a.").
                let lastWord = current.split(separator: " ").last.map(String.init) ?? ""
                if c == "." && (["bijv.", "bv.", "o.a.", "e.d.", "m.b.t.", "t.a.v.", "nl.", "incl.", "ca.", "nr."].contains(SearchText.fold(lastWord)) || (lastWord.count == 2 && lastWord.first?.isUppercase == true)) {
                    continue
                }
                appendTrimmed(&result, current)
                current = ""
            }
        }
        appendTrimmed(&result, current)
        return result
    }

    static func appendTrimmed(_ list: inout [String], _ s: String) {
        let t = Fragment.clean(Substring(s)).trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { list.append(t) }
    }

    /// Sentences with the term, and the sentence after each, that hold a goal word; with their perspectives.
    public static func goalSentences(_ document: CouncilDocument, term: SearchQuery, rules: PerspectiveRules) -> [GoalSentence] {
        let all = sentences(document.text)
        var picked = IndexSet()
        for (i, sentence) in all.enumerated() where !term.matches(in: sentence).isEmpty {
            picked.insert(i)
            if i + 1 < all.count { picked.insert(i + 1) }
        }
        return picked.compactMap { i in
            let keys = SearchText.words(all[i]).map { SearchText.key($0.word) }
            let goal = rules.goalWords(keys: keys)
            guard !goal.isEmpty else { return nil }
            let classified = rules.classify(keys: keys)
            return GoalSentence(documentID: document.id, gemeente: document.gemeente, year: document.year, sentence: all[i], goalWords: goal,
                                perspectives: classified.map(\.perspective),
                                because: classified.map { "\($0.perspective.rawValue): \($0.because.joined(separator: ", "))" })
        }
    }

    public struct YearCount: Sendable, Hashable {
        public var year: Int
        public var documents: Int
        public var gemeenten: Int
        public var mentions: Int
    }

    /// Per year: documents mentioning the term, distinct gemeenten, and mentions.
    public static func perYear(_ documents: [CouncilDocument], term: SearchQuery) -> (years: [YearCount], byGemeente: [AreaCode: [Int: Int]]) {
        var docs: [Int: Int] = [:], gemeenten: [Int: Set<AreaCode>] = [:], mentions: [Int: Int] = [:]
        var byGemeente: [AreaCode: [Int: Int]] = [:]
        for document in documents {
            let count = term.matches(in: document.text + "\n" + document.title).count
            guard count > 0 else { continue }
            docs[document.year, default: 0] += 1
            gemeenten[document.year, default: []].insert(document.gemeente)
            mentions[document.year, default: 0] += count
            byGemeente[document.gemeente, default: [:]][document.year, default: 0] += 1
        }
        let years = docs.keys.sorted().map { YearCount(year: $0, documents: docs[$0]!, gemeenten: gemeenten[$0]!.count, mentions: mentions[$0]!) }
        return (years, byGemeente)
    }
}

/// HTML to plain text for the document importer: tags out, block elements as line breaks, entities decoded.
public enum HTMLText {
    public static func text(_ html: String) -> String {
        var s = html
        for pattern in ["<script[\\s\\S]*?</script>", "<style[\\s\\S]*?</style>", "<!--[\\s\\S]*?-->"] {
            s = s.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        s = s.replacingOccurrences(of: "<(br|/p|/div|/h[1-6]|/li|/tr|/title)[^>]*>", with: "\n\n", options: [.regularExpression, .caseInsensitive])
        s = s.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        // A non-breaking space is a space in running text (search, sentences).
        s = decodeEntities(s).replacingOccurrences(of: "\u{A0}", with: " ")
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n").replacingOccurrences(of: "\n{3,}", with: "\n\n", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Decodes character references in one pass from left to right, so a decoded `&` never starts another reference
    /// (`&amp;lt;` is the text `&lt;`): named ones (HTML's Latin-1 set and the usual punctuation), decimal `&#233;` and
    /// hexadecimal `&#xE9;`. Anything else — an unknown name, a bare `&`, a number that is no character — stays as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        result.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let body = text[text.index(after: index)..<semicolon]
            var decoded: Character?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map(Character.init)
            } else if body.hasPrefix("#") {
                decoded = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map(Character.init)
            } else {
                decoded = namedEntities[String(body)].flatMap(Unicode.Scalar.init).map(Character.init)
            }
            if let decoded, decoded != "\0" {
                result.append(decoded)
                index = text.index(after: semicolon)
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// HTML's named character references for Latin-1 (160–255) and the punctuation Dutch documents use.
    static let namedEntities: [String: UInt32] = {
        var table: [String: UInt32] = [
            "amp": 38, "lt": 60, "gt": 62, "quot": 34, "apos": 39, "ndash": 8211, "mdash": 8212, "lsquo": 8216, "rsquo": 8217,
            "sbquo": 8218, "ldquo": 8220, "rdquo": 8221, "bdquo": 8222, "bull": 8226, "hellip": 8230, "permil": 8240, "euro": 8364,
            "trade": 8482, "dagger": 8224, "Dagger": 8225, "prime": 8242, "thinsp": 8201, "ensp": 8194, "emsp": 8195, "OElig": 338,
            "oelig": 339, "Scaron": 352, "scaron": 353, "Yuml": 376, "fnof": 402, "circ": 710, "tilde": 732, "larr": 8592, "rarr": 8594,
        ]
        let latin1 = """
            nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para \
            middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute \
            Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute \
            THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde \
            ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
            """
        for (offset, name) in latin1.split(whereSeparator: \.isWhitespace).enumerated() { table[String(name)] = 160 + UInt32(offset) }
        return table
    }()
}

extension EvaluationStudy.Field {
    /// The field's name on the form.
    public var label: String {
        switch self {
        case .title: tr("titel")
        case .organisation: tr("organisatie of auteurs")
        case .year: tr("jaar")
        case .summary: tr("samenvatting")
        case .url: tr("link")
        }
    }
}
