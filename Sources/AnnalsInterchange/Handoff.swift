import Foundation

/// Hands items from one thread to another through a small bounded buffer, so that reading a file
/// (on its own thread) and storing what it holds (in the caller's transaction) run at the same time.
final class Handoff<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The reader gives up: the consumer has stopped.
    struct Cancelled: Error {}

    /// Adds an item, waiting while the buffer is full. Throws `Cancelled` once the consumer has stopped.
    func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        items.append(item)
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

    /// The next item, waiting for it; nil at the end; the reader's error when it failed.
    func take() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        if head < items.count {
            let item = items[head]
            head += 1
            if head > 1024 {
                items.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer stops early; the reader's next `put` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `produce` on a thread of its own, handing its items over; `consume` runs here. The reader
    /// thread has ended when this returns, whatever happened.
    static func run(
        capacity: Int = 256, produce: @escaping @Sendable (_ put: (Item) throws -> Void) throws -> Void,
        consume: (Item) throws -> Void
    ) throws {
        let handoff = Handoff<Item>(capacity: capacity)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                try produce { try handoff.put($0) }
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        defer { done.wait() }
        do {
            while let item = try handoff.take() { try consume(item) }
        } catch {
            handoff.cancel()
            throw error
        }
    }
}
