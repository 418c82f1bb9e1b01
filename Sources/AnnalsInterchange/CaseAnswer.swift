import AnnalsModel
import AnnalsStatistics
import Foundation

/// How an answer is written: a table for people, JSON for programs, CSV for spreadsheets.
public enum AnswerFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// A case question as the user asks it (`annals cases`, `GET /api/cases`): names, not yet ids.
public struct CaseQuery: Sendable, Hashable {
    /// A procedure from the vocabulary (any of its names); nil: all procedures.
    public var procedure: String?
    public var approach: Approach?
    /// A department's id or Chinese name.
    public var department: String?
    /// A campus's id or Chinese name.
    public var campus: String?
    /// A surgeon's person id or name in Chinese characters.
    public var surgeon: String?
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    public var from: String?
    public var to: String?

    public init(
        procedure: String? = nil, approach: Approach? = nil, department: String? = nil, campus: String? = nil,
        surgeon: String? = nil, from: String? = nil, to: String? = nil
    ) {
        self.procedure = procedure
        self.approach = approach
        self.department = department
        self.campus = campus
        self.surgeon = surgeon
        self.from = from
        self.to = to
    }

    /// Why the dates cannot be read ("--from '2024-13' is not a date …"); nil when they can. `prefix` names
    /// the options as the asker wrote them ("--" on the command line, "" for query parameters).
    public func dateProblem(prefix: String = "--") -> String? {
        for (name, value) in [("from", from), ("to", to)] {
            if let value, PartialDate(value) == nil {
                return "\(prefix)\(name) '\(value)' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."
            }
        }
        return nil
    }

    /// The days asked about.
    public var window: DayWindow {
        DayWindow(from: from.flatMap(PartialDate.init)?.firstDay, to: to.flatMap(PartialDate.init)?.lastDay)
    }

    /// What the question names: the tally filter, the procedure and approach, and the vocabulary. Throws
    /// `CaseQueryError` for a procedure not in the vocabulary (with suggestions) or an approach that
    /// contradicts it, and `ReferenceCheck`'s error for an unknown department, campus or surgeon.
    public func resolve(in registry: some TallyReading) throws -> (
        filter: TallyFilter, procedure: Procedure?, approach: Approach?, vocabulary: [Procedure]
    ) {
        let vocabulary = try registry.procedures()
        var chosen: Procedure?
        var approach = self.approach
        if let procedure {
            switch ProcedureMatcher(procedures: vocabulary).match(procedure) {
            case .procedure(let found, let named):
                chosen = found
                if let named {
                    if let approach, approach != named {
                        throw CaseQueryError("'\(procedure)' names the \(named.rawValue) approach, but --approach says \(approach.rawValue).")
                    }
                    approach = named
                }
            case .conflictingApproaches(let approaches):
                throw CaseQueryError(ProcedureMatcher.conflictMessage(procedure, approaches) + ", or give the approach with --approach.")
            case .unknown(let suggestions):
                let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
                throw CaseQueryError("no procedure called '\(procedure)' in the vocabulary.\(hint) `annals procedures` lists them all.")
            }
        }
        // An id or the Chinese name the registry holds ("--department 普外科"): the filter takes the id.
        let ids = try ReferenceCheck.check(department: department, surgeon: surgeon, campus: campus, in: registry)
        let filter = TallyFilter(
            procedureIDs: chosen.map { [$0.id] }, approaches: approach.map { [$0] }, departmentID: ids.department,
            campusID: ids.campus, surgeonID: ids.surgeon)
        return (filter, chosen, approach, vocabulary)
    }

    /// The answer as `annals cases` prints it and `GET /api/cases` sends it: a total, a breakdown `by` a
    /// grouping (running totals with `cumulative`), or a `share`, in `format`.
    public func answer(
        in registry: some TallyReading, by: CaseGrouping? = nil, cumulative: Bool = false,
        share: CaseStatistics.ShareKind? = nil, format: AnswerFormat
    ) throws -> String {
        let (filter, procedure, approach, vocabulary) = try resolve(in: registry)
        let label = [approach?.rawValue, procedure?.preferredTerm ?? "operations"].compactMap { $0 }.joined(separator: " ")
        let scope = CaseScope(
            procedure: procedure?.id, approach: approach?.rawValue, department: filter.departmentID,
            campus: filter.campusID, surgeon: filter.surgeonID, from: from, to: to)
        if let share {
            let shares = try CaseStatistics.shares(
                in: registry, matching: filter, kind: share, procedures: vocabulary, window: window, by: by)
            return CaseOutput.shares(shares, kind: share, scope: scope, format: format)
        }
        if let by {
            let rows = try CaseStatistics.rows(
                in: registry, matching: filter, window: window, by: by, cumulative: cumulative, procedures: vocabulary)
            return CaseOutput.rows(rows, by: by, label: label, scope: scope, format: format)
        }
        return CaseOutput.total(
            try CaseStatistics.total(in: registry, matching: filter, window: window), label: label, scope: scope,
            format: format)
    }
}

