import Foundation
import Monitor
import Testing

@Suite("Gebieden op naam vinden")
struct AreaNameTests {
    static let areas = [
        Area(code: AreaCode("GM0518")!, name: "'s-Gravenhage", indelingYear: 2024),
        Area(code: AreaCode("GM0796")!, name: "'s-Hertogenbosch", indelingYear: 2024),
        Area(code: AreaCode("GM1900")!, name: "Súdwest-Fryslân", indelingYear: 2024),
        Area(code: AreaCode("GM0363")!, name: "Amsterdam", indelingYear: 2024),
        Area(code: AreaCode("GM0014")!, name: "Groningen", indelingYear: 2024),
        Area(code: AreaCode("GM0373")!, name: "Bergen (NH.)", indelingYear: 2024),
        Area(code: AreaCode("GM0893")!, name: "Bergen (L.)", indelingYear: 2024),
    ]

    @Test func theNamesPeopleTypeFindTheOfficialGemeente() {
        for (typed, code) in [("Den Haag", "GM0518"), ("den haag", "GM0518"), ("Den Bosch", "GM0796"), ("s-Hertogenbosch", "GM0796"),
                              ("'s-Hertogenbosch", "GM0796"), ("Sudwest-Fryslan", "GM1900"), ("sudwest fryslan", "GM1900"),
                              ("Weesp", "GM0363"), ("Haren", "GM0014"), ("GM0363", "GM0363"), ("gm0014", "GM0014")] {
            #expect(AreaNames.resolve(typed, among: Self.areas).map(\.code.rawValue) == [code], "\(typed)")
        }
    }

    @Test func anAmbiguousOrUnknownNameIsNotGuessed() {
        #expect(AreaNames.resolve("Bergen", among: Self.areas).count == 2, "both Bergens, not the first")
        #expect(AreaNames.resolve("Nergensdorp", among: Self.areas).isEmpty)
        #expect(AreaNames.resolve("   ", among: Self.areas).isEmpty)
    }

    @Test func everyAliasNamesAGemeenteByItsCurrentName() {
        // An alias must not point at another alias (a chain would find nothing).
        for (alias, name) in AreaNames.aliases {
            #expect(AreaNames.aliases[name] == nil, "\(alias) → \(name) is itself an alias")
        }
    }
}
