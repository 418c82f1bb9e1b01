import AnnalsModel
import AnnalsTestSupport
import Foundation
import Synchronization
import Testing

@testable import AnnalsStore

/// Runs SQL on a PostgreSQL registry behind Annals' back (with psql), as damage or a hand edit would.
func psql(_ url: String, _ sql: String) throws -> String {
    guard TestPostgres.serverURL != nil else { try Test.cancel(Comment(rawValue: TestPostgres.skipMessage)) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "psql failed")
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The URL of the test server's own `postgres` database, for looking at the others.
func serverURL(_ url: String) -> String {
    var components = URLComponents(string: url)!
    components.path = "/postgres"
    return components.string!
}

func databaseName(_ url: String) -> String { String(URLComponents(string: url)!.path.dropFirst()) }

/// Store behaviour on PostgreSQL that has its own SQLite test in `RegistryStoreTests`, and what only a
/// server registry does.
@Suite struct PostgresStoreTests {
    @Test func openingWithoutCreateNeedsAnExistingRegistry() throws {
        let url = try TestPostgres.newDatabaseURL()
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: url, create: false) }
        #expect(error.code == .missing)
        #expect(error.message.contains("annals init"))
        #expect(
            try psql(serverURL(url), "SELECT COUNT(*) FROM pg_database WHERE datname = '\(databaseName(url))'") == "0")
    }

    @Test func aRegistryFromANewerAnnalsIsRefused() throws {
        let url = try TestPostgres.newDatabaseURL()
        _ = try RegistryStore(path: url)
        _ = try psql(url, "INSERT INTO annals_migrations VALUES ('v99-future')")
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: url) }
        #expect(error.code == .tooNew)
    }

    @Test func anotherProgramsDatabaseIsLeftAlone() throws {
        let url = try TestPostgres.newDatabaseURL()
        _ = try psql(serverURL(url), "CREATE DATABASE \(databaseName(url))")
        _ = try psql(url, "CREATE TABLE notes (t TEXT)")
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: url) }
        #expect(error.code == .notARegistry)
        #expect(
            try psql(url, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'") == "notes")
    }

    @Test func anotherProgramsDatabaseHoldingOnlyAViewIsLeftAlone() throws {
        let url = try TestPostgres.newDatabaseURL()
        _ = try psql(serverURL(url), "CREATE DATABASE \(databaseName(url))")
        _ = try psql(url, "CREATE VIEW answer AS SELECT 42 AS value")
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: url) }
        #expect(error.code == .notARegistry)
        #expect(try psql(url, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == "0")
    }

    @Test func checkFindsTalliesCountedTwiceAndDanglingReferences() throws {
        let url = try TestPostgres.newDatabaseURL()
        let store = try RegistryStore(path: url)
        try RegistryStoreTests().seed(store)
        #expect(try store.check().isEmpty)
        _ = try psql(
            url,
            """
            INSERT INTO tally (id, procedure_id, approach, department_id, campus_id, period_from, period_to, from_day, to_day, count)
            VALUES ('twice', 'choledochal-cyst-excision', 'laparoscopic', 'general-surgery', NULL, '2015', '2015', '2015-01-01', '2015-12-31', 40);
            SET session_replication_role = replica;
            INSERT INTO person_department (person_id, department_id) VALUES ('gao-zhigang', 'nowhere');
            """)
        let problems = try store.check()
        #expect(problems.contains { $0.contains("'lccs-baseline' and 'twice' overlap") })
        #expect(problems.contains { $0.contains("person_department refers to a missing record in org_unit") })
    }

    @Test func thePasswordIsNeverShown() throws {
        let url = try TestPostgres.newDatabaseURL()
        let password = try #require(URLComponents(string: url)?.password)
        let store = try RegistryStore(path: url)
        #expect(!store.path.contains(password))
        #expect(store.path.hasPrefix("postgres://"))
        var wrong = URLComponents(string: url)!
        wrong.password = "not-the-password-\(UUID().uuidString)"
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: wrong.string!) }
        #expect(!error.message.contains(wrong.password!))
        #expect(!error.message.contains(password))
        #expect(error.code == .cannotOpen)
    }

    @Test func backupPointsToTheServersOwnTools() throws {
        let store = try RegistryStore(path: try TestPostgres.newDatabaseURL())
        let error = try #require(throws: StoreError.self) {
            try store.backup(to: "/tmp/never-\(UUID().uuidString).sqlite")
        }
        #expect(error.message.contains("pg_dump"))
    }
}

