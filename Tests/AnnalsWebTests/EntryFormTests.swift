import AnnalsModel
import AnnalsOffice
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The entry forms in process: every form × role, Chinese values, errors at their fields with nothing written,
/// the month grid, edit and delete in the change log, and `POST /api/tallies`. On the backend under test.
@Suite(.serialized) struct EntryFormTests {
    /// A valid entry of each kind, as a secretary of general surgery types it (in Chinese).
    static let valid: [SheetKind: [(String, String)]] = [
        .projects: [
            ("title", "儿童腹腔镜新技术研究"), ("funder", "国家自然科学基金委员会"), ("level", "国家级"), ("status", "在研"),
            ("departments", "普外科"), ("start", "2025/3/1"), ("end", "2027/12"), ("amount", "52万"),
            ("principal_investigator", "高志刚"),
        ],
        .papers: [
            ("title", "小儿胆总管囊肿腹腔镜手术的临床分析"), ("journal", "中华小儿外科杂志"), ("year", "2025"),
            ("authors", "高志刚、李明"), ("departments", "普外科"), ("type", "论著"),
        ],
        .patents: [
            ("kind", "发明专利"), ("title", "一种小儿腹腔镜牵开器"), ("status", "已申请"), ("filed", "2025年3月1日"),
            ("inventors", "高志刚"), ("departments", "普外科"),
        ],
        .awards: [("name", "浙江省科学技术进步奖"), ("grade", "二等奖"), ("level", "省级"), ("year", "2025"), ("departments", "普外科")],
        .people: [
            ("chinese_name", "王小明"), ("orcid", "0000-0002-1825-0097"), ("clinical_rank", "主治医师"), ("degree", "博士"),
            ("supervisor", "硕导"), ("departments", "普外科"),
        ],
        .staff: [("department", "普外科"), ("category", "主任医师"), ("count", "7"), ("as_of", "2025/12/31")],
        .tallies: [
            ("procedure", "胆总管囊肿切除术"), ("approach", "腹腔镜"), ("department", "general-surgery"), ("from", "2025-03"),
            ("to", "2025-03"), ("count", "4"),
        ],
    ]

    static func count(_ kind: SheetKind, _ fixture: WebFixture) throws -> Int {
        try fixture.store.read { r in
            switch kind {
            case .projects: return try r.projects().count
            case .patents: return try r.patents().count
            case .awards: return try r.awards().count
            case .people: return try r.people().count
            case .staff: return try r.staffCensus().count
            case .tallies:
                var n = 0
                try r.forEachTally { _ in n += 1 }
                return n
            case .papers:
                var n = 0
                try r.forEachPublication(year: nil, department: nil, person: nil) { _ in n += 1 }
                return n
            }
        }
    }

    static func signedIn(_ client: any TestClientProtocol, _ name: String) async throws -> (Browser, String) {
        var browser = Browser()
        try await browser.signIn(client, name)
        let token = try await browser.sessionToken(client) ?? ""
        return (browser, token)
    }

