import Foundation

/// Sfeer: where the pedagogische basis is found (report §2.1).
///
/// Four spheres form the basis itself; `hulp` is the buitensfeer of
/// hulpverlening, formally outside the basis but aiming to strengthen it.
public enum Sphere: String, CaseIterable, Codable, Sendable, Comparable {
    /// Jeugdige & gezin en het steunend netwerk (familie, buren, vrienden).
    case gezin
    /// School en opvang (kinderopvang, basis- en voortgezet onderwijs, het schoolplein).
    case school
    /// Zelfstandige vrije tijd en leefomgeving, inclusief de digitale wereld.
    case vrijetijd
    /// Georganiseerde vrije tijd (verenigingen, clubs).
    case georganiseerd
    /// Buitensfeer: hulpverlening (vrij toegankelijk, jeugdhulp, jeugdbescherming).
    case hulp

    /// The Dutch label shown to users.
    public var label: String {
        switch self {
        case .gezin: "Jeugdige, gezin en steunend netwerk"
        case .school: "School en opvang"
        case .vrijetijd: "Zelfstandige vrije tijd en leefomgeving"
        case .georganiseerd: "Georganiseerde vrije tijd"
        case .hulp: "Buitensfeer: hulpverlening"
        }
    }

    /// A short Dutch label for figures and tables.
    public var shortLabel: String {
        switch self {
        case .gezin: "Gezin en netwerk"
        case .school: "School en opvang"
        case .vrijetijd: "Vrije tijd en leefomgeving"
        case .georganiseerd: "Georganiseerde vrije tijd"
        case .hulp: "Hulpverlening"
        }
    }

    public static func < (lhs: Sphere, rhs: Sphere) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Perspectief: why a municipality works on the pedagogische basis (report §2.2).
public enum Perspective: String, CaseIterable, Codable, Sendable {
    /// Ideaal: veilig, gezond opgroeien met (gelijke) kansen.
    case ideaal
    /// Instrumenteel doel: minder druk op en kosten van jeugdhulp.
    case instrumenteel
    /// Aanbod van voorzieningen.
    case aanbod
    /// Houding: hulp vragen, aanbieden en krijgen normaliseren.
    case houding

    /// The Dutch label shown to users.
    public var label: String {
        switch self {
        case .ideaal: "Ideaal"
        case .instrumenteel: "Instrumenteel doel"
        case .aanbod: "Aanbod van voorzieningen"
        case .houding: "Houding"
        }
    }
}

/// Kennisvraag: the question a figure helps to answer (report ch. 4).
public enum KnowledgeQuestion: String, CaseIterable, Codable, Sendable {
    /// Staat: hoe staat het ermee? Is het er, wordt het gebruikt?
    case staat
    /// Kwaliteit: is het er voldoende, wat is de kwaliteit?
    case kwaliteit
    /// Effect: wat is het effect van de inzet, wat is het rendement?
    case effect

    /// The Dutch label shown to users.
    public var label: String {
        switch self {
        case .staat: "Hoe staat het ermee?"
        case .kwaliteit: "Wat is de kwaliteit?"
        case .effect: "Wat is het effect?"
        }
    }
}

/// Niveau: whether a question is asked nationally or locally.
public enum Level: String, CaseIterable, Codable, Sendable {
    /// Landelijk: gemeenten vergelijken, heel Nederland.
    case landelijk
    /// Lokaal: één gemeente, haar wijken en buurten.
    case lokaal
}

/// Polariteit: which direction of an indicator is favourable.
public enum Polarity: String, CaseIterable, Codable, Sendable {
    /// Hoger is gunstig.
    case hogerGunstig = "hoger_gunstig"
    /// Lager is gunstig.
    case lagerGunstig = "lager_gunstig"
    /// Neutraal: geen richting is op zich gunstig (context, achtergrond).
    case neutraal

    /// The Dutch label shown to users.
    public var label: String {
        switch self {
        case .hogerGunstig: "hoger is gunstig"
        case .lagerGunstig: "lager is gunstig"
        case .neutraal: "neutraal (context)"
        }
    }
}

/// Framing (lading): whether the indicator is phrased positively, negatively or neutrally.
///
/// Separate from ``Polarity``: "% kinderen dat buiten speelt" is positively framed,
/// "% jongeren met jeugdzorg" negatively (report §3.2).
public enum Framing: String, CaseIterable, Codable, Sendable {
    /// Positief geformuleerd.
    case positief
    /// Negatief geformuleerd (problemen, zorgen).
    case negatief
    /// Neutraal geformuleerd (achtergrond, context).
    case neutraal
}
