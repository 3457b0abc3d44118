import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorTestSupport
@testable import MonitorWeb
import Testing

/// The time comes from one clock (`MonitorConfiguration.clock`): pages propose and print the Dutch date of that clock.
@Suite("Eén klok")
struct ClockTests {
    /// 31 March 2026, 22:30 UTC: already 1 April in Amsterdam (summer time, UTC+2).
    static let justAfterMidnight = WallClock.fixed(Date(timeIntervalSince1970: 1_774_996_200))

    @Test func todayIsTheDutchDayNotTheUTCDay() {
        #expect(ISO8601DateFormatter().string(from: Self.justAfterMidnight.now).hasPrefix("2026-03-31T22:30"))
        #expect(Self.justAfterMidnight.today == "2026-04-01")
        // Winter time: 23:30 UTC on 31 December is 00:30 on 1 January.
        #expect(WallClock.fixed(Date(timeIntervalSince1970: 1_798_759_800)).today == "2027-01-01")
    }

    @Test func newFormsProposeTheClocksDateAndTheReportIsDatedByIt() async throws {
        try await AccountWorld.with(clock: Self.justAfterMidnight) { client, world in
            var analist = try await Browser.loggedIn(client, as: world.analist.username)
            let dialogue = try await analist.get(client, SiteRoute.newDialogue("GM0363").path)
            #expect(dialogue.text.contains(#"name="datum" type="date" value="2026-04-01""#))
            let networks = try await analist.get(client, SiteRoute.networks("GM0363").path)
            #expect(networks.text.contains(#"value="2026-04-01""#))
            let report = try await analist.get(client, SiteRoute.report("GM0363").path)
            #expect(report.text.contains("Gemaakt op 1 april 2026"))
        }
    }
}
