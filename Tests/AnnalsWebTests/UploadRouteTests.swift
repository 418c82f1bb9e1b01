import AnnalsModel
import AnnalsRegistry
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The upload page in process: a file checked (nothing written), then imported as the account; who may upload;
/// the form token; a refused file's diagnostics; a file larger than the limit.
@Suite(.serialized) struct UploadRouteTests {
    static let pubmed = Fixtures.repository.appendingPathComponent(
        "Tests/AnnalsInterchangeTests/Fixtures/pubmed-small.xml")

    /// A `multipart/form-data` body of `fields` (in order) and one file, as a browser sends the upload form.
    static func multipart(_ fields: [(String, String)], file: (name: String, data: Data)?) -> (ByteBuffer, String) {
        let boundary = "----annalsTestBoundary7MA4YWxkTrZu0gW"
        var body = Data()
        for (name, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/xml\r\n\r\n"
                        .utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (ByteBuffer(bytes: body), "multipart/form-data; boundary=\(boundary)")
    }

    static func upload(
        _ client: any TestClientProtocol, _ browser: Browser, csrf: String?, kind: String, file: (String, Data),
        query: String = "?department=general-surgery"
    ) async throws -> TestResponse {
        var fields: [(String, String)] = []
        if let csrf { fields.append(("csrf", csrf)) }
        fields.append(("kind", kind))
        let (body, type) = multipart(fields, file: file)
        var headers = browser.formHeaders
        headers[.contentType] = type
        return try await client.execute(uri: "/uploads/preview" + query, method: .post, headers: headers, body: body)
    }

    static func token(in page: String) -> String? {
        guard let range = page.range(of: #"name="token" value=""#) else { return nil }
        let rest = page[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func papers(_ fixture: WebFixture) throws -> Int {
        try fixture.store.read { reader in
            var count = 0
            try reader.forEachPublication { _ in count += 1 }
            return count
        }
    }

    @Test func aSecretaryChecksThenImportsAPubMedFile() async throws {
        let fixture = try WebFixture()
        let data = try Data(contentsOf: Self.pubmed)
        let before = try Self.papers(fixture)
        let changes = try fixture.store.read { try $0.history().count }
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let form = try await sam.get(client, "/uploads?department=general-surgery")
            #expect(form.status == .ok)
            let formPage = String(buffer: form.body)
            #expect(formPage.contains("enctype=\"multipart/form-data\""))
            #expect(
                formPage.contains("<a href=\"/uploads?department=general-surgery\" aria-current=\"page\">上传文件导入</a>"))
            #expect(formPage.contains("PubMed XML（论文）"))
            #expect(!formPage.contains("登记库 XML"), "a secretary is not offered registry XML")
            let csrf = try #require(Browser.csrf(in: formPage))
            let preview = try await Self.upload(
                client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data))
            let page = String(buffer: preview.body)
            #expect(preview.status == .ok)
            #expect(page.contains("检查结果：pubmed-small.xml"))
            #expect(page.contains("<td>论文</td><td>3</td>"), "three papers would be added")
            #expect(try Self.papers(fixture) == before, "a check writes nothing")
            #expect(try fixture.store.read { try $0.history().count } == changes)
            let token = try #require(Self.token(in: page))
            // Another session cannot confirm it, nor can a form without the session's token.
            var other = Browser()
            try await other.signIn(client, "sam")
            let otherCSRF = try #require(try await other.sessionToken(client))
            let stolen = try await other.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", otherCSRF), ("token", token)])
            #expect(stolen.status == .notFound)
            let forged = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", "forged"), ("token", token)])
            #expect(forged.status == .forbidden)
            #expect(try Self.papers(fixture) == before)
            let done = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", token)])
            #expect(done.status == .ok)
            #expect(String(buffer: done.body).contains("已导入：pubmed-small.xml"))
            #expect(try Self.papers(fixture) == before + 3)
            let history = try fixture.store.read { try $0.history() }
            #expect(history.count == changes + 1)
            #expect(history.contains { $0.actor.name == "sam" && "\($0.action)".contains("pubmed-small.xml") })
            // The token is used up.
            let again = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", token)])
            #expect(again.status == .notFound)
            #expect(try Self.papers(fixture) == before + 3)
        }
    }

    @Test func viewersAreRefusedAndAFormWithoutItsTokenToo() async throws {
        let fixture = try WebFixture()
        let data = try Data(contentsOf: Self.pubmed)
        let before = try Self.papers(fixture)
        try await fixture.test { client in
            var vic = Browser()
            try await vic.signIn(client, "vic")
            #expect(try await vic.get(client, "/uploads").status == .forbidden)
            let vicCSRF = try #require(try await vic.sessionToken(client))
            let refused = try await Self.upload(
                client, vic, csrf: vicCSRF, kind: "pubmed", file: ("pubmed-small.xml", data), query: "")
            #expect(refused.status == .forbidden)
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let missing = try await Self.upload(
                client, sam, csrf: nil, kind: "pubmed", file: ("pubmed-small.xml", data))
            #expect(missing.status == .forbidden)
            let wrong = try await Self.upload(
                client, sam, csrf: "forged", kind: "pubmed", file: ("pubmed-small.xml", data))
            #expect(wrong.status == .forbidden)
            // Another department's data, and a kind that is the office's, are refused too.
            let csrf = try #require(try await sam.sessionToken(client))
            let elsewhere = try await Self.upload(
                client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data),
                query: "?department=oncology-surgery")
            #expect(elsewhere.status == .forbidden)
            let registryXML = try await Self.upload(
                client, sam, csrf: csrf, kind: "registry", file: ("registry.xml", data))
            #expect(registryXML.status == .forbidden)
            #expect(String(buffer: registryXML.body).contains("您不能上传这种文件"))
            #expect(try Self.papers(fixture) == before)
        }
    }

    @Test func aBadFileShowsItsDiagnosticsAndWritesNothing() async throws {
        let fixture = try WebFixture()
        let before = try Self.papers(fixture)
        let changes = try fixture.store.read { try $0.history().count }
        let bad = Data(
            "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n  <PubmedArticle>\n    <MedlineCitation><PMID>1</PMD>\n"
                .utf8)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            let response = try await Self.upload(client, sam, csrf: csrf, kind: "pubmed", file: ("bad.xml", bad))
            let page = String(buffer: response.body)
            #expect(response.status == .unprocessableContent)
            #expect(page.contains("未导入：bad.xml"))
            #expect(page.contains("<code>bad.xml:4:"), "the diagnostic names its line and column")
            #expect(Self.token(in: page) == nil)
            #expect(try Self.papers(fixture) == before)
            #expect(try fixture.store.read { try $0.history().count } == changes)
        }
    }

    @Test func aFileLargerThanTheLimitIsRefusedInTheAskersLanguage() async throws {
        let fixture = try WebFixture(configuration: WebConfiguration(bcryptCost: 4, uploadLimit: 2048))
        let data = try Data(contentsOf: Self.pubmed)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            let zh = try await Self.upload(client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data))
            #expect(zh.status == .contentTooLarge)
            #expect(String(buffer: zh.body).contains("文件太大"))
            let en = try await Self.upload(
                client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data),
                query: "?department=general-surgery&lang=en")
            #expect(en.status == .contentTooLarge)
            #expect(String(buffer: en.body).contains("The file is too large"))
        }
    }
}
