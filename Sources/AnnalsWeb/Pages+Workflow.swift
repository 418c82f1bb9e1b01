import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import Hummingbird

/// The approval chain in the browser and the API: a record's status and its buttons, 我的待办, closing years.
/// Every rule is the registry's (`Registry.validate`, `returnRecord`, `tasks`, `closeYear`); this only parses,
/// calls and shows.
enum WorkflowPages {
    /// The kinds named in forms and URLs ("project", "publication", …; "paper" is a publication).
    static func kind(_ word: String?) throws -> EntityKind {
        let word = word == "paper" ? "publication" : word
        guard let kind = word.flatMap(EntityKind.init(rawValue:)), WorkflowKinds.all.contains(kind) else {
            throw WebError(
                .badRequest,
                "kind is one of \(WorkflowKinds.all.map(\.rawValue).joined(separator: ", ")); got '\(word ?? "")'")
        }
        return kind
    }

    static func recordPath(_ kind: EntityKind, _ id: String) -> String {
        // A department's unit waits for its beds: their form shows them and the chain's buttons.
        if kind == .orgUnit { return "/entry/beds/new?department=" + RouteGuard.encode(id) }
        let base: String =
            switch kind {
            case .project: "/projects/"
            case .publication: "/papers/"
            case .patent: "/patents/"
            case .award: "/awards/"
            default: "/people/"
            }
        return base + RouteGuard.encode(id)
    }

    static func stateWord(_ state: WorkflowState, _ language: WebLanguage) -> String {
        Words.word("wf.state." + state.rawValue, language)
    }

    static func stepName(_ label: String?, _ role: AccountRole?, _ language: WebLanguage) -> String {
        label ?? role.map { Words.word("role." + $0.rawValue, language) } ?? ""
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = .current
        return formatter.string(from: date)
    }

    /// The status block of a record page: state, the step waited for, the opinion, the transitions, the buttons.
    static func section(_ kind: EntityKind, _ id: String, _ context: WebContext, _ app: WebApp) async throws -> String {
        let account = context.account
        return section(try await app.registry.perform { try $0.workflow(kind: kind, id: id, for: account) }, context)
    }

    /// The status block of `view` (`RecordWorkflow.permitted(for:)` for the account asking).
    static func section(_ view: RecordWorkflow, _ context: WebContext) -> String {
        let (kind, id) = (view.kind, view.id)
        let language = context.language
        var status = stateWord(view.state, language)
        if view.state == .submitted, let step = view.step {
            status +=
                " · " + Words.word("wf.waitingFor", language) + " "
                + stepName(view.stepLabel, view.stepRole, language) + " (\(step)/\(view.chain.steps.count))"
        }
        let lines: [[String: Any]] = view.history.map { line in
            [
                "when": time(line.at), "who": line.actor,
                "what": Words.word("wf.event." + line.event.transition.rawValue, language)
                    + (line.event.step.map { " \($0)/\(line.event.steps ?? $0)" } ?? "")
                    + (line.event.stepLabel.map { " (\($0))" } ?? ""),
                // Never absent: an absent one would show the record's opinion (the template's outer value).
                "opinion": line.event.opinion ?? "",
            ]
        }
        let values: [String: Any] = [
            "status": status, "returned": view.state == .returned, "opinion": view.status?.opinion as Any,
            "closedYear": view.closedYear.map { String(format: Words.word("wf.frozen", language), String($0)) } as Any,
            "lines": lines, "hasLines": !lines.isEmpty, "kind": kind.rawValue, "id": id,
            "csrf": context.session?.csrfToken ?? "", "mayValidate": view.mayValidate, "mayReturn": view.mayReturn,
            "mayResubmit": view.mayResubmit, "mayReopen": view.mayReopen,
            "mayAct": view.mayValidate || view.mayReturn || view.mayResubmit || view.mayReopen,
        ]
        return Templates.render("workflow", values, language: language)
    }

