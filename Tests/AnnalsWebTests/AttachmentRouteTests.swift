import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing

@testable import AnnalsWeb

/// A record's attachments through the pages: added by its department's secretary (as the account), refused when
/// the content is not a PDF, JPEG or PNG, downloaded as a file only, and not by a viewer of another department.
@Suite(.serialized) struct AttachmentRouteTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64))

    static func attach(
        _ client: any TestClientProtocol, _ browser: Browser, csrf: String, id: String, file: (String, Data)
    ) async throws -> TestResponse {
        let boundary = "----annalsAttachmentBoundary"
        var body = Data()
        for (name, value) in [("csrf", csrf), ("kind", "project"), ("id", id)] {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.0)\"\r\n\r\n".utf8))
        body.append(file.1)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = browser.formHeaders
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(
            uri: "/records/attachments", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    @Test func aSecretaryAttachesAFileThatDownloadsAsAFileOnly() async throws {
        let fixture = try WebFixture()
        let id = "proj-gs-moe-1"
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            // Not a picture or PDF by its content, whatever its name: refused, nothing attached.
            let fake = try await Self.attach(client, sam, csrf: csrf, id: id, file: ("scan.png", Data("hello".utf8)))
            #expect(fake.status == .unprocessableContent)
            #expect(try fixture.store.read { try $0.attachments(of: .project, id: id) }.isEmpty)
            // Without the form token: refused.
            let forged = try await Self.attach(client, sam, csrf: "forged", id: id, file: ("证书.png", Self.png))
            #expect(forged.status == .forbidden)
            let added = try await Self.attach(client, sam, csrf: csrf, id: id, file: ("证书.png", Self.png))
            #expect(added.status == .seeOther)
            let attachments = try fixture.store.read { try $0.attachments(of: .project, id: id) }
            #expect(attachments.count == 1)
            let attachment = try #require(attachments.first)
            #expect(attachment.addedBy == "sam")
            let history = try fixture.store.read { try $0.history() }
            #expect(history.contains { $0.actor.name == "sam" && "\($0.action)".contains("证书.png") })
            // Downloaded as a file, never inline.
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let download = try await olga.get(client, "/attachments/\(attachment.id)")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "image/png")
            let disposition = download.headers[.contentDisposition] ?? ""
            #expect(disposition.hasPrefix("attachment;"))
            #expect(disposition.contains("filename*=UTF-8''%E8%AF%81%E4%B9%A6.png"))
            #expect(Data(buffer: download.body) == Self.png)
            // A viewer of another department does not get it; nobody gets an unknown one.
            var vera = Browser()
            try await vera.signIn(client, "vera")
            #expect(try await vera.get(client, "/attachments/\(attachment.id)").status == .forbidden)
            #expect(try await olga.get(client, "/attachments/no-such-id").status == .notFound)
            // A viewer cannot add one.
            var vic = Browser()
            try await vic.signIn(client, "vic")
            let vicCSRF = try #require(try await vic.sessionToken(client))
            let refused = try await Self.attach(client, vic, csrf: vicCSRF, id: id, file: ("x.png", Self.png))
            #expect(refused.status == .forbidden)
            #expect(try fixture.store.read { try $0.attachments(of: .project, id: id) }.count == 1)
        }
    }

    @Test func aRecordsPageListsItsAttachmentsAndOffersTheFormToThoseWhoMayWrite() async throws {
        let fixture = try WebFixture()
        let id = "proj-gs-moe-1"
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let before = String(buffer: try await sam.get(client, "/projects/\(id)?department=general-surgery").body)
            #expect(before.contains(#"action="/records/attachments""#), "the secretary is offered the form")
            #expect(before.contains(#"enctype="multipart/form-data""#))
            // Every word of the section is shown (a dotted key would be read by Mustache as a path, and show nothing).
            #expect(before.contains("<h2>附件</h2>") || before.contains("<h2>Attachments</h2>"), "\(before)")
            #expect(before.contains("上传附件</button>") || before.contains("Attach</button>"))
            let csrf = try #require(try await sam.sessionToken(client))
            let added = try await Self.attach(client, sam, csrf: csrf, id: id, file: ("立项通知书.png", Self.png))
            #expect(added.status == .seeOther)
            let attachment = try #require(try fixture.store.read { try $0.attachments(of: .project, id: id) }.first)
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let page = String(buffer: try await olga.get(client, "/projects/\(id)").body)
            #expect(page.contains(#"href="/attachments/\#(attachment.id)""#), "the file is a download link")
            #expect(page.contains("立项通知书.png") && page.contains("PNG"))
            var vic = Browser()
            try await vic.signIn(client, "vic")
            let viewer = try await vic.get(client, "/projects/\(id)")
            if viewer.status == .ok {
                #expect(
                    !String(buffer: viewer.body).contains(#"action="/records/attachments""#), "a viewer gets no form")
            }
        }
    }

    @Test func anAttachmentIsRemovedByItsDepartmentOrTheOfficeOnlyAndTheHistorySaysSo() async throws {
        let fixture = try WebFixture()
        try AccountService(store: fixture.store, actor: testActor, cost: 4)
            .add(name: "otto", role: .secretary, departments: ["oncology-surgery"], password: WebFixture.password)
        let id = "proj-gs-moe-1"
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let csrf = try #require(try await sam.sessionToken(client))
            #expect(
                try await Self.attach(client, sam, csrf: csrf, id: id, file: ("证书.png", Self.png)).status == .seeOther)
            let attachment = try #require(try fixture.store.read { try $0.attachments(of: .project, id: id) }.first)
            let page = String(buffer: try await sam.get(client, "/projects/\(id)?department=general-surgery").body)
            #expect(page.contains(#"action="/records/attachments/remove""#), "the secretary is offered the button")
            #expect(page.contains(#"name="id" value="\#(attachment.id)""#))
            #expect(page.contains(">删除</button>") || page.contains(">Remove</button>"))
            func remove(_ browser: inout Browser, csrf: String, _ which: String) async throws -> TestResponse {
                try await browser.post(
                    client, "/records/attachments/remove", form: [("csrf", csrf), ("id", which)])
            }
            func count() throws -> Int { try fixture.store.read { try $0.attachments(of: .project, id: id) }.count }
            // A viewer, another department's secretary, a form without its token: refused, nothing removed.
            var vic = Browser()
            try await vic.signIn(client, "vic")
            let vicCSRF = try #require(try await vic.sessionToken(client))
            #expect(try await remove(&vic, csrf: vicCSRF, attachment.id).status == .forbidden)
            var otto = Browser()
            try await otto.signIn(client, "otto")
            let ottoPage = try await otto.get(client, "/?department=oncology-surgery")
            let ottoCSRF = try #require(Browser.csrf(in: String(buffer: ottoPage.body)))
            let other = try await remove(&otto, csrf: ottoCSRF, attachment.id)
            #expect(other.status == .forbidden)
            #expect(String(buffer: other.body).contains("这个附件所属的记录不在您的科室"))
            #expect(try await remove(&sam, csrf: "forged", attachment.id).status == .forbidden)
            #expect(try await remove(&sam, csrf: csrf, "no-such-id").status == .notFound)
            #expect(try count() == 1)
            // Its department's secretary removes it: back to the record, gone, in the history as sam's.
            let changes = try fixture.store.read { try $0.history().count }
            let removed = try await remove(&sam, csrf: csrf, attachment.id)
            #expect(removed.status == .seeOther)
            #expect(removed.headers[.location] == "/projects/\(id)")
            #expect(try count() == 0)
            let history = try fixture.store.read { try $0.history() }
            #expect(history.count == changes + 1)
            #expect(
                history.contains { $0.actor.name == "sam" && "\($0.action)".contains("remove 证书.png from project") })
            #expect(try await sam.get(client, "/attachments/\(attachment.id)").status == .notFound)
            // The office removes any department's.
            #expect(
                try await Self.attach(client, sam, csrf: csrf, id: id, file: ("b.png", Self.png)).status == .seeOther)
            let second = try #require(try fixture.store.read { try $0.attachments(of: .project, id: id) }.first)
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let olgaCSRF = try #require(try await olga.sessionToken(client))
            #expect(try await remove(&olga, csrf: olgaCSRF, second.id).status == .seeOther)
            #expect(try count() == 0)
        }
    }
}
