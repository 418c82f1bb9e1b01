import AnnalsDiagnostics
import AnnalsXML
public import Foundation

/// What one cell holds, as the spreadsheet meant it.
public enum CellValue: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    /// A number, with the text the file wrote (so `0.1` stays `0.1`, not 0.1000000000000000055).
    case number(Double, written: String)
    /// A number shown as a date by its style.
    case date(SpreadsheetDate)
    case bool(Bool)
    /// An error value such as `#N/A` or `#DIV/0!` (a formula's cached result).
    case error(String)

    /// The value as a person reads it: text as it is, numbers as written, dates as `2024-03-05`.
    public var description: String {
        switch self {
        case .text(let s): s
        case .number(_, let written): written
        case .date(let d): d.description
        case .bool(let b): b ? "TRUE" : "FALSE"
        case .error(let e): e
        }
    }

    /// True for text that is empty or only white space.
    public var isBlank: Bool {
        if case .text(let s) = self { return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        return false
    }
}

/// A cell's place: 1-based column and row.
public struct CellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// Parses `C7` (also `$C$7`); nil for anything else.
    public init?(_ text: String) {
        var letters = 0
        var digits = 0
        var sawDigit = false
        for scalar in text.unicodeScalars where scalar != "$" {
            switch scalar {
            case "A"..."Z", "a"..."z":
                guard !sawDigit else { return nil }
                letters = letters * 26 + Int(scalar.properties.uppercaseMapping.unicodeScalars.first!.value) - 64
            case "0"..."9":
                sawDigit = true
                digits = digits * 10 + Int(scalar.value) - 48
            default: return nil
            }
            if letters > Self.maximumColumn || digits > Self.maximumRow { return nil }
        }
        guard letters > 0, digits > 0 else { return nil }
        column = letters
        row = digits
    }

    /// The last row and column of a worksheet (XFD1048576).
    public static let maximumRow = 1_048_576
    public static let maximumColumn = 16_384

    /// `A`, `Z`, `AA`, … for a 1-based column.
    public static func letters(_ column: Int) -> String {
        var n = column
        var result = ""
        while n > 0 {
            let r = (n - 1) % 26
            result = String(UnicodeScalar(UInt8(65 + r))) + result
            n = (n - 1) / 26
        }
        return result
    }

    public var description: String { Self.letters(column) + String(row) }

    public static func < (a: CellReference, b: CellReference) -> Bool { (a.row, a.column) < (b.row, b.column) }
}

/// One row of a sheet: its non-empty cells by column.
public struct SheetRow: Sendable, Hashable {
    /// 1-based row number, as the spreadsheet shows it.
    public var number: Int
    /// Column → value; empty cells are absent.
    public var cells: [Int: CellValue]

    public subscript(column: Int) -> CellValue? { cells[column] }

    /// True when no cell holds anything but white space.
    public var isEmpty: Bool { cells.values.allSatisfy(\.isBlank) }
}

/// One worksheet: its rows in order (empty rows left out) and its merged ranges.
public struct Sheet: Sendable, Hashable {
    public var name: String
    public var rows: [SheetRow]
    /// Merged ranges, top-left to bottom-right.
    public var merged: [ClosedRange<CellReference>]

    /// The value shown at `reference`: for a cell inside a merged range, the range's top-left value.
    public func value(at reference: CellReference) -> CellValue? {
        if let row = rows.first(where: { $0.number == reference.row }), let v = row.cells[reference.column] { return v }
        for range in merged
        where (range.lowerBound.row...range.upperBound.row).contains(reference.row)
            && (range.lowerBound.column...range.upperBound.column).contains(reference.column)
        {
            return rows.first { $0.number == range.lowerBound.row }?.cells[range.lowerBound.column]
        }
        return nil
    }

