import Foundation

/// Finding an area by the name people use: case and accents do not count ("Sudwest-Fryslan" finds Súdwest-Fryslân),
/// the common names of the two gemeenten whose official name nobody types ('s-Gravenhage, 's-Hertogenbosch), and the
/// names of gemeenten that merged into another since 2019 (CBS, Gemeentelijke indelingen per jaar): "Weesp" finds
/// Amsterdam. Aliases name the current gemeente by its name, so an alias whose gemeente is not loaded finds nothing.
public enum AreaNames {
    /// Other names → the current official name.
    public static let aliases: [String: String] = [
        "Den Haag": "'s-Gravenhage", "Haag": "'s-Gravenhage", "The Hague": "'s-Gravenhage",
        "Den Bosch": "'s-Hertogenbosch", "Hertogenbosch": "'s-Hertogenbosch",
        // 2019
        "Haren": "Groningen", "Ten Boer": "Groningen",
        "Bedum": "Het Hogeland", "De Marne": "Het Hogeland", "Eemsmond": "Het Hogeland", "Winsum": "Het Hogeland",
        "Grootegast": "Westerkwartier", "Marum": "Westerkwartier", "Zuidhorn": "Westerkwartier",
        "Dongeradeel": "Noardeast-Fryslân", "Ferwerderadiel": "Noardeast-Fryslân", "Kollumerland en Nieuwkruisland": "Noardeast-Fryslân",
        "Leeuwarderadeel": "Leeuwarden", "Littenseradiel": "Súdwest-Fryslân",
        "Giessenlanden": "Molenlanden", "Molenwaard": "Molenlanden",
        "Binnenmaas": "Hoeksche Waard", "Cromstrijen": "Hoeksche Waard", "Korendijk": "Hoeksche Waard",
        "Oud-Beijerland": "Hoeksche Waard", "Strijen": "Hoeksche Waard",
        "Leerdam": "Vijfheerenlanden", "Zederik": "Vijfheerenlanden", "Vianen": "Vijfheerenlanden",
        "Geldermalsen": "West Betuwe", "Lingewaal": "West Betuwe", "Neerijnen": "West Betuwe",
        "Aalburg": "Altena", "Werkendam": "Altena", "Woudrichem": "Altena",
        "Nuth": "Beekdaelen", "Onderbanken": "Beekdaelen", "Schinnen": "Beekdaelen",
        "Noordwijkerhout": "Noordwijk", "Haarlemmerliede en Spaarnwoude": "Haarlemmermeer",
        // 2021
        "Appingedam": "Eemsdelta", "Delfzijl": "Eemsdelta", "Loppersum": "Eemsdelta",
        // 2022
        "Weesp": "Amsterdam", "Beemster": "Purmerend",
        "Heerhugowaard": "Dijk en Waard", "Langedijk": "Dijk en Waard",
        "Landerd": "Maashorst", "Uden": "Maashorst",
        "Boxmeer": "Land van Cuijk", "Cuijk": "Land van Cuijk", "Grave": "Land van Cuijk",
        "Mill en Sint Hubert": "Land van Cuijk", "Sint Anthonis": "Land van Cuijk",
        // 2023
        "Brielle": "Voorne aan Zee", "Hellevoetsluis": "Voorne aan Zee", "Westvoorne": "Voorne aan Zee",
    ]

    /// Lower case, without accents, apostrophes and hyphens as spaces ("'s-Hertogenbosch" → "s hertogenbosch").
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "nl_NL"))
        let spaced = folded.map { $0 == "-" || $0 == "'" || $0 == "’" ? " " : $0 }
        return String(spaced).split(separator: " ").joined(separator: " ")
    }

    /// Folded official name → its folded other names.
    private static let otherNamesByName: [String: [String]] = Dictionary(grouping: aliases.map { (name: fold($0.value), alias: fold($0.key)) },
                                                                            by: \.name).mapValues { $0.map(\.alias) }

    /// The names an area of this (folded) official name is also known by (folded).
    static func otherNames(ofFolded name: String) -> [String] { otherNamesByName[name] ?? [] }

    /// What someone typed, folded once, to test many areas against.
    public struct Query: Sendable {
        let code: String
        let folded: String

        public init(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            code = trimmed.uppercased()
            folded = AreaNames.fold(trimmed)
        }

        /// Whether it names this area: its code, or a part of its name or of another name of it.
        public func matches(_ area: Area) -> Bool { matches(area, foldedName: AreaNames.fold(area.name)) }

        func matches(_ area: Area, foldedName: String) -> Bool {
            guard !folded.isEmpty else { return true }
            if area.code.rawValue == code || foldedName.contains(folded) { return true }
            return AreaNames.otherNames(ofFolded: foldedName).contains { $0.contains(folded) }
        }
    }

    /// The areas `text` names, best first: a code; else every area whose name or other name is exactly the text;
    /// else those containing it. Each name is folded once.
    public static func resolve(_ text: String, among areas: [Area]) -> [Area] {
        let query = Query(text)
        if let code = AreaCode(query.code), let area = areas.first(where: { $0.code == code }) { return [area] }
        guard !query.folded.isEmpty else { return [] }
        let named = areas.map { (area: $0, folded: fold($0.name)) }
        let exact = named.filter { $0.folded == query.folded || otherNames(ofFolded: $0.folded).contains(query.folded) }.map(\.area)
        if !exact.isEmpty { return exact }
        return named.filter { query.matches($0.area, foldedName: $0.folded) }.map(\.area).sorted { $0.name < $1.name }
    }
}
