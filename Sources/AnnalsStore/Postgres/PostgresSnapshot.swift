import AnnalsModel
import Foundation

/// Read access to a PostgreSQL registry, inside `RegistryStore.read` (a REPEATABLE READ snapshot) or
/// `write`. The same answers as `RegistrySnapshot` over SQLite, in the same order.
class PostgresSnapshot: StoreReading {
    let session: PostgresSession

    init(_ session: PostgresSession) {
        self.session = session
    }

    /// Rows of a statement written with `?1`, `?2` … (sent as `$1`, `$2` …), every column read as text.
    func textRows(_ sql: String, _ arguments: [String?]) throws -> [[String?]] {
        try session.query(sql.replacingOccurrences(of: "?", with: "$"), arguments.map { PGValue.text($0) }).map { row in
            try (0..<row.count).map { try row.string($0) }
        }
    }

    func orgUnits() throws -> [OrgUnit] { try decodeAll("org_unit") }
    func people() throws -> [Person] { try decodeAll("person") }
    func journals() throws -> [Journal] { try decodeAll("journal") }
    func procedures() throws -> [Procedure] { try decodeAll("procedure") }
    func projects() throws -> [Project] { try decodeAll("project") }
    func patents() throws -> [Patent] { try decodeAll("patent") }
    func awards() throws -> [Award] { try decodeAll("award") }

    func forEachPublication(_ body: (Publication) throws -> Void) throws {
        try forEachPublication(year: nil, department: nil, person: nil, body)
    }

    func forEachPublication(year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void)
        throws
    {
        var conditions: [String] = []
        var arguments: [PGValue] = []
        if let year {
            arguments.append(.int(year))
            conditions.append("year = $\(arguments.count)")
        }
        if let department {
            arguments.append(.text(department))
            conditions.append(
                "id IN (SELECT publication_id FROM publication_department WHERE department_id = $\(arguments.count))")
        }
        if let person {
            arguments.append(.text(person))
            conditions.append(
                "id IN (SELECT publication_id FROM publication_author WHERE person_id = $\(arguments.count))")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        try forEachRow("SELECT body FROM publication \(filter) ORDER BY id", arguments) { row in
            try body(try RegistrySnapshot.decode(Publication.self, from: try row.string(0) ?? ""))
        }
    }

    func forEachPublicationSummary(year: Int, department: String?, _ body: (PublicationSummary) throws -> Void) throws {
        var arguments: [PGValue] = [.int(year)]
        var filter = ""
        if let department {
            arguments.append(.text(department))
            filter = " AND id IN (SELECT publication_id FROM publication_department WHERE department_id = $2)"
        }
        var journals = JournalReferenceParser()
        try forEachRow(
            """
            SELECT id, published, (body::jsonb -> 'journal')::text, retracted,
                   ARRAY(SELECT department_id FROM publication_department d WHERE d.publication_id = p.id ORDER BY department_id),
                   ARRAY(SELECT DISTINCT person_id FROM publication_author a
                         WHERE a.publication_id = p.id AND person_id IS NOT NULL AND (is_first OR is_corresponding)
                         ORDER BY person_id)
            FROM publication p WHERE year = $1\(filter) ORDER BY id
            """, arguments
        ) { row in
            let journal = try journals.parse(try row.string(2))
            try body(
                PublicationSummary(
                    id: try row.string(0) ?? "", published: try row.string(1).flatMap(PartialDate.init),
                    journal: journal,
                    departmentIDs: try row.strings(4), isRetracted: try row.bool(3) ?? false,
                    leadAuthorIDs: try row.strings(5)))
        }
    }

    /// Runs `sql` through a cursor, 1,000 rows at a time, so that memory stays flat however many rows match.
    /// Inside a transaction (every snapshot is one).
    func forEachRow(_ sql: String, _ arguments: [PGValue] = [], _ body: (PGRow) throws -> Void) throws {
        let cursor = "annals_cursor_\(UUID().uuidString.prefix(8).lowercased())"
        try session.execute("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", arguments)
        defer { _ = try? session.execute("CLOSE \(cursor)") }
        while true {
            let rows = try session.query("FETCH 1000 FROM \(cursor)")
            for row in rows { try body(row) }
            if rows.count < 1000 { break }
        }
    }

    func staffCensus() throws -> [StaffCensus] {
        try session.query("SELECT id, department_id, category, count, as_of, note FROM staff_census ORDER BY id").map {
            row in
            let id = try row.string(0) ?? ""
            guard let category = StaffCategory(rawValue: try row.string(2) ?? ""),
                let asOf = PartialDate(try row.string(4) ?? "")
            else {
                throw StoreError(.other, "staff census '\(id)' is damaged in the registry")
            }
            return StaffCensus(
                id: id, departmentID: try row.string(1) ?? "", category: category, count: try row.int(3) ?? 0,
                asOf: asOf,
                note: try row.string(5))
        }
    }

    func forEachTally(_ body: (CaseTally) throws -> Void) throws {
        try forEachRow("SELECT \(RegistrySnapshot.tallyColumns) FROM tally ORDER BY id") {
            try body(try Self.tally($0))
        }
    }

    static func tally(_ row: PGRow) throws -> CaseTally {
        let id = try row.string(0) ?? ""
        guard let approach = Approach(rawValue: try row.string(2) ?? ""), let to = PartialDate(try row.string(7) ?? "")
        else {
            throw StoreError(.other, "case tally '\(id)' is damaged in the registry")
        }
        return CaseTally(
            id: id, procedureID: try row.string(1) ?? "", approach: approach, departmentID: try row.string(3) ?? "",
            campusID: try row.string(4), surgeonID: try row.string(5),
            from: try row.string(6).flatMap(PartialDate.init),
            to: to, count: try row.int(8) ?? 0, source: try row.string(9), note: try row.string(10))
    }

    func tallies(where condition: String, _ arguments: [PGValue]) throws -> [CaseTally] {
        try session.query(
            "SELECT \(RegistrySnapshot.tallyColumns) FROM tally WHERE \(condition) ORDER BY id", arguments
        )
        .map(Self.tally)
    }

    func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let table = RegistrySnapshot.table(for: kind)
        var found: Set<String> = []
        let all = Array(ids)
        for start in stride(from: 0, to: all.count, by: 1000) {
            let chunk = all[start..<min(all.count, start + 1000)]
            let list = chunk.indices.map { "$\($0 - start + 1)" }.joined(separator: ", ")
            for row in try session.query("SELECT id FROM \(table) WHERE id IN (\(list))", chunk.map { .text($0) }) {
                if let id = try row.string(0) { found.insert(id) }
            }
        }
        return found
    }

