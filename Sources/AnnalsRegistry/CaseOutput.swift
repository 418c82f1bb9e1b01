import AnnalsInterchange
import AnnalsModel
import AnnalsStatistics
import Foundation

/// What was asked, echoed in JSON answers.
public struct CaseScope: Encodable, Sendable {
    public var procedure: String?
    public var approach: String?
    public var department: String?
    public var campus: String?
    public var surgeon: String?
    public var from: String?
    public var to: String?
}

/// Case answers as text, JSON or CSV: the same for the command line and the web API.
enum CaseOutput {
    struct TotalJSON: Encodable {
        var procedure, approach, department, campus, surgeon: String?
        var from, to: String?
        var count: Int
        var exact: Bool
        var figure: String
        /// The most the count can be, when the tallies bound it ("between count and atMost"); null otherwise.
        var atMost: Int?
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
            atMost = c.atMost
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
            case procedure, approach, department, campus, surgeon, from, to, count, exact, figure, atMost, explanation
            case baseline
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
            try c.encode(atMost, forKey: .atMost)
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
                    ? "before \(Day(ordinal: gap.upperBound + 1))"
                    : "\(Day(ordinal: gap.lowerBound)) to \(Day(ordinal: gap.upperBound))"
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

    static func total(_ c: CaseCount, label: String, scope: CaseScope, format: OutputFormat) -> String {
        switch format {
        case .json: return json(TotalJSON(c, scope: scope))
        case .csv:
            return CSVWriter.line(["count", "exact", "figure", "explanation"])
                + CSVWriter.line([String(c.count), c.exact ? "yes" : "no", c.figure, c.explanation])
        case .table:
            let place = [scope.department, scope.campus, scope.surgeon].compactMap { $0 }.joined(separator: ", ")
            let period = [scope.from.map { "from \($0)" }, scope.to.map { "to \($0)" }].compactMap { $0 }.joined(
                separator: " ")
            var heading = "\(label)"
            if !place.isEmpty { heading += ", \(place)" }
            if !period.isEmpty { heading += ", \(period)" }
            return "\(c.figure) \(heading)\n  \(c.explanation)"
        }
    }

    static func rows(_ rows: [CaseRow], by: CaseGrouping, label: String, scope: CaseScope, format: OutputFormat)
        -> String
    {
        switch format {
        case .json:
            return json(
                rows.map {
                    RowJSON(
                        group: $0.key, total: TotalJSON($0.count, scope: scope),
                        cumulative: $0.cumulative.map { TotalJSON($0, scope: scope) })
                })
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
                var line =
                    r.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.count.figure.leftPadded(8)
                if let c = r.cumulative { line += "   cumulative " + c.figure.leftPadded(8) }
                if !r.count.exact {
                    line += "   (\(r.count.explanation.replacingOccurrences(of: "not exact: ", with: "")))"
                }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }

    static func shares(_ shares: [CaseShare], kind: CaseStatistics.ShareKind, scope: CaseScope, format: OutputFormat)
        -> String
    {
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
            if !s.exact {
                text +=
                    " (not exact: \(s.shortfalls.isEmpty ? "the tallies do not cover the whole period" : "\(s.shortfalls.count) series incomplete"))"
            }
            if s.baseline > 0 {
                text +=
                    "; includes cumulative baselines through \(s.baselineTo.map { "\($0)" } ?? "?") (\(s.partBaseline) of \(s.baseline) operations), so it is a share over all those years, not of any one year"
            }
            return text
        }
        switch format {
        case .json:
            return json(
                shares.map {
                    ShareJSON(
                        group: $0.key, share: ($0.ratio * 10000).rounded() / 10000, part: $0.part, whole: $0.whole,
                        exact: $0.exact,
                        baseline: $0.baseline, partBaseline: $0.partBaseline, of: of($0),
                        incomplete: $0.shortfalls.map(ShortfallJSON.init))
                })
        case .csv:
            return CSVWriter.line(["group", "share", "part", "whole", "exact", "baseline", "part_baseline"])
                + shares.map {
                    CSVWriter.line([
                        $0.key, String(format: "%.4f", $0.ratio), String($0.part), String($0.whole),
                        $0.exact ? "yes" : "no", String($0.baseline),
                        String($0.partBaseline),
                    ])
                }.joined()
        case .table:
            var lines = ["\(part) as a share of all operations tallied in the same group and period"]
            for s in shares {
                lines.append(
                    "\(s.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", s.ratio * 100))  (\(s.part) \(of(s)))"
                )
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    /// The text right-aligned in `width` characters.
    public func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
