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

    func importCSV(_ csv: String, into store: RegistryStore, name: String = "tallies.csv") throws -> ImportReport {
        let file = folder.write(name, csv)
        return try store.write { tx in
            try TallyImporter.apply(try TallyImporter.read(file: file, displayName: name, registry: tx), file: name, to: tx)
        }
    }

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
        #expect(imported.map(\.id) == [
            "cce.laparoscopic.general-surgery.binjiang.all.2016.2016", "cce.laparoscopic.general-surgery.binjiang.all.2017-01.2017-06",
        ])
        #expect(imported[1].approach == .laparoscopic, "the approach read off the procedure term")
        #expect(imported[1].note == "first half, 2017")
    }

    @Test func everyBadRowIsReportedAndNothingIsWritten() throws {
        let store = try store()
        let failure = try #require(throws: ImportFailure.self) {
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
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func anOverlapWithTheRegistryIsRefused() throws {
        let store = try store()
        // The registry's baseline runs to 2015-12-31; a 2015 tally for the same series would count twice.
        let failure = try #require(throws: ImportFailure.self) {
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
        #expect(try tallies(store).map(\.id) == ["t1"])
    }

    @Test func aWholeDepartmentTallyOverlapsACampusTally() throws {
        let store = try store()
        #expect(throws: ImportFailure.self) {
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
        let failure = try #require(throws: ImportFailure.self) {
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
        let corrected = try importCSV(header + "cce,laparoscopic,general-surgery,binjiang,2016,2016,19,recount\n", into: store)
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
                registry(#"  <tally id="t9" procedure="cce" approach="laparoscopic" department="general-surgery" from="2014" to="2014" count="5"/>"#)))
        let failure = try #require(throws: ImportFailure.self) { try store.write { try RegistryImporter.apply([file], to: $0) } }
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
            let failure = try #require(throws: ImportFailure.self) {
                try store.write { tx in try TallyImporter.read(file: file, displayName: name, registry: tx) }
            }
            #expect(failure.diagnostics.allSatisfy { $0.file == name }, "\(name)")
        }
        let folderAsFile = folder.url.appendingPathComponent("a-folder.csv")
        try FileManager.default.createDirectory(at: folderAsFile, withIntermediateDirectories: true)
        #expect(throws: ImportFailure.self) { try store.write { tx in try TallyImporter.read(file: folderAsFile, displayName: "a-folder.csv", registry: tx) } }
        #expect(try tallies(store).map(\.id) == ["t1"])
    }
}
