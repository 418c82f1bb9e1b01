import Testing

@testable import AnnalsModel

/// The matcher's shortcuts give the answers of the slow, obvious way.
@Suite struct ProcedureMatcherShortcutTests {
    /// `isNear` (one pass) against the edit distance it stands for, on words of a small alphabet so that near
    /// pairs (one replaced, inserted, deleted or swapped) are common, accented letters and Chinese included.
    @Test func isNearIsAnEditDistanceOfAtMostOne() {
        var random = SeededRandom(seed: 20_261_207)
        let letters: [Character] = ["a", "b", "c", "é", "囊"]
        func word() -> String {
            String((0..<Int.random(in: 3...8, using: &random)).map { _ in letters.randomElement(using: &random)! })
        }
        func variant(of original: String) -> String {
            var characters = Array(original)
            let at = Int.random(in: 0..<characters.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: characters[at] = letters.randomElement(using: &random)!
            case 1: characters.insert(letters.randomElement(using: &random)!, at: at)
            case 2: characters.remove(at: at)
            case 3 where at + 1 < characters.count: characters.swapAt(at, at + 1)
            default: return word()
            }
            return String(characters)
        }
        var near = 0
        for _ in 0..<20_000 {
            let a = word()
            let b = variant(of: a)
            let expected = a.count >= 5 && b.count >= 5 && ReferenceCheck.editDistance(a, b, atMost: 1) <= 1
            #expect(ProcedureMatcher.isNear(a, b) == expected, "'\(a)' and '\(b)'")
            #expect(ProcedureMatcher.isNear(b, a) == expected, "'\(b)' and '\(a)'")
            if expected { near += 1 }
        }
        #expect(near > 2_000, "the words must often be near for this test to say anything")
    }

    /// A matcher made once is used again for the same vocabulary only: a procedure or synonym added is matched
    /// at once.
    @Test func aKeptMatcherIsNeverOlderThanTheVocabulary() {
        let cyst = Procedure(
            id: "choledochal-cyst-excision", preferredTerm: "Choledochal cyst excision",
            synonyms: ["胆总管囊肿切除术"], category: "hepatobiliary")
        let appendix = Procedure(id: "appendectomy", preferredTerm: "Appendectomy", synonyms: [], category: "general")
        #expect(ProcedureMatcher.made(for: [cyst]).match("阑尾切除术") != .procedure(appendix, approach: nil))
        var withSynonym = appendix
        withSynonym.synonyms = ["阑尾切除术"]
        #expect(
            ProcedureMatcher.made(for: [cyst, withSynonym]).match("阑尾切除术") == .procedure(withSynonym, approach: nil))
        #expect(ProcedureMatcher.made(for: [cyst]).match("阑尾切除术") != .procedure(withSynonym, approach: nil))
        #expect(
            ProcedureMatcher.made(for: [cyst]).match("胆总管囊肿切除术") == .procedure(cyst, approach: nil))
    }
}
