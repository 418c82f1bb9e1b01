import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// Every route of the table × every kind of visitor: allowed (200), refused (403), signed out (303 to the sign-in
/// page for pages, 401 for the API). The expectations are derived from the route's declaration, so a route added
/// to the table is checked without a new test.
@Suite(.serialized) struct RouteAuthorizationTests {
    /// Who asks: signed out, or one of the fixture's accounts.
    static let visitors: [String?] = [nil] + WebFixture.accounts.map(\.0)

    /// A query a route needs to answer at all (besides `department`).
    static func query(for path: String) -> [String] {
        switch path {
        case "/api/stats": ["year=2024"]
        case "/", "/reports", "/downloads/report": ["year=2024"]
        case "/downloads/table": ["table=papers", "year=2024"]
        case "/downloads/template": ["kind=papers"]
        default: []
        }
    }

    /// The path of `route` with a record of `department` (or of general surgery) in place of `:id`: a detail page
    /// shows a limited account only the records of the department it names.
    static func path(
        for route: Route, department: String?, papers: [String: String] = [:], attachment: String = "none"
    ) -> String {
        let oncology = department == "oncology-surgery"
        let ids: [String: String] = [
            "/papers/:id": papers[department ?? "general-surgery"] ?? "none",
            "/projects/:id": oncology ? "proj-onc-nsfc-01" : "proj-gs-moe-1",
            "/patents/:id": "patent-both", "/awards/:id": "award-both", "/people/:id": "xiong-qixing",
            "/entry/:kind/new": "projects", "/entry/:kind/:id": oncology ? "proj-onc-nsfc-01" : "proj-gs-moe-1",
            "/attachments/:id": attachment, "/entry/procedures/:id": "adhesiolysis",
        ]
        if route.path == "/entry/:kind/new" { return "/entry/projects/new" }
        if route.path == "/entry/:kind/:id" { return "/entry/projects/" + ids[route.path]! }
        return ids[route.path].map { route.path.replacingOccurrences(of: ":id", with: $0) } ?? route.path
    }

    /// A patent and an award credited to both departments of the test accounts (the sample has none for general
    /// surgery), so a detail page can be asked for by both.
    static func addRecordsOfBothDepartments(_ fixture: WebFixture) throws {
        _ = try fixture.store.write { tx in
            try tx.upsert(
                Patent(
                    id: "patent-both", kind: .invention, title: "A shared device", status: .filed,
                    departmentIDs: ["general-surgery", "oncology-surgery"]))
            try tx.upsert(
                Award(
                    id: "award-both", name: "A shared prize", level: .provincial, year: 2023,
                    departmentIDs: ["general-surgery", "oncology-surgery"]))
        }
    }

    /// A PNG attached to the patent of both departments (so every account that sees either may download it);
    /// its id.
    static func addAttachment(_ fixture: WebFixture) throws -> String {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        return try Registry(store: fixture.store, actor: testActor).attach(
            png, named: "drawing.png", to: .patent, id: "patent-both"
        ).id
    }

    /// The first paper of each department of the test accounts.
    static func papers(_ fixture: WebFixture) throws -> [String: String] {
        var found: [String: String] = [:]
        for department in ["general-surgery", "oncology-surgery"] {
            try fixture.store.read { registry in
                try registry.forEachPublication(year: nil, department: department, person: nil) { paper in
                    if found[department] == nil { found[department] = paper.id }
                }
            }
        }
        return found
    }

