import AnnalsDiagnostics
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

@testable import AnnalsInterchange

/// The CSV reader on its own: RFC 4180 quoting, line ends, BOM, and where each record and field starts.
@Suite struct JournalListCSVTests {
    @Test func quotedFieldsKeepCommasDoubledQuotesAndLineBreaks() {
        let (records, problems) = CSV.read("a,\"b, c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,row")
        #expect(problems.isEmpty)
        #expect(
            records.map { $0.fields.map(\.text) } == [
                ["a", "b, c", "say \"hi\""], ["two\nlines", "x"], ["last", "row"],
            ])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(records[0].fields.map(\.column) == [1, 3, 10])
        #expect(records[1].fields.map(\.line) == [2, 3])
        #expect(records[1].fields[1].column == 8)
    }

    @Test func crlfAndByteOrderMarkAreAccepted() {
        let data = Data("\u{FEFF}title,year\r\nA,2023\r\n\r\n\"x\r\ny\",2024\r\n".utf8)
        let (records, problems) = CSV.read(data)
        #expect(problems.isEmpty)
        #expect(records.map { $0.fields.map(\.text) } == [["title", "year"], ["A", "2023"], ["x\r\ny", "2024"]])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(records[0].fields[0].column == 1, "the byte-order mark is not a column")
    }

    @Test func loneCarriageReturnsEndLinesToo() {
        let (records, _) = CSV.read("a,b\rc,d\re,f")
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map { $0.fields.count } == [2, 2, 2])
    }

    @Test func trailingCommaIsAnEmptyFieldAndEmptyFileHasNoRecords() {
        #expect(CSV.read("a,b,\n").records.first?.fields.map(\.text) == ["a", "b", ""])
        #expect(CSV.read("").records.isEmpty)
        #expect(CSV.read("\n\n").records.isEmpty)
    }

    @Test func spacesAroundQuotedFieldsAreIgnored() {
        let (records, problems) = CSV.read("a, \"b, c\" ,d")
        #expect(problems.isEmpty)
        #expect(records.first?.fields.map(\.text) == ["a", "b, c", "d"])
        #expect(records.first?.fields.map(\.column) == [1, 4, 12])
    }

    @Test func unclosedQuoteIsReportedWhereItOpens() {
        let (_, problems) = CSV.read("a,b\nc,\"open\nmore")
        #expect(problems.map(\.line) == [2])
        #expect(problems.map(\.column) == [3])
        #expect(problems.first?.message.contains("never closed") == true)
    }

    @Test func strayQuotesAreReportedAndReadingGoesOn() {
        let (records, problems) = CSV.read("5\" disk,x\n\"a\"b,y\n")
        #expect(records.count == 2)
        #expect(problems.map { [$0.line, $0.column] } == [[1, 2], [2, 4]])
    }

    @Test func otherEncodingsAreRefusedWithTheirLine() {
        var gbk = Data("title,year\nok,2023\n".utf8)
        gbk.append(contentsOf: [0xB1, 0xB1, 0xB4, 0xF3])  // 北大 in GBK
        let (_, problems) = CSV.read(gbk)
        #expect(problems.map(\.line) == [3])
        #expect(problems.first?.message.contains("UTF-8") == true)

        let utf16 = Data([0xFF, 0xFE]) + "title".data(using: .utf16LittleEndian)!
        #expect(CSV.read(utf16).problems.first?.message.contains("UTF-16") == true)
    }
}

/// The CSV reader over a file read a piece at a time (tally files): whatever the piece size, exactly
/// the records, places and problems of reading the file whole.
@Suite struct StreamedCSVTests {
    let folder = TemporaryFolder()

