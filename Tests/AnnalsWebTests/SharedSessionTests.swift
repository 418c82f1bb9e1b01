import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// Sessions live in the registry: two servers on one registry (two `annals serve` processes on one PostgreSQL,
/// here two apps with stores of their own) recognise each other's sign-in and sign-out.
@Suite(.serialized) struct SharedSessionTests {
    @Test(arguments: TestBackend.allCases)
    func twoServersOnOneRegistryShareASession(_ backend: TestBackend) async throws {
        let first = try WebFixture(backend: backend)
        let secondStore = try RegistryStore(path: first.location)
        let second = WebApp(store: secondStore, configuration: WebConfiguration(bcryptCost: 4))
        try await first.test { one in
            try await Application(router: second.router()).test(.router) { other in
                var browser = Browser()
                let signedIn = try await browser.signIn(one, "olga")
                #expect(signedIn.status == .seeOther)
                #expect(browser.cookies.isEmpty == false)
                // The other server knows the session it never made.
                let page = try await browser.get(other, "/?year=2024&lang=en")
                #expect(page.status == .ok, "\(page.status): \(page.headers[.location] ?? "")")
                #expect(String(buffer: page.body).contains("olga"))
                let reports = try await browser.get(other, "/reports?year=2024&lang=en")
                #expect(reports.status == .ok)
                // Signed out on the other server: the first one no longer knows the session either.
                let token = try await browser.sessionToken(other) ?? ""
                let kept = browser.cookies
                let out = try await browser.post(other, "/signout", form: [("csrf", token)])
                #expect(out.status == .seeOther)
                var stale = Browser()
                stale.cookies = kept
                let after = try await stale.get(one, "/?year=2024")
                #expect(after.status == .seeOther)
                #expect(after.headers[.location]?.hasPrefix("/signin") == true)
            }
        }
    }
}
