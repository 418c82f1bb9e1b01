public import AnnalsModel
public import AnnalsStore
public import Foundation

/// A record waiting for someone, as "my tasks" lists it.
public struct WorkflowTask: Sendable, Hashable {
    public var status: WorkflowStatus
    public var summary: WorkflowRecordSummary
    /// The step the record waits for (1-based), the chain's length and the step's name.
    public var step: Int
    public var steps: Int
    public var stepLabel: String?
    public var stepRole: AccountRole
}

/// One transition in a record's history: who, when, what, with which opinion.
public struct WorkflowHistoryLine: Sendable, Hashable {
    public var change: Int
    public var at: Date
    public var actor: String
    public var event: WorkflowEvent
}

/// Where a record stands, for its page: its state, the step it waits for, what the viewer may do, the transitions.
public struct RecordWorkflow: Sendable, Hashable {
    public var kind: EntityKind
    public var id: String
    public var state: WorkflowState
    public var status: WorkflowStatus?
    public var chain: ApprovalChain
    /// The step waited for (1-based) while submitted.
    public var step: Int?
    public var stepLabel: String?
    public var stepRole: AccountRole?
    /// What the account asking may do now.
    public var mayValidate: Bool
    public var mayReturn: Bool
    public var mayResubmit: Bool
    public var mayReopen: Bool
    /// The closed year that freezes the record, if any.
    public var closedYear: Int?
    public var history: [WorkflowHistoryLine]
    /// The departments the record is credited to (whose secretaries and heads may act on it).
    public var departments: [String]
    /// The opinion of the last return (also after the record was changed and sent again).
    public var lastOpinion: String? { history.last { $0.event.transition == .return }?.event.opinion }

    /// The same record with what `account` may do now (nil: the command line, as the office). Where a record
    /// stands does not depend on who asks, so a page may keep it and ask this for each account.
    public func permitted(for account: Account?) -> RecordWorkflow {
        var view = self
        view.mayValidate = false
        view.mayReturn = false
        view.mayResubmit = false
        view.mayReopen = false
        guard closedYear == nil else { return view }
        if let status, status.state == .submitted {
            let may = Registry.mayAct(
                account, at: chain.step(after: status.stepsDone).1, departments: departments, status: status)
            view.mayValidate = may
            view.mayReturn = may
        }
        if let status, status.state == .returned {
            // The department sends it again (the office changes it, or validates it once sent).
            view.mayResubmit =
                Registry.mayWrite(account, departments: departments) && (account?.role ?? .admin) < .office
        }
        if status == nil {
            view.mayReopen = account.map { $0.role >= .office } ?? true
        }
        return view
    }
}

extension Registry {
    /// The registry written as `account` (its changes name it); the command line's own actor when nil.
    func acting(as account: Account?) -> Registry {
        guard let account else { return self }
        return Registry(store: store, actor: ChangeActor(account.name))
    }

    /// Where record `kind` `id` stands and what `account` may do with it (nil: the command line, as the office).
    public func workflow(kind: EntityKind, id: String, for account: Account?) throws -> RecordWorkflow {
        try read { try Self.workflow(in: $0, kind: kind, id: id) }.permitted(for: account)
    }

    /// Where record `kind` `id` stands, read in `r` (a read already open), with nothing permitted yet: see
    /// `RecordWorkflow.permitted(for:)`.
    public static func workflow(in r: RegistryReader, kind: EntityKind, id: String) throws -> RecordWorkflow {
        guard let body = try r.recordBody(kind: kind, id: id),
            let summary = WorkflowRecordSummary(kind: kind, body: body)
        else {
            throw WorkflowRefusal(
                .notFound, "there is no \(kind.noun) \(id) in the registry", "登记库中没有编号为 \(id) 的记录。")
        }
        let status = try r.workflowStatus(kind: kind, id: id)
        let chain = try r.approvalChain()
        let closed = Set(try r.closedYears().map(\.year))
        var view = RecordWorkflow(
            kind: kind, id: id, state: status?.state ?? .validated, status: status, chain: chain,
            mayValidate: false, mayReturn: false, mayResubmit: false, mayReopen: false,
            closedYear: ClosedYear.years(of: kind, body: body).intersection(closed).min(),
            history: try workflowHistory(r, kind: kind, id: id), departments: summary.departments)
        if let status, status.state == .submitted {
            let (index, step) = chain.step(after: status.stepsDone)
            view.step = index + 1
            view.stepLabel = step.label
            view.stepRole = step.role
        }
        return view
    }

