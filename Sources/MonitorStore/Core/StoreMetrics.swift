import CoreMetrics

/// What the store tells the metrics (swift-metrics; the app picks the backend — Prometheus at `/-/metrics`): how long
/// work waited for a database connection (readers for the pool, writers also for the one writer), and how long imports
/// took. Without a factory (tests, one-off commands) nothing is recorded.
public struct StoreMetrics: Sendable {
    let readWait: CoreMetrics.Timer
    let writeWait: CoreMetrics.Timer
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance, database: String) {
        self.factory = factory
        readWait = CoreMetrics.Timer(label: "pbmonitor_db_connection_wait_seconds", dimensions: [("database", database), ("use", "read")], factory: factory)
        writeWait = CoreMetrics.Timer(label: "pbmonitor_db_connection_wait_seconds", dimensions: [("database", database), ("use", "write")], factory: factory)
    }

    func waited(since start: ContinuousClock.Instant, writing: Bool) {
        (writing ? writeWait : readWait).recordNanoseconds(Self.nanoseconds(ContinuousClock.now - start))
    }

    /// One import (a file, a bundled table, figures computed from a published record), by its format.
    func imported(format: String, since start: ContinuousClock.Instant) {
        CoreMetrics.Timer(label: "pbmonitor_import_duration_seconds", dimensions: [("format", format)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(ContinuousClock.now - start))
    }

    /// A duration in whole nanoseconds, as swift-metrics' timers take it (saturating far beyond any request).
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ attoseconds / 1_000_000_000
    }
}
