import AnnalsDiagnostics
import AnnalsXML
public import Foundation
internal import ZIPFoundation

/// A document of headings, paragraphs, lists and tables, written as a Word document (.docx).
///
/// WordprocessingML goes through AnnalsXML's writer and is zipped with ZIPFoundation. Headings use Word's
/// built-in styles (`heading 1`, `heading 2`), so Word's navigation pane and table of contents work; tables
/// are real Word tables with a repeated header row; East Asian text is set in 宋体 (headings 黑体) with
/// SimSun/SimHei as alternative names, Latin text in Times New Roman; the page is A4 with page numbers
/// in the footer, and the first page is a title page without one.
public struct WordDocument: Sendable {
    public enum Block: Sendable, Hashable {
        case heading1(String)
        case heading2(String)
        case paragraph(String, italic: Bool = false)
        case bullet(String)
        case numbered(Int, String)
        case table(header: [String], rows: [[String]])
    }

    public var title: String
    public var subtitle: [String]
    /// `zh` or `en`: the document's language, for spelling and for Word's choice of fonts.
    public var language: String
    public var blocks: [Block]

    public init(title: String, subtitle: [String], language: String, blocks: [Block]) {
        self.title = title
        self.subtitle = subtitle
        self.language = language
        self.blocks = blocks
    }

