import Foundation
import Monitor

/// One item on the board as a table row and an SVG marker: its number is the same in both.
struct ConversationBoardItemView: Sendable {
    struct AnswerView: Sendable { var speaker: String; var answer: String; var reason: String; var date: String }

    var number: Int
    var name: String
    var url: String
    var kind: String
    var place: String
    var perspectives: String
    var description: String
    var tally: String
    var isContested: Bool
    var isConcept: Bool
    var answers: [AnswerView]

    init(_ item: ConversationBoardItem, number: Int) {
        self.number = number
        name = item.name
        url = SiteRoute.conversationBoardItem(item.gemeente.rawValue, item.id).path
        kind = item.kind.label
        place = item.place.label
        perspectives = item.perspectives.map(\.label).joined(separator: ", ")
        description = item.description
        tally = item.tally.summary
        isContested = item.tally.isContested
        isConcept = item.status == .concept
        answers = item.answers.map {
            AnswerView(speaker: $0.speaker, answer: $0.answer.rawValue, reason: $0.reason, date: DutchDate.long($0.at))
        }
    }

    /// Items numbered in board order, with the chart drawn from the same numbering.
    static func numbered(_ items: [ConversationBoardItem], gemeenteName: String) -> (rows: [ConversationBoardItemView], svg: RenderedSVG) {
        let rows = items.enumerated().map { ConversationBoardItemView($1, number: $0 + 1) }
        let markers = items.enumerated().map { ConversationBoardChart.Marker(number: $0 + 1, item: $1, url: SiteRoute.conversationBoardItem($1.gemeente.rawValue, $1.id).path) }
        return (rows, ConversationBoardChart.render(gemeenteName: gemeenteName, markers: markers))
    }
}

/// View model of `pages/board.mustache`.
struct ConversationBoardPage: Sendable {
    struct SuggestionView: Sendable { var name: String; var place: String; var source: String; var url: String }

    var pageTitle: String
    var jsonURL: String
    var gemeenteName: String
    var profileURL: String
    var reportURL: String
    var svg: RenderedSVG
    var items: [ConversationBoardItemView]
    var contested: Int
    var form: ConversationBoardItemForm.View?
    var formAction: String
    var suggestions: [SuggestionView] = []
    /// A refused new item: each problem beside its field.
    var feedback = FormFeedback()

    init(gemeente: Area, items: [ConversationBoardItem]) {
        let code = gemeente.code.rawValue
        pageTitle = tr("Gespreksmodel — {0} — Monitor pedagogische basis", gemeente.name)
        jsonURL = SiteRoute.apiConversationBoard(code).path
        gemeenteName = gemeente.name
        profileURL = SiteRoute.municipality(code).path
        reportURL = SiteRoute.report(code).path
        (self.items, svg) = ConversationBoardItemView.numbered(items, gemeenteName: gemeente.name)
        contested = items.filter { $0.tally.isContested }.count
        formAction = SiteRoute.conversationBoard(code).path
    }
}

/// View model of `pages/board-item.mustache`.
struct ConversationBoardItemPage: Sendable {
    var pageTitle: String
    var conversationBoardURL: String
    var gemeenteName: String
    var item: ConversationBoardItemView
    var status: String
    var suggestionSource: String?
    var csrf: String?
    var answerForm: ConversationBoardAnswerForm.View?
    var edit: ConversationBoardItemForm.View?
    var publication: PublicationForms?
    var answerURL: String
    var editURL: String
    var message: String?
    var errors: [String] = []
    /// A refused answer: each problem beside its field.
    var feedback = FormFeedback()

    init(item: ConversationBoardItem, gemeente: Area, csrf: String?) {
        pageTitle = tr("{0} — gespreksmodel {1} — Monitor pedagogische basis", item.name, gemeente.name)
        conversationBoardURL = SiteRoute.conversationBoard(gemeente.code.rawValue).path
        answerURL = SiteRoute.action(.conversationBoardItemAnswer, code: gemeente.code.rawValue, id: item.id).path
        editURL = SiteRoute.action(.conversationBoardItemEdit, code: gemeente.code.rawValue, id: item.id).path
        gemeenteName = gemeente.name
        self.item = ConversationBoardItemView(item, number: 0)
        status = item.status.rawValue
        suggestionSource = item.suggestion.flatMap(ConversationBoardSuggestion.named)?.source
        self.csrf = csrf
    }
}

/// JSON twin of the board: published items with every answer (by role, never by login name).
struct ConversationBoardJSON: Codable {
    struct Answer: Codable { let rol: String; let functie: String?; let antwoord: String; let waarom: String; let datum: String }
    struct Tally: Codable { let ja: Int; let nee: Int; let twijfel: Int; let meningen_verschillen: Bool }
    struct Item: Codable {
        let id: Int
        let naam: String
        let soort: String
        let plek: String
        let plek_naam: String
        let binnen_de_basis: Bool
        let perspectieven: [String]
        let toelichting: String
        let voorbeeld_uit_rapport: String?
        let antwoorden: [Answer]
        let telling: Tally
        let gepubliceerd_op: String?
        let url: String
    }

    var ok = true
    let gemeente: String
    let naam: String
    var vraag = tr("Hoort dit bij onze pedagogische basis: ja, nee of twijfel — en waarom?")
    let items: [Item]
    let total: Int

    init(gemeente: Area, items: [ConversationBoardItem]) {
        self.gemeente = gemeente.code.rawValue
        naam = gemeente.name
        let iso = ISO8601DateFormatter()
        total = items.count
        self.items = items.map { item in
            let tally = item.tally
            return Item(id: item.id, naam: item.name, soort: item.kind.rawValue, plek: item.place.rawValue, plek_naam: item.place.label,
                        binnen_de_basis: item.place.isInsideBasis, perspectieven: item.perspectives.map(\.rawValue),
                        toelichting: item.description, voorbeeld_uit_rapport: item.suggestion,
                        antwoorden: item.answers.map {
                            Answer(rol: $0.role.rawValue, functie: $0.function.isEmpty ? nil : $0.function, antwoord: $0.answer.rawValue,
                                   waarom: $0.reason, datum: iso.string(from: $0.at))
                        },
                        telling: Tally(ja: tally.ja, nee: tally.nee, twijfel: tally.twijfel, meningen_verschillen: tally.isContested),
                        gepubliceerd_op: item.publishedAt.map { iso.string(from: $0) },
                        url: SiteRoute.conversationBoardItem(item.gemeente.rawValue, item.id).path)
        }
    }
}
