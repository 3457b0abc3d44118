import Foundation
import MonitorTestSupport
import Testing

/// A questionnaire round in a real browser: an analist makes one from a template, publishes it and opens a round; then an
/// anonymous respondent (logged out, no account) follows the link, goes through the three sections page by page — back
/// and forward without losing answers, one answer given with the keyboard — and sends it.
@Suite("Browser: anoniem een vragenlijst invullen", .timeLimit(.minutes(4)))
struct QuestionnaireBrowserTests {
    @Test func anAnonymousRespondentFillsInAQuestionnairePageByPage() async throws {
        guard let chromium = BrowserTests.chromium, let driverPath = WebDriver.chromedriver else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("Chromium of chromedriver ontbreekt; .ci/run installeert ze") }
            return
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("vragenlijst.sqlite").path
        let server = try await ServerProcess(database: db, extraArguments: ["--only-gemeenten", "GM0363"])
        defer { server.stop() }
        let added = try CommandRunner.run(["user", "add", "anna@amsterdam.nl", "--rol", "analist", "--gemeenten", "GM0363", "--naam", "Anna Analist",
                                           "--wachtwoord-stdin", "--database", db], input: "een-goed-wachtwoord\n")
        #expect(added.status == 0, "\(added.stderr)")
        let driver = try await WebDriver.start(chromedriver: driverPath, chromium: chromium, profile: directory.appendingPathComponent("profiel").path)
        do {
            try await run(driver, base: server.baseURL)
        } catch {
            await driver.stop()
            throw error
        }
        await driver.stop()
    }

    func run(_ driver: WebDriver, base: String) async throws {
        try await driver.open(base + "/inloggen")
        try await driver.type("#gebruikersnaam", "anna@amsterdam.nl")
        try await driver.type("#wachtwoord", "een-goed-wachtwoord")
        try await driver.click("form.stacked button[type=submit]")
        try await driver.open(base + "/gemeenten/GM0363/vragenlijsten")
        try await driver.click("#sjabloon option[value='samenwerking-over-sferen']")
        try await driver.click("form:has(select[name='sjabloon']) button[type=submit]")
        let questionnaireURL = try await driver.currentURL()
        #expect(questionnaireURL.contains("/gemeenten/GM0363/vragenlijsten/"))
        try await driver.click("form[action$='/publiceren'] button")
        try await driver.type("#naam", "Scholen en wijkteam Haarlemmerbuurt")
        try await driver.click("#gebied option[value='WK0363AA']")
        try await driver.type("#periode", "2026")
        try await driver.click("form[action$='/ronde-openen'] button[type=submit]")
        let page = try await driver.source()
        let link = try #require(page.firstMatch(of: /http:\/\/[^"<]+\/vragenlijst\/[A-Za-z0-9_-]{32}\?code=[2-9A-Z]{5}-[2-9A-Z]{5}/).map { String($0.output) })

        // The respondent: no account.
        try await driver.open(base + "/uitloggen")
        try await driver.click("main form button[type=submit]")
        try await driver.open(link)
        var source = try await driver.source()
        #expect(source.contains("Onderdeel 1 van 3") && source.contains("Uw antwoorden zijn anoniem"))
        #expect(!source.contains("Anna Analist"), "logged out")
        try await driver.click("#sfeer-school")
        try await driver.click("#v1-4")
        try await driver.click("#v2-5")
        try await driver.keys("#v3-3", " ")
        try await driver.click("#v4-2")
        try await driver.click("button[value='verder']")
        source = try await driver.source()
        #expect(source.contains("Onderdeel 2 van 3") && source.contains("Samenwerken rond een kind"))
        try await driver.click("#v5-4")
        // Back to the first page: the answers are still there.
        try await driver.click("button[value='terug']")
        source = try await driver.source()
        #expect(source.contains("Onderdeel 1 van 3"))
        for (id, value) in [("v1", 4), ("v2", 5), ("v3", 3), ("v4", 2)] {
            #expect(try await driver.command("GET", "/element/\(try await driver.element("#\(id)-\(value)"))/selected") as? Bool == true, "\(id) = \(value) kept")
        }
        #expect(try await driver.command("GET", "/element/\(try await driver.element("#sfeer-school"))/selected") as? Bool == true)
        try await driver.click("button[value='verder']")
        #expect(try await driver.command("GET", "/element/\(try await driver.element("#v5-4"))/selected") as? Bool == true, "page 2 kept too")
        try await driver.click("#v6-4")
        try await driver.click("#v7-3")
        try await driver.click("#v8-2")
        try await driver.click("button[value='verder']")
        #expect(try await driver.source().contains("Onderdeel 3 van 3"))
        for id in ["v9", "v10", "v11"] { try await driver.click("#\(id)-4") }
        try await driver.click("#v12-0")
        try await driver.click("button[value='versturen']")
        #expect(try await driver.source().contains("Dank u wel"))
        #expect(try await driver.currentURL().hasSuffix("?verstuurd=ja"))

        // The analist sees one response (and no scores: fewer than 10).
        try await driver.open(base + "/inloggen")
        try await driver.type("#gebruikersnaam", "anna@amsterdam.nl")
        try await driver.type("#wachtwoord", "een-goed-wachtwoord")
        try await driver.click("form.stacked button[type=submit]")
        try await driver.open(questionnaireURL)
        source = try await driver.source()
        #expect(source.contains("1 reactie(s) ontvangen") && source.contains("Minder dan 10 respondenten: geen uitkomsten"),
                "\(source.components(separatedBy: "rondes-kop").dropFirst().first?.prefix(1500) ?? source.prefix(1500))")
    }
}
