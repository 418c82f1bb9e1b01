import AnnalsTestSupport
import Foundation
import Testing

/// The commands on a PostgreSQL registry, run as a user runs them.
@Suite struct PostgresCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url, environment: environment)
    }

    /// Splits a test-server URL into the URL without its password and the password (for PGPASSWORD).
    func withoutPassword(_ url: String) -> (String, String) {
        var components = URLComponents(string: url)!
        let password = components.password ?? ""
        components.password = nil
        return (components.string!, password)
    }

    @Test func aPasswordInTheURLIsNeverPrinted() throws {
        // Nothing listens on port 1: the command fails, and says so without the password.
        for command in [["init"], ["check"], ["export"]] {
            let result = try AnnalsCommand.run(
                command + ["--db", "postgres://annals:s3cret-Passw0rd@127.0.0.1:1/registry"], in: folder.url)
            #expect(result.status != 0)
            #expect(result.stderr.contains("postgres://annals@127.0.0.1:1/registry"), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("s3cret"))
        }
    }

    @Test func migrateStoreCopiesARegistryThatExportsTheSameBytes() throws {
        let (server, password) = withoutPassword(try TestPostgres.newDatabaseURL("cli"))
        let env = ["PGPASSWORD": password]
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", Fixtures.sampleRegistry.path).status == 0)
        #expect(
            try annals("import", "pubmed", Fixtures.samples.appendingPathComponent("pubmed-sample.xml").path).status
                == 0)
        #expect(
            try annals("import", "endnote", Fixtures.samples.appendingPathComponent("endnote-sample.xml").path).status
                == 0)

        let copy = try annals("migrate-store", "--from", "annals.sqlite", "--to", server, environment: env)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("publication: 148 of 148"))
        #expect(copy.stdout.contains("every row, checked"))
        #expect(!(copy.stdout + copy.stderr).contains(password))

        #expect(try annals("export", "--out", "sqlite.xml").status == 0)
        let exported = try annals("export", "--db", server, "--out", "postgres.xml", environment: env)
        #expect(exported.status == 0, "\(exported.stderr)")
        let sqliteExport = try Data(contentsOf: folder.url.appendingPathComponent("sqlite.xml"))
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("postgres.xml")) == sqliteExport)

        // The same commands answer the same on both.
        for command in [
            ["publications", "--format", "json"], ["duplicates"], ["review"], ["cases", "--by", "year"], ["check"],
        ] {
            let onFile = try AnnalsCommand.run(command, in: folder.url)
            let onServer = try AnnalsCommand.run(command + ["--db", server], in: folder.url, environment: env)
            #expect(onServer.status == onFile.status)
            #expect(
                onServer.stdout.replacingOccurrences(of: server, with: "REGISTRY")
                    == onFile.stdout.replacingOccurrences(of: "annals.sqlite", with: "REGISTRY"), "\(command)")
        }

        let again = try annals("migrate-store", "--from", "annals.sqlite", "--to", server, environment: env)
        #expect(again.status != 0)
        #expect(again.stderr.contains("not empty"))
    }

    @Test func thePasswordComesFromPGPassFile() throws {
        let (server, password) = withoutPassword(try TestPostgres.newDatabaseURL("pgpass"))
        let components = URLComponents(string: server)!
        let passFile = folder.write(
            "pgpass",
            "# host:port:database:user:password\n\(components.host!):\(components.port!):*:\(components.user!):\(password)\n"
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passFile.path)
        let result = try annals("init", "--db", server, environment: ["PGPASSFILE": passFile.path, "PGPASSWORD": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Created the registry \(server)"))
        // A pass file others may read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passFile.path)
        let refused = try annals("check", "--db", server, environment: ["PGPASSFILE": passFile.path, "PGPASSWORD": ""])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("password"))
    }
    /// Separate `annals` processes at once on one server registry: two people correcting the same tally
    /// (both land, the later wins, the earlier is in the history), while a PubMed import and readers run.
    @Test func importsAndCorrectionsFromSeveralProcessesAtOnce() throws {
        let (server, password) = withoutPassword(try TestPostgres.newDatabaseURL("procs"))
        let env = ["PGPASSWORD": password]
        #expect(try annals("init", "--db", server, environment: env).status == 0)
        #expect(
            try annals("import", "registry", "--db", server, Fixtures.sampleRegistry.path, environment: env).status == 0
        )
        let header = "id,procedure,approach,department,campus,surgeon,from,to,count,source,note\n"
        let corrections = (0..<2).map { person in
            folder.write(
                "correction-\(person).csv",
                header
                    + "tally-gs-ccl-lap-2016,choledochal cyst excision,laparoscopic,general-surgery,,,2016,2016,\(30 + person),recount \(person),\n"
            )
        }
        let pubmed = Fixtures.samples.appendingPathComponent("pubmed-sample.xml").path
        let jobs: [[String]] = [
            ["import", "tallies", "--db", server, corrections[0].path],
            ["import", "tallies", "--db", server, corrections[1].path],
            ["import", "pubmed", "--db", server, pubmed],
            ["cases", "--db", server, "--by", "year"],
            ["publications", "--db", server],
        ]
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            results.set(i, try? AnnalsCommand.run(jobs[i], in: folder.url, environment: env))
        }
        for i in jobs.indices {
            let result = results.get(i)
            #expect(result?.status == 0, "\(jobs[i]): \(result?.stderr ?? "did not run")")
        }
        let tally = try annals("tally", "--db", server, "tally-gs-ccl-lap-2016", environment: env)
        #expect(tally.status == 0, "\(tally.stderr)")
        // The current count is one correction; the history holds the original and the other correction.
        let lines = tally.stdout.split(separator: "\n").map(String.init)
        let current = lines.first ?? ""
        let earlier = lines.dropFirst().filter { $0.contains("before ") }
        #expect(current.contains("30") || current.contains("31"), "\(tally.stdout)")
        #expect(earlier.count == 2, "\(tally.stdout)")
        #expect(earlier.contains { $0.contains(": 18") }, "\(tally.stdout)")
        #expect(earlier.contains { $0.contains(current.contains("30") ? ": 31" : ": 30") }, "\(tally.stdout)")
        #expect(try annals("check", "--db", server, environment: env).status == 0)
    }
}

/// Results of commands run on several threads.
final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: ProcessResult] = [:]
    func set(_ i: Int, _ result: ProcessResult?) { lock.withLock { results[i] = result } }
    func get(_ i: Int) -> ProcessResult? { lock.withLock { results[i] } }
}
