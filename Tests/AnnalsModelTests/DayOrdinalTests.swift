import AnnalsModel
import Testing

/// `Day.ordinal` and `Day(ordinal:)` compute directly what the loops they replaced counted (issue 20); the
/// loops are kept here as the reference.
@Suite struct DayOrdinalTests {
    static func referenceOrdinal(_ d: Day) -> Int {
        let y = d.year - 1
        var days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<d.month { days += PartialDate.daysIn(month: m, year: d.year) }
        return days + d.day - 1
    }

    static func referenceDay(ordinal: Int) -> Day {
        var year = max(1, ordinal / 366)
        while referenceOrdinal(Day(year: year + 1, month: 1, day: 1)) <= ordinal { year += 1 }
        var rest = ordinal - referenceOrdinal(Day(year: year, month: 1, day: 1))
        var month = 1
        while rest >= PartialDate.daysIn(month: month, year: year) {
            rest -= PartialDate.daysIn(month: month, year: year)
            month += 1
        }
        return Day(year: year, month: month, day: rest + 1)
    }

    @Test func everyDayOfYears1To3000RoundTripsAsTheReferenceCounts() {
        var expected = 0
        var failures = 0
        for year in 1...3000 {
            for month in 1...12 {
                for day in 1...PartialDate.daysIn(month: month, year: year) {
                    let d = Day(year: year, month: month, day: day)
                    // One day after the other, from 0 on 0001-01-01, as the reference counts them.
                    if d.ordinal != expected || Day(ordinal: expected) != d || Self.referenceOrdinal(d) != expected {
                        failures += 1
                        if failures <= 5 { Issue.record("\(d): ordinal \(d.ordinal), expected \(expected)") }
                    }
                    expected += 1
                }
            }
        }
        #expect(failures == 0)
        #expect(expected == Day(year: 3001, month: 1, day: 1).ordinal)
    }

    @Test func theReferenceFindsTheSameDays() {
        // The reference's Day(ordinal:) is slow (a loop over years): every 7th day of the 3000 years, and the
        // days around every year's end and February.
        var ordinals = Array(stride(from: 0, to: Day(year: 3001, month: 1, day: 1).ordinal, by: 7))
        for year in [1, 2, 3, 4, 5, 99, 100, 101, 399, 400, 401, 1600, 1700, 1900, 2000, 2024, 2100, 2400, 2999] {
            let first = Day(year: year, month: 1, day: 1).ordinal
            ordinals += [first - 1, first, first + 58, first + 59, first + 60, first + 364, first + 365]
        }
        for ordinal in ordinals where ordinal >= 0 {
            #expect(Day(ordinal: ordinal) == Self.referenceDay(ordinal: ordinal), "ordinal \(ordinal)")
        }
    }

    @Test func daysBeforeTheFirstAndFarYearsAreAsBefore() {
        // Before 0001-01-01 there is no calendar day; both give January of year 1, counted back.
        for ordinal in [-1, -2, -31, -400, -100_000] {
            #expect(Day(ordinal: ordinal) == Self.referenceDay(ordinal: ordinal))
        }
        for day in [
            Day(year: 9999, month: 12, day: 31), Day(year: 12000, month: 2, day: 29), Day(year: 3001, month: 3, day: 1),
        ] {
            #expect(day.ordinal == Self.referenceOrdinal(day))
            #expect(Day(ordinal: day.ordinal) == day)
        }
        // A month past December (no calendar date, but a Day can hold it) counts as the loop counted it.
        let odd = Day(year: 2020, month: 14, day: 3)
        #expect(odd.ordinal == Self.referenceOrdinal(odd))
        #expect(Day(year: 2024, month: 3, day: 1).previous == Day(year: 2024, month: 2, day: 29))
        #expect(Day(year: 2023, month: 12, day: 31).next == Day(year: 2024, month: 1, day: 1))
    }
}