/// What both backends must do alike when many people use one registry.
@Suite struct SharedRegistryTests {
    let folder = TemporaryFolder()

    func tally(_ count: Int) -> CaseTally {
        var tally = RegistryStoreTests.baseline
        tally.count = count
        return tally
    }

    /// Two people correcting the same tally at the same moment, each in their own connection: both
    /// corrections land one after the other, the later one wins and every earlier version is in the history.
    @Test(arguments: TestBackend.allCases) func concurrentCorrectionsOfOneTallyLoseNothing(_ backend: TestBackend)
        throws
    {
        let location = try folder.registryLocation(backend)
        // Kept open throughout: SQLite files whose last connection closed may answer "busy" to several first
        // opens at the same instant (WAL recovery), which is not what this test is about.
        let first = try RegistryStore(path: location)
        try RegistryStoreTests().seed(first)
        let rounds = 10
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 2) { person in
            do {
                let store = try RegistryStore(path: location)
                for round in 0..<rounds {
                    try store.write { tx in
                        _ = try tx.tally(id: RegistryStoreTests.baseline.id)
                        Thread.sleep(forTimeInterval: 0.002)  // widen the window between reading and writing
                        try tx.upsert(tally(1000 + person * 100 + round))
                    }
                }
            } catch {
                errors.add(error)
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        let store = first
        let (final, history) = try store.read { r in
            (try r.tally(id: RegistryStoreTests.baseline.id), try r.tallyHistory(id: RegistryStoreTests.baseline.id))
        }
        // Every version ever written is either the current one or in the history, each exactly once.
        let written = Set([300] + (0..<2).flatMap { p in (0..<rounds).map { 1000 + p * 100 + $0 } })
        let kept = history.map(\.tally.count) + [final?.count ?? -1]
        #expect(kept.count == 2 * rounds + 1)
        #expect(Set(kept) == written)
        // The history is a chain: each correction replaced the version committed just before it.
        #expect(history.first?.tally.count == 300)
        #expect(try store.check().isEmpty)
    }

    /// Several imports and readers at once, each import one transaction: every import lands whole, and a
    /// reader sees either none or all of an import's records.
    @Test(arguments: TestBackend.allCases) func severalImportsAndReadersAtOnce(_ backend: TestBackend) throws {
        let location = try folder.registryLocation(backend)
        let first = try RegistryStore(path: location)  // kept open: see concurrentCorrectionsOfOneTallyLoseNothing
        try RegistryStoreTests().seed(first)
        let importers = 3
        let perImport = 40
        let errors = ErrorBox()
        let torn = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: importers + 2) { worker in
            do {
                let store = try RegistryStore(path: location)
                if worker < importers {
                    for batch in 0..<3 {
                        try store.write { tx in
                            for i in 0..<perImport {
                                try tx.upsert(
                                    Publication(
                                        id: "w\(worker)-b\(batch)-\(i)", kind: .journalArticle,
                                        title: MarkupText(plain: "Paper \(worker)-\(batch)-\(i)"),
                                        departmentIDs: ["general-surgery"]))
                            }
                        }
                    }
                } else {
                    for _ in 0..<20 {
                        let count = try store.read { try $0.counts()[.publication] ?? 0 }
                        if count % perImport != 0 { torn.add(StoreError(.other, "a reader saw \(count) publications")) }
                    }
                }
            } catch {
                errors.add(error)
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(torn.all.isEmpty, "\(torn.all)")
        #expect(try first.read { try $0.counts()[.publication] } == importers * 3 * perImport)
    }

    /// `annals migrate-store`'s copy, both ways: the same records, history, merges and review items.
    @Test func aCopyToTheOtherBackendAndBackHoldsEverything() throws {
        let sqlite = try RegistryStore(path: folder.path("source.sqlite"))
        try RegistryStoreTests().seed(sqlite)
        try sqlite.write { tx in
            try tx.upsert(tally(301))
            try tx.upsert(tally(302))
            try tx.upsert(
                Publication(id: "p1", kind: .journalArticle, title: MarkupText(plain: "One"), departmentIDs: []))
            try tx.upsert(
                Publication(id: "p2", kind: .journalArticle, title: MarkupText(plain: "Two"), departmentIDs: []))
            try tx.recordMerge(
                PublicationMerge(
                    keptID: "p1", mergedID: "p3", reason: "same DOI", sourceFile: "x.xml",
                    merged: Publication(
                        id: "p3", kind: .journalArticle, title: MarkupText(plain: "One"), departmentIDs: [])))
            try tx.addReviewItem(
                ReviewItem(
                    publicationID: "p2", authorPosition: 1, authorName: "Gao Z", personID: "gao-zhigang",
                    reason: "no affiliation"))
            try tx.logImport(kind: "test", file: "x.xml", sha256: "00", summary: "one")
        }
        let server = try RegistryStore(path: try TestPostgres.newDatabaseURL())
        let there = try server.copy(from: sqlite)
        #expect(there.isComplete)
        #expect(there.tables.contains { $0.table == "tally_history" && $0.copy == 2 })
        let back = try RegistryStore(path: folder.path("back.sqlite"))
        #expect(try back.copy(from: server).isComplete)
        for store in [server, back] {
            #expect(try store.read { try $0.content() } == sqlite.read { try $0.content() })
            #expect(
                try store.read { try $0.tallyHistory(id: RegistryStoreTests.baseline.id).map(\.tally) }
                    == sqlite.read { try $0.tallyHistory(id: RegistryStoreTests.baseline.id).map(\.tally) })
            #expect(try store.write { try $0.merges() } == sqlite.write { try $0.merges() })
            #expect(
                try store.write { try $0.reviewItems(status: nil) } == sqlite.write { try $0.reviewItems(status: nil) })
            #expect(try store.check().isEmpty)
        }
        // Numbers go on after the copied ones.
        try server.write { tx in
            try tx.addReviewItem(
                ReviewItem(
                    publicationID: "p1", authorPosition: 1, authorName: "Gao Z", personID: "gao-zhigang",
                    reason: "no affiliation"))
        }
        #expect(try server.write { try $0.reviewItems(status: nil).map(\.id) } == [1, 2])
        let error = try #require(throws: StoreError.self) { try server.copy(from: sqlite) }
        #expect(error.message.contains("not empty"))
    }
}

