import AnnalsTestSupport
import Foundation
import Testing

/// `annals template xlsx`, `annals import xlsx`, `annals export --format xlsx` and `annals report --format docx`,
/// run as a user runs them.
@Suite struct OfficeCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    @Test(arguments: [["template"], ["template", "xlsx"], ["import", "xlsx"]])
    func officeCommandsHaveHelp(_ command: [String]) throws {
        let result = try AnnalsCommand.run(command + ["--help"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: annals"))
        #expect(!result.stdout.contains("\\"))
    }

    @Test func exportThenImportTheSCIListChangesNothingAndTheReportIsAWordDocument() throws {
        for result in try AnnalsCommand.initWithSamples(in: folder.url) {
            #expect(result.status == 0, "\(result.stderr)")
        }
        let template = try annals("template", "xlsx", "projects", "--out", "projects.xlsx")
        #expect(template.status == 0, "\(template.stderr)")
        let export = try annals(
            "export", "--format", "xlsx", "--table", "papers", "--year", "2024", "--sci", "--out", "sci.xlsx")
        #expect(export.status == 0, "\(export.stderr)")
        let back = try annals("import", "xlsx", "sci.xlsx")
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("added 0, updated 0, unchanged"))
        let old = try annals("import", "xlsx", "projects.xlsx", "missing.xls")
        #expect(old.status == 1)
        #expect(old.stderr.contains("missing.xls: error: no such file"))
        #expect(old.stderr.contains("nothing was imported"))
        let csvFlags = try annals("export", "--format", "xlsx", "--table", "papers")
        #expect(csvFlags.status != 0)
        #expect(csvFlags.stderr.contains("--out"))
        let report = try annals("report", "--year", "2024", "--format", "docx", "--lang", "zh", "--as-of", "2025-01-15")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("annual-report-2024-zh.docx"))
        let bytes = try Data(contentsOf: folder.url.appendingPathComponent("annual-report-2024-zh.docx"))
        #expect(bytes.prefix(2) == Data("PK".utf8))
    }
}