    /// POST /records/validate, /records/return, /records/resubmit, /records/reopen: kind, id, opinion.
    static func act(_ action: String) -> @Sendable (Request, WebContext, WebApp) async throws -> Response {
        { request, context, app in
            var request = request
            let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
            let kind = try kind(form.first("kind"))
            guard let id = form.first("id"), let account = context.account else {
                throw WebError(.badRequest, "the form names no record (kind and id)")
            }
            let opinion = form.first("opinion")
            try await perform(action, kind: kind, id: id, opinion: opinion, account: account, app: app)
            return Reply.redirect(form.first("next").flatMap { $0.hasPrefix("/") ? $0 : nil } ?? recordPath(kind, id))
        }
    }

    static func perform(
        _ action: String, kind: EntityKind, id: String, opinion: String?, account: Account, app: WebApp
    ) async throws {
        try await app.registry.perform { registry in
            switch action {
            case "validate": _ = try registry.validate(kind: kind, id: id, by: account, opinion: opinion)
            case "return": try registry.returnRecord(kind: kind, id: id, by: account, opinion: opinion ?? "")
            case "resubmit": try registry.resubmit(kind: kind, id: id, by: account, opinion: opinion)
            default: try registry.reopen(kind: kind, id: id, by: account, opinion: opinion)
            }
        }
    }

    /// GET /tasks: what waits for the signed-in account.
    static func tasks(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        let account = context.account
        let tasks = try await app.registry.perform { try $0.tasks(for: account) }
        let items: [[String: Any]] = tasks.map { task in
            let title = language == .zh ? task.summary.titleZH ?? task.summary.title : task.summary.title
            var meta =
                Words.word("wf.kind." + task.status.kind.rawValue, language) + " · "
                + stateWord(task.status.state, language) + " · " + Words.word("wf.by", language) + " "
                + task.status.submittedBy + " · " + time(task.status.submittedAt)
            if task.status.state == .submitted {
                meta +=
                    " · " + Words.word("wf.waitingFor", language) + " "
                    + stepName(task.stepLabel, task.stepRole, language) + " (\(task.step)/\(task.steps))"
            }
            return [
                "title": title, "href": recordPath(task.status.kind, task.status.recordID), "meta": meta,
                "opinion": task.status.state == .returned ? task.status.opinion as Any : NSNull(),
            ]
        }
        return Pages.page(
            "tasks", ["items": items, "hasItems": !items.isEmpty, "count": items.count],
            title: Words.word("myTasks", language), current: "/tasks", request, context)
    }

    /// GET /years: the closed years, and the forms to close and reopen one (the office).
    static func years(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let language = context.language
        let closed = try await app.registry.perform { try $0.closedYears() }
        let items: [[String: Any]] = closed.map {
            [
                "year": String($0.year),
                "meta": String(format: Words.word("wf.closedBy", language), $0.closedBy, time($0.closedAt)),
            ]
        }
        return Pages.page(
            "years",
            [
                "items": items, "hasItems": !items.isEmpty, "csrf": context.session?.csrfToken ?? "",
                "thisYear": Calendar.current.component(.year, from: Date()) - 1,
            ], title: Words.word("closeYears", language), current: "/years", request, context)
    }

