import Foundation

/// The voorzieningen of a gemeente's pedagogische basis (report §4.3): a sociale kaart of facilities with their
/// sphere, perspective, wijk or buurt, and whether the gemeente counts them as part of its basis, and why.
public struct Facility: Sendable, Codable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case consultatiebureau, speeltuin, cruyffCourt = "cruyff-court", bibliotheek, buurthuis, sportvereniging, school, kinderopvang,
             jongerenwerk, opvoedspreekuur, mamacafe, overig

        public var label: String {
            switch self {
            case .consultatiebureau: tr("consultatiebureau")
            case .speeltuin: tr("speeltuin")
            case .cruyffCourt: tr("Cruyff Court")
            case .bibliotheek: tr("bibliotheek")
            case .buurthuis: tr("buurthuis")
            case .sportvereniging: tr("sportvereniging")
            case .school: tr("school")
            case .kinderopvang: tr("kinderopvang")
            case .jongerenwerk: tr("jongerenwerk")
            case .opvoedspreekuur: tr("opvoedspreekuur")
            case .mamacafe: tr("Mamacafé")
            case .overig: tr("overig")
            }
        }

        /// The sphere a facility of this kind usually belongs to (used when the file names none).
        public var sphere: Sphere {
            switch self {
            case .consultatiebureau, .opvoedspreekuur: .hulp
            case .speeltuin, .cruyffCourt, .bibliotheek, .buurthuis, .jongerenwerk: .vrijetijd
            case .sportvereniging: .georganiseerd
            case .school, .kinderopvang: .school
            case .mamacafe, .overig: .gezin
            }
        }

        /// Accepts the label or the code, case- and accent-insensitively ("Mamacafé", "cruyff court").
        public init?(text: String) {
            let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "-")
            guard let kind = Self.allCases.first(where: {
                $0.rawValue == folded || $0.label.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).replacingOccurrences(of: " ", with: "-") == folded
            }) else { return nil }
            self = kind
        }
    }

    public typealias Status = PublicationStatus

    public var id: Int
    public var gemeente: AreaCode
    public var name: String
    public var kind: Kind
    public var spheres: [Sphere]
    public var perspectives: [Perspective]
    /// The wijk or buurt it is in.
    public var area: AreaCode
    /// The wijk the facility counts towards: its own area, or the wijk of its buurt.
    public var wijk: AreaCode {
        area.kind == .buurt ? (Area.parentsFromCode(area).first { $0.kind == .wijk } ?? area) : area
    }
    public var latitude: Double?
    public var longitude: Double?
    public var targetGroup: String
    public var opening: String
    /// Does the gemeente count it as part of its pedagogische basis (nil: not decided)?
    public var partOfBasis: BelongingAnswer?
    public var reason: String
    public var status: Status

    public init(id: Int = 0, gemeente: AreaCode, name: String, kind: Kind, spheres: [Sphere] = [], perspectives: [Perspective] = [], area: AreaCode,
                latitude: Double? = nil, longitude: Double? = nil, targetGroup: String = "", opening: String = "", partOfBasis: BelongingAnswer? = nil,
                reason: String = "", status: Status = .concept) {
        self.id = id
        self.gemeente = gemeente
        self.name = name
        self.kind = kind
        self.spheres = spheres.isEmpty ? [kind.sphere] : spheres
        self.perspectives = perspectives
        self.area = area
        self.latitude = latitude
        self.longitude = longitude
        self.targetGroup = targetGroup
        self.opening = opening
        self.partOfBasis = partOfBasis
        self.reason = reason
        self.status = status
    }

    public var rdPoint: RDPoint? {
        guard let latitude, let longitude else { return nil }
        return RDProjection.project(longitude: longitude, latitude: latitude)
    }
}

