import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Kopgroepen (issue 22): a beheerder makes a group of gemeenten; the analisten of its members see its page, share their
/// published records with it one at a time, withdraw a share, and copy what others shared into their own gemeente as a
/// concept. A visitor outside the group learns nothing of it: the page is "not found" for them.
struct KopgroepController: Sendable {
    let store: any SiteStore
    let renderer: PageRenderer

    /// GET `/kopgroepen`: the groups this account sees, and for a beheerder the form for a new one.
    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount(returnTo: SiteRoute.kopgroepen.path)
        guard account.role != .deelnemer else { throw AppError.forbidden(tr("Uw account ({0}) mag dit niet.", account.role.label)) }
        return try await listPage(context: context, form: KopgroepForm())
    }

    /// POST `/kopgroepen`: a new group (beheerder).
    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.manageGroups)
        var form = KopgroepForm(context.form)
        let (members, unknown) = try await store.gemeenten(typed: form.members)
        form.problems += unknown.map { (.members, tr("onbekende gemeente: {0}", $0)) }
        let group = Kopgroep(name: form.name, purpose: form.purpose, members: members)
        form.problems += group.partProblems()
        if form.problems.isEmpty {
            let saved = try await store.saveKopgroep(group, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.kopgroep(saved.id).path])
        }
        return try await listPage(context: context, form: form, status: .badRequest)
    }

    /// GET `/kopgroepen/{id}`.
    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let group = try await visibleGroup(context, returnTo: request.uri.path)
        var page = try await groupPage(group, context: context)
        page.message = KopgroepNotice(request).map(\.message)
        return renderer.response(page, chrome: context.chrome)
    }

    /// POST `…/wijzigen`: name, purpose and members (beheerder).
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.require(.manageGroups)
        let old = try await visibleGroup(context, returnTo: nil)
        var form = KopgroepForm(context.form)
        let (members, unknown) = try await store.gemeenten(typed: form.members)
        form.problems += unknown.map { (.members, tr("onbekende gemeente: {0}", $0)) }
        var group = old
        group.name = form.name
        group.purpose = form.purpose
        group.members = members
        form.problems += group.partProblems()
        if form.problems.isEmpty {
            _ = try await store.saveKopgroep(group, actor: account.username)
            return redirect(group.id, .opgeslagen)
        }
        var page = try await groupPage(old, context: context)
        page.edit = form.view(csrf: context.csrfToken, action: SiteRoute.action(.kopgroepEdit, id: old.id).path)
        page.feedback = FormFeedback(problems: form.problems, fields: KopgroepForm.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    /// POST `…/delen` (`record` = `soort:GM0363:12`): shares a published record of one of the account's member gemeenten.
    func share(_ request: Request, context: AppRequestContext) async throws -> Response {
        try actingAccount(context)
        let group = try await visibleGroup(context, returnTo: nil)
        let parts = (context.form["record"] ?? "").split(separator: ":").map(String.init)
        guard parts.count == 3, let kind = ShareKind(rawValue: parts[0]), let gemeente = AreaCode(parts[1]), let id = Int(parts[2]) else {
            throw AppError.badRequest(parameter: "record", message: tr("kies een record om te delen"))
        }
        let account = try context.require(.editGemeente(gemeente))
        _ = try await store.share(kind: kind, recordID: id, gemeente: gemeente, groupID: group.id, actor: account.username)
        return redirect(group.id, .gedeeld)
    }

    /// POST `…/niet-meer-delen` (`deling`): the users of the gemeente that shared it (or a beheerder) stop sharing.
    func unshare(_ request: Request, context: AppRequestContext) async throws -> Response {
        try actingAccount(context)
        let group = try await visibleGroup(context, returnTo: nil)
        let share = try await groupShare(context, in: group)
        let account = try context.require(.editGemeente(share.gemeente))
        _ = try await store.withdrawShare(id: share.id, groupID: group.id, actor: account.username)
        return redirect(group.id, .nietGedeeld)
    }

    /// POST `…/kopie` (`deling`, `gemeente`): a questionnaire becomes a concept of the member gemeente at once; a design or
    /// an MKBA opens the gemeente's intervention form filled in from it (its wijken are the member's own to choose).
    func copy(_ request: Request, context: AppRequestContext) async throws -> Response {
        try actingAccount(context)
        let group = try await visibleGroup(context, returnTo: nil)
        let share = try await groupShare(context, in: group)
        guard share.isActive, share.kind.canBeCopied else { throw CooperationError(.conflict, tr("Dit gedeelde record kan niet (meer) worden gekopieerd.")) }
        guard let target = AreaCode(context.form["gemeente"] ?? ""), group.members.contains(target) else {
            throw AppError.badRequest(parameter: "gemeente", message: tr("kies een gemeente van deze kopgroep"))
        }
        let account = try context.require(.editGemeente(target))
        switch share.kind {
        case .vragenlijst:
            let copy = try await store.copySharedQuestionnaire(shareID: share.id, into: target, actor: account.username)
            return Response(status: .seeOther, headers: [.location: SiteRoute.questionnaire(target.rawValue, copy.id).path])
        case .interventie, .mkba:
            return Response(status: .seeOther, headers: [.location: SiteRoute.interventions(target.rawValue).url([("kopie", String(share.id))]) + "#nieuw"])
        case .duiding:
            throw CooperationError(.conflict, tr("Dit gedeelde record kan niet (meer) worden gekopieerd."))
        }
    }

    // MARK: Helpers

    func redirect(_ id: Int, _ notice: KopgroepNotice) -> Response {
        Response(status: .seeOther, headers: [.location: SiteRoute.kopgroep(id).url([(KopgroepNotice.parameter, notice.rawValue)])])
    }

    /// Actions need an account that can belong to a group (an analist or a beheerder): others are refused before the
    /// group is looked up, so the refusal says nothing about which groups exist.
    func actingAccount(_ context: AppRequestContext) throws {
        let account = try context.requireAccount(returnTo: nil)
        guard account.role != .deelnemer else { throw AppError.forbidden(tr("Uw account ({0}) mag dit niet.", account.role.label)) }
    }

    /// The group of the URL when this visitor may see it: anonymous visitors are sent to log in (when `returnTo` is
    /// given); everybody else outside the group gets the same "not found" as for a group that does not exist.
    func visibleGroup(_ context: AppRequestContext, returnTo: String?) async throws -> Kopgroep {
        let notFound = tr("Deze kopgroep bestaat niet, of u hoort er niet bij.")
        guard context.account != nil else {
            if let returnTo { throw AppError.loginRequired(returnTo: returnTo) }
            throw AppError.notFound(notFound)
        }
        guard let group = try await store.kopgroep(id: context.recordID), group.isVisible(to: context.account) else { throw AppError.notFound(notFound) }
        return group
    }

    func groupShare(_ context: AppRequestContext, in group: Kopgroep) async throws -> SharedRecord {
        guard let id = Int(context.form["deling"] ?? ""), let share = try await store.sharedRecord(id: id), share.groupID == group.id else {
            throw CooperationError(.unknown, tr("Dit gedeelde record bestaat niet (in deze kopgroep)."))
        }
        return share
    }

    func listPage(context: AppRequestContext, form: KopgroepForm, status: HTTPResponse.Status = .ok) async throws -> Response {
        let names = try await store.gemeenteNames()
        let groups = try await store.kopgroepen().filter { $0.isVisible(to: context.account) }
        var page = KopgroepListPage(groups: groups, names: names)
        if context.account?.may(.manageGroups) == true {
            page.form = form.view(csrf: context.csrfToken, action: SiteRoute.kopgroepen.path)
            page.feedback = FormFeedback(problems: form.problems, fields: KopgroepForm.fields)
        }
        return renderer.response(page, chrome: context.chrome, status: status)
    }

    /// Everything a member sees: the shared records with what of them may cross (a questionnaire's statements and the
    /// published rounds' scale results where n ≥ 10; a design's wijken, baseline and estimates; an MKBA; a dialogue's
    /// conclusions and actions), the copies members made, the records the account could still share, and the history.
    func groupPage(_ group: Kopgroep, context: AppRequestContext) async throws -> KopgroepPage {
        let account = context.account
        let names = try await store.gemeenteNames()
        let types = Dictionary(try await store.interventionTypes().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let allShares = try await store.shares(groupID: group.id, includeWithdrawn: true)
        let copies = try await store.copies(groupID: group.id)
        var cards: [KopgroepPage.Card] = []
        // A gemeente that left the group takes its shares with it (they stay in the history).
        for share in allShares where share.isActive && group.members.contains(share.gemeente) {
            var card = KopgroepPage.Card(share: share, names: names, csrf: context.csrfToken, groupID: group.id)
            card.mayWithdraw = account?.may(.editGemeente(share.gemeente)) == true
            let targets = group.gemeenten(actingFor: account).filter { $0 != share.gemeente }
            if share.kind.canBeCopied, !targets.isEmpty {
                card.copyTargets = targets.map { Option(value: $0.rawValue, label: "\(names[$0] ?? $0.rawValue) (\($0.rawValue))", selected: false) }
            }
            switch share.kind {
            case .vragenlijst:
                guard let q = try await store.questionnaire(id: share.recordID), q.status == .gepubliceerd else { card.gone = true; break }
                card.url = SiteRoute.questionnaire(q.gemeente.rawValue, q.id).path
                card.statements = q.sections.map { KopgroepPage.Section(title: $0.title, items: $0.items.map(\.text)) }
                for round in try await store.rounds(questionnaireID: q.id) where round.status == .gepubliceerd {
                    let results = try await store.results(of: round, in: q)
                    card.rounds.append(KopgroepPage.Round(name: "\(round.name) (\(round.period))", result: ResultGroupView(results.all)))
                }
            case .interventie, .mkba:
                guard let stored = try await store.intervention(id: share.recordID), stored.status == .gepubliceerd else { card.gone = true; break }
                let item = InterventionController.visible(stored, catalog: context.catalog)
                card.url = SiteRoute.intervention(item.gemeente.rawValue, item.id).path
                card.typeName = item.typeID.flatMap { types[$0] }
                card.typeURL = item.typeID.map { SiteRoute.interventionType($0).path }
                if share.kind == .interventie {
                    card.design = tr("{0} en {1}, vanaf {2}; nulmeting van {3}", DutchNumber.count(item.targets.count, "doelwijk", "doelwijken"),
                                     DutchNumber.count(item.comparison.count, "vergelijkingswijk", "vergelijkingswijken"), item.startPeriod,
                                     DutchNumber.count(item.baseline.count, "cijfer", "cijfers"))
                    for (id, did) in item.estimates(current: try await store.interventionFigures(item)) {
                        let indicator = context.catalog[id]
                        let diff = { (v: Double) in DutchNumber.difference(v, unit: indicator?.unit ?? .aantal, decimals: (indicator?.decimals ?? 1) + 1) }
                        card.estimates.append(KopgroepPage.Estimate(
                            indicator: indicator?.name ?? id,
                            value: did.map { tr("{0} (95%-interval {1} tot {2}; {3} tegen {4})", diff($0.estimate), diff($0.lower), diff($0.upper), $0.basePeriod, $0.followUpPeriod) }
                                ?? tr("nog geen schatting")))
                    }
                } else if let analysis = item.costBenefit {
                    let view = InterventionPage.costBenefitView(analysis)
                    card.costBenefit = KopgroepPage.CostBenefit(netPresentValue: view.npv, ratio: view.ratio, withoutYouthCare: view.npvWithoutYouthCare,
                                                                items: analysis.items.count)
                }
            case .duiding:
                guard let record = try await store.dialogue(id: share.recordID), record.status == .gepubliceerd else { card.gone = true; break }
                card.url = SiteRoute.dialogue(record.gemeente.rawValue, record.id).path
                card.conclusions = record.conclusions
                card.actions = record.actions.map { "\($0.what) — \($0.who) (\(tr($0.status.rawValue)))" }
            }
            card.uses = copies.filter { $0.shareID == share.id }.map { copy in
                let url = copy.kind == .questionnaire ? SiteRoute.questionnaire(copy.gemeente.rawValue, copy.recordID).path
                    : SiteRoute.intervention(copy.gemeente.rawValue, copy.recordID).path
                return KopgroepPage.Use(gemeente: names[copy.gemeente] ?? copy.gemeente.rawValue, kind: copy.kind.noun, url: url,
                                        copied: DutchDate.long(copy.copiedAt))
            }
            cards.append(card)
        }
        var page = KopgroepPage(group: group, names: names, cards: cards)
        // Who uses what: every copy, with how far its own work has come (a questionnaire's rounds, a design's status).
        for copy in copies {
            guard let share = allShares.first(where: { $0.id == copy.shareID }) else { continue }
            var status = "", url = "", isPublished = false
            switch copy.kind {
            case .questionnaire:
                guard let q = try await store.questionnaire(id: copy.recordID) else { continue }
                let rounds = try await store.rounds(questionnaireID: q.id)
                let published = rounds.filter { $0.status == .gepubliceerd }
                isPublished = q.status == .gepubliceerd
                status = tr("{0}; {1}, waarvan {2} gepubliceerd", tr(q.status.rawValue), DutchNumber.count(rounds.count, "ronde", "rondes"), published.count)
                url = SiteRoute.questionnaire(q.gemeente.rawValue, q.id).path
                for round in published {
                    let results = try await store.results(of: round, in: q)
                    page.copyResults.append(KopgroepPage.Round(name: tr("{0}: {1} ({2})", names[q.gemeente] ?? q.gemeente.rawValue, round.name, round.period),
                                                               result: ResultGroupView(results.all)))
                }
            case .intervention:
                guard let item = try await store.intervention(id: copy.recordID) else { continue }
                isPublished = item.status == .gepubliceerd
                status = tr(item.status.rawValue)
                url = SiteRoute.intervention(item.gemeente.rawValue, item.id).path
            default: continue
            }
            // A concept is its gemeente's own: others see that it is being used, not a link to a page they may not open.
            let mayOpen = isPublished || context.account?.may(.readDrafts(copy.gemeente)) == true
            page.uses.append(KopgroepPage.UseRow(gemeente: names[copy.gemeente] ?? copy.gemeente.rawValue, source: share.title,
                                                 sourceGemeente: names[share.gemeente] ?? share.gemeente.rawValue, kind: copy.kind.noun,
                                                 status: status, url: mayOpen ? url : nil))
        }
        page.history = allShares.map { share in
            KopgroepPage.HistoryRow(what: "\(share.kind.label): \(share.title)", gemeente: names[share.gemeente] ?? share.gemeente.rawValue,
                                    shared: tr("{0} door {1}", DutchDate.long(share.sharedAt), share.sharedBy),
                                    withdrawn: share.withdrawnAt.map { tr("{0} door {1}", DutchDate.long($0), share.withdrawnBy ?? "") })
        }
        // What this account could share: published records of its member gemeenten not shared yet.
        let shared = Set(allShares.filter(\.isActive).map { "\($0.kind.rawValue):\($0.recordID)" })
        var options: [Option] = []
        for gemeente in group.gemeenten(actingFor: account) {
            let name = names[gemeente] ?? gemeente.rawValue
            func add(_ kind: ShareKind, _ id: Int, _ title: String) {
                guard !shared.contains("\(kind.rawValue):\(id)") else { return }
                options.append(Option(value: "\(kind.rawValue):\(gemeente.rawValue):\(id)", label: "\(name) — \(kind.label): \(title)", selected: false))
            }
            for q in try await store.questionnaires(gemeente: gemeente, includeConcepts: false) { add(.vragenlijst, q.id, q.title) }
            for item in try await store.interventions(gemeente: gemeente, includeConcepts: false) {
                add(.interventie, item.id, item.name)
                if !(item.costBenefit?.items.isEmpty ?? true) { add(.mkba, item.id, item.name) }
            }
            for record in try await store.dialogues(gemeente: gemeente, includeConcepts: false) { add(.duiding, record.id, record.title) }
        }
        page.shareOptions = options
        page.mayShare = !group.gemeenten(actingFor: account).isEmpty
        page.csrf = context.csrfToken
        if account?.may(.manageGroups) == true {
            page.edit = KopgroepForm(group, names: names).view(csrf: context.csrfToken, action: SiteRoute.action(.kopgroepEdit, id: group.id).path)
        }
        return page
    }
}

/// What the group page says after a change (a fixed set of words from the address).
enum KopgroepNotice: String {
    case gedeeld, opgeslagen
    case nietGedeeld = "niet-gedeeld"

    static let parameter = "melding"

    init?(_ request: Request) {
        guard let value = request.uri.queryParameters.get(Self.parameter) else { return nil }
        self.init(rawValue: value)
    }

    var message: String {
        switch self {
        case .gedeeld: tr("Gedeeld met de kopgroep. Het staat in de auditlog; u kunt het altijd weer intrekken.")
        case .nietGedeeld: tr("Niet meer gedeeld. Kopieën die leden al maakten, blijven van hen.")
        case .opgeslagen: tr("Kopgroep opgeslagen.")
        }
    }
}

/// The kopgroep form: name, purpose, members as codes or names.
struct KopgroepForm: Sendable {
    var name = ""
    var purpose = ""
    var members = ""
    var problems: [(part: Kopgroep.Part, message: String)] = []

    static var fields: [(part: Kopgroep.Part, id: String, label: String)] { [
        (.name, "naam", tr("Naam")), (.purpose, "doel", tr("Doel: wat wil de groep samen leren?")),
        (.members, "leden", tr("Gemeenten (codes of namen, gescheiden door komma's)")),
    ] }

    init() {}

    init(_ group: Kopgroep, names: [AreaCode: String]) {
        name = group.name
        purpose = group.purpose
        members = group.members.map { names[$0] ?? $0.rawValue }.joined(separator: ", ")
    }

    init(_ form: FormData) {
        name = (form["naam"] ?? "").trimmedWhitespace
        purpose = (form["doel"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        members = form["leden"] ?? ""
    }

    struct View: Sendable {
        var action: String
        var csrf: String
        var name: String
        var purpose: String
        var members: String
    }

    func view(csrf: String, action: String) -> View { View(action: action, csrf: csrf, name: name, purpose: purpose, members: members) }
}
