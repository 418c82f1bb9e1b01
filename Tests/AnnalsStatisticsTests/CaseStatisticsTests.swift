import AnnalsModel
import AnnalsStatistics
import Testing

@Suite struct CaseStatisticsTests {
    static func tally(
        _ id: String, _ from: String?, _ to: String, _ count: Int, approach: Approach = .laparoscopic,
        procedure: String = "cce"
    ) -> CaseTally {
        CaseTally(
            id: id, procedureID: procedure, approach: approach, departmentID: "gs",
            from: from.flatMap(PartialDate.init),
            to: PartialDate(to)!, count: count)
    }

    /// A baseline of 300 through 2015, then 2016–2019 yearly, 2021 yearly: 2020 is missing.
    static let withGap = [
        tally("base", nil, "2015-12-31", 300), tally("y16", "2016", "2016", 18), tally("y17", "2017", "2017", 20),
        tally("y18", "2018", "2018", 22), tally("y19", "2019", "2019", 24), tally("y21", "2021", "2021", 30),
    ]

    @Test func allTimeCountWithABaselineAndNoGapIsExact() {
        let complete = Array(Self.withGap.dropLast())
        let c = CaseStatistics.count(complete, in: DayWindow())
        #expect(c.count == 384)
        #expect(c.exact)
        #expect(c.baseline == 300)
        #expect(c.figure == "384")
        #expect(c.explanation.contains("includes a cumulative baseline of 300"))
    }

    @Test func aMissingYearMakesALowerBoundThatSaysWhatIsMissing() {
        let c = CaseStatistics.count(Self.withGap, in: DayWindow())
        #expect(c.count == 414)
        #expect(!c.exact)
        #expect(c.figure == "≥ 414")
        #expect(c.gapDays.map { "\($0.from)…\($0.to)" } == ["2020-01-01…2020-12-31"])
        #expect(c.explanation.contains("2020-01-01 to 2020-12-31 missing"))
    }

    @Test func withoutABaselineTheBeginningIsUnknown() {
        let c = CaseStatistics.count(Array(Self.withGap.dropFirst().dropLast()), in: DayWindow())
        #expect(c.count == 84)
        #expect(!c.exact)
        #expect(c.startUnknown)
        #expect(c.explanation.contains("nothing is recorded before 2016-01-01"))
    }

    @Test func aWindowCuttingThroughATallyGivesBounds() {
        let c = CaseStatistics.count(
            Self.withGap,
            in: DayWindow(from: Day(year: 2017, month: 7, day: 1), to: Day(year: 2018, month: 12, day: 31)))
        #expect(c.count == 22)
        #expect(c.straddling == 20)
        #expect(!c.exact)
        #expect(c.figure.hasPrefix("≥ 22"))
    }

    @Test func aYearWindowIsExactWhenTheYearIsTallied() {
        let c = CaseStatistics.count(Self.withGap, in: .year(2018))
        #expect(c.count == 22 && c.exact)
        let missing = CaseStatistics.count(Self.withGap, in: .year(2020))
        #expect(missing.count == 0 && !missing.exact, "no tally is not the same as no operations")
        let afterBaseline = CaseStatistics.count(
            Self.withGap,
            in: DayWindow(from: Day(year: 2016, month: 1, day: 1), to: Day(year: 2019, month: 12, day: 31)))
        #expect(afterBaseline.count == 84 && afterBaseline.exact && afterBaseline.baseline == 0)
    }

    @Test func monthsAddUpAcrossCampusesAndOverlappingSeries() {
        let tallies = [
            Self.tally("a", "2020-01", "2020-06", 10), Self.tally("b", "2020-07", "2020-12", 12),
            Self.tally("c", "2020-01-01", "2020-12-31", 5, approach: .robotic),
        ]
        let c = CaseStatistics.count(tallies, in: .year(2020))
        #expect(c.count == 27 && c.exact)
    }

    @Test func byYearWithBaselineRowAndRunningTotals() {
        let rows = CaseStatistics.timeRows(
            TallyPeriodSum.of(Array(Self.withGap.dropLast())), in: DayWindow(), by: .year, cumulative: true)
        #expect(rows.map(\.key) == ["through 2015-12-31 (baseline)", "2016", "2017", "2018", "2019"])
        #expect(rows.map(\.count.count) == [300, 18, 20, 22, 24])
        #expect(rows.compactMap(\.cumulative?.count) == [300, 318, 338, 360, 384])
        #expect(rows.allSatisfy { $0.cumulative?.exact == true })
    }

    @Test func milestonesArePlacedAsPreciselyAsTheTalliesAllow() {
        let tallies = Array(Self.withGap.dropLast()) + [Self.tally("m", "2020-03", "2020-03", 150)]
        let milestones = CaseStatistics.milestones(tallies)
        #expect(milestones.map(\.threshold) == [100, 200, 500])
        let day = { (text: String) in Day(text)! }
        #expect(milestones[0].placement == MilestonePlacement(precision: .baseline, from: nil, to: day("2015-12-31")))
        #expect(
            milestones[2].placement
                == MilestonePlacement(precision: .month, from: day("2020-03-01"), to: day("2020-03-31")))
        #expect(milestones[2].total == 534)
        #expect(
            CaseStatistics.milestones(tallies, thresholds: [350]).map(\.placement) == [
                MilestonePlacement(precision: .year, from: day("2018-01-01"), to: day("2018-12-31"))
            ])
    }

    @Test func sharesByGroupAndByYear() {
        let whole = [
            "gs": TallyPeriodSum.of([
                Self.tally("a", "2020", "2020", 30), Self.tally("b", "2020", "2020", 10, approach: .open),
            ])
        ]
        let part = ["gs": TallyPeriodSum.of([Self.tally("a", "2020", "2020", 30)])]
        let byGroup = CaseStatistics.shares(part: part, whole: whole, in: DayWindow(), byYear: false)
        #expect(byGroup.map(\.key) == ["gs"])
        #expect(byGroup.first?.ratio == 0.75)
        let byYear = CaseStatistics.shares(part: part, whole: whole, in: DayWindow(), byYear: true)
        #expect(byYear.map(\.key) == ["2020"])
        #expect(byYear.first?.part == 30 && byYear.first?.whole == 40 && byYear.first?.exact == true)
    }

    @Test func categoryAndGradeGroupsComeFromTheVocabulary() {
        let procedures = [
            Procedure(id: "cce", preferredTerm: "CCE", category: "hepatobiliary", grade: 4),
            Procedure(id: "appendectomy", preferredTerm: "Appendectomy", category: "gastrointestinal", grade: 2),
            Procedure(id: "kasai", preferredTerm: "Kasai", category: "hepatobiliary", grade: 4),
        ]
        let sums: [String?: [TallyPeriodSum]] = [
            "cce": TallyPeriodSum.of([Self.tally("a", "2020", "2020", 30)]),
            "kasai": TallyPeriodSum.of([Self.tally("k", "2020", "2020", 5, procedure: "kasai")]),
            "appendectomy": TallyPeriodSum.of([Self.tally("b", "2020", "2020", 10, procedure: "appendectomy")]),
        ]
        let grades = CaseStatistics.groupRows(
            CaseStatistics.regroup(sums, by: .grade, procedures: procedures), in: .year(2020))
        #expect(grades.map(\.key) == ["grade 2", "grade 4"])
        #expect(grades.map(\.count.count) == [10, 35])
        let categories = CaseStatistics.regroup(sums, by: .category, procedures: procedures)
        #expect(categories.keys.sorted() == ["gastrointestinal", "hepatobiliary"])
    }
}
