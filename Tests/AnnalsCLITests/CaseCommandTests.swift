import AnnalsTestSupport
import Foundation
import Testing

/// `annals cases`, `milestones`, `procedures` and `import tallies` on the sample registry.
@Suite struct CaseCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    init() throws {
        #expect(try AnnalsCommand.run(["init"], in: folder.url).status == 0)
        let imported = try AnnalsCommand.run(["import", "registry", Fixtures.sampleRegistry.path], in: folder.url)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    @Test func theSamplesAnswerTheProfilesClaimWhicheverNameIsUsed() throws {
        let bySynonym = try annals("cases", "common bile duct cystectomy", "--approach", "laparoscopic", "--department", "general-surgery")
        let byName = try annals("cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery")
        #expect(bySynonym.status == 0, "\(bySynonym.stderr)")
        let figure = try #require(Int(bySynonym.stdout.prefix { $0.isNumber }))
        #expect(figure > 500)
        #expect(bySynonym.stdout.contains("exact"))
        #expect(byName.stdout == bySynonym.stdout)
    }

    @Test func jsonTotalHasTheAgreedFields() throws {
        let result = try annals(
            "cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "general-surgery", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["procedure"] as? String == "choledochal-cyst-excision")
        #expect(object["approach"] as? String == "laparoscopic")
        #expect(object["department"] as? String == "general-surgery")
        #expect((object["count"] as? Int ?? 0) > 500)
        #expect(object["exact"] as? Bool == true)
        #expect(object["from"] is NSNull, "no --from: since the beginning")
        #expect(object["to"] is NSNull)
        #expect(object["coveredTo"] as? String == "2024-12-31")
    }

    @Test func anUnknownProcedureGetsSuggestions() throws {
        let result = try annals("cases", "choledocal cyst excison")
        #expect(result.status != 0)
        #expect(result.stderr.contains("Did you mean 'Choledochal cyst excision'?"))
    }

    @Test func aWindowTheTalliesDoNotCoverIsNotExact() throws {
        let result = try annals("cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--from", "2010")
        #expect(result.stdout.hasPrefix("≥") || result.stdout.hasPrefix("between"))
        #expect(result.stdout.contains("not exact"))
    }

    @Test func milestonesAndShares() throws {
        let milestones = try annals("milestones", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--threshold", "500")
        #expect(milestones.stdout.contains("500 laparoscopic Choledochal cyst excision: in 20"))
        let share = try annals("cases", "--share", "minimally-invasive", "--by", "department", "--format", "csv")
        #expect(share.status == 0)
        #expect(share.stdout.contains("general-surgery,"))
    }

    @Test func procedureListAndSearch() throws {
        let search = try annals("procedures", "REX")
        #expect(search.stdout.contains("Meso-Rex bypass"))
        let all = try annals("procedures")
        #expect(all.stdout.contains("Choledochal cyst excision"))
    }

    @Test func talliesFromCSVWithAnOverlapAreRefused() throws {
        let csv = folder.write(
            "tallies.csv",
            "procedure,approach,department,campus,from,to,count\nlaparoscopic choledochal cyst excision,,general-surgery,binjiang,2020,2020,3\n")
        let result = try annals("import", "tallies", csv.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stderr.contains("tallies.csv:2:1: error: case tally"))
        #expect(result.stderr.contains("counted twice"))
    }

    @Test func aCorrectedTallyShowsItsHistory() throws {
        let header = "procedure,approach,department,campus,from,to,count,source\n"
        let first = folder.write("first.csv", header + "appendectomy,open,general-surgery,hubin,2030,2030,5,first count\n")
        let second = folder.write("second.csv", header + "appendectomy,open,general-surgery,hubin,2030,2030,6,recount\n")
        #expect(try annals("import", "tallies", first.lastPathComponent).status == 0)
        let corrected = try annals("import", "tallies", second.lastPathComponent)
        #expect(corrected.stdout.contains("1 updated"), "\(corrected.stdout)\(corrected.stderr)")
        let shown = try annals("tally", "appendectomy.open.general-surgery.hubin.all.2030.2030")
        #expect(shown.stdout.contains(": 6 (source: recount)"))
        #expect(shown.stdout.contains(": 5 (source: first count)"))
    }
}

/// `annals report` and `annals stats` on the sample registry.
@Suite struct ReportCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    init() throws {
        #expect(try AnnalsCommand.run(["init"], in: folder.url).status == 0)
        #expect(try AnnalsCommand.run(["import", "registry", Fixtures.sampleRegistry.path], in: folder.url).status == 0)
    }

    @Test func reportsAreReproducibleWithAsOf() throws {
        let first = try annals("report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15", "--out", "-")
        let second = try annals("report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15", "--out", "-")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("Generated on 2025-01-15."))
        let html = try annals("report", "--year", "2024", "--out", "report.html", "--as-of", "2025-01-15")
        #expect(html.stdout.contains("Wrote report.html"))
        #expect(try String(contentsOfFile: folder.path("report.html"), encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let unknown = try annals("report", "--year", "2024", "--department", "cardiology")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no department 'cardiology'"))
    }

