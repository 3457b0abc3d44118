import Foundation
import Monitor
import MonitorStore

/// View model of the gemeente report (`pages/report.mustache` on the site, `report-standalone.mustache` for a file),
/// and its Markdown rendering: one model, three outputs (HTML, Markdown, PDF from the HTML).
struct ReportPage: Sendable {
    /// A sphere's rows with a figure for the gemeente; the indicators without one are named in a sentence.
    struct Section: Sendable {
        var label: String; var anchor: String; var rows: [FigureRow]; var missing: String?
        /// The report names what is missing in plain text (`missing`); the profile links it.
        var missingItems: [AreaShowPage.MissingItem] = []
    }
    struct MapView: Sendable { var title: String; var svg: RenderedSVG; var legend: [ChoroplethMap.Legend]; var url: String }
    struct PeerRow: Sendable { var name: String; var code: String; var url: String; var distance: String }
    struct LampCell: Sendable { var text: String; var css: String }
    struct LampRow: Sendable { var sphere: String; var cells: [LampCell] }
    struct QuestionLine: Sendable { var question: String; var agreement: String; var disagreement: Bool }
    struct ActionLine: Sendable { var what: String; var who: String; var due: String; var status: String }
    struct DialogueSection: Sendable {
        var title: String
        var url: String
        var kind: String
        var date: String
        var participants: String
        var questions: [QuestionLine]
        var conclusions: String
        var actions: [ActionLine]
    }

    /// The printed page's running header, as the inside of a CSS string (the standalone report's `@page`).
    var runningHeader: String
    var pageTitle: String
    var name: String
    var code: String
    var url: String
    var markdownURL: String
    var generated: String
    var facts: [AreaShowPage.Fact]
    var referenceNames: [String]
    var referenceSentence: String
    var sections: [Section]
    var hasPeers: Bool
    var peersURL: String
    var peers: [PeerRow]
    var maps: [MapView]
    var perspectives: [String]
    var lamppost: [LampRow]
    var gaps: [String]
    var dialogues: [DialogueSection]
    var openActions: Int
    var conversationBoardURL: String
    var conversationBoardSVG: RenderedSVG
    var conversationBoardItems: [ConversationBoardItemView]
    var attribution = BundledData.attribution
    /// The spheres are sections of "Profiel" here (h3), not of the page (h2).
    var subheadings = true
    /// Only in the standalone file: the stylesheet, inlined.
    var stylesheet: String?

