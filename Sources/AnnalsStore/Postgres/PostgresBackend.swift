import AnnalsModel
import Foundation
internal import PostgresNIO

/// The PostgreSQL backend: a registry shared by many people on one server.
///
/// Concurrency: every write transaction (an import, a correction, a review decision) first takes one
/// transaction-scoped advisory lock, so writers take turns exactly as they do on SQLite, while readers
/// run on REPEATABLE READ snapshots and never wait. Two people correcting the same tally at once both
/// succeed, one after the other: the later correction wins and the earlier one is kept in the tally's
/// history (the later writer reads the row only after the earlier one has committed, so nothing is
/// lost). The lock is released by COMMIT or ROLLBACK, also when a client dies.
final class PostgresBackend: RegistryBackend, @unchecked Sendable {
    /// The advisory lock every writer and migration takes: "annals" in ASCII.
    static let writerLock = 0x616E_6E61_6C73

    let location: PostgresLocation
    var displayName: String { location.description }
    private(set) var isNew = false
    /// Idle connections, reused by the next read or write (guarded by `lock`).
    private var idle: [PostgresSession] = []
    private let lock = NSLock()
    /// Tells once that a writer waits for another's turn.
    private let waitNotice: WaitNotice

    init(url: String, create: Bool, onWaiting: (@Sendable (String) -> Void)? = nil) throws(StoreError) {
        location = try PostgresLocation(url: url)
        waitNotice = WaitNotice(
            onWaiting,
            "another import is changing \(location.description); waiting for it to finish (press Ctrl-C to give up)…")
        let session: PostgresSession
        do {
            session = try PostgresSession.connect(location)
        } catch let error where error.code == .missing && create {
            try Self.createDatabase(location)
            session = try PostgresSession.connect(location)
        }
        defer { checkIn(session) }
        try migrate(session, create: create)
    }

    /// Creates the database `location` names, connected to the server's `postgres` database as the same
    /// user (who needs the CREATEDB privilege; otherwise the server's refusal is the message).
    private static func createDatabase(_ location: PostgresLocation) throws(StoreError) {
        let admin = try PostgresSession.connect(location.with(database: "postgres"))
        defer { admin.close() }
        let name = "\"" + location.database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        do {
            try admin.execute("CREATE DATABASE \(name) ENCODING 'UTF8' TEMPLATE template0")
        } catch let error where error.message.contains("42P04") {
            // Created meanwhile by another Annals: fine.
        }
    }

    deinit {
        for session in idle { session.close() }
    }

    private func checkOut() throws(StoreError) -> PostgresSession {
        if let session = lock.withLock({ idle.popLast() }) { return session }
        return try PostgresSession.connect(location)
    }

    private func checkIn(_ session: PostgresSession) {
        if session.isClosed { return }
        lock.withLock { idle.append(session) }
    }

    /// Runs `body` between `begin` and COMMIT (or ROLLBACK when it throws or `keep` is false). A
    /// connection whose transaction could not be closed cleanly is not reused.
    private func transaction<T>(
        _ begin: [String], keep: Bool, writer: Bool = false, _ body: (PostgresSession) throws -> T
    ) throws -> T {
        var session = try checkOut()
        if session.isClosed {
            // An idle connection the server has ended meanwhile (restarted, or ended by an administrator).
            session.close()
            session = try PostgresSession.connect(location)
        }
        do {
            for statement in begin { try session.execute(statement) }
            if writer { try takeWritersTurn(session) }
            let result = try body(session)
            try session.flush()
            try session.execute(keep ? "COMMIT" : "ROLLBACK")
            checkIn(session)
            return result
        } catch {
            // A lost connection has nothing to roll back: the server discards the transaction with it.
            if session.isClosed {
                session.close()
                throw PostgresSession.storeError(error, location)
            }
            do {
                try? session.flush()
                try session.execute("ROLLBACK")
                checkIn(session)
            } catch {
                session.close()
            }
            throw error
        }
    }

