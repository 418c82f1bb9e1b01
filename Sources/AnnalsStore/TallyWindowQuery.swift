import AnnalsModel

/// `tallyWindowSums` as SQL, the same on both dialects but for how a tally's days are counted: for each
/// series, and each window, the count, number and days of the tallies lying wholly inside the window, and the
/// first and last of those days for a single window open at the start (five columns per window, after the five
/// of the series). The first and last are NULL otherwise: a question from a given day is mostly answered by
/// complete series, and for several windows every row would pay for two more comparisons per window; callers
/// then read short series by period. It
/// groups by series only, in the order of the covering index `tally_by_series`, so no sorting is needed and
/// the answer has one row per series, however many tallies and windows there are.
enum TallyWindowQuery {
    /// The query over the tallies meeting `condition`; `days` is the dialect's expression for a tally's
    /// length in days, its open start (a baseline) counted from `Day.first`.
    static func sql(condition: String, windows: [ClosedRange<Day>], days: String) -> String {
        // Days are written by `Day.description`, digits and dashes only, so they go into the text as literals.
        let columns = windows.map { window -> String in
            let inside =
                "COALESCE(from_day, '\(Day.first)') >= '\(window.lowerBound)' AND to_day <= '\(window.upperBound)'"
            return """
                CAST(SUM(CASE WHEN \(inside) THEN count ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN \(inside) THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN \(inside) THEN \(days) ELSE 0 END) AS BIGINT),
                \(windows.count == 1 && window.lowerBound == Day.first ? "MIN(CASE WHEN \(inside) THEN COALESCE(from_day, '\(Day.first)') END), MAX(CASE WHEN \(inside) THEN to_day END)" : "NULL, NULL")
                """
        }
        // With several windows, only the tallies within their span are summed (each tally outside costs every
        // window's sums otherwise) and the series are listed apart (`seriesSQL`); with one, one pass does both.
        let span =
            windows.count > 1
            ? " AND to_day >= '\(windows.map(\.lowerBound).min()!)' AND COALESCE(from_day, '\(Day.first)') <= '\(windows.map(\.upperBound).max()!)'"
            : ""
        return """
            SELECT procedure_id, approach, department_id, campus_id, surgeon_id\(columns.map { ",\n" + $0 }.joined())
            FROM tally WHERE \(condition)\(span)
            GROUP BY procedure_id, approach, department_id, campus_id, surgeon_id
            """
    }

    /// The columns each window adds to a row.
    static let columnsPerWindow = 5

    /// Whether `sql(…)` leaves out series with no tally within the windows' span (`seriesSQL` then lists them).
    static func needsSeriesList(_ windows: [ClosedRange<Day>]) -> Bool { windows.count > 1 }

    /// Every series of the tallies meeting `condition`, in any period (one pass over a covering index in
    /// series order).
    static func seriesSQL(condition: String) -> String {
        "SELECT DISTINCT procedure_id, approach, department_id, campus_id, surgeon_id FROM tally WHERE \(condition)"
    }

    /// SQLite: julianday's difference of two midnights is a whole number.
    static let sqliteDays = "(CAST(julianday(to_day) - julianday(COALESCE(from_day, '\(Day.first)')) AS INTEGER) + 1)"
    /// PostgreSQL: the difference of two dates is whole days.
    static let postgresDays = "(to_day::date - COALESCE(from_day, '\(Day.first)')::date + 1)"
}