    static func workflowHistory(_ r: RegistryReader, kind: EntityKind, id: String) throws -> [WorkflowHistoryLine] {
        try r.history(recordID: id, kind: WorkflowEvent.logKind).flatMap { entry in
            entry.records.compactMap { record -> WorkflowHistoryLine? in
                guard let event = record.after.flatMap(WorkflowEvent.init(json:)), event.recordKind == kind.rawValue
                else { return nil }
                return WorkflowHistoryLine(change: entry.id, at: entry.at, actor: entry.actor.name, event: event)
            }
        }
    }

    /// True when `account` may act at `step` on a record of `departments` (nil: the command line, as the office);
    /// one account validates one step of a record.
    static func mayAct(_ account: Account?, at step: ApprovalStep, departments: [String], status: WorkflowStatus)
        -> Bool
    {
        guard let account else { return true }
        guard ApprovalChain.mayAct(account, at: step, departments: departments) else { return false }
        return !status.validators.contains(account.name)
    }

    /// True when `account` may change records of `departments`.
    static func mayWrite(_ account: Account?, departments: [String]) -> Bool {
        guard let account else { return true }
        guard !account.disabled, account.role >= .secretary else { return false }
        return account.role.seesEveryDepartment || !Set(account.departments).isDisjoint(with: departments)
    }

    /// Validates the step record `kind` `id` waits for, as `account` (nil: the command line). Returns the
    /// record's state afterwards (validated after the last step).
    @discardableResult
    public func validate(kind: EntityKind, id: String, by account: Account?, opinion: String? = nil) throws
        -> WorkflowState
    {
        try acting(as: account).write(.workflow("validate \(kind.rawValue) \(id)")) { w in
            let (status, summary, chain) = try Self.waiting(w, kind: kind, id: id)
            guard status.state == .submitted else {
                throw WorkflowRefusal(
                    .conflict,
                    "\(kind.noun) \(id) was returned to its department and waits for their change; it cannot be validated now",
                    "该记录已退回科室，正在等待科室修改，现在不能审核通过。")
            }
            let (index, step) = chain.step(after: status.stepsDone)
            try Self.refuseUnlessMayAct(account, at: step, departments: summary.departments, status: status)
            var next = status
            next.stepsDone = index + 1
            next.validators.append(account?.name ?? self.actor.name)
            next.actedBy = account?.name ?? self.actor.name
            next.actedAt = Date()
            next.opinion = nil
            let done = next.stepsDone >= chain.steps.count
            let event = WorkflowEvent(
                recordKind: kind.rawValue, transition: .validate, step: index + 1, steps: chain.steps.count,
                stepLabel: step.label, opinion: Self.clean(opinion), state: done ? .validated : .submitted)
            try w.setWorkflow(done ? nil : next, kind: kind, id: id, event: event)
            return done ? .validated : .submitted
        }
    }

    /// Returns record `kind` `id` to its department with `opinion` (required), as `account`.
    public func returnRecord(kind: EntityKind, id: String, by account: Account?, opinion: String) throws {
        guard let opinion = Self.clean(opinion) else {
            throw WorkflowRefusal(
                .invalid, "say why the record goes back: an opinion is needed to return it", "退回时请填写退回意见。")
        }
        try acting(as: account).write(.workflow("return \(kind.rawValue) \(id)")) { w in
            let (status, summary, chain) = try Self.waiting(w, kind: kind, id: id)
            guard status.state == .submitted else {
                throw WorkflowRefusal(
                    .conflict, "\(kind.noun) \(id) has been returned already", "该记录已经退回，正在等待科室修改。")
            }
            let (index, step) = chain.step(after: status.stepsDone)
            try Self.refuseUnlessMayAct(account, at: step, departments: summary.departments, status: status)
            var next = status
            next.state = .returned
            next.stepsDone = 0
            next.validators = []
            next.opinion = opinion
            next.actedBy = account?.name ?? self.actor.name
            next.actedAt = Date()
            try w.setWorkflow(
                next, kind: kind, id: id,
                event: WorkflowEvent(
                    recordKind: kind.rawValue, transition: .return, step: index + 1, steps: chain.steps.count,
                    stepLabel: step.label, opinion: opinion, state: .returned))
        }
    }

    /// Sends a returned record again without changing it (its department disagrees with the opinion).
    public func resubmit(kind: EntityKind, id: String, by account: Account?, opinion: String? = nil) throws {
        try acting(as: account).write(.workflow("resubmit \(kind.rawValue) \(id)")) { w in
            let (status, summary, _) = try Self.waiting(w, kind: kind, id: id)
            guard status.state == .returned else {
                throw WorkflowRefusal(
                    .conflict, "\(kind.noun) \(id) was not returned; it already waits for validation",
                    "该记录没有被退回，已在等待审核。")
            }
            guard Self.mayWrite(account, departments: summary.departments) else {
                throw Self.otherDepartment(account, kind: kind, id: id)
            }
            let next = WorkflowStatus(
                kind: kind, recordID: id, state: .submitted, submittedBy: account?.name ?? self.actor.name,
                submittedAt: Date())
            try w.setWorkflow(
                next, kind: kind, id: id,
                event: WorkflowEvent(
                    recordKind: kind.rawValue, transition: .resubmit, opinion: Self.clean(opinion), state: .submitted))
        }
    }

