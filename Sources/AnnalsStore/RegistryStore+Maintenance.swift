import AnnalsModel
import Foundation
internal import GRDB

extension RegistryStore {
    /// Everything wrong with the registry, in words; empty when it is sound. Checks SQLite's own
    /// integrity, every reference between records, and the registry's rule that no two tallies count
    /// the same operations.
    public func check() throws -> [String] {
        do {
            return try pool.read { db in
                var problems: [String] = []
                for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                    problems.append("the database file is damaged: \(message)")
                }
                for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                    let table: String = row[0]
                    let parent: String = row[2]
                    problems.append("a record in \(table) refers to a missing record in \(parent)")
                }
                for conflict in try RegistrySnapshot(db).tallyConflicts(involving: nil) {
                    problems.append("case tallies '\(conflict.first.id)' and '\(conflict.second.id)' overlap: the same operations are counted twice")
                }
                let rollupMismatch = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM (
                            SELECT department_id, approach, IFNULL(campus_id, '') c, IFNULL(surgeon_id, '') s, IFNULL(from_day, '') f,
                                   to_day, SUM(count) n FROM tally GROUP BY 1, 2, 3, 4, 5, 6
                            EXCEPT SELECT department_id, approach, campus_id, surgeon_id, from_day, to_day, count FROM tally_rollup)
                        """) ?? 0
                if rollupMismatch > 0 { problems.append("the case-count sums disagree with the tallies in \(rollupMismatch) places") }
                return problems
            }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    /// Copies the registry to `destination` with SQLite's online backup (others may go on reading and
    /// writing meanwhile); the copy is readable by its owner only. An existing file is not overwritten.
    public func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(.cannotOpen, "\(destination) already exists; name a new file for the backup")
        }
        let fd = open(destination, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            throw StoreError(.cannotOpen, "cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        close(fd)
        do {
            let copy = try DatabaseQueue(path: destination)
            try pool.backup(to: copy)
            try copy.close()
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw StoreError(wrapping: error, path: destination)
        }
    }
}