/// Errors collected from several threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ error: any Error) { lock.withLock { errors.append(error) } }
    var all: [any Error] { lock.withLock { errors } }
}

/// A big import looks papers up many times in one transaction; on PostgreSQL the answers then come from
/// keys held in memory (`PublicationKeys`). They must be the answers SQL gives, also after the
/// transaction's own updates and deletions.
@Suite struct PublicationLookupTests {
    let folder = TemporaryFolder()

    func paper(
        _ n: Int, doi: String? = nil, pmid: String? = nil, title: String? = nil, year: Int = 2020,
        author: String = "Gao"
    )
        -> Publication
    {
        Publication(
            id: String(format: "pub-%03d", n), kind: .journalArticle,
            title: MarkupText(plain: title ?? "Paper number \(n)"),
            published: PartialDate("\(year)"), doi: doi ?? "10.1000/Paper.\(n)", pmid: pmid ?? "\(900 + n)",
            authors: [Author(familyName: author, givenName: "Z", isFirst: true)])
    }

    /// Every kind of lookup, asked in one transaction after `warmUp` lookups.
    func answers(_ tx: RegistryWriter) throws -> [String] {
        var answers: [String] = []
        for n in [1, 2, 50, 120] {
            answers.append("pmid \(900 + n): \(try tx.publicationID(pmid: "\(900 + n)") ?? "-")")
            answers.append("doi \(n): \(try tx.publicationID(doi: "10.1000/Paper.\(n)") ?? "-")")
            answers.append("doi lower \(n): \(try tx.publicationID(doi: "10.1000/paper.\(n)") ?? "-")")
        }
        answers.append("shared pmid: \(try tx.publicationID(pmid: "777") ?? "-")")
        answers.append("title: \(try tx.publicationIDs(title: "A Shared  Title!", year: 2021, firstAuthor: "gao"))")
        answers.append(
            "title other year: \(try tx.publicationIDs(title: "A shared title", year: 2022, firstAuthor: "Gao"))")
        answers.append("exists: \(try tx.existing(.publication, among: ["pub-001", "pub-002", "pub-999"]).sorted())")
        let c = try tx.sameRecordCandidates(
            id: "pub-002", pmid: "777", doi: "10.1000/Paper.50", title: "A shared title", year: 2021, firstAuthor: "Gao"
        )
        answers.append("candidates: \(c.idExists) \(c.byPMID ?? "-") \(c.byDOI ?? "-") \(c.byTitle)")
        return answers
    }

