import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// `annals profile` on the samples: every figure of the two seed profiles (shared/seeds/), stated from the registry.
@Suite(.serialized) struct DepartmentProfileTests {
    let folder = TemporaryFolder()

    /// A figure a seed profile states, and the words the generated profile states it in.
    struct SeedClaim: Sendable {
        var claim: String
        var expected: String
        var testDescription: String { "\(claim) → «\(expected)»" }
    }

    /// Samples/registry.xml imported into a new registry holding the built-in procedure vocabulary, read back.
    func sampleContent() throws -> RegistryContent {
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "profile"))
        _ = try store.write { try ProcedureVocabulary.install(into: $0) }
        let file = try RegistryImporter.read(file: Fixtures.sampleRegistry, displayName: "registry.xml")
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return try store.read { try $0.content() }
    }

    func profile(_ department: String, _ language: ReportLanguage = .en) throws -> String {
        try DepartmentProfile.text(department: department, in: try sampleContent(), language: language)
    }

    /// True when `text` contains `phrase` and no digit runs straight into the phrase's own numbers
    /// ("4 nurses" is not found in "14 nurses").
    func states(_ text: String, _ phrase: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let digitBefore = phrase.first?.isNumber == true && before?.isNumber == true
            let digitAfter = phrase.last?.isNumber == true && after?.isNumber == true
            if !digitBefore && !digitAfter { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    // MARK: The seed profiles' claims

    static let generalSurgeryClaims: [SeedClaim] = [
        SeedClaim(claim: "established in the early 1960s", expected: "Established in the early 1960s"),
        SeedClaim(
            claim: "two campuses, Binjiang and Hubin", expected: "works on 2 campuses, Binjiang Campus and Hubin Campus"
        ),
        SeedClaim(claim: "5 chief physicians", expected: "5 chief physicians"),
        SeedClaim(claim: "4 deputy chief physicians", expected: "4 deputy chief physicians"),
        SeedClaim(claim: "8 attending physicians", expected: "8 attending physicians"),
        SeedClaim(claim: "among whom 4 are doctors", expected: "among whom 4 hold doctoral degrees"),
        SeedClaim(claim: "and 15 are masters", expected: "15 master's degrees"),
        SeedClaim(
            claim: "three employees on the Pediatric Surgery Branch of the Chinese Medical Association",
            expected:
                "3 members of staff serve on professional committees (Committee members of the Pediatric Surgery Branch of the Chinese Medical Association)"
        ),
        SeedClaim(claim: "9 supervisor nurses", expected: "9 supervisor nurses"),
        SeedClaim(claim: "19 nurse practitioners", expected: "19 nurse practitioners"),
        SeedClaim(claim: "4 nurses", expected: "4 nurses"),
        SeedClaim(claim: "45 beds in Binjiang, 2 VIP beds", expected: "45 beds in Binjiang Campus and 2 VIP beds"),
        SeedClaim(claim: "42 beds in Hubin, 2 VIP beds", expected: "42 beds in Hubin Campus and 2 VIP beds"),
        SeedClaim(claim: "children under the age of 18", expected: "children under the age of 18"),
        SeedClaim(
            claim: "more than 500 laparoscopic common bile duct cyst operations",
            expected: "more than 500 cases of laparoscopic choledochal cyst excision"),
        SeedClaim(
            claim: "grade 4 operations (congenital megacolon radical surgery)",
            expected: "Hirschsprung disease pull-through"),
        SeedClaim(claim: "grade 4 operations", expected: "are grade 4 operations"),
        SeedClaim(
            claim: "first to introduce laparoscopy in the 1980s",
            expected: "1980s: First in the country to introduce laparoscopic surgery."),
        SeedClaim(
            claim: "in 2017, the Children's Liver Transplantation Center",
            expected: "2017: Children's Liver Transplantation Center established"),
        SeedClaim(
            claim: "in 2017, with the First Affiliated Hospital",
            expected: "The First Affiliated Hospital, Zhejiang University School of Medicine (since 2017)"),
        SeedClaim(claim: "in 2018, Da Vinci robotic surgery", expected: "2018: Began Da Vinci robotic surgery."),
        SeedClaim(
            claim: "1 major special project of the Provincial Science and Technology Department",
            expected: "1 Major Special Project of the Science and Technology Department of Zhejiang Province"),
        SeedClaim(
            claim: "1 project of the Provincial Natural Science Foundation",
            expected: "1 project of the Zhejiang Provincial Natural Science Foundation"),
        SeedClaim(claim: "1 project of the Ministry of Education", expected: "1 project of the Ministry of Education"),
        SeedClaim(
            claim: "2 projects of the Provincial Science and Technology Department",
            expected: "2 projects of the Science and Technology Department of Zhejiang Province"),
        SeedClaim(
            claim: "more than 10 other projects at the provincial level",
            expected: "more than 10 projects of the Provincial-level funder (not named in the department profile)"),
        SeedClaim(claim: "provincial projects in all", expected: "At the provincial level, more than 10 projects"),
        SeedClaim(claim: "more than 20 SCI papers", expected: "more than 20 SCI papers"),
        SeedClaim(claim: "more than 70 national journal papers", expected: "more than 70 national journal papers"),
        SeedClaim(claim: "expert Gao Zhigang", expected: "Gao Zhigang — Chief Physician"),
        SeedClaim(claim: "expert Chen Qingjiang", expected: "Chen Qingjiang — Chief Physician"),
        SeedClaim(claim: "expert Xiong Qixing", expected: "Xiong Qixing — Chief Physician"),
    ]

    static let oncologySurgeryClaims: [SeedClaim] = [
        SeedClaim(claim: "32 beds", expected: "The Oncology Surgery Department has 32 beds"),
        SeedClaim(claim: "11 specialist doctors", expected: "It has 11 specialist doctors"),
        SeedClaim(claim: "3 chief physicians", expected: "3 chief physicians"),
        SeedClaim(claim: "2 deputy chief physicians", expected: "2 deputy chief physicians"),
        SeedClaim(claim: "1 doctoral supervisor", expected: "1 doctoral supervisor"),
        SeedClaim(claim: "2 master supervisors", expected: "2 master supervisors"),
        SeedClaim(claim: "4 surgeons with doctoral degree", expected: "among whom 4 hold doctoral degrees"),
        SeedClaim(claim: "equipment: dynamic 3D-DSA", expected: "Dynamic 3D-DSA"),
        SeedClaim(claim: "equipment: laminar flow bed", expected: "Laminar flow bed"),
        SeedClaim(claim: "the \"1+1 Fund\"", expected: "\"1+1 Fund\""),
        SeedClaim(claim: "\"fetal surgery\" collaboration group", expected: "\"Fetal surgery\" collaboration group"),
        SeedClaim(
            claim: "more than 10 projects of the NSFC and major national special projects",
            expected: "At the national level, more than 10 projects"),
        SeedClaim(claim: "… of the NSFC", expected: "9 projects of the National Natural Science Foundation of China"),
        SeedClaim(claim: "… and major national special projects", expected: "2 Major National Special Projects"),
        SeedClaim(
            claim: "more than 10 projects of the Zhejiang NSF and Zhejiang Science and Technology Plan",
            expected: "At the provincial level, more than 10 projects"),
        SeedClaim(
            claim: "… of the Zhejiang NSF", expected: "6 projects of the Zhejiang Provincial Natural Science Foundation"
        ),
        SeedClaim(
            claim: "… and the Zhejiang Science and Technology Plan",
            expected: "5 Zhejiang Science and Technology Plan Projects"),
        SeedClaim(claim: "more than 50 papers", expected: "It has published more than 50 papers"),
        SeedClaim(claim: "2 patents were approved", expected: "2 patents have been granted"),
        SeedClaim(
            claim: "a second prize of Zhejiang Science and Technology Progress Award",
            expected: "a second prize of the Zhejiang Science and Technology Progress Award"),
        SeedClaim(
            claim: "Zhejiang Medicine and Health Technology Innovation Award",
            expected: "the Zhejiang Medicine and Health Technology Innovation Award"),
        SeedClaim(
            claim: "\"Top Ten Best Cases\", East China Region",
            expected: "Top Ten Best Cases of the China Hospital Challenge Competition"),
        SeedClaim(claim: "\"Top Ten Popular Cases\"", expected: "Top Ten Popular Cases"),
        SeedClaim(claim: "expert Wang Jinhu", expected: "Wang Jinhu — Chief Physician"),
        SeedClaim(claim: "expert Xiong Qixing", expected: "Xiong Qixing — Chief Physician"),
        SeedClaim(claim: "expert Li Minju", expected: "Li Minju — Chief Physician, Professor of Pediatrics"),
    ]

    @Test func generalSurgeryProfileStatesEveryClaimOfItsSeedProfile() throws {
        let text = try profile("general-surgery")
        for claim in Self.generalSurgeryClaims {
            #expect(states(text, claim.expected), "General Surgery: \(claim.testDescription)")
        }
    }

    @Test func oncologySurgeryProfileStatesEveryClaimOfItsSeedProfile() throws {
        let text = try profile("oncology-surgery")
        for claim in Self.oncologySurgeryClaims {
            #expect(states(text, claim.expected), "Oncology Surgery: \(claim.testDescription)")
        }
    }

    /// A cross-check of the lists above: every number written in digits in a seed profile is a number
    /// of the generated one (when shared/seeds/ is present).
    @Test(arguments: ["general-surgery", "oncology-surgery"])
    func everyNumberOfTheSeedProfileIsInTheGeneratedProfile(department: String) throws {
        let seedNames = ["general-surgery": "general-surgery.txt", "oncology-surgery": "oncology-surgery.txt"]
        guard let shared = Fixtures.shared else { return }
        let seedFile = shared.appendingPathComponent("seeds").appendingPathComponent(seedNames[department]!)
        guard FileManager.default.fileExists(atPath: seedFile.path) else { return }
        let seed = try String(contentsOf: seedFile, encoding: .utf8)
        let text = try profile(department)
        func numbers(_ s: String) -> Set<String> {
            Set(s.split { !$0.isNumber }.map(String.init))
        }
        let missing = numbers(seed).subtracting(numbers(text))
        #expect(
            missing.isEmpty, "\(department): numbers of the seed profile not in the generated one: \(missing.sorted())")
    }

    @Test func sectionsComeInTheSeedProfilesOrder() throws {
        let text = try profile("general-surgery")
        let headings = [
            "General Surgery Department\n\nEstablished", "\n\nClinical Scope\n\n", "\n\nFrom its case tallies",
            "\n\nHistory\n\n",
            "\n\nCollaborations\n\n", "\n\nResearch\n\n", "Main research directions:", "The department has won",
            "It has published", "\n\nExpert Team\n\n",
        ]
        let positions = headings.map { text.range(of: $0)?.lowerBound }
        #expect(
            positions.allSatisfy { $0 != nil }, "missing: \(zip(headings, positions).filter { $0.1 == nil }.map(\.0))")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted())
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
    }

    @Test func profileIsTheSameEveryTimeAndWhateverTheRecordOrder() throws {
        let content = try sampleContent()
        var shuffled = content
        shuffled.orgUnits.reverse()
        shuffled.people.reverse()
        shuffled.projects.reverse()
        shuffled.publications.reverse()
        shuffled.awards.reverse()
        shuffled.staffCensus.reverse()
        shuffled.tallies.reverse()
        for language in ReportLanguage.allCases {
            for department in ["general-surgery", "oncology-surgery"] {
                let first = try DepartmentProfile.text(department: department, in: content, language: language)
                #expect(first == (try DepartmentProfile.text(department: department, in: content, language: language)))
                #expect(first == (try DepartmentProfile.text(department: department, in: shuffled, language: language)))
            }
        }
    }

    @Test func chineseProfileUsesChineseNames() throws {
        let text = try profile("general-surgery", .zh)
        #expect(text.hasPrefix("普外科\n\n普外科成立于20世纪60年代初。"))
        #expect(text.contains("高志刚 — 主任医师"))
        #expect(text.contains("滨江院区床位45张、VIP床位2张"))
        #expect(text.contains("主任医师5名、副主任医师4名、主治医师8名，其中博士4名、硕士15名"))
        // Operations: the seed's own "more than 500", honestly rounded down; the name and approach in Chinese.
        #expect(text.contains("腹腔镜胆总管囊肿切除术500余例"))
        #expect(!text.contains("Choledochal"))
        // Records are counted exactly, as a Chinese report states them (never "20余篇", "10余项").
        #expect(!text.contains("余篇") && !text.contains("余项"))
        #expect(text.contains("SCI论文") && text.contains("篇"))
        #expect(text.contains("专家团队"))
        let oncology = try profile("oncology-surgery", .zh)
        #expect(oncology.hasPrefix("肿瘤外科\n\n肿瘤外科设床位32张。"))
        #expect(oncology.contains("获授权专利2项"))
    }

    // MARK: Honest numbers

    @Test func honestRoundingNeverRoundsUp() {
        #expect(Numbers.honest(512) == "more than 500")
        #expect(Numbers.honest(500) == "500")
        #expect(Numbers.honest(21) == "more than 20")
        #expect(Numbers.honest(499) == "more than 450")
        #expect(Numbers.honest(512, .zh) == "500余")
        #expect(Numbers.honest(500, .zh) == "500")
    }

    /// A one-department registry with the given tallies of laparoscopic choledochal cyst excision.
    func content(tallies: [(from: String?, to: String, count: Int)]) -> RegistryContent {
        var content = RegistryContent()
        content.orgUnits = [
            OrgUnit(id: "hospital", kind: .hospital, name: "Children's Hospital"),
            OrgUnit(id: "surgery", kind: .department, name: "Surgery Department", parentID: "hospital"),
        ]
        content.procedures = [
            Procedure(
                id: "cce", preferredTerm: "Choledochal cyst excision",
                synonyms: ["common bile duct cystectomy", "胆总管囊肿切除术"], category: "hepatobiliary", grade: 4)
        ]
        content.tallies = tallies.enumerated().map { n, t in
            CaseTally(
                id: "t\(n)", procedureID: "cce", approach: .laparoscopic, departmentID: "surgery",
                from: t.from.flatMap(PartialDate.init),
                to: PartialDate(t.to)!, count: t.count)
        }
        return content
    }

    @Test(arguments: [
        (512, "more than 500 cases"), (500, "500 cases"), (499, "more than 450 cases"), (21, "more than 20 cases"),
        (1, "1 case"),
    ])
    func exactCaseCountsAreStatedWithoutRoundingUp(count: Int, expected: String) throws {
        let text = try DepartmentProfile.text(
            department: "surgery", in: content(tallies: [(nil, "2015-12-31", count)]), language: .en)
        #expect(states(text, "\(expected) of laparoscopic choledochal cyst excision."))
        #expect(!text.contains("more than \(count)"))
    }

    @Test func incompleteTalliesAreStatedAsALowerBound() throws {
        // Nothing is recorded before 2016: 500 is what is counted, not what was done.
        let text = try DepartmentProfile.text(
            department: "surgery", in: content(tallies: [("2016", "2016", 200), ("2017", "2017", 300)]), language: .en)
        #expect(text.contains("at least 500 cases of laparoscopic choledochal cyst excision since 2016"))
        let zh = try DepartmentProfile.text(
            department: "surgery", in: content(tallies: [("2016", "2016", 212), ("2017", "2017", 300)]), language: .zh)
        #expect(zh.contains("腹腔镜胆总管囊肿切除术500余例（2016年以来）"))
    }

    // MARK: Errors

    @Test func unknownDepartmentIsAnErrorListingTheDepartments() throws {
        let content = try sampleContent()
        for id in ["general", "hospital"] {
            do {
                _ = try DepartmentProfile.text(department: id, in: content, language: .en)
                Issue.record("no error for '\(id)'")
            } catch let error as DepartmentProfileError {
                #expect(error.departmentID == id)
                #expect(error.knownDepartmentIDs == ["general-surgery", "oncology-surgery"])
                #expect(error.description.contains("no department '\(id)'"))
                #expect(error.description.contains("general-surgery, oncology-surgery"))
            }
        }
    }
}
