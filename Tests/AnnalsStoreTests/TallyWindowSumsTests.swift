import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStatistics

/// Counts made from sums per series and window (`tallyWindowSums`) must be the counts made from sums per
/// series and period (`tallySeriesSums`, `CaseStatistics.count(series:in:)`), on both backends, over
/// random registries that keep the overlap rule: whole years, part-years, gaps, baselines, tallies
/// running over a year's edge, and series split by campus and surgeon in some periods and not in others.
@Suite struct TallyWindowSumsTests {
    let folder = TemporaryFolder()

    /// A random registry's tallies: for each family (procedure × approach × department), periods are laid
    /// one after another with random gaps, each tallied on a random level (whole department, one campus, one
    /// surgeon, both); a tally is kept only when it overlaps none of the family's tallies on a level that
    /// contains its own or is contained by it (the registry's rule against counting twice).
    static func randomTallies(seed: UInt64) -> [CaseTally] {
        var random = SplitMix(seed: seed)
        var tallies: [CaseTally] = []
        for procedure in ["p1", "p2", "p3"] {
            for approach in [Approach.open, .laparoscopic] {
                for department in ["d1", "d2"] {
                    var family: [CaseTally] = []
                    if random.next(4) == 0 {
                        family.append(tally(procedure, approach, department, nil, nil, nil, "2016-12-31", &random))
                    }
                    var month = 2017 * 12 + random.next(6)
                    while month < 2022 * 12 {
                        let length = [1, 1, 1, 3, 6, 12, 14][random.next(7)]
                        let from = PartialDate(year: month / 12, month: month % 12 + 1)!
                        let last = month + length - 1
                        let to = PartialDate(year: last / 12, month: last % 12 + 1)!
                        let campus = [nil, nil, "c1", "c2"][random.next(4)]
                        let surgeon = [nil, nil, nil, "s1"][random.next(4)]
                        let candidate = tally(
                            procedure, approach, department, campus, surgeon, from, to.description, &random)
                        if !family.contains(where: { overlap($0, candidate) }) { family.append(candidate) }
                        month += random.next(3) == 0 ? random.next(3) : length - (random.next(5) == 0 ? 1 : 0)
                    }
                    tallies += family
                }
            }
        }
        return tallies
    }

    static func tally(
        _ procedure: String, _ approach: Approach, _ department: String, _ campus: String?, _ surgeon: String?,
        _ from: PartialDate?,
        _ to: String, _ random: inout SplitMix
    ) -> CaseTally {
        CaseTally(
            id:
                "\(procedure).\(approach.rawValue).\(department).\(campus ?? "-").\(surgeon ?? "-").\(from?.description ?? "base").\(to)",
            procedureID: procedure, approach: approach, departmentID: department, campusID: campus, surgeonID: surgeon,
            from: from,
            to: PartialDate(to)!, count: random.next(40))
    }

    /// The same family, overlapping days, and on campus and surgeon the same or one containing the other.
    static func overlap(_ a: CaseTally, _ b: CaseTally) -> Bool {
        let days = (a.from?.firstDay ?? .first) <= b.to.lastDay && (b.from?.firstDay ?? .first) <= a.to.lastDay
        let campus = a.campusID == nil || b.campusID == nil || a.campusID == b.campusID
        let surgeon = a.surgeonID == nil || b.surgeonID == nil || a.surgeonID == b.surgeonID
        return days && campus && surgeon
    }

    /// Every family tallied month by month from 2017 to 2021, with no gap: in d1 for the whole department, in
    /// d2 for the whole department until 2018 and by campus from 2019 (so every year is complete).
    static func completeTallies() -> [CaseTally] {
        var random = SplitMix(seed: 99)
        var tallies: [CaseTally] = []
        for procedure in ["p1", "p2", "p3"] {
            for approach in [Approach.open, .laparoscopic] {
                for year in 2017...2021 {
                    for month in 1...12 {
                        let period = PartialDate(year: year, month: month)!
                        tallies.append(tally(procedure, approach, "d1", nil, nil, period, period.description, &random))
                        for campus in year >= 2019 ? ["c1", "c2"] : [nil] {
                            tallies.append(
                                tally(procedure, approach, "d2", campus, nil, period, period.description, &random))
                        }
                    }
                }
            }
        }
        return tallies
    }

