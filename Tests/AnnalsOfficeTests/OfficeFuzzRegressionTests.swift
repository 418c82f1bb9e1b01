import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsOffice

/// What the `xlsx` and `values` fuzz targets found (scripts/fuzz.sh, docs/fuzzing.md), each with the input in
/// `Fixtures/fuzz-regressions/TARGET/` (also seeds of every campaign, so a problem coming back is found at once).
@Suite(.serialized) struct OfficeFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions")

    /// A workbook whose title is merged across the whole sheet (A1:XFD1048576): the header search filled all
    /// 16,384 columns of each of the first ten rows and looked every cell up in every kind's column names,
    /// minutes of work for one sheet (the fuzzer's timeout). The fill now stops at the sheet's last column.
    @Test func aRangeMergedAcrossTheWholeSheetFillsOnlyTheColumnsTheSheetHas() throws {
        let file = Self.folder.appendingPathComponent("xlsx/merged-whole-sheet.xlsx")
        let book = try XLSXReader.read(file: file, displayName: "merged.xlsx")
        let sheet = try #require(book.sheets.first)
        #expect(sheet.merged.contains { $0.upperBound.column == 16_384 }, "the input still merges the whole sheet")
        for row in 1...10 {
            let filled = sheet.rowFillingMerges(row)
            #expect((filled.cells.keys.max() ?? 0) <= 8, "row \(row) is filled only up to column H, the last one used")
        }
        // The header (row 1) is still found, and the merged title fills row 3's empty cells from A1 as before.
        #expect(sheet.rowFillingMerges(3).cells[2] == .text("术式"))
        var problems: [Diagnostic] = []
        let table = try #require(SheetTable.find(in: sheet, file: "merged.xlsx", problems: &problems))
        #expect(table.kind == .tallies)
        #expect(table.headerRow == 1)
        #expect(table.rows.map(\.number) == [2])
    }

    /// The same workbook imported as `annals import xlsx` does: its one tally row is read.
    @Test func aWorkbookMergedAcrossTheWholeSheetIsImported() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let file = Self.folder.appendingPathComponent("xlsx/merged-whole-sheet.xlsx")
        let report = try importWorkbooks([file], into: store)
        #expect(report.outcomes[.tally]?[.inserted] == 1)
    }

    /// Reading a workbook made a scratch folder that only `apply` removed, so every workbook refused (and every
    /// dry run's failure) left an empty folder in the temporary directory; the fuzzer made thousands a minute.
    @Test func readingAWorkbookLeavesNoScratchFolder() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let file = Self.folder.appendingPathComponent("xlsx/merged-whole-sheet.xlsx")
        let read = try store.write { try XLSXImport.read(files: [(file, "merged.xlsx")], registry: $0) }
        #expect(!FileManager.default.fileExists(atPath: read.scratch.path), "reading makes no folder")
        _ = try store.write { try read.apply(to: $0) }
        #expect(!FileManager.default.fileExists(atPath: read.scratch.path), "applying removes the one it makes")
    }

    /// A number too large for an Int (1e20) in a date column crashed the import (Int(n) before the range check in
    /// RowValues.date): now it is a date problem at its cell, like any other text that is not a date.
    @Test func aHugeNumberInADateColumnIsADateProblemAtItsCell() throws {
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let file = Self.folder.appendingPathComponent("xlsx/date-column-huge-number.xlsx")
        do {
            _ = try importWorkbooks([file], into: store)
            Issue.record("a from date of 1e20 was imported")
        } catch let error as DiagnosticError {
            // The row has other problems (no approach); the date's is at its own cell.
            let problem = try #require(error.diagnostics.first { $0.message.contains("1e20") })
            #expect(problem.location.sheet == "手术例数")
            #expect(problem.location.cell == "F2")
            #expect(problem.message.contains("is not a date"))
        }
    }

    /// A row numbered 9223372036854775807 (Int.max) crashed the reader when it worked out the next row's number;
    /// a row number outside 1…1,048,576 is now a damaged file, named with its sheet.
    @Test func aRowNumberNoWorksheetHasIsADamagedFileNamingTheSheet() throws {
        let file = Self.folder.appendingPathComponent("xlsx/row-number-int-max.xlsx")
        do {
            _ = try XLSXReader.read(file: file, displayName: "rows.xlsx")
            Issue.record("a row numbered Int.max was read")
        } catch let error as DiagnosticError {
            let problem = try #require(error.diagnostics.first)
            #expect(problem.code == .officeDamaged)
            #expect(problem.location.file == "rows.xlsx")
            #expect(problem.location.sheet == "手术例数")
            #expect(problem.message.contains("9223372036854775807"))
        }
    }

    /// A truncated workbook whose parts point past the end of the file. Read from its file it is a damaged file;
    /// read through ZIPFoundation's in-memory archive (`Archive(data:)`) it stopped the process (docs/fuzzing.md,
    /// "Why not read workbooks in memory after all"), so this test fails by crashing if that reader comes back.
    @Test func aWorkbookWhosePartsPointPastItsEndIsDamaged() throws {
        let file = Self.folder.appendingPathComponent("xlsx/local-header-past-the-end.xlsx")
        do {
            _ = try XLSXReader.read(file: file, displayName: "truncated.xlsx")
            Issue.record("a workbook whose parts point past its end was read")
        } catch let error as DiagnosticError {
            let problem = try #require(error.diagnostics.first)
            #expect([.officeDamaged, .officeNotOffice].contains(problem.code), "\(problem)")
            #expect(problem.location.file == "truncated.xlsx")
        }
    }
}
