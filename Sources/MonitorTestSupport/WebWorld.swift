import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Monitor
import MonitorStore
import MonitorWeb
import NIOCore

/// A test helper that could not do its work.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The app on the shared loaded store (read-only tests).
public func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let store = try await TestStore.shared()
    let app = try await buildApplication(configuration: MonitorConfiguration(), store: store)
    try await app.test(.router, body)
}

extension TestResponse {
    public var text: String { String(buffer: body) }
    public func json() throws -> [String: Any] {
        guard let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestSupportError("geen JSON-object: \(text.prefix(200))")
        }
        return json
    }
}

/// A store with the test gemeenten' areas and one account per role, and the app on it.
public struct AccountWorld: Sendable {
    public static let password = "een-lang-wachtwoord-42"
    public let store: SQLStore
    public let beheerder: Account
    public let analist: Account
    public let deelnemer: Account
    /// A draft of local figures for Amsterdam and one for Groningen.
    public let amsterdamDraft: Draft
    public let groningenDraft: Draft
    /// A concept dialogue record of Amsterdam, and one the deelnemer is invited to.
    public let amsterdamDialogue: DialogueRecord
    public let invitedDialogue: DialogueRecord
    /// A concept item on Amsterdam's gespreksmodel.
    public let amsterdamBoardItem: BoardItem
    /// A concept intervention of Amsterdam.
    public let amsterdamIntervention: Intervention
    /// A concept network map of Amsterdam.
    public let amsterdamNetwork: NetworkMap
    /// A concept questionnaire of Amsterdam, and an open round of a published one.
    public let amsterdamQuestionnaire: Questionnaire
    public let amsterdamRound: QuestionnaireRound
    /// One unused invitation code of that round.
    public let amsterdamInvitation: String
    /// A study submitted for Amsterdam, waiting for review.
    public let amsterdamStudy: EvaluationStudy
    /// A concept and a published own indicator of Amsterdam.
    public let amsterdamLocalIndicator: LocalIndicator
    public let amsterdamPublishedIndicator: LocalIndicator
    /// ``Fixtures/localIndicatorForm`` as the form's fields, with this short name.
    public static func localIndicatorFields(code: String) -> [(String, String)] {
        [("code", code)] + Fixtures.localIndicatorForm.sorted { $0.key < $1.key }.flatMap { key, values in values.map { (key, $0) } }
    }
    public static let amsterdamCSV = "indicator,gebied,periode,waarde\ninwoners,GM0363,2031,900001\ninwoners,WK0363AA,2031,5\n"

    /// A published questionnaire of Amsterdam with an open round.
    public static func openRound(_ store: SQLStore) async throws -> QuestionnaireRound {
        let saved = try await store.saveQuestionnaire(QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.bedoeling, gemeente: AreaCode("GM0363")!),
                                                      actor: "analist@amsterdam.nl")
        _ = try await store.changePublication(Questionnaire.self, id: saved.id, to: .gepubliceerd, actor: "analist@amsterdam.nl")
        return try await store.openRound(QuestionnaireRound(questionnaireID: saved.id, gemeente: AreaCode("GM0363")!, area: AreaCode("GM0363")!,
                                                            period: "2026", name: "Wijkteams", token: ""), actor: "analist@amsterdam.nl")
    }

    @discardableResult
    public static func with<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol, AccountWorld) async throws -> T) async throws -> T {
        try await TestStore.withEmptyStore { store, _ in
            _ = try await store.loadBundledAreas(BundledData(directory: Fixtures.dataDirectory, onlyGemeenten: Fixtures.testGemeenten))
            let hash = try await Passwords(cost: 4).hash(password)
            let round = try await openRound(store)
            guard let invitation = try await store.createInvitations(roundID: round.id, count: 1, actor: "analist@amsterdam.nl").first else {
                throw TestSupportError("geen uitnodiging gemaakt")
            }
            let world = AccountWorld(
                store: store,
                beheerder: try await store.addAccount(username: "beheer@example.nl", displayName: "Bea Beheer", role: .beheerder, gemeenten: [],
                                                      passwordHash: hash, actor: "test"),
                analist: try await store.addAccount(username: "analist@amsterdam.nl", displayName: "Anna Analist", role: .analist,
                                                    gemeenten: [AreaCode("GM0363")!], passwordHash: hash, actor: "test"),
                deelnemer: try await store.addAccount(username: "ouder@amsterdam.nl", displayName: "Dirk Deelnemer", role: .deelnemer,
                                                      gemeenten: [AreaCode("GM0363")!], passwordHash: hash, actor: "test"),
                amsterdamDraft: try await store.addDraft(gemeente: AreaCode("GM0363")!, fileName: "lokaal.csv", format: "auto", period: nil,
                                                         content: amsterdamCSV, actor: "analist@amsterdam.nl"),
                groningenDraft: try await store.addDraft(gemeente: AreaCode("GM0014")!, fileName: "groningen.csv", format: "auto", period: nil,
                                                         content: "indicator,gebied,periode,waarde\ninwoners,GM0014,2031,250000\n", actor: "test"),
                amsterdamDialogue: try await store.saveDialogue(
                    DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Concept", date: ReferenceDate("2026-11-01")!,
                                   participants: [Participant(role: .beleid, count: 1)]), actor: "analist@amsterdam.nl"),
                invitedDialogue: try await store.saveDialogue(
                    DialogueRecord(gemeente: AreaCode("GM0363")!, kind: .duiding, title: "Met ouders", date: ReferenceDate("2026-11-02")!,
                                   participants: [Participant(role: .ouder, count: 3)], invited: ["ouder@amsterdam.nl"]), actor: "analist@amsterdam.nl"),
                amsterdamBoardItem: try await store.saveBoardItem(
                    BoardSuggestion.named("consultatiebureau")!.item(gemeente: AreaCode("GM0363")!), actor: "analist@amsterdam.nl"),
                amsterdamIntervention: try await store.saveIntervention(
                    Intervention(gemeente: AreaCode("GM0363")!, name: "Opvoedspreekuur op school", targets: [AreaCode("WK0363AA")!],
                                 comparison: [AreaCode("WK0363AB")!, AreaCode("WK0363AC")!], indicators: ["jeugdzorg_in_natura_pct"], startPeriod: "2024"),
                    actor: "analist@amsterdam.nl"),
                amsterdamNetwork: try await store.saveNetwork(
                    NetworkMap(gemeente: AreaCode("GM0363")!, area: AreaCode("WK0363AA")!, date: ReferenceDate("2026-10-01")!, title: "Haarlemmerbuurt",
                               actors: [.init(key: "1", name: "Buurtmoeder", kind: .rol, spheres: [.gezin]),
                                        .init(key: "2", name: "Wijkteam", kind: .organisatie, spheres: [.hulp])],
                               ties: [.init(from: "1", to: "2", kind: .verwijzing, strength: 2)]), actor: "analist@amsterdam.nl"),
                amsterdamQuestionnaire: try await store.saveQuestionnaire(
                    QuestionnaireTemplates.questionnaire(QuestionnaireTemplates.samenwerking, gemeente: AreaCode("GM0363")!), actor: "analist@amsterdam.nl"),
                amsterdamRound: round,
                amsterdamInvitation: invitation,
                amsterdamStudy: try await store.submitStudy(
                    EvaluationStudy(title: "Opvoedspreekuur", organisation: "GGD", year: 2025, design: .procesevaluatie, summary: "Een procesevaluatie.",
                                    submittedFor: AreaCode("GM0363")!), file: nil, actor: "analist@amsterdam.nl"),
                amsterdamLocalIndicator: try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_speeltuin"),
                                                                            gemeente: AreaCode("GM0363")!, id: 0, actor: "analist@amsterdam.nl"),
                amsterdamPublishedIndicator: try await store.changePublication(
                    LocalIndicator.self, id: try await store.saveLocalIndicator(yaml: Fixtures.localIndicatorYAML(id: "gm0363_buurthuis"),
                                                                                gemeente: AreaCode("GM0363")!, id: 0, actor: "analist@amsterdam.nl").id,
                    to: .gepubliceerd, actor: "analist@amsterdam.nl"))
            let app = try await buildApplication(configuration: MonitorConfiguration(passwordCost: 4), store: store)
            return try await app.test(.router) { client in try await body(client, world) }
        }
    }
}

