import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Instellingen")
struct ConfigurationDocumentationTests {
    /// The README's settings table is the one `MonitorConfiguration.keys` makes (a new setting is documented once).
    @Test func theReadmeListsEverySettingAsTheCodeDescribesIt() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- instellingen -->"))
        let end = try #require(readme.range(of: "<!-- /instellingen -->", range: start.upperBound..<readme.endIndex))
        let table = readme[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(table == MonitorConfiguration.markdownTable,
                "zet deze tabel in de README:\n\(MonitorConfiguration.markdownTable)")
    }

    @Test func aHelperProgramIsFoundThroughItsSettingOrThePath() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tool = directory.appendingPathComponent("pdftotext")
        try "#!/bin/sh\n".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["pdftotext"], environment: ["PBMONITOR_PDFTOTEXT": tool.path, "PATH": "/nergens"]) == tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["pdftotext"], environment: ["PATH": directory.path]) == tool.path)
        #expect(MonitorConfiguration.tool("pdftotext", names: ["bestaat-niet"], environment: ["PBMONITOR_PDFTOTEXT": "/nergens/pdftotext", "PATH": "/nergens"]) == nil)
    }
}
