import AnnalsInterchange
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsOffice

/// The annual report as a Word document, opened by python-docx (an independent reader). Skipped, with a
/// message, where python3 with python-docx (Debian's python3-docx) is missing.
@Suite(.serialized) struct DOCXTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Scripts/docx_check.py")

    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3", "python3"] {
            if (try? OfficeRoundTripTests.run(candidate, ["-c", "import docx"]))?.status == 0 { return candidate }
        }
        return nil
    }()

    @Test func markdownBecomesHeadingsTablesAndLists() {
        let document = WordDocument(
            reportMarkdown:
                "# 医院 — 全院: 年度科研报告 2024\n\n生成日期 2025-01-15.\n\n## 人员\n\n| 职称 | 人数 |\n|---|---|\n| 主任医师 | 3 |\n| a \\| b | 1 |\n\n### 论文\n\n1. Gao Z\\_x. J Pediatr Surg.\n- item &lt;1&gt;\n\n_not exact_\n",
            language: "zh")
        #expect(document.title == "医院 — 全院: 年度科研报告 2024")
        #expect(document.subtitle == ["生成日期 2025-01-15."])
        #expect(
            document.blocks == [
                .heading1("人员"), .table(header: ["职称", "人数"], rows: [["主任医师", "3"], ["a | b", "1"]]), .heading2("论文"),
                .numbered(1, "Gao Z_x. J Pediatr Surg."), .bullet("item <1>"), .paragraph("not exact", italic: true),
            ])
    }

    @Test(arguments: [ReportLanguage.zh, .en])
    func theAnnualReportOpensInPythonDocxWithWordsHeadingsTablesAndA4(language: ReportLanguage) throws {
        guard let python = Self.python else {
            print("skipped: python3 with python-docx is missing (apt-get install python3-docx)")
            return
        }
        let folder = TemporaryFolder()
        let store = try folder.sampleRegistry(journalsAndPapers: false)
        let report = try store.read {
            try AnnualReportBuilder.build(from: $0, year: 2024, language: language, generatedOn: "2025-01-15")
        }
        let markdown = ReportRenderer.markdown(report)
        let url = folder.url.appendingPathComponent("report.docx")
        try WordDocument(reportMarkdown: markdown, language: language.rawValue).data().write(to: url)
        let result = try OfficeRoundTripTests.run(python, [Self.script.path, url.path])
        #expect(result.status == 0, "\(result.err)")
        let read = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as! [String: Any]
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(read["headings1"] as? [String] == headings)
        let tables = markdown.split(separator: "\n").filter {
            $0.hasPrefix("|---") || $0.hasPrefix("| ---") || $0.hasPrefix("|--")
        }.count
        #expect((read["tables"] as? [Any])?.count == tables)
        #expect(read["page_mm"] as? [Int] == [210, 297])
        #expect(read["page_field"] as? Bool == true)
        #expect(read["title_page"] as? Bool == true)
        #expect((read["east_asian_font"] as? Int ?? 0) > 0)
        #expect((read["heading_font"] as? Int ?? 0) > 0)
        #expect(
            (read["title"] as? [String])?.first == markdown.split(separator: "\n").first.map { String($0.dropFirst(2)) }
        )
    }
}