    func counts() throws -> [EntityKind: Int] {
        var counts: [EntityKind: Int] = [:]
        for kind in EntityKind.allCases {
            counts[kind] =
                try session.query("SELECT COUNT(*) FROM \(RegistrySnapshot.table(for: kind))").first?.int(0) ?? 0
        }
        return counts
    }

    func totalCases() throws -> Int {
        guard let row = try summing("SELECT COALESCE(SUM(count), 0)::BIGINT, COUNT(*) FROM tally", []).first else {
            return 0
        }
        return try RegistrySnapshot.sum(try row.int(0) ?? 0, of: try row.int(1) ?? 0)
    }

    private func decodeAll<T: Decodable>(_ table: String) throws -> [T] {
        try session.query("SELECT body FROM \(table) ORDER BY id").map {
            try RegistrySnapshot.decode(T.self, from: try $0.string(0) ?? "")
        }
    }

    // MARK: - Tallies

    func tallies(matching filter: TallyFilter) throws -> [CaseTally] {
        let (condition, arguments) = Self.tallyCondition(filter)
        return try tallies(where: condition, arguments)
    }

    func tallySums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        if filter.procedureIDs == nil, key != .procedure {
            return try rollupSums(matching: filter, by: key)
        }
        let (condition, arguments) = Self.tallyCondition(filter)
        let column: String =
            switch key {
            case nil: "NULL::TEXT"
            case .department?: "department_id"
            case .campus?: "campus_id"
            case .approach?: "approach"
            case .surgeon?: "surgeon_id"
            case .procedure?: "procedure_id"
            }
        let grouping = key == nil ? "from_day, to_day" : "1, from_day, to_day"
        var sums: [String?: [TallyPeriodSum]] = [:]
        for row in try summing(
            """
            SELECT \(column), from_day, to_day, SUM(count)::BIGINT, COUNT(*) FROM tally WHERE \(condition)
            GROUP BY \(grouping) ORDER BY \(key == nil ? "" : "1, ")from_day NULLS FIRST, to_day
            """, arguments)
        {
            guard let to = Day(try row.string(2) ?? "") else {
                throw StoreError(.other, "a case tally with a damaged period is in the registry")
            }
            let tallies = try row.int(4) ?? 0
            sums[try row.string(0), default: []].append(
                TallyPeriodSum(
                    from: try row.string(1).flatMap(Day.init), to: to,
                    count: try RegistrySnapshot.sum(try row.int(3) ?? 0, of: tallies), tallies: tallies))
        }
        return sums
    }

    func tallySeriesSums(matching filter: TallyFilter, from: Day?, to: Day?) throws -> [TallySeries: [TallyPeriodSum]] {
        var (condition, arguments) = Self.tallyCondition(filter)
        arguments += [.text(to?.description ?? "9999-12-31"), .text(from?.description ?? "0000-01-01")]
        let overlaps = "((from_day IS NULL OR from_day <= $\(arguments.count - 1)) AND to_day >= $\(arguments.count))"
        var sums: [TallySeries: [TallyPeriodSum]] = [:]
        for row in try summing(
            """
            SELECT procedure_id, approach, department_id, campus_id, surgeon_id, o,
                   CASE WHEN o THEN from_day END, CASE WHEN o THEN to_day END, SUM(count)::BIGINT, COUNT(*)
            FROM (SELECT procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day, count, \(overlaps) AS o
                      FROM tally WHERE \(condition)) t
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """, arguments)
        {
            guard let approach = Approach(rawValue: try row.string(1) ?? "") else {
                throw StoreError(.other, "a case tally with an unknown approach is in the registry")
            }
            let series = TallySeries(
                procedureID: try row.string(0) ?? "", approach: approach, departmentID: try row.string(2) ?? "",
                campusID: try row.string(3), surgeonID: try row.string(4))
            guard try row.bool(5) == true else {
                if sums[series] == nil { sums[series] = [] }
                continue
            }
            guard let to = Day(try row.string(7) ?? "") else {
                throw StoreError(.other, "a case tally with a damaged period is in the registry")
            }
            let tallies = try row.int(9) ?? 0
            sums[series, default: []].append(
                TallyPeriodSum(
                    from: try row.string(6).flatMap(Day.init), to: to,
                    count: try RegistrySnapshot.sum(try row.int(8) ?? 0, of: tallies),
                    tallies: tallies))
        }
        return sums
    }

    func tallyLineSums(matching filter: TallyFilter) throws -> [TallyLine: [TallyPeriodSum]] {
        let (condition, arguments) = Self.tallyCondition(filter)
        var days = DayParser()
        var sums: [TallyLine: [TallyPeriodSum]] = [:]
        // Over every department, campus and surgeon: the sums `tally_line_rollup` keeps (its columns have the names
        // of the tally's that the condition may name: procedure and approach).
        let overAll = filter.departmentID == nil && filter.campusID == nil && filter.surgeonID == nil
        let sql =
            overAll
            ? """
            SELECT procedure_id, approach, NULLIF(from_day, ''), to_day, count, tallies FROM tally_line_rollup
            WHERE \(condition) ORDER BY procedure_id, approach, from_day, to_day
            """
            : """
            SELECT procedure_id, approach, from_day, to_day, SUM(count)::BIGINT, COUNT(*) FROM tally WHERE \(condition)
            GROUP BY procedure_id, approach, from_day, to_day ORDER BY procedure_id, approach, from_day NULLS FIRST, to_day
            """
        for row in try summing(sql, arguments) {
            guard let approach = Approach(rawValue: try row.string(1) ?? "") else {
                throw StoreError(.other, "a case tally with an unknown approach is in the registry")
            }
            let tallies = try row.int(5) ?? 0
            sums[TallyLine(procedureID: try row.string(0) ?? "", approach: approach), default: []].append(
                TallyPeriodSum(
                    from: try days.optional(try row.string(2)), to: try days.required(try row.string(3)),
                    count: try RegistrySnapshot.sum(try row.int(4) ?? 0, of: tallies), tallies: tallies))
        }
        return sums
    }

    func tallyWindowSums(matching filter: TallyFilter, windows: [ClosedRange<Day>]) throws -> [TallySeries:
        [TallyWindowSum]]
    {
        var (condition, arguments) = Self.tallyCondition(filter.procedureAndDepartment)
        func series(_ row: PGRow) throws -> TallySeries {
            guard let approach = Approach(rawValue: try row.string(1) ?? "") else {
                throw StoreError(.other, "a case tally with an unknown approach is in the registry")
            }
            return TallySeries(
                procedureID: try row.string(0) ?? "", approach: approach, departmentID: try row.string(2) ?? "",
                campusID: try row.string(3), surgeonID: try row.string(4))
        }
        var sums: [TallySeries: [TallyWindowSum]] = [:]
        let sql: String
        if TallyWindowQuery.readsSeriesList(windows) {
            (condition, arguments) = Self.tallyCondition(filter)
            sql = TallyWindowQuery.seriesJoinSQL(
                condition: condition, windows: windows, days: TallyWindowQuery.postgresDays,
                same: "IS NOT DISTINCT FROM")
        } else {
            if TallyWindowQuery.needsSeriesList(windows) {
                for row in try session.query(TallyWindowQuery.seriesSQL(condition: condition), arguments) {
                    let key = try series(row)
                    if filter.admits(key) { sums[key] = windows.map { _ in TallyWindowSum() } }
                }
            }
            sql = TallyWindowQuery.sql(condition: condition, windows: windows, days: TallyWindowQuery.postgresDays)
        }
        for row in try summing(sql, arguments) {
            let series = try series(row)
            guard filter.admits(series) else { continue }
            sums[series] = try windows.indices.map { i in
                let c = 5 + TallyWindowQuery.columnsPerWindow * i
                let tallies = try row.int(c + 1) ?? 0
                let baselines = try row.int(c + 5) ?? 0
                return TallyWindowSum(
                    count: try RegistrySnapshot.sum(try row.int(c) ?? 0, of: tallies), tallies: tallies,
                    days: try row.int(c + 2) ?? 0,
                    first: try row.string(c + 3).flatMap(Day.init), last: try row.string(c + 4).flatMap(Day.init),
                    baselines: baselines, baseline: try RegistrySnapshot.sum(try row.int(c + 6) ?? 0, of: baselines))
            }
        }
        return sums
    }

    func tallyCount(matching filter: TallyFilter, atMost limit: Int) throws -> Int? {
        let (condition, arguments) = Self.tallyCondition(filter)
        let rows = try session.query(TallyWindowQuery.countSQL(condition: condition, limit: limit), arguments)
        let count = try rows.first?.int(0) ?? 0
        return count > limit ? nil : count
    }

    private func rollupSums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        var conditions = ["true"]
        var arguments: [PGValue] = []
        if let approaches = filter.approaches {
            let values = approaches.map(\.rawValue).sorted()
            conditions.append(
                "approach IN (\(values.indices.map { "$\(arguments.count + $0 + 1)" }.joined(separator: ", ")))")
            arguments += values.map { .text($0) }
        }
        for (column, value) in [
            ("department_id", filter.departmentID), ("campus_id", filter.campusID), ("surgeon_id", filter.surgeonID),
        ] {
            if let value {
                arguments.append(.text(value))
                conditions.append("\(column) = $\(arguments.count)")
            }
        }
        let column: String =
            switch key {
            case .department?: "department_id"
            case .campus?: "campus_id"
            case .approach?: "approach"
            case .surgeon?: "surgeon_id"
            case nil, .procedure?: "''::TEXT"
            }
        var sums: [String?: [TallyPeriodSum]] = [:]
        for row in try summing(
            """
            SELECT \(column), from_day, to_day, SUM(count)::BIGINT, SUM(tallies)::BIGINT FROM tally_rollup
            WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(key == nil ? "" : "1, ")from_day, to_day
            ORDER BY \(key == nil ? "" : "1, ")from_day, to_day
            """, arguments)
        {
            let name = try row.string(0) ?? ""
            let from = try row.string(1) ?? ""
            guard let to = Day(try row.string(2) ?? "") else {
                throw StoreError(.other, "a case tally with a damaged period is in the registry")
            }
            let tallies = try row.int(4) ?? 0
            sums[key == nil || name.isEmpty ? nil : name, default: []].append(
                TallyPeriodSum(
                    from: from.isEmpty ? nil : Day(from), to: to,
                    count: try RegistrySnapshot.sum(try row.int(3) ?? 0, of: tallies),
                    tallies: tallies))
        }
        return sums
    }

    /// Runs a query that adds counts up; a sum beyond BIGINT (only possible with counts above
    /// `CountLimit.maximum`, which `check` reports) becomes the sentence `RegistrySnapshot.countsBeyondLimit`.
    private func summing(_ sql: String, _ arguments: [PGValue]) throws -> [PGRow] {
        do {
            return try session.query(sql, arguments)
        } catch  where error.message.contains("SQLSTATE 22003") {
            throw StoreError(.other, RegistrySnapshot.countsBeyondLimit)
        }
    }

    static func tallyCondition(_ filter: TallyFilter) -> (String, [PGValue]) {
        var conditions = ["true"]
        var arguments: [PGValue] = []
        func any(_ column: String, _ values: [String]) {
            let first = arguments.count
            if values.count == 1 {
                conditions.append("\(column) = $\(first + 1)")
            } else {
                conditions.append(
                    "\(column) IN (\(values.indices.map { "$\(first + $0 + 1)" }.joined(separator: ", ")))")
            }
            arguments += values.map { .text($0) }
        }
        if let ids = filter.procedureIDs { any("procedure_id", ids.sorted()) }
        if let approaches = filter.approaches { any("approach", approaches.map(\.rawValue).sorted()) }
        if let department = filter.departmentID { any("department_id", [department]) }
        if let campus = filter.campusID { any("campus_id", [campus]) }
        if let surgeon = filter.surgeonID { any("surgeon_id", [surgeon]) }
        return (conditions.joined(separator: " AND "), arguments)
    }

    func forEachTallyEntry(procedures: Set<String>?, _ body: (TallyPeriodEntry) throws -> Void) throws {
        var sql = "SELECT id, procedure_id, approach, department_id, campus_id, surgeon_id, from_day, to_day FROM tally"
        var arguments: [PGValue] = []
        if let procedures {
            guard !procedures.isEmpty else { return }
            sql += " WHERE procedure_id = ANY($1::TEXT[])"
            arguments.append(.text(Self.arrayLiteral(procedures.sorted())))
        }
        try forEachRow(sql + " ORDER BY procedure_id, from_day NULLS FIRST, to_day", arguments) { row in
            try body(
                TallyPeriodEntry(
                    id: try row.string(0) ?? "",
                    identity: TallyIdentity(
                        procedureID: try row.string(1) ?? "", approach: try row.string(2) ?? "",
                        departmentID: try row.string(3) ?? "",
                        campusID: try row.string(4), surgeonID: try row.string(5), fromDay: try row.string(6),
                        toDay: try row.string(7) ?? "")))
        }
    }

    /// A PostgreSQL array literal of text values (`{"a","b"}`), passed as one parameter.
    static func arrayLiteral(_ values: [String]) -> String {
        "{"
            + values.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }
            .joined(separator: ",") + "}"
    }

    func tally(id: String) throws -> CaseTally? {
        try tallies(where: "id = $1", [.text(id)]).first
    }

    func recordHistory(_ kind: EntityKind, id: String) throws -> [RecordRevision] {
        try session.query(
            "SELECT body, replaced_at, replaced_by FROM record_history WHERE kind = $1 AND record_id = $2 ORDER BY id",
            [.text(kind.rawValue), .text(id)]
        ).map {
            RecordRevision(
                kind: kind, id: id, body: try $0.string(0) ?? "", replacedAt: try $0.string(1) ?? "",
                replacedBy: try $0.string(2) ?? "")
        }
    }

    func tallyHistory(id: String) throws -> [TallyRevision] {
        try session.query("SELECT body, replaced_at FROM tally_history WHERE tally_id = $1 ORDER BY id", [.text(id)])
            .map {
                TallyRevision(
                    tally: try RegistrySnapshot.decode(CaseTally.self, from: try $0.string(0) ?? ""),
                    replacedAt: try $0.string(1) ?? "")
            }
    }
}

@available(*, unavailable)
extension PostgresSnapshot: Sendable {}
