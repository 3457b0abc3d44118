import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// The monitor inside other places (issue 22): a card per indicator × area — an SVG for an `<img>` anywhere, and a
/// minimal HTML page for an `<iframe>` on the origins a beheerder lists (CSP `frame-ancestors`) — an oEmbed endpoint,
/// and a stable permalink per figure (indicator × area × period). Only what the privacy rule lets through is shown.
struct EmbedController: Sendable {
    let store: any SiteStore
    let renderer: PageRenderer
    let publicURL: String

    /// The card's size in CSS pixels (the SVG scales in an iframe of another width).
    static let width = 400.0, height = 176.0
    /// The iframe the oEmbed answer proposes: the card with its link line below.
    static let frameWidth = 420, frameHeight = 240

    /// What a card says, computed once for the SVG, the HTML and the permalink page.
    struct Card: Sendable {
        var indicator: Indicator
        var area: Area
        var period: String?
        var value: String
        var hasValue: Bool
        var comparison: String?
        var trend: [(period: String, value: Double)]
        var source: String
        var permalink: String
        var cardURL: String
        var observation: Observation?

        var title: String { tr("{0} — {1}", indicator.name, area.name) }
        /// Everything the card shows, in one sentence (for `aria-label` and `<title>`).
        var summary: String {
            [title, period.map { tr("periode {0}", $0) }, value, comparison, tr("bron: {0}", source)].compactMap { $0 }.joined(separator: "; ")
        }
    }

    func card(indicatorID: String, code: String, period: String?, catalog: Catalog) async throws -> Card {
        guard let indicator = catalog[indicatorID] else { throw AppError.notFound(tr("Onbekende indicator: {0}", indicatorID)) }
        guard let areaCode = AreaCode(code), let area = try await store.area(areaCode) else { throw AppError.notFound(tr("Onbekend gebied: {0}", code)) }
        let all = try await store.observations(ObservationQuery(indicator: indicator.id, areas: [areaCode])).items.sorted { $0.period < $1.period }
        let chosen: Observation?
        if let period {
            guard let found = all.first(where: { $0.period == period }) else {
                throw AppError.notFound(tr("Geen cijfer van {0} voor {1} in periode {2}.", indicator.name, area.name, period))
            }
            chosen = found
        } else {
            chosen = all.last { $0.status == .waarde && $0.value != nil } ?? all.last
        }
        let decimals = indicator.decimals
        var value = tr("nog geen cijfer")
        var comparison: String?
        var hasValue = false
        if let chosen {
            if chosen.status == .waarde, let v = chosen.value {
                value = DutchNumber.format(v, unit: indicator.unit, decimals: decimals)
                hasValue = true
                // A wijk or buurt against its gemeente, anything else against Nederland.
                let referenceCode = area.kind == .wijk || area.kind == .buurt ? areaCode.gemeente : AreaCode.nederland
                if let referenceCode, referenceCode != areaCode,
                   let reference = try await store.observations(ObservationQuery(indicator: indicator.id, areas: [referenceCode], period: chosen.period)).items.first,
                   reference.status == .waarde, let r = reference.value {
                    let name = referenceCode == AreaCode.nederland ? tr("Nederland") : (try await store.area(referenceCode))?.name ?? referenceCode.rawValue
                    comparison = tr("{0} ({1})", ComparisonWording.describe(v, against: r, referenceName: name, decimals: decimals, margin: chosen.confidenceInterval),
                                    DutchNumber.format(r, unit: indicator.unit, decimals: decimals))
                }
            } else {
                value = chosen.suppressionReason.map { tr("niet getoond: {0}", tr($0)) } ?? chosen.status.label
            }
        }
        let trend = all.compactMap { o -> (period: String, value: Double)? in
            guard o.status == .waarde, let v = o.value, v.isFinite else { return nil }
            return (o.period, v)
        }
        let shownPeriod = chosen?.period
        let permalink = shownPeriod.map { publicURL + SiteRoute.figure(indicator.id, area.code.rawValue, $0).path }
            ?? publicURL + (SiteRoute.profile(area.code.rawValue) ?? SiteRoute.indicator(indicator.id)).path
        return Card(indicator: indicator, area: area, period: shownPeriod, value: value, hasValue: hasValue, comparison: comparison, trend: trend,
                    source: [indicator.source.publisher, indicator.source.title].filter { !$0.isEmpty }.joined(separator: ", "),
                    permalink: permalink, cardURL: publicURL + SiteRoute.embedCard(indicator.id, area.code.rawValue).url([("periode", period)]),
                    observation: chosen)
    }

