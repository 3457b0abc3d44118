import Foundation
import HTTPTypes
import Hummingbird
import MonitorStore
import NIOCore
import Synchronization

/// What this app node knows of the data generation (``Store/dataGeneration()``). A request that finds it older than
/// `maximumAge` reads it again (one small query, at most once a second by default), so a write on another node shows
/// here within that time; after a write through this process's store (``Store/localWrites``) it is read at once.
final class GenerationTracker: Sendable {
    private let state = Mutex<(value: Int?, readAt: ContinuousClock.Instant?, localWrites: Int)>((nil, nil, 0))
    private let store: any Store & LocalIndicatorStore
    private let maximumAge: Duration

    init(store: any Store & LocalIndicatorStore, maximumAge: Duration) {
        self.store = store
        self.maximumAge = maximumAge
    }

    /// The generation, read again when it is older than `maximumAge`; nil while the database cannot say (then nothing
    /// is answered from a cache).
    func current() async -> Int? {
        let now = ContinuousClock.now
        let writes = store.localWrites
        let known = state.withLock { state -> Int? in
            // A write through this process's store is seen at once; other nodes' writes after `maximumAge`.
            guard let readAt = state.readAt, now - readAt < maximumAge, state.localWrites == writes else { return nil }
            return state.value
        }
        if let known { return known }
        return await refresh()
    }

    @discardableResult
    func refresh() async -> Int? {
        let writes = store.localWrites
        let value = try? await store.dataGeneration()
        let known = state.withLock { $0.value }
        if let value, value != known {
            // A publication on another node may have changed the catalogue (own indicators): read it before pages of the
            // new generation are made, so none is kept with the old one.
            _ = try? await store.refreshCatalog()
        }
        state.withLock { $0 = (value, value == nil ? nil : .now, writes) }
        return value
    }
}

