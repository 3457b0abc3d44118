import ArgumentParser
import Foundation
import Monitor
import MonitorStore
import MonitorWeb

/// `pbmonitor report GM0363 --out rapport.pdf`: the report of a gemeente as HTML, Markdown or PDF.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Maak het rapport van een gemeente: HTML, Markdown of PDF.",
        discussion: """
            Het rapport bevat het profiel, de vergelijking met vergelijkbare gemeenten, wijkkaarten, de lantaarnpaal voor
            de gemeente, de gepubliceerde gesprekken met hun acties en het gespreksmodel — alleen gepubliceerde gegevens.
            Het formaat volgt uit de extensie van --out (.html, .md, .pdf) of uit --formaat. PDF maakt headless Chromium
            (chromium of google-chrome op het pad, of PBMONITOR_CHROMIUM).
            """, aliases: ["rapport"])

    @Argument(help: "CBS-code van de gemeente, bijvoorbeeld GM0363.")
    var gemeente: String

    @Option(name: .long, help: "Bestand om te schrijven (.html, .md of .pdf); zonder --out gaat HTML of Markdown naar standaarduitvoer.")
    var out: String?

    @Option(name: .long, help: "html, markdown of pdf (standaard: volgens de extensie van --out, anders html).")
    var formaat: String?

    @OptionGroup var store: StoreOptions

    func format() throws -> GemeenteReport.Format {
        if let formaat {
            guard let format = GemeenteReport.Format(rawValue: formaat == "md" ? "markdown" : formaat.lowercased()) else {
                throw ValidationError("onbekend formaat '\(formaat)': kies html, markdown of pdf")
            }
            return format
        }
        switch out.map({ URL(fileURLWithPath: $0).pathExtension.lowercased() }) {
        case "md", "markdown": return .markdown
        case "pdf": return .pdf
        default: return .html
        }
    }

    func validate() throws {
        if try format() == .pdf && out == nil { throw ValidationError("een pdf gaat naar een bestand: geef --out rapport.pdf") }
    }

    func run() async throws {
        let format = try format()
        let configuration = try store.configuration()
        let catalog = try Shared.loadCatalog(configuration)
        let started = Date()
        let document: String
        do {
            document = try await Shared.withStore(configuration, catalog: catalog) { store in
                try await GemeenteReport.render(store: store, gemeente: gemeente, format: format, generated: configuration.clock.now)
            }
        } catch let error as AppError {
            Shared.standardError(error.message)
            throw Exit.inputRejected
        }
        guard let out else {
            print(document)
            return
        }
        let target = URL(fileURLWithPath: out)
        if format == .pdf {
            try Self.printPDF(html: document, to: target)
        } else {
            try Data(document.utf8).write(to: target, options: .atomic)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0
        print("Rapport \(gemeente.uppercased()) geschreven naar \(out) (\(format.rawValue), \(size / 1000) kB, "
              + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s).")
    }

    /// Where headless Chromium is: `PBMONITOR_CHROMIUM`, or the usual names on the path.
    static func chromium() -> String? {
        MonitorConfiguration.tool("chromium", names: ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])
    }

    /// Prints the standalone HTML to PDF with headless Chromium; the PDF is written next to the target and moved
    /// in place only when Chromium succeeded, so a failure never leaves half a file.
    static func printPDF(html: String, to target: URL) throws {
        guard let chromium = chromium() else {
            Shared.standardError("""
                Voor een pdf is headless Chromium nodig, en dat is niet gevonden (chromium, chromium-browser of google-chrome op het pad,
                of PBMONITOR_CHROMIUM). Installeer het (Debian: apt-get install chromium) of maak het rapport als HTML
                (--out rapport.html) en druk dat af vanuit een browser.
                """)
            throw Exit.inputRejected
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-rapport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("rapport.html")
        try Data(html.utf8).write(to: page)
        let pdf = work.appendingPathComponent("rapport.pdf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                             "--user-data-dir=\(work.appendingPathComponent("profiel").path)",
                             "--print-to-pdf=\(pdf.path)", page.absoluteString]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: pdf), data.starts(with: Array("%PDF".utf8)) else {
            Shared.standardError("Chromium maakte geen pdf (afsluitcode \(process.terminationStatus)). \(messages.suffix(600))")
            throw Exit.inputRejected
        }
        try data.write(to: target, options: .atomic)
    }
}
