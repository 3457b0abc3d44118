import Foundation
import Monitor
import MultipartKit
import NIOCore

/// A parsed form body: `application/x-www-form-urlencoded`, or `multipart/form-data` with uploaded files.
public struct FormData: Sendable {
    /// An uploaded file.
    public struct File: Sendable {
        public var fileName: String
        public var data: Data
    }

    public private(set) var fields: [(String, String)] = []
    public private(set) var files: [String: File] = [:]

    /// URL-encoded text.
    public init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            fields.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
    }

    /// A body of either kind, by its content type (a whole body at hand: tests and the fuzzer; the server streams an
    /// upload through ``MultipartFormReader``). A multipart body that cannot be read gives an empty form.
    public init(body: Data, contentType: String?) {
        guard let reader = MultipartFormReader(contentType: contentType) else {
            self.init(String(decoding: body, as: UTF8.self))
            return
        }
        do {
            try reader.feed(ByteBuffer(bytes: body))
            self = try reader.finish()
        } catch {
            self.init("")
        }
    }

    mutating func append(field name: String, value: String) { fields.append((name, value)) }
    mutating func set(file: File, named name: String) { files[name] = file }

    /// The parameters of a `Content-Disposition` header value (`form-data; name="bestand"; filename="a.csv"`), by lower-case
    /// name: quoted strings with their backslash escapes (RFC 7578, RFC 2616 §2.2), a `;` or `=` inside quotes kept, and
    /// `filename*=UTF-8''…` (RFC 6266/8187, percent-encoded) under the key `filename*`. Browsers escape `"` and line breaks in
    /// names as `%22`, `%0D`, `%0A` (the WHATWG form encoding); those are decoded back.
    static func dispositionParameters(_ value: String) -> [String: String] {
        var parameters: [String: String] = [:]
        var pieces: [String] = []
        var current = ""
        var quoted = false, escaped = false
        for character in value {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\" where quoted: escaped = true; current.append(character)
            case "\"": quoted.toggle(); current.append(character)
            case ";" where !quoted: pieces.append(current); current = ""
            default: current.append(character)
            }
        }
        pieces.append(current)
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            if key.hasSuffix("*") {
                // charset'language'percent-encoded (RFC 8187): browsers send UTF-8, the one charset every reader must know.
                let parts = raw.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3, parts[0].lowercased() == "utf-8", let text = String(parts[2]).removingPercentEncoding { parameters[key] = text }
                continue
            }
            if raw.hasPrefix("\""), raw.count >= 2, raw.hasSuffix("\"") {
                var unescaped = ""
                var escape = false
                for character in raw.dropFirst().dropLast() {
                    if escape { unescaped.append(character); escape = false } else if character == "\\" { escape = true } else { unescaped.append(character) }
                }
                raw = unescaped
            }
            parameters[key] = raw.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "\r")
                .replacingOccurrences(of: "%0A", with: "\n")
        }
        return parameters
    }

    public subscript(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }
    public func all(_ name: String) -> [String] { fields.filter { $0.0 == name }.map(\.1) }

    /// Several codes or login names typed in one field, separated by commas, semicolons, spaces or line breaks.
    /// (A GET form's "+" for a space is already a space: see `FormQueryMiddleware`.)
    public static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
    }
}

/// Reads a `multipart/form-data` body as it arrives, chunk by chunk. vapor/multipart-kit's `MultipartParser` finds the
/// parts and their headers (boundaries split across chunks, CRLF inside content, preamble and epilogue); what a part's
/// `Content-Disposition` says is read by ``FormData/dispositionParameters(_:)``, because multipart-kit's own lookup splits
/// on every `;` and `=` and knows neither escaped quotes nor `filename*=`. A file's bytes go straight to a temporary
/// file and are read back memory-mapped, so an upload is never held whole on the heap; fields are kept in memory
/// (the caller limits the whole body).
final class MultipartFormReader {
    private enum Part {
        case headers([(String, String)])
        case field(name: String, bytes: [UInt8])
        case file(name: String, fileName: String, handle: FileHandle, url: URL)
        case skipped
    }

    private let parser: MultipartParser
    private var part = Part.headers([])
    private var form = FormData("")
    private var files: [(name: String, fileName: String, url: URL)] = []
    private var temporaries: [URL] = []
    private var failure: (any Error)?

