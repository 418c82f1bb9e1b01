import AnnalsDiagnostics
import Testing

@testable import AnnalsModel

/// Ids and years in questions are checked before a question is asked, with suggestions for a typing mistake.
@Suite struct ReferenceCheckTests {
    let units = [
        OrgUnit(
            id: "hospital", kind: .hospital, name: "Children's Hospital",
            campuses: [
                Campus(id: "binjiang", name: "Binjiang Campus", nameZH: "滨江院区"),
                Campus(id: "hubin", name: "Hubin Campus"),
            ]),
        OrgUnit(
            id: "general-surgery", kind: .department, name: "General Surgery Department", nameZH: "普外科",
            parentID: "hospital"),
        OrgUnit(
            id: "oncology-surgery", kind: .department, name: "Oncology Surgery Department", nameZH: "肿瘤外科",
            parentID: "hospital"),
    ]
    let people = [
        Person(
            id: "wang-jinhu", familyName: "Wang", givenName: "Jinhu",
            nameVariants: [NameVariant(kind: .chinese, value: "王金湖")]),
        Person(id: "gao-zhigang", familyName: "Gao", givenName: "Zhigang"),
    ]

    func failure(_ body: () throws -> Void) -> UnknownReference? {
        do { try body() } catch let error as UnknownReference { return error } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func aMistypedDepartmentSuggestsTheClosestId() throws {
        let error = try #require(failure { try ReferenceCheck.department("general-surgey", among: units) })
        #expect(error.kind == .department)
        #expect(error.suggestions == ["general-surgery"])
        #expect(
            error.description.contains(
                "no department 'general-surgey' in the registry. Did you mean 'general-surgery' (General Surgery Department)?"
            ))
        #expect(error.description.contains("`annals departments` lists them"))
    }

    @Test func anUnknownReferenceIsADiagnosticWithItsSuggestions() throws {
        let error = try #require(failure { try ReferenceCheck.department("general-surgey", among: units) })
        #expect(error.diagnostics.map(\.code) == [.unknownReference])
        #expect(error.diagnostics.first?.suggestions == ["general-surgery"])
        #expect(error.diagnostics.first?.message == error.description)
        let year = try #require(failure { try ReferenceCheck.year(24) })
        #expect(year.diagnostics.map(\.code) == [.invalidYear])
    }

