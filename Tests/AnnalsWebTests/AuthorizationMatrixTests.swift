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

/// The whole authorization matrix, generated from the route table: every route (every method) × every role
/// (viewer, secretary, head, office, admin) × its own and another department × signed out, through a session and
/// through the API's bearer tokens (of each role, revoked, of a disabled account, unknown). What each visitor
/// should get is derived from the route's declaration (`Access`, `DepartmentScope`, `Audience`), so a route added
/// to `RouteTable.all` is covered without a new test.
@Suite(.serialized) struct AuthorizationMatrixTests {
    /// The fixture's accounts and a department head (of general surgery), so every role is there; the limited
    /// ones are of general surgery (sam, hal) or of oncology surgery (vera).
    static let accounts: [(String, AccountRole, [String])] =
        WebFixture.accounts + [("hal", .head, ["general-surgery"])]

    /// The departments asked for: none, one's own and another's (general surgery and oncology surgery are
    /// each limited account's own or other).
    static let departments: [String?] = [nil, "general-surgery", "oncology-surgery"]

    /// What `visitor` (nil: signed out) should get from `route` asking with `department`: 200 stands for "let
    /// through to the handler" (any answer but a refusal), 303 for the sign-in page (pages) or the same page with
    /// the account's department, 401 and 403 for refusals.
    static func expected(_ route: Route, visitor: String?, department: String?) -> Int {
        // This machine only (`/metrics`): a test client is not a direct connection from 127.0.0.1, so every
        // visitor, signed in or not, is refused (the allowed case is tested against a live server).
        if route.access == .localMachine { return 403 }
        guard case .role(let needed) = route.access else { return 200 }
        guard let visitor, let (_, role, departments) = accounts.first(where: { $0.0 == visitor }) else {
            return route.audience == .api ? 401 : 303
        }
        if role < needed { return 403 }
        let limited = !role.seesEveryDepartment && !departments.isEmpty
        guard limited else { return 200 }
        switch route.scope {
        case .none: return 200
        case .hospital: return 403
        case .department, .record:
            guard let department else { return route.audience == .page ? 303 : 403 }
            return departments.contains(department) ? 200 : 403
        }
    }

    /// The path of `route` with parameters filled: records of the department asked for where a route names one
    /// (`.record` routes), an id that is not there elsewhere (so a change let through finds nothing to change).
    static func path(_ route: Route, department: String?, papers: [String: String], attachment: String) -> String {
        let oncology = department == "oncology-surgery"
        var path = route.path
        if route.path.hasPrefix("/entry/:kind") { path = path.replacingOccurrences(of: ":kind", with: "projects") }
        let id: String =
            switch route.path {
            case "/papers/:id": papers[department ?? "general-surgery"] ?? "none"
            case "/projects/:id", "/entry/:kind/:id", "/entry/:kind/:id/delete":
                oncology ? "proj-onc-nsfc-01" : "proj-gs-moe-1"
            case "/patents/:id": "patent-both"
            case "/awards/:id": "award-both"
            case "/people/:id": "xiong-qixing"
            case "/attachments/:id": attachment
            default: "no-such-record"
            }
        return path.replacingOccurrences(of: ":id", with: id)
    }

    /// A query a route needs to answer at all (besides `department`).
    static func query(_ route: Route) -> [String] {
        route.method == .get ? RouteAuthorizationTests.query(for: route.path) : []
    }

