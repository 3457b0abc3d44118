import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Effect designs of a gemeente: register an intervention with targets, comparison wijken (suggested from wijken
/// with similar characteristics), indicators and a start; the baseline is frozen when it is saved; follow-up
/// figures give a difference-in-differences estimate; an MKBA per intervention. Concepts until published.
struct InterventionController: RecordPages {
    typealias Record = Intervention
    let store: any Store & InterventionStore & PublicationStore & KopgroepStore
    var publications: any Store & PublicationStore { store }
    let renderer: PageRenderer
    let expectedCare: ExpectedCareController

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var form = InterventionForm()
        let q = request.uri.queryParameters
        if let raw = q.get("kopie"), !raw.isEmpty {
            form = try await copyForm(raw, gemeente: gemeente, context: context)
        }
        if let targets = q.get("doelwijken"), !targets.isEmpty {
            // "Stel vergelijkingswijken voor": the form comes back with the wijken most like the targets.
            form = InterventionForm(query: q)
            let codes = InterventionForm.codes(targets)
            let state = try await expectedCare.state()
            let values = Dictionary(state.inputs.map { ($0.area, $0.values) }, uniquingKeysWith: { a, _ in a })
            let suggested = Intervention.suggestedComparison(targets: codes, values: values, count: max(5, 2 * codes.count))
            form.comparison = suggested.map(\.rawValue).joined(separator: " ")
            form.suggestionNote = suggested.isEmpty
                ? tr("Geen voorstel: van deze wijken zijn niet alle kenmerken bekend.")
                : tr("Voorgesteld: de wijken die op de doelwijken lijken naar inkomen, bijstand, huishoudens, herkomst en stedelijkheid. Pas gerust aan.")
        }
        return try await listPage(gemeente: gemeente, context: context, form: form)
    }

    func indexJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var items: [InterventionJSON] = []
        for stored in try await store.interventions(gemeente: gemeente.code, includeConcepts: false) {
            let item = Self.visible(stored, catalog: context.catalog)
            items.append(InterventionJSON(item, estimates: item.estimates(current: try await store.interventionFigures(item))))
        }
        return try JSONResponse.make(GemeenteListBody(gemeente: gemeente, items: items),
                                     htmlAlternate: SiteRoute.interventions(gemeente.code.rawValue).path)
    }

    func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        var form = InterventionForm(context.form)
        var item = form.intervention(gemeente: gemeente.code)
        var problems = form.problems + item.partProblems()
        if let type = item.typeID, try await !store.interventionTypes().contains(where: { $0.id == type }) {
            problems.append((.type, tr("onbekende soort interventie '{0}'", type)))
        }
        if let share = form.herkomst, let shared = try await store.sharedRecord(id: share) {
            form.originNote = Self.originNote(shared)
        }
        for indicator in item.indicators where context.catalog[indicator] == nil { problems.append((.indicators, tr("onbekende indicator '{0}'", indicator))) }
        for area in item.targets where try await store.area(area) == nil { problems.append((.targets, tr("de monitor kent gebied {0} niet", area.rawValue))) }
        for area in item.comparison where try await store.area(area) == nil {
            problems.append((.comparison, tr("de monitor kent gebied {0} niet", area.rawValue)))
        }
        if problems.isEmpty {
            do {
                item = try await store.saveIntervention(item, actor: account.username)
                return Response(status: .seeOther, headers: [.location: SiteRoute.intervention(gemeente.code.rawValue, item.id).path])
            } catch let error as RecordError {
                problems.append((.other, error.description))
            } catch let error as CooperationError {
                problems.append((.other, error.message))
            }
        }
        return try await listPage(gemeente: gemeente, context: context, form: form, feedback: FormFeedback(problems: problems, fields: InterventionForm.fields), status: .badRequest)
    }

    func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let item = try await record(context, in: gemeente, returnTo: request.uri.path)
        return try await detailResponse(item, gemeente: gemeente, request: request, context: context,
                                        jsonAlternate: SiteRoute.apiInterventions(gemeente.code.rawValue).path)
    }

    /// POST `…/{id}/wijzigen`: saves the form over a concept and freezes the baseline again.
    func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parsed = InterventionForm(context.form)
        let types = try await store.interventionTypes()
        return try await save(context) { old, gemeente in
            var updated = parsed.intervention(gemeente: gemeente)
            updated.id = old.id
            updated.costBenefit = old.costBenefit
            var problems = parsed.problems + updated.partProblems()
            if let type = updated.typeID, !types.contains(where: { $0.id == type }) { problems.append((.type, tr("onbekende soort interventie '{0}'", type))) }
            return (updated, problems, .opgeslagen)
        } refused: { page in
            // The form again with what was typed.
            page.edit = parsed.view(catalog: context.catalog, csrf: context.csrfToken, types: types)
        }
    }

    /// POST `…/{id}/mkba`: the cost-benefit analysis of a concept.
    func costBenefit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (analysis, formProblems) = CostBenefitForm.parse(context.form)
        return try await save(context) { old, _ in
            var updated = old
            updated.costBenefit = analysis
            return (updated, (formProblems + analysis.problems()).map { (.costBenefit, $0) }, .mkba)
        } refused: { page in
            page.costBenefitForm = CostBenefitForm.View(analysis)
        }
    }

    /// Saves a changed concept, or shows its page again with the form as it was sent and each problem beside its field.
    private func save(_ context: AppRequestContext,
                      _ change: (Intervention, AreaCode) -> (Intervention, [(part: Intervention.Part, message: String)], RecordNotice),
                      refused: (inout InterventionPage) -> Void) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        let account = try context.require(.editGemeente(gemeente.code))
        let old = try await record(context, in: gemeente, returnTo: nil)
        var (updated, problems, notice) = change(old, gemeente.code)
        if let response = try await saved(&problems, refusal: { (.other, $0) }, notice: notice, {
            try await store.saveIntervention(updated, actor: account.username)
        }) {
            return response
        }
        var page = try await detailPage(old, gemeente: gemeente, context: context)
        refused(&page)
        page.feedback = FormFeedback(problems: problems, fields: InterventionForm.fields)
        return renderer.response(page, chrome: context.chrome, status: .badRequest)
    }

    // MARK: Helpers

    /// `?kopie=` (a share id): the form filled in from a design or MKBA a kopgroep member shared, for this gemeente's users
    /// when the gemeente belongs to that group. The wijken stay empty: they are this gemeente's own to choose.
    func copyForm(_ raw: String, gemeente: Area, context: AppRequestContext) async throws -> InterventionForm {
        _ = try context.require(.editGemeente(gemeente.code), returnTo: SiteRoute.interventions(gemeente.code.rawValue).url([("kopie", raw)]))
        let gone = CooperationError(.unknown, tr("Dit gedeelde record bestaat niet (meer)."))
        guard let id = Int(raw), let share = try await store.sharedRecord(id: id), share.isActive, share.kind == .interventie || share.kind == .mkba,
              let group = try await store.kopgroep(id: share.groupID), group.members.contains(gemeente.code),
              let source = try await store.intervention(id: share.recordID), source.status == .gepubliceerd else { throw gone }
        var form = InterventionForm()
        form.name = source.name
        form.description = source.description
        form.indicators = source.indicators.filter { context.catalog[$0] != nil }
        form.startPeriod = source.startPeriod
        form.typeID = source.typeID ?? ""
        form.herkomst = share.id
        form.originNote = Self.originNote(share)
        return form
    }

    static func originNote(_ share: SharedRecord) -> String {
        share.kind == .mkba
            ? tr("Overgenomen uit de kopgroep: de MKBA van ‘{0}’ ({1}) komt mee. Kies uw eigen doel- en vergelijkingswijken.", share.title, share.gemeente.rawValue)
            : tr("Overgenomen uit de kopgroep: de opzet van ‘{0}’ ({1}), met de MKBA als die er is. Kies uw eigen doel- en vergelijkingswijken.", share.title, share.gemeente.rawValue)
    }

    func message(for notice: RecordNotice) -> String {
        switch notice {
        case .gepubliceerd: tr("Gepubliceerd: de interventie, de nulmeting en de effectschatting zijn voor iedereen zichtbaar.")
        case .opgeslagen: tr("Opgeslagen; de nulmeting is opnieuw vastgelegd.")
        default: Self.standardMessage(for: notice)
        }
    }

    func record(_ context: AppRequestContext, in gemeente: Area, returnTo: String?) async throws -> Intervention {
        try context.visibleRecord(try await store.intervention(id: context.recordID), of: gemeente.code, owner: \.gemeente,
                                  isPublished: { $0.status == .gepubliceerd }, returnTo: returnTo, notFound: tr("Deze interventie bestaat niet (bij deze gemeente)."))
    }

    func listPage(gemeente: Area, context: AppRequestContext, form: InterventionForm, feedback: FormFeedback = FormFeedback(),
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let mayRead = context.account?.may(.readDrafts(gemeente.code)) ?? false
        let items = try await store.interventions(gemeente: gemeente.code, includeConcepts: mayRead)
        var page = InterventionListPage(gemeente: gemeente, items: items)
        if context.account?.may(.editGemeente(gemeente.code)) == true {
            page.form = form.view(catalog: context.catalog, csrf: context.csrfToken, types: try await store.interventionTypes())
        }
        page.feedback = feedback
        return renderer.response(page, chrome: context.chrome, status: status, jsonAlternate: page.jsonURL)
    }

    /// What this visitor may see of an effect design: the figures of a gemeente's own indicator that is not shared stay with
    /// that gemeente (and beheerders), also when the design itself is published.
    static func visible(_ item: Intervention, catalog: Catalog) -> Intervention {
        var item = item
        item.indicators = item.indicators.filter { catalog[$0] != nil }
        item.baseline = item.baseline.filter { catalog[$0.indicator] != nil }
        return item
    }

    func detailPage(_ stored: Intervention, gemeente: Area, context: AppRequestContext) async throws -> InterventionPage {
        let item = Self.visible(stored, catalog: context.catalog)
        let current = try await store.interventionFigures(item)
        // Wijk names from the model's per-generation cache; only a buurt (or an unknown code) is looked up.
        var names = try await expectedCare.state().names
        for area in item.targets + item.comparison where names[area] == nil { names[area] = try await store.area(area)?.name }
        var page = InterventionPage(item: item, gemeente: gemeente, estimates: item.estimates(current: current), current: current, catalog: context.catalog,
                                    names: names, versions: try await store.interventionVersions(id: item.id), csrf: context.csrfToken)
        let account = context.account
        // Who saved a version is for the gemeente's own users; visitors see when, not who.
        if account?.may(.readDrafts(gemeente.code)) != true {
            page.versions = page.versions.map { InterventionPage.Version(version: $0.version, savedAt: $0.savedAt, savedBy: nil) }
        }
        if item.status == .concept, account?.may(.editGemeente(gemeente.code)) == true {
            page.edit = InterventionForm(item).view(catalog: context.catalog, csrf: context.csrfToken, types: try await store.interventionTypes())
            page.costBenefitForm = CostBenefitForm.View(item.costBenefit)
        }
        page.publication = PublicationForms(stored, context: context)
        if let type = item.typeID, let known = try await store.interventionTypes().first(where: { $0.id == type }) {
            page.typeName = known.name
            page.typeURL = SiteRoute.interventionType(known.id).path
        }
        page.origin = OriginView(item.origin)
        return page
    }
}

