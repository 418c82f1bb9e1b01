import AnnalsModel
import Foundation
internal import GRDB

extension RegistryStore {
    /// Everything wrong with the registry, in words; empty when it is sound. Checks the database's own
    /// integrity, every reference between records, and the registry's rule that no two tallies count
    /// the same operations.
    public func check() throws -> [String] { try backend.check() }

    /// Copies the registry to the new file `destination`, readable by its owner only, while others may go
    /// on reading and writing. An existing file is not overwritten.
    public func backup(to destination: String) throws { try backend.backup(to: destination) }
}

extension RegistryStore {
    /// What to do about a damaged registry file: put the latest backup in its place.
    public static func restoreAdvice(_ path: String) -> String {
        "To restore your latest backup (a file made by `annals backup`): move \(path) aside (with its -wal and -shm files, if any) "
            + "and keep it, copy the backup to \(path), and run `annals check --db \(path)`; then import again what was added since the backup"
    }

    /// True when `problem`, as `check` or `damageReport` says it, is damage to the database file itself.
    public static func isDamage(_ problem: String) -> Bool { problem.hasPrefix(damagePrefix) }

    static let damagePrefix = "the database file is damaged: "

    /// One answer of `PRAGMA integrity_check` as lines ("ok" and SQLite's "*** in database main ***" left out).
    static func integrityLines(_ answer: String) -> [String] {
        answer.split(separator: "\n").map(String.init).filter { $0 != "ok" && !$0.hasPrefix("*** in database") }
    }

    /// For an SQLite registry that cannot be opened or read because it is damaged: what SQLite's
    /// integrity check finds (read without a lock, nothing written), then how to restore a backup.
    public static func damageReport(at path: String) -> [String] {
        var findings: [String]
        do {
            findings = try SQLiteBackend.readImmutable(path) { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            }
            .flatMap(integrityLines)
        } catch let error as DatabaseError {
            findings = ["SQLite cannot read even the list of its tables (\(error.message ?? "\(error)"))"]
        } catch {
            findings = ["\(error)"]
        }
        if findings.isEmpty { findings = ["SQLite cannot read it"] }
        return findings.prefix(20).map { damagePrefix + $0 }
    }

    /// What `check` says about tallies that count the same operations twice (the first 100 pairs, then how many more).
    static func tallyProblems(in registry: some TallyReading) throws -> [String] {
        let findings = try registry.tallyOverlaps(procedures: nil, involving: { _ in true })
        var problems = findings.conflicts.map {
            "case tallies '\($0.first.id)' and '\($0.second.id)' overlap: the same operations are counted twice"
        }
        if findings.total > findings.conflicts.count {
            problems.append("\(findings.total - findings.conflicts.count) more pairs of case tallies overlap")
        }
        return problems
    }

    /// What `check` says about a count outside 0 … `CountLimit.maximum`.
    static func countProblem(kind: String, id: String, count: String) -> String {
        "\(kind) '\(id)' has a count of \(count), outside 0 to \(CountLimit.maximumText) (the largest count Annals keeps); correct it with a new import of that record"
    }
}

