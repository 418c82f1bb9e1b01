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
        for result in try AnnalsCommand.initWithSamples(in: folder.url) {
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func theSamplesAnswerTheProfilesClaimWhicheverNameIsUsed() throws {
        let bySynonym = try annals(
            "cases", "common bile duct cystectomy", "--approach", "laparoscopic", "--department", "general-surgery")
        let byName = try annals("cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery")
        #expect(bySynonym.status == 0, "\(bySynonym.stderr)")
        let figure = try #require(Int(bySynonym.stdout.prefix { $0.isNumber }))
        #expect(figure > 500)
        #expect(bySynonym.stdout.contains("exact"))
        #expect(byName.stdout == bySynonym.stdout)
    }

    @Test func jsonTotalHasTheAgreedFields() throws {
        let result = try annals(
            "cases", "choledochal cyst excision", "--approach", "laparoscopic", "--department", "general-surgery",
            "--format", "json")
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
        let result = try annals(
            "cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--from", "2010")
        #expect(result.stdout.hasPrefix("≥") || result.stdout.hasPrefix("between"))
        #expect(result.stdout.contains("not exact"))
    }

    @Test func milestonesAndShares() throws {
        let milestones = try annals(
            "milestones", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--threshold",
            "500")
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
            "procedure,approach,department,campus,from,to,count\nlaparoscopic choledochal cyst excision,,general-surgery,binjiang,2020-06,2020-06,3\n"
        )
        let result = try annals("import", "tallies", csv.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stderr.contains("tallies.csv:2:1: error: case tally"))
        #expect(result.stderr.contains("counted twice"))
    }

    @Test func aCorrectedTallyShowsItsHistory() throws {
        let header = "procedure,approach,department,campus,from,to,count,source\n"
        let first = folder.write(
            "first.csv", header + "appendectomy,open,general-surgery,hubin,2030,2030,5,first count\n")
        let second = folder.write(
            "second.csv", header + "appendectomy,open,general-surgery,hubin,2030,2030,6,recount\n")
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
        let result = try annals(
            "cases", "laparoscopic choledochal cyst excision", "--department", "general-surgery", "--format", "json")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return try #require(object["count"] as? Int)
    }

    @Test func aCSVCorrectionReplacesTheRegistryTallyOfThatYear() throws {
        // The sample's 2019 tally came from registry XML as tally-gs-ccl-lap-2019 (24 operations).
        let before = try generalSurgeryTotal()
        let csv = folder.write(
            "recount.csv",
            "procedure,approach,department,from,to,count,source\nlaparoscopic choledochal cyst excision,,general-surgery,2019,2019,25,recount\n"
        )
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
            "hospital.csv",
            "procedure,approach,department,from,to,count\ncholedochal cyst excision,laparoscopic,hospital,2016,2024,999\n"
        )
        let fromCSV = try annals("import", "tallies", csv.lastPathComponent)
        #expect(fromCSV.status != 0)
        #expect(fromCSV.stderr.contains("hospital.csv:2:1: error: case tally"))
        #expect(fromCSV.stderr.contains("'hospital' and 'general-surgery': one unit includes the other"))
        #expect(try generalSurgeryTotal() == before)
        #expect(try annals("cases", "laparoscopic choledochal cyst excision").stdout == total.stdout)
        #expect(try annals("check").status == 0)
    }

    @Test func aCountBeyondTheSchemasBoundIsRefusedAndCheckFindsOldOnes() throws {
        let csv = folder.write(
            "big.csv",
            "procedure,approach,department,from,to,count\nappendectomy,open,general-surgery,2030,2030,2147483648\n")
        let refused = try annals("import", "tallies", csv.lastPathComponent)
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains(
                "big.csv:2:45: error: 2147483648 is more than 2,147,483,647, the largest count Annals keeps"))
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
        for question in [
            ["cases"], ["cases", "appendectomy"], ["cases", "--by", "department"], ["milestones", "appendectomy"],
        ] {
            let result = try AnnalsCommand.run(question, in: folder.url)
            #expect(result.status == 1, "\(question): a sentence, not a crash (\(result.status))")
            #expect(result.stderr.contains("annals check"), "\(question): \(result.stderr)")
        }
        let check = try annals("check")
        #expect(check.status != 0)
        #expect(
            check.stderr.contains(
                "case tally 'huge-2031' has a count of 4611686018427387904, outside 0 to 2,147,483,647"))
        // An export would write a file no registry reads back: refused, and nothing written.
        let export = try annals("export", "--out", "all.xml")
        #expect(export.status != 0)
        #expect(
            export.stderr.contains(
                "case tally 'huge-2031' has a count of 4611686018427387904, outside 0 to 2,147,483,647"),
            "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("all.xml")))
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
        #expect(
            try AnnalsCommand.run(["import", "registry", Fixtures.sampleRegistry.path], in: folder.url).status == 0)
    }

    @Test func reportsAreReproducibleWithAsOf() throws {
        let first = try annals(
            "report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15", "--out", "-")
        let second = try annals(
            "report", "--year", "2024", "--format", "markdown", "--as-of", "2025-01-15", "--out", "-")
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
        #expect(
            try String(contentsOfFile: folder.path("annual-report-2024.html"), encoding: .utf8).hasPrefix(
                "<!DOCTYPE html>"))
        let markdown = try annals(
            "report", "--year", "2024", "--department", "general-surgery", "--lang", "zh", "--format", "markdown")
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
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter {
            $0.hasPrefix("annals-backup-")
        }.sorted()
        #expect(backups.count == 2, "\(backups)")
        for name in backups {
            #expect(
                name.range(of: #"^annals-backup-\d{8}-\d{6}(-\d+)?\.sqlite$"#, options: .regularExpression) != nil,
                "\(name)")
            #expect(first.stdout.contains(name) || second.stdout.contains(name))
            #expect(try annals("check", "--db", name).status == 0, "the backup is a whole registry")
        }
        #expect(first.stdout.contains("in the current folder"))
    }

    @Test func statsForARangeOfYears() throws {
        let result = try annals(
            "stats", "--from", "2023", "--to", "2024", "--department", "general-surgery", "--format", "csv")
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

/// Issue 12, point 2: a total is exact only when every series in it covers the period asked.
extension CaseCommandTests {
    @Test func aProcedureTotalWithIncompleteApproachesIsALowerBound() throws {
        let result = try annals("cases", "choledochal cyst excision")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("≥ 575 "), "\(result.stdout)")
        #expect(result.stdout.contains("not exact"))
        #expect(
            result.stdout.contains(
                "robotic choledochal-cyst-excision, general-surgery, campus binjiang: nothing tallied before 2018-01-01"
            ))
        #expect(
            result.stdout.contains(
                "converted choledochal-cyst-excision, general-surgery: nothing tallied before 2016-01-01"))
        let json = try annals("cases", "choledochal cyst excision", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["exact"] as? Bool == false)
        let incomplete = try #require(object["incomplete"] as? [[String: Any]])
        #expect(Set(incomplete.compactMap { $0["approach"] as? String }) == ["robotic", "converted"])
    }

    @Test func aPartYearEnteredForOneProcedureIsNotTheYearsTotal() throws {
        let csv = folder.write(
            "2025.csv",
            "procedure,approach,department,campus,from,to,count\nappendectomy,laparoscopic,general-surgery,,2025,2025,150\n"
        )
        let imported = try annals("import", "tallies", csv.lastPathComponent)
        #expect(imported.status == 0, "\(imported.stderr)")
        let result = try annals("cases", "--from", "2025", "--to", "2025")
        #expect(result.stdout.hasPrefix("≥ 150 operations"), "\(result.stdout)")
        #expect(result.stdout.contains("not exact"))
        #expect(result.stdout.contains("11 of the series in this total are incomplete"))
        #expect(
            result.stdout.contains("converted choledochal-cyst-excision, general-surgery: not tallied in this period"))
        let json = try annals("cases", "--from", "2025", "--to", "2025", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let incomplete = try #require(object["incomplete"] as? [[String: Any]])
        #expect(incomplete.count == 11, "every series but laparoscopic appendectomy")
        #expect(
            incomplete.contains { $0["procedure"] as? String == "meso-rex-bypass" && $0["absent"] as? Bool == true })
        let byYear = try annals("cases", "--by", "year", "--from", "2024", "--format", "csv")
        #expect(byYear.stdout.contains("2024,788,yes,788,"), "\(byYear.stdout)")
        #expect(byYear.stdout.contains("2025,150,no,≥ 150,"), "\(byYear.stdout)")
        let report = try annals(
            "report", "--year", "2025", "--department", "general-surgery", "--lang", "zh", "--format", "markdown",
            "--as-of", "2025-03-01",
            "--out", "report-2025.md")
        #expect(report.status == 0, "\(report.stderr)")
        let text = try String(contentsOfFile: folder.path("report-2025.md"), encoding: .utf8)
        #expect(text.contains("手术总量：≥ 150例（上一年：640例）。"), "\(text)")
        #expect(!text.contains("100.0%"), "no share of a part-year")
        #expect(text.contains("微创手术占比：—（未计算：2025年手术未完整登记）。"), "\(text)")
        #expect(text.contains("以下系列本年度未完整登记（总量为下限）："))
    }

    @Test func anAllTimeShareSaysItIncludesTheBaseline() throws {
        let allTime = try annals("cases", "--share", "grade4", "--department", "general-surgery")
        #expect(allTime.status == 0, "\(allTime.stderr)")
        #expect(allTime.stdout.contains("grade-4 operations as a share of all operations tallied"))
        #expect(
            allTime.stdout.contains("includes cumulative baselines through 2015-12-31 (300 of 300 operations)"),
            "\(allTime.stdout)")
        #expect(allTime.stdout.contains("not exact"))
        let byYear = try annals(
            "cases", "--share", "grade4", "--department", "general-surgery", "--by", "year", "--format", "csv")
        #expect(byYear.stdout.contains("\r\n2024,"))
        #expect(byYear.stdout.contains(",0,0\r\n"), "no year's share includes a baseline")
    }
}

