import AnnalsInterchange
import AnnalsModel
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The paper list is paged by the store (issue 20: a department's 30,000 papers were read whole twice for one
/// page). Every page must show what ordering and cutting all the papers in memory shows, on the backend under
/// test (`ANNALS_TEST_BACKEND`), undated papers last.
@Suite(.serialized) struct PaperListTests {
    /// The ids the list page links to, in the order shown.
    static func listed(_ html: String) -> [String] {
        let pattern = /href="\/papers\/([^"?]+)/
        return html.matches(of: pattern).map { String($0.output.1).removingPercentEncoding ?? String($0.output.1) }
    }

    @Test func everyPageIsThePageOfTheWholeListInMemory() async throws {
        let fixture = try WebFixture()
        _ = try fixture.store.write { tx in
            // Undated papers (last on every backend), and two of the same year (ordered by id).
            for id in ["undated-b", "undated-a"] {
                try tx.upsert(
                    Publication(
                        id: id, kind: .journalArticle, title: MarkupText(markup: "Undated \(id)"),
                        departmentIDs: ["general-surgery"]))
            }
            for id in ["same-year-b", "same-year-a"] {
                try tx.upsert(
                    Publication(
                        id: id, kind: .journalArticle, title: MarkupText(markup: "Same year \(id)"),
                        published: PartialDate(year: 2021), departmentIDs: ["general-surgery"]))
            }
        }
        let all = try fixture.store.read { try PublicationListing.rows(in: $0) }
        #expect(all.count > 40, "the fixture needs more than two pages of papers")
        @Sendable func expected(department: String?, year: Int?) -> [String] {
            all.filter { r in
                (department.map(r.departments.contains) ?? true) && (year.map { r.year == $0 } ?? true)
            }
            .sorted { ($0.year ?? 0, $1.id) > ($1.year ?? 0, $0.id) }.map(\.id)
        }
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            for (department, year) in [(nil, nil), ("general-surgery", nil), (nil, 2023), ("general-surgery", 2021)]
                as [(String?, Int?)]
            {
                let ids = expected(department: department, year: year)
                #expect(!ids.isEmpty)
                let pages = (ids.count + Pages.papersPerPage - 1) / Pages.papersPerPage
                var shown: [String] = []
                for page in 1...(pages + 1) {
                    var query = "/papers?lang=en&page=\(page)"
                    if let department { query += "&department=\(department)" }
                    if let year { query += "&year=\(year)" }
                    let response = try await browser.get(client, query)
                    #expect(response.status == .ok, "\(query)")
                    let html = String(buffer: response.body)
                    #expect(html.contains("\(ids.count) in all"), "\(query)")
                    shown += Self.listed(html)
                }
                #expect(shown == ids, "department \(department ?? "-") year \(year.map(String.init) ?? "-")")
            }
            // Undated papers come last.
            let general = expected(department: "general-surgery", year: nil)
            #expect(Array(general.suffix(2)) == ["undated-a", "undated-b"])
            // Searching still finds across pages, and the SCI filter keeps its own count.
            let found = String(buffer: try await browser.get(client, "/papers?lang=en&q=same%20year").body)
            #expect(Self.listed(found) == ["same-year-a", "same-year-b"])
            #expect(found.contains("2 in all"))
        }
    }

    /// A page number near `Int.max` overflowed `(page - 1) × page size` and stopped the server.
    @Test func aPageFarBeyondTheEndIsAnEmptyPageNotACrash() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            for uri in [
                "/papers?lang=en&page=\(Int.max)", "/papers?lang=en&q=a&page=\(Int.max)",
                "/api/publications?page=\(Int.max)",
            ] {
                let response = try await browser.get(client, uri)
                #expect(response.status == .ok, "\(uri): \(response.status.code)")
                #expect(Self.listed(String(buffer: response.body)).isEmpty)
            }
        }
    }
}
