import Testing

@testable import AnnalsInterchange

/// Items cross from the reading thread in batches; order, errors and early stops must be as if they
/// crossed one by one.
@Suite struct HandoffTests {
    struct ReadError: Error {}
    struct StoreError: Error {}

    @Test(arguments: [0, 1, 63, 64, 65, 1000, 5000])
    func everyItemArrivesInOrder(_ count: Int) throws {
        var seen: [Int] = []
        try Handoff<Int>.run(produce: { put in for i in 0..<count { try put(i) } }, consume: { seen.append($0) })
        #expect(seen == Array(0..<count))
    }

    @Test func itemsReadBeforeAnErrorArriveThenTheError() throws {
        var seen: [Int] = []
        #expect(throws: ReadError.self) {
            try Handoff<Int>.run(
                produce: { put in
                    for i in 0..<100 { try put(i) }
                    throw ReadError()
                },
                consume: { seen.append($0) })
        }
        #expect(seen == Array(0..<100))
    }

    @Test func aConsumerErrorStopsTheReader() throws {
        let produced = Counter()
        #expect(throws: StoreError.self) {
            try Handoff<Int>.run(
                produce: { put in
                    for i in 0..<1_000_000 {
                        try put(i)
                        produced.add()
                    }
                },
                consume: { if $0 == 10 { throw StoreError() } })
        }
        #expect(produced.value < 1_000_000, "the reader stopped early")
    }

    final class Counter: @unchecked Sendable {
        private(set) var value = 0
        func add() { value += 1 }
    }
}
