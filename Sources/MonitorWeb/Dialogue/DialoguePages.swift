import Foundation
import Monitor

/// A dialogue record in a list (also on the figure pages: "wat zeggen we ervan").
struct DialogueSummary: Sendable {
    var url: String
    var title: String
    var kind: String
    var date: String
    var status: String
    var isConcept: Bool
    var conclusions: String
    var gemeente: String
    var openActions: Int

    init(_ record: DialogueRecord) {
        url = SiteRoute.dialogue(record.gemeente.rawValue, record.id).path
        title = record.title
        kind = record.kind.label
        date = DutchDate.format(record.date.day)
        status = record.status.rawValue
        isConcept = record.status == .concept
        conclusions = record.conclusions.count > 240 ? String(record.conclusions.prefix(240)) + "…" : record.conclusions
        gemeente = record.gemeente.rawValue
        openActions = record.actions.filter { $0.status == .open || $0.status == .bezig }.count
    }
}

/// The "wat zeggen we ervan" block of a figure page: published records about it and a link to start one.
struct DialogueBlock: Sendable {
    var records: [DialogueSummary]
    var startURL: String?
    var listURL: String?

    init(records: [DialogueRecord], startURL: String?, listURL: String?) {
        self.records = records.map(DialogueSummary.init)
        self.startURL = startURL
        self.listURL = listURL
    }
}

/// View model of `pages/dialogues.mustache`.
struct DialogueListPage: Sendable {
    var gemeenteName: String
    var profileURL: String
    var conversationBoardURL: String
    var reportURL: String
    var newURL: String?
    var newSpiegelURL: String?
    var records: [DialogueSummary]
    var jsonURL: String
    var pageTitle: String

    init(gemeente: Area, records: [DialogueRecord], mayStart: Bool) {
        gemeenteName = gemeente.name
        profileURL = SiteRoute.municipality(gemeente.code.rawValue).path
        conversationBoardURL = SiteRoute.conversationBoard(gemeente.code.rawValue).path
        reportURL = SiteRoute.report(gemeente.code.rawValue).path
        newURL = mayStart ? SiteRoute.newDialogue(gemeente.code.rawValue).path : nil
        newSpiegelURL = mayStart ? SiteRoute.newDialogue(gemeente.code.rawValue).url([("soort", "spiegel")]) : nil
        self.records = records.map(DialogueSummary.init)
        jsonURL = SiteRoute.apiDialogues(gemeente.code.rawValue).path
        pageTitle = tr("Wat zeggen we ervan — {0} — Monitor pedagogische basis", gemeente.name)
    }
}

/// View model of `pages/dialogue-form.mustache`: every field a plain input, numbered rows for repeats.
struct DialogueFormPage: Sendable {
    struct FigureRow: Sendable {
        var number: Int
        var indicators: [Option]
        var area: String
        var period: String
    }

    struct RoleRow: Sendable {
        var role: String
        var label: String
        var count: String
        var listening: Bool
        var isProfessional: Bool
    }

    struct AnswerField: Sendable {
        var name: String
        var label: String
        var text: String
    }

    struct QuestionBlock: Sendable {
        var key: String
        var text: String
        var answers: [AnswerField]
        var agreements: [Option]
    }

    struct ThemeRow: Sendable {
        var number: Int
        var text: String
        var roles: [Option]
        var spheres: [Option]
    }

    struct ActionRow: Sendable {
        var number: Int
        var what: String
        var who: String
        var due: String
        var statuses: [Option]
    }

    var gemeenteName: String
    var listURL: String
    var action: String
    var csrf: String
    var title: String
    var date: String
    var kinds: [Option]
    var isSpiegel: Bool
    var figures: [FigureRow]
    var roles: [RoleRow]
    var professionalSpheres: [Option]
    var questions: [QuestionBlock]
    var themes: [ThemeRow]
    var conclusions: String
    var invited: String
    var actions: [ActionRow]
    /// A refused record: each problem at the field or part of the form it concerns, and in a summary at the top.
    var feedback = FormFeedback()
    /// The form element each part of the record is shown at, in the form's order (`.other`: the form as a whole).
    static var fields: [(part: DialogueRecord.Part, id: String, label: String)] { [
        (.title, "titel", tr("Titel")), (.date, "datum", tr("Datum")), (.figures, "cijfers", tr("Over welke cijfers")),
        (.participants, "deelnemers", tr("Wie deden mee")), (.themes, "themas", tr("Spiegelgesprek")), (.actions, "acties", tr("Afgesproken acties")),
    ] }
    var pageTitle: String

