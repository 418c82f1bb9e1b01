import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsXML
public import Foundation
internal import ZIPFoundation

/// A cell to write.
public enum OutputCell: Sendable, Hashable {
    case text(String)
    case number(Double)
    /// A whole number (written without a decimal point).
    case integer(Int)
    case date(year: Int, month: Int, day: Int)
    case bool(Bool)
    case empty
}

/// A worksheet to write.
public struct OutputSheet: Sendable {
    public var name: String
    public var rows: [[OutputCell]]
    /// The first row is a header: bold, frozen, with an autofilter when `autofilter` is true.
    public var header = true
    public var autofilter = true
    public var hidden = false
    /// Drop-down lists: 1-based column → a range of the workbook (`'选项'!$A$2:$A$8`).
    public var validations: [Int: String] = [:]
    /// Columns formatted as dates even where empty (template rows), 1-based.
    public var dateColumns: Set<Int> = []
    /// Empty rows formatted for entry below the header (templates).
    public var blankRows = 0

    public init(name: String, rows: [[OutputCell]]) {
        self.name = name
        self.rows = rows
    }
}

/// Writes .xlsx workbooks: SpreadsheetML through AnnalsXML's writer, zipped with ZIPFoundation.
///
/// Text is written as inline strings, so no cell is ever a formula; a text that Excel would take for one
/// if a person edited the cell (`=…`, `+…`, `@…`) gets Excel's quote prefix (the `'` Excel shows and never
/// stores), the .xlsx form of ``SpreadsheetCell``'s rule. Numbers are numbers, dates are date serials
/// with a date format, the header row is frozen and filtered, and column widths count a Chinese
/// character as two.
public enum XLSXWriter {
    /// Style indexes of styles.xml below.
    enum Style: Int {
        case plain = 0
        case header = 1
        case date = 2
        case quoted = 3
        case decimal = 4
    }

