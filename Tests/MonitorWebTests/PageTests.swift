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
            // One count of a sphere everywhere: the home page's "van N" is the index's "raken deze sfeer: N".
            let home = try await client.execute(uri: "/", method: .get).text
            let index = try await client.execute(uri: "/indicatoren", method: .get).text
            for sphere in Sphere.allCases {
                let homeCount = try #require(home.firstMatch(of: try Regex("#sfeer-\(sphere.rawValue)\">[^<]*</a>: [0-9]+ van ([0-9]+)"))?.output[1].substring)
                let section = try #require(index.range(of: "id=\"sfeer-\(sphere.rawValue)\""))
                let indexCount = try #require(index[section.upperBound...].firstMatch(of: /Raken deze sfeer: ([0-9]+)/)?.output.1)
                #expect(String(homeCount) == String(indexCount), "\(sphere)")
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

    /// The profile opens with a summary in neutral words: per sphere how much of the basis has a figure and where it lies
    /// outside the similar gemeenten, context in a line of its own, and what moved most.
    @Test func theProfileLeadsWithASummaryInNeutralWords() async throws {
        try await withApp { client in
            let html = try await client.execute(uri: "/gemeenten/GM0363", method: .get).text
            let start = try #require(html.range(of: #"<h2 id="kort-kop">In het kort</h2>"#))
            let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
            let summary = String(html[start.upperBound..<end.lowerBound])
            for sphere in Sphere.allCases { #expect(summary.contains(##"<a href="#sfeer-\##(sphere.rawValue)">"##), "\(sphere)") }
            #expect(summary.contains("<li>Context: "), "context apart from the basis")
            #expect(summary.contains("sinds de periode ervoor"))
            for verdict in ["beter", "slechter", "goed", "slecht", "zorgelijk", "achterstand"] {
                #expect(!summary.lowercased().contains(verdict), "no verdict: \(verdict)")
            }
        }
    }

    @Test func summaryNamesWhatLiesOutsideTheSimilarGemeentenAndNothingElse() {
        func row(_ id: String, _ position: PeerPosition?, has: Bool = true) -> FigureRow {
            FigureRow(indicatorID: id, indicatorName: id, indicatorURL: "/", value: has ? "1" : "geen gegevens", hasValue: has, note: nil, period: "2024",
                      source: "", origin: nil, comparisons: [], peerSummary: nil, strip: nil, trend: nil, trendText: nil, revision: nil,
                      versionsURL: nil, peerPosition: position)
        }
        #expect(AreaShowPage.summaryText([row("a", .above), row("b", .within), row("c", .below), row("d", nil, has: false)], hasPeers: true)
                == "3 van 4 indicatoren met een cijfer; hoger dan bij alle vergelijkbare gemeenten: a; lager dan bij alle vergelijkbare gemeenten: c.")
        #expect(AreaShowPage.summaryText([row("a", .within)], hasPeers: true)
                == "1 van 1 indicator met een cijfer; het vergeleken cijfer ligt binnen de spreiding van vergelijkbare gemeenten.")
        #expect(AreaShowPage.summaryText([row("a", nil)], hasPeers: false) == "1 van 1 indicator met een cijfer.")
        #expect(AreaShowPage.summaryText([row("a", nil, has: false), row("b", nil, has: false)], hasPeers: true)
                == "geen van de 2 indicatoren heeft hier een cijfer.", "what is not measured, said once")
        var regional = row("r", nil)
        regional.regionNote = "cijfer van GGD Hollands-Noorden, niet van Alkmaar"
        #expect(AreaShowPage.summaryText([row("a", .within), regional, row("d", nil, has: false)], hasPeers: true)
                == "1 van 3 indicatoren met een cijfer (en 1 met alleen een cijfer van de regio); het vergeleken cijfer ligt binnen de spreiding van vergelijkbare gemeenten.",
                "a region's figure is not counted as the gemeente's own")
        #expect(AreaShowPage.summaryText([regional, row("d", nil, has: false)], hasPeers: true)
                == "geen eigen cijfer; 1 van de 2 heeft alleen een cijfer van de regio.")
        #expect(PeerPosition(value: 10.04, peers: [9, 10], decimals: 1) == .within, "equal at display precision is not above")
        #expect(PeerPosition(value: 10.06, peers: [9, 10], decimals: 1) == .above)
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
                // CBS suppressed this buurt's income: named in the sphere's line of indicators without a figure, never a 0.
                let line = try #require(html.range(of: "Zonder cijfer voor Buurt 01 in Haarlemmerbuurt"))
                let end = try #require(html.range(of: "</p>", range: line.upperBound..<html.endIndex))
                #expect(html[line.upperBound..<end.lowerBound].contains("Gemiddeld gestandaardiseerd inkomen van huishoudens</a>"))
                #expect(!html.contains("Gemiddeld gestandaardiseerd inkomen van huishoudens</a></th>"), "no empty row for it")
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

    /// The installation's contact line, with its e-mail address as a link, on /contact, /toegankelijkheid and /privacy.
    @Test func theContactLineOfTheInstallationIsOnEveryPageThatPromisesIt() async throws {
        var configuration = MonitorConfiguration()
        configuration.contact = "Team Onderzoek, gemeente Amsterdam, onderzoek@amsterdam.nl"
        let app = try await buildApplication(configuration: configuration, store: try await TestStore.shared())
        try await app.test(.router) { client in
            for path in ["/contact", "/toegankelijkheid", "/privacy"] {
                let html = try await client.execute(uri: path, method: .get).text
                #expect(html.contains("<strong>Team Onderzoek, gemeente Amsterdam, onderzoek@amsterdam.nl</strong>"), "\(path)")
                #expect(html.contains(#"<a href="mailto:onderzoek@amsterdam.nl">e-mail</a>"#), "\(path): the address is a link")
            }
        }
        try await withApp { client in
            let unset = try await client.execute(uri: "/contact", method: .get).text
            #expect(unset.contains("nog geen contactgegevens ingevuld"))
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
