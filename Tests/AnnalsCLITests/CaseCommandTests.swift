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
            "procedure,approach,department,campus,from,to,count\nlaparoscopic choledochal cyst excision,,general-surgery,binjiang,2020-06,2020-06,3\n")
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

/// Case tallies as a user meets them: one identity, one rule across organisation levels, one bound
/// for a count, on every import path (issues 12 and 13).
extension CaseCommandTests {
    /// "laparoscopic choledochal cyst excision in general surgery: N" as `annals cases` says it.
    func generalSurgeryTotal() throws -> Int {
        let result = try annals("cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return try #require(object["count"] as? Int)
    }

    @Test func aCSVCorrectionReplacesTheRegistryTallyOfThatYear() throws {
        // The sample's 2019 tally came from registry XML as tally-gs-ccl-lap-2019 (24 operations).
        let before = try generalSurgeryTotal()
        let csv = folder.write(
            "recount.csv", "procedure,approach,department,from,to,count,source\nlaparoscopic choledochal cyst excision,,general-surgery,2019,2019,25,recount\n")
        let result = try annals("import", "tallies", csv.lastPathComponent)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 updated"))
        let shown = try annals("tally", "tally-gs-ccl-lap-2019")
        #expect(shown.stdout.contains(": 25 (source: recount)"))
        #expect(shown.stdout.contains(": 24 (source: department profile"))
        #expect(try generalSurgeryTotal() == before + 1)
    }

    @Test func aHospitalTallyIsRefusedOnTopOfTheDepartmentsOnEveryPath() throws {
        let before = try generalSurgeryTotal()
        let total = try annals("cases", "laparoscopic choledochal cyst excision")
        let xml = folder.write(
            "hospital.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <registry xmlns="urn:annals:registry:1" version="1">
              <tally id="hospital-lccs-2016-2024" procedure="choledochal-cyst-excision" approach="laparoscopic" department="hospital" from="2016" to="2024" count="999"/>
            </registry>

            """)
        let fromXML = try annals("import", "registry", xml.lastPathComponent)
        #expect(fromXML.status != 0)
        #expect(fromXML.stderr.contains("hospital.xml:3:"))
        #expect(fromXML.stderr.contains("counted twice"))
        let csv = folder.write(
            "hospital.csv", "procedure,approach,department,from,to,count\ncholedochal cyst excision,laparoscopic,hospital,2016,2024,999\n")
        let fromCSV = try annals("import", "tallies", csv.lastPathComponent)
        #expect(fromCSV.status != 0)
        #expect(fromCSV.stderr.contains("hospital.csv:2:1: error: case tally"))
        #expect(fromCSV.stderr.contains("'hospital' and 'general-surgery': one unit includes the other"))
        #expect(try generalSurgeryTotal() == before)
        #expect(try annals("cases", "laparoscopic choledochal cyst excision").stdout == total.stdout)
        #expect(try annals("check").status == 0)
    }

    @Test func aCountBeyondTheSchemasBoundIsRefusedAndCheckFindsOldOnes() throws {
        let csv = folder.write("big.csv", "procedure,approach,department,from,to,count\nappendectomy,open,general-surgery,2030,2030,2147483648\n")
        let refused = try annals("import", "tallies", csv.lastPathComponent)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("big.csv:2:45: error: 2147483648 is more than 2,147,483,647, the largest count Annals keeps"))
        // Written before the bound was kept: two counts of 2^62, which add up beyond any integer.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for year in ('2031', '2032'):
                c.execute("INSERT INTO tally (id, procedure_id, approach, department_id, period_from, period_to, from_day, to_day, count) "
                          "VALUES (?, 'appendectomy', 'open', 'general-surgery', ?, ?, ?, ?, 4611686018427387904)",
                          ('huge-' + year, year, year, year + '-01-01', year + '-12-31'))
            c.commit()
            """,
            folder.path("annals.sqlite"),
        ]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
        for question in [["cases"], ["cases", "appendectomy"], ["cases", "--by", "department"], ["milestones", "appendectomy"]] {
            let result = try AnnalsCommand.run(question, in: folder.url)
            #expect(result.status == 1, "\(question): a sentence, not a crash (\(result.status))")
            #expect(result.stderr.contains("annals check"), "\(question): \(result.stderr)")
        }
        let check = try annals("check")
        #expect(check.status != 0)
        #expect(check.stderr.contains("case tally 'huge-2031' has a count of 4611686018427387904, outside 0 to 2,147,483,647"))
    }
}

/// `annals report` and `annals stats` on the sample registry.
@Suite struct ReportCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    init() throws {
        #expect(try AnnalsCommand.run(["import", "registry", Fixtures.sampleRegistry.path], in: folder.url).status == 0)
    }

    @Test func reportsAreReproducibleWithAsOf() throws {
        let first = try annals("report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15")
        let second = try annals("report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15")
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
