import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

#if canImport(Glibc)
    import Glibc
#endif

/// What a hostile sender cannot do to `annals serve`: hold connections by sending slowly, send bodies larger than a
/// route takes, make the server unpack a ZIP bomb or recurse through deeply nested XML; and where API tokens live
/// (shown once, kept only as their digest).
@Suite(.serialized) struct LimitsTests {
    /// A raw TCP connection to 127.0.0.1:`port` that waits at most `timeout` seconds for each read.
    final class RawConnection {
        let socket: Int32

        init(port: Int, timeout: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            var wait = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(socket) }

        func send(_ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(socket, $0.baseAddress, $0.count - 1, 0) }
        }

        /// What the server sends until it closes the connection ("closed"), or "timeout" when it sends nothing
        /// for the read timeout.
        func readUntilClosed() -> (text: String, closed: Bool) {
            var received = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
                if count < 0 { return (String(decoding: received, as: UTF8.self), false) }
                received += buffer[0..<count]
            }
        }
    }

    /// A connection that stalls in its request head, or in its body, or waits idle after an answer, is closed
    /// after the idle timeout; a request sent in full is answered.
    @Test func aSlowSenderIsCutOffAfterTheIdleTimeout() async throws {
        var configuration = WebConfiguration(port: 0, bcryptCost: 4)
        configuration.idleTimeout = .seconds(1)
        let fixture = try WebFixture(configuration: configuration)
        try await fixture.app.application().test(.live) { client in
            let port = try #require(client.port)
            // A head that never ends (slowloris).
            let head = try RawConnection(port: port, timeout: 10)
            let started = ContinuousClock.now
            head.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n")
            let headOutcome = head.readUntilClosed()
            #expect(headOutcome.closed, "a stalled head is closed")
            #expect(ContinuousClock.now - started < .seconds(8))
            // A body that stops halfway.
            let body = try RawConnection(port: port, timeout: 10)
            body.send(
                "POST /signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=a"
            )
            let bodyOutcome = body.readUntilClosed()
            #expect(bodyOutcome.closed, "a stalled body is closed")
            #expect(!bodyOutcome.text.contains("200 OK"))
            // A whole request is answered, then the idle connection is closed.
            // A generous read timeout: on a busy machine the answer may take seconds (the idle timeout does not
            // run while a request is being answered).
            let whole = try RawConnection(port: port, timeout: 60)
            whole.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answered = whole.readUntilClosed()
            #expect(answered.text.hasPrefix("HTTP/1.1 200"), "\(answered.text.prefix(100))")
            #expect(answered.closed, "an idle kept-alive connection is closed too")
        }
    }

    /// A body declared larger than the route takes is refused (413) before any of it is sent (with the default
    /// idle timeout, so a busy machine does not close the connection first).
    @Test func aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() async throws {
        let fixture = try WebFixture(configuration: WebConfiguration(port: 0, bcryptCost: 4))
        try await fixture.app.application().test(.live) { client in
            let port = try #require(client.port)
            let declared = try RawConnection(port: port, timeout: 60)
            declared.send(
                "POST /signin?lang=en HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3000000\r\nConnection: close\r\n\r\n"
            )
            let refused = declared.readUntilClosed()
            #expect(refused.text.hasPrefix("HTTP/1.1 413"), "\(refused.text.prefix(100))")
            #expect(refused.text.contains("at most 64 KB"))
        }
    }

    @Test func theDefaultIdleTimeoutIsSet() {
        #expect(WebConfiguration().idleTimeout == .seconds(30))
    }

    /// A form or JSON body larger than the small-body limit is refused (413) on every route that takes one, the
    /// sign-in form and the API's tally too.
    @Test func aBodyLargerThanItsRouteTakesIsRefused() async throws {
        let fixture = try WebFixture()
        let secret = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga")
            .secret
        let large = String(repeating: "a", count: 2 * 1024 * 1024)
        try await fixture.test { client in
            var browser = Browser()
            let form = try await browser.get(client, "/signin")
            browser.absorb(form)
            let token = Browser.csrf(in: String(buffer: form.body)) ?? ""
            let signIn = try await browser.post(
                client, "/signin", form: [("csrf", token), ("name", "olga"), ("password", large)])
            #expect(signIn.status == .contentTooLarge)
            #expect(String(buffer: signIn.body).contains("请求太大"))
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let csrf = try #require(try await olga.sessionToken(client))
            let entry = try await olga.post(
                client, "/entry/projects/new?department=general-surgery", form: [("csrf", csrf), ("title", large)])
            #expect(entry.status == .contentTooLarge)
            let api = try await client.execute(
                uri: "/api/tallies?department=general-surgery", method: .post,
                headers: [.authorization: "Bearer \(secret)", .contentType: "application/json"],
                body: ByteBuffer(string: "{\"note\":\"\(large)\"}"))
            #expect(api.status == .contentTooLarge)
        }
    }

    /// The resident memory of this process, in bytes.
    static func residentMemory() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    static func office(_ client: any TestClientProtocol) async throws -> (Browser, String) {
        var olga = Browser()
        try await olga.signIn(client, "olga")
        let page = String(buffer: try await olga.get(client, "/uploads?lang=en").body)
        return (olga, try #require(Browser.csrf(in: page)))
    }

    /// A ZIP bomb (a small workbook whose parts would unpack to gigabytes) and a workbook lying about its sizes,
    /// uploaded: refused with a message saying why, nothing unpacked (memory stays flat), nothing written.
    @Test func aZipBombWorkbookIsRefusedWithAClearMessageAndBoundedMemory() async throws {
        let fixture = try WebFixture()
        let folder = Fixtures.repository.appendingPathComponent("Tests/AnnalsOfficeTests/Fixtures")
        let changes = try fixture.store.read { try $0.history().count }
        try await fixture.test { client in
            let (olga, csrf) = try await Self.office(client)
            for (name, words) in [("zip-bomb.xlsx", "ZIP bomb"), ("lying-size.xlsx", "holds more than it declares")] {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                let before = Self.residentMemory()
                let response = try await UploadRouteTests.upload(
                    client, olga, csrf: csrf, kind: "xlsx", file: (name, data), query: "?lang=en")
                let grown = Self.residentMemory() - before
                let page = String(buffer: response.body)
                #expect(response.status == .unprocessableContent, "\(name): \(response.status)")
                #expect(page.contains(words), "\(name) says why: \(page.prefix(3000))")
                #expect(grown < 64 << 20, "\(name) was not unpacked into memory (\(grown >> 20) MB more)")
            }
        }
        #expect(try fixture.store.read { try $0.history().count } == changes)
    }

    /// Deeply nested XML of each kind, uploaded: refused with a message (no crash, no stack overflow), nothing
    /// written.
    @Test func deeplyNestedXMLIsRefusedThroughTheUploadPage() async throws {
        let fixture = try WebFixture()
        let changes = try fixture.store.read { try $0.history().count }
        let deep = String(repeating: "<b>", count: 100_000) + "x" + String(repeating: "</b>", count: 100_000)
        let documents: [(String, String)] = [
            (
                "pubmed",
                "<PubmedArticleSet><PubmedArticle><MedlineCitation>\(deep)</MedlineCitation></PubmedArticle></PubmedArticleSet>"
            ),
            ("endnote", "<xml><records><record>\(deep)</record></records></xml>"),
            ("registry", "<registry xmlns=\"urn:annals:registry:1\" version=\"2\">\(deep)</registry>"),
            ("cerif", "<Publication xmlns=\"https://www.openaire.eu/cerif-profile/1.1/\">\(deep)</Publication>"),
        ]
        try await fixture.test { client in
            let (olga, csrf) = try await Self.office(client)
            for (kind, document) in documents {
                let response = try await UploadRouteTests.upload(
                    client, olga, csrf: csrf, kind: kind, file: ("deep-\(kind).xml", Data(document.utf8)),
                    query: "?lang=en")
                let page = String(buffer: response.body)
                #expect(response.status == .unprocessableContent, "\(kind): \(response.status)")
                #expect(page.contains("deep-\(kind).xml:"), "\(kind) names the file and place: \(page.prefix(2000))")
            }
            // The server still answers.
            #expect(try await olga.get(client, "/papers").status == .ok)
        }
        #expect(try fixture.store.read { try $0.history().count } == changes)
    }

    /// `annals token create` prints the secret once; the registry keeps only its digest (the secret is nowhere
    /// in the database file), and `annals token list` never shows it.
    @Test func anAPITokenIsShownOnceAndStoredOnlyAsItsDigest() throws {
        let folder = TemporaryFolder()
        let db = folder.path("tokens.sqlite")
        #expect(try AnnalsCommand.run(["init", "--db", db]).status == 0)
        let store = try RegistryStore(path: db)
        _ = try AccountService(store: store, actor: testActor, cost: 4).add(
            name: "olga", role: .office, departments: [], password: nil)
        let created = try AnnalsCommand.run(["token", "create", "--db", db, "olga"])
        #expect(created.status == 0, "\(created.stderr)")
        let secret = try #require(
            created.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("annals_") },
            "the secret is printed: \(created.stdout)")
        let tokens = try store.read { try $0.apiTokens() }
        #expect(tokens.count == 1)
        #expect(tokens.first?.secretHash == Secrets.digest(secret))
        #expect(tokens.first?.secretHash != secret)
        let listed = try AnnalsCommand.run(["token", "list", "--db", db])
        #expect(listed.status == 0)
        #expect(!listed.stdout.contains(secret) && !listed.stderr.contains(secret))
        #expect(!listed.stdout.contains(Secrets.digest(secret)), "nor its digest")
        for file in [db, db + "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the secret is not in \(file)")
        }
    }
}
