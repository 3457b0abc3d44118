import Foundation
import HTTPTypes
import Hummingbird
import MonitorStore
import Synchronization

/// What this app node knows of the data generation (``Store/dataGeneration()``). A request that finds it older than
/// `maximumAge` reads it again (one small query, at most once a second by default), so a write on another node shows
/// here within that time; a request that changed data on this node reads it at once afterwards.
final class GenerationTracker: Sendable {
    private let state = Mutex<(value: Int?, readAt: ContinuousClock.Instant?)>((nil, nil))
    private let store: any Store
    private let maximumAge: Duration

    init(store: any Store, maximumAge: Duration) {
        self.store = store
        self.maximumAge = maximumAge
    }

    /// The generation, read again when it is older than `maximumAge`; nil while the database cannot say (then nothing
    /// is answered from a cache).
    func current() async -> Int? {
        let now = ContinuousClock.now
        let known = state.withLock { state -> Int? in
            guard let readAt = state.readAt, now - readAt < maximumAge else { return nil }
            return state.value
        }
        if let known { return known }
        return await refresh()
    }

    @discardableResult
    func refresh() async -> Int? {
        let value = try? await store.dataGeneration()
        state.withLock { $0 = (value, value == nil ? nil : .now) }
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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            let response = try await next(request, context)
            // A write on this node is seen by its next page at once, not after the next poll.
            if response.status.code < 400 { await tracker.refresh() }
            return response
        }
        guard context.account == nil, let path = context.endpointPath, let pattern = SiteRoute.Pattern(rawValue: path), pattern.isCacheable,
              let generation = await tracker.current() else {
            return try await next(request, context)
        }
        let tag = Self.entityTag(generation: generation, uri: request.uri.description)
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, tag) {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: Self.publicPolicy])
        }
        var response = try await next(request, context)
        guard response.status == .ok else { return response }
        response.headers[.eTag] = tag
        // The session middleware (outside this one) gives a first-time visitor the form-token cookie on the way out: a
        // shared cache must not hand that answer, cookie and all, to someone else.
        let getsCookie = response.headers[.setCookie] != nil
            || (request.cookies[CookieName.csrf] == nil && !SessionMiddleware.isMachinePath(request.uri.path))
        response.headers[.cacheControl] = getsCookie ? "private, no-cache" : Self.publicPolicy
        return response
    }

    static let publicPolicy = "public, no-cache"

    /// `"g<generation>-<hash of the address>"`: another generation or another address (path and query, which also
    /// carry the format) is another tag.
    static func entityTag(generation: Int, uri: String) -> String {
        // FNV-1a, 64 bit: stable across processes and nodes (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in uri.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "\"g\(generation)-\(String(hash, radix: 16))\""
    }

    /// Whether an `If-None-Match` value names this tag (a list, weak tags compared weakly, or `*`).
    static func matches(_ condition: String, _ tag: String) -> Bool {
        condition.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || trimmed == tag || trimmed == "W/" + tag
        }
    }
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