    init(gemeente: Area, record: DialogueRecord, catalog: Catalog, csrf: String, action: String) {
        gemeenteName = gemeente.name
        listURL = SiteRoute.dialogues(gemeente.code.rawValue).path
        self.action = action
        self.csrf = csrf
        title = record.title
        date = record.date.day
        kinds = DialogueRecord.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == record.kind) }
        isSpiegel = record.kind == .spiegel
        let indicators = catalog.indicators.sorted { $0.name < $1.name }
        figures = (1...DialogueForm.figureRows).map { number in
            let figure = number <= record.figures.count ? record.figures[number - 1] : nil
            return FigureRow(number: number,
                             indicators: [Option(value: "", label: tr("— geen —"), selected: figure == nil)]
                                + indicators.map { Option(value: $0.id, label: $0.name, selected: $0.id == figure?.indicator) },
                             area: figure?.area.rawValue ?? (number == 1 ? gemeente.code.rawValue : ""), period: figure?.period ?? "")
        }
        roles = ParticipantRole.allCases.map { role in
            let participant = record.participants.first { $0.role == role }
            return RoleRow(role: role.rawValue, label: role.label, count: participant.map { String($0.count) } ?? "",
                           listening: participant?.listening ?? (record.kind == .spiegel && !role.speaksInSpiegelgesprek),
                           isProfessional: role == .professional)
        }
        let professionalSpheres = record.participants.first { $0.role == .professional }?.spheres ?? []
        self.professionalSpheres = Sphere.allCases.map { Option(value: $0.rawValue, label: $0.shortLabel, selected: professionalSpheres.contains($0)) }
        questions = DuidingQuestion.allCases.map { question in
            let outcome = record.questions.first { $0.question == question }
            return QuestionBlock(key: question.rawValue, text: question.text,
                                 answers: ParticipantRole.allCases.map { role in
                                     AnswerField(name: "vraag-\(question.rawValue)-\(role.rawValue)", label: role.label,
                                                 text: outcome?.answers.first { $0.role == role }?.text ?? "")
                                 },
                                 agreements: Agreement.allCases.map {
                                     Option(value: $0.rawValue, label: $0.label, selected: $0 == (outcome?.agreement ?? .nietBesproken))
                                 })
        }
        themes = (1...DialogueForm.themeRows).map { number in
            let theme = number <= record.themes.count ? record.themes[number - 1] : nil
            return ThemeRow(number: number, text: theme?.text ?? "",
                            roles: ParticipantRole.allCases.filter(\.speaksInSpiegelgesprek).map {
                                Option(value: $0.rawValue, label: $0.label, selected: $0 == theme?.role)
                            },
                            spheres: Sphere.allCases.map { Option(value: $0.rawValue, label: $0.shortLabel, selected: theme?.spheres.contains($0) ?? false) })
        }
        conclusions = record.conclusions
        invited = record.invitedUsernames.joined(separator: ", ")
        actions = (1...DialogueForm.actionRows).map { number in
            let action = number <= record.actions.count ? record.actions[number - 1] : nil
            return ActionRow(number: number, what: action?.what ?? "", who: action?.who ?? "", due: action?.due?.day ?? "",
                             statuses: AgreedAction.Status.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == (action?.status ?? .open)) })
        }
        pageTitle = (record.id == 0 ? tr("Nieuw gespreksverslag") : tr("Verslag bewerken")) + tr(" — {0} — Monitor pedagogische basis", gemeente.name)
    }
}

/// View model of `pages/dialogue.mustache`.
struct DialoguePage: Sendable {
    struct FigureLine: Sendable {
        var indicator: String
        var indicatorURL: String
        var area: String
        var areaURL: String?
        var period: String?
    }

    struct ParticipantLine: Sendable {
        var text: String
    }

    struct AnswerLine: Sendable {
        var role: String
        var text: String
    }

    struct QuestionLine: Sendable {
        var text: String
        var agreement: String
        var disagreement: Bool
        var answers: [AnswerLine]
    }

    struct ThemeLine: Sendable {
        var text: String
        var role: String
        var spheres: String
    }

    struct ActionLine: Sendable {
        var what: String
        var who: String
        var due: String
        var status: String
    }

    var id: Int
    var editURL: String?
    var listURL: String
    var gemeenteName: String
    var title: String
    var kind: String
    var isSpiegel: Bool
    var date: String
    var status: String
    var isConcept: Bool
    var figures: [FigureLine]
    var speakers: [ParticipantLine]
    var listeners: [ParticipantLine]
    var questions: [QuestionLine]
    var themes: [ThemeLine]
    var conclusions: String
    var invited: String?
    var actions: [ActionLine]
    var csrf: String
    var publication: PublicationForms
    var message: String?
    var errors: [String] = []
    var pageTitle: String

