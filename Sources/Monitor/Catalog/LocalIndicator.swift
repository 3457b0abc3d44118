import Foundation

/// An indicator a gemeente defined itself, in the browser (issue 18): the same fields as an entry of `catalog/*.yaml`,
/// kept as that YAML, so one validator serves both and a published one can be proposed for the shared catalogue as is.
/// A concept until the gemeente publishes it; then it takes figures through the drafts upload like any indicator.
/// Only the gemeente's users see it, unless a beheerder shares it with everyone.
public struct LocalIndicator: Sendable, Hashable, Codable, Identifiable {
    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    /// The catalogue id, always `<gemeente code in lower case>_<name>`, e.g. `gm0363_speeltuinbezoek`.
    public var indicator: String
    public var status: Status
    /// Shared with everyone by a beheerder.
    public var shared: Bool
    /// Every save, publication, withdrawal and share is a new version.
    public var version: Int
    /// The entry as a catalogue file (`indicatoren:` with this one entry).
    public var yaml: String
    public var createdBy: String

    public init(id: Int = 0, gemeente: AreaCode, indicator: String, status: Status = .concept, shared: Bool = false, version: Int = 0,
                yaml: String, createdBy: String = "") {
        self.id = id
        self.gemeente = gemeente
        self.indicator = indicator
        self.status = status
        self.shared = shared
        self.version = version
        self.yaml = yaml
        self.createdBy = createdBy
    }

    /// The prefix every id of this gemeente's own indicators starts with, e.g. `gm0363_`.
    public static func prefix(of gemeente: AreaCode) -> String { gemeente.rawValue.lowercased() + "_" }

    /// Where the entry was defined, for messages and the indicator page ("eigen indicator van GM0363").
    public static func origin(of gemeente: AreaCode) -> String { tr("eigen indicator van {0}", gemeente.rawValue) }
}
