import AnnalsModel
import AnnalsOffice
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird

/// Who may use a route. Checked in one place, `RouteGuard`; handlers never look at roles.
enum Access: Sendable, Hashable {
    /// Anyone, signed in or not.
    case open
    /// An account with at least this role (admin ⊇ office ⊇ secretary ⊇ viewer).
    case role(AccountRole)
    /// Anyone on the server's own machine: a direct connection from 127.0.0.1 or ::1, not forwarded by a proxy
    /// (`/metrics`, for a scraper, which has no account). Everyone else gets 403.
    case localMachine
}

/// Which departments' data a route shows, for accounts that work for some departments only (secretaries, and
/// viewers given departments).
enum DepartmentScope: Sendable, Hashable {
    /// No department's data (sign-in, assets, the API description).
    case none
    /// One department's, named by the `department` parameter: such an account must name one of its own
    /// (a page without one goes to the account's first department).
    case department
    /// The whole hospital's: refused to such an account.
    case hospital
    /// One record's, named by the `kind` and `id` parameters (`/entry/projects/ID`): as `department`, and the
    /// record must be credited to one of such an account's departments.
    case record
}

/// Who a route answers: a browser (signed out: 303 to the sign-in page; errors as pages) or a program
/// (signed out: 401; errors as JSON).
enum Audience: Sendable, Hashable {
    case page
    case api
}

/// One route of `annals serve`: what it needs and what answers it.
struct Route: Sendable {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
    public var scope: DepartmentScope
    public var audience: Audience
    /// One line for the API description and the route list.
    public var summary: String
    var handler: @Sendable (Request, WebContext, WebApp) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ scope: DepartmentScope, _ audience: Audience,
        _ summary: String, _ handler: @escaping @Sendable (Request, WebContext, WebApp) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.scope = scope
        self.audience = audience
        self.summary = summary
        self.handler = handler
    }

    /// True for methods that change something, which need a same-origin request and the session's form token.
    var changesState: Bool { ![.get, .head, .options].contains(method) }

    /// True for the routes that take a file (`multipart/form-data`, streamed); every other change takes a small
    /// URL-encoded form only.
    var takesFiles: Bool { Self.fileRoutes.contains(path) }
    static let fileRoutes: Set<String> = ["/uploads/preview", "/records/attachments"]
}

