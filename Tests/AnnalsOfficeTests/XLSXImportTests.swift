import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsOffice

/// Imports workbooks in one transaction, as `annals import xlsx` does.
func importWorkbooks(_ urls: [URL], into store: RegistryStore) throws -> ImportReport {
    try store.write { tx in
        try XLSXImport.read(files: urls.map { ($0, $0.lastPathComponent) }, registry: tx).apply(to: tx)
    }
}

/// A workbook written by Annals' own writer from plain rows (header first).
func workbook(_ folder: TemporaryFolder, _ name: String, sheet: String = "Sheet1", _ rows: [[OutputCell]]) throws -> URL
{
    let url = folder.url.appendingPathComponent(name)
    var output = OutputSheet(name: sheet, rows: rows)
    output.autofilter = false
    try XLSXWriter.data([output]).write(to: url)
    return url
}

@Suite(.serialized) struct XLSXImportTests {
    @Test func projectsInChineseAnyColumnOrderAreImportedAndReimportingChangesNothing() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let url = try workbook(
            folder, "projects.xlsx", sheet: "项目",
            [
                [
                    .text("级别"), .text("项目名称"), .text("状态"), .text("资助机构"), .text("负责人"), .text("科室"), .text("开始日期"),
                    .text("经费"),
                ],
                [
                    .text("国家级"), .text("胆道闭锁研究"), .text("在研"), .text("国家自然科学基金委员会"), .text("高志刚"), .text("普外科"),
                    .date(year: 2022, month: 1, day: 1), .number(550000),
                ],
            ])
        let first = try importWorkbooks([url], into: store)
        #expect(first.outcomes[.project]?[.inserted] == 1)
        let projects = try store.read { try $0.projects() }.filter { $0.title == "胆道闭锁研究" }
        #expect(projects.count == 1)
        #expect(projects.first?.principalInvestigatorID == "gao-zhigang")
        #expect(projects.first?.departments == [.init(departmentID: "general-surgery", role: .lead)])
        #expect(projects.first?.start?.description == "2022-01-01")
        #expect(projects.first?.amount?.amount.text == "550000")
        #expect(projects.first?.level == .national)
        let again = try importWorkbooks([url], into: store)
        #expect(again.outcomes[.project]?[.unchanged] == 1)
        #expect(again.count(.inserted) == 0)
    }

    @Test func aCorrectedRowWithItsIdIsACorrection() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let header: [OutputCell] = [.text("id"), .text("name"), .text("level"), .text("year"), .text("departments")]
        let first = try workbook(
            folder, "a.xlsx",
            [
                header,
                [
                    .text("award-x"), .text("Science award"), .text("provincial"), .integer(2023),
                    .text("general-surgery"),
                ],
            ])
        _ = try importWorkbooks([first], into: store)
        let corrected = try workbook(
            folder, "b.xlsx",
            [
                header,
                [
                    .text("award-x"), .text("Science award"), .text("national"), .integer(2023),
                    .text("general-surgery"),
                ],
            ])
        let report = try importWorkbooks([corrected], into: store)
        #expect(report.outcomes[.award]?[.updated] == 1)
        #expect(try store.read { try $0.awards() }.first { $0.id == "award-x" }?.level == .national)
    }

    @Test func badCellsAreNamedBySheetCellAndHeaderAndNothingIsWritten() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let before = try store.read { try $0.counts() }
        let url = try workbook(
            folder, "bad.xlsx", sheet: "专利",
            [
                [.text("专利名称"), .text("专利类型"), .text("状态"), .text("申请日期"), .text("科室")],
                [.text("一种穿刺器"), .text("实用新型"), .text("已授权"), .date(year: 2023, month: 2, day: 1), .text("普外科")],
                [.text("另一种穿刺器"), .text("发明"), .text("快授权了"), .text("2023年13月"), .text("外科")],
            ])
        #expect {
            _ = try importWorkbooks([url], into: store)
        } throws: { error in
            let diagnostics = (error as? DiagnosticError)?.diagnostics ?? []
            let text = diagnostics.map(\.description)
            return text.contains { $0.hasPrefix("bad.xlsx:专利!C3: error: (状态) '快授权了' is not one of") }
                && text.contains { $0.hasPrefix("bad.xlsx:专利!D3: error: (申请日期) '2023年13月' is not a date") }
                && text.contains { $0.hasPrefix("bad.xlsx:专利!E3: error: (科室) no department '外科'") }
        }
        #expect(try store.read { try $0.counts() } == before)
    }

    @Test func tallySheetsGoThroughTheTallyImportAndItsProblemsPointAtCells() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        // The LibreOffice fixture's header (术式, 开始, 例数, 合计, 备注) lacks 科室 and 结束: not a tally table.
        let libre = XLSXReaderTests.fixtures.appendingPathComponent("libreoffice-tallies.xlsx")
        #expect(throws: DiagnosticError.self) { _ = try importWorkbooks([libre], into: store) }
        let url = try workbook(
            folder, "tallies.xlsx", sheet: "手术例数",
            [
                [.text("术式"), .text("入路"), .text("科室"), .text("开始"), .text("结束"), .text("例数")],
                [
                    .text("胆总管囊肿切除术"), .text("腹腔镜"), .text("普外科"), .date(year: 2024, month: 1, day: 1),
                    .date(year: 2024, month: 6, day: 30), .integer(41),
                ],
                [
                    .text("没有的术式"), .text("开放"), .text("普外科"), .date(year: 2024, month: 1, day: 1),
                    .date(year: 2024, month: 6, day: 30), .integer(3),
                ],
            ])
        #expect {
            _ = try importWorkbooks([url], into: store)
        } throws: { error in
            let d = (error as? DiagnosticError)?.diagnostics ?? []
            return d.count == 1 && d[0].location.cell == "A3" && d[0].location.sheet == "手术例数"
                && d[0].message.hasPrefix("(术式)")
        }
        // The samples count 2024's laparoscopic choledochal cyst excisions per campus: a tally for all campuses
        // would count them twice, and is refused at its row.
        let overlapping = try workbook(
            folder, "overlap.xlsx", sheet: "手术例数",
            [
                [.text("术式"), .text("入路"), .text("科室"), .text("开始"), .text("结束"), .text("例数")],
                [
                    .text("胆总管囊肿切除术"), .text("腹腔镜"), .text("普外科"), .date(year: 2024, month: 1, day: 1),
                    .date(year: 2024, month: 6, day: 30), .integer(41),
                ],
            ])
        #expect {
            _ = try importWorkbooks([overlapping], into: store)
        } throws: { error in
            let d = (error as? DiagnosticError)?.diagnostics ?? []
            return !d.isEmpty
                && d.allSatisfy {
                    $0.code == .tallyOverlap && $0.location.cell == "A2" && $0.message.contains("counted twice")
                }
        }
        let good = try workbook(
            folder, "good.xlsx", sheet: "手术例数",
            [
                [.text("术式"), .text("入路"), .text("科室"), .text("开始"), .text("结束"), .text("例数")],
                [
                    .text("肠粘连松解术"), .text("腹腔镜"), .text("普外科"), .date(year: 2024, month: 1, day: 1),
                    .date(year: 2024, month: 6, day: 30), .integer(41),
                ],
            ])
        #expect(try importWorkbooks([good], into: store).outcomes[.tally]?[.inserted] == 1)
        #expect(try importWorkbooks([good], into: store).outcomes[.tally]?[.unchanged] == 1)
    }

    @Test func aStaffCensusWithANegativeCountIsRefusedAtItsCell() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let url = try workbook(
            folder, "staff.xlsx", sheet: "人员统计",
            [
                [.text("科室"), .text("类别"), .text("人数"), .text("统计日期")],
                [.text("普外科"), .text("护士"), .integer(-3), .date(year: 2025, month: 12, day: 31)],
                [.text("普外科"), .text("主任医师"), .integer(4), .date(year: 2025, month: 12, day: 31)],
            ])
        #expect {
            _ = try importWorkbooks([url], into: store)
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.map(\.description) == [
                "staff.xlsx:人员统计!C2: error: (人数) -3 is not a head count; write a number from 0 to 2,147,483,647"
            ]
        }
    }

    /// A rule only the registry schema checks (an ISSN's form) is reported at the cell it came from, through
    /// the registry import's own diagnostics.
    @Test func registrySchemaProblemsAreMappedBackToTheirCells() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let url = try workbook(
            folder, "papers.xlsx", sheet: "论文",
            [
                [.text("题目"), .text("作者"), .text("期刊"), .text("ISSN"), .text("DOI"), .text("PMID")],
                [.text("A paper"), .text("高志刚"), .text("J Pediatr Surg"), .text("0022-34"), .text("10.1/x"), .empty],
                [.text("Another"), .text("高志刚"), .empty, .empty, .text("doi:10.1/y"), .text("abc")],
            ])
        #expect {
            _ = try importWorkbooks([url], into: store)
        } throws: { error in
            let text = (error as? DiagnosticError)?.diagnostics.map(\.description) ?? []
            return text.count == 2
                && text[0].hasPrefix("papers.xlsx:论文!E3: error: (DOI) 'doi:10.1/y' is not a DOI")
                && text[1].hasPrefix("papers.xlsx:论文!F3: error: (PMID) 'abc' is not a PMID")
        }
        let issn = try workbook(
            folder, "issn.xlsx", sheet: "论文",
            [
                [.text("题目"), .text("作者"), .text("期刊"), .text("ISSN")],
                [.text("A paper"), .text("高志刚"), .text("J Pediatr Surg"), .text("0022-34")],
            ])
        #expect {
            _ = try importWorkbooks([issn], into: store)
        } throws: { error in
            let d = (error as? DiagnosticError)?.diagnostics ?? []
            return d.count == 1 && d[0].description.hasPrefix("issn.xlsx:论文!D2: error: (ISSN)")
                && d[0].message.contains("0022-34")
        }
    }

    @Test func aMergedTwoRowHeaderIsFoundBelowATitleRow() throws {
        let book = try XLSXReader.read(file: XLSXReaderTests.fixtures.appendingPathComponent("openpyxl-papers.xlsx"))
        var problems: [Diagnostic] = []
        let table = SheetTable.find(in: book.sheets[0], file: "openpyxl-papers.xlsx", problems: &problems)
        #expect(table?.kind == .papers)
        #expect(table?.headerRow == 3)
        #expect(table?.positions["title"] == 2)
        #expect(table?.positions["published"] == 3)
        #expect(table?.positions["impact_factor"] == 4)
        #expect(table?.rows.map(\.number) == [4, 6])
    }

    @Test func aWorkbookWithNoKnownHeaderIsRefusedWithAHint() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let url = try workbook(folder, "other.xlsx", [[.text("foo"), .text("bar")], [.integer(1), .integer(2)]])
        #expect {
            _ = try importWorkbooks([url], into: store)
        } throws: { error in
            (error as? DiagnosticError)?.code == .sheetNoTable
        }
    }
}

