import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: turns refusals and failures into answers (a page, a redirect or JSON), puts the
/// security headers on every response, gives each request an id (`X-Request-Id`, also on the answer), counts it
/// for `/metrics`, and writes one access-log line per request: id, method, route pattern (`/people/{id}`, never
/// the path asked for, its query or form), status, duration and the asker's role — never a cookie, token,
/// password, session id or account name.
struct ResponseMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let app: WebApp

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws
        -> Response
    {
        let started = ContinuousClock.now
        let requestID = Self.requestID(request)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as WebError {
            response = Self.answer(error, to: request, language: WebLanguage.of(request))
        } catch let error as WorkflowRefusal {
            let language = WebLanguage.of(request)
            let status: HTTPResponse.Status =
                switch error.reason {
                case .forbidden: .forbidden
                case .notFound: .notFound
                case .conflict: .conflict
                case .invalid: .unprocessableContent
                }
            response = Self.answer(
                WebError(status, language == .zh ? error.chinese : error.english), to: request, language: language)
        } catch let error as ClosedYearRefusal {
            let language = WebLanguage.of(request)
            response = Self.answer(
                WebError(.conflict, language == .zh ? error.chinese : error.description), to: request,
                language: language)
        } catch let error as HTTPError {
            let methods = error.status == .notFound ? RouteTable.methods(at: request.uri.path) : []
            let allowed = methods.contains(request.method) ? [] : methods
            if !allowed.isEmpty {
                // A path of the table asked with a method it does not take.
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                response = Self.answer(
                    WebError(.methodNotAllowed, "\(request.uri.path) takes \(list), not \(request.method)"),
                    to: request,
                    language: WebLanguage.of(request))
                response.headers[.allow] = list
            } else {
                let message =
                    error.status == .notFound
                    ? "there is no page at \(request.uri.path)" : (error.body ?? "\(error.status)")
                response = Self.answer(WebError(error.status, message), to: request, language: WebLanguage.of(request))
            }
        } catch  where Self.isTooLarge(error) {
            // A body larger than its route takes, sent without a length (chunked): refused as it arrives.
            let language = WebLanguage.of(request)
            response = Self.answer(Self.tooLarge(language), to: request, language: language)
        } catch {
            if error is StoreError { app.metrics.storeError() }
            app.log.error(
                "request failed",
                metadata: [
                    "request_id": .string(requestID), "route": .string(Self.route(context)),
                    "error": .string("\(error)"),
                ])
            response = Self.answer(
                WebError(.internalServerError, "the server could not answer: \(error)"), to: request,
                language: WebLanguage.of(request))
        }
        Self.secure(&response.headers, behindHTTPS: app.configuration.behindHTTPS)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = Self.route(context)
        response.headers[Self.requestIDHeader] = requestID
        app.metrics.request(
            route: route, method: request.method.rawValue, status: Int(response.status.code), seconds: seconds)
        app.log.info(
            "request",
            metadata: [
                "request_id": .string(requestID), "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(Int(response.status.code)),
                "duration_ms": .stringConvertible((seconds * 10_000).rounded() / 10),
                "role": .string(context.asker.role ?? "-"),
            ])
        return response
    }

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    /// The id of a request: the one the proxy in front sent (nginx's `$request_id`: letters, digits and `-`,
    /// up to 64), or a new random one.
    static func requestID(_ request: Request) -> String {
        if let sent = request.headers[requestIDHeader], (1...64).contains(sent.count),
            sent.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "-" })
        {
            return sent
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// The route pattern a request matched (`/people/{id}`), or `unmatched`: what logs and metrics name, so
    /// that neither holds the values of a path.
    static func route(_ context: WebContext) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    /// True for the error a body collected with a limit throws past it (NIO's `NIOTooManyBytesError`, a module
    /// AnnalsWeb does not import).
    static func isTooLarge(_ error: any Error) -> Bool {
        String(describing: type(of: error)) == "NIOTooManyBytesError"
    }

    /// A form or JSON body larger than `WebContext.maxUploadSize` (files have their own, larger limit).
    static func tooLarge(_ language: WebLanguage) -> WebError {
        WebError(
            .contentTooLarge,
            language == .zh
                ? "请求太大：表单或 JSON 最多 64 KB（文件请用上传页面）。"
                : "The request is too large: a form or JSON body takes at most 64 KB (files go through the upload page)."
        )
    }

    /// Content-Security-Policy without inline script or style, no framing, no sniffing, no referrer to others.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func secure(_ headers: inout HTTPFields, behindHTTPS: Bool) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if behindHTTPS { headers[.strictTransportSecurity] = "max-age=31536000" }
    }

    static func answer(_ error: WebError, to request: Request, language: WebLanguage) -> Response {
        if let location = error.location {
            return Response(status: .seeOther, headers: [.location: location])
        }
        if request.uri.path.hasPrefix("/api/") || ["/healthz", "/metrics"].contains(request.uri.path) {
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            if error.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"annals\"" }
            return Response(
                status: error.status, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: JSONText.error(error.message))))
        }
        let page = Templates.errorPage(status: Int(error.status.code), message: error.message, language: language)
        return Response(
            status: error.status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}

