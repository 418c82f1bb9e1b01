import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@Suite(.serialized) struct TableExportTests {
    let folder = TemporaryFolder()

    func samples() throws -> RegistryStore {
        let store = try folder.newRegistry()
        let file = try RegistryImporter.read(file: Fixtures.sampleRegistry)
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        _ = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: Fixtures.samples.appendingPathComponent("pubmed-sample.xml"), displayName: "pubmed-sample.xml")
            return importer.report
        }
        return store
    }

    func csv(_ table: TableExport.Table, excel: Bool = false, _ store: RegistryStore) throws -> String {
        var out = ""
        try store.read { try TableExport.csv(table, from: $0, excel: excel) { out += $0 } }
        return out
    }

    @Test(arguments: TableExport.Table.allCases)
    func everyTableHasItsHeaderAndOneRowPerRecord(_ table: TableExport.Table) throws {
        let store = try samples()
        let text = try csv(table, store)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == table.columns.joined(separator: ","))
        let counts = try store.read { try $0.counts() }
        let expected: Int =
            switch table {
            case .publications: counts[.publication]!
            case .projects: counts[.project]!
            case .patents: counts[.patent]!
            case .awards: counts[.award]!
            case .tallies: counts[.tally]!
            case .people: counts[.person]!
            }
        // Quoted fields never hold a line break in the samples, so lines are records.
        #expect(lines.count == expected + 1)
    }

    @Test func excelGetsAByteOrderMarkAndChineseSurvives() throws {
        let text = try csv(.people, excel: true, try samples())
        #expect(text.unicodeScalars.first == "\u{FEFF}")
        #expect(text.contains("gao-zhigang,Gao,Zhigang,高志刚,"))
    }

    @Test func fieldsWithCommasAndQuotesAreQuoted() throws {
        #expect(CSVWriter.line(["a,b", "say \"hi\"", "plain"]) == "\"a,b\",\"say \"\"hi\"\"\",plain\r\n")
    }

    @Test func risRecordsReadBackField() throws {
        let store = try samples()
        var ris = ""
        try store.read { try TableExport.ris(from: $0, year: 2024, department: "oncology-surgery") { ris += $0 } }
        let records = ris.components(separatedBy: "ER  - ").filter { $0.contains("TY  - ") }
        #expect(!records.isEmpty)
        let fields = try #require(records.first { $0.contains("AN  - 900001002") })
            .components(separatedBy: "\r\n").compactMap { line -> (String, String)? in
                guard line.count >= 6, line.dropFirst(2).hasPrefix("  - ") else { return nil }
                return (String(line.prefix(2)), String(line.dropFirst(6)))
            }
        func all(_ tag: String) -> [String] { fields.filter { $0.0 == tag }.map(\.1) }
        #expect(all("TY") == ["JOUR"])
        #expect(all("AU") == ["Wang, Jinhu", "Xiong, Qixing", "Li, M"])
        #expect(all("TI") == ["Illustrative record: digital navigation for resection of MYCN-amplified neuroblastoma."])
        #expect(all("T2") == ["Cancer letters"])
        #expect(all("PY") == ["2024"])
        #expect(all("DA") == ["2024/03/15"])
        #expect(all("VL") == ["580"])
        #expect(all("SN") == ["0304-3835"])
        #expect(all("DO") == ["10.5555/annals.sample.2"])
        #expect(all("LA") == ["eng"])
    }
}