/// The intervention form: plain fields; wijken as codes separated by spaces or commas.
struct InterventionForm: Sendable {
    var name = ""
    var description = ""
    var targets = ""
    var comparison = ""
    var indicators: [String] = []
    var startPeriod = ""
    var typeID = ""
    /// The kopgroep share it is copied from (`herkomst`), checked by the store when it is saved.
    var herkomst: Int?
    var originNote: String?
    var suggestionNote: String?
    var problems: [(part: Intervention.Part, message: String)] = []

    /// The form element each part of a design is shown at, in order; the cost-benefit part is the MKBA form (`.other`:
    /// the form as a whole).
    static var fields: [(part: Intervention.Part, id: String, label: String)] { [
        (.name, "naam", tr("Naam")), (.type, "soort", tr("Soort interventie")), (.targets, "doelwijken", tr("Doelwijken")), (.comparison, "vergelijkingswijken", tr("Vergelijkingswijken")),
        (.indicators, "indicator", tr("Indicatoren")), (.start, "start", tr("Eerste periode")), (.costBenefit, "mkba", "MKBA"),
    ] }

    init() {}

    init(_ item: Intervention) {
        name = item.name
        description = item.description
        targets = item.targets.map(\.rawValue).joined(separator: " ")
        comparison = item.comparison.map(\.rawValue).joined(separator: " ")
        indicators = item.indicators
        startPeriod = item.startPeriod
        typeID = item.typeID ?? ""
    }

