public import AnnalsModel

/// A window of days a question asks about; nil ends are open ("since the beginning", "up to now").
public struct DayWindow: Sendable, Hashable {
    public var from: Day?
    public var to: Day?

    public init(from: Day? = nil, to: Day? = nil) {
        self.from = from
        self.to = to
    }

    /// A whole year.
    public static func year(_ year: Int) -> DayWindow {
        DayWindow(from: Day(year: year, month: 1, day: 1), to: Day(year: year, month: 12, day: 31))
    }

    /// A whole month.
    public static func month(_ year: Int, _ month: Int) -> DayWindow {
        DayWindow(
            from: Day(year: year, month: month, day: 1),
            to: Day(year: year, month: month, day: PartialDate.daysIn(month: month, year: year)))
    }
}

/// How many operations the tallies give for a window, and how sure that number is.
///
/// The count is exact only when every day of the window is covered by a tally that lies wholly inside
/// it, and — when the count was made series by series (`count(series:in:)`, `total(in:…)`) — every
/// series in it is: each procedure × approach × department (× campus × surgeon where tallied apart)
/// the registry holds tallies for in any period. Otherwise `count` is what the tallies inside the
/// window add up to, a lower bound, and the other fields say why: days no tally covers, tallies that
/// run over the window's edge (and so cannot be split), and series that fall short. A window with no
/// start is covered from its beginning only by a cumulative baseline.
public struct CaseCount: Sendable, Hashable {
    /// The sum of the tallies lying wholly inside the window.
    public var count: Int
    /// Operations of tallies that run over the window's edge: some may belong to the window.
    public var straddling: Int
    public var exact: Bool
    /// The first and last day the counted tallies cover (nil start: a cumulative baseline, "since the beginning").
    public var coveredFrom: Day?
    public var coveredTo: Day?
    /// Whether a cumulative baseline is part of the count, and how much of it.
    public var baseline: Int
    /// Stretches of the window no tally covers.
    public var gaps: [ClosedRange<Int>]
    /// The window was open at the start and no baseline covers the time before the first tally.
    public var startUnknown: Bool
    /// How many tallies were counted.
    public var tallies: Int
    /// The series that do not cover the whole window (empty when the count was not made by series).
    public var shortfalls: [SeriesShortfall] = []
    /// How many series were checked (0: the count was made from sums by period only).
    public var seriesChecked = 0
    /// Some series has days in the window that no tally at all covers, so no upper bound can be given.
    public var uncovered = false

    public static let empty = CaseCount(
        count: 0, straddling: 0, exact: true, coveredFrom: nil, coveredTo: nil, baseline: 0, gaps: [],
        startUnknown: false,
        tallies: 0)

    /// The gaps as days.
    public var gapDays: [(from: Day, to: Day)] {
        gaps.map { (Day(ordinal: $0.lowerBound), Day(ordinal: $0.upperBound)) }
    }

    /// The most the count can be, when the tallies bound it from above: a count that is not exact only because
    /// tallies run over the window's edge. Nil when it is exact, or when days no tally covers leave it unbounded.
    public var atMost: Int? {
        guard !exact, straddling > 0, gaps.isEmpty, !startUnknown, !uncovered else { return nil }
        return count + straddling
    }

    /// "513", "≥ 512", "between 512 and 530".
    public var figure: String {
        if exact { return "\(count)" }
        if let atMost { return "between \(count) and \(atMost)" }
        return "≥ \(count)"
    }

    /// Why the count is or is not exact, for people ("tallies cover 2001-01-01 to 2025-06-30; 2012-01-01 to 2012-12-31 missing").
    public var explanation: String {
        var parts: [String] = []
        if tallies == 0 && straddling == 0 { return "no tallies for this question" }
        let start = coveredFrom.map { "\($0)" } ?? "everything from the beginning (cumulative baseline)"
        parts.append("tallies cover \(start) to \(coveredTo.map { "\($0)" } ?? "?")")
        if baseline > 0 { parts.append("includes a cumulative baseline of \(baseline)") }
        for gap in gapDays.prefix(5) {
            parts.append(gap.from == gap.to ? "\(gap.from) missing" : "\(gap.from) to \(gap.to) missing")
        }
        if gaps.count > 5 { parts.append("and \(gaps.count - 5) more gaps") }
        if startUnknown { parts.append("nothing is recorded before \(coveredFrom.map { "\($0)" } ?? "?")") }
        if straddling > 0 { parts.append("\(straddling) more in tallies that run over the edge of the period asked") }
        if !shortfalls.isEmpty {
            parts.append(
                "\(shortfalls.count) of the series in this total \(shortfalls.count == 1 ? "is" : "are") incomplete: "
                    + shortfalls.prefix(5).map(\.explanation).joined(separator: "; ")
                    + (shortfalls.count > 5 ? "; and \(shortfalls.count - 5) more" : ""))
        } else if exact && seriesChecked > 1 {
            parts.append("all \(seriesChecked) series complete")
        }
        return (exact ? "exact: " : "not exact: ") + parts.joined(separator: "; ")
    }
}

/// Answers "how many" from case tallies.
public enum CaseStatistics {
    /// The count for `window` from `tallies` (already filtered to the question's procedure, approach, …).
    public static func count(_ tallies: [CaseTally], in window: DayWindow) -> CaseCount {
        count(TallyPeriodSum.of(tallies), in: window)
    }

    /// The count for `window` from tallies summed by period.
    public static func count(_ sums: [TallyPeriodSum], in window: DayWindow) -> CaseCount {
        PeriodIndex(sums).count(in: window)
    }
}
