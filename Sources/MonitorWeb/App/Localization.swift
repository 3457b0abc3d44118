import Foundation
import HTTPTypes
import Hummingbird
import Monitor
import Synchronization

/// The message catalogue of the interface (`Resources/Messages/en.json`): every Dutch text — of a template between
/// `{{#t}}` and `{{/t}}`, or made in code by ``tr(_:_:)`` — with its English. Dutch is the source; the key is the Dutch
/// text with its white space read as single spaces, and a translation keeps the key's Mustache tags and `{0}` places.
enum MessageCatalog {
    static let file = "Messages/en.json"

    /// Reads the catalogue from the module's resources: the English of each Dutch text.
    static func load() throws -> [String: String] {
        guard let path = resourcePath(file) else { throw ConfigurationError(message: "berichtencatalogus \(file) niet gevonden in de programmabundel") }
        return try parse(Data(contentsOf: URL(fileURLWithPath: path)), name: file)
    }

    static func parse(_ data: Data, name: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw ConfigurationError(message: "berichtencatalogus \(name) is geen JSON-object van teksten: \(error)")
        }
    }

    /// The template files under `directory`, by the name a template or partial uses (`pages/home`).
    static func templateSources(in directory: String) throws -> [(name: String, source: String)] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var sources: [(name: String, source: String)] = []
        for case let url as URL in walker where url.pathExtension == "mustache" {
            let relative = url.standardizedFileURL.path.dropFirst(root.path.count + 1)
            sources.append((String(relative.dropLast(".mustache".count)), try String(contentsOf: url, encoding: .utf8)))
        }
        return sources.sorted { $0.name < $1.name }
    }

    /// The texts of a template marked for translation, as catalogue keys, in order.
    static func markedTexts(in source: String) -> [String] {
        source.matches(of: marker).map { Messages.key(String($0.output.1)) }
    }

    /// The template in `language`: each marked text replaced by its translation (the Dutch stays where the catalogue has
    /// none — the catalogue tests fail then), the markers removed.
    static func localise(_ source: String, into language: Language, table: [String: String]) -> String {
        source.replacing(marker) { match in
            let dutch = String(match.output.1)
            guard language != .nl else { return dutch }
            return table[Messages.key(dutch)] ?? dutch
        }
    }

    /// `{{#t}}…{{/t}}`, across lines (a new value each time: a `Regex` is not `Sendable`; it is read at start-up and in tests).
    static var marker: Regex<(Substring, Substring)> { /\{\{#t\}\}(.*?)\{\{\/t\}\}/.dotMatchesNewlines() }
}

/// The visitor's language, decided once per request and set as ``Language/current`` for the task that answers it:
/// `?lang=en` (a link can carry it; it is also kept in a cookie), else the cookie, else the browser's `Accept-Language`,
/// else Dutch. Outside the error middleware, so error pages speak the language too.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let secureCookies: Bool

    static let cookie = "pbm_taal"
    static let parameter = "lang"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let asked = request.uri.queryParameters.get(Self.parameter).flatMap { Language(rawValue: $0.lowercased()) }
        let kept = request.cookies[Self.cookie].flatMap { Language(rawValue: $0.value) }
        let language = asked ?? kept ?? Language.preferred(acceptLanguage: request.headers[.acceptLanguage]) ?? .nl
        var context = context
        context.language = language
        context.languageSwitch = Self.switchURL(path: request.uri.path, query: request.uri.query, to: language == .nl ? .en : .nl)
        var response = try await Language.$current.withValue(language) { try await next(request, context) }
        if let asked, asked != kept {
            response.setCookie(Cookie(name: Self.cookie, value: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      secure: secureCookies, httpOnly: true, sameSite: .lax))
            // An answer that sets a cookie is for this visitor only, also when it came from the response cache.
            if response.headers[.cacheControl] == HTTPCacheMiddleware.publicPolicy { response.headers[.cacheControl] = HTTPCacheMiddleware.privatePolicy }
        }
        return response
    }

    /// The same address in the other language: the query kept, `lang` set (a form's `page` parameter and all).
    static func switchURL(path: String, query: String?, to language: Language) -> String {
        let others = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("\(parameter)=") && $0 != Substring(parameter) }
        return path + "?" + (others + ["\(parameter)=\(language.rawValue)"]).joined(separator: "&")
    }
}

/// The indicator catalogue in each language, translated once per catalogue revision (``Catalog/revision``) instead of on
/// every request: a request takes the translation of the store's catalogue and then the part its visitor may see.
final class CatalogTranslations: Sendable {
    private let kept = Mutex<[Language: Catalog]>([:])

    func localized(_ catalog: Catalog, to language: Language) -> Catalog {
        guard language != .nl else { return catalog }
        if let known = kept.withLock({ $0[language] }), known.revision == catalog.revision { return known }
        let translated = catalog.localized(to: language)
        kept.withLock { $0[language] = translated }
        return translated
    }
}
