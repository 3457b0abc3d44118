import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Issue 18: the pedagogical basis itself, shown honestly — regional figures where people look.
@Suite("De pedagogische basis zelf")
struct PedagogicalBasisTests {
    /// A store with Alkmaar (GM0361), in the GGD region Hollands-Noorden (GG2707) whose kindmonitor is bundled.
    static func withAlkmaar(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await TestStore.withEmptyStore { store, _ in
            _ = try await store.loadBundledData(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: ["GM0361"])) { _ in }
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router, body)
        }
    }

    @Test func aRegionalFigureShowsOnTheProfileOfEveryMemberAsTheRegions() async throws {
        try await Self.withAlkmaar { client in
            let html = try await client.execute(uri: "/gemeenten/GM0361", method: .get).text
            let row = try #require(html.range(of: "Lid sportvereniging (%)").map { String(html[$0.lowerBound...].prefix(1200)) })
            #expect(row.contains("77,3"))
            #expect(row.contains("2021"))
            #expect(row.contains("cijfer van GGD Hollands-Noorden, niet van Alkmaar"))

            let profile = try await client.execute(uri: "/api/v1/gemeenten/GM0361", method: .get).decode(AreaController.AreaBody.self)
            #expect(!profile.waarden.contains { $0.observation.indicator == "kindmonitor_lid_sportvereniging" }, "never as the gemeente's own figure")
            let sport = try #require(profile.cijfers_van_de_regio.first { $0.waarde.observation.indicator == "kindmonitor_lid_sportvereniging" })
            let value = sport.waarde.observation
            #expect(value.area.rawValue == "GG2707" && value.value == 77.3 && value.period == "2021")
            #expect(sport.gebied_naam == "GGD Hollands-Noorden")

            // A wijk of Alkmaar shows the region's figure too, labelled the same way.
            let wijk = try #require(profile.deelgebieden.first?.code)
            let wijkHTML = try await client.execute(uri: "/wijken/\(wijk)", method: .get).text
            #expect(wijkHTML.contains("cijfer van GGD Hollands-Noorden, niet van"))

            // The report and its Markdown say whose figure it is.
            let markdown = try await client.execute(uri: "/gemeenten/GM0361/rapport?formaat=markdown", method: .get).text
            #expect(markdown.contains("77,3") && markdown.contains("cijfer van GGD Hollands-Noorden, niet van Alkmaar"))
        }
    }

    /// Maps and peer comparisons of gemeenten never take a region's figure as a gemeente's own.
    @Test func aGemeenteMapNeverPaintsARegionalFigure() async throws {
        try await Self.withAlkmaar { client in
            let response = try await client.execute(uri: "/kaart/kindmonitor_lid_sportvereniging?niveau=gemeente", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains("Alkmaar (GM0361): geen gegevens"), "the region's 77,3 is not Alkmaar's")
            #expect(!response.text.contains("77,3"))
        }
    }

    /// The indicator page credits the figure's own source and says what role the indicator has, and why.
    @Test func theIndicatorPageCreditsItsOwnSourceAndRole() async throws {
        try await Self.withAlkmaar { client in
            let html = try await client.execute(uri: "/indicatoren/kindmonitor_lid_sportvereniging", method: .get).text
            #expect(html.contains("Bron van de cijfers: GGD Hollands-Noorden"))
            #expect(!html.contains(#"<p class="muted">Bron: CBS / PDOK, CC BY 4.0</p>"#), "the page credits the GGD, the footer the site")
            #expect(html.contains("pedagogische basis — De vereniging is de georganiseerde vrije tijd"))
            let indicator = try await client.execute(uri: "/api/v1/indicatoren/kindmonitor_lid_sportvereniging", method: .get)
                .decode(IndicatorController.IndicatorBody.self)
            #expect(indicator.bron.hasPrefix("Bron van de cijfers: GGD Hollands-Noorden"))
            let context = try await client.execute(uri: "/indicatoren/inwoners", method: .get).text
            #expect(context.contains("context — Beschrijft wie er wonen") && context.contains("Bron: CBS / PDOK, CC BY 4.0"))
            let care = try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get).text
            #expect(care.contains("Lagen van de buitensfeer") && care.contains("jeugdhulp met verwijzing, jeugdbescherming"))
        }
    }
}
