import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// A PostgreSQL registry whose connection is lost or never made: every wait ends, with a sentence, and
/// nothing half-written stays; a second writer waits its turn, saying so.
@Suite struct PostgresConnectionTests {
    final class Messages: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ text: String) { lock.withLock { list.append(text) } }
        var all: [String] { lock.withLock { list } }
    }

    @Test func aBackendTerminatedMidImportEndsTheImportWithASentenceAndNothingWritten() throws {
        let url = try TestPostgres.newDatabaseURL("lost")
        let store = try RegistryStore(path: url)
        try RegistryStoreTests().seed(store)
        let inside = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let outcome = ConcurrencyTests.Outcome()
        Thread.detachNewThread {
            do {
                try store.write { tx in
                    try tx.upsert(ConcurrencyTests.tally("lccs-2016", year: 2016, count: 18))
                    _ = try tx.tally(id: "lccs-2016")
                    inside.signal()
                    proceed.wait()
                    try tx.upsert(ConcurrencyTests.tally("lccs-2017", year: 2017, count: 21))
                    _ = try tx.tally(id: "lccs-2017")
                }
            } catch {
                outcome.record(error)
            }
            done.signal()
        }
        try #require(inside.wait(timeout: .now() + 30) == .success)
        // The administrator (or a server restart) ends the import's connection in the middle of its transaction.
        let ended = try psql(
            url,
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'annals' AND state LIKE 'idle in transaction%'"
        )
        #expect(ended == "1")
        proceed.signal()
        try #require(done.wait(timeout: .now() + 60) == .success, "the import waited forever on a lost connection")
        let error = try #require(outcome.error as? StoreError, "\(String(describing: outcome.error))")
        #expect(error.message.contains("connection to the registry server"), "\(error.message)")
        #expect(error.message.contains("was lost") && error.message.contains("nothing was written"), "\(error.message)")
        #expect(!error.message.contains("PSQLError"))

        // Nothing of the import landed, and the same store works again on a new connection.
        #expect(try store.read { try $0.tally(id: "lccs-2016") } == nil)
        #expect(
            try RegistryStore(path: url, create: false).read { try $0.content().tallies.map(\.id) } == ["lccs-baseline"]
        )
    }

    @Test func anIdleConnectionEndedByTheServerIsReplaced() throws {
        let url = try TestPostgres.newDatabaseURL("idle")
        let store = try RegistryStore(path: url)
        try RegistryStoreTests().seed(store)
        _ = try psql(
            url,
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'annals'"
        )
        usleep(300_000)
        #expect(try store.read { try $0.content().tallies.count } == 1)
    }

    @Test func aServerThatNeverAnswersIsGivenUpAfterTheBoundWithASentence() throws {
        let start = Date()
        let error = try #require(throws: StoreError.self) {
            try PostgresSession.waitForSilentServerForTesting(seconds: 0.5)
        }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(
            error.message.contains("did not answer") && error.message.contains("nothing was written"),
            "\(error.message)")
    }

    @Test func aClosedPortGetsASentenceNotNIOsText() throws {
        let error = try #require(throws: StoreError.self) {
            try RegistryStore(path: "postgres://annals@127.0.0.1:1/annals", create: false)
        }
        #expect(
            error.message.contains("cannot reach the registry server postgres://annals@127.0.0.1:1/annals"),
            "\(error.message)")
        #expect(
            error.message.contains("connection refused") && error.message.contains("check that the server is running"),
            "\(error.message)")
        #expect(!error.message.contains("NIO") && !error.message.contains("descriptor"), "\(error.message)")
    }

    @Test func aSecondWriterWaitsItsTurnAndSaysSo() throws {
        let url = try TestPostgres.newDatabaseURL("turn")
        let first = try RegistryStore(path: url)
        try RegistryStoreTests().seed(first)
        let messages = Messages()
        let second = try RegistryStore(path: url, create: false, onWaiting: { messages.add($0) })
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? first.write { tx in
                try tx.upsert(ConcurrencyTests.tally("lccs-2016", year: 2016, count: 18))
                inside.signal()
                release.wait()
            }
            firstDone.signal()
        }
        try #require(inside.wait(timeout: .now() + 30) == .success)
        let secondDone = DispatchSemaphore(value: 0)
        let outcome = ConcurrencyTests.Outcome()
        Thread.detachNewThread {
            do {
                _ = try second.write { try $0.upsert(ConcurrencyTests.tally("lccs-2017", year: 2017, count: 21)) }
            } catch {
                outcome.record(error)
            }
            secondDone.signal()
        }
        #expect(secondDone.wait(timeout: .now() + 2) == .timedOut, "the second writer did not wait")
        #expect(messages.all.count == 1 && messages.all.first?.contains("another import") == true, "\(messages.all)")
        release.signal()
        try #require(firstDone.wait(timeout: .now() + 30) == .success)
        try #require(secondDone.wait(timeout: .now() + 30) == .success)
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(try first.read { try $0.content().tallies.count } == 3)
    }
}