    static let inputs: [[UInt8]] = [
        Array("a,\"b, c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,row".utf8),
        Array("\u{FEFF}title,year\r\nA,2023\r\n\r\n\"x\r\ny\",2024\r\n".utf8),
        Array("a,b\rc,d\re,f".utf8),
        Array("a, \"b, c\" ,d\n5\" disk,x\n\"a\"b,y\nc,\"open\nmore".utf8),
        Array("名称,年份\n浙江大学医学院附属儿童医院,2024\n\"滨江,院区\",2025\r\n".utf8),
        Array("title,year\nok,2023\n".utf8) + [0xB1, 0xB1, 0xB4, 0xF3],
        Array("a,b\n\"北京".utf8) + [0xE5, 0x8C] + Array("\",x\n".utf8),
        Array("".utf8), Array("\n\n".utf8), Array("a,b,\n".utf8),
    ]

    @Test(arguments: 1...9) func everyPieceSizeReadsWhatTheWholeFileHolds(_ chunkSize: Int) throws {
        for (index, bytes) in Self.inputs.enumerated() {
            let file = folder.url.appendingPathComponent("input-\(index).csv")
            try Data(bytes).write(to: file)
            let whole = CSV.read(Data(bytes))
            var records: [CSVRecord] = []
            var problems: [CSVProblem] = []
            if let encoding = try CSV.forEachRecord(
                inFile: file, displayName: "input.csv", chunkSize: chunkSize, { records.append($0) },
                problem: { problems.append($0) })
            {
                records = []
                problems = [encoding]
            }
            #expect(records == whole.records, "input \(index), pieces of \(chunkSize)")
            #expect(problems == whole.problems, "input \(index), pieces of \(chunkSize)")
        }
    }

    @Test func utf16IsRefusedFromAFileToo() throws {
        let file = folder.url.appendingPathComponent("utf16.csv")
        try (Data([0xFF, 0xFE]) + "title".data(using: .utf16LittleEndian)!).write(to: file)
        let problem = try CSV.forEachRecord(inFile: file, displayName: "utf16.csv", { _ in }, problem: { _ in })
        #expect(problem?.message.contains("UTF-16") == true)
    }
}

/// Reading journal list files: columns, spellings, and every bad row reported with its place.
@Suite struct JournalListReadTests {
    static let header = "title,issn,eissn,issn_l,iso_abbreviation,year,index,impact_factor,jcr_quartile,cas_zone"
    let folder = TemporaryFolder()

    func read(_ text: String) throws -> [JournalListEntry] {
        try JournalListImporter.read(file: folder.write("list.csv", text), displayName: "list.csv")
    }

    func refusal(_ text: String) throws -> [Diagnostic] {
        let failure = try #require(throws: DiagnosticError.self) { try read(text) }
        #expect(failure.diagnostics.allSatisfy { $0.file == "list.csv" && $0.severity == .error })
        return failure.diagnostics
    }

