import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// A small registry file with one of everything a tally needs.
let baseRegistry = """
    <?xml version="1.0" encoding="UTF-8"?>
    <registry xmlns="urn:annals:registry:1" version="1">
      <orgUnit id="hospital" kind="hospital">
        <name>Children's Hospital</name>
        <campus id="binjiang"><name>Binjiang Campus</name></campus>
      </orgUnit>
      <orgUnit id="general-surgery" kind="department" parent="hospital">
        <name>General Surgery</name>
      </orgUnit>
      <procedure id="cce" category="hepatobiliary" grade="4">
        <preferredTerm>Choledochal cyst excision</preferredTerm>
      </procedure>
      <tally id="t1" procedure="cce" approach="laparoscopic" department="general-surgery" campus="binjiang" to="2015-12-31" count="300"/>
    </registry>

    """

/// A registry document with `body` as its records.
func registry(_ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <registry xmlns="urn:annals:registry:1" version="1">
    \(body)
    </registry>

    """
}

@Suite(.serialized) struct RegistryImportTests {
    let folder = TemporaryFolder()

    func newStore() throws -> RegistryStore { try folder.newRegistry() }

    func importFiles(_ urls: [URL], into store: RegistryStore) throws -> ImportReport {
        let files = try urls.map { try RegistryImporter.read(file: $0, displayName: $0.lastPathComponent) }
        return try store.write { try RegistryImporter.apply(files, to: $0) }
    }

    func export(_ store: RegistryStore) throws -> Data {
        var data = Data()
        try store.read { try RegistryExporter.export($0) { data.append(contentsOf: $0) } }
        return data
    }

    /// Imports `bad` into a registry holding `baseRegistry`; checks it fails and changes nothing.
    func refusal(_ bad: String) throws -> [Diagnostic] {
        let store = try newStore()
        _ = try importFiles([folder.write("base.xml", baseRegistry)], into: store)
        let before = try export(store)
        let file = folder.write("bad.xml", bad)
        let failure = try #require(throws: DiagnosticError.self) { try importFiles([file], into: store) }
        #expect(try export(store) == before, "a refused import must leave the registry exactly as it was")
        #expect(failure.diagnostics.allSatisfy { $0.file == "bad.xml" && $0.line > 0 && $0.column > 0 })
        return failure.diagnostics
    }

    @Test func samplesValidate() throws {
        #expect(try RegistryImporter.validate(file: Fixtures.sampleRegistry).isEmpty)
    }

    @Test func samplesRoundTripByteForByte() throws {
        let first = try newStore()
        _ = try importFiles([Fixtures.sampleRegistry], into: first)
        let exported = try export(first)
        let exportFile = folder.url.appendingPathComponent("export.xml")
        try exported.write(to: exportFile)
        #expect(try RegistryImporter.validate(file: exportFile).isEmpty)

        let second = try newStore()
        _ = try importFiles([exportFile], into: second)
        #expect(try export(second) == exported)
        #expect(try first.read { try $0.content() } == second.read { try $0.content() })
    }

    @Test func exportValidatesWithXmllintToo() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
            print("skipped: xmllint is not installed (Debian package libxml2-utils)")
            return
        }
        let store = try newStore()
        _ = try importFiles([Fixtures.sampleRegistry], into: store)
        let exportFile = folder.url.appendingPathComponent("export.xml")
        try export(store).write(to: exportFile)
        let xmllint = Process()
        xmllint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        xmllint.arguments = ["--noout", "--nonet", "--schema", Fixtures.registrySchema.path, exportFile.path]
        let errors = Pipe()
        xmllint.standardError = errors
        try xmllint.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        xmllint.waitUntilExit()
        #expect(xmllint.terminationStatus == 0, "\(message)")
        #expect(message.contains("validates"))
    }

    @Test func samplesHoldWhatTheProfilesSay() throws {
        let store = try newStore()
        _ = try importFiles([Fixtures.sampleRegistry], into: store)
        let content = try store.read { try $0.content() }
        let gs = try #require(content.orgUnits.first { $0.id == "general-surgery" })
        #expect(gs.beds.map(\.beds) == [45, 42])
        #expect(gs.beds.map(\.vipBeds) == [2, 2])
        #expect(gs.established?.text == "early 1960s")
        let laparoscopicCysts = content.tallies
            .filter {
                $0.departmentID == "general-surgery" && $0.procedureID == "choledochal-cyst-excision"
                    && $0.approach == .laparoscopic
            }
            .reduce(0) { $0 + $1.count }
        #expect(laparoscopicCysts > 500)
        let xiong = try #require(content.people.first { $0.id == "xiong-qixing" })
        #expect(Set(xiong.departmentIDs) == ["general-surgery", "oncology-surgery"])
        let gsOverview = try #require(DepartmentOverview(department: "general-surgery", in: content))
        #expect(gsOverview.staff[.chiefPhysician] == 5)
        #expect(gsOverview.sciPapers > 20)
        #expect(gsOverview.otherPapers > 70)
        let oncology = try #require(DepartmentOverview(department: "oncology-surgery", in: content))
        #expect(oncology.department.totalBeds == 32)
        #expect(oncology.staff[.specialistDoctor] == 11)
        #expect(oncology.patents == 2)
        #expect(oncology.sciPapers + oncology.otherPapers > 50)
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let store = try newStore()
        let file = folder.write("base.xml", baseRegistry)
        let first = try importFiles([file], into: store)
        #expect(first.count(.inserted) == 4)
        let again = try importFiles([file], into: store)
        #expect(again.count(.inserted) == 0)
        #expect(again.count(.updated) == 0)
        #expect(again.count(.unchanged) == 4)
        #expect(try store.read { try $0.tallyHistory(id: "t1") }.isEmpty)
    }

    @Test func aCorrectedRecordIsUpdatedInPlace() throws {
        let store = try newStore()
        _ = try importFiles([folder.write("base.xml", baseRegistry)], into: store)
        let corrected = baseRegistry.replacingOccurrences(of: "count=\"300\"", with: "count=\"310\"")
        let report = try importFiles([folder.write("corrected.xml", corrected)], into: store)
        #expect(report.outcomes[.tally]?[.updated] == 1)
        #expect(try store.read { try $0.content().tallies.map(\.count) } == [310])
    }

    @Test func laterFilesMayReferToRecordsAlreadyInTheRegistry() throws {
        let store = try newStore()
        _ = try importFiles([folder.write("base.xml", baseRegistry)], into: store)
        let more = registry(
            #"<tally id="t2" procedure="cce" approach="robotic" department="general-surgery" from="2018" to="2018" count="12"/>"#
        )
        let report = try importFiles([folder.write("more.xml", more)], into: store)
        #expect(report.count(.inserted) == 1)
    }

    @Test func malformedFileIsRefusedWithItsPosition() throws {
        let diagnostics = try refusal(registry("<orgUnit id=\"x\" kind=\"hospital\"><name>X</orgUnit>"))
        #expect(diagnostics.first?.line == 3)
        #expect(diagnostics.first?.code == .xmlMalformed)
    }

    @Test func schemaInvalidFileReportsEveryProblem() throws {
        let diagnostics = try refusal(
            registry(
                """
                  <tally id="t9" procedure="cce" approach="keyhole" department="general-surgery" to="2019" count="3"/>
                  <tally id="t10" procedure="cce" approach="open" department="general-surgery" to="2019" count="-1"/>
                """))
        #expect(diagnostics.count == 2)
        #expect(diagnostics.map(\.line) == [3, 4])
        #expect(diagnostics.map(\.column) == [3, 3])
        #expect(diagnostics[0].message.contains("keyhole"))
        #expect(diagnostics.allSatisfy { $0.code == .xmlSchema })
    }

    @Test func danglingReferenceIsRefusedAndNamed() throws {
        let diagnostics = try refusal(
            registry(
                #"  <tally id="t3" procedure="hernia-repair" approach="open" department="general-surgery" to="2019" count="3"/>"#
            ))
        let first = try #require(diagnostics.first)
        #expect(first.line == 3)
        #expect(first.column == 3)
        #expect(first.message.contains("procedure 'hernia-repair'"))
        #expect(first.code == .registryUnknownReference)
    }

    @Test func entityDeclarationIsRefused() throws {
        let diagnostics = try refusal(
            """
            <?xml version="1.0"?>
            <!DOCTYPE registry [ <!ENTITY gs "general-surgery"> ]>
            <registry xmlns="urn:annals:registry:1" version="1"/>
            """)
        #expect(diagnostics.first?.line == 2)
        #expect(diagnostics.first?.message.contains("declares entities") == true)
        #expect(diagnostics.first?.code == .xmlEntity)
    }

    @Test func impossibleCalendarDateIsRefused() throws {
        let diagnostics = try refusal(
            registry(
                #"  <tally id="t4" procedure="cce" approach="open" department="general-surgery" from="2019-02-01" to="2019-02-30" count="3"/>"#
            ))
        #expect(diagnostics.first?.message.contains("2019-02-30") == true)
        #expect(diagnostics.first?.code == .registryInvalidRecord)
    }

    @Test func periodEndingBeforeItStartsIsRefused() throws {
        let diagnostics = try refusal(
            registry(
                #"  <tally id="t5" procedure="cce" approach="open" department="general-surgery" from="2020" to="2019" count="3"/>"#
            ))
        #expect(diagnostics.first?.message.contains("before it starts") == true)
    }

    @Test func duplicateIDsInOneFileAreRefusedBySchema() throws {
        let diagnostics = try refusal(
            registry(
                """
                  <procedure id="dup" category="x"><preferredTerm>A</preferredTerm></procedure>
                  <procedure id="dup" category="x"><preferredTerm>B</preferredTerm></procedure>
                """))
        #expect(diagnostics.first?.message.contains("Duplicate") == true)
    }

    @Test func theSameRecordInTwoFilesIsRefused() throws {
        let store = try newStore()
        let a = folder.write("a.xml", baseRegistry)
        let b = folder.write(
            "b.xml", registry(#"  <procedure id="cce" category="x"><preferredTerm>Other</preferredTerm></procedure>"#))
        let before = try store.read { try $0.counts() }
        let failure = try #require(throws: DiagnosticError.self) { try importFiles([a, b], into: store) }
        #expect(failure.diagnostics.first?.message.contains("also defined in a.xml") == true)
        #expect(failure.diagnostics.first?.code == .registryDuplicateRecord)
        #expect(try store.read { try $0.counts() } == before)
    }

    @Test func inlineMarkupInTitlesSurvivesTheRoundTrip() throws {
        let store = try newStore()
        let xml = registry(
            """
              <publication id="p1" kind="journal-article">
                <title>Variants at the <i>TERT</i> gene and <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math> risk</title>
                <published>2021-03</published>
              </publication>
            """)
        _ = try importFiles([folder.write("p.xml", xml)], into: store)
        let publication = try #require(try store.read { try $0.content().publications.first })
        #expect(publication.title.plain == "Variants at the TERT gene and x2 risk")
        #expect(publication.title.markup.contains("<i>TERT</i>"))
        #expect(publication.title.markup.contains(#"<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">"#))
        let exported = String(decoding: try export(store), as: UTF8.self)
        #expect(exported.contains("<title>Variants at the <i>TERT</i> gene and <mml:math"))
    }
}
