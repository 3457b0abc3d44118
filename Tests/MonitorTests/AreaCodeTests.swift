import Foundation
import Monitor
import Testing

@Suite("Gebiedscodes")
struct AreaCodeTests {
    @Test func parsesEveryKindOfCBSCode() {
        #expect(AreaCode("NL00")?.kind == .land)
        #expect(AreaCode("PV27")?.kind == .provincie)
        #expect(AreaCode("GG3406")?.kind == .ggdregio)
        #expect(AreaCode("GM0363")?.kind == .gemeente)
        #expect(AreaCode("WK036300")?.kind == .wijk)
        #expect(AreaCode("BU03630000")?.kind == .buurt)
    }

    @Test func wijkAndBuurtCodesMayContainLetters() {
        #expect(AreaCode("WK0363AA")?.kind == .wijk)
        #expect(AreaCode("BU0363AA01")?.kind == .buurt)
    }

    @Test func gemeenteAndWijkFollowFromTheCode() {
        #expect(AreaCode("BU0363AA01")?.gemeente == AreaCode("GM0363"))
        #expect(AreaCode("BU0363AA01")?.wijk == AreaCode("WK0363AA"))
        #expect(AreaCode("WK036300")?.gemeente == AreaCode("GM0363"))
        #expect(AreaCode("GM0363")?.wijk == nil)
    }

    @Test func cbsPaddingIsTrimmed() {
        #expect(AreaCode("GM0363    ")?.rawValue == "GM0363")
    }

    @Test(arguments: ["", "GM363", "GM03630", "gm0363", "WK0363a1", "BU0363", "XX0000", "NL01", "GM03 3"])
    func rejectsCodesOfTheWrongShape(_ text: String) {
        #expect(AreaCode(text) == nil)
    }
}
