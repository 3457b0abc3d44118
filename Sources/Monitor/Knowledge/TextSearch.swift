import Foundation

/// Dutch-aware text for full-text search: lower case, diacritics folded ("coöperatie" = "cooperatie"), words stemmed
/// with the Snowball Dutch stemmer. A query word also finds compounds that begin with it ("opvoeden" finds
/// "opvoedondersteuning"); a quoted phrase finds its words next to each other, in that order.
public enum SearchText {
    /// Lower case without diacritics (plain ASCII takes a fast path: most Dutch words have no accents).
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "nl_NL")).lowercased()
    }

    /// The words of a text with where they are (letters and digits; an apostrophe or hyphen splits).
    public static func words(_ text: String) -> [(range: Range<String.Index>, word: String)] {
        var result: [(Range<String.Index>, String)] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isLetter || c.isNumber {
                if start == nil { start = index }
            } else if let s = start {
                result.append((s..<index, String(text[s..<index])))
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { result.append((s..<text.endIndex, String(text[s..<text.endIndex]))) }
        return result
    }

    /// A word as the index keeps it: folded and stemmed.
    public static func key(_ word: String) -> String { DutchStemmer.stem(fold(word)) }

    /// The indexed form of a text: its stems, space-separated (what SQLite's FTS5 table holds). A text repeats its
    /// words, so each distinct word is stemmed once.
    public static func stems(_ text: String) -> String {
        var cache: [String: String] = [:]
        return words(text).map { word in
            if let known = cache[word.word] { return known }
            let stem = key(word.word)
            cache[word.word] = stem
            return stem
        }.joined(separator: " ")
    }
}

/// A parsed query: words (each matched as a stem prefix) and "phrases" (stems in sequence). All terms must match.
public struct SearchQuery: Sendable, Hashable {
    public enum Term: Sendable, Hashable {
        case word(String)
        case phrase([String])
    }

    public var terms: [Term]
    /// The query as typed.
    public var text: String

    public init(_ text: String) {
        self.text = text
        terms = Self.groups(text).compactMap { group in
            let stems = group.map(SearchText.key)
            return stems.count == 1 ? .word(stems[0]) : .phrase(stems)
        }
    }

