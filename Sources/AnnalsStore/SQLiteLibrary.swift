internal import CAnnalsSQLite

/// SQLite's process-wide settings, made once before the first connection opens (`SQLiteBackend.init` and
/// the reads that open a connection of their own call `prepare()` first).
enum SQLiteLibrary {
    /// Memory statistics off: with them on, every allocation SQLite makes takes a process-wide mutex,
    /// about 6 % of the instructions of a large tally import (nothing in Annals reads the statistics).
    /// Returns SQLite's answer: `SQLITE_OK`, or `SQLITE_MISUSE` when a connection was opened before
    /// (then nothing changes, and everything works as before, only slower).
    private static let prepared: Int32 = annals_sqlite3_disable_memory_statistics()

    /// Whether the settings were taken.
    @discardableResult static func prepare() -> Bool { prepared == SQLITE_OK }
}
