import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A visitor with cookies and the form token, as a browser keeps them: anonymous until it logs in.
public struct Browser: Sendable {
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