    /// The words of a query as typed, in groups: a quoted phrase is one group, every other word a group of its own.
    static func groups(_ text: String) -> [[String]] {
        var groups: [[String]] = []
        var rest = Substring(text)
        func words(_ s: Substring) -> [String] { SearchText.words(String(s)).map(\.word) }
        while let open = rest.firstIndex(of: "\"") {
            groups += words(rest[..<open]).map { [$0] }
            let afterOpen = rest.index(after: open)
            let close = rest[afterOpen...].firstIndex(of: "\"") ?? rest.endIndex
            let phrase = words(rest[afterOpen..<close])
            if !phrase.isEmpty { groups.append(phrase) }
            rest = close < rest.endIndex ? rest[rest.index(after: close)...] : ""
        }
        return groups + words(rest).map { [$0] }
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// The FTS5 MATCH expression over the stems column: `"opvoed" * AND "pedagog basis"`.
    public var fts5: String {
        terms.map { term in
            switch term {
            case .word(let stem): "\"\(stem)\" *"
            case .phrase(let stems): "\"\(stems.joined(separator: " "))\""
            }
        }.joined(separator: " AND ")
    }

    /// The words to hand to PostgreSQL's `to_tsquery('dutch', …)`, which stems them itself: `opvoeden:* & (pedagogische <-> basis)`.
    /// Built from the folded words as typed (not our stems), so the server's own Dutch stemmer does the work.
    public var tsquery: String {
        Self.groups(text).map { group in
            let folded = group.map(SearchText.fold)
            return folded.count == 1 ? "\(folded[0]):*" : "(" + folded.joined(separator: " <-> ") + ")"
        }.joined(separator: " & ")
    }

    /// Where the terms occur in `text`: ranges of the matching words (a phrase gives one range over its words).
    /// Only words that begin like a query stem are stemmed (stemming keeps a word's first two letters), each once.
    public func matches(in text: String) -> [Range<String.Index>] {
        let words = SearchText.words(text)
        let stems = terms.flatMap { term -> [String] in
            switch term { case .word(let s): [s]; case .phrase(let s): s }
        }
        let starts = Set(stems.map { String($0.prefix(2)) })
        var cache: [Substring: String] = [:]
        let keys = words.map { word -> String in
            let lower = word.word.prefix(2).lowercased()
            guard starts.contains(where: { lower.hasPrefix($0) }) || !word.word.utf8.allSatisfy({ $0 < 0x80 }) else { return "" }
            let whole = Substring(word.word)
            if let known = cache[whole] { return known }
            let stem = SearchText.key(word.word)
            cache[whole] = stem
            return stem
        }
        var result: [Range<String.Index>] = []
        for term in terms {
            switch term {
            case .word(let stem):
                for (i, key) in keys.enumerated() where key.hasPrefix(stem) { result.append(words[i].range) }
            case .phrase(let stems):
                guard stems.count <= keys.count else { continue }
                for i in 0...(keys.count - stems.count) where zip(keys[i..<(i + stems.count)], stems).allSatisfy({ $0 == $1 }) {
                    result.append(words[i].range.lowerBound..<words[i + stems.count - 1].range.upperBound)
                }
            }
        }
        return result.sorted { $0.lowerBound < $1.lowerBound }
    }
}

/// A piece of text with its matches marked, for a snippet or a keyword in context.
public struct Fragment: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        public var text: String
        public var mark: Bool
    }
    public var parts: [Part]

    public var plain: String { parts.map(\.text).joined() }

    /// Around the first match (or the start when there is none), about `words` words either side, matches marked.
    public static func snippet(_ text: String, query: SearchQuery, words: Int = 18) -> Fragment {
        let matches = query.matches(in: text)
        let all = SearchText.words(text)
        guard !all.isEmpty else { return Fragment(parts: []) }
        let anchor = matches.first.flatMap { m in all.firstIndex { $0.range.upperBound > m.lowerBound } } ?? 0
        let from = max(0, anchor - words), to = min(all.count - 1, anchor + words * 2)
        return fragment(text, from: all[from].range.lowerBound, to: all[to].range.upperBound, matches: matches,
                        leading: from > 0, trailing: to < all.count - 1)
    }

    /// Every match with `words` words of context either side (keyword in context).
    public static func keywordsInContext(_ text: String, query: SearchQuery, words: Int = 10, limit: Int = 20) -> [Fragment] {
        let matches = query.matches(in: text)
        let all = SearchText.words(text)
        return matches.prefix(limit).compactMap { match in
            guard let first = all.firstIndex(where: { $0.range.upperBound > match.lowerBound }),
                  let last = all.lastIndex(where: { $0.range.lowerBound < match.upperBound }) else { return nil }
            let from = max(0, first - words), to = min(all.count - 1, last + words)
            return fragment(text, from: all[from].range.lowerBound, to: all[to].range.upperBound, matches: [match],
                            leading: from > 0, trailing: to < all.count - 1)
        }
    }

    static func fragment(_ text: String, from: String.Index, to: String.Index, matches: [Range<String.Index>], leading: Bool, trailing: Bool) -> Fragment {
        var parts: [Part] = []
        var cursor = from
        for match in matches where match.lowerBound >= from && match.upperBound <= to && match.lowerBound >= cursor {
            if cursor < match.lowerBound { parts.append(Part(text: clean(text[cursor..<match.lowerBound]), mark: false)) }
            parts.append(Part(text: clean(text[match]), mark: true))
            cursor = match.upperBound
        }
        if cursor < to { parts.append(Part(text: clean(text[cursor..<to]), mark: false)) }
        if leading { parts.insert(Part(text: "… ", mark: false), at: 0) }
        if trailing { parts.append(Part(text: " …", mark: false)) }
        return Fragment(parts: parts)
    }

    /// Line breaks and runs of spaces become one space.
    static func clean(_ s: Substring) -> String {
        var out = ""
        var space = false
        for c in s {
            if c.isWhitespace { space = true; continue }
            if space { out.append(" "); space = false }
            out.append(c)
        }
        if space { out.append(" ") }
        return out
    }
}