    /// The workbook's bytes.
    public static func data(_ sheets: [OutputSheet]) throws -> Data {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else {
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "could not start the .xlsx archive"))
        }
        func add(_ path: String, _ data: Data) throws {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        try add("[Content_Types].xml", contentTypes(sheets.count))
        try add(
            "_rels/.rels",
            xml { w in
                try w.startElement("Relationships")
                try w.defaultNamespace("http://schemas.openxmlformats.org/package/2006/relationships")
                try relationship(
                    w, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                    "xl/workbook.xml")
                try w.endElement()
            })
        try add("xl/workbook.xml", workbook(sheets))
        try add(
            "xl/_rels/workbook.xml.rels",
            xml { w in
                try w.startElement("Relationships")
                try w.defaultNamespace("http://schemas.openxmlformats.org/package/2006/relationships")
                for index in sheets.indices {
                    try relationship(
                        w, "rId\(index + 1)",
                        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet",
                        "worksheets/sheet\(index + 1).xml")
                }
                try relationship(
                    w, "rId\(sheets.count + 1)",
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml")
                try w.endElement()
            })
        try add("xl/styles.xml", styles())
        for (index, sheet) in sheets.enumerated() {
            try add("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet))
        }
        guard let data = archive.data else {
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "could not finish the .xlsx archive"))
        }
        return data
    }

    static func xml(_ body: (XMLStreamWriter) throws -> Void) throws -> Data {
        var data = Data()
        let w = try XMLStreamWriter(indented: false) { data.append(contentsOf: $0) }
        try w.startDocument()
        try body(w)
        try w.endDocument()
        return data
    }

    static func relationship(_ w: XMLStreamWriter, _ id: String, _ type: String, _ target: String) throws {
        try w.element("Relationship", nil, attributes: ["Id": id, "Type": type, "Target": target])
    }

    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func contentTypes(_ count: Int) throws -> Data {
        try xml { w in
            try w.startElement("Types")
            try w.defaultNamespace("http://schemas.openxmlformats.org/package/2006/content-types")
            try w.element(
                "Default", nil,
                attributes: [
                    "Extension": "rels", "ContentType": "application/vnd.openxmlformats-package.relationships+xml",
                ])
            try w.element("Default", nil, attributes: ["Extension": "xml", "ContentType": "application/xml"])
            try w.element(
                "Override", nil,
                attributes: [
                    "PartName": "/xl/workbook.xml",
                    "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                ])
            try w.element(
                "Override", nil,
                attributes: [
                    "PartName": "/xl/styles.xml",
                    "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
                ])
            for index in 1...max(count, 1) where index <= count {
                try w.element(
                    "Override", nil,
                    attributes: [
                        "PartName": "/xl/worksheets/sheet\(index).xml",
                        "ContentType": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                    ])
            }
            try w.endElement()
        }
    }

    static func workbook(_ sheets: [OutputSheet]) throws -> Data {
        try xml { w in
            try w.startElement("workbook")
            try w.defaultNamespace(main)
            try w.attribute("xmlns:r", relationships)
            try w.startElement("bookViews")
            let active = sheets.firstIndex { !$0.hidden } ?? 0
            try w.element("workbookView", nil, attributes: ["activeTab": String(active)])
            try w.endElement()
            try w.startElement("sheets")
            for (index, sheet) in sheets.enumerated() {
                try w.element(
                    "sheet", nil,
                    attributes: [
                        "name": sheet.name, "sheetId": String(index + 1), "state": sheet.hidden ? "hidden" : nil,
                        "r:id": "rId\(index + 1)",
                    ])
            }
            try w.endElement()
            let filtered = sheets.enumerated().filter {
                $0.element.header && $0.element.autofilter && !$0.element.rows.isEmpty
            }
            if !filtered.isEmpty {
                try w.startElement("definedNames")
                for (index, sheet) in filtered {
                    try w.element(
                        "definedName", "\(quotedSheet(sheet.name))!\(filterRange(sheet, absolute: true))",
                        attributes: ["name": "_xlnm._FilterDatabase", "localSheetId": String(index), "hidden": "1"])
                }
                try w.endElement()
            }
            try w.endElement()
        }
    }

    /// `'2024年 论文'`: a sheet name quoted for a formula.
    public static func quotedSheet(_ name: String) -> String {
        "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func columnCount(_ sheet: OutputSheet) -> Int { sheet.rows.map(\.count).max() ?? 0 }

    static func filterRange(_ sheet: OutputSheet, absolute: Bool) -> String {
        let last = CellReference.letters(max(columnCount(sheet), 1))
        let rows = max(sheet.rows.count + sheet.blankRows, 1)
        return absolute ? "$A$1:$\(last)$\(rows)" : "A1:\(last)\(rows)"
    }

    static func styles() throws -> Data {
        try xml { w in
            try w.startElement("styleSheet")
            try w.defaultNamespace(main)
            try w.startElement("numFmts")
            try w.attribute("count", "1")
            try w.element("numFmt", nil, attributes: ["numFmtId": "164", "formatCode": "yyyy-mm-dd"])
            try w.endElement()
            try w.startElement("fonts")
            try w.attribute("count", "2")
            for bold in [false, true] {
                try w.startElement("font")
                if bold { try w.element("b", nil, attributes: ["val": "1"]) }
                try w.element("sz", nil, attributes: ["val": "11"])
                try w.element("name", nil, attributes: ["val": "等线"])
                try w.element("charset", nil, attributes: ["val": "134"])
                try w.endElement()
            }
            try w.endElement()
            try w.startElement("fills")
            try w.attribute("count", "3")
            try w.startElement("fill")
            try w.element("patternFill", nil, attributes: ["patternType": "none"])
            try w.endElement()
            try w.startElement("fill")
            try w.element("patternFill", nil, attributes: ["patternType": "gray125"])
            try w.endElement()
            try w.startElement("fill")
            try w.startElement("patternFill")
            try w.attribute("patternType", "solid")
            try w.element("fgColor", nil, attributes: ["rgb": "FFDDEBF7"])
            try w.endElement()
            try w.endElement()
            try w.endElement()
            try w.startElement("borders")
            try w.attribute("count", "1")
            try w.startElement("border")
            for side in ["left", "right", "top", "bottom", "diagonal"] {
                try w.startElement(side)
                try w.endElement()
            }
            try w.endElement()
            try w.endElement()
            try w.startElement("cellStyleXfs")
            try w.attribute("count", "1")
            try w.element("xf", nil, attributes: ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0"])
            try w.endElement()
            try w.startElement("cellXfs")
            try w.attribute("count", "5")
            try w.element(
                "xf", nil, attributes: ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"])
            try w.element(
                "xf", nil,
                attributes: [
                    "numFmtId": "0", "fontId": "1", "fillId": "2", "borderId": "0", "xfId": "0", "applyFont": "1",
                    "applyFill": "1",
                ])
            try w.element(
                "xf", nil,
                attributes: [
                    "numFmtId": "164", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0",
                    "applyNumberFormat": "1",
                ])
            try w.element(
                "xf", nil,
                attributes: [
                    "numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0", "quotePrefix": "1",
                ])
            try w.element(
                "xf", nil, attributes: ["numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"])
            try w.endElement()
            try w.endElement()
        }
    }

    /// Display width of `text` in Excel's character units: a CJK character counts two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }

    static func worksheet(_ sheet: OutputSheet) throws -> Data {
        try xml { w in
            try w.startElement("worksheet")
            try w.defaultNamespace(main)
            try w.attribute("xmlns:r", relationships)
            try w.startElement("sheetViews")
            try w.startElement("sheetView")
            try w.attribute("workbookViewId", "0")
            if sheet.header && !sheet.rows.isEmpty {
                try w.element(
                    "pane", nil,
                    attributes: ["ySplit": "1", "topLeftCell": "A2", "activePane": "bottomLeft", "state": "frozen"])
                try w.element("selection", nil, attributes: ["pane": "bottomLeft", "activeCell": "A2", "sqref": "A2"])
            }
            try w.endElement()
            try w.endElement()
            let columns = columnCount(sheet)
            if columns > 0 {
                try w.startElement("cols")
                for column in 0..<columns {
                    var widest = 6
                    for row in sheet.rows.prefix(1000) where column < row.count {
                        let shown: String
                        switch row[column] {
                        case .text(let t):
                            shown =
                                t.split(separator: "\n").max { width(String($0)) < width(String($1)) }.map(String.init)
                                ?? ""
                        case .number(let n): shown = String(n)
                        case .integer(let n): shown = String(n)
                        case .date: shown = "2024-01-01"
                        case .bool: shown = "FALSE"
                        case .empty: shown = ""
                        }
                        widest = max(widest, width(shown) + (sheet.header && row == sheet.rows.first ? 4 : 2))
                    }
                    if sheet.dateColumns.contains(column + 1) { widest = max(widest, 12) }
                    try w.element(
                        "col", nil,
                        attributes: [
                            "min": String(column + 1), "max": String(column + 1), "width": String(min(widest, 60)),
                            "customWidth": "1",
                            "style": sheet.dateColumns.contains(column + 1) ? String(Style.date.rawValue) : nil,
                        ])
                }
                try w.endElement()
            }
            try w.startElement("sheetData")
            for (index, row) in sheet.rows.enumerated() {
                let number = index + 1
                try w.startElement("row")
                try w.attribute("r", String(number))
                for (c, cell) in row.enumerated() {
                    let reference = CellReference(column: c + 1, row: number).description
                    let isHeader = sheet.header && index == 0
                    try write(cell, at: reference, header: isHeader, dateColumn: sheet.dateColumns.contains(c + 1), w)
                }
                try w.endElement()
            }
            try w.endElement()
            if sheet.header && sheet.autofilter && !sheet.rows.isEmpty {
                try w.element("autoFilter", nil, attributes: ["ref": filterRange(sheet, absolute: false)])
            }
            if !sheet.validations.isEmpty {
                let last = max(sheet.rows.count + sheet.blankRows, 2)
                try w.startElement("dataValidations")
                try w.attribute("count", String(sheet.validations.count))
                for (column, range) in sheet.validations.sorted(by: { $0.key < $1.key }) {
                    let letters = CellReference.letters(column)
                    try w.startElement("dataValidation")
                    try w.attribute("type", "list")
                    try w.attribute("allowBlank", "1")
                    try w.attribute("showErrorMessage", "1")
                    try w.attribute("errorTitle", "Annals")
                    try w.attribute("error", "请从下拉列表中选择 / Pick a value from the list")
                    try w.attribute("sqref", "\(letters)2:\(letters)\(last)")
                    try w.element("formula1", range)
                    try w.endElement()
                }
                try w.endElement()
            }
            try w.element(
                "pageMargins", nil,
                attributes: [
                    "left": "0.7", "right": "0.7", "top": "0.75", "bottom": "0.75", "header": "0.3", "footer": "0.3",
                ])
            try w.element("pageSetup", nil, attributes: ["paperSize": "9", "orientation": "landscape"])
            try w.endElement()
        }
    }

    static func write(_ cell: OutputCell, at reference: String, header: Bool, dateColumn: Bool, _ w: XMLStreamWriter)
        throws
    {
        switch cell {
        case .empty:
            if dateColumn && !header { try value(reference, String(Style.date.rawValue), nil, nil, w) }
        case .text(let text):
            try w.startElement("c")
            try w.attribute("r", reference)
            let style: Style = header ? .header : (SpreadsheetCell.needsQuote(text) ? .quoted : .plain)
            if style != .plain { try w.attribute("s", String(style.rawValue)) }
            try w.attribute("t", "inlineStr")
            try w.startElement("is")
            try w.startElement("t")
            if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
                try w.attribute("xml:space", "preserve")
            }
            try w.text(escapeControls(text))
            try w.endElement()
            try w.endElement()
            try w.endElement()
        case .number(let n):
            try value(reference, nil, nil, shortest(n), w)
        case .integer(let n):
            try value(reference, nil, nil, String(n), w)
        case .date(let y, let m, let d):
            try value(
                reference, String(Style.date.rawValue), nil, String(SpreadsheetDates.serial(year: y, month: m, day: d)),
                w)
        case .bool(let b):
            try value(reference, nil, "b", b ? "1" : "0", w)
        }
    }

    static func value(_ reference: String, _ style: String?, _ type: String?, _ text: String?, _ w: XMLStreamWriter)
        throws
    {
        try w.startElement("c")
        try w.attribute("r", reference)
        try w.attribute("s", style)
        try w.attribute("t", type)
        if let text { try w.element("v", text) }
        try w.endElement()
    }

    /// The shortest text that reads back as `n` (`3.2`, not `3.2000000000000002`).
    static func shortest(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int(n)) }
        return "\(n)"
    }

    /// Control characters XML 1.0 cannot hold, as Office's `_xHHHH_` escapes (and `_x` itself escaped).
    static func escapeControls(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r" {
                result += String(format: "_x%04X_", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
