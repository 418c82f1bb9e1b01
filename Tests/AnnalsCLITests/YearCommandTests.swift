import AnnalsTestSupport
import Foundation
import Testing

/// `annals year close|reopen|list` and the validated-only figures, run as a user runs them.
@Suite struct YearCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    @Test func aClosedYearRefusesAnImportThatChangesItUntilReopened() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let old =
            "Illustrative project: genetic study of congenital megacolon (General Surgery, provincial major special project)"
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8)
        let changed = folder.write("changed.xml", sample.replacingOccurrences(of: old, with: "Second phase"))
        let closed = try annals("year", "close", "2014")
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.contains("2014 is closed"))
        #expect(try annals("year", "list").stdout.contains("2014  closed by"))
        let refused = try annals("import", "registry", changed.path)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("2014 has been closed"), "\(refused.stderr)")
        #expect(try annals("history", "proj-gs-prov-major-1").stdout.contains("Second phase") == false)
        #expect(try annals("year", "reopen", "2014").stdout.contains("2014 is open again"))
        let accepted = try annals("import", "registry", changed.path)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let history = try annals("history", "2014").stdout
        #expect(history.contains("closed-year"), "\(history)")
    }

    @Test func statsAndReportCountValidatedRecordsOnlyWhenAsked() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        // Everything the command line imported is validated: the figures are the same either way.
        let all = try annals("stats", "--year", "2023", "--format", "json")
        let validated = try annals("stats", "--year", "2023", "--format", "json", "--validated-only")
        #expect(all.status == 0 && validated.status == 0, "\(validated.stderr)")
        #expect(all.stdout == validated.stdout)
        let report = try annals("report", "--year", "2023", "--format", "markdown", "--out", "-", "--validated-only")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("Counts validated records only"))
        let plain = try annals("report", "--year", "2023", "--format", "markdown", "--out", "-")
        #expect(!plain.stdout.contains("Counts validated records only"))
    }
}
