import Foundation
import MonitorTestSupport
import Testing

/// A real browser driven through its forms (W3C WebDriver to chromedriver, no extra libraries): an analist
/// logs in, starts a duidingsgesprek from a wijk's figure page, fills in the four questions and two actions,
/// publishes, and finds it on the figure page and in the JSON.
@Suite("Browser: een duidingsgesprek invullen", .timeLimit(.minutes(4)))
struct DialogueBrowserTests {
    @Test func anAnalistFillsInADuidingsgesprekThroughTheFormsAndPublishesIt() async throws {
        guard let chromium = BrowserTests.chromium, let driverPath = WebDriver.chromedriver else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("Chromium of chromedriver ontbreekt; .ci/run installeert ze") }
            return
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("dialoog.sqlite").path
        let server = try await ServerProcess(database: db, extraArguments: ["--only-gemeenten", "GM0363"])
        defer { server.stop() }
        let added = try CommandRunner.run(["user", "add", "anna@amsterdam.nl", "--rol", "analist", "--gemeenten", "GM0363", "--naam", "Anna Analist",
                                           "--wachtwoord-stdin", "--database", db], input: "een-goed-wachtwoord\n")
        #expect(added.status == 0, "\(added.stderr)")
        let second = try CommandRunner.run(["user", "add", "otto@amsterdam.nl", "--rol", "deelnemer", "--gemeenten", "GM0363", "--naam", "Otto Ouder",
                                            "--wachtwoord-stdin", "--database", db], input: "nog-een-goed-wachtwoord\n")
        #expect(second.status == 0, "\(second.stderr)")

        let driver = try await WebDriver.start(chromedriver: driverPath, chromium: chromium, profile: directory.appendingPathComponent("profiel").path)
        do {
            try await fillIn(driver, base: server.baseURL)
            try await placeOnTheConversationBoard(driver, base: server.baseURL)
        } catch {
            await driver.stop()
            throw error
        }
        await driver.stop()