    init(query q: Parameters) {
        name = q.get("naam") ?? ""
        description = q.get("beschrijving") ?? ""
        targets = q.get("doelwijken") ?? ""
        indicators = q.getAll("indicator")
        startPeriod = q.get("start") ?? ""
        typeID = q.get("soort") ?? ""
    }

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        name = text("naam")
        description = text("beschrijving")
        targets = text("doelwijken")
        comparison = text("vergelijkingswijken")
        indicators = form.all("indicator").filter { !$0.isEmpty }
        startPeriod = text("start")
        typeID = text("soort")
        herkomst = Int(text("herkomst"))
        for code in FormData.list(targets) where AreaCode(code.uppercased()) == nil {
            problems.append((.targets, tr("'{0}' is geen gebiedscode (bijvoorbeeld WK036300)", code)))
        }
        for code in FormData.list(comparison) where AreaCode(code.uppercased()) == nil {
            problems.append((.comparison, tr("'{0}' is geen gebiedscode (bijvoorbeeld WK036300)", code)))
        }
    }

    static func codes(_ text: String) -> [AreaCode] {
        var seen = Set<AreaCode>()
        return FormData.list(text).compactMap { AreaCode($0.uppercased()) }.filter { seen.insert($0).inserted }
    }

    func intervention(gemeente: AreaCode) -> Intervention {
        Intervention(gemeente: gemeente, name: name, description: description, targets: Self.codes(targets), comparison: Self.codes(comparison),
                     indicators: indicators, startPeriod: startPeriod, typeID: typeID.isEmpty ? nil : typeID,
                     origin: herkomst.map { RecordOrigin(shareID: $0, groupID: 0, kind: .interventie, gemeente: gemeente, recordID: 0, title: "") })
    }

    struct View: Sendable {
        var csrf: String?
        var name: String
        var description: String
        var targets: String
        var comparison: String
        var indicators: [Option]
        var startPeriod: String
        var types: [Option]
        var herkomst: String?
        var originNote: String?
        var suggestionNote: String?
    }

    func view(catalog: Catalog, csrf: String?, types: [InterventionType]) -> View {
        View(csrf: csrf, name: name, description: description, targets: targets, comparison: comparison,
             indicators: catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: indicators.contains($0.id)) },
             startPeriod: startPeriod,
             types: [Option(value: "", label: tr("— nog geen soort gekozen —"), selected: typeID.isEmpty)]
                + types.map { Option(value: $0.id, label: $0.name, selected: $0.id == typeID) },
             herkomst: herkomst.map(String.init), originNote: originNote, suggestionNote: suggestionNote)
    }
}

