import Foundation

/// What time it is, passed in rather than read: the system clock in the server and the command line, a fixed moment in
/// tests and snapshots. The composition root takes it from ``MonitorConfiguration/clock``; a handler reads it from its
/// request context, the store from its own `clock`.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The system clock.
    public static let system = WallClock { Date() }

    /// A clock that always says `moment`.
    public static func fixed(_ moment: Date) -> WallClock { WallClock { moment } }

    /// Now.
    public var now: Date { read() }

    /// Today's date in the Netherlands as `yyyy-MM-dd` (what a new form proposes), not in UTC: after midnight in
    /// Amsterdam it is already the next day.
    public var today: String { DutchDate.isoDay(now) }
}
