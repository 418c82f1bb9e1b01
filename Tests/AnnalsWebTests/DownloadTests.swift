import AnnalsModel
import AnnalsOffice
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing

@testable import AnnalsWeb

/// The reports page's downloads: the annual report and department profile in every format, tables and templates
/// as Excel workbooks; their types and file names; the bytes opened (Word and Excel files are ZIP packages with
/// the parts those programs need; workbooks read back with the project's reader).
@Suite(.serialized) struct DownloadTests {
    static let docxParts = ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"]
    static let xlsxParts = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]

    @Test func theAnnualReportDownloadsInEveryFormatWithAChineseFileName() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let types = [
                "html": "text/html; charset=utf-8", "markdown": "text/markdown; charset=utf-8",
                "json": "application/json; charset=utf-8",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ]
            for (format, type) in types {
                let response = try await browser.get(
                    client, "/downloads/report?year=2024&department=general-surgery&format=\(format)&lang=zh")
                let body = Data(buffer: response.body)
                #expect(response.status == .ok, "\(format): \(String(decoding: body.prefix(300), as: UTF8.self))")
                #expect(response.headers[.contentType] == type)
                let ext = format == "markdown" ? "md" : format
                // 2024年度科研报告-普外科.EXT, with the ids' name for clients that read only `filename`.
                let chinese =
                    "2024%E5%B9%B4%E5%BA%A6%E7%A7%91%E7%A0%94%E6%8A%A5%E5%91%8A-%E6%99%AE%E5%A4%96%E7%A7%91.\(ext)"
                #expect(
                    response.headers[.contentDisposition]
                        == "attachment; filename=\"annual-report-2024-general-surgery-zh.\(ext)\"; filename*=UTF-8''\(chinese)"
                )
                switch format {
                case "docx":
                    let parts = try zipEntries(body)
                    #expect(Self.docxParts.allSatisfy(parts.contains), "\(parts)")
                case "json":
                    let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                    #expect(object?["year"] as? Int == 2024)
                case "html":
                    #expect(String(decoding: body, as: UTF8.self).contains("<html"))
                default:
                    #expect(String(decoding: body, as: UTF8.self).hasPrefix("#"))
                }
            }
            // English: the ids' name alone, plain ASCII.
            let english = try await browser.get(client, "/downloads/report?year=2024&format=markdown&lang=en")
            #expect(english.status == .ok)
            #expect(english.headers[.contentDisposition] == "attachment; filename=\"annual-report-2024.md\"")
            let wrong = try await browser.get(client, "/downloads/report?year=2024&format=pdf")
            #expect(wrong.status == .badRequest)
            let empty = try await browser.get(client, "/downloads/report?year=1990&format=docx")
            #expect(empty.status == .unprocessableContent)
        }
    }

    @Test func theDepartmentProfileDownloadsAsWordAndJSON() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "sam")
            let word = try await browser.get(
                client, "/downloads/profile?department=general-surgery&format=docx&lang=en")
            #expect(word.status == .ok)
            let disposition = word.headers[.contentDisposition] ?? ""
            #expect(disposition.hasPrefix("attachment; filename=\"department-profile-general-surgery-en.docx\"; "))
            #expect(disposition.contains("filename*=UTF-8''Department%20profile%20-%20"), "\(disposition)")
            let parts = try zipEntries(Data(buffer: word.body))
            #expect(Self.docxParts.allSatisfy(parts.contains), "\(parts)")
            let json = try await browser.get(client, "/downloads/profile?department=general-surgery&format=json")
            let object = try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any]
            #expect(object?["department"] as? String == "general-surgery")
            #expect((object?["text"] as? String)?.isEmpty == false)
            // A secretary gets their own department's only.
            let other = try await browser.get(client, "/downloads/profile?department=oncology-surgery&format=json")
            #expect(other.status == .forbidden)
            let hospital = try await browser.get(client, "/downloads/profile?format=json")
            #expect(hospital.status == .seeOther)
            #expect(hospital.headers[.location] == "/downloads/profile?format=json&department=general-surgery")
        }
    }

    @Test func everyTableAndTemplateDownloadsAsAWorkbookThatReadsBack() async throws {
        let fixture = try WebFixture()
        let folder = TemporaryFolder()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "vic")
            for kind in SheetKind.allCases {
                for (path, language) in [
                    ("/downloads/table?table=\(kind.rawValue)&year=2024&lang=zh", SheetLanguage.zh),
                    ("/downloads/template?kind=\(kind.rawValue)&lang=en", SheetLanguage.en),
                ] {
                    let response = try await browser.get(client, path)
                    let body = Data(buffer: response.body)
                    #expect(response.status == .ok, "\(path): \(String(decoding: body.prefix(300), as: UTF8.self))")
                    #expect(response.headers[.contentType] == Downloads.xlsxType)
                    let parts = try zipEntries(body)
                    #expect(Self.xlsxParts.allSatisfy(parts.contains), "\(path): \(parts)")
                    let file = folder.url.appendingPathComponent("\(kind.rawValue)-\(language.rawValue).xlsx")
                    try body.write(to: file)
                    let workbook = try XLSXReader.read(file: file)
                    let sheet = workbook.sheets.first
                    #expect(sheet?.name == kind.sheetName(language), "\(path)")
                    #expect(sheet?.rows.first?.isEmpty == false, "\(path): a header row")
                }
            }
            let papers = try await browser.get(client, "/downloads/table?table=papers&year=2024&sci=1&lang=zh")
            #expect(
                papers.headers[.contentDisposition]
                    == "attachment; filename=\"papers-2024-sci.xlsx\"; filename*=UTF-8''%E8%AE%BA%E6%96%87-2024-SCI.xlsx"
            )
            let template = try await browser.get(client, "/downloads/template?kind=papers&lang=zh")
            #expect(
                template.headers[.contentDisposition]
                    == "attachment; filename=\"template-papers.xlsx\"; filename*=UTF-8''%E6%A8%A1%E6%9D%BF-%E8%AE%BA%E6%96%87.xlsx"
            )
            let unknown = try await browser.get(client, "/downloads/table?table=grants")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func theReportsPageOffersEveryDownload() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let page = String(buffer: try await browser.get(client, "/reports?year=2024&lang=zh").body)
            for href in [
                "/downloads/report?year=2024&amp;format=docx", "/downloads/profile?format=docx",
                "/downloads/table?table=papers&amp;sci=1&amp;year=2024", "/downloads/template?kind=staff",
            ] {
                #expect(page.contains(href), "\(href)")
            }
            #expect(page.contains("科室简介") && page.contains("空白模板（Excel）"))
        }
    }

    @Test func contentDispositionFollowsRFC6266And5987() {
        #expect(Downloads.disposition("a.md", fallback: "a.md") == "attachment; filename=\"a.md\"")
        #expect(
            Downloads.disposition("论文 2024.xlsx", fallback: "papers \"2024\".xlsx")
                == "attachment; filename=\"papers _2024_.xlsx\"; filename*=UTF-8''%E8%AE%BA%E6%96%87%202024.xlsx")
    }
}

/// The names of a ZIP archive's entries, read from its central directory.
func zipEntries(_ data: Data) throws -> [String] {
    struct NotAZip: Error {}
    let bytes = [UInt8](data)
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    guard bytes.count >= 22, bytes[0] == 0x50, bytes[1] == 0x4B else { throw NotAZip() }
    guard
        let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: {
            bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 5 && bytes[$0 + 3] == 6
        })
    else { throw NotAZip() }
    var names: [String] = []
    var at = u32(end + 16)
    for _ in 0..<u16(end + 10) {
        guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { throw NotAZip() }
        let nameLength = u16(at + 28)
        names.append(String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self))
        at += 46 + nameLength + u16(at + 30) + u16(at + 32)
    }
    return names
}
