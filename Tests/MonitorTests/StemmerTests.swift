import Foundation
import Monitor
import MonitorTestSupport
import Testing

@Suite("Nederlandse stammer (Snowball)")
struct StemmerTests {
    /// Copied from the published Snowball list (snowball-data, dutch/diffs.txt): word, stem.
    static let published: [(String, String)] = [
        ("aachen", "aach"), ("aalmoezen", "aalmoez"), ("aalsmeer", "aalsmer"), ("aalsmeerse", "aalsmer"), ("aanbesteding", "aanbested"),
        ("aanbestedingsprocedure", "aanbestedingsprocedur"), ("aanbevolen", "aanbevol"), ("aanbiddelijk", "aanbid"), ("aanbiddelijke", "aanbid"),
        ("aanbidding", "aanbid"), ("aanbieders", "aanbieder"), ("aanbood", "aanbod"), ("aandachtig", "aandacht"), ("aandachtiger", "aandachtiger"),
        ("aandeel", "aandel"), ("aandelenfonds", "aandelenfond"), ("aandoenlijke", "aandoen"), ("aandreigende", "aandreig"), ("aaneen", "aanen"),
        ("aangaan", "aangan"), ("aangelegenheden", "aangeleg"), ("aangenaamste", "aangenaamst"), ("aangetekend", "aangetek"), ("aangewend", "aangew"),
        ("aankondiging", "aankond"), ("aanhankelijkheden", "aanhank"), ("aannames", "aannames"), ("aanpasbaarheid", "aanpas"),
        ("aansprakelijkheidsverzekeringen", "aansprakelijkheidsverzeker"), ("á", "a"), ("à", "à"), ("áan", "aan"),
        ("green", "gren"), ("greintje", "greintj"), ("grensoverschrijdendheid", "grensoverschrijd"), ("grenzende", "grenzend"), ("griekse", "griek"),
        ("griezelige", "griezel"), ("grijns", "grijn"), ("grilligheid", "grillig"), ("groeibevorderaar", "groeibevorderar"), ("groeiing", "groeiing"),
        ("groenfondsen", "groenfonds"), ("groepjes", "groepjes"), ("groezeligs", "groezel"), ("grondig", "grondig"), ("groningen", "groning"),
        ("groot", "grot"), ("gróót", "grot"), ("gròotmeesteres", "gròotmeesteres"), ("grootheden", "grootheid"), ("grootschaligheid", "grootschal"),
        ("grootte", "grot"), ("rumoerige", "rumoer"), ("rups", "rup"), ("rupsen", "rups"), ("russe", "rus"), ("ruziën", "ruzien"),
        ("samen", "sam"), ("samengebeurlijkheden", "samengebeur"), ("samenwerking", "samenwerk"), ("samenwerkingsverbanden", "samenwerkingsverband"),
        ("saneringstechnologieën", "saneringstechnologieen"), ("scène", "scèn"), ("scènes", "scènes"), ("schaal", "schal"), ("schaars", "schar"),
        ("schadelijkheid", "schadelijk"), ("schaduwende", "schaduw"), ("schandalige", "schandal"), ("ruyiten", "ruyit"),
    ]

    @Test func theStemsOfThePublishedSnowballListComeOut() {
        for (word, stem) in Self.published {
            #expect(DutchStemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func everyWordOfTheReferenceListGetsSnowballsStem() throws {
        let text = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/snowball-dutch/reference.txt"), encoding: .utf8)
        var checked = 0, wrong: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            checked += 1
            let got = DutchStemmer.stem(String(parts[0]))
            if got != parts[1] { wrong.append("\(parts[0]) → \(got), Snowball: \(parts[1])") }
        }
        #expect(checked > 13_000)
        #expect(wrong.isEmpty, "\(wrong.count) verschillen, bijvoorbeeld \(wrong.prefix(15).joined(separator: "; "))")
    }

    @Test func opvoedenOpvoedingAndOpvoedondersteuningShareTheirBeginning() {
        #expect(DutchStemmer.stem("opvoeden") == "opvoed" && DutchStemmer.stem("opvoeding") == "opvoed")
        #expect(DutchStemmer.stem("opvoedondersteuning").hasPrefix("opvoed"))
    }
}
