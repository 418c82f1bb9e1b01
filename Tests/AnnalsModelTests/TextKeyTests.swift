import Foundation
import Testing

@testable import AnnalsModel

/// `TextKey.fold` works scalar by scalar for speed; it must give what folding the whole text through
/// Foundation gives, on every kind of writing the registry meets.
@Suite struct TextKeyTests {
    static let texts = [
        "Zhi-Gang  GAO,", "高志刚", "浙江大学医学院附属儿童医院 普外科", "Università degli Studi di Milano", "Ｆｕｌｌｗｉｄｔｈ　ＡＢＣ１２３",
        "e\u{301}cole Polytechnique", "Stra\u{DF}e", "\u{3A3}\u{399}\u{3A3}\u{3A5}\u{3A6}\u{39F}\u{3A3}",
        "\u{130}stanbul", "\u{D8}rsted, Norway",
        "\u{FB01}nance", "\u{2460}\u{2461} \u{216B}", "\u{663}\u{664} Cairo", "🏥 Hospital 👩‍⚕️", "한국 서울", "が か\u{3099}",
        "Nguy\u{1EC5}n Văn An",
        "Département de Chirurgie, Hôpital Necker–Enfants Malades", "Łódź; Kraków", "São Paulo — Brasil",
        "\u{A0}non-break\u{A0}space",
        "Müller-Lüdenscheidt", "ЦЕНТР хирургии", "Ａ－Ｂ", "x\u{200B}y", "",
    ]

    @Test(arguments: texts)
    func scalarFoldingEqualsFoundationFolding(_ text: String) {
        #expect(TextKey.fold(text) == TextKey.foundationFold(text), "\(text)")
    }

    /// `holds` (bytes) answers what Foundation's `contains` answers for folded keys, on random keys of a small
    /// alphabet (Chinese, accented and plain letters, spaces) so that one often holds the other.
    @Test func holdsAnswersWhatContainsAnswers() {
        var random = SeededRandom(seed: 20_261_208)
        let letters: [Character] = ["胆", "总", "管", "a", "é", " "]
        func key(_ longest: Int) -> String {
            let length = Int.random(in: 0...longest, using: &random)
            return TextKey.fold(String((0..<length).map { _ in letters.randomElement(using: &random)! }))
        }
        var held = 0
        for _ in 0..<20_000 {
            let (text, part) = (key(8), key(3))
            let expected = text.contains(part)
            #expect(TextKey.holds(text, part) == expected, "'\(text)' holding '\(part)'")
            if expected { held += 1 }
        }
        #expect(held > 2_000, "the keys must often hold each other for this test to say anything")
        #expect(!TextKey.holds("胆总管", ""))
        #expect(TextKey.holds("胆总管囊肿", "总管"))
    }
}