    @Test func readsEveryColumnAndTheCommonSpellings() throws {
        let entries = try read(
            """
            \(Self.header)
            Journal of Pediatric Surgery,00223468,1531-5037,0022-3468,J Pediatr Surg,2023,SCI-E; ssci,2.40,q2,3区
            Chinese Journal of Pediatric Surgery,0253-3006,,,,2022,PKU core;北大核心;CSCD,N/A,,一区
            Made-up Journal,0000-006x,,,,2021,,,2,

            """)
        #expect(entries.count == 3)
        let jps = entries[0]
        #expect(jps.file == "list.csv")
        #expect(jps.line == 2)
        #expect(jps.issnPrint == "0022-3468")
        #expect(jps.issnElectronic == "1531-5037")
        #expect(jps.issns == ["0022-3468", "1531-5037"])
        #expect(jps.isoAbbreviation == "J Pediatr Surg")
        #expect(
            jps.metrics
                == JournalMetrics(
                    year: 2023, indexes: [.scie, .ssci], impactFactor: DecimalNumber("2.4"), jcrQuartile: 2, casZone: 3)
        )
        #expect(entries[1].metrics == JournalMetrics(year: 2022, indexes: [.cscd, .pkuCore], casZone: 1))
        #expect(entries[2].issnPrint == "0000-006X")
        #expect(entries[2].metrics == JournalMetrics(year: 2021, indexes: [], jcrQuartile: 2))
    }

    @Test func headerIsCaseInsensitiveInAnyOrder() throws {
        let entries = try read("Year,TITLE,Index,ISSN-L,Impact Factor\n2023,Stroke,SCIE,0039-2499,7.8\n")
        #expect(entries.first?.issnLinking == "0039-2499")
        #expect(entries.first?.metrics.impactFactor == DecimalNumber("7.8"))
    }

    @Test func emptyTrailingColumnsFromSpreadsheetsAreIgnored() throws {
        let entries = try read("title,issn,year,,\nStroke,0039-2499,2023,,\n,,,,\nMedicine,0025-7974,2023\n")
        #expect(entries.map(\.line) == [2, 4])
        let diagnostics = try refusal("title,issn,year,\nStroke,0039-2499,2023,note\n")
        #expect(diagnostics.map(\.column) == [23])
        #expect(diagnostics.first?.message.contains("header is empty") == true)
        #expect(diagnostics.first?.code == .csvFieldCount)
    }

    @Test func quotedTitlesWithCommasAndLineBreaksThroughBOMAndCRLF() throws {
        let text =
            "\u{FEFF}title,issn,year\r\n\"Journal of Cysts,\r\nDucts and \"\"Livers\"\"\",0022-3468,2023\r\nStroke,0039-2499,2023\r\n"
        let entries = try read(text)
        #expect(entries.map(\.title) == ["Journal of Cysts, Ducts and \"Livers\"", "Stroke"])
        #expect(entries.map(\.line) == [2, 4])
    }

    @Test func everyBadRowIsReportedWithItsLineAndColumn() throws {
        let diagnostics = try refusal(
            """
            title,issn,year,index,jcr_quartile,cas_zone
            Good Journal,0022-3468,2023,SCIE,Q1,1
            Bad Year,0039-2499,23,SCIE,,
            ,1531-5037,2023,,,
            Bad Quartile And Zone,0025-7974,2023,SCIE,Q5,5区
            Bad Index,1536-5964,2023,SCIE;Web of Science,,
            No ISSN,,2023,SCIE,,
            """)
        #expect(diagnostics.map(\.line) == [3, 4, 5, 5, 6, 7])
        #expect(diagnostics.map(\.column) == [20, 1, 43, 46, 26, 1])
        #expect(diagnostics[0].message.contains("year '23'"))
        #expect(diagnostics[1].message.contains("title is empty"))
        #expect(diagnostics[2].message.contains("jcr_quartile 'Q5'"))
        #expect(diagnostics[3].message.contains("cas_zone '5区'"))
        #expect(diagnostics[4].message.contains("'Web of Science'"))
        #expect(diagnostics[5].message.contains("no ISSN"))
        #expect(diagnostics[0].description.hasPrefix("list.csv:3:20: error: year '23'"))
    }

    @Test func wrongISSNCheckDigitIsRefused() throws {
        let diagnostics = try refusal("title,issn,eissn,year\nJ Pediatr Surg,0022-3469,1531-5037,2023\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 2)
        #expect(diagnostics.first?.column == 16)
        #expect(diagnostics.first?.message.contains("check digit") == true)
    }

    @Test func issnThatLostItsLeadingZerosIsExplained() throws {
        let diagnostics = try refusal("title,issn,year\nJ Pediatr Surg,223468,2023\n")
        #expect(diagnostics.first?.message.contains("has 6 digits") == true)
    }

    @Test func unknownColumnsAreNamed() throws {
        let diagnostics = try refusal("title,issn,year,Publisher,Total Cites\nStroke,0039-2499,2023,AHA,1000\n")
        #expect(diagnostics.map(\.line) == [1, 1])
        #expect(diagnostics.map(\.column) == [17, 27])
        #expect(diagnostics[0].message.contains("unknown column 'Publisher'"))
        #expect(diagnostics[1].message.contains("unknown column 'Total Cites'"))
    }

    @Test func requiredColumnsAreChecked() throws {
        let diagnostics = try refusal("index,impact_factor\nSCIE,2.4\n")
        #expect(diagnostics.count == 2)
        #expect(diagnostics[0].message.contains("no title or year column"))
        #expect(diagnostics[1].message.contains("no ISSN column"))
    }

    @Test func semicolonSeparatedFileGetsAHint() throws {
        let diagnostics = try refusal("title;issn;year\nStroke;0039-2499;2023\n")
        #expect(diagnostics.first?.message.contains("semicolons") == true)
    }

    @Test func theSameJournalTwiceInOneYearIsRefused() throws {
        let diagnostics = try refusal(
            "title,issn,eissn,year\nStroke,0039-2499,,2023\nStroke,,1524-4628,2022\nStroke (again),0039-2499,,2023\n")
        #expect(diagnostics.map(\.line) == [4])
        #expect(diagnostics.first?.message.contains("on line 2") == true)
    }

    @Test func extraValuesBeyondTheHeaderAreRefused() throws {
        let diagnostics = try refusal(
            "title,issn,year\nJournal of X, Y and Z,0039-2499,2023\nStroke,0039-2499,2022,,\n")
        #expect(diagnostics.map(\.line) == [2])
        #expect(diagnostics.first?.message.contains("in quotes") == true)
    }

    @Test func fileInAnotherEncodingIsRefused() throws {
        var bytes = Data("title,issn,year,index\nX,0039-2499,2023,".utf8)
        bytes.append(contentsOf: [0xB1, 0xB1, 0xB4, 0xF3, 0xBA, 0xCB, 0xD0, 0xC4, 0x0A])  // 北大核心 in GBK
        let url = folder.url.appendingPathComponent("gbk.csv")
        try bytes.write(to: url)
        let failure = try #require(throws: DiagnosticError.self) {
            try JournalListImporter.read(file: url, displayName: "gbk.csv")
        }
        #expect(failure.diagnostics.map(\.line) == [2])
        #expect(failure.diagnostics.first?.message.contains("UTF-8") == true)
    }
}

