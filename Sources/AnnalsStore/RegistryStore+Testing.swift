import Foundation
internal import GRDB

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
