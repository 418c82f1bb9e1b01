import AnnalsInterchange
public import AnnalsModel
import AnnalsReports
public import AnnalsStatistics
import AnnalsStore
import Foundation

/// How an answer is written: a table for people, JSON for programs, CSV for spreadsheets.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// The question every case query shares: which procedure, approach, department, campus, surgeon, when — as
/// the user wrote it (any name of a procedure, ids or Chinese names, partial dates).
public struct CaseQuestion: Sendable, Equatable {
    /// Any name of a procedure in the vocabulary, English or Chinese; it may name the approach too
    /// ("腹腔镜胆总管囊肿切除术"). All procedures when nil.
    public var procedure: String?
    public var approach: Approach?
    /// A department's, campus's or surgeon's id or Chinese name.
    public var department: String?
    public var campus: String?
    public var surgeon: String?
    /// YYYY, YYYY-MM or YYYY-MM-DD; `to` inclusive.
    public var from: String?
    public var to: String?

    public init(
        procedure: String? = nil, approach: Approach? = nil, department: String? = nil, campus: String? = nil,
        surgeon: String? = nil,
        from: String? = nil, to: String? = nil
    ) {
        self.procedure = procedure
        self.approach = approach
        self.department = department
        self.campus = campus
        self.surgeon = surgeon
        self.from = from
        self.to = to
    }

    /// What is wrong with the question's dates, named by the option that holds each (`--from`), or nil.
    public func problem(naming option: (String) -> String = { "--\($0)" }) -> String? {
        for (name, value) in [("from", from), ("to", to)] {
            if let value, PartialDate(value) == nil {
                return "\(option(name)) '\(value)' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."
            }
        }
        return nil
    }

    /// What is wrong with asking for this breakdown, or nil: a running total needs a breakdown by time, and a
    /// share can only be broken down by year or department.
    public static func breakdownProblem(by: CaseGrouping?, cumulative: Bool, share: CaseStatistics.ShareKind?)
        -> String?
    {
        if cumulative && by != .year && by != .month { return "--cumulative needs --by year or --by month." }
        if share != nil, let by, by != .year, by != .department {
            return "--share can be broken down --by year or --by department."
        }
        return nil
    }

    /// The days asked about.
    public var window: DayWindow {
        DayWindow(from: from.flatMap(PartialDate.init)?.firstDay, to: to.flatMap(PartialDate.init)?.lastDay)
    }

    /// What the question names in the registry: the tally filter, the procedure and approach, and the
    /// vocabulary. An unknown procedure, or a term whose approach contradicts `approach`, is refused with
    /// suggestions; an unknown department, campus or surgeon with the registry's ids.
    public func resolve(in registry: some TallyReading) throws -> ResolvedCaseQuestion {
        let vocabulary = try registry.procedures()
        var chosen: Procedure?
        var approach = self.approach
        if let procedure {
            switch ProcedureMatcher.made(for: vocabulary).match(procedure) {
            case .procedure(let found, let named):
                chosen = found
                if let named {
                    if let approach, approach != named {
                        throw RegistryFailure(
                            "'\(procedure)' names the \(named.rawValue) approach, but --approach says \(approach.rawValue)."
                        )
                    }
                    approach = named
                }
            case .conflictingApproaches(let approaches):
                throw RegistryFailure(
                    ProcedureMatcher.conflictMessage(procedure, approaches) + ", or give the approach with --approach.")
            case .unknown(let suggestions):
                let hint =
                    suggestions.isEmpty
                    ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
                throw RegistryFailure(
                    "no procedure called '\(procedure)' in the vocabulary.\(hint) `annals procedures` lists them all.")
            }
        }
        // An id or the Chinese name the registry holds ("--department 普外科"): the filter takes the id.
        let ids = try ReferenceCheck.check(department: department, surgeon: surgeon, campus: campus, in: registry)
        let filter = TallyFilter(
            procedureIDs: chosen.map { [$0.id] }, approaches: approach.map { [$0] }, departmentID: ids.department,
            campusID: ids.campus, surgeonID: ids.surgeon)
        let scope = CaseScope(
            procedure: chosen?.id, approach: approach?.rawValue, department: ids.department, campus: ids.campus,
            surgeon: ids.surgeon,
            from: from, to: to)
        return ResolvedCaseQuestion(
            filter: filter, procedure: chosen, approach: approach, vocabulary: vocabulary, scope: scope, window: window)
    }
}

