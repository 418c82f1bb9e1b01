public import AnnalsModel

/// A series of tallies that does not cover the whole window asked about, so the total it is part of
/// is only a lower bound.
public struct SeriesShortfall: Sendable, Hashable {
    /// The series (with the campus and surgeon, when the series is tallied apart by them).
    public var series: TallySeries
    /// Nothing of it is tallied within the window (though it is tallied in other periods).
    public var absent: Bool
    /// Days of the window it does not cover (a range starting at `Int.min`: everything before).
    public var gaps: [ClosedRange<Int>]

    /// "robotic choledochal-cyst-excision, general-surgery, campus binjiang: nothing tallied before 2018-01-01".
    public var explanation: String {
        if absent { return "\(series): not tallied in this period" }
        let missing = gaps.prefix(3).map { gap -> String in
            if gap.lowerBound == Int.min { return "nothing tallied before \(Day(ordinal: gap.upperBound + 1))" }
            let from = Day(ordinal: gap.lowerBound)
            let to = Day(ordinal: gap.upperBound)
            return from == to ? "\(from) missing" : "\(from) to \(to) missing"
        }
        return "\(series): " + missing.joined(separator: ", ")
            + (gaps.count > 3 ? " and \(gaps.count - 3) more gaps" : "")
    }
}

extension CaseStatistics {
    /// The count for `window` over tallies summed by series (as `TallyReading.tallySeriesSums` gives
    /// them, for a span including the window): exact only when every series is.
    ///
    /// A series is one procedure by one approach in one department. Where the registry holds tallies
    /// for it apart by campus or surgeon (in any period), every campus (× surgeon) it knows must be
    /// covered on every day of the window, by a tally of its own or by one for the whole department
    /// (all surgeons). A window with no end runs to the last day tallied in any of the series, so a
    /// series tallied less far than the others leaves the total a lower bound.
    ///
    /// With `coveredBy`, the operations counted are those of `series`, but each of its series is
    /// checked against all the tallies of its procedure, approach and department in `coveredBy`: a
    /// breakdown by campus counts each campus's own tallies, and a campus (or "whole department")
    /// row is not short for days its series are tallied on the other side of the split.
    public static func count(
        series: [TallySeries: [TallyPeriodSum]], in window: DayWindow, coveredBy: [TallySeries: [TallyPeriodSum]]? = nil
    ) -> CaseCount {
        // For many windows over the same series, make the `SeriesCounter` once (as `rows` does).
        SeriesCounter(series: series, coveredBy: coveredBy).count(in: window)
    }

    /// The count for `window` (which must have an end), the same as `count(series:in:coveredBy:)` gives,
    /// from sums the registry makes per series and window (`TallyReading.tallyWindowSums`) instead of per
    /// series and period: `union` is the count of the same tallies by period (`count(_:in:)`), and a
    /// series covers the window when the days of its tallies inside it add up to the window's length (no
    /// two tallies of a series, nor of levels containing each other, overlap). Only the series that fall
    /// short are read by period, through `detail` (the series sums of the question for the window, for
    /// the procedures given), to say which days they miss.
    public static func count(
        _ union: CaseCount, windowSums: [TallySeries: TallyWindowSum], in window: DayWindow,
        coveredBy: [TallySeries: TallyWindowSum]? = nil,
        detail: (_ procedures: Set<String>) throws -> [TallySeries: [TallyPeriodSum]]
    ) rethrows -> CaseCount {
        guard !windowSums.isEmpty, let to = window.to else { return union }
        let start = window.from ?? .first
        let length = to.ordinal - start.ordinal + 1
        guard length > 0 else { return union }
        let coverage = coveredBy ?? windowSums
        let split = coveredBy != nil
        let failing = seriesChecks(Array(windowSums.keys), coverage: Array(coverage.keys), split: split)
            .filter { check in check.covering.reduce(0) { $0 + coverage[$1]!.days } != length }
        guard !failing.isEmpty else {
            return settle(union, shortfalls: [], uncovered: false, seriesChecked: windowSums.count, split: split)
        }
        // With no tally running over the window's edges, a check made by one series whose tallies have no hole
        // misses only the days before its first and after its last: no need to read it by period.
        // (Not for a row of a split, whose covering series are not the ones its count was made from.)
        if !split, union.straddling == 0,
            let shortfalls = contiguousShortfalls(
                failing, coverage: coverage, start: window.from?.ordinal ?? Int.min, end: to.ordinal)
        {
            return settle(union, shortfalls: shortfalls, uncovered: true, seriesChecked: windowSums.count, split: split)
        }
        let short = Set(failing.map(\.family))
        let periods = try detail(Set(short.map(\.procedureID))).filter { short.contains(family($0.key)) }
        let (shortfalls, uncovered) = SeriesCounter(
            series: periods.filter { windowSums[$0.key] != nil }, coverage: periods.filter { coverage[$0.key] != nil },
            split: split
        ).shortfalls(from: window.from?.ordinal ?? Int.min, to: to.ordinal)
        return settle(
            union, shortfalls: shortfalls, uncovered: uncovered, seriesChecked: windowSums.count, split: split)
    }

