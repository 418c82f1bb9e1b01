import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Runs SQL on an SQLite registry behind Annals' back (with Python's sqlite3), as an older Annals or a
/// hand edit would have written it.
func sqlite(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c",
        "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()", path, sql,
    ]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "python3 sqlite3 failed")
}

/// One bound for a count (`CountLimit`, the schema's xs:int) on both backends: the store refuses counts
/// beyond it, `check` finds them in registries written before, and sums never trap.
@Suite struct CountBoundTests {
    let folder = TemporaryFolder()

    func newStore(_ backend: TestBackend) throws -> (RegistryStore, String) {
        let location = try folder.registryLocation(backend)
        let store = try RegistryStore(path: location)
        try RegistryStoreTests().seed(store)
        return (store, location)
    }

    static func tally(_ id: String, year: Int, count: Int) -> CaseTally {
        CaseTally(
            id: id, procedureID: "choledochal-cyst-excision", approach: .open, departmentID: "general-surgery",
            from: PartialDate("\(year)"), to: PartialDate("\(year)")!, count: count)
    }

    @Test(arguments: TestBackend.allCases) func theStoreRefusesACountBeyondTheBound(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.upsert(Self.tally("huge", year: 2016, count: 1 << 62)) }
        }
        #expect(error.message.contains("from 0 to 2,147,483,647"))
        _ = try store.write { tx in try tx.upsert(Self.tally("largest", year: 2016, count: CountLimit.maximum)) }
        #expect(try store.read { try $0.totalCases() } == 300 + CountLimit.maximum)
    }

    /// Two tallies of 2^62 written behind Annals' back: `check` names them, and every question that adds
    /// counts up ends with a sentence instead of a crash.
    @Test(arguments: TestBackend.allCases) func countsBeyondTheBoundInARegistryAreFoundAndNeverCrashAQuestion(
        _ backend: TestBackend
    ) throws {
        let (store, location) = try newStore(backend)
        let rows = """
            INSERT INTO tally (id, procedure_id, approach, department_id, period_from, period_to, from_day, to_day, count) VALUES
            ('huge-2016', 'choledochal-cyst-excision', 'open', 'general-surgery', '2016', '2016', '2016-01-01', '2016-12-31', 4611686018427387904),
            ('huge-2017', 'choledochal-cyst-excision', 'open', 'general-surgery', '2017', '2017', '2017-01-01', '2017-12-31', 4611686018427387904);
            """
        switch backend {
        case .sqlite: try sqlite(location, rows)
        case .postgres: _ = try psql(location, rows)
        }
        let problems = try store.check()
        #expect(
            problems.contains {
                $0.contains("case tally 'huge-2016' has a count of 4611686018427387904, outside 0 to 2,147,483,647")
            })
        #expect(problems.contains { $0.contains("case tally 'huge-2017'") })
        for filter in [
            TallyFilter(), TallyFilter(procedureIDs: ["choledochal-cyst-excision"]),
            TallyFilter(departmentID: "general-surgery"),
        ] {
            for key in [nil, TallyKey.approach, .procedure] {
                let error = try #require(throws: StoreError.self) {
                    try store.read { try $0.tallySums(matching: filter, by: key) }
                }
                #expect(error.message.contains("annals check"), "\(filter) \(String(describing: key))")
            }
        }
        #expect(throws: StoreError.self) { try store.read { try $0.totalCases() } }
    }

    /// On SQLite the two counts can even share a sum (the same series and period, counted twice): SQLite's
    /// SUM overflows and the trigger's addition turns into a floating-point number; both end in the sentence.
    @Test func sumsThatOverflowInSQLiteEndInASentence() throws {
        let (store, location) = try newStore(.sqlite)
        try sqlite(
            location,
            """
            INSERT INTO tally (id, procedure_id, approach, department_id, period_from, period_to, from_day, to_day, count) VALUES
            ('twin-a', 'choledochal-cyst-excision', 'open', 'general-surgery', '2016', '2016', '2016-01-01', '2016-12-31', 4611686018427387904),
            ('twin-b', 'choledochal-cyst-excision', 'open', 'general-surgery', '2016', '2016', '2016-01-01', '2016-12-31', 4611686018427387904);
            """)
        let problems = try store.check()
        #expect(problems.contains { $0.contains("'twin-a' and 'twin-b' overlap") })
        #expect(problems.contains { $0.contains("case tally 'twin-b' has a count of 4611686018427387904") })
        for filter in [TallyFilter(), TallyFilter(procedureIDs: ["choledochal-cyst-excision"])] {
            let error = try #require(throws: StoreError.self) {
                try store.read { try $0.tallySums(matching: filter, by: nil) }
            }
            #expect(error.message.contains("annals check"))
        }
    }
}
