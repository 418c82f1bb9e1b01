import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// `upsertTallies`, the batch path of tally imports: many tallies to a statement, the rollup added once per
/// batch; the same outcome, rows, history and sums as writing the tallies one by one, on both backends.
@Suite struct TallyBatchTests {
    let folder = TemporaryFolder()

    func seededStore(_ backend: TestBackend) throws -> RegistryStore {
        let store = try RegistryStore(path: try folder.registryLocation(backend))
        try RegistryStoreTests().seed(store)
        return store
    }

    func tally(
        _ id: String, _ from: String?, _ to: String, _ count: Int, approach: Approach = .open,
        campus: String? = "binjiang",
        surgeon: String? = nil, note: String? = nil
    ) -> CaseTally {
        CaseTally(
            id: id, procedureID: "choledochal-cyst-excision", approach: approach, departmentID: "general-surgery",
            campusID: campus, surgeonID: surgeon, from: from.flatMap(PartialDate.init), to: PartialDate(to)!,
            count: count,
            note: note)
    }

    /// `months` monthly tallies from 1990-01 on, of every approach, campus and surgeon level: more than one
    /// statement holds, and more than a batch needs to add its sums once.
    func monthly(_ months: Int, count: (Int) -> Int = { $0 % 61 }, prefix: String = "m") -> [CaseTally] {
        var tallies: [CaseTally] = []
        for month in 0..<months {
            let period = String(format: "%04d-%02d", 1990 + month / 12, month % 12 + 1)
            for (k, (approach, campus, surgeon)) in [
                (Approach.open, "binjiang", nil), (.open, "hubin", nil), (.laparoscopic, "hubin", "gao-zhigang"),
                (.robotic, nil, nil),
            ].enumerated() {
                tallies.append(
                    tally(
                        "\(prefix)\(month).\(k)", period, period, count(month * 4 + k), approach: approach,
                        campus: campus, surgeon: surgeon))
            }
        }
        return tallies
    }

    func expectExactRollup(_ store: RegistryStore, _ comment: Comment? = nil) throws {
        let rollup = try store.rollupForTesting()
        #expect(!rollup.recomputed.isEmpty)
        #expect(rollup.stored == rollup.recomputed, comment)
        #expect(try store.check() == [], comment)
    }

    @Test(arguments: TestBackend.allCases) func afterABatchTheRollupEqualsOneMadeFromScratch(_ backend: TestBackend)
        throws
    {
        let store = try seededStore(backend)
        let first = monthly(300)
        #expect(
            first.count > RegistryTransaction.rollupOnceFrom && first.count > PostgresTransaction.talliesPerStatement)
        let outcomes = try store.write { try $0.upsertTallies(first) }
        #expect(outcomes == Array(repeating: .inserted, count: first.count))
        try expectExactRollup(store, "after new tallies")

        // Corrections of every kind in one batch: new counts, tallies moved to other periods (a sum left with no
        // tally must go), a tally replaced through its series and period under another id, tallies unchanged.
        var second = first
        for i in stride(from: 0, to: second.count, by: 3) { second[i].count += 1 }
        for i in stride(from: 0, to: second.count, by: 9) {
            second[i].from = PartialDate(String(2030 + i / 9))
            second[i].to = PartialDate(String(2030 + i / 9))!
            second[i].approach = .hybrid
            second[i].campusID = "hubin"
        }
        second[1].id = "another-id"
        second += [tally("new", "2031", "2031", 5)]
        let corrected = try store.write { try $0.upsertTallies(second) }
        #expect(corrected.count == second.count)
        #expect(corrected.prefix(4) == [.updated, .unchanged, .unchanged, .updated] && corrected.last == .inserted)
        try expectExactRollup(store, "after corrections")
        #expect(try store.read { try $0.tally(id: "another-id") } == nil, "replaced under the registry's id")