    /// The shortfalls of `failing` checks for start…end, when each is made by one series whose tallies inside
    /// the window have no hole (nil otherwise): what is missing is then the days before its first and after its
    /// last. A first day of `Day.first` is a cumulative baseline, which covers everything before it.
    static func contiguousShortfalls(
        _ failing: [SeriesCheck], coverage: [TallySeries: TallyWindowSum], start: Int, end: Int
    ) -> [SeriesShortfall]? {
        var shortfalls: [SeriesShortfall] = []
        for check in failing {
            guard check.covering.count == 1, let sum = coverage[check.covering[0]] else { return nil }
            var gaps: [ClosedRange<Int>] = []
            if sum.tallies == 0 {
                gaps = [start...end]
            } else {
                guard sum.isContiguous, let first = sum.first?.ordinal, let last = sum.last?.ordinal else { return nil }
                if first > start && first != Day.first.ordinal { gaps.append(start...(first - 1)) }
                if last < end { gaps.append((last + 1)...end) }
            }
            let f = check.family
            shortfalls.append(
                SeriesShortfall(
                    series: TallySeries(
                        procedureID: f.procedureID, approach: f.approach, departmentID: f.departmentID,
                        campusID: check.campusID,
                        surgeonID: check.surgeonID),
                    absent: sum.tallies == 0, gaps: gaps))
        }
        return shortfalls
    }

    /// One check a count by series makes: the tallies that count one campus's (surgeon's) operations of
    /// one family (procedure × approach × department) must cover the window.
    struct SeriesCheck {
        var family: TallySeries
        var campusID: String?
        var surgeonID: String?
        var covering: [TallySeries]
    }

    /// The checks for a count over `series`, each against the series of `coverage` (with `split`, the
    /// count is one row of a breakdown by campus or surgeon, covered by the whole series).
    static func seriesChecks(_ series: [TallySeries], coverage: [TallySeries], split: Bool) -> [SeriesCheck] {
        let asked = Set(series.map(family))
        let families = Dictionary(grouping: coverage.filter { asked.contains(family($0)) }, by: family)
        var checks: [SeriesCheck] = []
        for family in families.keys.sorted() {
            let members = families[family]!
            var campuses = Set(members.compactMap(\.campusID)).sorted().map(Optional.some)
            var surgeons = Set(members.compactMap(\.surgeonID)).sorted().map(Optional.some)
            if split {
                // A row for one campus (surgeon) is about that campus's days only.
                let own = series.filter { Self.family($0) == family }
                if own.allSatisfy({ $0.campusID != nil }) {
                    campuses = Set(own.compactMap(\.campusID)).sorted().map(Optional.some)
                }
                if own.allSatisfy({ $0.surgeonID != nil }) {
                    surgeons = Set(own.compactMap(\.surgeonID)).sorted().map(Optional.some)
                }
            }
            for campus in campuses.isEmpty ? [nil] : campuses {
                for surgeon in surgeons.isEmpty ? [nil] : surgeons {
                    // The tallies that count this campus's (surgeon's) operations.
                    let covering = members.filter {
                        ($0.campusID == nil || $0.campusID == campus)
                            && ($0.surgeonID == nil || $0.surgeonID == surgeon)
                    }
                    checks.append(SeriesCheck(family: family, campusID: campus, surgeonID: surgeon, covering: covering))
                }
            }
        }
        return checks
    }

