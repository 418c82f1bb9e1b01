import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The dashboards' figures are kept until the registry changes (`FigureCache`): every write must show at once,
/// whoever makes it — a form of this server, or another program on the same registry (`annals import`, another
/// `annals serve` on the same PostgreSQL database); on the backend under test (`ANNALS_TEST_BACKEND`).
@Suite(.serialized) struct DashboardCacheTests {
    /// The "Papers" figure of a dashboard page (English).
    static func papers(_ html: String) -> Int? {
        let pattern = /<div class="value">(\d+)<\/div><div class="label">Papers<\/div>/
        return html.firstMatch(of: pattern).flatMap { Int($0.output.1) }
    }

    static func paper(_ id: String) -> Publication {
        Publication(
            id: id, kind: .journalArticle, title: MarkupText(markup: "Cache test \(id)"),
            published: PartialDate(year: 2024), departmentIDs: ["general-surgery"])
    }

    @Test func everyWriteShowsOnTheNextDashboard() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let uri = "/?lang=en&year=2024&department=general-surgery"
            let before = try #require(Self.papers(String(buffer: try await browser.get(client, uri).body)))
            // Asked again with nothing changed: the same figure (from the cache).
            #expect(Self.papers(String(buffer: try await browser.get(client, uri).body)) == before)
            #expect(fixture.app.dashboards.hits >= 1)
            // Written through this server's store.
            _ = try fixture.store.write { try $0.upsert(Self.paper("cache-one")) }
            #expect(Self.papers(String(buffer: try await browser.get(client, uri).body)) == before + 1)
            // Written by another program: a store of its own on the same registry.
            let other = try RegistryStore(path: fixture.location)
            _ = try other.write { try $0.upsert(Self.paper("cache-two")) }
            #expect(Self.papers(String(buffer: try await browser.get(client, uri).body)) == before + 2)
            // A paper taken out of the year counts no more.
            _ = try other.write { tx in
                var moved = Self.paper("cache-two")
                moved.published = PartialDate(year: 2019)
                try tx.upsert(moved)
            }
            #expect(Self.papers(String(buffer: try await browser.get(client, uri).body)) == before + 1)
            // The whole hospital's dashboard and the other language are questions of their own.
            let hospital = try #require(
                Self.papers(String(buffer: try await browser.get(client, "/?lang=en&year=2024").body)))
            #expect(hospital >= before + 1)
        }
    }

    @Test func aPersonsPageShowsANewPaperAtOnce() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let uri = "/people/gao-zhigang?lang=en"
            let before = String(buffer: try await browser.get(client, uri).body)
            #expect(before.contains("Gao") && !before.contains("Cache test led"))
            #expect(String(buffer: try await browser.get(client, uri).body) == before)
            var paper = Self.paper("cache-led")
            paper.title = MarkupText(markup: "Cache test led")
            paper.authors = [Author(familyName: "Gao", givenName: "Zhigang", personID: "gao-zhigang", isFirst: true)]
            let other = try RegistryStore(path: fixture.location)
            _ = try other.write { try $0.upsert(paper) }
            #expect(String(buffer: try await browser.get(client, uri).body).contains("Cache test led"))
        }
    }

    @Test func aCaseAnswerCountsEveryNewTallyAtOnce() async throws {
        let fixture = try WebFixture()
        let token = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga").secret
        @Sendable func count(_ client: any TestClientProtocol) async throws -> Int? {
            let response = try await client.execute(
                uri: "/api/cases?department=general-surgery", method: .get,
                headers: [.authorization: "Bearer \(token)"])
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
            return (object as? [String: Any])?["count"] as? Int
        }
        let some = try #require(
            try fixture.store.read { r in try r.tallies(matching: TallyFilter(departmentID: "general-surgery")) }.first)
        try await fixture.test { client in
            let before = try #require(try await count(client))
            #expect(try await count(client) == before)
            #expect(fixture.app.caseAnswers.hits >= 1)
            let other = try RegistryStore(path: fixture.location)
            _ = try other.write { tx in
                try tx.upsert(
                    CaseTally(
                        id: "cache-tally", procedureID: some.procedureID, approach: some.approach,
                        departmentID: "general-surgery", campusID: some.campusID, surgeonID: some.surgeonID,
                        from: PartialDate(year: 2031, month: 1), to: PartialDate(year: 2031, month: 1)!, count: 7))
            }
            #expect(try await count(client) == before + 7)
        }
    }

    @Test func oneAnswerIsMadeForRequestsAskingAtOnce() async throws {
        let cache = FigureCache<Int>(capacity: 2)
        let made = LockedCounter()
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    (try? cache.value("q", stamp: "1") {
                        made.increment()
                        Thread.sleep(forTimeInterval: 0.2)
                        return 42
                    }) ?? -1
                }
            }
            for await value in group { #expect(value == 42) }
        }
        #expect(made.value == 1)
        // Another stamp is another answer; the least recently used goes when more than two are kept.
        #expect(try cache.value("q", stamp: "2") { 43 } == 43)
        #expect(try cache.value("r", stamp: "2") { 1 } == 1)
        #expect(try cache.value("s", stamp: "2") { 2 } == 2)
        #expect(try cache.value("q", stamp: "2") { 44 } == 44)
        // A failed answer is not kept: the next request makes it again.
        struct Failure: Error {}
        #expect(throws: Failure.self) { try cache.value("t", stamp: "2") { throw Failure() } }
        #expect(try cache.value("t", stamp: "2") { 5 } == 5)
    }
}

/// A count shared by concurrent tasks.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
