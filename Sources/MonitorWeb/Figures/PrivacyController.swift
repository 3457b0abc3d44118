import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// `/privacy`: the privacy rules in words, with what disclosure control hides in this installation right now.
struct PrivacyController: Sendable {
    let store: any Store
    let renderer: PageRenderer
    /// The installation's contact line (`PBMONITOR_CONTACT`), for questions about one's own data.
    let contact: ContactLine

    /// The privacy rules in words, with what disclosure control hides in this installation right now.
    func privacyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (byReason, positions) = try await store.disclosureCounts()
        return renderer.response(PrivacyPage(byReason: byReason, positions: positions, contact: contact), chrome: context.chrome)
    }
}