    private var writeBegin: [String] { ["BEGIN ISOLATION LEVEL READ COMMITTED"] }

    /// Takes the writers' lock: at once when no other writer holds it; otherwise says so once and asks again
    /// every fifth of a second (each question a short statement, so every wait stays bounded) until it is free.
    private func takeWritersTurn(_ session: PostgresSession) throws(StoreError) {
        var told = false
        while try session.query("SELECT pg_try_advisory_xact_lock(\(Self.writerLock))").first?.bool(0) != true {
            if !told {
                waitNotice.tell()
                told = true
            }
            usleep(200_000)
        }
    }

    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        try transaction(["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"], keep: false) {
            try body(PostgresSnapshot($0))
        }
    }

    func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        try transaction(writeBegin, keep: true, writer: true) { try body(PostgresTransaction($0)) }
    }

    func dryRun<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        try transaction(writeBegin, keep: false, writer: true) { try body(PostgresTransaction($0)) }
    }

    func backup(to destination: String) throws {
        throw StoreError(
            .other,
            "annals backup copies SQLite registries; for \(location) use the server's own backups (pg_dump), or copy it into a file with `annals migrate-store --from \(location) --to FILE.sqlite`"
        )
    }

    func check() throws -> [String] {
        try read { reader in
            let snapshot = reader as! PostgresSnapshot
            var problems: [String] = []
            // The server checks every reference itself at commit; this finds rows that broke one anyway
            // (constraints disabled by hand, a damaged restore).
            for table in StoreTable.all {
                for (column, parent) in Self.references[table.name] ?? [] {
                    let count =
                        try snapshot.session.query(
                            """
                            SELECT COUNT(*) FROM \(table.name) c WHERE c.\(column) IS NOT NULL
                            AND NOT EXISTS (SELECT 1 FROM \(parent) p WHERE p.id = c.\(column))
                            """
                        ).first?.int(0) ?? 0
                    if count > 0 {
                        problems.append("a record in \(table.name) refers to a missing record in \(parent)")
                    }
                }
            }
            problems += try RegistryStore.tallyProblems(in: snapshot)
            problems += try snapshot.paperListProblems()
            let outOfBound = try snapshot.session.query(
                """
                SELECT 'case tally', id, count::TEXT FROM tally WHERE count < 0 OR count > $1
                UNION ALL SELECT 'staff census', id, count::TEXT FROM staff_census WHERE count < 0 OR count > $1
                """, [.int(CountLimit.maximum)])
            for row in outOfBound {
                problems.append(
                    RegistryStore.countProblem(
                        kind: try row.string(0) ?? "", id: try row.string(1) ?? "", count: try row.string(2) ?? ""))
            }
            // Sums of counts beyond the bound could overflow; they are reported above.
            guard outOfBound.isEmpty else { return problems }
            let mismatch =
                try snapshot.session.query(
                    """
                    SELECT COUNT(*) FROM (
                        SELECT department_id, approach, COALESCE(campus_id, '') c, COALESCE(surgeon_id, '') s,
                               COALESCE(from_day, '') f, to_day, SUM(count) n FROM tally GROUP BY 1, 2, 3, 4, 5, 6
                        EXCEPT SELECT department_id, approach, campus_id, surgeon_id, from_day, to_day, count FROM tally_rollup) x
                    """
                ).first?.int(0) ?? 0
            if mismatch > 0 { problems.append("the case-count sums disagree with the tallies in \(mismatch) places") }
            let seriesMismatch =
                try snapshot.session.query(
                    """
                    WITH made AS (
                        SELECT DISTINCT procedure_id, approach, department_id, COALESCE(campus_id, '') c, COALESCE(surgeon_id, '') u
                        FROM tally),
                         kept AS (SELECT procedure_id, approach, department_id, campus_id, surgeon_id FROM tally_series)
                    SELECT COUNT(*) FROM ((SELECT * FROM made EXCEPT SELECT * FROM kept)
                                          UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM made)) x
                    """
                ).first?.int(0) ?? 0
            if seriesMismatch > 0 {
                problems.append("the list of case-tally series disagrees with the tallies in \(seriesMismatch) places")
            }
            let lineMismatch =
                try snapshot.session.query(
                    """
                    WITH made AS (
                        SELECT procedure_id, approach, COALESCE(from_day, '') f, to_day, SUM(count)::BIGINT n, COUNT(*) k
                        FROM tally GROUP BY 1, 2, 3, 4),
                         kept AS (SELECT procedure_id, approach, from_day, to_day, count, tallies FROM tally_line_rollup)
                    SELECT COUNT(*) FROM ((SELECT * FROM made EXCEPT SELECT * FROM kept)
                                          UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM made)) x
                    """
                ).first?.int(0) ?? 0
            if lineMismatch > 0 {
                problems.append("the case-count sums by procedure disagree with the tallies in \(lineMismatch) places")
            }
            return problems
        }
    }

    /// The references `check` verifies (column, parent table), as the migrations declare them.
    static let references: [String: [(String, String)]] = [
        "org_unit": [("parent_id", "org_unit")], "campus": [("org_unit_id", "org_unit")],
        "person_name": [("person_id", "person")],
        "person_department": [("person_id", "person"), ("department_id", "org_unit")],
        "journal_metrics": [("journal_id", "journal")], "procedure_term": [("procedure_id", "procedure")],
        "project": [("principal_investigator_id", "person")],
        "project_department": [("project_id", "project"), ("department_id", "org_unit")],
        "publication": [("journal_id", "journal")],
        "publication_author": [("publication_id", "publication"), ("person_id", "person")],
        "publication_department": [("publication_id", "publication"), ("department_id", "org_unit")],
        "patent_department": [("patent_id", "patent"), ("department_id", "org_unit")],
        "patent_inventor": [("patent_id", "patent"), ("person_id", "person")],
        "award": [("project_id", "project")],
        "award_department": [("award_id", "award"), ("department_id", "org_unit")],
        "award_recipient": [("award_id", "award"), ("person_id", "person")],
        "staff_census": [("department_id", "org_unit")],
        "tally": [
            ("procedure_id", "procedure"), ("department_id", "org_unit"), ("campus_id", "campus"),
            ("surgeon_id", "person"),
        ],
        "publication_merge": [("kept_id", "publication")],
        "review_item": [("publication_id", "publication"), ("person_id", "person")],
    ]

    // MARK: - Migrations

    /// Refuses another program's database and a registry written by a newer Annals; then applies the
    /// missing migrations, each in its own transaction, under the writers' lock (so two Annals starting
    /// at once do not both migrate).
    private func migrate(_ session: PostgresSession, create: Bool) throws(StoreError) {
        let state = try session.query(
            """
            SELECT to_regclass('annals_migrations') IS NOT NULL,
                   (SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S'))
            """
        ).first
        let hasLog = try state?.bool(0) ?? false
        let tables = try state?.int(1) ?? 0
        if !hasLog && tables > 0 {
            throw StoreError(
                .notARegistry,
                "\(location) holds another program's tables or views, not an Annals registry; nothing was changed")
        }
        if !hasLog && !create {
            throw StoreError(.missing, "no registry at \(location). Create one with `annals init --db \(location)`")
        }
        let known = Set(PostgresMigrations.all.map(\.identifier))
        func applied() throws(StoreError) -> Set<String> {
            var identifiers: Set<String> = []
            for row in try session.query("SELECT identifier FROM annals_migrations") {
                if let identifier = try row.string(0) { identifiers.insert(identifier) }
            }
            return identifiers
        }
        if hasLog {
            let done = try applied()
            if !done.subtracting(known).isEmpty {
                throw StoreError(
                    .tooNew, "\(location) was written by a newer Annals than this one; update Annals to open it")
            }
            if done == known { return }
        }
        for migration in PostgresMigrations.all {
            try session.execute("BEGIN")
            do {
                try takeWritersTurn(session)
                try session.script(
                    "CREATE TABLE IF NOT EXISTS annals_migrations (identifier TEXT COLLATE \"C\" PRIMARY KEY)")
                if try applied().contains(migration.identifier) {
                    try session.execute("ROLLBACK")
                    continue
                }
                try session.script(migration.sql)
                if migration.identifier == PostgresMigrations.all[0].identifier { isNew = true }
                try session.execute(
                    "INSERT INTO annals_migrations (identifier) VALUES ($1)", [.text(migration.identifier)])
                try session.execute("COMMIT")
            } catch {
                _ = try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    // MARK: - Copying

    func forEachRowBatch(of tables: [StoreTable], _ body: (StoreTable, [[StoreValue]]) throws -> Void) throws {
        try read { reader in
            let snapshot = reader as! PostgresSnapshot
            for table in tables {
                let order = table.columns.indices.map { "\($0 + 1)" }.joined(separator: ", ")
                var batch: [[StoreValue]] = []
                try snapshot.forEachRow(
                    "SELECT \(table.quotedColumns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order)"
                ) { row in
                    batch.append(
                        try table.columns.indices.map { i -> StoreValue in
                            switch table.columns[i].kind {
                            case .text: try row.string(i).map(StoreValue.text) ?? .null
                            case .int: try row.int(i).map(StoreValue.int) ?? .null
                            case .flag: try row.bool(i).map { .int($0 ? 1 : 0) } ?? .null
                            case .bytes: try row.bytes(i).map(StoreValue.bytes) ?? .null
                            }
                        })
                    if batch.count == 1000 {
                        try body(table, batch)
                        batch = []
                    }
                }
                if !batch.isEmpty { try body(table, batch) }
            }
        }
    }

    func rowCount(of table: StoreTable) throws -> Int {
        try read {
            try ($0 as! PostgresSnapshot).session.query("SELECT COUNT(*) FROM \(table.name)").first?.int(0) ?? 0
        }
    }

    func copyIn(_ fill: (_ insert: (StoreTable, [[StoreValue]]) throws -> Void) throws -> Void) throws {
        _ = try transaction(writeBegin, keep: true, writer: true) { session in
            try fill { table, rows in
                try PostgresBulk.insert(
                    into: table.name, columns: table.quotedColumns,
                    rows: rows.map { row in
                        zip(row, table.columns).map { value, column -> PGValue in
                            switch (value, column.kind) {
                            case (.null, _): .null
                            case (.int(let i), .flag): .bool(i != 0)
                            case (.int(let i), _): .int(i)
                            case (.text(let t), _): .text(t)
                            case (.bytes(let d), _): .bytes(d)
                            }
                        }
                    }, session: session)
            }
            for table in StoreTable.all {
                if let serial = table.serial {
                    try session.execute(
                        "SELECT setval(pg_get_serial_sequence('\(table.name)', '\(serial)'), COALESCE(MAX(\(serial)), 0) + 1, false) FROM \(table.name)"
                    )
                }
            }
        }
    }
}

/// Many rows in few statements: multi-row INSERTs of up to 1,000 rows (and at most 30,000 parameters),
/// sent down the connection without waiting for each.
enum PostgresBulk {
    static func insert(
        into table: String, columns: [String], rows: [[PGValue]], suffix: String = "", session: PostgresSession,
        wait: Bool = true
    ) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let perStatement = max(1, min(1000, PostgresSession.parametersPerStatement / columns.count))
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var placeholders: [String] = []
            var arguments: [PGValue] = []
            arguments.reserveCapacity(batch.count * columns.count)
            for row in batch {
                let first = arguments.count
                placeholders.append("(" + row.indices.map { "$\(first + $0 + 1)" }.joined(separator: ", ") + ")")
                arguments += row
            }
            session.send(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(placeholders.joined(separator: ", ")) \(suffix)",
                arguments)
            start += perStatement
        }
        if wait { try session.flush() }
    }
}