/// HTTP caching of the pages and API answers of the figures (``SiteRoute/Pattern/isCacheable``) for anonymous visitors:
/// a strong `ETag` from the data generation and the address, `Cache-Control: no-cache` (a browser or proxy keeps the
/// answer and asks again each time), and `304 Not Modified` without rendering when the visitor already has this
/// generation's bytes. A logged-in visitor's pages (menu, form tokens, concepts) get none of it, and an answer that
/// sets a cookie is `private`.
struct HTTPCacheMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tracker: GenerationTracker
    /// The answers themselves, per address and generation (nil: only ETags and 304s).
    let cache: ResponseCache?
    /// The catalogue an anonymous visitor sees, read after the generation (see ``GenerationTracker/refresh()``).
    let catalogs: any Store
    /// The catalogue in the visitor's language (shared with ``SessionMiddleware``).
    var translations = CatalogTranslations()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, context.account == nil, let path = context.endpointPath,
              let pattern = SiteRoute.Pattern(rawValue: path), pattern.isCacheable, let generation = await tracker.current() else {
            return try await next(request, context)
        }
        // One answer per language: the same address is another page in English.
        let key = context.language.rawValue + ":" + Self.key(path: request.uri.path, query: request.uri.query)
        let tag = Self.entityTag(generation: generation, uri: key)
        // The session middleware (outside this one) gives a first-time visitor the form-token cookie on the way out: a
        // shared cache must not hand that answer, cookie and all, to someone else.
        let getsCookie = request.cookies[CookieName.csrf] == nil && !SessionMiddleware.isMachinePath(request.uri.path)
        let policy = getsCookie ? Self.privatePolicy : Self.publicPolicy
        let takesGzip = ContentCoding.acceptsGzip(request.headers[.acceptEncoding])
        if let condition = request.headers[.ifNoneMatch] {
            // Either form (plain or gzip) of this generation's answer is up to date.
            let matched = [tag, ContentCoding.gzipTag(tag)].first { Self.matches(condition, $0) }
            if let matched {
                return Response(status: .notModified, headers: [.eTag: matched, .cacheControl: policy, .vary: Self.vary, .xCache: "revalidated"])
            }
        }
        func answer(_ cached: ResponseCache.Entry, outcome: String) -> Response {
            var headers = cached.headers
            headers[.cacheControl] = policy
            headers[.xCache] = outcome
            if takesGzip, let gzipped = cached.gzipped {
                headers[.contentEncoding] = "gzip"
                headers[.eTag] = ContentCoding.gzipTag(tag)
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: gzipped))
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: cached.body))
        }
        // A GET that misses makes the answer; others asking for it meanwhile wait for its bytes (no stampede of the same
        // costly render when a new generation empties the cache under load). A HEAD only looks.
        var claimed = false
        if let cache {
            if request.method == .head {
                if let entry = cache.get(key, generation: generation) { return answer(entry, outcome: "hit") }
            } else {
                switch await cache.claim(key, generation: generation) {
                case .cached(let entry): return answer(entry, outcome: "hit")
                case .render: claimed = true
                }
            }
        }
        var kept: ResponseCache.Entry?
        defer { if claimed { cache?.finish(key, entry: kept) } }
        // The catalogue of this generation: the session middleware read it before the generation was known.
        var context = context
        context.catalog = translations.localized(catalogs.catalog, to: context.language).visible(to: nil)
        var response = try await next(request, context)
        guard response.status == .ok else { return response }
        response.headers[.eTag] = tag
        response.headers[.cacheControl] = response.headers[.setCookie] == nil ? policy : Self.privatePolicy
        // A logged-in visitor (a session cookie) gets another page from the same address: a shared cache must tell them
        // apart, and the languages, and the plain and gzip forms.
        response.headers[.vary] = Self.vary
        // `pass`: made for this request and not kept (a stream, too large, a new cookie, no cache); `miss` when kept.
        response.headers[.xCache] = "pass"
        guard let cache, response.headers[.setCookie] == nil, request.method == .get, let length = response.body.contentLength, length <= cache.largestEntry else { return response }
        // Kept as the bytes the handler wrote (a stream of unknown length, such as an export, is not kept), compressed
        // once here when it is text.
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers = response.headers
        headers[.cacheControl] = Self.publicPolicy
        headers[.contentLength] = nil  // each form has its own length, which the server writes
        kept = cache.put(key, generation: generation, headers: headers, body: collector.buffer)
        if let kept { return answer(kept, outcome: "miss") }
        response.body = ResponseBody(byteBuffer: collector.buffer)
        return response
    }

    static let vary = "Cookie, Accept-Encoding, Accept-Language"

    /// The address as a cache key: the path and the query parameters ordered by name (`?b=2&a=1` is `?a=1&b=2`); a name
    /// given twice keeps the order of its values, which some pages show in that order.
    static func key(path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        let parameters = query.split(separator: "&").enumerated().map { index, pair in
            (name: pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "", index: index, pair: pair)
        }
        return path + "?" + parameters.sorted { ($0.name, $0.index) < ($1.name, $1.index) }.map(\.pair).joined(separator: "&")
    }

    static let publicPolicy = "public, no-cache"
    /// For an answer that sets a cookie: this visitor's only (also used by ``LanguageMiddleware``, which sets its cookie
    /// outside this middleware).
    static let privatePolicy = "private, no-cache"

    /// `"g<generation>-<hash of the address>"`: another generation or another address (path and query, which also
    /// carry the format) is another tag.
    static func entityTag(generation: Int, uri: String) -> String {
        "\"g\(generation)-\(fnv1a(uri))\""
    }

    /// Whether an `If-None-Match` value names this tag (a list, weak tags compared weakly, or `*`).
    static func matches(_ condition: String, _ tag: String) -> Bool {
        condition.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
}

/// FNV-1a (64 bit) of the text, in hex: stable across processes and nodes, unlike Swift's `Hasher`, which is seeded per
/// process. For entity tags and versioned addresses, not for secrets.
func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return String(hash, radix: 16)
}

/// Counts a view of an indicator's page for the meetlast ledger (``Store/recordPageView(indicator:)``) whether the page
/// was rendered or answered with `304 Not Modified` (a visitor who comes back to an unchanged page still used it);
/// registered before ``HTTPCacheMiddleware`` so it sees both. The count is written without holding up the answer.
struct PageViewMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .get, context.endpointPath == SiteRoute.Pattern.indicator.rawValue,
           response.status == .ok || response.status == .notModified, let id = context.parameters.get("id") {
            let store = self.store
            Task { try? await store.recordPageView(indicator: id) }
        }
        return response
    }
}

/// The bytes a handler writes, gathered so they can be kept and sent again.
final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()
    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Anonymous answers of the current data generation, in memory, within a byte budget; the least recently used go first
