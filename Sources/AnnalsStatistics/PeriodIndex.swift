import AnnalsModel

/// Tally periods as day ordinals, sorted by start and end, for counting many windows over the same tallies.
///
/// A breakdown by year or month counts every row's window over the same periods; with them sorted once, a
/// window finds the periods it touches by binary search instead of reading (and converting) every period of
/// every series for every window.
struct PeriodIndex {
    struct Period {
        /// The first and last day's ordinals; a cumulative baseline starts at `Int.min`.
        var start: Int
        var end: Int
        var count: Int
        var tallies: Int
    }

    /// Sorted by start, then end.
    let periods: [Period]
    /// `reach[i]`: the latest end of `periods[0...i]`, so that the walk back over periods starting before a
    /// window, for those still running into it, stops as soon as none can.
    private let reach: [Int]
    /// Every period ends on or after its start. The registry refuses any other, but should one be read, every
    /// period is offered to every window, so that the answers stay those of reading them all.
    private let wellFormed: Bool

    init(_ sums: some Sequence<TallyPeriodSum>) {
        var periods = sums.map {
            Period(start: $0.from?.ordinal ?? Int.min, end: $0.to.ordinal, count: $0.count, tallies: $0.tallies)
        }
        // The registry reads sums in period order, mostly: sorting finds the runs already in order.
        periods.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        var reach: [Int] = []
        reach.reserveCapacity(periods.count)
        var latest = Int.min
        for p in periods {
            latest = max(latest, p.end)
            reach.append(latest)
        }
        self.periods = periods
        self.reach = reach
        self.wellFormed = periods.allSatisfy { $0.start <= $0.end }
    }

    var isEmpty: Bool { periods.isEmpty }

    /// The latest end of any period.
    var lastEnd: Int? { reach.last }

    /// Calls `body` with every period that may overlap `lower...upper`, and perhaps others (callers test each):
    /// first those starting before `lower` (latest first), then those starting at or after it, in order.
    func forEach(near lower: Int, _ upper: Int, _ body: (Period) -> Void) {
        guard wellFormed else {
            periods.forEach(body)
            return
        }
        // The first period starting at or after `lower`.
        var low = 0
        var high = periods.count
        while low < high {
            let middle = (low + high) / 2
            if periods[middle].start < lower { low = middle + 1 } else { high = middle }
        }
        var before = low - 1
        while before >= 0, reach[before] >= lower {
            body(periods[before])
            before -= 1
        }
        var after = low
        while after < periods.count, periods[after].start <= upper {
            body(periods[after])
            after += 1
        }
    }

    /// `CaseStatistics.count(_:in:)` over these periods.
    func count(in window: DayWindow) -> CaseCount {
        let windowFrom = window.from?.ordinal
        let windowTo = window.to?.ordinal
        let lower = windowFrom ?? Int.min
        let upper = windowTo ?? Int.max
        var straddling = 0
        var count = 0
        var tallies = 0
        var baseline = 0
        // The union of the counted periods (a baseline starts at minus infinity). The periods inside the window
        // all start at or after its start, so they come in order of start and end.
        var covered: [(start: Int, end: Int)] = []
        forEach(near: lower, upper) { p in
            if p.start > upper || p.end < lower { return }
            guard p.start >= lower && p.end <= upper else {
                straddling += p.count
                return
            }
            count += p.count
            tallies += p.tallies
            if p.start == Int.min { baseline += p.count }
            if let last = covered.last, p.start <= last.end &+ 1 {
                covered[covered.count - 1].end = max(last.end, p.end)
            } else {
                covered.append((p.start, p.end))
            }
        }
        guard let coveredStart = covered.first?.start, let coveredEnd = covered.last?.end else {
            // Nothing recorded is not the same as none done: never exact.
            return CaseCount(
                count: 0, straddling: straddling, exact: false, coveredFrom: nil, coveredTo: nil, baseline: 0,
                gaps: window.from.flatMap { f in window.to.map { [f.ordinal...$0.ordinal] } } ?? [],
                startUnknown: window.from == nil, tallies: 0)
        }
        let to = windowTo ?? coveredEnd
        var gaps: [ClosedRange<Int>] = []
        var cursor = windowFrom ?? coveredStart
        for c in covered {
            if c.start > cursor, cursor != Int.min { gaps.append(cursor...(min(c.start, to + 1) - 1)) }
            cursor = max(cursor, c.end &+ 1)
            if cursor > to { break }
        }
        if cursor <= to { gaps.append(cursor...to) }
        let startUnknown = windowFrom == nil && coveredStart != Int.min
        return CaseCount(
            count: count, straddling: straddling, exact: gaps.isEmpty && straddling == 0 && !startUnknown,
            coveredFrom: coveredStart == Int.min ? nil : Day(ordinal: coveredStart),
            coveredTo: Day(ordinal: coveredEnd),
            baseline: baseline, gaps: gaps, startUnknown: startUnknown, tallies: tallies)
    }