/// Applying journal lists to a registry: matching by ISSN, replacing a year, filling but never blanking.
@Suite(.serialized) struct JournalListImportTests {
    let folder = TemporaryFolder()
    static let sampleList = Fixtures.samples.appendingPathComponent("journals.csv")

    func newStore() throws -> RegistryStore { try folder.newRegistry() }

    func loadSampleRegistry(into store: RegistryStore) throws {
        let file = try RegistryImporter.read(file: Fixtures.sampleRegistry, displayName: "registry.xml")
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
    }

    func importList(_ url: URL, into store: RegistryStore) throws -> JournalListReport {
        let entries = try JournalListImporter.read(file: url, displayName: url.lastPathComponent)
        return try store.write { try JournalListImporter.apply(entries, to: $0) }
    }

    func journals(_ store: RegistryStore) throws -> [Journal] { try store.read { try $0.journals() } }

    @Test func sampleListReadsSixteenJournalYears() throws {
        let entries = try JournalListImporter.read(file: Self.sampleList, displayName: "journals.csv")
        #expect(entries.count == 16)
        #expect(Set(entries.map(\.metrics.year)) == [2022, 2023])
    }

    @Test func sampleListMatchesTheSampleRegistryByISSNAndReplacesTheYear() throws {
        let store = try newStore()
        try loadSampleRegistry(into: store)
        // Make the registry's 2023 list for one journal differ, so that replacing it shows.
        try store.write { tx in
            var journal = try #require(try tx.journals().first { $0.id == "j-pediatr-surg" })
            let i = try #require(journal.metrics.firstIndex { $0.year == 2023 })
            journal.metrics[i] = JournalMetrics(year: 2023, indexes: [.esci], impactFactor: DecimalNumber("99"))
            try tx.upsert(journal)
        }
        let before = try journals(store)

        let report = try importList(Self.sampleList, into: store)
        let after = try journals(store)
        #expect(report.journalsAdded == 0)
        #expect(report.journalsUpdated >= 1)
        #expect(report.journalsAdded + report.journalsUpdated + report.journalsUnchanged == 8)
        #expect(report.yearsLoaded == 16)
        #expect(report.yearsReplaced >= 1)
        #expect(report.warnings.isEmpty)
        #expect(after.map(\.id) == before.map(\.id), "journals are matched by ISSN, none created")

        let entries = try JournalListImporter.read(file: Self.sampleList, displayName: "journals.csv")
        for entry in entries {
            let journal = try #require(after.first { !Set($0.issns).isDisjoint(with: entry.issns) })
            let metrics = try #require(journal.metrics(for: entry.metrics.year))
            #expect(Set(metrics.indexes) == Set(entry.metrics.indexes))
            #expect(metrics.impactFactor == entry.metrics.impactFactor)
            #expect(metrics.jcrQuartile == entry.metrics.jcrQuartile)
            #expect(metrics.casZone == entry.metrics.casZone)
        }
        let jps = try #require(after.first { $0.id == "j-pediatr-surg" })
        #expect(jps.metrics(for: 2023)?.isSCI == true)
        #expect(jps.metrics(for: 2023)?.impactFactor == DecimalNumber("2.4"))
        for (old, new) in zip(before, after) {
            #expect(
                old.metrics.filter { $0.year < 2022 } == new.metrics.filter { $0.year < 2022 }, "other years are kept")
            #expect(old.title == new.title)
        }
    }

    @Test func reimportingTheSameListChangesNothing() throws {
        let store = try newStore()
        try loadSampleRegistry(into: store)
        _ = try importList(Self.sampleList, into: store)
        let before = try store.read { try $0.content() }
        let again = try importList(Self.sampleList, into: store)
        #expect(again.journalsAdded == 0)
        #expect(again.journalsUpdated == 0)
        #expect(again.journalsUnchanged == 8)
        #expect(again.yearsUnchanged == 16)
        #expect(try store.read { try $0.content() } == before)
        #expect(again.description.hasPrefix("journals: 0 added, 0 updated, 8 unchanged"))
    }

    @Test func unknownJournalsAreCreatedWithAnISSNBasedID() throws {
        let store = try newStore()
        let report = try importList(Self.sampleList, into: store)
        #expect(report.journalsAdded == 8)
        #expect(report.yearsAdded == 16)
        let all = try journals(store)
        #expect(all.count == 8)
        #expect(all.map(\.id).contains("issn-0022-3468"))
        #expect(all.map(\.id).contains("issn-2516-5410"), "a journal with only an electronic ISSN is named by it")
        let jps = try #require(all.first { $0.id == "issn-0022-3468" })
        #expect(jps.title == "Journal of Pediatric Surgery")
        #expect(jps.issnElectronic == "1531-5037")
        #expect(jps.isoAbbreviation == "J Pediatr Surg")
        #expect(jps.metrics.map(\.year) == [2022, 2023])

        let x = folder.write("x.csv", "title,issn,year\nMade-up Journal,0000-006x,2023\n")
        _ = try importList(x, into: store)
        #expect(try journals(store).contains { $0.id == "issn-0000-006x" && $0.issnPrint == "0000-006X" })
    }

    @Test func aNewJournalTakesItsTitleFromItsLatestList() throws {
        let store = try newStore()
        let file = folder.write("renamed.csv", "title,issn,year\nNew Name,0039-2499,2023\nOld Name,0039-2499,2021\n")
        _ = try importList(file, into: store)
        let journal = try #require(try journals(store).first)
        #expect(journal.title == "New Name")
        #expect(journal.metrics.map(\.year) == [2021, 2023])
    }

    @Test func fieldsAreFilledButNeverOverwrittenOrBlanked() throws {
        let store = try newStore()
        _ = try store.write { tx in
            try tx.upsert(
                Journal(
                    id: "stroke", title: "Stroke", issnPrint: "0039-2499",
                    metrics: [JournalMetrics(year: 2021, indexes: [.scie], impactFactor: DecimalNumber("8.3"))]))
        }
        let file = folder.write(
            "fill.csv",
            """
            title,issn,eissn,iso_abbreviation,year,index
            Stroke; a Journal of Cerebral Circulation,0039-2499,1524-4628,Stroke,2022,SCIE
            Stroke,1531-5037,1524-4628,,2023,SCIE
            """)
        let report = try importList(file, into: store)
        #expect(report.journalsUpdated == 1)
        #expect(report.yearsAdded == 2)
        #expect(report.warnings.map(\.line) == [3])
        #expect(report.warnings.first?.severity == .warning)
        #expect(report.warnings.first?.code == .journalsISSNDiffers)
        #expect(report.warnings.first?.message.contains("0039-2499") == true)
        let stroke = try #require(try journals(store).first)
        #expect(try journals(store).count == 1)
        #expect(stroke.id == "stroke")
        #expect(stroke.title == "Stroke", "an existing title is kept")
        #expect(stroke.issnPrint == "0039-2499", "an existing ISSN is kept")
        #expect(stroke.issnElectronic == "1524-4628", "a missing ISSN is filled")
        #expect(stroke.isoAbbreviation == "Stroke")
        #expect(stroke.metrics.map(\.year) == [2021, 2022, 2023])
    }

    @Test func entryWhoseISSNsBelongToTwoJournalsIsRefusedAndNothingIsWritten() throws {
        let store = try newStore()
        try store.write { tx in
            try tx.upsert(Journal(id: "print-only", title: "J Pediatr Surg", issnPrint: "0022-3468"))
            try tx.upsert(Journal(id: "online-only", title: "J Pediatr Surg", issnElectronic: "1531-5037"))
        }
        let before = try store.read { try $0.content() }
        let file = folder.write(
            "both.csv", "title,issn,eissn,year\nStroke,0039-2499,,2023\nJPS,0022-3468,1531-5037,2023\n")
        let failure = try #require(throws: DiagnosticError.self) { try importList(file, into: store) }
        #expect(failure.diagnostics.map(\.line) == [3])
        #expect(failure.diagnostics.first?.message.contains("'online-only'") == true)
        #expect(failure.diagnostics.first?.description.hasPrefix("both.csv:3:1: error:") == true)
        #expect(try store.read { try $0.content() } == before)
    }

    @Test func aRefusedFileChangesNothing() throws {
        let store = try newStore()
        try loadSampleRegistry(into: store)
        let before = try store.read { try $0.content() }
        let file = folder.write("bad.csv", "title,issn,year\nStroke,0039-2499,2024\nBroken,0039-2498,2024\n")
        #expect(throws: DiagnosticError.self) { try importList(file, into: store) }
        #expect(try store.read { try $0.content() } == before)
    }
}

