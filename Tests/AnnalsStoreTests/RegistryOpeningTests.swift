import AnnalsDiagnostics
import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// Opening a registry: only `init` makes one, readers never wait for writers nor leave files behind,
/// nothing that is not an Annals registry is touched, and outputs never land on the registry.
@Suite struct RegistryOpeningTests {
    let folder = TemporaryFolder()

    func seeded(_ name: String = "annals.sqlite") throws -> String {
        let path = folder.path(name)
        try RegistryStoreTests().seed(try RegistryStore(path: path))
        return path
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    final class Messages: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ text: String) { lock.withLock { list.append(text) } }
        var all: [String] { lock.withLock { list } }
    }

    // MARK: SQLite's process-wide settings

    /// Every way the store opens SQLite sets its process-wide settings first (memory statistics off), so
    /// in this process, which has opened many registries by now, they took: had any connection opened
    /// before them, SQLite would have refused them (SQLITE_MISUSE) and this would fail.
    @Test func sqliteIsSetUpBeforeItsFirstConnection() throws {
        _ = try seeded()
        #expect(SQLiteLibrary.prepare())
    }

    // MARK: 13.3 Readers wait for no writer; a second writer waits its turn, saying so

    @Test func aReaderOpensAndReadsWhileAnotherConnectionHoldsTheWriteLockWithAnEmptyWAL() throws {
        let path = try seeded()
        let writer = try RegistryStore(path: path, create: false)
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? writer.holdingWriteLockWithEmptyWAL {
                inside.signal()
                release.wait()
            }
            done.signal()
        }
        try #require(inside.wait(timeout: .now() + 30) == .success)
        defer {
            release.signal()
            done.wait()
        }
        #expect((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 == 0)

        let start = Date()
        let reader = try RegistryStore(path: path, create: false, readOnly: true)
        let tallies = try reader.read { try $0.content().tallies.map(\.id) }
        #expect(tallies == ["lccs-baseline"])
        // `annals duplicates` and `annals review` list merges and review items this way too.
        #expect(try reader.read { try $0.merges() }.isEmpty)
        #expect(try reader.read { try $0.reviewItems(status: nil) }.isEmpty)
        #expect(try reader.check().isEmpty)
        #expect(Date().timeIntervalSince(start) < 5, "the reader waited for the writer")
    }

    @Test func aSecondWriterWaitsItsTurnAndSaysSo() throws {
        let path = try seeded()
        let writer = try RegistryStore(path: path, create: false)
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? writer.holdingWriteLockWithEmptyWAL {
                inside.signal()
                release.wait()
            }
            firstDone.signal()
        }
        try #require(inside.wait(timeout: .now() + 30) == .success)
        let messages = Messages()
        let secondDone = DispatchSemaphore(value: 0)
        let failure = Messages()
        Thread.detachNewThread {
            do {
                let second = try RegistryStore(path: path, create: false, onWaiting: { messages.add($0) })
                _ = try second.write { try $0.upsert(ConcurrencyTests.tally("lccs-2017", year: 2017, count: 21)) }
            } catch {
                failure.add("\(error)")
            }
            secondDone.signal()
        }
        #expect(secondDone.wait(timeout: .now() + 2) == .timedOut, "the second writer did not wait")
        #expect(messages.all.count == 1 && messages.all[0].contains("another import"), "\(messages.all)")
        release.signal()
        try #require(firstDone.wait(timeout: .now() + 30) == .success)
        try #require(secondDone.wait(timeout: .now() + 30) == .success)
        #expect(failure.all.isEmpty, "\(failure.all)")
        #expect(
            try RegistryStore(path: path, create: false, readOnly: true).read { try $0.tally(id: "lccs-2017") } != nil)
    }

    // MARK: 13.4 A reader leaves nothing behind and needs read permission only

    @Test func aReaderLeavesNoFilesBesideTheRegistry() throws {
        let path = try seeded()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reader = try RegistryStore(path: path, create: false, readOnly: true)
        _ = try reader.read { try $0.content() }
        _ = try reader.check()
        for suffix in ["-wal", "-shm", "-journal"] {
            #expect(!FileManager.default.fileExists(atPath: path + suffix), "a reader left \(suffix)")
        }
    }

    @Test func anImmutableReadCreatesNothingAndRefusesAReadThatOverlappedAChange() throws {
        let path = try seeded()
        let count = try SQLiteBackend.readImmutable(path) { db in try RegistrySnapshot(db).content().tallies.count }
        #expect(count == 1)
        #expect(
            !FileManager.default.fileExists(atPath: path + "-wal")
                && !FileManager.default.fileExists(atPath: path + "-shm"))
        #expect(throws: StoreError.self) {
            try SQLiteBackend.readImmutable(path) { _ in
                // Someone writes into the file while it is being read (and, closing, writes it into the file).
                try RegistryStore.executeForTesting(path: path, "PRAGMA user_version = 7")
            }
        }
    }

    @Test func aRegistryOpenedForReadingRefusesToWrite() throws {
        let reader = try RegistryStore(path: try seeded(), create: false, readOnly: true)
        #expect(throws: StoreError.self) { try reader.write { _ in } }
    }

    // MARK: 13.5 / 12.11 Only `init` makes a registry; nothing foreign is touched

    @Test func aMissingRegistryIsRefusedNamingThePathAndInit() throws {
        let path = folder.path("typo.sqlite")
        for readOnly in [false, true] {
            #expect {
                try RegistryStore(path: path, create: false, readOnly: readOnly)
            } throws: { error in
                let error = error as! StoreError
                return error.code == .missing && error.message.contains(path) && error.message.contains("annals init")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aStoreErrorIsOneDiagnosticWithItsCode() throws {
        let path = folder.path("typo-again.sqlite")
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: path, create: false) }
        #expect(error.diagnostics.map(\.code) == [.storeMissing])
        #expect(error.diagnostics.map(\.message) == [error.message])
    }

    @Test func aZeroByteFileIsNotMadeIntoARegistryExceptByInit() throws {
        let path = folder.path("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        for readOnly in [false, true] {
            #expect(throws: StoreError.self) { try RegistryStore(path: path, create: false, readOnly: readOnly) }
        }
        #expect(bytes(path) == Data())
        let created = try RegistryStore(path: path, create: true)
        #expect(created.isNew)
    }

    @Test func aForeignDatabaseHoldingOnlyAViewIsLeftUntouched() throws {
        let path = folder.path("other.sqlite")
        try RegistryStore.executeForTesting(path: path, "CREATE VIEW answer AS SELECT 42 AS value")
        let before = bytes(path)
        for create in [false, true] {
            #expect {
                try RegistryStore(path: path, create: create)
            } throws: { error in
                (error as! StoreError).code == .notARegistry && "\(error)".contains("not an Annals registry")
            }
        }
        #expect(bytes(path) == before)
    }

    @Test func anotherApplicationsGRDBDatabaseIsNotCalledANewerAnnals() throws {
        let path = folder.path("app.sqlite")
        try RegistryStore.executeForTesting(
            path: path,
            "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES ('createUsers'); CREATE TABLE user (id INTEGER)"
        )
        #expect {
            try RegistryStore(path: path, create: false, readOnly: true)
        } throws: { error in
            let error = error as! StoreError
            return error.code == .notARegistry && !error.message.contains("newer")
        }
    }

    @Test func aRegistryOfANewerAnnalsIsStillRecognised() throws {
        let path = try seeded()
        try RegistryStore.executeForTesting(path: path, "INSERT INTO grdb_migrations VALUES ('v99-future')")
        #expect {
            try RegistryStore(path: path, create: false, readOnly: true)
        } throws: { error in (error as! StoreError).code == .tooNew }
    }

    @Test func aNamedPipeOrAFolderIsRefusedAtOnce() throws {
        let fifo = folder.path("pipe.sqlite")
        try #require(mkfifo(fifo, 0o600) == 0)
        let start = Date()
        for create in [false, true] {
            #expect(throws: StoreError.self) { try RegistryStore(path: fifo, create: create) }
            #expect(throws: StoreError.self) { try RegistryStore(path: fifo, create: false, readOnly: true) }
        }
        #expect(throws: StoreError.self) { try RegistryStore(path: folder.url.path, create: false, readOnly: true) }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    // MARK: 13.6 Damage is diagnosed, with advice

    @Test func aDamagedRegistryIsDiagnosedWithAdviceToRestoreABackup() throws {
        let path = try seeded()
        // Overwrite the pages after the first with garbage.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        // Every command is answered with what to do.
        let error = try #require(throws: StoreError.self) {
            let store = try RegistryStore(path: path, create: false, readOnly: true)
            _ = try store.read { try $0.content() }
        }
        #expect(error.code == .damaged)
        #expect(error.message.contains("annals check") && error.message.contains("annals backup"), "\(error.message)")
        // And `check` (through `damageReport` when the file cannot even be opened) says what is damaged.
        let problems = RegistryStore.damageReport(at: path)
        #expect(!problems.isEmpty && problems.allSatisfy(RegistryStore.isDamage), "\(problems)")
        #expect(RegistryStore.restoreAdvice(path).contains("copy the backup to \(path)"))
    }

    // MARK: 13.10 No output lands on the registry; a backup appears only when complete

    @Test func outputsNamingTheRegistryOrItsFilesAreRefused() throws {
        let path = try seeded()
        let store = try RegistryStore(path: path, create: false, readOnly: true)
        let before = bytes(path)
        try FileManager.default.createSymbolicLink(atPath: folder.path("link.sqlite"), withDestinationPath: path)
        try FileManager.default.linkItem(atPath: path, toPath: folder.path("hard.sqlite"))
        let cwd = FileManager.default.currentDirectoryPath.split(separator: "/")
        let relative = String(repeating: "../", count: cwd.count) + path.dropFirst()
        for target in [
            path, folder.path("link.sqlite"), folder.path("hard.sqlite"), folder.path("./annals.sqlite"), path + "-wal",
            path + "-shm", relative,
        ] {
            #expect(throws: StoreError.self, "\(target)") {
                try OutputFile.write(to: target, sparing: store) { sink in
                    try Data("<x/>".utf8).withUnsafeBytes { try sink($0) }
                }
            }
            #expect(throws: StoreError.self, "\(target)") { try store.backup(to: target) }
        }
        #expect(bytes(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        try OutputFile.write(to: folder.path("export.xml"), sparing: store) { sink in
            try Data("<x/>".utf8).withUnsafeBytes { try sink($0) }
        }
        #expect(bytes(folder.path("export.xml")) == Data("<x/>".utf8))
    }

    @Test func aFailedWriteLeavesNoFileUnderTheName() throws {
        struct Interrupted: Error {}
        let target = folder.path("backup.sqlite")
        #expect(throws: Interrupted.self) {
            try OutputFile.place(target, replacing: false, mode: 0o600) { temporary in
                try Data(repeating: 1, count: 4096).write(to: URL(fileURLWithPath: temporary))
                #expect(
                    !FileManager.default.fileExists(atPath: target), "the real name exists before the copy is complete")
                throw Interrupted()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test func aBackupIsCompleteOwnerOnlyAndNeverOverwrites() throws {
        let path = try seeded()
        let store = try RegistryStore(path: path, create: false, readOnly: true)
        let backup = folder.path("backup.sqlite")
        try store.backup(to: backup)
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int) == 0o600)
        #expect(
            try RegistryStore(path: backup, create: false, readOnly: true).read { try $0.content() }
                == store.read { try $0.content() })
        #expect(throws: StoreError.self) { try store.backup(to: backup) }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".partial") }
                .isEmpty)
    }
}
