import Foundation
import Monitor
import MonitorStore

/// Paths and fixtures shared by the test targets.
public enum Fixtures {
    /// The repository root (found from this file's location).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static var catalogDirectory: URL { repositoryRoot.appendingPathComponent("catalog") }
    public static var dataDirectory: URL { repositoryRoot.appendingPathComponent("data") }

    /// The built `pbmonitor` binary (debug build, as `swift build` / `swift test` leave it).
    public static var binary: URL {
        let candidates = [".build/debug/pbmonitor", ".build/x86_64-unknown-linux-gnu/debug/pbmonitor",
                          ".build/aarch64-unknown-linux-gnu/debug/pbmonitor"]
        return candidates.map { repositoryRoot.appendingPathComponent($0) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? repositoryRoot.appendingPathComponent(candidates[0])
    }

    /// The shipped catalogue.
    public static func catalog() throws -> Catalog { try CatalogLoader.load(directory: catalogDirectory) }

    /// A fresh temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The gemeenten loaded in the shared test database: Amsterdam, Groningen and Schiermonnikoog (small).
    public static let testGemeenten: Set<String> = ["GM0363", "GM0014", "GM0088"]
}
