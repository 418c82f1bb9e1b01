import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import AnnalsWeb

/// The sample registry as `annals demo` builds it, with one account of each role (password "correct horse 1"),
/// and a web app over it.
struct WebFixture {
    static let password = "correct horse 1"
    let folder = TemporaryFolder()
    let location: String
    let store: RegistryStore
    let app: WebApp

    /// The accounts made: name → (role, departments).
    static let accounts: [(String, AccountRole, [String])] = [
        ("ada", .admin, []), ("olga", .office, []), ("sam", .secretary, ["general-surgery"]), ("vic", .viewer, []),
        ("vera", .viewer, ["oncology-surgery"]),
    ]

    init(
        backend: TestBackend = .underTest, configuration: WebConfiguration = WebConfiguration(bcryptCost: 4),
        logs: LogLines? = nil
    )
        throws
    {
        location = try folder.registryLocation(backend, "web")
        store = try RegistryStore(path: location)
        let samples = Fixtures.samples
        _ = try store.write { try ProcedureVocabulary.install(into: $0) }
        let registry = try RegistryImporter.read(
            file: samples.appendingPathComponent("registry.xml"), displayName: "registry.xml")
        _ = try store.write { try RegistryImporter.apply([registry], to: $0) }
        let journals = try JournalListImporter.read(
            file: samples.appendingPathComponent("journals.csv"), displayName: "journals.csv")
        _ = try store.write { try JournalListImporter.apply(journals, to: $0) }
        _ = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(
                file: samples.appendingPathComponent("pubmed-sample.xml"), displayName: "pubmed-sample.xml")
            try importer.importEndNote(
                file: samples.appendingPathComponent("endnote-sample.xml"), displayName: "endnote-sample.xml")
            return importer.report
        }
        let service = AccountService(store: store, actor: testActor, cost: 4)
        for (name, role, departments) in Self.accounts {
            try service.add(name: name, role: role, departments: departments, password: Self.password)
        }
        // The server's own JSON lines (as `annals serve` writes them), kept for the test to read.
        var logger = Logger(label: "annals.test") { label in
            logs.map { lines in JSONLogHandler(label: label) { lines.append($0) } as any LogHandler }
                ?? SwiftLogNoOpLogHandler()
        }
        logger.logLevel = .info
        app = WebApp(store: store, configuration: configuration, logger: logger)
    }

    /// Runs `test` against the router in process.
    func test<Value>(_ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: app.router()).test(.router) { client in try await test(client) }
    }
}

/// Log lines kept for a test to read.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []
    func append(_ line: String) { lock.withLock { kept.append(line) } }
    var all: [String] { lock.withLock { kept } }
}

/// A browser's cookie jar, enough for the tests: keeps what `Set-Cookie` says, sends it back.
struct Browser: Sendable {
    var cookies: [String: String] = [:]
    var origin = "http://localhost"

    mutating func absorb(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let first = value.split(separator: ";").first.map(String.init) ?? ""
            let parts = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            if value.contains("Max-Age=0") || parts[1].isEmpty {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
    }

    var headers: HTTPFields {
        var fields: HTTPFields = [:]
        if !cookies.isEmpty {
            fields[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return fields
    }

    /// Headers of a form sent from a page of this site.
    var formHeaders: HTTPFields {
        var fields = headers
        fields[.origin] = origin
        fields[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
        fields[.contentType] = "application/x-www-form-urlencoded"
        return fields
    }

    func get(_ client: any TestClientProtocol, _ uri: String, extra: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        for field in extra { fields[field.name] = field.value }
        return try await client.execute(uri: uri, method: .get, headers: fields)
    }

    mutating func post(
        _ client: any TestClientProtocol, _ uri: String, form: [(String, String)], headers: HTTPFields? = nil
    )
        async throws -> TestResponse
    {
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: headers ?? formHeaders, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value=""#) else { return nil }
        let rest = page[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Signs in as `name` through the form, as a browser does; returns the response to the form.
    @discardableResult
    mutating func signIn(
        _ client: any TestClientProtocol, _ name: String, password: String = WebFixture.password, address: String? = nil
    )
        async throws -> TestResponse
    {
        let form = try await get(client, "/signin")
        absorb(form)
        let token = Self.csrf(in: String(buffer: form.body)) ?? ""
        var headers = formHeaders
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await post(
            client, "/signin", form: [("csrf", token), ("name", name), ("password", password), ("next", "/")],
            headers: headers)
    }

    /// The form token of the signed-in session, read from a page.
    func sessionToken(_ client: any TestClientProtocol) async throws -> String? {
        let page = try await get(client, "/?department=general-surgery")
        return Self.csrf(in: String(buffer: page.body))
    }
}