        // The same report as a PDF, from the command line on the same database.
        let pdf = directory.appendingPathComponent("rapport.pdf").path
        let made = try CommandRunner.run(["rapport", "GM0363", "--out", pdf, "--database", db])
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(bytes.starts(with: Array("%PDF".utf8)) && bytes.count > 50_000, "a PDF with maps (\(bytes.count) bytes)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
            let text = Process()
            text.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
            text.arguments = ["-raw", pdf, "-"]
            let out = Pipe()
            text.standardOutput = out
            try text.run()
            // Words in content order, lines joined: a table cell may wrap.
            let content = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            text.waitUntilExit()
            for phrase in ["Rapport Amsterdam", "Jeugdzorg in de Haarlemmerbuurt", "Opvoedspreekuur op twee scholen", "Consultatiebureau",
                           "Vrij toegankelijk, maar het blijft zorg", "Het hoort bij de zorg, niet bij ons dagelijks leven"] {
                #expect(content.contains(phrase), "in the PDF: \(phrase)")
            }
            // Printed with a running header and page numbers (CSS page margin boxes), and no page left with a line or two.
            #expect(content.contains("Rapport Amsterdam ·") && content.contains("pagina 1 van"), "running header and page numbers")
        } else if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("pdftotext ontbreekt; .ci/run installeert poppler-utils")
        }
    }

    /// The gespreksmodel through its forms: the analist places the consultatiebureau from the report's example and answers
    /// "twijfel"; a deelnemer answers "nee"; both answers stay visible, also in the report.
    func placeOnTheConversationBoard(_ driver: WebDriver, base: String) async throws {
        try await driver.open(base + "/gemeenten/GM0363/gespreksmodel")
        try await driver.click("a[href$='voorbeeld=consultatiebureau#nieuw']")
        try await driver.click("form.board-form button[type=submit]")
        #expect(try await driver.currentURL().contains("/gemeenten/GM0363/gespreksmodel/"), "the item's page")
        let itemURL = try await driver.currentURL()
        try await driver.click("input[name='antwoord'][value='twijfel']")
        try await driver.type("#waarom", "Vrij toegankelijk, maar het blijft zorg")
        try await driver.type("#functie", "beleidsadviseur jeugd")
        try await driver.click("#rol option[value='beleid']")
        try await driver.click("form.board-answer button[type=submit]")
        try await driver.click("form[action$='/publiceren'] button")
        #expect(try await driver.source().contains("Gepubliceerd"))

        try await driver.open(base + "/uitloggen")
        try await driver.click("main form button[type=submit]")
        try await driver.open(base + "/inloggen")
        try await driver.type("#gebruikersnaam", "otto@amsterdam.nl")
        try await driver.type("#wachtwoord", "nog-een-goed-wachtwoord")
        try await driver.click("form.stacked button[type=submit]")
        try await driver.open(itemURL)
        try await driver.click("input[name='antwoord'][value='nee']")
        try await driver.type("#waarom", "Het hoort bij de zorg, niet bij ons dagelijks leven")
        try await driver.click("#rol option[value='ouder']")
        try await driver.click("form.board-answer button[type=submit]")
        let answered = try await driver.source()
        #expect(answered.contains("1 × nee, 1 × twijfel — de meningen verschillen"))

        try await driver.open(base + "/gemeenten/GM0363/rapport")
        let report = try await driver.source()
        for phrase in ["Jeugdzorg in de Haarlemmerbuurt", "Brugfunctionaris aanstellen", "Vrij toegankelijk, maar het blijft zorg",
                       "Het hoort bij de zorg, niet bij ons dagelijks leven", "de meningen verschillen"] {
            #expect(report.contains(phrase), "in the report: \(phrase)")
        }
    }

    func fillIn(_ driver: WebDriver, base: String) async throws {

        try await driver.open(base + "/inloggen")
        try await driver.type("#gebruikersnaam", "anna@amsterdam.nl")
        try await driver.type("#wachtwoord", "een-goed-wachtwoord")
        try await driver.click("form.stacked button[type=submit]")
        #expect(try await driver.source().contains("Anna Analist"), "logged in: the menu shows the name")

        // From the figure page of a wijk.
        try await driver.open(base + "/wijken/WK0363AA")
        try await driver.click("#duiding a[href^='/gemeenten/GM0363/duiding/nieuw']")
        #expect(try await driver.currentURL().contains("/gemeenten/GM0363/duiding/nieuw?gebied=WK0363AA"))
        try await driver.type("#titel", "Jeugdzorg in de Haarlemmerbuurt")
        try await driver.click("#figuur-indicator-1 option[value='jeugdzorg_in_natura_pct']")
        try await driver.type("#figuur-periode-1", "2023")
        try await driver.type("#deelnemers-ouder", "4")
        try await driver.type("#deelnemers-professional", "3")
        try await driver.click("input[name='sferen-professional'][value='school']")
        try await driver.type("#deelnemers-beleid", "1")
        try await driver.click("input[name='luistert-beleid']")
        let answers = ["herkennen": "Ja, dit herkennen we in de buurt.", "verklaren": "Weinig lichte steun dichtbij.",
                       "waarderen": "Zorgelijk, vinden de ouders.", "verbeteren": "Een opvoedspreekuur op school."]
        for (question, answer) in answers {
            try await driver.type("#vraag-\(question)-ouder", answer)
            try await driver.click("#eens-\(question) option[value='\(question == "waarderen" ? "oneens" : "eens")']")
        }
        try await driver.type("#conclusies", "We herkennen het beeld; lichte steun ontbreekt.")
        try await driver.type("#actie-wat-1", "Opvoedspreekuur op twee scholen")
        try await driver.type("#actie-wie-1", "jeugdgezondheidszorg")
        try await driver.type("#actie-wat-2", "Brugfunctionaris aanstellen")
        try await driver.type("#actie-wie-2", "gemeente")
        try await driver.click("#actie-status-2 option[value='bezig']")
        try await driver.click("form.dialogue button[type=submit]")

        let concept = try await driver.source()
        #expect(concept.contains("status: <strong>concept</strong>"), "saved as a concept")
        try await driver.click("form[action$='/publiceren'] button")
        let published = try await driver.source()
        #expect(published.contains("Gepubliceerd"))
        for text in ["Herkennen we het beeld?", "Ja, dit herkennen we in de buurt.", "Opvoedspreekuur op twee scholen", "Brugfunctionaris aanstellen",
                     "4 ouders", "Luisterden: 1 beleid"] {
            #expect(published.contains(text), "\(text)")
        }
        try await driver.open(base + "/wijken/WK0363AA")
        #expect(try await driver.source().contains("Jeugdzorg in de Haarlemmerbuurt"), "on the figure page it is about")
        try await driver.open(base + "/api/v1/gemeenten/GM0363/duiding")
        #expect(try await driver.source().contains("Brugfunctionaris aanstellen"))
    }
}
