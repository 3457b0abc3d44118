import Foundation
import Monitor
import Testing

@Suite("Rollen")
struct RoleTests {
    let amsterdam = AreaCode("GM0363")!
    let groningen = AreaCode("GM0014")!

    @Test func anAnalistWorksOnlyForTheirOwnGemeenten() {
        let analist = Account(id: 1, username: "a", displayName: "A", role: .analist, gemeenten: [amsterdam])
        #expect(analist.may(.editGemeente(amsterdam)))
        #expect(analist.may(.publishGemeente(amsterdam)))
        #expect(analist.may(.readDrafts(amsterdam)))
        #expect(!analist.may(.editGemeente(groningen)))
        #expect(!analist.may(.readDrafts(groningen)))
        #expect(!analist.may(.manageAccounts))
        #expect(!analist.may(.readAudit))
        #expect(analist.may(.changeOwnPassword))
    }

    @Test func aDeelnemerContributesOnlyWhereInvited() {
        let deelnemer = Account(id: 2, username: "d", displayName: "D", role: .deelnemer, gemeenten: [amsterdam])
        #expect(deelnemer.may(.contributeDialogue(gemeente: amsterdam, invited: true)))
        #expect(!deelnemer.may(.contributeDialogue(gemeente: amsterdam, invited: false)))
        #expect(!deelnemer.may(.contributeDialogue(gemeente: groningen, invited: true)))
        #expect(!deelnemer.may(.editGemeente(amsterdam)))
        #expect(!deelnemer.may(.publishGemeente(amsterdam)))
    }

    @Test func aBeheerderMayDoEverything() {
        let beheerder = Account(id: 3, username: "b", displayName: "B", role: .beheerder)
        for permission: Permission in [.manageAccounts, .readAudit, .editGemeente(groningen), .publishGemeente(amsterdam),
                                       .contributeDialogue(gemeente: groningen, invited: false)] {
            #expect(beheerder.may(permission))
        }
    }

    @Test func passwordsAreLongAndNotTheUsername() {
        #expect(PasswordRule.problems("kort", username: "x").contains { $0.contains("minstens 12") })
        #expect(!PasswordRule.problems("anna@gemeente.nl-2026", username: "Anna@Gemeente.nl").isEmpty)
        #expect(!PasswordRule.problems("aaaaaaaaaaaaaaaa", username: "x").isEmpty)
        #expect(PasswordRule.problems("paard-batterij-nietje", username: "anna").isEmpty)
    }
}
