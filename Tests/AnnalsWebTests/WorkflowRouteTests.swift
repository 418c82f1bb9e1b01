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

/// The approval chain through the pages and the API: every transition by role, CSRF, closing a year (on the
/// backend under test, `ANNALS_TEST_BACKEND`).
@Suite(.serialized) struct WorkflowRouteTests {
    static func project(_ id: String, year: Int, title: String) -> Project {
        Project(
            id: id, title: title, funder: "NSFC", level: .national,
            departments: [.init(departmentID: "general-surgery", role: .lead)], start: PartialDate(year: year),
            status: .ongoing)
    }

    /// A secretary's entry, written as a form writes it (through `Registry.write`, as the account).
    static func enter(_ fixture: WebFixture, as name: String, _ project: Project) throws {
        try Registry(store: fixture.store, actor: ChangeActor(name)).write(.edit) { try $0.upsert(project) }
    }

    static func state(_ fixture: WebFixture, _ id: String) throws -> WorkflowState {
        try Registry(store: fixture.store, actor: testActor).workflow(kind: .project, id: id, for: nil).state
    }

    static func act(
        _ client: any TestClientProtocol, _ browser: inout Browser, _ path: String, id: String, opinion: String = "",
        csrf: String? = nil
    ) async throws -> TestResponse {
        let page = try await browser.get(client, "/tasks")
        let token = csrf ?? Browser.csrf(in: String(buffer: page.body)) ?? ""
        return try await browser.post(
            client, path, form: [("csrf", token), ("kind", "project"), ("id", id), ("opinion", opinion)])
    }

