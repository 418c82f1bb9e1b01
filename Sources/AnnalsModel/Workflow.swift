public import Foundation

/// Where a record stands in the approval chain. A record with no workflow row is validated: entered by the
/// office, an admin or the command line, passed every step, or in the registry before the chain existed.
public enum WorkflowState: String, Sendable, Hashable, Codable {
    /// Entered or changed by a department secretary (or head): waits for the chain's next step.
    case submitted
    /// Sent back with an opinion: waits for the department to change it (or send it again).
    case returned
    /// Checked by every step of the chain (or entered by the office).
    case validated
}

/// The record kinds that go through the approval chain (the records a department enters; a department's unit
/// when its secretary changes its beds).
public enum WorkflowKinds {
    public static let all: [EntityKind] = [.project, .publication, .patent, .award, .person, .orgUnit]
    /// The kinds a closed year freezes: every dated record.
    public static let dated: [EntityKind] = [.project, .publication, .patent, .award, .staffCensus, .tally]
}

/// Which records a step's approver may act on.
public enum ApprovalScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Records of the approver's own departments (a department head).
    case department
    /// Every department's records (the research office, a vice-president).
    case hospital
}

/// One step of the approval chain: the role that acts (that role or a higher one) and its scope.
public struct ApprovalStep: Sendable, Hashable, Codable {
    public var role: AccountRole
    public var scope: ApprovalScope
    /// The step's name as the hospital says it ("科室主任", "科研处", "分管院长"); nil: the role's name.
    public var label: String?

    public init(role: AccountRole, scope: ApprovalScope, label: String? = nil) {
        self.role = role
        self.scope = scope
        self.label = label
    }

    /// A step as a person writes it: `ROLE:SCOPE` or `ROLE:SCOPE:LABEL`, the role head, office or admin (or 科室主任,
    /// 科研处, 管理员), the scope department or hospital (or 科室, 全院): `head:department:科室主任`,
    /// `office:hospital:科研处`. Nil, with `problem` saying why, when it cannot be read.
    public static func parse(_ text: String) -> (step: ApprovalStep?, problem: String?) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let roles: [String: AccountRole] = ["科室主任": .head, "科研处": .office, "管理员": .admin]
        let scopes: [String: ApprovalScope] = ["科室": .department, "全院": .hospital]
        guard parts.count >= 2 else {
            return (nil, "'\(text)' is not a step: write ROLE:SCOPE[:LABEL], e.g. head:department:科室主任")
        }
        guard let role = AccountRole(rawValue: parts[0].lowercased()) ?? roles[parts[0]] else {
            return (nil, "'\(parts[0])' is not a role: use head, office or admin")
        }
        guard let scope = ApprovalScope(rawValue: parts[1].lowercased()) ?? scopes[parts[1]] else {
            return (nil, "'\(parts[1])' is not a scope: use department or hospital")
        }
        let label = parts.count == 3 && !parts[2].isEmpty ? parts[2] : nil
        let step = ApprovalStep(role: role, scope: scope, label: label)
        if let problem = step.problem { return (nil, problem) }
        return (step, nil)
    }

    /// Why this step cannot be part of a chain, or nil.
    public var problem: String? { problemWords?.english }

    /// Why this step cannot be part of a chain, in English and in Chinese; nil when it can.
    public var problemWords: (english: String, chinese: String)? {
        if role < .head {
            return (
                "a \(role.rawValue) cannot approve records: a step's role is head, office or admin",
                "科室秘书和查阅者不能审核记录：每一步的审核人须为科室主任、科研处或管理员。"
            )
        }
        if scope == .department && role.seesEveryDepartment {
            return (
                "a step scoped to the record's department needs the head role (office and admin see every department)",
                "“本科室”范围的一步须由科室主任审核（科研处和管理员审核全院记录，请选“全院”）。"
            )
        }
        return nil
    }
}

/// The ordered steps a submitted record passes before it counts as validated. The default is one step: the
/// research office validates.
public struct ApprovalChain: Sendable, Hashable {
    public var steps: [ApprovalStep]
    /// True when an admin set the chain (then the annual report counts validated records by default).
    public var isConfigured: Bool

    public init(steps: [ApprovalStep], isConfigured: Bool = true) {
        self.steps = steps
        self.isConfigured = isConfigured
    }

    /// One step, the research office.
    public static let standard = ApprovalChain(
        steps: [ApprovalStep(role: .office, scope: .hospital)], isConfigured: false)

    /// The step a record that passed `stepsDone` steps waits for (the last one if the chain was shortened).
    public func step(after stepsDone: Int) -> (index: Int, step: ApprovalStep) {
        let index = min(max(stepsDone, 0), steps.count - 1)
        return (index, steps[index])
    }

    /// True when `account` may validate or return a record of `departments` at `step`: its role is the step's
    /// or higher (never a secretary or viewer), and for a department step, it works for one of the record's
    /// departments (office and admin may stand in for any department's head).
    public static func mayAct(_ account: Account, at step: ApprovalStep, departments: [String]) -> Bool {
        guard !account.disabled, account.role >= .head, account.role >= step.role else { return false }
        if account.role.seesEveryDepartment { return true }
        if step.scope == .hospital { return false }
        return !Set(account.departments).isDisjoint(with: departments)
    }

