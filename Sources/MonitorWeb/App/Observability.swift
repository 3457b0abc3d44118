import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Monitor
import MonitorStore
import NIOCore
import Prometheus
import Synchronization

/// The app's metrics: swift-metrics instruments on a Prometheus registry of this app (not the process-wide
/// `MetricsSystem`, which can be bootstrapped once per process while tests build hundreds of apps), exposed at
/// `/-/metrics` in the Prometheus text format. The composition root hands ``factory`` to the store as well, so
/// connection waits and import durations land in the same registry.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

    /// Request durations from a cached answer (well under a millisecond) to a slow export.
    static let buckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                      .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                      .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]

    private struct Instruments {
        let requests: Metrics.Counter
        let duration: Metrics.Timer
    }

    private let instruments = Mutex<[String: Instruments]>([:])
    private let cacheResults = Mutex<[String: Metrics.Counter]>([:])
    /// Totals kept elsewhere (the response cache's evictions) as last exported, so the counter grows by the difference.
    private let exported = Mutex<[String: Int]>([:])

    /// The factory for the store's instruments (``StoreMetrics``).
    public var storeFactory: any MetricsFactory { factory }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.buckets
        self.factory = factory
    }

    /// One finished request, by route pattern (`/gemeenten/{code}`; `unmatched` for an address no route knows, so a
    /// scan of random addresses cannot make the label set grow), method and status; and how the response cache answered.
    func request(route: String, method: String, status: Int, cache: String?, duration: Duration) {
        let key = "\(route) \(method) \(status)"
        let instrument = instruments.withLock { all -> Instruments in
            if let known = all[key] { return known }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let made = Instruments(requests: Metrics.Counter(label: "pbmonitor_http_requests_total", dimensions: dimensions, factory: factory),
                                   duration: Metrics.Timer(label: "pbmonitor_http_request_duration_seconds", dimensions: dimensions, factory: factory))
            all[key] = made
            return made
        }
        instrument.requests.increment()
        instrument.duration.recordNanoseconds(StoreMetrics.nanoseconds(duration))
        guard let cache, ["hit", "miss", "pass", "revalidated"].contains(cache) else { return }
        cacheResults.withLock { all in
            if all[cache] == nil {
                all[cache] = Metrics.Counter(label: "pbmonitor_response_cache_requests_total", dimensions: [("result", cache)], factory: factory)
            }
            return all[cache]!
        }.increment()
    }

    /// The exposition: the counters and histograms as they stand, with the gauges read now.
    func exposition(cache: ResponseCache.Statistics?, generation: Int?) -> [UInt8] {
        func gauge(_ name: String, _ value: Int, help: String) {
            registry.makeGauge(name: name, help: help).set(Double(value) as Double)
        }
        if let cache {
            gauge("pbmonitor_response_cache_bytes", cache.bytes, help: "Bytes of answers kept for anonymous visitors")
            gauge("pbmonitor_response_cache_entries", cache.entries, help: "Answers kept for anonymous visitors")
            let grown = exported.withLock { last -> Int in
                defer { last["evictions"] = cache.evictions }
                return max(0, cache.evictions - (last["evictions"] ?? 0))
            }
            registry.makeCounter(name: "pbmonitor_response_cache_evictions_total", help: "Answers dropped to stay within the budget")
                .increment(by: Int64(grown))
        }
        if let generation { gauge("pbmonitor_data_generation", generation, help: "The data generation this node serves") }
        if let resident = Self.residentBytes() {
            gauge("process_resident_memory_bytes", resident, help: "Resident memory of the server process")
        }
        registry.makeGauge(name: "pbmonitor_build_info", labels: [("version", Release.version)], help: "The running release").set(1.0)
        return registry.emitToBuffer()
    }

    /// The resident set size of a process (`self` or a process id) from `/proc/<pid>/statm` (Linux; nil elsewhere).
    public static func residentBytes(of process: String = "self") -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process)/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Outermost middleware: times every request, counts it in the metrics by route pattern and status, and writes one
/// structured log line for it (method, route, status, duration, cache, bytes) when the request log is on. A streamed
/// body (an export) is timed until its last byte is written.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: AppMetrics
    let logs: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = context.endpointPath.map { $0 == "/**" ? "unmatched" : $0 } ?? "unmatched"
        let method = request.method.rawValue
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(request, context: context, route: route, method: method, status: status, cache: nil, bytes: nil, since: started)
            throw error
        }
        let status = response.status.code, cache = response.headers[.xCache]
        if let length = response.body.contentLength {
            finish(request, context: context, route: route, method: method, status: status, cache: cache, bytes: length, since: started)
        } else {
            let body = response.body
            response.body = ResponseBody { writer in
                let counter = CountingWriter(parent: writer)
                do {
                    try await body.write(counter)
                    finish(request, context: context, route: route, method: method, status: status, cache: cache, bytes: counter.bytes.value, since: started)
                } catch {
                    finish(request, context: context, route: route, method: method, status: status, cache: cache, bytes: nil, since: started)
                    throw error
                }
            }
        }
        return response
    }

    private func finish(_ request: Request, context: Context, route: String, method: String, status: Int, cache: String?,
                        bytes: Int?, since started: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - started
        metrics.request(route: route, method: method, status: status, cache: cache, duration: duration)
        guard logs else { return }
        var metadata: Logger.Metadata = [
            "method": .string(method), "route": .string(route), "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.2f", Double(StoreMetrics.nanoseconds(duration)) / 1e6)),
            "cache": .string(cache ?? "-"),
        ]
        if let bytes { metadata["bytes"] = .stringConvertible(bytes) }
        context.logger.info("verzoek", metadata: metadata)
    }
}

/// Counts the bytes a streamed body writes.
struct CountingWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let bytes = Counted()

    final class Counted: Sendable {
        private let state = Mutex(0)
        var value: Int { state.withLock { $0 } }
        func add(_ count: Int) { state.withLock { $0 += count } }
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        bytes.add(buffer.readableBytes)
        try await parent.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await parent.finish(trailingHeaders)
    }
}
