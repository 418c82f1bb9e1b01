import AnnalsTestSupport
import Foundation
import Testing

/// The registry file in trouble, as a user meets it: a mistyped --db, an empty file, a pipe, outputs
/// naming the registry, a damaged file, permissions of a shared folder, a full disk.
@Suite(.serialized) struct RegistryFileCommandTests {
    let folder = TemporaryFolder()

    @discardableResult
    func annals(_ arguments: String..., environment: [String: String] = [:], asNobody: Bool = false) throws
        -> ProcessResult
    {
        try AnnalsCommand.run(arguments, in: folder.url, environment: environment, asNobody: asNobody)
    }

    func loadSamples(_ db: String = "annals.sqlite") throws {
        #expect(try annals("init", "--db", db).status == 0)
        let imported = try annals("import", "registry", "--db", db, Fixtures.sampleRegistry.path)
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: folder.path(name)) }

    /// Runs a program (mount, dd, …) and returns its exit status.
    @discardableResult
    func system(_ program: String, _ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    // MARK: Only `annals init` makes a registry (13.5, 12.11)

    @Test func importIntoAMistypedRegistryIsRefusedAndCreatesNothing() throws {
        let typo = try annals("import", "registry", "--db", "anals.sqlite", Fixtures.sampleRegistry.path)
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("no registry at anals.sqlite"), "\(typo.stderr)")
        #expect(typo.stderr.contains("annals init"))
        let fromEnvironment = try annals(
            "import", "registry", Fixtures.sampleRegistry.path, environment: ["ANNALS_DB": "elsewhere.sqlite"])
        #expect(fromEnvironment.status != 0)
        #expect(
            fromEnvironment.stderr.contains("no registry at elsewhere.sqlite (from ANNALS_DB)"),
            "\(fromEnvironment.stderr)")
        #expect(!exists("anals.sqlite") && !exists("elsewhere.sqlite") && !exists("annals.sqlite"))
    }

    @Test func checkDoesNotTurnAnEmptyFileIntoARegistry() throws {
        _ = FileManager.default.createFile(atPath: folder.path("annals.sqlite"), contents: Data())
        let check = try annals("check")
        #expect(check.status != 0)
        #expect(check.stderr.contains("empty file, not an Annals registry"), "\(check.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("annals.sqlite"))[.size] as? Int == 0)
        #expect(try annals("init").stdout.contains("Created the registry annals.sqlite"))
    }

    @Test func aNamedPipeAsTheRegistryIsRefusedAtOnce() throws {
        try #require(mkfifo(folder.path("pipe"), 0o600) == 0)
        for arguments in [
            ["cases", "--db", "pipe"], ["check", "--db", "pipe"],
            ["import", "registry", "--db", "pipe", Fixtures.sampleRegistry.path], ["init", "--db", "pipe"],
        ] {
            let result = try AnnalsCommand.run(arguments, in: folder.url)
            #expect(result.status != 0)
            #expect(result.stderr.contains("named pipe"), "\(result.stderr)")
        }
    }

    // MARK: Outputs that destroy (13.10)

    @Test func noOutputReplacesTheRegistry() throws {
        try loadSamples()
        let before = try annals("export").stdout
        try FileManager.default.createSymbolicLink(
            atPath: folder.path("link.sqlite"), withDestinationPath: "annals.sqlite")
        for arguments in [
            ["export", "--out", "annals.sqlite"],
            ["export", "--format", "csv", "--table", "people", "--out", "./annals.sqlite"],
            ["export", "--out", "link.sqlite"], ["report", "--year", "2024", "--out", "annals.sqlite"],
            ["report", "--year", "2024", "--out", "annals.sqlite-wal"], ["backup", "--out", "annals.sqlite"],
            ["backup", "--out", "annals.sqlite-shm"], ["profile", "general-surgery", "--out", "link.sqlite"],
        ] {
            let result = try AnnalsCommand.run(arguments, in: folder.url)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("is the registry annals.sqlite itself"), "\(arguments): \(result.stderr)")
        }
        #expect(try annals("check").status == 0)
        #expect(try annals("export").stdout == before)
        #expect(!exists("annals.sqlite-wal") && !exists("annals.sqlite-shm"))
    }

    // MARK: A damaged registry (13.6)

    @Test func aDamagedRegistryIsDiagnosedAndTheAnswerSaysHowToRestore() throws {
        try loadSamples()
        #expect(try annals("backup", "--out", "backup.sqlite").status == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: folder.path("annals.sqlite")))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 8192)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: Int(size) - 8192))
        try handle.close()

        let cases = try annals("cases")
        #expect(cases.status != 0)
        #expect(cases.stderr.contains("is damaged") && cases.stderr.contains("annals backup"), "\(cases.stderr)")
        let check = try annals("check")
        #expect(check.status != 0)
        #expect(check.stderr.contains("the database file is damaged"), "\(check.stderr)")
        #expect(check.stderr.contains("copy the backup to annals.sqlite"), "\(check.stderr)")
        // The backup made before, restored as the advice says, is sound.
        #expect(try annals("check", "--db", "backup.sqlite").status == 0)
    }

    // MARK: Shared folders and permissions (13.4), run as another user

    @Test func aColleagueWhoMayOnlyReadCanReadAndLeavesNothingBehind() throws {
        guard AnnalsCommand.canRunAsAnotherUser else {
            try Test.cancel("needs root and setpriv to run annals as the user nobody (root ignores permission bits)")
        }
        try loadSamples()
        let db = folder.path("annals.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)

        // A folder the colleague may not write in.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        let cases = try annals("cases", "--db", db, asNobody: true)
        #expect(cases.status == 0, "\(cases.stderr)")
        #expect(try annals("check", "--db", db, asNobody: true).status == 0)
        let refused = try annals("import", "registry", "--db", db, Fixtures.sampleRegistry.path, asNobody: true)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("read-only for you"), "\(refused.stderr)")

        // A shared folder everyone may write in: the colleague's `check` leaves no -wal or -shm of theirs.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.url.path)
        let check = try annals("check", "--db", db, asNobody: true)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try annals("export", "--db", db, asNobody: true).status == 0)
        #expect(
            !exists("annals.sqlite-wal") && !exists("annals.sqlite-shm"), "the colleague left files beside the registry"
        )
        // And the owner goes on working.
        #expect(try annals("import", "registry", "--db", db, Fixtures.sampleRegistry.path).status == 0)

        // A registry the colleague may not read at all: said in words.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: db)
        let unreadable = try annals("cases", "--db", db, asNobody: true)
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("you may not read"), "\(unreadable.stderr)")
    }

    // MARK: A full disk (13.6), on a small tmpfs

    @Test func onAFullDiskReadsWorkAndWritesAndBackupsSayTheDiskIsFull() throws {
        let disk = folder.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard getuid() == 0, try system("/bin/mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk) == 0 else {
            try Test.cancel("needs root and mount to make a small full disk (tmpfs)")
        }
        defer { _ = try? system("/bin/umount", "-l", disk) }
        let db = disk + "/annals.sqlite"
        try loadSamples(db)
        // Fill the disk to the last byte.
        try system("/bin/dd", "if=/dev/zero", "of=\(disk)/filler", "bs=64k")
        try system("/bin/dd", "if=/dev/zero", "of=\(disk)/filler2", "bs=1")

        let cases = try annals("cases", "--db", db)
        #expect(cases.status == 0, "\(cases.stderr)")
        #expect(try annals("export", "--db", db).status == 0)
        let backup = try annals("backup", "--db", db, "--out", disk + "/backup.sqlite")
        #expect(backup.status != 0)
        #expect(backup.stderr.contains("is full"), "\(backup.stderr)")
        #expect(!backup.stderr.contains("not an error"))
        #expect(!FileManager.default.fileExists(atPath: disk + "/backup.sqlite"))
        let csv = folder.write(
            "t.csv",
            "procedure,approach,department,campus,from,to,count\nlaparoscopic choledochal cyst excision,,general-surgery,binjiang,2031,2031,3\n"
        )
        let write = try annals("import", "tallies", "--db", db, csv.path)
        #expect(write.status != 0)
        #expect(write.stderr.contains("is full"), "\(write.stderr)")
    }
}
