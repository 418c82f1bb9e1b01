import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import Testing

@Suite struct AttributionTests {
    static let hospital = OrgUnit(
        id: "hospital", kind: .hospital, name: "Children's Hospital",
        affiliationPatterns: ["Children's Hospital, Zhejiang University School of Medicine", "浙江大学医学院附属儿童医院"])
    static let generalSurgery = OrgUnit(
        id: "general-surgery", kind: .department, name: "General Surgery", parentID: "hospital",
        affiliationPatterns: ["Department of General Surgery", "普外科"])
    static let oncology = OrgUnit(
        id: "oncology-surgery", kind: .department, name: "Oncology Surgery", parentID: "hospital",
        affiliationPatterns: ["Department of Surgical Oncology"])
    static let gao = Person(
        id: "gao-zhigang", familyName: "Gao", givenName: "Zhigang",
        nameVariants: [.init(kind: .initials, value: "Gao ZG"), .init(kind: .chinese, value: "高志刚")],
        departmentIDs: ["general-surgery"])
    static let xiong = Person(
        id: "xiong-qixing", familyName: "Xiong", givenName: "Qixing",
        departmentIDs: ["general-surgery", "oncology-surgery"])
    static let here =
        "Department of General Surgery, Children's Hospital, Zhejiang University School of Medicine, Hangzhou."

    let attributor = Attributor(orgUnits: [hospital, generalSurgery, oncology], people: [gao, xiong], projects: [])

    func credit(_ author: Author) -> (Publication, [Attributor.Uncertain]) {
        var p = Publication(id: "p", kind: .journalArticle, title: MarkupText(plain: "T"), authors: [author])
        let uncertain = attributor.attribute(&p) { _, _ in nil }
        return (p, uncertain)
    }

    @Test(arguments: [
        Author(familyName: "Gao", givenName: "Zhigang", initials: "Z", affiliations: [here]),
        Author(familyName: "Gao", givenName: "Zhi-Gang", initials: "ZG", affiliations: [here]),
        Author(familyName: "GAO", givenName: "zhi gang", affiliations: [here]),
        Author(familyName: "Gao", initials: "ZG", affiliations: [here]),
        Author(familyName: "Gao", givenName: "Z G", initials: "ZG", affiliations: [here]),
        Author(familyName: "Zhigang", givenName: "Gao", affiliations: [here]),
        Author(familyName: "高", givenName: "志刚", affiliations: ["浙江大学医学院附属儿童医院普外科"]),
    ])
    func everyWrittenFormOfTheNameIsCreditedWithTheInstitution(_ author: Author) {
        let (p, uncertain) = credit(author)
        #expect(p.authors[0].personID == "gao-zhigang")
        #expect(p.departmentIDs == ["general-surgery"])
        #expect(uncertain.isEmpty)
    }

    @Test func theSameNameAtAnotherInstitutionIsSomeoneElse() {
        let (p, uncertain) = credit(
            Author(familyName: "Gao", givenName: "Zhigang", affiliations: ["Peking University, Beijing."]))
        #expect(p.authors[0].personID == nil)
        #expect(p.departmentIDs.isEmpty)
        #expect(uncertain.isEmpty)
    }

    @Test func aNameWithoutAffiliationGoesToReview() {
        let (p, uncertain) = credit(Author(familyName: "Gao", initials: "ZG"))
        #expect(p.authors[0].personID == nil)
        #expect(uncertain.map(\.personID) == ["gao-zhigang"])
    }

    @Test func aDifferentGivenNameIsNotAMatch() {
        let (p, uncertain) = credit(
            Author(familyName: "Gao", givenName: "Zhiwei", initials: "Z", affiliations: [Self.here]))
        #expect(p.authors[0].personID == nil)
        #expect(uncertain.isEmpty)
        #expect(p.departmentIDs == ["general-surgery"], "the affiliation alone still credits the department")
    }

    @Test func aPersonInTwoDepartmentsIsCreditedToTheOneTheAffiliationNames() {
        let (p, _) = credit(
            Author(
                familyName: "Xiong", givenName: "Qixing",
                affiliations: [
                    "Department of Surgical Oncology, Children's Hospital, Zhejiang University School of Medicine"
                ]))
        #expect(p.authors[0].personID == "xiong-qixing")
        #expect(p.departmentIDs == ["oncology-surgery"])
    }
}