    /// Why these steps cannot be a chain, or nil.
    public static func problem(with steps: [ApprovalStep]) -> String? { check(steps)?.english }

    /// The most steps a chain has.
    public static let maximumSteps = 5

    /// Why these steps cannot be a chain, in English and in Chinese, and the step (0-based) it concerns; nil
    /// when they can. The one rule for the command line and the admin page.
    public static func check(_ steps: [ApprovalStep]) -> (step: Int?, english: String, chinese: String)? {
        if steps.isEmpty { return (nil, "a chain has at least one step", "审核流程至少要有一步。") }
        if steps.count > maximumSteps {
            return (nil, "a chain has at most five steps", "审核流程最多五步。")
        }
        for (i, step) in steps.enumerated() {
            if let problem = step.problemWords {
                return (i, "step \(i + 1): \(problem.english)", "第 \(i + 1) 步：\(problem.chinese)")
            }
        }
        return nil
    }
}

/// A record waiting in the approval chain (a workflow row): submitted, or returned with an opinion.
public struct WorkflowStatus: Sendable, Hashable {
    public var kind: EntityKind
    public var recordID: String
    public var state: WorkflowState
    /// Steps of the chain passed so far.
    public var stepsDone: Int
    /// The accounts that validated those steps, in order (one account validates one step of a record).
    public var validators: [String]
    /// Who entered or last changed the record, and when (UTC).
    public var submittedBy: String
    public var submittedAt: Date
    /// The opinion of the last return (kept while the record is returned).
    public var opinion: String?
    /// Who last acted on it (validated a step, returned it), and when.
    public var actedBy: String?
    public var actedAt: Date?

    public init(
        kind: EntityKind, recordID: String, state: WorkflowState, stepsDone: Int = 0, validators: [String] = [],
        submittedBy: String, submittedAt: Date, opinion: String? = nil, actedBy: String? = nil, actedAt: Date? = nil
    ) {
        self.kind = kind
        self.recordID = recordID
        self.state = state
        self.stepsDone = stepsDone
        self.validators = validators
        self.submittedBy = submittedBy
        self.submittedAt = submittedAt
        self.opinion = opinion
        self.actedBy = actedBy
        self.actedAt = actedAt
    }
}

/// What happened to a record in the chain, as the change log keeps it (a `workflow` line of the record's history).
public struct WorkflowEvent: Sendable, Hashable, Codable {
    public enum Transition: String, Sendable, Hashable, Codable {
        /// Entered or changed by a department: waits for the first step.
        case submit
        /// Sent again unchanged after a return.
        case resubmit
        /// One step passed (the last one: the record is validated).
        case validate
        /// Sent back to the department with an opinion.
        case `return`
        /// A validated record put back for validation by the office.
        case reopen
    }

    /// The record's kind (its id is the change line's record id).
    public var recordKind: String
    public var transition: Transition
    /// The step acted at (1-based) and the chain's length; nil for a submission.
    public var step: Int?
    public var steps: Int?
    /// The step's name, when the chain names it.
    public var stepLabel: String?
    public var opinion: String?
    /// The state the record is in afterwards.
    public var state: WorkflowState

    public init(
        recordKind: String, transition: Transition, step: Int? = nil, steps: Int? = nil, stepLabel: String? = nil,
        opinion: String? = nil, state: WorkflowState
    ) {
        self.recordKind = recordKind
        self.transition = transition
        self.step = step
        self.steps = steps
        self.stepLabel = stepLabel
        self.opinion = opinion
        self.state = state
    }

    /// The change log's kind for these lines.
    public static let logKind = "workflow"

    /// The event as canonical JSON (sorted keys).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// An event read back from the log; nil when the text is not one.
    public init?(json: String) {
        guard let event = try? JSONDecoder().decode(WorkflowEvent.self, from: Data(json.utf8)) else { return nil }
        self = event
    }
}

/// A year the office closed: its records change only after it is reopened.
public struct ClosedYear: Sendable, Hashable {
    public var year: Int
    public var closedBy: String
    public var closedAt: Date

    public init(year: Int, closedBy: String, closedAt: Date) {
        self.year = year
        self.closedBy = closedBy
        self.closedAt = closedAt
    }

    /// The change log's kind for closing and reopening (the record id is the year).
    public static let logKind = "closed-year"

