import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsStore

/// Files attached to records: kept with their content on both backends, logged, and carried by `migrate-store`.
@Suite struct AttachmentTests {
    let folder = TemporaryFolder()
    static let pdf = Data("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)

    func attachment(_ id: String, on project: String) -> AnnalsModel.Attachment {
        AnnalsModel.Attachment(
            id: id, recordKind: .project, recordID: project, fileName: "letter.pdf", type: .pdf,
            size: Self.pdf.count, sha256: "00", addedAt: Date(timeIntervalSince1970: 1_700_000_000), addedBy: "olga")
    }

    @Test func theTypeIsReadFromTheContentNotTheName() {
        #expect(AttachmentType.sniff(Array(Self.pdf)) == .pdf)
        #expect(AttachmentType.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(AttachmentType.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(AttachmentType.sniff(Array("<html><script>alert(1)</script></html>".utf8)) == nil)
    }

    @Test(arguments: TestBackend.allCases)
    func anAttachmentIsKeptLoggedAndRemoved(backend: TestBackend) throws {
        guard backend == .sqlite || TestPostgres.serverURL != nil else { return }
        let store = try RegistryStore(path: try folder.registryLocation(backend, "attach"))
        try store.write { try $0.addAttachment(attachment("a1", on: "proj-1"), content: Self.pdf) }
        let listed = try store.read { try $0.attachments(of: .project, id: "proj-1") }
        #expect(listed.map(\.id) == ["a1"])
        #expect(try store.read { try $0.attachmentContent(id: "a1") } == Self.pdf)
        let removed = try store.write { try $0.removeAttachment(id: "a1") }
        #expect(removed?.id == "a1")
        #expect(try store.read { try $0.attachments(of: .project, id: "proj-1") }.isEmpty)
        let history = try store.read {
            try $0.reading.changeEntries(recordID: "proj-1", kind: "attachment", since: nil, recordsPerChange: nil)
        }
        let operations = history.flatMap(\.records).map(\.operation)
        #expect(operations == [.added, .deleted])
    }

    @Test func migrateStoreCarriesAttachments() throws {
        let source = try RegistryStore(path: folder.path("source.sqlite"))
        try source.write { try $0.addAttachment(attachment("a2", on: "proj-2"), content: Self.pdf) }
        let copy = try RegistryStore(path: folder.path("copy.sqlite"))
        let report = try copy.copy(from: source)
        #expect(report.isComplete)
        #expect(report.tables.contains { $0.table == "attachment" && $0.copy == 1 })
        #expect(try copy.read { try $0.attachmentContent(id: "a2") } == Self.pdf)
        if TestPostgres.serverURL != nil {
            let server = try RegistryStore(path: try TestPostgres.newDatabaseURL())
            #expect(try server.copy(from: source).isComplete)
            #expect(try server.read { try $0.attachmentContent(id: "a2") } == Self.pdf)
        }
    }
}
