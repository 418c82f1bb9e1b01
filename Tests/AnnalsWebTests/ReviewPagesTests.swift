import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing

@testable import AnnalsWeb

/// The review page and its JSON: who sees which author matches, decisions one by one and in batches (one
/// transaction, in the change log as the signed-in account), undoing a merge and merging candidate duplicates
/// (on the backend under test, `ANNALS_TEST_BACKEND`).
@Suite(.serialized) struct ReviewPagesTests {
    /// The sample's one match (Li M of pmid-900001002 → li-minju, oncology surgery) and three of general surgery;
    /// returns the general surgery items' ids and the oncology item's.
    static func addReviewItems(_ fixture: WebFixture) throws -> (general: [Int], oncology: Int) {
        _ = try fixture.store.write { tx in
            for (paper, position, person) in [
                ("pub-gs-national-001", 1, "gao-zhigang"), ("pub-gs-national-002", 2, "chen-qingjiang"),
                ("pub-gs-national-003", 1, "gao-zhigang"),
            ] {
                try tx.addReviewItem(
                    ReviewItem(
                        publicationID: paper, authorPosition: position, authorName: "Coauthor", personID: person,
                        reason: "the paper gives no affiliation for this author"))
            }
        }
        let items = try fixture.store.read { try $0.reviewItems(status: .pending) }
        let oncology = try #require(items.first { $0.personID == "li-minju" }).id
        let general = items.filter { $0.personID != "li-minju" }.map(\.id)
        #expect(general.count == 3)
        return (general, oncology)
    }

    static func status(_ fixture: WebFixture, _ id: Int) throws -> ReviewItem.Status? {
        try fixture.store.read { try $0.reviewItems(status: nil) }.first { $0.id == id }?.status
    }

    static func changes(_ fixture: WebFixture, _ code: String) throws -> [ChangeEntry] {
        try fixture.store.read { try $0.history() }.filter { $0.action.code == code }
    }

