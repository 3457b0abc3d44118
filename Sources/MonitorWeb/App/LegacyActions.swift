import Foundation
import Hummingbird
import Monitor

/// Forms of earlier versions posted every action to the record's own address with a field `actie`
/// (`POST /gemeenten/GM0363/netwerken/3` with `actie=publiceren`). Such a post is handed to the action's own route
/// (`…/netwerken/3/publiceren`) when there is one, so an open page or a script from before keeps working. This is the
/// only place that reads `actie`; ``buildRouter(store:renderer:configuration:)`` registers it on the addresses that
/// have actions below them.
enum LegacyActions {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// The address an action hangs under (`/gemeenten/{code}/netwerken/{id}` for `…/{id}/publiceren`).
    static func parent(of action: SiteRoute.Pattern) -> String {
        let path = action.rawValue
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// The action pattern a post to `parent` with `actie=action` means, or nil.
    static func action(under parent: String, named action: String) -> SiteRoute.Pattern? {
        guard !action.isEmpty, action.allSatisfy({ $0.isLetter || $0 == "-" }) else { return nil }
        return SiteRoute.Pattern(rawValue: parent + "/" + action).flatMap { $0.isAction ? $0 : nil }
    }

    /// The POST handler of `parent`: the action the form's `actie` names, else the page's own POST (if it has one).
    static func handler(for parent: String, own: Handler?, actions: [SiteRoute.Pattern: Handler]) -> Handler {
        { request, context in
            if let name = context.form["actie"], let pattern = action(under: parent, named: name), let handler = actions[pattern] {
                return try await handler(request, context)
            }
            guard let own else { throw AppError.notFound(tr("Deze pagina neemt geen formulier aan: {0}", request.uri.path)) }
            return try await own(request, context)
        }
    }
}
