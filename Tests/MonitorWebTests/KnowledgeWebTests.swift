import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

@Suite("Kennis op de site: evaluatiebank, raadsstukken, zoeken")
struct KnowledgeWebTests {
    static func world(_ body: @escaping @Sendable (SQLStore, any TestClientProtocol) async throws -> Void) async throws {
        try await TestStore.withLoadedStore { store, _ in
            let hash = try await Passwords(cost: 4).hash("een-goed-wachtwoord")
            _ = try await store.addAccount(username: "anna", displayName: "Anna", role: .analist, gemeenten: [AreaCode("GM0363")!], passwordHash: hash, actor: "test")
            _ = try await store.addAccount(username: "gerrit", displayName: "Gerrit", role: .analist, gemeenten: [AreaCode("GM0014")!], passwordHash: hash, actor: "test")
            _ = try await store.addAccount(username: "bea", displayName: "Bea", role: .beheerder, gemeenten: [], passwordHash: hash, actor: "test")
            _ = try await store.seedEvaluationBankIfEmpty(BundledData(directory: Fixtures.dataDirectory))
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            try await app.test(.router) { client in try await body(store, client) }
        }
    }

    @Test func theBankStartsWithTheReportAndItsExamplesAndASubmittedStudyWaitsForABeheerder() async throws {
        try await Self.world { store, client in
            var anonymous = Browser()
            let bank = try await anonymous.get(client, "/evaluaties")
            for title in ["Meten en monitoren in de pedagogische basis", "Buurtgezinnen", "Amsterdamse Familiescholen", "Opgroeien in een Kansrijke Omgeving",
                          "Mamacafé", "Kantinemoeders", "Gewoon opvoeden versterken", "Opgroeiondersteuning op school", "Brugfunctionarissen"] {
                #expect(bank.text.contains(title), "\(title)")
            }
            // Full text reaches into the report's own text; facets narrow it.
            let searched = try await anonymous.get(client, "/evaluaties?q=%22sociale+kaart%22")
            #expect(searched.text.contains("1 studie(s)") && searched.text.contains("<mark>sociale kaart</mark>") == false)
            #expect(searched.text.contains("Meten en monitoren in de pedagogische basis"))
            let school = try await anonymous.get(client, "/evaluaties?sfeer=school&opzet=beschrijvend")
            #expect(school.text.contains("Kantinemoeders") && !school.text.contains("Buurtgezinnen"))

            var anna = try await Browser.loggedIn(client, as: "anna", password: "een-goed-wachtwoord")
            try await anna.get(client, "/evaluaties")
            // A study without a summary and with a bad year: said beside those fields, and what was typed stays.
            let refused = try await anna.post(client, "/evaluaties", [("gemeente", "GM0363"), ("titel", "Halve studie"), ("organisatie", "GGD"),
                                                                     ("jaar", "twintig"), ("opzet", "procesevaluatie"), ("samenvatting", "")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"<span class="field-error" id="samenvatting-fout">Vat in een paar zinnen samen wat de studie vond.</span>"#))
            #expect(refused.text.contains(#"id="jaar-fout">Vul het jaar in, bijvoorbeeld 2024.</span>"#))
            #expect(refused.text.contains(#"value="Halve studie""#))
            let submitted = try await anna.post(client, "/evaluaties", [("gemeente", "GM0363"), ("titel", "Mamacafé De Pijp: procesevaluatie"),
                                                                       ("organisatie", "Hogeschool van Amsterdam"), ("jaar", "2025"), ("opzet", "procesevaluatie"),
                                                                       ("sferen", "gezin"), ("perspectieven", "houding"), ("soort", "mamacafe"),
                                                                       ("samenvatting", "Moeders vinden er steun bij elkaar.")],
                                                file: ("bestand", "verslag.txt", "Het mamacafé bereikt moeders die de weg naar hulp niet vinden."))
            let url = try #require(submitted.headers[.location])
            var gerrit = try await Browser.loggedIn(client, as: "gerrit", password: "een-goed-wachtwoord")
            #expect(try await gerrit.get(client, url).status == .notFound, "another gemeente does not see it")
            #expect(!(try await gerrit.get(client, "/evaluaties?q=mamacafe").text.contains("Hogeschool van Amsterdam")))
            #expect(!(try await client.execute(uri: "/api/v1/zoeken?q=weg+naar+hulp&in=evaluaties", method: .get).text.contains("Mamacafé De Pijp")))
            #expect(try await anna.get(client, url).text.contains("ingediend, wacht op beoordeling"))

            var bea = try await Browser.loggedIn(client, as: "bea", password: "een-goed-wachtwoord")
            #expect(try await bea.get(client, "/evaluaties").text.contains("Te beoordelen"))
            try await bea.get(client, url)
            #expect(try await bea.post(client, url, [("actie", "afwijzen"), ("reden", "")]).status == .badRequest, "refusing needs a reason")
            #expect(try await bea.post(client, url, [("actie", "goedkeuren")]).text.contains("Goedgekeurd"))
            #expect(try await gerrit.get(client, url).status == .ok, "now every gemeente sees it")
            let item = try await client.execute(uri: "/api/v1/zoeken?q=weg+naar+hulp&in=evaluaties", method: .get)
                .decode(ListBody<SearchItemJSON>.self).items.first
            #expect(item?.titel == "Mamacafé De Pijp: procesevaluatie" && item?.fragment.isEmpty == false)
            #expect(item?.gemeente == "GM0363")
            #expect(try await anonymous.get(client, url + "?bestand=ja").text.contains("bereikt moeders"))
            let csv = try await anonymous.get(client, "/evaluaties?formaat=csv")
            #expect(csv.text.hasPrefix("titel,organisatie,jaar") && csv.text.contains("Mamacafé De Pijp"))
        }
    }

    @Test func importedDocumentsGiveAPerYearCountPerGemeenteAndGoalSentencesWithAPerspective() async throws {
        try await Self.world { store, client in
            _ = try await store.addDocuments([
                CouncilDocument(gemeente: AreaCode("GM0363")!, date: ReferenceDate("2023-04-12")!, kind: .beleidsnota, title: "Opgroeien in Amsterdam",
                                source: "t1", text: "Wij investeren in de pedagogische basis zodat alle kinderen gelijke kansen krijgen. Het budget groeit."),
                CouncilDocument(gemeente: AreaCode("GM0363")!, date: ReferenceDate("2024-02-01")!, kind: .raadsvoorstel, title: "Jeugdhulp",
                                source: "t2", text: "De pedagogische basis moet sterker. Het doel is minder instroom in de specialistische jeugdhulp en lagere kosten."),
                CouncilDocument(gemeente: AreaCode("GM0014")!, date: ReferenceDate("2024-06-30")!, kind: .motie, title: "Speelplekken",
                                source: "t3", text: "De raad wil de pedagogische basis versterken met meer speelplekken en een laagdrempelig inloopspreekuur."),
                CouncilDocument(gemeente: AreaCode("GM0014")!, date: ReferenceDate("2024-09-01")!, kind: .collegebrief, title: "Sport",
                                source: "t4", text: "De pedagogische aanpak van de sportclub is de basis voor plezier."),
            ], actor: "test")
            var anonymous = Browser()
            let page = try await anonymous.get(client, "/documenten")
            #expect(page.status == .ok && page.text.contains("3 van 4 raadsstukken"), "the far-apart words do not count")
            let analysis = try await client.execute(uri: "/api/v1/documenten/analyse", method: .get).decode(AnalysisJSON.self)
            let counts = Set(analysis.per_gemeente.map { "\($0.gemeente)-\($0.jaar)-\($0.stukken)" })
            #expect(counts == ["GM0363-2023-1", "GM0363-2024-1", "GM0014-2024-1"])
            #expect(analysis.per_jaar.map { "\($0.jaar)-\($0.stukken)-\($0.gemeenten)" } == ["2023-1-1", "2024-2-2"])
            func perspectives(_ fragment: String) -> [String] {
                analysis.doelzinnen.first { $0.zin.contains(fragment) }?.perspectieven ?? ["(geen doelzin)"]
            }
            #expect(perspectives("gelijke kansen") == ["ideaal"])
            #expect(perspectives("minder instroom") == ["instrumenteel"], "the sentence after the term, with a goal word")
            #expect(perspectives("speelplekken") == ["aanbod"])
            #expect(analysis.doelzinnen.allSatisfy { !$0.waarom.isEmpty || $0.perspectieven.isEmpty }, "every perspective says why")
            #expect(page.text.contains("<mark>pedagogische basis</mark>"))
            // A beheerder changes a rule; the analysis follows.
            var bea = try await Browser.loggedIn(client, as: "bea", password: "een-goed-wachtwoord")
            try await bea.get(client, "/documenten/regels")
            let bad = try await bea.post(client, "/documenten/regels", [("regels", "doel: doel\nmening: vinden\n")])
            #expect(bad.status == .badRequest && bad.text.contains("Regel 2"))
            #expect(bad.text.contains(#"id="regels-fout""#) && bad.text.contains(#"aria-describedby="regels-fout""#), "at the text field")
            #expect(bad.text.contains("mening: vinden"), "what was typed stays")
            // An upload with a wrong date and no title: each problem at its field, the rest of what was typed kept.
            let refused = try await bea.post(client, "/documenten", [("gemeente", "GM0363"), ("datum", "gisteren"), ("soort", "nota"), ("titel", "")],
                                             file: ("bestand", "nota.txt", "Een tekst over de pedagogische basis."))
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"<span class="field-error" id="datum-fout">"#) && refused.text.contains(#"<span class="field-error" id="titel-fout">"#))
            #expect(refused.text.contains(#"value="gisteren""#) && refused.text.contains(##"<a href="#datum">Datum</a>"##))
            let rules = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("catalog/documentanalyse.regels"), encoding: .utf8)
                .replacingOccurrences(of: "aanbod: voorziening*,", with: "aanbod: voorziening*, speelplek*,").replacingOccurrences(of: "ideaal: opgroeien,", with: "ideaal: opgroeien, speelplek*,")
            #expect(try await bea.post(client, "/documenten/regels", [("regels", rules)]).text.contains("Opgeslagen"))
            let again = try await client.execute(uri: "/api/v1/documenten/analyse", method: .get).decode(AnalysisJSON.self)
            let speel = again.doelzinnen.first { $0.zin.contains("speelplekken") }
            #expect(Set(speel?.perspectieven ?? []) == ["ideaal", "aanbod"])
        }
    }

    @Test func searchIsDutchAwareAndPhrasesKeepTheirWordsTogether() async throws {
        try await Self.world { store, client in
            _ = try await store.addDocuments([
                CouncilDocument(gemeente: AreaCode("GM0363")!, date: ReferenceDate("2024-01-10")!, kind: .beleidsnota, title: "Opvoeding",
                                source: "s1", text: "Steun bij de opvoeding."),
                CouncilDocument(gemeente: AreaCode("GM0014")!, date: ReferenceDate("2024-01-11")!, kind: .beleidsnota, title: "Scholen",
                                source: "s2", text: "Opvoedondersteuning op school."),
                CouncilDocument(gemeente: AreaCode("GM0014")!, date: ReferenceDate("2024-01-12")!, kind: .beleidsnota, title: "Losse woorden",
                                source: "s3", text: "Een pedagogische blik is de basis."),
            ], actor: "test")
            let found = try await client.execute(uri: "/api/v1/zoeken?q=opvoeden", method: .get).decode(ListBody<SearchItemJSON>.self)
            #expect(Set(found.items.map(\.titel)) == ["Opvoeding", "Scholen"])
            #expect(found.total == 2)
            let phrase = try await client.execute(uri: "/api/v1/zoeken?q=%22pedagogische+basis%22", method: .get).decode(ListBody<SearchItemJSON>.self)
            #expect(phrase.total == 0 && phrase.items.isEmpty)
            let html = try await client.execute(uri: "/zoeken?q=opvoeden", method: .get)
            #expect(html.text.contains("<mark>opvoeding</mark>") && html.text.contains("<mark>Opvoedondersteuning</mark>"))
            #expect(try await client.execute(uri: "/api/v1/zoeken?q=x&in=iets", method: .get).status == .badRequest)
        }
    }
}

@Suite("Tekst uit raadsstukken")
struct DocumentTextTests {
    @Test func pdfHtmlAndTextGiveTheirTextAndAnythingElseAClearError() throws {
        let pdf = try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/documents/motie.pdf"))
        if DocumentText.pdftotext != nil {
            #expect(try DocumentText.extract(pdf, fileName: "motie.pdf").contains("Wij versterken de pedagogische basis."))
        } else {
            #expect(throws: ImportError.self) { try DocumentText.extract(pdf, fileName: "motie.pdf") }
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("pdftotext ontbreekt; .ci/run installeert poppler-utils") }
        }
        #expect(try DocumentText.extract(Data("<p>Een &amp; twee</p><script>x()</script>".utf8), fileName: "a.html") == "Een & twee")
        #expect(try DocumentText.extract(Data("gewone tekst".utf8), fileName: "a.txt") == "gewone tekst")
        #expect(throws: ImportError.self) { try DocumentText.extract(Data(), fileName: "leeg.txt") }
        #expect(throws: ImportError.self) { try DocumentText.extract(Data("x".utf8), fileName: "blad.xlsx") }
        #expect(throws: ImportError.self) { try DocumentText.extract(Data([0xff, 0xfe, 0x00]), fileName: "kapot.txt") }
        #expect(throws: ImportError.self) { try DocumentText.extract(Data("%PDF-1.4 kapot".utf8), fileName: "kapot.pdf") }
    }
}