/// Finds who is asking: a session cookie (a session kept in the registry, not expired, of an account not
/// disabled) or a bearer token (not revoked, of an account not disabled). Neither: signed out. Also sets the
/// language of the answer.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let sessionCookie = "annals_session"
    let app: WebApp

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws
        -> Response
    {
        var context = context
        context.language = WebLanguage.of(request)
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else {
                throw WebError(.unauthorized, "the Authorization header takes `Bearer TOKEN`")
            }
            let secret = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            let hash = Secrets.digest(secret)
            // The change stamp in the same read, for the answers kept at it (`WebContext.changeStamp`).
            let get = request.method == .get
            let found = try await app.read { registry -> (Account, String?)? in
                guard let token = try registry.apiToken(secretHash: hash), token.revokedAt == nil,
                    let account = try registry.account(name: token.accountName)
                else { return nil }
                return (account, get ? try registry.changeStamp() : nil)
            }
            guard let (account, stamp) = found, !account.disabled else {
                throw WebError(
                    .unauthorized, "this API token is unknown or revoked; `annals token create USER` makes a new one")
            }
            context.account = account
            context.changeStamp = stamp
            context.asker.name = account.name
            context.asker.role = account.role.rawValue
        } else if let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty {
            let hash = Secrets.digest(cookie)
            // A page's menu shows how many tasks wait (我的待办): counted in the same read as the session, one
            // transaction less per page (on PostgreSQL a round trip and the server's time). The change stamp too:
            // a page kept at it is shown without another transaction (`WebContext.changeStamp`).
            let page = request.method == .get && !request.uri.path.hasPrefix("/assets/")
            let found = try await app.read { registry -> (WebSession, Account, Int?, String?)? in
                guard let session = try registry.session(idHash: hash),
                    let account = try registry.account(name: session.accountName), !account.disabled
                else { return nil }
                guard page else { return (session, account, nil, nil) }
                return (
                    session, account, try? Registry.tasks(in: registry, for: account).count, try registry.changeStamp()
                )
            }
            if let (session, account, tasks, stamp) = found {
                context.session = session
                context.account = account
                context.asker.name = account.name
                context.asker.role = account.role.rawValue
                context.taskCount = tasks
                context.changeStamp = stamp
            }
        }
        var response = try await next(request, context)
        if let asked = Query(request.uri.query).first("lang"), WebLanguage(rawValue: asked) != nil {
            response.setCookie(
                Cookie(
                    name: "annals_lang", value: asked, maxAge: 365 * 24 * 3600, path: "/",
                    secure: app.configuration.behindHTTPS, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// JSON text helpers.
enum JSONText {
    static func error(_ message: String) -> String {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: ["error": message], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
