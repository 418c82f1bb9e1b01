import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStatistics
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Golden files for the report on the samples. Run with ANNALS_UPDATE_GOLDEN=1 to rewrite them after a
/// deliberate change, and read the diff before committing.
@Suite(.serialized) struct ReportTests {
    let folder = TemporaryFolder()
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func report(department: String? = nil, language: ReportLanguage = .en) throws -> AnnualReport {
        let store = try folder.sampleRegistry()
        return try store.read {
            try AnnualReportBuilder.build(
                from: $0, year: 2024, department: department, language: language, generatedOn: "2025-01-15")
        }
    }

    func check(_ text: String, against name: String) throws {
        let file = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ANNALS_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: file)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line =
                zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record(
                "\(name) differs from the golden file at line \(line + 1): got «\(line < got.count ? got[line] : "")», expected «\(line < want.count ? want[line] : "")»"
            )
        }
    }

    @Test func markdownMatchesTheGoldenFile() throws {
        try check(ReportRenderer.markdown(try report()), against: "report-2024.md")
    }

    @Test func jsonMatchesTheGoldenFile() throws {
        try check(try ReportRenderer.json(try report()), against: "report-2024.json")
    }

    @Test func departmentReportInChineseMatchesTheGoldenFile() throws {
        try check(
            ReportRenderer.markdown(try report(department: "general-surgery", language: .zh)),
            against: "report-2024-general-surgery-zh.md")
    }

    @Test func theSameYearGivesTheSameReportEveryTime() throws {
        let first = try ReportRenderer.html(try report())
        let second = try ReportRenderer.html(try report())
        #expect(first == second)
        #expect(first.contains("2025-01-15"))
    }

    @Test func htmlIsSelfContained() throws {
        let html = ReportRenderer.html(try report())
        #expect(html.contains("<svg"))
        #expect(html.contains("@page{size:A4"))
        #expect(html.contains("name=\"viewport\""))
        for forbidden in ["http://", "https://", "<script", "<link", "src="] where forbidden != "http://" {
            #expect(!html.contains(forbidden), "\(forbidden) would reach outside the file")
        }
        // The only http:// is the SVG namespace, which is a name, not a fetch.
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://") == false)
    }

    @Test func figuresFollowTheRules() throws {
        let r = try report()
        #expect(r.publications.sci + r.publications.national == r.publications.total)
        #expect(r.publications.trend.map(\.year) == [2020, 2021, 2022, 2023, 2024])
        #expect(
            r.cases.milestones.contains {
                $0.threshold == 500 && $0.procedure == "Choledochal cyst excision" && $0.approach == .laparoscopic
                    && $0.placement.precision == .year && $0.placement.to.year == 2024
            })
        let gs = try report(department: "general-surgery")
        #expect(gs.departments.map(\.id) == ["general-surgery"])
        #expect(gs.beds.map(\.beds) == [45, 42])
        #expect(throws: AnnualReportBuilder.UnknownDepartment.self) { try report(department: "cardiology") }
    }

    @Test func retractedPapersAreListedApartAndNotCounted() throws {
        let store = try folder.sampleRegistry()
        let before = try store.read { try AnnualReportBuilder.build(from: $0, year: 2024, generatedOn: "2025-01-15") }
        try store.write { tx in
            var p = try #require(try tx.publication(id: "pmid-900001002"))
            p.notices.append(Publication.Notice(kind: .retractedBy, reference: "PMID 900009999"))
            try tx.upsert(p)
        }
        let after = try store.read { try AnnualReportBuilder.build(from: $0, year: 2024, generatedOn: "2025-01-15") }
        #expect(after.publications.sci == before.publications.sci - 1)
        #expect(after.publications.retracted.count == 1)
        #expect(after.publications.retracted[0].contains("MYCN"))
    }
}
