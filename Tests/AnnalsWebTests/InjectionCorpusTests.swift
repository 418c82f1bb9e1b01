import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing

@testable import AnnalsOffice
@testable import AnnalsWeb

/// The injection corpus (Tests/InjectionCorpus, made by its `make-corpus.py`): script tags, event handlers,
/// `javascript:` and `data:` URLs, SVG and MathML payloads, CSS expressions and attribute break-outs, and the
/// spreadsheet formula starts `=`, `+`, `-`, `@`, pushed through every import path (PubMed with inline markup,
/// EndNote, CERIF, registry XML, tally CSV, a workbook, the entry forms) as the office uploads them, then every
/// page that shows those records and every export (HTML, Markdown, CSV, xlsx, docx) parsed: no element or
/// attribute of a payload survives, and no cell is a formula. Every payload names `pwned`, so a piece of one in
/// the markup is found by that word. `scripts/injection-browser.py` loads the same pages in headless Chromium.
@Suite(.serialized) struct InjectionCorpusTests {
    static let corpus = Fixtures.repository.appendingPathComponent("Tests/InjectionCorpus")

    /// What is executable in `html`: script elements, MathML, frames and plugins; event-handler attributes;
    /// `javascript:`, `data:` and `vbscript:` URLs; CSS expressions; and any tag or style sheet carrying a
    /// payload's marker. Each finding is a short description with the tag.
    static func executable(in html: String) -> [String] {
        var findings: [String] = []
        let forbidden: Set<String> = [
            "script", "math", "iframe", "frame", "frameset", "object", "embed", "applet", "mglyph", "mtext", "base",
            "form", "meta", "link", "img",
        ]
        // The page's own: these with same-site addresses only, and a script only as a file of the site's assets.
        let allowedOwn: Set<String> = ["form", "meta", "link", "img", "script"]
        let scalars = Array(html.unicodeScalars)
        var i = 0
        var insideStyle = false
        var styleText = ""
        while i < scalars.count {
            guard scalars[i] == "<" else {
                if insideStyle { styleText.unicodeScalars.append(scalars[i]) }
                i += 1
                continue
            }
            // A tag: its name, then attributes (quoted or not) up to the `>` outside quotes.
            var j = i + 1
            let closing = j < scalars.count && scalars[j] == "/"
            if closing { j += 1 }
            var name = ""
            while j < scalars.count, CharacterSet.alphanumerics.contains(scalars[j]) || scalars[j] == "-" {
                name.unicodeScalars.append(scalars[j])
                j += 1
            }
            name = name.lowercased()
            guard !name.isEmpty else {
                i += 1
                continue
            }
            var attributes: [(String, String)] = []
            while j < scalars.count, scalars[j] != ">" {
                if CharacterSet.whitespacesAndNewlines.contains(scalars[j]) || scalars[j] == "/" {
                    j += 1
                    continue
                }
                var key = ""
                while j < scalars.count, !CharacterSet.whitespacesAndNewlines.contains(scalars[j]),
                    !"=>".unicodeScalars.contains(scalars[j])
                {
                    key.unicodeScalars.append(scalars[j])
                    j += 1
                }
                var value = ""
                if j < scalars.count, scalars[j] == "=" {
                    j += 1
                    if j < scalars.count, scalars[j] == "\"" || scalars[j] == "'" {
                        let quote = scalars[j]
                        j += 1
                        while j < scalars.count, scalars[j] != quote {
                            value.unicodeScalars.append(scalars[j])
                            j += 1
                        }
                        j += 1
                    } else {
                        while j < scalars.count, !CharacterSet.whitespacesAndNewlines.contains(scalars[j]),
                            scalars[j] != ">"
                        {
                            value.unicodeScalars.append(scalars[j])
                            j += 1
                        }
                    }
                }
                if !key.isEmpty { attributes.append((key.lowercased(), Self.unescape(value))) }
            }
            let tag = String(String.UnicodeScalarView(scalars[i..<min(j + 1, scalars.count)]))
            i = j + 1
            if name == "style" {
                if closing {
                    if styleText.contains("pwned") || styleText.lowercased().contains("expression(") {
                        findings.append("a style sheet with a payload: \(styleText.prefix(120))")
                    }
                    styleText = ""
                }
                insideStyle = !closing
            }
            if closing { continue }
            let own =
                allowedOwn.contains(name) && !tag.contains("pwned")
                && attributes.allSatisfy { ["src", "href", "action"].contains($0.0) ? $0.1.hasPrefix("/") : true }
                && (name != "script" || attributes.contains { $0.0 == "src" && $0.1.hasPrefix("/assets/") })
            if forbidden.contains(name) && !own { findings.append("element \(name): \(tag.prefix(160))") }
            if tag.contains("pwned") && !attributes.contains(where: { $0.1.contains("pwned") }) {
                findings.append("a payload in the markup: \(tag.prefix(160))")
            }
            for (key, value) in attributes {
                let trimmed = value.unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined().lowercased()
                if key.hasPrefix("on") { findings.append("event handler \(key): \(tag.prefix(160))") }
                if key.contains("pwned") { findings.append("attribute \(key): \(tag.prefix(160))") }
                if ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster"]
                    .contains(key),
                    trimmed.hasPrefix("javascript:") || trimmed.hasPrefix("data:") || trimmed.hasPrefix("vbscript:")
                {
                    findings.append("a script URL in \(key): \(tag.prefix(160))")
                }
                if key == "style", trimmed.contains("expression(") || trimmed.contains("javascript:") {
                    findings.append("a CSS expression: \(tag.prefix(160))")
                }
            }
        }
        return findings
    }