    /// Row `number` with the cells of merged ranges that cover it filled in from each range's top-left cell, up
    /// to the last column any row has a cell in (a title merged across the whole row, A1:XFD1, fills the sheet's
    /// columns, not 16,384).
    public func rowFillingMerges(_ number: Int) -> SheetRow {
        var row = rows.first { $0.number == number } ?? SheetRow(number: number, cells: [:])
        let lastColumn = rows.lazy.compactMap { $0.cells.keys.max() }.max() ?? 0
        for range in merged where (range.lowerBound.row...range.upperBound.row).contains(number) {
            guard let value = rows.first(where: { $0.number == range.lowerBound.row })?.cells[range.lowerBound.column]
            else { continue }
            let last = min(range.upperBound.column, lastColumn)
            guard range.lowerBound.column <= last else { continue }
            for column in range.lowerBound.column...last where row.cells[column] == nil {
                row.cells[column] = value
            }
        }
        return row
    }
}

/// A workbook read whole: every worksheet, in the order the workbook lists them.
public struct Workbook: Sendable, Hashable {
    public var sheets: [Sheet]
    /// True for a workbook in the 1904 date system.
    public var uses1904DateSystem: Bool

    public subscript(name: String) -> Sheet? { sheets.first { $0.name == name } }
}

/// Reads .xlsx files (Excel, WPS, LibreOffice, openpyxl and the like): the archive through
/// `OfficePackage` (old .xls, password-protected files and ZIP bombs refused), each XML part streamed
/// through AnnalsXML.
///
/// Sheets are found as Excel finds them, through `workbook.xml` and its relationships, never by
/// guessing `sheet1.xml`. Shared strings keep the text of rich-text runs (not phonetic guides);
/// inline strings are read; a formula cell gives its cached value; a number whose style shows a date
/// (a built-in date format or a custom one) becomes a date in the workbook's date system (1900 or 1904).
public enum XLSXReader {
    /// Reads every worksheet of `file`. Chart sheets and dialog sheets are left out.
    public static func read(file: URL, displayName: String? = nil) throws -> Workbook {
        let name = displayName ?? file.path
        let package = try OfficePackage(file: file, displayName: name, expected: ".xlsx")
        func damaged(_ what: String) -> DiagnosticError {
            OfficePackage.refusal(
                .officeDamaged, name,
                "\(what). The file is not a complete .xlsx workbook: open it in Excel or WPS and save it again as .xlsx."
            )
        }
        func part(_ path: String) throws -> URL? { try package.extract(path) }
        func stream(_ path: String, depth: Int, _ body: (XMLElement) throws -> Void) throws {
            guard let url = try part(path) else { return }
            try XMLStreamReader.read(file: url, displayName: "\(name)[\(path)]", recordDepth: depth, record: body)
        }

        // The package's relationships name the workbook part.
        var workbookPath = "xl/workbook.xml"
        if package.has("_rels/.rels") {
            try stream("_rels/.rels", depth: 1) { r in
                if r.name == "Relationship", r[attribute: "Type"]?.hasSuffix("/officeDocument") == true,
                    let target = r[attribute: "Target"]
                {
                    workbookPath = resolve(target, from: "")
                }
            }
        }
        guard package.has(workbookPath) else {
            if package.has("word/document.xml") {
                throw OfficePackage.refusal(
                    .officeNotOffice, name, "is a Word document, not an Excel workbook. Give the .xlsx file.")
            }
            throw damaged("it has no workbook part (\(workbookPath))")
        }
        let folder = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let relsPath =
            (folder.isEmpty ? "" : folder + "/") + "_rels/"
            + (workbookPath.split(separator: "/").last.map(String.init) ?? "") + ".rels"

        var targets: [String: (type: String, path: String)] = [:]
        var sharedStringsPath: String?
        var stylesPath: String?
        try stream(relsPath, depth: 1) { r in
            guard r.name == "Relationship", let id = r[attribute: "Id"], let type = r[attribute: "Type"],
                let target = r[attribute: "Target"]
            else { return }
            if r[attribute: "TargetMode"] == "External" { return }
            let path = resolve(target, from: folder)
            targets[id] = (type, path)
            if type.hasSuffix("/sharedStrings") { sharedStringsPath = path }
            if type.hasSuffix("/styles") { stylesPath = path }
        }

        var sheetList: [(name: String, path: String)] = []
        var uses1904 = false
        try stream(workbookPath, depth: 1) { element in
            switch element.name {
            case "workbookPr":
                let value = element[attribute: "date1904"]?.lowercased()
                uses1904 = value == "1" || value == "true"
            case "sheets":
                for sheet in element.children("sheet") {
                    guard let sheetName = sheet[attribute: "name"], let id = sheet[attribute: "id"],
                        let target = targets[id]
                    else { continue }
                    guard target.type.hasSuffix("/worksheet") else { continue }  // chartsheet, dialogsheet
                    sheetList.append((sheetName, target.path))
                }
            default: break
            }
        }

        var strings: [String] = []
        if let path = sharedStringsPath {
            try stream(path, depth: 1) { si in
                if si.name == "si" { strings.append(richText(si)) }
            }
        }
        let dateStyles =
            try stylesPath.map { try readDateStyles(stream: { try stream($0, depth: 1, $1) }, path: $0) } ?? []

        var sheets: [Sheet] = []
        for (sheetName, path) in sheetList {
            guard package.has(path) else { throw damaged("its sheet '\(sheetName)' (\(path)) is missing") }
            var rows: [SheetRow] = []
            var merged: [ClosedRange<CellReference>] = []
            var nextRow = 1
            var problem: DiagnosticError?
            try stream(path, depth: 2) { element in
                switch element.name {
                case "row":
                    var number = nextRow
                    if let written = element[attribute: "r"] {
                        // Excel's rows are 1 to 1,048,576; anything else is a damaged file (and r="9223372036854775807"
                        // once overflowed the next row's number).
                        guard let n = Int(written), (1...CellReference.maximumRow).contains(n) else {
                            problem =
                                problem
                                ?? DiagnosticError(
                                    Diagnostic(
                                        .officeDamaged, at: .init(file: name, sheet: sheetName),
                                        message:
                                            "the sheet has a row numbered '\(written)', which no worksheet has (rows are 1 to \(CellReference.maximumRow)); the file is damaged. Save it again from Excel or WPS."
                                    ))
                            return
                        }
                        number = n
                    }
                    nextRow = number + 1
                    var cells: [Int: CellValue] = [:]
                    var nextColumn = 1
                    for c in element.children("c") {
                        let column = c[attribute: "r"].flatMap(CellReference.init)?.column ?? nextColumn
                        nextColumn = column + 1
                        do {
                            if let value = try cellValue(
                                c, strings: strings, dateStyles: dateStyles, uses1904: uses1904)
                            {
                                cells[column] = value
                            }
                        } catch let message as CellProblem {
                            problem =
                                problem
                                ?? DiagnosticError(
                                    Diagnostic(
                                        .officeDamaged,
                                        at: .init(
                                            file: name, sheet: sheetName,
                                            cell: CellReference(column: column, row: number).description),
                                        message: message.text))
                        }
                    }
                    let row = SheetRow(number: number, cells: cells)
                    if !row.isEmpty { rows.append(row) }
                case "mergeCell":
                    let parts = (element[attribute: "ref"] ?? "").split(separator: ":").map(String.init)
                    if parts.count == 2, let a = CellReference(parts[0]), let b = CellReference(parts[1]),
                        a.row <= b.row, a.column <= b.column
                    {
                        merged.append(a...b)
                    }
                default: break
                }
            }
            if let problem { throw problem }
            sheets.append(Sheet(name: sheetName, rows: rows, merged: merged))
        }
        return Workbook(sheets: sheets, uses1904DateSystem: uses1904)
    }

