import Foundation

/// The Snowball Dutch stemmer (the classic algorithm, https://snowballstem.org/algorithms/dutch/stemmer.html — the one
/// PostgreSQL's `dutch` text search configuration uses), written out in Swift. Input: one lower-case word.
public enum DutchStemmer {
    static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y", "è"]

    public static func stem(_ word: String) -> String {
        // Prelude: remove these accents; a y at the start or after a vowel, and an i between vowels, act as consonants (I, Y).
        let accents: [Character: Character] = ["ä": "a", "ë": "e", "ï": "i", "ö": "o", "ü": "u", "á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u"]
        var w = word.map { accents[$0] ?? $0 }
        guard !w.isEmpty else { return word }
        if w[0] == "y" { w[0] = "Y" }
        var i = 1
        while i < w.count {
            if vowels.contains(w[i - 1]) {
                if w[i] == "i", i + 1 < w.count, vowels.contains(w[i + 1]) { w[i] = "I" } else if w[i] == "y" { w[i] = "Y" }
            }
            i += 1
        }
        // Regions: R1 after the first non-vowel following a vowel (at least 3 letters in front), R2 the same within R1.
        func isVowel(_ c: Character) -> Bool { vowels.contains(c) }
        func region(from start: Int) -> Int {
            var k = start
            while k < w.count && !isVowel(w[k]) { k += 1 }
            while k < w.count && isVowel(w[k]) { k += 1 }
            return k < w.count ? k + 1 : w.count
        }
        var p1 = w.count, p2 = w.count
        if w.count >= 3 {
            p1 = region(from: 0)
            p2 = region(from: p1)
            if p1 < 3 { p1 = 3 }
        }
        var eFound = false

        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix)
            return w.count >= s.count && Array(w[(w.count - s.count)...]) == s
        }
        func inR1(_ length: Int) -> Bool { w.count - length >= p1 }
        func inR2(_ length: Int) -> Bool { w.count - length >= p2 }
        /// The letter before a suffix of `length`, if any.
        func before(_ length: Int) -> Character? { w.count - length - 1 >= 0 ? w[w.count - length - 1] : nil }
        func undouble() {
            if ends("kk") || ends("dd") || ends("tt") { w.removeLast() }
        }
        /// 'en' or 'ene': delete in R1 after a non-vowel that does not end 'gem', then undouble.
        func enEnding(_ length: Int) -> Bool {
            guard inR1(length), let c = before(length), !isVowel(c) else { return false }
            let stemEnd = w.count - length
            if stemEnd >= 3 && Array(w[(stemEnd - 3)..<stemEnd]) == ["g", "e", "m"] { return false }
            w.removeLast(length)
            undouble()
            return true
        }
        func eEnding() {
            eFound = false
            guard ends("e"), inR1(1), let c = before(1), !isVowel(c) else { return }
            w.removeLast()
            eFound = true
            undouble()
        }

        // Step 1: the longest of heden, ene, en, se, s.
        if ends("heden") {
            if inR1(5) { w.removeLast(5); w += ["h", "e", "i", "d"] }
        } else if ends("ene") {
            _ = enEnding(3)
        } else if ends("en") {
            _ = enEnding(2)
        } else if ends("se") || ends("s") {
            let length = ends("se") ? 2 : 1
            if inR1(length), let c = before(length), !isVowel(c), c != "j" { w.removeLast(length) }
        }
        // Step 2: e.
        eEnding()
        // Step 3a: heid.
        if ends("heid"), inR2(4), before(4) != "c" {
            w.removeLast(4)
            if ends("en") { _ = enEnding(2) }
        }
        // Step 3b: the longest of end, ing, ig, lijk, baar, bar.
        if ends("end") || ends("ing") {
            if inR2(3) {
                w.removeLast(3)
                if ends("ig"), inR2(2), before(2) != "e" { w.removeLast(2) } else { undouble() }
            }
        } else if ends("ig") {
            if inR2(2), before(2) != "e" { w.removeLast(2) }
        } else if ends("lijk") {
            if inR2(4) { w.removeLast(4); eEnding() }
        } else if ends("baar") {
            if inR2(4) { w.removeLast(4) }
        } else if ends("bar") {
            if inR2(3), eFound { w.removeLast(3) }
        }
        // Step 4: undouble a vowel in a final consonant–double vowel–consonant (maan → man).
        if w.count >= 4, let last = w.last, !isVowel(last), last != "I" {
            let a = w[w.count - 3], b = w[w.count - 2], c = w[w.count - 4]
            if a == b, ["a", "e", "o", "u"].contains(a), !isVowel(c) { w.remove(at: w.count - 2) }
        }
        return String(w.map { $0 == "I" ? "i" : $0 == "Y" ? "y" : $0 })
    }
}