    /// POST /years/close and /years/reopen: year.
    static func year(close: Bool) -> @Sendable (Request, WebContext, WebApp) async throws -> Response {
        { request, context, app in
            var request = request
            let form = Query(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
            guard let year = form.first("year").flatMap(Int.init) else {
                throw WebError(.badRequest, context.language == .zh ? "请填写年份（四位数字）。" : "give the year (four digits)")
            }
            let account = context.account
            try await app.registry.perform { registry in
                if close {
                    try registry.closeYear(year, by: account)
                } else {
                    try registry.reopenYear(year, by: account)
                }
            }
            return Reply.redirect("/years")
        }
    }
}

extension API {
    /// POST /api/records/{id}/validate and /return: JSON `{"kind": "project", "opinion": "…"}` (kind may be
    /// left out when only one kind of record has the id). Answers the record's state afterwards.
    static func act(_ action: String) -> @Sendable (Request, WebContext, WebApp) async throws -> Response {
        { request, context, app in
            var request = request
            let id = context.parameters.get("id") ?? ""
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            var fields: [String: Any] = [:]
            if body.readableBytes > 0 {
                let text = String(buffer: body)
                if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
                    fields = object
                } else if text.hasPrefix("{") {
                    throw WebError(.badRequest, "the body is not a JSON object")
                } else {
                    for (name, value) in Query(text).pairs { fields[name] = value }
                }
            }
            guard let account = context.account else { throw WebError(.unauthorized, "sign in first") }
            let named = (fields["kind"] as? String) ?? Query(request.uri.query).first("kind")
            let kind: EntityKind
            if let named {
                kind = try WorkflowPages.kind(named)
            } else {
                let found = try await app.read { r in
                    try WorkflowKinds.all.filter { try r.recordBody(kind: $0, id: id) != nil }
                }
                guard found.count == 1 else {
                    throw WebError(
                        found.isEmpty ? .notFound : .unprocessableContent,
                        found.isEmpty
                            ? "there is no record \(id)"
                            : "\(id) names records of several kinds (\(found.map(\.rawValue).joined(separator: ", "))); say which with \"kind\""
                    )
                }
                kind = found[0]
            }
            let opinion = fields["opinion"] as? String
            try await WorkflowPages.perform(action, kind: kind, id: id, opinion: opinion, account: account, app: app)
            let state = try await app.registry.perform { try $0.workflow(kind: kind, id: id, for: account) }
            return Reply.json(Self.object(["kind": kind.rawValue, "id": id, "status": state.state.rawValue]))
        }
    }

    /// GET /api/tasks: what waits for the account, as JSON.
    static func tasks(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        _ = try parameters(request, allowed: [])
        let account = context.account
        let tasks = try await app.registry.perform { try $0.tasks(for: account) }
        let items: [[String: Any]] = tasks.map { task in
            var item: [String: Any] = [
                "kind": task.status.kind.rawValue, "id": task.status.recordID, "title": task.summary.title,
                "departments": task.summary.departments, "status": task.status.state.rawValue,
                "submittedBy": task.status.submittedBy,
                "submittedAt": ChangeEntry.timestamp(task.status.submittedAt), "step": task.step,
                "steps": task.steps,
            ]
            if let zh = task.summary.titleZH { item["titleZH"] = zh }
            if let label = task.stepLabel { item["stepLabel"] = label }
            if task.status.state == .returned, let opinion = task.status.opinion { item["opinion"] = opinion }
            return item
        }
        return Reply.json(object(["count": items.count, "tasks": items]))
    }