    init(record: DialogueRecord, gemeente: Area, catalog: Catalog, areaNames: [AreaCode: String], csrf: String,
         mayEdit: Bool, publication: PublicationForms) {
        id = record.id
        editURL = mayEdit ? SiteRoute.editDialogue(gemeente.code.rawValue, record.id).path : nil
        listURL = SiteRoute.dialogues(gemeente.code.rawValue).path
        gemeenteName = gemeente.name
        title = record.title
        kind = record.kind.label
        isSpiegel = record.kind == .spiegel
        date = DutchDate.format(record.date.day)
        status = record.status.rawValue
        isConcept = record.status == .concept
        figures = record.figures.map { figure in
            FigureLine(indicator: catalog[figure.indicator]?.name ?? figure.indicator, indicatorURL: SiteRoute.indicator(figure.indicator).path,
                       area: areaNames[figure.area].map { "\($0) (\(figure.area.rawValue))" } ?? figure.area.rawValue,
                       areaURL: SiteRoute.profile(figure.area.rawValue)?.url([("indicator", figure.indicator)]), period: figure.period)
        }
        func line(_ participant: Participant) -> ParticipantLine {
            var text = "\(participant.count) \(participant.role.label)"
            if !participant.spheres.isEmpty { text += " (" + participant.spheres.map(\.shortLabel).joined(separator: ", ") + ")" }
            return ParticipantLine(text: text)
        }
        speakers = record.participants.filter { !$0.listening }.map(line)
        listeners = record.participants.filter(\.listening).map(line)
        questions = record.questions.map { outcome in
            QuestionLine(text: outcome.question.text, agreement: outcome.agreement.label,
                         disagreement: outcome.agreement == .oneens || outcome.agreement == .deels,
                         answers: outcome.answers.map { AnswerLine(role: $0.role.label, text: $0.text) })
        }
        themes = record.themes.map { ThemeLine(text: $0.text, role: $0.role.label, spheres: $0.spheres.map(\.shortLabel).joined(separator: ", ")) }
        conclusions = record.conclusions
        invited = record.status == .concept && !record.invitedUsernames.isEmpty ? record.invitedUsernames.joined(separator: ", ") : nil
        actions = record.actions.map { ActionLine(what: $0.what, who: $0.who, due: $0.due.map { DutchDate.format($0.day) } ?? "—", status: $0.status.rawValue) }
        self.csrf = csrf
        self.publication = publication
        pageTitle = tr("{0} — {1} — Monitor pedagogische basis", record.title, gemeente.name)
    }
}

struct DialogueJSON: Codable {
    struct Figure: Codable { let indicator: String; let naam: String?; let gebied: String; let periode: String? }
    struct Person: Codable { let rol: String; let aantal: Int; let sferen: [String]; let luistert: Bool }
    struct Answer: Codable { let rol: String; let tekst: String }
    struct Question: Codable { let vraag: String; let sleutel: String; let overeenstemming: String; let antwoorden: [Answer] }
    struct Topic: Codable { let tekst: String; let rol: String; let sferen: [String] }
    struct Action: Codable { let wat: String; let wie: String; let wanneer: String?; let status: String }

    let id: Int
    let soort: String
    let titel: String
    let datum: String
    let gepubliceerd_op: String?
    let cijfers: [Figure]
    let deelnemers: [Person]
    let vragen: [Question]
    let themas: [Topic]
    let conclusies: String
    let acties: [Action]
    let url: String

    init(_ record: DialogueRecord, catalog: Catalog) {
        id = record.id
        soort = record.kind.rawValue
        titel = record.title
        datum = record.date.day
        gepubliceerd_op = record.publishedAt.map { ISO8601DateFormatter().string(from: $0) }
        cijfers = record.figures.map { Figure(indicator: $0.indicator, naam: catalog[$0.indicator]?.name, gebied: $0.area.rawValue, periode: $0.period) }
        deelnemers = record.participants.map { Person(rol: $0.role.rawValue, aantal: $0.count, sferen: $0.spheres.map(\.rawValue), luistert: $0.listening) }
        vragen = record.questions.map { Question(vraag: $0.question.text, sleutel: $0.question.rawValue, overeenstemming: $0.agreement.rawValue,
                                                 antwoorden: $0.answers.map { Answer(rol: $0.role.rawValue, tekst: $0.text) }) }
        themas = record.themes.map { Topic(tekst: $0.text, rol: $0.role.rawValue, sferen: $0.spheres.map(\.rawValue)) }
        conclusies = record.conclusions
        acties = record.actions.map { Action(wat: $0.what, wie: $0.who, wanneer: $0.due?.day, status: $0.status.rawValue) }
        url = SiteRoute.dialogue(record.gemeente.rawValue, record.id).path
    }
}
