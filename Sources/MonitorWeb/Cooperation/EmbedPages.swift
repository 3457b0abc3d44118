import Foundation
import Monitor

/// View model of `pages/figure.mustache`: one figure at its permanent address.
struct FigurePage: Sendable {
    var pageTitle: String
    var indicatorName: String
    var indicatorURL: String
    var areaName: String
    var areaCode: String
    var areaURL: String
    var period: String
    var value: String
    var comparison: String?
    var version: String?
    var versionsURL: String
    var source: String
    var permalink: String
    var card: RenderedSVG
    var iframeSnippet: String
    var imageSnippet: String
    var oembedURL: String
    var origins: String?

    init(_ card: EmbedController.Card, publicURL: String, origins: [String]) {
        let period = card.period ?? ""
        pageTitle = tr("{0}, {1}, {2} — Monitor pedagogische basis", card.indicator.name, card.area.name, period)
        indicatorName = card.indicator.name
        indicatorURL = SiteRoute.indicator(card.indicator.id).path
        areaName = card.area.name
        areaCode = card.area.code.rawValue
        areaURL = SiteRoute.profile(card.area.code.rawValue)?.path ?? "/"
        self.period = period
        value = card.value
        comparison = card.comparison
        version = card.observation.map { o in
            o.recordedAt.map { tr("versie {0}, vastgelegd {1}", o.version, DutchDate.format(String($0.prefix(10)))) } ?? tr("versie {0}", o.version)
        }
        versionsURL = SiteRoute.versions(card.indicator.id).url([("gebied", card.area.code.rawValue), ("periode", period)])
        source = card.source
        permalink = card.permalink
        self.card = RenderedSVG(EmbedController.svg(card, standalone: false))
        let frame = publicURL + SiteRoute.embedCard(card.indicator.id, card.area.code.rawValue).url([("periode", period)])
        let image = publicURL + SiteRoute.embedCardImage(card.indicator.id, card.area.code.rawValue).url([("periode", period)])
        iframeSnippet = #"<iframe src="\#(frame)" width="\#(EmbedController.frameWidth)" height="\#(EmbedController.frameHeight)" title="\#(card.title)" loading="lazy"></iframe>"#
        imageSnippet = #"<a href="\#(card.permalink)"><img src="\#(image)" width="\#(Int(EmbedController.width))" height="\#(Int(EmbedController.height))" alt="\#(card.summary)"></a>"#
        oembedURL = publicURL + SiteRoute.apiOEmbed.url([("url", card.permalink)])
        self.origins = origins.isEmpty ? nil : DutchNumber.list(origins)
    }
}

/// View model of `pages/embed-origins.mustache`.
struct EmbedOriginsPage: Sendable {
    var pageTitle = tr("Insluiten op andere sites — Monitor pedagogische basis")
    var origins: [String]
    var text: String
    var csrf: String
    var formAction = SiteRoute.embedOrigins.path
    var message: String?
    var feedback = FormFeedback()

    static var fields: [(id: String, label: String)] { [("herkomsten", tr("Herkomsten, één per regel"))] }

    init(origins: [String], text: String, csrf: String) {
        self.origins = origins
        self.text = text
        self.csrf = csrf
    }
}
