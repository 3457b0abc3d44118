import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Vergelijken, kaarten")
struct ComparisonAndMapTests {
    @Test func peersAreExplainedAndTheVariablesCanBeChosen() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar", method: .get) { response in
                let body = try response.decode(PeerController.PeerBody.self)
                // The test store holds three gemeenten; Schiermonnikoog lacks a context variable, so Groningen remains.
                #expect(body.vergelijkbaar.map(\.code) == ["GM0014"])
                #expect(body.vergelijkbaar.first?.aandelen.count == 6)
                #expect(body.groepen["ggdregio"] != nil)
            }
            try await client.execute(uri: "/gemeenten/GM0363/vergelijkbaar?variabelen=inwoners&variabelen=leeftijd_65plus_pct&k=1", method: .get) { response in
                let html = response.text
                #expect(response.status == .ok)
                #expect(html.contains("van de afstand"))
                #expect(html.contains("name=\"variabelen\" value=\"leeftijd_65plus_pct\" checked"))
                #expect(!html.contains("name=\"variabelen\" value=\"gem_woz_waarde\" checked"))
            }
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar?variabelen=onzin", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            // A variable named twice (schemathesis found this one trapping the server): it counts once.
            for path in ["/api/v1/gemeenten/GM0363/vergelijkbaar?k=22&variabelen=gem_woz_waarde&variabelen=leeftijd_0_15_pct&variabelen=gem_woz_waarde",
                         "/gemeenten/GM0363/vergelijkbaar?variabelen=inwoners,inwoners&variabelen=inwoners"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
            try await client.execute(uri: "/api/v1/gemeenten/GM0363/vergelijkbaar?variabelen=gem_woz_waarde&variabelen=gem_woz_waarde", method: .get) { response in
                let body = try response.decode(PeerController.PeerBody.self)
                #expect(body.variabelen == ["gem_woz_waarde"], "a variable named twice counts once")
            }
        }
    }

    @Test func theProfileComparesWithTheGGDRegionAndThePeerGroup() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                let html = response.text
                #expect(html.contains(">GGD Amsterdam</th>"))
                #expect(html.contains("Vergelijkbare gemeenten</a></th>"))
                #expect(html.contains("class=\"strip\""))
                #expect(html.contains("vergelijkbare gemeenten: mediaan"))
            }
        }
    }

    @Test func aGemeenteMapHasEveryGemeenteAsALinkedAreaAndALegend() async throws {
        try await withApp { client in
            try await client.execute(uri: "/kaart/jeugdzorg_in_natura_pct.svg", method: .get) { response in
                let svg = response.text
                #expect(response.headers[.contentType] == "image/svg+xml; charset=utf-8")
                // The test store holds three gemeenten (the CLI test checks all 342 on the full data).
                #expect(svg.components(separatedBy: "<a href=\"/gemeenten/").count - 1 == 3)
                #expect(svg.contains("<pattern id=\"map-geen-gegevens\""))
                #expect(svg.contains("geen gegevens ("))
                #expect(svg.contains("Amsterdam (GM0363): 10,7%"))
            }
            try await client.execute(uri: "/kaart/jeugdzorg_in_natura_pct?niveau=ggdregio&indeling=natuurlijk&klassen=3", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("natuurlijke grenzen"))
                #expect(response.text.contains("Dezelfde gegevens als tabel"))
            }
        }
    }

    @Test func aWijkMapOfAmsterdamHasItsWijkenAndHatchedNoDataAreas() async throws {
        try await withApp { client in
            try await client.execute(uri: "/kaart/gestandaardiseerd_inkomen_hh.svg?niveau=wijk&gemeente=GM0363", method: .get) { response in
                let svg = response.text
                let areas = svg.components(separatedBy: "<a href=\"/wijken/WK0363").count - 1
                #expect(areas > 90)
                #expect(svg.contains("Haarlemmerbuurt"))
                #expect(svg.contains("fill=\"url(#map-geen-gegevens)\""), "some wijken have no income figure")
            }
            try await client.execute(uri: "/kaart/inwoners?niveau=stad", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
