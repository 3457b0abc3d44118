import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// Effect designs of a gemeente: register an intervention with targets, comparison wijken (suggested from wijken
/// with similar characteristics), indicators and a start; the baseline is frozen when it is saved; follow-up
/// figures give a difference-in-differences estimate; an MKBA per intervention. Concepts until published.
struct InterventionController: RecordPages {
    typealias Record = Intervention
    let store: any Store & InterventionStore & PublicationStore
    var publications: any Store & PublicationStore { store }
    let renderer: PageRenderer
    let expectedCare: ExpectedCareController

    func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let gemeente = try await store.gemeente(from: context)
        var form = InterventionForm()
        let q = request.uri.queryParameters
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
        let form = InterventionForm(context.form)
        var item = form.intervention(gemeente: gemeente.code)
        var problems = form.problems + item.partProblems()
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
        return try await save(context) { old, gemeente in
            var updated = parsed.intervention(gemeente: gemeente)
            updated.id = old.id
            updated.costBenefit = old.costBenefit
            return (updated, parsed.problems + updated.partProblems(), .opgeslagen)
        } refused: { page in
            // The form again with what was typed.
            page.edit = parsed.view(catalog: context.catalog, csrf: context.csrfToken)
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
            page.form = form.view(catalog: context.catalog, csrf: context.csrfToken)
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
            page.edit = InterventionForm(item).view(catalog: context.catalog, csrf: context.csrfToken)
            page.costBenefitForm = CostBenefitForm.View(item.costBenefit)
        }
        page.publication = PublicationForms(stored, context: context)
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
    var suggestionNote: String?
    var problems: [(part: Intervention.Part, message: String)] = []

    /// The form element each part of a design is shown at, in order; the cost-benefit part is the MKBA form (`.other`:
    /// the form as a whole).
    static var fields: [(part: Intervention.Part, id: String, label: String)] { [
        (.name, "naam", tr("Naam")), (.targets, "doelwijken", tr("Doelwijken")), (.comparison, "vergelijkingswijken", tr("Vergelijkingswijken")),
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
    }

    init(query q: Parameters) {
        name = q.get("naam") ?? ""
        description = q.get("beschrijving") ?? ""
        targets = q.get("doelwijken") ?? ""
        indicators = q.getAll("indicator")
        startPeriod = q.get("start") ?? ""
    }

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        name = text("naam")
        description = text("beschrijving")
        targets = text("doelwijken")
        comparison = text("vergelijkingswijken")
        indicators = form.all("indicator").filter { !$0.isEmpty }
        startPeriod = text("start")
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
                     indicators: indicators, startPeriod: startPeriod)
    }

    struct View: Sendable {
        var csrf: String?
        var name: String
        var description: String
        var targets: String
        var comparison: String
        var indicators: [Option]
        var startPeriod: String
        var suggestionNote: String?
    }

    func view(catalog: Catalog, csrf: String?) -> View {
        View(csrf: csrf, name: name, description: description, targets: targets, comparison: comparison,
             indicators: catalog.indicators.map { Option(value: $0.id, label: $0.name, selected: indicators.contains($0.id)) },
             startPeriod: startPeriod, suggestionNote: suggestionNote)
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