    init(profile: AreaController.Profile, catalog: Catalog, peers: [PeerFinder.Peer], names: [AreaCode: String], maps: [MapView],
         dialogues: [DialogueRecord], board: [ConversationBoardItem], lamppost: Lamppost, generated: Date) {
        let area = profile.area
        let code = area.code.rawValue
        let show = AreaShowPage(profile: profile, catalog: catalog)
        pageTitle = "Rapport \(area.name) — Monitor pedagogische basis"
        runningHeader = Self.cssString("Rapport \(area.name) · \(DutchDate.long(generated)) · Monitor pedagogische basis")
        name = area.name
        self.code = code
        url = SiteRoute.report(code).path
        markdownURL = SiteRoute.report(code).url([("formaat", "markdown")])
        self.generated = DutchDate.long(generated)
        facts = show.facts
        referenceNames = show.referenceNames
        referenceSentence = show.referenceSentence
        sections = show.sections.map { section in
            let without = section.missingItems.map(\.name) + section.rows.filter { !$0.hasValue }.map(\.indicatorName)
            return Section(label: section.label, anchor: section.anchor, rows: section.rows.filter(\.hasValue),
                           missing: without.isEmpty ? nil : without.joined(separator: "; "))
        }
        hasPeers = show.hasPeers
        peersURL = SiteRoute.peers(code).path
        self.peers = peers.map {
            PeerRow(name: names[$0.area] ?? $0.area.rawValue, code: $0.area.rawValue, url: SiteRoute.municipality($0.area.rawValue).path,
                    distance: DutchNumber.format($0.distance, decimals: 2))
        }
        self.maps = maps

        // The gemeente's lantaarnpaal (the same as `/lantaarnpaal?gemeente=`): per sphere × perspective how many
        // indicators have a figure of its own, and how many of its own items sit there on the gespreksmodel.
        perspectives = Perspective.allCases.map(\.label)
        var gaps: [String] = []
        self.lamppost = Sphere.allCases.map { sphere in
            LampRow(sphere: sphere.label, cells: Perspective.allCases.map { perspective in
                let cell = lamppost.cell(sphere, perspective)
                let measured = cell.measured.count
                let local = board.filter { $0.place == .sphere(sphere) && $0.perspectives.contains(perspective) }.count
                var text = cell.indicators.isEmpty ? "geen indicator"
                    : (measured == 0 ? "beschreven, niet gemeten (\(cell.indicators.count))" : "\(measured) van \(cell.indicators.count) met een cijfer")
                if local > 0 { text += " · \(local) op het gespreksmodel" }
                if cell.isGap { gaps.append("\(sphere.shortLabel) × \(perspective.label.lowercased())") }
                return LampCell(text: text, css: measured == 0 ? (local > 0 ? "thin-cell" : "gap-cell") : (measured < 3 ? "thin-cell" : "lit-cell"))
            })
        }
        self.gaps = gaps

        self.dialogues = dialogues.map { record in
            DialogueSection(
                title: record.title, url: SiteRoute.dialogue(code, record.id).path, kind: record.kind.label, date: DutchDate.format(record.date.day),
                participants: record.participants.map { "\($0.count) \($0.role.label)\($0.listening ? " (luisterend)" : "")" }.joined(separator: ", "),
                questions: record.questions.map {
                    QuestionLine(question: $0.question.text, agreement: $0.agreement.label, disagreement: $0.agreement == .oneens || $0.agreement == .deels)
                },
                conclusions: record.conclusions,
                actions: record.actions.map {
                    ActionLine(what: $0.what, who: $0.who, due: $0.due.map { DutchDate.format($0.day) } ?? "—", status: $0.status.rawValue)
                })
        }
        openActions = dialogues.flatMap(\.actions).filter { $0.status == .open || $0.status == .bezig }.count
        conversationBoardURL = SiteRoute.conversationBoard(code).path
        (conversationBoardItems, conversationBoardSVG) = ConversationBoardItemView.numbered(board, gemeenteName: area.name)
    }

    // MARK: Markdown

