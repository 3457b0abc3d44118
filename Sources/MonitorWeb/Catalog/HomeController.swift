import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The plattegrond (home page).
struct HomeController: Sendable {
    let store: any Store
    let renderer: PageRenderer

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeenten = try await store.areas(kind: .gemeente).count
        let lamppost = Lamppost(catalog: context.catalog, coverage: try await store.coverage())
        let page = HomePage(catalog: context.catalog, lamppost: lamppost, gemeenteCount: gemeenten)
        return renderer.response(page, chrome: context.chrome, jsonAlternate: page.jsonURL)
    }
}

