import AnnalsModel
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Responses built the same way everywhere.
enum Reply {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A download: `name` is the file name offered.
    static func download(_ text: String, type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Health, assets, signing in and out.
enum Handlers {
    /// The sign-in form's own CSRF token (there is no session yet), in a cookie of its own.
    static let signInCookie = "annals_signin"

    /// GET /healthz: 200 `{"registry":"ok"}` when the registry answers a query (its accounts table is read), 503
    /// with the reason in JSON when it does not (a load balancer or systemd then knows this process cannot serve).
    static func health(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        do {
            _ = try await app.read { try $0.accounts().count }
            return Reply.json(#"{"registry":"ok"}"#)
        } catch {
            app.metrics.storeError()
            app.log.error("health check failed", metadata: ["error": .string("\(error)")])
            let data =
                (try? JSONSerialization.data(
                    withJSONObject: ["registry": "failing", "error": "the registry does not answer: \(error)"],
                    options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return Reply.json(String(decoding: data, as: UTF8.self), status: .serviceUnavailable)
        }
    }

    /// GET /metrics: the server's metrics in Prometheus' text format. The route is `.localMachine` (a direct
    /// connection from this machine only, checked by `RouteGuard`): the counts say how busy each page is, which is
    /// not for every browser on the intranet, and a scraper has no account. A Prometheus elsewhere scrapes through
    /// nginx (see the example site: a `location = /metrics` with an allow list that sends no `X-Forwarded-For`).
    static func metrics(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: app.metrics.exposition())))
    }

    static func stylesheet(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: Assets.css)))
    }

    static func uploadScript(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: Assets.uploadScript)))
    }

    static func icon(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(string: Assets.icon)))
    }

    static func signInForm(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let token = Secrets.random()
        let next = safeNext(Query(request.uri.query).first("next"))
        var response = Reply.html(Templates.signIn(csrf: token, next: next, message: nil, language: context.language))
        response.setCookie(cookie(signInCookie, token, maxAge: 3600, app: app))
        return response
    }

    /// Signs in: checks the throttle, then the password; on success ends any session the browser had (a new
    /// id at every sign-in, so a planted id is worthless) and starts a new one.
    static func signIn(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let name = form.first("name") ?? ""
        let password = form.first("password") ?? ""
        let next = safeNext(form.first("next"))
        let address = clientAddress(request, context, app)
        func refuse(_ message: String, status: HTTPResponse.Status) -> Response {
            let token = Secrets.random()
            var response = Reply.html(
                Templates.signIn(csrf: token, next: next, message: message, language: context.language), status: status)
            response.setCookie(cookie(signInCookie, token, maxAge: 3600, app: app))
            return response
        }
        if let wait = await app.throttle.wait(account: name, address: address) {
            app.log.warning("sign-in throttled", metadata: ["user": .string(name), "address": .string(address)])
            return refuse(Words.throttled(wait, context.language), status: .tooManyRequests)
        }
        let account = try await app.read { try $0.account(name: name) }
        guard let account, !account.disabled, let hash = account.passwordHash,
            Secrets.verifyPassword(password, hash: hash)
        else {
            await app.throttle.failed(account: name, address: address)
            app.log.notice("sign-in refused", metadata: ["user": .string(name), "address": .string(address)])
            return refuse(Words.wrongPassword(context.language), status: .unauthorized)
        }
        await app.throttle.succeeded(account: name)
        let id = Secrets.random()
        let now = Date()
        let session = WebSession(
            idHash: Secrets.digest(id), accountName: account.name, csrfToken: Secrets.random(), createdAt: now,
            expiresAt: now.addingTimeInterval(app.configuration.sessionLifetime))
        let old = request.cookies[AuthenticationMiddleware.sessionCookie].map { Secrets.digest($0.value) }
        try await app.write(as: ChangeActor(account.name), doing: .account("sign in \(account.name)")) { registry in
            if let old { try registry.removeSession(idHash: old) }
            try registry.removeExpiredSessions(now: now)
            try registry.addSession(session)
        }
        var response = Reply.redirect(next)
        response.setCookie(
            cookie(AuthenticationMiddleware.sessionCookie, id, maxAge: Int(app.configuration.sessionLifetime), app: app)
        )
        response.setCookie(cookie(signInCookie, "", maxAge: 0, app: app))
        return response
    }

    static func signOut(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        if let session = context.session, let account = context.account {
            try await app.write(as: ChangeActor(account.name), doing: .account("sign out \(account.name)")) {
                try $0.removeSession(idHash: session.idHash)
            }
        }
        var response = Reply.redirect("/signin")
        response.setCookie(cookie(AuthenticationMiddleware.sessionCookie, "", maxAge: 0, app: app))
        return response
    }

    /// A cookie as every cookie of the server is: HttpOnly, SameSite=Lax, path /, Secure behind HTTPS.
    static func cookie(_ name: String, _ value: String, maxAge: Int, app: WebApp) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: app.configuration.behindHTTPS, httpOnly: true,
            sameSite: .lax)
    }

    /// Where to go after signing in: a path of this site only (never `//other.site` or a full URL).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.contains(where: { $0.isNewline })
        else { return "/" }
        return next
    }

    /// The client's address: the connection's, or behind a proxy (`--behind-https`) the last `X-Forwarded-For`
    /// entry, which the proxy wrote.
    static func clientAddress(_ request: Request, _ context: WebContext, _ app: WebApp) -> String {
        if app.configuration.behindHTTPS, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last
        {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress ?? "unknown"
    }
}
