import AnnalsModel
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The report counts earlier years' papers from summaries read without decoding each paper: they must be
/// what the whole papers say, for every year and department filter.
@Suite struct PublicationSummaryTests {
    let folder = TemporaryFolder()

    @Test func summariesAreWhatTheWholePapersSay() throws {
        let store = try folder.sampleRegistry()
        try store.read { r in
            let years = Set(
                try { () -> [Int] in
                    var years: [Int] = []
                    try r.forEachPublication { if let y = $0.published?.year { years.append(y) } }
                    return years
                }())
            #expect(years.count > 1)
            var seen = 0
            for year in years.sorted() {
                for department in [nil, "general-surgery", "oncology-surgery"] as [String?] {
                    var fast: [PublicationSummary] = []
                    var whole: [PublicationSummary] = []
                    try r.forEachPublicationSummary(year: year, department: department) { fast.append($0) }
                    try r.forEachPublication(year: year, department: department, person: nil) {
                        var summary = PublicationSummary($0)
                        summary.departmentIDs.sort()
                        whole.append(summary)
                    }
                    #expect(fast == whole, "\(year) \(department ?? "hospital")")
                    seen += fast.count
                }
            }
            #expect(seen > 0)
        }
    }

    /// The dashboard's report (no citations: the year's papers counted from their summaries) has every figure
    /// of the full report, in both languages, for the hospital and each department, with and without the
    /// validated-only rule.
    @Test func aReportWithoutCitationsHasTheSameFigures() throws {
        let store = try folder.sampleRegistry()
        try store.read { r in
            let units = try r.orgUnits().filter { $0.kind == .department }.map(\.id)
            #expect(units.count > 1)
            var papers: [Int: [String]] = [:]
            try r.forEachPublication { p in p.published.map { papers[$0.year, default: []].append(p.id) } }
            var leads = 0
            for (year, ids) in papers {
                // Left out as not validated: one paper of the year.
                var one = UnvalidatedRecords([])
                one.ids = [.publication: [ids[0]]]
                for department in [nil] + units as [String?] {
                    for language in [ReportLanguage.en, .zh] {
                        for unvalidated in [nil, one] {
                            var full = try AnnualReportBuilder.build(
                                from: r, year: year, department: department, language: language, generatedOn: "",
                                explain: true, leavingOut: unvalidated)
                            let figures = try AnnualReportBuilder.build(
                                from: r, year: year, department: department, language: language, generatedOn: "",
                                explain: true, leavingOut: unvalidated, citations: false)
                            #expect(figures.publications.citations.isEmpty && figures.publications.retracted.isEmpty)
                            leads += full.publications.firstOrCorresponding
                            full.publications.citations = []
                            full.publications.retracted = []
                            #expect(figures == full, "\(year) \(department ?? "hospital") \(language)")
                        }
                    }
                }
            }
            #expect(leads > 0, "the samples have papers led by the departments' people")
        }
    }
}
