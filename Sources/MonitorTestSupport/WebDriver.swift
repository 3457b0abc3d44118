import Foundation

/// Just enough of the W3C WebDriver protocol to drive forms: open, find, type, click, read.
public final class WebDriver: @unchecked Sendable {
    public let process: Process
    public let base: String
    public let session: String
    public static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    init(process: Process, base: String, session: String) {
        self.process = process
        self.base = base
        self.session = session
    }

    public static func start(chromedriver: String, chromium: String, profile: String, language: String = "nl") async throws -> WebDriver {
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
            // The browser's language decides the site's (`Accept-Language`): Dutch unless a test asks for another.
            "goog:chromeOptions": ["binary": chromium, "args": ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
                                                                "--window-size=1200,2000", "--lang=\(language)", "--accept-lang=\(language)"],
                                   "prefs": ["intl.accept_languages": language]],
        ]]]
        let answer = try await request("POST", base + "/session", capabilities)
        guard let value = answer["value"] as? [String: Any], let session = value["sessionId"] as? String else {
            process.terminate()
            throw DriverError.failed("geen sessie: \(answer)")
        }
        return WebDriver(process: process, base: base, session: session)
    }

    public enum DriverError: Error { case failed(String) }

    /// One WebDriver call through curl (FoundationNetworking's client fails on chromedriver's session answer),
    /// awaited without blocking a thread, with curl's own time limit.
    public static func request(_ method: String, _ url: String, _ body: [String: Any]?) async throws -> [String: Any] {
        var arguments = ["-X", method]
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("webdriver-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        if let body {
            try JSONSerialization.data(withJSONObject: body).write(to: bodyFile)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@" + bodyFile.path]
        }
        let (exitCode, _, data) = try await Curl.run(arguments + [url], timeout: 90)
        guard exitCode == 0 else { throw DriverError.failed("curl \(method) \(url): \(exitCode)") }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
            throw DriverError.failed("\(error): \(value["message"] ?? "")")
        }
        return object
    }

    @discardableResult
    public func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await Self.request(method, "\(base)/session/\(session)\(path)", body)["value"]
    }

    public func open(_ url: String) async throws { try await command("POST", "/url", ["url": url]) }

    public func element(_ css: String) async throws -> String {
        let value = try await command("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = value?[Self.elementKey] as? String else { throw DriverError.failed("niet gevonden: \(css)") }
        return id
    }

    public func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/clear", [:])
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    /// Sends keys to an element without clearing it first (a space on a focused radio button selects it, as a keyboard user does).
    public func keys(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/value", ["text": text])
    }

    public func click(_ css: String) async throws {
        let id = try await element(css)
        try await command("POST", "/element/\(id)/click", [:])
    }

    public func source() async throws -> String { try await command("GET", "/source") as? String ?? "" }

    public func currentURL() async throws -> String { try await command("GET", "/url") as? String ?? "" }

    /// The browser window's outer size (a phone is 375 wide; the viewport is the window less its frame, none when headless).
    public func resize(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Runs a script in the page and returns its value.
    @discardableResult
    public func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": arguments])
    }

    /// Runs a script that answers through its last argument (a callback), as `axe.run` does.
    public func executeAsync(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/async", ["script": script, "args": arguments])
    }

    /// Where Chromium and chromedriver are installed, if they are.
    public static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static var chromedriver: String? {
        ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Ends the browser session and chromedriver.
    public func stop() async {
        _ = try? await Self.request("DELETE", "\(base)/session/\(session)", nil)
        _ = try? await Self.request("GET", "\(base)/shutdown", nil)
        try? await Task.sleep(for: .milliseconds(300))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
