import AnnalsTestSupport
import Foundation
import Testing

/// `annals history`, `delete` and `restore`, run as a user runs them, on a file and on a PostgreSQL registry.
@Suite struct HistoryCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url, environment: environment)
    }

    /// The login name the commands run as (the actor the history names).
    var user: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "unknown" }
        return String(cString: name)
    }

    static let projectID = "proj-gs-prov-major-1"
    static let oldTitle =
        "Illustrative project: genetic study of congenital megacolon (General Surgery, provincial major special project)"
    static let newTitle = "Genetic study of congenital megacolon, second phase"

    /// The sample registry with one project's title changed.
    func changedSample() throws -> URL {
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8)
        #expect(sample.contains(Self.oldTitle))
        return folder.write("changed.xml", sample.replacingOccurrences(of: Self.oldTitle, with: Self.newTitle))
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// The whole story on one registry (`db` nil: annals.sqlite in the folder).
    func historyDeleteAndRestore(db: [String], environment: [String: String] = [:]) throws {
        func run(_ arguments: String...) throws -> ProcessResult {
            try AnnalsCommand.run(arguments + db, in: folder.url, environment: environment)
        }
        #expect(try run("init").status == 0)
        let imported = try run("import", "registry", Fixtures.sampleRegistry.path)
        #expect(imported.status == 0, "\(imported.stderr)")

        // The import, its actor and its records.
        let history = try run("history")
        #expect(history.status == 0, "\(history.stderr)")
        #expect(
            history.stdout.contains("by \(user)  import of \(Fixtures.sampleRegistry.path) (registry)"),
            "\(history.stdout)")
        #expect(history.stdout.contains("added     organisation unit"))
        let entries = try json(try run("history", "--format", "json").stdout)
        let importLine = try #require(entries.first { $0["action"] as? String == "import" })
        #expect(importLine["actor"] as? String == user)
        #expect(importLine["detail"] as? String == "registry \(Fixtures.sampleRegistry.path)")
        let records = try #require(importLine["records"] as? [[String: Any]])
        #expect(records.count >= 330)
        #expect(records.contains { $0["kind"] as? String == "patent" && $0["id"] as? String == "patent-onc-1" })
        let patentHistory = try run("history", "patent-onc-1")
        #expect(patentHistory.stdout.contains("added     patent patent-onc-1"), "\(patentHistory.stdout)")

        // A changed project: before and after.
        let reimport = try run("import", "registry", try changedSample().path)
        #expect(reimport.status == 0, "\(reimport.stderr)")
        let project = try run("history", Self.projectID)
        #expect(project.stdout.contains("replaced  project \(Self.projectID)"), "\(project.stdout)")
        #expect(
            project.stdout.contains("title: \"\(Self.oldTitle.prefix(76))… → \"\(Self.newTitle)\""), "\(project.stdout)"
        )
        let projectJSON = try json(try run("history", Self.projectID, "--format", "json").stdout)
        let replaced = try #require((projectJSON.last?["records"] as? [[String: Any]])?.first)
        #expect((replaced["before"] as? [String: Any])?["title"] as? String == Self.oldTitle)
        #expect((replaced["after"] as? [String: Any])?["title"] as? String == Self.newTitle)

        // Delete and restore a patent: the registry is as before, and both are in the history.
        let before = try run("export").stdout
        let deleted = try run("delete", "patent", "patent-onc-1")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.contains("Deleted patent patent-onc-1"))
        #expect(!(try run("export").stdout.contains("patent-onc-1")))
        let restored = try run("restore", "patent-onc-1")
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("Restored patent patent-onc-1"))
        #expect(try run("export").stdout == before)
        let patent = try run("history", "patent-onc-1").stdout
        #expect(patent.contains("by \(user)  delete"), "\(patent)")
        #expect(patent.contains("deleted   patent patent-onc-1"))
        #expect(patent.contains("by \(user)  restore"))

        // A person still named as an inventor is not deleted, and the message says by what.
        let refused = try run("delete", "person", "wang-jinhu")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("patent patent-onc-1 (as inventor)"), "\(refused.stderr)")
        #expect(try run("export").stdout == before)
    }

    @Test func historyDeleteAndRestoreOnAFile() throws {
        try historyDeleteAndRestore(db: [])
    }

    @Test func historyDeleteAndRestoreOnPostgreSQL() throws {
        var components = URLComponents(string: try TestPostgres.newDatabaseURL("history"))!
        let password = components.password ?? ""
        components.password = nil
        try historyDeleteAndRestore(db: ["--db", components.string!], environment: ["PGPASSWORD": password])
    }

    @Test func sinceAndMistakesAreSaidPlainly() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        let future = try annals("history", "--since", "2999-01-01")
        #expect(future.status == 0)
        #expect(future.stdout.contains("No change is in the history of annals.sqlite since 2999-01-01."))
        let badDay = try annals("history", "--since", "yesterday")
        #expect(badDay.status != 0)
        #expect(badDay.stderr.contains("--since takes a day written YYYY-MM-DD"))
        let badKind = try annals("delete", "patnet", "patent-onc-1")
        #expect(badKind.status != 0)
        #expect(
            badKind.stderr.contains("'patnet' is not a kind of record. Did you mean 'patent'?"), "\(badKind.stderr)")
        let missing = try annals("delete", "patent", "no-such-patent")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("there is no patent with id no-such-patent"))
        let nothingEarlier = try annals("restore", "patent-onc-1")
        #expect(nothingEarlier.status != 0)
        #expect(nothingEarlier.stderr.contains("still as it was first stored"), "\(nothingEarlier.stderr)")
    }

    @Test func backupAndMigrateStoreCarryTheHistory() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        #expect(try annals("delete", "patent", "patent-onc-1").status == 0)
        let original = try annals("history", "--format", "json").stdout
        let backup = try annals("backup", "--out", "copy.sqlite")
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(try annals("history", "--format", "json", "--db", "copy.sqlite").stdout == original)
        let migrated = try annals("migrate-store", "--from", "annals.sqlite", "--to", "migrated.sqlite")
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(try annals("history", "--format", "json", "--db", "migrated.sqlite").stdout == original)
    }
}
