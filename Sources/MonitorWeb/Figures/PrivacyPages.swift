import Foundation
import Hummingbird
import Monitor
import MonitorStore

/// View model of `pages/privacy.mustache`.
struct PrivacyPage: Sendable {
    struct Row: Sendable { var reason: String; var explanation: String; var count: String; var share: String }
    var pageTitle = tr("Privacy: wat de monitor niet laat zien — Monitor pedagogische basis")
    var rows: [Row]
    var positions: String
    var hidden: String
    var hiddenShare: String
    var contact: ContactLine
    var contactURL = SiteRoute.contact.path
    var sessionHours = Int(AccountController.sessionLifetime / 3600)

    init(byReason: [DisclosureControl.Reason: Int], positions: Int, contact: ContactLine) {
        self.contact = contact
        func share(_ count: Int) -> String {
            positions > 0 ? DutchNumber.format(Double(count) / Double(positions) * 100, unit: .procent, decimals: 1) : "—"
        }
        let explanations: [DisclosureControl.Reason: String] = [
            .primary: tr("rust op minder dan {0} personen (of is door de bron geheimgehouden)", PrivacyPolicy.minimumCount),
            .complementary: tr("zelf groot genoeg, maar verborgen zodat een klein aantal elders niet als verschil terug te rekenen is"),
            .derived: tr("een percentage of aantal per 1.000 waarvan de teller of noemer verborgen is"),
        ]
        rows = [DisclosureControl.Reason.primary, .complementary, .derived].map { reason in
            Row(reason: reason.rawValue, explanation: explanations[reason] ?? "", count: DutchNumber.format(Double(byReason[reason] ?? 0), decimals: 0),
                share: share(byReason[reason] ?? 0))
        }
        let total = byReason.values.reduce(0, +)
        self.positions = DutchNumber.format(Double(positions), decimals: 0)
        hidden = DutchNumber.format(Double(total), decimals: 0)
        hiddenShare = share(total)
    }
}