    /// `count`, the count by period, with what checking its series found.
    static func settle(
        _ count: CaseCount, shortfalls: [SeriesShortfall], uncovered: Bool, seriesChecked: Int, split: Bool
    ) -> CaseCount {
        var result = count
        result.shortfalls = shortfalls
        result.seriesChecked = seriesChecked
        if split {
            // A row of a split: its days are covered when its series' are, whichever side of the split tallied them.
            result.exact = result.straddling == 0 && shortfalls.isEmpty
            if result.exact {
                result.gaps = []
                result.startUnknown = false
            }
        }
        if !shortfalls.isEmpty {
            result.exact = false
            result.uncovered = result.uncovered || uncovered
        }
        return result
    }

    /// The count for `window` from the registry: the tallies matching `filter` lying inside the window,
    /// exact only when every series in it (in the registry in any period) covers the whole window.
    ///
    /// Series are read only when the sums by period leave the count exact (to confirm it), or when
    /// no more than `seriesLimit` tallies are involved (to say which series fall short); a count the
    /// sums already show to be a lower bound is not read series by series beyond that, and its
    /// explanation then names the missing days only.
    ///
    /// A question over the whole of time with no more than `wholeTimeLimit` tallies is answered from its sums
    /// per series when no series has a hole (`wholeTimeCount`): one pass over its tallies, none by period.
    public static func total(
        in registry: some TallyReading, matching filter: TallyFilter, window: DayWindow, seriesLimit: Int = 5000,
        wholeTimeLimit: Int = 1000
    ) throws -> CaseCount {
        // The question's series sums by period from the window's start to `end`, for the procedures given.
        func detail(to end: Day) -> (Set<String>) throws -> [TallySeries: [TallyPeriodSum]] {
            { procedures in
                var narrowed = filter
                narrowed.procedureIDs = filter.procedureIDs?.intersection(procedures) ?? procedures
                return try registry.tallySeriesSums(matching: narrowed, from: window.from, to: end)
            }
        }
        // The sums per series for the window (for a window open at both ends, for the whole of time), when read.
        var windowSums: [TallySeries: TallyWindowSum]?
        if let from = window.from, let to = window.to, from <= to {
            // A window with both ends whose series all cover it needs nothing more than its window sums.
            let sums = try registry.tallyWindowSums(matching: filter, windows: [from...to]).mapValues { $0[0] }
            if let exact = exactCount(sums, in: window) { return exact }
            windowSums = sums
        } else if window.from == nil, window.to == nil,
            try registry.tallyCount(matching: filter, atMost: wholeTimeLimit) != nil
        {
            let sums = try registry.tallyWindowSums(matching: filter, windows: [Day.first...Day.last]).mapValues {
                $0[0]
            }
            if let union = wholeTimeCount(sums), let end = union.coveredTo {
                guard union.exact || union.tallies <= seriesLimit else { return union }
                return try count(union, windowSums: sums, in: DayWindow(to: end), detail: detail(to: end))
            }
            windowSums = sums
        }
        let sums = try registry.tallySums(matching: filter, by: nil)[nil] ?? []
        let union = count(sums, in: window)
        guard !sums.isEmpty, union.exact || union.tallies <= seriesLimit else { return union }
        guard let end = window.to ?? sums.map(\.to).max() else { return union }
        let span = DayWindow(from: window.from, to: end)
        let spanSums =
            try windowSums
            ?? registry.tallyWindowSums(matching: filter, windows: [(window.from ?? .first)...end]).mapValues { $0[0] }
        return try count(count(sums, in: span), windowSums: spanSums, in: span, detail: detail(to: end))
    }

