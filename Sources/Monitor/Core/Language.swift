import Foundation

/// The languages of the interface. Dutch is the source: every text is written in Dutch, and the message catalogue
/// (``Messages``) gives its English. Data (names of areas, indicators' own texts in the catalogue YAML when they have no
/// English) stays as it is.
public enum Language: String, Sendable, CaseIterable, Codable {
    case nl, en

    /// The language of the work being done now: set per web request (``MonitorWeb``'s language middleware) for the task
    /// that answers it, Dutch everywhere else (command line, imports, tests that do not set it). Texts made by ``tr(_:_:)``,
    /// numbers by ``DutchNumber`` and dates by ``DutchDate`` follow it.
    @TaskLocal public static var current: Language = .nl

    /// The first language of an `Accept-Language` header that the interface has, by quality (`en-GB;q=0.8, nl;q=0.9` →
    /// Dutch); nil when none is (then the interface speaks Dutch).
    public static func preferred(acceptLanguage header: String?) -> Language? {
        guard let header else { return nil }
        var best: (language: Language, quality: Double, position: Int)?
        for (position, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), !tag.isEmpty else { continue }
            let primary = String(tag.split(separator: "-").first ?? "")
            guard let language = Language(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0, quality.isFinite else { continue }
            if best == nil || quality > best!.quality || (quality == best!.quality && position < best!.position) {
                best = (language, quality, position)
            }
        }
        return best?.language
    }

    /// The language's own name, as its link says it: "Nederlands", "English".
    public var ownName: String {
        switch self {
        case .nl: "Nederlands"
        case .en: "English"
        }
    }
}

/// The message catalogue: for each language but Dutch, the translation of each Dutch text (its key, with runs of white
/// space read as one space). Installed once when the web app starts (``MonitorWeb`` reads it from its resources); a text
/// without a translation stays Dutch, which the catalogue tests forbid for every text of the interface.
public enum Messages {
    private static let tables = Locked<[Language: [String: String]]>([:])
    /// Texts asked for in a language whose table lacks them, with the language (``missing``).
    private static let misses = Locked<Set<String>>([])

    /// Installs the translations of one language (replacing an earlier table).
    public static func install(_ table: [String: String], for language: Language) {
        var normalised: [String: String] = [:]
        for (dutch, translation) in table { normalised[key(dutch)] = translation }
        tables.withLock { $0[language] = normalised }
    }

    /// The text in `language`; nil when the catalogue has no translation for it.
    public static func translation(of dutch: String, in language: Language) -> String? {
        guard language != .nl else { return dutch }
        return tables.withLock { $0[language]?[key(dutch)] }
    }

    /// The texts that were asked for in another language than Dutch but have no translation since the process started,
    /// as "en: ‹Dutch text›": a test walks the site in English and expects none.
    public static var missing: Set<String> { misses.withLock { $0 } }

    static func recordMissing(_ dutch: String, in language: Language) {
        misses.withLock { _ = $0.insert("\(language.rawValue): \(dutch)") }
    }

    /// The whole table of a language (empty for Dutch or when none is installed), for translating many texts at once.
    public static func table(for language: Language) -> [String: String] {
        language == .nl ? [:] : tables.withLock { $0[language] ?? [:] }
    }

    /// The catalogue key of a text: its words with one space between them.
    public static func key(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" }) || text.contains("  ") || text.first == " " || text.last == " " else { return text }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}

/// A text of the interface in the current language (``Language/current``): `dutch` is the catalogue key; `{0}`, `{1}`, …
/// in it stand for the arguments in order, so a translation can put them elsewhere —
/// `tr("{0} van de {1} hebben een cijfer", 3, 5)` → "3 of the 5 have a figure".
public func tr(_ dutch: String, _ arguments: any CustomStringConvertible...) -> String {
    let language = Language.current
    var text = dutch
    if language != .nl {
        if let translation = Messages.translation(of: dutch, in: language) {
            text = translation
        } else {
            Messages.recordMissing(dutch, in: language)
        }
    }
    guard !arguments.isEmpty else { return text }
    // One pass, so an argument that itself contains "{1}" is not filled in again.
    var result = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
        result += rest[..<open]
        let afterOpen = rest.index(after: open)
        if let close = rest[afterOpen...].firstIndex(of: "}"), let index = Int(rest[afterOpen..<close]), arguments.indices.contains(index) {
            result += arguments[index].description
            rest = rest[rest.index(after: close)...]
        } else {
            result.append("{")
            rest = rest[afterOpen...]
        }
    }
    return result + rest
}

/// A value behind a lock (Foundation's `NSLock`: this module uses Foundation only), for the few tables shared by all tasks.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