/// Every problem of a file at once (a user fixes them in one go), each with file, line and column.
public struct ImportProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [ImportError]

    public init(problems: [ImportError]) { self.problems = problems }

    public var description: String {
        let shown = problems.prefix(20).map { $0.description.replacingOccurrences(of: tr(". Er is niets geïmporteerd; de database is ongewijzigd."), with: "") }
        return shown.joined(separator: "\n") + (problems.count > 20 ? tr("\n… en nog {0} problemen", problems.count - 20) : "")
            + tr("\nEr is niets geïmporteerd; de database is ongewijzigd.")
    }
}

/// A facilities CSV as a gemeente keeps it: one row per facility, Dutch column names, `,` or `;`.
/// Every problem names the line and the column; one bad row refuses the whole file.
public enum FacilityImporter {
    public static let columns = ["naam", "soort", "sferen", "perspectieven", "gebied", "breedtegraad", "lengtegraad", "doelgroep",
                                 "openingstijden", "hoort_bij_basis", "waarom"]
    static let required = ["naam", "soort"]

    /// - Parameter locator: finds the wijk of a facility that has coordinates but no `gebied`.
    public static func parse(_ data: Data, file: String, gemeente: AreaCode, knownAreas: Set<AreaCode>, locator: AreaLocator? = nil) throws -> [Facility] {
        let reader = try CSVReader.read(data, file: file)
        let header = reader.header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        var problems: [ImportError] = []
        for column in required where !header.contains(column) {
            problems.append(ImportError(file: file, line: 1, column: column, found: header.joined(separator: ","),
                                        expected: tr("een kolom '{0}' (kolommen: {1})", column, columns.joined(separator: ", "))))
        }
        for column in header where !columns.contains(column) {
            problems.append(ImportError(file: file, line: 1, column: column, found: column, expected: tr("een bekende kolom ({0})", columns.joined(separator: ", "))))
        }
        if !header.contains("gebied") && !(header.contains("breedtegraad") && header.contains("lengtegraad")) {
            problems.append(ImportError(file: file, line: 1, column: "gebied", found: header.joined(separator: ","),
                                        expected: tr("een kolom 'gebied' (CBS-code van wijk of buurt) of de kolommen 'breedtegraad' en 'lengtegraad'")))
        }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        var facilities: [Facility] = []
        for row in reader.rows {
            let field = { (name: String) -> String in
                guard let index = header.firstIndex(of: name), index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            if let facility = facility(field: field, line: row.line, file: file, gemeente: gemeente, knownAreas: knownAreas, locator: locator,
                                       problems: &problems) {
                facilities.append(facility)
            }
        }
        if facilities.isEmpty && problems.isEmpty {
            problems.append(ImportError(file: file, line: 2, expected: tr("ten minste één voorziening")))
        }
        if !problems.isEmpty { throw ImportProblems(problems: problems) }
        return facilities
    }

    /// One facility from named fields (a CSV row, or the form), with every problem of it added to `problems`.
    static func facility(field: (String) -> String, line: Int, file: String, gemeente: AreaCode, knownAreas: Set<AreaCode>,
                         locator: AreaLocator?, problems: inout [ImportError]) -> Facility? {
        func problem(_ column: String, _ expected: String) {
            problems.append(ImportError(file: file, line: line, column: column, found: field(column), expected: expected))
        }
        let name = field("naam")
        if name.isEmpty { problem("naam", tr("de naam van de voorziening")) }
        let kind = Facility.Kind(text: field("soort"))
        if kind == nil { problem("soort", tr("een soort voorziening ({0})", Facility.Kind.allCases.map(\.rawValue).joined(separator: ", "))) }
        func list<T>(_ column: String, _ make: (String) -> T?, _ expected: String) -> [T] {
            let parts = field(column).split(whereSeparator: { $0 == "|" || $0 == "/" || $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            var result: [T] = []
            for part in parts where !part.isEmpty {
                if let value = make(part.lowercased()) { result.append(value) } else { problem(column, expected) }
            }
            return result
        }
        let spheres = list("sferen", Sphere.init(rawValue:), tr("sferen uit gezin, school, vrijetijd, georganiseerd, hulp (gescheiden door |)"))
        let perspectives = list("perspectieven", Perspective.init(rawValue:), tr("perspectieven uit ideaal, instrumenteel, aanbod, houding (gescheiden door |)"))
        func coordinate(_ column: String, _ range: ClosedRange<Double>) -> Double? {
            let text = field(column).replacingOccurrences(of: ",", with: ".")
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), range.contains(value) else { problem(column, tr("een getal tussen {0} en {1} (WGS84)", range.lowerBound, range.upperBound)); return nil }
            return value
        }
        let latitude = coordinate("breedtegraad", 50.5...53.8), longitude = coordinate("lengtegraad", 3.2...7.3)
        var area = AreaCode(field("gebied").uppercased())
        var located = false
        if field("gebied").isEmpty, let latitude, let longitude, let locator {
            // No wijk given: the one the coordinates lie in.
            area = locator.area(containing: RDProjection.project(longitude: longitude, latitude: latitude))
            located = true
            if area == nil { problem("breedtegraad", tr("coördinaten binnen een wijk van {0} (of vul 'gebied' in)", gemeente.rawValue)) }
        }
        if let area {
            if area.gemeente != gemeente || (area.kind != .wijk && area.kind != .buurt) {
                problem("gebied", tr("een wijk of buurt van {0}", gemeente.rawValue))
            } else if !knownAreas.contains(area) {
                problem("gebied", tr("een wijk of buurt die de monitor kent"))
            }
        } else if !located {
            problem("gebied", tr("een CBS-code van een wijk of buurt (bijvoorbeeld WK036300), of coördinaten"))
        }
        let belongsText = field("hoort_bij_basis").lowercased()
        let belongs = BelongingAnswer(rawValue: belongsText)
        if !belongsText.isEmpty && belongs == nil { problem("hoort_bij_basis", tr("ja, nee of twijfel")) }
        guard let kind, let area, !name.isEmpty else { return nil }
        return Facility(gemeente: gemeente, name: name, kind: kind, spheres: spheres, perspectives: perspectives, area: area,
                        latitude: latitude, longitude: longitude, targetGroup: field("doelgroep"), opening: field("openingstijden"),
                        partOfBasis: belongs, reason: field("waarom"))
    }

    /// One facility from a form's fields (named as the CSV columns); its problems name the form's fields.
    public static func facility(fields: [String: String], gemeente: AreaCode, knownAreas: Set<AreaCode>, locator: AreaLocator? = nil) throws -> Facility {
        var problems: [ImportError] = []
        let result = facility(field: { (fields[$0] ?? "").trimmingCharacters(in: .whitespaces) }, line: 1, file: "formulier", gemeente: gemeente,
                              knownAreas: knownAreas, locator: locator, problems: &problems)
        guard let result, problems.isEmpty else { throw ImportProblems(problems: problems) }
        return result
    }

    /// The register as CSV with the same columns (plain, or the Dutch Excel dialect: `;`, decimal comma, BOM).
    public static func csv(_ facilities: [Facility], excel: Bool) -> String {
        let separator = excel ? ";" : ","
        func cell(_ text: String) -> String { Exporter.cell(text, separator: Character(separator)) }
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            let text = String(format: "%.6f", value)
            return excel ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        var out = (excel ? "\u{FEFF}" : "") + columns.joined(separator: separator) + "\r\n"
        for f in facilities {
            out += [cell(f.name), f.kind.rawValue, f.spheres.map(\.rawValue).joined(separator: "|"), f.perspectives.map(\.rawValue).joined(separator: "|"),
                    f.area.rawValue, number(f.latitude), number(f.longitude), cell(f.targetGroup), cell(f.opening), f.partOfBasis?.rawValue ?? "",
                    cell(f.reason)].joined(separator: separator) + "\r\n"
        }
        return out
    }
}
