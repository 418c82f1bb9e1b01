import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// The API answers with the same JSON as the command line's `--format json` on the same registry.
@Suite(.serialized) struct APIEquivalenceTests {
    static func cli(_ arguments: [String], _ fixture: WebFixture) throws -> String {
        let result = try AnnalsCommand.run(arguments + ["--db", fixture.location])
        #expect(result.status == 0, "annals \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    static func api(_ client: any TestClientProtocol, _ uri: String, token: String) async throws -> (Int, String) {
        let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
        return (Int(response.status.code), String(buffer: response.body).trimmingCharacters(in: .newlines))
    }

    @Test func casesAnswerAsTheCommandLineDoes() async throws {
        let fixture = try WebFixture(backend: .sqlite)
        let token = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga").secret
        let questions: [([String], String)] = [
            ([], ""),
            (
                ["laparoscopic common bile duct cystectomy", "--department", "general-surgery"],
                "procedure=laparoscopic%20common%20bile%20duct%20cystectomy&department=general-surgery"
            ),
            (["--department", "general-surgery", "--by", "year"], "department=general-surgery&by=year"),
            (["--by", "year", "--cumulative", "--from", "2018"], "by=year&cumulative=true&from=2018"),
            (["--share", "minimally-invasive", "--by", "year"], "share=minimally-invasive&by=year"),
            (
                ["--department", "普外科", "--approach", "腹腔镜", "--from", "2020", "--to", "2023-06"],
                "department=%E6%99%AE%E5%A4%96%E7%A7%91&approach=%E8%85%B9%E8%85%94%E9%95%9C&from=2020&to=2023-06"
            ),
        ]
        try await fixture.test { client in
            for (arguments, query) in questions {
                let expected = try Self.cli(["cases", "--format", "json"] + arguments, fixture)
                let (status, body) = try await Self.api(client, "/api/cases?" + query, token: token)
                #expect(status == 200, "\(query): \(body)")
                #expect(body == expected, "GET /api/cases?\(query) differs from annals cases \(arguments)")
            }
            let (status, body) = try await Self.api(client, "/api/cases?procedure=no-such-operation", token: token)
            #expect(status == 422)
            #expect(body.contains("no procedure called"))
            let (misspelt, _) = try await Self.api(client, "/api/cases?departmnt=general-surgery", token: token)
            #expect(misspelt == 400, "an unknown parameter is refused, not ignored")
        }
    }

    @Test func publicationsStatsAndHistoryAnswerAsTheCommandLineDoes() async throws {
        let fixture = try WebFixture(backend: .sqlite)
        let token = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga").secret
        try await fixture.test { client in
            for (arguments, query) in [
                ([String](), ""), (["--year", "2022", "--sci"], "year=2022&sci=true"),
                (["--department", "general-surgery"], "department=general-surgery"),
            ] {
                let expected =
                    try JSONSerialization.jsonObject(
                        with: Data(try Self.cli(["publications", "--format", "json"] + arguments, fixture).utf8))
                    as? [Any]
                let (status, body) = try await Self.api(client, "/api/publications?" + query, token: token)
                #expect(status == 200)
                let page = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                #expect(page?["total"] as? Int == expected?.count)
                let list = page?["publications"] as? [Any]
                #expect(
                    list.map { NSArray(array: $0) } == expected.map { NSArray(array: Array($0.prefix(API.pageSize))) },
                    "\(query)")
            }
            let stats = try Self.cli(["stats", "--year", "2024", "--format", "json"], fixture)
            let (status, body) = try await Self.api(client, "/api/stats?year=2024", token: token)
            #expect(status == 200)
            #expect(body == stats)
            let department = try Self.cli(
                ["stats", "--from", "2022", "--to", "2024", "--department", "general-surgery", "--format", "json"],
                fixture)
            #expect(
                try await Self.api(client, "/api/stats?from=2022&to=2024&department=general-surgery", token: token).1
                    == department)
            let history = try Self.cli(["history", "--format", "json"], fixture)
            #expect(try await Self.api(client, "/api/history", token: token).1 == history)
        }
    }
}
