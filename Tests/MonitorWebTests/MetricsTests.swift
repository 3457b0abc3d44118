import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Synchronization
import Testing

/// Issue 20, item 6: metrics at `/-/metrics` (swift-metrics on swift-prometheus) and one log line per request.
@Suite("Metrieken en verzoeklog")
struct MetricsTests {
    /// The samples of an exposition by name and labels (`name{a="1",b="2"}` → value); fails on a line that is not
    /// the Prometheus text format (the CI script also parses it with Python's prometheus_client).
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)/)
            #expect(match != nil, "not Prometheus text: \(line)")
            if let match, let value = Double(match.2) ?? (match.2 == "+Inf" ? .infinity : nil) { samples[String(match.1)] = value }
        }
        return samples
    }

    @Test func requestsAreCountedPerRoutePatternStatusAndCacheResult() async throws {
        let store = try await TestStore.shared()
        let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
        try await app.test(.router) { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/gemeenten/GM0363", method: .get) }
            let tag = try #require(try await client.execute(uri: "/api/v1/gemeenten/GM0014", method: .get).headers[.eTag])
            _ = try await client.execute(uri: "/api/v1/gemeenten/GM0014", method: .get, headers: [.ifNoneMatch: tag])
            for path in ["/bestaat/niet/1", "/bestaat/niet/2", "/gemeenten/GM9999"] { _ = try await client.execute(uri: path, method: .get) }
            let response = try await client.execute(uri: "/-/metrics", method: .get)
            #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.headers[.eTag] == nil && response.headers[.cacheControl] == "no-store", "live state is never cached")
            let samples = Self.samples(response.text)
            #expect(samples[#"pbmonitor_http_requests_total{route="/gemeenten/{code}",method="GET",status="200"}"#] == 3)
            #expect(samples[#"pbmonitor_http_requests_total{route="/gemeenten/{code}",method="GET",status="404"}"#] == 1)
            #expect(samples[#"pbmonitor_http_requests_total{route="/api/v1/gemeenten/{code}",method="GET",status="304"}"#] == 1)
            #expect(samples[#"pbmonitor_http_requests_total{route="unmatched",method="GET",status="404"}"#] == 2,
                    "unknown addresses share one label: a scan cannot grow the metrics")
            #expect(samples[#"pbmonitor_http_request_duration_seconds_count{route="/gemeenten/{code}",method="GET",status="200"}"#] == 3)
            #expect((samples[#"pbmonitor_http_request_duration_seconds_sum{route="/gemeenten/{code}",method="GET",status="200"}"#] ?? 0) > 0)
            #expect(samples[#"pbmonitor_response_cache_requests_total{result="hit"}"#] == 2)
            #expect(samples[#"pbmonitor_response_cache_requests_total{result="revalidated"}"#] == 1)
            #expect((samples["pbmonitor_response_cache_bytes"] ?? 0) > 10_000 && (samples["pbmonitor_response_cache_entries"] ?? 0) >= 2)
            #expect(samples["pbmonitor_data_generation"] == Double(try await store.dataGeneration()))
            #expect((samples["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        }
    }

    @Test func connectionWaitsAndImportDurationsOfTheStoreLandInTheSameRegistry() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try await TestStore.database(in: directory, name: "metrieken.sqlite", figures: false)
        let metrics = AppMetrics()
        let store = try SQLStore.open(path, catalog: try Fixtures.catalog(), metrics: metrics.storeFactory)
        do {
            let batch = try Importer.parse(Data("gebied,periode,inwoners\nGM0088,2023,950\n".utf8), file: "a.csv", catalog: store.catalog, period: nil)
            _ = try await store.importBatch(batch)
            _ = try await store.area(try #require(AreaCode("GM0088")))
            let samples = Self.samples(String(decoding: metrics.exposition(cache: nil, generation: nil), as: UTF8.self))
            #expect(samples[#"pbmonitor_import_duration_seconds_count{format="\#(batch.format)"}"#] == 1, "\(samples.keys.filter { $0.contains("import") })")
            #expect((samples[#"pbmonitor_db_connection_wait_seconds_count{database="sqlite",use="write"}"#] ?? 0) >= 1)
            #expect((samples[#"pbmonitor_db_connection_wait_seconds_count{database="sqlite",use="read"}"#] ?? 0) >= 1)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    @Test func withATokenOnlyAScraperThatSendsItGetsTheMetrics() async throws {
        var configuration = MonitorConfiguration()
        configuration.metricsToken = "geheim-voor-prometheus"
        let app = try await buildApplication(configuration: configuration, store: try await TestStore.shared())
        try await app.test(.router) { client in
            for header in [nil, "Bearer fout", "Bearer ", "geheim-voor-prometheus", "Bearer geheim-voor-prometheus2"] {
                let response = try await client.execute(uri: "/-/metrics", method: .get, headers: header.map { [.authorization: $0] } ?? [:])
                #expect(response.status == .unauthorized && !response.text.contains("pbmonitor_"), "\(header ?? "none")")
            }
            let allowed = try await client.execute(uri: "/-/metrics", method: .get, headers: [.authorization: "Bearer geheim-voor-prometheus"])
            #expect(allowed.status == .ok && allowed.text.contains("pbmonitor_http_requests_total"))
        }
    }

    @Test func everyRequestWritesOneStructuredLogLine() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in lines }
        logger.logLevel = .info
        var configuration = MonitorConfiguration()
        configuration.requestLog = true
        let app = try await buildApplication(configuration: configuration, store: try await TestStore.shared(), logger: logger)
        let exported = Mutex(0)
        try await app.test(.router) { client in
            lines.clear()
            _ = try await client.execute(uri: "/gemeenten/GM0363", method: .get)
            _ = try await client.execute(uri: "/gemeenten/GM0363", method: .get)
            let export = try await client.execute(uri: "/export/inwoners?niveau=gemeente", method: .get)
            exported.withLock { $0 = export.body.readableBytes }
            _ = try await client.execute(uri: "/gemeenten/GM9999", method: .get)
        }
        let requests = lines.all.filter { $0.message == "verzoek" }
        #expect(requests.count == 4, "\(requests.map(\.message))")
        let fields = requests.map { $0.metadata.mapValues { "\($0)" } }
        #expect(fields.map { $0["route"] } == ["/gemeenten/{code}", "/gemeenten/{code}", "/export/{indicator}", "/gemeenten/{code}"])
        #expect(fields.map { $0["status"] } == ["200", "200", "200", "404"])
        #expect(fields.map { $0["cache"] } == ["miss", "hit", "pass", "-"])
        #expect(fields.allSatisfy { $0["method"] == "GET" && Double($0["duration_ms"] ?? "") != nil })
        #expect(Int(fields[2]["bytes"] ?? "") == exported.withLock { $0 } && exported.withLock { $0 } > 100,
                "a streamed export is logged with the bytes it wrote")
        #expect(!fields.contains { $0.values.contains { $0.contains("GM0363") } }, "the pattern, not the address")
    }
}

/// Keeps log records in memory.
final class LogLines: LogHandler, Sendable {
    struct Record: Sendable { let message: String; let metadata: Logger.Metadata }
    private let records = Mutex<[Record]>([])
    var all: [Record] { records.withLock { $0 } }
    func clear() { records.withLock { $0 = [] } }

    var logLevel: Logger.Level {
        get { .info }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        records.withLock { $0.append(Record(message: message.description, metadata: metadata ?? [:])) }
    }
}
