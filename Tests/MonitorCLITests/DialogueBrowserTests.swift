import Foundation
import MonitorTestSupport
import Testing

/// A real browser driven through its forms (W3C WebDriver to chromedriver, no extra libraries): an analist
/// logs in, starts a duidingsgesprek from a wijk's figure page, fills in the four questions and two actions,
/// publishes, and finds it on the figure page and in the JSON.
@Suite("Browser: een duidingsgesprek invullen", .timeLimit(.minutes(4)))
struct DialogueBrowserTests {
    static var chromedriver: String? {
        ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func anAnalistFillsInADuidingsgesprekThroughTheFormsAndPublishesIt() async throws {
        guard let chromium = BrowserTests.chromium, let driverPath = Self.chromedriver else {
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

/// Just enough of the W3C WebDriver protocol to drive forms: open, find, type, click, read.
final class WebDriver: @unchecked Sendable {
    let process: Process
    let base: String
    let session: String
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    init(process: Process, base: String, session: String) {
        self.process = process
        self.base = base
        self.session = session
    }

    static func start(chromedriver: String, chromium: String, profile: String) async throws -> WebDriver {
        let port = CommandRunner.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<100 {
            if (try? await request("GET", base + "/status", nil)) != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": chromium, "args": ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
                                                                "--window-size=1200,2000"]],
        ]]]
        let answer = try await request("POST", base + "/session", capabilities)
        guard let value = answer["value"] as? [String: Any], let session = value["sessionId"] as? String else {
            process.terminate()
            throw DriverError.failed("geen sessie: \(answer)")
        }
        return WebDriver(process: process, base: base, session: session)
    }

    enum DriverError: Error { case failed(String) }

    /// One WebDriver call through curl (FoundationNetworking's client fails on chromedriver's session answer),
    /// awaited without blocking a thread, with curl's own time limit.
    static func request(_ method: String, _ url: String, _ body: [String: Any]?) async throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = ["-s", "--max-time", "90", "-X", method, url]
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("webdriver-\(UUID().uuidString).json")
        if let body {
            try JSONSerialization.data(withJSONObject: body).write(to: bodyFile)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + bodyFile.path]
        }
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("webdriver-\(UUID().uuidString).out")
        arguments += ["-o", outputFile.path]
        defer { try? FileManager.default.removeItem(at: outputFile) }
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // Polled, not a continuation resumed by `terminationHandler`: a handler that never fired left a timed-out
        // browser test suspended for ever, and with it the whole `swift test` run (every thread idle; issue 17).
        // Task.sleep also ends the wait when the test's time limit cancels it.
        try process.run()
        let deadline = Date().addingTimeInterval(100)
        do {
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        } catch {
            process.terminate()
            throw error
        }
        if process.isRunning { process.terminate(); throw DriverError.failed("curl \(method) \(url): geen antwoord binnen 100 s") }
        let status = process.terminationStatus
        guard status == 0 else { throw DriverError.failed("curl \(method) \(url): \(status)") }
        let data = (try? Data(contentsOf: outputFile)) ?? Data()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
            throw DriverError.failed("\(error): \(value["message"] ?? "")")
        }
        return object
    }

    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await Self.request(method, "\(base)/session/\(session)\(path)", body)["value"]
    }

    func open(_ url: String) async throws { try await command("POST", "/url", ["url": url]) }

    func element(_ css: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = value?[Self.elementKey] as? String else { throw DriverError.failed("niet gevonden: \(css)") }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/clear", [:])
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    /// Sends keys to an element without clearing it first (a space on a focused radio button selects it, as a keyboard user does).
    func keys(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/click", [:])
    }

    func source() async throws -> String { try await command("GET", "/source") as? String ?? "" }

    func currentURL() async throws -> String { try await command("GET", "/url") as? String ?? "" }

    /// Ends the browser session and chromedriver.
    func stop() async {
        _ = try? await Self.request("DELETE", "\(base)/session/\(session)", nil)
        _ = try? await Self.request("GET", "\(base)/shutdown", nil)
        try? await Task.sleep(for: .milliseconds(300))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