/// Whether a paper counts as SCI by its journal's list for its year.
@Suite struct SCIRuleTests {
    static let journals = [
        Journal(
            id: "scie-from-2020", title: "A", issnPrint: "0022-3468", issnElectronic: "1531-5037",
            metrics: [JournalMetrics(year: 2020, indexes: [.scie])]),
        Journal(
            id: "esci-only", title: "B", issnElectronic: "2516-5410",
            metrics: [JournalMetrics(year: 2018, indexes: [.esci])]),
        Journal(
            id: "dropped-2022", title: "C", issnPrint: "0039-2499",
            metrics: [JournalMetrics(year: 2019, indexes: [.ssci]), JournalMetrics(year: 2022, indexes: [.esci])]),
    ]

    @Test func aPaperIsSCIByTheListForItsYearOrTheNearestEarlierOne() {
        #expect(SCIRule.isSCI(issns: ["0022-3468"], year: 2021, journals: Self.journals) == true)
        #expect(SCIRule.isSCI(issns: ["0022-3468"], year: 2020, journals: Self.journals) == true)
        #expect(SCIRule.isSCI(issns: ["15315037"], year: 2024, journals: Self.journals) == true, "any ISSN, any form")
    }

    @Test func aPaperOlderThanEveryListIsNotSCI() {
        #expect(SCIRule.isSCI(issns: ["0022-3468"], year: 2019, journals: Self.journals) == false)
    }