    /// A reader for a `multipart/form-data` content type with a boundary; nil for any other body.
    init?(contentType: String?) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        let parameters = FormData.dispositionParameters(contentType)
        guard let boundary = parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else { return nil }
        parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in
            if case .headers(var headers) = part {
                headers.append((name, value))
                part = .headers(headers)
            }
        }
        parser.onBody = { [unowned self] buffer in
            begin()
            switch part {
            case .field(let name, var bytes):
                bytes.append(contentsOf: buffer.readableBytesView)
                part = .field(name: name, bytes: bytes)
            case .file(_, _, let handle, _):
                do { try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) } } catch { failure = failure ?? error }
            case .headers, .skipped:
                break
            }
        }
        parser.onPartComplete = { [unowned self] in
            begin()
            switch part {
            case .field(let name, let bytes):
                form.append(field: name, value: String(decoding: bytes, as: UTF8.self))
            case .file(let name, let fileName, let handle, let url):
                do { try handle.close() } catch { failure = failure ?? error }
                files.append((name, fileName, url))
            case .headers, .skipped:
                break
            }
            part = .headers([])
        }
    }

    deinit {
        if case .file(_, _, let handle, _) = part { try? handle.close() }
        for url in temporaries { try? FileManager.default.removeItem(at: url) }
    }

    /// Decides, once a part's headers are in, whether it is a field, a file or something to skip (no name).
    private func begin() {
        guard case .headers(let headers) = part else { return }
        guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else {
            part = .skipped
            return
        }
        let parameters = FormData.dispositionParameters(disposition)
        guard let name = parameters["name"] else {
            part = .skipped
            return
        }
        guard let fileName = parameters["filename*"] ?? parameters["filename"] else {
            part = .field(name: name, bytes: [])
            return
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = try? FileHandle(forWritingTo: url) else {
            failure = failure ?? CocoaError(.fileWriteUnknown)
            part = .skipped
            return
        }
        temporaries.append(url)
        part = .file(name: name, fileName: fileName, handle: handle, url: url)
    }

    /// The next chunk of the body. Throws when the body is not multipart (a header line without a colon, a boundary
    /// followed by anything but a line break or `--`) or a temporary file cannot be written.
    func feed(_ chunk: ByteBuffer) throws {
        try parser.execute(chunk)
        if let failure { throw failure }
    }

    /// The form once the whole body is in. A part cut off by the end of the body is left out.
    func finish() throws -> FormData {
        if let failure { throw failure }
        var form = form
        for file in files {
            let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
            // An empty file input (no name, no bytes) is not an upload.
            guard !file.fileName.isEmpty || size > 0 else { continue }
            // A slice of the mapped file, not a copy; the name is removed in deinit, the mapping stays valid.
            let data = size == 0 ? Data() : try Data(contentsOf: file.url, options: .alwaysMapped)
            form.set(file: FormData.File(fileName: file.fileName, data: data), named: file.name)
        }
        return form
    }
}

/// What a form shows after a refused submission: each problem next to its field and, linked, in a summary at the top;
/// and what was typed, so nothing has to be typed again. In plain Dutch: "Verwacht: een periode als 2024 (u vulde in:
/// “vorig jaar”)", not the file, line and column a CSV import names.
struct FormFeedback: Sendable {
    /// One problem in the summary; `link` is the id of the field it concerns, nil for a problem of the whole form.
    struct Item: Sendable {
        var field: String; var label: String; var message: String
        /// Stored, not computed: Mustache reads stored properties only.
        var link: String?

        init(field: String, label: String, message: String) {
            self.field = field; self.label = label; self.message = message
            link = field.isEmpty ? nil : field
        }
    }

    /// Message per field id (`{{#feedback.errors.naam}}`).
    var errors: [String: String] = [:]
    /// The summary, in the order of the form.
    var summary: [Item] = []
    /// What was typed, per field id (`value="{{feedback.values.naam}}"`).
    var values: [String: String] = [:]

    var isEmpty: Bool { summary.isEmpty }

    init() {}

    /// Problems a controller found itself, each for one field (in the form's order of `fields`; `""` is the form as a
    /// whole, such as a refusal by the store); messages as sentences, each once.
    init(problems: [(field: String, message: String)], fields: [(id: String, label: String)], typed: [String: String] = [:]) {
        values = typed
        var seen = Set<String>()
        for (field, text) in problems where seen.insert(field + "\u{0}" + text).inserted {
            let message = text.prefix(1).uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
            errors[field] = errors[field].map { $0 + " " + message } ?? message
            summary.append(Item(field: field, label: fields.first { $0.id == field }?.label ?? tr("Het formulier"), message: message))
        }
        let order = Dictionary(fields.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        summary.sort { (order[$0.field] ?? .max) < (order[$1.field] ?? .max) }
    }

    /// Problems a domain type found, each for one of its parts (`DialogueRecord.Part`, `NetworkMap.Part`, …), shown at the
    /// form element `fields` names for that part; a part without one (`.other`) is a problem of the whole form.
    init<Part: Equatable>(problems: [(part: Part, message: String)], fields: [(part: Part, id: String, label: String)]) {
        self.init(problems: problems.map { problem in (fields.first { $0.part == problem.part }?.id ?? "", problem.message) },
                  fields: fields.map { ($0.id, $0.label) })
    }

    /// `fields`: the form's fields in order, as (field id, label, column of the importer it feeds).
    init(problems: [ImportError], fields: [(id: String, label: String, column: String)], typed: [String: String]) {
        values = typed
        for problem in problems {
            let field = fields.first { $0.column == problem.column } ?? fields.first { $0.id == problem.column }
            var message = tr("Verwacht: {0}", problem.expected)
            if let found = problem.found?.trimmingCharacters(in: .whitespaces), !found.isEmpty {
                message += tr(" (u vulde in: “{0}”)", found.count > 60 ? String(found.prefix(60)) + "…" : found)
            }
            message += "."
            let id = field?.id ?? fields.first?.id ?? ""
            errors[id] = errors[id].map { $0 + " " + message } ?? message
            summary.append(Item(field: id, label: field?.label ?? tr("Het formulier"), message: message))
        }
        let order = Dictionary(fields.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        summary.sort { (order[$0.field] ?? .max) < (order[$1.field] ?? .max) }
    }
}
