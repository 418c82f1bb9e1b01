import Foundation
internal import GRDB
internal import PostgresNIO

/// Helpers for the store's own tests (internal: reached with `@testable import`).
extension RegistryStore {
    /// Runs `sql` on the SQLite file at `path` through a plain connection (creating the file), as another
    /// program would.
    static func executeForTesting(path: String, _ sql: String) throws {
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
        _ = try bounded(promise.futureResult, try PostgresLocation(url: "postgres://annals@192.0.2.1:5432/annals"), seconds: seconds)
    }
}
