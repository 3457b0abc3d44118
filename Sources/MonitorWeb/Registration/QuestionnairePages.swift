import Foundation
import Monitor

/// A scale result as a table row: numbers in Dutch notation, or why there are none.
struct ScaleRow: Sendable {
    var scale: String
    var n: String
    var mean: String
    var interval: String
    var sd: String
    var alpha: String
    var alphaNote: String
    var suppressed: Bool

    init(_ r: QuestionnaireResults.ScaleResult) {
        scale = r.scale.name
        suppressed = r.isSuppressed
        if r.isSuppressed {
            n = tr("niet getoond")
            mean = "—"; interval = "—"; sd = "—"; alpha = "—"; alphaNote = ""
            return
        }
        n = String(r.n)
        mean = DutchNumber.format(r.mean, decimals: 2)
        interval = r.interval.map { "\(DutchNumber.format($0.lower, decimals: 2)) – \(DutchNumber.format($0.upper, decimals: 2))" } ?? "—"
        sd = DutchNumber.format(r.standardDeviation, decimals: 2)
        alpha = r.alpha.map { DutchNumber.format($0, decimals: 2) } ?? "—"
        alphaNote = r.alpha.map { $0 < 0.7 ? tr("laag: de stellingen meten niet duidelijk één ding") : "" }
            ?? tr("te weinig volledig ingevulde lijsten ({0})", r.alphaN < PrivacyPolicy.minimumCount ? tr("minder dan {0}", PrivacyPolicy.minimumCount) : String(r.alphaN))
    }
}

struct ResultGroupView: Sendable {
    var label: String
    var respondents: String
    var suppressed: Bool
    var rows: [ScaleRow]

    init(_ group: QuestionnaireResults.Group) {
        label = group.label
        suppressed = group.isSuppressed
        respondents = group.respondents.map(String.init) ?? tr("niet getoond (te weinig respondenten, of afgeschermd zodat een kleine groep niet terug te rekenen is)")
        rows = group.scales.map(ScaleRow.init)
    }
}

/// View model of `pages/questionnaires.mustache`.
struct QuestionnaireListPage: Sendable {
    struct Row: Sendable { var title: String; var url: String; var template: String; var rounds: Int; var isConcept: Bool }
    var pageTitle: String
    var gemeenteName: String
    var profileURL: String
    var jsonURL: String
    var formAction: String
    var rows: [Row]
    var mayEdit = false
    var csrf = ""
    var templates: [Option] = QuestionnaireTemplates.all.map { Option(value: $0.key, label: tr($0.title), selected: false) }
    var errors: [String] = []
}

/// View model of `pages/questionnaire.mustache`: the statements, the builder (for a concept), rounds, results per round,
/// per sphere of the respondents and over time.
struct QuestionnairePage: Sendable {
    var origin: OriginView?
    struct Section: Sendable { var title: String; var items: [Statement] }
    struct Statement: Sendable { var number: Int; var text: String; var scale: String; var reversed: Bool }
    struct Round: Sendable {
        var id: Int
        var name: String
        var area: String
        var period: String
        var status: String
        var link: String?
        var responses: String?
        /// "30 uitnodigingen, 12 gebruikt" (for those who may read the responses).
        var invitations: String?
        /// An open round of the viewer's gemeente: more invitation codes can be made.
        var mayInvite: Bool = false
        var mayClose: Bool
        var mayPublish: Bool
        var results: ResultGroupView?
        var bySphere: [ResultGroupView]
        var anchor: String
    }
    struct TrendRow: Sendable { var scale: String; var cells: [String] }

    var pageTitle: String
    var gemeenteName: String
    var listURL: String
    var jsonURL: String
    /// The action routes of this questionnaire.
    var editURL, publishURL, copyURL, inviteURL, openRoundURL, closeRoundURL, publishRoundURL: String
    var title: String
    var introduction: String
    var template: String
    var isConcept: Bool
    var sections: [Section]
    var scales: [Option]
    var rounds: [Round]
    var trendHeaders: [String]
    var trendRows: [TrendRow]
    var hasTrend: Bool
    var csrf = ""
    /// Invitation links just made: shown once, never stored.
    var newInvitations: [String] = []
    var mayEdit = false
    var mayPublish = false
    var mayOpenRound = false
    var definition = ""
    var areas: [Option] = []
    var message: String?
    /// A refused publication or withdrawal (``RecordPages/refusedResponse``).
    var errors: [String] = []
    /// A refused action: a problem of the definition at its text field (by line), others for the page as a whole.
    var feedback = FormFeedback()
    var catalogueNote: String?

