import AnnalsModel
import AnnalsReports
import Testing

/// A name in Chinese characters is cited whole, never cut into "family initials" (高 志).
@Suite struct ChineseCitationNameTests {
    @Test func aNameInCharactersIsCitedWhole() {
        let paper = Publication(
            id: "zh", kind: .journalArticle, title: MarkupText(plain: "腹腔镜胆总管囊肿切除术的学习曲线"),
            journal: JournalReference(title: "中华小儿外科杂志"), published: PartialDate("2023"),
            authors: [
                Author(familyName: "高", givenName: "志刚"), Author(familyName: "欧阳", givenName: "明"),
                Author(familyName: "Chen", givenName: "Qingjiang"),
            ])
        let citation = Vancouver.citation(paper, journals: [])
        #expect(citation.hasPrefix("高志刚, 欧阳明, Chen Q. "), "\(citation)")
        #expect(!citation.contains("高 志"))
    }
}
