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
        pageTitle = tr("Rapport {0} — Monitor pedagogische basis", area.name)
        runningHeader = Self.cssString(tr("Rapport {0} · {1} · Monitor pedagogische basis", area.name, DutchDate.long(generated)))
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
                var text = cell.indicators.isEmpty ? tr("geen indicator")
                    : (measured == 0 ? tr("beschreven, niet gemeten ({0})", cell.indicators.count) : tr("{0} van {1} met een cijfer", measured, cell.indicators.count))
                if local > 0 { text += tr(" · {0} op het gespreksmodel", local) }
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
        var s = tr("# Rapport {0} ({1})\n\n", name, code)
        s += tr("Gemaakt op {0} met pbmonitor, de monitor pedagogische basis. Een verschil is een beschrijving, geen oordeel of rangorde.\n\n", generated)
        s += facts.map { "- **\(md($0.label))**: \(md($0.value))" }.joined(separator: "\n") + "\n\n"
        s += tr("## Profiel\n\nPer indicator het nieuwste cijfer, vergeleken met {0}.\n\n", referenceSentence)
        for section in sections {
            s += "### \(section.label)\n\n"
            if let missing = section.missing { s += tr("Geen cijfer voor {0}: {1}.\n\n", md(name), md(missing)) }
            if section.rows.isEmpty { continue }
            s += table([tr("Indicator"), tr("Waarde"), tr("Periode")] + referenceNames + (hasPeers ? [tr("Vergelijkbare gemeenten")] : []) + [tr("Bron")],
                       section.rows.map { row in
                           [row.indicatorName, row.value + (row.regionNote.map { " (\($0))" } ?? "") + (row.revision.map { " (\($0))" } ?? ""), row.period]
                               + row.comparisons.map { $0.value + ($0.difference.map { " (\($0))" } ?? "") }
                               + (hasPeers ? [row.peerSummary ?? ""] : []) + [row.source]
                       }) + "\n"
        }
        s += tr("## Vergelijkbare gemeenten\n\n")
        s += peers.isEmpty ? tr("Geen vergelijkbare gemeenten berekend.\n\n")
            : tr("Gemeenten die op {0} lijken naar grootte, dichtheid, gezinnen, inkomen en herkomst (kleinere afstand = meer gelijk). Vergelijken om van te leren, niet om te rangschikken.\n\n", name)
                + table([tr("Gemeente"), tr("Code"), tr("Afstand")], peers.map { [$0.name, $0.code, $0.distance] }) + "\n"
        s += tr("## De wijken op de kaart\n\n")
        if maps.isEmpty { s += tr("Geen wijkcijfers voor de kaarten.\n\n") }
        for map in maps {
            s += "### \(md(map.title))\n\n" + table([tr("Klasse"), tr("Wijken")], map.legend.map { [$0.label, String($0.count)] }) + "\n"
            s += tr("De kaart zelf staat in de HTML- en PDF-versie van dit rapport.\n\n")
        }
        s += tr("## Lantaarnpaal: wat meten we hier wel en niet?\n\n")
        s += table([tr("Sfeer")] + perspectives, lamppost.map { [$0.sphere] + $0.cells.map(\.text) }) + "\n"
        s += gaps.isEmpty ? "" : tr("Zonder cijfer voor {0}: {1}.\n\n", name, gaps.joined(separator: "; "))
        s += tr("Relaties (het weefsel tussen de sferen) meet geen enkele indicator; die komen in de gesprekken hieronder aan bod.\n\n")
        s += tr("## Wat zeggen we ervan? Gesprekken en acties\n\n")
        if dialogues.isEmpty { s += tr("Nog geen gepubliceerde gesprekken.\n\n") }
        for dialogue in dialogues {
            s += tr("### {0}\n\n{1} op {2}; deelnemers: {3}.\n\n", md(dialogue.title), md(dialogue.kind), md(dialogue.date), md(dialogue.participants))
            for question in dialogue.questions { s += "- \(md(question.question)) — \(md(question.agreement))\n" }
            if !dialogue.questions.isEmpty { s += "\n" }
            if !dialogue.conclusions.isEmpty { s += tr("**Conclusies.** {0}\n\n", md(dialogue.conclusions)) }
            if !dialogue.actions.isEmpty {
                s += table([tr("Actie"), tr("Wie"), tr("Wanneer"), tr("Status")], dialogue.actions.map { [$0.what, $0.who, $0.due, $0.status] }) + "\n"
            }
        }
        s += tr("## Gespreksmodel: wat hoort bij onze pedagogische basis?\n\n")
        if conversationBoardItems.isEmpty { s += tr("Er staat nog niets op het gespreksmodel.\n\n") }
        else {
            s += table(["Nr.", tr("Onderdeel"), tr("Plek"), tr("Perspectief"), tr("Antwoorden")],
                       conversationBoardItems.map { item in
                           [String(item.number), "\(item.name) (\(item.kind))", item.place, item.perspectives,
                            ([item.tally] + item.answers.map { "\($0.answer) — \($0.speaker): \($0.reason)" }).joined(separator: "; ")]
                       }) + "\n"
        }
        s += tr("---\n\n{0}. Alleen geaggregeerde cijfers; een waarde die op minder dan {1} personen rust, staat er niet in.\n", attribution, PrivacyPolicy.minimumCount)
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