    struct CellProblem: Error { var text: String }

    /// The value of one `<c>` element; nil for an empty cell.
    static func cellValue(_ c: XMLElement, strings: [String], dateStyles: Set<Int>, uses1904: Bool) throws -> CellValue?
    {
        let type = c[attribute: "t"] ?? "n"
        let raw = c.child("v").map { $0.text }
        switch type {
        case "s":
            guard let raw, let index = Int(raw.trimmingCharacters(in: .whitespaces)) else { return nil }
            guard index >= 0, index < strings.count else {
                throw CellProblem(
                    text:
                        "the cell refers to shared string \(index), which the workbook does not have; the file is damaged. Save it again from Excel or WPS."
                )
            }
            return .text(strings[index])
        case "inlineStr":
            return c.child("is").map { .text(richText($0)) }
        case "str":
            return raw.map { .text(decodeEscapes($0)) }
        case "b":
            return raw.map { .bool($0.trimmingCharacters(in: .whitespaces) == "1") }
        case "e":
            return raw.map { .error($0) }
        case "d":
            // ISO 8601 date, written by a few programs (and Excel's Strict files).
            guard let raw else { return nil }
            let parts = raw.prefix(10).split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return .text(raw) }
            return .date(SpreadsheetDate(year: parts[0], month: parts[1], day: parts[2]))
        default:
            guard let raw else { return nil }
            let written = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let number = Double(written) else {
                throw CellProblem(
                    text:
                        "the cell holds '\(written)' as a number, which it is not; the file is damaged. Save it again from Excel or WPS."
                )
            }
            if let style = c[attribute: "s"].flatMap(Int.init), dateStyles.contains(style),
                let date = SpreadsheetDates.date(serial: number, system1904: uses1904)
            {
                return .date(date)
            }
            return .number(number, written: written)
        }
    }

    /// The text of a shared string or an inline string: plain `<t>`, or the `<t>` of each rich-text run
    /// `<r>`, in order; phonetic guides (`<rPh>`) are not text of the cell.
    static func richText(_ element: XMLElement) -> String {
        var result = ""
        for child in element.elements {
            switch child.name {
            case "t": result += child.text
            case "r": result += child.children("t").map(\.text).joined()
            default: break
            }
        }
        return decodeEscapes(result)
    }

    /// Office escapes characters XML cannot hold as `_xHHHH_` (`_x000D_` for a carriage return).
    static func decodeEscapes(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "_x") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let value = UInt32(hex, radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                result.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                result += "_x"
                rest = after
            }
        }
        return result + rest
    }

    /// The indexes of the cell styles (`cellXfs`) whose number format shows a date.
    static func readDateStyles(stream: (String, (XMLElement) throws -> Void) throws -> Void, path: String) throws
        -> Set<Int>
    {
        var custom: [Int: String] = [:]
        var formats: [Int] = []
        try stream(path) { element in
            switch element.name {
            case "numFmts":
                for f in element.children("numFmt") {
                    if let id = f[attribute: "numFmtId"].flatMap(Int.init) {
                        custom[id] = f[attribute: "formatCode"] ?? ""
                    }
                }
            case "cellXfs":
                formats = element.children("xf").map { $0[attribute: "numFmtId"].flatMap(Int.init) ?? 0 }
            default: break
            }
        }
        var result: Set<Int> = []
        for (index, id) in formats.enumerated() {
            if let code = custom[id] {
                if SpreadsheetDates.isDateFormat(code) { result.insert(index) }
            } else if SpreadsheetDates.builtInDateFormats.contains(id) {
                result.insert(index)
            }
        }
        return result
    }

    /// A relationship target as a path inside the archive: `worksheets/sheet1.xml` from `xl` is
    /// `xl/worksheets/sheet1.xml`; `/xl/worksheets/sheet1.xml` is absolute; `..` steps up.
    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(piece)
        }
        return parts.joined(separator: "/")
    }
}
