import AnnalsModel

/// What both backends' `upsertTallies` share: how a batch is cut into statements and what a stored row
/// is compared with. Nothing here writes; every tally write of a batch is in `upsertTallies` itself.
enum TallyBatch {
    /// The row in the registry a tally replaces: the one with its id or, failing that, the one with its
    /// series and period.
    struct Stored {
        /// The row as a tally (what goes into the tally's history when it is replaced).
        var tally: CaseTally
        /// The row's series and period as stored.
        var identity: TallyIdentity
        /// The row's columns after `id`, as `columns(of:)` gives a tally's, to tell an unchanged tally.
        var columns: [String?]
    }

    /// A tally's columns after `id`, in the order of `insertColumns`, as text (nil: NULL); `identity` is the
    /// tally's (made once per tally by the caller: it writes out two days).
    static func columns(of tally: CaseTally, identity: TallyIdentity) -> [String?] {
        [
            tally.procedureID, tally.approach.rawValue, tally.departmentID, tally.campusID, tally.surgeonID,
            tally.from?.description,
            tally.to.description, identity.fromDay, identity.toDay, String(tally.count), tally.source, tally.note,
        ]
    }

    /// Where the count is among `columns(of:)` (the one column that is not text).
    static let countColumn = 9

    /// The columns `upsertTallies` writes, `id` first.
    static let insertColumns = [
        "id", "procedure_id", "approach", "department_id", "campus_id", "surgeon_id", "period_from", "period_to",
        "from_day",
        "to_day", "count", "source", "note",
    ]

    /// `ON CONFLICT (id) DO UPDATE SET …` for every column after `id`.
    static let replaceOnConflict =
        "ON CONFLICT (id) DO UPDATE SET "
        + insertColumns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// The columns a look-up selects (the stored row, for `Stored`): `RegistrySnapshot.tallyColumns`, then the days.
    static let storedColumns = RegistrySnapshot.tallyColumns + ", from_day, to_day"

    /// The stored row's identity and comparable columns from the values of `storedColumns` (as text).
    static func stored(_ tally: CaseTally, values v: [String?]) -> Stored {
        // v: id, procedure_id, approach, department_id, campus_id, surgeon_id, period_from, period_to, count, source, note,
        //    from_day, to_day
        let identity = TallyIdentity(
            procedureID: v[1] ?? "", approach: v[2] ?? "", departmentID: v[3] ?? "", campusID: v[4], surgeonID: v[5],
            fromDay: v[11], toDay: v[12] ?? "")
        return Stored(
            tally: tally, identity: identity,
            columns: [v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[11], v[12], v[8], v[9], v[10]])
    }

    /// Picks, for each tally of a window, the row it replaces among the look-up's answers: the row with its
    /// id if there is one, else the row with its series and period (the smallest id, should there be more).
    struct Matches {
        private var byID: [Int: Stored] = [:]
        private var bySeries: [Int: Stored] = [:]

        mutating func add(_ stored: Stored, for index: Int, byID: Bool) {
            if byID {
                self.byID[index] = stored
            } else if let known = bySeries[index], known.tally.id <= stored.tally.id {
                return
            } else {
                bySeries[index] = stored
            }
        }

        subscript(index: Int) -> Stored? { byID[index] ?? bySeries[index] }
    }

    /// The tallies of one statement: a tally joins only when neither its look-up nor its write can depend on
    /// a tally before it in the statement (the same id, series and period, or stored row), so that writing
    /// them all at once does exactly what writing them one by one would. A tally that may depend on an
    /// earlier one waits for the next statement, whose look-up then sees the earlier one written.
    struct Statement {
        private enum Key: Hashable {
            case id(String)
            case identity(TallyIdentity)
        }
        private var keys: Set<Key> = []

        /// False, and nothing noted, when `tally` (whose identity is `identity`) must wait for the next statement.
        mutating func admit(_ tally: CaseTally, identity: TallyIdentity, replacing stored: Stored?) -> Bool {
            var mine: [Key] = [.id(tally.id), .identity(identity)]
            if let stored { mine += [.id(stored.tally.id), .identity(stored.identity)] }
            if mine.contains(where: keys.contains) { return false }
            keys.formUnion(mine)
            return true
        }
    }

    /// The key columns of `tally_rollup` and of `tally_line_rollup`, in the order of `RollupKey.values` and
    /// `LineKey.values`.
    static let rollupColumns = ["department_id", "approach", "campus_id", "surgeon_id", "from_day", "to_day"]
    static let lineColumns = ["procedure_id", "approach", "from_day", "to_day"]

    /// A key of `tally_rollup`: department, approach, campus, surgeon and period, "" for none.
    struct RollupKey: Hashable {
        var departmentID: String
        var approach: String
        var campusID: String
        var surgeonID: String
        var fromDay: String
        var toDay: String

        init(_ identity: TallyIdentity) {
            departmentID = identity.departmentID
            approach = identity.approach
            campusID = identity.campusID ?? ""
            surgeonID = identity.surgeonID ?? ""
            fromDay = identity.fromDay ?? ""
            toDay = identity.toDay
        }

        var values: [String] { [departmentID, approach, campusID, surgeonID, fromDay, toDay] }
    }

    /// A key of `tally_line_rollup`: procedure, approach and period, "" for an open start.
    struct LineKey: Hashable {
        var procedureID: String
        var approach: String
        var fromDay: String
        var toDay: String

        init(_ identity: TallyIdentity) {
            procedureID = identity.procedureID
            approach = identity.approach
            fromDay = identity.fromDay ?? ""
            toDay = identity.toDay
        }

        var values: [String] { [procedureID, approach, fromDay, toDay] }
    }

    /// A key of `tally_series`: procedure, approach, department, campus and surgeon, "" for none.
    struct SeriesKey: Hashable {
        var procedureID: String
        var approach: String
        var departmentID: String
        var campusID: String
        var surgeonID: String

        init(_ identity: TallyIdentity) {
            procedureID = identity.procedureID
            approach = identity.approach
            departmentID = identity.departmentID
            campusID = identity.campusID ?? ""
            surgeonID = identity.surgeonID ?? ""
        }

        var values: [String] { [procedureID, approach, departmentID, campusID, surgeonID] }
    }

    /// What a batch adds to one sum of `tally_rollup` or `tally_line_rollup`.
    struct RollupChange {
        var count = 0
        var tallies = 0

        mutating func add(_ count: Int) {
            self.count += count
            tallies += 1
        }

        mutating func remove(_ count: Int) {
            self.count -= count
            tallies -= 1
        }
    }
}
