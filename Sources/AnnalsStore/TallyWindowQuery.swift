import AnnalsModel

/// `tallyWindowSums` as SQL, the same on both dialects but for how a tally's days are counted: for each
/// series, and each window, the count, number and days of the tallies lying wholly inside the window, and the
/// first and last of those days and the baselines among them for a single window open at the start (seven
/// columns per window, after the five of the series). Those four are NULL otherwise: a question from a given
/// day is mostly answered by complete series, and for several windows every row would pay for more
/// comparisons per window; callers then read short series by period. It groups by series only, in the order of
/// the covering index `tally_by_series`, so no sorting is needed and the answer has one row per series, however
/// many tallies and windows there are. When every window begins after the first day, `seriesJoinSQL` gives the same rows from the list of series and each series' tallies
/// within the windows only.
enum TallyWindowQuery {
    /// The query over the tallies meeting `condition`; `days` is the dialect's expression for a tally's
    /// length in days, its open start (a baseline) counted from `Day.first`.
    static func sql(condition: String, windows: [ClosedRange<Day>], days: String) -> String {
        // With several windows, only the tallies within their span are summed (each tally outside costs every
        // window's sums otherwise) and the series are listed apart (`seriesSQL`); with one, one pass does both.
        let span =
            windows.count > 1
            ? " AND to_day >= '\(windows.map(\.lowerBound).min()!)' AND COALESCE(from_day, '\(Day.first)') <= '\(windows.map(\.upperBound).max()!)'"
            : ""
        return """
            SELECT procedure_id, approach, department_id, campus_id, surgeon_id\(columns(windows, days: days))
            FROM tally WHERE \(condition)\(span)
            GROUP BY procedure_id, approach, department_id, campus_id, surgeon_id
            """
    }

    /// Whether `seriesJoinSQL` answers for `windows`: every one begins after `Day.first`, so no cumulative
    /// baseline (whose start is open) lies inside one, and the tallies inside them all begin within their span.
    static func readsSeriesList(_ windows: [ClosedRange<Day>]) -> Bool {
        !windows.isEmpty && windows.allSatisfy { $0.lowerBound > Day.first }
    }

    /// What `sql` gives for windows that `readsSeriesList`, from the series of `tally_series` meeting
    /// `condition` (every part of the question's filter, on the series' columns), each joined to its tallies
    /// that begin within the windows' span: SQLite finds them through `tally_by_series` by series and first
    /// day, so a question over five years of a procedure reads those five years' tallies, not all of them.
    /// A series with none inside gets zero sums. `same` is the dialect's equality that holds between two
    /// NULLs (SQLite `IS`, PostgreSQL `IS NOT DISTINCT FROM`).
    static func seriesJoinSQL(condition: String, windows: [ClosedRange<Day>], days: String, same: String) -> String {
        let start = windows.map(\.lowerBound).min()!
        let end = windows.map(\.upperBound).max()!
        return """
            SELECT s.procedure_id, s.approach, s.department_id, NULLIF(s.campus_id, ''), NULLIF(s.surgeon_id, '')\(columns(windows, days: days))
            FROM (SELECT * FROM tally_series WHERE \(condition)) s
            LEFT JOIN tally t ON t.procedure_id = s.procedure_id AND t.approach = s.approach
             AND t.department_id = s.department_id AND t.campus_id \(same) NULLIF(s.campus_id, '')
             AND t.surgeon_id \(same) NULLIF(s.surgeon_id, '')
             AND t.from_day >= '\(start)' AND t.from_day <= '\(end)' AND t.to_day <= '\(end)'
            GROUP BY s.procedure_id, s.approach, s.department_id, s.campus_id, s.surgeon_id
            """
    }

    /// The seven columns of each window, each with a comma before it: count, tallies and days of the tallies
    /// inside it, and for a single window open at the start their first and last day and how many baselines
    /// (open at the start) they hold and the baselines' count (NULL otherwise). Only columns of `tally` are
    /// named, so that they mean the same in `seriesJoinSQL`.
    private static func columns(_ windows: [ClosedRange<Day>], days: String) -> String {
        // Days are written by `Day.description`, digits and dashes only, so they go into the text as literals.
        let columns = windows.map { window -> String in
            let openStart = windows.count == 1 && window.lowerBound == Day.first
            // Over the whole of time every tally is inside: plain sums, no test per tally (an "all time" question).
            func inside(_ value: String, otherwise: String?) -> String {
                if openStart && window.upperBound == Day.last { return value }
                let test =
                    "COALESCE(from_day, '\(Day.first)') >= '\(window.lowerBound)' AND to_day <= '\(window.upperBound)'"
                return "CASE WHEN \(test) THEN \(value)\(otherwise.map { " ELSE \($0)" } ?? "") END"
            }
            let sums = """
                CAST(SUM(\(inside("count", otherwise: "0"))) AS BIGINT), CAST(SUM(\(inside("1", otherwise: "0"))) AS BIGINT),
                CAST(SUM(\(inside(days, otherwise: "0"))) AS BIGINT)
                """
            guard openStart else { return sums + ", NULL, NULL, NULL, NULL" }
            return sums + """
                ,
                MIN(\(inside("COALESCE(from_day, '\(Day.first)')", otherwise: nil))), MAX(\(inside("to_day", otherwise: nil))),
                CAST(SUM(\(inside("CASE WHEN from_day IS NULL THEN 1 ELSE 0 END", otherwise: "0"))) AS BIGINT),
                CAST(SUM(\(inside("CASE WHEN from_day IS NULL THEN count ELSE 0 END", otherwise: "0"))) AS BIGINT)
                """
        }
        return columns.map { ",\n" + $0 }.joined()
    }

    /// The columns each window adds to a row.
    static let columnsPerWindow = 7

    /// Whether `sql(…)` leaves out series with no tally within the windows' span (`seriesSQL` then lists them).
    static func needsSeriesList(_ windows: [ClosedRange<Day>]) -> Bool { windows.count > 1 }

    /// Every series of the tallies meeting `condition` (on the series' columns), in any period, from
    /// `tally_series`.
    static func seriesSQL(condition: String) -> String {
        """
        SELECT procedure_id, approach, department_id, NULLIF(campus_id, ''), NULLIF(surgeon_id, '') FROM tally_series
        WHERE \(condition)
        """
    }

    /// How many tallies meet `condition`, counted no further than `limit` + 1 (`tallyCount(matching:atMost:)`).
    static func countSQL(condition: String, limit: Int) -> String {
        "SELECT COUNT(*) FROM (SELECT 1 FROM tally WHERE \(condition) LIMIT \(limit == .max ? limit : limit + 1)) AS found"
    }

    /// SQLite: julianday's difference of two midnights is a whole number.
    static let sqliteDays = "(CAST(julianday(to_day) - julianday(COALESCE(from_day, '\(Day.first)')) AS INTEGER) + 1)"
    /// PostgreSQL: the difference of two dates is whole days.
    static let postgresDays = "(to_day::date - COALESCE(from_day, '\(Day.first)')::date + 1)"
}
