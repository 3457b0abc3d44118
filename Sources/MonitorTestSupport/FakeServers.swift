import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird

/// A stand-in for the CBS OData v4 API on loopback: serves `Tests/Fixtures/cbs-odata-v4/<table>/<entity>.json`
/// (with `{base}` replaced by its own address, so `@odata.nextLink` points back here). The first
/// `failures` requests for `Observations` answer 503, to exercise the client's retries.
public final class FixtureCBSServer: @unchecked Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let counter: RequestCounter
    public var base: String { "http://127.0.0.1:\(port)/CBS" }

    actor RequestCounter {
        var requests: [String] = []
        var failuresLeft: Int
        let failing: String
        init(failures: Int, failing: String = "/Observations") {
            failuresLeft = failures
            self.failing = failing
        }
        func record(_ path: String) -> Bool {
            requests.append(path)
            guard path.hasSuffix(failing), failuresLeft > 0 else { return false }
            failuresLeft -= 1
            return true
        }
    }

    /// - Parameters:
    ///   - fixtures: the folder under `Tests/Fixtures` (`statline-v3` for the RIVM stand-in).
    ///   - ready: an entity that answers once the server is up.
    ///   - failing: the entity whose first requests fail.
    public init(failures: Int = 1, fixtures: String = "cbs-odata-v4", ready: String = "85318NED/Dimensions", failing: String = "/Observations") async throws {
        let port = CommandRunner.freePort()
        self.port = port
        let counter = RequestCounter(failures: failures, failing: failing)
        self.counter = counter
        let directory = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/\(fixtures)")
        let router = Router()
        router.get("/CBS/{table}/{entity}") { request, context -> Response in
            let table = try context.parameters.require("table"), entity = try context.parameters.require("entity")
            if await counter.record(request.uri.path) {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "even niet")))
            }
            var name = entity
            if let skip = request.uri.queryParameters.get("$skip") { name += "-skip-\(skip)" }
            let file = directory.appendingPathComponent(table).appendingPathComponent(name + ".json")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                return Response(status: .notFound, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"404","message":"Resource not found"}}"#)))
            }
            let body = text.replacingOccurrences(of: "{base}", with: "http://127.0.0.1:\(port)/CBS")
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (status, _) = try? await HTTPProbe.get("http://127.0.0.1:\(port)/CBS/\(ready)", timeout: 10), status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerProcess.ServerError.timeout("de CBS-stand-in startte niet op poort \(port)")
    }

    /// The paths requested so far, in order.
    public var requests: [String] { get async { await counter.requests } }

    public func stop() { task.cancel() }
}


/// A stand-in for the Open Raadsinformatie search API on loopback: `POST /v1/elastic/{index}/_search` answers with the
/// hits of `Tests/Fixtures/ori/hits.json` in Elasticsearch's response format, sliced by the body's `from` and `size`.
/// The first `failures` requests answer 503.
public final class FixtureORIServer: @unchecked Sendable {
    public let port: Int
    private let task: Task<Void, any Error>
    private let counter: FixtureCBSServer.RequestCounter
    public var base: String { "http://127.0.0.1:\(port)/v1/elastic" }

    public init(failures: Int = 1) async throws {
        let port = CommandRunner.freePort()
        self.port = port
        let counter = FixtureCBSServer.RequestCounter(failures: failures, failing: "/_search")
        self.counter = counter
        let file = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/ori/hits.json")
        let router = Router()
        router.post("/v1/elastic/{index}/_search") { request, context -> Response in
            if await counter.record(request.uri.path) {
                return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "even niet")))
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let query = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
            let hits = (try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]]) ?? []
            let from = query["from"] as? Int ?? 0, size = query["size"] as? Int ?? 10
            let page = Array(hits.dropFirst(from).prefix(size))
            let answer: [String: Any] = ["took": 3, "timed_out": false,
                                         "hits": ["total": ["value": hits.count, "relation": "eq"], "max_score": NSNull(), "hits": page]]
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: answer))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (status, _) = try? await HTTPProbe.get("http://127.0.0.1:\(port)/", timeout: 10), status != 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerProcess.ServerError.timeout("de ORI-stand-in startte niet op poort \(port)")
    }

    /// The paths requested so far, in order.
    public var requests: [String] { get async { await counter.requests } }

    public func stop() { task.cancel() }
}