    @Test func esciAloneIsNotSCI() {
        #expect(SCIRule.isSCI(issns: ["2516-5410"], year: 2023, journals: Self.journals) == false)
    }

    @Test func aJournalDroppedFromSSCICountsUntilTheListThatDropsIt() {
        #expect(SCIRule.isSCI(issns: ["0039-2499"], year: 2021, journals: Self.journals) == true)
        #expect(SCIRule.isSCI(issns: ["0039-2499"], year: 2022, journals: Self.journals) == false)
    }

    @Test func anUnknownJournalHasNoAnswer() {
        #expect(SCIRule.isSCI(issns: ["0304-3835"], year: 2023, journals: Self.journals) == nil)
        #expect(SCIRule.isSCI(issns: [], year: 2023, journals: Self.journals) == nil)
    }
}

/// Broken and hostile CSV files, for both CSV importers (journal lists and tallies): each is refused
/// naming the file, and a file too large to be a CSV for Annals is refused before it is read.
@Suite struct HostileCSVTests {
    let folder = TemporaryFolder()

    func refusal(_ file: URL) -> DiagnosticError? {
        do {
            _ = try JournalListImporter.read(file: file, displayName: file.lastPathComponent)
            return nil
        } catch let failure as DiagnosticError {
            return failure
        } catch {
            Issue.record("not an DiagnosticError: \(error)")
            return nil
        }
    }