/// Every route, in one table: the server registers exactly these, each behind `RouteGuard`.
enum RouteTable {
    public static let all: [Route] = [
        Route(.get, "/healthz", .open, .none, .api, "Whether the server and its registry answer", Handlers.health),
        Route(.get, "/assets/app.css", .open, .none, .page, "The style sheet", Handlers.stylesheet),
        Route(.get, "/assets/icon.svg", .open, .none, .page, "The icon", Handlers.icon),
        Route(
            .get, "/assets/upload.js", .open, .none, .page, "The upload page's progress script",
            Handlers.uploadScript),
        Route(.get, "/favicon.ico", .open, .none, .page, "The icon, where browsers look for it", Handlers.icon),
        Route(.get, "/signin", .open, .none, .page, "The sign-in form", Handlers.signInForm),
        Route(.post, "/signin", .open, .none, .page, "Signs in", Handlers.signIn),
        Route(.post, "/signout", .role(.viewer), .none, .page, "Signs out", Handlers.signOut),
        Route(.get, "/", .role(.viewer), .department, .page, "The dashboard of a year and department", Pages.dashboard),
        Route(
            .get, "/papers", .role(.viewer), .department, .page, "Papers, with filters, search and pages", Pages.papers),
        Route(.get, "/cases", .role(.viewer), .department, .page, "A case question and its answer", Pages.cases),
        Route(
            .get, "/reports", .role(.viewer), .department, .page, "The annual report or department profile",
            Pages.reports),
        Route(
            .get, "/papers/:id", .role(.viewer), .department, .page, "A paper (of the department named)", Pages.paper),
        Route(
            .get, "/projects", .role(.viewer), .department, .page,
            "Projects by level, funder, year and department; search by title or grant number", Pages.projects),
        Route(.get, "/projects/:id", .role(.viewer), .department, .page, "A project", Pages.project),
        Route(.get, "/patents", .role(.viewer), .department, .page, "Patents, with filters and search", Pages.patents),
        Route(.get, "/patents/:id", .role(.viewer), .department, .page, "A patent", Pages.patent),
        Route(.get, "/awards", .role(.viewer), .department, .page, "Awards, with filters and search", Pages.awards),
        Route(.get, "/awards/:id", .role(.viewer), .department, .page, "An award", Pages.award),
        Route(
            .get, "/people", .role(.viewer), .department, .page, "People by department; search by name (hanzi, pinyin)",
            Pages.people),
        Route(
            .get, "/people/:id", .role(.viewer), .department, .page,
            "A person: papers, projects, patents, awards and operations as surgeon", Pages.person),
        Route(
            .get, "/history", .role(.office), .hospital, .page, "The change log by record, person and date",
            Pages.history),
        Route(
            .get, "/downloads/report", .role(.viewer), .department, .page,
            "The annual report as a file: format html, markdown, json or docx", Downloads.report),
        Route(
            .get, "/downloads/profile", .role(.viewer), .department, .page,
            "A department's profile as a file (every department's for the hospital)", Downloads.profile),
        Route(
            .get, "/downloads/table", .role(.viewer), .department, .page,
            "A table as an Excel workbook, as `annals export --format xlsx`", Downloads.table),
        Route(
            .get, "/downloads/template", .role(.viewer), .none, .page,
            "A blank Excel template, as `annals template xlsx`", Downloads.template),
        Route(.get, "/admin/users", .role(.admin), .none, .page, "The accounts", Pages.users),
        Route(.post, "/admin/users", .role(.admin), .none, .page, "Adds an account", Pages.addUser),
        Route(.post, "/admin/users/disable", .role(.admin), .none, .page, "Disables an account", Pages.disableUser),
        Route(
            .post, "/admin/users/password", .role(.admin), .none, .page, "Sets an account's password",
            Pages.setUserPassword),
        Route(.get, "/api/openapi.json", .open, .none, .api, "This API described in OpenAPI 3.1", API.openAPI),
        Route(
            .get, "/api/cases", .role(.viewer), .department, .api, "A case question, as `annals cases --format json`",
            API.cases),
        Route(
            .get, "/api/publications", .role(.viewer), .department, .api,
            "Publications, as `annals publications --format json`, a page at a time", API.publications),
        Route(
            .get, "/api/stats", .role(.viewer), .department, .api, "Figures of a year, as `annals stats --format json`",
            API.stats),
        Route(
            .get, "/api/history", .role(.office), .hospital, .api, "The change log, as `annals history --format json`",
            API.history),
        Route(
            .get, "/tasks", .role(.viewer), .none, .page, "My tasks: the records waiting for the account",
            WorkflowPages.tasks),
        Route(
            .post, "/records/validate", .role(.secretary), .none, .page,
            "Validates a record's step (kind, id, opinion)", WorkflowPages.act("validate")),
        Route(
            .post, "/records/return", .role(.secretary), .none, .page,
            "Returns a record with an opinion (kind, id, opinion)", WorkflowPages.act("return")),
        Route(
            .post, "/records/resubmit", .role(.secretary), .none, .page, "Sends a returned record again (kind, id)",
            WorkflowPages.act("resubmit")),
        Route(
            .post, "/records/reopen", .role(.office), .none, .page, "Puts a validated record back for validation",
            WorkflowPages.act("reopen")),
        Route(.get, "/years", .role(.office), .hospital, .page, "The closed years", WorkflowPages.years),
        Route(
            .post, "/years/close", .role(.office), .hospital, .page, "Closes a year (year)",
            WorkflowPages.year(close: true)),
        Route(
            .post, "/years/reopen", .role(.office), .hospital, .page, "Reopens a closed year (year)",
            WorkflowPages.year(close: false)),
        Route(
            .get, "/api/tasks", .role(.viewer), .none, .api, "The records waiting for the account (my tasks)", API.tasks
        ),
        Route(
            .post, "/api/records/:id/validate", .role(.secretary), .none, .api, "Validates the step a record waits for",
            API.act("validate")),
        Route(
            .post, "/api/records/:id/return", .role(.secretary), .none, .api,
            "Returns a record to its department with an opinion", API.act("return")),
        Route(
            .get, "/entry/tallies/month", .role(.secretary), .department, .page,
            "A month of one department's case tallies: procedures × approaches", Entry.monthForm),
        Route(
            .post, "/entry/tallies/month", .role(.secretary), .department, .page,
            "Enters a month of case tallies in one transaction", Entry.monthSubmit),
        Route(
            .get, "/entry/:kind/new", .role(.secretary), .department, .page, "A form for a new record of a kind",
            Entry.newForm),
        Route(.post, "/entry/:kind/new", .role(.secretary), .department, .page, "Enters a new record", Entry.create),
        Route(
            .get, "/entry/:kind/:id", .role(.secretary), .record, .page, "A record's form, to correct it",
            Entry.editForm),
        Route(.post, "/entry/:kind/:id", .role(.secretary), .record, .page, "Corrects a record", Entry.update),
        Route(
            .post, "/entry/:kind/:id/delete", .role(.secretary), .record, .page, "Deletes a record, with a reason",
            Entry.delete),
        Route(
            .post, "/api/tallies", .role(.secretary), .department, .api,
            "Enters one case tally (the tally CSV's fields as a JSON object)", API.createTally),
        Route(
            .get, "/uploads", .role(.secretary), .department, .page, "The upload form: a file of a kind to import",
            Uploads.form),
        Route(
            .post, "/uploads/preview", .role(.secretary), .department, .page,
            "Checks an uploaded file (multipart: csrf first, kind, file) as a dry run and shows what it would do",
            Uploads.preview),
        Route(
            .post, "/uploads/confirm", .role(.secretary), .department, .page,
            "Imports the file checked before (token), in one transaction as the account", Uploads.confirm),
        Route(
            .post, "/records/attachments", .role(.secretary), .none, .page,
            "Attaches a PDF, JPEG or PNG to a record (multipart: csrf first, kind, id, file)", AttachmentRoutes.add),
        Route(
            .get, "/attachments/:id", .role(.viewer), .none, .page, "An attachment, as a download (never shown inline)",
            AttachmentRoutes.download),
        Route(
            .get, "/api/projects", .role(.viewer), .department, .api,
            "Projects, with the filters and pages of /projects", API.projects),
        Route(
            .get, "/api/patents", .role(.viewer), .department, .api, "Patents, with the filters and pages of /patents",
            API.patents),
        Route(
            .get, "/api/awards", .role(.viewer), .department, .api, "Awards, with the filters and pages of /awards",
            API.awards),
        Route(
            .get, "/api/people", .role(.viewer), .department, .api, "People, with the filters and pages of /people",
            API.people),
        Route(
            .get, "/api/review", .role(.secretary), .department, .api,
            "Author matches to decide, candidate duplicates and past merges, as /review shows them", API.review),
        Route(
            .get, "/review", .role(.secretary), .department, .page,
            "Author matches to decide, candidate duplicates and past merges", Pages.review),
        Route(
            .post, "/review/decisions", .role(.secretary), .department, .page,
            "Accepts or rejects author matches (one, or every one checked)", Pages.decideReviews),
        Route(
            .post, "/review/merges/undo", .role(.secretary), .department, .page,
            "Undoes a merge, restoring the merged-in record", Pages.undoMerge),
        Route(
            .post, "/review/duplicates/merge", .role(.secretary), .department, .page,
            "Merges two candidate duplicates", Pages.mergeDuplicates),
        Route(
            .post, "/records/attachments/remove", .role(.secretary), .none, .page,
            "Removes an attachment from its record (id), recorded in its history", AttachmentRoutes.remove),
        Route(
            .get, "/entry/procedures/new", .role(.office), .none, .page,
            "A form for a new procedure of the vocabulary (Chinese and English names, synonyms)", Entry.newForm),
        Route(
            .post, "/entry/procedures/new", .role(.office), .none, .page, "Adds a procedure to the vocabulary",
            Entry.create),
        Route(
            .get, "/entry/procedures/:id", .role(.office), .none, .page, "A procedure's form, to correct it",
            Entry.editForm),
        Route(.post, "/entry/procedures/:id", .role(.office), .none, .page, "Corrects a procedure", Entry.update),
        Route(
            .post, "/entry/procedures/:id/delete", .role(.office), .none, .page,
            "Deletes a procedure no tally counts, with a reason", Entry.delete),
        Route(.get, "/admin/chain", .role(.admin), .none, .page, "The approval chain's steps", ChainPage.show),
        Route(
            .post, "/admin/chain", .role(.admin), .none, .page,
            "Sets the approval chain from the form, or goes back to the standard one (reset)", ChainPage.set),
        Route(
            .get, "/metrics", .localMachine, .none, .api,
            "The server's metrics in Prometheus text format (to this machine only, not through a proxy)",
            Handlers.metrics),
    ]
}