    @Test func transitionsByRoleThroughThePages() async throws {
        let fixture = try WebFixture()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        try service.add(name: "sue", role: .secretary, departments: ["oncology-surgery"], password: WebFixture.password)
        try Self.enter(fixture, as: "sam", Self.project("wf-1", year: 2025, title: "Choledochal cyst follow-up"))
        #expect(try Self.state(fixture, "wf-1") == .submitted)
        try await fixture.test { client in
            // The secretary sees the status and no validate button; validating is refused (403), nothing changes.
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let samPage = String(buffer: try await sam.get(client, "/projects/wf-1?department=general-surgery").body)
            #expect(samPage.contains("待审核"))
            #expect(!samPage.contains("/records/validate"))
            #expect(try await Self.act(client, &sam, "/records/validate", id: "wf-1").status == .forbidden)
            #expect(try Self.state(fixture, "wf-1") == .submitted)
            // Another department's secretary, and a viewer, are refused too.
            var sue = Browser()
            try await sue.signIn(client, "sue")
            let sueReturn = try await Self.act(client, &sue, "/records/return", id: "wf-1", opinion: "no")
            #expect(sueReturn.status == .forbidden)
            var vic = Browser()
            try await vic.signIn(client, "vic")
            #expect(try await Self.act(client, &vic, "/records/validate", id: "wf-1").status == .forbidden)
            // The office: a form without the session's token is refused.
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let forged = try await Self.act(client, &olga, "/records/validate", id: "wf-1", csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(try Self.state(fixture, "wf-1") == .submitted)
            // The office's tasks list it, with a count in the header; it returns it with an opinion.
            let tasks = String(buffer: try await olga.get(client, "/tasks").body)
            #expect(tasks.contains("Choledochal cyst follow-up"))
            #expect(tasks.contains("我的待办 (1)"))
            let returned = try await Self.act(client, &olga, "/records/return", id: "wf-1", opinion: "请补充项目编号")
            #expect(returned.status == .seeOther)
            #expect(try Self.state(fixture, "wf-1") == .returned)
            // The secretary's tasks now hold it, with the opinion; so does the record's page.
            let samTasks = String(buffer: try await sam.get(client, "/tasks").body)
            #expect(samTasks.contains("请补充项目编号"))
            let again = String(buffer: try await sam.get(client, "/projects/wf-1?department=general-surgery").body)
            #expect(again.contains("已退回"))
            #expect(again.contains("请补充项目编号"))
            // A change resubmits it; the office validates it.
            try Self.enter(fixture, as: "sam", Self.project("wf-1", year: 2025, title: "Choledochal cyst follow-up, 2"))
            #expect(try Self.state(fixture, "wf-1") == .submitted)
            let validated = try await Self.act(client, &olga, "/records/validate", id: "wf-1")
            #expect(validated.status == .seeOther)
            #expect(try Self.state(fixture, "wf-1") == .validated)
            let page = String(buffer: try await olga.get(client, "/projects/wf-1?lang=en").body)
            #expect(page.contains("Validated"))
            #expect(page.contains("Returned"))
            // The report page counts validated records only when asked, and says so.
            let report = String(buffer: try await olga.get(client, "/reports?year=2025&validated=1").body)
            #expect(report.contains("仅统计已审核通过的记录"))
            let download = try await olga.get(client, "/downloads/report?year=2025&validated=1&format=markdown")
            #expect(String(buffer: download.body).contains("仅统计已审核通过的记录"))
            // A validated record changed goes back for validation.
            try Self.enter(fixture, as: "sam", Self.project("wf-1", year: 2025, title: "Changed once more"))
            #expect(try Self.state(fixture, "wf-1") == .submitted)
        }
    }

    @Test func theAPIValidatesReturnsListsTasksAndShowsTheHistory() async throws {
        let fixture = try WebFixture()
        try Self.enter(fixture, as: "sam", Self.project("wf-2", year: 2025, title: "API project"))
        try Self.enter(fixture, as: "sam", Self.project("wf-3", year: 2025, title: "API project 3"))
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        let office = try service.createToken(for: "olga").secret
        let secretary = try service.createToken(for: "sam").secret
        try await fixture.test { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ token: String, _ body: String = "") async throws
                -> (HTTPResponse.Status, String)
            {
                let response = try await client.execute(
                    uri: uri, method: method,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: body))
                return (response.status, String(buffer: response.body))
            }
            let (listed, tasks) = try await call(.get, "/api/tasks", office)
            #expect(listed == .ok)
            #expect(tasks.contains(#""count":2"#))
            let (refused, _) = try await call(.post, "/api/records/wf-2/validate", secretary, #"{"kind":"project"}"#)
            #expect(refused == .forbidden)
            let (noOpinion, _) = try await call(.post, "/api/records/wf-3/return", office, #"{"kind":"project"}"#)
            #expect(noOpinion == .unprocessableContent)
            let (ok, body) = try await call(.post, "/api/records/wf-2/validate", office, #"{"kind":"project"}"#)
            #expect(ok == .ok)
            #expect(body.contains(#""status":"validated""#))
            let (back, backBody) = try await call(
                .post, "/api/records/wf-3/return", office, #"{"opinion":"金额有误"}"#)
            #expect(back == .ok)
            #expect(backBody.contains(#""status":"returned""#))
            let (_, samTasks) = try await call(.get, "/api/tasks", secretary)
            #expect(samTasks.contains("金额有误"))
            let (historyStatus, history) = try await call(.get, "/api/history?record=wf-3", office)
            #expect(historyStatus == .ok)
            #expect(history.contains("金额有误"))
            #expect(history.contains("workflow"))
        }
    }

    @Test func aClosedYearRefusesWritesUntilTheOfficeReopensIt() async throws {
        let fixture = try WebFixture()
        try Self.enter(fixture, as: "sam", Self.project("wf-4", year: 2025, title: "Closed-year project"))
        try await fixture.test { client in
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let page = try await sam.get(client, "/tasks")
            let samToken = Browser.csrf(in: String(buffer: page.body)) ?? ""
            let samClose = try await sam.post(client, "/years/close", form: [("csrf", samToken), ("year", "2025")])
            #expect(samClose.status == .forbidden)
            var olga = Browser()
            try await olga.signIn(client, "olga")
            let years = String(buffer: try await olga.get(client, "/years").body)
            let token = Browser.csrf(in: years) ?? ""
            let closed = try await olga.post(client, "/years/close", form: [("csrf", token), ("year", "2025")])
            #expect(closed.status == .seeOther)
            #expect(String(buffer: try await olga.get(client, "/years").body).contains("2025"))
            #expect(throws: ClosedYearRefusal.self) {
                try Self.enter(fixture, as: "sam", Self.project("wf-4", year: 2025, title: "Too late"))
            }
            let refused = try await Self.act(client, &olga, "/records/validate", id: "wf-4")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("关账"))
            let reopened = try await olga.post(client, "/years/reopen", form: [("csrf", token), ("year", "2025")])
            #expect(reopened.status == .seeOther)
            try Self.enter(fixture, as: "sam", Self.project("wf-4", year: 2025, title: "In time"))
            #expect(try Registry(store: fixture.store, actor: testActor).project(id: "wf-4")?.title == "In time")
        }
    }

    /// A secretary's change to a person (through `Registry.write`, as the account).
    static func changeTitle(_ fixture: WebFixture, of id: String, as name: String) throws {
        let registry = Registry(store: fixture.store, actor: ChangeActor(name))
        guard var person = try registry.read({ try $0.people() }).first(where: { $0.id == id }) else {
            Issue.record("no person \(id) in the fixture")
            return
        }
        person.academicTitle = "Professor"
        try registry.write(.edit) { [person] in try $0.upsert(person) }
    }

    /// A person's page is kept until the registry changes and shared by everyone who opens it; what each account may
    /// do (the validate button) is worked out for each, and a transition or a file added shows at once.
    @Test func aKeptPersonPageShowsEachAccountItsOwnButtons() async throws {
        let fixture = try WebFixture()
        try Self.changeTitle(fixture, of: "gao-zhigang", as: "sam")
        #expect(
            try Registry(store: fixture.store, actor: testActor).workflow(kind: .person, id: "gao-zhigang", for: nil)
                .state == .submitted)
        try await fixture.test { client in
            var olga = Browser()
            try await olga.signIn(client, "olga")
            var sam = Browser()
            try await sam.signIn(client, "sam")
            let path = "/people/gao-zhigang?department=general-surgery"
            for _ in 0..<2 {  // the second time from what was kept
                #expect(String(buffer: try await olga.get(client, path).body).contains("/records/validate"))
                let samPage = String(buffer: try await sam.get(client, path).body)
                #expect(samPage.contains("待审核"))
                #expect(!samPage.contains("/records/validate"))
            }
            let page = try await olga.get(client, "/tasks")
            let validated = try await olga.post(
                client, "/records/validate",
                form: [
                    ("csrf", Browser.csrf(in: String(buffer: page.body)) ?? ""), ("kind", "person"),
                    ("id", "gao-zhigang"), ("opinion", ""),
                ])
            #expect(validated.status == .seeOther)
            let after = String(buffer: try await olga.get(client, path).body)
            #expect(!after.contains("/records/validate"))
            #expect(!after.contains("待审核"))
            _ = try Registry(store: fixture.store, actor: testActor).attach(
                Data("%PDF-1.4 certificate".utf8), named: "证书.pdf", to: .person, id: "gao-zhigang")
            #expect(String(buffer: try await sam.get(client, path).body).contains("证书.pdf"))
        }
    }
}
