import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Operator pages under `/-/`.
struct OperatorController: Sendable {
    let store: any Store
    let metrics: AppMetrics
    let responses: ResponseCache?
    let generations: GenerationTracker
    /// The bearer token `/-/metrics` asks for (empty: none).
    let metricsToken: String
    static let version = Release.version

    struct Health: Codable, Sendable { var ok: Bool; var database: String }
    struct Version: Codable, Sendable { var ok = true; var versie: String; var indicatoren: Int; var bron = BundledData.attribution }

    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await store.ping()
            return try JSONResponse.make(Health(ok: true, database: "bereikbaar"))
        } catch {
            return try JSONResponse.make(Health(ok: false, database: tr("niet bereikbaar")), status: .serviceUnavailable)
        }
    }

    func version(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(Version(versie: Self.version, indicatoren: context.catalog.indicators.count))
    }

    /// The metrics in the Prometheus text format (see the README for a scrape configuration). With a metrics token set,
    /// only a scraper that sends it gets them.
    func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        if !metricsToken.isEmpty {
            let given = request.headers[.authorization] ?? ""
            guard given.hasPrefix("Bearer "), Token.equal(String(given.dropFirst(7)), metricsToken) else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"pbmonitor-metrics\"", .contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: tr("Voor /-/metrics is een token nodig (PBMONITOR_METRICS_TOKEN).\n"))))
            }
        }
        let bytes = metrics.exposition(cache: responses?.statistics, generation: await generations.current())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
