import AnnalsModel

/// How to break a count down.
public enum CaseGrouping: String, Sendable, CaseIterable {
    case year, month, department, campus, approach, surgeon, procedure, category, grade

    /// The registry column the grouping reads (category and grade come from the procedure).
    public var key: TallyKey? {
        switch self {
        case .year, .month: nil
        case .department: .department
        case .campus: .campus
        case .approach: .approach
        case .surgeon: .surgeon
        case .procedure, .category, .grade: .procedure
        }
    }
}

/// One line of a broken-down count.
public struct CaseRow: Sendable, Hashable {
    /// The group: "2019", "2019-03", a department id, "laparoscopic", "grade 4", "through 2015-12-31 (baseline)".
    public var key: String
    public var count: CaseCount
    /// The running total up to and including this row, for time groupings (nil otherwise).
    public var cumulative: CaseCount?
}

/// When a cumulative total passed a threshold.
public struct Milestone: Sendable, Hashable {
    public var threshold: Int
    /// When, as precisely as the tallies tell: "in 2019", "in 2019-03", "between … and …", "by … (within the baseline)".
    public var when: String
    /// The last day it can have happened.
    public var by: Day
    /// The running total after the tallies in which it was passed.
    public var total: Int
}

/// A share of operations, as tertiary hospitals are assessed ("minimally invasive share").
public struct CaseShare: Sendable, Hashable {
    public var key: String
    public var part: Int
    public var whole: Int
    public var ratio: Double { whole == 0 ? 0 : Double(part) / Double(whole) }
    public var exact: Bool
}

