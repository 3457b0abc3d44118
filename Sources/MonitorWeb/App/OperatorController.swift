import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Operator pages under `/-/`.
struct OperatorController: Sendable {
    let store: any Store
    static let version = Release.version

    struct Health: Codable, Sendable { var ok: Bool; var database: String }
    struct Version: Codable, Sendable { var ok = true; var versie: String; var indicatoren: Int; var bron = BundledData.attribution }

    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await store.ping()
            return try JSONResponse.make(Health(ok: true, database: "bereikbaar"))
        } catch {
            return try JSONResponse.make(Health(ok: false, database: "niet bereikbaar"), status: .serviceUnavailable)
        }
    }

    func version(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(Version(versie: Self.version, indicatoren: context.catalog.indicators.count))
    }
}
