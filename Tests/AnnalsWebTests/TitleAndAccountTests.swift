import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

@Suite struct TitleHTMLTests {
    @Test(arguments: [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        (#"<i onclick="alert(1)">x</i>"#, "&lt;i onclick=&quot;alert(1)&quot;&gt;x&lt;/i&gt;"),
        ("<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"),
        ("<a href=\"javascript:alert(1)\">x</a>", "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"),
        ("&lt;script&gt; stays text", "&lt;script&gt; stays text"),
        ("AT&T & co", "AT&amp;T &amp; co"),
    ])
    func nothingImportedCanRunScript(markup: String, html: String) {
        #expect(TitleHTML.render(markup) == html)
    }

    @Test func allowedInlineMarkupIsKeptAndBalanced() {
        #expect(
            TitleHTML.render("CO<sub>2</sub> and <i>E. coli</i> in <b>children</b>")
                == "CO<sub>2</sub> and <i>E. coli</i> in <b>children</b>")
        #expect(
            TitleHTML.render("<em>a</em><strong>b</strong><sup>2</sup>") == "<em>a</em><strong>b</strong><sup>2</sup>")
        #expect(TitleHTML.render("<i>open") == "<i>open</i>")
        #expect(TitleHTML.render("x</b>y") == "x&lt;/b&gt;y")
        #expect(TitleHTML.render("<i><b>x</i></b>") == "<i><b>x&lt;/i&gt;</b></i>")
    }

    /// A title with a payload, stored in the registry, is shown escaped on the papers page.
    @Test func thePapersPageShowsAPayloadAsText() async throws {
        let fixture = try WebFixture()
        _ = try fixture.store.write { registry in
            var first: Publication?
            try registry.forEachPublication { if first == nil { first = $0 } }
            var paper = try #require(first)
            paper.title = MarkupText(
                markup: #"Payload <script>alert(1)</script><img src=x onerror="alert(2)"> <i>kept</i>"#)
            try registry.upsert(paper)
        }
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let body = String(buffer: try await browser.get(client, "/papers?q=payload").body)
            #expect(body.contains("Payload"))
            #expect(!body.contains("<script"))
            #expect(!body.contains("<img"))
            #expect(body.contains("<i>kept</i>"))
        }
    }
}

/// Accounts, sessions and tokens in the registry, on both backends.
@Suite struct AccountStoreTests {
    @Test(arguments: TestBackend.allCases) func accountsSessionsAndTokensRoundTrip(backend: TestBackend) throws {
        let folder = TemporaryFolder()
        let store = try RegistryStore(path: folder.registryLocation(backend))
        let service = AccountService(store: store, actor: testActor, cost: 4)
        #expect(throws: AccountError.self) {
            try service.add(name: "sam", role: .secretary, departments: [], password: nil)
        }
        #expect(throws: AccountError.self) {
            try service.add(name: "bad name", role: .viewer, departments: [], password: nil)
        }
        #expect(throws: AccountError.self) {
            try service.add(name: "x", role: .viewer, departments: ["nowhere"], password: nil)
        }
        #expect(throws: AccountError.self) {
            try service.add(name: "x", role: .viewer, departments: [], password: "short")
        }
        try service.add(name: "olga", role: .office, departments: [], password: "long enough 1")
        #expect(throws: AccountError.self) {
            try service.add(name: "olga", role: .office, departments: [], password: nil)
        }
        let olga = try #require(try store.read { try $0.account(name: "olga") })
        #expect(olga.role == .office && !olga.disabled)
        #expect(Secrets.verifyPassword("long enough 1", hash: olga.passwordHash ?? ""))
        let now = Date()
        let session = WebSession(
            idHash: Secrets.digest("id"), accountName: "olga", csrfToken: "c", createdAt: now,
            expiresAt: now.addingTimeInterval(60))
        _ = try store.write { try $0.addSession(session) }
        #expect(try store.read { try $0.session(idHash: Secrets.digest("id")) }?.csrfToken == "c")
        #expect(
            try store.read { try $0.session(idHash: Secrets.digest("id"), now: now.addingTimeInterval(120)) } == nil)
        let (token, secret) = try service.createToken(for: "olga")
        #expect(try store.read { try $0.apiToken(secretHash: Secrets.digest(secret)) }?.accountName == "olga")
        try service.revokeToken(id: token.id)
        #expect(try store.read { try $0.apiToken(secretHash: Secrets.digest(secret)) }?.revokedAt != nil)
        #expect(throws: AccountError.self) { try service.revokeToken(id: token.id) }
        try service.setPassword(name: "olga", password: "another one 22")
        #expect(
            try store.read { try $0.session(idHash: Secrets.digest("id")) } == nil, "a new password ends the sessions")
        try service.disable(name: "olga")
        #expect(try service.list().first?.disabled == true)
        let logged = try store.read { try $0.history() }.filter { $0.action.code == "account" }
        #expect(logged.count == 5, "add, token, revoke, password, disable")
    }

    /// `annals migrate-store` carries accounts and tokens (a password and a token keep working in the copy);
    /// sessions stay behind (people sign in again).
    @Test(arguments: TestBackend.allCases) func accountsAndTokensMoveWithTheRegistry(to backend: TestBackend) throws {
        let folder = TemporaryFolder()
        let source = try RegistryStore(path: folder.path("source.sqlite"))
        let service = AccountService(store: source, actor: testActor, cost: 4)
        try service.add(name: "olga", role: .office, departments: [], password: "long enough 1")
        let (_, secret) = try service.createToken(for: "olga")
        _ = try source.write {
            try $0.addSession(
                WebSession(
                    idHash: "h", accountName: "olga", csrfToken: "c", createdAt: Date(),
                    expiresAt: Date().addingTimeInterval(60)))
        }
        let copy = try RegistryStore(path: folder.registryLocation(backend, "copy"), create: true)
        let report = try copy.copy(from: source)
        #expect(report.tables.contains { $0.table == "account" && $0.copy == 1 })
        #expect(report.isComplete)
        let olga = try #require(try copy.read { try $0.account(name: "olga") })
        #expect(Secrets.verifyPassword("long enough 1", hash: olga.passwordHash ?? ""))
        #expect(try copy.read { try $0.apiToken(secretHash: Secrets.digest(secret)) }?.accountName == "olga")
        #expect(try copy.read { try $0.session(idHash: "h") } == nil)
    }
}