    @Test func aReportWithoutOutGoesToANamedFileAndSaysWhere() throws {
        let html = try annals("report", "--year", "2024", "--as-of", "2025-01-15")
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.hasPrefix("Wrote annual-report-2024.html in the current folder ("), "\(html.stdout)")
        #expect(!html.stdout.contains("<!DOCTYPE"))
        #expect(try String(contentsOfFile: folder.path("annual-report-2024.html"), encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let markdown = try annals("report", "--year", "2024", "--department", "general-surgery", "--lang", "zh", "--format", "markdown")
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains("Wrote annual-report-2024-general-surgery-zh.md"))
        #expect(FileManager.default.fileExists(atPath: folder.path("annual-report-2024-general-surgery-zh.md")))
        #expect(try annals("report", "--year", "2024", "--format", "json").stdout.contains("annual-report-2024.json"))
    }

    @Test func aReportForAYearWithNothingInItIsRefused() throws {
        let result = try annals("report", "--year", "2031")
        #expect(result.status == 1)
        #expect(result.stderr.contains("the registry holds nothing dated 2031"), "\(result.stderr)")
        #expect(result.stderr.contains("no report was written"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("annual-report-2031.html")))
        let department = try annals("report", "--year", "1990", "--department", "oncology-surgery")
        #expect(department.status == 1)
        #expect(department.stderr.contains("nothing dated 1990 for oncology-surgery"))
    }

    @Test func backupWithoutOutPicksANewDatedFile() throws {
        let first = try annals("backup")
        #expect(first.status == 0, "\(first.stderr)")
        let second = try annals("backup")
        #expect(second.status == 0, "\(second.stderr)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix("annals-backup-") }.sorted()
        #expect(backups.count == 2, "\(backups)")
        for name in backups {
            #expect(name.range(of: #"^annals-backup-\d{8}-\d{6}(-\d+)?\.sqlite$"#, options: .regularExpression) != nil, "\(name)")
            #expect(first.stdout.contains(name) || second.stdout.contains(name))
            #expect(try annals("check", "--db", name).status == 0, "the backup is a whole registry")
        }
        #expect(first.stdout.contains("in the current folder"))
    }

    @Test func statsForARangeOfYears() throws {
        let result = try annals("stats", "--from", "2023", "--to", "2024", "--department", "general-surgery", "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("figure,2023,2024\r\n"))
        #expect(result.stdout.contains("beds,87,87"))
        #expect(try annals("stats").status != 0, "a year is required")
    }
}

extension ReportCommandTests {
    @Test func explainListsTheRecordsBehindTheFigures() throws {
        let result = try annals("stats", "--year", "2024", "--department", "oncology-surgery", "--explain")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Records behind the 2024 figures:"))
        #expect(result.stdout.contains("SCI papers (3 publications): pub-onc-007, pub-onc-017, pub-onc-027"))
        #expect(result.stdout.contains("Operations tallied (4 case tallies): tally-onc-adrenal-lap-2024"))
    }
}
