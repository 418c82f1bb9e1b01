import Foundation
internal import GRDB

extension RegistryStore {
    /// Brings a registry up to this Annals' schema. When the registry already holds an older schema
    /// (some migrations applied, not all), it is first copied with SQLite's online backup to
    /// `PATH.before-MIGRATION-YYYYMMDD-HHMMSS.bak` beside it (UTC time, readable by its owner only,
    /// never overwriting a file), `onBackup` is told where, and only then is it migrated. A registry
    /// just created (no migration applied) has nothing to keep and is migrated without a copy.
    ///
    /// - Returns: the backup's path, or nil when no backup was needed.
    /// - Throws: `StoreError` when the backup cannot be made (and then nothing is migrated), or when
    ///   the migration fails (the message names the backup).
    static func migrateKeepingBackup(
        _ pool: DatabasePool, path: String, migrator: DatabaseMigrator, onBackup: ((String) -> Void)?,
        now: Date = Date()
    ) throws -> String? {
        let backup: String? = try pool.barrierWriteWithoutTransaction { db in
            // Decided under the write lock: another opening in this process may have migrated meanwhile.
            let applied = try migrator.appliedIdentifiers(db)
            guard !applied.isEmpty, try !migrator.hasCompletedMigrations(db) else { return nil }
            let target = migrator.migrations.last ?? "latest"
            let destination = try createBackupFile(for: path, before: target, at: now)
            do {
                let copy = try DatabaseQueue(path: destination)
                try copy.writeWithoutTransaction { copyDB in try db.backup(to: copyDB) }
                try copy.close()
            } catch {
                try? FileManager.default.removeItem(atPath: destination)
                throw StoreError(
                    .cannotOpen,
                    "\(path) was written by an older Annals and must be updated, but no backup of it could be made at \(destination), so it was left as it was: \(StoreError(wrapping: error, path: destination).message)"
                )
            }
            return destination
        }
        if let backup { onBackup?(backup) }
        do {
            try migrator.migrate(pool)
        } catch {
            let reason = StoreError(wrapping: error, path: path).message
            if let backup {
                throw StoreError(
                    .other,
                    "updating \(path) from an older Annals failed (\(reason)); the registry as it was is saved in \(backup)"
                )
            }
            throw error
        }
        return backup
    }

    /// Creates the (empty, owner-only) file for a backup before migrating `path` to `migration`; when a
    /// backup of the same second exists, `-2`, `-3`, … is added, so no earlier backup is ever overwritten.
    static func createBackupFile(for path: String, before migration: String, at date: Date) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "\(path).before-\(migration)-\(formatter.string(from: date))"
        for attempt in 1...100 {
            let candidate = attempt == 1 ? "\(stem).bak" : "\(stem)-\(attempt).bak"
            let fd = open(candidate, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            if fd >= 0 {
                close(fd)
                return candidate
            }
            if errno != EEXIST {
                throw StoreError(
                    .cannotOpen,
                    "\(path) was written by an older Annals and must be updated, but the backup \(candidate) cannot be created (\(String(cString: strerror(errno)))), so it was left as it was. Check that you may write in its folder."
                )
            }
        }
        throw StoreError(.cannotOpen, "too many backups named \(stem)*.bak; move some away and open the registry again")
    }

    /// Creates a registry file whose schema stops at `migration`, as an older Annals left it, with
    /// nothing in it: for tests of the migration from older registries.
    static func createOlderRegistry(at path: String, migratedUpTo migration: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw StoreError(.cannotOpen, "cannot create \(path)") }
        close(fd)
        SQLiteLibrary.prepare()
        let pool = try DatabasePool(path: path)
        try migrator.migrate(pool, upTo: migration)
        try pool.close()
    }
}