    /// The count by period (`count(_:in:)`) of every tally for a window open at both ends, from `sums` per series
    /// for the whole of time, when the tallies of every series cover its first…last day without a hole: the days
    /// covered are then the union of those spans (a series with a baseline reaching back to the beginning). Nil
    /// otherwise, or with no tally at all.
    static func wholeTimeCount(_ sums: [TallySeries: TallyWindowSum]) -> CaseCount? {
        var spans: [(start: Int, end: Int)] = []
        var total = TallyWindowSum()
        for sum in sums.values {
            guard sum.tallies > 0, sum.isContiguous, let first = sum.first, let last = sum.last else { return nil }
            spans.append((sum.baselines > 0 ? Int.min : first.ordinal, last.ordinal))
            total = total + sum
        }
        spans.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        guard let start = spans.first?.start, let end = spans.map(\.end).max() else { return nil }
        var gaps: [ClosedRange<Int>] = []
        var cursor = start
        for span in spans {
            if span.start > cursor { gaps.append(cursor...(span.start - 1)) }
            cursor = max(cursor, span.end &+ 1)
        }
        let startUnknown = start != Int.min
        return CaseCount(
            count: total.count, straddling: 0, exact: gaps.isEmpty && !startUnknown,
            coveredFrom: startUnknown ? Day(ordinal: start) : nil, coveredTo: Day(ordinal: end),
            baseline: total.baseline, gaps: gaps, startUnknown: startUnknown, tallies: total.tallies)
    }

    /// The count of `sums` (per series, for `window`, which has both ends) when every series covers the
    /// window: exact, and the sum of the tallies inside it, for the overlap rule leaves no tally of a
    /// complete series running over the window's edge. Nil when some series falls short (or there is none).
    static func exactCount(_ sums: [TallySeries: TallyWindowSum], in window: DayWindow) -> CaseCount? {
        guard !sums.isEmpty, let from = window.from, let to = window.to else { return nil }
        let length = to.ordinal - from.ordinal + 1
        let checks = seriesChecks(Array(sums.keys), coverage: Array(sums.keys), split: false)
        guard checks.allSatisfy({ check in check.covering.reduce(0) { $0 + sums[$1]!.days } == length }) else {
            return nil
        }
        let total = sums.values.reduce(TallyWindowSum(), +)
        return CaseCount(
            count: total.count, straddling: 0, exact: true, coveredFrom: from, coveredTo: to, baseline: 0, gaps: [],
            startUnknown: false,
            tallies: total.tallies, seriesChecked: sums.count)
    }

    /// The procedure, approach and department of a series, without campus and surgeon.
    static func family(_ s: TallySeries) -> TallySeries {
        TallySeries(procedureID: s.procedureID, approach: s.approach, departmentID: s.departmentID)
    }

    /// The days of start…end that none of `periods` covers.
    static func uncoveredDays(_ periods: [(from: Int, to: Int)], start: Int, end: Int) -> [ClosedRange<Int>] {
        // Mostly in order already (`PeriodIndex` offers them so): sorting finds the runs.
        let sorted = periods.sorted { $0.from < $1.from }
        var gaps: [ClosedRange<Int>] = []
        var cursor = start
        for p in sorted {
            if p.to < cursor { continue }
            if p.from > cursor {
                if p.from > end { break }
                gaps.append(cursor...(p.from - 1))
            }
            if p.to >= end { return gaps }
            cursor = max(cursor, p.to + 1)
        }
        if cursor <= end { gaps.append(cursor...end) }
        return gaps
    }
}

