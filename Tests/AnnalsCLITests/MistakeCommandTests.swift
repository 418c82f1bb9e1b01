import AnnalsTestSupport
import Foundation
import Testing

/// What a user who mistypes an id, a year or a command sees: an error that says what to do and a non-zero exit,
/// never a silent empty answer; and the list commands that give the ids.
@Suite struct MistypedIdCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    func sample(_ name: String) -> String { Fixtures.samples.appendingPathComponent(name).path }

    init() throws {
        for result in try AnnalsCommand.initWithSamples(in: folder.url) {
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try AnnalsCommand.run(["import", "pubmed", sample("pubmed-sample.xml")], in: folder.url).status == 0)
    }

    @Test func aMistypedDepartmentIsAnErrorWithASuggestion() throws {
        let result = try annals("publications", "--department", "general-surgey")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("no department 'general-surgey' in the registry. Did you mean 'general-surgery'"),
            "\(result.stderr)")
        #expect(result.stderr.contains("`annals departments` lists them"))
        #expect(!result.stdout.contains("0 publications"))
        #expect(try annals("publications", "--department", "general-surgery").status == 0)
    }

    @Test func aMistypedPersonIsAnErrorWithASuggestion() throws {
        let result = try annals("publications", "--person", "wang-jinhua")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "no person 'wang-jinhua' in the registry (--person takes a person's id). Did you mean 'wang-jinhu' (Wang Jinhu)?"
            ), "\(result.stderr)")
        let byName = try annals("publications", "--person", "Wang Jinhu")
        #expect(byName.status == 1)
        #expect(byName.stderr.contains("Did you mean 'wang-jinhu'"))
        let listed = try annals("publications", "--person", "wang-jinhu")
        #expect(listed.status == 0, "\(listed.stderr)")
    }

    @Test func aMistypedCampusOrSurgeonInACaseQuestionIsAnError() throws {
        let cases = try annals("cases", "--campus", "binjang")
        #expect(cases.status == 1)
        #expect(
            cases.stderr.contains("no campus 'binjang' in the registry. Did you mean 'binjiang' (Binjiang Campus)?"),
            "\(cases.stderr)")
        let milestones = try annals("milestones", "laparoscopic choledochal cyst excision", "--campus", "binjang")
        #expect(milestones.status == 1)
        #expect(milestones.stderr.contains("no campus 'binjang'"))
        #expect(!milestones.stdout.contains("No milestone reached"))
        let surgeon = try annals("cases", "--surgeon", "gao-zhigan")
        #expect(surgeon.status == 1)
        #expect(surgeon.stderr.contains("Did you mean 'gao-zhigang'"), "\(surgeon.stderr)")
        #expect(try annals("cases", "--campus", "binjiang").status == 0)
    }

    @Test func anExportForAMistypedDepartmentWritesNothing() throws {
        let ris = try annals("export", "--format", "ris", "--department", "oncology-surgey")
        #expect(ris.status == 1)
        #expect(ris.stdout.isEmpty)
        #expect(ris.stderr.contains("Did you mean 'oncology-surgery'"))
        let toFile = try annals("export", "--format", "cerif", "--department", "oncology", "--out", "cris.xml")
        #expect(toFile.status == 1)
        #expect(toFile.stderr.contains("Did you mean 'oncology-surgery'"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("cris.xml")))
    }

    @Test(arguments: [
        ["publications", "--year", "24"], ["export", "--format", "ris", "--year", "24"], ["report", "--year", "24"],
        ["stats", "--year", "24"], ["stats", "--from", "20", "--to", "2024"],
    ])
    func aTwoDigitYearIsRefused(_ command: [String]) throws {
        let result = try AnnalsCommand.run(command, in: folder.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains("is not a year: write the year with all four digits"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func statsAndProfileCheckTheDepartment() throws {
        let stats = try annals("stats", "--year", "2024", "--department", "general-surgey")
        #expect(stats.status == 1)
        #expect(stats.stderr.contains("Did you mean 'general-surgery'"))
        let profile = try annals("profile", "genral-surgery")
        #expect(profile.status == 1)
        #expect(profile.stderr.contains("Did you mean 'general-surgery'"))
    }

    @Test func departmentsListsIdsCampusesAndBothNames() throws {
        let table = try annals("departments")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("general-surgery"))
        #expect(table.stdout.contains("General Surgery Department"))
        #expect(table.stdout.contains("普外科"))
        #expect(table.stdout.contains("binjiang, hubin"))
        #expect(table.stdout.contains("Binjiang Campus"))
        #expect(table.stdout.contains("滨江院区"))
        #expect(table.stdout.contains("3 organisation units"))

        let json = try annals("departments", "--format", "json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let surgery = try #require(rows.first { $0["id"] as? String == "general-surgery" })
        #expect(surgery["nameZH"] as? String == "普外科")
        #expect(surgery["kind"] as? String == "department")
        #expect((surgery["campuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["binjiang", "hubin"])

        let csv = try annals("departments", "--format", "csv")
        #expect(csv.stdout.hasPrefix("id,kind,name,name_zh,parent,campuses\r\n"))
        #expect(
            csv.stdout.contains(
                "general-surgery,department,General Surgery Department,普外科,hospital,binjiang; hubin\r\n"))
    }

    @Test func peopleListsIdsAndFiltersByDepartment() throws {
        let all = try annals("people")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("gao-zhigang"))
        #expect(all.stdout.contains("高志刚"))
        #expect(all.stdout.contains("5 people"))

        let oncology = try annals("people", "--department", "oncology-surgery", "--format", "json")
        #expect(oncology.status == 0, "\(oncology.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(oncology.stdout.utf8)) as? [[String: Any]])
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids.contains("wang-jinhu"))
        #expect(!ids.contains("gao-zhigang"))
        #expect(rows.allSatisfy { ($0["departments"] as? [String])?.contains("oncology-surgery") == true })

        let csv = try annals("people", "--format", "csv")
        #expect(
            csv.stdout.hasPrefix("id,family_name,given_name,name_zh,clinical_rank,academic_title,orcid,departments\r\n")
        )
        #expect(csv.stdout.contains("gao-zhigang,Gao,Zhigang,高志刚,chief-physician,,,general-surgery\r\n"))

        let wrong = try annals("people", "--department", "oncology-surgey")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("Did you mean 'oncology-surgery'"))
    }
}

