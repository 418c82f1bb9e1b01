import AnnalsInterchange
import AnnalsStatistics
import Foundation

/// What was asked, echoed in JSON answers.
struct CaseScope: Encodable {
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
        }

        enum CodingKeys: String, CodingKey {
            case procedure, approach, department, campus, surgeon, from, to, count, exact, figure, explanation, baseline
            case coveredFrom, coveredTo, missing, straddling, tallies
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
            let period = [scope.from.map { "from \($0)" }, scope.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
            var heading = "\(label)"
            if !place.isEmpty { heading += ", \(place)" }
            if !period.isEmpty { heading += ", \(period)" }
            return "\(c.figure) \(heading)\n  \(c.explanation)"
        }
    }

    static func rows(_ rows: [CaseRow], by: CaseGrouping, label: String, scope: CaseScope, format: OutputFormat) -> String {
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
                var line = r.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + r.count.figure.leftPadded(8)
                if let c = r.cumulative { line += "   cumulative " + c.figure.leftPadded(8) }
                if !r.count.exact { line += "   (\(r.count.explanation.replacingOccurrences(of: "not exact: ", with: "")))" }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }

    static func shares(_ shares: [CaseShare], kind: CaseStatistics.ShareKind, scope: CaseScope, format: OutputFormat) -> String {
        struct ShareJSON: Encodable {
            var group: String
            var share: Double
            var part: Int
            var whole: Int
            var exact: Bool
        }
        switch format {
        case .json:
            return json(shares.map { ShareJSON(group: $0.key, share: ($0.ratio * 10000).rounded() / 10000, part: $0.part, whole: $0.whole, exact: $0.exact) })
        case .csv:
            return CSVWriter.line(["group", "share", "part", "whole", "exact"])
                + shares.map { CSVWriter.line([$0.key, String(format: "%.4f", $0.ratio), String($0.part), String($0.whole), $0.exact ? "yes" : "no"]) }.joined()
        case .table:
            var lines = ["\(kind == .minimallyInvasive ? "minimally invasive" : "grade-4") share of operations"]
            for s in shares {
                lines.append(
                    "\(s.key.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", s.ratio * 100))  (\(s.part) of \(s.whole)\(s.exact ? "" : ", not exact"))")
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