    /// Each family one series, tallied month by month without a hole from a random month to a random month
    /// (some from a baseline, some by one campus, some not at all in a year): what a count checks from each
    /// series' first and last day, without reading it by period.
    static func contiguousTallies() -> [CaseTally] {
        var random = SplitMix(seed: 5)
        var tallies: [CaseTally] = []
        for procedure in ["p1", "p2", "p3"] {
            for approach in [Approach.open, .laparoscopic] {
                for department in ["d1", "d2"] {
                    let campus = [nil, nil, "c1"][random.next(3)]
                    let start = 2016 * 12 + random.next(36)
                    let end = start + random.next(60)
                    if random.next(3) == 0 {
                        let before = PartialDate(year: (start - 1) / 12, month: (start - 1) % 12 + 1)!
                        tallies.append(
                            tally(procedure, approach, department, campus, nil, nil, before.description, &random))
                    }
                    for month in start...end {
                        let period = PartialDate(year: month / 12, month: month % 12 + 1)!
                        tallies.append(
                            tally(procedure, approach, department, campus, nil, period, period.description, &random))
                    }
                }
            }
        }
        return tallies
    }

    func registry(_ backend: TestBackend, seed: UInt64) throws -> RegistryStore {
        let store = try RegistryStore(path: try folder.registryLocation(backend))
        try store.write { tx in
            try tx.upsert(
                OrgUnit(
                    id: "h", kind: .hospital, name: "Hospital",
                    campuses: [Campus(id: "c1", name: "One"), Campus(id: "c2", name: "Two")]))
            for d in ["d1", "d2"] { try tx.upsert(OrgUnit(id: d, kind: .department, name: d, parentID: "h")) }
            for p in ["p1", "p2", "p3"] { try tx.upsert(Procedure(id: p, preferredTerm: p, category: "other")) }
            try tx.upsert(Person(id: "s1", familyName: "Gao", givenName: "Zhigang", departmentIDs: ["d1", "d2"]))
            let tallies =
                seed == 0
                ? Self.completeTallies() : seed == 5 ? Self.contiguousTallies() : Self.randomTallies(seed: seed)
            for t in tallies { try tx.upsert(t) }
        }
        #expect(try store.read { try $0.tallyConflicts(involving: nil) }.isEmpty)
        return store
    }

    static let filters = [
        TallyFilter(), TallyFilter(procedureIDs: ["p1"]),
        TallyFilter(procedureIDs: ["p2"], approaches: [.laparoscopic]),
        TallyFilter(departmentID: "d1"), TallyFilter(procedureIDs: ["p3"], departmentID: "d2"),
        TallyFilter(campusID: "c1"),
        TallyFilter(procedureIDs: ["p1", "p2"], surgeonID: "s1"),
    ]

    static let windows =
        (2016...2022).map { DayWindow.year($0) } + [
            DayWindow(), DayWindow(to: Day(year: 2019, month: 6, day: 30)),
            DayWindow(from: Day(year: 2018, month: 3, day: 1)),
            .month(2019, 2), DayWindow(from: Day(year: 2017, month: 7, day: 1), to: Day(year: 2020, month: 9, day: 30)),
        ]

