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

    private static let foldedAliases: [(alias: String, name: String)] = aliases.map { (fold($0.key), fold($0.value)) }

    /// The names an area of this official name is also known by (folded).
    public static func otherNames(of name: String) -> [String] {
        let target = fold(name)
        return foldedAliases.filter { $0.name == target }.map(\.alias)
    }

    /// Whether `query` names this area: a part of its name or of another name of it, or its code.
    public static func matches(_ area: Area, query: String) -> Bool {
        let q = fold(query)
        guard !q.isEmpty else { return true }
        if area.code.rawValue == query.uppercased() { return true }
        if fold(area.name).contains(q) { return true }
        return otherNames(of: area.name).contains { $0.contains(q) }
    }

    /// The areas `text` names, best first: a code; else every area whose name or other name is exactly the text;
    /// else those containing it.
    public static func resolve(_ text: String, among areas: [Area]) -> [Area] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let code = AreaCode(trimmed.uppercased()), let area = areas.first(where: { $0.code == code }) { return [area] }
        let q = fold(trimmed)
        guard !q.isEmpty else { return [] }
        let exact = areas.filter { fold($0.name) == q || otherNames(of: $0.name).contains(q) }
        if !exact.isEmpty { return exact }
        return areas.filter { matches($0, query: trimmed) }.sorted { $0.name < $1.name }
    }
}
