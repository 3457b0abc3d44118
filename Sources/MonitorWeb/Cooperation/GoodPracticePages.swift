import Foundation
import Monitor

/// View model of `pages/good-practices.mustache`.
struct GoodPracticePage: Sendable {
    struct Estimate: Sendable { var indicator: String; var text: String; var containsZero: Bool }
    struct Study: Sendable { var title: String; var url: String; var detail: String }
    struct Card: Sendable {
        var id: Int
        var name: String
        var url: String
        var gemeente: String
        var typeName: String?
        var typeURL: String?
        var description: String
        var design: String
        var spheres: String
        var estimates: [Estimate]
        var costBenefit: String?
        var studies: [Study]
    }

    var pageTitle = tr("Goede voorbeelden — Monitor pedagogische basis")
    var formAction = SiteRoute.goodPractices.path
    var typesURL = SiteRoute.interventionTypes.path
    var evaluationsURL = SiteRoute.evaluations.path
    var query: String
    var types: [Option]
    var spheres: [Option]
    var perspectives: [Option]
    var cards: [Card]
    var total: Int
    var countText: String
    var isFiltered: Bool

    init(all: [GoodPracticeController.Example], shown: [GoodPracticeController.Example], types: [InterventionType], type: String?,
         sphere: Sphere?, perspective: Perspective?, query: String, catalog: Catalog) {
        self.query = query
        total = all.count
        isFiltered = type != nil || sphere != nil || perspective != nil || !query.isEmpty
        countText = isFiltered ? tr("{0} van {1}", DutchNumber.count(shown.count, "voorbeeld", "voorbeelden"), all.count)
            : DutchNumber.count(all.count, "voorbeeld", "voorbeelden")
        let count = { (match: (GoodPracticeController.Example) -> Bool) in all.filter(match).count }
        self.types = [Option(value: "", label: tr("alle soorten"), selected: type == nil)] + types.compactMap { t in
            let n = count { $0.item.typeID == t.id }
            return n == 0 && t.id != type ? nil : Option(value: t.id, label: "\(t.name) (\(n))", selected: t.id == type)
        }
        spheres = [Option(value: "", label: tr("alle sferen"), selected: sphere == nil)] + Sphere.allCases.map { s in
            Option(value: s.rawValue, label: "\(s.shortLabel) (\(count { $0.spheres.contains(s) }))", selected: s == sphere)
        }
        perspectives = [Option(value: "", label: tr("alle perspectieven"), selected: perspective == nil)] + Perspective.allCases.map { p in
            Option(value: p.rawValue, label: "\(p.label) (\(count { $0.perspectives.contains(p) }))", selected: p == perspective)
        }
        cards = shown.map { example in
            let item = example.item
            return Card(
                id: item.id, name: item.name, url: SiteRoute.intervention(item.gemeente.rawValue, item.id).path, gemeente: example.gemeenteName,
                typeName: example.type?.name, typeURL: example.type.map { SiteRoute.interventionType($0.id).path }, description: item.description,
                design: tr("{0} tegen {1}, vanaf {2}", DutchNumber.count(item.targets.count, "doelwijk", "doelwijken"),
                           DutchNumber.count(item.comparison.count, "vergelijkingswijk", "vergelijkingswijken"), item.startPeriod),
                spheres: DutchNumber.list(Sphere.allCases.filter { example.spheres.contains($0) }.map(\.shortLabel)),
                estimates: example.estimates.map { id, did in
                    let indicator = catalog[id]
                    let diff = { (v: Double) in DutchNumber.difference(v, unit: indicator?.unit ?? .aantal, decimals: (indicator?.decimals ?? 1) + 1) }
                    guard let did else { return Estimate(indicator: indicator?.name ?? id, text: tr("nog geen schatting"), containsZero: false) }
                    return Estimate(indicator: indicator?.name ?? id,
                                    text: tr("{0} (95%-interval {1} tot {2}; {3} tegen {4})", diff(did.estimate), diff(did.lower), diff(did.upper),
                                             did.basePeriod, did.followUpPeriod),
                                    containsZero: did.lower <= 0 && 0 <= did.upper)
                },
                costBenefit: item.costBenefit.flatMap { a in
                    a.items.isEmpty ? nil : tr("MKBA: netto contante waarde {0} (basis, discontovoet {1}%)",
                                               InterventionPage.costBenefitView(a).npv, DutchNumber.format(a.discountRate * 100, decimals: 2))
                },
                studies: example.studies.prefix(5).map { s in
                    Study(title: s.title, url: SiteRoute.evaluation(s.id).path, detail: "\(s.organisation), \(s.year) · \(s.design.label)")
                })
        }
    }
}
