import Foundation
import HummingbirdTesting
import Monitor
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Every page type in a real headless Chromium, anonymous and logged in: no page is wider than the screen at 320, 375,
/// 768, 1024 and 1280 px (WCAG 1.4.10 reflow), and axe-core 4.x finds no violation of WCAG 2.1 A and AA at 375 and
/// 1280 px — in Dutch and in English (the browser's language). The pages are those of ``PageSnapshotTests`` (which name
/// every template), served on a real port.
///
/// axe-core is not a Swift package: `.ci/run` takes `axe.min.js` from PyPI's `axe-playwright-python` and names it in
/// `PBMONITOR_AXE_JS`. Without it this suite checks reflow only (and fails in CI). An error of axe itself — an older
/// axe that does not know the wcag21 tags, say — fails the test; it is never read as "no violations".
@Suite("Toegankelijkheid in een echte browser", .serialized, .timeLimit(.minutes(20)))
struct AccessibilityBrowserTests {
    static let widths = [320, 375, 768, 1024, 1280]
    static let axeWidths: Set<Int> = [375, 1280]
    static let tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

    static var axeScript: String? {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["PBMONITOR_AXE_JS"], let script = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return script
    }

    struct Finding: CustomStringConvertible {
        let page: String
        let width: Int
        let what: String
        var description: String { "\(page) @\(width)px: \(what)" }
    }

    /// What one page at one width shows: its overflow and axe's violations (rule, impact, nodes).
    struct Result {
        var findings: [Finding] = []
        var violationsPerPage: [String: Int] = [:]
    }

    @Test func everyPageTypeFitsTheScreenAndPassesAxe() async throws {
        guard let chromium = WebDriver.chromium, let chromedriver = WebDriver.chromedriver else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("Chromium of chromedriver ontbreekt; .ci/run installeert ze") }
            return
        }
        let axe = Self.axeScript
        if axe == nil && (ProcessInfo.processInfo.environment["CI"] != nil || ProcessInfo.processInfo.environment["PBMONITOR_AXE_JS"] != nil) {
            Issue.record("PBMONITOR_AXE_JS ontbreekt; .ci/run haalt axe.min.js uit axe-playwright-python")
        }
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await AccountWorld.with(clock: PageSnapshotTests.moment, setup: .live) { client, world in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            var result = Result()
            for language in Language.allCases {
                let driver = try await WebDriver.start(chromedriver: chromedriver, chromium: chromium,
                                                       profile: directory.appendingPathComponent("profiel-\(language.rawValue)").path,
                                                       language: language.rawValue)
                do {
                    let anonymous = PageSnapshotTests.figurePages + PageSnapshotTests.respondentPages
                    for shot in anonymous {
                        try await Self.check(driver, base + shot.path(world), name: shot.name, language: language, axe: axe, into: &result)
                    }
                    for (shots, account) in [(PageSnapshotTests.analistPages, world.analist.username),
                                             (PageSnapshotTests.beheerderPages, world.beheerder.username)] {
                        try await Self.logIn(driver, base: base, username: account)
                        for shot in shots {
                            try await Self.check(driver, base + shot.path(world), name: shot.name, language: language, axe: axe, into: &result)
                        }
                        // The figure pages look different with a menu of one's own records.
                        try await Self.check(driver, base + SiteRoute.municipality("GM0363").path, name: "gemeente (\(account))", language: language,
                                             axe: axe, into: &result)
                        try await driver.command("DELETE", "/cookie")
                    }
                    await driver.stop()
                } catch {
                    await driver.stop()
                    throw error
                }
            }
            return result
        }
        let summary = result.violationsPerPage.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        print("axe-core: overtredingen per pagina (som over 375 en 1280 px): \(summary)")
        let findings = result.findings.map(\.description).joined(separator: "\n")
        #expect(result.findings.isEmpty, "\(result.findings.count) bevindingen:\n\(findings)")
    }

    static func logIn(_ driver: WebDriver, base: String, username: String) async throws {
        try await driver.open(base + SiteRoute.login.path)
        try await driver.type("input[name=gebruikersnaam]", username)
        try await driver.type("input[name=wachtwoord]", AccountWorld.password)
        try await driver.click("form.stacked button[type=submit]")
    }

    static func check(_ driver: WebDriver, _ url: String, name: String, language: Language, axe: String?, into result: inout Result) async throws {
        let name = "\(name) [\(language.rawValue)]"
        try await driver.resize(width: Self.widths[0], height: 900)
        try await driver.open(url)
        // The browser's language chose the page's.
        let shown = try await driver.execute("return document.documentElement.lang;") as? String
        if shown != language.rawValue { result.findings.append(Finding(page: name, width: 0, what: "lang=\"\(shown ?? "")\", verwacht \(language.rawValue)")) }
        var violations = 0
        for width in Self.widths {
            try await driver.resize(width: width, height: 900)
            // What sticks out: the page's own width beyond the viewport, and the elements that reach past it (not those
            // inside a box that scrolls by itself, which WCAG allows for data tables and maps).
            let overflow = try await driver.execute("""
                const vw = document.documentElement.clientWidth;
                const wide = document.documentElement.scrollWidth;
                if (wide <= vw) return null;
                const culprits = [];
                for (const e of document.body.querySelectorAll('*')) {
                  const r = e.getBoundingClientRect();
                  if (r.right <= vw + 1 || r.width === 0) continue;
                  let inScroller = false;
                  for (let p = e.parentElement; p; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') { inScroller = true; break; }
                  }
                  if (inScroller) continue;
                  if (e.parentElement && e.parentElement.getBoundingClientRect().right > vw + 1) continue;
                  culprits.push(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(r.right) + 'px');
                  if (culprits.length >= 4) break;
                }
                return wide + 'px breed (scherm ' + vw + '): ' + culprits.join(', ');
                """) as? String
            if let overflow { result.findings.append(Finding(page: name, width: width, what: overflow)) }
            guard let axe, Self.axeWidths.contains(width) else { continue }
            try await driver.execute(axe)
            let answer = try await driver.executeAsync("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
                  .then(r => done({version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                    target: String(v.nodes[0] && v.nodes[0].target)}))}))
                  .catch(e => done({error: String(e)}));
                """, [Self.tags]) as? [String: Any]
            guard let answer, answer["error"] == nil, let found = answer["violations"] as? [[String: Any]] else {
                Issue.record("axe gaf een fout op \(name) @\(width)px: \(String(describing: answer))")
                continue
            }
            if let version = answer["version"] as? String, !version.hasPrefix("4.") { Issue.record("axe-core \(version): 4.x verwacht") }
            violations += found.count
            for violation in found {
                result.findings.append(Finding(page: name, width: width, what: "axe \(violation["id"] ?? "?") (\(violation["impact"] ?? "?"), "
                                                + "\(violation["nodes"] ?? 0) elementen, o.a. \(violation["target"] ?? ""))"))
            }
        }
        result.violationsPerPage[name] = violations
    }
}