    /// The days of start…end that no period lying wholly inside it covers (`inside`), and whether some day has no
    /// period at all (`uncovered`, computed only when there are gaps), and whether none lies inside (`absent`).
    func coverage(from start: Int, to end: Int) -> (gaps: [ClosedRange<Int>], absent: Bool, uncovered: Bool) {
        var inside: [(from: Int, to: Int)] = []
        var touching: [(from: Int, to: Int)] = []
        forEach(near: start, end) { p in
            touching.append((p.start, p.end))
            if p.start >= start && p.end <= end { inside.append((p.start, p.end)) }
        }
        let gaps = CaseStatistics.uncoveredDays(inside, start: start, end: end)
        guard !gaps.isEmpty else { return ([], inside.isEmpty, false) }
        // The periods not offered lie wholly before the window or start after it, and cover none of its days.
        return (gaps, inside.isEmpty, !CaseStatistics.uncoveredDays(touching, start: start, end: end).isEmpty)
    }
}

/// `CaseStatistics.count(series:in:coveredBy:)` prepared once for many windows over the same series: their
/// periods, and each check's covering periods, indexed (`PeriodIndex`); the checks made once.
struct SeriesCounter {
    let all: PeriodIndex
    let checks: [(check: CaseStatistics.SeriesCheck, periods: PeriodIndex)]
    let seriesCount: Int
    let split: Bool

    /// For `count(series:in:coveredBy:)`.
    init(series: [TallySeries: [TallyPeriodSum]], coveredBy: [TallySeries: [TallyPeriodSum]]?) {
        self.init(series: series, coverage: coveredBy ?? series, split: coveredBy != nil)
    }

    /// `series` checked against the series of `coverage` (with `split`, the count is one row of a breakdown by
    /// campus or surgeon, covered by the whole series).
    init(series: [TallySeries: [TallyPeriodSum]], coverage: [TallySeries: [TallyPeriodSum]], split: Bool) {
        all = PeriodIndex(series.values.joined())
        seriesCount = series.count
        self.split = split
        checks = CaseStatistics.seriesChecks(Array(series.keys), coverage: Array(coverage.keys), split: split).map {
            check in (check, PeriodIndex(check.covering.lazy.flatMap { coverage[$0]! }))
        }
    }

    func count(in window: DayWindow) -> CaseCount {
        let result = all.count(in: window)
        guard seriesCount > 0 else { return result }
        let end = window.to?.ordinal ?? all.lastEnd ?? Int.min
        let start = window.from?.ordinal ?? Int.min
        guard start <= end else { return result }
        let (shortfalls, uncovered) = shortfalls(from: start, to: end)
        return CaseStatistics.settle(
            result, shortfalls: shortfalls, uncovered: uncovered, seriesChecked: seriesCount, split: split)
    }

    /// The checks that fail for start…end, with the days each misses, and whether some day has no tally at all
    /// (not even one running over the window's edge).
    func shortfalls(from start: Int, to end: Int) -> (shortfalls: [SeriesShortfall], uncovered: Bool) {
        var shortfalls: [SeriesShortfall] = []
        var uncovered = false
        for (check, periods) in checks {
            let found = periods.coverage(from: start, to: end)
            guard !found.gaps.isEmpty else { continue }
            if found.uncovered { uncovered = true }
            let f = check.family
            shortfalls.append(
                SeriesShortfall(
                    series: TallySeries(
                        procedureID: f.procedureID, approach: f.approach, departmentID: f.departmentID,
                        campusID: check.campusID, surgeonID: check.surgeonID),
                    absent: found.absent, gaps: found.gaps))
        }
        return (shortfalls, uncovered)
    }
}
