import Foundation
import Monitor
import MonitorStore

extension Fixtures {
    /// Eight actors across three spheres: a family cluster, a school cluster joined by the brugfunctionaris,
    /// the wijkteam reached through the intern begeleider, and the huisarts without ties.
    public static let exampleNetwork = NetworkMap(
        gemeente: AreaCode("GM0363")!, area: AreaCode("WK0363AA")!, date: ReferenceDate("2026-11-01")!, title: "Haarlemmerbuurt",
        actors: [
            .init(key: "1", name: "Ouders van De Regenboog", kind: .groep, spheres: [.gezin]),
            .init(key: "2", name: "Buurtmoeder", kind: .rol, spheres: [.gezin]),
            .init(key: "3", name: "Mamacafé", kind: .organisatie, spheres: [.gezin]),
            .init(key: "4", name: "Leerkracht groep 8", kind: .rol, spheres: [.school]),
            .init(key: "5", name: "Intern begeleider", kind: .rol, spheres: [.school]),
            .init(key: "6", name: "Brugfunctionaris", kind: .rol, spheres: [.school, .gezin]),
            .init(key: "7", name: "Wijkteam", kind: .organisatie, spheres: [.hulp]),
            .init(key: "8", name: "Huisarts", kind: .rol, spheres: [.hulp]),
        ],
        ties: [
            .init(from: "1", to: "2", kind: .informeleSteun, strength: 3), .init(from: "2", to: "3", kind: .ontmoeting, strength: 2),
            .init(from: "1", to: "3", kind: .ontmoeting, strength: 2), .init(from: "4", to: "5", kind: .samenwerking, strength: 3),
            .init(from: "5", to: "6", kind: .samenwerking, strength: 2), .init(from: "4", to: "6", kind: .samenwerking, strength: 1),
            .init(from: "6", to: "1", kind: .informeleSteun, strength: 2), .init(from: "5", to: "7", kind: .verwijzing, strength: 2),
        ])
}

extension Fixtures {
    /// The form of a gemeente's own indicator as an analist fills it in: a count of playground visits per wijk.
    public static let localIndicatorForm: [String: [String]] = [
        "naam": ["Bezoek aan bemande speeltuinen"],
        "definitie": ["Bezoeken aan de bemande speeltuinen van de wijk in een kalenderjaar, geteld door de speeltuinwerkers."],
        "eenheid": ["aantal"], "decimalen": ["0"],
        "bron.uitgever": ["Gemeente Amsterdam"], "bron.tabel": ["Turflijsten speeltuinen"], "bron.titel": ["Bezoek bemande speeltuinen"],
        "peilmoment": ["kalenderjaar"], "polariteit": ["hoger_gunstig"], "lading": ["positief"],
        "rol": ["basis"], "rol_waarom": ["Buiten spelen met andere kinderen is de vrije tijd zelf, geen achtergrond."],
        "sferen": ["vrijetijd"], "perspectieven": ["aanbod", "houding"], "kennisvragen": ["staat"], "beeld": ["lokaal"],
        "leeftijd": ["4–12 jaar"], "toelichting": ["Waar kinderen samen spelen, leren ze elkaar en de buurt kennen."],
        "gebruiksvoorbeelden": ["Vergelijk de wijken: waar komen kinderen, waar niet?\nVolg het bezoek na de verbouwing van een speeltuin."],
        "kanttekeningen": ["Telt bezoeken, geen kinderen: één kind dat elke dag komt telt vaak."],
        "aggregatie": ["som"],
        "meetlast.producent": ["lokale_registratie"], "meetlast.minuten_per_respondent": ["2,5"],
        "meetlast.respondenten_per_periode": ["12"], "meetlast.aanname": ["Twaalf speeltuinwerkers turven elke dag."],
    ]

    /// ``localIndicatorForm`` as the catalogue entry the form makes, with this id.
    public static func localIndicatorYAML(id: String, changing changes: [String: [String]] = [:]) -> String {
        let values = localIndicatorForm.merging(changes) { _, new in new }
        return LocalIndicatorEntry.yaml(id: id, values: { values[$0] ?? [] })
    }
}
