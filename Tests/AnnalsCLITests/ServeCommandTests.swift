import AnnalsTestSupport
import Foundation
import Testing

/// `annals serve` as a service runs it: its standard error is the server's log, one JSON object per line from
/// the first line on (journald and log collectors read it), including what the registry says while it opens.
@Suite struct ServeCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    /// Runs a Python snippet with sqlite3 on the registry file (`c`), behind Annals' back; returns what it printed.
    @discardableResult
    func python(_ script: String) throws -> String {
        try SQLitePython.run("c = sqlite3.connect('annals.sqlite')\n" + script, in: folder.url)
    }

    /// A registry left by the Annals before migration v15-paper-list-order (no year beside a department's
    /// credit) is copied, migrated and served; the copy's notice is a JSON line like every other, and the
    /// migration gives every credit its paper's year.
    @Test func aServerOpeningAnOlderRegistryLogsTheBackupAsJSON() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let credits = try python(
            "print(c.execute('SELECT COUNT(*) FROM publication_department WHERE year IS NOT NULL').fetchone()[0])")
        #expect(Int(credits) ?? 0 > 0, "the sample credits dated papers to departments")
        // Back to the schema before v15, as an older Annals left it.
        try python(
            """
            c.executescript('''
                DROP INDEX publication_department_year; DROP INDEX publication_year_id;
                ALTER TABLE publication_department DROP COLUMN year;
                CREATE INDEX publication_department_department ON publication_department(department_id);
                CREATE INDEX publication_year ON publication(year);
                DELETE FROM grdb_migrations WHERE identifier = 'v15-paper-list-order';
            ''')
            """)

        // An address this machine does not have: the server opens (and migrates) the registry, then cannot
        // listen, and stops.
        let served = try annals("serve", "--host", "192.0.2.1", "--port", "8080")
        #expect(served.status != 0)
        let lines = served.stderr.split(separator: "\n").map(String.init)
        let json = lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        let backup = try #require(
            json.first { ($0["message"] as? String)?.contains(".bak") == true },
            "no JSON line names the copy:\n\(served.stderr)")
        #expect(backup["logger"] as? String == "annals.serve")
        #expect(backup["level"] as? String == "info")
        #expect(lines.first.map { $0.hasPrefix("{") } == true, "the first line is JSON:\n\(served.stderr)")

        // Migrated: every credit carries its paper's year again.
        let wrong = try python(
            """
            print(c.execute('''SELECT COUNT(*) FROM publication_department d JOIN publication p ON p.id = d.publication_id
                                WHERE d.year IS NOT p.year''').fetchone()[0])
            """)
        #expect(wrong == "0")
        #expect(try annals("check").status == 0)
    }
}
