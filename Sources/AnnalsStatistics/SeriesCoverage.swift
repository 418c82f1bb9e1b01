import AnnalsModel

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
        return "\(series): " + missing.joined(separator: ", ") + (gaps.count > 3 ? " and \(gaps.count - 3) more gaps" : "")
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
        let all = series.values.flatMap { $0 }
        var result = count(all, in: window)
        guard !series.isEmpty else { return result }
        let end = window.to?.ordinal ?? all.map(\.to.ordinal).max() ?? Int.min
        let start = window.from?.ordinal ?? Int.min
        guard start <= end else { return result }
        var shortfalls: [SeriesShortfall] = []
        var uncovered = false
        let family = Self.family
        let coverage = coveredBy ?? series
        let asked = Set(series.keys.map(family))
        let families = Dictionary(grouping: coverage.keys.filter { asked.contains(family($0)) }, by: family)
        for family in families.keys.sorted() {
            let members = families[family]!
            var campuses = Set(members.compactMap(\.campusID)).sorted().map(Optional.some)
            var surgeons = Set(members.compactMap(\.surgeonID)).sorted().map(Optional.some)
            if coveredBy != nil {
                // A row for one campus (surgeon) is about that campus's days only.
                let own = series.keys.filter { Self.family($0) == family }
                if own.allSatisfy({ $0.campusID != nil }) { campuses = Set(own.compactMap(\.campusID)).sorted().map(Optional.some) }
                if own.allSatisfy({ $0.surgeonID != nil }) { surgeons = Set(own.compactMap(\.surgeonID)).sorted().map(Optional.some) }
            }
            for campus in campuses.isEmpty ? [nil] : campuses {
                for surgeon in surgeons.isEmpty ? [nil] : surgeons {
                    // The tallies that count this campus's (surgeon's) operations.
                    let covering = members.filter { ($0.campusID == nil || $0.campusID == campus) && ($0.surgeonID == nil || $0.surgeonID == surgeon) }
                    let periods = covering.flatMap { coverage[$0]! }
                    let inside = periods.filter { isInside($0, start: start, end: end) }
                    let gaps = uncoveredDays(inside, start: start, end: end)
                    guard !gaps.isEmpty else { continue }
                    if !uncoveredDays(periods, start: start, end: end).isEmpty { uncovered = true }
                    shortfalls.append(
                        SeriesShortfall(
                            series: TallySeries(
                                procedureID: family.procedureID, approach: family.approach, departmentID: family.departmentID,
                                campusID: campus, surgeonID: surgeon),
                            absent: inside.isEmpty, gaps: gaps))
                }
            }
        }
        result.shortfalls = shortfalls
        result.seriesChecked = series.count
        if coveredBy != nil {
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
    public static func total(
        in registry: some TallyReading, matching filter: TallyFilter, window: DayWindow, seriesLimit: Int = 5000
    ) throws -> CaseCount {
        let sums = try registry.tallySums(matching: filter, by: nil)[nil] ?? []
        let union = count(sums, in: window)
        guard !sums.isEmpty, union.exact || union.tallies <= seriesLimit else { return union }
        let end = window.to ?? sums.map(\.to).max()
        return count(series: try registry.tallySeriesSums(matching: filter, from: window.from, to: end), in: DayWindow(from: window.from, to: end))
    }

    /// The procedure, approach and department of a series, without campus and surgeon.
    static func family(_ s: TallySeries) -> TallySeries {
        TallySeries(procedureID: s.procedureID, approach: s.approach, departmentID: s.departmentID)
    }

    static func isInside(_ t: TallyPeriodSum, start: Int, end: Int) -> Bool {
        (t.from?.ordinal ?? Int.min) >= start && t.to.ordinal <= end
    }

    /// The days of start…end that none of `periods` covers.
    static func uncoveredDays(_ periods: [TallyPeriodSum], start: Int, end: Int) -> [ClosedRange<Int>] {
        let sorted = periods.map { (from: $0.from?.ordinal ?? Int.min, to: $0.to.ordinal) }.sorted { $0.from < $1.from }
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