    init(questionnaire q: Questionnaire, gemeente: Area, rounds: [Round], trend: (headers: [String], rows: [TrendRow]), catalogueNote: String?) {
        let code = gemeente.code.rawValue
        pageTitle = tr("{0} — vragenlijst — {1} — Monitor pedagogische basis", q.title, gemeente.name)
        gemeenteName = gemeente.name
        listURL = SiteRoute.questionnaires(code).path
        jsonURL = SiteRoute.apiQuestionnaires(code).path
        func action(_ pattern: SiteRoute.Pattern) -> String { SiteRoute.action(pattern, code: code, id: q.id).path }
        editURL = action(.questionnaireEdit)
        publishURL = action(.questionnairePublish)
        copyURL = action(.questionnaireCopy)
        inviteURL = action(.questionnaireInvitations)
        openRoundURL = action(.roundOpen)
        closeRoundURL = action(.roundClose)
        publishRoundURL = action(.roundPublish)
        title = q.title
        introduction = q.introduction
        template = QuestionnaireTemplates.template(q.template).map { tr($0.title) } ?? tr("eigen vragenlijst")
        isConcept = q.status == .concept
        var number = 0
        let names = Dictionary(q.scales.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        sections = q.sections.map { section in
            Section(title: section.title, items: section.items.map { item in
                number += 1
                return Statement(number: number, text: item.text, scale: names[item.scale] ?? item.scale, reversed: item.reversed)
            })
        }
        scales = q.scales.map { Option(value: $0.id, label: $0.name, selected: false) }
        self.rounds = rounds
        trendHeaders = trend.headers
        trendRows = trend.rows
        hasTrend = trend.headers.count >= 2
        definition = QuestionnaireDefinition.text(q)
        self.catalogueNote = catalogueNote
    }
}

/// View model of `pages/respond.mustache`: one section per page, earlier answers carried in hidden fields.
struct RespondPage: Sendable {
    struct Choice: Sendable { var name: String; var value: String; var label: String; var checked: Bool; var id: String }
    struct Statement: Sendable { var id: String; var number: Int; var text: String; var choices: [Choice] }
    struct Hidden: Sendable { var name: String; var value: String }

    var pageTitle: String
    var title: String
    var introduction: String?
    var formAction: String
    var csrf: String
    var nonce: String
    var step: Int
    var stepLabel: String
    var sectionTitle: String
    var statements: [Statement]
    var hidden: [Hidden]
    var spheres: [Choice]?
    var isFirst: Bool
    var isLast: Bool
    var progress: Int
    var progressMax: Int
    var closed = false
    var thanks = false
    var message: String?
    /// The respondent's invitation code (carried from page to page).
    var code = ""
    /// No usable code yet: the page asks for one instead of showing statements.
    var needsCode = false
    var codeError: String?

    static func closedPage(title: String, thanks: Bool, message: String? = nil) -> RespondPage {
        var page = RespondPage(pageTitle: tr("{0} — Monitor pedagogische basis", title), title: title, introduction: nil, formAction: "", csrf: "", nonce: "", step: 0,
                               stepLabel: "", sectionTitle: "", statements: [], hidden: [], spheres: nil, isFirst: false, isLast: false, progress: 0,
                               progressMax: 1)
        page.closed = !thanks
        page.thanks = thanks
        page.message = message
        return page
    }
}

struct QuestionnaireJSON: Codable, Sendable {
    struct Scale: Codable, Sendable { var id: String; var naam: String; var stellingen: [String] }
    var id: Int
    var titel: String
    var sjabloon: String
    var schalen: [Scale]
    var rondes: [RoundJSON]
}

struct RoundJSON: Codable, Sendable {
    var id: Int
    var naam: String
    var gebied: String
    var periode: String
    var resultaten: ResultGroupJSON
    var per_sfeer: [ResultGroupJSON]
}

struct ResultGroupJSON: Codable, Sendable {
    struct Scale: Codable, Sendable {
        var schaal: String
        var naam: String
        var onderdrukt: Bool
        var n: Int?
        var gemiddelde: Double?
        var ondergrens: Double?
        var bovengrens: Double?
        var standaardafwijking: Double?
        var alfa: Double?

        enum CodingKeys: String, CodingKey { case schaal, naam, onderdrukt, n, gemiddelde, ondergrens, bovengrens, standaardafwijking, alfa }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(schaal, forKey: .schaal)
            try c.encode(naam, forKey: .naam)
            try c.encode(onderdrukt, forKey: .onderdrukt)
            try c.encode(n, forKey: .n)
            try c.encode(gemiddelde, forKey: .gemiddelde)
            try c.encode(ondergrens, forKey: .ondergrens)
            try c.encode(bovengrens, forKey: .bovengrens)
            try c.encode(standaardafwijking, forKey: .standaardafwijking)
            try c.encode(alfa, forKey: .alfa)
        }
    }
    var groep: String
    /// Null when fewer than 10 respondents (then `onderdrukt` is true and there are no scale scores).
    var respondenten: Int?
    var onderdrukt: Bool
    var schalen: [Scale]

    init(_ g: QuestionnaireResults.Group) {
        groep = g.label
        respondenten = g.respondents
        onderdrukt = g.isSuppressed
        schalen = g.scales.map { r in
            r.isSuppressed ? Scale(schaal: r.scale.id, naam: r.scale.name, onderdrukt: true)
                : Scale(schaal: r.scale.id, naam: r.scale.name, onderdrukt: false, n: r.n, gemiddelde: r.mean, ondergrens: r.interval?.lower,
                        bovengrens: r.interval?.upper, standaardafwijking: r.standardDeviation, alfa: r.alpha)
        }
    }

    enum CodingKeys: String, CodingKey { case groep, respondenten, onderdrukt, schalen }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(groep, forKey: .groep)
        try c.encode(respondenten, forKey: .respondenten)
        try c.encode(onderdrukt, forKey: .onderdrukt)
        try c.encode(schalen, forKey: .schalen)
    }
}
