import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import Monitor
import MonitorStore
import NIOPosix

/// The request context of every route: who is logged in (if anyone) and the CSRF token their forms carry.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The logged-in account; nil for an anonymous visitor.
    public var account: Account?
    /// The session's token hash (nil when anonymous).
    public var sessionTokenHash: String?
    /// The token state-changing forms must send back (`csrf`): the session's, or for an anonymous visitor
    /// the one in the `pbm_csrf` cookie (the login form).
    public var csrfToken: String = ""
    /// Whether cookies get `Secure` (the site runs behind TLS).
    public var secure = false
    /// The address of the connection's peer; nil in in-process tests. The real client is ``clientAddress``.
    public let peerAddress: String?
    /// The client's address for the login rate limit: the peer, or — only when the peer is a configured
    /// trusted proxy — the last address in `X-Forwarded-For` that is not itself a trusted proxy.
    public var clientAddress: String?
    /// The submitted form of a POST, read once by ``SessionMiddleware`` (for its CSRF check) and kept here
    /// for the handler.
    public var form = FormData("")
    /// The indicators this visitor may see (``Catalog/visible(to:)``: the shared catalogue, shared own indicators, and
    /// those of the account's gemeenten), set once per request by ``SessionMiddleware``. Handlers read the catalogue
    /// only here, so a gemeente's own indicator never shows where it should not.
    public var catalog = Catalog.empty
    /// What time it is (``MonitorConfiguration/clock``, set by ``SessionMiddleware``): handlers never call `Date()`.
    public var clock = WallClock.system
    /// The visitor's language (``LanguageMiddleware``), also ``Language/current`` while the request is answered.
    public var language = Language.nl
    /// This address in the other language (``LanguageMiddleware/switchURL(path:query:to:)``), for the link on every page.
    public var languageSwitch = "/?lang=en"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = peerAddress
    }

    /// The real client behind `trustedProxies` (see ``clientAddress``).
    static func realClient(peer: String?, forwardedFor: String?, trustedProxies: Set<String>) -> String? {
        guard let peer, trustedProxies.contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // From the right: the first hop our own proxies did not add is the client (anything left of it is the client's word).
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return hop.count <= 45 && hop.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) ? hop : peer
        }
        return hops.first ?? peer
    }

    /// Throws unless the logged-in account may do this. An anonymous visitor asking for a page is sent to
    /// the login page; anything else is a 403 (``AppError/forbidden(_:)``).
    public func require(_ permission: Permission, returnTo: String? = nil) throws -> Account {
        guard let account else {
            if let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.forbidden(tr("Log eerst in."))
        }
        guard account.may(permission) else {
            throw AppError.forbidden(tr("Uw account ({0}) mag dit niet.", account.role.label))
        }
        return account
    }

    /// A record of a gemeente that only its own users may see while it is a concept. Nobody learns from the answer
    /// whether a concept id exists: an anonymous visitor is sent to log in whether or not the record exists, and a
    /// logged-in visitor without the right gets the same 404 as for a record that does not exist.
    /// - Parameters:
    ///   - record: the record behind the URL's `id`, nil when there is none; `in gemeente` is checked here too.
    public func visibleRecord<R>(_ record: R?, of gemeente: AreaCode, owner: (R) -> AreaCode, isPublished: (R) -> Bool,
                                 returnTo: String?, notFound: String) throws -> R {
        let record = record.flatMap { owner($0) == gemeente ? $0 : nil }
        if let record, isPublished(record) { return record }
        guard let account else {
            if let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.notFound(notFound)
        }
        guard let record, account.may(.readDrafts(gemeente)) else { throw AppError.notFound(notFound) }
        return record
    }

    /// The `id` of the record in the URL (0, which no record has, when it is missing or not a number).
    public var recordID: Int { parameters.get("id", as: Int.self) ?? 0 }

    /// Throws unless someone is logged in.
    public func requireAccount(returnTo: String?) throws -> Account {
        try require(.changeOwnPassword, returnTo: returnTo)
    }
}

