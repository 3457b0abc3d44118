// swift-tools-version:6.1
import PackageDescription

// Layering (checked by scripts/check-layering.sh, run in .ci/run):
//   Monitor  <-  MonitorStore  <-  MonitorWeb  <-  pbmonitor
// Monitor is Foundation only. MonitorWeb sees the store through protocols and
// imports no SQL driver; only MonitorStore and pbmonitor know which database is live.
let package = Package(
    name: "pbmonitor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pbmonitor", targets: ["pbmonitor"]),
        .library(name: "Monitor", targets: ["Monitor"]),
        .library(name: "MonitorStore", targets: ["MonitorStore"]),
        .library(name: "MonitorWeb", targets: ["MonitorWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.30.1"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // The OpenAPI document as typed values (without the trait that loads external files: faster to build).
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        // Tests only: the pages' HTML kept as reference files (SnapshotTesting; its other products are not built).
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // gzip of text answers, compressed once and kept compressed (zlib; no maintained Swift brotli package exists here).
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // Metrics at /-/metrics: the swift-metrics API with swift-prometheus' text exposition.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // `pbmonitor bench --alleen serveren`: the load generator's client and its latency percentiles.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "Monitor",
            dependencies: []
        ),
        .target(
            name: "MonitorStore",
            dependencies: [
                "Monitor",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "MonitorWeb",
            dependencies: [
                "Monitor",
                "MonitorStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        .executableTarget(
            name: "pbmonitor",
            dependencies: [
                "Monitor",
                "MonitorStore",
                "MonitorWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // libFuzzer harness for the import readers (see README, "Fuzzen"); a corpus replayer otherwise.
        .executableTarget(name: "pbmonitor-fuzz", dependencies: ["Monitor"]),
        .target(
            name: "MonitorTestSupport",
            dependencies: [
                "Monitor",
                "MonitorStore",
                "MonitorWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "MonitorTestSupport"]),
        .testTarget(
            name: "MonitorStoreTests",
            dependencies: ["Monitor", "MonitorStore", "MonitorTestSupport", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .testTarget(
            name: "MonitorWebTests",
            dependencies: [
                "Monitor", "MonitorStore", "MonitorWeb", "MonitorTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "MonitorCLITests", dependencies: ["Monitor", "MonitorTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