    /// What `visitor` should get from `route` when asking with `department` (nil: none).
    static func expected(_ route: Route, visitor: String?, department: String?) -> Int {
        // A route for this machine only is refused to everyone here: the in-process client has no peer address
        // (OperationsTests asks a live server on 127.0.0.1).
        if route.access == .localMachine { return 403 }
        guard case .role(let needed) = route.access else { return 200 }
        guard let visitor, let (_, role, departments) = WebFixture.accounts.first(where: { $0.0 == visitor }) else {
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

    @Test func everyRouteAnswersEveryVisitorAsItsDeclarationSays() async throws {
        let fixture = try WebFixture()
        try Self.addRecordsOfBothDepartments(fixture)
        let papers = try Self.papers(fixture)
        let attachment = try Self.addAttachment(fixture)
        #expect(papers.count == 2, "the sample credits papers to both test departments")
        try await fixture.test { client in
            var browsers: [String: Browser] = [:]
            for case let name? in Self.visitors {
                var browser = Browser()
                let response = try await browser.signIn(client, name)
                #expect(response.status == .seeOther, "\(name) signs in")
                browsers[name] = browser
            }
            var checked = 0
            for route in RouteTable.all where route.method == .get {
                for visitor in Self.visitors {
                    for department in [.department, .record].contains(route.scope)
                        ? [nil, "general-surgery", "oncology-surgery"] : [nil]
                    {
                        var query = Self.query(for: route.path)
                        if let department { query.append("department=\(department)") }
                        let uri =
                            Self.path(for: route, department: department, papers: papers, attachment: attachment)
                            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                        let browser = visitor.flatMap { browsers[$0] } ?? Browser()
                        let response = try await browser.get(client, uri)
                        let want = Self.expected(route, visitor: visitor, department: department)
                        #expect(
                            Int(response.status.code) == want,
                            "\(visitor ?? "signed out") GET \(uri): \(response.status.code), expected \(want): \(String(buffer: response.body).prefix(300))"
                        )
                        if want == 303 && visitor == nil {
                            #expect(response.headers[.location]?.hasPrefix("/signin?next=") == true)
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 100)
        }
    }

    /// The API with bearer tokens: each acts with its user's role; a revoked token and a disabled user's token
    /// are refused (401).
    @Test func apiTokensActWithTheirUsersRole() async throws {
        let fixture = try WebFixture()
        let service = AccountService(store: fixture.store, actor: testActor, cost: 4)
        var made: [String: String] = [:]
        for (name, _, _) in WebFixture.accounts { made[name] = try service.createToken(for: name).secret }
        let tokens = made
        let revoked = try service.createToken(for: "olga")
        try service.revokeToken(id: revoked.token.id)
        let disabled = try service.createToken(for: "vic")
        try await fixture.test { client in
            for route in RouteTable.all where route.audience == .api && route.method == .get {
                for (name, _, _) in WebFixture.accounts {
                    for department in route.scope == .department ? [nil, "general-surgery"] : [nil] {
                        var query = Self.query(for: route.path)
                        if let department { query.append("department=\(department)") }
                        let uri = route.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                        let response = try await client.execute(
                            uri: uri, method: .get, headers: [.authorization: "Bearer \(tokens[name]!)"])
                        let want = Self.expected(route, visitor: name, department: department)
                        #expect(
                            Int(response.status.code) == want,
                            "\(name)'s token GET \(uri): \(response.status.code), expected \(want)")
                    }
                }
            }
            let refused = try await client.execute(
                uri: "/api/cases", method: .get, headers: [.authorization: "Bearer \(revoked.secret)"])
            #expect(refused.status == .unauthorized)
            let wrong = try await client.execute(
                uri: "/api/cases", method: .get, headers: [.authorization: "Bearer annals_nothing"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
        try service.disable(name: "vic")
        try await fixture.test { client in
            let response = try await client.execute(
                uri: "/api/cases", method: .get, headers: [.authorization: "Bearer \(disabled.secret)"])
            #expect(response.status == .unauthorized, "a disabled user's token stops working")
        }
    }

    /// The OpenAPI document describes exactly the API routes of the table.
    @Test func theOpenAPIDocumentDescribesTheRoutesOfTheTable() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let described = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
        // A route's `:id` is OpenAPI's `{id}`.
        let routed = Set(
            RouteTable.all.filter { $0.audience == .api }.map {
                "\($0.method.rawValue) " + $0.path.replacing(/:(\w+)/) { "{\($0.output.1)}" }
            })
        #expect(described == routed)
    }
}