    @Test func viewersAreRefusedAndSecretariesSeeTheirDepartmentsOnly() async throws {
        let fixture = try WebFixture()
        let (general, oncology) = try Self.addReviewItems(fixture)
        try await fixture.test { client in
            for viewer in ["vic", "vera"] {
                var browser = Browser()
                try await browser.signIn(client, viewer)
                let page = try await browser.get(client, "/review?department=oncology-surgery&lang=en")
                #expect(page.status == .forbidden, "\(viewer)")
                #expect(String(buffer: page.body).contains("needs the secretary role"))
                let chinese = try await browser.get(client, "/review?department=oncology-surgery&lang=zh")
                #expect(String(buffer: chinese.body).contains("此功能需要“科室秘书”或更高角色"))
                let token = Browser.csrf(in: String(buffer: try await browser.get(client, "/?lang=zh").body)) ?? ""
                let post = try await browser.post(
                    client, "/review/decisions?department=oncology-surgery",
                    form: [("csrf", token), ("item", "\(oncology)"), ("decision", "accept")])
                #expect(post.status == .forbidden, "\(viewer) cannot decide")
            }
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let bare = try await sam.get(client, "/review")
            #expect(bare.status == .seeOther)
            #expect(bare.headers[.location] == "/review?department=general-surgery")
            let page = String(buffer: try await sam.get(client, "/review?department=general-surgery&lang=en").body)
            for id in general { #expect(page.contains(#"name="item" value="\#(id)""#), "item \(id) shown") }
            #expect(!page.contains(#"name="item" value="\#(oncology)""#), "oncology's item is not shown")
            #expect(!page.contains("li-minju"))
            #expect(page.contains("Author matches to decide"))
            let other = try await sam.get(client, "/review?department=oncology-surgery&lang=en")
            #expect(other.status == .forbidden)
            // Deciding another department's item is refused, whole: nothing is written.
            let token = Browser.csrf(in: page) ?? ""
            let refused = try await sam.post(
                client, "/review/decisions?department=general-surgery&lang=en",
                form: [("csrf", token), ("item", "\(general[0])"), ("item", "\(oncology)"), ("decision", "accept")])
            #expect(refused.status == .forbidden)
            #expect(String(buffer: refused.body).contains("is not of department general-surgery"))
            let elsewhere = try await sam.post(
                client, "/review/decisions?department=oncology-surgery",
                form: [("csrf", token), ("item", "\(oncology)"), ("decision", "accept")])
            #expect(elsewhere.status == .forbidden)
            #expect(try Self.status(fixture, general[0]) == .pending)
            #expect(try Self.status(fixture, oncology) == .pending)
            #expect(try Self.changes(fixture, "review-decision").isEmpty)
            // The JSON: the same queue.
            let api = try await sam.get(client, "/api/review?department=general-surgery")
            #expect(api.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any]
            let ids = (object?["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(Set(ids) == Set(general))
            let hospital = try await sam.get(client, "/api/review")
            #expect(hospital.status == .forbidden)
        }
    }

    @Test func aBatchAcceptWritesExactlyThoseDecisionsAsTheAccount() async throws {
        let fixture = try WebFixture()
        let (general, oncology) = try Self.addReviewItems(fixture)
        try await fixture.test { client in
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let page = String(buffer: try await olga.get(client, "/review?lang=zh").body)
            for word in ["审核", "作者匹配待确认", "全部确认", "论文未给出此作者的单位", "已合并的记录", "撤销合并"] {
                #expect(page.contains(word), "\(word)")
            }
            #expect(!page.contains("the paper gives no affiliation"), "the reason is said in Chinese")
            #expect(!page.contains("<script"), "no script on the page")
            let token = try #require(Browser.csrf(in: page))
            // Without the form token, or with another one: refused, nothing written.
            let noToken = try await olga.post(
                client, "/review/decisions", form: [("item", "\(general[0])"), ("decision", "accept")])
            #expect(noToken.status == .forbidden)
            let wrongToken = try await olga.post(
                client, "/review/decisions",
                form: [("csrf", "forged"), ("item", "\(general[0])"), ("decision", "accept")])
            #expect(wrongToken.status == .forbidden)
            var foreign = olga
            foreign.origin = "http://evil.example"
            var headers = foreign.formHeaders
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let crossSite = try await foreign.post(
                client, "/review/decisions",
                form: [("csrf", token), ("item", "\(general[0])"), ("decision", "accept")],
                headers: headers)
            #expect(crossSite.status == .forbidden)
            #expect(try Self.changes(fixture, "review-decision").isEmpty)
            // A batch: two of the four accepted, in one transaction.
            let batch = try await olga.post(
                client, "/review/decisions",
                form: [("csrf", token), ("item", "\(general[0])"), ("item", "\(general[1])"), ("decision", "accept")])
            #expect(batch.status == .seeOther)
            #expect(batch.headers[.location] == "/review?done=reviewAccepted&n=2")
            #expect(try Self.status(fixture, general[0]) == .accepted)
            #expect(try Self.status(fixture, general[1]) == .accepted)
            #expect(try Self.status(fixture, general[2]) == .pending)
            #expect(try Self.status(fixture, oncology) == .pending)
            let credited = try fixture.store.read { try $0.publication(id: "pub-gs-national-001") }
            #expect(credited?.authors.first?.personID == "gao-zhigang")
            let logged = try Self.changes(fixture, "review-decision")
            #expect(logged.count == 1, "one transaction")
            #expect(logged.first?.actor.name == "olga")
            let items = Set(logged.first?.records.filter { $0.kind == "review-item" }.map(\.recordID) ?? [])
            #expect(items == ["pub-gs-national-001", "pub-gs-national-002"])
            let done = String(buffer: try await olga.get(client, "/review?done=reviewAccepted&n=2&lang=zh").body)
            #expect(done.contains("已确认 2 项作者匹配。"))
            #expect(!done.contains(#"name="item" value="\#(general[0])""#), "a decided item leaves the queue")
            // One by one: a row's own button.
            let one = try await olga.post(
                client, "/review/decisions", form: [("csrf", token), ("only", "reject-\(general[2])")])
            #expect(one.status == .seeOther)
            #expect(try Self.status(fixture, general[2]) == .rejected)
            #expect(try Self.status(fixture, oncology) == .pending)
            // Nothing checked: said, nothing written.
            let none = try await olga.post(
                client, "/review/decisions?lang=zh", form: [("csrf", token), ("decision", "accept")])
            #expect(none.status == .unprocessableContent)
            #expect(String(buffer: none.body).contains("请先勾选"))
            #expect(try Self.changes(fixture, "review-decision").count == 2)
        }
    }

    @Test func undoingAMergeRestoresTheIncomingRecord() async throws {
        let fixture = try WebFixture()
        let merge = try #require(try fixture.store.read { try $0.merges() }.first)
        #expect(try fixture.store.read { try $0.publication(id: merge.mergedID) } == nil)
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let page = String(buffer: try await sam.get(client, "/review?department=general-surgery&lang=en").body)
            #expect(page.contains(merge.mergedID))
            #expect(page.contains("Undo the merge"))
            let token = try #require(Browser.csrf(in: page))
            let undone = try await sam.post(
                client, "/review/merges/undo?department=general-surgery",
                form: [("csrf", token), ("id", "\(merge.id)")])
            #expect(undone.status == .seeOther)
            let restored = try fixture.store.read { try $0.publication(id: merge.mergedID) }
            #expect(restored?.title == merge.merged.title)
            #expect(try fixture.store.read { try $0.merges() }.isEmpty)
            #expect(try Self.changes(fixture, "merge-rejected").map(\.actor.name) == ["sam"])
            let again = try await sam.post(
                client, "/review/merges/undo?department=general-surgery&lang=zh",
                form: [("csrf", token), ("id", "\(merge.id)")])
            #expect(again.status == .unprocessableContent)
            #expect(String(buffer: again.body).contains("没有编号为 \(merge.id) 的合并记录"))
        }
    }

    @Test func candidateDuplicatesAreMergedAndTheMergeUndone() async throws {
        let fixture = try WebFixture()
        _ = try fixture.store.write { tx in
            for (id, doi) in [("dup-a", "10.1000/journal"), ("dup-b", "10.1000/conference")] {
                try tx.upsert(
                    Publication(
                        id: id, kind: .journalArticle, title: MarkupText(markup: "A twice-told tale of the appendix"),
                        published: PartialDate(year: 2023), doi: doi,
                        authors: [Author(familyName: "Gao", givenName: "Zhigang")],
                        departmentIDs: id == "dup-a" ? ["general-surgery"] : ["oncology-surgery"]))
            }
        }
        let candidates = try fixture.store.read { try $0.duplicateCandidates() }
        #expect(candidates.map(\.firstID) == ["dup-a"])
        try await fixture.test { client in
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let page = String(buffer: try await olga.get(client, "/review?lang=zh").body)
            #expect(page.contains("疑似重复"))
            #expect(page.contains("DOI 不同：10.1000/journal 与 10.1000/conference"))
            let token = try #require(Browser.csrf(in: page))
            let merged = try await olga.post(
                client, "/review/duplicates/merge", form: [("csrf", token), ("kept", "dup-a"), ("merged", "dup-b")])
            #expect(merged.status == .seeOther)
            let kept = try fixture.store.read { try $0.publication(id: "dup-a") }
            #expect(kept?.departmentIDs == ["general-surgery", "oncology-surgery"])
            #expect(try fixture.store.read { try $0.publication(id: "dup-b") } == nil)
            #expect(try fixture.store.read { try $0.duplicateCandidates() }.isEmpty)
            let merge = try #require(try fixture.store.read { try $0.merges() }.first { $0.mergedID == "dup-b" })
            #expect(try Self.changes(fixture, "merge").map(\.actor.name) == ["olga"])
            // Undo: dup-b is back on its own, and the two are kept apart from now on.
            let undone = try await olga.post(
                client, "/review/merges/undo", form: [("csrf", token), ("id", "\(merge.id)")])
            #expect(undone.status == .seeOther)
            #expect(try fixture.store.read { try $0.publication(id: "dup-b") }?.doi == "10.1000/conference")
            #expect(try fixture.store.read { try $0.duplicateCandidates() }.isEmpty, "a rejected pair is not listed")
            // A pair that is not a candidate is not merged.
            let notAPair = try await olga.post(
                client, "/review/duplicates/merge?lang=en",
                form: [("csrf", token), ("kept", "pub-gs-national-001"), ("merged", "pub-gs-national-002")])
            #expect(notAPair.status == .unprocessableContent)
            #expect(try fixture.store.read { try $0.publication(id: "pub-gs-national-002") } != nil)
        }
    }
}

/// Issue 17's leftovers: an admin keeps the accounts manageable, the record lists answer in JSON, and a Chinese case
/// page names its rows in Chinese.
@Suite struct IssueSeventeenLeftoverTests {
    @Test func anAdminCannotDisableThemselvesOrTheLastAdmin() async throws {
        let fixture = try WebFixture()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        // The only admin: refused whoever asks (the CLI names no requester).
        #expect(throws: AccountError.self) { try service.disable(name: "ada") }
        #expect(throws: AccountError.self) { try service.disable(name: "ada", requester: "ada") }
        #expect(try service.list().first { $0.name == "ada" }?.disabled == false)
        try await fixture.test { client in
            var ada = Browser()
            try await ada.signIn(client, "ada")
            let page = String(buffer: try await ada.get(client, "/admin/users?lang=zh").body)
            let token = try #require(Browser.csrf(in: page))
            let own = try await ada.post(
                client, "/admin/users/disable?lang=zh", form: [("csrf", token), ("name", "ada")])
            #expect(own.status == .unprocessableContent)
            #expect(String(buffer: own.body).contains("不能停用自己的账户"))
            #expect(try service.list().first { $0.name == "ada" }?.disabled == false)
        }
        // With a second admin, one may disable the other, but not the last one left.
        try service.add(name: "adam", role: .admin, departments: [], password: WebFixture.password)
        #expect(throws: AccountError.self) { try service.disable(name: "adam", requester: "adam") }
        try service.disable(name: "ada", requester: "adam")
        #expect(try service.list().first { $0.name == "ada" }?.disabled == true)
        do {
            try service.disable(name: "adam")
            Issue.record("the last enabled admin was disabled")
        } catch let error as AccountError {
            #expect(error.message.contains("last enabled admin"))
            #expect(error.messageZH.contains("最后一个启用的管理员"))
        }
        #expect(try service.list().first { $0.name == "adam" }?.disabled == false)
    }

    @Test func refusalsAreSaidInThePagesLanguage() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let record = try await sam.get(
                client, "/entry/projects/proj-onc-nsfc-01?department=general-surgery&lang=zh")
            #expect(record.status == .forbidden)
            let text = String(buffer: record.body)
            #expect(text.contains("不能在此修改"))
            #expect(!text.contains("works for"))
            let english = try await sam.get(
                client, "/entry/projects/proj-onc-nsfc-01?department=general-surgery&lang=en")
            #expect(String(buffer: english.body).contains("works for"))
            let hospital = try await sam.get(client, "/history?lang=zh")
            #expect(hospital.status == .forbidden)
            #expect(String(buffer: hospital.body).contains("此功能需要"))
        }
    }