@Suite(.serialized) struct XLSXExportReimportTests {
    /// An export read back changes nothing, for every kind: the sheet's columns are compared with the
    /// registry's record, and what a sheet does not show (affiliations, persons, roles) is kept.
    @Test func everyExportImportedBackChangesNothing() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        for kind in SheetKind.allCases {
            for language in SheetLanguage.allCases {
                let url = folder.url.appendingPathComponent("\(kind)-\(language).xlsx")
                try store.read { try OfficeTables.export(kind, from: $0, selection: .init(), language: language) }
                    .write(to: url)
                let report = try importWorkbooks([url], into: store)
                #expect(report.count(.inserted) == 0 && report.count(.updated) == 0, "\(kind) \(language): \(report)")
                #expect(report.count(.unchanged) > 0, "\(kind) \(language): \(report)")
            }
        }
    }

    @Test func aPaperCorrectedInItsExportKeepsWhatTheSheetDoesNotShow() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        var before: [String: Publication] = [:]
        try store.read { try $0.forEachPublication { before[$0.id] = $0 } }
        let sheet = try store.read { try OfficeTables.sheet(.papers, from: $0, selection: .init(), language: .zh) }
        let volume = sheet.rows[0].firstIndex(of: .text("卷"))!
        var rows = sheet.rows
        rows[1][volume] = .text("999")
        let id: String = { if case .text(let id) = rows[1][1] { return id } else { return "" } }()
        let url = try workbook(folder, "corrected.xlsx", sheet: "论文", rows)
        let report = try importWorkbooks([url], into: store)
        #expect(report.outcomes[.publication]?[.updated] == 1)
        let after = try #require(
            try store.read { r in
                var found: Publication?
                try r.forEachPublication { if $0.id == id { found = $0 } }
                return found
            })
        var expected = try #require(before[id])
        expected.volume = "999"
        #expect(after == expected)
    }
}