/// A visitor with cookies and the form token, as a browser keeps them: anonymous until it logs in.
public struct Browser {
    public var cookies: [String: String] = [:]
    public var csrf = ""

    public init(cookies: [String: String] = [:]) { self.cookies = cookies }

    public var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    public mutating func remember(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || field.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        if let token = Self.csrfToken(in: String(buffer: response.body)) { csrf = token }
    }

    public static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix(64))
    }

    @discardableResult
    public mutating func get(_ client: any TestClientProtocol, _ path: String) async throws -> TestResponse {
        let response = try await client.execute(uri: path, method: .get, headers: cookieHeader, body: nil)
        remember(response)
        return response
    }

    /// Posts a form; `csrf: false` leaves the token out. With a `file` it is sent as `multipart/form-data`, as a browser uploads.
    @discardableResult
    public mutating func post(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)], csrf: Bool = true,
                       file: (field: String, name: String, content: String)? = nil) async throws -> TestResponse {
        let all = (csrf ? [("csrf", self.csrf)] : []) + fields
        var headers = cookieHeader
        let body: String
        if let file {
            let boundary = "----pbmonitorTest\(UInt32.random(in: 0...UInt32.max))"
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            var parts = all.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }
            parts.append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                         + "Content-Type: text/csv\r\n\r\n\(file.content)\r\n")
            body = parts.joined() + "--\(boundary)--\r\n"
        } else {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = all.map { "\($0.0.urlFormEscaped)=\($0.1.urlFormEscaped)" }.joined(separator: "&")
        }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Posts a form and, like a browser, follows a "303 See Other" to the page it names (the answer of an action that
    /// worked); any other answer is returned as it is.
    @discardableResult
    public mutating func submit(_ client: any TestClientProtocol, _ path: String, _ fields: [(String, String)] = []) async throws -> TestResponse {
        let response = try await post(client, path, fields)
        guard response.status == .seeOther, let location = response.headers[.location] else { return response }
        return try await get(client, location)
    }

    /// Logs in through the form, as a browser does.
    public static func loggedIn(_ client: any TestClientProtocol, as username: String, password: String = AccountWorld.password) async throws -> Browser {
        var visitor = Browser()
        try await visitor.get(client, "/inloggen")
        let response = try await visitor.post(client, "/inloggen", [("gebruikersnaam", username), ("wachtwoord", password)])
        guard response.status == .seeOther else { throw TestSupportError("inloggen als \(username) gaf \(response.status)") }
        try await visitor.get(client, "/")
        return visitor
    }
}

extension String {
    public var urlFormEscaped: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}

