import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorTestSupport
import MonitorWeb
import Testing

@Suite("Inloggen en sessies")
struct LoginTests {
    @Test func loggingInGivesAnHttpOnlySessionCookieAndTheMenuShowsTheName() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = Browser()
            let form = try await visitor.get(client, "/inloggen?terug=/beheer/gebruikers")
            #expect(form.status == .ok)
            #expect(visitor.cookies["pbm_csrf"]?.count == 64, "a form token for the anonymous login form")
            let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", " Beheer@Example.NL "), ("wachtwoord", AccountWorld.password),
                                                                       ("terug", "/beheer/gebruikers")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/beheer/gebruikers")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("pbm_sessie=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP on loopback")
            let page = try await visitor.get(client, "/beheer/gebruikers")
            #expect(page.status == .ok)
            #expect(page.text.contains("Bea Beheer") && page.text.contains("Uitloggen"))

            // Behind TLS the cookie is Secure.
            var tls = Browser()
            _ = try await tls.get(client, "/inloggen")
            var headers = tls.cookieHeader
            headers[.contentType] = "application/x-www-form-urlencoded"
            headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let secure = try await client.execute(uri: "/inloggen", method: .post, headers: headers,
                                                  body: ByteBuffer(string: "csrf=\(tls.csrf)&gebruikersnaam=beheer%40example.nl&wachtwoord=\(AccountWorld.password)"))
            #expect(secure.headers[values: .setCookie].contains { $0.hasPrefix("pbm_sessie=") && $0.contains("Secure") })
        }
    }

    @Test func aWrongNameAndAWrongPasswordGetTheSameAnswer() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = Browser()
            try await visitor.get(client, "/inloggen")
            let unknown = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "niemand@example.nl"), ("wachtwoord", "iets-anders-123")])
            let wrong = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "beheer@example.nl"), ("wachtwoord", "iets-anders-123")])
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.text.contains("Gebruikersnaam of wachtwoord klopt niet."))
            let message = { (text: String) in text.components(separatedBy: "role=\"alert\">").dropFirst().first?.prefix(60) }
            #expect(message(unknown.text) == message(wrong.text))
            #expect(visitor.cookies["pbm_sessie"] == nil)
        }
    }

    @Test func afterFiveFailuresEvenTheRightPasswordWaitsAndUnknownNamesAreLimitedTheSameWay() async throws {
        try await AccountWorld.with { client, world in
            var visitor = Browser()
            try await visitor.get(client, "/inloggen")
            for _ in 0..<5 {
                let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "analist@amsterdam.nl"), ("wachtwoord", "fout-fout-fout")])
                #expect(response.status == .unauthorized)
            }
            let blocked = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "analist@amsterdam.nl"), ("wachtwoord", AccountWorld.password)])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("Te veel mislukte pogingen"))
            #expect(visitor.cookies["pbm_sessie"] == nil)
            for _ in 0..<5 {
                _ = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "bestaat-niet@example.nl"), ("wachtwoord", "fout-fout-fout")])
            }
            let alsoBlocked = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "bestaat-niet@example.nl"), ("wachtwoord", "x")])
            #expect(alsoBlocked.status == .tooManyRequests, "an unknown name is limited like a known one: nothing to learn")
            // Others are not locked out by it.
            _ = try await Browser.loggedIn(client, as: world.beheerder.username)
        }
    }

    @Test func loggingOutEndsTheSessionOnTheServer() async throws {
        try await AccountWorld.with { client, _ in
            var visitor = try await Browser.loggedIn(client, as: "beheer@example.nl")
            let stolen = visitor.cookies
            let out = try await visitor.post(client, "/uitloggen", [])
            #expect(out.status == .seeOther)
            #expect(visitor.cookies["pbm_sessie"] == nil)
            // The old cookie no longer works anywhere.
            var replay = Browser(cookies: stolen)
            let page = try await replay.get(client, "/beheer/gebruikers")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/inloggen?terug=%2Fbeheer%2Fgebruikers")
        }
    }

    @Test func onlyLocalReturnPathsAreFollowed() async throws {
        try await AccountWorld.with { client, _ in
            for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                var visitor = Browser()
                try await visitor.get(client, "/inloggen")
                let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", "beheer@example.nl"),
                                                                           ("wachtwoord", AccountWorld.password), ("terug", target)])
                #expect(response.headers[.location] == "/", "\(target)")
            }
        }
    }

    @Test func changingThePasswordLogsOutOtherSessionsAndNeedsTheCurrentOne() async throws {
        try await AccountWorld.with { client, _ in
            var here = try await Browser.loggedIn(client, as: "analist@amsterdam.nl")
            var elsewhere = try await Browser.loggedIn(client, as: "analist@amsterdam.nl")
            let wrong = try await here.post(client, "/account/wachtwoord", [("huidig", "niet-het-goede"), ("nieuw", "nieuw-wachtwoord-99"),
                                                                            ("herhaling", "nieuw-wachtwoord-99")])
            #expect(wrong.status == .badRequest)
            // Beside the field it concerns, and linked from the summary at the top.
            #expect(wrong.text.contains(#"<span class="field-error" id="huidig-fout">Het huidige wachtwoord klopt niet.</span>"#))
            #expect(wrong.text.contains(##"<a href="#huidig">Huidig wachtwoord</a>: Het huidige wachtwoord klopt niet."##))
            #expect(wrong.text.contains(#"aria-describedby="huidig-fout""#))
            let short = try await here.post(client, "/account/wachtwoord", [("huidig", AccountWorld.password), ("nieuw", "kort"), ("herhaling", "kort")])
            #expect(short.status == .badRequest && short.text.contains("minstens 12 tekens"))
            let done = try await here.post(client, "/account/wachtwoord", [("huidig", AccountWorld.password), ("nieuw", "nieuw-wachtwoord-99"),
                                                                           ("herhaling", "nieuw-wachtwoord-99")])
            #expect(done.status == .ok && done.text.contains("Uw wachtwoord is gewijzigd"))
            #expect(try await here.get(client, "/account/wachtwoord").status == .ok, "this session stays")
            #expect(try await elsewhere.get(client, "/account/wachtwoord").status == .seeOther, "the other session ended")
            _ = try await Browser.loggedIn(client, as: "analist@amsterdam.nl", password: "nieuw-wachtwoord-99")
        }
    }
}
