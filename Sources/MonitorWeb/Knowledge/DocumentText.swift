import Foundation
import Monitor

/// The text of an uploaded or imported document: plain text (UTF-8), HTML (tags out), or PDF through `pdftotext` from
/// Debian's poppler-utils (found on the path or via `PBMONITOR_PDFTOTEXT`), with a clear message when it is missing.
public enum DocumentText {
    /// The most text one document or study may hold (about 300,000 words): a bigger one is refused, so that one file
    /// cannot make every search and analysis slow for everyone.
    public static let maximumTextBytes = CouncilDocument.maximumTextBytes
    /// How long `pdftotext` may take for one file.
    public static let pdfTimeLimit: TimeInterval = 20

    public static func extract(_ data: Data, fileName: String) throws -> String {
        let lower = fileName.lowercased()
        guard !data.isEmpty else { throw ImportError(file: fileName, expected: tr("een bestand met inhoud (dit bestand is leeg)")) }
        let text: String
        if lower.hasSuffix(".pdf") || data.starts(with: Array("%PDF".utf8)) {
            text = try pdf(data, fileName: fileName)
        } else if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
            guard let html = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .windowsCP1252) else {
                throw ImportError(file: fileName, expected: tr("HTML in UTF-8"))
            }
            text = HTMLText.text(html)
        } else if lower.hasSuffix(".txt") || lower.hasSuffix(".md") || !lower.contains(".") {
            guard let plain = String(data: data, encoding: .utf8) else {
                throw ImportError(file: fileName, expected: tr("platte tekst in UTF-8 (sla het bestand op als UTF-8)"))
            }
            text = plain
        } else {
            throw ImportError(file: fileName, found: (fileName as NSString).pathExtension, expected: tr("een .txt-, .html- of .pdf-bestand"))
        }
        guard text.utf8.count <= maximumTextBytes else {
            throw ImportError(file: fileName, found: tr("{0} kB tekst", text.utf8.count / 1_000),
                              expected: tr("ten hoogste {0} MB tekst per document (splits het document of lever een samenvatting aan)", maximumTextBytes >> 20))
        }
        guard text.contains(where: \.isLetter) else {
            throw ImportError(file: fileName, expected: tr("tekst (er staat geen leesbare tekst in; is het een gescande PDF zonder tekstlaag?)"))
        }
        return text
    }

    public static var pdftotext: String? { MonitorConfiguration.tool("pdftotext", names: ["pdftotext"]) }

    static func pdf(_ data: Data, fileName: String) throws -> String {
        guard let tool = pdftotext else {
            throw ImportError(file: fileName, expected: tr("pdftotext om PDF te lezen; installeer poppler-utils (apt-get install poppler-utils) of lever tekst of HTML aan"))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf"), output = directory.appendingPathComponent("uit.txt")
        try data.write(to: input)
        // Limits a PDF cannot get past (a small PDF can hold tens of megabytes of text — a "PDF bomb" that kept
        // pdftotext busy for minutes at 1 GB): the shell sets a file-size limit (SIGXFSZ past it) and a memory limit,
        // and coreutils' `timeout` kills it after the time limit. Waiting with a deadline inside this process did not end
        // the child reliably (polling a Process from a task), so the limits live outside it.
        let process = Process()
        let limiter = FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout") ? "exec /usr/bin/timeout -s KILL \(Int(pdfTimeLimit)) " : "exec "
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f \(maximumTextBytes / 512 + 1); ulimit -v 1048576; \(limiter)\"$0\" -enc UTF-8 -l 2000 \"$1\" \"$2\"",
                             tool, input.path, output.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now  // elapsed time, not the time of day
        try process.run()
        process.waitUntilExit()
        let status = process.terminationStatus
        let written = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        // SIGXFSZ: 25, or 128 + 25 when it reaches us through the shell's exec.
        if status == 128 + 25 || (process.terminationReason == .uncaughtSignal && status == 25) || written > maximumTextBytes {
            throw ImportError(file: fileName, expected: tr("ten hoogste {0} MB tekst per document (deze PDF bevat meer)", maximumTextBytes >> 20))
        }
        // `timeout -s KILL` exits with 128 + 9.
        if status == 128 + 9 || (process.terminationReason == .uncaughtSignal && status == 9) || ContinuousClock.now - started >= .seconds(pdfTimeLimit) {
            throw ImportError(file: fileName, expected: tr("een PDF die binnen {0} seconden te lezen is (deze bevat te veel tekst of is te ingewikkeld)", Int(pdfTimeLimit)))
        }
        guard process.terminationStatus == 0, let text = try? String(contentsOf: output, encoding: .utf8) else {
            throw ImportError(file: fileName, expected: tr("een leesbare PDF (pdftotext gaf foutcode {0})", process.terminationStatus))
        }
        return text
    }
}