extension CaseStatistics {
    /// The count by year or month within `window`, over the years (months) the tallies cover; a
    /// cumulative baseline is its own first row. With `cumulative`, each row also has the running total.
    public static func timeRows(_ sums: [TallyPeriodSum], in window: DayWindow, by grouping: CaseGrouping, cumulative: Bool = false) -> [CaseRow] {
        let dated = sums.filter { $0.from != nil }
        let baselines = sums.filter { $0.from == nil }
        var rows: [(key: String, window: DayWindow)] = []
        if !baselines.isEmpty, window.from == nil, let end = baselines.map(\.to).max() {
            rows.append(("through \(end) (baseline)", DayWindow(to: end)))
        }
        if var first = dated.compactMap(\.from).min(), var last = dated.map(\.to).max() {
            if let from = window.from, from > first { first = from }
            if let to = window.to, to < last { last = to }
            if grouping == .month {
                var (y, m) = (first.year, first.month)
                while (y, m) <= (last.year, last.month) {
                    rows.append(("\(y)-\(m < 10 ? "0" : "")\(m)", .month(y, m)))
                    (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
                }
            } else if first.year <= last.year {
                for y in first.year...last.year { rows.append(("\(y)", .year(y))) }
            }
        }
        return rows.map { row in
            let isBaseline = row.window.from == nil
            return CaseRow(
                key: row.key, count: count(isBaseline ? baselines : dated, in: row.window),
                cumulative: cumulative ? count(sums, in: DayWindow(to: row.window.to)) : nil)
        }
    }

    /// One row per group (department, campus, …) within `window`.
    public static func groupRows(_ groups: [String: [TallyPeriodSum]], in window: DayWindow) -> [CaseRow] {
        groups.keys.sorted().map { CaseRow(key: $0, count: count(groups[$0]!, in: window), cumulative: nil) }
    }

    /// Regroups sums read by procedure into `.procedure`, `.category` or `.grade` groups (other
    /// groupings: nil keys named for people).
    public static func regroup(
        _ sums: [String?: [TallyPeriodSum]], by grouping: CaseGrouping, procedures: [Procedure]
    ) -> [String: [TallyPeriodSum]] {
        let byID = Dictionary(uniqueKeysWithValues: procedures.map { ($0.id, $0) })
        var groups: [String: [TallyPeriodSum]] = [:]
        for (key, list) in sums {
            let name: String =
                switch grouping {
                case .category: key.flatMap { byID[$0]?.category } ?? "(unknown)"
                case .grade: key.flatMap { byID[$0]?.grade }.map { "grade \($0)" } ?? "(no grade)"
                case .campus: key ?? "(whole department)"
                case .surgeon: key ?? "(not by surgeon)"
                default: key ?? "(none)"
                }
            groups[name, default: []] += list
        }
        return groups
    }

    /// When the running total passed each threshold (default 100, 200, 500, 1000, 2000, 5000, …).
    public static func milestones(_ sums: [TallyPeriodSum], thresholds: [Int]? = nil) -> [Milestone] {
        // What is known by the end of each period.
        let byEnd = Dictionary(grouping: sums, by: \.to)
        let grandTotal = sums.reduce(0) { $0 + $1.count }
        var pending = (thresholds ?? defaultThresholds(upTo: grandTotal)).sorted()
        var total = 0
        var result: [Milestone] = []
        for end in byEnd.keys.sorted() {
            let group = byEnd[end]!
            total += group.reduce(0) { $0 + $1.count }
            while let next = pending.first, total >= next {
                pending.removeFirst()
                result.append(Milestone(threshold: next, when: when(group), by: end, total: total))
            }
        }
        return result
    }

    public static func milestones(_ tallies: [CaseTally], thresholds: [Int]? = nil) -> [Milestone] {
        milestones(TallyPeriodSum.of(tallies), thresholds: thresholds)
    }

    static func defaultThresholds(upTo total: Int) -> [Int] {
        var thresholds: [Int] = []
        var scale = 100
        while scale <= max(total, 100) {
            for step in [1, 2, 5] where step * scale <= total { thresholds.append(step * scale) }
            scale *= 10
        }
        return thresholds
    }

    /// "in 2019", "in 2019-03", "between 2016-01-01 and 2016-06-30", "by 2015-12-31 (within the cumulative baseline)".
    static func when(_ group: [TallyPeriodSum]) -> String {
        let to = group[0].to
        guard let from = group.compactMap(\.from).min(), !group.contains(where: { $0.from == nil }) else {
            return "by \(to) (within the cumulative baseline)"
        }
        if from.year == to.year, from.month == 1, from.day == 1, to.month == 12, to.day == 31 { return "in \(from.year)" }
        if from.year == to.year, from.month == to.month, from.day == 1, to.day == PartialDate.daysIn(month: to.month, year: to.year) {
            return "in \(from.year)-\(from.month < 10 ? "0" : "")\(from.month)"
        }
        return "between \(from) and \(to)"
    }

    /// Shares by group: `part` (the minimally invasive or grade-4 operations) over `whole`, within
    /// `window`, or by year when `byYear`.
    public static func shares(
        part: [String: [TallyPeriodSum]], whole: [String: [TallyPeriodSum]], in window: DayWindow, byYear: Bool
    ) -> [CaseShare] {
        func share(_ key: String, _ part: [TallyPeriodSum], _ whole: [TallyPeriodSum], _ window: DayWindow) -> CaseShare {
            let w = count(whole, in: window)
            let p = count(part, in: window)
            return CaseShare(key: key, part: p.count, whole: w.count, exact: w.exact && p.straddling == 0)
        }
        if byYear {
            let all = whole.values.flatMap { $0 }.filter { $0.from != nil }
            let parts = part.values.flatMap { $0 }.filter { $0.from != nil }
            guard let first = all.compactMap(\.from).min()?.year, let last = all.map(\.to).max()?.year else { return [] }
            let years = max(first, window.from?.year ?? first)...min(last, window.to?.year ?? last)
            return years.map { share("\($0)", parts, all, .year($0)) }
        }
        return whole.keys.sorted().map { share($0, part[$0] ?? [], whole[$0]!, window) }
    }

    /// Which operations a share counts.
    public enum ShareKind: String, Sendable, CaseIterable {
        /// Laparoscopic, robotic, endoscopic, interventional and hybrid.
        case minimallyInvasive = "minimally-invasive"
        /// Procedures of surgical grade 4.
        case grade4
    }
}
