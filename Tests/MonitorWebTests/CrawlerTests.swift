import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
@testable import MonitorWeb
import Mustache
import Testing

/// No dead ends (issue 18, item 9): every page reachable from `/` — anonymously and as an analist — has no empty `href`
/// and no link that answers 404 or a server error.
@Suite("Geen doodlopende links")
struct CrawlerTests {
    /// The links of a page: `href` values, entity-decoded, without fragments; nil for an empty one.
    static func links(in html: String) -> (links: [String], empty: Int) {
        var links: [String] = []
        var empty = 0
        var rest = html[...]
        while let range = rest.range(of: "href=\"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let raw = String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
            rest = rest[end...]
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { empty += 1; continue }
            links.append(raw)
        }
        return (links, empty)
    }

    /// Walks the site breadth-first from `/`; returns the problems found and the number of pages read.
    /// Links to the other language (`?lang=…`) are checked on every page but not followed: following one would switch the
    /// walk's language (a cookie). The site is walked in each language on its own.
    static func crawl(_ client: any TestClientProtocol, as visitor: Browser, language: Language = .nl, limit: Int = 3_000) async throws -> (problems: [String], pages: Int) {
        var visitor = visitor
        var queue = ["/"]
        var seen: Set<String> = ["/"]
        var problems: [String] = []
        var pages = 0
        while !queue.isEmpty, pages < limit {
            let path = queue.removeFirst()
            let response = try await visitor.get(client, path)
            pages += 1
            if response.status == .notFound || response.status.code >= 500 {
                problems.append("\(response.status.code) \(path)")
                continue
            }
            // HEAD answers as GET does, without a body (every fourth page: the walk stays quick).
            if pages % 4 == 1 {
                let head = try await client.execute(uri: path, method: .head, headers: visitor.cookieHeader, body: nil)
                if head.status != response.status || head.body.readableBytes != 0 {
                    problems.append("HEAD \(path): \(head.status.code) met \(head.body.readableBytes) bytes (GET: \(response.status.code))")
                }
            }
            guard response.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
            // Every page is named "‹onderwerp› — Monitor pedagogische basis" (the home page just the name), in its language.
            let html = response.text
            let name = language == .nl ? "Monitor pedagogische basis" : "Pedagogical basis monitor"
            if !html.contains("<html lang=\"\(language.rawValue)\">") { problems.append("geen lang=\"\(language.rawValue)\" op \(path)") }
            let other: Language = language == .nl ? .en : .nl
            if !html.contains("hreflang=\"\(other.rawValue)\">\(other.ownName)</a>") || !html.contains("lang=\(other.rawValue)\"") {
                problems.append("geen link naar \(other.ownName) op \(path)")
            }
            if let open = html.range(of: "<title>"), let close = html.range(of: "</title>", range: open.upperBound..<html.endIndex) {
                let title = String(html[open.upperBound..<close.lowerBound])
                if title != name && !(title.hasSuffix(" — " + name) && title.count > name.count + 4) {
                    problems.append("titel \"\(title)\" op \(path)")
                }
            } else {
                problems.append("geen <title> op \(path)")
            }
            let (links, empty) = Self.links(in: html)
            if empty > 0 { problems.append("\(empty)× href=\"\" op \(path)") }
            for link in links {
                guard link.hasPrefix("/"), !link.hasPrefix("//") else { continue }  // other sites, mailto
                let target = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                // Logging out is a form, not a link; following a logout link would end the walk's session.
                guard !target.isEmpty, !target.hasPrefix(SiteRoute.logout.path), !target.contains("lang="), seen.insert(target).inserted else { continue }
                queue.append(target)
            }
        }
        return (problems, pages)
    }

