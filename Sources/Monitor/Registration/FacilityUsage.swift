import Foundation

/// Gebruik: how often a facility was used in a period, and how that was counted (report §4.3: registration via
/// professionals, decisions, door counts, questionnaires).
public struct FacilityUsage: Sendable, Codable, Hashable, Identifiable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        case deurtelling
        case registratie = "registratie-professional"
        case beschikking
        case vragenlijst

        public var label: String {
            switch self {
            case .deurtelling: tr("deurtelling")
            case .registratie: tr("registratie door professional")
            case .beschikking: tr("beschikking")
            case .vragenlijst: tr("vragenlijst")
            }
        }

        /// Accepts the code or the label ("registratie door professional", "Deurtelling").
        public init?(text: String) {
            let folded = text.lowercased().trimmingCharacters(in: .whitespaces)
            guard let method = Self.allCases.first(where: { $0.rawValue == folded || $0.label == folded || (folded == "registratie" && $0 == .registratie) })
            else { return nil }
            self = method
        }
    }

    public var id: Int
    public var gemeente: AreaCode
    public var facilityID: Int
    /// "2024", "2025KW01" (the monitor's period notation).
    public var period: String
    public var method: Method
    /// Total visits (bezoeken, contacten) in the period; nil only when the privacy rule withheld it.
    public var visits: Int?
    /// Unique visitors, where known.
    public var uniqueVisitors: Int?
    public var status: PublicationStatus

    public init(id: Int = 0, gemeente: AreaCode, facilityID: Int, period: String, method: Method, visits: Int?, uniqueVisitors: Int? = nil,
                status: PublicationStatus = .concept) {
        self.id = id
        self.gemeente = gemeente
        self.facilityID = facilityID
        self.period = period
        self.method = method
        self.visits = visits
        self.uniqueVisitors = uniqueVisitors
        self.status = status
    }

    /// One wijk in one period: where usage adds up to a published figure.
    public struct WijkPeriod: Hashable, Sendable {
        public var wijk: AreaCode
        public var period: String
        public init(wijk: AreaCode, period: String) {
            self.wijk = wijk
            self.period = period
        }
    }

    /// The largest count one record may hold.
    public static let maximumCount = 10_000_000

    /// The number of persons a count rests on: unique visitors where known, else the visits (a person visits at least once).
    public var persons: Int { uniqueVisitors ?? visits ?? 0 }

    /// The counts as they may leave the server: a count resting on fewer than `threshold` persons becomes nil.
    public func guarded(threshold: Int = PrivacyPolicy().threshold) -> FacilityUsage {
        var copy = self
        if persons < threshold {
            copy.visits = nil
            copy.uniqueVisitors = nil
        } else if let unique = uniqueVisitors, unique < threshold {
            copy.uniqueVisitors = nil
        }
        return copy
    }

    /// True when ``guarded(threshold:)`` withheld the counts.
    public var isSuppressed: Bool { visits == nil }

    /// Guards every record (``guarded(threshold:)``) and then hides more, so that the wijk's published totals
    /// (visits and unique visitors per 1,000 children, computed from all published records of its facilities per
    /// period) minus the shown records never give one hidden record: per wijk and period, the hidden records are none,
    /// or at least two resting together on `threshold` persons or more (``DisclosureControl``).
    /// - Parameters:
    ///   - wijkOf: the wijk of each facility (by facility id).
    ///   - hiddenTotals: the wijk figures that disclosure control hides: their records must not add up to them in the open either.
    public static func guarded(_ usage: [FacilityUsage], wijkOf: [Int: AreaCode], hiddenTotals: Set<WijkPeriod> = [],
                               threshold: Int = PrivacyPolicy().threshold) -> [FacilityUsage] {
        var result = usage.map { $0.guarded(threshold: threshold) }
        var groups: [WijkPeriod: [Int]] = [:]
        for (index, record) in usage.enumerated() where record.status == .gepubliceerd {
            guard let wijk = wijkOf[record.facilityID] else { continue }
            groups[WijkPeriod(wijk: wijk, period: record.period), default: []].append(index)
        }
        for (place, members) in groups {
            // Keys: record positions; -1 is the wijk's total.
            var cells: [Int: DisclosureControl.Cell] = [:]
            let total = members.reduce(0) { $0 + usage[$1].persons }
            cells[-1] = .init(value: Double(total), hidden: total < threshold || hiddenTotals.contains(place))
            for index in members {
                let shown = result[index]
                cells[index] = .init(value: Double(usage[index].persons),
                                     hidden: shown.isSuppressed || (usage[index].uniqueVisitors != nil && shown.uniqueVisitors == nil))
            }
            let more = DisclosureControl.complementary(cells: cells, equations: [(whole: -1, parts: members)], threshold: threshold)
            for index in more where index >= 0 {
                result[index].visits = nil
                result[index].uniqueVisitors = nil
            }
            // A record whose unique visitors alone were hidden is hidden whole: its visits would not leak, but one rule is clearer.
            for index in members where cells[index]?.hidden == true {
                result[index].visits = nil
                result[index].uniqueVisitors = nil
            }
        }
        return result
    }
}

