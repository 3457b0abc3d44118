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
