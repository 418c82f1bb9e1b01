import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

@Suite(.serialized) struct TallyImportTests {
    let folder = TemporaryFolder()

    /// A registry with the base departments, campus and procedure of `baseRegistry` (tally t1: baseline
    /// of 300 laparoscopic cce through 2015-12-31 at Binjiang).
    func store() throws -> RegistryStore {
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "annals"))
        let file = try RegistryImporter.read(file: folder.write("base.xml", baseRegistry))
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    /// Imports `csv` as `annals import tallies` does (row by row as the file is read); then checks that
    /// reading the file whole and applying the rows (`read`, `apply`) would have done the same.
    func importCSV(_ csv: String, into store: RegistryStore, name: String = "tallies.csv") throws -> ImportReport {
        let file = folder.write(name, csv)
        let whole = Result {
            try store.dryRun { tx in
                try TallyImporter.apply(
                    try TallyImporter.read(file: file, displayName: name, registry: tx), file: name, to: tx)
            }
        }
        let streamed = Result {
            try store.write { tx in try TallyImporter.importFile(file, displayName: name, into: tx) }
        }
        switch (streamed, whole) {
        case (.success(let a), .success(let b)): #expect(a.description == b.description)
        case (.failure(let a as DiagnosticError), .failure(let b as DiagnosticError)):
            #expect(a.diagnostics == b.diagnostics)
        default: Issue.record("importFile and read + apply disagree: \(streamed) against \(whole)")
        }
        return try streamed.get()
    }

    func importXML(_ body: String, into store: RegistryStore, name: String = "more.xml") throws -> ImportReport {
        let file = try RegistryImporter.read(file: folder.write(name, registry(body)), displayName: name)
        return try store.write { try RegistryImporter.apply([file], to: $0) }
    }

    func totalCases(_ store: RegistryStore) throws -> Int { try store.read { try $0.totalCases() } }

    func tallies(_ store: RegistryStore) throws -> [CaseTally] { try store.read { try $0.content().tallies } }

    @Test func rowsImportWithVocabularyTermsAndDerivedIDs() throws {
        let store = try store()
        let report = try importCSV(
            """
            procedure,approach,department,campus,surgeon,from,to,count,source,note
            Choledochal cyst excision,laparoscopic,general-surgery,binjiang,,2016,2016,18,theatre log,
            "laparoscopic choledochal cyst excision",,general-surgery,binjiang,,2017-01,2017-06,9,theatre log,"first half, 2017"

            """, into: store)
        #expect(report.count(.inserted) == 2)
        let imported = try tallies(store).filter { $0.id != "t1" }
        #expect(
            imported.map(\.id) == [
                "cce.laparoscopic.general-surgery.binjiang.all.2016.2016",
                "cce.laparoscopic.general-surgery.binjiang.all.2017-01.2017-06",
            ])
        #expect(imported[1].approach == .laparoscopic, "the approach read off the procedure term")
        #expect(imported[1].note == "first half, 2017")
    }

    @Test func everyBadRowIsReportedAndNothingIsWritten() throws {
        let store = try store()
        let failure = try #require(throws: DiagnosticError.self) {
            try importCSV(
                """
                procedure,approach,department,campus,surgeon,from,to,count,source,note
                choledocal cyst excison,laparoscopic,general-surgery,,,2016,2016,18,,
                cce,keyhole,general-surgery,,,2016,2016,18,,
                cce,open,cardiology,,,2016,2016,18,,
                cce,open,general-surgery,hubin,,2016,2016,18,,
                cce,open,general-surgery,,,2016,2016-02-30,18,,
                cce,open,general-surgery,,,2017,2016,18,,
                cce,open,general-surgery,,,2016,2016,-3,,
                cce,open,general-surgery,,nobody,2016,2016,3,,
                """, into: store)
        }
        #expect(failure.diagnostics.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(failure.diagnostics[0].message.contains("did you mean 'Choledochal cyst excision'"))
        #expect(failure.diagnostics[1].message.contains("unknown approach 'keyhole'"))
        #expect(failure.diagnostics[0].description.hasPrefix("tallies.csv:2:1: error: unknown procedure"))
        #expect(failure.diagnostics.allSatisfy { $0.code == .tallyInvalidValue })
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func anOverlapWithTheRegistryIsRefused() throws {
        let store = try store()
        // The registry's baseline runs to 2015-12-31; a 2015 tally for the same series would count twice.
        let failure = try #require(throws: DiagnosticError.self) {
            try importCSV(
                """
                procedure,approach,department,campus,to,from,count
                cce,laparoscopic,general-surgery,binjiang,2015,2015,40
                """, into: store)
        }
        #expect(failure.diagnostics.count == 1)
        #expect(failure.diagnostics[0].line == 2)
        #expect(failure.diagnostics[0].message.contains("overlaps case tally 't1'"))
        #expect(failure.diagnostics[0].message.contains("counted twice"))
        #expect(failure.diagnostics[0].code == .tallyOverlap)
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func aWholeDepartmentTallyOverlapsACampusTally() throws {
        let store = try store()
        #expect(throws: DiagnosticError.self) {
            try importCSV(
                """
                procedure,approach,department,from,to,count
                cce,laparoscopic,general-surgery,2010,2012,40
                """, into: store)
        }
        // Another approach, or a period after the baseline, is fine.
        let report = try importCSV(
            """
            procedure,approach,department,from,to,count
            cce,robotic,general-surgery,2010,2012,4
            cce,laparoscopic,general-surgery,2016,2016,20
            """, into: store)
        #expect(report.count(.inserted) == 2)
    }

    @Test func overlapsWithinOneFileAreRefused() throws {
        let store = try store()
        let failure = try #require(throws: DiagnosticError.self) {
            try importCSV(
                """
                procedure,approach,department,campus,from,to,count
                cce,open,general-surgery,binjiang,2019,2019,10
                cce,open,general-surgery,binjiang,2019-06,2019-06,2
                """, into: store)
        }
        #expect(failure.diagnostics.first?.message.contains("also being imported") == true)
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func aCorrectionReplacesTheCountAndKeepsHistory() throws {
        let store = try store()
        let header = "procedure,approach,department,campus,from,to,count,source\n"
        _ = try importCSV(header + "cce,laparoscopic,general-surgery,binjiang,2016,2016,18,first count\n", into: store)
        let corrected = try importCSV(
            header + "cce,laparoscopic,general-surgery,binjiang,2016,2016,19,recount\n", into: store)
        #expect(corrected.count(.updated) == 1)
        let id = "cce.laparoscopic.general-surgery.binjiang.all.2016.2016"
        #expect(try tallies(store).first { $0.id == id }?.count == 19)
        let history = try store.read { try $0.tallyHistory(id: id) }
        #expect(history.map(\.tally.count) == [18])
        #expect(history.first?.tally.source == "first count")
    }

    @Test func registryXMLTalliesObeyTheSameRule() throws {
        let store = try store()
        let file = try RegistryImporter.read(
            file: folder.write(
                "more.xml",
                registry(
                    #"  <tally id="t9" procedure="cce" approach="laparoscopic" department="general-surgery" from="2014" to="2014" count="5"/>"#
                )))
        let failure = try #require(throws: DiagnosticError.self) {
            try store.write { try RegistryImporter.apply([file], to: $0) }
        }
        #expect(failure.diagnostics.first?.line == 3)
        #expect(failure.diagnostics.first?.message.contains("counted twice") == true)
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func brokenCSVFilesAreRefusedWithTheirName() throws {
        let store = try store()
        var invalid = Data("procedure,approach,department,to,count\ncce,open,general-surgery,2030,".utf8)
        invalid.append(contentsOf: [0xFF, 0xFE, 0x0A])
        var nul = Data("procedure,approach,department,to,count\ncce,open,general-surgery,2030,3".utf8)
        nul.append(contentsOf: [0x00, 0x0A])
        for (name, data) in [("invalid-utf8.csv", invalid), ("nul.csv", nul), ("empty.csv", Data())] {
            let file = folder.url.appendingPathComponent(name)
            try data.write(to: file)
            let failure = try #require(throws: DiagnosticError.self) {
                try store.write { tx in try TallyImporter.read(file: file, displayName: name, registry: tx) }
            }
            #expect(failure.diagnostics.allSatisfy { $0.file == name }, "\(name)")
        }
        let folderAsFile = folder.url.appendingPathComponent("a-folder.csv")
        try FileManager.default.createDirectory(at: folderAsFile, withIntermediateDirectories: true)
        #expect(throws: DiagnosticError.self) {
            try store.write { tx in
                try TallyImporter.read(file: folderAsFile, displayName: "a-folder.csv", registry: tx)
            }
        }
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    // MARK: - One identity for a tally: its series and period, whatever the path

    @Test func aCSVCorrectionReplacesARegistryXMLTallyOfTheSameSeriesAndPeriod() throws {
        let store = try store()
        // t1 came from registry XML under its own id: the baseline through 2015-12-31 at Binjiang.
        let report = try importCSV(
            """
            procedure,approach,department,campus,from,to,count,source
            cce,laparoscopic,general-surgery,binjiang,,2015-12-31,310,recount
            """, into: store)
        #expect(report.count(.updated) == 1)
        #expect(try tallies(store).map(\.id) == ["t1"])
        #expect(try tallies(store).first?.count == 310)
        #expect(try store.read { try $0.tallyHistory(id: "t1") }.map(\.tally.count) == [300])
        #expect(try totalCases(store) == 310)
    }

    @Test func aRegistryXMLCorrectionReplacesACSVTallyOfTheSameSeriesAndPeriod() throws {
        let store = try store()
        _ = try importCSV(
            "procedure,approach,department,campus,from,to,count\ncce,open,general-surgery,binjiang,2019,2019,10\n",
            into: store)
        let id = "cce.open.general-surgery.binjiang.all.2019.2019"
        let correction =
            #"  <tally id="open-2019" procedure="cce" approach="open" department="general-surgery" campus="binjiang" from="2019-01-01" to="2019-12-31" count="11" source="recount"/>"#
        let report = try importXML(correction, into: store)
        #expect(report.count(.updated) == 1)
        #expect(try tallies(store).map(\.id) == [id, "t1"], "the registry's id is kept")
        #expect(try store.read { try $0.tally(id: id) }?.count == 11)
        #expect(try store.read { try $0.tallyHistory(id: id) }.map(\.tally.count) == [10])
        #expect(try importXML(correction, into: store).count(.unchanged) == 1, "the same file again changes nothing")
        #expect(try totalCases(store) == 311)
    }

    @Test func aFileMayGiveOneSeriesAndPeriodOnlyOnce() throws {
        let store = try store()
        let failure = try #require(throws: DiagnosticError.self) {
            try importCSV(
                """
                procedure,approach,department,campus,from,to,count
                cce,open,general-surgery,binjiang,2019,2019,10
                cce,open,general-surgery,binjiang,2019-01-01,2019-12-31,12
                """, into: store)
        }
        #expect(failure.diagnostics.map(\.line) == [3])
        #expect(
            failure.diagnostics.first?.message.contains(
                "same procedure, approach, unit, campus, surgeon and period as line 2") == true)
        #expect(failure.diagnostics.first?.code == .tallyRepeated)
        let xml = try #require(throws: DiagnosticError.self) {
            try importXML(
                """
                  <tally id="a" procedure="cce" approach="open" department="general-surgery" from="2019" to="2019" count="10"/>
                  <tally id="b" procedure="cce" approach="open" department="general-surgery" from="2019-01-01" to="2019-12-31" count="12"/>
                """, into: store)
        }
        #expect(xml.diagnostics.map(\.line) == [4])
        #expect(xml.diagnostics.first?.message.contains("as case tally 'a' (more.xml:3); keep one") == true)
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func overlapsAcrossFilesAreRefusedOnEveryPath() throws {
        let store = try store()
        _ = try importCSV(
            "procedure,approach,department,campus,from,to,count\ncce,open,general-surgery,binjiang,2019,2019,10\n",
            into: store, name: "first.csv")
        // A later CSV file with a month of that year.
        let csv = try #require(throws: DiagnosticError.self) {
            try importCSV(
                "procedure,approach,department,campus,from,to,count\ncce,open,general-surgery,binjiang,2019-03,2019-03,1\n",
                into: store, name: "second.csv")
        }
        #expect(csv.diagnostics.map(\.description).first?.hasPrefix("second.csv:2:1: error: case tally") == true)
        #expect(csv.diagnostics.first?.message.contains("already in the registry") == true)
        // Two registry files imported together that overlap each other.
        let one = try RegistryImporter.read(
            file: folder.write(
                "one.xml",
                registry(
                    #"  <tally id="x" procedure="cce" approach="robotic" department="general-surgery" from="2020" to="2020" count="3"/>"#
                )),
            displayName: "one.xml")
        let two = try RegistryImporter.read(
            file: folder.write(
                "two.xml",
                registry(
                    #"  <tally id="y" procedure="cce" approach="robotic" department="general-surgery" campus="binjiang" from="2020-05" to="2020-05" count="1"/>"#
                )),
            displayName: "two.xml")
        let xml = try #require(throws: DiagnosticError.self) {
            try store.write { try RegistryImporter.apply([one, two], to: $0) }
        }
        #expect(
            xml.diagnostics.contains {
                $0.message.contains("also being imported") && $0.message.contains("counted twice")
            })
        #expect(try tallies(store).map(\.id) == ["cce.open.general-surgery.binjiang.all.2019.2019", "t1"])
    }

    // MARK: - One rule across organisation levels

    @Test func aHospitalTallyOverlapsItsDepartmentsOnEveryPath() throws {
        let store = try store()
        _ = try importCSV(
            "procedure,approach,department,campus,from,to,count\ncce,open,general-surgery,binjiang,2019,2019,10\n",
            into: store)
        let before = try totalCases(store)
        // Registry XML: a hospital-wide count for 2019 would count the department's 10 again.
        let xml = try #require(throws: DiagnosticError.self) {
            try importXML(
                #"  <tally id="h-2019" procedure="cce" approach="open" department="hospital" from="2019" to="2019" count="999"/>"#,
                into: store)
        }
        #expect(xml.diagnostics.count == 1)
        #expect(xml.diagnostics[0].line == 3)
        #expect(xml.diagnostics[0].message.contains("counted twice"))
        #expect(xml.diagnostics[0].message.contains("'hospital' and 'general-surgery': one unit includes the other"))
        // CSV: the same row, the same rule and the same sentence.
        let csv = try #require(throws: DiagnosticError.self) {
            try importCSV("procedure,approach,department,from,to,count\ncce,open,hospital,2019,2019,999\n", into: store)
        }
        #expect(csv.diagnostics.count == 1)
        #expect(csv.diagnostics[0].message.contains("'hospital' and 'general-surgery': one unit includes the other"))
        #expect(try totalCases(store) == before)
        // A hospital-wide count for years no department tallied is one count, on either path.
        #expect(
            try importCSV("procedure,approach,department,from,to,count\ncce,open,hospital,2020,2020,40\n", into: store)
                .count(.inserted) == 1)
        #expect(
            try importXML(
                #"  <tally id="h-2021" procedure="cce" approach="open" department="hospital" from="2021" to="2021" count="41"/>"#,
                into: store
            ).count(.inserted) == 1)
        // And then a department's count inside those years is refused, whichever path brings it.
        #expect(throws: DiagnosticError.self) {
            try importCSV(
                "procedure,approach,department,campus,from,to,count\ncce,open,general-surgery,binjiang,2020-06,2020-06,2\n",
                into: store)
        }
        #expect(throws: DiagnosticError.self) {
            try importXML(
                #"  <tally id="d" procedure="cce" approach="open" department="general-surgery" from="2021-06" to="2021-06" count="2"/>"#,
                into: store)
        }
        #expect(try totalCases(store) == before + 81)
        #expect(try store.check().isEmpty)
    }

    // MARK: - One bound for a count

    @Test func aCountAboveTheSchemasBoundIsRefusedOnEveryPath() throws {
        let store = try store()
        let csv = try #require(throws: DiagnosticError.self) {
            try importCSV(
                "procedure,approach,department,from,to,count\ncce,open,general-surgery,2019,2019,2147483648\n",
                into: store)
        }
        #expect(
            csv.diagnostics.map(\.description) == [
                "tallies.csv:2:36: error: 2147483648 is more than 2,147,483,647, the largest count Annals keeps; check the number"
            ])
        let xml = try #require(throws: DiagnosticError.self) {
            try importXML(
                #"  <tally id="big" procedure="cce" approach="open" department="general-surgery" from="2019" to="2019" count="2147483648"/>"#,
                into: store)
        }
        #expect(xml.diagnostics.first?.line == 3)
        let store2 = store
        #expect(throws: StoreError.self) {
            try store2.write { tx in
                try tx.upsert(
                    CaseTally(
                        id: "huge", procedureID: "cce", approach: .open, departmentID: "general-surgery",
                        from: PartialDate("2019"), to: PartialDate("2019")!, count: 1 << 62))
            }
        }
        // The bound itself is a count, and adds up.
        _ = try importCSV(
            """
            procedure,approach,department,from,to,count
            cce,open,general-surgery,2019,2019,2147483647
            cce,open,general-surgery,2020,2020,2147483647
            """, into: store)
        #expect(try totalCases(store) == 300 + 2 * 2_147_483_647)
        let sums = try store.read {
            try $0.tallySums(matching: TallyFilter(procedureIDs: ["cce"], approaches: [.open]), by: nil)
        }
        #expect(sums[nil]?.map(\.count) == [2_147_483_647, 2_147_483_647])
    }
}
