import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import Foundation
import Testing

/// `annals export` and the web's downloads write through one `ExportRequest`.
@Suite struct ExportRequestTests {
    @Test func aDepartmentByItsChineseNameSelectsAsItsIdAndAnUnknownOneIsRefused() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        func ris(_ department: String?) throws -> String {
            var bytes = Data()
            try registry.export(ExportRequest(.ris, department: department)) { bytes.append(contentsOf: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let all = try ris(nil)
        let byID = try ris("general-surgery")
        #expect(byID.contains("TY  - ") && all.count > byID.count)
        #expect(try ris("普外科") == byID)
        #expect(throws: UnknownReference.self) { try ris("general-surgey") }
        let workbook = try registry.read {
            try ExportRequest(.xlsx(.papers, language: .zh, sciOnly: true), year: 2024).data(from: $0)
        }
        #expect(workbook.starts(with: [0x50, 0x4B]), "a workbook is a ZIP file")
    }

    @Test func theRegistryExportIsTheSameBytesEachTimeAndWrittenToAFile() throws {
        let (registry, folder) = try RegistryTests.demo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("again.xml").path
        try registry.export(ExportRequest(.registry), toFile: path)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        let demo = try Data(contentsOf: folder.appendingPathComponent("registry-export.xml"))
        #expect(written == demo && !written.isEmpty)
    }
}
