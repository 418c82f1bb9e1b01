import AnnalsModel
import Foundation
internal import GRDB

/// Read access to the registry, inside `RegistryStore.read` or `write`. Every list is in id order.
class RegistrySnapshot: RegistryReading, TallyReading {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// Called before `tally_series` is read: a transaction that wrote tallies brings it up to date first.
    func willReadSeriesList() throws {}

    /// Rows of a statement written with `?1`, `?2` …, every column read as text (see `ChangeLogSQL`).
    func textRows(_ sql: String, _ arguments: [String?]) throws -> [[String?]] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            (0..<row.count).map { i -> String? in
                let value: DatabaseValue = row[i]
                if value.isNull { return nil }
                return String.fromDatabaseValue(value) ?? Int64.fromDatabaseValue(value).map { String($0) }
            }
        }
    }

    public func orgUnits() throws -> [OrgUnit] { try decodeAll("org_unit") }
    public func people() throws -> [Person] { try decodeAll("person") }
    public func journals() throws -> [Journal] { try decodeAll("journal") }
    public func procedures() throws -> [Procedure] { try decodeAll("procedure") }
    public func projects() throws -> [Project] { try decodeAll("project") }
    public func patents() throws -> [Patent] { try decodeAll("patent") }
    public func awards() throws -> [Award] { try decodeAll("award") }

    /// Every publication in id order, one at a time (the registry may hold very many).
    public func forEachPublication(_ body: (Publication) throws -> Void) throws {
        try forEachPublication(year: nil, department: nil, person: nil, body)
    }

    public func forEachPublication(
        year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void
    ) throws {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible] = []
        if let year {
            conditions.append("year = ?")
            arguments.append(year)
        }
        if let department {
            conditions.append("id IN (SELECT publication_id FROM publication_department WHERE department_id = ?)")
            arguments.append(department)
        }
        if let person {
            conditions.append("id IN (SELECT publication_id FROM publication_author WHERE person_id = ?)")
            arguments.append(person)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(
            db, sql: "SELECT body FROM publication \(filter) ORDER BY id", arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            try body(try Self.decode(Publication.self, from: row[0]))
        }
    }

    public func forEachPublicationSummary(year: Int, department: String?, _ body: (PublicationSummary) throws -> Void)
        throws
    {
        var arguments: [DatabaseValueConvertible] = [year]
        var filter = ""
        if let department {
            filter = " AND id IN (SELECT publication_id FROM publication_department WHERE department_id = ?)"
            arguments.append(department)
        }
        // The journal reference alone is taken out of the body: decoding a few fields instead of the whole paper.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, published, json_extract(body, '$.journal'), retracted,
                       (SELECT group_concat(department_id, char(31)) FROM publication_department d WHERE d.publication_id = p.id),
                       (SELECT group_concat(person_id, char(31)) FROM publication_author a
                        WHERE a.publication_id = p.id AND person_id IS NOT NULL AND (is_first OR is_corresponding))
                FROM publication p WHERE year = ?\(filter) ORDER BY id
                """, arguments: StatementArguments(arguments))
        var journals = JournalReferenceParser()
        while let row = try rows.next() {
            let journal = try journals.parse(row[2])
            let departments = (row[4] as String?).map { $0.split(separator: "\u{1F}").map(String.init).sorted() } ?? []
            try body(
                PublicationSummary(
                    id: row[0], published: (row[1] as String?).flatMap(PartialDate.init), journal: journal,
                    departmentIDs: departments, isRetracted: row[3],
                    leadAuthorIDs: (row[5] as String?).map {
                        Set($0.split(separator: "\u{1F}").map(String.init)).sorted()
                    } ?? []))
        }
    }

    public func staffCensus() throws -> [StaffCensus] {
        try Row.fetchAll(
            db, sql: "SELECT id, department_id, category, count, as_of, note FROM staff_census ORDER BY id"
        )
        .map { row in
            guard let category = StaffCategory(rawValue: row[2]), let asOf = PartialDate(row[4] as String) else {
                throw StoreError(.other, "staff census '\(row[0] as String)' is damaged in the registry")
            }
            return StaffCensus(
                id: row[0], departmentID: row[1], category: category, count: row[3], asOf: asOf, note: row[5])
        }
    }

    /// Every case tally in id order, one at a time.
    public func forEachTally(_ body: (CaseTally) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.tallyColumns) FROM tally ORDER BY id")
        while let row = try rows.next() { try body(try Self.tally(row)) }
    }

    static let tallyColumns = """
        id, procedure_id, approach, department_id, campus_id, surgeon_id, period_from, period_to, count, source, note
        """

    static func tally(_ row: Row) throws -> CaseTally {
        let fromText: String? = row[6]
        guard let approach = Approach(rawValue: row[2]), let to = PartialDate(row[7] as String) else {
            throw StoreError(.other, "case tally '\(row[0] as String)' is damaged in the registry")
        }
        return CaseTally(
            id: row[0], procedureID: row[1], approach: approach, departmentID: row[3], campusID: row[4],
            surgeonID: row[5], from: fromText.flatMap(PartialDate.init), to: to, count: row[8], source: row[9],
            note: row[10])
    }

    func tallies(where condition: String, _ arguments: [DatabaseValueConvertible?]) throws -> [CaseTally] {
        try Row.fetchAll(
            db, sql: "SELECT \(Self.tallyColumns) FROM tally WHERE \(condition) ORDER BY id",
            arguments: StatementArguments(arguments)
        ).map(Self.tally)
    }

    /// Which of `ids` exist as records of `kind`.
    public func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let table = Self.table(for: kind)
        var found: Set<String> = []
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM \(table) WHERE id = ?")
        for id in ids where try Bool.fetchOne(statement, arguments: [id]) == true {
            found.insert(id)
        }
        return found
    }

    /// How many records of each kind the registry holds.
    public func counts() throws -> [EntityKind: Int] {
        var counts: [EntityKind: Int] = [:]
        for kind in EntityKind.allCases {
            counts[kind] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(Self.table(for: kind))") ?? 0
        }
        return counts
    }

    /// The sum of all case tallies, for a quick summary.
    public func totalCases() throws -> Int {
        var total = 0
        try Self.summing {
            if let row = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0), COUNT(*) FROM tally") {
                total = try Self.sum(row[0] as DatabaseValue, of: row[1])
            }
        }
        return total
    }

    static func table(for kind: EntityKind) -> String {
        switch kind {
        case .orgUnit: "org_unit"
        case .campus: "campus"
        case .person: "person"
        case .journal: "journal"
        case .procedure: "procedure"
        case .project: "project"
        case .publication: "publication"
        case .patent: "patent"
        case .award: "award"
        case .staffCensus: "staff_census"
        case .tally: "tally"
        }
    }

    private func decodeAll<T: Decodable>(_ table: String) throws -> [T] {
        try String.fetchAll(db, sql: "SELECT body FROM \(table) ORDER BY id").map { try Self.decode(T.self, from: $0) }
    }

    /// A stored publication: read by the canonical JSON reader when the body is in the form Annals writes, by
    /// `JSONDecoder` otherwise.
    static func decode(_ type: Publication.Type, from body: String) throws -> Publication {
        if let publication = Publication(canonicalJSON: body) { return publication }
        return try decodeWithFoundation(Publication.self, from: body)
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: String) throws -> T {
        try decodeWithFoundation(type, from: body)
    }

    private static func decodeWithFoundation<T: Decodable>(_ type: T.Type, from body: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.utf8))
        } catch {
            throw StoreError(.other, "a stored \(T.self) record could not be read back: \(error)")
        }
    }
}

@available(*, unavailable)
extension RegistrySnapshot: Sendable {}

extension RegistrySnapshot {
    public func tallies(matching filter: TallyFilter) throws -> [CaseTally] {
        let (condition, arguments) = Self.tallyCondition(filter)
        return try tallies(where: condition, arguments)
    }

    public func tallySums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        if filter.procedureIDs == nil, key != .procedure {
            return try rollupSums(matching: filter, by: key)
        }
        let (condition, arguments) = Self.tallyCondition(filter)
        let column: String =
            switch key {
            case nil: "NULL"
            case .department?: "department_id"
            case .campus?: "campus_id"
            case .approach?: "approach"
            case .surgeon?: "surgeon_id"
            case .procedure?: "procedure_id"
            }
        // Without a key the grouping follows the covering indexes' order: no sorting needed. With a department,
        // its tallies are looked up through the department's index and sorted (a few hundred rows for one
        // procedure), rather than every tally of the procedure scanned in period order and most thrown away.
        let grouping = key == nil ? "from_day, to_day" : "1, from_day, to_day"
        let index = filter.departmentID != nil ? " INDEXED BY tally_by_department" : ""
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(column), from_day, to_day, SUM(count), COUNT(*) FROM tally\(index) WHERE \(condition)
                GROUP BY \(grouping) ORDER BY \(grouping)
                """, arguments: StatementArguments(arguments))
        var sums: [String?: [TallyPeriodSum]] = [:]
        var days = DayParser()
        try Self.summing {
            while let row = try rows.next() {
                let tallies: Int = row[4]
                sums[row[0] as String?, default: []].append(
                    TallyPeriodSum(
                        from: try days.optional(row[1]), to: try days.required(row[2]),
                        count: try Self.sum(row[3] as DatabaseValue, of: tallies),
                        tallies: tallies))
            }
        }
        return sums
    }

    public func tallyLineSums(matching filter: TallyFilter) throws -> [TallyLine: [TallyPeriodSum]] {
        let (condition, arguments) = Self.tallyCondition(filter)
        let rows: RowCursor
        if filter.departmentID == nil, filter.campusID == nil, filter.surgeonID == nil {
            // Over every department, campus and surgeon: the sums `tally_line_rollup` keeps (its columns have the
            // names of the tally's that the condition may name: procedure and approach).
            rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT procedure_id, approach, NULLIF(from_day, ''), to_day, count, tallies FROM tally_line_rollup
                    WHERE \(condition)
                    """, arguments: StatementArguments(arguments))
        } else {
            // In the order of `tally_by_procedure` (procedure, period, approach): one pass, no sorting; one
            // department's tallies through its own index.
            let index = filter.departmentID != nil ? " INDEXED BY tally_by_department" : ""
            rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT procedure_id, approach, from_day, to_day, SUM(count), COUNT(*) FROM tally\(index) WHERE \(condition)
                    GROUP BY procedure_id, from_day, to_day, approach ORDER BY procedure_id, from_day, to_day, approach
                    """, arguments: StatementArguments(arguments))
        }
        var days = DayParser()
        var sums: [TallyLine: [TallyPeriodSum]] = [:]
        try Self.summing {
            while let row = try rows.next() {
                guard let approach = Approach(rawValue: row[1]) else {
                    throw StoreError(.other, "a case tally with an unknown approach is in the registry")
                }
                let tallies: Int = row[5]
                sums[TallyLine(procedureID: row[0], approach: approach), default: []].append(
                    TallyPeriodSum(
                        from: try days.optional(row[2]), to: try days.required(row[3]),
                        count: try Self.sum(row[4] as DatabaseValue, of: tallies),
                        tallies: tallies))
            }
        }
        return sums
    }

    public func tallySeriesSums(matching filter: TallyFilter, from: Day?, to: Day?) throws -> [TallySeries:
        [TallyPeriodSum]]
    {
        let (condition, arguments) = Self.tallyCondition(filter)
        let sql: String
        var bounds = [to?.description ?? "9999-12-31"]
        if from == nil {
            // From the beginning (a breakdown by year or month, a running total), nearly every tally overlaps the
            // days asked about: grouped by series and period, in the order of `tally_by_series`, with no sorting.
            // A tally after `to` is then a row of its own, only saying that its series exists.
            sql = """
                SELECT procedure_id, approach, department_id, campus_id, surgeon_id, (from_day IS NULL OR from_day <= ?),
                       from_day, to_day, SUM(count), COUNT(*)
                FROM tally WHERE \(condition)
                GROUP BY procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day
                """
        } else {
            // A tally outside the days asked about only says that its series exists: those rows are
            // grouped into one per series, with no period.
            let overlaps = "((from_day IS NULL OR from_day <= ?) AND to_day >= ?)"
            bounds.append(from?.description ?? "0000-01-01")
            sql = """
                SELECT procedure_id, approach, department_id, campus_id, surgeon_id, o,
                       CASE WHEN o THEN from_day END, CASE WHEN o THEN to_day END, SUM(count), COUNT(*)
                FROM (SELECT procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day, count, \(overlaps) AS o
                      FROM tally WHERE \(condition))
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
                """
        }
        let rows = try Row.fetchCursor(
            db, sql: sql, arguments: StatementArguments(bounds + arguments))
        var sums: [TallySeries: [TallyPeriodSum]] = [:]
        var days = DayParser()
        try Self.summing {
            while let row = try rows.next() {
                guard let approach = Approach(rawValue: row[1]) else {
                    throw StoreError(.other, "a case tally with an unknown approach is in the registry")
                }
                let series = TallySeries(
                    procedureID: row[0], approach: approach, departmentID: row[2], campusID: row[3], surgeonID: row[4])
                guard (row[5] as Int?) == 1 else {
                    if sums[series] == nil { sums[series] = [] }
                    continue
                }
                let tallies: Int = row[9]
                sums[series, default: []].append(
                    TallyPeriodSum(
                        from: try days.optional(row[6]), to: try days.required(row[7]),
                        count: try Self.sum(row[8] as DatabaseValue, of: tallies),
                        tallies: tallies))
            }
        }
        return sums
    }

    public func tallyWindowSums(matching filter: TallyFilter, windows: [ClosedRange<Day>]) throws -> [TallySeries:
        [TallyWindowSum]]
    {
        var (condition, arguments) = Self.tallyCondition(filter.procedureAndDepartment)
        // A campus or surgeon filters rows as they are scanned; the unary + keeps SQLite from planning with it,
        // which would make it sort for the grouping instead of following `tally_by_series`.
        for (column, value) in [("campus_id", filter.campusID), ("surgeon_id", filter.surgeonID)] {
            guard let value else { continue }
            condition += " AND +\(column) = ?"
            arguments.append(value)
        }
        func series(_ row: Row) throws -> TallySeries {
            guard let approach = Approach(rawValue: row[1]) else {
                throw StoreError(.other, "a case tally with an unknown approach is in the registry")
            }
            return TallySeries(
                procedureID: row[0], approach: approach, departmentID: row[2], campusID: row[3], surgeonID: row[4])
        }
        try willReadSeriesList()
        var sums: [TallySeries: [TallyWindowSum]] = [:]
        let sql: String
        if TallyWindowQuery.readsSeriesList(windows) {
            let (seriesCondition, seriesArguments) = Self.tallyCondition(filter)
            sql = TallyWindowQuery.seriesJoinSQL(
                condition: seriesCondition, windows: windows, days: TallyWindowQuery.sqliteDays, same: "IS")
            arguments = seriesArguments
        } else {
            if TallyWindowQuery.needsSeriesList(windows) {
                let all = try Row.fetchCursor(
                    db, sql: TallyWindowQuery.seriesSQL(condition: condition), arguments: StatementArguments(arguments))
                while let row = try all.next() {
                    let key = try series(row)
                    if filter.admits(key) { sums[key] = windows.map { _ in TallyWindowSum() } }
                }
            }
            sql = TallyWindowQuery.sql(condition: condition, windows: windows, days: TallyWindowQuery.sqliteDays)
        }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        try Self.summing {
            while let row = try rows.next() {
                let series = try series(row)
                guard filter.admits(series) else { continue }
                sums[series] = try windows.indices.map { i in
                    let c = 5 + TallyWindowQuery.columnsPerWindow * i
                    let tallies: Int = row[c + 1]
                    let baselines = (row[c + 5] as Int?) ?? 0
                    return TallyWindowSum(
                        count: try Self.sum(row[c] as DatabaseValue, of: tallies), tallies: tallies, days: row[c + 2],
                        first: (row[c + 3] as String?).flatMap(Day.init),
                        last: (row[c + 4] as String?).flatMap(Day.init), baselines: baselines,
                        baseline: try Self.sum((row[c + 6] as Int?) ?? 0, of: baselines))
                }
            }
        }
        return sums
    }

    public func tallyCount(matching filter: TallyFilter, atMost limit: Int) throws -> Int? {
        let (condition, arguments) = Self.tallyCondition(filter)
        let count =
            try Int.fetchOne(
                db, sql: TallyWindowQuery.countSQL(condition: condition, limit: limit),
                arguments: StatementArguments(arguments)) ?? 0
        return count > limit ? nil : count
    }

    /// "the case counts cannot be added up: …": a sum beyond what `tallies` counts within `CountLimit` can reach.
    static let countsBeyondLimit = """
        the case counts cannot be added up: the registry holds a case tally with a count above \(CountLimit.maximumText), \
        the largest count Annals keeps. Run `annals check` to find it, then import the corrected count.
        """

    /// A sum of `tallies` counts, checked: every count is at most `CountLimit.maximum`, so every sum is at
    /// most `tallies` times that and adding sums up can never overflow. Anything else is refused.
    static func sum(_ value: DatabaseValue, of tallies: Int) throws -> Int {
        guard case .int64(let sum) = value.storage else { throw StoreError(.other, countsBeyondLimit) }
        return try self.sum(Int(sum), of: tallies)
    }

    static func sum(_ sum: Int, of tallies: Int) throws -> Int {
        let (bound, overflow) = max(tallies, 1).multipliedReportingOverflow(by: CountLimit.maximum)
        guard sum >= 0, overflow || sum <= bound else { throw StoreError(.other, countsBeyondLimit) }
        return sum
    }

    /// Runs `body`, turning SQLite's "integer overflow" in SUM into the sentence above.
    static func summing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.message?.contains("integer overflow") == true {
            throw StoreError(.other, countsBeyondLimit)
        }
    }

    /// `tallySums` for questions naming no procedure, from the sums the triggers keep.
    private func rollupSums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        var conditions = ["1"]
        var arguments: [DatabaseValueConvertible?] = []
        if let approaches = filter.approaches {
            conditions.append("approach IN (\(approaches.map { _ in "?" }.joined(separator: ", ")))")
            arguments += approaches.map(\.rawValue).sorted()
        }
        for (column, value) in [
            ("department_id", filter.departmentID), ("campus_id", filter.campusID), ("surgeon_id", filter.surgeonID),
        ] {
            if let value {
                conditions.append("\(column) = ?")
                arguments.append(value)
            }
        }
        let column: String =
            switch key {
            case .department?: "department_id"
            case .campus?: "campus_id"
            case .approach?: "approach"
            case .surgeon?: "surgeon_id"
            case nil, .procedure?: "''"
            }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(column), from_day, to_day, SUM(count), SUM(tallies) FROM tally_rollup
                WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(key == nil ? "" : "1, ")from_day, to_day
                """, arguments: StatementArguments(arguments))
        var sums: [String?: [TallyPeriodSum]] = [:]
        try Self.summing {
            while let row = try rows.next() {
                let name: String = row[0]
                let from: String = row[1]
                guard let to = Day(row[2] as String) else {
                    throw StoreError(.other, "a case tally with a damaged period is in the registry")
                }
                let tallies: Int = row[4]
                sums[key == nil || name.isEmpty ? nil : name, default: []].append(
                    TallyPeriodSum(
                        from: from.isEmpty ? nil : Day(from), to: to,
                        count: try Self.sum(row[3] as DatabaseValue, of: tallies), tallies: tallies))
            }
        }
        return sums
    }

    static func tallyCondition(_ filter: TallyFilter) -> (String, [DatabaseValueConvertible?]) {
        var conditions = ["1"]
        var arguments: [DatabaseValueConvertible?] = []
        func any(_ column: String, _ values: [String]) {
            if values.count == 1 {
                conditions.append("\(column) = ?")
            } else {
                conditions.append("\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))")
            }
            arguments += values
        }
        if let ids = filter.procedureIDs { any("procedure_id", ids.sorted()) }
        if let approaches = filter.approaches { any("approach", approaches.map(\.rawValue).sorted()) }
        if let department = filter.departmentID { any("department_id", [department]) }
        if let campus = filter.campusID { any("campus_id", [campus]) }
        if let surgeon = filter.surgeonID { any("surgeon_id", [surgeon]) }
        return (conditions.joined(separator: " AND "), arguments)
    }

    public func forEachTallyEntry(procedures: Set<String>?, _ body: (TallyPeriodEntry) throws -> Void) throws {
        // The covering index tally_by_procedure gives this order without sorting.
        let select =
            "SELECT id, procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day FROM tally"
        func each(_ rows: RowCursor) throws {
            while let row = try rows.next() {
                try body(
                    TallyPeriodEntry(
                        id: row[0],
                        identity: TallyIdentity(
                            procedureID: row[1], approach: row[2], departmentID: row[3], campusID: row[4],
                            surgeonID: row[5],
                            fromDay: row[6], toDay: row[7])))
            }
        }
        guard let procedures else {
            return try each(Row.fetchCursor(db, sql: select + " ORDER BY procedure_id, from_day, to_day"))
        }
        let statement = try db.cachedStatement(sql: select + " WHERE procedure_id = ? ORDER BY from_day, to_day")
        for procedure in procedures.sorted() {
            try each(Row.fetchCursor(statement, arguments: [procedure]))
        }
    }

    public func tally(id: String) throws -> CaseTally? {
        try tallies(where: "id = ?", [id]).first
    }

    /// The earlier versions of a record replaced under its own id, oldest first.
    public func recordHistory(_ kind: EntityKind, id: String) throws -> [RecordRevision] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT body, replaced_at, replaced_by FROM record_history WHERE kind = ? AND record_id = ? ORDER BY id",
            arguments: [kind.rawValue, id]
        ).map { RecordRevision(kind: kind, id: id, body: $0[0], replacedAt: $0[1], replacedBy: $0[2]) }
    }

    public func tallyHistory(id: String) throws -> [TallyRevision] {
        try Row.fetchAll(
            db, sql: "SELECT body, replaced_at FROM tally_history WHERE tally_id = ? ORDER BY id", arguments: [id]
        ).map { TallyRevision(tally: try Self.decode(CaseTally.self, from: $0[0]), replacedAt: $0[1]) }
    }
}

/// Days as the registry stores them (YYYY-MM-DD), each text parsed once per query: a question over a million
/// tallies has only a few hundred distinct days.
struct DayParser {
    private var parsed: [String: Day] = [:]

    mutating func required(_ text: String?) throws -> Day {
        guard let day = try optional(text) else {
            throw StoreError(.other, "a case tally with a damaged period is in the registry")
        }
        return day
    }

    /// Nil for no text (a baseline's open start).
    mutating func optional(_ text: String?) throws -> Day? {
        guard let text else { return nil }
        if let day = parsed[text] { return day }
        guard let day = Day(text) else {
            throw StoreError(.other, "a case tally with a damaged period is in the registry")
        }
        parsed[text] = day
        return day
    }
}

/// Journal references as the registry stores them inside a paper (JSON), each distinct text decoded once:
/// a year's papers appear in a few hundred journals.
struct JournalReferenceParser {
    private var parsed: [String: JournalReference] = [:]
    private let decoder = JSONDecoder()

    /// Nil for no reference (JSON null or none).
    mutating func parse(_ text: String?) throws -> JournalReference? {
        guard let text, text != "null" else { return nil }
        if let reference = parsed[text] { return reference }
        let reference = try decoder.decode(JournalReference.self, from: Data(text.utf8))
        parsed[text] = reference
        return reference
    }
}
