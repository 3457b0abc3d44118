import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

/// Issue 20, items 1 and 3: one data generation raised by every write a visitor could see, and HTTP caching on it
/// (`ETag`, `Cache-Control`, `304 Not Modified` without rendering) for anonymous pages of figures only.
@Suite("HTTP-caching op de datageneratie")
struct HTTPCachingTests {
    static func get(_ client: any TestClientProtocol, _ path: String, ifNoneMatch tag: String? = nil, as visitor: Browser = Browser())
        async throws -> TestResponse {
        var headers = visitor.cookieHeader
        if let tag { headers[.ifNoneMatch] = tag }
        return try await client.execute(uri: path, method: .get, headers: headers, body: nil)
    }

    @Test func anUnchangedPageIsAnsweredWith304WithoutABody() async throws {
        try await withApp { client in
            for path in ["/gemeenten/GM0363", "/api/v1/gemeenten/GM0363", "/kaart/inwoners?niveau=wijk&gemeente=GM0363", "/lantaarnpaal"] {
                let first = try await Self.get(client, path)
                let tag = try #require(first.headers[.eTag], "\(path) has an ETag")
                #expect(tag.hasPrefix("\"g") && tag.hasSuffix("\""), "a strong tag: \(tag)")
                #expect(first.headers[.cacheControl]?.contains("no-cache") == true, "\(path): kept, and asked again each time")
                let again = try await Self.get(client, path, ifNoneMatch: tag)
                #expect(again.status == .notModified && again.body.readableBytes == 0, "\(path): \(again.status)")
                #expect(again.headers[.eTag] == tag)
                #expect(try await Self.get(client, path, ifNoneMatch: "\"g0-0\", W/\(tag)").status == .notModified, "a list and a weak tag match")
                #expect(try await Self.get(client, path, ifNoneMatch: "\"g0-0\"").status == .ok, "another tag gets the page")
            }
            #expect(HTTPCacheMiddleware.key(path: "/p", query: "b=2&a=1&b=1") == "/p?a=1&b=2&b=1", "names ordered, repeated values kept in order")
            let other = try await Self.get(client, "/api/v1/gemeenten/GM0014")
            let one = try await Self.get(client, "/api/v1/gemeenten/GM0363")
            #expect(other.headers[.eTag] != one.headers[.eTag], "another address, another tag")
        }
    }

    @Test func aPublishedImportChangesTheTagAndTheBodyAndTheOldTagNoLongerMatches() async throws {
        try await AccountWorld.with { client, world in
            let path = "/api/v1/waarden?indicator=inwoners&gebied=GM0363&periode=2031"
            let before = try await Self.get(client, path)
            let oldTag = try #require(before.headers[.eTag])
            #expect(try before.decode(ListBody<ValueDTO>.self).total == 0)
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let published = try await analist.post(client, SiteRoute.action(.draftPublish, code: "GM0363", id: world.amsterdamDraft.id).path, [])
            #expect(published.status.code < 400, "\(published.status)")
            let after = try await Self.get(client, path, ifNoneMatch: oldTag)
            #expect(after.status == .ok, "the figures changed: the whole answer, not a 304")
            #expect(after.headers[.eTag] != nil && after.headers[.eTag] != oldTag)
            #expect(try after.decode(ListBody<ValueDTO>.self).items.map(\.observation.value) == [900001])
        }
    }

    @Test func aLoggedInVisitorIsNeverAnsweredFromAnAnonymousTag() async throws {
        try await AccountWorld.with { client, world in
            let path = SiteRoute.municipality("GM0363").path
            let anonymous = try await Self.get(client, path)
            let tag = try #require(anonymous.headers[.eTag])
            let analist = try await Browser.loggedIn(client, as: world.analist.username)
            let logged = try await Self.get(client, path, ifNoneMatch: tag, as: analist)
            #expect(logged.status == .ok && logged.headers[.eTag] == nil, "a page with a menu and form token has no shared tag")
            #expect(logged.text.contains("Uitloggen") && !anonymous.text.contains("Uitloggen"))
            // Concepts and forms are never tagged either, even anonymously.
            for path in [SiteRoute.login.path, SiteRoute.drafts("GM0363").path, SiteRoute.respond(world.amsterdamRound.token).path] {
                #expect(try await Self.get(client, path).headers[.eTag] == nil, "\(path)")
            }
        }
    }