    /// GET `/insluiten/{indicator}/{code}` (`?periode=`): the card as a minimal HTML page, framable by the listed origins only.
    func cardPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let item = try await card(indicatorID: try context.parameters.require("indicator"), code: try context.parameters.require("code"),
                                  period: Self.period(request), catalog: context.catalog)
        let origins = try await store.embedOrigins()
        let oembed = publicURL + SiteRoute.apiOEmbed.url([("url", item.cardURL)])
        let html = """
            <!doctype html>
            <html lang="\(Language.current.rawValue)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(xmlEscape(item.title))</title>
            <link rel="alternate" type="application/json+oembed" href="\(xmlEscape(oembed))" title="\(xmlEscape(item.title))">
            </head><body><main>
            \(Self.svg(item, standalone: false))
            <p><a href="\(xmlEscape(item.permalink))" target="_blank" rel="noopener">\(xmlEscape(tr("Bekijk in de Monitor pedagogische basis")))</a>
            · \(xmlEscape(tr("Bron: {0}", item.source))) · CC BY 4.0</p>
            </main></body></html>
            """
        var response = Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.contentSecurityPolicy] = Self.policy(origins: origins)
        response.headers[.cacheControl] = "no-cache"
        return response
    }

    /// GET `/insluiten/{indicator}/{code}/kaartje.svg`: the card as an image any site may show.
    func cardImage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let item = try await card(indicatorID: try context.parameters.require("indicator"), code: try context.parameters.require("code"),
                                  period: Self.period(request), catalog: context.catalog)
        var response = Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: Self.svg(item, standalone: true))))
        response.headers[.cacheControl] = "no-cache"
        // An image is shown by other sites' pages: it may be loaded from anywhere, never run anything.
        response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        response.headers[.crossOriginResourcePolicy] = "cross-origin"
        return response
    }

    /// GET `/cijfers/{indicator}/{code}/{period}`: the stable address of one figure, with the card and how to embed it.
    func figurePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let item = try await card(indicatorID: try context.parameters.require("indicator"), code: try context.parameters.require("code"),
                                  period: try context.parameters.require("period"), catalog: context.catalog)
        let page = FigurePage(item, publicURL: publicURL, origins: try await store.embedOrigins())
        var response = renderer.response(page, chrome: context.chrome)
        response.headers[.link] = "<\(page.oembedURL)>; rel=\"alternate\"; type=\"application/json+oembed\""
        return response
    }

    /// GET `/api/v1/oembed?url=…` (oEmbed 1.0, `rich`): the iframe for a card or a figure's permalink of this site.
    func oembed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        // oEmbed asks 501 for a format the provider does not make; this API never answers a request with a 5xx (a server
        // error means a fault here), so an unknown format is a 400 that says which one there is.
        if let format = q.get("format"), !format.isEmpty, format != "json" {
            throw AppError.badRequest(parameter: "format", message: tr("Alleen format=json wordt ondersteund."))
        }
        guard let raw = q.get("url"), !raw.isEmpty else { throw AppError.badRequest(parameter: "url", message: tr("geef het adres van een kaartje of cijfer")) }
        guard let url = URL(string: raw), let base = URL(string: publicURL), url.host?.lowercased() == base.host?.lowercased(), url.port == base.port else {
            throw AppError.notFound(tr("Dit adres is geen kaartje of cijfer van deze monitor."))
        }
        let parts = url.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let period: String?
        switch (parts.first, parts.count) {
        case ("cijfers", 4): period = parts[3]
        case ("insluiten", 3):
            period = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "periode" }?.value
        default: throw AppError.notFound(tr("Dit adres is geen kaartje of cijfer van deze monitor."))
        }
        let item = try await card(indicatorID: parts[1], code: parts[2], period: period, catalog: context.catalog)
        var width = Self.frameWidth, height = Self.frameHeight
        if let text = q.get("maxwidth"), let maximum = Int(text), maximum > 0, maximum < width {
            height = max(120, height * maximum / width)
            width = maximum
        }
        if let text = q.get("maxheight"), let maximum = Int(text), maximum > 0, maximum < height { height = maximum }
        let src = publicURL + SiteRoute.embedCard(item.indicator.id, item.area.code.rawValue).url([("periode", item.period)])
        let html = #"<iframe src="\#(xmlEscape(src))" width="\#(width)" height="\#(height)" title="\#(xmlEscape(item.title))" loading="lazy" style="border:0"></iframe>"#
        return try JSONResponse.make(OEmbedBody(title: item.title, provider_url: publicURL, html: html, width: width, height: height,
                                                thumbnail_url: publicURL + SiteRoute.embedCardImage(item.indicator.id, item.area.code.rawValue).url([("periode", item.period)]),
                                                thumbnail_width: Int(Self.width), thumbnail_height: Int(Self.height)))
    }

    /// The beheerder's list of origins that may frame the cards.
    func originsForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageEmbedding, returnTo: SiteRoute.embedOrigins.path)
        let origins = try await store.embedOrigins()
        return renderer.response(EmbedOriginsPage(origins: origins, text: origins.joined(separator: "\n"), csrf: context.csrfToken), chrome: context.chrome)
    }

    /// POST `/beheer/insluiten` (`herkomsten`, one per line): replaces the list; a line that is no origin is named at the field.
    func saveOrigins(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.manageEmbedding)
        let text = context.form["herkomsten"] ?? ""
        var origins: [String] = [], problems: [(field: String, message: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !String(line).trimmedWhitespace.isEmpty {
            switch EmbedOrigin.normalise(String(line)) {
            case .success(let origin): origins.append(origin)
            case .failure(let problem): problems.append(("herkomsten", tr("regel {0}: {1}", index + 1, problem.message)))
            }
        }
        if origins.count > 50 { problems.append(("herkomsten", tr("hoogstens 50 herkomsten"))) }
        guard problems.isEmpty else {
            var page = EmbedOriginsPage(origins: try await store.embedOrigins(), text: text, csrf: context.csrfToken)
            page.feedback = FormFeedback(problems: problems, fields: EmbedOriginsPage.fields, typed: ["herkomsten": text])
            return renderer.response(page, chrome: context.chrome, status: .badRequest)
        }
        try await store.setEmbedOrigins(origins, actor: account.username)
        let saved = try await store.embedOrigins()
        var page = EmbedOriginsPage(origins: saved, text: saved.joined(separator: "\n"), csrf: context.csrfToken)
        page.message = saved.isEmpty ? tr("Opgeslagen: geen enkele andere site mag de kaartjes in een iframe tonen.")
            : tr("Opgeslagen: {0} mogen de kaartjes in een iframe tonen.", DutchNumber.list(saved))
        return renderer.response(page, chrome: context.chrome)
    }

    // MARK: Helpers

    static func period(_ request: Request) -> String? {
        guard let raw = request.uri.queryParameters.get("periode"), !raw.isEmpty else { return nil }
        return raw
    }

    /// The card's policy: the site's own rules, with framing by itself and the listed origins.
    static func policy(origins: [String]) -> String {
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; \(EmbedOrigin.frameAncestors(["'self'"] + origins)); base-uri 'none'; form-action 'self'"
    }

    /// The card in SVG with presentation attributes only (no stylesheet: it must look the same inside an `<img>`).
    static func svg(_ card: Card, standalone: Bool) -> String {
        let w = width, h = height
        func clip(_ text: String, _ count: Int) -> String { text.count <= count ? text : String(text.prefix(count - 1)) + "…" }
        let font = #"font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif""#
        let size = standalone ? #"width="\#(svgNumber(w))" height="\#(svgNumber(h))""# : #"width="100%""#
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(svgNumber(w)) \#(svgNumber(h))" \#(size) role="img" aria-label="\#(xmlEscape(card.summary))" \#(font)>"#
        s += "<title>\(xmlEscape(card.summary))</title>"
        s += ##"<rect x="0.5" y="0.5" width="\##(svgNumber(w - 1))" height="\##(svgNumber(h - 1))" rx="6" fill="#ffffff" stroke="#8a969e"/>"##
        s += ##"<text x="14" y="26" font-size="14" font-weight="700" fill="#1f2a30">\##(xmlEscape(clip(card.indicator.name, 50)))</text>"##
        let place = [card.area.name + " (" + card.area.code.rawValue + ")", card.period].compactMap { $0 }.joined(separator: " · ")
        s += ##"<text x="14" y="46" font-size="12" fill="#45525c">\##(xmlEscape(clip(place, 58)))</text>"##
        s += ##"<text x="14" y="84" font-size="\##(card.hasValue ? 30 : 16)" font-weight="700" fill="#1f2a30">\##(xmlEscape(clip(card.value, card.hasValue ? 16 : 40)))</text>"##
        if let comparison = card.comparison {
            s += ##"<text x="14" y="108" font-size="12" fill="#1f2a30">\##(xmlEscape(clip(comparison, 58)))</text>"##
        }
        // The trend: every period with a value, as a line at the right.
        if card.trend.count >= 2 {
            let left = 250.0, right = w - 14, top = 62.0, bottom = 98.0
            let values = card.trend.map(\.value)
            var low = values.min()!, high = values.max()!
            if high - low < 1e-9 { low -= 1; high += 1 }
            let points = card.trend.enumerated().map { i, p in
                (left + Double(i) / Double(card.trend.count - 1) * (right - left), bottom - (p.value - low) / (high - low) * (bottom - top))
            }
            s += ##"<polyline fill="none" stroke="#1f5f8b" stroke-width="2" points="\##(points.map { "\(svgNumber($0.0)),\(svgNumber($0.1))" }.joined(separator: " "))"/>"##
            if let last = points.last { s += ##"<circle cx="\##(svgNumber(last.0))" cy="\##(svgNumber(last.1))" r="3" fill="#1f5f8b"/>"## }
            s += ##"<text x="\##(svgNumber(left))" y="114" font-size="10" fill="#45525c">\##(xmlEscape(card.trend.first!.period))</text>"##
            s += ##"<text x="\##(svgNumber(right))" y="114" font-size="10" fill="#45525c" text-anchor="end">\##(xmlEscape(card.trend.last!.period))</text>"##
        }
        s += ##"<text x="14" y="140" font-size="10" fill="#45525c">\##(xmlEscape(clip(tr("Bron: {0}", card.source), 76)))</text>"##
        s += ##"<text x="14" y="160" font-size="10" fill="#45525c">\##(xmlEscape(clip(tr("Monitor pedagogische basis · {0}", card.permalink), 76)))</text>"##
        s += "</svg>"
        return s
    }
}

/// The oEmbed 1.0 answer (`type` rich).
struct OEmbedBody: Codable, Sendable {
    var version = "1.0"
    var type = "rich"
    var title: String
    var provider_name = "Monitor pedagogische basis"
    var provider_url: String
    var html: String
    var width: Int
    var height: Int
    var thumbnail_url: String
    var thumbnail_width: Int
    var thumbnail_height: Int
}