    /// An import of thousands of new papers in one transaction: on PostgreSQL their rows gather into multi-row
    /// INSERTs, written when enough have gathered (often in the middle of a paper) and before any statement.
    @Test(arguments: TestBackend.allCases) func thousandsOfNewPapersInOneTransactionAreStoredWhole(
        _ backend: TestBackend
    ) throws {
        let store = try RegistryStore(path: try folder.registryLocation(backend))
        try RegistryStoreTests().seed(store)
        let count = 2500
        try store.write { tx in
            for n in 1...count {
                // As an importer does: look the paper up first (more than enough lookups to use the keys).
                #expect(try tx.publicationID(pmid: "p\(n)") == nil)
                var p = paper(n, pmid: "p\(n)")
                p.departmentIDs = n % 3 == 0 ? ["general-surgery", "hospital"] : ["general-surgery"]
                p.authors = (1...(1 + n % 7)).map {
                    Author(familyName: "Author\($0)", givenName: "A", personID: $0 == 1 ? "gao-zhigang" : nil)
                }
                try tx.upsert(p)
                if n == 2000 {
                    // A statement in the middle (after the gathered rows have been written once for being many):
                    // what was gathered is written first, and is read back.
                    #expect(try tx.publication(id: String(format: "pub-%03d", n))?.authors.count == 1 + n % 7)
                }
            }
        }
        let (papers, byPerson, byDepartment) = try store.read { r in
            var papers: [Publication] = []
            try r.forEachPublication { papers.append($0) }
            var byPerson = 0
            try r.forEachPublication(year: nil, department: nil, person: "gao-zhigang") { _ in byPerson += 1 }
            var byDepartment = 0
            try r.forEachPublication(year: nil, department: "hospital", person: nil) { _ in byDepartment += 1 }
            return (papers, byPerson, byDepartment)
        }
        #expect(papers.count == count)
        let authorsStored = papers.map(\.authors.count).reduce(0, +)
        let authorsWritten: Int = (1...count).map { 1 + $0 % 7 }.reduce(0, +)
        #expect(authorsStored == authorsWritten)
        #expect(byPerson == count)
        #expect(byDepartment == count / 3)
        #expect(try store.check().isEmpty)
    }