/// The MKBA form: a discount rate and numbered rows of items.
enum CostBenefitForm {
    static let rows = 10

    static func parse(_ form: FormData) -> (CostBenefitAnalysis, [String]) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var problems: [String] = []
        func number(_ name: String, row: Int) -> Double? {
            let raw = text(name).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "€", with: "")
                .trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { return nil }
            guard let value = Double(raw) else { problems.append(tr("post {0}: '{1}' is geen bedrag", row, text(name))); return nil }
            return value
        }
        let rateText = text("discontovoet").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")
        let rate = Double(rateText).map { $0 / 100 } ?? 0.0225
        if !rateText.isEmpty && Double(rateText) == nil { problems.append(tr("de discontovoet is een percentage, bijvoorbeeld 2,25")) }
        var items: [CostBenefitAnalysis.Item] = []
        for row in 1...rows {
            let description = text("post-omschrijving-\(row)")
            guard !description.isEmpty else { continue }
            let year = Int(text("post-jaar-\(row)")) ?? 0
            items.append(CostBenefitAnalysis.Item(
                stakeholder: CostBenefitAnalysis.Stakeholder(rawValue: text("post-partij-\(row)")) ?? .gemeente,
                kind: CostBenefitAnalysis.Kind(rawValue: text("post-soort-\(row)")) ?? .kosten, description: description, year: year,
                low: number("post-laag-\(row)", row: row), base: number("post-basis-\(row)", row: row), high: number("post-hoog-\(row)", row: row),
                youthCareSaving: form["post-jeugdzorg-\(row)"] == "ja"))
        }
        return (CostBenefitAnalysis(items: items, discountRate: rate), problems)
    }

    struct Row: Sendable {
        var number: Int
        var stakeholders: [Option]
        var kinds: [Option]
        var description: String
        var year: String
        var low: String
        var base: String
        var high: String
        var youthCare: Bool
    }

    struct View: Sendable {
        var rate: String
        var rows: [Row]

        init(_ analysis: CostBenefitAnalysis?) {
            rate = DutchNumber.format((analysis?.discountRate ?? 0.0225) * 100, decimals: 2)
            let items = analysis?.items ?? []
            let amount = { (v: Double?) in v.map { DutchNumber.format($0, decimals: 0) } ?? "" }
            rows = (1...max(CostBenefitForm.rows, items.count)).map { number in
                let item = number <= items.count ? items[number - 1] : nil
                return Row(number: number,
                           stakeholders: CostBenefitAnalysis.Stakeholder.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == item?.stakeholder) },
                           kinds: CostBenefitAnalysis.Kind.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == item?.kind) },
                           description: item?.description ?? "", year: item.map { String($0.year) } ?? "", low: amount(item?.low),
                           base: amount(item?.base), high: amount(item?.high), youthCare: item?.youthCareSaving ?? false)
            }
        }
    }
}
