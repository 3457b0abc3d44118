import Foundation
import Hummingbird
import Monitor
import MonitorStore

extension Store {
    /// The gemeente named by a route's `{code}`; a Dutch 404 when there is none.
    func gemeente(from context: AppRequestContext) async throws -> Area {
        let raw = context.parameters.get("code") ?? ""
        guard let code = AreaCode(raw), code.kind == .gemeente, let area = try await area(code) else {
            throw AppError.notFound(tr("Onbekende gemeente: {0}", raw))
        }
        return area
    }

    /// Gemeenten typed as codes or names, separated by commas, semicolons or new lines (an account's gemeenten, a kopgroep's
    /// members, the peers invited to a joint duiding): the ones found, and the parts that are no gemeente.
    func gemeenten(typed text: String) async throws -> (codes: [AreaCode], unknown: [String]) {
        let all = try await areas(kind: .gemeente)
        var codes: [AreaCode] = [], unknown: [String] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }).map({ String($0).trimmedWhitespace }) where !part.isEmpty {
            if let area = all.first(where: { $0.code.rawValue == part.uppercased() || $0.name.lowercased() == part.lowercased() }) {
                codes.append(area.code)
            } else {
                unknown.append(part)
            }
        }
        return (codes, unknown)
    }

    /// The name of every gemeente, by code.
    func gemeenteNames() async throws -> [AreaCode: String] {
        Dictionary(try await areas(kind: .gemeente).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}

/// A gemeente typed in a form, as a code or a name ("GM0363", "Amsterdam", "Den Haag", "Weesp"): one gemeente, or a
/// plain-Dutch error that says what was not found or which gemeenten the text fits.
enum GemeenteInput {
    static func resolve(_ raw: String, parameter: String, store: any Store) async throws -> AreaCode {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let code = AreaCode(text.uppercased()), code.kind == .gemeente { return code }
        guard text.count <= 100 else { throw AppError.badRequest(parameter: parameter, message: tr("een gemeentenaam is hoogstens 100 tekens")) }
        let found = AreaNames.resolve(text, among: try await store.areas(kind: .gemeente))
        switch found.count {
        case 1: return found[0].code
        case 0:
            throw AppError.badRequest(parameter: parameter,
                                      message: tr("geen gemeente gevonden met de naam of code '{0}' (bijvoorbeeld Amsterdam of GM0363)", text))
        default:
            let names = found.prefix(5).map(\.name).joined(separator: ", ") + (found.count > 5 ? " …" : "")
            throw AppError.badRequest(parameter: parameter, message: tr("'{0}' past bij meer gemeenten: {1}; typ de naam voluit", text, names))
        }
    }
}
