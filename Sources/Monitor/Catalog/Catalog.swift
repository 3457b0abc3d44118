import Foundation

/// A problem in the indicator catalogue, naming the file and the key.
public struct CatalogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Catalogue file, e.g. `catalog/kwb.yaml`.
    public var file: String
    /// Key path inside the file, e.g. `jeugdzorg_in_natura_pct.sferen`.
    public var key: String
    /// What is wrong, in Dutch.
    public var message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String { "\(file): \(key): \(message)" }
}

/// All problems found in a catalogue at once, so an author can fix them in one go.
public struct CatalogErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CatalogError]
    public init(_ errors: [CatalogError]) { self.errors = errors }
    public var description: String {
        "De indicatorcatalogus bevat \(errors.count) fout(en):\n" + errors.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Indicatorcatalogus: the validated set of indicators, the heart of the domain.
public struct Catalog: Sendable {
    /// Indicators in catalogue order.
    public let indicators: [Indicator]
    private let byID: [String: Int]
    private let byColumn: [String: String]
    /// Which validated catalogue this is: every ``init(indicators:)`` takes a new number; a visible part or a translation
    /// keeps its source's, so a translation can be kept per revision and language.
    public let revision: Int

    private static let revisions = Locked(0)

    /// Validates cross-references: unique ids, formulas naming known indicators
    /// (and no cycles), source columns mapped to one indicator only.
    /// - Throws: ``CatalogErrors`` listing every problem.
    public init(indicators: [Indicator]) throws {
        var errors: [CatalogError] = []
        var byID: [String: Int] = [:]
        var byColumn: [String: String] = [:]
        for (index, indicator) in indicators.enumerated() {
            if let previous = byID[indicator.id] {
                errors.append(CatalogError(file: indicator.definedIn, key: indicator.id,
                    message: "dubbele id; ook gedefinieerd in \(indicators[previous].definedIn)"))
                continue
            }
            byID[indicator.id] = index
            for column in indicator.sourceColumns {
                if let other = byColumn[column] {
                    errors.append(CatalogError(file: indicator.definedIn, key: "\(indicator.id).kolommen",
                        message: "bronkolom '\(column)' hoort al bij indicator '\(other)'"))
                } else {
                    byColumn[column] = indicator.id
                }
            }
        }
        var byCBSKey: [String: String] = [:]
        for indicator in indicators {
            for key in indicator.cbsKeys {
                if let other = byCBSKey[key], other != indicator.id {
                    errors.append(CatalogError(file: indicator.definedIn, key: "\(indicator.id).cbs",
                        message: "CBS-sleutel '\(key)' hoort al bij indicator '\(other)'"))
                }
                byCBSKey[key] = indicator.id
            }
        }
        for indicator in indicators {
            guard let formula = indicator.formula else { continue }
            for (role, ref) in [("teller", formula.numerator), ("noemer", formula.denominator)] where byID[ref] == nil {
                errors.append(CatalogError(file: indicator.definedIn, key: "\(indicator.id).formule.\(role)",
                    message: "formule noemt onbekende indicator '\(ref)'"))
            }
        }
        if errors.isEmpty {
            // Cycles: follow formula references depth-first.
            func visit(_ id: String, _ path: [String]) -> [String]? {
                if path.contains(id) { return path + [id] }
                guard let index = byID[id], let formula = indicators[index].formula else { return nil }
                return visit(formula.numerator, path + [id]) ?? visit(formula.denominator, path + [id])
            }
            for indicator in indicators where indicator.formula != nil {
                if let cycle = visit(indicator.id, []) {
                    errors.append(CatalogError(file: indicator.definedIn, key: "\(indicator.id).formule",
                        message: "formule verwijst naar zichzelf: \(cycle.joined(separator: " → "))"))
                    break
                }
            }
        }
        guard errors.isEmpty else { throw CatalogErrors(errors) }
        self.indicators = indicators
        self.byID = byID
        self.byColumn = byColumn
        revision = Self.revisions.withLock { $0 += 1; return $0 }
    }

    private init(subset indicators: [Indicator], byColumn: [String: String], revision: Int) {
        self.indicators = indicators
        byID = Dictionary(uniqueKeysWithValues: indicators.enumerated().map { ($1.id, $0) })
        self.byColumn = byColumn
        self.revision = revision
    }

    /// The catalogue with its indicators' texts — name, definition, explanation, examples, caveats, reference date, age
    /// group, reason for the role, the burden's assumption and the source's title — in `language` where the message
    /// catalogue (``Messages``) has them; a gemeente's own indicator keeps the words its authors wrote. Ids, units and
    /// everything figures are computed from stay as they are.
    public func localized(to language: Language) -> Catalog {
        let table = Messages.table(for: language)
        guard !table.isEmpty else { return self }
        func text(_ dutch: String) -> String { table[Messages.key(dutch)] ?? dutch }
        let translated = indicators.map { original -> Indicator in
            guard original.owner == nil else { return original }
            var indicator = original
            indicator.name = text(original.name)
            indicator.definition = text(original.definition)
            indicator.explanation = text(original.explanation)
            indicator.usageExamples = original.usageExamples.map(text)
            indicator.caveats = original.caveats.map(text)
            indicator.referencePeriod = text(original.referencePeriod)
            indicator.ageGroup = text(original.ageGroup)
            indicator.roleReason = text(original.roleReason)
            indicator.burden.assumption = text(original.burden.assumption)
            indicator.source.title = text(original.source.title)
            return indicator
        }
        return Catalog(subset: translated, byColumn: byColumn, revision: revision)
    }

    /// A catalogue without indicators (before the store's is known).
    public static let empty = try! Catalog(indicators: [])

    /// The indicators this visitor may see: the shared catalogue, every gemeente's own indicator that a beheerder
    /// shared, and the own indicators of the gemeenten the account works for (a beheerder sees all). The one rule
    /// for local indicators; every page and API answer reads its catalogue through it.
    public func visible(to account: Account?) -> Catalog {
        guard let account else { return visible(toGemeenten: []) }
        return account.role == .beheerder ? self : visible(toGemeenten: Set(account.gemeenten))
    }

    /// The indicators the users of these gemeenten may see (a gemeente's report, printed by the command line, shows its own).
    public func visible(toGemeenten gemeenten: Set<AreaCode>) -> Catalog {
        let hidden = indicators.filter { !$0.isForEveryone && !gemeenten.contains($0.owner!) }
        guard !hidden.isEmpty else { return self }
        let hiddenIDs = Set(hidden.map(\.id))
        return Catalog(subset: indicators.filter { !hiddenIDs.contains($0.id) }, byColumn: byColumn.filter { !hiddenIDs.contains($0.value) },
                       revision: revision)
    }

    /// The ids of `full` that this catalogue (a visible part of it) leaves out: what a query over all indicators must skip.
    public func hidden(comparedWith full: Catalog) -> [String] {
        indicators.count == full.indicators.count ? [] : full.indicators.map(\.id).filter { self[$0] == nil }
    }

    /// The indicators a gemeente defined itself (in catalogue order).
    public var local: [Indicator] { indicators.filter { $0.owner != nil } }

    /// The indicator with this id.
    public subscript(id: String) -> Indicator? { byID[id].map { indicators[$0] } }

    /// The indicator a source column maps to (exact name).
    public func indicator(forColumn column: String) -> Indicator? {
        byColumn[column].flatMap { self[$0] }
    }

    /// Indicators grouped by their primary sphere, in sphere order.
    public var bySphere: [(sphere: Sphere, indicators: [Indicator])] {
        Sphere.allCases.map { sphere in (sphere, indicators.filter { $0.primarySphere == sphere }) }
    }

    /// The indicators serving a picture (landelijk, lokaal) and with a role; nil: any.
    public func indicators(picture: Level?, role: IndicatorRole?) -> [Indicator] {
        indicators.filter { i in (picture.map { i.pictures.contains($0) } ?? true) && (role.map { i.role == $0 } ?? true) }
    }

    /// Formula indicators in an order where inputs come before the indicators that use them.
    public var formulasInDependencyOrder: [Indicator] {
        var done: Set<String> = []
        var ordered: [Indicator] = []
        func visit(_ indicator: Indicator) {
            guard !done.contains(indicator.id) else { return }
            done.insert(indicator.id)
            if let formula = indicator.formula {
                for ref in [formula.numerator, formula.denominator] { if let input = self[ref] { visit(input) } }
                ordered.append(indicator)
            }
        }
        indicators.forEach(visit)
        return ordered
    }
}
