import AnnalsTestSupport
import Foundation
import Testing

/// `annals chain show|set|reset`, run as a user runs them.
@Suite struct ChainCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    @Test func anAdminSetsShowsAndResetsTheChain() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let standard = try annals("chain")
        #expect(standard.status == 0, "\(standard.stderr)")
        #expect(
            standard.stdout.contains("the research office validates") && standard.stdout.contains("1. office:hospital"))
        let plain = try annals("report", "--year", "2023", "--format", "markdown", "--out", "-")
        #expect(!plain.stdout.contains("Counts validated records only"))

        let set = try annals("chain", "set", "head:科室:科室主任", "office:hospital:科研处")
        #expect(set.status == 0, "\(set.stderr)")
        let shown = try annals("chain", "show").stdout
        #expect(shown.contains("1. head:department  科室主任") && shown.contains("2. office:hospital  科研处"), "\(shown)")
        // Once a chain is set, the annual report counts validated records by default, and says so.
        let report = try annals("report", "--year", "2023", "--format", "markdown", "--out", "-")
        #expect(report.stdout.contains("Counts validated records only"), "\(report.stderr)")
        #expect(try annals("history", "--since", "2000-01-01").stdout.contains("set approval chain"))

        #expect(try annals("chain", "reset").status == 0)
        #expect(try annals("chain").stdout.contains("none was set"))
    }

    @Test func aStepThatCannotApproveIsRefusedAndNothingChanges() throws {
        #expect(try annals("init").status == 0)
        let secretary = try annals("chain", "set", "secretary:department")
        #expect(secretary.status != 0)
        #expect(secretary.stderr.contains("cannot approve records"), "\(secretary.stderr)")
        let unreadable = try annals("chain", "set", "office")
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("ROLE:SCOPE"), "\(unreadable.stderr)")
        let officeForOneDepartment = try annals("chain", "set", "office:department")
        #expect(officeForOneDepartment.status != 0)
        #expect(try annals("chain").stdout.contains("none was set"))
    }
}
