import Foundation
import HTTPTypes
import Hummingbird
import Monitor
import Mustache
import NIOCore
import Synchronization

/// Markup made by our own SVG renderers: the only thing templates emit unescaped (`{{{…}}}`).
public struct RenderedSVG: Sendable, CustomStringConvertible, MustacheCustomRenderable {
    public let markup: String
    public init(_ markup: String) { self.markup = markup }
    public var description: String { markup }
    public var renderText: String { markup }
    public var isNull: Bool { markup.isEmpty }
}

/// Renders page view models with the checked template library, one library per language (``Language``): the templates
/// are written in Dutch with each text between `{{#t}}` and `{{/t}}`, and the English library is the same templates
/// with each such text replaced by its translation from the message catalogue (``MessageCatalog``), once, at start-up.
public struct PageRenderer: Sendable {
    let libraries: [Language: MustacheLibrary]

    /// The library of the current language (``Language/current``).
    var library: MustacheLibrary { libraries[Language.current] ?? libraries[.nl]! }

    /// Every template a page uses; startup fails when one is missing.
    static let requiredTemplates = [
        "layout", "pages/home", "pages/municipality-index", "pages/area-show", "pages/indicator-index",
        "pages/indicator-show", "pages/error", "pages/lamppost", "pages/privacy", "pages/burden", "pages/map", "pages/peers", "pages/versions",
        "pages/login", "pages/logout", "pages/password", "pages/accounts", "pages/account", "pages/audit",
        "pages/drafts", "pages/draft", "pages/dialogues", "pages/dialogue", "pages/dialogue-form",
        "pages/conversation-board", "pages/conversation-board-item", "pages/report", "report-standalone",
        "pages/expected-care", "pages/care-model", "pages/interventions", "pages/intervention",
        "pages/networks", "pages/network", "pages/facilities", "pages/questionnaires", "pages/questionnaire", "pages/respond",
        "pages/evaluations", "pages/evaluation", "pages/documents", "pages/document-rules", "pages/search",
        "pages/ggd-mapping", "pages/local-indicators", "pages/local-indicator", "pages/accessibility", "pages/contact",
        "pages/kopgroepen", "pages/kopgroep", "pages/intervention-types", "pages/intervention-type", "pages/figure", "pages/embed-origins", "pages/good-practices", "pages/joint-duidingen", "pages/joint-duiding",
    ]

    /// The templates, read once per process (an app, a test run, a report on the command line all render the same files).
    private static let loaded = Mutex<PageRenderer?>(nil)

    /// Loads all templates from the module's resources (once per process) and checks that none is missing; installs the
    /// message catalogue for the texts made in code (``tr(_:_:)``).
    public static func load() async throws -> PageRenderer {
        if let renderer = loaded.withLock({ $0 }) { return renderer }
        let renderer = try read()
        loaded.withLock { $0 = renderer }
        return renderer
    }

