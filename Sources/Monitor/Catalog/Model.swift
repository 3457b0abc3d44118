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
        case .gezin: tr("Jeugdige, gezin en steunend netwerk")
        case .school: tr("School en opvang")
        case .vrijetijd: tr("Zelfstandige vrije tijd en leefomgeving")
        case .georganiseerd: tr("Georganiseerde vrije tijd")
        case .hulp: tr("Buitensfeer: hulpverlening")
        }
    }

    /// A short Dutch label for figures and tables.
    public var shortLabel: String {
        switch self {
        case .gezin: tr("Gezin en netwerk")
        case .school: tr("School en opvang")
        case .vrijetijd: tr("Vrije tijd en leefomgeving")
        case .georganiseerd: tr("Georganiseerde vrije tijd")
        case .hulp: tr("Hulpverlening")
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
        case .ideaal: tr("Ideaal")
        case .instrumenteel: tr("Instrumenteel doel")
        case .aanbod: tr("Aanbod van voorzieningen")
        case .houding: tr("Houding")
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
        case .staat: tr("Hoe staat het ermee?")
        case .kwaliteit: tr("Wat is de kwaliteit?")
        case .effect: tr("Wat is het effect?")
        }
    }
}

/// Niveau: whether a question is asked nationally or locally (report §4: landelijk of lokaal beeld).
public enum Level: String, CaseIterable, Codable, Sendable {
    /// Landelijk: gemeenten vergelijken, heel Nederland.
    case landelijk
    /// Lokaal: één gemeente, haar wijken en buurten.
    case lokaal

    public var label: String {
        switch self {
        case .landelijk: tr("landelijk beeld")
        case .lokaal: tr("lokaal beeld")
        }
    }
}

/// Rol: what an indicator is about. Only `basis` counts as coverage of the pedagogical basis; context explains it.
public enum IndicatorRole: String, CaseIterable, Codable, Sendable {
    /// About the pedagogical basis itself: support, relations, play, school climate, organised leisure, parenting,
    /// free access to help, and how children grow up in it.
    case basis
    /// Explains the basis but is not the basis: population, households, income, benefits, distances, density.
    case context
    /// Use of help in the buitensfeer (jeugdhulp, jeugdbescherming).
    case hulp

    public var label: String {
        switch self {
        case .basis: tr("pedagogische basis")
        case .context: tr("context")
        case .hulp: tr("gebruik van hulp (buitensfeer)")
        }
    }
}

/// De drie lagen van de buitensfeer (report §2.1).
public enum HelpLayer: String, CaseIterable, Codable, Sendable {
    /// Vrij toegankelijk: consultatiebureau, opvoedsteunpunt, jeugdgezondheidszorg, zonder verwijzing.
    case vrijToegankelijk = "vrij_toegankelijk"
    /// Jeugdhulp met een verwijzing (huisarts, wijkteam, gemeente).
    case jeugdhulp
    /// Jeugdbescherming en jeugdreclassering (een maatregel).
    case jeugdbescherming

    public var label: String {
        switch self {
        case .vrijToegankelijk: tr("vrij toegankelijk")
        case .jeugdhulp: tr("jeugdhulp met verwijzing")
        case .jeugdbescherming: tr("jeugdbescherming")
        }
    }
}

/// Relations, het weefsel van de pedagogische basis (report §2.1): who is tied to whom.
public enum RelationType: String, CaseIterable, Codable, Sendable {
    /// Ouders en hun omgeving: familie, buren, andere ouders.
    case oudersOmgeving = "ouders_omgeving"
    /// Ouders en professionals (leerkracht, consultatiebureau, jongerenwerk).
    case oudersProfessionals = "ouders_professionals"
    /// Professionals onderling, over de sferen heen.
    case professionalsProfessionals = "professionals_professionals"

    public var label: String {
        switch self {
        case .oudersOmgeving: tr("ouders ↔ omgeving")
        case .oudersProfessionals: tr("ouders ↔ professionals")
        case .professionalsProfessionals: tr("professionals ↔ professionals")
        }
    }
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
        case .hogerGunstig: tr("hoger is gunstig")
        case .lagerGunstig: tr("lager is gunstig")
        case .neutraal: tr("neutraal (context)")
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
