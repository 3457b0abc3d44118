import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// Issue 21, item 9: every text of the interface through one message catalogue (Dutch the source, English complete), the
/// language chosen by a link, kept in a cookie, `Accept-Language` as the default; numbers and dates per language.
@Suite("Taal: Nederlands en Engels")
struct LanguageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("Sources/MonitorWeb/Resources/Templates").path

    /// The catalogue as the app reads it.
    static func english() throws -> [String: String] { try MessageCatalog.load() }

    /// Every `tr("…")` of the sources, as the text it is at run time (escapes read), with the file it is in.
    static func codeTexts() throws -> [(text: String, file: String)] {
        var found: [(text: String, file: String)] = []
        let sources = root.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for match in line.matches(of: /\btr\("((?:[^"\\]|\\.)*)"/) {
                    found.append((unescape(String(match.output.1)), url.lastPathComponent))
                }
            }
        }
        return found
    }

    /// Every string literal of the sources (escapes read), also those inside another's interpolation: a catalogue entry
    /// must be one of them or a template's text.
    static func literals() throws -> Set<String> {
        var found: Set<String> = []
        let walker = try #require(FileManager.default.enumerator(at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil))
        for case let url as URL in walker where url.pathExtension == "swift" {
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                var index = line.startIndex
                while index < line.endIndex {
                    if line[index] == "\"" { index = literal(in: line, from: index, into: &found) } else { index = line.index(after: index) }
                }
            }
        }
        return found
    }

    /// Reads the literal that opens at `start` (a `"`), with the literals of its interpolations; returns where it ends.
    static func literal(in line: Substring, from start: Substring.Index, into found: inout Set<String>) -> Substring.Index {
        var index = line.index(after: start)
        var text = ""
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" {
                found.insert(Messages.key(unescape(text)))
                return line.index(after: index)
            }
            if character == "\\", line.index(after: index) < line.endIndex {
                let next = line.index(after: index)
                if line[next] == "(" {
                    // An interpolation: its literals count too.
                    var depth = 1
                    index = line.index(after: next)
                    while index < line.endIndex, depth > 0 {
                        switch line[index] {
                        case "\"": index = literal(in: line, from: index, into: &found); continue
                        case "(": depth += 1
                        case ")": depth -= 1
                        default: break
                        }
                        index = line.index(after: index)
                    }
                    continue
                }
                text.append(character)
                text.append(line[next])
                index = line.index(after: next)
                continue
            }
            text.append(character)
            index = line.index(after: index)
        }
        return index
    }

    static func unescape(_ literal: String) -> String {
        var result = ""
        var escaped = false
        for character in literal {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// The texts of the indicator catalogue a visitor reads (``Catalog/localized(to:)`` translates these).
    static func catalogueTexts() throws -> [(text: String, indicator: String)] {
        let catalog = try CatalogLoader.load(directory: Fixtures.catalogDirectory)
        return catalog.indicators.flatMap { i in
            ([i.name, i.definition, i.explanation, i.referencePeriod, i.ageGroup, i.roleReason, i.burden.assumption, i.source.title]
                + i.usageExamples + i.caveats).filter { !$0.isEmpty }.map { (Messages.key($0), i.id) }
        }
    }

    static func tags(_ text: String) -> [String] { text.matches(of: /\{\{[^}]*\}\}/).map { String($0.output) }.sorted() }
    static func links(_ text: String) -> [String] { text.matches(of: /href="[^"]*"/).map { String($0.output) }.sorted() }
    static func places(_ text: String) -> [String] { text.matches(of: /\{[0-9]+\}/).map { String($0.output) }.sorted() }

    @Test func noTemplateShowsTextOutsideTheCatalogue() throws {
        var problems: [String] = []
        for (name, source) in try MessageCatalog.templateSources(in: Self.templates) {
            var rest = source.replacing(MessageCatalog.marker, with: "")
            rest = rest.replacing(/<style>.*?<\/style>/.dotMatchesNewlines(), with: "")
            rest = rest.replacing(/<!--.*?-->/.dotMatchesNewlines(), with: "")
            rest = rest.replacing(/\{\{[^}]*\}\}\}?/, with: "")
            // Texts in attributes that a visitor reads or hears.
            for match in rest.matches(of: /(placeholder|title|aria-label|alt|content)="([^"]*)"/) where match.output.2.contains(/[A-Za-zÀ-ÿ]{2,}/) {
                if match.output.1 == "content" && match.output.2.hasPrefix("width=") { continue }
                problems.append("\(name): \(match.output.1)=\"\(match.output.2)\"")
            }
            // A button's value is sent, not shown; an input button shows its value.
            for match in rest.matches(of: /<input[^>]*type="(?:submit|button|reset)"[^>]*value="([^"]*[A-Za-zÀ-ÿ]{2,}[^"]*)"/) {
                problems.append("\(name): value=\"\(match.output.1)\"")
            }
            rest = rest.replacing(/<[^>]*>/, with: " ").replacing(/&[a-z]+;|&#[0-9]+;/, with: " ")
            for word in rest.matches(of: /[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]+/) {
                problems.append("\(name): “\(word.output)”")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) texts outside {{#t}}…{{/t}}: \(problems.prefix(20).joined(separator: "; "))")
    }

    @Test func everyTextOfTheInterfaceHasItsEnglish() throws {
        let english = try Self.english()
        var missing: [String] = [], broken: [String] = []
        for (name, source) in try MessageCatalog.templateSources(in: Self.templates) {
            for text in MessageCatalog.markedTexts(in: source) {
                guard let translation = english[text] else { missing.append("\(name): \(text)"); continue }
                // The translation keeps every field and every link of the Dutch text.
                if Self.tags(text) != Self.tags(translation) || Self.links(text) != Self.links(translation) {
                    broken.append("\(name): \(text) → \(translation)")
                }
            }
        }
        for (text, file) in try Self.codeTexts() {
            guard let translation = english[Messages.key(text)] else { missing.append("\(file): \(text)"); continue }
            if Self.places(text) != Self.places(translation) { broken.append("\(file): \(text) → \(translation)") }
        }
        for (text, indicator) in try Self.catalogueTexts() where english[text] == nil { missing.append("catalog \(indicator): \(text)") }
        #expect(missing.isEmpty, "\(missing.count) texts without English: \(missing.prefix(20).joined(separator: " | "))")
        #expect(broken.isEmpty, "translations that lose a field, link or {n}: \(broken.prefix(10).joined(separator: " | "))")
        #expect(english.count > 1_500, "the catalogue has \(english.count) texts")
    }

    @Test func theCatalogueHoldsNoTextThatIsNoLongerUsed() throws {
        let english = try Self.english()
        var used = try Self.literals()
        for (_, source) in try MessageCatalog.templateSources(in: Self.templates) { used.formUnion(MessageCatalog.markedTexts(in: source)) }
        used.insert(Release.attribution)
        used.formUnion(try Self.codeTexts().map { Messages.key($0.text) })
        used.formUnion(PublicationStatus.allCases.map(\.rawValue))  // tr(status.rawValue)
        used.formUnion(try Self.catalogueTexts().map(\.text))
        let stale = english.keys.filter { !used.contains($0) }.sorted()
        #expect(stale.isEmpty, "\(stale.count) entries no template or code uses: \(stale.prefix(20).joined(separator: " | "))")
    }

    @Test func theBrowsersLanguageIsReadByQuality() {
        #expect(Language.preferred(acceptLanguage: "en-GB,en;q=0.9") == .en)
        #expect(Language.preferred(acceptLanguage: "de-DE, en;q=0.5, nl;q=0.8") == .nl)
        #expect(Language.preferred(acceptLanguage: "fr, de") == nil, "a language the site lacks leaves the default")
        #expect(Language.preferred(acceptLanguage: "en;q=0, nl;q=0.1") == .nl, "q=0 means not this one")
        #expect(Language.preferred(acceptLanguage: "EN-us") == .en)
        #expect(Language.preferred(acceptLanguage: nil) == nil)
        #expect(Language.preferred(acceptLanguage: ";;,q=;en;q=abc") == nil, "nonsense is no preference")
    }

    @Test func numbersAndDatesFollowTheLanguage() {
        #expect(DutchNumber.format(1234.5, decimals: 1) == "1.234,5")
        #expect(DutchNumber.format(-0.44, unit: .procent, decimals: 1) == "−0,4%")
        Language.$current.withValue(.en) {
            #expect(DutchNumber.format(1234.5, decimals: 1) == "1,234.5")
            #expect(DutchNumber.format(-0.44, unit: .procent, decimals: 1) == "−0.4%")
            #expect(DutchNumber.format(2.5, unit: .per1000, decimals: 1) == "2.5 per 1,000")
            #expect(DutchNumber.format(1e20, decimals: 0) == "100,000,000,000,000,000,000")
            #expect(DutchDate.format("2026-11-29T05:12:00Z") == "29 November 2026")
        }
        #expect(DutchDate.format("2026-11-29T05:12:00Z") == "29 november 2026")
    }

    @Test func aTranslationPutsTheArgumentsInItsOwnPlaces() throws {
        _ = try PageRenderer.read()  // installs the catalogue
        #expect(tr("{0} van de {1}", 3, 5) == "3 van de 5")
        #expect(tr("{0} van de {1}", "{1}", 5) == "{1} van de 5", "an argument is not filled in again")
        Language.$current.withValue(.en) {
            #expect(tr("Onbekende gemeente: {0}", "GM9999") == "Unknown gemeente: GM9999")
            #expect(tr("hoger dan {0}", "Nederland") == "higher than Nederland")
            #expect(DutchNumber.count(1, "gebruiker", "gebruikers") == "1 user")
            #expect(DutchNumber.count(1234, "gebruiker", "gebruikers") == "1,234 users")
        }
    }

    @Test func theLanguageComesFromTheLinkTheCookieOrTheBrowser() async throws {
        try await withApp { client in
            let dutch = try await client.execute(uri: "/gemeenten/GM0363", method: .get)
            #expect(dutch.text.contains("<html lang=\"nl\">") && dutch.text.contains("Naar de inhoud"))
            #expect(dutch.text.contains("href=\"/gemeenten/GM0363?lang=en\" lang=\"en\" hreflang=\"en\">English</a>"), "a link to the same page in English")
            #expect(dutch.headers[.vary]?.contains("Accept-Language") == true)

            // The link: English, and kept in a cookie.
            let linked = try await client.execute(uri: "/gemeenten/GM0363?lang=en", method: .get)
            #expect(linked.text.contains("<html lang=\"en\">") && linked.text.contains("Skip to content"))
            #expect(linked.text.contains("hreflang=\"nl\">Nederlands</a>"))
            let cookie = linked.headers[values: .setCookie].first { $0.hasPrefix("\(LanguageMiddleware.cookie)=en") }
            #expect(cookie?.contains("Max-Age=31536000") == true && cookie?.contains("SameSite=Lax") == true, "\(cookie ?? "no cookie")")
            #expect(linked.headers[.cacheControl]?.hasPrefix("private") == true, "a shared cache does not hand the cookie to others")
            // A visitor who has the form-token cookie gets the public answer; with the language cookie it turns private.
            let again2 = try await client.execute(uri: "/gemeenten/GM0363?lang=en", method: .get, headers: [.cookie: "pbm_csrf=abc"])
            #expect(again2.headers[.cacheControl]?.hasPrefix("private") == true && again2.headers[.setCookie]?.contains("pbm_taal=en") == true,
                    "also when the answer comes from the response cache (\(again2.headers[.xCache] ?? "-"))")
            let kept = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: [.cookie: "\(LanguageMiddleware.cookie)=en"])
            #expect(kept.text.contains("<html lang=\"en\">"))

            // The browser's preference when there is no choice; a choice wins over it.
            let browser = try await client.execute(uri: "/gemeenten/GM0363", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9,nl;q=0.5"])
            #expect(browser.text.contains("<html lang=\"en\">"))
            let chosen = try await client.execute(uri: "/gemeenten/GM0363", method: .get,
                                                  headers: [.acceptLanguage: "en-GB", .cookie: "\(LanguageMiddleware.cookie)=nl"])
            #expect(chosen.text.contains("<html lang=\"nl\">"))
            let unknown = try await client.execute(uri: "/gemeenten/GM0363?lang=xx", method: .get, headers: [.acceptLanguage: "fr"])
            #expect(unknown.status == .ok && unknown.text.contains("<html lang=\"nl\">") && unknown.headers[.setCookie]?.contains("pbm_taal") != true)

            // The response cache keeps one answer per language: the English visitor never gets the Dutch bytes.
            #expect(dutch.headers[.eTag] != browser.headers[.eTag])
            let again = try await client.execute(uri: "/gemeenten/GM0363", method: .get)
            #expect(again.text.contains("<html lang=\"nl\">"))
        }
    }

    @Test func theCatalogueSpeaksEnglishButAGemeentesOwnIndicatorKeepsItsWords() async throws {
        _ = try PageRenderer.read()
        let catalog = try CatalogLoader.load(directory: Fixtures.catalogDirectory)
        let english = catalog.localized(to: .en)
        #expect(english["huishoudens_met_kinderen"]?.name == "Households with children")
        #expect(english["jeugdzorg_in_natura_pct"]?.caveats.first?.hasPrefix("A higher percentage") == true)
        #expect(english["huishoudens_met_kinderen"]?.unit == catalog["huishoudens_met_kinderen"]?.unit)
        #expect(catalog.localized(to: .nl)["huishoudens_met_kinderen"]?.name == "Huishoudens met kinderen")
        try await withApp { client in
            let page = try await client.execute(uri: "/indicatoren/jeugdzorg_in_natura_pct", method: .get, headers: [.acceptLanguage: "en"]).text
            #expect(page.contains("Young people with youth care in kind (%)") && page.contains("Caveats: what this figure does"))
        }
    }

    /// Nothing made in one language is kept for the other: a label list once held in a `static let` stayed in the language
    /// of the first page that drew it (the plattegrond's policy domains, found by CI).
    @Test func aPageInOneLanguageLeavesNothingBehindForTheOther() async throws {
        try await withApp { client in
            for round in 0..<2 {
                let english = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en"]).text
                let dutch = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "nl"]).text
                #expect(english.contains(">Anti-poverty policy</text>") && !english.contains(">Armoedebeleid</text>"), "round \(round)")
                #expect(dutch.contains(">Armoedebeleid</text>") && !dutch.contains(">Anti-poverty policy</text>"), "round \(round)")
            }
        }
    }

    @Test func englishPagesWriteNumbersTheEnglishWay() async throws {
        try await withApp { client in
            let dutch = try await client.execute(uri: "/indicatoren/inwoners", method: .get).text
            let english = try await client.execute(uri: "/indicatoren/inwoners", method: .get, headers: [.acceptLanguage: "en"]).text
            let large = dutch.matches(of: /[1-9][0-9]{0,2}(?:\.[0-9]{3})+/).map { String($0.output) }
            #expect(!large.isEmpty)
            for number in Set(large) {
                #expect(english.contains(number.replacingOccurrences(of: ".", with: ",")), "\(number) in English")
            }
        }
    }

    @Test func theAPIKeepsItsDutchKeysAndSpeaksTheLanguageInItsMessages() async throws {
        try await withApp { client in
            let dutch = try await client.execute(uri: "/api/v1/gemeenten/GM9999", method: .get)
            let english = try await client.execute(uri: "/api/v1/gemeenten/GM9999", method: .get, headers: [.acceptLanguage: "en"])
            #expect(dutch.status == .notFound && english.status == .notFound)
            #expect(dutch.text.contains("Onbekende gemeente") && english.text.contains("Unknown gemeente"), "\(english.text)")
            let figures = try await client.execute(uri: "/api/v1/gemeenten/GM0363", method: .get, headers: [.acceptLanguage: "en"])
            #expect(figures.text.contains("\"waarden\"") || figures.text.contains("\"naam\""), "Dutch keys in English: \(figures.text.prefix(200))")
        }
    }
}
