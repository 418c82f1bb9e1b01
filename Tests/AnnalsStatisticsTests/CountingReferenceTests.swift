import AnnalsModel
import Testing

@testable import AnnalsStatistics

/// The counts made with sorted, indexed periods (`PeriodIndex`, `SeriesCounter`) are those of the straightforward
/// algorithm they replaced, kept here as the reference: every period of every series read for every window.
@Suite struct CountingReferenceTests {
    // MARK: The reference: the counting as it was before issue 20.

    static func referenceCount(_ sums: [TallyPeriodSum], in window: DayWindow) -> CaseCount {
        let windowFrom = window.from?.ordinal
        let windowTo = window.to?.ordinal
        var inside: [TallyPeriodSum] = []
        var straddling = 0
        for t in sums {
            let start = t.from?.ordinal
            let end = t.to.ordinal
            if let windowTo, (start ?? Int.min) > windowTo { continue }
            if let windowFrom, end < windowFrom { continue }
            let startsInside = windowFrom == nil || (start.map { $0 >= windowFrom! } ?? false)
            let endsInside = windowTo.map { end <= $0 } ?? true
            if startsInside && endsInside { inside.append(t) } else { straddling += t.count }
        }
        guard !inside.isEmpty else {
            return CaseCount(
                count: 0, straddling: straddling, exact: false, coveredFrom: nil, coveredTo: nil, baseline: 0,
                gaps: window.from.flatMap { f in window.to.map { [f.ordinal...$0.ordinal] } } ?? [],
                startUnknown: window.from == nil, tallies: 0)
        }
        let periods = inside.map { (start: $0.from?.ordinal ?? Int.min, end: $0.to.ordinal) }
            .sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var covered: [(start: Int, end: Int)] = []
        for p in periods {
            if let last = covered.last, p.start <= last.end &+ 1 {
                covered[covered.count - 1].end = max(last.end, p.end)
            } else {
                covered.append(p)
            }
        }
        let coveredStart = covered.first!.start
        let coveredEnd = covered.last!.end
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
            count: inside.reduce(0) { $0 + $1.count }, straddling: straddling,
            exact: gaps.isEmpty && straddling == 0 && !startUnknown,
            coveredFrom: coveredStart == Int.min ? nil : Day(ordinal: coveredStart),
            coveredTo: Day(ordinal: coveredEnd),
            baseline: inside.filter { $0.from == nil }.reduce(0) { $0 + $1.count }, gaps: gaps,
            startUnknown: startUnknown,
            tallies: inside.reduce(0) { $0 + $1.tallies })
    }

    static func referenceCount(
        series: [TallySeries: [TallyPeriodSum]], in window: DayWindow, coveredBy: [TallySeries: [TallyPeriodSum]]? = nil
    ) -> CaseCount {
        let all = series.values.flatMap { $0 }
        let result = referenceCount(all, in: window)
        guard !series.isEmpty else { return result }
        let end = window.to?.ordinal ?? all.map(\.to.ordinal).max() ?? Int.min
        let start = window.from?.ordinal ?? Int.min
        guard start <= end else { return result }
        let coverage = coveredBy ?? series
        let split = coveredBy != nil
        var shortfalls: [SeriesShortfall] = []
        var uncovered = false
        for check in CaseStatistics.seriesChecks(Array(series.keys), coverage: Array(coverage.keys), split: split) {
            let periods = check.covering.flatMap { coverage[$0]! }
            let inside = periods.filter { ($0.from?.ordinal ?? Int.min) >= start && $0.to.ordinal <= end }
            let gaps = referenceUncoveredDays(inside, start: start, end: end)
            guard !gaps.isEmpty else { continue }
            if !referenceUncoveredDays(periods, start: start, end: end).isEmpty { uncovered = true }
            let f = check.family
            shortfalls.append(
                SeriesShortfall(
                    series: TallySeries(
                        procedureID: f.procedureID, approach: f.approach, departmentID: f.departmentID,
                        campusID: check.campusID, surgeonID: check.surgeonID),
                    absent: inside.isEmpty, gaps: gaps))
        }
        return CaseStatistics.settle(
            result, shortfalls: shortfalls, uncovered: uncovered, seriesChecked: series.count, split: split)
    }

    static func referenceUncoveredDays(_ periods: [TallyPeriodSum], start: Int, end: Int) -> [ClosedRange<Int>] {
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

    // MARK: Generated registries

    /// SplitMix64: the same cases on every run, so that a failure can be reproduced.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func day(_ ordinal: Int) -> Day { Day(ordinal: ordinal) }
    static let origin = Day(year: 2015, month: 1, day: 1).ordinal

    /// Periods of one series: months, quarters, years, odd stretches, holes, overlaps, sometimes a baseline.
    static func periods(_ g: inout Generator) -> [TallyPeriodSum] {
        var sums: [TallyPeriodSum] = []
        var cursor = origin + Int.random(in: 0...400, using: &g)
        if Bool.random(using: &g) {
            sums.append(
                TallyPeriodSum(from: nil, to: day(cursor - 1), count: Int.random(in: 0...500, using: &g), tallies: 1))
        }
        for _ in 0..<Int.random(in: 0...30, using: &g) {
            let length = [1, 28, 30, 31, 90, 365, Int.random(in: 1...800, using: &g)].randomElement(using: &g)!
            let start =
                cursor + [0, 0, 0, Int.random(in: 1...200, using: &g), -Int.random(in: 1...40, using: &g)]
                .randomElement(using: &g)!
            sums.append(
                TallyPeriodSum(
                    from: day(start), to: day(start + length - 1), count: Int.random(in: 0...60, using: &g),
                    tallies: Int.random(in: 1...3, using: &g)))
            cursor = start + length
        }
        return sums.shuffled(using: &g)
    }

    /// Series of two procedures, some tallied apart by campus or surgeon, some with no period in the span read.
    static func registry(_ g: inout Generator) -> [TallySeries: [TallyPeriodSum]] {
        var series: [TallySeries: [TallyPeriodSum]] = [:]
        for procedure in ["cce", "appendectomy"] {
            for approach in [Approach.open, .laparoscopic] where Int.random(in: 0..<4, using: &g) > 0 {
                let campuses: [String?] = [
                    [nil], [nil, "binjiang"], ["binjiang", "hubin"], [nil, "binjiang", "hubin"],
                ]
                .randomElement(using: &g)!
                for campus in campuses {
                    let surgeons: [String?] = Int.random(in: 0..<5, using: &g) == 0 ? [nil, "wang"] : [nil]
                    for surgeon in surgeons {
                        let key = TallySeries(
                            procedureID: procedure, approach: approach, departmentID: "gs", campusID: campus,
                            surgeonID: surgeon)
                        series[key] = Int.random(in: 0..<8, using: &g) == 0 ? [] : periods(&g)
                    }
                }
            }
        }
        return series
    }

    static func windows(_ g: inout Generator) -> [DayWindow] {
        var windows = [DayWindow()] + (2014...2022).map { DayWindow.year($0) }
        windows += (1...12).map { DayWindow.month(2017, $0) }
        for _ in 0..<20 {
            let a = origin + Int.random(in: -200...2500, using: &g)
            // Never ending before it starts: counting such a window with nothing inside traps, as it always did.
            let b = a + Int.random(in: 0...900, using: &g)
            windows += [
                DayWindow(from: day(a), to: day(b)), DayWindow(from: day(a)), DayWindow(to: day(b)),
            ]
        }
        return windows
    }

    // MARK: Tests

    @Test func countsByPeriodAreTheReferences() {
        var g = Generator(state: 20)
        for _ in 0..<200 {
            let sums = Array(Self.registry(&g).values.joined())
            for window in Self.windows(&g) {
                #expect(CaseStatistics.count(sums, in: window) == Self.referenceCount(sums, in: window))
            }
        }
    }

    @Test func countsBySeriesAreTheReferences() {
        var g = Generator(state: 12)
        for _ in 0..<200 {
            let series = Self.registry(&g)
            let counter = SeriesCounter(series: series, coveredBy: nil)
            for window in Self.windows(&g) {
                let reference = Self.referenceCount(series: series, in: window)
                #expect(CaseStatistics.count(series: series, in: window) == reference)
                #expect(counter.count(in: window) == reference)
            }
        }
    }

    @Test func rowsOfASplitAreTheReferences() {
        var g = Generator(state: 2026)
        for _ in 0..<200 {
            let all = Self.registry(&g)
            // A breakdown by campus: each row counts its campus's own tallies, covered by every series.
            for campus in [nil, "binjiang", "hubin"] as [String?] {
                let row = all.filter { $0.key.campusID == campus }
                for window in Self.windows(&g) {
                    #expect(
                        CaseStatistics.count(series: row, in: window, coveredBy: all)
                            == Self.referenceCount(series: row, in: window, coveredBy: all))
                }
            }
        }
    }

    @Test func aPeriodEndingBeforeItStartsIsCountedAsBefore() {
        // The registry refuses such a tally; should one be read, the answers are still the reference's.
        let sums = [
            TallyPeriodSum(from: Self.day(Self.origin + 100), to: Self.day(Self.origin + 10), count: 5, tallies: 1),
            TallyPeriodSum(from: Self.day(Self.origin), to: Self.day(Self.origin + 30), count: 7, tallies: 1),
            TallyPeriodSum(from: nil, to: Self.day(Self.origin - 1), count: 9, tallies: 1),
        ]
        let series = [TallySeries(procedureID: "cce", approach: .open, departmentID: "gs"): sums]
        for window in [
            DayWindow(), DayWindow(from: Self.day(Self.origin + 5), to: Self.day(Self.origin + 50)),
            DayWindow(from: Self.day(Self.origin + 50), to: Self.day(Self.origin + 200)),
            DayWindow(to: Self.day(Self.origin + 20)),
        ] {
            #expect(CaseStatistics.count(sums, in: window) == Self.referenceCount(sums, in: window))
            #expect(CaseStatistics.count(series: series, in: window) == Self.referenceCount(series: series, in: window))
        }
    }
}