    @Test(arguments: TestBackend.allCases) func manyLookupsInOneTransactionAnswerAsTheDatabaseDoes(
        _ backend: TestBackend
    ) throws {
        // The keys are read a few papers at a time from here on, so that reading them in pieces is checked too. Not
        // set back: tests run side by side, and any size gives the same answers, only more slowly.
        PublicationKeys.rowsPerRead.store(7, ordering: .relaxed)
        let store = try RegistryStore(path: try folder.registryLocation(backend))
        try RegistryStoreTests().seed(store)
        try store.write { tx in
            for n in 1...100 { try tx.upsert(paper(n)) }
            try tx.upsert(paper(101, pmid: "777", title: "A shared title", year: 2021))
            try tx.upsert(paper(102, pmid: "777", title: "A shared title", year: 2021))
            try tx.upsert(paper(103, doi: "10.1000/paper.50", title: "A shared title", year: 2021, author: "Other"))
        }
        // What SQL answers (lookups by DOI lower-case the DOI asked for, so a stored mixed-case DOI is not found).
        let expected = [
            "pmid 901: pub-001", "doi 1: -", "doi lower 1: -", "pmid 902: pub-002", "doi 2: -", "doi lower 2: -",
            "pmid 950: pub-050", "doi 50: pub-103", "doi lower 50: pub-103", "pmid 1020: -", "doi 120: -",
            "doi lower 120: -",
            "shared pmid: pub-101", "title: [\"pub-101\", \"pub-102\"]", "title other year: []",
            "exists: [\"pub-001\", \"pub-002\"]", "candidates: true pub-101 pub-103 [\"pub-101\", \"pub-102\"]",
        ]
        // Few lookups (asked of the database), then many (from the keys, on PostgreSQL), then after changes.
        #expect(try store.write { try answers($0) } == expected)
        let (warm, changed) = try store.write { tx in
            for n in 1...80 { _ = try tx.publicationID(pmid: "\(900 + n)") }
            let warm = try answers(tx)
            try tx.upsert(paper(1, doi: "10.1000/moved", pmid: "5555"))
            _ = try tx.deletePublication(id: "pub-101")
            var new = paper(120)
            new.departmentIDs = ["general-surgery"]
            new.authors.append(
                Author(familyName: "Gao", givenName: "Zhigang", personID: "gao-zhigang", isCorresponding: true))
            try tx.upsert(new)
            try tx.upsert(paper(102, pmid: "777", title: "A shared title", year: 2022))
            return (
                warm,
                try answers(tx) + [
                    "moved: \(try tx.publicationID(doi: "10.1000/moved") ?? "-") \(try tx.publicationID(pmid: "5555") ?? "-")"
                ]
            )
        }
        #expect(warm == expected)
        #expect(
            changed == [
                "pmid 901: -", "doi 1: -", "doi lower 1: -", "pmid 902: pub-002", "doi 2: -", "doi lower 2: -",
                "pmid 950: pub-050", "doi 50: pub-103", "doi lower 50: pub-103", "pmid 1020: pub-120", "doi 120: -",
                "doi lower 120: -", "shared pmid: pub-102", "title: []", "title other year: [\"pub-102\"]",
                "exists: [\"pub-001\", \"pub-002\"]", "candidates: true pub-102 pub-103 []", "moved: pub-001 pub-001",
            ])
        // What the transaction wrote is what a new one reads, lists included.
        var stored: [String] = []
        try store.read { r in
            try r.forEachPublication(year: 2020, department: "general-surgery", person: "gao-zhigang") {
                stored.append($0.id)
            }
        }
        #expect(stored == ["pub-120"])
        let ids = try store.read { r in try r.content().publications.map(\.id) }
        #expect(ids == (1...100).map { String(format: "pub-%03d", $0) } + ["pub-102", "pub-103", "pub-120"])
    }
}

/// `?sslmode=` on a server that offers TLS (the test server does when openssl made it a certificate).
@Suite struct PostgresTLSTests {
    func tlsServerDatabase() throws -> String {
        let url = try TestPostgres.newDatabaseURL("tls")
        guard try psql(serverURL(url), "SHOW ssl") == "on" else { try Test.cancel("the test server offers no TLS") }
        return url
    }

    @Test func sslmodeRequireEncryptsTheConnection() throws {
        let url = try tlsServerDatabase()
        let store = try RegistryStore(path: url + "?sslmode=require")
        try RegistryStoreTests().seed(store)  // leaves its connection open, idle, in the store
        let encrypted = try psql(
            serverURL(url),
            "SELECT COUNT(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = '\(databaseName(url))' AND s.ssl"
        )
        #expect(encrypted != "0")
        #expect(try store.read { try $0.counts()[.tally] } == 1)
    }

    @Test func sslmodeVerifyFullRefusesACertificateNoOneVouchesFor() throws {
        let url = try tlsServerDatabase()
        let error = try #require(throws: StoreError.self) { try RegistryStore(path: url + "?sslmode=verify-full") }
        #expect(error.code == .cannotOpen)
        #expect(!error.message.contains(URLComponents(string: url)!.password!))
    }
}
