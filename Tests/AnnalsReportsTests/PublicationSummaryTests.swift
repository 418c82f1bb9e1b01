import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The report counts earlier years' papers from summaries read without decoding each paper: they must be
/// what the whole papers say, for every year and department filter.
@Suite struct PublicationSummaryTests {
    let folder = TemporaryFolder()

    @Test func summariesAreWhatTheWholePapersSay() throws {
        let store = try sampleRegistry(in: folder)
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
                        whole.append(
                            PublicationSummary(
                                id: $0.id, published: $0.published, journal: $0.journal,
                                departmentIDs: $0.departmentIDs.sorted(), isRetracted: $0.isRetracted))
                    }
                    #expect(fast == whole, "\(year) \(department ?? "hospital")")
                    seen += fast.count
                }
            }
            #expect(seen > 0)
        }
    }
}