    @Test func aDepartmentNamedInWordsSuggestsItsId() throws {
        #expect(
            failure { try ReferenceCheck.department("Oncology Surgery Department", among: units) }?.suggestions == [
                "oncology-surgery"
            ])
        #expect(
            failure { try ReferenceCheck.department("oncology", among: units) }?.suggestions == ["oncology-surgery"])
    }

    @Test func knownIdsPass() throws {
        try ReferenceCheck.department("general-surgery", among: units)
        try ReferenceCheck.department("hospital", among: units)
        try ReferenceCheck.campus("hubin", among: units)
        try ReferenceCheck.person("gao-zhigang", among: people)
    }

    @Test func aMistypedCampusOrPersonSuggestsTheClosest() throws {
        let campus = try #require(failure { try ReferenceCheck.campus("binjang", among: units) })
        #expect(campus.suggestions == ["binjiang"])
        #expect(campus.description.contains("no campus 'binjang'"))
        #expect(failure { try ReferenceCheck.person("wang-jinhua", among: people) }?.suggestions == ["wang-jinhu"])
        #expect(failure { try ReferenceCheck.person("Wang Jinhu", among: people) }?.suggestions == ["wang-jinhu"])
        let surgeon = try #require(
            failure { try ReferenceCheck.person("nobody-at-all", among: people, option: "--surgeon") })
        #expect(surgeon.suggestions.isEmpty)
        #expect(
            surgeon.description
                == "no person 'nobody-at-all' in the registry (--surgeon takes a person's id). `annals people` lists them."
        )
    }

    @Test func chineseNamesResolveToTheirIds() throws {
        #expect(try ReferenceCheck.department("普外科", among: units) == "general-surgery")
        #expect(try ReferenceCheck.department(" 肿瘤 外科 ", among: units) == "oncology-surgery")
        #expect(try ReferenceCheck.department("general-surgery", among: units) == "general-surgery")
        #expect(try ReferenceCheck.campus("滨江院区", among: units) == "binjiang")
        #expect(try ReferenceCheck.person("王金湖", among: people) == "wang-jinhu")
        let hanziOnly = Person(id: "ouyang-ming", familyName: "欧阳", givenName: "明")
        #expect(try ReferenceCheck.person("欧阳明", among: people + [hanziOnly], option: "--surgeon") == "ouyang-ming")
        let ids = ReferenceCheck.References(department: "general-surgery", campus: "binjiang")
        #expect(ids.department == "general-surgery")
    }

    @Test func aChineseNearMissSuggestsTheClosest() throws {
        let short = try #require(failure { try ReferenceCheck.department("普外", among: units) })
        #expect(short.suggestions == ["general-surgery"])
        #expect(short.description.contains("Did you mean 'general-surgery' (普外科)?"), "\(short.description)")
        #expect(failure { try ReferenceCheck.department("普通外科", among: units) }?.suggestions == ["general-surgery"])
        #expect(
            failure { try ReferenceCheck.department("外科", among: units) }?.suggestions == [
                "general-surgery", "oncology-surgery",
            ])
        #expect(failure { try ReferenceCheck.campus("滨江", among: units) }?.suggestions == ["binjiang"])
        let person = try #require(failure { try ReferenceCheck.person("王金虎", among: people) })
        #expect(person.suggestions == ["wang-jinhu"])
        #expect(person.description.contains("'wang-jinhu' (王金湖)"), "\(person.description)")
        #expect(failure { try ReferenceCheck.department("心内科", among: units) }?.suggestions == [])
    }

    @Test func aChineseNameTwoPeopleShareIsAskedAboutNotGuessed() throws {
        let twins =
            people + [
                Person(
                    id: "wang-jinhu-2", familyName: "Wang", givenName: "Jinhu",
                    nameVariants: [NameVariant(kind: .chinese, value: "王金湖")])
            ]
        let error = try #require(failure { try ReferenceCheck.person("王金湖", among: twins) })
        #expect(error.suggestions == ["wang-jinhu", "wang-jinhu-2"])
        #expect(
            error.description.contains("'王金湖' is the name of 2 people in the registry: 'wang-jinhu', 'wang-jinhu-2'"))
    }

    @Test func anEmptyRegistrySaysToImportFirst() throws {
        let error = try #require(failure { try ReferenceCheck.department("general-surgery", among: []) })
        #expect(error.description.contains("holds no departments yet"))
    }

    @Test(arguments: [24, 0, 99, 202, 20245, 1899, 2101, -2024])
    func anImplausibleYearIsRefused(_ year: Int) throws {
        let error = try #require(failure { try ReferenceCheck.year(year) })
        #expect(error.kind == .year)
        #expect(error.description.hasPrefix("--year \(year) is not a year"))
    }

    @Test func aTwoDigitYearSaysWhichFourDigitsToWrite() throws {
        #expect(
            failure { try ReferenceCheck.year(24, option: "--from") }?.description
                == "--from 24 is not a year: write the year with all four digits (2024, not 24).")
    }

    @Test(arguments: [1900, 1963, 2024, 2100])
    func aPlausibleYearPasses(_ year: Int) throws {
        try ReferenceCheck.year(year)
    }

    @Test func editDistanceCountsSingleEditsAndStopsAtTheLimit() {
        #expect(ReferenceCheck.editDistance("binjang", "binjiang", atMost: 2) == 1)
        #expect(ReferenceCheck.editDistance("publicatons", "publications", atMost: 2) == 1)
        #expect(ReferenceCheck.editDistance("cases", "cases", atMost: 2) == 0)
        #expect(ReferenceCheck.editDistance("reprot", "report", atMost: 2) == 1)
        #expect(ReferenceCheck.editDistance("", "abc", atMost: 5) == 3)
        #expect(ReferenceCheck.editDistance("report", "export", atMost: 1) == 2)
        #expect(ReferenceCheck.editDistance("abcdefgh", "zyxwvuts", atMost: 2) == 3)
    }

    @Test func closestOnlySuggestsWhatIsNear() {
        let commands: [(id: String, names: [String])] = [
            "publications", "cases", "report", "export", "people", "departments",
        ].map { ($0, [String]()) }
        #expect(ReferenceCheck.closest(to: "publicatons", among: commands) == ["publications"])
        #expect(ReferenceCheck.closest(to: "departmnts", among: commands) == ["departments"])
        #expect(ReferenceCheck.closest(to: "reprot", among: commands) == ["report"])
        #expect(ReferenceCheck.closest(to: "zzzzzz", among: commands).isEmpty)
    }
}
