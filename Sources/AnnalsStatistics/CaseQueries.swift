public import AnnalsModel

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
    /// When, as precisely as the tallies tell: a year, a month, some days, or within a cumulative baseline.
    public var placement: MilestonePlacement
    /// The last day it can have happened.
    public var by: Day
    /// The running total after the tallies in which it was passed.
    public var total: Int
}

/// When a milestone was passed, as precisely as the tallies tell (words are the reports' business:
/// "in 2019", "2019年3月", "by 2015-12-31 (within the cumulative baseline)").
public struct MilestonePlacement: Sendable, Hashable, Codable {
    public enum Precision: String, Sendable, Hashable, Codable {
        /// A whole calendar year (`from`…`to` is 1 January to 31 December).
        case year
        /// A whole calendar month.
        case month
        /// Some other run of days.
        case days
        /// Within a cumulative baseline: by `to`, since the beginning (`from` is nil).
        case baseline
    }

    public var precision: Precision
    public var from: Day?
    public var to: Day

    public init(precision: Precision, from: Day?, to: Day) {
        self.precision = precision
        self.from = from
        self.to = to
    }
}

/// A share of operations, as tertiary hospitals are assessed ("minimally invasive share"): `part`
/// of `whole`, the operations tallied in the same group and period.
public struct CaseShare: Sendable, Hashable {
    public var key: String
    public var part: Int
    public var whole: Int
    public var ratio: Double { whole == 0 ? 0 : Double(part) / Double(whole) }
    /// Both counts are exact (every series in them covers the period).
    public var exact: Bool
    /// Operations of cumulative baselines ("since the beginning") in `whole` and in `part`: a share
    /// including them is a share over many years, not of any one.
    public var baseline: Int = 0
    public var partBaseline: Int = 0
    /// The last day the baselines cover.
    public var baselineTo: Day? = nil
    /// The series of the whole that do not cover the period.
    public var shortfalls: [SeriesShortfall] = []
}

extension CaseStatistics {
    /// The count by year or month within `window`, over the years (months) the tallies cover; a
    /// cumulative baseline is its own first row. With `cumulative`, each row also has the running total.
    public static func timeRows(
        _ sums: [TallyPeriodSum], in window: DayWindow, by grouping: CaseGrouping, cumulative: Bool = false
    ) -> [CaseRow] {
        // Indexed once for all the rows.
        let baselines = PeriodIndex(sums.filter { $0.from == nil })
        let dated = PeriodIndex(sums.filter { $0.from != nil })
        let all = PeriodIndex(sums)
        return timeWindows(sums, in: window, by: grouping).map { row in
            let isBaseline = row.window.from == nil
            return CaseRow(
                key: row.key, count: (isBaseline ? baselines : dated).count(in: row.window),
                cumulative: cumulative ? all.count(in: DayWindow(to: row.window.to)) : nil)
        }
    }

    /// The key of the row of a cumulative baseline ending on `end`: "through 2015-12-31 (baseline)".
    public static func baselineKey(through end: Day) -> String { "through \(end) (baseline)" }

    /// The last day of the baseline row with key `key` ("2015-12-31"), nil for any other row.
    public static func baselineEnd(ofKey key: String) -> String? {
        guard key.hasPrefix("through "), key.hasSuffix(" (baseline)") else { return nil }
        return String(key.dropFirst("through ".count).dropLast(" (baseline)".count))
    }