/// A case question with every name looked up.
public struct ResolvedCaseQuestion: Sendable {
    public var filter: TallyFilter
    public var procedure: Procedure?
    public var approach: Approach?
    public var vocabulary: [Procedure]
    /// What was asked, by id, as JSON answers echo it.
    public var scope: CaseScope
    public var window: DayWindow

    /// "laparoscopic Choledochal cyst excision", or "operations" for all procedures.
    public var label: String {
        [approach?.rawValue, procedure?.preferredTerm ?? "operations"].compactMap { $0 }.joined(separator: " ")
    }
}

/// The answer to a case question: a total, a breakdown, or shares — each with its exactness.
public enum CaseAnswer: Sendable {
    case total(CaseCount, label: String, scope: CaseScope)
    case rows([CaseRow], by: CaseGrouping, label: String, scope: CaseScope)
    case shares([CaseShare], kind: CaseStatistics.ShareKind, scope: CaseScope)

    /// The answer as the command line prints it and the API sends it.
    public func rendered(_ format: OutputFormat) -> String {
        switch self {
        case .total(let count, let label, let scope):
            CaseOutput.total(count, label: label, scope: scope, format: format)
        case .rows(let rows, let by, let label, let scope):
            CaseOutput.rows(rows, by: by, label: label, scope: scope, format: format)
        case .shares(let shares, let kind, let scope):
            CaseOutput.shares(shares, kind: kind, scope: scope, format: format)
        }
    }
}

/// When a running total passed its thresholds, for one case question.
public struct MilestoneAnswer: Sendable {
    public var milestones: [Milestone]
    /// Operations tallied for the question, all time.
    public var total: Int
    public var label: String

    /// One line per milestone, or why there is none.
    public var text: String {
        guard !milestones.isEmpty else { return "No milestone reached: \(total) \(label) tallied." }
        return milestones.map { "\($0.threshold) \(label): \($0.placement.text(.en)) (running total \($0.total))" }
            .joined(
                separator: "\n")
    }
}

extension Registry {
    /// Answers a case question: the total, a breakdown `by` a grouping (running totals when `cumulative`),
    /// or the share of minimally-invasive or grade-4 operations.
    public func cases(
        _ question: CaseQuestion, by: CaseGrouping? = nil, cumulative: Bool = false,
        share: CaseStatistics.ShareKind? = nil
    ) throws -> CaseAnswer {
        if let problem = question.problem()
            ?? CaseQuestion.breakdownProblem(by: by, cumulative: cumulative, share: share)
        {
            throw RegistryFailure(problem)
        }
        return try read { registry -> CaseAnswer in
            let q = try question.resolve(in: registry)
            if let share {
                let shares = try CaseStatistics.shares(
                    in: registry, matching: q.filter, kind: share, procedures: q.vocabulary, window: q.window, by: by)
                return .shares(shares, kind: share, scope: q.scope)
            }
            if let by {
                let rows = try CaseStatistics.rows(
                    in: registry, matching: q.filter, window: q.window, by: by, cumulative: cumulative,
                    procedures: q.vocabulary)
                return .rows(rows, by: by, label: q.label, scope: q.scope)
            }
            return .total(
                try CaseStatistics.total(in: registry, matching: q.filter, window: q.window), label: q.label,
                scope: q.scope)
        }
    }

    /// When the running total of the question's operations passed each threshold (100, 200, 500, 1000, … by default).
    public func milestones(_ question: CaseQuestion, thresholds: [Int]? = nil) throws -> MilestoneAnswer {
        let (sums, label) = try read { registry in
            let q = try question.resolve(in: registry)
            return (try registry.tallySums(matching: q.filter, by: nil)[nil] ?? [], q.label)
        }
        return MilestoneAnswer(
            milestones: CaseStatistics.milestones(sums, thresholds: thresholds),
            total: sums.reduce(0) { $0 + $1.count }, label: label)
    }
}
