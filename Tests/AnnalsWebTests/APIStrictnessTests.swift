import AnnalsModel
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// What schemathesis found against /api/openapi.json (scripts/api-fuzz.sh), kept fixed: a path of the table asked
/// with a method it does not take is 405 with `Allow`; a yes-or-no parameter that is neither, and an empty
/// parameter, are refused (400) rather than read as "no" or "not given".
@Suite struct APIStrictnessTests {
    @Test func aPathAskedWithAMethodItDoesNotTakeIs405WithAllow() async throws {
        let fixture = try WebFixture()
        let secret = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga")
            .secret
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            let trace = try await client.execute(uri: "/api/tasks", method: .trace, headers: auth)
            #expect(trace.status == .methodNotAllowed, "\(String(buffer: trace.body))")
            #expect(trace.headers[.allow] == "GET, HEAD")
            let delete = try await client.execute(uri: "/api/records/x/validate", method: .delete, headers: auth)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "POST")
            let nowhere = try await client.execute(uri: "/api/nothing", method: .get, headers: auth)
            #expect(nowhere.status == .notFound)
            #expect(try await client.execute(uri: "/api/tasks", method: .get, headers: auth).status == .ok)
        }
    }

    @Test func aFlagThatIsNeitherYesNorNoAndAnEmptyParameterAreRefused() async throws {
        let fixture = try WebFixture()
        let secret = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga")
            .secret
        try await fixture.test { client in
            let auth: HTTPFields = [.authorization: "Bearer \(secret)"]
            for uri in [
                "/api/publications?sci=null", "/api/cases?cumulative=maybe&by=year", "/api/history?since=",
                "/api/review?status=", "/api/publications?year=",
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: auth)
                #expect(response.status == .badRequest, "\(uri): \(response.status) \(String(buffer: response.body))")
            }
            for uri in ["/api/publications?sci=true", "/api/publications?sci=0", "/api/cases?cumulative=yes&by=year"] {
                let response = try await client.execute(uri: uri, method: .get, headers: auth)
                #expect(response.status == .ok, "\(uri): \(response.status) \(String(buffer: response.body))")
            }
        }
    }
}
