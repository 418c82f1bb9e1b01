import Foundation

/// Hands items from one thread to another through a bounded buffer, so that reading a file (on its
/// own thread) and storing what it holds (in the caller's transaction) run at the same time.
///
/// Items cross in batches: the reader fills a batch of its own and hands it over whole, the consumer
/// takes every waiting batch at once, so the two threads meet (lock, wake-up) once per batch rather
/// than once per item. The buffer holds at most `capacity` batches.
final class Handoff<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The reader gives up: the consumer has stopped.
    struct Cancelled: Error {}

    /// Adds a batch, waiting while the buffer is full. Throws `Cancelled` once the consumer has stopped.
    func put(_ batch: [Item]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        batches.append(batch)
        condition.broadcast()
    }

    /// No more items; `error` is rethrown to the consumer once it has taken every item before it.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Every batch waiting, waiting for one; empty at the end; the reader's error when it failed.
    func takeAll() throws -> [[Item]] {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            let taken = batches
            batches = []
            condition.broadcast()
            return taken
        }
        if let failure { throw failure }
        return []
    }

    /// The consumer stops early; the reader's next `put` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `produce` on a thread of its own, handing its items over in batches of `batchSize`;
    /// `consume` runs here, item by item, in order. The reader thread has ended when this returns,
    /// whatever happened.
    static func run(
        batchSize: Int = 64, capacity: Int = 8,
        produce: @escaping @Sendable (_ put: (Item) throws -> Void) throws -> Void,
        consume: (Item) throws -> Void
    ) throws {
        let handoff = Handoff<Item>(capacity: capacity)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var batch: [Item] = []
            batch.reserveCapacity(batchSize)
            do {
                try produce { item in
                    batch.append(item)
                    if batch.count >= batchSize {
                        try handoff.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try handoff.put(batch) }
                handoff.finish(nil)
            } catch {
                // The items read before the error still go first, as they would one by one.
                if !batch.isEmpty { try? handoff.put(batch) }
                handoff.finish(error)
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        defer { done.wait() }
        do {
            while true {
                let batches = try handoff.takeAll()
                if batches.isEmpty { break }
                for batch in batches {
                    for item in batch { try consume(item) }
                }
            }
        } catch {
            handoff.cancel()
            throw error
        }
    }
}
