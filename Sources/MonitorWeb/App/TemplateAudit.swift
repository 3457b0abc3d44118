import Foundation
import Mustache
import Synchronization

/// Checks that every tag a template uses names something its view model has (issue 19, item 3). Mustache renders an
/// unknown name as nothing — six empty links on every gemeente profile came from that — so while the audit is on
/// (tests switch it on), each page is rendered through a ``Recorder`` that notes every name the template asks for and
/// every stored property that exists at any level of the view model. A name asked for and found nowhere is a template
/// field without a property: a typo, a property that was renamed, or a computed property (Mustache reads stored
/// properties only). Values are not judged: an optional that is nil still counts as known.
public final class TemplateAudit: Sendable {
    public static let shared = TemplateAudit()

    private let state = Mutex<(enabled: Bool, unresolved: [String: Set<String>], renders: Int, perTemplate: [String: Int])>((false, [:], 0, [:]))
    /// Renders per template that go through the recorder (reflection is slow; after this many the template is known).
    static let rendersPerTemplate = 8

    public var isEnabled: Bool { state.withLock { $0.enabled } }
    public func enable() { state.withLock { $0.enabled = true } }

    /// Template → the names it asked for that its view models never had, over every render since the audit was enabled.
    public var unresolved: [String: Set<String>] { state.withLock { $0.unresolved } }
    /// How many pages were rendered through the audit.
    public var renders: Int { state.withLock { $0.renders } }

    /// Renders `page` in its chrome through a recorder and notes what was not found.
    func render(_ page: Any, chrome: PageChrome, template: String, with library: MustacheLibrary) -> String? {
        let audited = state.withLock { state in
            state.perTemplate[template, default: 0] += 1
            return state.perTemplate[template]! <= Self.rendersPerTemplate
        }
        guard audited else { return library.render(ChromedPage(page: page, chrome: chrome), withTemplate: template) }
        let log = RenderLog()
        let html = library.render(ChromedPage(page: Recorder(page, log: log), chrome: Recorder(chrome, log: log)), withTemplate: template)
        let missing = log.asked.subtracting(log.known).subtracting(Self.optionalChrome).union(log.lookupGaps)
        state.withLock { state in
            state.renders += 1
            if !missing.isEmpty { state.unresolved[template, default: []].formUnion(missing) }
        }
        return html
    }

    /// Names the layout asks of every page and that a page may lack on purpose: `jsonURL` (a link to the page's JSON
    /// twin, for the pages that have one).
    static let optionalChrome: Set<String> = ["jsonURL"]

    /// The names of one render.
    final class RenderLog {
        var asked: Set<String> = []
        var known: Set<String> = []
        /// `Type.name` where a hand-written lookup (a `MustacheParent` such as those in FastLookup.swift) answers nothing
        /// for a stored property that has a value: the page would show an empty field.
        var lookupGaps: Set<String> = []
    }

    /// A view model seen by the template engine: answers by stored property (as Mustache's reflection does) and notes
    /// what was asked and what exists. Nested structures are wrapped in turn; plain values pass through.
    struct Recorder: MustacheParent, CustomStringConvertible {
        let value: Any
        let log: RenderLog

        /// `{{code}}` of a wrapped value prints what the value itself prints.
        var description: String { String(describing: value) }

        init(_ value: Any, log: RenderLog) {
            self.value = value
            self.log = log
        }

        func child(named name: String) -> Any? {
            log.asked.insert(name)
            let property = Mirror(reflecting: value).children.first(where: { $0.label == name })
            if let parent = value as? MustacheParent {
                // A hand-written lookup is what the real render asks, so it is what counts: a stored property with a value
                // that the lookup does not answer is a gap (the field would render empty).
                if let answer = parent.child(named: name) {
                    log.known.insert(name)
                    return Recorder.wrap(answer, log: log)
                }
                if let property {
                    if Recorder.wrap(property.value, log: log) != nil { log.lookupGaps.insert("\(type(of: value)).\(name) (lookup)") }
                    log.known.insert(name)
                }
                return nil
            }
            guard let property else { return nil }
            log.known.insert(name)
            return Recorder.wrap(property.value, log: log)
        }

        static func wrap(_ value: Any, log: RenderLog) -> Any? {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                return mirror.children.first.flatMap { wrap($0.value, log: log) }
            case .collection, .set:
                return mirror.children.compactMap { wrap($0.value, log: log) }
            case .struct, .class:
                if value is MustacheCustomRenderable || value is String || value is Substring { return value }
                return Recorder(value, log: log)
            default:
                return value
            }
        }
    }
}