extension RouteTable {
    /// The methods the table takes at `path` (its `:parameters` matching any one segment); empty when none.
    static func methods(at path: String) -> [HTTPRequest.Method] {
        let asked = path.split(separator: "/", omittingEmptySubsequences: false)
        var found: [HTTPRequest.Method] = []
        for route in all {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == asked.count,
                zip(pattern, asked).allSatisfy({ $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 })
            else { continue }
            if !found.contains(route.method) { found.append(route.method) }
        }
        if found.contains(.get) { found.append(.head) }
        return found
    }
}

/// A request refused or failed, said for the person or program that sent it.
struct WebError: Error {
    var status: HTTPResponse.Status
    var message: String
    /// Where to send a browser instead (303), e.g. the sign-in page.
    var location: String?

    init(_ status: HTTPResponse.Status, _ message: String, location: String? = nil) {
        self.status = status
        self.message = message
        self.location = location
    }
}

/// Enforces a route's declaration: who may use it (access), which departments (scope), and for a change, that
/// it comes from our own pages (same origin, and the session's form token).
struct RouteGuard: RouterMiddleware {
    typealias Context = WebContext
    let route: Route
    let app: WebApp

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws
        -> Response
    {
        var request = request
        var context = context
        if route.access == .localMachine,
            !Self.isLocalMachine(
                remoteAddress: context.remoteAddress,
                forwarded: request.headers[HTTPField.Name("X-Forwarded-For")!] != nil)
        {
            throw WebError(
                .forbidden,
                "\(route.path) is answered to this machine only (a direct connection from 127.0.0.1 or ::1, not through a proxy); see docs/install.md"
            )
        }
        if case .role(let needed) = route.access {
            guard let account = context.account else {
                switch route.audience {
                case .api:
                    throw WebError(.unauthorized, Words.signInFirstAPI(context.language))
                case .page:
                    let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    throw WebError(
                        .seeOther, "sign in first",
                        location: "/signin?next=" + Self.encode(route.method == .get ? next : "/"))
                }
            }
            guard account.role >= needed else {
                throw WebError(.forbidden, Words.needsRole(needed, account, context.language))
            }
            try await checkScope(request, account: account, context: context)
        }
        // A bearer token is sent by a program on purpose, never by a browser on its own: the API's changes
        // need no form token (a browser's session cookie gets none, so it cannot change anything through the API).
        let bearer = route.audience == .api && context.account != nil && context.session == nil
        // A body larger than the route takes is refused before it is read (413), whoever sends it: a file route
        // takes `uploadLimit` (checked as the file arrives), every other route a small form or JSON body.
        if !route.takesFiles, let length = request.headers[.contentLength].flatMap(Int.init),
            length > context.maxUploadSize
        {
            throw ResponseMiddleware.tooLarge(context.language)
        }
        if route.changesState && !bearer {
            try checkSameOrigin(request, language: context.language)
            let sent: String?
            if route.takesFiles,
                let boundary = MultipartReader.boundary(ofContentType: request.headers[.contentType])
            {
                // A file: the form token is the body's first part, read before any of the file; the handler
                // reads on from there (`context.multipart`), a piece at a time.
                sent = try await Self.leadingToken(request, boundary: boundary, app: app, context: &context)
            } else {
                sent = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize))).first("csrf")
            }
            let expected: String?
            if route.access == .open {
                // The sign-in form's own token (no session yet).
                expected = request.cookies[Handlers.signInCookie]?.value
            } else if let session = context.session {
                expected = session.csrfToken
            } else {
                expected = nil  // a bearer token does not change anything through a form
            }
            guard let expected, let sent, Secrets.constantTimeEqual(sent, expected) else {
                throw WebError(.forbidden, Words.staleForm(context.language))
            }
        }
        return try await next(request, context)
    }

    /// True for a direct connection from this machine (the loopback addresses), not forwarded by a proxy.
    static func isLocalMachine(remoteAddress: String?, forwarded: Bool) -> Bool {
        guard !forwarded, let address = remoteAddress else { return false }
        return address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1"
    }

    /// The form token of a `multipart/form-data` body: its first part must be the field `csrf` (the upload form
    /// puts it first). A body declared larger than the limit is refused before it is read (413).
    private static func leadingToken(
        _ request: Request, boundary: String, app: WebApp, context: inout WebContext
    ) async throws -> String? {
        let limit = app.configuration.uploadLimit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Uploads.tooLarge(limit, context.language)
        }
        let reader = MultipartReader(body: request.body, boundary: boundary, limit: limit)
        context.multipart = reader
        do {
            guard let first = try await reader.nextPart(), first.name == "csrf", first.fileName == nil else {
                return nil
            }
            return String(decoding: try await reader.readContent(limit: 256), as: UTF8.self)
        } catch MultipartError.tooLarge {
            throw Uploads.tooLarge(limit, context.language)
        } catch is MultipartError {
            return nil
        }
    }

    /// An account limited to some departments names one of them (by id or by name).
    private func checkScope(_ request: Request, account: Account, context: WebContext) async throws {
        let language = context.language
        let limited = !account.role.seesEveryDepartment && !account.departments.isEmpty
        guard limited else { return }
        // The account's departments as the refusal names them: by their Chinese names on a Chinese page.
        func theirs() async -> [String] {
            guard language == .zh, let units = try? await app.read({ try $0.orgUnits() }) else {
                return account.departments
            }
            return account.departments.map { id in units.first { $0.id == id }.map { $0.nameZH ?? $0.name } ?? id }
        }
        switch route.scope {
        case .none:
            return
        case .hospital:
            throw WebError(.forbidden, Words.notWholeHospital(account, await theirs(), language))
        case .department, .record:
            let query = Query(request.uri.query)
            guard let asked = query.first("department") else {
                if route.audience == .page, let first = account.departments.first {
                    var pairs = query.pairs.filter { $0.0 != "department" }
                    pairs.append(("department", first))
                    throw WebError(.seeOther, "your department", location: request.uri.path + "?" + Self.encode(pairs))
                }
                throw WebError(.forbidden, Words.nameADepartment(account, await theirs(), language))
            }
            // Their own department by id, as every link names it, needs no read of the registry; a name is looked up.
            var theirOwn = account.departments.contains(asked)
            if !theirOwn {
                theirOwn = try await app.read { try $0.orgUnits() }.contains {
                    ($0.name == asked || $0.nameZH == asked) && account.departments.contains($0.id)
                }
            }
            if theirOwn {
                if route.scope == .record { try await checkRecord(account: account, context: context) }
                return
            }
            throw WebError(
                .forbidden, Words.notTheirDepartment(account, asked: asked, await theirs(), language))
        }
    }

    /// The record a `.record` route names (`kind`, `id`) is credited to one of `account`'s departments; a record
    /// that is not there is left to the handler (404).
    private func checkRecord(account: Account, context: WebContext) async throws {
        guard let kind = context.parameters.get("kind").flatMap(EntryKind.init), let id = context.parameters.get("id")
        else { return }
        let credited = try await app.read { try kind.departments(id: id, in: $0) }
        guard let credited, !credited.contains(where: account.departments.contains) else { return }
        // The departments as the refusal names them: by their Chinese names on a Chinese page.
        var name: (String) -> String = { $0 }
        if context.language == .zh, let units = try? await app.read({ try $0.orgUnits() }) {
            name = { id in units.first { $0.id == id }.map { $0.nameZH ?? $0.name } ?? id }
        }
        throw WebError(
            .forbidden,
            Words.notTheirRecord(
                account.name, departments: account.departments.map(name), id: id, credited: credited.map(name),
                context.language))
    }

    /// A change must come from a page of this site: `Sec-Fetch-Site: same-origin` where the browser sends it,
    /// otherwise an `Origin` equal to this server's.
    private func checkSameOrigin(_ request: Request, language: WebLanguage) throws {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            guard site == "same-origin" else {
                throw WebError(.forbidden, Words.notSameOrigin("Sec-Fetch-Site: \(site)", language))
            }
        }
        guard let origin = request.headers[.origin] else {
            throw WebError(
                .forbidden,
                Words.notSameOrigin(language == .zh ? "请求没有 Origin 头" : "the request has no Origin header", language))
        }
        let host = request.head.authority ?? ""
        let own = (app.configuration.behindHTTPS ? "https://" : "http://") + host
        guard origin == own else {
            throw WebError(
                .forbidden,
                Words.notSameOrigin(
                    language == .zh ? "Origin 为 \(origin)，不是 \(own)" : "Origin \(origin) is not \(own)", language))
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