/// and a new generation empties it. A hit only stamps its entry with a use counter (constant time on the hot path); the
/// scan for the least recently used happens when a new answer pushes the cache over its budget, after a render.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let headers: HTTPFields
        let body: ByteBuffer
        /// The body compressed with gzip, once, when it is text of some size (nil otherwise).
        let gzipped: ByteBuffer?
        var size: Int { body.readableBytes + (gzipped?.readableBytes ?? 0) + 256 }

        init(headers: HTTPFields, body: ByteBuffer) {
            self.headers = headers
            self.body = body
            gzipped = ContentCoding.isCompressible(contentType: headers[.contentType]) ? ContentCoding.gzip(body) : nil
        }
    }

    /// What it holds, for `/-/metrics` (hits and misses are counted there from `X-Cache`).
    struct Statistics: Sendable, Equatable {
        var entries = 0, bytes = 0, evictions = 0
    }

    private struct State {
        var generation: Int?
        var entries: [String: (entry: Entry, lastUsed: UInt64)] = [:]
        var uses: UInt64 = 0
        var statistics = Statistics()
        /// Answers being made, with the requests waiting for them.
        var inFlight: [String: [CheckedContinuation<Claim, Never>]] = [:]
    }

    /// What a request that missed should do: make the answer, or take the one another request just made.
    enum Claim: Sendable {
        case render
        case cached(Entry)
    }

    private let state = Mutex(State())
    /// The most bytes kept at once.
    let budget: Int
    /// One answer larger than this is not kept (an eighth of the budget).
    var largestEntry: Int { budget / 8 }

    init(budget: Int) { self.budget = budget }

    var statistics: Statistics { state.withLock { $0.statistics } }

    /// The kept answer, if there is one.
    func get(_ key: String, generation: Int) -> Entry? {
        state.withLock { state in Self.use(key, generation: generation, in: &state) }
    }

    /// The kept answer; or, on a miss, `.render` for the first request of a key (it must call ``finish(_:entry:)``)
    /// while the requests that come meanwhile wait for the answer it makes.
    func claim(_ key: String, generation: Int) async -> Claim {
        // A hit (the usual case) or the first miss is decided at once; only a request that must wait suspends.
        let first = state.withLock { state -> Claim? in
            if let entry = Self.use(key, generation: generation, in: &state) { return .cached(entry) }
            if state.inFlight[key] == nil {
                state.inFlight[key] = []
                return .render
            }
            return nil
        }
        if let first { return first }
        return await withCheckedContinuation { continuation in
            let decision = state.withLock { state -> Claim? in
                // The answer may have arrived between the two looks.
                if state.generation == generation, let entry = state.entries[key]?.entry { return .cached(entry) }
                if state.inFlight[key] != nil {
                    state.inFlight[key, default: []].append(continuation)
                    return nil
                }
                state.inFlight[key] = []
                return .render
            }
            if let decision { continuation.resume(returning: decision) }
        }
    }

    private static func use(_ key: String, generation: Int, in state: inout State) -> Entry? {
        forget(if: generation, in: &state)
        guard let entry = state.entries[key]?.entry else { return nil }
        state.uses += 1
        state.entries[key]?.lastUsed = state.uses
        return entry
    }

    /// The first request of a key is done: the waiting ones get its answer, or make their own when there is none (an
    /// error, a page that is not kept).
    func finish(_ key: String, entry: Entry?) {
        let waiting = state.withLock { $0.inFlight.removeValue(forKey: key) ?? [] }
        for continuation in waiting { continuation.resume(returning: entry.map(Claim.cached) ?? .render) }
    }

    /// Keeps an answer; returns it as kept (nil when it is too large or of an older generation than the cache's).
    @discardableResult
    func put(_ key: String, generation: Int, headers: HTTPFields, body: ByteBuffer) -> Entry? {
        guard body.readableBytes + 256 <= largestEntry else { return nil }
        let entry = Entry(headers: headers, body: body)
        return state.withLock { state -> Entry? in
            Self.forget(if: generation, in: &state)
            guard state.generation == generation else { return nil }  // an answer of an older generation than the cache's
            if let old = state.entries.removeValue(forKey: key) { state.statistics.bytes -= old.entry.size }
            state.uses += 1
            state.entries[key] = (entry, state.uses)
            state.statistics.bytes += entry.size
            while state.statistics.bytes > budget, let oldest = state.entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                state.statistics.bytes -= state.entries.removeValue(forKey: oldest)?.entry.size ?? 0
                state.statistics.evictions += 1
            }
            state.statistics.entries = state.entries.count
            return entry
        }
    }

    /// A newer generation empties the cache; an older one (a request that read the generation before another did)
    /// leaves it alone.
    private static func forget(if generation: Int, in state: inout State) {
        guard generation > (state.generation ?? Int.min) else { return }
        state.generation = generation
        state.entries.removeAll()
        state.statistics.bytes = 0
        state.statistics.entries = 0
    }
}
