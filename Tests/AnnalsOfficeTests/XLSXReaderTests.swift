import AnnalsDiagnostics
import Foundation
import Testing

@testable import AnnalsOffice

/// The fixtures in Fixtures/ (README.md there says where each comes from), each read exactly.
@Suite(.serialized) struct XLSXReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func read(_ name: String) throws -> Workbook {
        try XLSXReader.read(file: fixtures.appendingPathComponent(name), displayName: name)
    }

    /// Every non-empty cell of a sheet as `A1=value`, in order.
    static func cells(_ sheet: Sheet) -> [String] {
        sheet.rows.flatMap { row in
            row.cells.keys.sorted().map { "\(CellReference(column: $0, row: row.number))=\(row.cells[$0]!)" }
        }
    }

    static func refusal(_ name: String) -> Diagnostic? {
        do {
            _ = try read(name)
            return nil
        } catch let error as DiagnosticError {
            return error.diagnostics.first
        } catch {
            return nil
        }
    }

    @Test func openpyxlPaperListWithMergedTwoRowHeaderCustomChineseDateFormatAndEmptyRows() throws {
        let book = try Self.read("openpyxl-papers.xlsx")
        #expect(book.sheets.map(\.name) == ["2024年SCI论文", "说明"])
        #expect(!book.uses1904DateSystem)
        let sheet = book.sheets[0]
        #expect(
            Self.cells(sheet) == [
                "A1=2024年度SCI论文统计表",
                "A2=序号", "B2=论文信息", "D2=影响因子", "E2=SCI",
                "B3=题目", "C3=发表日期",
                "A4=1", "B4=Laparoscopic excision of choledochal cyst in infants", "C4=2024-03-05", "D4=3.2", "E4=TRUE",
                "A6=2", "B6=腹腔镜胆总管囊肿切除术的疗效", "C6=2024-12-31", "D6=2.875", "E6=FALSE",
            ])
        #expect(
            sheet.rows.map(\.number) == [1, 2, 3, 4, 6], "the empty row 5 is left out, the others keep their numbers")
        #expect(sheet.merged.count == 5)
        // The header row 3 seen with its merged cells filled in: 序号 and 影响因子 are merged down into it.
        let header = sheet.rowFillingMerges(3)
        #expect((1...5).map { header[$0]?.description ?? "" } == ["序号", "题目", "发表日期", "影响因子", "SCI"])
        #expect(sheet.value(at: CellReference("E1")!)?.description == "2024年度SCI论文统计表")
        #expect(sheet.rows[3].cells[4] == .number(3.2, written: "3.2"))
        #expect(sheet.rows[3].cells[5] == .bool(true))
        // Built-in formats 14 and 15; 61 is 1 March 1900, the first serial after Excel's 29 February 1900.
        #expect(Self.cells(book.sheets[1]) == ["A1=空行与公式", "A3=42", "A4=1900-03-01", "A5=2025-01-02"])
    }

    @Test func the1904DateSystemOfOldMacWorkbooks() throws {
        let book = try Self.read("openpyxl-1904.xlsx")
        #expect(book.uses1904DateSystem)
        #expect(Self.cells(book.sheets[0]) == ["A1=date", "A2=2024-02-29", "A3=1"])
        let calamine = try Self.read("public/calamine-date_1904.xlsx")
        #expect(calamine.uses1904DateSystem)
        #expect(
            Self.cells(calamine.sheets[0]) == [
                "A1=2021-01-01", "B1=15", "A2=2021-01-02", "B2=16", "A3=1904-01-11T15:10:10", "B3=17",
            ])
    }

    @Test func theBuiltInDateFormatsChineseExcelWrites() throws {
        let book = try Self.read("excel-cjk-builtin-dates.xlsx")
        #expect(Self.cells(book.sheets[0]) == ["A1=开始日期", "A2=2023-07-01", "A3=2023-08-01", "A4=45000"])
    }

    @Test func libreOfficeFormulasGiveTheirCachedValues() throws {
        let book = try Self.read("libreoffice-tallies.xlsx")
        #expect(book.sheets.map(\.name) == ["手术例数"])
        #expect(
            Self.cells(book.sheets[0]) == [
                "A1=术式", "B1=开始", "C1=例数", "D1=合计", "E1=备注",
                "A2=胆总管囊肿切除术", "B2=2024-01-01", "C2=12", "D2=24.5", "E2==HYPERLINK(\"x\")",
                "A5=腹腔镜手术", "B5=1", "C5=#DIV/0!", "D5=12",
            ])
        #expect(book.sheets[0].rows.last?.cells[3] == .error("#DIV/0!"))
    }

    @Test func publicFilesFromCalamine() throws {
        #expect(
            Self.cells(try Self.read("public/calamine-date.xlsx").sheets[0]) == [
                "A1=2021-01-01", "B1=15", "A2=2021-01-02", "B2=16", "A3=1900-01-10T15:10:10", "B3=17",
            ])
        // Phonetic guides (rPh) are not part of the text.
        #expect(Self.cells(try Self.read("public/calamine-rph.xlsx").sheets[0]) == ["A1=課きく\u{3000}毛こ"])
        // _x000D_ is Office's escape for a carriage return.
        #expect(Self.cells(try Self.read("public/calamine-has_x000D_.xlsx").sheets[0]) == ["A1=ABC\r\nDEF"])
        let inline = try Self.read("public/calamine-inlineStr_with_value.xlsx")
        #expect(Self.cells(inline.sheets[0]).prefix(3) == ["A1=NN", "B1=Hierarchy", "D1=Outline Number"])
        #expect(Self.cells(inline.sheets[0]).contains("E2=RQ11610"))
        let merged = try Self.read("public/calamine-merge_cells.xlsx").sheets[0]
        #expect(merged.merged.map { "\($0.lowerBound):\($0.upperBound)" } == ["A1:B1", "A2:A4", "B2:D4"])
        #expect(merged.value(at: CellReference("D4")!)?.description == "Chunk Merged")
        // Prefixed element names (x:row, x:c) and no styles part.
        #expect(
            Self.cells(try Self.read("public/calamine-nonstandard-xml-ns-prefix.xlsx").sheets[0]) == [
                "A1=a", "B1=b", "A2=1", "B2=3", "A3=2", "B3=4",
            ])
        let rich = try Self.read("public/calamine-richtext-namespaced.xlsx")
        #expect(rich.sheets.map(\.name) == ["Sheet1", "Sheet2", "Sheet3"])
        #expect(Self.cells(rich.sheets[0]) == ["A1=inline string\nLine 2\nLine 3", "H1=shared string\nLine 2\nLine 3"])
    }

    @Test func refusesOldPasswordProtectedRenamedAndBombFilesWithClearMessages() throws {
        let old = Self.refusal("libreoffice-old-format.xls")
        #expect(old?.code == .officeOldFormat)
        #expect(old?.message.contains("Excel 97–2003") == true)
        #expect(old?.description.hasPrefix("libreoffice-old-format.xls: error:") == true)
        let locked = Self.refusal("public/calamine-pass_protected.xlsx")
        #expect(locked?.code == .officeEncrypted)
        #expect(locked?.message.contains("password") == true)
        #expect(Self.refusal("renamed-csv.xlsx")?.code == .officeNotOffice)
        let bomb = Self.refusal("zip-bomb.xlsx")
        #expect(bomb?.code == .officeTooLarge)
        #expect(bomb?.message.contains("ZIP bomb") == true)
        let lying = Self.refusal("lying-size.xlsx")
        #expect(lying?.code == .officeTooLarge)
        #expect(lying?.message.contains("holds more than it declares") == true)
        #expect(Self.refusal("no-such-file.xlsx")?.code == .fileMissing)
    }

    @Test func dateFormatsAndSerials() {
        #expect(SpreadsheetDates.isDateFormat("yyyy\"年\"m\"月\"d\"日\""))
        #expect(SpreadsheetDates.isDateFormat("[$-F800]dddd, mmmm dd, yyyy"))
        #expect(SpreadsheetDates.isDateFormat("[h]:mm:ss"))
        #expect(SpreadsheetDates.isDateFormat("[DBNum1][$-804]yyyy\"年\"m\"月\""))
        #expect(!SpreadsheetDates.isDateFormat("General"))
        #expect(!SpreadsheetDates.isDateFormat("0.00%"))
        #expect(!SpreadsheetDates.isDateFormat("#,##0\" 元\""))
        #expect(!SpreadsheetDates.isDateFormat("[Red]0.00"))
        #expect(SpreadsheetDates.date(serial: 1, system1904: false)?.description == "1900-01-01")
        #expect(SpreadsheetDates.date(serial: 59, system1904: false)?.description == "1900-02-28")
        #expect(SpreadsheetDates.date(serial: 61, system1904: false)?.description == "1900-03-01")
        #expect(SpreadsheetDates.date(serial: 45_292, system1904: false)?.description == "2024-01-01")
        #expect(SpreadsheetDates.date(serial: 0, system1904: true)?.description == "1904-01-01")
        #expect(SpreadsheetDates.date(serial: 45_292.5, system1904: false)?.description == "2024-01-01T12:00:00")
        #expect(SpreadsheetDates.serial(year: 2024, month: 1, day: 1) == 45_292)
        #expect(SpreadsheetDates.serial(year: 1900, month: 1, day: 1) == 1)
        #expect(CellReference("AA10") == CellReference(column: 27, row: 10))
        #expect(CellReference.letters(703) == "AAA")
    }
}
