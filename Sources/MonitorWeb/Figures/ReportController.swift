import Foundation
import Hummingbird
import Monitor
import MonitorStore
import NIOCore

/// The report of one gemeente: its profile, comparison, wijk maps, what is and is not measured for it,
/// its published conversations with their actions, and its gespreksmodel. Only published material —
/// the report is for anyone. As a printable page (`/gemeenten/{code}/rapport`), as Markdown
/// (`?formaat=markdown`), and from the command line (`pbmonitor report`, also PDF).
struct ReportController: Sendable {
    let store: any Store & DialogueStore & ConversationBoardStore
    let renderer: PageRenderer
    let areas: AreaController
    let peerFinder: PeerController
    let maps: MapController

    /// The wijk maps in the report: youth care and the nearest childcare, where the gemeente has wijk figures.
    static let mapIndicators = ["jeugdzorg_in_natura_pct", "afstand_kinderdagverblijf_km"]

    init(store: any Store & DialogueStore & ConversationBoardStore, renderer: PageRenderer, peerFinder: PeerController, maps: MapController) {
        self.store = store
        self.renderer = renderer
        self.peerFinder = peerFinder
        self.maps = maps
        areas = AreaController(store: store, renderer: renderer, peerFinder: peerFinder)
    }

    func page(_ rawCode: String, catalog: Catalog, generated: Date) async throws -> ReportPage {
        let profile = try await areas.profile(rawCode.uppercased(), kind: .gemeente, childIndicator: nil, childPeriod: nil, catalog: catalog)
        let gemeente = profile.area
        let (peers, _) = try await peerFinder.peers(of: gemeente.code, selection: .init())
        var names: [AreaCode: String] = [:]
        for area in try await store.areas(kind: .gemeente) { names[area.code] = area.name }
        var mapViews: [ReportPage.MapView] = []
        for id in Self.mapIndicators {
            guard let indicator = catalog[id] else { continue }
            let query = MapController.Query(indicator: indicator, level: .wijk, gemeente: gemeente.code, method: .kwantielen, classes: 5, period: nil)
            let data = try await maps.data(query)
            guard data.observations.values.contains(where: { $0.status == .waarde }) else { continue }
            let rendered = MapController.render(data, id: "kaart-\(mapViews.count + 1)", use: .report)
            mapViews.append(ReportPage.MapView(title: rendered.title, svg: rendered.svg, legend: rendered.legend,
                                               url: SiteRoute.map(id).url(query.parameters)))
        }
        let dialogues = try await store.dialogues(gemeente: gemeente.code, includeConcepts: false)
        let board = try await store.conversationBoardItems(gemeente: gemeente.code, includeConcepts: false)
        return ReportPage(profile: profile, catalog: catalog, peers: peers, names: names, maps: mapViews, dialogues: dialogues,
                          board: board, lamppost: try await LamppostController.lamppost(of: gemeente.code, store: store, catalog: catalog),
                          generated: generated)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        let page = try await page(code, catalog: context.catalog, generated: context.clock.now)
        switch request.uri.queryParameters.get("formaat") ?? "html" {
        case "html", "": return renderer.response(page, chrome: context.chrome)
        case "markdown", "md":
            return Response(status: .ok, headers: [
                .contentType: "text/markdown; charset=utf-8",
                .contentDisposition: "inline; filename=\"rapport-\(page.code).md\"",
            ], body: .init(byteBuffer: ByteBuffer(string: page.markdown())))
        default:
            throw AppError.badRequest(parameter: "formaat", message: tr("kies html of markdown (pdf: pbmonitor report … --out rapport.pdf)"))
        }
    }
}

/// The report outside the web server, for `pbmonitor report`.
public enum GemeenteReport {
    public enum Format: String, Sendable, CaseIterable {
        case html, markdown, pdf
    }

    /// The whole report as one document: standalone HTML (stylesheet inlined, no links to the server needed to read it)
    /// or Markdown. PDF is made from the HTML by the caller (headless Chromium).
    public static func render(store: any SiteStore, gemeente: String, format: Format, generated: Date) async throws -> String {
        let renderer = try await PageRenderer.load()
        let peers = PeerController(store: store, renderer: renderer)
        let controller = ReportController(store: store, renderer: renderer, peerFinder: peers,
                                          maps: MapController(store: store, renderer: renderer, layers: MapLayerCache(store: store)))
        // Printed for the gemeente: its own indicators belong in it.
        let own = AreaCode(gemeente.uppercased()).map { Set([$0]) } ?? []
        var page = try await controller.page(gemeente, catalog: store.catalog.visible(toGemeenten: own), generated: generated)
        switch format {
        case .markdown:
            return page.markdown()
        case .html, .pdf:
            page.stylesheet = try Stylesheet.load().css
            return renderer.render(StandaloneReport(report: page)) ?? ""
        }
    }
}