    /// Puts a validated record back for validation (the office; an opinion says why).
    public func reopen(kind: EntityKind, id: String, by account: Account?, opinion: String? = nil) throws {
        if let account, account.role < .office {
            throw WorkflowRefusal(
                .forbidden, "only the research office puts a validated record back for validation",
                "只有科研处可以把已审核的记录重新退回待审。")
        }
        try acting(as: account).write(.workflow("reopen \(kind.rawValue) \(id)")) { w in
            guard let body = try w.recordBody(kind: kind, id: id), WorkflowRecordSummary(kind: kind, body: body) != nil
            else {
                throw WorkflowRefusal(
                    .notFound, "there is no \(kind.noun) \(id) in the registry", "登记库中没有编号为 \(id) 的记录。")
            }
            try Self.refuseClosed(w, kind: kind, body: body)
            guard try w.workflowStatus(kind: kind, id: id) == nil else {
                throw WorkflowRefusal(
                    .conflict, "\(kind.noun) \(id) is not validated yet; it already waits", "该记录尚未审核通过，已在流程中。")
            }
            let next = WorkflowStatus(
                kind: kind, recordID: id, state: .submitted, submittedBy: account?.name ?? self.actor.name,
                submittedAt: Date(), opinion: nil)
            try w.setWorkflow(
                next, kind: kind, id: id,
                event: WorkflowEvent(
                    recordKind: kind.rawValue, transition: .reopen, opinion: Self.clean(opinion), state: .submitted))
        }
    }

    /// What waits for `account`: for approvers, the submitted records whose next step they may act at; for a
    /// department's accounts, also their returned records (with the opinion). Nil: the command line (the office).
    public func tasks(for account: Account?) throws -> [WorkflowTask] {
        try read { try Self.tasks(in: $0, for: account) }
    }

    /// `tasks(for:)` inside a read already open (the web server counts them in the read that finds the session).
    public static func tasks(in r: RegistryReader, for account: Account?) throws -> [WorkflowTask] {
        let chain = try r.approvalChain()
        var tasks: [WorkflowTask] = []
        for status in try r.workflowPending() {
            guard let body = try r.recordBody(kind: status.kind, id: status.recordID),
                let summary = WorkflowRecordSummary(kind: status.kind, body: body)
            else { continue }
            let (index, step) = chain.step(after: status.stepsDone)
            let mine: Bool
            switch status.state {
            case .submitted:
                mine = Self.mayAct(account, at: step, departments: summary.departments, status: status)
            case .returned:
                mine =
                    account.map {
                        $0.role < .office && !$0.disabled && $0.role >= .secretary
                            && !Set($0.departments).isDisjoint(with: summary.departments)
                    } ?? false
            case .validated:
                mine = false
            }
            guard mine else { continue }
            tasks.append(
                WorkflowTask(
                    status: status, summary: summary, step: index + 1, steps: chain.steps.count,
                    stepLabel: step.label, stepRole: step.role))
        }
        return tasks
    }

    /// The records (kind and id) not validated: submitted or returned. Reports and statistics with
    /// `validatedOnly` leave them out.
    public func unvalidatedRecords() throws -> Set<RecordKey> {
        Set(try read { try $0.workflowPending() }.map { RecordKey(kind: $0.kind, id: $0.recordID) })
    }

    /// Where a record stands in the approval chain: submitted, returned, or validated (a record that waits
    /// for no one, as every record of a kind outside the chain).
    public func workflowState(kind: EntityKind, id: String) throws -> WorkflowState {
        try read { try $0.workflowStatus(kind: kind, id: id)?.state ?? .validated }
    }

    /// The approval chain.
    public func approvalChain() throws -> ApprovalChain { try read { try $0.approvalChain() } }

    /// Sets the chain (an admin; nil or empty: the standard one, the research office alone).
    public func setApprovalChain(_ steps: [ApprovalStep]?, by account: Account?) throws {
        if let account, account.role < .admin {
            throw WorkflowRefusal(.forbidden, "only an admin sets the approval chain", "只有管理员可以设置审核流程。")
        }
        if let steps, !steps.isEmpty, let problem = ApprovalChain.check(steps) {
            throw WorkflowRefusal(.invalid, problem.english, "审核流程设置有误：\(problem.chinese)")
        }
        try acting(as: account).write(.workflow("set approval chain")) { w in try w.setApprovalChain(steps) }
    }