    /// The years a record is dated in, as a closed year freezes them: a project's start, a paper's publication,
    /// a patent's filing and grant, an award's year, a census's day, every year a tally's period touches (a
    /// cumulative baseline: the year it ends). People are not dated.
    public static func years(of kind: EntityKind, body: String) -> Set<Int> {
        let data = Data(body.utf8)
        let decoder = JSONDecoder()
        switch kind {
        case .project:
            return Set((try? decoder.decode(Project.self, from: data))?.start.map { [$0.year] } ?? [])
        case .publication:
            return Set((try? decoder.decode(Publication.self, from: data))?.published.map { [$0.year] } ?? [])
        case .patent:
            guard let patent = try? decoder.decode(Patent.self, from: data) else { return [] }
            return Set([patent.filed?.year, patent.granted?.year].compactMap { $0 })
        case .award:
            return Set((try? decoder.decode(Award.self, from: data)).map { [$0.year] } ?? [])
        case .staffCensus:
            return Set((try? decoder.decode(StaffCensus.self, from: data)).map { [$0.asOf.year] } ?? [])
        case .tally:
            guard let tally = try? decoder.decode(CaseTally.self, from: data) else { return [] }
            let last = tally.to.lastDay.year
            let first = tally.from.map { $0.firstDay.year } ?? last
            return first <= last ? Set(first...last) : [last]
        default:
            return []
        }
    }
}

/// A write refused because it would change records of a closed year: nothing was written.
public struct ClosedYearRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The closed years the write touched.
    public var years: [Int]
    /// A few of the records it would have changed ("project P-1").
    public var records: [String]
    public var recordCount: Int

    public init(years: [Int], records: [String], recordCount: Int) {
        self.years = years
        self.records = records
        self.recordCount = recordCount
    }

    private var yearList: String { years.map(String.init).joined(separator: ", ") }

    private var recordList: String {
        records.joined(separator: ", ") + (recordCount > records.count ? " …" : "")
    }

    public var description: String {
        "the year \(yearList) has been closed by the research office, so its records cannot be changed; nothing was saved (\(recordList)). Ask the research office to reopen \(yearList) if this change is needed."
    }

    /// The refusal in Chinese, for the pages.
    public var chinese: String {
        "\(years.map { "\($0)年" }.joined(separator: "、"))已由科研处关账（结账），该年度的记录不能再修改；本次未保存任何内容（\(recordList)）。如确需修改，请联系科研处重新开放该年度。"
    }
}

/// A workflow request the rules refuse: who may not act, or what is not in a state to be acted on.
public struct WorkflowRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// This account may not do it (a secretary validating, another department's record).
        case forbidden
        /// No such record.
        case notFound
        /// The record is not in a state for it (already validated, returned, its year closed).
        case conflict
        /// The request itself is wrong (an empty opinion, a bad chain).
        case invalid
    }

    public var reason: Reason
    public var english: String
    public var chinese: String

    public init(_ reason: Reason, _ english: String, _ chinese: String) {
        self.reason = reason
        self.english = english
        self.chinese = chinese
    }

    public var description: String { english }
}

/// What the approval pages show of a record: its title in either language and the departments it belongs to.
public struct WorkflowRecordSummary: Sendable, Hashable {
    public var title: String
    public var titleZH: String?
    public var departments: [String]

    public init(title: String, titleZH: String?, departments: [String]) {
        self.title = title
        self.titleZH = titleZH
        self.departments = departments
    }

    /// The summary of a record kept as `body` (canonical JSON); nil when it is not a record of `kind`.
    public init?(kind: EntityKind, body: String) {
        let data = Data(body.utf8)
        let decoder = JSONDecoder()
        switch kind {
        case .project:
            guard let p = try? decoder.decode(Project.self, from: data) else { return nil }
            self.init(title: p.title, titleZH: p.titleZH, departments: p.departments.map(\.departmentID))
        case .publication:
            guard let p = try? decoder.decode(Publication.self, from: data) else { return nil }
            self.init(title: p.title.plain, titleZH: p.vernacularTitle, departments: p.departmentIDs)
        case .patent:
            guard let p = try? decoder.decode(Patent.self, from: data) else { return nil }
            self.init(title: p.title, titleZH: p.titleZH, departments: p.departmentIDs)
        case .award:
            guard let a = try? decoder.decode(Award.self, from: data) else { return nil }
            self.init(title: a.name, titleZH: a.nameZH, departments: a.departmentIDs)
        case .person:
            guard let p = try? decoder.decode(Person.self, from: data) else { return nil }
            self.init(title: p.displayName, titleZH: p.chineseName, departments: p.departmentIDs)
        case .orgUnit:
            guard let u = try? decoder.decode(OrgUnit.self, from: data) else { return nil }
            self.init(title: u.name, titleZH: u.nameZH, departments: u.kind == .department ? [u.id] : [])
        default:
            return nil
        }
    }
}

/// The records waiting in the approval chain (submitted or returned), which a report or statistics of validated
/// records only leaves out.
public struct UnvalidatedRecords: Sendable, Hashable {
    public var ids: [EntityKind: Set<String>]

    public init(_ statuses: [WorkflowStatus]) {
        ids = Dictionary(grouping: statuses, by: \.kind).mapValues { Set($0.map(\.recordID)) }
    }

    /// True when record `kind` `id` is not validated.
    public func contains(_ kind: EntityKind, _ id: String) -> Bool { ids[kind]?.contains(id) ?? false }
}