/// A misspelt command gets a suggestion, as a misspelt option does.
@Suite struct MisspeltCommandTests {
    let folder = TemporaryFolder()

    @Test func aMisspeltCommandGetsASuggestion() throws {
        let result = try AnnalsCommand.run(["publicatons", "--year", "2024"], in: folder.url)
        #expect(result.status == 64)
        #expect(
            result.stderr.contains("Unknown command 'publicatons'. Did you mean 'publications'?"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let swapped = try AnnalsCommand.run(["reprot", "--year", "2024"], in: folder.url)
        #expect(swapped.stderr.contains("Did you mean 'report'?"), "\(swapped.stderr)")
    }

    @Test func aMisspeltImportKindGetsASuggestion() throws {
        let result = try AnnalsCommand.run(["import", "pubmd", "file.xml"], in: folder.url)
        #expect(result.status == 64)
        #expect(
            result.stderr.contains("Unknown command 'pubmd' for 'annals import'. Did you mean 'pubmed'?"),
            "\(result.stderr)")
    }

    @Test func anUnknownCommandListsTheCommands() throws {
        let result = try AnnalsCommand.run(["frobnicate"], in: folder.url)
        #expect(result.status == 64)
        #expect(
            result.stderr.contains("Unknown command 'frobnicate'. The commands are: init, import, export"),
            "\(result.stderr)")
    }

    @Test func helpAndVersionStillWork() throws {
        let help = try AnnalsCommand.run(["help", "cases"], in: folder.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: annals cases"))
        let version = try AnnalsCommand.run(["--version"], in: folder.url)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("annals 0."), "\(version.stdout)")
        #expect(version.stdout.contains("registry XML format 2; reads 1 and 2"))
    }
}
