import AnnalsCuration
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsInterchange

/// Chinese authors in what Annals writes and reads: CSV and RIS write 高志刚 whole, EndNote names are
/// split by family name (compound ones too), and a person is credited by the pinyin and the hanzi forms.
@Suite struct ChineseNameExportTests {
    static let paper = Publication(
        id: "zh-paper", kind: .journalArticle, title: MarkupText(plain: "腹腔镜胆总管囊肿切除术的学习曲线"),
        authors: [
            Author(familyName: "高", givenName: "志刚"), Author(familyName: "欧阳", givenName: "明"),
            Author(familyName: "Chen", givenName: "Qingjiang", initials: "Q"),
        ],
        editors: [Author(familyName: "司马", givenName: "光")])

    @Test func risWritesANameInCharactersWhole() {
        let ris = TableExport.risRecord(Self.paper)
        let authors = ris.components(separatedBy: "\r\n").filter { $0.hasPrefix("AU  - ") || $0.hasPrefix("ED  - ") }
        #expect(authors == ["AU  - 高志刚", "AU  - 欧阳明", "AU  - Chen, Qingjiang", "ED  - 司马光"])
    }

    @Test func csvWritesANameInCharactersWhole() throws {
        let folder = TemporaryFolder()
        let store = try folder.newRegistry()
        _ = try store.write { try $0.upsert(Self.paper) }
        var out = ""
        try store.read { try TableExport.csv(.publications, from: $0) { out += $0 } }
        #expect(out.contains("高志刚; 欧阳明; Chen Q"), "\(out)")
        #expect(!out.contains("高 志"))
    }

    @Test func endNoteNamesSplitByCompoundFamilyNames() throws {
        for (name, family, given) in [("欧阳明", "欧阳", "明"), ("诸葛亮", "诸葛", "亮"), ("司徒雷登", "司徒", "雷登"), ("高志刚", "高", "志刚")]
        {
            let author = try #require(EndNoteReader.author(name))
            #expect(author.familyName == family && author.givenName == given && author.initials == nil, "\(name)")
            #expect(author.shortName == name)
        }
    }
}

/// A person is credited whether a paper writes their name in pinyin or in characters.
@Suite struct ChineseAttributionTests {
    static let hospital = OrgUnit(
        id: "hospital", kind: .hospital, name: "Children's Hospital",
        affiliationPatterns: ["Children's Hospital, Zhejiang University School of Medicine", "浙江大学医学院附属儿童医院"])
    static let surgery = OrgUnit(
        id: "general-surgery", kind: .department, name: "General Surgery", parentID: "hospital",
        affiliationPatterns: ["Department of General Surgery", "普外科"])
    /// Recorded in pinyin, with the name in characters as a variant.
    static let gao = Person(
        id: "gao-zhigang", familyName: "Gao", givenName: "Zhigang", nameVariants: [.init(kind: .chinese, value: "高志刚")],
        departmentIDs: ["general-surgery"])
    /// Recorded in characters, with the pinyin as a variant; and one whose characters were entered as "other".
    static let ouyang = Person(
        id: "ouyang-ming", familyName: "欧阳", givenName: "明",
        nameVariants: [.init(kind: .givenFamily, value: "Ming Ouyang")], departmentIDs: ["general-surgery"])
    static let li = Person(
        id: "li-minju", familyName: "Li", givenName: "Minju", nameVariants: [.init(kind: .other, value: "李敏菊")],
        departmentIDs: ["general-surgery"])
    static let english =
        "Department of General Surgery, Children's Hospital, Zhejiang University School of Medicine, Hangzhou."
    static let chinese = "浙江大学医学院附属儿童医院普外科，杭州 310052"

    let attributor = Attributor(orgUnits: [hospital, surgery], people: [gao, ouyang, li], projects: [])

    func credited(_ author: Author) -> String? {
        var p = Publication(id: "p", kind: .journalArticle, title: MarkupText(plain: "T"), authors: [author])
        _ = attributor.attribute(&p) { _, _ in nil }
        return p.authors[0].personID
    }

    @Test(
        arguments: [
            (Author(familyName: "Gao", givenName: "Zhigang", affiliations: [english]), "gao-zhigang"),
            (Author(familyName: "高", givenName: "志刚", affiliations: [chinese]), "gao-zhigang"),
            (Author(familyName: "高志刚", affiliations: [chinese]), "gao-zhigang"),
            (Author(familyName: "欧阳", givenName: "明", affiliations: [chinese]), "ouyang-ming"),
            (Author(familyName: "欧阳明", affiliations: [chinese]), "ouyang-ming"),
            (Author(familyName: "欧", givenName: "阳明", affiliations: [chinese]), "ouyang-ming"),
            (Author(familyName: "Ouyang", givenName: "Ming", affiliations: [english]), "ouyang-ming"),
            (Author(familyName: "Ouyang", initials: "M", affiliations: [english]), "ouyang-ming"),
            (Author(familyName: "李", givenName: "敏菊", affiliations: [chinese]), "li-minju"),
            (Author(familyName: "Li", givenName: "Minju", affiliations: [english]), "li-minju"),
        ] as [(Author, String)])
    func bothThePinyinAndTheCharactersAreCredited(_ author: Author, _ person: String) {
        #expect(credited(author) == person, "\(author.shortName)")
    }

    @Test func anotherNameInCharactersIsNotCredited() {
        #expect(credited(Author(familyName: "高", givenName: "志强", affiliations: [Self.chinese])) == nil)
        #expect(credited(Author(familyName: "欧阳", givenName: "亮", affiliations: [Self.chinese])) == nil)
    }
}