/// A case question that cannot be answered as asked, said for the asker.
public struct CaseQueryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}


/// What was asked, echoed in JSON answers.
struct CaseScope: Encodable, Sendable {
    var procedure: String?
    var approach: String?
    var department: String?
    var campus: String?
    var surgeon: String?
    var from: String?
    var to: String?
}

/// Case answers as text, JSON or CSV.
enum CaseOutput {
    struct TotalJSON: Encodable {
        var procedure, approach, department, campus, surgeon: String?
        var from, to: String?
        var count: Int
        var exact: Bool
        var figure: String
        var explanation: String
        var baseline: Int
        var coveredFrom, coveredTo: String?
        var missing: [String]
        var straddling: Int
        var tallies: Int
        var incomplete: [ShortfallJSON]

        init(_ c: CaseCount, scope: CaseScope, key: String? = nil) {
            procedure = scope.procedure
            approach = scope.approach
            department = scope.department
            campus = scope.campus
            surgeon = scope.surgeon
            from = scope.from
            to = scope.to
            count = c.count
            exact = c.exact
            figure = c.figure
            explanation = c.explanation
            baseline = c.baseline
            coveredFrom = c.coveredFrom?.description
            coveredTo = c.coveredTo?.description
            missing = c.gapDays.map { "\($0.from) to \($0.to)" }
            straddling = c.straddling
            tallies = c.tallies
            incomplete = c.shortfalls.map(ShortfallJSON.init)
        }

        enum CodingKeys: String, CodingKey {
            case procedure, approach, department, campus, surgeon, from, to, count, exact, figure, explanation, baseline
            case coveredFrom, coveredTo, missing, straddling, tallies, incomplete
        }

