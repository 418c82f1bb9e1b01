import Foundation
internal import GRDB
internal import PostgresNIO

/// Helpers for the store's own tests (internal: reached with `@testable import`).
extension RegistryStore {
    /// Runs `sql` on the SQLite file at `path` through a plain connection (creating the file), as another
    /// program would.
    static func executeForTesting(path: String, _ sql: String) throws {
        SQLiteLibrary.prepare()
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Empties the WAL (a full checkpoint), then holds the writers' lock on a connection of this store
    /// until `body` returns, as an import that has just begun does.
    func holdingWriteLockWithEmptyWAL(_ body: () -> Void) throws {
        let pool = try (backend as! SQLiteBackend).pool
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "BEGIN IMMEDIATE")
            body()
            try db.execute(sql: "ROLLBACK")
        }
    }
}

extension PostgresSession {
    /// Waits, at most `seconds`, for an answer that never comes (a server silent behind a dropped network),
    /// as every wait on the server does; the answer is given afterwards so nothing is left pending.
    static func waitForSilentServerForTesting(seconds: Double) throws {
        let promise = group.next().makePromise(of: Int.self)
        defer { promise.succeed(0) }
        _ = try bounded(
            promise.futureResult, try PostgresLocation(url: "postgres://annals@192.0.2.1:5432/annals"), seconds: seconds
        )
    }
}

/// A backend's schema in words both backends share, so that a test can compare them: a migration that lands in
/// one dialect only shows as a difference.
struct SchemaDescription: Equatable, CustomStringConvertible {
    /// "table.column" → "text|integer|real|blob, null|not null".
    var columns: [String: String] = [:]
    /// "index name" → "table(column, …)" with "unique " in front for unique indexes.
    var indexes: [String: String] = [:]
    /// "table: event" for each event a trigger acts on ("tally: insert"); SQLite needs a trigger per event where
    /// PostgreSQL has one for several, and trigger bodies are not compared.
    var triggers: Set<String> = []

    var description: String {
        (columns.sorted { $0.key < $1.key }.map { "column \($0.key): \($0.value)" }
            + indexes.sorted { $0.key < $1.key }.map { "index \($0.key): \($0.value)" }
            + triggers.sorted().map { "trigger on \($0)" }).joined(separator: "\n")
    }

    /// SQLite's declared types and PostgreSQL's data types in the same four words (SQLite's 0/1 flags are
    /// PostgreSQL BOOLEANs, its INTEGER a BIGINT).
    static func kind(_ type: String) -> String {
        switch type.lowercased() {
        case "text", "character varying": "text"
        case "integer", "bigint", "int", "boolean", "smallint": "integer"
        case "real", "double precision", "double", "numeric": "real"
        case "blob", "bytea": "blob"
        default: type.lowercased()
        }
    }
}

extension RegistryStore {
    /// The identifiers of the SQLite migrations, in the order they run (GRDB's migrator stays in this module).
    static var migrationIdentifiersForTesting: [String] { migrator.migrations }

    /// The schema the migrations made, for comparing the two backends. Tables of the migration bookkeeping
    /// (GRDB's `grdb_migrations`, `annals_migrations`) and SQLite's own tables are left out.
    func schemaForTesting() throws -> SchemaDescription {
        if let sqlite = backend as? SQLiteBackend {
            return try SQLiteBackend.read(sqlite.path) { db in try Self.sqliteSchema(db) }
        }
        return try backend.read { reader in try Self.postgresSchema((reader as! PostgresSnapshot).session) }
    }

    private static let bookkeeping: Set<String> = ["grdb_migrations", "annals_migrations"]