    /// The same report as Markdown (GitHub-flavoured tables), for council papers and wikis.
    /// Text entered by users, made inert in Markdown: HTML becomes entities (a Markdown viewer passes raw HTML
    /// through), the characters that start emphasis, links, code or tables are escaped, and line breaks become spaces.
    static func markdownText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            if "\\`*_[]|~#!".contains(character) { out += "\\" + String(character) } else if character.isNewline { out += " " } else { out.append(character) }
        }
        return xmlEscape(out)
    }

    func markdown() -> String {
        let md = Self.markdownText
        func cell(_ text: String) -> String { Self.markdownText(text) }
        func table(_ header: [String], _ rows: [[String]]) -> String {
            var s = "| " + header.map(cell).joined(separator: " | ") + " |\n"
            s += "|" + header.map { _ in " --- |" }.joined() + "\n"
            for row in rows { s += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            return s
        }
        var s = "# Rapport \(name) (\(code))\n\n"
        s += "Gemaakt op \(generated) met pbmonitor, de monitor pedagogische basis. Een verschil is een beschrijving, geen oordeel of rangorde.\n\n"
        s += facts.map { "- **\(md($0.label))**: \(md($0.value))" }.joined(separator: "\n") + "\n\n"
        s += "## Profiel\n\nPer indicator het nieuwste cijfer, vergeleken met \(referenceSentence).\n\n"
        for section in sections {
            s += "### \(section.label)\n\n"
            if let missing = section.missing { s += "Geen cijfer voor \(md(name)): \(md(missing)).\n\n" }
            if section.rows.isEmpty { continue }
            s += table(["Indicator", "Waarde", "Periode"] + referenceNames + (hasPeers ? ["Vergelijkbare gemeenten"] : []) + ["Bron"],
                       section.rows.map { row in
                           [row.indicatorName, row.value + (row.regionNote.map { " (\($0))" } ?? "") + (row.revision.map { " (\($0))" } ?? ""), row.period]
                               + row.comparisons.map { $0.value + ($0.difference.map { " (\($0))" } ?? "") }
                               + (hasPeers ? [row.peerSummary ?? ""] : []) + [row.source]
                       }) + "\n"
        }
        s += "## Vergelijkbare gemeenten\n\n"
        s += peers.isEmpty ? "Geen vergelijkbare gemeenten berekend.\n\n"
            : "Gemeenten die op \(name) lijken naar grootte, dichtheid, gezinnen, inkomen en herkomst (kleinere afstand = meer gelijk). Vergelijken om van te leren, niet om te rangschikken.\n\n"
                + table(["Gemeente", "Code", "Afstand"], peers.map { [$0.name, $0.code, $0.distance] }) + "\n"
        s += "## De wijken op de kaart\n\n"
        if maps.isEmpty { s += "Geen wijkcijfers voor de kaarten.\n\n" }
        for map in maps {
            s += "### \(md(map.title))\n\n" + table(["Klasse", "Wijken"], map.legend.map { [$0.label, String($0.count)] }) + "\n"
            s += "De kaart zelf staat in de HTML- en PDF-versie van dit rapport.\n\n"
        }
        s += "## Lantaarnpaal: wat meten we hier wel en niet?\n\n"
        s += table(["Sfeer"] + perspectives, lamppost.map { [$0.sphere] + $0.cells.map(\.text) }) + "\n"
        s += gaps.isEmpty ? "" : "Zonder cijfer voor \(name): \(gaps.joined(separator: "; ")).\n\n"
        s += "Relaties (het weefsel tussen de sferen) meet geen enkele indicator; die komen in de gesprekken hieronder aan bod.\n\n"
        s += "## Wat zeggen we ervan? Gesprekken en acties\n\n"
        if dialogues.isEmpty { s += "Nog geen gepubliceerde gesprekken.\n\n" }
        for dialogue in dialogues {
            s += "### \(md(dialogue.title))\n\n\(md(dialogue.kind)) op \(md(dialogue.date)); deelnemers: \(md(dialogue.participants)).\n\n"
            for question in dialogue.questions { s += "- \(md(question.question)) — \(md(question.agreement))\n" }
            if !dialogue.questions.isEmpty { s += "\n" }
            if !dialogue.conclusions.isEmpty { s += "**Conclusies.** \(md(dialogue.conclusions))\n\n" }
            if !dialogue.actions.isEmpty {
                s += table(["Actie", "Wie", "Wanneer", "Status"], dialogue.actions.map { [$0.what, $0.who, $0.due, $0.status] }) + "\n"
            }
        }
        s += "## Gespreksmodel: wat hoort bij onze pedagogische basis?\n\n"
        if conversationBoardItems.isEmpty { s += "Er staat nog niets op het gespreksmodel.\n\n" }
        else {
            s += table(["Nr.", "Onderdeel", "Plek", "Perspectief", "Antwoorden"],
                       conversationBoardItems.map { item in
                           [String(item.number), "\(item.name) (\(item.kind))", item.place, item.perspectives,
                            ([item.tally] + item.answers.map { "\($0.answer) — \($0.speaker): \($0.reason)" }).joined(separator: "; ")]
                       }) + "\n"
        }
        s += "---\n\n\(attribution). Alleen geaggregeerde cijfers; een waarde die op minder dan \(PrivacyPolicy.minimumCount) personen rust, staat er niet in.\n"
        return s
    }
}

extension ReportPage {
    /// Text as the inside of a double-quoted CSS string: no quote, backslash, line break or `<` can end it or the `<style>`.
    static func cssString(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\3c "
            case "\n", "\r": out += "\\a "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
