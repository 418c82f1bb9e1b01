import Foundation

/// Figures made from a whole registry (the dashboards' reports), kept until the registry changes.
///
/// Each value is kept with the registry's change stamp (`RegistryReader.changeStamp()`, read in the same
/// snapshot the value is made from): every write that changes a record adds a line to the change log and so
/// changes the stamp, on every backend and from every process (other `annals serve` processes on one PostgreSQL
/// registry, `annals import` into the same file). A value is handed out only for the stamp it was made at, so
/// a figure shown is always the registry's figure at that moment, never an older one.
///
/// Requests asking the same question at the same stamp while it is being made wait for that one answer instead of
/// each making it (32 browsers opening the hospital's dashboard at nine would otherwise each read every paper).
/// At most `capacity` answers are kept; the least recently used goes first.
final class FigureCache<Value: Sendable>: @unchecked Sendable {
    private struct Entry {
        var stamp: String
        var value: Value
        var used: UInt64
    }

    private let capacity: Int
    // Guards everything below; `NSCondition` so that a request can wait for an answer being made.
    private let condition = NSCondition()
    private var entries: [String: Entry] = [:]
    private var making: Set<String> = []
    private var clock: UInt64 = 0
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The answer to `question` kept at `stamp`, if there is one (nothing is made or waited for).
    func kept(_ question: String, stamp: String) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        guard let entry = entries[question], entry.stamp == stamp else { return nil }
        clock += 1
        entries[question]?.used = clock
        hits += 1
        return entry.value
    }

    /// The answer to `question` at `stamp`: the kept one, or the one another request is making, or `make()`'s.
    func value(_ question: String, stamp: String, make: () throws -> Value) throws -> Value {
        let making = question + "\u{1F}" + stamp
        condition.lock()
        while true {
            if let entry = entries[question], entry.stamp == stamp {
                clock += 1
                entries[question]?.used = clock
                hits += 1
                condition.unlock()
                return entry.value
            }
            guard self.making.contains(making) else { break }
            condition.wait()
        }
        self.making.insert(making)
        misses += 1
        condition.unlock()
        defer {
            condition.lock()
            self.making.remove(making)
            condition.broadcast()
            condition.unlock()
        }
        let value = try make()
        condition.lock()
        clock += 1
        entries[question] = Entry(stamp: stamp, value: value, used: clock)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        condition.unlock()
        return value
    }
}
