import AnnalsInterchange
import AnnalsModel
import AnnalsStore
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

    /// The ids of the list with these filters, ordered and cut in memory: newest year first, undated last, then
    /// by id.
    static func expected(_ fixture: WebFixture, department: String?, year: Int?) throws -> [String] {
        try fixture.store.read { try PublicationListing.rows(in: $0) }
            .filter { r in (department.map(r.departments.contains) ?? true) && (year.map { r.year == $0 } ?? true) }
            .sorted { ($0.year ?? 0, $1.id) > ($1.year ?? 0, $0.id) }.map(\.id)
    }

    /// Reads every page of the list with these filters (and one beyond the end), and expects the ids shown, in
    /// order, and the total to be the list's in memory; returns the ids.
    @discardableResult
    static func expectEveryPage(
        _ fixture: WebFixture, _ browser: inout Browser, _ client: any TestClientProtocol, department: String?,
        year: Int?
    ) async throws -> [String] {
        let ids = try expected(fixture, department: department, year: year)
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
            // The pager (the `pager` template every list includes): where this page is, and links to its neighbours.
            #expect(html.contains("<span>Page \(min(page, pages)) of \(pages)</span>"), "\(query)")
            #expect(html.contains("page=\(page + 1)\">") == (page < pages), "\(query): a link to page \(page + 1)")
            #expect(html.contains("page=\(page - 1)\">") == (page > 1), "\(query): a link to page \(page - 1)")
            shown += listed(html)
        }
        #expect(shown == ids, "department \(department ?? "-") year \(year.map(String.init) ?? "-")")
        return ids
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
        #expect(
            try Self.expected(fixture, department: nil, year: nil).count > 40, "the fixture needs more than two pages")
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            for (department, year) in [(nil, nil), ("general-surgery", nil), (nil, 2023), ("general-surgery", 2021)]
                as [(String?, Int?)]
            {
                let ids = try await Self.expectEveryPage(fixture, &browser, client, department: department, year: year)
                #expect(!ids.isEmpty)
            }
            // Undated papers come last.
            let general = try Self.expected(fixture, department: "general-surgery", year: nil)
            #expect(Array(general.suffix(2)) == ["undated-a", "undated-b"])
            // Searching still finds across pages, and the SCI filter keeps its own count.
            let found = String(buffer: try await browser.get(client, "/papers?lang=en&q=same%20year").body)
            #expect(Self.listed(found) == ["same-year-a", "same-year-b"])
            #expect(found.contains("2 in all"))
        }
    }

    /// A department's list is ordered by the year kept beside each credit (migration v15-paper-list-order): a
    /// paper whose year or departments change must move, leave or join the lists at once, and `check` finds the
    /// credits in step with their papers.
    @Test func aPaperWhoseYearOrDepartmentsChangeMovesInEveryList() async throws {
        let fixture = try WebFixture()
        @Sendable func save(year: Int?, departments: [String]) throws {
            _ = try fixture.store.write { tx in
                try tx.upsert(
                    Publication(
                        id: "moving", kind: .journalArticle, title: MarkupText(markup: "A paper that moves"),
                        published: year.flatMap { PartialDate(year: $0) }, departmentIDs: departments))
            }
            #expect(try fixture.store.check().isEmpty)
        }
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let steps: [(Int?, [String], first: Bool, last: Bool)] = [
                (2021, ["general-surgery"], false, false),
                (2090, ["general-surgery", "oncology-surgery"], true, false),
                (nil, ["general-surgery"], false, true), (2090, ["oncology-surgery"], true, false),
            ]
            for (year, departments, first, last) in steps {
                try save(year: year, departments: departments)
                for department in [nil, "general-surgery", "oncology-surgery"] as [String?] {
                    let ids = try await Self.expectEveryPage(
                        fixture, &browser, client, department: department, year: nil)
                    let credited = department.map(departments.contains) ?? true
                    #expect(ids.contains("moving") == credited, "\(department ?? "hospital") after year \(year ?? 0)")
                    if credited && first { #expect(ids.first == "moving") }
                    if credited && last { #expect(ids.last == "moving") }
                }
            }
        }
    }

    /// A person's page shows their papers newest first, 20 to a page with links to the next and previous pages
    /// (a surgeon of a busy department has a thousand; all on one page took 50 ms to write); every paper once.
    @Test func aPersonsPapersArePagedNewestFirst() async throws {
        let fixture = try WebFixture()
        _ = try fixture.store.write { tx in
            for n in 0..<45 {
                var paper = Publication(
                    id: "gao-\(n)", kind: .journalArticle, title: MarkupText(markup: "Paper \(n) of Gao"),
                    published: n % 9 == 0 ? nil : PartialDate(year: 1990 + n % 7), departmentIDs: ["general-surgery"])
                paper.authors = [
                    Author(familyName: "Gao", givenName: "Zhigang", personID: "gao-zhigang", isFirst: true)
                ]
                try tx.upsert(paper)
            }
        }
        let credited = try fixture.store.read { try PublicationListing.rows(in: $0, person: "gao-zhigang") }
        let ids = credited.sorted { ($0.year ?? 0, $1.id) > ($1.year ?? 0, $0.id) }.map(\.id)
        #expect(ids.count > 45)
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let pages = (ids.count + Pages.papersPerPage - 1) / Pages.papersPerPage
            var shown: [String] = []
            for page in 1...(pages + 1) {
                let uri = "/people/gao-zhigang?lang=en&department=general-surgery" + (page > 1 ? "&page=\(page)" : "")
                let response = try await browser.get(client, uri)
                #expect(response.status == .ok, "\(uri)")
                let html = String(buffer: response.body)
                let listed = Self.listed(html)
                #expect(listed.count <= Pages.papersPerPage)
                shown += listed
                #expect(html.contains("Papers (\(ids.count))"), "\(uri): the count is of all their papers")
                #expect(html.contains("Page \(min(page, pages)) of \(pages)"), "\(uri)")
                let next = "/people/gao-zhigang?department=general-surgery&amp;page=\(page + 1)#papers"
                #expect(html.contains(next) == (page < pages), "\(uri): a link to page \(page + 1)")
                let previous = "/people/gao-zhigang?department=general-surgery&amp;page=\(page - 1)#papers"
                #expect(
                    html.contains(previous) == (page > 1 && page <= pages + 1), "\(uri): a link to page \(page - 1)")
            }
            #expect(shown == ids)
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
