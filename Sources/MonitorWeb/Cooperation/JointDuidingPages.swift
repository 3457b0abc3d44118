import Foundation
import Monitor

/// View model of `pages/joint-duidingen.mustache`.
struct JointDuidingListPage: Sendable {
    struct Row: Sendable { var title: String; var url: String; var members: String; var period: String; var isConcept: Bool }
    var pageTitle: String
    var gemeenteName: String
    var profileURL: String
    var peersURL: String
    var rows: [Row]
    var form: JointDuidingForm.View?
    var feedback = FormFeedback()

    init(gemeente: Area, records: [JointDuiding], names: [AreaCode: String]) {
        pageTitle = tr("Samen duiden — {0} — Monitor pedagogische basis", gemeente.name)
        gemeenteName = gemeente.name
        profileURL = SiteRoute.municipality(gemeente.code.rawValue).path
        peersURL = SiteRoute.peers(gemeente.code.rawValue).path
        rows = records.map { r in
            Row(title: r.title, url: SiteRoute.jointDuiding(r.id).path, members: DutchNumber.list(r.members.map { names[$0] ?? $0.rawValue }),
                period: r.period, isConcept: r.status == .concept)
        }
    }
}

/// View model of `pages/joint-duiding.mustache`: the figures side by side, the answers per gemeente, and the forms of the
/// gemeenten this account works for.
struct JointDuidingPage: Sendable {
    struct Member: Sendable { var name: String; var url: String; var consent: String }
    struct FigureRow: Sendable { var indicator: String; var url: String; var cells: [String] }
    struct QuestionRow: Sendable { var question: String; var cells: [String] }
    struct Question: Sendable { var id: String; var name: String; var text: String; var answer: String }
    struct AnswerForm: Sendable {
        var gemeente: String
        var gemeenteName: String
        var csrf: String
        var answerAction: String
        var publishAction: String
        var questions: [Question]
        var mayConsent: Bool
        var isConcept: Bool
    }

    var pageTitle: String
    var title: String
    var period: String
    var isConcept: Bool
    var status: String
    var members: [Member]
    var headers: [String]
    var figures: [FigureRow]
    var questions: [QuestionRow]
    var forms: [AnswerForm] = []
    var message: String?

    init(_ record: JointDuiding, names: [AreaCode: String], values: [String: [AreaCode: Observation]], catalog: Catalog) {
        pageTitle = tr("{0} — samen duiden — Monitor pedagogische basis", record.title)
        title = record.title
        period = record.period
        isConcept = record.status == .concept
        let agreed = record.members.filter(record.hasConsented).count
        status = record.status == .gepubliceerd ? tr("gepubliceerd: alle gemeenten stemden in")
            : tr("concept: zichtbaar voor de gemeenten die meedoen; gepubliceerd als alle {0} instemmen ({1} deden dat al)", record.members.count, agreed)
        members = record.members.map { code in
            Member(name: names[code] ?? code.rawValue, url: SiteRoute.municipality(code.rawValue).path,
                   consent: record.consents[code.rawValue].map { tr("stemde in op {0}", DutchDate.long($0.at)) } ?? tr("nog niet ingestemd"))
        }
        headers = record.members.map { names[$0] ?? $0.rawValue }
        figures = record.indicators.compactMap { id in
            guard let indicator = catalog[id] else { return nil }
            return FigureRow(indicator: indicator.name, url: SiteRoute.indicator(id).path, cells: record.members.map { code in
                guard let o = values[id]?[code] else { return "—" }
                guard o.status == .waarde, let v = o.value else { return o.suppressionReason == nil ? o.status.label : tr("niet getoond") }
                return DutchNumber.format(v, unit: indicator.unit, decimals: indicator.decimals)
            })
        }
        questions = DuidingQuestion.allCases.map { q in
            QuestionRow(question: q.text, cells: record.members.map { record.answer($0, q).isEmpty ? "—" : record.answer($0, q) })
        }
    }
}