    @Test func theRecordListsAnswerInJSON() async throws {
        let fixture = try WebFixture()
        let projects = try fixture.store.read { try $0.projects() }
        try await fixture.test { client in
            var vic = Browser()
            try await vic.signIn(client, "vic")
            let response = try await vic.get(client, "/api/projects")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            let listed = object["projects"] as? [[String: Any]] ?? []
            #expect(object["total"] as? Int == projects.count)
            #expect(object["page"] as? Int == 1)
            #expect(listed.count == min(projects.count, 20))
            #expect(!projects.isEmpty)
            for kind in ["patents", "awards", "people"] {
                let other = try await vic.get(client, "/api/\(kind)")
                #expect(other.status == .ok, "\(kind)")
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: other.body)) as? [String: Any]
                #expect(answer?[kind] is [Any], "\(kind)")
            }
            let wrong = try await vic.get(client, "/api/projects?colour=red")
            #expect(wrong.status == .badRequest)
        }
    }

    @Test func aChinesePageNamesTheBaselineRowInChinese() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let chinese = String(
                buffer: try await olga.get(client, "/cases?department=general-surgery&by=year&lang=zh").body)
            #expect(chinese.contains("截至 2015-12-31（累计基数）"))
            #expect(!chinese.contains("baseline"), "no English row label on a Chinese page")
            let english = String(
                buffer: try await olga.get(client, "/cases?department=general-surgery&by=year&lang=en").body)
            #expect(english.contains("through 2015-12-31 (baseline)"))
            let approaches = String(
                buffer: try await olga.get(client, "/cases?department=general-surgery&by=approach&lang=zh").body)
            #expect(approaches.contains("腹腔镜"))
            #expect(!approaches.contains(">laparoscopic<"))
        }
    }
}