/// Secrets for cookies and forms.
enum Token {
    /// 32 random bytes as 64 hex characters.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for _ in 0..<4 {
            // Eight bytes at a time from the system's generator, each written as two hex digits (no formatter per byte:
            // every first visit gets a token).
            var word = generator.next()
            for _ in 0..<8 {
                hex.append(digits[Int(word >> 4 & 0xF)])
                hex.append(digits[Int(word & 0xF)])
                word >>= 8
            }
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// What the database keeps of a session token.
    static func hash(_ token: String) -> String { SHA256.hex(Data(token.utf8)) }

    /// Compares without leaking where the first difference is.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// bcrypt through hummingbird-auth, off the request threads (a hash takes a quarter second at cost 12).
public struct Passwords: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of a password nobody knows, verified when a login name does not exist so that
    /// unknown and known names take the same time (no user enumeration).
    static let decoy = Bcrypt.hash(Token.random(), cost: 12)
}

/// Cookie names, in one place.
enum CookieName {
    static let session = "pbm_sessie"
    static let csrf = "pbm_csrf"
}

/// Reads the session cookie for every request, and refuses every state-changing request whose form does
/// not carry the right CSRF token (403). Sessions live in the database, so any app node can continue them.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: any AccountStore
    /// Where the request's catalogue comes from (the store's, refreshed when a gemeente publishes an own indicator).
    let catalogs: any Store
    /// The catalogue in the visitor's language, translated once per revision (shared with ``HTTPCacheMiddleware``).
    var translations = CatalogTranslations()
    let secureCookies: Bool
    /// Proxies whose `X-Forwarded-For` is believed (configuration `trusted-proxies`).
    var trustedProxies: Set<String> = []
    /// Largest upload (a multipart form of a logged-in user; configuration `upload-limit`).
    var uploadLimit = 20 << 20
    /// What time it is: sessions expire by it, and handlers read it as `context.clock`.
    var clock = WallClock.system
    /// Largest ordinary form of a logged-in user.
    static let formLimit = 1 << 20
    /// Largest form of an anonymous visitor (logging in, answering a questionnaire).
    static let anonymousFormLimit = 64 << 10

    /// The POST routes an anonymous visitor may use; every other POST needs a session before its body is read.
    static func anonymousPostAllowed(_ path: String) -> Bool {
        path == SiteRoute.login.path || path == SiteRoute.logout.path || path.hasPrefix("/vragenlijst/")
    }

    static func isMachinePath(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path.hasPrefix("/static/") || path.hasPrefix("/-/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.secure = secureCookies || request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
        context.clientAddress = AppRequestContext.realClient(peer: context.peerAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!],
                                                             trustedProxies: trustedProxies)
        context.clock = clock
        let now = clock.now
        if let token = request.cookies[CookieName.session]?.value, token.count == 64,
           let (session, account) = try await accounts.session(tokenHash: Token.hash(token), now: now) {
            context.account = account
            context.sessionTokenHash = session.tokenHash
            context.csrfToken = session.csrfToken
        }
        context.catalog = translations.localized(catalogs.catalog, to: context.language).visible(to: context.account)
        var newAnonymousToken: String?
        if context.account == nil {
            if let token = request.cookies[CookieName.csrf]?.value, token.count == 64 {
                context.csrfToken = token
            } else if !Self.isMachinePath(request.uri.path) {
                // Only pages carry forms: the API, the stylesheet and the health checks need no token.
                let token = Token.random()
                context.csrfToken = token
                newAnonymousToken = token
            }
        }
        if ![.get, .head, .options].contains(request.method) {
            // Limits before work: who may post here, and how much, is decided before one byte of the body is read.
            let forbidden = tr("Dit formulier is verlopen of niet van deze site (CSRF-controle). Laad de pagina opnieuw en probeer het nog eens.")
            if context.account == nil {
                guard newAnonymousToken == nil else { throw AppError.forbidden(forbidden) }
                guard Self.anonymousPostAllowed(request.uri.path) else { throw AppError.forbidden(tr("Log eerst in.")) }
            }
            let multipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
            let limit = context.account == nil ? Self.anonymousFormLimit : (multipart ? uploadLimit : Self.formLimit)
            let what = multipart ? tr("bestand") : tr("formulier")
            let message = tr("Het {0} is te groot: deze pagina neemt ten hoogste {1} aan.", what, Self.size(limit))
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
                throw AppError.tooLarge(message)
            }
            let form: FormData
            let body = request.body
            let contentType = request.headers[.contentType]
            // However slowly it trickles in, a body gets a fixed time (the idle timeout only ends silent connections).
            let seconds = multipart ? Self.uploadTimeLimit : Self.formTimeLimit
            let late = tr("Het {0} kwam niet binnen {1} seconden binnen. Probeer het opnieuw.", what, seconds)
            if multipart {
                // An upload is read as it arrives; its files go to temporary files (never held whole on the heap).
                form = try await Self.withTimeLimit(seconds: seconds, message: late) {
                    try await Self.readMultipart(body, contentType: contentType, limit: limit, tooLarge: message)
                }
            } else {
                let data = try await Self.withTimeLimit(seconds: seconds, message: late) {
                    do { return Data(buffer: try await body.collect(upTo: limit)) } catch let error as HTTPError where error.status == .contentTooLarge {
                        throw AppError.tooLarge(message)
                    }
                }
                form = FormData(body: data, contentType: contentType)
            }
            guard let sent = form["csrf"], Token.equal(sent, context.csrfToken) else {
                throw AppError.forbidden(forbidden)
            }
            context.form = form
        }
        var response = try await next(request, context)
        // Only pages get the anonymous form token (the login form needs it); API answers stay cookie-free.
        if let token = newAnonymousToken, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.setCookie(Cookie(name: CookieName.csrf, value: token, path: "/", secure: context.secure, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// Seconds a form body may take to arrive.
    static let formTimeLimit = 30
    /// Seconds an upload may take to arrive (20 MB at about 1 Mbit/s).
    static let uploadTimeLimit = 180

    /// Runs `work` (reading a body) but gives up with 408 after `seconds`. The answer goes out at once; the reading is
    /// cancelled and ends when the connection closes (the 408 closes it), however slowly it notices.
    static func withTimeLimit<T: Sendable>(seconds: Int, message: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = OnceContinuation<T>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let reader = Task {
                do { once.resume(with: .success(try await work())) } catch { once.resume(with: .failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: .seconds(seconds))
                guard !Task.isCancelled else { return }
                reader.cancel()
                once.resume(with: .failure(AppError.timeout(message)))
            }
            once.onResume { timer.cancel() }
        }
    }

    /// Reads a multipart body chunk by chunk (``MultipartFormReader``), refusing it once it passes `limit`.
    static func readMultipart(_ body: RequestBody, contentType: String?, limit: Int, tooLarge: String) async throws -> FormData {
        let unreadable = tr("Het formulier kon niet worden gelezen: het is geen geldig multipart/form-data-bericht. Kies het bestand opnieuw en verstuur het nog eens.")
        guard let reader = MultipartFormReader(contentType: contentType) else {
            throw AppError.badRequest(parameter: "bestand", message: unreadable)
        }
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            guard received <= limit else { throw AppError.tooLarge(tooLarge) }
            do { try reader.feed(chunk) } catch {
                throw AppError.badRequest(parameter: "bestand", message: unreadable)
            }
        }
        return try reader.finish()
    }

    /// "64 kB", "20 MB".
    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes >> 10) kB"
    }
}

/// A continuation resumed exactly once, by whichever of several tasks comes first.
final class OnceContinuation<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool, onResume: (@Sendable () -> Void)?)>((nil, false, nil))

    func set(_ continuation: CheckedContinuation<T, any Error>) { state.withLock { $0.continuation = continuation } }

    /// Runs `action` once the continuation has been resumed (at once if it already was).
    func onResume(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.done { return true }
            state.onResume = action
            return false
        }
        if now { action() }
    }

    func resume(with result: Result<T, any Error>) {
        let (continuation, action) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer { state.continuation = nil; state.onResume = nil }
            return (state.continuation, state.onResume)
        }
        continuation?.resume(with: result)
        action?()
    }
}
