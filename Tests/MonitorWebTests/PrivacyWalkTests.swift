import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// The privacy rule on the way out, everywhere: a figure resting on fewer than 10 persons is planted in the
/// newest period, then every GET route (HTML, JSON, CSV, Excel, SVG, versions) is read, anonymously and as a
/// beheerder, and searched for it. A well-based figure planted next to it must show up, so the walk sees 2030.
@Suite("Privacy: elke route")
struct PrivacyWalkTests {
    /// The small figure (n = 6) and how it could be written: raw, Dutch, rounded to the indicator's one decimal.
    static let leaked = ["93.17", "93,17", "93,2"]
    /// The well-based figure next to it (n = 60).
    static let shown = ["88.41", "88,4"]

    static func urls(draft: Int) -> [String] {
        let i = "jeugdzorg_in_natura_pct"
        var urls = [
            "/", "/gemeenten", "/gemeenten/GM0363", "/gemeenten/GM0363?indicator=\(i)", "/gemeenten/GM0363/vergelijkbaar",
            "/wijken/WK0363AA", "/wijken/WK0363AA?indicator=\(i)", "/buurten/BU0363AA01", "/buurten/BU0363AA02",
            "/indicatoren", "/indicatoren/\(i)", "/indicatoren/\(i)?periode=2030",
            "/indicatoren/\(i)/versies?gebied=BU0363AA01&periode=2030", "/lantaarnpaal", "/meetlast",
            "/kaart/\(i)?niveau=wijk&gemeente=GM0363", "/kaart/\(i).svg?niveau=wijk&gemeente=GM0363", "/kaart/inwoners?niveau=wijk&gemeente=GM0363",
            "/api/v1/gemeenten", "/api/v1/gemeenten/GM0363", "/api/v1/gemeenten/GM0363/vergelijkbaar", "/api/v1/wijken/WK0363AA",
            "/api/v1/buurten/BU0363AA01", "/api/v1/buurten/BU0363AA02", "/api/v1/indicatoren", "/api/v1/indicatoren/\(i)",
            "/api/v1/waarden?periode=2030", "/api/v1/waarden?indicator=\(i)&gebied=BU0363AA01&versies=alle",
            "/api/v1/waarden?indicator=\(i)&peildatum=2099-01-01", "/api/v1/lantaarnpaal", "/api/v1/meetlast",
            "/gemeenten/GM0363/rapport", "/gemeenten/GM0363/rapport?formaat=markdown", "/jeugdzorg/verwacht?gemeente=GM0363",
            "/api/v1/jeugdzorg/verwacht?niveau=wijk&gemeente=GM0363", "/jeugdzorg/verwacht", "/jeugdzorg/model", "/api/v1/jeugdzorg/model",
            "/gemeenten/GM0363/interventies", "/api/v1/gemeenten/GM0363/interventies", "/gemeenten/GM0363/netwerken",
            "/api/v1/gemeenten/GM0363/netwerken", "/gemeenten/GM0363/voorzieningen", "/api/v1/gemeenten/GM0363/voorzieningen", "/gemeenten/GM0363/vragenlijsten", "/evaluaties", "/api/v1/evaluaties", "/documenten",
            "/api/v1/documenten/analyse", "/zoeken?q=jeugdzorg", "/api/v1/zoeken?q=jeugdzorg&in=evaluaties", "/documenten/regels",
            "/api/v1/gemeenten/GM0363/vragenlijsten", "/gemeenten/GM0363/voorzieningen?formaat=gebruik-csv", "/gemeenten/GM0363/gespreksmodel",
            "/api/v1/gemeenten/GM0363/gespreksmodel", "/gemeenten/GM0363/duiding", "/api/v1/gemeenten/GM0363/duiding",
            "/gemeenten/GM0363/concepten", "/gemeenten/GM0363/concepten/\(draft)", "/beheer/audit", "/beheer/audit?formaat=csv",
        ]
        for format in ["csv", "excel", "json", "datapackage"] {
            urls.append("/export/\(i)?niveau=buurt&gemeente=GM0363&periode=2030&formaat=\(format)")
            urls.append("/export/\(i)?gebied=BU0363AA01&formaat=\(format)")
        }
        return urls
    }

    @Test func aFigureOnFewerThanTenPersonsLeavesByNoRoute() async throws {
        try await TestStore.withLoadedStore { store, _ in
            let csv = """
                indicator,gebied,periode,waarde,n
                jeugdzorg_in_natura_pct,BU0363AA01,2030,93.17,6
                jeugdzorg_in_natura_pct,BU0363AA02,2030,88.41,60
                personen_bijstand,BU0363AA01,2030,7,

                """
            _ = try await store.importBatch(try TidyImporter.parse(Data(csv.utf8), file: "klein.csv", catalog: store.catalog, period: nil))
            // The same small figure waiting as a draft of the gemeente.
            let draft = try await store.addDraft(gemeente: AreaCode("GM0363")!, fileName: "concept.csv", format: "auto", period: nil,
                                                 content: csv, actor: "test")
            _ = try await store.addAccount(username: "beheer", displayName: "B", role: .beheerder, gemeenten: [],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var anonymous = Browser()
                let admin = try await Browser.loggedIn(client, as: "beheer", password: "een-goed-wachtwoord")
                var seen = 0
                var read = 0
                // Twice: the second walk is answered from the response cache where it can be (issue 20), and must hide
                // exactly as much.
                for (pass, url) in ["koud", "warm"].flatMap({ pass in Self.urls(draft: draft.id).map { (pass, $0) } }) {
                    for (who, visitor) in [("anoniem \(pass)", anonymous), ("beheerder \(pass)", admin)] {
                        var visitor = visitor
                        let response = try await visitor.get(client, url)
                        guard response.status == .ok else {
                            #expect(response.status == .seeOther && who.hasPrefix("anoniem"), "\(who) \(url): \(response.status.code) \(response.text.prefix(300))")
                            continue
                        }
                        read += 1
                        let body = response.text
                        for form in Self.leaked {
                            #expect(!body.contains(form), "\(who) \(url) shows the small figure as \(form)")
                        }
                        if Self.shown.contains(where: body.contains) { seen += 1 }
                    }
                }
                #expect(read >= 60, "the walk read \(read) responses")
                #expect(seen >= 10, "the well-based figure next to it showed up on \(seen) responses")
                _ = anonymous
                _ = admin

                // The small count of persons and every sum of it stay hidden in the API as well.
                let items = try await anonymous.get(client, "/api/v1/waarden?indicator=personen_bijstand&periode=2030").decode(ListBody<ValueDTO>.self).items
                #expect(!items.isEmpty)
                for item in items.map(\.observation) {
                    if let value = item.value { #expect(value >= 10, "\(item)") }
                    for part in [item.numerator, item.denominator] { if let part { #expect(part >= 10 || part == 0, "\(item)") } }
                }
            }
        }
    }
}
