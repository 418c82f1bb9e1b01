import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnalsWeb

/// CSRF, security headers, cookies, session rotation and expiry, sign-in throttling, the access log.
@Suite(.serialized) struct SecurityTests {
    @Test func aChangeWithoutTheSameOriginOrTheFormTokenIsRefused() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            let token = try #require(try await browser.sessionToken(client))
            var bad: [(String, HTTPFields, String)] = []
            var noOrigin = browser.formHeaders
            noOrigin[.origin] = nil
            noOrigin[HTTPField.Name("Sec-Fetch-Site")!] = nil
            bad.append(("no Origin", noOrigin, token))
            var otherOrigin = browser.formHeaders
            otherOrigin[.origin] = "http://evil.example"
            otherOrigin[HTTPField.Name("Sec-Fetch-Site")!] = nil
            bad.append(("another Origin", otherOrigin, token))
            var crossSite = browser.formHeaders
            crossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            bad.append(("Sec-Fetch-Site cross-site", crossSite, token))
            bad.append(("a wrong form token", browser.formHeaders, "not-the-token"))
            bad.append(("no form token", browser.formHeaders, ""))
            for (what, headers, sent) in bad {
                var attempt = browser
                let response = try await attempt.post(client, "/signout", form: [("csrf", sent)], headers: headers)
                #expect(response.status == .forbidden, "sign-out with \(what) is refused")
                let still = try await browser.get(client, "/?department=general-surgery&year=2024")
                #expect(still.status == .ok, "after sign-out with \(what) the session still works")
            }
            let response = try await browser.post(client, "/signout", form: [("csrf", token)])
            #expect(response.status == .seeOther)
            let after = try await browser.get(client, "/?year=2024")
            #expect(after.status == .seeOther, "signed out")