    static func uri(_ route: Route, department: String?, papers: [String: String], attachment: String) -> String {
        var query = query(route)
        if let department { query.append("department=\(department)") }
        return path(route, department: department, papers: papers, attachment: attachment)
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// The fixture with the head added, the shared patent and award, an attachment of both departments; the
    /// papers of each department and the attachment's id.
    static func prepare() throws -> (WebFixture, [String: String], String) {
        let fixture = try WebFixture()
        _ = try AccountService(store: fixture.store, actor: testActor, cost: 4).add(
            name: "hal", role: .head, departments: ["general-surgery"], password: WebFixture.password)
        try RouteAuthorizationTests.addRecordsOfBothDepartments(fixture)
        let papers = try RouteAuthorizationTests.papers(fixture)
        let attachment = try RouteAuthorizationTests.addAttachment(fixture)
        return (fixture, papers, attachment)
    }

    /// True when `status` (with `location`) is what `want` stands for.
    static func matches(_ status: Int, location: String?, want: Int, signedOut: Bool) -> Bool {
        switch want {
        case 200:
            // Let through: the handler answers as it likes, but never as a refusal or a sign-in.
            return ![401, 403].contains(status) && !(location ?? "").hasPrefix("/signin")
        case 303:
            guard status == 303, let location else { return false }
            return signedOut ? location.hasPrefix("/signin?next=") : !location.hasPrefix("/signin")
        default:
            return status == want
        }
    }

    /// A signed-in browser for each account.
    static func browsers(_ client: any TestClientProtocol) async throws -> [String: Browser] {
        var browsers: [String: Browser] = [:]
        for (name, _, _) in accounts {
            var browser = Browser()
            let response = try await browser.signIn(client, name)
            #expect(response.status == .seeOther, "\(name) signs in")
            browsers[name] = browser
        }
        return browsers
    }

    /// The session's form token, from a page every account sees (its tasks).
    static func formToken(_ client: any TestClientProtocol, _ browser: Browser) async throws -> String? {
        Browser.csrf(in: String(buffer: try await browser.get(client, "/tasks").body))
    }

    /// Sends `route` at `uri` as `browser` would: a GET, or a change from our own page with the session's form
    /// token (a JSON body for the API).
    static func send(
        _ client: any TestClientProtocol, _ route: Route, _ uri: String, browser: inout Browser, token: String?
    ) async throws -> TestResponse {
        if route.method == .get { return try await browser.get(client, uri) }
        if route.audience == .api {
            var headers = browser.headers
            headers[.origin] = browser.origin
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            headers[.contentType] = "application/json"
            return try await client.execute(
                uri: uri, method: route.method, headers: headers, body: ByteBuffer(string: "{}"))
        }
        return try await browser.post(client, uri, form: token.map { [("csrf", $0)] } ?? [])
    }

    @Test func everyRouteAnswersEveryRoleAndDepartmentThroughASessionAsItsDeclarationSays() async throws {
        let (fixture, papers, attachment) = try Self.prepare()
        try await fixture.test { client in
            var browsers = try await Self.browsers(client)
            var tokens: [String: String] = [:]
            for (name, browser) in browsers { tokens[name] = try await Self.formToken(client, browser) }
            var checked = 0
            // Signing out last, so it does not end the sessions the other routes are tried with.
            let routes = RouteTable.all.filter { $0.access != .open }.sorted { a, _ in a.path != "/signout" }
            for route in routes {
                for visitor in [nil] + Self.accounts.map(\.0) {
                    for department in [.department, .record].contains(route.scope) ? Self.departments : [nil] {
                        let uri = Self.uri(route, department: department, papers: papers, attachment: attachment)
                        var browser = visitor.flatMap { browsers[$0] } ?? Browser()
                        let response = try await Self.send(
                            client, route, uri, browser: &browser, token: visitor.flatMap { tokens[$0] })
                        let want = Self.expected(route, visitor: visitor, department: department)
                        // A browser's session changes nothing through the API (it has no form token there).
                        let wanted = route.audience == .api && route.changesState && want == 200 ? 403 : want
                        // Signing out goes to the sign-in page.
                        let location = response.headers[.location]
                        let status = Int(response.status.code)
                        let ok =
                            route.path == "/signout" && wanted == 200
                            ? location == "/signin"
                            : Self.matches(status, location: location, want: wanted, signedOut: visitor == nil)
                        #expect(
                            ok,
                            "\(visitor ?? "signed out") \(route.method) \(uri): \(response.status.code) \(response.headers[.location] ?? ""), expected \(wanted): \(String(buffer: response.body).prefix(300))"
                        )
                        if route.path == "/signout", let visitor {
                            var again = Browser()
                            try await again.signIn(client, visitor)
                            browsers[visitor] = again
                            tokens[visitor] = try await Self.formToken(client, again)
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 400)
        }
    }

    @Test func everyRouteAnswersEveryRolesTokenAndRefusesRevokedDisabledAndUnknownOnes() async throws {
        let (fixture, papers, attachment) = try Self.prepare()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        var made: [String: String] = [:]
        for (name, _, _) in Self.accounts { made[name] = try service.createToken(for: name).secret }
        let tokens = made
        let revoked = try service.createToken(for: "ada")
        try service.revokeToken(id: revoked.token.id)
        _ = try service.add(name: "gone", role: .admin, departments: [], password: WebFixture.password)
        let disabled = try service.createToken(for: "gone")
        try service.disable(name: "gone")
        try await fixture.test { client in
            var checked = 0
            for route in RouteTable.all where route.access != .open {
                for department in [.department, .record].contains(route.scope) ? Self.departments : [nil] {
                    let uri = Self.uri(route, department: department, papers: papers, attachment: attachment)
                    let body = ByteBuffer(string: route.audience == .api ? "{}" : "")
                    func send(_ secret: String) async throws -> TestResponse {
                        try await client.execute(
                            uri: uri, method: route.method,
                            headers: [
                                .authorization: "Bearer \(secret)", .contentType: "application/json",
                                .origin: "http://localhost",
                            ], body: body)
                    }
                    for (name, _, _) in Self.accounts {
                        let response = try await send(tokens[name]!)
                        let want = Self.expected(route, visitor: name, department: department)
                        // A token changes nothing through a page's form: that needs a session's form token.
                        let wanted = route.audience == .page && route.changesState && want == 200 ? 403 : want
                        #expect(
                            Self.matches(
                                Int(response.status.code), location: response.headers[.location], want: wanted,
                                signedOut: false),
                            "\(name)'s token \(route.method) \(uri): \(response.status.code), expected \(wanted): \(String(buffer: response.body).prefix(300))"
                        )
                        checked += 1
                    }
                    for (what, secret) in [
                        ("revoked", revoked.secret), ("disabled account's", disabled.secret),
                        ("unknown", "annals_nothing"), ("empty", ""),
                    ] {
                        let response = try await send(secret)
                        #expect(
                            response.status == .unauthorized,
                            "a \(what) token \(route.method) \(uri): \(response.status.code)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 400)
        }
    }

    /// A limited account naming its own department still sees only that department's records: another's
    /// record under its own department's name is not there (404), and so is an attachment of another's record
    /// (403).
    @Test func anotherDepartmentsRecordIsNotShownUnderOnesOwnDepartment() async throws {
        let (fixture, _, _) = try Self.prepare()
        _ = try fixture.store.write { tx in
            try tx.upsert(
                Patent(
                    id: "patent-onc", kind: .invention, title: "An oncology device", status: .filed,
                    departmentIDs: ["oncology-surgery"]))
            try tx.upsert(
                Award(
                    id: "award-onc", name: "An oncology prize", level: .provincial, year: 2023,
                    departmentIDs: ["oncology-surgery"]))
        }
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        let attachment = try Registry(store: fixture.store, actor: testActor).attach(
            png, named: "onc.png", to: .patent, id: "patent-onc"
        ).id
        // A paper and a person of oncology surgery only.
        var onlyOncology: (paper: String?, person: String?) = (nil, nil)
        try fixture.store.read { registry in
            try registry.forEachPublication(year: nil, department: "oncology-surgery", person: nil) { paper in
                if onlyOncology.paper == nil, !paper.departmentIDs.contains("general-surgery") {
                    onlyOncology.paper = paper.id
                }
            }
            onlyOncology.person = try registry.people().first {
                $0.departmentIDs == ["oncology-surgery"]
            }?.id
        }
        let paper = try #require(onlyOncology.paper, "the sample has a paper of oncology surgery only")
        let person = try #require(onlyOncology.person, "the sample has a person of oncology surgery only")
        try await fixture.test { client in
            for name in ["sam", "hal"] {
                var browser = Browser()
                try await browser.signIn(client, name)
                for path in [
                    "/papers/\(paper)", "/projects/proj-onc-nsfc-01", "/patents/patent-onc", "/awards/award-onc",
                    "/people/\(person)",
                ] {
                    let response = try await browser.get(client, path + "?department=general-surgery")
                    #expect(response.status == .notFound, "\(name) GET \(path) as general surgery: \(response.status)")
                }
                for path in ["/entry/projects/proj-onc-nsfc-01", "/entry/patents/patent-onc"] {
                    let response = try await browser.get(client, path + "?department=general-surgery")
                    #expect(response.status == .forbidden, "\(name) GET \(path) as general surgery: \(response.status)")
                }
                let download = try await browser.get(client, "/attachments/\(attachment)")
                #expect(download.status == .forbidden, "\(name) downloads another department's attachment")
            }
            // The office sees them all.
            var olga = Browser()
            try await olga.signIn(client, "olga")
            #expect(try await olga.get(client, "/patents/patent-onc").status == .ok)
            #expect(try await olga.get(client, "/attachments/\(attachment)").status == .ok)
        }
    }
}
