import AnnalsTestSupport
import Foundation
import Testing

/// Runs the real `annals` executable in a separate process, as a user would.
@Suite struct CommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url, environment: environment)
    }

    @Test(arguments: [
        [], ["init"], ["import"], ["import", "registry"], ["import", "pubmed"], ["import", "endnote"],
        ["import", "journals"], ["import", "tallies"], ["export"], ["validate"], ["publications"], ["review"],
        ["recredit"],
        ["duplicates"], ["cases"], ["milestones"], ["tally"], ["procedures"], ["funders"], ["report"], ["stats"],
        ["profile"], ["departments"],
        ["people"], ["check"], ["backup"], ["migrate-store"], ["demo"], ["import", "cerif"], ["history"], ["delete"],
        ["restore"],
    ])
    func everyCommandHasHelp(_ command: [String]) throws {
        let result = try AnnalsCommand.run(command + ["--help"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: annals"))
        #expect(!result.stdout.contains("\\"), "a stray backslash in the help of \(command)")
    }

    @Test func initCreatesTheRegistryOnceAndSaysSo() throws {
        let first = try annals("init")
        #expect(first.status == 0)
        #expect(first.stdout.contains("Created the registry annals.sqlite"))
        #expect(FileManager.default.fileExists(atPath: folder.path("annals.sqlite")))
        #expect(try annals("init").stdout.contains("already a registry"))
    }

    @Test func importThenExportRoundTripsTheSamples() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("init", "--db", "copy.sqlite").status == 0)
        let imported = try annals("import", "registry", Fixtures.sampleRegistry.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("added 330"))
        let again = try annals("import", "registry", Fixtures.sampleRegistry.path)
        #expect(again.stdout.contains("added 0, updated 0, unchanged 330"))

        let toFile = try annals("export", "--out", "export.xml")
        #expect(toFile.status == 0)
        let toStdout = try annals("export")
        #expect(toStdout.stdout == (try String(contentsOfFile: folder.path("export.xml"), encoding: .utf8)))

        let copy = try annals("import", "registry", "--db", "copy.sqlite", "export.xml")
        #expect(copy.status == 0)
        #expect(try annals("export", "--db", "copy.sqlite").stdout == toStdout.stdout)
    }

    @Test func spreadsheetExportsNeverHoldAFormula() throws {
        #expect(try annals("init").status == 0)
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8).replacingOccurrences(
            of: "<title>Illustrative SCI paper 1 of General Surgery</title>",
            with: "<title>=HYPERLINK(\"http://evil.example/\",\"click\")</title>")
        let file = folder.write("formula.xml", sample)
        #expect(try annals("import", "registry", file.lastPathComponent).status == 0)
        let table = try annals("export", "--format", "csv", "--table", "publications", "--excel")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\","))
        #expect(!table.stdout.contains(",\"=HYPERLINK"))
        let listing = try annals("publications", "--format", "csv")
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains(",\"'=HYPERLINK("))
        #expect(!listing.stdout.contains(",\"=HYPERLINK"))
        // The registry keeps the title as it was.
        #expect(try annals("publications", "--format", "json").stdout.contains("\"title\" : \"=HYPERLINK("))
    }

    @Test func aReplacedRecordIsNamedInTheImportSummary() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let file = folder.write(
            "grant.xml",
            """
            <registry xmlns="urn:annals:registry:1" version="1">
              <project id="proj-gs-moe-1" level="ministerial" status="completed">
                <title>A different grant</title>
                <funder>Ministry of Education of the People's Republic of China</funder>
                <principalInvestigator ref="chen-qingjiang"/>
                <department ref="general-surgery" role="lead"/>
              </project>
            </registry>
            """)
        let result = try annals("import", "registry", file.lastPathComponent)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("added 0, updated 1, unchanged 0"))
        #expect(result.stdout.contains("1 record was replaced under the same id"))
        #expect(
            result.stdout.contains(
                "replaced project 'proj-gs-moe-1' (\"Illustrative project: clinical application of laparoscopy in children (General Surgery, ministerial 1)\"): title \"Illustrative project: clinical application of laparoscopy in children (General Surgery, ministerial 1)\" → \"A different grant\"; principal investigator \"gao-zhigang\" → \"chen-qingjiang\""
            ), "\(result.stdout)")
    }

    @Test func papersImportedFirstAreCreditedWhenTheirPeopleArrive() throws {
        #expect(try annals("init").status == 0)
        let papers = try annals("import", "pubmed", Fixtures.samples.appendingPathComponent("pubmed-sample.xml").path)
        #expect(papers.status == 0, "\(papers.stderr)")
        #expect(papers.stdout.contains("no paper was credited"))
        let people = try annals("import", "registry", Fixtures.sampleRegistry.path)
        #expect(people.status == 0, "\(people.stderr)")
        #expect(people.stdout.contains("credited again:"))
        #expect(
            try annals("publications", "--department", "oncology-surgery", "--format", "json").stdout.contains(
                "pmid-900001002"))
        let again = try annals("recredit")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("credited again: 0 of"))
    }

    @Test func aBadFileIsReportedOnStderrAndImportsNothing() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let before = try annals("export").stdout
        let bad = folder.write(
            "bad.xml",
            """
            <registry xmlns="urn:annals:registry:1" version="1">
              <tally id="x" procedure="nowhere" approach="open" department="general-surgery" to="2020" count="1"/>
            </registry>
            """)
        let result = try annals("import", "registry", bad.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.xml:2:3: error: case tally 'x' names procedure 'nowhere'"))
        #expect(result.stderr.contains("nothing was imported"))
        #expect(result.stdout.isEmpty)
        #expect(try annals("export").stdout == before)
    }

    @Test func validatePrintsFileLineColumnForEachProblem() throws {
        let bad = folder.write(
            "invalid.xml",
            """
            <registry xmlns="urn:annals:registry:1" version="1">
              <orgUnit id="Bad Id" kind="hospital"><name>H</name></orgUnit>
            </registry>
            """)
        let result = try annals("validate", Fixtures.sampleRegistry.path, bad.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stdout.contains("registry.xml: valid"))
        #expect(
            result.stderr.contains("invalid.xml:2:3: error: Element '{urn:annals:registry:1}orgUnit', attribute 'id'"))
        #expect(
            !FileManager.default.fileExists(atPath: folder.path("annals.sqlite")), "validate never opens a registry")
    }

    @Test func problemsComeAsJSONWhenAskedFor() throws {
        let bad = folder.write(
            "invalid.xml",
            """
            <registry xmlns="urn:annals:registry:1" version="1">
              <orgUnit id="Bad Id" kind="hospital"><name>H</name></orgUnit>
            </registry>
            """)
        let result = try annals("validate", bad.lastPathComponent, environment: ["ANNALS_ERROR_FORMAT": "json"])
        #expect(result.status != 0)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("{") }, "\(result.stderr)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let first = try #require((body["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["code"] as? String == "xml.schema")
        #expect(first["severity"] as? String == "error")
        #expect(
            (first["message"] as? String)?.hasPrefix("Element '{urn:annals:registry:1}orgUnit', attribute 'id'") == true
        )
        let location = try #require(first["location"] as? [String: Any])
        #expect(location["file"] as? String == "invalid.xml")
        #expect(location["line"] as? Int == 2 && location["column"] as? Int == 3)
    }

    @Test func aRefusedImportPrintsEachProblemOnceAndTheClosingLine() throws {
        #expect(try annals("init").status == 0)
        let bad = folder.write("bad.csv", "procedure,department,to,count\ncce,general-surgery,2019,\u{7}\n")
        let result = try annals("import", "tallies", bad.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.csv:2:26: error: this field holds"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was imported from that file: "), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "this field holds").count == 2, "printed once: \(result.stderr)")
    }

    @Test func annalsDBChoosesTheRegistry() throws {
        #expect(try annals("init", environment: ["ANNALS_DB": "elsewhere.sqlite"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("elsewhere.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("annals.sqlite")))
    }

    @Test func exportFromAMissingRegistryExplainsWhatToDo() throws {
        let result = try annals("export")
        #expect(result.status != 0)
        #expect(result.stderr.contains("no registry at annals.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("annals.sqlite")))
    }

    @Test func demoBuildsTheSampleRegistryAndSummarisesIt() throws {
        let result = try annals("demo", "--out", "demo", "--samples", Fixtures.samples.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("General Surgery Department"))
        #expect(result.stdout.contains("Oncology Surgery Department"))
        #expect(result.stdout.contains("45 + 2 VIP (Binjiang Campus), 42 + 2 VIP (Hubin Campus)"))
        #expect(FileManager.default.fileExists(atPath: folder.path("demo/annals.sqlite")))
        #expect(FileManager.default.fileExists(atPath: folder.path("demo/registry-export.xml")))
        #expect(result.stdout.contains("Imported pubmed-sample.xml: added 3"))
        #expect(result.stdout.contains("Imported endnote-sample.xml: added 2"))
        #expect(result.stdout.contains("merged 1"))
        for file in [
            "annual-report-2024.html", "annual-report-2024.md", "profile-general-surgery.txt",
            "profile-oncology-surgery-zh.txt",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder.path("demo/\(file)")), "\(file)")
        }
        let profile = try String(contentsOfFile: folder.path("demo/profile-general-surgery.txt"), encoding: .utf8)
        #expect(profile.contains("more than 500 cases of laparoscopic choledochal cyst excision"))
        // A second run starts afresh rather than adding to the first.
        let again = try annals("demo", "--out", "demo", "--samples", Fixtures.samples.path)
        #expect(again.stdout.contains("Imported registry.xml: 330 records."))
        #expect(FileManager.default.fileExists(atPath: folder.path("demo/.annals-demo")))
    }

    @Test func demoNeverReplacesARegistryItDidNotBuild() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let before = try annals("export").stdout
        let result = try annals("demo", "--out", ".", "--samples", Fixtures.samples.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "annals.sqlite is a registry that `annals demo` did not build; the demo never replaces one"),
            "\(result.stderr)")
        #expect(result.stderr.contains("--out annals-demo"))
        #expect(try annals("export").stdout == before, "the registry is untouched")
        #expect(!FileManager.default.fileExists(atPath: folder.path(".annals-demo")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("registry-export.xml")))
    }

    @Test func demoLeavesOtherFilesOfItsNamesAlone() throws {
        folder.write("annual-report-2024.html", "the office's own report")
        let result = try annals("demo", "--out", ".", "--samples", Fixtures.samples.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("already holds annual-report-2024.html, which `annals demo` did not make"),
            "\(result.stderr)")
        #expect(
            try String(contentsOfFile: folder.path("annual-report-2024.html"), encoding: .utf8)
                == "the office's own report")
        #expect(!FileManager.default.fileExists(atPath: folder.path("annals.sqlite")))
    }

    @Test func demoLeavesItsRegistryAloneOnceItHasChanged() throws {
        #expect(try annals("demo", "--out", "demo", "--samples", Fixtures.samples.path).status == 0)
        let extra = folder.write(
            "extra.xml",
            """
            <registry xmlns="urn:annals:registry:1" version="1">
              <orgUnit id="cardiology" kind="department" parent="hospital"><name>Cardiology</name></orgUnit>
            </registry>
            """)
        #expect(try annals("import", "registry", "--db", "demo/annals.sqlite", extra.path).status == 0)
        let result = try annals("demo", "--out", "demo", "--samples", Fixtures.samples.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("has changed since `annals demo` built it"), "\(result.stderr)")
        #expect(
            try annals("departments", "--db", "demo/annals.sqlite").stdout.contains("cardiology"),
            "the added record is still there")
    }
}
