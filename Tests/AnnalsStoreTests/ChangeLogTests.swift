import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// The change log, on both backends: every write leaves a line with its actor, action and records.
@Suite struct ChangeLogTests {
    let folder = TemporaryFolder()
    let alice = ChangeActor("alice")

    func seeded(_ backend: TestBackend) throws -> RegistryStore {
        let store = try RegistryStore(path: try folder.registryLocation(backend))
        try store.write(as: alice, doing: .importFile(kind: "registry", file: "seed.xml")) { tx in
            try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: "Hospital"))
            try tx.upsert(OrgUnit(id: "d1", kind: .department, name: "Surgery", parentID: "h"))
            try tx.upsert(Person(id: "p1", familyName: "Wang", givenName: "Jinhu", departmentIDs: ["d1"]))
            try tx.upsert(
                Patent(
                    id: "pat1", kind: .utilityModel, title: "A clamp",
                    inventors: [Contributor(name: "Wang J", personID: "p1")], status: .granted,
                    departmentIDs: ["d1"]))
            try tx.logImport(kind: "registry", file: "seed.xml", sha256: "0", summary: "added 4")
        }
        return store
    }

    @Test(arguments: TestBackend.allCases) func aWriteLeavesOneLineWithItsActorActionAndRecords(_ backend: TestBackend)
        throws
    {
        let store = try seeded(backend)
        let log = try store.read { try $0.history() }
        let line = try #require(log.last)
        #expect(line.actor == alice)
        #expect(line.action == .importFile(kind: "registry", file: "seed.xml"))
        #expect(
            line.records.map { "\($0.operation.rawValue) \($0.kind) \($0.recordID)" } == [
                "added org-unit h", "added org-unit d1", "added person p1", "added patent pat1",
            ])
        #expect(abs(line.at.timeIntervalSinceNow) < 600)

        // A write that changes nothing leaves no line.
        try store.write(as: alice, doing: .edit) { tx in
            try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: "Hospital"))
        }
        #expect(try store.read { try $0.history() }.count == log.count)
    }

    @Test(arguments: TestBackend.allCases) func aReplacedRecordKeepsBeforeAndAfterWithAFieldDiff(_ backend: TestBackend)
        throws
    {
        let store = try seeded(backend)
        try store.write(as: ChangeActor("bob"), doing: .edit) { tx in
            try tx.upsert(OrgUnit(id: "d1", kind: .department, name: "General Surgery", parentID: "h"))
        }
        let history = try store.read { try $0.history(recordID: "d1") }
        #expect(history.map(\.actor.name) == ["alice", "bob"])
        let added = try #require(history.first?.records.first)
        let replaced = try #require(history.last?.records.first)
        #expect(added.operation == .added && replaced.operation == .replaced)
        // The first version, not kept with the line that added it, is what the replacing line found.
        #expect(added.after == replaced.before)
        #expect(
            replaced.fieldChanges == [FieldChange(path: "name", before: "\"Surgery\"", after: "\"General Surgery\"")])
        #expect(replaced.fieldChanges.first?.readableName == "name")
    }

    @Test(arguments: TestBackend.allCases) func tallyCorrectionsAreInTheLogAndInTheTallyHistory(_ backend: TestBackend)
        throws
    {
        let store = try seeded(backend)
        let tally = CaseTally(
            id: "t1", procedureID: "appendectomy", approach: .laparoscopic, departmentID: "d1", from: nil,
            to: PartialDate("2024")!, count: 10)
        try store.write(as: alice, doing: .importFile(kind: "tallies", file: "a.csv")) { tx in
            try tx.upsert(Procedure(id: "appendectomy", preferredTerm: "Appendectomy", category: "general"))
            try tx.upsert(tally)
        }
        var corrected = tally
        corrected.id = "t1-again"
        corrected.count = 12
        try store.write(as: alice, doing: .importFile(kind: "tallies", file: "b.csv")) { tx in try tx.upsert(corrected)
        }
        let history = try store.read { try $0.history(recordID: "t1") }
        #expect(history.count == 2)
        let change = try #require(history.last?.records.first)
        #expect(change.fieldChanges.map(\.path) == ["count"])
        #expect(try store.read { try $0.tallyHistory(id: "t1") }.map(\.tally.count) == [10])
    }

    @Test(arguments: TestBackend.allCases) func deleteIsRefusedWhileReferredToAndRestoreBringsTheRecordBack(
        _ backend: TestBackend
    ) throws {
        let store = try seeded(backend)
        let refused = try #require(throws: DeleteRefused.self) {
            try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.person, id: "p1") }
        }
        #expect(refused.referrers == [Referrer(kind: "patent", id: "pat1", role: "inventor")])
        #expect(refused.description.contains("patent pat1 (as inventor)"))

        let before = try store.read { try $0.content() }
        #expect(try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.patent, id: "pat1") })
        #expect(try store.read { try $0.patents() }.isEmpty)
        #expect(try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.patent, id: "pat1") } == false)
        let outcome = try store.write(as: ChangeActor("carol"), doing: .restore) {
            try $0.restore(id: "pat1", kind: nil, change: nil)
        }
        #expect(outcome.wasDeleted && outcome.kind == .patent)
        #expect(try store.read { try $0.content() } == before)
        let actions = try store.read { try $0.history(recordID: "pat1") }.map(\.action)
        #expect(actions == [.importFile(kind: "registry", file: "seed.xml"), .delete(reason: nil), .restore])

        // An earlier version comes back too, and a department with records is not deleted.
        try store.write(as: alice, doing: .edit) { tx in
            try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: "Children's Hospital"))
        }
        _ = try store.write(as: alice, doing: .restore) { try $0.restore(id: "h", kind: .orgUnit, change: nil) }
        #expect(try store.read { try $0.orgUnits() }.first { $0.id == "h" }?.name == "Hospital")
        let department = try #require(throws: DeleteRefused.self) {
            try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.orgUnit, id: "d1") }
        }
        #expect(Set(department.referrers.map(\.kind)) == ["person", "patent"])
    }

    @Test(arguments: TestBackend.allCases) func theLogIsAppendOnly(_ backend: TestBackend) throws {
        let store = try seeded(backend)
        for sql in ["UPDATE change_log SET actor = 'mallory'", "DELETE FROM change_log", "DELETE FROM change_record"] {
            #expect(throws: (any Error).self) { try store.write { tx in try tx.writing.execute(sql, []) } }
        }
        #expect(try store.read { try $0.history() }.last?.actor == alice)
    }

    @Test(arguments: TestBackend.allCases) func aBatchIsLoggedInOneCall(_ backend: TestBackend) throws {
        let store = try seeded(backend)
        let records = (1...250).map { RecordChange(kind: "tally", recordID: "batch-\($0)", operation: .added) }
        try store.write(as: alice, doing: .importFile(kind: "tallies", file: "batch.csv")) { tx in
            try tx.logChanges(records)
        }
        let line = try #require(try store.read { try $0.history() }.last)
        #expect(line.action == .importFile(kind: "tallies", file: "batch.csv"))
        #expect(line.records == records)
        #expect(try store.read { try $0.history(recordsPerChange: 10) }.last?.records.count == 10)
        #expect(try store.read { try $0.history(recordsPerChange: 10) }.last?.recordCount == 250)
    }

    @Test(arguments: TestBackend.allCases) func copyingARegistryCarriesItsLog(_ backend: TestBackend) throws {
        let store = try seeded(backend)
        _ = try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.patent, id: "pat1") }
        let copy = try RegistryStore(path: folder.path("copy.sqlite"))
        let report = try copy.copy(from: store)
        #expect(report.isComplete)
        #expect(try copy.read { try $0.history() } == (try store.read { try $0.history() }))
        // The copy numbers its next line after the copied ones.
        try copy.write(as: alice, doing: .edit) { tx in try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: "H2")) }
        let ids = try copy.read { try $0.history() }.map(\.id)
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
    }

    @Test(arguments: TestBackend.allCases) func mergesAndReviewDecisionsAreInTheLog(_ backend: TestBackend) throws {
        let store = try seeded(backend)
        let paper = { (id: String) in
            Publication(id: id, kind: .journalArticle, title: MarkupText(plain: "One"), departmentIDs: [])
        }
        try store.write(as: alice, doing: .importFile(kind: "pubmed", file: "a.xml")) { tx in
            try tx.upsert(paper("pub1"))
            try tx.upsert(paper("pub2"))
            #expect(try tx.deletePublication(id: "pub2"))
            try tx.recordMerge(
                PublicationMerge(
                    keptID: "pub1", mergedID: "pub2", reason: "same DOI", sourceFile: "a.xml", merged: paper("pub2")))
            try tx.addReviewItem(
                ReviewItem(
                    publicationID: "pub1", authorPosition: 1, authorName: "Wang J", personID: "p1",
                    reason: "no affiliation"))
            // The same item again changes nothing, and leaves no line.
            try tx.addReviewItem(
                ReviewItem(
                    publicationID: "pub1", authorPosition: 1, authorName: "Wang J", personID: "p1",
                    reason: "no affiliation"))
        }
        #expect(
            try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.publication, id: "pub2") } == false
        )
        let merge = try #require(try store.write { try $0.merges() }.first)
        try store.write(as: ChangeActor("bob"), doing: .mergeRejected) { tx in try tx.rejectMerge(id: merge.id) }
        let item = try #require(try store.write { try $0.reviewItems(status: nil) }.first)
        try store.write(as: ChangeActor("carol"), doing: .reviewDecision) { tx in
            try tx.decideReview(id: item.id, status: .accepted)
        }

        let merged = try store.read { try $0.history(recordID: "pub2") }
        #expect(
            merged.flatMap(\.records).map { "\($0.operation.rawValue) \($0.kind)" } == [
                "added publication", "deleted publication", "added merge", "deleted merge",
            ])
        #expect(merged.last?.action == .mergeRejected && merged.last?.actor.name == "bob")
        let reviewed = try store.read { try $0.history(recordID: "pub1", kind: "review-item") }
        #expect(reviewed.map(\.action) == [.importFile(kind: "pubmed", file: "a.xml"), .reviewDecision])
        #expect(
            reviewed.last?.records.first?.fieldChanges == [
                FieldChange(path: "status", before: "\"pending\"", after: "\"accepted\"")
            ])
        // A paper deleted by hand is in the log with its last version.
        #expect(try store.write(as: alice, doing: .delete(reason: nil)) { try $0.delete(.publication, id: "pub1") })
        let deleted = try #require(try store.read { try $0.history(recordID: "pub1", kind: "publication") }.last)
        #expect(deleted.action == .delete(reason: nil) && deleted.records.first?.operation == .deleted)
        #expect(deleted.records.first?.before == paper("pub1").canonicalJSON)
    }

    @Test(arguments: TestBackend.allCases) func restoreBringsBackTheVersionAfterAChosenChange(_ backend: TestBackend)
        throws
    {
        let store = try seeded(backend)
        for name in ["Hospital 2", "Hospital 3"] {
            try store.write(as: alice, doing: .edit) { tx in
                try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: name))
            }
        }
        let changes = try store.read { try $0.history(recordID: "h") }.map(\.id)
        #expect(changes.count == 3)
        _ = try store.write(as: alice, doing: .restore) { try $0.restore(id: "h", kind: nil, change: changes[1]) }
        #expect(try store.read { try $0.orgUnits() }.first { $0.id == "h" }?.name == "Hospital 2")
        _ = try store.write(as: alice, doing: .restore) { try $0.restore(id: "h", kind: nil, change: changes[0]) }
        #expect(try store.read { try $0.orgUnits() }.first { $0.id == "h" }?.name == "Hospital")
        let refused = try #require(throws: RestoreRefused.self) {
            try store.write(as: alice, doing: .restore) { try $0.restore(id: "h", kind: nil, change: changes[0]) }
        }
        #expect(refused.message.contains("already as it was then"))
        #expect(try store.read { try $0.history(recordID: "h") }.count == 5)
    }

    @Test func anOlderRegistryKeepsItsHistoryInTheLog() throws {
        let path = folder.path("old.sqlite")
        try RegistryStore.createOlderRegistry(at: path, migratedUpTo: "v5-record-history")
        try RegistryStore.executeForTesting(
            path: path,
            """
            INSERT INTO import_log (kind, file, sha256, imported_at, summary) VALUES ('registry', 'old.xml', 'x', '2025-01-02T03:04:05Z', 'added 1');
            INSERT INTO record_history (kind, record_id, body, replaced_at, replaced_by)
                VALUES ('project', 'pr1', '{"id":"pr1","title":"Old"}', '2025-02-01T00:00:00Z', 'dora');
            INSERT INTO tally_history (tally_id, body, replaced_at) VALUES ('t9', '{"id":"t9","count":3}', '2025-03-01T00:00:00Z');
            """)
        let store = try RegistryStore(path: path)
        let log = try store.read { try $0.history() }
        #expect(log.map(\.action.code) == ["import", "earlier", "earlier"])
        #expect(log[0].action == .importFile(kind: "registry", file: "old.xml"))
        #expect(log[1].actor.name == "dora")
        #expect(
            log[1].records == [
                RecordChange(
                    kind: "project", recordID: "pr1", operation: .replaced, before: "{\"id\":\"pr1\",\"title\":\"Old\"}"
                )
            ])
        #expect(log[2].records.first?.recordID == "t9")
        // New lines come after the copied ones.
        try store.write(as: alice, doing: .edit) { tx in try tx.upsert(OrgUnit(id: "h", kind: .hospital, name: "H")) }
        #expect(try store.read { try $0.history() }.last?.id == 4)
    }
}
