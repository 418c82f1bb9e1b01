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
        #expect(try AnnalsCommand.run(["init"], in: folder.url).status == 0)
        let imported = try AnnalsCommand.run(["import", "registry", Fixtures.sampleRegistry.path], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
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
        try expectSame(["stats", "--year", "2024", "--department", "普外科"], ["stats", "--year", "2024", "--department", "general-surgery"])
        try expectSame(["publications", "--department", "普外科", "--format", "csv"], ["publications", "--department", "general-surgery", "--format", "csv"])
    }

    @Test func theAnswerNamesTheIdNotWhatWasTyped() throws {
        let result = try annals("cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "普外科", "--campus", "湖滨院区", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["department"] as? String == "general-surgery")
        #expect(object["campus"] as? String == "hubin")
    }

    @Test func aProfileOfADepartmentByItsChineseName() throws {
        try expectSame(["profile", "普外科"], ["profile", "general-surgery"])
        try expectSame(["profile", "肿瘤外科", "--lang", "zh"], ["profile", "oncology-surgery", "--lang", "zh"])
    }

    @Test func aPersonByTheirNameInChineseCharacters() throws {
        try expectSame(["publications", "--person", "高志刚", "--format", "csv"], ["publications", "--person", "gao-zhigang", "--format", "csv"])
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
        #expect(department.stderr.contains("no department '普外' in the registry. Did you mean 'general-surgery' (普外科)?"), "\(department.stderr)")
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
}
