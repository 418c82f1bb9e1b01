import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The beds and procedure forms, and the approval chain's page, in process: every role, Chinese values, errors
/// at their fields with nothing written, edit and delete in the change log. On the backend under test.
@Suite(.serialized) struct ReferenceFormTests {
    static func signedIn(_ client: any TestClientProtocol, _ name: String) async throws -> (Browser, String) {
        var browser = Browser()
        try await browser.signIn(client, name)
        let token = try await browser.sessionToken(client) ?? ""
        return (browser, token)
    }

    static func beds(_ fixture: WebFixture, _ department: String) throws -> [BedCount] {
        try fixture.store.read { try $0.orgUnits().first { $0.id == department }?.beds ?? [] }
    }

    @Test func aSecretaryEntersAndCorrectsTheirDepartmentsBeds() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            var (vic, vicToken) = try await Self.signedIn(client, "vic")
            let page = try await sam.get(client, "/entry/beds/new?department=general-surgery")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            for key in ["department", "campus", "beds", "vip_beds"] { #expect(html.contains("name=\"\(key)\"")) }
            #expect(html.contains(">床位数") && html.contains("滨江院区"), "labels and campuses in Chinese")
            #expect(
                html.contains("/entry/beds/general-surgery@binjiang?department=general-surgery"),
                "the department's beds are listed, each with its form")
            #expect(try await sam.get(client, "/entry/beds/new?department=oncology-surgery").status == .forbidden)
            #expect(
                try await sam.get(client, "/entry/beds/oncology-surgery?department=oncology-surgery").status
                    == .forbidden)
            #expect(try await vic.get(client, "/entry/beds/new").status == .forbidden)
            let missing = try await sam.get(client, "/entry/beds/general-surgery@nowhere?department=general-surgery")
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("没有编号为 general-surgery@nowhere 的床位记录"))

            // A correction, as a secretary types it: a campus by its Chinese name, a count with 张.
            let edit = "/entry/beds/general-surgery@binjiang?department=general-surgery"
            let changes = try fixture.store.read { try $0.history().count }
            let forged = try await sam.post(
                client, edit, form: [("csrf", "forged"), ("department", "general-surgery"), ("beds", "50")])
            #expect(forged.status == .forbidden, "CSRF refused")
            let viewer = try await vic.post(
                client, edit, form: [("csrf", vicToken), ("department", "general-surgery"), ("beds", "50")])
            #expect(viewer.status == .forbidden, "a viewer cannot write")
            let wrong = try await sam.post(
                client, edit,
                form: [("csrf", token), ("department", "普外科"), ("campus", "滨江院区"), ("beds", "四十五"), ("vip_beds", "-1")])
            #expect(wrong.status == .unprocessableContent)
            let wrongHTML = String(buffer: wrong.body)
            #expect(wrongHTML.contains("「四十五」不是床位数"), "the error at its field, in a secretary's words")
            #expect(wrongHTML.contains("「-1」不是床位数"))
            #expect(wrongHTML.contains("value=\"四十五\""), "what was typed is kept")
            #expect(try fixture.store.read { try $0.history().count } == changes, "nothing written")
            let saved = try await sam.post(
                client, edit,
                form: [("csrf", token), ("department", "普外科"), ("campus", "滨江院区"), ("beds", "５０张"), ("vip_beds", "3")])
            #expect(saved.status == .seeOther, "\(String(buffer: saved.body).prefix(400))")
            let back = try await sam.get(client, saved.headers[.location] ?? "/")
            #expect(String(buffer: back.body).contains("已保存：滨江院区：床位 50 张，VIP床位 3 张。"), "said as a secretary reads it")
            let after = try Self.beds(fixture, "general-surgery")
            #expect(after.count == 2)
            #expect(after.first { $0.campusID == "binjiang" } == BedCount(campusID: "binjiang", beds: 50, vipBeds: 3))
            let history = try fixture.store.read { try $0.history(recordID: "general-surgery") }
            #expect(history.last?.actor.name == "sam")
            // A secretary's beds wait for validation with the department's unit; the office validates them where
            // they are shown.
            let status = try fixture.store.read { try $0.workflowStatus(kind: .orgUnit, id: "general-surgery") }
            #expect(status?.state == .submitted)
            var (olga, olgaToken) = try await Self.signedIn(client, "olga")
            let tasks = String(buffer: try await olga.get(client, "/tasks").body)
            #expect(tasks.contains("科室床位") && tasks.contains("/entry/beds/new?department=general-surgery"))
            let bedsPage = String(buffer: try await olga.get(client, "/entry/beds/new?department=general-surgery").body)
            #expect(bedsPage.contains("action=\"/records/validate\""))
            let officeEdit = String(buffer: try await olga.get(client, "/entry/beds/general-surgery@hubin").body)
            #expect(officeEdit.contains("湖滨院区：床位 42 张，VIP床位 2 张（正在修改）"), "the department's beds, without naming it")
            let validated = try await olga.post(
                client, "/records/validate",
                form: [("csrf", olgaToken), ("kind", "org-unit"), ("id", "general-surgery")])
            #expect(validated.status == .seeOther)
            #expect(try fixture.store.read { try $0.workflowStatus(kind: .orgUnit, id: "general-surgery") } == nil)

            // The same campus again as a new entry: refused, with the way to correct it.
            let twice = try await sam.post(
                client, "/entry/beds/new?department=general-surgery",
                form: [("csrf", token), ("department", "general-surgery"), ("campus", "binjiang"), ("beds", "60")])
            #expect(twice.status == .unprocessableContent)
            #expect(String(buffer: twice.body).contains("已登记（50 张）"))
            // Another department's beds through the form's own field: refused at the field.
            let other = try await sam.post(
                client, "/entry/beds/new?department=general-surgery",
                form: [("csrf", token), ("department", "oncology-surgery"), ("campus", "binjiang"), ("beds", "9")])
            #expect(other.status == .unprocessableContent)
            #expect(String(buffer: other.body).contains("您只能录入本科室"))
            #expect(try Self.beds(fixture, "oncology-surgery") == [BedCount(beds: 32)])

            // Deleted with a reason, which the history keeps.
            let unreasoned = try await sam.post(
                client, "/entry/beds/general-surgery@hubin/delete?department=general-surgery",
                form: [("csrf", token)])
            #expect(unreasoned.status == .unprocessableContent)
            let deleted = try await sam.post(
                client, "/entry/beds/general-surgery@hubin/delete?department=general-surgery",
                form: [("csrf", token), ("reason", "湖滨院区病区已撤并")])
            #expect(deleted.status == .seeOther)
            #expect(try Self.beds(fixture, "general-surgery").map(\.campusID) == ["binjiang"])
            let last = try fixture.store.read { try $0.history(recordID: "general-surgery") }.last
            #expect(last?.action == .delete(reason: "湖滨院区病区已撤并"))
            _ = vicToken
        }
    }

    @Test func theProcedureVocabularyIsTheOffices() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, samToken) = try await Self.signedIn(client, "sam")
            var (olga, token) = try await Self.signedIn(client, "olga")
            #expect(try await sam.get(client, "/entry/procedures/new?department=general-surgery").status == .forbidden)
            let refused = try await sam.post(
                client, "/entry/procedures/new?department=general-surgery",
                form: [("csrf", samToken), ("name_zh", "测试术"), ("name", "test operation"), ("category", "other")])
            #expect(refused.status == .forbidden, "a secretary never changes the vocabulary")
            let page = try await olga.get(client, "/entry/procedures/new")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            for key in ["name_zh", "name", "synonyms", "category", "grade"] {
                #expect(html.contains("name=\"\(key)\""))
            }
            #expect(html.contains("/entry/procedures/adhesiolysis"), "the vocabulary is listed, each with its form")
            let count = try fixture.store.read { try $0.procedures().count }

            // A name another procedure has, a name with an approach, a grade that is none: each at its field.
            let wrong = try await olga.post(
                client, "/entry/procedures/new",
                form: [
                    ("csrf", token), ("name_zh", "胆总管囊肿切除术"), ("name", "Kasai"), ("synonyms", "腹腔镜胆总管囊肿切除术"),
                    ("category", "肝胆"), ("grade", "五级"),
                ])
            #expect(wrong.status == .unprocessableContent)
            let wrongHTML = String(buffer: wrong.body)
            #expect(wrongHTML.contains("「胆总管囊肿切除术」已是术式"))
            #expect(wrongHTML.contains("入路在录入例数时选择"))
            #expect(wrongHTML.contains("「五级」不是手术分级"))
            #expect(try fixture.store.read { try $0.procedures().count } == count, "nothing written")

            let saved = try await olga.post(
                client, "/entry/procedures/new",
                form: [
                    ("csrf", token), ("name_zh", "先天性肠旋转不良矫治术"), ("name", "Ladd procedure"),
                    ("synonyms", "Ladd手术、肠旋转不良手术"), ("category", "胃肠"), ("grade", "三级"),
                ])
            #expect(saved.status == .seeOther, "\(String(buffer: saved.body).prefix(600))")
            let made = try fixture.store.read { try $0.procedures().first { $0.id == "ladd-procedure" } }
            #expect(made?.preferredTermZH == "先天性肠旋转不良矫治术")
            #expect(made?.synonyms == ["Ladd手术", "肠旋转不良手术"])
            #expect(made?.category == "gastrointestinal")
            #expect(made?.grade == 3)
            #expect(try fixture.store.read { try $0.history(recordID: "ladd-procedure") }.first?.actor.name == "olga")

            // The new term counts at once: a secretary's tally names it in Chinese.
            let tally = try await sam.post(
                client, "/entry/tallies/new?department=general-surgery",
                form: [
                    ("csrf", samToken), ("procedure", "肠旋转不良手术"), ("approach", "腹腔镜"),
                    ("department", "general-surgery"),
                    ("from", "2025-03"), ("to", "2025-03"), ("count", "2"),
                ])
            #expect(tally.status == .seeOther, "\(String(buffer: tally.body).prefix(600))")

            // Corrected; then a procedure a tally counts is not deleted (409), one no tally counts is.
            let corrected = try await olga.post(
                client, "/entry/procedures/ladd-procedure",
                form: [
                    ("csrf", token), ("name_zh", "先天性肠旋转不良矫治术"), ("name", "Ladd procedure"),
                    ("synonyms", "Ladd手术、肠旋转不良手术"), ("category", "gastrointestinal"), ("grade", "4"),
                ])
            #expect(corrected.status == .seeOther)
            #expect(try fixture.store.read { try $0.procedures().first { $0.id == "ladd-procedure" }?.grade } == 4)
            let kept = try await olga.post(
                client, "/entry/procedures/ladd-procedure/delete", form: [("csrf", token), ("reason", "重复")])
            #expect(kept.status == .conflict)
            #expect(String(buffer: kept.body).contains("其他记录仍引用这条记录"))
            let spare = try await olga.post(
                client, "/entry/procedures/new",
                form: [("csrf", token), ("name_zh", "测试用术式"), ("name", "trial entry"), ("category", "other")])
            #expect(spare.status == .seeOther)
            let gone = try await olga.post(
                client, "/entry/procedures/trial-entry/delete", form: [("csrf", token), ("reason", "录入错误")])
            #expect(gone.status == .seeOther)
            #expect(try fixture.store.read { try $0.procedures().contains { $0.id == "trial-entry" } } == false)
        }
    }

    @Test func everyFormIsReachableFromThePages() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            let (sam, _) = try await Self.signedIn(client, "sam")
            let (olga, _) = try await Self.signedIn(client, "olga")
            let (vic, _) = try await Self.signedIn(client, "vic")
            let (ada, _) = try await Self.signedIn(client, "ada")
            let dashboard = String(buffer: try await sam.get(client, "/?department=general-surgery").body)
            #expect(dashboard.contains("/entry/staff/new?department=general-surgery"))
            #expect(dashboard.contains("/entry/beds/new?department=general-surgery"))
            #expect(!dashboard.contains("/entry/procedures/new"), "the vocabulary is the office's")
            let staff = String(buffer: try await sam.get(client, "/entry/staff/new?department=general-surgery").body)
            #expect(staff.contains("本科室已录入的人员统计"), "the staff counts entered, to correct them")
            let cases = String(buffer: try await olga.get(client, "/cases").body)
            #expect(cases.contains("/entry/procedures/new"))
            let officeDashboard = String(buffer: try await olga.get(client, "/?department=general-surgery").body)
            #expect(officeDashboard.contains("/entry/procedures/new"))
            for page in ["/", "/cases"] {
                #expect(!String(buffer: try await vic.get(client, page).body).contains("/entry/"))
            }
            #expect(String(buffer: try await ada.get(client, "/admin/users").body).contains("href=\"/admin/chain\""))
        }
    }

    @Test func theAdminSetsTheApprovalChainOnItsPage() async throws {
        let fixture = try WebFixture()
        let registry = Registry(store: fixture.store, actor: testActor)
        try await fixture.test { client in
            var (ada, token) = try await Self.signedIn(client, "ada")
            var (olga, olgaToken) = try await Self.signedIn(client, "olga")
            let page = try await ada.get(client, "/admin/chain")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("目前使用默认流程") && html.contains("科研处"))
            #expect(try await olga.get(client, "/admin/chain").status == .forbidden)
            let set: [(String, String)] = [
                ("role0", "head"), ("scope0", "department"), ("label0", "科室主任"), ("role1", "office"),
                ("scope1", "hospital"), ("label1", "科研处"), ("role2", ""), ("scope2", "hospital"),
            ]
            #expect(try await olga.post(client, "/admin/chain", form: [("csrf", olgaToken)] + set).status == .forbidden)
            #expect(try await ada.post(client, "/admin/chain", form: [("csrf", "forged")] + set).status == .forbidden)
            #expect(try registry.approvalChain() == .standard)

            // A step the rules refuse: said in Chinese at its step, nothing changed.
            let wrong = try await ada.post(
                client, "/admin/chain", form: [("csrf", token), ("role0", "office"), ("scope0", "department")])
            #expect(wrong.status == .unprocessableContent)
            let wrongHTML = String(buffer: wrong.body)
            #expect(wrongHTML.contains("第 1 步：“本科室”范围的一步须由科室主任审核"))
            #expect(!wrongHTML.contains("a step scoped"), "no English on a Chinese page")
            #expect(try registry.approvalChain() == .standard)
            let none = try await ada.post(client, "/admin/chain", form: [("csrf", token), ("role0", "")])
            #expect(none.status == .unprocessableContent)
            #expect(String(buffer: none.body).contains("审核流程至少要有一步"))

            let saved = try await ada.post(client, "/admin/chain", form: [("csrf", token)] + set)
            #expect(saved.status == .seeOther)
            let chain = try registry.approvalChain()
            #expect(chain.isConfigured)
            #expect(
                chain.steps == [
                    ApprovalStep(role: .head, scope: .department, label: "科室主任"),
                    ApprovalStep(role: .office, scope: .hospital, label: "科研处"),
                ])
            let shown = String(buffer: try await ada.get(client, "/admin/chain?done=set").body)
            #expect(shown.contains("审核流程已保存") && shown.contains("科室主任"))
            let english = String(buffer: try await ada.get(client, "/admin/chain?lang=en").body)
            #expect(english.contains("The chain in force") && english.contains("Department head"))
            let history = try fixture.store.read { try $0.history(recordID: "chain") }
            #expect(history.last?.actor.name == "ada")

            let reset = try await ada.post(client, "/admin/chain", form: [("csrf", token), ("action", "reset")])
            #expect(reset.status == .seeOther)
            #expect(try registry.approvalChain() == .standard)
            #expect(try fixture.store.read { try $0.history(recordID: "chain") }.count == 2)
            _ = olgaToken
        }
    }
}