    @Test func everyFormAnswersEveryRole() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, samToken) = try await Self.signedIn(client, "sam")
            var (vic, vicToken) = try await Self.signedIn(client, "vic")
            let (olga, _) = try await Self.signedIn(client, "olga")
            for kind in SheetKind.allCases {
                let path = "/entry/\(kind.rawValue)/new"
                let page = try await sam.get(client, path + "?department=general-surgery")
                #expect(page.status == .ok, "\(kind) form for its secretary")
                let html = String(buffer: page.body)
                for field in RecordForm.fields(kind) where field.key != "id" {
                    #expect(html.contains("name=\"\(field.key)\""), "\(kind) form has \(field.key)")
                    #expect(html.contains(">" + field.zh), "\(kind) form labels \(field.key) in Chinese")
                }
                #expect(!html.contains("[facet"))
                #expect(try await olga.get(client, path).status == .ok, "the office: \(kind)")
                #expect(try await sam.get(client, path + "?department=oncology-surgery").status == .forbidden)
                #expect(try await vic.get(client, path).status == .forbidden, "a viewer never writes")
                let form = [("csrf", samToken)] + Self.valid[kind]!
                let before = try Self.count(kind, fixture)
                let other = try await sam.post(client, path + "?department=oncology-surgery", form: form)
                #expect(other.status == .forbidden, "\(kind): another department's form")
                let forged = try await sam.post(
                    client, path + "?department=general-surgery", form: [("csrf", "forged")] + Self.valid[kind]!)
                #expect(forged.status == .forbidden, "\(kind): CSRF refused")
                let viewer = try await vic.post(client, path, form: [("csrf", vicToken)] + Self.valid[kind]!)
                #expect(viewer.status == .forbidden, "\(kind): a viewer cannot write")
                #expect(try Self.count(kind, fixture) == before, "\(kind): nothing written by refused requests")
                let written = try await sam.post(client, path + "?department=general-surgery", form: form)
                #expect(written.status == .seeOther, "\(kind): \(String(buffer: written.body).prefix(600))")
                #expect(try Self.count(kind, fixture) == before + 1, "\(kind): one record written")
            }
            _ = (samToken, vicToken)
        }
    }

    @Test func listPagesLinkToTheFormsForThoseWhoMayWrite() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            let (sam, _) = try await Self.signedIn(client, "sam")
            let (vic, _) = try await Self.signedIn(client, "vic")
            for (page, form) in [
                ("/projects", "/entry/projects/new"), ("/papers", "/entry/papers/new"),
                ("/patents", "/entry/patents/new"),
                ("/awards", "/entry/awards/new"), ("/people", "/entry/people/new"), ("/cases", "/entry/tallies/month"),
            ] {
                let written = String(buffer: try await sam.get(client, page + "?department=general-surgery").body)
                #expect(written.contains(form + "?department=general-surgery"), "\(page) links to \(form)")
                let read = String(buffer: try await vic.get(client, page).body)
                #expect(!read.contains("/entry/"), "\(page): no form links for a viewer")
            }
        }
    }

    @Test func chineseValuesAreTakenAsTheImportsTakeThem() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            let response = try await sam.post(
                client, "/entry/projects/new?department=general-surgery",
                form: [("csrf", token)] + Self.valid[.projects]!)
            #expect(response.status == .seeOther)
            let location = response.headers[.location] ?? ""
            #expect(location.hasPrefix("/projects/") && location.hasSuffix("?department=general-surgery"))
            let id = String(location.dropFirst("/projects/".count).prefix { $0 != "?" })
            let project = try fixture.store.read { try $0.projects().first { $0.id == id } }
            #expect(project?.level == .national)
            #expect(project?.status == .ongoing)
            #expect(project?.amount?.amount.text == "520000")
            #expect(project?.amount?.currency == "CNY")
            #expect(project?.start?.description == "2025-03-01")
            #expect(project?.end?.description == "2027-12")
            #expect(project?.principalInvestigatorID == "gao-zhigang")
            #expect(project?.departments.map(\.departmentID) == ["general-surgery"])
            let history = try fixture.store.read { try $0.history(recordID: id) }
            #expect(history.count == 1)
            #expect(history.first?.actor.name == "sam")
            #expect(history.first?.action == .edit)
            let detail = try await sam.get(client, location)
            #expect(
                String(buffer: detail.body).contains("/entry/projects/\(id)?department=general-surgery"), "an edit link"
            )
        }
    }

    @Test func problemsAreShownAtTheirFieldsAndNothingIsWritten() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            let before = try Self.count(.projects, fixture)
            let changes = try fixture.store.read { try $0.history().count }
            let response = try await sam.post(
                client, "/entry/projects/new?department=general-surgery",
                form: [
                    ("csrf", token), ("title", ""), ("funder", "省卫健委"), ("level", "国家"), ("status", "在研"),
                    ("amount", "五十万"), ("start", "2025/13/45"), ("departments", "普外科"),
                ])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            for field in ["title", "level", "amount", "start"] {
                #expect(html.contains("id=\"e-\(field)\""), "an error next to \(field)")
            }
            #expect(html.contains("此项必填"))
            #expect(html.contains("「国家」不在可选范围内"))
            #expect(html.contains("「五十万」不是数字"))
            #expect(html.contains("value=\"五十万\""), "the form keeps what was typed")
            #expect(html.contains("value=\"省卫健委\""))
            #expect(!html.contains("[facet") && !html.contains("this column"), "no schema or sheet words")
            #expect(try Self.count(.projects, fixture) == before)
            #expect(try fixture.store.read { try $0.history().count } == changes, "nothing written")
            // A secretary credits records to their own departments only.
            let elsewhere = try await sam.post(
                client, "/entry/projects/new?department=general-surgery",
                form: [("csrf", token)] + Self.valid[.projects]!.map { $0.0 == "departments" ? ($0.0, "肿瘤外科") : $0 })
            #expect(elsewhere.status == .unprocessableContent)
            #expect(String(buffer: elsewhere.body).contains("您只能录入本科室"))
            // In English, the same problems in English.
            let english = try await sam.post(
                client, "/entry/projects/new?department=general-surgery&lang=en",
                form: [("csrf", token), ("title", "A"), ("funder", "B"), ("level", "nation"), ("status", "ongoing")])
            let text = String(buffer: english.body)
            #expect(
                text.contains("&#39;nation&#39; is not one of the choices") || text.contains("'nation' is not one of"))
            #expect(try Self.count(.projects, fixture) == before)
        }
    }

    @Test func anOverlappingTallyIsRefusedWithTheReasonAtItsField() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            let before = try Self.count(.tallies, fixture)
            let changes = try fixture.store.read { try $0.history().count }
            // The sample counts laparoscopic choledochal cyst excisions of 2016 as one year.
            let response = try await sam.post(
                client, "/entry/tallies/new?department=general-surgery",
                form: [
                    ("csrf", token), ("procedure", "胆总管囊肿切除术"), ("approach", "腹腔镜"), ("department", "general-surgery"),
                    ("from", "2016/3"), ("to", "2016/3"), ("count", "3"),
                ])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("id=\"e-from\""))
            #expect(html.contains("重复计算"), "the reason, in Chinese")
            #expect(html.contains("value=\"2016/3\""))
            #expect(try Self.count(.tallies, fixture) == before)
            #expect(try fixture.store.read { try $0.history().count } == changes)
        }
    }

    /// Text of an HTML attribute as the browser reads it.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The row of the grid's procedure `name` (its hidden `pN` input).
    static func gridRow(_ html: String, procedure id: String) -> Int? {
        guard let match = html.firstMatch(of: try! Regex("name=\"p([0-9]+)\" value=\"\(id)\"")) else { return nil }
        return Int(match.output[1].substring ?? "")
    }

    @Test func theMonthGridWritesExactlyTheFilledCells() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            let page = try await sam.get(client, "/entry/tallies/month?department=general-surgery&month=2025-03")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("胆总管囊肿切除术") && html.contains("腹腔镜"))
            let row = try #require(Self.gridRow(html, procedure: "choledochal-cyst-excision"))
            let free = try #require(html.firstMatch(of: /name="p([0-9]+)" value="" list=/).map { Int($0.1)! })
            let before = try Self.count(.tallies, fixture)
            var form: [(String, String)] = [("csrf", token)]
            for match in html.matches(of: /name="(p[0-9]+)" value="([^"]*)"/) {
                form.append((String(match.1), String(match.2)))
            }
            form = form.map { $0.0 == "p\(free)" ? ($0.0, "阑尾切除术") : $0 }
            form += [
                ("c\(row).laparoscopic", "4"), ("c\(row).robotic", "0"), ("c\(row).open", ""),
                ("c\(free).laparoscopic", "9"),
            ]
            let saved = try await sam.post(
                client, "/entry/tallies/month?department=general-surgery&month=2025-03", form: form)
            #expect(saved.status == .ok, "\(String(buffer: saved.body).prefix(800))")
            #expect(try Self.count(.tallies, fixture) == before + 3, "three cells filled, three tallies")
            let march = try fixture.store.read { registry in
                try registry.tallies(matching: TallyFilter(departmentID: "general-surgery")).filter {
                    $0.from?.description == "2025-03" && $0.to.description == "2025-03"
                }
            }
            let cells = Set(march.map { "\($0.procedureID) \($0.approach.rawValue) \($0.count)" })
            #expect(
                cells == [
                    "choledochal-cyst-excision laparoscopic 4", "choledochal-cyst-excision robotic 0",
                    "appendectomy laparoscopic 9",
                ])
            let history = try fixture.store.read { try $0.history() }
            let last = try #require(history.last)
            #expect(last.actor.name == "sam" && last.action == .edit && last.recordCount == 3, "one transaction")
            // The grid shows the month's counts again.
            let again = String(
                buffer: try await sam.get(client, "/entry/tallies/month?department=general-surgery&month=2025-03").body)
            #expect(again.contains("name=\"c\(row).laparoscopic\" value=\"4\""))
            // A month overlapping a year already counted: refused, at its cell, nothing written.
            let refused = try await sam.post(
                client, "/entry/tallies/month?department=general-surgery&month=2016-05",
                form: [
                    ("csrf", token), ("p0", "choledochal-cyst-excision"), ("c0.laparoscopic", "2"), ("c0.open", "1"),
                ])
            #expect(refused.status == .unprocessableContent)
            let text = String(buffer: refused.body)
            #expect(text.contains("重复计算") && text.contains("value=\"2\""))
            #expect(try Self.count(.tallies, fixture) == before + 3)
        }
    }

    @Test func editAndDeleteAreRecordedWithActorAndReason() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var (sam, token) = try await Self.signedIn(client, "sam")
            let form = try await sam.get(client, "/entry/projects/proj-gs-moe-1?department=general-surgery")
            #expect(form.status == .ok)
            let html = String(buffer: form.body)
            #expect(html.contains("value=\"200000\""), "the form is filled with the record")
            #expect(html.contains("name=\"reason\""), "a delete form with a reason")
            var fields: [(String, String)] = [("csrf", token)]
            for match in html.matches(of: /<input id="f-([a-z_]+)" name="[a-z_]+" value="([^"]*)"/) {
                fields.append((String(match.1), Self.unescape(String(match.2))))
            }
            for match in html.matches(of: /<select id="f-([a-z_]+)"[^>]*>.*?<option value="([^"]*)" selected>/) {
                fields.append((String(match.1), String(match.2)))
            }
            fields = fields.map { $0.0 == "amount" ? ("amount", "30万") : $0 }
            let edited = try await sam.post(
                client, "/entry/projects/proj-gs-moe-1?department=general-surgery", form: fields)
            #expect(edited.status == .seeOther, "\(String(buffer: edited.body).prefix(1500))")
            let project = try fixture.store.read { try $0.projects().first { $0.id == "proj-gs-moe-1" } }
            #expect(project?.amount?.amount.text == "300000")
            #expect(project?.titleZH != nil, "what the form does not show is kept")
            let edits = try fixture.store.read { try $0.history(recordID: "proj-gs-moe-1") }
            #expect(edits.last?.actor.name == "sam" && edits.last?.action == .edit)
            // Another department's record: refused before any handler.
            let other = try await sam.get(client, "/entry/projects/proj-onc-nsfc-01?department=general-surgery")
            #expect(other.status == .forbidden)
            let otherDelete = try await sam.post(
                client, "/entry/projects/proj-onc-nsfc-01/delete?department=general-surgery",
                form: [("csrf", token), ("reason", "x")])
            #expect(otherDelete.status == .forbidden)
            // A record others still name is not deleted, and the form says why.
            let named = try await sam.post(
                client, "/entry/people/gao-zhigang/delete?department=general-surgery",
                form: [("csrf", token), ("reason", "离职")])
            #expect(named.status == .conflict)
            #expect(String(buffer: named.body).contains("其他记录仍引用这条记录"))
            #expect(try fixture.store.read { try $0.people().contains { $0.id == "gao-zhigang" } })
            // Delete needs a reason.
            let noReason = try await sam.post(
                client, "/entry/projects/proj-gs-moe-1/delete?department=general-surgery", form: [("csrf", token)])
            #expect(noReason.status == .unprocessableContent)
            #expect(String(buffer: noReason.body).contains("删除前请写明原因"))
            let deleted = try await sam.post(
                client, "/entry/projects/proj-gs-moe-1/delete?department=general-surgery",
                form: [("csrf", token), ("reason", "重复录入")])
            #expect(deleted.status == .seeOther)
            #expect(try fixture.store.read { try $0.projects().contains { $0.id == "proj-gs-moe-1" } } == false)
            let history = try fixture.store.read { try $0.history(recordID: "proj-gs-moe-1") }
            #expect(history.last?.actor.name == "sam")
            #expect(history.last?.action == .delete(reason: "重复录入"))
            let (olga, _) = try await Self.signedIn(client, "olga")
            let log = String(buffer: try await olga.get(client, "/history?record=proj-gs-moe-1").body)
            #expect(log.contains("删除 重复录入"), "the reason in the change log page")
        }
    }

    static func post(_ client: any TestClientProtocol, _ token: String, _ query: String, _ json: String) async throws
        -> (Int, [String: Any])
    {
        let response = try await client.execute(
            uri: "/api/tallies" + query, method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: json))
        let body = String(buffer: response.body)
        return (
            Int(response.status.code),
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? ["raw": body]
        )
    }

    @Test func apiTalliesAnswer201Or422() async throws {
        let fixture = try WebFixture()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        let sam = try service.createToken(for: "sam").secret
        let olga = try service.createToken(for: "olga").secret
        let vic = try service.createToken(for: "vic").secret
        try await fixture.test { client in
            let before = try Self.count(.tallies, fixture)
            let (status, body) = try await Self.post(
                client, sam, "?department=general-surgery",
                #"{"procedure":"胆总管囊肿切除术","approach":"腹腔镜","department":"普外科","from":"2025/4/1","to":"2025/4/30","count":5}"#
            )
            #expect(status == 201, "\(body)")
            #expect(
                body["status"] as? String == "validated",
                "tallies are outside the approval chain: they count once written")
            let id = try #require(body["id"] as? String)
            let tally = try fixture.store.read { try $0.tally(id: id) }
            #expect(tally?.count == 5 && tally?.approach == .laparoscopic)
            let (office, officeBody) = try await Self.post(
                client, olga, "",
                #"{"procedure":"appendectomy","approach":"open","department":"oncology-surgery","to":"2025-04","from":"2025-04","count":"2"}"#
            )
            #expect(office == 201 && officeBody["status"] as? String == "validated", "\(officeBody)")
            let (overlap, diagnostics) = try await Self.post(
                client, sam, "?department=general-surgery",
                #"{"procedure":"choledochal-cyst-excision","approach":"laparoscopic","department":"general-surgery","from":"2016-02","to":"2016-02","count":1}"#
            )
            #expect(overlap == 422)
            let list = diagnostics["diagnostics"] as? [[String: Any]] ?? []
            #expect(list.first?["code"] as? String == "tally.overlap")
            #expect(list.first?["field"] as? String == "from")
            #expect((list.first?["messageZH"] as? String)?.contains("重复计算") == true)
            let (bad, badBody) = try await Self.post(
                client, sam, "?department=general-surgery",
                #"{"procedure":"no such operation","department":"general-surgery","to":"2025-13","count":-1}"#)
            #expect(bad == 422)
            let fields = Set((badBody["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["procedure", "to", "count"]), "\(badBody)")
            let (viewer, _) = try await Self.post(
                client, vic, "", #"{"procedure":"appendectomy","department":"general-surgery","to":"2025","count":1}"#)
            #expect(viewer == 403)
            let (elsewhere, _) = try await Self.post(
                client, sam, "?department=general-surgery",
                #"{"procedure":"appendectomy","approach":"open","department":"oncology-surgery","to":"2025-05","count":1}"#
            )
            #expect(elsewhere == 422, "a secretary's token enters tallies of their departments only")
            #expect(try Self.count(.tallies, fixture) == before + 2)
            // A browser session cannot post to the API (no form token there).
            var browser = Browser()
            try await browser.signIn(client, "sam")
            var headers = browser.formHeaders
            headers[.contentType] = "application/json"
            let cookie = try await client.execute(
                uri: "/api/tallies?department=general-surgery", method: .post, headers: headers,
                body: ByteBuffer(
                    string: #"{"procedure":"appendectomy","department":"general-surgery","to":"2025","count":1}"#))
            #expect(cookie.status == .forbidden)
        }
    }
}
