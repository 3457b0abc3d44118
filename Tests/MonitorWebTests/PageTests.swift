import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Pagina's")
struct PageTests {
    @Test func homeShowsThePlattegrondWithIndicatorCountsAndASearch() async throws {
        try await withApp { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                #expect(html.contains("<svg"))
                #expect(html.contains("Plattegrond van de pedagogische basis"))
                #expect(html.contains("relaties (weefsel)"))
                #expect(html.contains("Gemeentelijke beleidsdomeinen"))
                #expect(html.contains("href=\"/indicatoren#sfeer-hulp\""))
                #expect(html.contains("name=\"q\""))
                #expect(!html.contains("{{"))
            }
        }
    }

    @Test func municipalityListFiltersByNameProvinceAndGGD() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten", method: .get) { response in
                #expect(response.text.contains("3 van 3 gemeenten"))
                #expect(response.text.contains("href=\"/gemeenten/GM0363\""))
            }
            try await client.execute(uri: "/gemeenten?q=amster", method: .get) { response in
                #expect(response.text.contains("1 van 3 gemeenten"))
                #expect(response.text.contains("Amsterdam"))
                #expect(!response.text.contains("Schiermonnikoog</a>"))
            }
            try await client.execute(uri: "/gemeenten?provincie=PV20", method: .get) { response in
                #expect(response.text.contains("Groningen</a>"))
                #expect(!response.text.contains("Amsterdam</a>"))
            }
            try await client.execute(uri: "/api/v1/gemeenten?ggd=GG3406", method: .get) { response in
                let list = try response.decode(ListBody<MunicipalityController.GemeenteItem>.self)
                #expect(list.total == 1 && list.items.first?.ggdregio == "GG3406")
            }
        }
    }

    @Test func gemeenteProfileGroupsFiguresBySphereWithNederlandAndWijken() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363", method: .get) { response in
                let html = response.text
                #expect(response.status == .ok)
                #expect(response.headers[.init("Link")!]?.contains("/api/v1/gemeenten/GM0363") == true)
                #expect(html.contains("<h1>Amsterdam"))
                #expect(html.contains("id=\"sfeer-gezin\""))
                #expect(html.contains("id=\"sfeer-hulp\""))
                #expect(html.contains("10,7%"), "jeugdzorg in natura 2023")
                #expect(html.contains("10,9%"), "Nederland")
                #expect(html.contains("lager dan Nederland"))
                #expect(html.contains("CBS 85618NED"))
                #expect(html.contains("Haarlemmerbuurt"), "wijken in a table")
                #expect(html.contains("href=\"/wijken/WK0363AA\""))
                #expect(html.contains("rel=\"alternate\" type=\"application/json\""))
                #expect(!html.contains("{{"))
            }
        }
    }

    @Test func theWijkTableShowsTheChosenIndicator() async throws {
        try await withApp { client in
            try await client.execute(uri: "/gemeenten/GM0363?indicator=inwoners", method: .get) { response in
                #expect(response.text.contains("<option value=\"inwoners\" selected>"))
                #expect(response.text.contains("9.180"), "Haarlemmerbuurt 2024")
            }
            try await client.execute(uri: "/gemeenten/GM0363?indicator=bestaat_niet", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("onbekende indicator"))
            }
        }
    }

    @Test func wijkAndBuurtProfilesCompareWithTheirGemeente() async throws {
        try await withApp { client in
            try await client.execute(uri: "/wijken/WK0363AA", method: .get) { response in
                #expect(response.text.contains("Haarlemmerbuurt"))
                #expect(response.text.contains("<th scope=\"col\" class=\"num\">Amsterdam</th>"))
                #expect(response.text.contains("href=\"/buurten/BU0363AA01\""))
            }
            try await client.execute(uri: "/buurten/BU0363AA01", method: .get) { response in
                let html = response.text
                #expect(html.contains("Haarlemmerbuurt"))
                // CBS suppressed this buurt's income: "geen gegevens", never 0.
                let row = try #require(html.range(of: "Gemiddeld gestandaardiseerd inkomen van huishoudens</a></th>"))
                let cell = html[row.upperBound...].prefix(200)
                #expect(cell.contains("geen gegevens"))
                #expect(!cell.contains("€ 0"))
            }
        }
    }

    @Test func indicatorPageExplainsTheFigureAndShowsItsDistribution() async throws {
        try await withApp { client in
            try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get) { response in
                let html = response.text
                #expect(html.contains("Jongeren met jeugdzorg in natura (%)"))
                #expect(html.contains("Kanttekeningen"))
                #expect(html.contains("Gebruiksvoorbeelden"))
                // One histogram: a trend row without a sparkline once showed the page's histogram in its place.
                #expect(html.components(separatedBy: "class=\"histogram\"").count - 1 == 1, "the distribution is shown once")
                #expect(html.contains("Nederland: <strong>10,9%</strong>"))
                #expect(html.contains("href=\"/gemeenten/GM0088\""))
            }
            try await client.execute(uri: "/indicatoren", method: .get) { response in
                #expect(response.text.contains("id=\"sfeer-georganiseerd\""))
                #expect(response.text.contains("Lid sportvereniging (%)"), "the kindmonitor is in the catalogue")
            }
        }
    }

    /// "Weesp" (part of Amsterdam since 2022) finds Amsterdam in the list, the menu's search and the map form; a name that
    /// fits no gemeente gets a plain message, not a guess.
    @Test func aGemeenteIsFoundByItsCommonOrFormerNameEverywhere() async throws {
        try await withApp { client in
            let list = try await client.execute(uri: "/gemeenten?q=Weesp", method: .get)
            #expect(list.status == .ok && list.text.contains(#"href="/gemeenten/GM0363""#))
            let search = try await client.execute(uri: "/zoeken?q=Weesp", method: .get)
            #expect(search.status == .ok && search.text.contains(#"<li><a href="/gemeenten/GM0363">Amsterdam</a> — gemeente, GM0363</li>"#))
            let indicator = try await client.execute(uri: "/zoeken?q=jeugdzorg", method: .get)
            #expect(indicator.text.contains(#"href="/indicatoren/jeugdzorg_in_natura_pct""#), "indicators by name")
            let map = try await client.execute(uri: "/kaart/inwoners?niveau=wijk&gemeente=amsterdam", method: .get)
            #expect(map.status == .ok && map.text.contains("de wijken van Amsterdam"))
            let expected = try await client.execute(uri: "/jeugdzorg/verwacht?gemeente=Amsterdam", method: .get)
            #expect(expected.status == .ok && expected.text.contains("Haarlemmerbuurt"))
            let unknown = try await client.execute(uri: "/kaart/inwoners?niveau=wijk&gemeente=Nergensdorp", method: .get)
            #expect(unknown.status == .badRequest && unknown.text.contains("geen gemeente gevonden met de naam of code"))
        }
    }

    @Test func unknownPagesGetADutchNotFoundPage() async throws {
        try await withApp { client in
            for path in ["/gemeenten/GM9999", "/gemeenten/WK0363AA", "/wijken/XX", "/buurten/BU99999999", "/indicatoren/onbekend", "/bestaat/niet"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.text.contains("<title>Niet gevonden — Monitor pedagogische basis</title>"))
                }
            }
        }
    }
}
