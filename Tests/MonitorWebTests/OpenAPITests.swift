import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("OpenAPI")
struct OpenAPITests {
    @Test func theDescriptionCoversExactlyTheRegisteredAPIRoutes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                let json = try response.json()
                #expect(json["openapi"] as? String == "3.1.0")
                let paths = Set((json["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
                let registered = Set(SiteRoute.Pattern.allCases.filter { $0.rawValue.hasPrefix("/api/v1/") || $0.isAction }.map(\.rawValue))
                #expect(paths == registered)
            }
        }
    }
}
