import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import HTTPTypes
import Hummingbird

/// The accounts page (admin): the list, and forms to add a user, disable one and set a password. Every change
/// goes through `AccountService` (checked there, one transaction, in the change log under the admin's name);
/// a refused change writes nothing and shows why in the form.
extension Pages {
    static func users(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let done = q.first("done").flatMap { key in
            Words.table["done." + key].map { _ in
                Words.word("done." + key, context.language).replacingOccurrences(of: "%@", with: q.first("name") ?? "")
            }
        }
        return try await usersPage(request, context, app, message: nil, done: done, form: Query(nil), status: .ok)
    }

    static func usersPage(
        _ request: Request, _ context: WebContext, _ app: WebApp, message: String?, done: String?, form: Query,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let language = context.language
        let (accounts, units) = try await app.read { (try $0.accounts(), try $0.orgUnits()) }
        let chosen = Set(form.all("departments"))
        let values: [String: Any] = [
            "users": accounts.map {
                [
                    "name": $0.name, "role": Words.word("role." + $0.role.rawValue, language),
                    "departments": $0.departments.map { unitName($0, units, language) }.joined(separator: "、"),
                    "state": Words.word($0.disabled ? "disabled" : "active", language),
                    // No button to disable one's own account (the service refuses it too).
                    "active": !$0.disabled && $0.name != context.account?.name,
                ]
            },
            "names": accounts.map(\.name),
            "roles": AccountRole.allCases.map {
                [
                    "value": $0.rawValue, "label": Words.word("role." + $0.rawValue, language),
                    "selected": $0.rawValue == (form.first("role") ?? AccountRole.viewer.rawValue),
                ]
            },
            "departmentChoices": units.filter { $0.kind == .department }.map {
                [
                    "id": $0.id, "name": language == .zh ? ($0.nameZH ?? $0.name) : $0.name,
                    "checked": chosen.contains($0.id),
                ]
            },
            "newName": form.first("name") ?? "", "message": message as Any, "done": done as Any,
            "csrf": context.session?.csrfToken ?? "",
        ]
        var response = page(
            "users", values, title: Words.word("users", language), current: "/admin/users", request, context)
        response.status = status
        return response
    }

    /// The account service acting as the signed-in admin.
    static func accountService(_ context: WebContext, _ app: WebApp) -> AccountService {
        AccountService(
            store: app.store, actor: ChangeActor(context.account?.name ?? "annals serve"),
            cost: app.configuration.bcryptCost)
    }

    /// Runs one account change; a refusal shows the form again (422) with the reason and what was typed (never
    /// the password).
    static func changeAccount(
        _ request: Request, _ context: WebContext, _ app: WebApp, done: String,
        _ change: @escaping @Sendable (AccountService, Query) throws -> String
    ) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let service = accountService(context, app)
        do {
            let name = try await app.registry.perform { _ in try change(service, form) }
            return Reply.redirect("/admin/users?done=\(done)&name=" + RouteGuard.encode(name))
        } catch let error as AccountError {
            let kept = Query(nil).pairs + form.pairs.filter { $0.0 != "password" && $0.0 != "csrf" }
            var echoed = Query(nil)
            echoed.pairs = kept
            return try await usersPage(
                request, context, app, message: context.language == .zh ? error.messageZH : error.message, done: nil,
                form: echoed, status: .unprocessableContent)
        }
    }

    static func addUser(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        try await changeAccount(request, context, app, done: "add") { service, form in
            let name = form.first("name") ?? ""
            guard let role = form.first("role").flatMap(AccountRole.init(rawValue:)) else {
                throw AccountError("choose a role", zh: "请选择角色。")
            }
            try service.add(
                name: name, role: role, departments: form.all("departments"), password: form.first("password"))
            return name
        }
    }

    static func disableUser(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let requester = context.account?.name
        return try await changeAccount(request, context, app, done: "disable") { service, form in
            let name = form.first("name") ?? ""
            try service.disable(name: name, requester: requester)
            return name
        }
    }

    static func setUserPassword(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        try await changeAccount(request, context, app, done: "password") { service, form in
            let name = form.first("name") ?? ""
            try service.setPassword(name: name, password: form.first("password") ?? "")
            return name
        }
    }
}