    static func read() throws -> PageRenderer {
        guard let directory = resourcePath("Templates") else {
            throw ConfigurationError(message: "templates niet gevonden in de programmabundel")
        }
        let english = try MessageCatalog.load()
        Messages.install(english, for: .en)
        let sources = try MessageCatalog.templateSources(in: directory)
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            var library = MustacheLibrary()
            for (name, source) in sources {
                do {
                    try library.register(MessageCatalog.localise(source, into: language, table: english), named: name)
                } catch {
                    throw ConfigurationError(message: "template \(name) (\(language.rawValue)) is geen geldige Mustache: \(error)")
                }
            }
            try Language.$current.withValue(language) {
                // Constants of the product that texts name, written once in code: `{{> minimum}}` is the privacy rule's
                // number, `{{> attribution}}` the credit of the data.
                try library.register(String(PrivacyPolicy.minimumCount), named: "minimum")
                try library.register(tr(Release.attribution), named: "attribution")
                // `{{> stylesheet}}` the stylesheet's versioned address.
                try library.register(Stylesheet.load().url, named: "stylesheet")
            }
            let missing = requiredTemplates.filter { library.getTemplate(named: $0) == nil }
            guard missing.isEmpty else {
                throw ConfigurationError(message: "ontbrekende templates: \(missing.joined(separator: ", ")) in \(directory)")
            }
            libraries[language] = library
        }
        return PageRenderer(libraries: libraries)
    }

    /// Renders a page inside its chrome to a string (nil when the template is missing).
    func render<P: Page>(_ page: P, chrome: PageChrome = .anonymous) -> String? {
        if TemplateAudit.shared.isEnabled { return TemplateAudit.shared.render(page, chrome: chrome, template: P.template, with: library) }
        return library.render(ChromedPage(page: page, chrome: chrome), withTemplate: P.template)
    }

    /// Renders a page to an HTML response; `chrome` is the visitor's part of every page (``AppRequestContext/chrome``).
    func response<P: Page>(_ page: P, chrome: PageChrome, status: HTTPResponse.Status = .ok, jsonAlternate: String? = nil) -> Response {
        let html = render(page, chrome: chrome) ?? "<!doctype html><title>\(tr("Fout"))</title><p>\(tr("Template {0} ontbreekt.", P.template))</p>"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        if let jsonAlternate { headers[.link] = "<\(jsonAlternate)>; rel=\"alternate\"; type=\"application/json\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A page's view model. It names its template, so a page is always rendered with the template made for it; the
/// template audit (``TemplateAudit``) checks that every tag the template uses exists on the view model.
protocol Page: Sendable {
    static var template: String { get }
}

/// What every page shows around its content, the same for all pages: the visitor's part of the menu (`partials/menu`),
/// the form token, the language. Passed to the renderer with every page; a page's own view model knows nothing of it.
struct PageChrome: Sendable {
    struct Link: Sendable {
        var label: String
        var url: String
    }

    /// The logged-in visitor's links.
    struct AccountMenu: Sendable {
        var accountName: String
        var menuLinks: [Link]
        var passwordURL = SiteRoute.password.path
        var logoutURL = SiteRoute.logout.path
    }

    /// The page's language (`<html lang>`).
    var language = Language.current.rawValue
    /// The link to the same page in the other language, named in that language (`lang`, `hreflang`).
    var languageLink: LanguageLink
    var csrf: String
    var loginURL = SiteRoute.login.path
    /// Nil for an anonymous visitor (the menu then offers "Inloggen"). The names inside the chrome are unlike any page
    /// field: a name the chrome lacks would be looked up on the page.
    var signedIn: AccountMenu?

    struct LanguageLink: Sendable {
        var languageLabel: String
        var languageCode: String
        var languageURL: String
    }

    static var anonymous: PageChrome { PageChrome(account: nil, csrf: "") }

    init(account: Account?, csrf: String, languageSwitch: String? = nil) {
        self.csrf = csrf
        let other: Language = Language.current == .nl ? .en : .nl
        languageLink = LanguageLink(languageLabel: other.ownName, languageCode: other.rawValue,
                                    languageURL: languageSwitch ?? "/?\(LanguageMiddleware.parameter)=\(other.rawValue)")
        guard let account else { return }
        var links: [Link] = []
        if account.may(.manageAccounts) {
            links += [Link(label: tr("Gebruikers"), url: SiteRoute.accounts.path), Link(label: tr("Auditlog"), url: SiteRoute.audit.path)]
        }
        if account.may(.mapSources) { links.append(Link(label: tr("GGD-koppeling"), url: SiteRoute.ggdMapping.path)) }
        if account.may(.manageEmbedding) { links.append(Link(label: tr("Insluiten"), url: SiteRoute.embedOrigins.path)) }
        if account.role != .deelnemer { links.append(Link(label: tr("Kopgroepen"), url: SiteRoute.kopgroepen.path)) }
        links += account.gemeenten.map { Link(label: tr("Concepten {0}", $0.rawValue), url: SiteRoute.drafts($0.rawValue).path) }
        signedIn = AccountMenu(accountName: account.displayName, menuLinks: links)
    }
}

extension AppRequestContext {
    /// The chrome of every page of this request.
    var chrome: PageChrome { PageChrome(account: account, csrf: csrfToken, languageSwitch: languageSwitch) }
}

/// What a template sees: the page's fields, and `chrome`. Lookups go to the page as swift-mustache would (its own
/// lookup when it has one, else its stored properties), so nothing changes for the page's template.
struct ChromedPage: MustacheParent {
    let page: Any
    let chrome: Any

    func child(named name: String) -> Any? {
        name == "chrome" ? chrome : Self.value(named: name, in: page)
    }

    /// `name` of `object` as swift-mustache finds it: by the object's own lookup, else by its stored property (an
    /// optional unwrapped).
    static func value(named name: String, in object: Any) -> Any? {
        if let parent = object as? MustacheParent { return parent.child(named: name) }
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

/// JSON responses with stable key order and UTF-8.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, htmlAlternate: String? = nil) throws -> Response {
        let data = try encoder.encode(value)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let htmlAlternate { headers[.link] = "<\(htmlAlternate)>; rel=\"alternate\"; type=\"text/html\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    /// `Link` (RFC 8288), used to advertise a page's JSON or HTML twin.
    static let link = HTTPField.Name("Link")!
    /// `Referrer-Policy`.
    static let referrerPolicyHeader = HTTPField.Name("Referrer-Policy")!
    /// `X-Cache`: how the response cache answered (`hit`; `miss`: made and kept; `pass`: made and not kept, such as a
    /// streamed export; `revalidated`: a 304), as CDNs report it; read by
    /// the request log, the metrics and `pbmonitor bench`.
    static let xCache = HTTPField.Name("X-Cache")!
}

/// Finds a folder or file copied from `Sources/MonitorWeb/Resources` into the module bundle.
func resourcePath(_ name: String) -> String? {
    let bundle = Bundle.module
    let candidates = [bundle.bundleURL.appendingPathComponent("Resources/\(name)"),
                      bundle.resourceURL?.appendingPathComponent(name),
                      bundle.resourceURL?.appendingPathComponent("Resources/\(name)")].compactMap { $0 }
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }?.path
}

/// A small keyed store of computed results with a capacity; the oldest entry goes first. Keys carry the state
/// they depend on (a generation or a stamp), so a change makes a new key and old entries age out.
actor KeptResults<Value: Sendable> {
    private var entries: [String: Value] = [:]
    private var order: [String] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func value(for key: String) -> Value? { entries[key] }

    func store(_ value: Value, for key: String) {
        if entries.updateValue(value, forKey: key) == nil { order.append(key) }
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}

/// Heavy public work (exports, unfiltered value queries) runs a few at a time, so it cannot take every database
/// connection and both cores from the pages and `/-/health`. A request that finds every slot taken waits in a short
/// queue; when the queue is full too it gets 429 with `Retry-After` at once.
actor HeavyWorkLimiter {
    /// How long one heavy request may hold its slot, writing its body included (a slow reader cannot keep it longer).
    static let timeLimit: Duration = .seconds(120)

    let slots: Int
    let queueLength: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int = 2, queueLength: Int = 6) {
        self.slots = max(1, slots)
        self.queueLength = max(0, queueLength)
    }

    /// False when the request must be turned away (everything busy and the queue full).
    func enter() async -> Bool {
        if running < slots { running += 1; return true }
        guard waiting.count < queueLength else { return false }
        await withCheckedContinuation { waiting.append($0) }
        return true  // the leaving request handed its slot over
    }

    /// Slots nobody holds.
    var freeSlots: Int { slots - running }

    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Puts exports and unfiltered value queries behind ``HeavyWorkLimiter``.
struct HeavyWorkMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: HeavyWorkLimiter

    /// Exports of any kind, and `/api/v1/waarden` without an indicator or area to narrow it.
    static func isHeavy(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/export/") || path == SiteRoute.longExport.path { return true }
        if path == SiteRoute.apiValues.path {
            let query = request.uri.queryParameters
            return query.get("indicator") == nil || query.get("gebied") == nil
        }
        return false
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isHeavy(request) else { return try await next(request, context) }
        guard await limiter.enter() else {
            throw AppError.busy(tr("Er lopen al veel downloads tegelijk. Probeer het over enkele seconden opnieuw."))
        }
        let lease = HeavyWorkLease(limiter: limiter, timeLimit: HeavyWorkLimiter.timeLimit)
        do {
            var response = try await next(request, context)
            // A streamed export does its work while the body is written, after this handler returned: the slot is
            // held until the last byte went out (or the response was dropped, or the time limit passed).
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer { lease.release() }
                try await body.write(writer)
            }
            return response
        } catch {
            lease.release()
            throw error
        }
    }
}

/// One slot of ``HeavyWorkLimiter``, given back exactly once: when the body has been written, when the response is
/// dropped unwritten (a closed connection: then the lease is freed with it), or when the time limit passes.
final class HeavyWorkLease: Sendable {
    private let limiter: HeavyWorkLimiter
    private let state = Mutex<(released: Bool, watchdog: Task<Void, Never>?)>((false, nil))

    init(limiter: HeavyWorkLimiter, timeLimit: Duration) {
        self.limiter = limiter
        let watchdog = Task { [weak self] in
            try? await Task.sleep(for: timeLimit)
            if !Task.isCancelled { self?.release() }
        }
        state.withLock { $0.watchdog = watchdog }
    }

    func release() {
        let (first, watchdog) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            defer { state.released = true; state.watchdog = nil }
            return (!state.released, state.watchdog)
        }
        watchdog?.cancel()
        guard first else { return }
        let limiter = limiter
        Task { await limiter.leave() }
    }

    deinit { release() }
}