    /// The document from the annual report's Markdown (`ReportRenderer.markdown`), so that the Word
    /// document has the same content and numbers: `#` becomes the title page, `##` Heading 1, `###`
    /// Heading 2, pipe tables Word tables, `- ` bullets, `1. ` numbered lines, `_…_` an italic note.
    public init(reportMarkdown markdown: String, language: String) {
        var title = ""
        var subtitle: [String] = []
        var blocks: [Block] = []
        var table: [[String]] = []
        func flushTable() {
            guard let header = table.first else { return }
            blocks.append(.table(header: header, rows: Array(table.dropFirst())))
            table = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("|") {
                let cells = Self.cells(line)
                if cells.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 == "-" || $0 == ":" } }) { continue }
                table.append(cells.map(Self.unescaped))
                continue
            }
            flushTable()
            if line.isEmpty { continue }
            if line.hasPrefix("# ") {
                title = Self.unescaped(String(line.dropFirst(2)))
            } else if line.hasPrefix("## ") {
                blocks.append(.heading1(Self.unescaped(String(line.dropFirst(3)))))
            } else if line.hasPrefix("### ") {
                blocks.append(.heading2(Self.unescaped(String(line.dropFirst(4)))))
            } else if line.hasPrefix("- ") {
                blocks.append(.bullet(Self.unescaped(String(line.dropFirst(2)))))
            } else if let dot = line.firstIndex(of: "."), let n = Int(line[..<dot]),
                line[line.index(after: dot)...].hasPrefix(" ")
            {
                blocks.append(.numbered(n, Self.unescaped(String(line[line.index(dot, offsetBy: 2)...]))))
            } else if line.count > 2, line.hasPrefix("_"), line.hasSuffix("_"), !line.hasSuffix("\\_") {
                blocks.append(.paragraph(Self.unescaped(String(line.dropFirst().dropLast())), italic: true))
            } else if title.isEmpty == false && blocks.isEmpty {
                subtitle.append(Self.unescaped(line))
            } else {
                blocks.append(.paragraph(Self.unescaped(line)))
            }
        }
        flushTable()
        self.init(title: title, subtitle: subtitle, language: language, blocks: blocks)
    }

    /// The cells of a Markdown table line, `\|` kept inside a cell.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                current.append(character == "|" ? "|" : "\\\(character)")
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }

    /// Markdown text as plain text: backslash escapes and `&lt;`, `&gt;`, `&amp;` undone.
    static func unescaped(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The .docx file's bytes.
    public func data() throws -> Data {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else {
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "could not start the .docx archive"))
        }
        func add(_ path: String, _ data: Data) throws {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        let package = "http://schemas.openxmlformats.org/package/2006/relationships"
        let officeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try add(
            "[Content_Types].xml",
            XLSXWriter.xml { w in
                try w.startElement("Types")
                try w.defaultNamespace("http://schemas.openxmlformats.org/package/2006/content-types")
                try w.element(
                    "Default", nil,
                    attributes: [
                        "Extension": "rels", "ContentType": "application/vnd.openxmlformats-package.relationships+xml",
                    ])
                try w.element("Default", nil, attributes: ["Extension": "xml", "ContentType": "application/xml"])
                let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
                for (part, type) in [
                    ("/word/document.xml", "\(wml).document.main+xml"), ("/word/styles.xml", "\(wml).styles+xml"),
                    ("/word/footer1.xml", "\(wml).footer+xml"), ("/word/fontTable.xml", "\(wml).fontTable+xml"),
                    ("/word/settings.xml", "\(wml).settings+xml"),
                    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                ] {
                    try w.element("Override", nil, attributes: ["PartName": part, "ContentType": type])
                }
                try w.endElement()
            })
        try add(
            "_rels/.rels",
            XLSXWriter.xml { w in
                try w.startElement("Relationships")
                try w.defaultNamespace(package)
                try XLSXWriter.relationship(w, "rId1", "\(officeRel)/officeDocument", "word/document.xml")
                try XLSXWriter.relationship(
                    w, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml")
                try w.endElement()
            })
        try add(
            "docProps/core.xml",
            XLSXWriter.xml { w in
                try w.startElement("cp:coreProperties")
                try w.attribute("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
                try w.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/")
                try w.element("dc:title", title)
                try w.element("dc:language", language == "zh" ? "zh-CN" : "en-GB")
                try w.element("dc:creator", "Annals")
                try w.endElement()
            })
        try add(
            "word/_rels/document.xml.rels",
            XLSXWriter.xml { w in
                try w.startElement("Relationships")
                try w.defaultNamespace(package)
                try XLSXWriter.relationship(w, "rId1", "\(officeRel)/styles", "styles.xml")
                try XLSXWriter.relationship(w, "rId2", "\(officeRel)/footer", "footer1.xml")
                try XLSXWriter.relationship(w, "rId3", "\(officeRel)/fontTable", "fontTable.xml")
                try XLSXWriter.relationship(w, "rId4", "\(officeRel)/settings", "settings.xml")
                try w.endElement()
            })
        try add("word/styles.xml", styles())
        try add("word/fontTable.xml", fontTable())
        try add(
            "word/settings.xml",
            part("w:settings") { w in
                try w.element("w:defaultTabStop", nil, attributes: ["w:val": "420"])
                try w.startElement("w:themeFontLang")
                try w.attribute("w:val", language == "zh" ? "en-US" : "en-GB")
                try w.attribute("w:eastAsia", "zh-CN")
                try w.endElement()
            })
        try add(
            "word/footer1.xml",
            part("w:ftr") { w in
                try w.startElement("w:p")
                try w.startElement("w:pPr")
                try w.element("w:jc", nil, attributes: ["w:val": "center"])
                try w.endElement()
                try run(w, nil, fieldChar: "begin")
                try w.startElement("w:r")
                try w.element("w:instrText", " PAGE ", attributes: ["xml:space": "preserve"])
                try w.endElement()
                try run(w, nil, fieldChar: "separate")
                try run(w, "1")
                try run(w, nil, fieldChar: "end")
                try w.endElement()
            })
        try add("word/document.xml", document())
        guard let data = archive.data else {
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "could not finish the .docx archive"))
        }
        return data
    }

    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    func part(_ root: String, _ body: (XMLStreamWriter) throws -> Void) throws -> Data {
        try XLSXWriter.xml { w in
            try w.startElement(root)
            try w.attribute("xmlns:w", Self.w)
            try w.attribute("xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
            try body(w)
            try w.endElement()
        }
    }

    /// One run: text (spaces kept), or a field character.
    func run(
        _ w: XMLStreamWriter, _ text: String?, bold: Bool = false, italic: Bool = false, size: Int? = nil,
        fieldChar: String? = nil
    ) throws {
        try w.startElement("w:r")
        if bold || italic || size != nil {
            try w.startElement("w:rPr")
            if bold { try w.element("w:b", nil, attributes: ["w:val": "1"]) }
            if italic { try w.element("w:i", nil, attributes: ["w:val": "1"]) }
            if let size { try w.element("w:sz", nil, attributes: ["w:val": String(size)]) }
            try w.endElement()
        }
        if let fieldChar { try w.element("w:fldChar", nil, attributes: ["w:fldCharType": fieldChar]) }
        if let text { try w.element("w:t", text, attributes: ["xml:space": "preserve"]) }
        try w.endElement()
    }

    func paragraph(
        _ w: XMLStreamWriter, _ text: String, style: String? = nil, italic: Bool = false, bold: Bool = false,
        align: String? = nil, indent: Bool = false, pageBreakBefore: Bool = false
    ) throws {
        try w.startElement("w:p")
        if style != nil || align != nil || indent || pageBreakBefore {
            try w.startElement("w:pPr")
            if let style { try w.element("w:pStyle", nil, attributes: ["w:val": style]) }
            if pageBreakBefore { try w.element("w:pageBreakBefore", nil, attributes: ["w:val": "1"]) }
            if indent { try w.element("w:ind", nil, attributes: ["w:left": "420", "w:hanging": "420"]) }
            if let align { try w.element("w:jc", nil, attributes: ["w:val": align]) }
            try w.endElement()
        }
        try run(w, text, bold: bold, italic: italic)
        try w.endElement()
    }

    func document() throws -> Data {
        try part("w:document") { w in
            try w.startElement("w:body")
            // The title page.
            for _ in 0..<6 { try paragraph(w, "") }
            try paragraph(w, title, style: "Title", align: "center")
            for line in subtitle { try paragraph(w, line, style: "Subtitle", align: "center") }
            var first = true
            for block in blocks {
                switch block {
                case .heading1(let text):
                    try paragraph(w, text, style: "Heading1", pageBreakBefore: first)
                    first = false
                case .heading2(let text): try paragraph(w, text, style: "Heading2")
                case .paragraph(let text, let italic): try paragraph(w, text, italic: italic)
                case .bullet(let text): try paragraph(w, "•\t" + text, indent: true)
                case .numbered(let n, let text): try paragraph(w, "\(n).\t" + text, indent: true)
                case .table(let header, let rows): try table(w, header, rows)
                }
            }
            try w.startElement("w:sectPr")
            try w.startElement("w:footerReference")
            try w.attribute("w:type", "default")
            try w.attribute("r:id", "rId2")
            try w.endElement()
            try w.element("w:pgSz", nil, attributes: ["w:w": "11906", "w:h": "16838"])
            try w.element(
                "w:pgMar", nil,
                attributes: [
                    "w:top": "1440", "w:right": "1304", "w:bottom": "1440", "w:left": "1304", "w:header": "851",
                    "w:footer": "992", "w:gutter": "0",
                ])
            try w.element("w:pgNumType", nil, attributes: ["w:start": "0"])
            try w.element("w:titlePg", nil, attributes: ["w:val": "1"])
            try w.endElement()
            try w.endElement()
        }
    }

    func table(_ w: XMLStreamWriter, _ header: [String], _ rows: [[String]]) throws {
        try w.startElement("w:tbl")
        try w.startElement("w:tblPr")
        try w.element("w:tblStyle", nil, attributes: ["w:val": "TableGrid"])
        try w.element("w:tblW", nil, attributes: ["w:w": "5000", "w:type": "pct"])
        try w.element(
            "w:tblLook", nil,
            attributes: [
                "w:val": "04A0", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "1", "w:lastColumn": "0",
                "w:noHBand": "0", "w:noVBand": "1",
            ])
        try w.endElement()
        try w.startElement("w:tblGrid")
        let width = 9298 / max(header.count, 1)
        for _ in header { try w.element("w:gridCol", nil, attributes: ["w:w": String(width)]) }
        try w.endElement()
        for (index, row) in ([header] + rows).enumerated() {
            try w.startElement("w:tr")
            if index == 0 {
                try w.startElement("w:trPr")
                try w.element("w:tblHeader", nil, attributes: ["w:val": "1"])
                try w.endElement()
            }
            for cell in row + Array(repeating: "", count: max(0, header.count - row.count)) {
                try w.startElement("w:tc")
                try w.startElement("w:tcPr")
                try w.element("w:tcW", nil, attributes: ["w:w": String(width), "w:type": "dxa"])
                if index == 0 {
                    try w.element("w:shd", nil, attributes: ["w:val": "clear", "w:color": "auto", "w:fill": "DDEBF7"])
                }
                try w.endElement()
                let numeric = index > 0 && !cell.isEmpty && cell.allSatisfy { "0123456789.,%()—-+≥≤ ".contains($0) }
                try paragraph(w, cell, style: "TableText", bold: index == 0, align: numeric ? "right" : nil)
                try w.endElement()
            }
            try w.endElement()
        }
        try w.endElement()
        try paragraph(w, "")
    }

    func fonts(_ w: XMLStreamWriter, eastAsia: String, latin: String = "Times New Roman") throws {
        try w.element(
            "w:rFonts", nil, attributes: ["w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": eastAsia, "w:cs": latin])
    }

    func styles() throws -> Data {
        try part("w:styles") { w in
            try w.startElement("w:docDefaults")
            try w.startElement("w:rPrDefault")
            try w.startElement("w:rPr")
            try fonts(w, eastAsia: "宋体")
            try w.element("w:sz", nil, attributes: ["w:val": "21"])
            try w.element("w:szCs", nil, attributes: ["w:val": "21"])
            try w.element(
                "w:lang", nil,
                attributes: ["w:val": language == "zh" ? "en-US" : "en-GB", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"])
            try w.endElement()
            try w.endElement()
            try w.startElement("w:pPrDefault")
            try w.startElement("w:pPr")
            try w.element("w:spacing", nil, attributes: ["w:after": "120", "w:line": "300", "w:lineRule": "auto"])
            try w.endElement()
            try w.endElement()
            try w.endElement()
            // Built-in styles, by Word's own names, so that Word treats them as its headings.
            func style(
                _ id: String, _ name: String, outline: Int? = nil, size: Int? = nil, eastAsia: String? = nil,
                bold: Bool = false, center: Bool = false, spacingBefore: Int? = nil, table: Bool = false
            ) throws {
                try w.startElement("w:style")
                try w.attribute("w:type", table ? "table" : "paragraph")
                if id == "Normal" { try w.attribute("w:default", "1") }
                try w.attribute("w:styleId", id)
                try w.element("w:name", nil, attributes: ["w:val": name])
                if id != "Normal" && !table { try w.element("w:basedOn", nil, attributes: ["w:val": "Normal"]) }
                if id.hasPrefix("Heading") || id == "Title" {
                    try w.element("w:next", nil, attributes: ["w:val": "Normal"])
                }
                try w.startElement("w:qFormat")
                try w.endElement()
                if table {
                    try w.startElement("w:tblPr")
                    try w.startElement("w:tblBorders")
                    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                        try w.element(
                            "w:\(side)", nil,
                            attributes: ["w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "auto"])
                    }
                    try w.endElement()
                    try w.startElement("w:tblCellMar")
                    try w.element("w:left", nil, attributes: ["w:w": "108", "w:type": "dxa"])
                    try w.element("w:right", nil, attributes: ["w:w": "108", "w:type": "dxa"])
                    try w.endElement()
                    try w.endElement()
                } else {
                    try w.startElement("w:pPr")
                    if id.hasPrefix("Heading") { try w.element("w:keepNext", nil, attributes: ["w:val": "1"]) }
                    if let spacingBefore {
                        try w.element(
                            "w:spacing", nil, attributes: ["w:before": String(spacingBefore), "w:after": "120"])
                    }
                    if id == "TableText" {
                        try w.element("w:spacing", nil, attributes: ["w:before": "0", "w:after": "0"])
                    }
                    if center { try w.element("w:jc", nil, attributes: ["w:val": "center"]) }
                    if let outline { try w.element("w:outlineLvl", nil, attributes: ["w:val": String(outline)]) }
                    try w.endElement()
                    try w.startElement("w:rPr")
                    if let eastAsia { try fonts(w, eastAsia: eastAsia) }
                    if bold { try w.element("w:b", nil, attributes: ["w:val": "1"]) }
                    if let size {
                        try w.element("w:sz", nil, attributes: ["w:val": String(size)])
                        try w.element("w:szCs", nil, attributes: ["w:val": String(size)])
                    }
                    try w.endElement()
                }
                try w.endElement()
            }
            try style("Normal", "Normal")
            try style("Title", "Title", size: 44, eastAsia: "黑体", bold: true, center: true, spacingBefore: 480)
            try style("Subtitle", "Subtitle", size: 28, eastAsia: "宋体", center: true)
            try style("Heading1", "heading 1", outline: 0, size: 32, eastAsia: "黑体", bold: true, spacingBefore: 360)
            try style("Heading2", "heading 2", outline: 1, size: 28, eastAsia: "黑体", bold: true, spacingBefore: 240)
            try style("TableText", "Table Text", size: 18)
            try style("TableGrid", "Table Grid", table: true)
        }
    }

    func fontTable() throws -> Data {
        try part("w:fonts") { w in
            for (name, alternative, family) in [
                ("宋体", "SimSun", "auto"), ("黑体", "SimHei", "modern"), ("Times New Roman", nil, "roman"),
            ] {
                try w.startElement("w:font")
                try w.attribute("w:name", name)
                if let alternative { try w.element("w:altName", nil, attributes: ["w:val": alternative]) }
                try w.element("w:charset", nil, attributes: ["w:val": alternative == nil ? "00" : "86"])
                try w.element("w:family", nil, attributes: ["w:val": family])
                try w.endElement()
            }
        }
    }
}
