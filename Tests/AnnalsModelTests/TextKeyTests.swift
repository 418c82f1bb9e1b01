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
}