/// Counts over one question's series for several windows at once, each as `count(series:in:)` would
/// give it, from sums per series and window (`TallyReading.tallyWindowSums`): the annual report asks
/// for a few hundred counts (years, procedures, approaches, shares) over the same series.
///
/// A count whose series all cover its window is made from the sums alone: the overlap rule means no
/// tally of those series then runs over the window's edge, so the count is exact. Otherwise its series
/// are read by period (`detail`, once per set of procedures) and counted as `count(series:in:)` does.
public struct SeriesWindowCounter {
    public let windows: [DayWindow]
    let sums: [TallySeries: [TallyWindowSum]]
    let detail: (Set<String>) throws -> [TallySeries: [TallyPeriodSum]]
    private var cache: [Set<String>: [TallySeries: [TallyPeriodSum]]] = [:]
    /// The series by family (procedure × approach × department), with whether the family's series cover each
    /// window: what a count whose series are whole families needs, checked once for all of them.
    private let families: [Family]

    struct Family {
        var members: [TallySeries]
        /// The family's series cover window `i` (every check `exactCount` makes of them passes).
        var covers: [Bool]
    }

    /// `windows` must each have a start and an end; `detail` gives the series sums by period of the
    /// question for the span of all windows, for the procedures given.
    public init(
        in registry: some TallyReading, matching filter: TallyFilter, windows: [DayWindow],
        detail: @escaping (Set<String>) throws -> [TallySeries: [TallyPeriodSum]]
    ) throws {
        precondition(windows.allSatisfy { $0.from != nil && $0.to != nil }, "SeriesWindowCounter needs closed windows")
        self.windows = windows
        let sums = try registry.tallyWindowSums(matching: filter, windows: windows.map { $0.from!...$0.to! })
        self.sums = sums
        self.detail = detail
        self.families = Dictionary(grouping: sums.keys, by: CaseStatistics.family).values.map { members in
            Family(
                members: members,
                covers: windows.indices.map { i in
                    CaseStatistics.exactCount(
                        Dictionary(uniqueKeysWithValues: members.map { ($0, sums[$0]![i]) }), in: windows[i]) != nil
                })
        }
    }

    /// Every series of the question.
    public var series: Set<TallySeries> { Set(sums.keys) }

    /// The count of the series `include` accepts, for window `index`.
    public mutating func count(_ include: (TallySeries) -> Bool = { _ in true }, in index: Int) throws -> CaseCount {
        let window = windows[index]
        if let exact = wholeFamiliesCount(include, in: index) { return exact }
        let chosen = sums.filter { include($0.key) }.mapValues { $0[index] }
        if let exact = CaseStatistics.exactCount(chosen, in: window) { return exact }
        guard !chosen.isEmpty else { return CaseStatistics.count(series: [:], in: window) }
        let procedures = Set(chosen.keys.map(\.procedureID))
        if cache[procedures] == nil { cache[procedures] = try detail(procedures) }
        return CaseStatistics.count(series: cache[procedures]!.filter { chosen[$0.key] != nil }, in: window)
    }

    /// What `exactCount` gives for the series `include` accepts when they are whole families that all cover
    /// window `index` (the report asks by procedure, approach and grade, which never split a family); nil
    /// otherwise, and the count is then made series by series.
    private func wholeFamiliesCount(_ include: (TallySeries) -> Bool, in index: Int) -> CaseCount? {
        var total = TallyWindowSum()
        var series = 0
        for family in families {
            var included = 0
            for member in family.members where include(member) { included += 1 }
            if included == 0 { continue }
            guard included == family.members.count, family.covers[index] else { return nil }
            for member in family.members { total = total + sums[member]![index] }
            series += included
        }
        guard series > 0, let from = windows[index].from, let to = windows[index].to else { return nil }
        return CaseCount(
            count: total.count, straddling: 0, exact: true, coveredFrom: from, coveredTo: to, baseline: 0, gaps: [],
            startUnknown: false, tallies: total.tallies, seriesChecked: series)
    }
}
