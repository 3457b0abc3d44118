import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Interventies, effect en MKBA")
struct InterventionWebTests {
    /// Three target wijken gain 3 points from 2032 on; seven comparison wijken follow the same trend without it.
    static let series: String = {
        var lines = ["indicator,gebied,periode,waarde,n"]
        let wijken = ["AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AJ", "AK"]
        for (i, suffix) in wijken.enumerated() {
            for (t, period) in ["2030", "2031", "2032", "2033"].enumerated() {
                let noise = Double((i * 7 + t * 3) % 5) * 0.1 - 0.2
                let value = 10 + Double(i) + 0.5 * Double(t) + (i < 3 && t >= 2 ? 3 : 0) + noise
                lines.append("kindmonitor_speelt_buiten,WK0363\(suffix),\(period),\(String(format: "%.2f", value)),200")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func anAnalistRegistersAnInterventionSeesTheEffectAddsAnMKBAAndPublishes() async throws {
        try await TestStore.withLoadedStore { store, _ in
            _ = try await store.importBatch(try TidyImporter.parse(Data(Self.series.utf8), file: "reeks.csv", catalog: store.catalog, period: nil))
            _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!],
                                           passwordHash: try await Passwords(cost: 4).hash("een-goed-wachtwoord"), actor: "test")
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in
                var anna = try await Browser.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
                // Comparison wijken are suggested from wijken with similar characteristics.
                let suggested = try await anna.get(client, "/gemeenten/GM0363/interventies?doelwijken=WK0363AA+WK0363AB")
                #expect(suggested.text.contains("Voorgesteld: de wijken die op de doelwijken lijken"))
                let field = suggested.text.components(separatedBy: #"name="vergelijkingswijken" value=""#).dropFirst().first?.prefix { $0 != "\"" } ?? ""
                let codes = field.split(separator: " ")
                #expect(codes.count == 5 && codes.allSatisfy { $0.hasPrefix("WK") && $0 != "WK0363AA" && $0 != "WK0363AB" }, "\(field)")

                let created = try await anna.post(client, "/gemeenten/GM0363/interventies", [
                    ("naam", "Buitenspelen in de buurt"), ("beschrijving", "Speelstraten en een buurtsportcoach"),
                    ("doelwijken", "WK0363AA WK0363AB WK0363AC"), ("vergelijkingswijken", "WK0363AD, WK0363AE WK0363AF WK0363AG WK0363AH WK0363AJ WK0363AK"),
                    ("indicator", "kindmonitor_speelt_buiten"), ("start", "2032")])
                #expect(created.status == .seeOther)
                let path = try #require(created.headers[.location])
                let page = try await anna.get(client, path)
                #expect(page.text.contains("Nulmeting: 20 cijfers van vóór 2032"))
                #expect(page.text.contains("Verschil in verschillen (geschat effect)") && page.text.contains("Parallelle trends"))
                #expect(page.text.contains("class=\"trends-chart\""))
                for assumption in DifferenceInDifferences.assumptions { #expect(page.text.contains(assumption.prefix(40))) }

                // Refused forms say beside each field what is wrong and keep what was typed (the edit form used to show the
                // stored design again, the MKBA form its stored posts).
                let badNew = try await anna.post(client, "/gemeenten/GM0363/interventies", [
                    ("naam", "Tweede ontwerp"), ("doelwijken", "WK0363AA"), ("vergelijkingswijken", "WK0363AD Nergens"), ("indicator", "kindmonitor_speelt_buiten"),
                    ("start", "2032")])
                #expect(badNew.status == .badRequest)
                #expect(badNew.text.contains(#"<span class="field-error" id="vergelijkingswijken-fout">&#39;Nergens&#39; is geen gebiedscode"#))
                #expect(badNew.text.contains(#"value="Tweede ontwerp""#) && badNew.text.contains(#"value="WK0363AD Nergens""#))
                let badEdit = try await anna.post(client, path + "/wijzigen", [
                    ("naam", ""), ("doelwijken", "WK0363AA WK0363AB WK0363AC"), ("vergelijkingswijken", "WK0363AD WK0363AE"),
                    ("indicator", "kindmonitor_speelt_buiten"), ("start", "2033"), ("beschrijving", "Nieuw getypt")])
                #expect(badEdit.status == .badRequest)
                #expect(badEdit.text.contains(#"<span class="field-error" id="naam-fout">Geef de interventie een naam.</span>"#))
                #expect(badEdit.text.contains("Nieuw getypt") && badEdit.text.contains(#"value="2033""#), "the edit form keeps what was typed")
                let badMKBA = try await anna.post(client, path + "/mkba", [
                    ("discontovoet", "4"), ("post-partij-1", "gemeente"), ("post-soort-1", "kosten"), ("post-omschrijving-1", "Speelstraatborden"),
                    ("post-jaar-1", "0"), ("post-basis-1", "veel")])
                #expect(badMKBA.status == .badRequest)
                #expect(badMKBA.text.contains(#"<p class="field-error" id="mkba-fout">"#) && badMKBA.text.contains("is geen bedrag"))
                #expect(badMKBA.text.contains("Speelstraatborden"), "the MKBA form keeps the typed post")

                let mkba = try await anna.submit(client, path + "/mkba", [
                    ("discontovoet", "4"),
                    ("post-partij-1", "gemeente"), ("post-soort-1", "kosten"), ("post-omschrijving-1", "Buurtsportcoach"), ("post-jaar-1", "0"),
                    ("post-laag-1", "90.000"), ("post-basis-1", "100.000"), ("post-hoog-1", "120.000"),
                    ("post-partij-2", "gezinnen"), ("post-soort-2", "baten"), ("post-omschrijving-2", "Meer buitenspelen"), ("post-jaar-2", "1"),
                    ("post-basis-2", "55.000"),
                    ("post-partij-3", "zorg"), ("post-soort-3", "baten"), ("post-omschrijving-3", "Minder jeugdhulp"), ("post-jaar-3", "2"),
                    ("post-basis-3", "60.000"), ("post-jeugdzorg-3", "ja"),
                    ("post-partij-4", "samenleving"), ("post-soort-4", "baten"), ("post-omschrijving-4", "Meer contact tussen buren"), ("post-jaar-4", "1"),
                ])
                #expect(mkba.status == .ok, "\(mkba.text.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(300) ?? "")")
                #expect(mkba.text.contains("<strong>€ 8.358</strong>"), "NPV 55,000/1.04 + 60,000/1.04² − 100,000")
                #expect(mkba.text.contains("Zonder besparingen op jeugdzorg: −€ 47.115"))
                #expect(mkba.text.contains("Meer contact tussen buren"), "the qualitative item stays in")

                var anonymous = Browser()
                #expect(try await anonymous.get(client, path).status == .seeOther, "a concept needs a login")
                let published = try await anna.submit(client, path + "/publiceren")
                #expect(published.status == .ok)
                let list = try await client.execute(uri: "/api/v1/gemeenten/GM0363/interventies", method: .get).decode(GemeenteListBody<InterventionJSON>.self)
                let item = try #require(list.items.first)
                let effect = try #require(item.effecten.first)
                let estimate = try #require(effect.effect)
                let lower = try #require(effect.ondergrens), upper = try #require(effect.bovengrens)
                #expect(abs(estimate - 3) < 0.5 && lower < 3 && 3 < upper, "the known effect of 3 points: \(lower) … \(estimate) … \(upper)")
                #expect(effect.basisperiode == "2031" && effect.vervolgperiode == "2033")
                let npv = try #require(item.mkba?.netto_contante_waarde)
                #expect(abs((npv["basis"] ?? 0) - 8357.988165680465) < 1e-6)
                #expect(item.versie == 3)
                let publicPage = try await anonymous.get(client, path)
                #expect(publicPage.status == .ok && publicPage.text.contains("versie 3:") && !publicPage.text.contains("door anna"),
                        "visitors see when a version was saved, not by whom")
                #expect(try await anna.get(client, path).text.contains("door anna"))
            }
        }
    }
}
