import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// Registry format version 2: the Chinese fields (procedure, journal, project, funder, programme, award,
/// grade, patent, academic title, history, collaborations and the unit's Chinese lists) are read, kept and
/// written back byte for byte; a registry without them is still written as version 1, as before.
@Suite(.serialized) struct ChineseFieldsRegistryTests {
    let folder = TemporaryFolder()
    static let v1Export = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/registry-v1-export.xml")

    func export(_ store: RegistryStore) throws -> Data {
        var data = Data()
        try store.read { try RegistryExporter.export($0) { data.append(contentsOf: $0) } }
        return data
    }

    /// A registry holding `url` (with the built-in vocabulary unless `bare`).
    func imported(_ url: URL, bare: Bool = false) throws -> RegistryStore {
        let store =
            bare ? try RegistryStore(path: folder.registryLocation(.underTest, "bare")) : try folder.newRegistry()
        let file = try RegistryImporter.read(file: url, displayName: url.lastPathComponent)
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    @Test func theSamplesChineseFieldsAreReadAndWrittenBackByteForByte() throws {
        let store = try imported(Fixtures.sampleRegistry)
        let content = try store.read { try $0.content() }
        let gs = try #require(content.orgUnits.first { $0.id == "general-surgery" })
        #expect(gs.clinicalScopeZH?.first == "18岁以下儿童肝胆、胃肠、肛肠、甲状腺、腹股沟疝、血管外科等普外科疾病")
        #expect(gs.researchDirectionsZH?.count == 4)
        #expect(gs.history.allSatisfy { $0.textZH != nil })
        #expect(gs.collaborations.first?.partnerZH == "浙江大学医学院附属第一医院")
        let onc = try #require(content.orgUnits.first { $0.id == "oncology-surgery" })
        #expect(onc.equipmentZH?.contains("层流床") == true)
        #expect(content.journals.first { $0.id == "chin-j-pediatr-surg" }?.titleZH == "中华小儿外科杂志")
        #expect(content.projects.allSatisfy { $0.titleZH != nil && $0.funderZH != nil })
        #expect(content.awards.allSatisfy { $0.nameZH != nil })
        #expect(content.patents.allSatisfy { $0.titleZH != nil })
        #expect(content.people.first { $0.id == "li-minju" }?.academicTitleZH == "儿科学教授")

        let exported = try export(store)
        #expect(String(decoding: exported.prefix(200), as: UTF8.self).contains("version=\"2\""))
        let file = folder.url.appendingPathComponent("export-v2.xml")
        try exported.write(to: file)
        #expect(try RegistryImporter.validate(file: file).isEmpty)
        let again = try imported(file)
        #expect(try export(again) == exported)
        #expect(try again.read { try $0.content() } == content)
    }

    /// A version 1 file (the samples and vocabulary as they were before version 2, as Annals exported
    /// them) imports into a registry without the new vocabulary, and is written back as version 1, the same bytes.
    @Test func aRegistryWithoutChineseFieldsIsStillWrittenAsVersion1() throws {
        let store = try imported(Self.v1Export, bare: true)
        let exported = try export(store)
        #expect(exported == (try Data(contentsOf: Self.v1Export)))
        let text = String(decoding: exported, as: UTF8.self)
        #expect(text.contains("<registry xmlns=\"urn:annals:registry:1\" version=\"1\">"))
        for element in [
            "preferredTermZH", "titleZH", "funderZH", "programmeZH", "gradeZH", "academicTitleZH", "textZH",
            "partnerZH", "clinicalScopeZH",
        ] {
            #expect(!text.contains(element))
        }
    }

    @Test func oneChineseFieldMakesTheExportVersion2() throws {
        let store = try imported(Self.v1Export, bare: true)
        try store.write { tx in
            var award = try #require(try tx.awards().first)
            award.gradeZH = "二等奖"
            _ = try tx.upsert(award)
        }
        let text = String(decoding: try export(store), as: UTF8.self)
        #expect(text.contains("version=\"2\""))
        #expect(text.contains("<gradeZH>二等奖</gradeZH>"))
    }

    @Test func theVocabularyGivesEveryProcedureItsChineseName() throws {
        let store = try folder.newRegistry()
        _ = try store.write { try ProcedureVocabulary.install(into: $0) }
        let procedures = try store.read { try $0.procedures() }
        #expect(!procedures.isEmpty)
        #expect(procedures.allSatisfy { $0.preferredTermZH.map(ChineseText.containsHan) == true })
        #expect(procedures.first { $0.id == "choledochal-cyst-excision" }?.preferredTermZH == "胆总管囊肿切除术")
    }
}