/// Issue 12, points 1 and 4: `annals stats` lines figures up by label and year, and counts people and money once.
extension ReportCommandTests {
    /// A CSV text as rows of fields (quotes as CSVWriter writes them).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    func statsCSV(_ arguments: String...) throws -> [String: [String]] {
        let result = try AnnalsCommand.run(["stats"] + arguments + ["--format", "csv"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = Self.parseCSV(result.stdout)
        var byLabel: [String: [String]] = [:]
        for row in rows.dropFirst() {
            #expect(byLabel[row[0]] == nil, "the label \(row[0]) appears twice")
            byLabel[row[0]] = Array(row.dropFirst())
        }
        return byLabel
    }

    @Test func statsCSVLinesFiguresUpByLabelAndYearNotByPosition() throws {
        let range = try statsCSV("--from", "2023", "--to", "2024", "--department", "general-surgery")
        #expect(
            range["projects running, ministerial"] == ["1", ""],
            "2024 has no ministerial project: an empty cell, nothing shifted")
        for (column, year) in ["2023", "2024"].enumerated() {
            let single = try statsCSV("--year", year, "--department", "general-surgery")
            for (label, values) in single {
                #expect(range[label]?[column] == values[0], "\(label) in \(year)")
            }
            for (label, values) in range where single[label] == nil {
                #expect(values[column] == "", "\(label) has no figure in \(year)")
            }
        }
        // JSON and the table say the same as the CSV.
        let json = try annals(
            "stats", "--from", "2023", "--to", "2024", "--department", "general-surgery", "--format", "json")
        let years = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(years.map { "\($0["sciPapers"] as? Int ?? -1)" } == range["SCI papers"])
        // The JSON carries numbers: the count, and whether it is exact ("≥" in the CSV when not).
        let operations = years.map { year -> String in
            let figure = year["operations"] as? [String: Any] ?? [:]
            return (figure["exact"] as? Bool == true ? "" : "≥ ") + "\(figure["count"] as? Int ?? -1)"
        }
        #expect(operations == range["operations"])
        let table = try annals("stats", "--from", "2023", "--to", "2024", "--department", "general-surgery")
        let sci = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("SCI papers ") })
        #expect(sci.split(separator: " ").suffix(2).map(String.init) == range["SCI papers"])
        let ministerial = try #require(
            table.stdout.split(separator: "\n").first { $0.hasPrefix("projects running, ministerial") })
        #expect(ministerial.hasSuffix("—"))
    }

    @Test func staffAreCountedOncePerPersonAndYearsBeforeACensusSaySo() throws {
        let oncology = try statsCSV("--from", "2023", "--to", "2024", "--department", "oncology-surgery")
        #expect(
            oncology["doctors (head count)"] == ["—", "11"],
            "11 specialist doctors including 3 chief and 2 deputy chief: 11, not 16")
        #expect(oncology["nurses (head count)"] == ["—", "—"], "the census counts no nurses")
        #expect(oncology["staff census as of"] == ["no census", "2024"])
        #expect(oncology["staff (by rank)"] == nil)
        let surgery = try statsCSV("--year", "2024", "--department", "general-surgery")
        #expect(surgery["doctors (head count)"] == ["17"])
        #expect(surgery["nurses (head count)"] == ["32"])
        let hospital = try statsCSV("--year", "2024")
        #expect(hospital["doctors (head count)"] == ["28"])
        #expect(hospital["nurses (head count)"] == ["≥ 32"], "Oncology's census gives no nurses")
    }

    @Test func aGrantIsAwardedOnceAndItsWholeValueIsSaidToBeOneRunning() throws {
        let stats = try statsCSV("--from", "2020", "--to", "2024", "--department", "general-surgery")
        // The Ministry of Education grant of CNY 200000 runs 2020–2023.
        #expect(stats["grants awarded in the year, ministerial"] == ["CNY 200000", "none", "none", "none", ""])
        #expect(
            stats["whole value of grants running in the year, ministerial"] == [
                "CNY 200000", "CNY 200000", "CNY 200000", "CNY 200000", "",
            ])
        #expect(stats["funding, ministerial"] == nil)
    }
}
