import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@Suite struct RegistryStoreTests {
    let folder = TemporaryFolder()

    func store() throws -> RegistryStore { try RegistryStore(path: folder.path("annals.sqlite")) }

    /// A new, empty registry on `backend`, and where it is.
    func newStore(_ backend: TestBackend) throws -> (RegistryStore, String) {
        let location = try folder.registryLocation(backend)
        return (try RegistryStore(path: location), location)
    }

    static let hospital = OrgUnit(
        id: "hospital", kind: .hospital, name: "Children's Hospital",
        campuses: [Campus(id: "binjiang", name: "Binjiang Campus"), Campus(id: "hubin", name: "Hubin Campus")])
    static let department = OrgUnit(
        id: "general-surgery", kind: .department, name: "General Surgery", parentID: "hospital",
        established: ApproximateYear(earliest: 1960, latest: 1963, text: "early 1960s"),
        beds: [BedCount(campusID: "binjiang", beds: 45, vipBeds: 2)],
        history: [
            HistoryEvent(when: ApproximateYear(earliest: 1980, latest: 1989, text: "1980s")!, text: "Laparoscopy")
        ])
    static let procedure = Procedure(
        id: "choledochal-cyst-excision", preferredTerm: "Choledochal cyst excision",
        synonyms: ["common bile duct cystectomy"], category: "hepatobiliary", grade: 4,
        codes: [.init(system: "ICD-9-CM-3", value: "51.63")])
    static let person = Person(
        id: "gao-zhigang", familyName: "Gao", givenName: "Zhigang", nameVariants: [.init(kind: .chinese, value: "高志刚")],
        clinicalRank: .chiefPhysician, departmentIDs: ["general-surgery"])
    static let baseline = CaseTally(
        id: "lccs-baseline", procedureID: "choledochal-cyst-excision", approach: .laparoscopic,
        departmentID: "general-surgery", campusID: "binjiang", surgeonID: "gao-zhigang", from: nil,
        to: PartialDate("2015-12-31")!, count: 300, source: "department profile")

    func seed(_ store: RegistryStore) throws {
        try store.write { tx in
            try tx.upsert(Self.hospital)
            try tx.upsert(Self.department)
            try tx.upsert(Self.procedure)
            try tx.upsert(Self.person)
            try tx.upsert(Self.baseline)
        }
    }

    @Test func newRegistryFileIsReadableByItsOwnerOnly() throws {
        _ = try store()
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("annals.sqlite"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test(arguments: TestBackend.allCases) func recordsReadBackAsWritten(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        let content = try store.read { try $0.content() }
        #expect(content.orgUnits == [Self.department, Self.hospital])
        #expect(content.procedures == [Self.procedure])
        #expect(content.people == [Self.person])
        #expect(content.tallies == [Self.baseline])
    }

    @Test(arguments: TestBackend.allCases) func writingTheSameRecordAgainChangesNothing(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        let outcomes = try store.write { tx in
            [try tx.upsert(Self.department), try tx.upsert(Self.person), try tx.upsert(Self.baseline)]
        }
        #expect(outcomes == [.unchanged, .unchanged, .unchanged])
        var corrected = Self.baseline
        corrected.count = 301
        #expect(try store.write { try $0.upsert(corrected) } == .updated)
        #expect(try store.read { try $0.content().tallies.first?.count } == 301)
    }

    @Test(arguments: TestBackend.allCases) func aThrowingTransactionLeavesNothingBehind(_ backend: TestBackend) throws {
        struct Abort: Error {}
        let (store, _) = try newStore(backend)
        #expect(throws: Abort.self) {
            try store.write { tx in
                try tx.upsert(Self.hospital)
                throw Abort()
            }
        }
        #expect(try store.read { try $0.counts()[.orgUnit] } == 0)
    }

    @Test(arguments: TestBackend.allCases) func aDanglingReferenceCannotBeCommitted(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        var orphan = Self.baseline
        orphan.id = "orphan"
        orphan.procedureID = "no-such-procedure"
        let error = try #require(throws: StoreError.self) { try store.write { try $0.upsert(orphan) } }
        #expect(error.code == .constraint)
        #expect(try store.read { try $0.counts()[.tally] } == 1)
    }

    /// Author rows go in several to a statement; a paper with more authors than one statement holds, and
    /// a corrected version with fewer, must leave exactly the new rows.
    @Test(arguments: TestBackend.allCases) func authorRowsFollowEveryVersionOfAPaper(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        func paper(authors count: Int, personAt position: Int?) -> Publication {
            let authors = (1...count).map { i in
                Author(familyName: "Author\(i)", personID: i == position ? "gao-zhigang" : nil, isFirst: i == 1)
            }
            return Publication(
                id: "pmid-1", kind: .journalArticle, title: MarkupText(plain: "A paper"), authors: authors)
        }
        func credited() throws -> [String] {
            var ids: [String] = []
            try store.read {
                try $0.forEachPublication(year: nil, department: nil, person: "gao-zhigang") { ids.append($0.id) }
            }
            return ids
        }
        try store.write { tx in _ = try tx.upsert(paper(authors: 70, personAt: 70)) }
        #expect(try credited() == ["pmid-1"])
        try store.write { tx in _ = try tx.upsert(paper(authors: 3, personAt: 2)) }
        #expect(try credited() == ["pmid-1"])
        try store.write { tx in _ = try tx.upsert(paper(authors: 40, personAt: nil)) }
        #expect(try credited() == [])
        #expect(try store.read { try $0.content().publications.first?.authors.count } == 40)
    }

    /// The one-query look-up of a paper's possible twins answers what the single look-ups answer.
    @Test(arguments: TestBackend.allCases) func sameRecordCandidatesAgreeWithTheSingleLookUps(_ backend: TestBackend)
        throws
    {
        let (store, _) = try newStore(backend)
        try seed(store)
        func paper(_ id: String, pmid: String?, doi: String?, title: String, year: Int, family: String) -> Publication {
            Publication(
                id: id, kind: .journalArticle, title: MarkupText(plain: title), published: PartialDate(year: year),
                doi: doi, pmid: pmid,
                authors: [Author(familyName: family)])
        }
        try store.write { tx in
            _ = try tx.upsert(
                paper(
                    "pmid-1", pmid: "1", doi: "10.5555/a", title: "Laparoscopic cyst excision", year: 2020,
                    family: "Gao"))
            _ = try tx.upsert(
                paper(
                    "endnote-7", pmid: nil, doi: "10.5555/a", title: "Laparoscopic Cyst Excision.", year: 2020,
                    family: "GAO"))
            _ = try tx.upsert(paper("endnote-8", pmid: "1", doi: nil, title: "Other", year: 2021, family: "Li"))
        }
        let questions: [(String, String?, String?, String, Int?, String?)] = [
            ("pmid-1", "1", "10.5555/A", "laparoscopic cyst-excision", 2020, "gao"),
            ("pmid-2", "2", nil, "Laparoscopic cyst excision", 2020, "Gao"),
            ("pmid-3", nil, "10.5555/a", "Something else", 2020, "Gao"),
            ("endnote-8", nil, nil, "Other", nil, nil),
            ("new", nil, nil, "Laparoscopic cyst excision", 2019, "Gao"),
        ]
        try store.write { tx in
            for (id, pmid, doi, title, year, family) in questions {
                var expected = SameRecordCandidates()
                expected.idExists = try tx.existing(.publication, among: [id]).contains(id)
                expected.byPMID = try pmid.flatMap { try tx.publicationID(pmid: $0) }
                expected.byDOI = try doi.flatMap { try tx.publicationID(doi: $0) }
                if let year, let family {
                    expected.byTitle = try tx.publicationIDs(title: title, year: year, firstAuthor: family)
                }
                let answer = try tx.sameRecordCandidates(
                    id: id, pmid: pmid, doi: doi, title: title, year: year, firstAuthor: family)
                #expect(answer == expected, "\(id)")
            }
            let twins = try tx.sameRecordCandidates(
                id: "pmid-9", pmid: "1", doi: "10.5555/a", title: "Laparoscopic cyst excision", year: 2020,
                firstAuthor: "Gao")
            #expect(
                twins
                    == SameRecordCandidates(
                        idExists: false, byPMID: "endnote-8", byDOI: "endnote-7", byTitle: ["endnote-7", "pmid-1"]))
        }
    }

    @Test(arguments: TestBackend.allCases) func existingFindsOnlyKnownIDs(_ backend: TestBackend) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        let found = try store.read { try $0.existing(.orgUnit, among: ["general-surgery", "oncology-surgery"]) }
        #expect(found == ["general-surgery"])
        #expect(try store.read { try $0.existing(.campus, among: ["hubin", "elsewhere"]) } == ["hubin"])
    }

    @Test func anUnknownFileIsNotMistakenForARegistry() throws {
        let path = folder.write("notes.sqlite", String(repeating: "not a database ", count: 100)).path
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: path) }
        #expect(error.code == .notARegistry)
    }

    @Test func openingWithoutCreateNeedsAnExistingRegistry() throws {
        let error = try #require(throws: StoreError.self) {
            try RegistryStore(path: folder.path("none.sqlite"), create: false)
        }
        #expect(error.code == .missing)
        #expect(error.message.contains("annals init"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }

    @Test func aRegistryFromANewerAnnalsIsRefused() throws {
        let path = folder.path("annals.sqlite")
        _ = try RegistryStore(path: path)
        // Pretend a later Annals applied a migration this build does not know.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v99-future')\"); c.commit()",
            path,
        ]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0)
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: path) }
        #expect(error.code == .tooNew)
    }

    @Test(arguments: TestBackend.allCases) func sumsWithoutAProcedureAgreeWithTheTalliesAfterCorrections(
        _ backend: TestBackend
    ) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        func tally(
            _ id: String, _ from: String?, _ to: String, _ count: Int, campus: String? = nil,
            approach: Approach = .laparoscopic
        ) -> CaseTally {
            CaseTally(
                id: id, procedureID: "choledochal-cyst-excision", approach: approach, departmentID: "general-surgery",
                campusID: campus, from: from.flatMap(PartialDate.init), to: PartialDate(to)!, count: count)
        }
        try store.write { tx in
            try tx.upsert(tally("a", "2016", "2016", 18, campus: "binjiang"))
            try tx.upsert(tally("b", "2016", "2016", 7, campus: "hubin"))
            try tx.upsert(tally("c", "2017-01", "2017-06", 9, approach: .robotic))
        }
        try store.write { tx in
            var corrected = tally("a", "2016", "2016", 20, campus: "binjiang")
            corrected.note = "recount"
            try tx.upsert(corrected)
        }
        for filter in [
            TallyFilter(), TallyFilter(departmentID: "general-surgery"), TallyFilter(approaches: [.laparoscopic]),
            TallyFilter(campusID: "hubin"),
        ] {
            let (rollup, direct) = try store.read { r in
                (
                    try r.tallySums(matching: filter, by: nil)[nil] ?? [],
                    TallyPeriodSum.of(try r.tallies(matching: filter))
                )
            }
            #expect(Set(rollup) == Set(direct), "\(filter)")
        }
        let byCampus = try store.read { try $0.tallySums(matching: TallyFilter(), by: .campus) }
        #expect(byCampus["binjiang"]?.reduce(0) { $0 + $1.count } == 320)
        #expect(byCampus[nil]?.reduce(0) { $0 + $1.count } == 9)
    }

    @Test(arguments: TestBackend.allCases) func seriesSumsHoldEverySeriesAndTheSumsOverlappingTheWindow(
        _ backend: TestBackend
    ) throws {
        let (store, _) = try newStore(backend)
        try seed(store)
        func tally(
            _ id: String, _ from: String?, _ to: String, _ count: Int, campus: String? = nil,
            approach: Approach = .laparoscopic
        ) -> CaseTally {
            CaseTally(
                id: id, procedureID: "choledochal-cyst-excision", approach: approach, departmentID: "general-surgery",
                campusID: campus, from: from.flatMap(PartialDate.init), to: PartialDate(to)!, count: count)
        }
        try store.write { tx in
            try tx.upsert(tally("base", nil, "2015-12-31", 300))
            try tx.upsert(tally("a", "2016", "2016", 18, campus: "binjiang"))
            try tx.upsert(tally("b", "2016", "2016", 7, campus: "hubin"))
            try tx.upsert(tally("c", "2017-01", "2017-06", 9, approach: .robotic))
            try tx.upsert(tally("d", "2017-07", "2018-06", 4, approach: .robotic))
        }
        let windows: [(Day?, Day?)] = [
            (nil, nil), (Day(year: 2017, month: 1, day: 1), Day(year: 2017, month: 12, day: 31)),
            (Day(year: 2016, month: 1, day: 1), nil), (nil, Day(year: 2015, month: 12, day: 31)),
        ]
        for filter in [
            TallyFilter(), TallyFilter(approaches: [.robotic]), TallyFilter(campusID: "hubin"),
            TallyFilter(procedureIDs: ["choledochal-cyst-excision"]),
        ] {
            for (from, to) in windows {
                let (series, tallies) = try store.read { r in
                    (try r.tallySeriesSums(matching: filter, from: from, to: to), try r.tallies(matching: filter))
                }
                var expected: [TallySeries: [TallyPeriodSum]] = [:]
                for t in tallies {
                    let key = TallySeries(
                        procedureID: t.procedureID, approach: t.approach, departmentID: t.departmentID,
                        campusID: t.campusID, surgeonID: t.surgeonID)
                    let overlaps =
                        (t.from.map { $0.firstDay <= (to ?? Day(year: 9999, month: 12, day: 31)) } ?? true)
                        && t.to.lastDay >= (from ?? Day(year: 1, month: 1, day: 1))
                    expected[key, default: []] += overlaps ? TallyPeriodSum.of([t]) : []
                }
                #expect(
                    Set(series.keys) == Set(expected.keys),
                    "\(filter) \(String(describing: from))…\(String(describing: to))")
                for (key, sums) in expected { #expect(Set(series[key] ?? []) == Set(sums), "\(key)") }
            }
        }
    }

    /// Runs SQL on the registry file behind Annals' back, as damage or a hand edit would.
    func tamper(_ sql: String) throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
            folder.path("annals.sqlite"), sql,
        ]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)
    }

    @Test func checkFindsTalliesCountedTwiceAndDanglingReferences() throws {
        let store = try store()
        try seed(store)
        #expect(try store.check().isEmpty)
        try tamper(
            """
            INSERT INTO tally (id, procedure_id, approach, department_id, campus_id, period_from, period_to, from_day, to_day, count)
            VALUES ('twice', 'choledochal-cyst-excision', 'laparoscopic', 'general-surgery', NULL, '2015', '2015', '2015-01-01', '2015-12-31', 40);
            PRAGMA foreign_keys = OFF;
            INSERT INTO person_department (person_id, department_id) VALUES ('gao-zhigang', 'nowhere');
            """)
        let problems = try store.check()
        #expect(problems.contains { $0.contains("'lccs-baseline' and 'twice' overlap") })
        #expect(problems.contains { $0.contains("person_department refers to a missing record in org_unit") })
    }

    @Test func backupCopiesTheRegistryForItsOwnerOnlyAndNeverOverwrites() throws {
        let store = try store()
        try seed(store)
        let copy = folder.path("backup.sqlite")
        try store.backup(to: copy)
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let restored = try RegistryStore(path: copy, create: false)
        #expect(try restored.read { try $0.content() } == store.read { try $0.content() })
        let error = try #require(throws: StoreError.self) { try store.backup(to: copy) }
        #expect(error.message.contains("already exists"))
    }

    @Test func anotherProgramsDatabaseIsLeftAlone() throws {
        let path = folder.path("other.sqlite")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE notes (t TEXT)'); c.commit()",
            path,
        ]
        try python.run()
        python.waitUntilExit()
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: path, create: false) }
        #expect(error.code == .notARegistry)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE type='table'\").fetchone()[0], c.execute('PRAGMA journal_mode').fetchone()[0])",
            path,
        ]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        check.waitUntilExit()
        #expect(
            String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines) == "1 delete", "no table added, not even switched to WAL")
    }
}
