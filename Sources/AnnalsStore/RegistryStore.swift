public import AnnalsDiagnostics
public import AnnalsModel
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

    /// Opens the registry at `path` (a file, or a `postgres://` URL). Only with `create` (`annals init`) is a
    /// registry made where there is none (or an empty file): a new file is readable by its owner only; on a
    /// server, the database is created if need be and given the registry's tables. Without `create`, a
    /// missing registry, an empty file, another program's database, a folder, a named pipe or a device is
    /// refused with a sentence, and nothing is written.
    ///
    /// With `readOnly`, opening and reading take no lock that a writer holds and need only read permission:
    /// a reader never waits for an import, and never leaves files beside the registry that would stop others
    /// (see `SQLiteBackend`). `write` then throws.
    ///
    /// An SQLite registry written by an older Annals is first copied beside itself (see
    /// `backupBeforeMigration`); `onMigrationBackup` is told the copy's path before the migration starts.
    /// `onWaiting` is told, once, when a write has to wait for another import to finish (it then waits its turn).
    public init(
        path: String, create: Bool = true, readOnly: Bool = false, onMigrationBackup: ((String) -> Void)? = nil,
        onWaiting: (@Sendable (String) -> Void)? = nil
    ) throws(StoreError) {
        if Self.isServerURL(path) {
            backend = try PostgresBackend(url: path, create: create, onWaiting: onWaiting)
        } else {
            backend = try SQLiteBackend(
                path: path, create: create, readOnly: readOnly, onMigrationBackup: onMigrationBackup,
                onWaiting: onWaiting)
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
    /// Every record it adds, replaces or deletes is logged in the registry's change log, in the same
    /// transaction, under one line naming `actor` and `action` (a write that changes nothing leaves no line).
    /// A write that changes a record of a closed year throws `ClosedYearRefusal` and keeps nothing; records a
    /// department account changed wait for validation (see `settleWorkflow`).
    public func write<T>(as actor: ChangeActor, doing action: ChangeAction, _ body: (RegistryWriter) throws -> T) throws
        -> T
    {
        try backend.write { writing in
            writing.change = ChangeContext(actor, action)
            let result = try body(RegistryWriter(writing))
            try writing.settleWorkflow()
            return result
        }
    }

    /// Runs `body` in a write transaction that is always rolled back: what an import would do, without doing it.
    public func dryRun<T>(as actor: ChangeActor, doing action: ChangeAction, _ body: (RegistryWriter) throws -> T)
        throws -> T
    {
        try backend.dryRun { writing in
            writing.change = ChangeContext(actor, action)
            let result = try body(RegistryWriter(writing))
            try writing.settleWorkflow()
            return result
        }
    }

    /// Runs `body` on a consistent snapshot of the registry.
    public func read<T>(_ body: (RegistryReader) throws -> T) throws -> T {
        try backend.read { try body(RegistryReader($0)) }
    }
}

/// The SQLite backend: one file, WAL mode; writers take turns (a second one waits, saying so), readers
/// never wait.
///
/// Opened for writing, it is a GRDB `DatabasePool`. Opened for reading (`readOnly`), it holds no connection:
/// each `read` opens one and closes it, so that no lock is kept and SQLite's last-close clean-up removes
/// the -wal and -shm files. How that connection is opened depends on what this user may do:
/// - may change the registry: an ordinary connection that only reads (it never starts a write, so never
///   waits for an import; files it creates are removed when the last connection closes);
/// - may only read it, and the registry is in use (its -wal and -shm exist): a read-only connection, which
///   uses those files and creates none;
/// - may only read it, nobody has it open, and everything is written into the file (no -wal, or an empty
///   one): SQLite's `immutable` mode, which takes no lock and creates nothing; the file is compared before
///   and after the read, and a read that overlapped a change is refused ("run the command again"). The same
///   is used when the files could not be created (a full disk).
final class SQLiteBackend: RegistryBackend {
    /// The page cache of the connection that writes, in KiB.
    static let writerCacheKiB = 32 * 1024

    /// The connections of a registry opened for writing; nil when opened for reading only.
    private let writer: DatabasePool?
    let path: String
    var displayName: String { path }
    let isNew: Bool
    /// Where the registry was copied before this opening migrated it from an older Annals; nil when
    /// no migration of existing content was needed. See `RegistryStore.migrateKeepingBackup`.
    let backupBeforeMigration: String?

    /// The pool, for the operations that change the registry.
    var pool: DatabasePool {
        get throws(StoreError) {
            guard let writer else { throw StoreError(.cannotOpen, "\(path) was opened for reading only") }
            return writer
        }
    }

    init(
        path: String, create: Bool, readOnly: Bool, onMigrationBackup: ((String) -> Void)?,
        onWaiting: (@Sendable (String) -> Void)?
    ) throws(StoreError) {
        SQLiteLibrary.prepare()
        self.path = path
        var file = RegistryFile(path)
        var isNew = false
        switch file.kind {
        case .missing:
            guard create else { throw StoreError(.missing, Self.missingMessage(path)) }
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard fd >= 0 else {
                throw StoreError(.cannotOpen, "cannot create the registry \(path): \(String(cString: strerror(errno)))")
            }
            close(fd)
            file = RegistryFile(path)
            isNew = true
        case .notAFile(let what) where what == "a folder":
            throw StoreError(.notARegistry, "\(path) is a folder; name a registry file such as \(path)/annals.sqlite")
        case .notAFile(let what):
            throw StoreError(.notARegistry, "\(path) is \(what); name the registry file with --db PATH or ANNALS_DB")
        case .empty:
            guard create else {
                throw StoreError(
                    .notARegistry,
                    "\(path) is an empty file, not an Annals registry; nothing was changed. To make a new registry there, run `annals init --db \(path)`; otherwise name the registry with --db PATH or ANNALS_DB"
                )
            }
            isNew = true
        case .notSQLite:
            if let reason = file.cannotRead { throw StoreError(.cannotOpen, "cannot read the registry: \(reason)") }
            throw StoreError(
                .notARegistry, "\(path) is not an Annals registry (not an SQLite database); nothing was changed")
        case .sqlite:
            break
        }
        if !readOnly, let reason = file.cannotWrite {
            throw StoreError(
                .cannotOpen,
                "cannot change the registry: \(reason). You may still read it (annals cases, report, export, check); to change it, ask its owner."
            )
        }
        let migrator = RegistryStore.migrator
        var complete = isNew ? false : true
        if !isNew {
            // What the file is, found by reading only (no lock a writer holds, nothing written).
            let identity: Identity
            do {
                identity = try Self.read(path) { db in try Identity(db) }
            } catch {
                throw StoreError(wrapping: error, path: path)
            }
            switch identity.verdict(known: migrator.migrations) {
            case .registry(let done):
                complete = done
            case .emptyDatabase:
                guard create else {
                    throw StoreError(
                        .notARegistry,
                        "\(path) is an empty SQLite database, not an Annals registry; nothing was changed. To make a new registry there, run `annals init --db \(path)`"
                    )
                }
                isNew = true
                complete = false
            case .foreign(let detail):
                throw StoreError(
                    .notARegistry,
                    "\(path) is an SQLite database of another program (\(detail)), not an Annals registry; nothing was changed"
                )
            case .newer:
                throw StoreError(
                    .tooNew, "\(path) was written by a newer Annals than this one; update Annals to open it")
            }
        }
        self.isNew = isNew
        if readOnly {
            writer = nil
            guard !complete else {
                backupBeforeMigration = nil
                return
            }
            // An older registry is updated once, by someone who may change it; then read as usual.
            if let reason = file.cannotWrite {
                throw StoreError(
                    .cannotOpen,
                    "\(path) was written by an older Annals and must be updated once by someone who may change it (\(reason)); ask its owner to run `annals check --db \(path)`"
                )
            }
            do {
                let pool = try DatabasePool(
                    path: path, configuration: Self.writerConfiguration(path: path, onWaiting: onWaiting))
                backupBeforeMigration = try RegistryStore.migrateKeepingBackup(
                    pool, path: path, migrator: migrator, onBackup: onMigrationBackup)
                try pool.close()
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(wrapping: error, path: path)
            }
            return
        }
        do {
            let pool = try DatabasePool(
                path: path, configuration: Self.writerConfiguration(path: path, onWaiting: onWaiting))
            writer = pool
            // One reader connection opened now, as every opening did before, and kept for the reads to come.
            try pool.read { _ in }
            backupBeforeMigration =
                complete
                ? nil
                : try RegistryStore.migrateKeepingBackup(
                    pool, path: path, migrator: migrator, onBackup: onMigrationBackup)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
    }

    static func missingMessage(_ path: String) -> String {
        "no registry at \(path). Create one with `annals init --db \(path)`, or name the right one with --db PATH (or ANNALS_DB)"
    }

    /// The configuration of the connections of a registry opened for writing. A writer that finds another
    /// import writing waits its turn, without limit (the other one's lock ends with it, also if it is killed),
    /// and `onWaiting` is told once.
    static func writerConfiguration(path: String, onWaiting: (@Sendable (String) -> Void)?) -> Configuration {
        var configuration = Configuration()
        let notice = WaitNotice(
            onWaiting, "another import is changing \(path); waiting for it to finish (press Ctrl-C to give up)…")
        configuration.busyMode = .callback { tries in
            if tries == 0 { notice.tell() }
            usleep(tries < 50 ? 20_000 : 100_000)
            return true
        }
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
        return configuration
    }

    /// Runs `body` in a read transaction on a connection opened for it alone, chosen as the type's notes
    /// say; the connection is closed afterwards.
    static func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        SQLiteLibrary.prepare()
        let file = RegistryFile(path)
        if let reason = file.cannotRead { throw StoreError(.cannotOpen, "cannot read the registry: \(reason)") }
        let walHasContent = RegistryFile.hasContent(file.walPath)
        if file.cannotWrite == nil {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "annals.reader"
            let queue: DatabaseQueue
            do {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                // The first read creates the -wal and -shm files when they are missing; a full disk fails here.
                try queue.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            } catch let error as DatabaseError where !walHasContent && Self.couldNotCreateFiles(error) {
                return try readImmutable(path, body)
            }
            defer { try? queue.close() }
            return try queue.read(body)
        }
        if RegistryFile.exists(file.walPath) && RegistryFile.exists(file.shmPath) {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            configuration.label = "annals.reader"
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read(body)
        }
        guard !walHasContent else {
            throw StoreError(
                .cannotOpen,
                "\(path) holds changes that were not finished being written into it (\(file.walPath)), and you may not finish them: \(file.cannotWrite ?? ""). Ask someone who may change the registry to run `annals check --db \(path)` once; then you can read it"
            )
        }
        return try readImmutable(path, body)
    }

    /// True for the errors of a connection that could not create or grow the -wal and -shm files.
    static func couldNotCreateFiles(_ error: DatabaseError) -> Bool {
        [.SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode)
    }

    /// Reads the file as immutable (no lock, nothing created), refusing a read that overlapped a change.
    static func readImmutable<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let before = RegistryFile.signature(path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "annals.reader"
        let queue = try DatabaseQueue(path: RegistryFile.immutableURI(path), configuration: configuration)
        defer { try? queue.close() }
        let result = try queue.read(body)
        guard RegistryFile.signature(path) == before else {
            throw StoreError(
                .busy,
                "the registry \(path) was changed by someone while it was being read; nothing was written. Run the command again"
            )
        }
        return result
    }

    /// Runs `body` in a read transaction: on the pool when opened for writing, else as `read(_:_:)` says.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        if let writer { return try writer.read(body) }
        return try Self.read(path, body)
    }

    func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T {
        do {
            return try pool.write { db in
                let transaction = RegistryTransaction(db)
                let result = try body(transaction)
                try transaction.finish()
                return result
            }
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
            return try reading { db in try body(RegistrySnapshot(db)) }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
    }
}

/// What an existing SQLite file holds, as far as telling an Annals registry from anything else goes.
struct Identity {
    /// Tables, views, indexes and triggers, SQLite's own left out.
    var objects: Int
    /// GRDB's list of applied migrations, or nil when there is none.
    var migrations: [String]?

    init(_ db: Database) throws {
        objects =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            ?? 0
        migrations =
            try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : nil
    }

    enum Verdict: Equatable {
        case registry(complete: Bool)
        case emptyDatabase
        case foreign(String)
        case newer
    }

    /// Annals' registries list `v1-registry` first among their migrations, each named `vN-…`; anything else
    /// is another program's database, GRDB's or not.
    func verdict(known: [String]) -> Verdict {
        guard let migrations else {
            return objects == 0
                ? .emptyDatabase : .foreign("\(objects) tables, views or indexes, none of Annals' bookkeeping")
        }
        guard migrations.contains(known[0]) else {
            // Only the empty list a new registry started with: nothing of anyone's is in it.
            if migrations.isEmpty && objects == 1 { return .emptyDatabase }
            let names = migrations.prefix(3).joined(separator: ", ")
            return .foreign(migrations.isEmpty ? "\(objects) tables, views or indexes" : "its migrations are \(names)")
        }
        let unknown = Set(migrations).subtracting(known)
        if !unknown.isEmpty {
            let annalsLike = unknown.allSatisfy { name in
                name.first == "v" && name.dropFirst().prefix(while: \.isNumber).count > 0
                    && name.dropFirst().drop(while: \.isNumber).first == "-"
            }
            return annalsLike
                ? .newer : .foreign("its migrations include \(unknown.sorted().prefix(3).joined(separator: ", "))")
        }
        return .registry(complete: Set(known).isSubset(of: Set(migrations)))
    }
}

/// Tells once that a writer is waiting for another.
final class WaitNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var told = false
    private let receiver: (@Sendable (String) -> Void)?
    private let message: String

    init(_ tell: (@Sendable (String) -> Void)?, _ message: String) {
        self.receiver = tell
        self.message = message
    }

    func tell() {
        let first = lock.withLock {
            defer { told = true }
            return !told
        }
        if first { receiver?(message) }
    }
}