        // A single tally afterwards goes through the triggers, which a batch sets aside and brings back.
        try store.write { tx in
            try tx.upsert(tally("single", "2032", "2032", 3))
            try tx.upsert(tally("m0.0", "2033", "2033", 4))
        }
        try expectExactRollup(store, "after single tallies")
        if backend == .sqlite {
            let tallyTriggers = try store.schemaForTesting().triggers.filter { $0.hasPrefix("tally:") }
            #expect(tallyTriggers == ["tally: insert", "tally: update", "tally: delete"])
        }
    }

    /// An import writes batch after batch in one transaction: the triggers set aside by the first stay aside
    /// until the transaction ends, so every later write in it, a single tally too, adds its own sums.
    @Test(arguments: TestBackend.allCases) func batchesAndSingleTalliesInOneTransactionKeepTheRollupExact(
        _ backend: TestBackend
    ) throws {
        let store = try seededStore(backend)
        try store.write { tx in
            _ = try tx.upsertTallies(monthly(100, prefix: "a"))
            try tx.upsert(tally("single", "2032", "2032", 3))
            _ = try tx.upsertTallies([tally("a0.0", "2033", "2033", 4), tally("small", "2034", "2034", 5)])
            _ = try tx.upsertTallies(monthly(100, count: { $0 % 7 }, prefix: "a"))
        }
        try expectExactRollup(store, "after batches and single tallies in one transaction")
        if backend == .sqlite {
            let tallyTriggers = try store.schemaForTesting().triggers.filter { $0.hasPrefix("tally:") }
            #expect(tallyTriggers == ["tally: insert", "tally: update", "tally: delete"])
        }
        // A transaction that fails after setting them aside leaves them as they were.
        #expect(throws: (any Error).self) {
            try store.write { tx in
                _ = try tx.upsertTallies(monthly(100, prefix: "b"))
                throw StoreError(.other, "given up")
            }
        }
        try expectExactRollup(store, "after a transaction given up")
        try store.write { try $0.upsert(tally("after", "2035", "2035", 6)) }
        try expectExactRollup(store, "after a single tally once the batches are over")
    }

    @Test(arguments: TestBackend.allCases) func aBatchDoesWhatWritingTheTalliesOneByOneDoes(_ backend: TestBackend)
        throws
    {
        // Tallies that depend on earlier ones of the same batch: the same id twice, a tally moved away from a
        // period that the next one then takes, a series and period taken twice, a tally equal to one before it.
        let existing = [tally("e", "2016", "2016", 10), tally("f", "2017", "2017", 11, campus: "hubin")]
        let tricky = [
            tally("e", "2018", "2018", 12),  // moves e from 2016 to 2018
            tally("b", "2016", "2016", 13),  // 2016 is free again: a new tally
            tally("c", "2018", "2018", 14),  // e's series and period now: replaces e
            tally("d", "2018", "2018", 14),  // the same again: unchanged
            tally("g", "2019", "2019", 1), tally("g", "2019", "2019", 2),  // the same id twice
            tally("h", "2017", "2017", 15, campus: "hubin", note: "recount"),  // replaces f
            tally("f", "2020", "2020", 16, campus: "hubin"),  // f's id again, now another period
        ]
        for padding in [0, 300] {
            let batch = monthly(padding / 4, prefix: "p") + tricky + monthly(padding / 4, prefix: "q")
            let oneByOne = try seededStore(backend)
            let batched = try seededStore(backend)
            for store in [oneByOne, batched] { _ = try store.write { try $0.upsertTallies(existing) } }
            let expected = try oneByOne.write { tx in try batch.map { try tx.upsert($0) } }
            let outcomes = try batched.write { try $0.upsertTallies(batch) }
            #expect(outcomes == expected, "padding \(padding)")
            #expect(
                Array(expected.suffix(tricky.count + padding / 4 * 4).prefix(tricky.count)) == [
                    .updated, .inserted, .updated, .unchanged, .inserted, .updated, .updated, .updated,
                ])
            let (a, b) = (try oneByOne.read { try $0.content().tallies }, try batched.read { try $0.content().tallies })
            #expect(a == b, "padding \(padding)")
            for id in ["e", "f", "g", "b"] {
                let history = { (store: RegistryStore) in try store.read { try $0.tallyHistory(id: id).map(\.tally) } }
                #expect(try history(oneByOne) == history(batched), "history of \(id), padding \(padding)")
            }
            #expect(try batched.read { try $0.tallyHistory(id: "e").map(\.tally.count) } == [10, 12])
            try expectExactRollup(batched, "padding \(padding)")
        }
    }

    @Test(arguments: TestBackend.allCases) func aBatchThatCannotBeCommittedLeavesNothingAndTheTriggersWork(
        _ backend: TestBackend
    ) throws {
        let store = try seededStore(backend)
        var batch = monthly(100)
        batch[150].procedureID = "no-such-procedure"
        let error = try #require(throws: StoreError.self) { _ = try store.write { try $0.upsertTallies(batch) } }
        #expect(error.code == .constraint)
        #expect(try store.read { try $0.counts()[.tally] } == 1)
        _ = try store.write { try $0.upsert(tally("after", "2040", "2040", 9)) }
        try expectExactRollup(store)
    }

    /// The list of series (`tally_series`) follows every way a series gains or loses its last tally: a tally
    /// moved to another series by its id, one at a time and in a batch, and a delete. Closed windows are
    /// answered from that list, so a series that is gone must not be listed as "no tally inside".
    @Test(arguments: TestBackend.allCases) func theListOfSeriesLosesASeriesWithItsLastTally(_ backend: TestBackend)
        throws
    {
        let store = try seededStore(backend)
        func series() throws -> [String?] {
            let window = Day(year: 2016, month: 1, day: 1)...Day(year: 2016, month: 12, day: 31)
            // The open tallies of this test (the seeded baseline is laparoscopic).
            let open = TallyFilter(approaches: [.open])
            return try store.read { try $0.tallyWindowSums(matching: open, windows: [window]) }.keys
                .map { $0.campusID }.sorted { ($0 ?? "") < ($1 ?? "") }
        }
        try store.write { tx in
            try tx.upsert(tally("alone", "2015", "2015", 3, campus: "hubin"))
            try tx.upsert(tally("kept", "2016", "2016", 4))
        }
        try expectExactRollup(store, "after two series")
        #expect(try series() == ["binjiang", "hubin"], "a series with no tally inside the window is listed")

        // Moved to the other series, one tally at a time: the hubin series is gone.
        try store.write { try $0.upsert(tally("alone", "2015", "2015", 3)) }
        try expectExactRollup(store, "after a move")
        #expect(try series() == ["binjiang"])

        // Moved back and forth in a batch large enough to add its sums once.
        let batch =
            monthly(70, prefix: "b").map { t -> CaseTally in
                var moved = t
                moved.campusID = "hubin"
                moved.surgeonID = nil
                moved.approach = .open
                return moved
            } + [tally("alone", "2015", "2015", 3, campus: nil)]
        #expect(batch.count >= RegistryTransaction.rollupOnceFrom)
        _ = try store.write { try $0.upsertTallies(batch) }
        try expectExactRollup(store, "after a batch")
        #expect(try series() == [nil, "binjiang", "hubin"])
        _ = try store.write {
            try $0.upsertTallies(
                batch.map {
                    var t = $0
                    t.campusID = "binjiang"
                    return t
                })
        }
        try expectExactRollup(store, "after a batch that empties two series")
        #expect(try series() == ["binjiang"])

        // Deleted.
        _ = try store.write { try $0.upsert(tally("last", "2017", "2017", 5, campus: "hubin")) }
        #expect(try series() == ["binjiang", "hubin"])
        #expect(try store.write { try $0.delete(.tally, id: "last") })
        try expectExactRollup(store, "after a delete")
        #expect(try series() == ["binjiang"])

        // In one transaction: a batch to a new series, read back in the same transaction, then a delete of one
        // of its tallies and a move of another, before the list is brought up to date at the commit.
        let hubin = batch.dropLast().map { t -> CaseTally in
            var moved = t
            moved.id = "h" + t.id
            return moved
        }
        try store.write { tx in
            _ = try tx.upsertTallies(hubin)
            let window = Day(year: 1990, month: 1, day: 1)...Day(year: 1990, month: 12, day: 31)
            let listed = try tx.tallyWindowSums(matching: TallyFilter(approaches: [.open]), windows: [window])
            #expect(listed.keys.map(\.campusID).contains("hubin"), "read in the transaction that wrote it")
            #expect(try tx.delete(.tally, id: hubin[0].id))
            var moved = hubin[1]
            moved.approach = .robotic
            _ = try tx.upsertTallies([moved])
        }
        try expectExactRollup(store, "after a batch, a read, a delete and a move in one transaction")
        #expect(try series() == ["binjiang", "hubin"])

        // A batch to a new series whose tallies are all deleted again before the commit leaves no series.
        let gone = hubin.map { t -> CaseTally in
            var other = t
            other.id = "g" + t.id
            other.approach = .hybrid
            return other
        }
        try store.write { tx in
            _ = try tx.upsertTallies(gone)
            // (Tallies of the same series and period replace one another: delete those stored.)
            let stored = try tx.tallies(matching: TallyFilter(approaches: [.hybrid]))
            #expect(stored.count == 70)
            for t in stored { #expect(try tx.delete(.tally, id: t.id)) }
        }
        try expectExactRollup(store, "after a batch deleted in the same transaction")
    }

    /// The sums by procedure, approach and period over the whole registry (the report's milestones) come from
    /// `tally_line_rollup`: they are the tallies' own sums after new tallies, corrections and deletions, and the
    /// same as the sums read from the tallies of the one department.
    @Test(arguments: TestBackend.allCases) func theSumsByProcedureAreTheTalliesSums(_ backend: TestBackend) throws {
        let store = try seededStore(backend)
        var tallies = monthly(120)
        _ = try store.write { try $0.upsertTallies(tallies) }
        for i in stride(from: 0, to: tallies.count, by: 5) { tallies[i].count += 2 }
        tallies[7].from = PartialDate("2040")
        tallies[7].to = PartialDate("2040")!
        _ = try store.write { try $0.upsertTallies(tallies) }
        try store.write { tx in
            #expect(try tx.delete(.tally, id: tallies[11].id))
            try tx.upsert(tally("baseline", nil, "1989-12", 300, approach: .laparoscopic, campus: "hubin"))
        }
        var stored: [CaseTally] = []
        try store.read { try $0.forEachTally { stored.append($0) } }
        #expect(stored.count == tallies.count + 1, "the seed's baseline, the batch less one, and another baseline")
        let expected = Dictionary(grouping: stored) { TallyLine(procedureID: $0.procedureID, approach: $0.approach) }
            .mapValues { TallyPeriodSum.of($0) }
        func sorted(_ sums: [TallyLine: [TallyPeriodSum]]) -> [TallyLine: [TallyPeriodSum]] {
            sums.mapValues { $0.sorted { ($0.from?.ordinal ?? Int.min, $0.to) < ($1.from?.ordinal ?? Int.min, $1.to) } }
        }
        let whole = try store.read { try $0.tallyLineSums(matching: TallyFilter()) }
        #expect(sorted(whole) == expected)
        let department = try store.read { try $0.tallyLineSums(matching: TallyFilter(departmentID: "general-surgery")) }
        #expect(sorted(department) == expected)
        let open = try store.read {
            try $0.tallyLineSums(
                matching: TallyFilter(procedureIDs: ["choledochal-cyst-excision"], approaches: [.open, .robotic]))
        }
        #expect(sorted(open) == expected.filter { [.open, .robotic].contains($0.key.approach) })
        try expectExactRollup(store, "after corrections and a delete")
    }

    /// `annals check` finds sums by procedure, and a list of series, that disagree with the tallies, whichever way.
    @Test func checkFindsSumsByProcedureAndSeriesThatDisagreeWithTheTallies() throws {
        let path = folder.path("damaged-\(UUID().uuidString).sqlite")
        let store = try RegistryStore(path: path)
        try RegistryStoreTests().seed(store)
        _ = try store.write { try $0.upsertTallies(monthly(12)) }
        #expect(try store.check().isEmpty)
        try RegistryStore.executeForTesting(
            path: path,
            """
            DELETE FROM tally_line_rollup WHERE (procedure_id, approach, from_day, to_day) IN
                (SELECT procedure_id, approach, from_day, to_day FROM tally_line_rollup LIMIT 1)
            """)
        #expect(try store.check().contains { $0.contains("sums by procedure disagree") })
        try RegistryStore.executeForTesting(path: path, "DELETE FROM tally_series")
        #expect(try store.check().contains { $0.contains("list of case-tally series disagrees") })
    }
}
