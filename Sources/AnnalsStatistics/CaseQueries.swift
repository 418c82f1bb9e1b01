import AnnalsModel

/// How to break a count down.
public enum CaseGrouping: String, Sendable, CaseIterable {
    case year, month, department, campus, approach, surgeon, procedure, category, grade
}

/// One line of a broken-down count.
public struct CaseRow: Sendable, Hashable {
    /// The group: "2019", "2019-03", a department id, "laparoscopic", "grade 4", "(baseline)".
    public var key: String
    public var count: CaseCount
    /// The running total up to and including this row, for time groupings (nil otherwise).
    public var cumulative: CaseCount?
}

/// When a cumulative total passed a threshold.
public struct Milestone: Sendable, Hashable {
    public var threshold: Int
    /// When, as precisely as the tallies tell: "2019", "2019-03", "2016-01 to 2016-06", "by 2015-12-31".
    public var when: String
    /// The last day it can have happened.
    public var by: Day
    /// The running total after the tally (or tallies) in which it was passed.
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
    /// The count broken down by `grouping` within `window`. Time groupings run over the years (or
    /// months) the tallies cover; a cumulative baseline is its own first row.
    public static func rows(
        _ tallies: [CaseTally], in window: DayWindow, by grouping: CaseGrouping, procedures: [Procedure], cumulative: Bool = false
    ) -> [CaseRow] {
        switch grouping {
        case .year, .month:
            let dated = tallies.filter { $0.from != nil }
            let baselines = tallies.filter { $0.from == nil }
            var rows: [CaseRow] = []
            if !baselines.isEmpty, window.from == nil {
                let end = baselines.map(\.to.lastDay).max()!
                rows.append(CaseRow(key: "through \(end) (baseline)", count: count(baselines, in: DayWindow(to: end)), cumulative: nil))
            }
            let starts = dated.map { $0.from!.firstDay }
            let ends = dated.map { $0.to.lastDay }
            guard var first = starts.min(), var last = ends.max() else { return addCumulative(rows, tallies, cumulative) }
            if let from = window.from, from > first { first = from }
            if let to = window.to, to < last { last = to }
            var periods: [(String, DayWindow)] = []
            if grouping == .year {
                if first.year <= last.year {
                    for y in first.year...last.year { periods.append(("\(y)", .year(y))) }
                }
            } else {
                var y = first.year
                var m = first.month
                while (y, m) <= (last.year, last.month) {
                    periods.append(("\(y)-\(m < 10 ? "0" : "")\(m)", .month(y, m)))
                    (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
                }
            }
            for (key, period) in periods {
                rows.append(CaseRow(key: key, count: count(dated, in: period), cumulative: nil))
            }
            return addCumulative(rows, tallies, cumulative)
        default:
            let byID = Dictionary(uniqueKeysWithValues: procedures.map { ($0.id, $0) })
            let groups = Dictionary(grouping: tallies) { t -> String in
                switch grouping {
                case .department: t.departmentID
                case .campus: t.campusID ?? "(whole department)"
                case .approach: t.approach.rawValue
                case .surgeon: t.surgeonID ?? "(not by surgeon)"
                case .procedure: t.procedureID
                case .category: byID[t.procedureID]?.category ?? "(unknown)"
                case .grade: byID[t.procedureID]?.grade.map { "grade \($0)" } ?? "(no grade)"
                case .year, .month: ""
                }
            }
            return groups.keys.sorted().map { CaseRow(key: $0, count: count(groups[$0]!, in: window), cumulative: nil) }
        }
    }

    private static func addCumulative(_ rows: [CaseRow], _ tallies: [CaseTally], _ wanted: Bool) -> [CaseRow] {
        guard wanted else { return rows }
        var result = rows
        for index in result.indices {
            // The running total is the count of everything up to the end of this row's period.
            let end: Day
            if let to = result[index].count.coveredTo, result[index].key.hasPrefix("through") {
                end = to
            } else if result[index].key.count == 4, let y = Int(result[index].key) {
                end = Day(year: y, month: 12, day: 31)
            } else {
                let parts = result[index].key.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2 else { continue }
                end = Day(year: parts[0], month: parts[1], day: PartialDate.daysIn(month: parts[1], year: parts[0]))
            }
            result[index].cumulative = count(tallies, in: DayWindow(to: end))
        }
        return result
    }

    /// When the running total passed each threshold (default 100, 200, 500, 1000, 2000, 5000, …).
    public static func milestones(_ tallies: [CaseTally], thresholds: [Int]? = nil) -> [Milestone] {
        // Tallies grouped by the day their period ends: what is known by that day.
        let byEnd = Dictionary(grouping: tallies) { $0.to.lastDay }
        var total = 0
        var result: [Milestone] = []
        let total0 = tallies.reduce(0) { $0 + $1.count }
        var pending = (thresholds ?? defaultThresholds(upTo: total0)).sorted()
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

    static func defaultThresholds(upTo total: Int) -> [Int] {
        var thresholds: [Int] = []
        var scale = 100
        while scale <= max(total, 100) {
            for step in [1, 2, 5] where step * scale <= total { thresholds.append(step * scale) }
            scale *= 10
        }
        return thresholds
    }

    /// "2019", "2019-03", "2016-01 to 2016-06", "by 2015-12-31 (within the baseline)".
    static func when(_ group: [CaseTally]) -> String {
        if group.contains(where: { $0.from == nil }) { return "by \(group[0].to.lastDay) (within the cumulative baseline)" }
        let from = group.map { $0.from!.firstDay }.min()!
        let to = group[0].to.lastDay
        if from.month == 1, from.day == 1, to.month == 12, to.day == 31, from.year == to.year { return "in \(from.year)" }
        if from.year == to.year, from.month == to.month, from.day == 1, to.day == PartialDate.daysIn(month: to.month, year: to.year) {
            return "in \(from.year)-\(from.month < 10 ? "0" : "")\(from.month)"
        }
        return "between \(from) and \(to)"
    }

    /// The minimally invasive share (laparoscopic, robotic, endoscopic, interventional, hybrid) or the
    /// grade-4 share of the operations in `window`, overall or by year or department.
    public static func share(
        _ kind: ShareKind, of tallies: [CaseTally], in window: DayWindow, by grouping: CaseGrouping?, procedures: [Procedure]
    ) -> [CaseShare] {
        let grades = Dictionary(uniqueKeysWithValues: procedures.map { ($0.id, $0.grade) })
        func isPart(_ t: CaseTally) -> Bool {
            switch kind {
            case .minimallyInvasive: t.approach.isMinimallyInvasive
            case .grade4: grades[t.procedureID] == 4
            }
        }
        func share(_ key: String, _ set: [CaseTally], _ window: DayWindow) -> CaseShare {
            let whole = count(set, in: window)
            let part = count(set.filter(isPart), in: window)
            return CaseShare(key: key, part: part.count, whole: whole.count, exact: whole.exact && part.straddling == 0)
        }
        switch grouping {
        case .year?:
            let dated = tallies.filter { $0.from != nil }
            guard let first = dated.map({ $0.from!.firstDay.year }).min(), let last = dated.map({ $0.to.lastDay.year }).max() else { return [] }
            let years = (max(first, window.from?.year ?? first)...min(last, window.to?.year ?? last))
            return years.map { share("\($0)", dated, .year($0)) }
        case .department?:
            return Dictionary(grouping: tallies, by: \.departmentID).sorted { $0.key < $1.key }.map { share($0.key, $0.value, window) }
        default:
            return [share("all", tallies, window)]
        }
    }

    public enum ShareKind: String, Sendable, CaseIterable {
        case minimallyInvasive = "minimally-invasive"
        case grade4
    }
}