    @Test func brokenJournalListsAreRefusedWithTheirName() throws {
        var nul = Data("title,issn,year,index\nJ,0000-0019,2024,SCIE".utf8)
        nul.append(contentsOf: [0x00, 0x0A])
        var invalid = Data("title,issn,year,index\nJ".utf8)
        invalid.append(contentsOf: [0xFF, 0xFE, 0x0A])
        for (name, data) in [("nul.csv", nul), ("invalid-utf8.csv", invalid), ("empty.csv", Data())] {
            let file = folder.url.appendingPathComponent(name)
            try data.write(to: file)
            let failure = try #require(refusal(file), "\(name) was accepted")
            #expect(failure.diagnostics.allSatisfy { $0.file == name }, "\(name)")
        }
        let directory = folder.url.appendingPathComponent("a-folder.csv")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(refusal(directory)?.diagnostics.first?.message.contains("folder") == true)
        #expect(
            refusal(folder.url.appendingPathComponent("missing.csv"))?.diagnostics.first?.message.contains(
                "no such file") == true)
    }

    @Test func aFileTooLargeForACSVIsRefusedBeforeItIsRead() throws {
        // Sparse: the size is there, the bytes are not written.
        let file = folder.url.appendingPathComponent("huge.csv")
        FileManager.default.createFile(atPath: file.path, contents: Data("title,issn,year,index\n".utf8))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(CSV.maximumFileSize + 1))
        try handle.close()
        let start = Date()
        let failure = try #require(refusal(file))
        #expect(failure.diagnostics.first?.message.contains("more than the 64 MB") == true)
        #expect(Date().timeIntervalSince(start) < 1)
        let store = try folder.newRegistry()
        #expect(throws: DiagnosticError.self) {
            try store.write { tx in try TallyImporter.read(file: file, displayName: "huge.csv", registry: tx) }
        }
    }
}