    /// One walk checks two things on every page: no dead link (anonymous, analist, beheerder), and every tag a template
    /// uses names a stored property of its view model (``TemplateAudit``) — also on the figure pages of a loaded store.
    @Test func everyPageReachableFromTheHomePageHasNoDeadLinkAndNoTemplateFieldWithoutAProperty() async throws {
        TemplateAudit.shared.enable()
        // The figure pages of a loaded store first: a template is audited in its first renders.
        try await withApp { client in
            var visitor = Browser()
            for path in ["/", "/gemeenten", "/gemeenten/GM0363", "/wijken/WK0363AA", "/buurten/BU0363AA01", "/gemeenten/GM0363/vergelijkbaar",
                         "/indicatoren", "/indicatoren/inwoners", "/indicatoren/jeugdzorg_in_natura_pct", "/indicatoren/inwoners/versies?gebied=GM0363&periode=2023",
                         "/kaart/inwoners", "/kaart/jeugdzorg_in_natura_pct?niveau=wijk&gemeente=GM0363", "/lantaarnpaal", "/lantaarnpaal?gemeente=GM0363",
                         "/meetlast", "/privacy", "/gemeenten/GM0363/rapport", "/jeugdzorg/verwacht", "/jeugdzorg/model", "/zoeken?q=opvoeden",
                         "/evaluaties", "/documenten", "/deze-pagina-bestaat-niet"] {
                let response = try await visitor.get(client, path)
                #expect(response.status == .ok || path == "/deze-pagina-bestaat-niet", "\(path): \(response.status)")
            }
        }
        try await AccountWorld.with { client, world in
            // Each walk in Dutch and, at the same time, in English (the language cookie): every page in English, and no text
            // of the interface without its translation in the message catalogue.
            async let dutchWalk = Self.crawl(client, as: Browser())
            async let englishWalk = Self.crawl(client, as: Browser(cookies: [LanguageMiddleware.cookie: "en"]), language: .en)
            let (anonymous, english) = try await (dutchWalk, englishWalk)
            #expect(anonymous.problems.isEmpty, "anoniem: \(anonymous.problems.prefix(20).joined(separator: "; "))")
            #expect(anonymous.pages > 150, "the walk read \(anonymous.pages) pages")
            #expect(english.problems.isEmpty, "anoniem, Engels: \(english.problems.prefix(20).joined(separator: "; "))")
            #expect(english.pages == anonymous.pages, "the same pages in both languages (\(english.pages) against \(anonymous.pages))")
            let analist = try await Browser.loggedIn(client, as: world.analist.username)
            var englishAnalist = analist  // the same session, another language
            englishAnalist.cookies[LanguageMiddleware.cookie] = "en"
            async let dutchLoggedWalk = Self.crawl(client, as: analist)
            async let englishLoggedWalk = Self.crawl(client, as: englishAnalist, language: .en)
            let (logged, englishLogged) = try await (dutchLoggedWalk, englishLoggedWalk)
            #expect(logged.problems.isEmpty, "analist: \(logged.problems.prefix(20).joined(separator: "; "))")
            #expect(logged.pages > anonymous.pages, "an analist reaches more pages (\(logged.pages) against \(anonymous.pages))")
            #expect(englishLogged.problems.isEmpty, "analist, Engels: \(englishLogged.problems.prefix(20).joined(separator: "; "))")
            let untranslated = Messages.missing.sorted()
            #expect(untranslated.isEmpty, "\(untranslated.count) teksten zonder Engels: \(untranslated.prefix(30).joined(separator: " | "))")
            // The beheerder's own pages.
            var beheerder = try await Browser.loggedIn(client, as: world.beheerder.username)
            for path in [SiteRoute.accounts.path, SiteRoute.account(world.analist.id).path, SiteRoute.audit.path, SiteRoute.ggdMapping.path,
                         SiteRoute.documentRules.path, SiteRoute.localIndicator("GM0363", world.amsterdamPublishedIndicator.id).path] {
                let response = try await beheerder.get(client, path)
                #expect(response.status == .ok, "beheerder: \(path): \(response.status)")
            }
        }
        let unresolved = TemplateAudit.shared.unresolved
        #expect(TemplateAudit.shared.renders > 100, "pages rendered through the audit: \(TemplateAudit.shared.renders)")
        #expect(unresolved.isEmpty, "template fields without a property: \(unresolved.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.sorted().joined(separator: ", "))" }.joined(separator: "; "))")
    }

    @Test func theAuditFindsAFieldTheViewModelLacks() throws {
        struct Row { var name: String; var url: String? }
        struct Page { var title: String; var rows: [Row]; var hidden: String { "computed" } }
        let audit = TemplateAudit()
        let library = MustacheLibrary(templates: ["t": try MustacheTemplate(string: "{{title}}{{#rows}}{{name}}{{url}}{{adres}}{{/rows}}{{hidden}}{{^rows}}{{leeg}}{{/rows}}")])
        let html = audit.render(Page(title: "T", rows: [Row(name: "a", url: nil)]), chrome: .anonymous, template: "t", with: library)
        #expect(html == "Ta")
        #expect(audit.unresolved["t"] == ["adres", "hidden"], "a typo and a computed property; an optional that is nil is known")
    }

