import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

@Suite("Gebruikersbeheer en auditlog")
struct AccountAdminTests {
    @Test func aBeheerderAddsAnAnalistWhoCanLogInAndEveryStepIsInTheAuditLog() async throws {
        try await AccountWorld.with { client, world in
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let refused = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", "g@groningen.nl"), ("naam", "Gea"), ("rol", "analist"),
                                                                              ("gemeenten", "Atlantis"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains(#"<span class="field-error" id="gemeenten-fout">Onbekende gemeente: Atlantis.</span>"#))
            #expect(refused.text.contains(#"value="g@groningen.nl""#), "the form keeps what was typed")
            let added = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", "g@groningen.nl"), ("naam", "Gea"), ("rol", "analist"),
                                                                            ("gemeenten", "Groningen"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(added.status == .seeOther)
            let gea = try #require(try await world.store.credentials(username: "g@groningen.nl")?.account)
            #expect(gea.role == .analist && gea.gemeenten == [AreaCode("GM0014")!])
            _ = try await Browser.loggedIn(client, as: "g@groningen.nl", password: "een-goed-wachtwoord")

            let log = try await world.store.auditLog(limit: 10, offset: 0).entries
            let entry = try #require(log.first { $0.action == "gebruiker.toevoegen" && $0.object == "gebruiker:g@groningen.nl" })
            #expect(entry.actor == world.beheerder.username && entry.before == nil)
            #expect(entry.after?.contains(#""gemeenten":["GM0014"]"#) == true)
            #expect(!(entry.after ?? "").contains("$2"), "no password hash in the log")

            let page = try await admin.get(client, "/beheer/audit")
            #expect(page.text.contains("gebruiker:g@groningen.nl"))
            let csv = try await admin.get(client, "/beheer/audit?formaat=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("id,tijdstip,wie,actie,object,voor,na\r\n"))
            #expect(csv.text.contains("gebruiker.toevoegen"))
            let json = try await admin.get(client, "/beheer/audit?formaat=json")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [[String: Any]])
            #expect(items.contains { $0["actie"] as? String == "gebruiker.toevoegen" && $0["wie"] as? String == world.beheerder.username })
        }
    }

    @Test func theLastBeheerderCannotBeRemovedOrDemoted() async throws {
        try await AccountWorld.with { client, world in
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let path = SiteRoute.account(world.beheerder.id).path
            let demote = try await admin.post(client, path, [("actie", "rol"), ("rol", "analist"), ("gemeenten", "GM0363")])
            #expect(demote.status == .badRequest && demote.text.contains("laatste beheerder"))
            #expect(demote.text.contains(#"<span class="field-error" id="rol-fout">Dit is de laatste beheerder"#), "at the role")
            #expect(demote.text.contains(#"value="GM0363""#), "the gemeenten as typed")
            let short = try await admin.post(client, path, [("actie", "wachtwoord"), ("wachtwoord", "kort")])
            #expect(short.status == .badRequest && short.text.contains(#"aria-describedby="wachtwoord-fout""#))
            let remove = try await admin.post(client, path, [("actie", "verwijderen")])
            #expect(remove.status == .badRequest && remove.text.contains("<li>Het formulier: Dit is de laatste beheerder"), "a refusal of the whole form, not linked")
            #expect(try await world.store.account(id: world.beheerder.id)?.role == .beheerder)
        }
    }

    @Test func scriptInEveryTextFieldIsEscapedOnEveryPageThatShowsIt() async throws {
        try await AccountWorld.with { client, world in
            let payload = "<script>alert(1)</script>"
            var admin = try await Browser.loggedIn(client, as: world.beheerder.username)
            let added = try await admin.post(client, "/beheer/gebruikers", [("gebruikersnaam", payload), ("naam", payload), ("rol", "analist"),
                                                                            ("gemeenten", "GM0363"), ("wachtwoord", "een-goed-wachtwoord")])
            #expect(added.status == .seeOther)
            let id = try #require(try await world.store.credentials(username: payload)?.account.id)
            var victim = try await Browser.loggedIn(client, as: payload, password: "een-goed-wachtwoord")
            var anonymous = Browser()
            let pages = [try await admin.get(client, "/beheer/gebruikers"), try await admin.get(client, SiteRoute.account(id).path),
                         try await admin.get(client, "/beheer/audit"), try await victim.get(client, "/account/wachtwoord"),
                         try await victim.get(client, "/gemeenten/GM0363"),
                         try await anonymous.get(client, "/inloggen?terug=/\(payload.urlFormEscaped)")]
            for page in pages {
                #expect(!page.text.contains(payload))
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.text.contains("alert(1)") == false)
            }
            #expect(pages[0].text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }
}
