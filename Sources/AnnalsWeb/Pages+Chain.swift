import AnnalsModel
import AnnalsRegistry
import Foundation
import HTTPTypes
import Hummingbird

/// The approval chain's page (admin): the ordered steps, each a role and a scope, and a form to set them or go
/// back to the standard chain. The rule is the registry's (`Registry.setApprovalChain`, the same the command
/// line's `annals chain set|reset` calls, in the change log under the admin's name); this only parses and shows.
enum ChainPage {
    /// The roles a step may take, in order.
    static let roles: [AccountRole] = [.head, .office, .admin]

    static func show(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let chain = try await app.registry.perform { try $0.approvalChain() }
        let q = Query(request.uri.query)
        let done = q.first("done").flatMap { ["set", "reset"].contains($0) ? $0 : nil }.map {
            Words.word("chain.done." + $0, context.language)
        }
        let rows = chain.steps.map { (role: $0.role.rawValue, scope: $0.scope.rawValue, label: $0.label ?? "") }
        return page(chain, rows: rows, problem: nil, problemStep: nil, done: done, request, context, status: .ok)
    }

    static func set(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        var request = request
        let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
        let language = context.language
        let account = context.account
        if form.first("action") == "reset" {
            try await app.registry.perform { try $0.setApprovalChain(nil, by: account) }
            return Reply.redirect("/admin/chain?done=reset")
        }
        // Rows as typed; a row without a role is left out.
        var rows: [(role: String, scope: String, label: String)] = []
        for i in 0..<ApprovalChain.maximumSteps {
            let role = form.first("role\(i)")?.trimmingCharacters(in: .whitespaces) ?? ""
            let scope = form.first("scope\(i)")?.trimmingCharacters(in: .whitespaces) ?? ""
            let label = form.first("label\(i)")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !role.isEmpty else { continue }
            rows.append((role, scope, String(label.prefix(100))))
        }
        var steps: [ApprovalStep] = []
        for (i, row) in rows.enumerated() {
            guard let role = AccountRole(rawValue: row.role), roles.contains(role),
                let scope = ApprovalScope(rawValue: row.scope)
            else {
                let chain = try await app.registry.perform { try $0.approvalChain() }
                return page(
                    chain, rows: rows, problem: Words.word("chainPickRoleAndScope", language), problemStep: i,
                    done: nil, request, context, status: .unprocessableContent)
            }
            steps.append(ApprovalStep(role: role, scope: scope, label: row.label.isEmpty ? nil : row.label))
        }
        do {
            if steps.isEmpty {
                // Nothing chosen: said, rather than taken as a reset.
                throw WorkflowRefusal(.invalid, "a chain has at least one step", "审核流程至少要有一步。")
            }
            let chosen = steps
            try await app.registry.perform { try $0.setApprovalChain(chosen, by: account) }
            return Reply.redirect("/admin/chain?done=set")
        } catch let refusal as WorkflowRefusal {
            let chain = try await app.registry.perform { try $0.approvalChain() }
            let step = ApprovalChain.check(steps)?.step
            return page(
                chain, rows: rows, problem: language == .zh ? refusal.chinese : refusal.english, problemStep: step,
                done: nil, request, context,
                status: refusal.reason == .forbidden ? .forbidden : .unprocessableContent)
        }
    }

    /// The page: the chain in force, and the form with `rows` (what was typed, or the chain's steps) and a blank
    /// row for each step the chain may still take.
    static func page(
        _ chain: ApprovalChain, rows: [(role: String, scope: String, label: String)], problem: String?,
        problemStep: Int?, done: String?, _ request: Request, _ context: WebContext, status: HTTPResponse.Status
    ) -> Response {
        let language = context.language
        let steps: [[String: Any]] = chain.steps.enumerated().map { i, step in
            [
                "number": i + 1, "name": step.label ?? Words.word("role." + step.role.rawValue, language),
                "role": Words.word("role." + step.role.rawValue, language),
                "scope": Words.word("chain.scope." + step.scope.rawValue, language),
            ]
        }
        let formRows: [[String: Any]] = (0..<ApprovalChain.maximumSteps).map { i in
            let row = i < rows.count ? rows[i] : nil
            return [
                "index": i, "number": i + 1, "label": row?.label ?? "",
                "invalid": problemStep == i,
                "roles": roles.map { role in
                    [
                        "value": role.rawValue, "label": Words.word("role." + role.rawValue, language),
                        "selected": row?.role == role.rawValue,
                    ]
                },
                "scopes": ApprovalScope.allCases.map { scope in
                    [
                        "value": scope.rawValue, "label": Words.word("chain.scope." + scope.rawValue, language),
                        "selected": (row?.scope ?? "hospital") == scope.rawValue,
                    ]
                },
            ]
        }
        let values: [String: Any] = [
            "configured": chain.isConfigured, "steps": steps, "rows": formRows, "problem": problem as Any,
            "done": done as Any, "csrf": context.session?.csrfToken ?? "",
        ]
        let html = Templates.render("chain", values, language: language)
        return Reply.html(
            Templates.page(
                title: Words.word("chainTitle", language), content: html, current: "/admin/users", context: context,
                query: request.uri.query),
            status: status)
    }
}

