import AnnalsModel
import AnnalsStatistics
import Testing

/// A total is exact only when every series in it covers the window, whatever the other series cover.
@Suite struct SeriesExactnessTests {
    static func series(
        _ procedure: String, _ approach: Approach, campus: String? = nil, surgeon: String? = nil
    ) -> TallySeries {
        TallySeries(
            procedureID: procedure, approach: approach, departmentID: "gs", campusID: campus, surgeonID: surgeon)
    }

    static func sum(_ from: String?, _ to: String, _ count: Int) -> TallyPeriodSum {
        TallyPeriodSum(
            from: from.flatMap(PartialDate.init)?.firstDay, to: PartialDate(to)!.lastDay, count: count, tallies: 1)
    }

    static func years(_ range: ClosedRange<Int>, _ count: Int) -> [TallyPeriodSum] {
        range.map { sum("\($0)", "\($0)", count) }
    }

    @Test func twoMonthsOfOneSeriesAreNotTheYearsTotal() {
        // The whole of 2025 for one series is entered; the other series, tallied every year before, are not.
        let sums: [TallySeries: [TallyPeriodSum]] = [
            Self.series("appendectomy", .laparoscopic): Self.years(2016...2024, 500) + [Self.sum("2025", "2025", 150)],
            Self.series("meso-rex", .open): [],
            Self.series("hirschsprung", .laparoscopic): [],
        ]
        let c = CaseStatistics.count(series: sums, in: .year(2025))
        #expect(c.count == 150)
        #expect(!c.exact)
        #expect(c.figure == "≥ 150")
        #expect(c.shortfalls.map(\.series.procedureID) == ["hirschsprung", "meso-rex"])
        #expect(c.shortfalls.allSatisfy { $0.absent })
        #expect(c.explanation.contains("2 of the series in this total are incomplete"))
        #expect(c.explanation.contains("open meso-rex, gs: not tallied in this period"))
        // By period alone the same sums looked exact: that is the bug this guards against.
        #expect(CaseStatistics.count(sums.values.flatMap { $0 }, in: .year(2025)).exact)
    }

    @Test func aSeriesWithoutABaselineMakesTheAllTimeTotalALowerBound() {
        let sums: [TallySeries: [TallyPeriodSum]] = [
            Self.series("cce", .laparoscopic): [Self.sum(nil, "2015-12-31", 300)] + Self.years(2016...2024, 20),
            Self.series("cce", .robotic, campus: "binjiang"): Self.years(2018...2024, 8),
        ]
        let c = CaseStatistics.count(series: sums, in: DayWindow())
        #expect(c.count == 300 + 9 * 20 + 7 * 8)
        #expect(!c.exact)
        #expect(c.shortfalls.count == 1)
        #expect(c.shortfalls[0].series == Self.series("cce", .robotic, campus: "binjiang"))
        #expect(c.shortfalls[0].explanation.contains("nothing tallied before 2018-01-01"))
        let fromStart = CaseStatistics.count(series: sums, in: DayWindow(from: Day(year: 2018, month: 1, day: 1)))
        #expect(fromStart.exact, "\(fromStart.explanation)")
    }