    /// The rows' keys and periods for a breakdown by year or month: a cumulative baseline first (when
    /// the window has no start), then each year (month) from the first tallied to the last, within `window`.
    static func timeWindows(_ sums: [TallyPeriodSum], in window: DayWindow, by grouping: CaseGrouping) -> [(
        key: String, window: DayWindow
    )] {
        let dated = sums.filter { $0.from != nil }
        let baselines = sums.filter { $0.from == nil }
        var rows: [(key: String, window: DayWindow)] = []
        if !baselines.isEmpty, window.from == nil, let end = baselines.map(\.to).max() {
            rows.append((baselineKey(through: end), DayWindow(to: end)))
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
        return rows
    }

    /// The rows of a broken-down count from the registry (`annals cases --by`), each exact only when
    /// every series in it covers the row's period (see `count(series:in:)`).
    public static func rows(
        in registry: some TallyReading, matching filter: TallyFilter, window: DayWindow, by grouping: CaseGrouping,
        cumulative: Bool = false, procedures: [Procedure]
    ) throws -> [CaseRow] {
        let sums = try registry.tallySums(matching: filter, by: nil)[nil] ?? []
        guard let last = sums.map(\.to).max() else { return [] }
        let end = window.to ?? last
        if grouping.key == nil {
            let windows = timeWindows(sums, in: window, by: grouping)
            let needsStart = cumulative || windows.contains { $0.window.from == nil }
            // The series' periods sorted and indexed once: each row finds its own by binary search.
            let series = SeriesCounter(
                series: try registry.tallySeriesSums(matching: filter, from: needsStart ? nil : window.from, to: end),
                coveredBy: nil)
            return windows.map { row in
                // A row is counted within the window asked about (the first and last year may be part-years).
                let rowFrom = [row.window.from, window.from].compactMap { $0 }.max()
                let rowWindow = DayWindow(
                    from: row.window.from == nil ? nil : rowFrom, to: min(row.window.to ?? end, end))
                return CaseRow(
                    key: row.key, count: series.count(in: rowWindow),
                    cumulative: cumulative ? series.count(in: DayWindow(to: rowWindow.to)) : nil)
            }
        }
        // Each row: its tallies by period (for the count), its series summed over the window (to check them).
        let span = DayWindow(from: window.from, to: end)
        let series = try registry.tallyWindowSums(matching: filter, windows: [(window.from ?? .first)...end]).mapValues
        { $0[0] }
        var groups: [String: [TallySeries: TallyWindowSum]] = [:]
        for (key, sum) in series {
            groups[groupKey(key, by: grouping, procedures: procedures), default: [:]][key] = sum
        }
        let periods = regroup(
            try registry.tallySums(matching: filter, by: grouping.key), by: grouping, procedures: procedures)
        // Campus and surgeon split a series: each row counts its own tallies, covered by the whole series.
        let splits = grouping == .campus || grouping == .surgeon
        return try groups.keys.sorted().map { key in
            let row = try count(
                count(periods[key] ?? [], in: span), windowSums: groups[key]!, in: span,
                coveredBy: splits ? series : nil
            ) {
                var narrowed = filter
                narrowed.procedureIDs = filter.procedureIDs?.intersection($0) ?? $0
                return try registry.tallySeriesSums(matching: narrowed, from: window.from, to: end)
            }
            return CaseRow(key: key, count: row, cumulative: nil)
        }
    }

    /// The group a series falls in when counts are broken down by `grouping` (not by time).
    public static func groupKey(_ series: TallySeries, by grouping: CaseGrouping, procedures: [Procedure]) -> String {
        switch grouping {
        case .department: series.departmentID
        case .campus: series.campusID ?? "(whole department)"
        case .approach: series.approach.rawValue
        case .surgeon: series.surgeonID ?? "(not by surgeon)"
        case .procedure: series.procedureID
        case .category: procedures.first { $0.id == series.procedureID }?.category ?? "(unknown)"
        case .grade: procedures.first { $0.id == series.procedureID }?.grade.map { "grade \($0)" } ?? "(no grade)"
        case .year, .month: ""
        }
    }

    /// Shares from the registry (`annals cases --share`): `kind` operations as a share of all the
    /// operations matching `filter`, for `window`, by year or department when asked. Each says what
    /// it is a share of, whether both counts are exact, and how much of it is cumulative baseline.
    public static func shares(
        in registry: some TallyReading, matching filter: TallyFilter, kind: ShareKind, procedures: [Procedure],
        window: DayWindow, by grouping: CaseGrouping? = nil
    ) throws -> [CaseShare] {
        let sums = try registry.tallySums(matching: filter, by: nil)[nil] ?? []
        guard let last = sums.map(\.to).max() else { return [] }
        let end = window.to ?? last
        let series = try registry.tallySeriesSums(matching: filter, from: window.from, to: end)
        let grades = Dictionary(procedures.map { ($0.id, $0.grade) }, uniquingKeysWith: { a, _ in a })
        func isPart(_ s: TallySeries) -> Bool {
            switch kind {
            case .minimallyInvasive: s.approach.isMinimallyInvasive
            case .grade4: grades[s.procedureID] == 4
            }
        }
        /// The whole and the part of a group, prepared once for all its windows, and the last day of the
        /// whole's baselines.
        func group(_ whole: [TallySeries: [TallyPeriodSum]]) -> (
            whole: SeriesCounter, part: SeriesCounter, baselineTo: Day?
        ) {
            (
                SeriesCounter(series: whole, coveredBy: nil),
                SeriesCounter(series: whole.filter { isPart($0.key) }, coveredBy: nil),
                whole.values.joined().filter { $0.from == nil }.map(\.to).max()
            )
        }
        func share(
            _ key: String, _ group: (whole: SeriesCounter, part: SeriesCounter, baselineTo: Day?), _ window: DayWindow
        ) -> CaseShare {
            let w = group.whole.count(in: window)
            let p = group.part.count(in: window)
            let baselineTo = window.from == nil ? group.baselineTo : nil
            return CaseShare(
                key: key, part: p.count, whole: w.count, exact: w.exact && p.exact, baseline: w.baseline,
                partBaseline: p.baseline,
                baselineTo: w.baseline > 0 ? baselineTo : nil, shortfalls: w.shortfalls)
        }
        let span = DayWindow(from: window.from, to: end)
        switch grouping {
        case .year?:
            let dated = sums.filter { $0.from != nil }
            guard let first = dated.compactMap(\.from).min()?.year, let lastYear = dated.map(\.to).max()?.year else {
                return []
            }
            let from = max(first, window.from?.year ?? first)
            let to = min(lastYear, end.year)
            guard from <= to else { return [] }
            let all = group(series)
            return (from...to).map { share("\($0)", all, .year($0)) }
        case .department?:
            var groups: [String: [TallySeries: [TallyPeriodSum]]] = [:]
            for (key, sums) in series { groups[key.departmentID, default: [:]][key] = sums }
            return groups.keys.sorted().map { share($0, group(groups[$0]!), span) }
        default:
            return [share("all", group(series), span)]
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
                result.append(Milestone(threshold: next, placement: placement(group), by: end, total: total))
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

    /// Where the tallies ending on the same day as `group` place a milestone passed in them.
    static func placement(_ group: [TallyPeriodSum]) -> MilestonePlacement {
        let to = group[0].to
        guard let from = group.compactMap(\.from).min(), !group.contains(where: { $0.from == nil }) else {
            return MilestonePlacement(precision: .baseline, from: nil, to: to)
        }
        if from.year == to.year, from.month == 1, from.day == 1, to.month == 12, to.day == 31 {
            return MilestonePlacement(precision: .year, from: from, to: to)
        }
        if from.year == to.year, from.month == to.month, from.day == 1,
            to.day == PartialDate.daysIn(month: to.month, year: to.year)
        {
            return MilestonePlacement(precision: .month, from: from, to: to)
        }
        return MilestonePlacement(precision: .days, from: from, to: to)
    }

    /// Shares by group: `part` (the minimally invasive or grade-4 operations) over `whole`, within
    /// `window`, or by year when `byYear`.
    public static func shares(
        part: [String: [TallyPeriodSum]], whole: [String: [TallyPeriodSum]], in window: DayWindow, byYear: Bool
    ) -> [CaseShare] {
        func share(_ key: String, _ part: [TallyPeriodSum], _ whole: [TallyPeriodSum], _ window: DayWindow) -> CaseShare
        {
            let w = count(whole, in: window)
            let p = count(part, in: window)
            return CaseShare(key: key, part: p.count, whole: w.count, exact: w.exact && p.straddling == 0)
        }
        if byYear {
            let all = whole.values.flatMap { $0 }.filter { $0.from != nil }
            let parts = part.values.flatMap { $0 }.filter { $0.from != nil }
            guard let first = all.compactMap(\.from).min()?.year, let last = all.map(\.to).max()?.year else {
                return []
            }
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
