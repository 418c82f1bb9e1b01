import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import Foundation
import Testing

/// Attaching files through the application layer: the type from the content, the record must exist, a
/// secretary only on their departments' records; each change in the record's history.
@Suite struct AttachTests {
    @Test func aPDFIsAttachedAndHTMLCalledPDFIsRefused() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = try #require(try registry.read { try $0.projects() }.first)
        let html = Data("<html><script>alert(1)</script></html>".utf8)
        #expect(throws: RegistryFailure.self) {
            try registry.attach(html, named: "letter.pdf", to: .project, id: project.id)
        }
        #expect(throws: RegistryFailure.self) {
            try registry.attach(Data("%PDF-1.4\n".utf8), named: "x.pdf", to: .project, id: "no-such-project")
        }
        let outside = Set(["no-such-department"])
        #expect(throws: RegistryFailure.self) {
            try registry.attach(
                Data("%PDF-1.4\n".utf8), named: "x.pdf", to: .project, id: project.id, departments: outside)
        }
        let added = try registry.attach(Data("%PDF-1.4\n".utf8), named: "../grant letter", to: .project, id: project.id)
        #expect(added.type == .pdf)
        #expect(added.fileName == "grant letter.pdf")
        #expect(try registry.read { try $0.attachments(of: .project, id: project.id) }.map(\.id) == [added.id])
        _ = try registry.removeAttachment(id: added.id)
        #expect(try registry.read { try $0.attachments(of: .project, id: project.id) }.isEmpty)
    }

    @Test func aSecretaryMayNotUploadRegistryXML() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let samples = try DemoRegistry.locateSamples(nil)
        let source = ImportSource(path: samples.appendingPathComponent("registry.xml").path)
        #expect(throws: RegistryFailure.self) {
            try registry.importUpload(.registry, source, dryRun: true, departments: ["general-surgery"])
        }
        let preview = try registry.importUpload(.registry, source, dryRun: true)
        #expect(!preview.lines.isEmpty)
    }
}