/// A registry that could not be opened, read or written, said for the user.
public struct StoreError: Error, Sendable, CustomStringConvertible, DiagnosticConvertible {
    public enum Code: Sendable {
        case missing, cannotOpen, notARegistry, tooNew, busy, constraint, damaged, diskFull, other
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The error as one diagnostic (`store.missing`, `store.busy`, …); the message names the registry.
    public var diagnostics: [Diagnostic] {
        let code: Diagnostic.Code =
            switch self.code {
            case .missing: .storeMissing
            case .cannotOpen: .storeCannotOpen
            case .notARegistry: .storeNotARegistry
            case .tooNew: .storeTooNew
            case .busy: .storeBusy
            case .constraint: .storeConstraint
            case .damaged: .storeDamaged
            case .diskFull: .storeDiskFull
            case .other: .storeOther
            }
        return [Diagnostic(code, at: .init(), message: message)]
    }

    init(wrapping error: any Error, path: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(.other, "\(error)")
            return
        }
        let detail = error.message ?? "\(error)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self.init(
                .damaged,
                "the registry \(path) is damaged (SQLite says: \(detail)); nothing was changed. `annals check --db \(path)` shows what is damaged. \(RegistryStore.restoreAdvice(path))"
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "the registry \(path) is busy (another import is running); try again when it has finished")
        case .SQLITE_FULL:
            self.init(.diskFull, Self.diskFullMessage(path))
        case .SQLITE_IOERR where Self.diskIsFull(path):
            self.init(.diskFull, Self.diskFullMessage(path))
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            let reason = RegistryFile(path).cannotWrite ?? RegistryFile(path).cannotRead ?? detail
            self.init(.cannotOpen, "cannot open the registry \(path): \(reason)")
        case .SQLITE_CONSTRAINT:
            self.init(
                .constraint,
                "the registry refused a change that would break its rules: \(error.message ?? "constraint failed")")
        default:
            self.init(.other, "registry error in \(path): \(detail)")
        }
    }

    static func diskFullMessage(_ path: String) -> String {
        "the disk holding \(path) is full; nothing was changed. Free some space on it and try again"
    }

    /// True when the file system holding `path` (or its folder, when it does not exist) has no room left.
    static func diskIsFull(_ path: String) -> Bool {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(FileManager.default.fileExists(atPath: path) ? path : (folder.isEmpty ? "." : folder), &info) == 0
        else {
            return false
        }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1024
    }

    public var description: String { message }
}
