import Foundation
import Hummingbird
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import NIOCore
@testable import MonitorWeb
import Testing

@Suite("Acties als routes")
struct ActionRouteTests {
    @Test func everyActionIsAPostRouteOfItsOwnThatAGetDoesNotReach() async throws {
        #expect(!SiteRoute.Pattern.actions.isEmpty)
        #expect(Set(SiteRoute.Pattern.actions).count == SiteRoute.Pattern.actions.count)
        #expect(Set(SiteRoute.Pattern.allCases.filter(\.isAction)) == Set(SiteRoute.Pattern.actions), "Pattern.actions lists every action")
        try await withApp { client in
            for pattern in SiteRoute.Pattern.actions {
                #expect(pattern.changesState)
                let path = pattern.path(code: "GM0363", id: 1)
                try await client.execute(uri: path, method: .get) { response in
                    #expect([.notFound, .methodNotAllowed].contains(response.status), "GET \(path): \(response.status)")
                }
                // Without a session and a form token nothing happens.
                try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "csrf=x")) { response in
                    #expect(response.status == .forbidden, "POST \(path): \(response.status)")
                }
            }
        }
    }

    @Test func aFormOfAnEarlierVersionThatPostsActieToTheRecordReachesTheActionsRoute() {
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "publiceren") == .networkPublish)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/vragenlijsten/{id}", named: "ronde-openen") == .roundOpen)
        #expect(LegacyActions.action(under: "/documenten", named: "verwijderen") == .documentRemove)
        #expect(LegacyActions.action(under: "/beheer/gebruikers/{id}", named: "rol") == .accountRole)
        #expect(LegacyActions.parent(of: .networkPublish) == SiteRoute.Pattern.network.rawValue)
        // Only actions that exist: anything else is left to the page's own POST (or its 404).
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "verwijderen") == nil)
        #expect(LegacyActions.action(under: "/beheer/ggd-koppeling", named: "opslaan") == nil)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/vragenlijsten", named: "nieuw") == nil)
        #expect(LegacyActions.action(under: "/gemeenten/{code}/netwerken/{id}", named: "../../x") == nil)
        // Every action hangs under a page of the route table.
        for action in SiteRoute.Pattern.actions { #expect(SiteRoute.Pattern(rawValue: LegacyActions.parent(of: action)) != nil, "\(action)") }
    }
}