            // The sign-in form has a token of its own (there is no session yet).
            var stranger = Browser()
            let refused = try await stranger.post(
                client, "/signin", form: [("csrf", "guess"), ("name", "olga"), ("password", WebFixture.password)])
            #expect(refused.status == .forbidden)
            #expect(stranger.cookies[AuthenticationMiddleware.sessionCookie] == nil)
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "ada")
            for uri in [
                "/?year=2024", "/papers", "/signin", "/nowhere", "/api/cases", "/healthz", "/assets/app.css",
                "/admin/users",
            ] {
                for asking in [browser, Browser()] {
                    let response = try await asking.get(client, uri)
                    let csp = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(csp.contains("default-src 'self'"), "\(uri): \(csp)")
                    #expect(csp.contains("frame-ancestors 'none'"), "\(uri)")
                    #expect(csp.contains("script-src 'self'"), "\(uri)")
                    #expect(!csp.contains("unsafe-inline"), "\(uri)")
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                }
            }
            // No page has inline script or style (which the policy would block anyway).
            for uri in ["/?year=2024", "/papers", "/cases?procedure=cholecystectomy", "/reports?year=2024", "/signin"] {
                let body = String(buffer: try await browser.get(client, uri).body)
                #expect(!body.contains("<script"), "\(uri)")
                #expect(!body.contains("<style"), "\(uri)")
                #expect(!body.contains("style=\""), "\(uri)")
                // An absent value shows nothing (not Swift's "nil" or "Optional(…)").
                #expect(!body.contains("nil<") && !body.contains(" nil ") && !body.contains("Optional("), "\(uri)")
            }
        }
    }

    @Test(arguments: [false, true]) func sessionCookiesAreHttpOnlyLaxAndSecureBehindHTTPS(behindHTTPS: Bool)
        async throws
    {
        let fixture = try WebFixture(configuration: WebConfiguration(behindHTTPS: behindHTTPS, bcryptCost: 4))
        try await fixture.test { client in
            var browser = Browser()
            browser.origin = behindHTTPS ? "https://localhost" : "http://localhost"
            let response = try await browser.signIn(client, "sam")
            #expect(response.status == .seeOther)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("annals_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure") == behindHTTPS, "\(cookie)")
        }
    }

    /// A new session id at every sign-in: the id the browser had before (planted or earlier) stops working.
    @Test func signingInRotatesTheSession() async throws {
        let fixture = try WebFixture()
        try await fixture.test { client in
            var browser = Browser()
            browser.cookies[AuthenticationMiddleware.sessionCookie] = "planted-by-someone-else"
            try await browser.signIn(client, "olga")
            let first = try #require(browser.cookies[AuthenticationMiddleware.sessionCookie])
            #expect(first != "planted-by-someone-else")
            var copy = browser
            try await browser.signIn(client, "olga")
            let second = try #require(browser.cookies[AuthenticationMiddleware.sessionCookie])
            #expect(second != first)
            #expect(try await browser.get(client, "/?year=2024").status == .ok)
            #expect(
                try await copy.get(client, "/?year=2024").status == .seeOther, "the earlier session ended at sign-in")
            copy.cookies = [:]
        }
    }

    @Test func anExpiredSessionSignsOut() async throws {
        let fixture = try WebFixture()
        let id = Secrets.random()
        let past = Date().addingTimeInterval(-10)
        _ = try fixture.store.write(as: testActor, doing: .edit) {
            try $0.addSession(
                WebSession(
                    idHash: Secrets.digest(id), accountName: "olga", csrfToken: "t",
                    createdAt: past.addingTimeInterval(-60), expiresAt: past))
        }
        let live = Secrets.random()
        _ = try fixture.store.write(as: testActor, doing: .edit) {
            try $0.addSession(
                WebSession(
                    idHash: Secrets.digest(live), accountName: "olga", csrfToken: "t", createdAt: Date(),
                    expiresAt: Date().addingTimeInterval(600)))
        }
        try await fixture.test { client in
            let expired = try await client.execute(
                uri: "/?year=2024", method: .get, headers: [.cookie: "annals_session=\(id)"])
            #expect(expired.status == .seeOther)
            let working = try await client.execute(
                uri: "/?year=2024", method: .get, headers: [.cookie: "annals_session=\(live)"])
            #expect(working.status == .ok)
        }
        // A disabled account's sessions end.
        try AccountService(store: fixture.store, actor: testActor, cost: 4).disable(name: "olga")
        try await fixture.test { client in
            let response = try await client.execute(
                uri: "/?year=2024", method: .get, headers: [.cookie: "annals_session=\(live)"])
            #expect(response.status == .seeOther)
        }
    }

    @Test func failedSignInsAreThrottledPerAccountAndPerAddress() async throws {
        let fixture = try WebFixture(
            configuration: WebConfiguration(
                behindHTTPS: true, failuresPerAccount: 3, failuresPerAddress: 5, bcryptCost: 4))
        try await fixture.test { client in
            var browser = Browser()
            browser.origin = "https://localhost"
            for _ in 0..<3 {
                let response = try await browser.signIn(client, "olga", password: "wrong password", address: "10.0.0.1")
                #expect(response.status == .unauthorized)
            }
            // The right password, from another address, is refused too while the account is throttled.
            let throttled = try await browser.signIn(client, "olga", address: "10.0.0.2")
            #expect(throttled.status == .tooManyRequests)
            #expect(browser.cookies[AuthenticationMiddleware.sessionCookie] == nil)
            // Another account from the first address: two more failures reach that address's limit.
            for name in ["ada", "vic"] {
                #expect(
                    try await browser.signIn(client, name, password: "wrong password", address: "10.0.0.1").status
                        == .unauthorized)
            }
            #expect(try await browser.signIn(client, "sam", address: "10.0.0.1").status == .tooManyRequests)
            #expect(try await browser.signIn(client, "sam", address: "10.0.0.3").status == .seeOther)
        }
    }

    @Test func theAccessLogNamesNoSecret() async throws {
        let logs = LogLines()
        let fixture = try WebFixture(logs: logs)
        let token = try AccountService(store: fixture.store, actor: testActor, cost: 4).createToken(for: "olga").secret
        try await fixture.test { client in
            var browser = Browser()
            try await browser.signIn(client, "olga")
            _ = try await browser.get(client, "/papers?q=cyst")
            _ = try await client.execute(uri: "/api/cases", method: .get, headers: [.authorization: "Bearer \(token)"])
            let session = try #require(browser.cookies[AuthenticationMiddleware.sessionCookie])
            let all = logs.all.joined(separator: "\n")
            let lines = logs.all.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.count == logs.all.count, "every log line is one JSON object: \(all)")
            let papers = lines.filter { $0["route"] as? String == "/papers" }
            #expect(papers.count == 1, "\(all)")
            #expect(papers.first?["method"] as? String == "GET")
            #expect(papers.first?["status"] as? Int == 200)
            #expect(papers.first?["role"] as? String == "office")
            for secret in [WebFixture.password, session, token, "correct", "olga"] {
                #expect(!all.contains(secret), "the log holds a secret or the account's name")
            }
            #expect(!all.contains("cyst"), "queries are not logged")
        }
    }

    /// Account changes are in the change log, without the password hash.
    @Test func accountChangesAreLoggedWithoutTheHash() throws {
        let fixture = try WebFixture()
        try AccountService(store: fixture.store, actor: ChangeActor("admin-person"), cost: 4).setPassword(
            name: "sam", password: "another password 2")
        let entries = try fixture.store.read { try $0.history() }
        let accountLines = entries.filter { $0.action.code == "account" }
        #expect(accountLines.count >= WebFixture.accounts.count + 1)
        let last = try #require(accountLines.last)
        #expect(last.actor.name == "admin-person")
        #expect(last.records.first?.recordID == "sam")
        #expect(last.records.first?.after?.contains("passwordChanged") == true)
        let hash = try #require(try fixture.store.read { try $0.account(name: "sam") }?.passwordHash)
        for entry in entries { for record in entry.records { #expect(!(record.after ?? "").contains(hash)) } }
        #expect(
            !entries.flatMap(\.records).contains {
                ($0.before ?? "").contains("$2") || ($0.after ?? "").contains("$2b$")
            })
    }
}