    @Test func anAnswerThatSetsACookieIsNotForSharedCaches() async throws {
        try await withApp { client in
            // A first visit without cookies gets the form-token cookie: a proxy must not hand that to someone else.
            let first = try await client.execute(uri: "/gemeenten/GM0088", method: .get)
            #expect(first.headers[.setCookie] != nil)
            #expect(first.headers[.cacheControl] == "private, no-cache")
        }
    }

    /// A write on another node (here: a second store on the same database file) is seen when this node's view of the
    /// generation is older than its check interval; a write through this node's own store at once.
    @Test func theTrackerSeesOtherNodesAfterItsIntervalAndItsOwnWritesAtOnce() async throws {
        try await TestStore.withEmptyStore { store, location in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let patient = GenerationTracker(store: store, maximumAge: .seconds(3600))
            let eager = GenerationTracker(store: store, maximumAge: .zero)
            let start = try #require(await patient.current())
            #expect(await eager.current() == start)
            let otherNode = try SQLStore.sqlite(path: location.path, catalog: try Fixtures.catalog())
            do {
                try await otherNode.addCodeChange(CodeChange(old: AreaCode("GM0088")!, new: AreaCode("GM0014")!, fromYear: 2024))
            } catch {
                await otherNode.close()
                throw error
            }
            await otherNode.close()
            #expect(await patient.current() == start, "within its interval it keeps what it read")
            #expect(await eager.current() == start + 1, "after its interval it reads again")
            try await store.addCodeChange(CodeChange(old: AreaCode("GM0014")!, new: AreaCode("GM0363")!, fromYear: 2025))
            #expect(await patient.current() == start + 2, "a write through its own store is seen at once")
        }
    }