extension Words {
    static let chain: [String: (zh: String, en: String)] = [
        "chainTitle": ("审核流程", "Approval chain"),
        "chainLink": ("审核流程设置", "The approval chain"),
        "chainStandard": (
            "目前使用默认流程：科室录入或修改的记录由科研处审核，一步完成。",
            "The standard chain is in force: the research office validates what departments enter or change, in one step."
        ),
        "chainConfigured": (
            "目前的审核流程（管理员设置）：科室录入或修改的记录依次经过以下各步审核。设置后，年度报告默认只统计已审核通过的记录。",
            "The chain in force (set by an admin): what departments enter or change passes these steps in order. Once a chain is set, the annual report counts validated records by default."
        ),
        "chainStep": ("步骤", "Step"),
        "chainStepName": ("名称", "Name"),
        "chainRole": ("审核人", "Who validates"),
        "chainScope": ("范围", "Scope"),
        "chain.scope.department": ("本科室（科室主任审本科室的记录）", "The record's department (its head)"),
        "chain.scope.hospital": ("全院", "The whole hospital"),
        "chainSet": ("设置审核流程", "Set the chain"),
        "chainSetHint": (
            "按顺序选择每一步的审核人和范围，名称可写医院的叫法（如“科室主任”“科研处”“分管院长”）。不需要的步骤把审核人留空。最多五步。",
            "Choose who validates each step, in order, and its scope; the name may be the hospital's own (科室主任, 科研处, 分管院长). Leave the role empty for steps not needed. Five steps at most."
        ),
        "chainNone": ("（不用此步）", "(not used)"),
        "chainSave": ("保存审核流程", "Save the chain"),
        "chainReset": ("恢复默认流程（科研处一步审核）", "Go back to the standard chain (the research office alone)"),
        "chainResetHint": (
            "修改审核流程会记入修改记录。已在流程中的记录按新流程继续。",
            "Changing the chain goes into the history. Records already waiting continue under the new chain."
        ),
        "chain.done.set": ("审核流程已保存。", "The chain is saved."),
        "chain.done.reset": ("已恢复默认流程：由科研处审核。", "Back to the standard chain: the research office validates."),
        "chainPickRoleAndScope": ("请为这一步选择审核人和范围。", "Choose who validates this step and its scope."),
        "chainStepNameNote": ("（可留空）", " (optional)"),
    ]
}

extension Templates {
    static let chainSources: [String: String] = [
        "chain": """
        <h1>{{t.chainTitle}}</h1>
        {{#done}}<p class="notice" role="status">{{done}}</p>{{/done}}
        {{#problem}}<div class="message" role="alert"><p>{{problem}}</p></div>{{/problem}}
        <p>{{#configured}}{{t.chainConfigured}}{{/configured}}{{^configured}}{{t.chainStandard}}{{/configured}}</p>
        <div class="table-wrap"><table><thead><tr><th>{{t.chainStep}}</th><th>{{t.chainStepName}}</th><th>{{t.chainRole}}</th><th>{{t.chainScope}}</th></tr></thead><tbody>
        {{#steps}}<tr><td>{{number}}</td><td>{{name}}</td><td>{{role}}</td><td>{{scope}}</td></tr>
        {{/steps}}
        </tbody></table></div>
        <h2>{{t.chainSet}}</h2>
        <p class="hint">{{t.chainSetHint}}</p>
        <form class="entry chain" method="post" action="/admin/chain" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#rows}}
        <fieldset class="chain-step{{#invalid}} invalid{{/invalid}}"><legend>{{t.chainStep}} {{number}}</legend>
        <label>{{t.chainRole}}<select name="role{{index}}"{{#invalid}} aria-invalid="true"{{/invalid}}><option value="">{{t.chainNone}}</option>{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></label>
        <label>{{t.chainScope}}<select name="scope{{index}}">{{#scopes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/scopes}}</select></label>
        <label>{{t.chainStepName}}{{t.chainStepNameNote}}<input name="label{{index}}" value="{{label}}" autocomplete="off"></label>
        </fieldset>
        {{/rows}}
        <button type="submit" name="action" value="set">{{t.chainSave}}</button>
        </form>
        <form class="entry" method="post" action="/admin/chain">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="action" value="reset">
        <p class="hint">{{t.chainResetHint}}</p>
        <button class="secondary" type="submit">{{t.chainReset}}</button>
        </form>
        """
    ]
}