/// A usage CSV: one row per facility and period. The facility is named as in the register (or by its number).
public enum UsageImporter {
    public static let columns = ["voorziening", "periode", "methode", "bezoeken", "unieke_bezoekers"]

    public static func parse(_ data: Data, file: String, gemeente: AreaCode, facilities: [Facility]) throws -> [FacilityUsage] {
        let reader = try CSVReader.read(data, file: file)
        let header = reader.header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        var problems: [ImportError] = []
        for column in ["voorziening", "periode", "methode", "bezoeken"] where !header.contains(column) {
            problems.append(ImportError(file: file, line: 1, column: column, found: header.joined(separator: ","),
                                        expected: tr("een kolom '{0}' (kolommen: {1})", column, columns.joined(separator: ", "))))
        }
        for column in header where !columns.contains(column) {
            problems.append(ImportError(file: file, line: 1, column: column, found: column, expected: tr("een bekende kolom ({0})", columns.joined(separator: ", "))))
        }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        var result: [FacilityUsage] = []
        var seen: [String: Int] = [:]
        for row in reader.rows {
            let field = { (name: String) -> String in
                guard let index = header.firstIndex(of: name), index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            if let usage = usage(field: field, line: row.line, file: file, gemeente: gemeente, facilities: facilities, problems: &problems) {
                let key = "\(usage.facilityID)|\(usage.period)|\(usage.method.rawValue)"
                if let earlier = seen[key] {
                    problems.append(ImportError(file: file, line: row.line, column: "periode", found: usage.period,
                                                expected: tr("één regel per voorziening, periode en methode (ook op regel {0})", earlier)))
                } else {
                    seen[key] = row.line
                    result.append(usage)
                }
            }
        }
        if result.isEmpty && problems.isEmpty { problems.append(ImportError(file: file, line: 2, expected: tr("ten minste één regel met gebruik"))) }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        return result
    }

    /// One form entry (fields named as the CSV columns; `voorziening` may be the facility's number).
    public static func usage(fields: [String: String], gemeente: AreaCode, facilities: [Facility]) throws -> FacilityUsage {
        var problems: [ImportError] = []
        let result = usage(field: { (fields[$0] ?? "").trimmingCharacters(in: .whitespaces) }, line: 1, file: "formulier", gemeente: gemeente,
                           facilities: facilities, problems: &problems)
        guard let result, problems.isEmpty else { throw ImportProblems(problems: problems) }
        return result
    }

    static func usage(field: (String) -> String, line: Int, file: String, gemeente: AreaCode, facilities: [Facility],
                      problems: inout [ImportError]) -> FacilityUsage? {
        func problem(_ column: String, _ expected: String) {
            problems.append(ImportError(file: file, line: line, column: column, found: field(column), expected: expected))
        }
        let named = field("voorziening")
        let folded = named.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let matches = facilities.filter {
            String($0.id) == named || $0.name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded
        }
        if matches.isEmpty {
            problem("voorziening", tr("de naam (of het nummer) van een voorziening in het register van {0}", gemeente.rawValue))
        } else if matches.count > 1 {
            problem("voorziening", tr("één voorziening; deze naam komt {0} keer voor, gebruik het nummer ({1})", matches.count, matches.map { String($0.id) }.joined(separator: ", ")))
        }
        let period = TidyImporter.normalizePeriod(field("periode"))
        if period == nil { problem("periode", tr("een periode als 2024, 2024JJ00 of 2024KW01")) }
        let method = FacilityUsage.Method(text: field("methode"))
        if method == nil { problem("methode", tr("een methode ({0})", FacilityUsage.Method.allCases.map(\.rawValue).joined(separator: ", "))) }
        func count(_ column: String, required: Bool) -> Int? {
            let text = field(column).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
            if text.isEmpty {
                if required { problem(column, tr("een aantal (geheel getal, 0 of meer)")) }
                return nil
            }
            guard let value = Int(text), value >= 0 else { problem(column, tr("een aantal (geheel getal, 0 of meer)")); return nil }
            // One facility in one period: more than ten million visits is a typo (and would reach the limits of arithmetic).
            guard value <= FacilityUsage.maximumCount else {
                problem(column, tr("een aantal van ten hoogste 10.000.000 per voorziening en periode")); return nil
            }
            return value
        }
        let visits = count("bezoeken", required: true)
        let unique = count("unieke_bezoekers", required: false)
        if let visits, let unique, unique > visits { problem("unieke_bezoekers", tr("niet meer unieke bezoekers dan bezoeken ({0})", visits)) }
        guard matches.count == 1, let period, let method, let visits else { return nil }
        return FacilityUsage(gemeente: gemeente, facilityID: matches[0].id, period: period, method: method, visits: visits, uniqueVisitors: unique)
    }

    /// The usage as CSV with the register's names (plain, or the Dutch Excel dialect). Suppressed counts stay empty.
    public static func csv(_ usage: [FacilityUsage], facilities: [Facility], excel: Bool) -> String {
        let separator = excel ? ";" : ","
        let names = Dictionary(facilities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func cell(_ text: String) -> String { Exporter.cell(text, separator: Character(separator)) }
        var out = (excel ? "\u{FEFF}" : "") + columns.joined(separator: separator) + "\r\n"
        for u in usage {
            out += [cell(names[u.facilityID] ?? String(u.facilityID)), u.period, u.method.rawValue, u.visits.map(String.init) ?? "",
                    u.uniqueVisitors.map(String.init) ?? ""].joined(separator: separator) + "\r\n"
        }
        return out
    }
}

/// What a registered indicator counts (catalogue `registratie: {maat: …, soorten: […]}`).
public struct FacilityMeasure: Hashable, Sendable {
    public enum Measure: String, Hashable, Sendable, CaseIterable {
        /// Published facilities in the register.
        case voorzieningen
        /// Registered visits in a period.
        case bezoeken
        /// Registered unique visitors in a period (only facilities that know them).
        case uniekeBezoekers = "unieke_bezoekers"
    }

    public var measure: Measure
    /// Kinds counted; empty means every kind.
    public var kinds: [Facility.Kind]
    /// Per 1,000 children of 0–15 (unit `per_1000`) or a plain count.
    public var perThousandChildren: Bool

    public init(measure: Measure, kinds: [Facility.Kind] = [], perThousandChildren: Bool) {
        self.measure = measure
        self.kinds = kinds
        self.perThousandChildren = perThousandChildren
    }

    public func counts(_ facility: Facility) -> Bool { kinds.isEmpty || kinds.contains(facility.kind) }
}

/// Turns a gemeente's published register and usage into figures for its wijken and the gemeente itself, for every
/// catalogue indicator with a `registratie`. Children of 0–15 are estimated as inwoners × the share aged 0–15 of
/// the latest period at or before the figure's period (CBS rounds that share to whole percents).
public enum FacilityFigures {
    public struct Children: Sendable {
        /// Estimated children 0–15 per area and period.
        public var byArea: [AreaCode: [String: Double]]

        public init(inhabitants: [Observation], shareAged0to15: [Observation]) {
            var shares: [AreaCode: [String: Double]] = [:]
            for o in shareAged0to15 where o.status == .waarde { if let v = o.value { shares[o.area, default: [:]][o.period] = v } }
            var result: [AreaCode: [String: Double]] = [:]
            for o in inhabitants where o.status == .waarde {
                if let people = o.value, let share = shares[o.area]?[o.period] { result[o.area, default: [:]][o.period] = people * share / 100 }
            }
            byArea = result
        }

        /// The estimate for `area` of the latest period not after `period` (by year), else the earliest after it.
        public func estimate(_ area: AreaCode, period: String) -> (children: Double, period: String)? {
            guard let periods = byArea[area], !periods.isEmpty else { return nil }
            let year = Series.year(period) ?? 0
            let sorted = periods.keys.sorted()
            let chosen = sorted.last { (Series.year($0) ?? 0) <= year } ?? sorted.first!
            return (periods[chosen]!, chosen)
        }
    }

    /// - Parameters:
    ///   - registerPeriod: the period facility counts are stamped with (the year the register was published).
    ///   - wijken: every wijk of the gemeente (each gets a figure, also when it has no facility).
    ///   - oldPeriods: visit periods written before for this gemeente; those without usage now become "onbekend".
    public static func compute(indicators: [(id: String, measure: FacilityMeasure)], gemeente: AreaCode, wijken: [AreaCode],
                               facilities: [Facility], usage: [FacilityUsage], children: Children, registerPeriod: String,
                               oldPeriods: [String: Set<String>] = [:]) -> [Observation] {
        let published = facilities.filter { $0.status == .gepubliceerd }
        let byID = Dictionary(published.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let areas = wijken + [gemeente]
        var result: [Observation] = []
        for (id, measure) in indicators {
            // Per area: the count and the persons behind it (nil count: nothing registered there for that period).
            var periods: [String: [AreaCode: (count: Double, persons: Double?)]] = [:]
            switch measure.measure {
            case .voorzieningen:
                var counts: [AreaCode: (Double, Double?)] = Dictionary(uniqueKeysWithValues: areas.map { ($0, (0, nil)) })
                for facility in published where measure.counts(facility) {
                    counts[facility.wijk, default: (0, nil)].0 += 1
                    counts[gemeente, default: (0, nil)].0 += 1
                }
                periods[registerPeriod] = counts
            case .bezoeken, .uniekeBezoekers:
                for record in usage where record.status == .gepubliceerd {
                    guard let facility = byID[record.facilityID], measure.counts(facility) else { continue }
                    let count: Int?
                    switch measure.measure {
                    case .uniekeBezoekers: count = record.uniqueVisitors
                    default: count = record.visits
                    }
                    guard let count else { continue }
                    for area in [facility.wijk, gemeente] {
                        var entry = periods[record.period, default: [:]][area] ?? (0, 0)
                        entry.count += Double(count)
                        entry.persons = (entry.persons ?? 0) + Double(record.persons)
                        periods[record.period, default: [:]][area] = entry
                    }
                }
            }
            for period in oldPeriods[id] ?? [] where periods[period] == nil { periods[period] = [:] }
            for (period, counts) in periods {
                for area in areas {
                    guard let (count, persons) = counts[area] else {
                        result.append(Observation(indicator: id, area: area, period: period, status: .onbekend, value: nil, origin: .registratie))
                        continue
                    }
                    if measure.perThousandChildren {
                        guard let (estimate, _) = children.estimate(area, period: period), estimate >= 0.5 else {
                            result.append(Observation(indicator: id, area: area, period: period, status: .onbekend, value: nil, origin: .registratie))
                            continue
                        }
                        let base = Int(checked: estimate) ?? Int.max
                        result.append(Observation(indicator: id, area: area, period: period, status: .waarde, value: count / estimate * 1000,
                                                  numerator: count, denominator: estimate.rounded(),
                                                  n: persons.map { min(Int(checked: $0) ?? Int.max, base) } ?? base, origin: .registratie))
                    } else {
                        result.append(Observation(indicator: id, area: area, period: period, status: .waarde, value: count,
                                                  n: persons.map { Int(checked: $0) ?? Int.max }, origin: .registratie))
                    }
                }
            }
        }
        return result.sorted { ($0.indicator, $0.period, $0.area) < ($1.indicator, $1.period, $1.area) }
    }
}

extension FacilityMeasure {
    /// How the figure is made, in Dutch (the indicator page's "berekening").
    public var explanation: String {
        let what: String
        switch measure {
        case .voorzieningen: what = tr("aantal gepubliceerde voorzieningen in het register")
        case .bezoeken: what = tr("geregistreerde bezoeken in de periode")
        case .uniekeBezoekers: what = tr("geregistreerde unieke bezoekers in de periode (alleen voorzieningen die ze tellen)")
        }
        let kinds = self.kinds.isEmpty ? tr("alle soorten") : "soort " + self.kinds.map(\.label).joined(separator: ", ")
        return what + " (" + kinds + ")" + (perThousandChildren
            ? tr(" / geschat aantal kinderen van 0–15 jaar (inwoners × aandeel 0–15 jaar) × 1.000, per wijk en voor de gemeente, uit het voorzieningenregister van de gemeente")
            : tr(", per wijk en voor de gemeente, uit het voorzieningenregister van de gemeente"))
    }
}