    /// The meetlast ledger counts a returning visitor too: a 304 is a view of the page.
    @Test func anIndicatorPageViewIsCountedAlsoWhenAnsweredWith304() async throws {
        try await TestStore.withLoadedStore { store, _ in
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                let page = try await Self.get(client, "/indicatoren/stedelijkheid")
                let tag = try #require(page.headers[.eTag])
                #expect(try await Self.get(client, "/indicatoren/stedelijkheid", ifNoneMatch: tag).status == .notModified)
                var views = 0
                for _ in 0..<50 where views < 2 {
                    views = try await store.usage()["stedelijkheid"]?.pageViews ?? 0
                    if views < 2 { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(views == 2)
            }
        }
    }

    /// Issue 20, item 2: the same bytes again from memory, until a write changes the generation.
    @Test func anAnonymousAnswerIsKeptUntilTheDataChange() async throws {
        try await TestStore.withLoadedStore { store, _ in
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                let path = "/api/v1/waarden?periode=2030&indicator=inwoners&gebied=GM0088"
                let first = try await Self.get(client, path)
                let second = try await Self.get(client, "/api/v1/waarden?gebied=GM0088&indicator=inwoners&periode=2030")
                #expect(first.text == second.text && first.headers[.eTag] == second.headers[.eTag], "the same question in another order")
                #expect(try first.decode(ListBody<ValueDTO>.self).total == 0)
                // A write in this process is seen by the very next request, cache or not.
                let csv = "indicator,gebied,periode,waarde\ninwoners,GM0088,2030,950\n"
                _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "a.csv", catalog: store.catalog, period: nil))
                let after = try await Self.get(client, path)
                #expect(try after.decode(ListBody<ValueDTO>.self).items.map(\.observation.value) == [950])
                #expect(after.headers[.eTag] != first.headers[.eTag])
            }
        }
    }

    /// And the reverse of the logged-in test: what a logged-in visitor was shown is never kept for anonymous ones.
    @Test func aLoggedInPageIsNeverKeptForAnonymousVisitors() async throws {
        try await AccountWorld.with { client, world in
            let analist = try await Browser.loggedIn(client, as: world.analist.username)
            let path = SiteRoute.dialogues("GM0363").path
            let logged = try await Self.get(client, path, as: analist)
            #expect(logged.text.contains("Uitloggen"))
            let anonymous = try await Self.get(client, path)
            #expect(!anonymous.text.contains("Uitloggen") && !anonymous.text.contains(world.analist.displayName))
            #expect(!anonymous.text.contains("concept"), "a concept dialogue shows only to the gemeente's users")
        }
    }

    @Test func theCacheKeepsItsBudgetDropsTheLeastRecentlyUsedAndEmptiesOnANewGeneration() {
        let cache = ResponseCache(budget: 8 * 356 + 100)  // an entry of 100 bytes counts 356: eight fit, not nine
        func body(_ byte: UInt8) -> ByteBuffer { ByteBuffer(bytes: [UInt8](repeating: byte, count: 100)) }
        for index in 0..<8 { cache.put("/\(index)", generation: 5, headers: [:], body: body(UInt8(index))) }
        #expect(cache.statistics.entries == 8)
        #expect(cache.get("/0", generation: 5) != nil, "used now, so no longer the least recent")
        cache.put("/8", generation: 5, headers: [:], body: body(8))
        cache.put("/9", generation: 5, headers: [:], body: body(9))
        #expect(cache.statistics.bytes <= cache.budget)
        #expect(cache.get("/1", generation: 5) == nil && cache.get("/2", generation: 5) == nil, "the least recently used went first")
        #expect(cache.get("/0", generation: 5) != nil && cache.get("/9", generation: 5) != nil)
        cache.put("/big", generation: 5, headers: [:], body: ByteBuffer(bytes: [UInt8](repeating: 1, count: 500)))
        #expect(cache.get("/big", generation: 5) == nil, "larger than an eighth of the budget: not kept")
        cache.put("/old", generation: 4, headers: [:], body: body(4))
        #expect(cache.get("/old", generation: 5) == nil, "an answer of an older generation is not kept")
        #expect(cache.get("/0", generation: 6) == nil && cache.statistics.entries == 0 && cache.statistics.bytes == 0, "a new generation empties it")
    }

    /// No stampede: while one request makes a missing answer, the others asking for it wait for its bytes.
    @Test func concurrentMissesOfOneAddressMakeTheAnswerOnce() async throws {
        let cache = ResponseCache(budget: 1 << 20)
        guard case .render = await cache.claim("/kaart", generation: 3) else { Issue.record("the first request makes it"); return }
        let waiting = Task { await cache.claim("/kaart", generation: 3) }
        let alsoWaiting = Task { await cache.claim("/kaart", generation: 3) }
        try await Task.sleep(for: .milliseconds(50))
        let kept = cache.put("/kaart", generation: 3, headers: [.contentType: "image/svg+xml"], body: ByteBuffer(string: "<svg/>"))
        cache.finish("/kaart", entry: kept)
        for task in [waiting, alsoWaiting] {
            guard case .cached(let entry) = await task.value else { Issue.record("a waiting request renders again"); continue }
            #expect(String(buffer: entry.body) == "<svg/>")
        }
        // Without an answer to share (an error, a page not kept) the waiting ones make their own.
        guard case .render = await cache.claim("/fout", generation: 3) else { Issue.record("first"); return }
        let second = Task { await cache.claim("/fout", generation: 3) }
        try await Task.sleep(for: .milliseconds(50))
        cache.finish("/fout", entry: nil)
        guard case .render = await second.value else { Issue.record("the second makes its own"); return }
        cache.finish("/fout", entry: nil)
    }
}
