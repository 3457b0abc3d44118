import Foundation
import Hummingbird
import Logging
import Monitor
import MonitorStore

/// Errors a handler can throw; mapped to a status and a Dutch message in one place (``ErrorMiddleware``).
public enum AppError: Error, Sendable {
    /// Unknown area, indicator or page.
    case notFound(String)
    /// A query parameter that cannot be used.
    case badRequest(parameter: String, message: String)
    /// Logged in but not allowed, or a form without a valid CSRF token.
    case forbidden(String)
    /// An anonymous visitor asked for a page that needs an account: sent to the login page.
    case loginRequired(returnTo: String)
    /// Too many failed logins.
    case tooManyRequests(String)
    /// A body larger than the route accepts (answered before it is read).
    case tooLarge(String)
    /// Too much heavy work at once (exports): try again shortly (429 with `Retry-After`).
    case busy(String)
    /// A body that did not arrive within its time limit (408; the connection is closed).
    case timeout(String)

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .loginRequired: .seeOther
        case .tooManyRequests: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .busy: .tooManyRequests
        case .timeout: .requestTimeout
        }
    }

    /// The Dutch message shown to the user (also by the command line).
    public var message: String {
        switch self {
        case .notFound(let what): what
        case .badRequest(let parameter, let message): tr("Parameter '{0}': {1}", parameter, message)
        case .forbidden(let why): why
        case .loginRequired: tr("Log in om deze pagina te zien.")
        case .tooManyRequests(let why): why
        case .tooLarge(let why): why
        case .busy(let why): why
        case .timeout(let why): why
        }
    }
}

extension RecordError {
    /// The one mapping of a refused record change to HTTP: unknown 404, wrong status 409, invalid 400.
    var status: HTTPResponse.Status {
        switch reason {
        case .unknown: .notFound
        case .wrongStatus: .conflict
        case .invalid: .badRequest
        }
    }
}

/// JSON error body, the same for every API route: `ok`, `status`, `error`, `errors`.
struct ErrorBody: Codable {
    var ok = false
    var status: Int
    var error: String
    var errors: [String]
}

/// Maps every error to a status, then to the Dutch error page or the JSON error body (for `/api/`).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch AppError.loginRequired(let returnTo) {
            return Response(status: .seeOther, headers: [.location: SiteRoute.login.url([("terug", returnTo)])])
        } catch {
            let (status, message) = Self.classify(error)
            if status.code >= 500 {
                context.logger.error("Fout bij \(request.uri.path): \(String(describing: error))")
            } else {
                context.logger.debug("\(status.code) bij \(request.uri.path): \(message)")
            }
            var response: Response
            if request.uri.path.hasPrefix("/api/") {
                response = try JSONResponse.make(ErrorBody(status: Int(status.code), error: message, errors: [message]), status: status)
            } else {
                let page = ErrorPage(status: Int(status.code), title: Self.title(status), message: message)
                response = renderer.response(page, chrome: (context as? AppRequestContext)?.chrome ?? .anonymous, status: status)
            }
            if case AppError.busy = error { response.headers[.retryAfter] = "5" }
            // The rest of a body that came too slowly is not worth waiting for: the connection ends with this answer.
            if case AppError.timeout = error { response.headers[.connection] = "close" }
            return response
        }
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as AppError: return (error.status, error.message)
        case let error as RecordError: return (error.status, error.description)
        case let error as CooperationError:
            return (error.reason == .unknown ? .notFound : error.reason == .conflict ? .conflict : .badRequest, error.message)
        case let error as HTTPError where error.status == .notFound: return (.notFound, tr("Deze pagina bestaat niet."))
        case let error as HTTPError where error.status == .contentTooLarge:
            return (.contentTooLarge, tr("Het bestand of formulier is te groot voor deze pagina."))
        case let error as HTTPError: return (error.status, error.body ?? error.status.reasonPhrase)
        case let error as StoreError:
            if case .unavailable = error { return (.serviceUnavailable, tr("De database is even niet bereikbaar. Probeer het zo opnieuw.")) }
            return (.internalServerError, tr("Er ging iets mis bij het lezen van de gegevens."))
        default: return (.internalServerError, tr("Er ging iets mis. De fout is gelogd."))
        }
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: tr("Niet gevonden")
        case 400: tr("Ongeldige vraag")
        case 503: tr("Tijdelijk niet beschikbaar")
        case 403: tr("Geen toegang")
        case 429: tr("Even wachten")
        case 413: tr("Te groot")
        default: tr("Fout")
        }
    }
}

/// The error page's view model.
struct ErrorPage: Sendable {
    var status: Int
    var title: String
    var message: String
    var pageTitle: String

    init(status: Int, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
        pageTitle = tr("{0} — Monitor pedagogische basis", title)
    }
}