    /// Character references of an attribute value, as the browser reads them (enough for the check).
    static func unescape(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&colon;", with: ":")
            .replacingOccurrences(of: "&#58;", with: ":").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// What is executable in a Markdown file: raw HTML passes through Markdown renderers, so its tags are
    /// checked as HTML's; and links or images to `javascript:` or `data:`.
    static func executable(inMarkdown text: String) -> [String] {
        var findings = executable(in: text)
        for scheme in ["](javascript:", "](data:", "](vbscript:", "<javascript:", "<data:"] {
            if text.lowercased().contains(scheme) { findings.append("a link to \(scheme)") }
        }
        return findings
    }

    /// The formulas and unneutralised formula starts of a workbook's sheets: a cell with `<f>`, or a text cell
    /// starting with `=`, `+`, `-` or `@` that carries a payload without Excel's quote prefix (its style's
    /// `quotePrefix="1"`, what Excel shows as a leading `'`), which a person editing the cell would turn into a
    /// formula. Text in shared strings counts as unneutralised (its cell is not checked).
    static func formulas(inWorkbook data: Data) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("inj-\(UUID().uuidString).xlsx")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let package = try OfficePackage(file: file, displayName: "table.xlsx", expected: ".xlsx")
        var findings: [String] = []
        var quoted: Set<String> = []
        if let styles = try package.extract("xl/styles.xml") {
            let xml = try String(contentsOf: styles, encoding: .utf8)
            if let range = xml.range(of: #"<cellXfs[^>]*>(.*?)</cellXfs>"#, options: .regularExpression) {
                let xfs = xml[range].matches(of: /<xf\b[^>]*>/).map { String($0.output) }
                for (n, xf) in xfs.enumerated() where xf.contains(#"quotePrefix="1""#) { quoted.insert("\(n)") }
            }
        }
        func startsAFormula(_ text: String) -> Bool {
            let plain = Self.unescape(text)
            return plain.contains("pwned") && plain.first.map { "=+-@".contains($0) } == true
        }
        if let shared = try package.extract("xl/sharedStrings.xml") {
            for text in Self.elements("t", in: try String(contentsOf: shared, encoding: .utf8))
            where startsAFormula(text) {
                findings.append("a formula start in a shared string: \(text.prefix(80))")
            }
        }
        for n in 1...20 {
            guard let sheet = try package.extract("xl/worksheets/sheet\(n).xml") else { continue }
            let xml = try String(contentsOf: sheet, encoding: .utf8)
            if xml.contains("<f>") || xml.contains("<f ") { findings.append("a formula in sheet \(n)") }
            for cell in xml.matches(of: /<c\b([^>]*)>(.*?)<\/c>/) {
                let attributes = String(cell.output.1)
                let style = attributes.firstMatch(of: /\bs="(\d+)"/).map { String($0.output.1) } ?? "0"
                for text in Self.elements("t", in: String(cell.output.2)) where startsAFormula(text) {
                    if !quoted.contains(style) { findings.append("a formula start in sheet \(n): \(text.prefix(80))") }
                }
            }
        }
        return findings
    }

    /// The texts of the elements `name` of an XML document (`<name>` or `<name attributes>`).
    static func elements(_ name: String, in xml: String) -> [String] {
        xml.matches(of: try! Regex("<\(name)(?: [^>]*)?>([^<]*)</\(name)>")).compactMap {
            $0.output[1].substring.map(String.init)
        }
    }

    /// A field of a CSV line that a spreadsheet would run as a formula: starting with `=`, `+`, `-` or `@`
    /// (after an optional quote), and carrying a payload.
    static func formulas(inCSV text: String) -> [String] {
        var findings: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                let value = field.hasPrefix("\"") ? field.dropFirst() : field[...]
                if let first = value.first, "=+-@".contains(first), line.contains("pwned") {
                    findings.append("a formula start in CSV: \(value.prefix(80))")
                }
            }
        }
        return findings
    }

    /// The office's browser, with the session's form token.
    static func office(_ client: any TestClientProtocol) async throws -> (Browser, String) {
        var olga = Browser()
        try await olga.signIn(client, "olga")
        let page = String(buffer: try await olga.get(client, "/uploads").body)
        return (olga, try #require(Browser.csrf(in: page)))
    }

    /// Uploads `file` as `kind` (the check, then the import), checking both pages; the import's page.
    static func upload(
        _ client: any TestClientProtocol, _ browser: inout Browser, csrf: String, kind: String, name: String,
        data: Data
    ) async throws -> String {
        let preview = try await UploadRouteTests.upload(client, browser, csrf: csrf, kind: kind, file: (name, data))
        let page = String(buffer: preview.body)
        #expect(preview.status == .ok, "\(name) is checked: \(page.prefix(2000))")
        #expect(Self.executable(in: page) == [], "the check of \(name)")
        let token = try #require(UploadRouteTests.token(in: page), "\(name) can be imported: \(page.prefix(3000))")
        let done = try await browser.post(
            client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", token)])
        let donePage = String(buffer: done.body)
        #expect(done.status == .ok, "\(name) is imported")
        #expect(Self.executable(in: donePage) == [], "the import of \(name)")
        return donePage
    }

    @Test func nothingExecutableSurvivesAnyImportPathOnAnyPageOrInAnyExport() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (olga, csrf) = try await Self.office(client)
            for (kind, file) in [
                ("pubmed", "pubmed.xml"), ("endnote", "endnote.xml"), ("cerif", "cerif.xml"),
                ("registry", "registry.xml"), ("tallies", "tallies.csv"),
            ] {
                let data = try Data(contentsOf: Self.corpus.appendingPathComponent(file))
                _ = try await Self.upload(client, &olga, csrf: csrf, kind: kind, name: file, data: data)
            }
            // The entry forms, as a secretary types the payloads.
            let payloads = try String(contentsOf: Self.corpus.appendingPathComponent("payloads.txt"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let samToken = try #require(try await sam.sessionToken(client))
            for (n, payload) in payloads.enumerated() {
                let entered = try await sam.post(
                    client, "/entry/projects/new?department=general-surgery",
                    form: [
                        ("csrf", samToken), ("title", "\(payload) 表单\(n)"), ("funder", payload), ("level", "国家级"),
                        ("status", "在研"), ("departments", "普外科"), ("start", "2025/3/1"), ("amount", "52万"),
                        ("principal_investigator", "高志刚"),
                    ])
                #expect(
                    entered.status == .seeOther,
                    "the form takes payload \(n): \(String(buffer: entered.body).prefix(400))")
            }
            // A workbook with every payload: projects of another registry, as its office exports them.
            let workbook = try Self.workbook(payloads)
            let inWorkbook = try Self.formulas(inWorkbook: workbook)
            #expect(inWorkbook == [], "the projects workbook")
            _ = try await Self.upload(client, &olga, csrf: csrf, kind: "xlsx", name: "projects.xlsx", data: workbook)
            (olga, csrf) = try await Self.office(client)

            // Every page that shows them: lists, searches, records, people, dashboards, reports, history, tasks.
            var pages = [
                "/", "/?year=2024", "/?year=2024&department=general-surgery", "/papers", "/papers?year=2024",
                "/papers?q=pwned", "/papers?q=%3Cscript%3E", "/projects", "/projects?q=pwned", "/patents",
                "/patents?q=pwned", "/awards", "/awards?q=pwned", "/people", "/people?q=pwned",
                "/people?department=general-surgery",
                "/cases?procedure=%E8%83%86%E6%80%BB%E7%AE%A1%E5%9B%8A%E8%82%BF%E5%88%87%E9%99%A4%E6%9C%AF",
                "/reports?year=2024", "/reports?year=2024&department=general-surgery", "/history", "/tasks",
                "/review?department=general-surgery", "/years", "/uploads",
                "/entry/tallies/month?department=general-surgery&month=2024-01",
                "/projects/inj-project", "/patents/inj-patent", "/awards/inj-award", "/people/inj-person",
                "/entry/projects/inj-project", "/entry/patents/inj-patent", "/entry/awards/inj-award",
                "/entry/people/inj-person",
            ]
            let ids = try fixture.store.read { registry -> [String] in
                var found: [String] = []
                try registry.forEachPublication { if $0.title.plain.contains("pwned") { found.append($0.id) } }
                found += try registry.projects().filter { $0.title.contains("pwned") }.map { "projects:" + $0.id }
                return found
            }
            #expect(ids.filter { !$0.hasPrefix("projects:") }.count >= 9, "papers of PubMed, EndNote and CERIF")
            #expect(ids.filter { $0.hasPrefix("projects:") }.count >= payloads.count + 1)
            for id in ids {
                if id.hasPrefix("projects:") {
                    let project = String(id.dropFirst(9))
                    pages += ["/projects/\(project)", "/entry/projects/\(project)"]
                } else {
                    pages += ["/papers/\(id)", "/entry/papers/\(id)"]
                }
            }
            for language in ["zh", "en"] {
                for page in pages {
                    let uri = page + (page.contains("?") ? "&" : "?") + "lang=\(language)"
                    let response = try await olga.get(client, uri)
                    let body = String(buffer: response.body)
                    #expect(response.status == .ok, "GET \(uri): \(response.status) \(body.prefix(300))")
                    let findings = Self.executable(in: body)
                    #expect(findings == [], "GET \(uri)")
                }
            }
            #expect(
                String(buffer: try await olga.get(client, "/papers?q=pwned").body).contains("window.pwned"),
                "the payloads are shown, as text")

            // Every export: the report and the profile as HTML and Markdown, the Word report, every table as a
            // workbook and as CSV.
            for path in ["/downloads/report?year=2024", "/downloads/profile?department=general-surgery"] {
                for department in ["", "&department=general-surgery"] {
                    let html = try await olga.get(client, "\(path)\(department)&format=html")
                    #expect(html.status == .ok)
                    #expect(Self.executable(in: String(buffer: html.body)) == [], "\(path) as HTML")
                    let markdown = try await olga.get(client, "\(path)\(department)&format=markdown")
                    #expect(markdown.status == .ok)
                    #expect(Self.executable(inMarkdown: String(buffer: markdown.body)) == [], "\(path) as Markdown")
                    let docx = try await olga.get(client, "\(path)\(department)&format=docx")
                    #expect(docx.status == .ok)
                    let inWord = try Self.executable(inDocx: Data(buffer: docx.body))
                    #expect(inWord == [], "\(path) as Word")
                }
            }
            for kind in SheetKind.allCases {
                let response = try await olga.get(client, "/downloads/table?table=\(kind.rawValue)")
                #expect(response.status == .ok, "\(kind) as a workbook")
                let found = try Self.formulas(inWorkbook: Data(buffer: response.body))
                #expect(found == [], "\(kind) as a workbook")
            }
            for table in TableExport.Table.allCases {
                var csv = ""
                try fixture.store.read { registry in try TableExport.csv(table, from: registry) { csv += $0 } }
                let inCSV = Self.formulas(inCSV: csv)
                #expect(inCSV == [], "\(table) as CSV")
            }
        }
    }

    /// The projects sheet of another registry holding a project per payload (title and funder), as
    /// `/downloads/table?table=projects` writes it.
    static func workbook(_ payloads: [String]) throws -> Data {
        let other = try WebFixture()
        _ = try other.store.write { tx in
            for (n, payload) in payloads.enumerated() {
                try tx.upsert(
                    Project(
                        id: "inj-xlsx-\(n)", title: "\(payload) 工作簿\(n)", funder: payload, level: .national,
                        departments: [.init(departmentID: "general-surgery", role: .lead)],
                        start: PartialDate(year: 2025), status: .ongoing))
            }
        }
        return try other.store.read { registry in
            try OfficeTables.export(.projects, from: registry, selection: .init(id: nil), language: .zh)
        }
    }

    /// What in a Word file could act: field codes (HYPERLINK, INCLUDETEXT, DDE) or relationships to a script
    /// URL or an outside file, carrying a payload.
    static func executable(inDocx data: Data) throws -> [String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("inj-\(UUID().uuidString).docx")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let package = try OfficePackage(file: file, displayName: "report.docx", expected: ".docx")
        var findings: [String] = []
        let document = try String(contentsOf: try #require(try package.extract("word/document.xml")), encoding: .utf8)
        for field in Self.elements("w:instrText", in: document) + Self.elements("w:fldSimple", in: document)
        where field.contains("pwned") {
            findings.append("a field code: \(field.prefix(80))")
        }
        if document.contains("w:fldSimple"), document.contains("pwned\"") { findings.append("a simple field") }
        if let rels = try package.extract("word/_rels/document.xml.rels") {
            let text = try String(contentsOf: rels, encoding: .utf8)
            if text.contains("pwned") || text.lowercased().contains("javascript:") {
                findings.append("a relationship with a payload")
            }
        }
        return findings
    }

    /// The check itself finds what it is for (a check that finds nothing finds nothing).
    @Test func theCheckFindsEachPayloadWhenItIsNotEscaped() throws {
        let payloads = try String(contentsOf: Self.corpus.appendingPathComponent("payloads.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.contains("<") }
        for payload in payloads {
            #expect(Self.executable(in: "<p>\(payload)</p>") != [], "\(payload)")
            #expect(Self.executable(in: "<p>\(TitleHTML.escape(payload))</p>") == [], "\(payload) escaped")
            #expect(Self.executable(in: "<input value=\"\(TitleHTML.escape(payload))\">") == [], "\(payload) quoted")
        }
        #expect(Self.executable(in: "<svg class=\"chart\"><text>a</text></svg><img src=\"/assets/icon.svg\">") == [])
        #expect(Self.executable(in: "<script src=\"/assets/upload.js\" defer></script>") == [], "the site's own script")
        #expect(Self.executable(in: "<script>alert(1)</script>") != [], "an inline script")
        #expect(Self.executable(in: "<script src=\"/uploads/x.js\"></script>") != [], "a script not of the assets")
        #expect(Self.formulas(inCSV: "a,=1+1 pwned\n") != [])
        #expect(Self.formulas(inCSV: "a,'=1+1 pwned\n") == [])
    }
}