    /// A hand-written lookup (FastLookup.swift) that forgets a field is what left six links on every profile empty:
    /// the audit follows the lookup, as the real render does, and names the gap.
    @Test func theAuditFindsAFieldAHandWrittenLookupForgets() throws {
        struct Row: MustacheParent {
            var name: String
            var url: String
            var note: String?
            func child(named key: String) -> Any? {
                switch key {
                case "name": name
                case "note": note as Any?
                default: nil  // `url` forgotten
                }
            }
        }
        struct Page { var rows: [Row] }
        let audit = TemplateAudit()
        let library = MustacheLibrary(templates: ["t": try MustacheTemplate(string: "{{#rows}}<a href=\"{{url}}\">{{name}}</a>{{note}}{{/rows}}")])
        let html = audit.render(Page(rows: [Row(name: "a", url: "/a", note: nil)]), chrome: .anonymous, template: "t", with: library)
        #expect(html == "<a href=\"\">a</a>", "what a visitor would get")
        #expect(audit.unresolved["t"]?.contains { $0.hasSuffix(".url (lookup)") } == true, "\(audit.unresolved)")
        #expect(audit.unresolved["t"]?.contains { $0.contains("note") } != true, "a nil optional is no gap")
    }

    @Test func everyTemplateOfAPageIsCheckedAtStartup() throws {
        let directory = try #require(resourcePath("Templates/pages"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }
        let pages = Set(files.map { "pages/" + $0.dropLast(".mustache".count) })
        #expect(pages.subtracting(PageRenderer.requiredTemplates).isEmpty, "not in requiredTemplates: \(pages.subtracting(PageRenderer.requiredTemplates).sorted())")
    }

    @Test func theLinkReaderFindsEmptyHrefs() {
        let (links, empty) = Self.links(in: #"<a href="">x</a> <a href="/a?b=1&amp;c=2#d">y</a> <a href=" ">z</a>"#)
        #expect(links == ["/a?b=1&c=2#d"] && empty == 2)
    }
}

/// The hand-written lookups of `Figures/FastLookup.swift` answer every stored field of their type: a field they miss
/// renders as nothing (the six empty links of the gemeente profile were one).
@Suite("Snelle sjabloonvelden volledig")
struct FastLookupTests {
    /// Every stored property (by reflection) that has a value is also answered by name.
    static func missing(_ value: some MustacheParent) -> [String] {
        Mirror(reflecting: value).children.compactMap { child in
            guard let label = child.label else { return nil }
            let mirror = Mirror(reflecting: child.value)
            let isNil = mirror.displayStyle == .optional && mirror.children.isEmpty
            return !isNil && value.child(named: label) == nil ? label : nil
        }
    }

    @Test func everyFastLookupAnswersEveryField() async throws {
        let store = try await TestStore.shared()
        let renderer = try await PageRenderer.load()
        let controller = AreaController(store: store, renderer: renderer, peerFinder: PeerController(store: store, renderer: renderer))
        let gemeente = try await controller.profile("GM0363", kind: .gemeente, childIndicator: nil, childPeriod: nil, catalog: store.catalog)
        let wijk = try #require(gemeente.children.first?.code.rawValue)
        for code in ["GM0363", wijk] {
            let profile = try await controller.profile(code, kind: AreaCode(code)!.kind, childIndicator: nil, childPeriod: nil, catalog: store.catalog)
            let page = AreaShowPage(profile: profile, catalog: store.catalog)
            #expect(Self.missing(page).isEmpty, "AreaShowPage \(code): \(Self.missing(page))")
            let rows = page.sections.flatMap(\.rows)
            #expect(!rows.isEmpty)
            for section in page.sections { #expect(Self.missing(section).isEmpty, "Section: \(Self.missing(section))") }
            for row in rows {
                #expect(Self.missing(row).isEmpty, "FigureRow \(row.indicatorID): \(Self.missing(row))")
                for cell in row.comparisons { #expect(Self.missing(cell).isEmpty, "ComparisonCell: \(Self.missing(cell))") }
            }
            for child in page.childTable?.rows ?? [] { #expect(Self.missing(child).isEmpty, "ChildRow: \(Self.missing(child))") }
        }
        #expect(Self.missing(MunicipalityIndexPage.Row(name: "a", code: "GM0001", url: "/", provincie: "p", ggd: "g", inhabitants: "1")).isEmpty)
        #expect(Self.missing(IndicatorShowPage.Row(name: "a", code: "GM0001", url: "/", value: "1", hasValue: true, origin: "o",
                                                   revision: "r", versionsURL: "/v")).isEmpty)
        #expect(Self.missing(MapPage.Row(name: "a", code: "GM0001", url: "/", value: "1", hasValue: true)).isEmpty)
    }
}
