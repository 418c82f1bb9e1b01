import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Two openings of one registry file, as two `annals` processes would have: a reader never waits for
/// an import and sees the registry as it was before or after it, never half; a second import waits
/// for the first (busy timeout) instead of failing. scripts/crash-test.sh checks the same with real
/// processes and kill -9.
@Suite struct ConcurrencyTests {
    let folder = TemporaryFolder()

    static func tally(_ id: String, year: Int, count: Int) -> CaseTally {
        CaseTally(
            id: id, procedureID: "choledochal-cyst-excision", approach: .laparoscopic, departmentID: "general-surgery",
            campusID: "binjiang", surgeonID: "gao-zhigang", from: PartialDate("\(year)-01-01")!,
            to: PartialDate("\(year)-12-31")!, count: count)
    }

    /// What a background thread did, read once it has finished.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var _error: (any Error)?
        var error: (any Error)? { lock.withLock { _error } }
        func record(_ error: any Error) { lock.withLock { _error = error } }
    }

    @Test func aReaderDuringAWriteDoesNotWaitAndASecondWriterQueues() throws {
        let path = folder.path("annals.sqlite")
        let first = try RegistryStore(path: path)
        try RegistryStoreTests().seed(first)
        let second = try RegistryStore(path: path, create: false)

        // The first import: a write transaction held open until the test lets it commit.
        let inside = DispatchSemaphore(value: 0)
        let commit = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        let firstOutcome = Outcome()
        Thread.detachNewThread {
            do {
                try first.write { tx in
                    try tx.upsert(Self.tally("lccs-2016", year: 2016, count: 18))
                    inside.signal()
                    commit.wait()
                }
            } catch {
                firstOutcome.record(error)
            }
            firstDone.signal()
        }
        try #require(inside.wait(timeout: .now() + 30) == .success)

        // A reader meanwhile: answered at once, from the registry as it was before the import.
        let start = Date()
        let during = try second.read { try $0.content().tallies.map(\.id) }
        #expect(Date().timeIntervalSince(start) < 5, "a reader waited for the import")
        #expect(during == ["lccs-baseline"])

        // A second import meanwhile: it waits for the first rather than failing.
        let secondDone = DispatchSemaphore(value: 0)
        let secondOutcome = Outcome()
        Thread.detachNewThread {
            do {
                _ = try second.write { tx in try tx.upsert(Self.tally("lccs-2017", year: 2017, count: 21)) }
            } catch {
                secondOutcome.record(error)
            }
            secondDone.signal()
        }
        #expect(secondDone.wait(timeout: .now() + 1) == .timedOut, "the second import did not wait for the first")
        #expect(
            secondOutcome.error == nil,
            "the second import failed instead of waiting: \(String(describing: secondOutcome.error))")

        commit.signal()
        try #require(firstDone.wait(timeout: .now() + 30) == .success)
        try #require(secondDone.wait(timeout: .now() + 30) == .success, "the second import never finished")
        #expect(firstOutcome.error == nil, "\(String(describing: firstOutcome.error))")
        #expect(secondOutcome.error == nil, "\(String(describing: secondOutcome.error))")

        // Both imports landed, whole, and the registry is sound.
        let after = try first.read { try $0.content().tallies.map(\.id).sorted() }
        #expect(after == ["lccs-2016", "lccs-2017", "lccs-baseline"])
        #expect(try second.check().isEmpty)
    }
}