    /// Seed 0: the registry whose series are all complete (`completeTallies`), where totals are exact; seed 5:
    /// the one whose families are single series without holes (`contiguousTallies`).
    @Test(arguments: TestBackend.allCases, [UInt64(0), 1, 2, 3, 4, 5])
    func totalsFromWindowSumsAreTheTotalsFromPeriodSums(_ backend: TestBackend, seed: UInt64) throws {
        let store = try registry(backend, seed: seed)
        if seed == 0 {
            let year = try store.read {
                try CaseStatistics.total(in: $0, matching: TallyFilter(campusID: "c1"), window: .year(2020))
            }
            #expect(year.exact && year.count > 0 && year.seriesChecked == 6)
        }
        try store.read { r in
            for filter in Self.filters {
                // Seeds 0 and 5 have no series with a hole: every "all time" question is then answered from its
                // sums per series alone (`wholeTimeCount`).
                let wholeTime = try r.tallyWindowSums(matching: filter, windows: [Day.first...Day.last])
                if seed == 0 || seed == 5, !wholeTime.isEmpty {
                    #expect(CaseStatistics.wholeTimeCount(wholeTime.mapValues { $0[0] }) != nil, "\(filter)")
                }
                for window in Self.windows {
                    let fast = try CaseStatistics.total(in: r, matching: filter, window: window, seriesLimit: .max)
                    // The same question never answered from the whole-time sums.
                    let byPeriod = try CaseStatistics.total(
                        in: r, matching: filter, window: window, seriesLimit: .max, wholeTimeLimit: 0)
                    let sums = try r.tallySums(matching: filter, by: nil)[nil] ?? []
                    guard let end = window.to ?? sums.map(\.to).max() else {
                        #expect(fast.tallies == 0 && byPeriod.tallies == 0)
                        continue
                    }
                    let slow = CaseStatistics.count(
                        series: try r.tallySeriesSums(matching: filter, from: window.from, to: end),
                        in: DayWindow(from: window.from, to: end))
                    #expect(fast == slow, "seed \(seed), \(filter), \(window)")
                    #expect(byPeriod == slow, "seed \(seed), \(filter), \(window)")
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func tallyCountStopsCountingPastItsLimit(_ backend: TestBackend) throws {
        let store = try registry(backend, seed: 0)
        try store.read { r in
            for filter in Self.filters {
                let all = try r.tallies(matching: filter).count
                guard all > 0 else { continue }
                #expect(try r.tallyCount(matching: filter, atMost: all) == all, "\(filter)")
                #expect(try r.tallyCount(matching: filter, atMost: .max) == all, "\(filter)")
                #expect(try r.tallyCount(matching: filter, atMost: all - 1) == nil, "\(filter)")
                #expect(try r.tallyCount(matching: filter, atMost: 0) == nil, "\(filter)")
            }
            let none = TallyFilter(procedureIDs: ["p1"], departmentID: "d9")
            #expect(try r.tallyCount(matching: none, atMost: 0) == 0)
        }
    }

    @Test(arguments: TestBackend.allCases, [UInt64(8), 9])
    func breakdownsFromWindowSumsAreTheBreakdownsFromPeriodSums(_ backend: TestBackend, seed: UInt64) throws {
        let store = try registry(backend, seed: seed)
        let groupings: [CaseGrouping] = [.department, .campus, .surgeon, .approach, .procedure, .category, .grade]
        try store.read { r in
            let procedures = try r.procedures()
            for filter in Self.filters {
                for window in Self.windows {
                    for grouping in groupings {
                        let rows = try CaseStatistics.rows(
                            in: r, matching: filter, window: window, by: grouping, procedures: procedures)
                        // As rows were counted before window sums: every series read by period.
                        let sums = try r.tallySums(matching: filter, by: nil)[nil] ?? []
                        guard let last = sums.map(\.to).max() else {
                            #expect(rows.isEmpty)
                            continue
                        }
                        let end = window.to ?? last
                        let series = try r.tallySeriesSums(matching: filter, from: window.from, to: end)
                        var groups: [String: [TallySeries: [TallyPeriodSum]]] = [:]
                        for (key, sums) in series {
                            groups[CaseStatistics.groupKey(key, by: grouping, procedures: procedures), default: [:]][
                                key] = sums
                        }
                        let splits = grouping == .campus || grouping == .surgeon
                        let expected = groups.keys.sorted().map { key in
                            CaseStatistics.count(
                                series: groups[key]!, in: DayWindow(from: window.from, to: end),
                                coveredBy: splits ? series : nil)
                        }
                        #expect(
                            rows.map(\.key) == groups.keys.sorted(),
                            "seed \(seed), \(filter), \(window), by \(grouping)")
                        #expect(rows.map(\.count) == expected, "seed \(seed), \(filter), \(window), by \(grouping)")
                    }
                }
            }
        }
    }

    @Test(arguments: TestBackend.allCases, [UInt64(0), 5, 6, 7])
    func theReportsCountsFromWindowSumsAreTheCountsFromPeriodSums(_ backend: TestBackend, seed: UInt64) throws {
        let store = try registry(backend, seed: seed)
        let years = 2017...2021
        let span = (from: Day(year: 2017, month: 1, day: 1), to: Day(year: 2021, month: 12, day: 31))
        try store.read { r in
            for department in [nil, "d1"] {
                let filter = TallyFilter(departmentID: department)
                var counter = try SeriesWindowCounter(in: r, matching: filter, windows: years.map { .year($0) }) {
                    procedures in
                    var narrowed = filter
                    narrowed.procedureIDs = procedures
                    return try r.tallySeriesSums(matching: narrowed, from: span.from, to: span.to)
                }
                let all = try r.tallySeriesSums(matching: filter, from: span.from, to: span.to)
                let subsets: [(String, (TallySeries) -> Bool)] = [
                    ("all", { _ in true }), ("laparoscopic", { $0.approach == .laparoscopic }),
                    ("p2", { $0.procedureID == "p2" }),
                    ("p1 open", { $0.procedureID == "p1" && $0.approach == .open }), ("none", { _ in false }),
                    // Part of a family (one campus's series): counted series by series, not by whole families.
                    ("campus c1", { $0.campusID == "c1" }),
                ]
                for (name, include) in subsets {
                    for (index, year) in years.enumerated() {
                        let fast = try counter.count(include, in: index)
                        let slow = CaseStatistics.count(series: all.filter { include($0.key) }, in: .year(year))
                        #expect(
                            fast.count == slow.count && fast.exact == slow.exact && fast.figure == slow.figure,
                            "\(name) \(year)")
                        #expect(fast.shortfalls == slow.shortfalls, "\(name) \(year)")
                    }
                }
            }
        }
    }

    /// The sums by procedure and approach in one pass are the sums asked procedure by procedure, by approach.
    @Test(arguments: TestBackend.allCases, [UInt64(1), 2])
    func lineSumsAreTheSumsOfEachProcedureByApproach(_ backend: TestBackend, seed: UInt64) throws {
        let store = try registry(backend, seed: seed)
        try store.read { r in
            for department in [nil, "d1"] as [String?] {
                let lines = try r.tallyLineSums(matching: TallyFilter(departmentID: department))
                var expected: [TallyLine: [TallyPeriodSum]] = [:]
                for procedure in ["p1", "p2", "p3"] {
                    for (approach, sums) in try r.tallySums(
                        matching: TallyFilter(procedureIDs: [procedure], departmentID: department), by: .approach)
                    {
                        expected[TallyLine(procedureID: procedure, approach: Approach(rawValue: approach!)!)] = sums
                    }
                }
                #expect(!lines.isEmpty)
                #expect(lines == expected, "\(backend) \(department ?? "hospital")")
            }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func windowSumsAddUpTheTalliesInsideEachWindow(_ backend: TestBackend) throws {
        let store = try registry(backend, seed: 11)
        let tallies = Self.randomTallies(seed: 11)
        let windows = [
            Day.first...Day(year: 2018, month: 12, day: 31),
            Day(year: 2019, month: 1, day: 1)...Day(year: 2019, month: 12, day: 31),
        ]
        let sums = try store.read { try $0.tallyWindowSums(matching: TallyFilter(), windows: windows) }
        let expected = Self.sumsInside(windows, of: tallies)
        // The first and last days are read for a single window open at the start only.
        let bare = expected.mapValues { $0.map { TallyWindowSum(count: $0.count, tallies: $0.tallies, days: $0.days) } }
        #expect(sums == bare)
        let openStart = try store.read { try $0.tallyWindowSums(matching: TallyFilter(), windows: [windows[0]]) }
        #expect(openStart == expected.mapValues { [$0[0]] })
        let closed = try store.read { try $0.tallyWindowSums(matching: TallyFilter(), windows: [windows[1]]) }
        #expect(closed == bare.mapValues { [$0[1]] })
        // The whole of time, summed with no test per tally.
        let wholeTime = try store.read {
            try $0.tallyWindowSums(matching: TallyFilter(), windows: [Day.first...Day.last])
        }
        #expect(wholeTime == Self.sumsInside([Day.first...Day.last], of: tallies))
        #expect(wholeTime.values.contains { $0[0].baselines == 1 }, "a series with a baseline")
        // Windows that all begin after the first day are read from the list of series, each series' tallies
        // within the windows only: the same sums, a series with none inside them listed with zeros.
        let years = [
            Day(year: 2018, month: 1, day: 1)...Day(year: 2018, month: 12, day: 31),
            Day(year: 2019, month: 1, day: 1)...Day(year: 2019, month: 12, day: 31),
        ]
        let byYear = try store.read { try $0.tallyWindowSums(matching: TallyFilter(), windows: years) }
        let expectedByYear = Self.sumsInside(years, of: tallies).mapValues {
            $0.map { TallyWindowSum(count: $0.count, tallies: $0.tallies, days: $0.days) }
        }
        #expect(byYear == expectedByYear)
        #expect(byYear.values.contains { $0.allSatisfy { $0.tallies == 0 } }, "a series with no tally in either year")
    }

    /// Each series' sums of `tallies` lying wholly inside each of `windows`, made by hand (first and last days too).
    static func sumsInside(_ windows: [ClosedRange<Day>], of tallies: [CaseTally]) -> [TallySeries: [TallyWindowSum]] {
        var sums: [TallySeries: [TallyWindowSum]] = [:]
        for t in tallies {
            let key = TallySeries(
                procedureID: t.procedureID, approach: t.approach, departmentID: t.departmentID, campusID: t.campusID,
                surgeonID: t.surgeonID)
            let from = t.from?.firstDay ?? .first
            sums[key] = zip(sums[key] ?? windows.map { _ in TallyWindowSum() }, windows).map { sum, w in
                guard from >= w.lowerBound, t.to.lastDay <= w.upperBound else { return sum }
                return sum
                    + TallyWindowSum(
                        count: t.count, tallies: 1, days: t.to.lastDay.ordinal - from.ordinal + 1, first: from,
                        last: t.to.lastDay, baselines: t.from == nil ? 1 : 0, baseline: t.from == nil ? t.count : 0)
            }
        }
        return sums
    }
}

/// A small seeded random number generator, so a failing registry can be built again.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
