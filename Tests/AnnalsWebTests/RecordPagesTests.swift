import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The pages of projects, patents, awards and people, a person's page, the change log and the accounts forms:
/// what they show, in both languages (on the backend under test, `ANNALS_TEST_BACKEND`).
@Suite(.serialized) struct RecordPagesTests {
    /// A project with a grant number and a title carrying markup and a script, and a paper whose imported title
    /// has allowed markup and a script.
    static func addMarkedUpRecords(_ fixture: WebFixture) throws {
        _ = try fixture.store.write { tx in
            try tx.upsert(
                Project(
                    id: "proj-markup", title: "Study of <i>BRAF</i> <script>alert(1)</script> in children",
                    funder: "National Natural Science Foundation of China", level: .national,
                    grantNumber: "82071234", principalInvestigatorID: "gao-zhigang",
                    departments: [.init(departmentID: "general-surgery", role: .lead)],
                    start: PartialDate(year: 2022), status: .ongoing))
            try tx.upsert(
                Publication(
                    id: "paper-markup", kind: .journalArticle,
                    title: MarkupText(markup: "Role of <i>MYCN</i> <script>alert(2)</script> in neuroblastoma"),
                    published: PartialDate(year: 2023), departmentIDs: ["general-surgery"]))
        }
    }

    static func page(_ client: any TestClientProtocol, _ browser: Browser, _ uri: String) async throws -> String {
        let response = try await browser.get(client, uri)
        #expect(response.status == .ok, "GET \(uri): \(response.status.code)")
        return String(buffer: response.body)
    }