extension SQLiteBackend {
    func check() throws -> [String] {
        do {
            return try reading { db in
                var problems: [String] = []
                var damage: [String]
                do {
                    damage = try String.fetchAll(db, sql: "PRAGMA integrity_check").flatMap(
                        RegistryStore.integrityLines)
                } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
                    damage = [error.message ?? "\(error)"]
                }
                if !damage.isEmpty {
                    // Nothing else can be trusted in a damaged file: say what is damaged.
                    return damage.prefix(20).map { RegistryStore.damagePrefix + $0 }
                }
                for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                    let table: String = row[0]
                    let parent: String = row[2]
                    problems.append("a record in \(table) refers to a missing record in \(parent)")
                }
                let snapshot = RegistrySnapshot(db)
                problems += try RegistryStore.tallyProblems(in: snapshot)
                problems += try snapshot.paperListProblems()
                let outOfBound = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT 'case tally', id, count FROM tally WHERE typeof(count) <> 'integer' OR count < 0 OR count > ?1
                        UNION ALL
                        SELECT 'staff census', id, count FROM staff_census
                         WHERE typeof(count) <> 'integer' OR count < 0 OR count > ?1
                        """, arguments: [CountLimit.maximum])
                problems += outOfBound.map {
                    RegistryStore.countProblem(kind: $0[0], id: $0[1], count: "\($0[2] as DatabaseValue)")
                }
                // Sums of counts beyond the bound would overflow; they are reported above.
                guard outOfBound.isEmpty else { return problems }
                let rollupMismatch =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM (
                                SELECT department_id, approach, IFNULL(campus_id, '') c, IFNULL(surgeon_id, '') s, IFNULL(from_day, '') f,
                                       to_day, SUM(count) n FROM tally GROUP BY 1, 2, 3, 4, 5, 6
                                EXCEPT SELECT department_id, approach, campus_id, surgeon_id, from_day, to_day, count FROM tally_rollup)
                            """) ?? 0
                if rollupMismatch > 0 {
                    problems.append("the case-count sums disagree with the tallies in \(rollupMismatch) places")
                }
                let seriesMismatch =
                    try Int.fetchOne(
                        db,
                        sql: """
                            WITH made AS (
                                SELECT DISTINCT procedure_id, approach, department_id, IFNULL(campus_id, ''), IFNULL(surgeon_id, '')
                                FROM tally),
                                 kept AS (SELECT procedure_id, approach, department_id, campus_id, surgeon_id FROM tally_series)
                            SELECT (SELECT COUNT(*) FROM (SELECT * FROM made EXCEPT SELECT * FROM kept))
                                 + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM made))
                            """) ?? 0
                if seriesMismatch > 0 {
                    problems.append(
                        "the list of case-tally series disagrees with the tallies in \(seriesMismatch) places")
                }
                let lineMismatch =
                    try Int.fetchOne(
                        db,
                        sql: """
                            WITH made AS (
                                SELECT procedure_id, approach, IFNULL(from_day, ''), to_day, SUM(count), COUNT(*) FROM tally
                                GROUP BY 1, 2, 3, 4),
                                 kept AS (SELECT procedure_id, approach, from_day, to_day, count, tallies FROM tally_line_rollup)
                            SELECT (SELECT COUNT(*) FROM (SELECT * FROM made EXCEPT SELECT * FROM kept))
                                 + (SELECT COUNT(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM made))
                            """) ?? 0
                if lineMismatch > 0 {
                    problems.append(
                        "the case-count sums by procedure disagree with the tallies in \(lineMismatch) places")
                }
                return problems
            }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    /// SQLite's online backup, into a temporary file beside `destination` that takes its name only when
    /// complete: an interrupted backup leaves no file under that name.
    func backup(to destination: String) throws {
        try OutputFile.refuseRegistry(destination, registry: path)
        var info = stat()
        guard lstat(destination, &info) != 0 else {
            throw StoreError(.cannotOpen, "\(destination) already exists; name a new file for the backup")
        }
        do {
            try OutputFile.place(destination, replacing: false, mode: 0o600) { temporary in
                let copy = try DatabaseQueue(path: temporary)
                do {
                    try reading { db in try copy.writeWithoutTransaction { copyDB in try db.backup(to: copyDB) } }
                    try copy.close()
                } catch {
                    try? copy.close()
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            let folder = (destination as NSString).deletingLastPathComponent
            if error.resultCode == .SQLITE_FULL || StoreError.diskIsFull(folder.isEmpty ? "." : folder) {
                throw StoreError(
                    .diskFull,
                    "the disk holding \(destination) is full; no backup was made. Free some space on it, or name a file on another disk"
                )
            }
            if [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
                throw StoreError(wrapping: error, path: path)
            }
            // SQLite's backup may leave "not an error" as the message of a failed copy: say what failed instead.
            let reason =
                error.message.flatMap { $0 == "not an error" ? nil : $0 } ?? "SQLite result \(error.resultCode)"
            throw StoreError(.other, "no backup was made: \(destination) could not be written (\(reason))")
        }
    }
}

extension SQLiteBackend {
    func forEachRowBatch(of tables: [StoreTable], _ body: (StoreTable, [[StoreValue]]) throws -> Void) throws {
        do {
            try reading { db in
                for table in tables {
                    let order = table.columns.indices.map { "\($0 + 1)" }.joined(separator: ", ")
                    let rows = try Row.fetchCursor(
                        db,
                        sql:
                            "SELECT \(table.quotedColumns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order)"
                    )
                    var batch: [[StoreValue]] = []
                    while let row = try rows.next() {
                        batch.append(
                            table.columns.indices.map { i -> StoreValue in
                                let value: DatabaseValue = row[i]
                                if value.isNull { return .null }
                                switch table.columns[i].kind {
                                case .text: return .text(String.fromDatabaseValue(value) ?? "")
                                case .bytes: return .bytes(Data.fromDatabaseValue(value) ?? Data())
                                case .int, .flag: return .int(Int.fromDatabaseValue(value) ?? 0)
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
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    func rowCount(of table: StoreTable) throws -> Int {
        do {
            return try reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    func copyIn(_ fill: (_ insert: (StoreTable, [[StoreValue]]) throws -> Void) throws -> Void) throws {
        do {
            try pool.write { db in
                try fill { table, rows in
                    let statement = try db.cachedStatement(
                        sql:
                            "INSERT INTO \(table.name) (\(table.quotedColumns.joined(separator: ", "))) VALUES (\(table.columns.map { _ in "?" }.joined(separator: ", ")))"
                    )
                    for row in rows {
                        let values: [DatabaseValueConvertible?] = row.map {
                            switch $0 {
                            case .null: nil
                            case .int(let i): i
                            case .text(let t): t
                            case .bytes(let d): d
                            }
                        }
                        try statement.execute(arguments: StatementArguments(values))
                    }
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }
}
