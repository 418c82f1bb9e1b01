import AnnalsCuration
import AnnalsDiagnostics
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsInterchange
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
                formPage.contains("<a href=\"/uploads?department=general-surgery\" aria-current=\"page\">导入</a>"))
            #expect(formPage.contains("PubMed XML（论文）"))
            #expect(!formPage.contains("登记库 XML"), "a secretary is not offered registry XML")
            // Progress for large files: the page's own script (a file of the assets, which CSP allows) and the
            // words it shows, in the reader's language.
            #expect(formPage.contains("<script src=\"/assets/upload.js\" defer></script>"))
            #expect(formPage.contains("data-sending=\"正在上传：{percent}%\""))
            #expect(formPage.contains("大文件可能需要几分钟"))
            let script = try await sam.get(client, "/assets/upload.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(String(buffer: script.body).contains("request.upload.onprogress"))
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

    /// The files waiting in `folder`.
    static func waiting(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("upload-") }
    }

    @Test func aCheckNotConfirmedInTimeExpiresItsFileIsDeletedAndTheUserIsToldWhy() async throws {
        let folder = TemporaryFolder()
        let uploads = folder.url.appendingPathComponent("uploads")
        let fixture = try WebFixture(
            configuration: WebConfiguration(bcryptCost: 4, uploadFolder: uploads, uploadLifetime: 0.5))
        let data = try Data(contentsOf: Self.pubmed)
        let before = try Self.papers(fixture)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            for language in ["zh", "en"] {
                let preview = try await Self.upload(
                    client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data))
                let page = String(buffer: preview.body)
                #expect(page.contains("请在 1 分钟内确认"), "the preview says how long it waits")
                let token = try #require(Self.token(in: page))
                #expect(Self.waiting(uploads).count == 1)
                try await Task.sleep(for: .milliseconds(700))
                let late = try await sam.post(
                    client, "/uploads/confirm?department=general-surgery&lang=\(language)",
                    form: [("csrf", csrf), ("token", token)])
                #expect(late.status == .gone)
                let said = String(buffer: late.body)
                if language == "zh" {
                    #expect(said.contains("超过 1 分钟未确认，已失效并删除，未写入任何内容"))
                } else {
                    #expect(said.contains("waited more than 1 minutes for its confirmation"))
                }
                #expect(Self.waiting(uploads).isEmpty, "the expired file is deleted")
                #expect(try Self.papers(fixture) == before, "nothing written")
            }
            // A token never given is not called expired.
            let unknown = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", "nope")])
            #expect(unknown.status == .notFound)
        }
    }

    @Test func atMostSoManyChecksWaitTheOldestGoesFirst() async throws {
        let folder = TemporaryFolder()
        let uploads = folder.url.appendingPathComponent("uploads")
        let fixture = try WebFixture(
            configuration: WebConfiguration(bcryptCost: 4, uploadFolder: uploads, pendingUploads: 2))
        let data = try Data(contentsOf: Self.pubmed)
        let before = try Self.papers(fixture)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            var tokens: [String] = []
            for _ in 0..<3 {
                let preview = try await Self.upload(
                    client, sam, csrf: csrf, kind: "pubmed", file: ("pubmed-small.xml", data))
                tokens.append(try #require(Self.token(in: String(buffer: preview.body))))
            }
            #expect(Self.waiting(uploads).count == 2, "two files wait at most")
            let first = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", tokens[0])])
            #expect(first.status == .gone)
            #expect(try Self.papers(fixture) == before)
            let last = try await sam.post(
                client, "/uploads/confirm?department=general-surgery", form: [("csrf", csrf), ("token", tokens[2])])
            #expect(last.status == .ok)
            #expect(try Self.papers(fixture) == before + 3)
            #expect(Self.waiting(uploads).count == 1, "the confirmed file is deleted; the second still waits")
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
            #expect(
                page.contains("<strong>不是格式正确的 XML 文件（可能不是所选类型的文件，或已损坏）。</strong>"),
                "the diagnostic's code is said in Chinese")
            #expect(Self.token(in: page) == nil)
            #expect(try Self.papers(fixture) == before)
            #expect(try fixture.store.read { try $0.history().count } == changes)
        }
    }

    @Test func recordsLeftOutAreExplainedInTheReadersLanguage() async throws {
        let fixture = try WebFixture()
        // One usable paper, one without a title (PubMed leaves such records in its files).
        let file = Data(
            """
            <?xml version="1.0"?>
            <PubmedArticleSet>
              <PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">900000071</PMID>
                <Article><Journal><Title>Journal of pediatric surgery</Title>
                <JournalIssue><PubDate><Year>2021</Year></PubDate></JournalIssue></Journal>
                <ArticleTitle>A usable illustrative paper.</ArticleTitle></Article></MedlineCitation></PubmedArticle>
              <PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">900000072</PMID>
                <Article><Journal><Title>Journal of pediatric surgery</Title>
                <JournalIssue><PubDate><Year>2021</Year></PubDate></JournalIssue></Journal>
                </Article></MedlineCitation></PubmedArticle>
            </PubmedArticleSet>

            """.utf8)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            let zh = String(
                buffer: try await Self.upload(client, sam, csrf: csrf, kind: "pubmed", file: ("two.xml", file)).body)
            #expect(zh.contains("<h2>跳过的记录</h2>"))
            #expect(zh.contains("<li>第 7 行：缺少论文必需的内容（如标题、PMID 或正文），已跳过。"), "\(zh)")
            #expect(!zh.contains("has no title"), "no English reason on the Chinese page")
            let en = String(
                buffer: try await Self.upload(
                    client, sam, csrf: csrf, kind: "pubmed", file: ("two.xml", file),
                    query: "?department=general-surgery&lang=en"
                ).body)
            #expect(en.contains("line 7: PMID 900000072 has no title"))
        }
    }

    @Test func importWordsSayEveryReasonAndNoteInChinese() {
        let older = ImportSkip(
            .olderVersion(incoming: "2020-01-01", registry: "2022-01-10"), record: "pmid-1",
            description: "pmid-1: an older version")
        #expect(ImportWords.skip(older, .zh) == "记录 pmid-1：文件中的版本（修订于 2020-01-01）比登记库中的（修订于 2022-01-10）旧，已跳过。")
        #expect(ImportWords.skip(older, .en) == "pmid-1: an older version")
        let untitled = ImportSkip(.noTitle, record: "doi-x", description: "doi-x: no title")
        #expect(ImportWords.skip(untitled, .zh) == "记录 doi-x：没有标题，不能作为论文，已跳过。")
        let endnote = ImportSkip(.incomplete, line: 12, position: 3, description: "x")
        #expect(ImportWords.skip(endnote, .zh).hasPrefix("第 12 行，第 3 条记录：缺少论文必需的内容"))
        #expect(ImportWords.note(.uncredited, .zh).hasPrefix("论文未归属到任何科室或人员"))
        #expect(ImportWords.note(.notFoundForDeletion(["1", "2"]), .zh) == "要删除但登记库中从未有过的论文：PMID 1、2")
        let replaced = RecordReplacement(
            kind: .project, id: "p-1", name: "旧题目", changes: [.init(field: "title", old: "旧题目", new: "新题目")])
        #expect(ImportWords.replacement(replaced, .zh) == "科研项目 p-1（“旧题目”）将被替换：标题 “旧题目” → “新题目”")
        #expect(ImportWords.diagnostic(.tallyOverlap, .zh) == "与已有的手术例数时间段重叠，同一台手术不能计两次。")
        #expect(ImportWords.diagnostic(.storeBusy, .zh) == "登记库出错。", "a code not worded one by one: its family")
        #expect(ImportWords.diagnostic(.tallyOverlap, .en) == nil)
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
