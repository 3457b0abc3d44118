import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import MonitorStore
import Monitor
import MonitorWeb

/// A test helper that could not do its work.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The app on the shared loaded store (read-only tests).
public func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let store = try await TestStore.shared()
    let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
    try await app.test(.router, body)
}

extension TestResponse {
    public var text: String { String(buffer: body) }

    /// The body decoded into a response type, as an API client reads it (a missing or mistyped field fails the test).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: body))
    }
}