    static func object(_ value: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension Templates {
    static let workflowSources: [String: String] = [
        "workflow": """
        <section class="workflow">
        <h2>{{t.wfHeading}}</h2>
        <p><span class="tag{{#returned}} warn{{/returned}}">{{status}}</span></p>
        {{#opinion}}<p class="opinion">{{t.wfOpinion}}：{{opinion}}</p>{{/opinion}}
        {{#closedYear}}<p class="meta">{{closedYear}}</p>{{/closedYear}}
        {{#hasLines}}<table><thead><tr><th>{{t.wfWhen}}</th><th>{{t.wfWho}}</th><th>{{t.wfWhat}}</th><th>{{t.wfOpinion}}</th></tr></thead><tbody>
        {{#lines}}<tr><td>{{when}}</td><td>{{who}}</td><td>{{what}}</td><td>{{opinion}}</td></tr>
        {{/lines}}</tbody></table>{{/hasLines}}
        {{#mayAct}}
        <form method="post" class="workflow-actions">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="kind" value="{{kind}}"><input type="hidden" name="id" value="{{id}}">
        <label>{{t.wfOpinion}}<textarea name="opinion" rows="2"></textarea></label>
        {{#mayValidate}}<button type="submit" formaction="/records/validate">{{t.wfValidate}}</button>{{/mayValidate}}
        {{#mayReturn}}<button type="submit" formaction="/records/return">{{t.wfReturn}}</button>{{/mayReturn}}
        {{#mayResubmit}}<button type="submit" formaction="/records/resubmit">{{t.wfResubmit}}</button>{{/mayResubmit}}
        {{#mayReopen}}<button type="submit" formaction="/records/reopen">{{t.wfReopen}}</button>{{/mayReopen}}
        </form>
        {{/mayAct}}
        </section>
        """,
        "tasks": """
        <h1>{{t.myTasks}}</h1>
        {{#hasItems}}
        <ul class="papers">
        {{#items}}<li><div><a href="{{href}}">{{title}}</a></div><div class="meta">{{meta}}</div>{{#opinion}}<div class="opinion">{{t.wfOpinion}}：{{opinion}}</div>{{/opinion}}</li>
        {{/items}}
        </ul>
        {{/hasItems}}
        {{^hasItems}}<p>{{t.wfNoTasks}}</p>{{/hasItems}}
        """,
        "years": """
        <h1>{{t.closeYears}}</h1>
        <p>{{t.wfYearsIntro}}</p>
        {{#hasItems}}<ul class="papers">{{#items}}<li><div>{{year}}</div><div class="meta">{{meta}}</div>
        <form method="post" action="/years/reopen"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="year" value="{{year}}"><button type="submit">{{t.wfReopenYear}}</button></form></li>{{/items}}</ul>{{/hasItems}}
        {{^hasItems}}<p>{{t.wfNoClosedYears}}</p>{{/hasItems}}
        <form method="post" action="/years/close" class="filters"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.year}}<input name="year" type="number" min="1900" max="2100" value="{{thisYear}}"></label>
        <button type="submit">{{t.wfCloseYear}}</button></form>
        """,
    ]
}

extension Words {
    static let workflow: [String: (zh: String, en: String)] = [
        "myTasks": ("我的待办", "My tasks"),
        "closeYears": ("年度关账", "Closing years"),
        "wfHeading": ("审核状态", "Validation"),
        "wf.state.submitted": ("待审核", "Submitted"),
        "wf.state.returned": ("已退回", "Returned"),
        "wf.state.validated": ("已审核通过", "Validated"),
        "wf.waitingFor": ("等待", "waiting for"),
        "wfOpinion": ("意见", "Opinion"),
        "wfWhen": ("时间", "When"),
        "wfWho": ("办理人", "Who"),
        "wfWhat": ("操作", "What"),
        "wf.by": ("提交人", "by"),
        "wf.event.submit": ("提交", "Submitted"),
        "wf.event.resubmit": ("重新提交", "Sent again"),
        "wf.event.validate": ("审核通过", "Validated step"),
        "wf.event.return": ("退回", "Returned"),
        "wf.event.reopen": ("重新送审", "Put back for validation"),
        "wfValidate": ("审核通过", "Validate"),
        "wfReturn": ("退回（请填写意见）", "Return (with an opinion)"),
        "wfResubmit": ("重新提交", "Send again"),
        "wfReopen": ("重新送审", "Put back for validation"),
        "wf.frozen": (
            "%@年已关账：该记录不能修改或审核，需科研处重新开放该年度。",
            "%@ is closed: this record cannot be changed or validated until the research office reopens the year."
        ),
        "wfNoTasks": ("没有等待您办理的记录。", "Nothing waits for you."),
        "wf.kind.project": ("项目", "Project"),
        "wf.kind.publication": ("论文", "Paper"),
        "wf.kind.patent": ("专利", "Patent"),
        "wf.kind.award": ("奖励", "Award"),
        "wf.kind.person": ("人员", "Person"),
        "wf.kind.org-unit": ("科室床位", "Department beds"),
        "wf.closedBy": ("由 %@ 于 %@ 关账", "closed by %@ on %@"),
        "wfYearsIntro": (
            "关账后，该年度的项目、论文、专利、奖励、人员统计和手术例数都不能再修改，直到科研处重新开放该年度。",
            "Once a year is closed, its projects, papers, patents, awards, staff counts and operation tallies cannot be changed until the research office reopens it."
        ),
        "wfNoClosedYears": ("还没有关账的年度。", "No year is closed."),
        "wfCloseYear": ("关账", "Close the year"),
        "wfReopenYear": ("重新开放", "Reopen"),
        "wfCounting": ("统计范围", "Counting"),
        "wfValidatedOnly": ("仅已审核通过的记录", "Validated records only"),
        "wfAllRecords": ("全部记录（含待审核）", "Every record (also those waiting)"),
    ]
}
