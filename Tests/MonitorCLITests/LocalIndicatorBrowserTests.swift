import Foundation
import MonitorTestSupport
import Testing

/// Issue 18, item 4 in a real browser: an analist of Amsterdam fills in the form of an own indicator (a mistake first:
/// the catalogue's message beside the field, nothing typed lost), publishes it, uploads figures for three wijken through
/// the drafts page and finds them on the wijk map of a second server process on the same database, which was running
/// all along (no restart).
@Suite("Browser: een eigen indicator maken", .timeLimit(.minutes(4)))
struct LocalIndicatorBrowserTests {
    @Test func anAnalistDefinesAnIndicatorInTheFormAndItsFiguresReachASecondNode() async throws {
        guard let chromium = BrowserTests.chromium, let driverPath = WebDriver.chromedriver else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("Chromium of chromedriver ontbreekt; .ci/run installeert ze") }
            return
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("eigen.sqlite").path
        let server = try await ServerProcess(database: db, extraArguments: ["--only-gemeenten", "GM0363"])
        defer { server.stop() }
        let secondNode = try await ServerProcess(database: db)
        defer { secondNode.stop() }
        let added = try CommandRunner.run(["user", "add", "anna@amsterdam.nl", "--rol", "analist", "--gemeenten", "GM0363", "--naam", "Anna Analist",
                                           "--wachtwoord-stdin", "--database", db], input: "een-goed-wachtwoord\n")
        #expect(added.status == 0, "\(added.stderr)")
        let csv = directory.appendingPathComponent("speeltuinen.csv")
        try "gebied,periode,gm0363_speeltuinbezoek\nWK0363AA,2025,120\nWK0363AB,2025,85\nWK0363AC,2025,40\n".write(to: csv, atomically: true, encoding: .utf8)

        let driver = try await WebDriver.start(chromedriver: driverPath, chromium: chromium, profile: directory.appendingPathComponent("profiel").path)
        do {
            try await define(driver, base: server.baseURL, csv: csv.path)
            // The second process notices the publication by itself (it polls once a second).
            var seen = false
            for _ in 0..<50 where !seen {
                try await driver.open(secondNode.baseURL + "/api/v1/indicatoren")
                seen = try await driver.source().contains("gm0363_speeltuinbezoek")
                if !seen { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(seen, "the second node knows the indicator without a restart")
            try await driver.open(secondNode.baseURL + "/kaart/gm0363_speeltuinbezoek?niveau=wijk&gemeente=GM0363")
            let map = try await driver.source()
            for value in [">120<", ">85<", ">40<"] { #expect(map.contains(value), "\(value) on the second node's wijk map") }
            // Logged out, nobody sees it.
            let (status, _) = try await secondNode.get("/indicatoren/gm0363_speeltuinbezoek")
            #expect(status == 404)
        } catch {
            await driver.stop()
            throw error
        }
        await driver.stop()
    }

    func define(_ driver: WebDriver, base: String, csv: String) async throws {
        try await driver.open(base + "/inloggen")
        try await driver.type("#gebruikersnaam", "anna@amsterdam.nl")
        try await driver.type("#wachtwoord", "een-goed-wachtwoord")
        try await driver.click("form.stacked button[type=submit]")
        try await driver.open(base + "/gemeenten/GM0363/concepten")
        try await driver.click("a[href='/gemeenten/GM0363/eigen-indicatoren']")
        #expect(try await driver.source().contains("Nieuwe eigen indicator"))

        try await driver.type("#veld-code", "speeltuinbezoek")
        try await driver.type("#veld-naam", "Bezoek aan bemande speeltuinen")
        try await driver.type("#veld-definitie", "Bezoeken aan de bemande speeltuinen van de wijk in een kalenderjaar.")
        try await driver.click("#veld-eenheid option[value='aantal']")
        try await driver.type("#veld-decimalen", "0")
        try await driver.type("#veld-peilmoment", "kalenderjaar")
        try await driver.type("#veld-leeftijd", "4–12 jaar")
        try await driver.click("#veld-aggregatie option[value='som']")
        try await driver.type("#veld-bron-uitgever", "Gemeente Amsterdam")
        try await driver.type("#veld-bron-tabel", "Turflijsten speeltuinen")
        try await driver.type("#veld-bron-titel", "Bezoek bemande speeltuinen")
        try await driver.type("#veld-rol-waarom", "Buiten spelen met andere kinderen is de vrije tijd zelf.")
        try await driver.click("#veld-sferen-vrijetijd")
        try await driver.click("#veld-perspectieven-aanbod")
        try await driver.click("#veld-kennisvragen-staat")
        try await driver.type("#veld-toelichting", "Waar kinderen samen spelen, leren ze de buurt kennen.")
        try await driver.type("#veld-gebruiksvoorbeelden", "Vergelijk de wijken")
        try await driver.type("#veld-kanttekeningen", "Telt bezoeken, geen kinderen.")
        try await driver.type("#veld-meetlast-minuten-per-respondent", "2,5")
        try await driver.type("#veld-meetlast-respondenten-per-periode", "12")
        try await driver.type("#veld-meetlast-aanname", "Twaalf speeltuinwerkers turven elke dag.")
        try await driver.click("form.local-indicator button[type=submit]")

        // One usage example is one too few: the catalogue's message, at the field, with everything else still filled in.
        let refused = try await driver.source()
        #expect(refused.contains("verwacht ten minste 2 ingevulde onderdelen, gevonden 1"))
        #expect(refused.contains("aria-describedby=\"veld-gebruiksvoorbeelden-hint veld-gebruiksvoorbeelden-fout\""), "the message is tied to its field")
        #expect(refused.contains("value=\"Bezoek aan bemande speeltuinen\""), "what was typed stays")
        try await driver.type("#veld-gebruiksvoorbeelden", "Vergelijk de wijken\nVolg het bezoek na de verbouwing")
        try await driver.click("form.local-indicator button[type=submit]")
        #expect(try await driver.currentURL().contains("/gemeenten/GM0363/eigen-indicatoren/"), "the concept's page")
        #expect(try await driver.source().contains("concept"))
        try await driver.click("form[action$='/publiceren'] button")
        #expect(try await driver.source().contains("Gepubliceerd"))

        // Figures through the drafts page, as for any indicator.
        try await driver.open(base + "/gemeenten/GM0363/concepten")
        try await driver.keys("#bestand", csv)
        try await driver.click("form.stacked button[type=submit]")
        let uploaded = try await driver.currentURL()
        #expect(uploaded.contains("/gemeenten/GM0363/concepten/"), "\(uploaded)")
        try await driver.click("form[action$='/publiceren'] button")
        #expect(try await driver.source().contains("Gepubliceerd als import"))
        try await driver.open(base + "/kaart/gm0363_speeltuinbezoek?niveau=wijk&gemeente=GM0363")
        #expect(try await driver.source().contains(">85<"))
    }
}
