import AnnalsTestSupport
import Foundation
import Testing

/// `annals export --format cerif` and `annals import cerif`, run as a user would.
@Suite struct CerifCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    @Test func exportToCerifAndImportIntoAnEmptyRegistry() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("init", "--db", "copy.sqlite").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let export = try annals("export", "--format", "cerif", "--out", "cris.xml")
        #expect(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: folder.path("cris.xml"), encoding: .utf8)
        #expect(text.contains("<ListRecords>") && text.contains("id=\"Persons/gao-zhigang\""))

        let imported = try annals("import", "cerif", "--db", "copy.sqlite", "cris.xml")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("people: 5 added"), "\(imported.stdout)")
        #expect(imported.stdout.contains("publications: added 143"), "\(imported.stdout)")

        let department = try annals("export", "--format", "cerif", "--department", "general-surgery", "--year", "2022")
        #expect(department.status == 0)
        #expect(!department.stdout.contains("id=\"Publications/pub-onc-"))
        #expect(try annals("export", "--format", "csv", "--table", "people", "--year", "2022").status != 0)
        #expect(try annals("import", "cerif", "--help").stdout.contains("USAGE: annals import cerif"))
    }

    @Test func aBadCerifFileIsReportedByLineAndColumnAndImportsNothing() throws {
        folder.write(
            "bad.xml",
            """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
              <record><metadata>
                <Project xmlns="https://www.openaire.eu/cerif-profile/1.2/" id="Projects/p"><Title>T</Title>
                  <StartDate>2024-02-30</StartDate></Project>
              </metadata></record>
            </ListRecords></OAI-PMH>
            """)
        #expect(try annals("init").status == 0)
        let result = try annals("import", "cerif", "bad.xml")
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("bad.xml:4:7: error: the start date '2024-02-30' is not a date"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was imported"))
        #expect(try annals("export", "--format", "csv", "--table", "projects").stdout.split(separator: "\n").count == 1)

        folder.write(
            "cut.xml", "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>\n  <record><metadata>\n")
        let cut = try annals("import", "cerif", "cut.xml")
        #expect(cut.status != 0)
        // Where the file ends, and the element left open.
        #expect(
            cut.stderr.contains("cut.xml:3:1: error: Premature end of data in tag metadata line 2"), "\(cut.stderr)")
        #expect(cut.stderr.contains("nothing was imported"))
    }
}