    @Test func campusesTalliedApartCoverTheDepartmentTogether() {
        let whole = Self.series("cce", .laparoscopic)
        let binjiang = Self.series("cce", .laparoscopic, campus: "binjiang")
        let hubin = Self.series("cce", .laparoscopic, campus: "hubin")
        var sums: [TallySeries: [TallyPeriodSum]] = [
            whole: [Self.sum(nil, "2015-12-31", 300)] + Self.years(2016...2019, 20),
            binjiang: Self.years(2020...2024, 12), hubin: Self.years(2020...2024, 10),
        ]
        let all = CaseStatistics.count(series: sums, in: DayWindow())
        #expect(all.exact, "\(all.explanation)")
        #expect(all.count == 300 + 80 + 60 + 50)
        #expect(
            CaseStatistics.count(series: sums, in: .year(2018)).exact, "the whole-department tally covers both campuses"
        )
        // One campus stops a year early: the total is a lower bound, and says which campus.
        sums[hubin] = Self.years(2020...2023, 10)
        let short = CaseStatistics.count(
            series: sums,
            in: DayWindow(from: Day(year: 2016, month: 1, day: 1), to: Day(year: 2024, month: 12, day: 31)))
        #expect(!short.exact)
        #expect(short.shortfalls.map(\.series) == [hubin])
        #expect(short.shortfalls[0].explanation.contains("2024-01-01 to 2024-12-31 missing"))
    }

    @Test func surgeonsTalliedApartMustEachBeCovered() {
        let sums: [TallySeries: [TallyPeriodSum]] = [
            Self.series("cce", .robotic, surgeon: "p1"): Self.years(2020...2021, 5),
            Self.series("cce", .robotic, surgeon: "p2"): Self.years(2020...2020, 4),
        ]
        let c = CaseStatistics.count(series: sums, in: .year(2021))
        #expect(!c.exact)
        #expect(c.shortfalls.map(\.series.surgeonID) == ["p2"])
        #expect(CaseStatistics.count(series: sums, in: .year(2020)).exact)
    }

    @Test func aTallyOverTheEdgeLeavesItsSeriesShort() {
        let sums: [TallySeries: [TallyPeriodSum]] = [
            Self.series("cce", .laparoscopic): [Self.sum("2020-07", "2021-06", 10)] + [
                Self.sum("2021-07", "2021-12", 6)
            ],
            Self.series("cce", .open): Self.years(2020...2021, 3),
        ]
        let c = CaseStatistics.count(series: sums, in: .year(2021))
        #expect(!c.exact)
        #expect(c.count == 9)
        #expect(c.figure == "between 9 and 19", "the missing days are in a tally that runs over the edge")
    }
}

extension SeriesExactnessTests {
    @Test func aBreakdownByCampusChecksEachRowAgainstTheWholeSeries() {
        let whole = Self.series("cce", .laparoscopic)
        let binjiang = Self.series("cce", .laparoscopic, campus: "binjiang")
        let hubin = Self.series("cce", .laparoscopic, campus: "hubin")
        let all: [TallySeries: [TallyPeriodSum]] = [
            whole: Self.years(2016...2019, 20), binjiang: Self.years(2020...2024, 12),
            hubin: Self.years(2020...2023, 10),
        ]
        let window = DayWindow(from: Day(year: 2020, month: 1, day: 1), to: Day(year: 2024, month: 12, day: 31))
        let wholeRow = CaseStatistics.count(series: [whole: all[whole]!], in: window, coveredBy: all)
        #expect(wholeRow.count == 0)
        #expect(
            wholeRow.shortfalls.map(\.series) == [hubin], "the whole-department row is short only where the split is")
        let binjiangRow = CaseStatistics.count(series: [binjiang: all[binjiang]!], in: window, coveredBy: all)
        #expect(binjiangRow.count == 60)
        #expect(binjiangRow.exact, "binjiang is tallied for every day: hubin's missing 2024 is hubin's row's")
        let hubinRow = CaseStatistics.count(series: [hubin: all[hubin]!], in: window, coveredBy: all)
        #expect(hubinRow.shortfalls.map(\.series) == [hubin])
        let complete = all.merging([hubin: Self.years(2020...2024, 10)]) { _, new in new }
        #expect(CaseStatistics.count(series: [binjiang: complete[binjiang]!], in: window, coveredBy: complete).exact)
        let wholeComplete = CaseStatistics.count(series: [whole: complete[whole]!], in: window, coveredBy: complete)
        #expect(
            wholeComplete.exact && wholeComplete.count == 0,
            "none of these years was tallied for the whole department: exactly 0 there")
    }
}
