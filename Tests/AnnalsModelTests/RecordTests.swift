import AnnalsModel
import Testing

@Suite struct RecordTests {
    @Test func markupTextKeepsMarkupAndGivesPlainText() {
        let title = MarkupText(markup: "Variants at the <i>TERT</i> gene &amp; <sup>18</sup>F uptake")
        #expect(title.plain == "Variants at the TERT gene & 18F uptake")
        #expect(MarkupText(plain: "a < b & c").markup == "a &lt; b &amp; c")
        #expect(MarkupText(plain: "a < b & c").plain == "a < b & c")
        #expect(MarkupText(markup: "&#x3b1;-fetoprotein").plain == "α-fetoprotein")
    }

    @Test func plainTextPutsBackSpacesLostAroundItalicsButNotAroundSubscripts() {
        #expect(MarkupText(markup: "variants at the<i>TERT</i>gene region").plain == "variants at the TERT gene region")
        #expect(MarkupText(markup: "H<sub>2</sub>O and <sup>18</sup>F-FDG").plain == "H2O and 18F-FDG")
        #expect(MarkupText(markup: "<i>E. coli</i>-induced").plain == "E. coli-induced")
        #expect(MarkupText(markup: "chromosome 19 and the\n     <i>APOE</i> locus.\n  ").plain == "chromosome 19 and the APOE locus.")
    }

    @Test func minimallyInvasiveApproachesExcludeOpenAndConverted() {
        #expect(Approach.allCases.filter(\.isMinimallyInvasive) == [.laparoscopic, .robotic, .endoscopic, .interventional, .hybrid])
    }

    @Test func bedsAreCountedApartFromVIPBeds() {
        let unit = OrgUnit(
            id: "general-surgery", kind: .department, name: "General Surgery", parentID: "hospital",
            beds: [BedCount(campusID: "binjiang", beds: 45, vipBeds: 2), BedCount(campusID: "hubin", beds: 42, vipBeds: 2)])
        #expect(unit.totalBeds == 87)
        #expect(unit.totalVIPBeds == 4)
    }

    @Test func referencesListEveryLinkBetweenRecords() throws {
        var content = RegistryContent()
        content.tallies = [
            CaseTally(
                id: "t1", procedureID: "lccs", approach: .laparoscopic, departmentID: "gs", campusID: "binjiang",
                surgeonID: "gao", from: nil, to: try #require(PartialDate("2015-12-31")), count: 300)
        ]
        content.publications = [
            Publication(
                id: "p1", kind: .journalArticle, title: MarkupText(plain: "T"),
                journal: JournalReference(journalID: "jps", title: "J Pediatr Surg"),
                authors: [Author(familyName: "Gao", personID: "gao"), Author(familyName: "Other")], departmentIDs: ["gs"])
        ]
        let targets = Set(content.references.map { "\($0.kind.rawValue)→\($0.targetKind.rawValue):\($0.targetID)" })
        #expect(
            targets == [
                "tally→procedure:lccs", "tally→org-unit:gs", "tally→campus:binjiang", "tally→person:gao",
                "publication→journal:jps", "publication→person:gao", "publication→org-unit:gs",
            ])
    }

    @Test func periodsThatRunBackwardsAreProblems() throws {
        var content = RegistryContent()
        content.tallies = [
            CaseTally(
                id: "backwards", procedureID: "p", approach: .open, departmentID: "d", from: PartialDate("2019"),
                to: try #require(PartialDate("2018")), count: 1),
            CaseTally(
                id: "same-year", procedureID: "p", approach: .open, departmentID: "d", from: PartialDate("2018-03"),
                to: try #require(PartialDate("2018")), count: 1),
        ]
        #expect(content.recordProblems.map(\.id) == ["backwards"])
    }

    @Test func departmentOverviewCountsSCIPapersByJournalYear() throws {
        var content = RegistryContent()
        content.orgUnits = [OrgUnit(id: "gs", kind: .department, name: "GS", parentID: "h")]
        content.journals = [
            Journal(id: "sci", title: "S", metrics: [JournalMetrics(year: 2020, indexes: [.scie])]),
            Journal(id: "esci", title: "E", metrics: [JournalMetrics(year: 2020, indexes: [.esci])]),
        ]
        func paper(_ id: String, _ journal: String, retracted: Bool = false) -> Publication {
            Publication(
                id: id, kind: .journalArticle, title: MarkupText(plain: id), journal: JournalReference(journalID: journal, title: journal),
                published: PartialDate("2021"), departmentIDs: ["gs"],
                notices: retracted ? [.init(kind: .retractedBy, reference: "PMID 1")] : [])
        }
        content.publications = [paper("a", "sci"), paper("b", "esci"), paper("c", "sci", retracted: true)]
        let overview = try #require(DepartmentOverview(department: "gs", in: content))
        #expect(overview.sciPapers == 1)
        #expect(overview.otherPapers == 1)
    }
}