        /// Every key is written, with null for what the question left open ("from": null is "since the beginning").
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(procedure, forKey: .procedure)
            try c.encode(approach, forKey: .approach)
            try c.encode(department, forKey: .department)
            try c.encode(campus, forKey: .campus)
            try c.encode(surgeon, forKey: .surgeon)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(count, forKey: .count)
            try c.encode(exact, forKey: .exact)
            try c.encode(figure, forKey: .figure)
            try c.encode(explanation, forKey: .explanation)
            try c.encode(baseline, forKey: .baseline)
            try c.encode(coveredFrom, forKey: .coveredFrom)
            try c.encode(coveredTo, forKey: .coveredTo)
            try c.encode(missing, forKey: .missing)
            try c.encode(straddling, forKey: .straddling)
            try c.encode(tallies, forKey: .tallies)
            try c.encode(incomplete, forKey: .incomplete)
        }
    }

    /// A series that falls short of the period asked: which one, and what it lacks.
    struct ShortfallJSON: Encodable {
        var procedure: String
        var approach: String
        var department: String
        var campus: String?
        var surgeon: String?
        /// Nothing of it is tallied in the period.
        var absent: Bool
        /// "2025-03-01 to 2025-12-31"; "before 2018-01-01" for what precedes its first tally.
        var missing: [String]
        var explanation: String

        init(_ s: SeriesShortfall) {
            procedure = s.series.procedureID
            approach = s.series.approach.rawValue
            department = s.series.departmentID
            campus = s.series.campusID
            surgeon = s.series.surgeonID
            absent = s.absent
            missing = s.gaps.map { gap in
                gap.lowerBound == Int.min
                    ? "before \(Day(ordinal: gap.upperBound + 1))" : "\(Day(ordinal: gap.lowerBound)) to \(Day(ordinal: gap.upperBound))"
            }
            explanation = s.explanation
        }
    }

    struct RowJSON: Encodable {
        var group: String
        var total: TotalJSON
        var cumulative: TotalJSON?
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    static func total(_ c: CaseCount, label: String, scope: CaseScope, format: AnswerFormat) -> String {
        switch format {
        case .json: return json(TotalJSON(c, scope: scope))
        case .csv:
            return CSVWriter.line(["count", "exact", "figure", "explanation"])
                + CSVWriter.line([String(c.count), c.exact ? "yes" : "no", c.figure, c.explanation])
        case .table:
            let place = [scope.department, scope.campus, scope.surgeon].compactMap { $0 }.joined(separator: ", ")
            let period = [scope.from.map { "from \($0)" }, scope.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
            var heading = "\(label)"
            if !place.isEmpty { heading += ", \(place)" }
            if !period.isEmpty { heading += ", \(period)" }
            return "\(c.figure) \(heading)\n  \(c.explanation)"
        }
    }

    static func rows(_ rows: [CaseRow], by: CaseGrouping, label: String, scope: CaseScope, format: AnswerFormat) -> String {
        switch format {
        case .json:
            return json(rows.map { RowJSON(group: $0.key, total: TotalJSON($0.count, scope: scope), cumulative: $0.cumulative.map { TotalJSON($0, scope: scope) }) })
        case .csv:
            var out = CSVWriter.line([by.rawValue, "count", "exact", "figure", "cumulative", "cumulative_exact"])
            for r in rows {
                out += CSVWriter.line([
                    r.key, String(r.count.count), r.count.exact ? "yes" : "no", r.count.figure,
                    r.cumulative.map { String($0.count) } ?? "", r.cumulative.map { $0.exact ? "yes" : "no" } ?? "",
                ])
            }
            return out
        case .table:
            let width = max(by.rawValue.count, rows.map(\.key.count).max() ?? 0)
            var lines = ["\(label) by \(by.rawValue)"]
            for r in rows {
                var line = r.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.count.figure.casePadded(8)
                if let c = r.cumulative { line += "   cumulative " + c.figure.casePadded(8) }
                if !r.count.exact { line += "   (\(r.count.explanation.replacingOccurrences(of: "not exact: ", with: "")))" }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }

    static func shares(_ shares: [CaseShare], kind: CaseStatistics.ShareKind, scope: CaseScope, format: AnswerFormat) -> String {
        struct ShareJSON: Encodable {
            var group: String
            var share: Double
            var part: Int
            var whole: Int
            var exact: Bool
            /// Operations of cumulative baselines in the whole and in the part.
            var baseline: Int
            var partBaseline: Int
            var of: String
            var incomplete: [ShortfallJSON]
        }
        let part = kind == .minimallyInvasive ? "minimally invasive operations" : "grade-4 operations"
        func of(_ s: CaseShare) -> String {
            var text = "of all \(s.whole) operations tallied"
            if !s.exact { text += " (not exact: \(s.shortfalls.isEmpty ? "the tallies do not cover the whole period" : "\(s.shortfalls.count) series incomplete"))" }
            if s.baseline > 0 {
                text += "; includes cumulative baselines through \(s.baselineTo.map { "\($0)" } ?? "?") (\(s.partBaseline) of \(s.baseline) operations), so it is a share over all those years, not of any one year"
            }
            return text
        }
        switch format {
        case .json:
            return json(shares.map {
                ShareJSON(
                    group: $0.key, share: ($0.ratio * 10000).rounded() / 10000, part: $0.part, whole: $0.whole, exact: $0.exact,
                    baseline: $0.baseline, partBaseline: $0.partBaseline, of: of($0), incomplete: $0.shortfalls.map(ShortfallJSON.init))
            })
        case .csv:
            return CSVWriter.line(["group", "share", "part", "whole", "exact", "baseline", "part_baseline"])
                + shares.map {
                    CSVWriter.line([
                        $0.key, String(format: "%.4f", $0.ratio), String($0.part), String($0.whole), $0.exact ? "yes" : "no", String($0.baseline),
                        String($0.partBaseline),
                    ])
                }.joined()
        case .table:
            var lines = ["\(part) as a share of all operations tallied in the same group and period"]
            for s in shares {
                lines.append("\(s.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", s.ratio * 100))  (\(s.part) \(of(s)))")
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    fileprivate func casePadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