    @Test func projectListsFilterSearchAndPage() async throws {
        let fixture = try WebFixture()
        try Self.addMarkedUpRecords(fixture)
        let registry = Registry(store: fixture.store, actor: testActor)
        let all = try registry.projects(RecordFilter(pageSize: 1000))
        let national = try registry.projects(RecordFilter(level: .national, pageSize: 1000))
        let allNational = national.items.allSatisfy { $0.level == .national }
        #expect(allNational)
        #expect(national.total > 0 && national.total < all.total)
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            // A filter that excludes: national projects only.
            let filtered = try await Self.page(client, browser, "/projects?level=national&lang=en")
            #expect(filtered.contains("\(national.total) found"))
            #expect(filtered.contains("individual drug screening models"))
            #expect(!filtered.contains("clinical application of laparoscopy"))
            // Paging: 20 a page; page 2 shows what page 1 does not, and says so.
            let first = try await Self.page(client, browser, "/projects?lang=en")
            let pages = (all.total + 19) / 20
            #expect(first.contains("Page 1 of \(pages)"))
            #expect(first.contains("page=2"))
            let second = try await Self.page(client, browser, "/projects?lang=en&page=2")
            #expect(second.contains("Page 2 of \(pages)"))
            let firstTitles = try registry.projects(RecordFilter(page: 1)).items.map(\.title)
            let secondTitles = try registry.projects(RecordFilter(page: 2)).items.map(\.title)
            #expect(Set(firstTitles).isDisjoint(with: secondTitles))
            // Search by grant number: one hit.
            let hit = try await Self.page(client, browser, "/projects?q=82071234&lang=en")
            #expect(hit.contains("1 found"))
            #expect(hit.contains("/projects/proj-markup"))
            // Escaping: the project's title is text, the script never markup.
            #expect(hit.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!hit.contains("<script>"))
            // Chinese labels.
            let chinese = try await Self.page(client, browser, "/projects?level=national&lang=zh")
            for word in ["科研项目", "级别", "资助机构", "国家级", "共 \(national.total) 条", "第 1 页"] {
                #expect(chinese.contains(word), "\(word)")
            }
            #expect(chinese.contains("难治性实体肿瘤个体化药物筛选模型"))
        }
    }

    @Test func peopleAreFoundByHanziOrPinyinAndPatentsAndAwardsList() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            for search in ["高志刚", "gaozhigang", "Zhigang%20Gao", "GAO"] {
                let page = try await Self.page(client, browser, "/people?q=\(search)&lang=en")
                #expect(page.contains("/people/gao-zhigang"), "\(search)")
                #expect(!page.contains("/people/li-minju"), "\(search)")
            }
            let department = try await Self.page(client, browser, "/people?department=oncology-surgery&lang=zh")
            #expect(department.contains("/people/li-minju"))
            #expect(!department.contains("/people/gao-zhigang"))
            let patents = try await Self.page(client, browser, "/patents?lang=zh")
            #expect(patents.contains("/patents/patent-onc-1"))
            #expect(patents.contains("专利"))
            let awards = try await Self.page(client, browser, "/awards?year=2019&lang=en")
            #expect(awards.contains("/awards/award-onc-zj-stp-second"))
            #expect(!awards.contains("/awards/award-onc-zj-med-innovation"))
            let none = try await Self.page(client, browser, "/awards?q=nothing-like-this&lang=zh")
            #expect(none.contains("没有符合条件的记录"))
        }
    }

    @Test func detailPagesShowTheRecordAndKeepOnlyAllowedMarkup() async throws {
        let fixture = try WebFixture()
        try Self.addMarkedUpRecords(fixture)
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "vic")
            let paper = try await Self.page(client, browser, "/papers/paper-markup?lang=en")
            #expect(paper.contains("<i>MYCN</i>"))
            #expect(paper.contains("&lt;script&gt;alert(2)"))
            #expect(!paper.contains("<script>"))
            let project = try await Self.page(client, browser, "/projects/proj-markup?lang=zh")
            #expect(project.contains("82071234"))
            #expect(project.contains("国家级"))
            #expect(project.contains("/people/gao-zhigang"))
            #expect(project.contains("高志刚"))
            // Money as the reports write it: 万元 on a Chinese page, thousands separators on an English one.
            let fundedZH = try await Self.page(client, browser, "/projects/proj-gs-moe-1?lang=zh")
            #expect(fundedZH.contains("20万元") && !fundedZH.contains("200000 CNY"))
            let fundedEN = try await Self.page(client, browser, "/projects/proj-gs-moe-1?lang=en")
            #expect(fundedEN.contains("CNY 200,000"))
            let patent = try await Self.page(client, browser, "/patents/patent-onc-1?lang=zh")
            #expect(patent.contains("发明人"))
            let award = try await Self.page(client, browser, "/awards/award-onc-zj-stp-second?lang=en")
            #expect(award.contains("2019"))
            let missing = try await browser.get(client, "/projects/no-such-project")
            #expect(missing.status == .notFound)
            // A secretary sees only the records of their department.
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let own = try await sam.get(client, "/projects/proj-markup?department=general-surgery")
            #expect(own.status == .ok)
            let other = try await sam.get(client, "/projects/proj-onc-nsfc-01?department=general-surgery")
            #expect(other.status == .notFound)
        }
    }

    @Test func aPersonsPageShowsTheirRecordsAndOperationsAsTheCaseQuestionCountsThem() async throws {
        let fixture = try WebFixture()
        try Self.addMarkedUpRecords(fixture)
        let registry = Registry(store: fixture.store, actor: testActor)
        let record = try #require(try registry.personRecord(id: "gao-zhigang"))
        #expect(record.projects.contains { $0.id == "proj-markup" })
        let answer = try registry.cases(CaseQuestion(surgeon: "gao-zhigang")).rendered(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
        let figure = try #require(object["figure"] as? String)
        let exact = object["exact"] as? Bool == true
        let explanation = try #require(object["explanation"] as? String)
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let page = try await Self.page(client, browser, "/people/gao-zhigang?lang=zh")
            #expect(page.contains("<h1>高志刚</h1>"))
            #expect(page.contains("作为术者登记的手术"))
            #expect(page.contains(#"<div class="value">\#(TitleHTML.escape(figure))</div>"#))
            #expect(page.contains("科研项目 （\(record.projects.count)）"))
            #expect(page.contains("论文 （\(record.publications.count)）"))
            #expect(page.contains("/projects/proj-markup"))
            #expect(!page.contains("<script>"))
            // The count's exactness said in Chinese, not the library's English sentence.
            if !exact {
                #expect(page.contains("没有符合此问题的手术登记") || page.contains("不精确："))
                #expect(!page.contains(explanation))
            }
        }
    }

    @Test func theHistoryPageFiltersByRecordActorAndDayForTheOfficeOnly() async throws {
        let fixture = try WebFixture()
        try Self.addMarkedUpRecords(fixture)
        try await fixture.test { client in
            var office = Browser()
            try await office.signIn(client, "olga")
            let byRecord = try await Self.page(client, office, "/history?record=proj-markup&lang=en")
            #expect(byRecord.contains("proj-markup"))
            #expect(byRecord.contains("1 found"))
            let byActor = try await Self.page(client, office, "/history?actor=nobody-at-all&lang=zh")
            #expect(byActor.contains("共 0 条"))
            let tests = try await Self.page(client, office, "/history?actor=annals-tests&lang=zh")
            #expect(tests.contains("annals-tests"))
            #expect(tests.contains("修改记录"))
            let future = try await Self.page(client, office, "/history?from=2999-01-01&lang=en")
            #expect(future.contains("0 found"))
            let past = try await Self.page(client, office, "/history?to=2000-01-01&lang=en")
            #expect(past.contains("0 found"))
            let bad = try await office.get(client, "/history?from=yesterday")
            #expect(bad.status == .badRequest)
            var viewer = Browser()
            try await viewer.signIn(client, "vic")
            let refused = try await viewer.get(client, "/history")
            #expect(refused.status == .forbidden)
        }
    }

    @Test func adminFormsAddDisableAndSetPasswordsAndWriteNothingWhenRefused() async throws {
        let fixture = try WebFixture()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        try await fixture.test { client in
            var admin = Browser()
            try await admin.signIn(client, "ada")
            let form = try await Self.page(client, admin, "/admin/users?lang=zh")
            let token = try #require(Browser.csrf(in: form))
            #expect(form.contains("添加用户"))
            // Refused: a secretary without a department. The form says why, in Chinese, and nothing is written.
            let before = try service.list().count
            let refused = try await admin.post(
                client, "/admin/users?lang=zh",
                form: [("csrf", token), ("name", "newsec"), ("role", "secretary"), ("password", "long enough 123")])
            #expect(refused.status == .unprocessableContent)
            let refusedPage = String(buffer: refused.body)
            #expect(refusedPage.contains("科室秘书至少要选一个科室"))
            #expect(refusedPage.contains(#"value="newsec""#))
            #expect(!refusedPage.contains("long enough 123"))
            #expect(try service.list().count == before)
            // Refused: a password too short.
            let short = try await admin.post(
                client, "/admin/users",
                form: [
                    ("csrf", token), ("name", "newsec"), ("role", "secretary"), ("departments", "general-surgery"),
                    ("password", "short"),
                ])
            #expect(short.status == .unprocessableContent)
            #expect(try service.list().count == before)
            // Refused: no form token.
            let forged = try await admin.post(
                client, "/admin/users", form: [("name", "forged"), ("role", "viewer")])
            #expect(forged.status == .forbidden)
            #expect(try service.list().count == before)
            // Added.
            let added = try await admin.post(
                client, "/admin/users",
                form: [
                    ("csrf", token), ("name", "newsec"), ("role", "secretary"), ("departments", "general-surgery"),
                    ("password", "long enough 123"),
                ])
            #expect(added.status == .seeOther)
            let account = try #require(try service.list().first { $0.name == "newsec" })
            #expect(account.role == .secretary && account.departments == ["general-surgery"])
            let done = try await Self.page(client, admin, added.headers[.location] ?? "/admin/users")
            #expect(done.contains("newsec"))
            // The new account signs in; a new password replaces the old; disabled, it cannot sign in.
            var newcomer = Browser()
            #expect(try await newcomer.signIn(client, "newsec", password: "long enough 123").status == .seeOther)
            let changed = try await admin.post(
                client, "/admin/users/password",
                form: [("csrf", token), ("name", "newsec"), ("password", "another one 456")])
            #expect(changed.status == .seeOther)
            var again = Browser()
            #expect(try await again.signIn(client, "newsec", password: "another one 456").status == .seeOther)
            let disabled = try await admin.post(
                client, "/admin/users/disable", form: [("csrf", token), ("name", "newsec")])
            #expect(disabled.status == .seeOther)
            #expect(try service.list().first { $0.name == "newsec" }?.disabled == true)
            var late = Browser()
            #expect(try await late.signIn(client, "newsec", password: "another one 456").status == .unauthorized)
            // The change log names the admin.
            let history = try await Self.page(client, admin, "/history?actor=ada&lang=en")
            #expect(history.contains("add newsec"))
            let chineseHistory = try await Self.page(client, admin, "/history?actor=ada&lang=zh")
            #expect(chineseHistory.contains("账户 添加 newsec"))
            #expect(chineseHistory.contains("新增 账户 newsec"))
            // Not an admin: refused; signed out: to the sign-in page.
            var office = Browser()
            try await office.signIn(client, "olga")
            let officeToken = try #require(try await office.sessionToken(client))
            let notAdmin = try await office.post(
                client, "/admin/users", form: [("csrf", officeToken), ("name", "x1"), ("role", "viewer")])
            #expect(notAdmin.status == .forbidden)
            var stranger = Browser()
            let signedOut = try await stranger.post(
                client, "/admin/users/disable", form: [("csrf", token), ("name", "vic")])
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[.location]?.hasPrefix("/signin") == true)
            #expect(try service.list().first { $0.name == "vic" }?.disabled == false)
        }
    }
}
