import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import OpenAPIKit
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("OpenAPI")
struct OpenAPITests {
    @Test func theDescriptionCoversExactlyTheRegisteredAPIRoutes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                // The served bytes read back as an OpenAPI document (OpenAPIKit's decoder checks the structure).
                let document = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(buffer: response.body))
                #expect(document.openAPIVersion == .v3_1_0)
                let paths = Set(document.paths.keys.map(\.rawValue))
                let registered = Set(SiteRoute.Pattern.allCases.filter { $0.rawValue.hasPrefix("/api/v1/") || $0.isAction }.map(\.rawValue))
                #expect(paths == registered, "\(paths.symmetricDifference(registered).sorted())")
                #expect(document.paths.values.compactMap(\.pathItemValue).flatMap(\.endpoints).count == registered.count, "one operation per route")
            }
        }
    }

    /// OpenAPIKit's validation: unique operation ids, every path parameter declared and in the path, every schema
    /// reference resolvable, a response for every operation.
    @Test func theDescriptionIsValidOpenAPI() throws {
        let document = OpenAPIDocument.document()
        try document.validate()
        let ids = document.allOperationIds
        #expect(Set(ids).count == ids.count && ids.count == SiteRoute.Pattern.allCases.filter { $0.rawValue.hasPrefix("/api/v1/") || $0.isAction }.count)
        for (path, item) in document.paths {
            for endpoint in item.pathItemValue?.endpoints ?? [] {
                let declared = Set(endpoint.operation.parameters.compactMap(\.b).filter { $0.location == .path }.map(\.name))
                let inPath = Set(path.components.filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                #expect(declared == inPath, "\(path.rawValue)")
            }
        }
    }
}
