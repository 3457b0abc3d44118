import Foundation
import Monitor

/// Where a copied record came from, for its page: "Overgenomen uit kopgroep … van GM0363: ‘…’".
struct OriginView: Sendable {
    var text: String
    var url: String

    init?(_ origin: RecordOrigin?) {
        guard let origin else { return nil }
        text = tr("Overgenomen uit een kopgroep: {0} van {1}, ‘{2}’.", origin.kind.label, origin.gemeente.rawValue, origin.title)
        url = origin.kind == .vragenlijst ? SiteRoute.questionnaire(origin.gemeente.rawValue, origin.recordID).path
            : SiteRoute.intervention(origin.gemeente.rawValue, origin.recordID).path
    }
}

/// View model of `pages/kopgroepen.mustache`.
struct KopgroepListPage: Sendable {
    struct Row: Sendable { var name: String; var url: String; var purpose: String; var members: String }
    var pageTitle = tr("Kopgroepen — Monitor pedagogische basis")
    var rows: [Row]
    var form: KopgroepForm.View?
    var feedback = FormFeedback()
    var typesURL = SiteRoute.interventionTypes.path

    init(groups: [Kopgroep], names: [AreaCode: String]) {
        rows = groups.map { group in
            Row(name: group.name, url: SiteRoute.kopgroep(group.id).path, purpose: group.purpose,
                members: DutchNumber.list(group.members.map { names[$0] ?? $0.rawValue }))
        }
    }
}

/// View model of `pages/kopgroep.mustache`.
struct KopgroepPage: Sendable {
    struct Member: Sendable { var name: String; var code: String; var url: String }
    struct Section: Sendable { var title: String; var items: [String] }
    struct Round: Sendable { var name: String; var result: ResultGroupView }
    struct Estimate: Sendable { var indicator: String; var value: String }
    struct CostBenefit: Sendable { var netPresentValue: String; var ratio: String?; var withoutYouthCare: String; var items: Int }
    struct Use: Sendable { var gemeente: String; var kind: String; var url: String; var copied: String }
    struct UseRow: Sendable { var gemeente: String; var source: String; var sourceGemeente: String; var kind: String; var status: String; var url: String? }
    struct HistoryRow: Sendable { var what: String; var gemeente: String; var shared: String; var withdrawn: String? }

    /// One shared record, with what of it crosses.
    struct Card: Sendable {
        var shareID: Int
        var kind: String
        var isQuestionnaire: Bool
        var title: String
        var gemeente: String
        var shared: String
        var url: String?
        /// The record is no longer published (withdrawn after it was shared): nothing of it is shown.
        var gone = false
        var statements: [Section] = []
        var rounds: [Round] = []
        var typeName: String?
        var typeURL: String?
        var design: String?
        var estimates: [Estimate] = []
        var costBenefit: CostBenefit?
        var conclusions: String?
        var actions: [String] = []
        var uses: [Use] = []
        var mayWithdraw = false
        var copyTargets: [Option] = []
        var copyAction: String
        var withdrawAction: String
        var csrf: String

        init(share: SharedRecord, names: [AreaCode: String], csrf: String, groupID: Int) {
            shareID = share.id
            kind = share.kind.label
            isQuestionnaire = share.kind == .vragenlijst
            title = share.title
            gemeente = names[share.gemeente] ?? share.gemeente.rawValue
            shared = tr("gedeeld op {0} door {1}", DutchDate.long(share.sharedAt), share.sharedBy)
            copyAction = SiteRoute.action(.kopgroepCopy, id: groupID).path
            withdrawAction = SiteRoute.action(.kopgroepUnshare, id: groupID).path
            self.csrf = csrf
        }
    }

    var pageTitle: String
    var name: String
    var purpose: String
    var members: [Member]
    var cards: [Card]
    var uses: [UseRow] = []
    var copyResults: [Round] = []
    var history: [HistoryRow] = []
    var shareOptions: [Option] = []
    var mayShare = false
    var shareAction: String
    var csrf = ""
    var message: String?
    var edit: KopgroepForm.View?
    var feedback = FormFeedback()
    var listURL = SiteRoute.kopgroepen.path
    var typesURL = SiteRoute.interventionTypes.path

    init(group: Kopgroep, names: [AreaCode: String], cards: [Card]) {
        pageTitle = tr("{0} — kopgroep — Monitor pedagogische basis", group.name)
        name = group.name
        purpose = group.purpose
        members = group.members.map { Member(name: names[$0] ?? $0.rawValue, code: $0.rawValue, url: SiteRoute.municipality($0.rawValue).path) }
        self.cards = cards
        shareAction = SiteRoute.action(.kopgroepShare, id: group.id).path
    }
}