    /// The closed years.
    public func closedYears() throws -> [ClosedYear] { try read { try $0.closedYears() } }

    /// Closes `year` (the office): its records change only after it is reopened. False when it was closed.
    @discardableResult
    public func closeYear(_ year: Int, by account: Account?) throws -> Bool {
        try refuseUnlessOffice(account, "close a year", "关账")
        try ReferenceCheck.year(year, option: "year")
        let who = acting(as: account)
        return try who.write(.workflow("close year \(year)")) { w in try w.closeYear(year, by: who.actor) }
    }

    /// Reopens `year` (the office). False when it was not closed.
    @discardableResult
    public func reopenYear(_ year: Int, by account: Account?) throws -> Bool {
        try refuseUnlessOffice(account, "reopen a year", "重新开放年度")
        try ReferenceCheck.year(year, option: "year")
        return try acting(as: account).write(.workflow("reopen year \(year)")) { w in try w.reopenYear(year) }
    }

    private func refuseUnlessOffice(_ account: Account?, _ what: String, _ whatZH: String) throws {
        if let account, account.role < .office {
            throw WorkflowRefusal(.forbidden, "only the research office may \(what)", "只有科研处可以\(whatZH)。")
        }
    }

    /// The record's place in the chain, its summary and the chain; refused when it waits for nothing or its
    /// year is closed.
    static func waiting(_ w: RegistryWriter, kind: EntityKind, id: String) throws -> (
        WorkflowStatus, WorkflowRecordSummary, ApprovalChain
    ) {
        guard let body = try w.recordBody(kind: kind, id: id),
            let summary = WorkflowRecordSummary(kind: kind, body: body)
        else {
            throw WorkflowRefusal(
                .notFound, "there is no \(kind.noun) \(id) in the registry", "登记库中没有编号为 \(id) 的记录。")
        }
        try refuseClosed(w, kind: kind, body: body)
        guard let status = try w.workflowStatus(kind: kind, id: id) else {
            throw WorkflowRefusal(
                .conflict, "\(kind.noun) \(id) is validated already; nothing waits", "该记录已审核通过，没有待办。")
        }
        return (status, summary, try w.approvalChain())
    }

    static func refuseClosed(_ r: RegistryReader, kind: EntityKind, body: String) throws {
        let closed = Set(try r.closedYears().map(\.year))
        let hit = ClosedYear.years(of: kind, body: body).intersection(closed)
        if !hit.isEmpty {
            let refusal = ClosedYearRefusal(years: hit.sorted(), records: ["\(kind.noun)"], recordCount: 1)
            throw refusal
        }
    }

    static func refuseUnlessMayAct(
        _ account: Account?, at step: ApprovalStep, departments: [String], status: WorkflowStatus
    ) throws {
        guard let account else { return }
        if account.role < .head {
            throw WorkflowRefusal(
                .forbidden, "a \(account.role.rawValue) cannot validate or return records; the research office does",
                "科室秘书和查阅者不能审核或退回记录，由审核人（如科研处）办理。")
        }
        if account.role < step.role {
            throw WorkflowRefusal(
                .forbidden,
                "this record waits for the step \(step.label ?? step.role.rawValue), which needs the \(step.role.rawValue) role; \(account.name) has the \(account.role.rawValue) role",
                "该记录正等待“\(step.label ?? step.role.rawValue)”审核，您的角色不能办理这一步。")
        }
        if !ApprovalChain.mayAct(account, at: step, departments: departments) {
            throw otherDepartment(account, kind: status.kind, id: status.recordID)
        }
        if status.validators.contains(account.name) {
            throw WorkflowRefusal(
                .forbidden,
                "\(account.name) validated an earlier step of this record; another person validates this one",
                "您已审核过该记录的前一步，这一步需由他人审核。")
        }
    }

    static func otherDepartment(_ account: Account?, kind: EntityKind, id: String) -> WorkflowRefusal {
        WorkflowRefusal(
            .forbidden,
            "\(kind.noun) \(id) belongs to another department than \(account?.name ?? "yours")'s (\(account?.departments.joined(separator: ", ") ?? ""))",
            "该记录属于其他科室，不在您的办理范围内。")
    }

    static func clean(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return String(text.prefix(2000))
    }
}

/// A record named by kind and id.
public struct RecordKey: Sendable, Hashable {
    public var kind: EntityKind
    public var id: String

    public init(kind: EntityKind, id: String) {
        self.kind = kind
        self.id = id
    }
}

extension ChangeAction {
    /// A step of the approval chain, closing or reopening a year, or the chain's setting (`detail` says which).
    public static func workflow(_ detail: String) -> ChangeAction { .other(code: "workflow", detail: detail) }
}
