import Foundation
import Hummingbird
import Monitor

/// `/toegankelijkheid` and `/contact`: who runs this installation, how to reach them, and how accessible the site is.
/// The contact line is the installation's own (`PBMONITOR_CONTACT`); without it the pages say so instead of
/// inventing an address.
struct AboutController: Sendable {
    let renderer: PageRenderer
    let contact: ContactLine

    func accessibilityPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        renderer.response(AccessibilityPage(contact: contact), chrome: context.chrome)
    }

    func contactPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        renderer.response(ContactPage(contact: contact), chrome: context.chrome)
    }
}

/// The installation's contact line as the pages show it.
struct ContactLine: Sendable {
    /// The line as configured; nil when nobody filled it in.
    var line: String?
    /// A `mailto:` link to the e-mail address in the line (stored: Mustache reads no computed properties).
    var mailto: String?

    init(_ configured: String) {
        let trimmed = configured.trimmingCharacters(in: .whitespacesAndNewlines)
        line = trimmed.isEmpty ? nil : trimmed
        mailto = trimmed.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" || $0 == "(" || $0 == ")" })
            .map(String.init)
            .first { word in
                let parts = word.split(separator: "@", omittingEmptySubsequences: false)
                return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
            }
            .map { "mailto:" + $0 }
    }
}

/// View model of `pages/accessibility.mustache`: the statement in the structure of the Dutch model
/// (digitoegankelijk.nl): status, how it was checked, what does not comply and why, feedback, enforcement.
struct AccessibilityPage: Sendable {
    var pageTitle = tr("Toegankelijkheid — Monitor pedagogische basis")
    var contact: ContactLine
    var version = Release.version
    var contactURL = SiteRoute.contact.path
    var privacyURL = SiteRoute.privacy.path
    /// The checks every build runs (`AccessibilityBrowserTests` in `.ci/run`).
    var widths = DutchNumber.list(["320", "375", "768", "1024", "1280"])
    var axeWidths = DutchNumber.list(["375", "1280"])
}

/// View model of `pages/contact.mustache`.
struct ContactPage: Sendable {
    var pageTitle = tr("Contact — Monitor pedagogische basis")
    var contact: ContactLine
    var accessibilityURL = SiteRoute.accessibility.path
    var privacyURL = SiteRoute.privacy.path
    var indicatorsURL = SiteRoute.indicators.path
}