    private static func sqliteSchema(_ db: Database) throws -> SchemaDescription {
        var schema = SchemaDescription()
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for table in tables where !bookkeeping.contains(table) {
            for column in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))") {
                let name: String = column["name"]
                let type: String = column["type"]
                // SQLite lets a primary-key column hold NULL unless it says NOT NULL; PostgreSQL never does.
                let notNull = (column["notnull"] as Int) == 1 || (column["pk"] as Int) > 0
                schema.columns["\(table).\(name)"] = SchemaDescription.kind(type) + (notNull ? ", not null" : ", null")
            }
            for index in try Row.fetchAll(db, sql: "PRAGMA index_list(\(table))")
            where (index["origin"] as String) == "c" {
                let name: String = index["name"]
                let columns = try String.fetchAll(
                    db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [name])
                schema.indexes[name] =
                    ((index["unique"] as Int) == 1 ? "unique " : "") + "\(table)(\(columns.joined(separator: ", ")))"
            }
        }
        for trigger in try Row.fetchAll(db, sql: "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") {
            let sql = (trigger["sql"] as String).uppercased()
            for event in ["INSERT", "UPDATE", "DELETE"]
            where sql.contains(" \(event) ON ") || sql.contains(" \(event) OF ") {
                schema.triggers.insert("\(trigger["tbl_name"] as String): \(event.lowercased())")
            }
        }
        return schema
    }

    private static func postgresSchema(_ session: PostgresSession) throws -> SchemaDescription {
        var schema = SchemaDescription()
        for row in try session.query(
            """
            SELECT table_name::TEXT, column_name::TEXT, data_type::TEXT, is_nullable::TEXT FROM information_schema.columns
            WHERE table_schema = current_schema()
            """)
        {
            let table = try row.string(0) ?? ""
            if bookkeeping.contains(table) { continue }
            schema.columns["\(table).\(try row.string(1) ?? "")"] =
                SchemaDescription.kind(try row.string(2) ?? "") + (try row.string(3) == "NO" ? ", not null" : ", null")
        }
        // Indexes made by CREATE INDEX (not those behind primary keys and UNIQUE constraints), columns in key order.
        for row in try session.query(
            """
            SELECT i.relname::TEXT, t.relname::TEXT, x.indisunique,
                   ARRAY(SELECT a.attname::TEXT FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace s ON s.oid = t.relnamespace
            WHERE s.nspname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """)
        {
            let table = try row.string(1) ?? ""
            if bookkeeping.contains(table) { continue }
            schema.indexes[try row.string(0) ?? ""] =
                (try row.bool(2) == true ? "unique " : "") + "\(table)(\(try row.strings(3).joined(separator: ", ")))"
        }
        // tgtype's bits: 4 insert, 8 delete, 16 update.
        for row in try session.query(
            """
            SELECT c.relname::TEXT, t.tgtype::INT FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND NOT t.tgisinternal
            """)
        {
            let type = try row.int(1) ?? 0
            for (bit, event) in [(4, "insert"), (8, "delete"), (16, "update")] where type & bit != 0 {
                schema.triggers.insert("\(try row.string(0) ?? ""): \(event)")
            }
        }
        return schema
    }
}

extension RegistryStore {
    /// `tally_rollup`, `tally_series` and `tally_line_rollup` as stored, and as made afresh from the tallies, as
    /// sorted lines "department|approach|campus|surgeon|from|to: count in tallies",
    /// "series:procedure|approach|department|campus|surgeon|: 0 in 0" and "line:procedure|approach|from|to||: count
    /// in tallies": equal when all are exact.
    func rollupForTesting() throws -> (stored: [String], recomputed: [String]) {
        let stored = """
            SELECT department_id, approach, campus_id, surgeon_id, from_day, to_day, count, tallies FROM tally_rollup
            UNION ALL
            SELECT 'series:' || procedure_id, approach, department_id, campus_id, surgeon_id, '', 0, 0 FROM tally_series
            UNION ALL
            SELECT 'line:' || procedure_id, approach, from_day, to_day, '', '', count, tallies FROM tally_line_rollup
            """
        if let sqlite = backend as? SQLiteBackend {
            let recomputed = """
                SELECT department_id, approach, IFNULL(campus_id, ''), IFNULL(surgeon_id, ''), IFNULL(from_day, ''), to_day,
                       SUM(count), COUNT(*) FROM tally GROUP BY 1, 2, 3, 4, 5, 6
                UNION ALL
                SELECT DISTINCT 'series:' || procedure_id, approach, department_id, IFNULL(campus_id, ''), IFNULL(surgeon_id, ''),
                       '', 0, 0 FROM tally
                UNION ALL
                SELECT 'line:' || procedure_id, approach, IFNULL(from_day, ''), to_day, '', '', SUM(count), COUNT(*)
                FROM tally GROUP BY 1, 2, 3, 4
                """
            return try SQLiteBackend.read(sqlite.path) { db in
                func lines(_ sql: String) throws -> [String] {
                    try Row.fetchAll(db, sql: sql).map { row in
                        (0..<6).map { row[$0] as String }.joined(separator: "|")
                            + ": \(row[6] as Int) in \(row[7] as Int)"
                    }.sorted()
                }
                return (try lines(stored), try lines(recomputed))
            }
        }
        let recomputed = """
            SELECT department_id, approach, COALESCE(campus_id, ''), COALESCE(surgeon_id, ''), COALESCE(from_day, ''), to_day,
                   SUM(count)::BIGINT, COUNT(*) FROM tally GROUP BY 1, 2, 3, 4, 5, 6
            UNION ALL
            SELECT DISTINCT 'series:' || procedure_id, approach, department_id, COALESCE(campus_id, ''),
                   COALESCE(surgeon_id, ''), '', 0, 0::BIGINT FROM tally
            UNION ALL
            SELECT 'line:' || procedure_id, approach, COALESCE(from_day, ''), to_day, '', '', SUM(count)::BIGINT, COUNT(*)
            FROM tally GROUP BY 1, 2, 3, 4
            """
        return try backend.read { reader in
            let session = (reader as! PostgresSnapshot).session
            func lines(_ sql: String) throws -> [String] {
                try session.query(sql).map { row in
                    try (0..<6).map { try row.string($0) ?? "NULL" }.joined(separator: "|")
                        + ": \(try row.int(6) ?? -1) in \(try row.int(7) ?? -1)"
                }.sorted()
            }
            return (try lines(stored), try lines(recomputed))
        }
    }
}
