import AnnalsTestSupport
import Foundation
import Testing

/// Commands typed in Chinese, as the hospital's staff type them, on the sample registry: a department,
/// campus or person given by its Chinese name answers exactly what its id answers.
@Suite struct ChineseCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    init() throws {
        for result in try AnnalsCommand.initWithSamples(in: folder.url) {
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    /// Runs both commands and expects the same success and the same output.
    func expectSame(_ chinese: [String], _ byID: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = try AnnalsCommand.run(chinese, in: folder.url)
        let b = try AnnalsCommand.run(byID, in: folder.url)
        #expect(a.status == 0, "\(chinese): \(a.stderr)", sourceLocation: sourceLocation)
        #expect(b.status == 0, "\(byID): \(b.stderr)", sourceLocation: sourceLocation)
        #expect(!a.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(a.stdout == b.stdout, sourceLocation: sourceLocation)
    }

    @Test func aDepartmentOrCampusByItsChineseNameAnswersWhatItsIdAnswers() throws {
        try expectSame(
            ["cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "普外科"],
            ["cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "general-surgery"])
        try expectSame(
            ["cases", "--department", "普外科", "--campus", "滨江院区", "--by", "year", "--format", "csv"],
            ["cases", "--department", "general-surgery", "--campus", "binjiang", "--by", "year", "--format", "csv"])
        try expectSame(["people", "--department", "肿瘤外科"], ["people", "--department", "oncology-surgery"])
        try expectSame(
            ["stats", "--year", "2024", "--department", "普外科"],
            ["stats", "--year", "2024", "--department", "general-surgery"])
        try expectSame(
            ["publications", "--department", "普外科", "--format", "csv"],
            ["publications", "--department", "general-surgery", "--format", "csv"])
    }

    @Test func theAnswerNamesTheIdNotWhatWasTyped() throws {
        let result = try annals(
            "cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "普外科", "--campus",
            "湖滨院区", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["department"] as? String == "general-surgery")
        #expect(object["campus"] as? String == "hubin")
    }

    @Test func aProfileOfADepartmentByItsChineseName() throws {
        try expectSame(["profile", "普外科"], ["profile", "general-surgery"])
        try expectSame(["profile", "肿瘤外科", "--lang", "zh"], ["profile", "oncology-surgery", "--lang", "zh"])
    }

    @Test func aPersonByTheirNameInChineseCharacters() throws {
        try expectSame(
            ["publications", "--person", "高志刚", "--format", "csv"],
            ["publications", "--person", "gao-zhigang", "--format", "csv"])
        try expectSame(
            ["cases", "--department", "普外科", "--surgeon", "高志刚", "--format", "json"],
            ["cases", "--department", "general-surgery", "--surgeon", "gao-zhigang", "--format", "json"])
    }

    @Test func aReportFileIsNamedAfterTheDepartmentsId() throws {
        let result = try annals("report", "--year", "2024", "--department", "普外科", "--format", "markdown")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path("annual-report-2024-general-surgery.md")))
    }

    @Test func aChineseNearMissIsAnErrorWithTheClosestNames() throws {
        let department = try annals("cases", "--department", "普外")
        #expect(department.status != 0)
        #expect(department.stdout.isEmpty)
        #expect(
            department.stderr.contains("no department '普外' in the registry. Did you mean 'general-surgery' (普外科)?"),
            "\(department.stderr)")
        let campus = try annals("cases", "--department", "普外科", "--campus", "滨江")
        #expect(campus.status != 0)
        #expect(campus.stderr.contains("Did you mean 'binjiang' (滨江院区)?"), "\(campus.stderr)")
        let profile = try annals("profile", "普通外科")
        #expect(profile.status != 0)
        #expect(profile.stderr.contains("Did you mean 'general-surgery' (普外科)?"), "\(profile.stderr)")
        let person = try annals("publications", "--person", "高志钢")
        #expect(person.status != 0)
        #expect(person.stderr.contains("Did you mean 'gao-zhigang' (高志刚)?"), "\(person.stderr)")
    }

    @Test func aChineseProcedureTermWithItsApproachAnswersWhatTheEnglishAnswers() throws {
        let chinese = try annals("cases", "腹腔镜胆总管囊肿切除术", "--department", "普外科")
        let english = try annals("cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery")
        #expect(chinese.status == 0, "\(chinese.stderr)")
        #expect(chinese.stdout == english.stdout)
        #expect(chinese.stdout.hasPrefix("512 "), "\(chinese.stdout)")
        #expect(chinese.stdout.contains("exact"))
        try expectSame(
            ["cases", "胆总管囊肿切除术", "--approach", "腹腔镜", "--department", "普外科"],
            ["cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "general-surgery"])
        try expectSame(
            ["cases", "达芬奇胆总管囊肿切除术", "--department", "普外科", "--format", "json"],
            ["cases", "robotic choledochal cyst excision", "--department", "general-surgery", "--format", "json"])
        let all = try annals("cases", "胆总管囊肿切除术", "--department", "普外科")
        #expect(
            all.stdout != chinese.stdout, "without an approach word: all approaches, more than the laparoscopic ones")
    }

    @Test func aChineseTermNamingTwoApproachesIsRefused() throws {
        let result = try annals("cases", "开腹介入胆总管囊肿切除术", "--department", "普外科")
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("names more than one approach (open and interventional)"), "\(result.stderr)")
        let disagreeing = try annals("cases", "腹腔镜胆总管囊肿切除术", "--approach", "开放")
        #expect(disagreeing.status != 0)
        #expect(
            disagreeing.stderr.contains("names the laparoscopic approach, but --approach says open"),
            "\(disagreeing.stderr)")
    }

    @Test func theFundersListCountsEachFunderOnceAndNamesTheUnknownOnes() throws {
        let result = try annals("funders")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("国家自然科学基金  National Natural Science Foundation of China (NSFC, NNSFC): 9 projects"),
            "\(result.stdout)")
        #expect(
            result.stdout.contains("浙江省自然科学基金  Zhejiang Provincial Natural Science Foundation (ZJNSF): 7 projects"),
            "\(result.stdout)")
        #expect(result.stdout.contains("Not in the funder vocabulary"))
        #expect(
            result.stdout.contains("  Provincial-level funder (not named in the department profile): 11 projects"),
            "\(result.stdout)")
    }

    @Test func theProceduresListFindsPartOfAChineseName() throws {
        let result = try annals("procedures", "胆总管")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.hasPrefix("Choledochal cyst excision 胆总管囊肿切除术  [choledochal-cyst-excision"),
            "\(result.stdout)")
        #expect(result.stdout.contains("胆总管囊肿切除术"))
        let nearMiss = try annals("cases", "胆总管囊肿切掉术")
        #expect(nearMiss.status != 0)
        #expect(nearMiss.stderr.contains("Did you mean '胆总管囊肿切除术'"), "\(nearMiss.stderr)")
    }
}
