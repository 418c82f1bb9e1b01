import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// `annals delete` and `annals restore` through the application layer; a restored tally meets the rule every
/// tally written meets (no operation counted twice), on both backends.
@Suite struct RestoreTests {
    let folder = TemporaryFolder()

    func registry(_ backend: TestBackend) throws -> Registry {
        let location = try folder.registryLocation(backend)
        let registry = try Registry.open(RegistryLocation(path: location), create: true, as: ChangeActor("alice"))
        try registry.write(.edit) { w in
            try w.upsert(OrgUnit(id: "hospital", kind: .hospital, name: "Hospital"))
            try w.upsert(OrgUnit(id: "gs", kind: .department, name: "General surgery", parentID: "hospital"))
            try w.upsert(Procedure(id: "appendectomy", preferredTerm: "Appendectomy", category: "general"))
        }
        return registry
    }

    static func tally(_ id: String, from: String, to: String, count: Int) -> CaseTally {
        CaseTally(
            id: id, procedureID: "appendectomy", approach: .laparoscopic, departmentID: "gs", from: PartialDate(from),
            to: PartialDate(to)!, count: count)
    }

    @Test(arguments: TestBackend.allCases)
    func aTallyWhoseEarlierVersionWouldCountTwiceIsNotRestored(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        // t1 covered 2023–2024; it was corrected to 2023 only, and t2 now counts 2024.
        try registry.write(.edit) { try $0.upsert(Self.tally("t1", from: "2023", to: "2024", count: 30)) }
        try registry.write(.edit) { try $0.upsert(Self.tally("t1", from: "2023", to: "2023", count: 14)) }
        try registry.write(.edit) { try $0.upsert(Self.tally("t2", from: "2024", to: "2024", count: 16)) }
        let changes = try registry.read { try $0.history(recordID: "t1") }
        #expect(throws: RestoreRefused.self) { try registry.restore(id: "t1", kind: .tally, change: nil) }
        do {
            _ = try registry.restore(id: "t1", kind: .tally, change: nil)
        } catch let refused as RestoreRefused {
            #expect(refused.message.contains("'t2'"), "names the tally it would overlap: \(refused.message)")
            #expect(refused.message.contains("counted twice"))
        }
        // Nothing changed: t1 is still the corrected version, and the history has no restore.
        let (t1, after) = try registry.read {
            (try $0.tally(id: "t1"), try $0.history(recordID: "t1"))
        }
        #expect(t1?.count == 14 && t1?.from == PartialDate("2023"))
        #expect(after.count == changes.count)

        // Without t2, the earlier version comes back, and the restore is in the history.
        #expect(try registry.delete(.tally, id: "t2", reason: "entered twice"))
        let outcome = try registry.restore(id: "t1", kind: .tally, change: nil)
        #expect(outcome.kind == .tally && !outcome.wasDeleted)
        let restored = try registry.read { try $0.tally(id: "t1") }
        #expect(restored?.count == 30 && restored?.to == PartialDate("2024"))
        let last = try registry.read { try $0.history(recordID: "t1") }.last
        #expect(last?.action == .restore && last?.actor == ChangeActor("alice"))
    }

    @Test(arguments: TestBackend.allCases)
    func aDeletedTallyComesBackWhenNothingElseCountsItsOperations(_ backend: TestBackend) throws {
        let registry = try registry(backend)
        try registry.write(.edit) { try $0.upsert(Self.tally("t1", from: "2024-01", to: "2024-01", count: 5)) }
        #expect(try registry.delete(.tally, id: "t1", reason: nil))
        #expect(try registry.delete(.tally, id: "t1", reason: nil) == false)
        let outcome = try registry.restore(id: "t1", kind: nil, change: nil)
        #expect(outcome.wasDeleted)
        #expect(try registry.read { try $0.tally(id: "t1") }?.count == 5)
    }
}
