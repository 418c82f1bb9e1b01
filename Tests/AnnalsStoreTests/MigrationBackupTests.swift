import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// A newer Annals opening an older registry copies it beside itself before migrating it.
@Suite struct MigrationBackupTests {
    let folder = TemporaryFolder()

    /// The last migration of the schema before the tally rollup (v4) was added.
    static let olderSchema = "v3-tally-history"

    /// Runs a Python snippet with sqlite3 on the registry files, behind Annals' back; returns what it printed.
    @discardableResult
    func python(_ script: String, _ arguments: String...) throws -> String {
        try SQLitePython.run(script, arguments)
    }

    /// A registry at the older schema holding the records of `RegistryStoreTests.seed`: the records are
    /// written by this Annals into a scratch registry and copied row by row into every table the older
    /// schema has, column by column of the older table (a later migration may add a column).
    func olderRegistry() throws -> (path: String, content: RegistryContent) {
        let scratch = try RegistryStore(path: folder.path("scratch.sqlite"))
        try RegistryStoreTests().seed(scratch)
        let content = try scratch.read { try $0.content() }
        let path = folder.path("annals.sqlite")
        try RegistryStore.createOlderRegistry(at: path, migratedUpTo: Self.olderSchema)
        try python(
            """
            c = sqlite3.connect(sys.argv[1])
            c.execute("ATTACH ? AS scratch", (sys.argv[2],))
            c.execute("PRAGMA foreign_keys = OFF")
            tables = [r[0] for r in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")]
            for t in tables:
                columns = ", ".join(f'"{r[1]}"' for r in c.execute(f'PRAGMA main.table_info("{t}")'))
                c.execute(f'INSERT INTO main."{t}" ({columns}) SELECT {columns} FROM scratch."{t}"')
            c.commit()
            """, path, folder.path("scratch.sqlite"))
        return (path, content)
    }

    func backups() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".bak") }.sorted()
    }

    @Test func anOlderRegistryIsBackedUpBeforeItIsMigrated() throws {
        let (path, content) = try olderRegistry()
        #expect(
            try python("print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM tally').fetchone()[0])", path)
                == "1")

        final class Told: @unchecked Sendable { var paths: [String] = [] }
        let told = Told()
        let store = try RegistryStore(path: path) { told.paths.append($0) }

        let backup = try #require(store.backupBeforeMigration)
        #expect(told.paths == [backup], "the user is told where the copy is")
        #expect(backup.hasPrefix(path + ".before-"))
        #expect(backup.hasSuffix(".bak"))
        let attributes = try FileManager.default.attributesOfItem(atPath: backup)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // The copy is the registry as it was: the older schema and all its records.
        let migrations = try python(
            "print(','.join(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT identifier FROM grdb_migrations ORDER BY identifier')))",
            backup)
        #expect(migrations == "v1-registry,v2-publication-import,v3-tally-history")
        let copied = try python(
            """
            c = sqlite3.connect(sys.argv[1])
            print(c.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'tally_rollup'").fetchone()[0],
                  c.execute("SELECT id, count FROM tally").fetchall(), c.execute("SELECT COUNT(*) FROM org_unit").fetchone()[0],
                  c.execute("PRAGMA integrity_check").fetchone()[0])
            """, backup)
        #expect(copied == "0 [('lccs-baseline', 300)] 2 ok")

        // The registry itself is migrated, holds the same records, and its sums agree with its tallies.
        #expect(try store.read { try $0.content() } == content)
        #expect(try store.check().isEmpty)
        let sums = try store.read { try $0.tallySums(matching: TallyFilter(), by: nil)[nil] ?? [] }
        #expect(sums.reduce(0) { $0 + $1.count } == 300)

        // Opening it again finds nothing to migrate and makes no second copy.
        let again = try RegistryStore(path: path)
        #expect(again.backupBeforeMigration == nil)
        #expect(try backups().count == 1)
    }

    @Test func anOlderRegistryOpenedForReadingIsBackedUpMigratedAndRead() throws {
        let (path, content) = try olderRegistry()
        let store = try RegistryStore(path: path, create: false, readOnly: true)
        let backup = try #require(store.backupBeforeMigration)
        #expect(try backups() == [(backup as NSString).lastPathComponent])
        #expect(try store.read { try $0.content() } == content)
        #expect(try store.check().isEmpty)
        #expect(try RegistryStore(path: path, create: false, readOnly: true).backupBeforeMigration == nil)
    }

    @Test func aNewRegistryIsNotBackedUp() throws {
        let store = try RegistryStore(path: folder.path("annals.sqlite"))
        #expect(store.backupBeforeMigration == nil)
        #expect(try backups().isEmpty)
    }

    @Test func aBackupNeverOverwritesAnEarlierOne() throws {
        let date = Date(timeIntervalSince1970: 1_764_408_600)  // 2025-11-29 09:30:00 UTC
        let path = folder.path("annals.sqlite")
        let first = try RegistryStore.createBackupFile(for: path, before: "v9-test", at: date)
        #expect(first == path + ".before-v9-test-20251129-093000.bak")
        try Data("earlier backup".utf8).write(to: URL(fileURLWithPath: first))
        let second = try RegistryStore.createBackupFile(for: path, before: "v9-test", at: date)
        #expect(second == path + ".before-v9-test-20251129-093000-2.bak")
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "earlier backup")
    }
}
