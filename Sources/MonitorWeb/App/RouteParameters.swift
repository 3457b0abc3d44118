import Foundation
import Hummingbird
import Monitor
import MonitorStore

extension Store {
    /// The gemeente named by a route's `{code}`; a Dutch 404 when there is none.
    func gemeente(from context: AppRequestContext) async throws -> Area {
        let raw = context.parameters.get("code") ?? ""
        guard let code = AreaCode(raw), code.kind == .gemeente, let area = try await area(code) else {
            throw AppError.notFound("Onbekende gemeente: \(raw)")
        }
        return area
    }
}
