import AnnalsModel
import Foundation
internal import GRDB

/// The registry database: an embedded SQLite file (WAL mode), or a PostgreSQL server named by a
/// `postgres://USER@HOST:PORT/DB` URL; opened and migrated on first use.
///
/// All reads and writes go through `read(_:)` and `write(_:)`; a `write` is one transaction, so an
/// import either lands whole or not at all. No GRDB, PostgresNIO or SQL type appears in this interface:
/// the closures get a `RegistryReader` or `RegistryWriter`, the same on both backends.
public final class RegistryStore: Sendable {
    /// `annals.sqlite` in the current folder.
    public static let defaultPath = "annals.sqlite"

    let backend: any RegistryBackend
    /// The registry as given: a file's path, or a server URL without its password.
    public var path: String { backend.displayName }

    /// True when `location` names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a file.
    public static func isServerURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// `location` as it may be shown to the user or written to a log: a server URL without its password.
    public static func displayName(for location: String) -> String {
        guard isServerURL(location) else { return location }
        return (try? PostgresLocation(url: location, environment: [:], home: "/nonexistent").description)
            ?? PostgresLocation.redact(location)
    }

    /// Opens the registry at `path` (a file, or a `postgres://` URL), creating it when `create` is true:
    /// a new file is readable by its owner only; on a server, the database must exist and is given the
    /// registry's tables.
    ///
    /// An SQLite registry written by an older Annals is first copied beside itself (see
    /// `backupBeforeMigration`); `onMigrationBackup` is told the copy's path before the migration starts.
    public init(path: String, create: Bool = true, onMigrationBackup: ((String) -> Void)? = nil) throws(StoreError) {
        if Self.isServerURL(path) {
            backend = try PostgresBackend(url: path, create: create)
        } else {
            backend = try SQLiteBackend(path: path, create: create, onMigrationBackup: onMigrationBackup)
        }
    }

    /// Where an SQLite registry was copied before this opening migrated it from an older Annals; nil
    /// when nothing was migrated, and for a server registry (back it up with `pg_dump`).
    public var backupBeforeMigration: String? { (backend as? SQLiteBackend)?.backupBeforeMigration }

    /// True when opening created the registry: a new file, or a server database given its tables now.
    public var isNew: Bool { backend.isNew }

    /// True when the registry is kept by a PostgreSQL server.
    public var isServer: Bool { backend is PostgresBackend }

    /// Runs `body` in one write transaction: everything it does is kept if it returns, nothing if it throws.
    public func write<T>(_ body: (RegistryWriter) throws -> T) throws -> T { try backend.write { try body(RegistryWriter($0)) } }

    /// Runs `body` in a write transaction that is always rolled back: what an import would do, without doing it.
    public func dryRun<T>(_ body: (RegistryWriter) throws -> T) throws -> T { try backend.dryRun { try body(RegistryWriter($0)) } }

    /// Runs `body` on a consistent snapshot of the registry.
    public func read<T>(_ body: (RegistryReader) throws -> T) throws -> T { try backend.read { try body(RegistryReader($0)) } }
}

/// The SQLite backend: one file, WAL mode, a busy timeout; writers take turns, readers never wait.
final class SQLiteBackend: RegistryBackend {
    /// The page cache of the connection that writes, in KiB.
    static let writerCacheKiB = 32 * 1024

    let pool: DatabasePool
    let path: String
    var displayName: String { path }
    let isNew: Bool
    /// Where the registry was copied before this opening migrated it from an older Annals; nil when
    /// no migration of existing content was needed. See `RegistryStore.migrateKeepingBackup`.
    let backupBeforeMigration: String?

    init(path: String, create: Bool, onMigrationBackup: ((String) -> Void)?) throws(StoreError) {
        self.path = path
        isNew = !FileManager.default.fileExists(atPath: path)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            throw StoreError(.notARegistry, "\(path) is a folder; name a registry file such as \(path)/annals.sqlite")
        }
        if !exists {
            guard create else {
                throw StoreError(.missing, "no registry at \(path). Create one with `annals init`, or name another with --db PATH")
            }
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard fd >= 0 else {
                throw StoreError(.cannotOpen, "cannot create the registry \(path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "annals"
        configuration.prepareDatabase { db in
            // The writer's page cache holds the indexes a large import touches on every row; with SQLite's
            // default 2 MB it evicted them over and over, writing each one to the WAL again (a million
            // page writes for a 400 MB PubMed file instead of about fifty thousand).
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
                // Statement journals (kept so one statement can be undone inside a larger transaction)
                // stay in memory: on disk, an import wrote one for nearly every row it stored.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
        }
        do {
            if exists {
                // Another program's database (tables, but none of Annals' bookkeeping) is refused before
                // anything is written to it, even the switch to WAL mode.
                var readOnly = Configuration()
                readOnly.readonly = true
                let foreign = try DatabaseQueue(path: path, configuration: readOnly).read { db in
                    try !db.tableExists("grdb_migrations")
                        && (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0) > 0
                }
                if foreign {
                    throw StoreError(.notARegistry, "\(path) is an SQLite database of another program, not an Annals registry; nothing was changed")
                }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = RegistryStore.migrator
            // Checked on a read: a reader must not wait for an import's write transaction to finish.
            let (superseded, complete) = try pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw StoreError(.tooNew, "\(path) was written by a newer Annals than this one; update Annals to open it")
            }
            backupBeforeMigration =
                complete ? nil : try RegistryStore.migrateKeepingBackup(pool, path: path, migrator: migrator, onBackup: onMigrationBackup)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
    }

    func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        do {
            return try pool.write { db in try body(RegistryTransaction(db)) }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    func dryRun<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        do {
            var result: T?
            try pool.writeWithoutTransaction { db in
                try db.inTransaction {
                    result = try body(RegistryTransaction(db))
                    return .rollback
                }
            }
            return result!
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }

    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(RegistrySnapshot(db)) }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }
}

/// A registry that could not be opened, read or written, said for the user.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        case missing, cannotOpen, notARegistry, tooNew, busy, constraint, other
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    init(wrapping error: any Error, path: String) {
        guard let error = error as? DatabaseError else {
            self.init(.other, "\(error)")
            return
        }
        switch error.resultCode {
        case .SQLITE_NOTADB:
            self.init(.notARegistry, "\(path) is not an Annals registry (not an SQLite database)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "the registry \(path) is busy (another import is running); try again when it has finished")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            self.init(.cannotOpen, "cannot open the registry \(path): \(error.message ?? "permission denied")")
        case .SQLITE_CONSTRAINT:
            self.init(.constraint, "the registry refused a change that would break its rules: \(error.message ?? "constraint failed")")
        default:
            self.init(.other, "registry error in \(path): \(error.message ?? "\(error)")")
        }
    }

    public var description: String { message }
}
