import AnnalsCuration
import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The shapes of publication files users bring that are not what the importers were first written for (issue 16):
/// EndNote XML from other writers, untitled records, journal and conference versions of one paper, odd names, years
/// and DOI fields, MEDLINE before 2017 and CERIF as CRISs write it. Each on a real file (Fixtures/README.md) plus
/// small SYNTHETIC edge cases. Serialized: libxml2's error handler is per thread.
@Suite(.serialized) struct ImportShapesTests {
    let folder = TemporaryFolder()

    static func fixture(_ name: String) -> URL { PubMedFixtures.folder.appendingPathComponent(name) }
    static let zotero = fixture("endnote-no-rec-number-zotero-translators.xml")
    static let cnki = fixture("endnote-cnki-converted-cnki2xml.xml")
    static let shapes = fixture("endnote-shapes-synthetic.xml")
    static let medline = fixture("medline16n0902-excerpt.xml")
    static let cerifEntity = fixture("cerif-1.1-publication-entity.xml")

    func items(_ file: URL) throws -> [EndNoteItem] {
        var items: [EndNoteItem] = []
        try EndNoteReader.readItems(file: file, displayName: file.lastPathComponent) { items.append($0) }
        return items
    }

    func publications(_ file: URL) throws -> [Publication] {
        try items(file).compactMap { if case .publication(let p) = $0 { p } else { nil } }
    }

    func store(registry: String = PubMedFixtures.registry) throws -> RegistryStore {
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "annals"))
        let file = try RegistryImporter.read(file: folder.write("registry.xml", registry))
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    func importEndNote(_ file: URL, into store: RegistryStore) throws -> PublicationImportReport {
        try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importEndNote(file: file, displayName: file.lastPathComponent)
            return importer.report
        }
    }

    func allPublications(_ store: RegistryStore) throws -> [Publication] {
        var all: [Publication] = []
        try store.read { try $0.forEachPublication { all.append($0) } }
        return all
    }

    // MARK: - 1. EndNote XML without record numbers

    @Test func recordsWithoutRecordNumbersGetStableIDsFromTheirContent() throws {
        let first = try publications(Self.zotero)
        #expect(first.count == 9, "every record of the Zotero test file, the one without a year too")
        #expect(Set(first.map(\.id)).count == 9, "different records never share an id")
        #expect(first.allSatisfy { $0.id.hasPrefix("endnote-endnote-enl-c") && RecordID.isValid($0.id) })
        #expect(try publications(Self.zotero).map(\.id) == first.map(\.id), "the same file gives the same ids again")

        let store = try store()
        let once = try importEndNote(Self.zotero, into: store)
        #expect(once.added == 9 && once.skipped.isEmpty)
        let again = try importEndNote(Self.zotero, into: store)
        #expect(again.added == 0 && again.unchanged == 9, "importing the file again finds every record under its id")
    }

    @Test func aCopyOfARecordInTheSameFileIsKeptUnderItsOwnID() throws {
        let record =
            "<record><ref-type name=\"Journal Article\">17</ref-type><titles><title>Same</title></titles></record>"
        let other =
            "<record><ref-type name=\"Journal Article\">17</ref-type><titles><title>Same</title></titles><pages>2</pages></record>"
        let file = folder.write(
            "copies.xml", "<?xml version=\"1.0\"?>\n<xml><records>\(record)\(record)\(other)</records></xml>\n")
        let ids = try publications(file).map(\.id)
        #expect(ids.count == 3 && Set(ids).count == 3)
        #expect(ids[1] == ids[0] + "-2", "SYNTHETIC: the second copy is numbered")
        #expect(try publications(file).map(\.id) == ids)

        // A library name long enough to fill the id: the copy's number still fits in a valid id.
        let long = "<database name=\"\(String(repeating: "Department of Paediatric Surgery ", count: 8))\">x</database>"
        let named = record.replacingOccurrences(of: "<record>", with: "<record>\(long)")
        let longFile = folder.write(
            "long.xml", "<?xml version=\"1.0\"?>\n<xml><records>\(named)\(named)</records></xml>\n")
        let longIDs = try publications(longFile).map(\.id)
        #expect(longIDs.count == 2 && longIDs[0] != longIDs[1] && longIDs.allSatisfy(RecordID.isValid), "\(longIDs)")
        #expect(longIDs[1].hasSuffix("-2"))
    }

    @Test func cnkiThesisKeepsItsSupervisorApartFromItsAuthor() throws {
        let all = try publications(Self.cnki)
        #expect(all.count == 2)
        let article = try #require(all.first)
        #expect(article.title.plain == "光子晶体光纤飞秒激光技术研究进展")
        #expect(article.authors.map { "\($0.familyName ?? "")\($0.givenName ?? "")" }.prefix(2) == ["柴路", "胡明列"])
        #expect(article.journal?.title == "中国激光" && article.published?.year == 2013)
        #expect(article.keywords.first == "激光技术")
        let thesis = try #require(all.last)
        #expect(thesis.authors.count == 1 && thesis.authors[0].familyName == "陶" && thesis.authors[0].givenName == "海岩")
        #expect(thesis.supervisors?.map { "\($0.familyName ?? "")\($0.givenName ?? "")" } == ["林景全"])
        #expect(thesis.publicationTypes == ["Thesis", "博士"] && thesis.publisher == "长春理工大学")
    }

    @Test func cnkiHanziAuthorIsCreditedToTheRegistryPersonByChineseName() throws {
        let registry = """
            <?xml version="1.0" encoding="UTF-8"?>
            <registry xmlns="urn:annals:registry:1" version="1">
              <orgUnit id="tju" kind="hospital">
                <name>天津大学精密仪器与光电子工程学院</name>
                <affiliationPattern>天津大学精密仪器与光电子工程学院</affiliationPattern>
              </orgUnit>
              <orgUnit id="ultrafast" kind="department" parent="tju">
                <name>超快激光研究室</name>
                <affiliationPattern>超快激光研究室</affiliationPattern>
              </orgUnit>
              <person id="chai-lu">
                <familyName>Chai</familyName><givenName>Lu</givenName>
                <nameVariant kind="chinese">柴路</nameVariant>
                <department ref="ultrafast"/>
              </person>
            </registry>
            """
        let store = try store(registry: registry)
        let report = try importEndNote(Self.cnki, into: store)
        #expect(report.added == 2)
        let article = try #require(try allPublications(store).first { $0.title.plain.hasPrefix("光子晶体光纤") })
        #expect(article.authors[0].personID == "chai-lu", "柴路 is credited by the Chinese name and the CNKI address")
        #expect(article.departmentIDs == ["ultrafast"])
    }

    // MARK: - 2. One record that cannot be a paper

    @Test func anUntitledRecordIsSkippedAndListedAndTheRestImports() throws {
        let store = try store()
        let report = try importEndNote(Self.shapes, into: store)
        #expect(report.added == 4)
        #expect(report.skipped.count == 1)
        #expect(
            report.skipped[0].hasPrefix(
                "endnote-shapes-synthetic.xml:8: record 3 left out: EndNote record 3 has no title"))
        #expect(report.description.contains("skipped 1"))
        let listed = try store.read { try $0.skippedRecords() }
        #expect(
            listed.map(\.position) == [3] && listed[0].line == 8
                && listed[0].sourceFile == "endnote-shapes-synthetic.xml")
        #expect(listed[0].reason.contains("'No Title'"))

        _ = try importEndNote(Self.shapes, into: store)
        #expect(try store.read { try $0.skippedRecords() }.count == 1, "the same record skipped again is listed once")
    }

    @Test func brokenXMLStillRefusesTheWholeFileAndWritesNothing() throws {
        let store = try store()
        let file = folder.write(
            "broken.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <xml><records>
            <record><rec-number>1</rec-number><titles><title>Fine</title></titles></record>
            <record><rec-number>2</rec-number><titles><title>No Title</title></titles></record>
            <record><rec-number>3</rec-number><titles><title>Unclosed</titles></record>
            </records></xml>

            """)
        let error = try #require(throws: DiagnosticError.self) { try importEndNote(file, into: store) }
        #expect(error.diagnostics.contains { $0.file == "broken.xml" && $0.line == 5 && $0.column > 0 })
        #expect(try store.read { try $0.counts()[.publication] ?? 0 } == 0, "one transaction: nothing half-written")
        #expect(try store.read { try $0.skippedRecords() }.isEmpty)
    }

    // MARK: - 3. Two different DOIs never merge

    @Test func aJournalPaperAndItsConferenceVersionWithOtherDOIsStayTwoPapers() throws {
        let store = try store()
        _ = try importEndNote(Self.shapes, into: store)
        let journal = try #require(try store.write { try $0.publication(id: "endnote-shapes-enl-1") })
        let conference = try #require(try store.write { try $0.publication(id: "endnote-shapes-enl-2") })
        #expect(journal.doi == "10.5555/fict.journal.2020.7" && conference.doi == "10.5555/fict.congress.2020.12")
        #expect(try store.read { try $0.merges() }.isEmpty)
        let candidates = try store.read { try $0.duplicateCandidates() }
        #expect(candidates.map { [$0.firstID, $0.secondID] } == [["endnote-shapes-enl-1", "endnote-shapes-enl-2"]])
        #expect(
            candidates[0].reason.contains(
                "different DOIs: 10.5555/fict.journal.2020.7 and 10.5555/fict.congress.2020.12"))
    }

    @Test func differentPMIDsNeverMergeButTheSameDOIStillDoes() throws {
        let store = try store()
        func paper(_ id: String, pmid: String?, doi: String?) -> Publication {
            Publication(
                id: id, kind: .journalArticle, title: MarkupText(plain: "One title"),
                published: PartialDate(year: 2022),
                doi: doi, pmid: pmid, authors: [Author(familyName: "Gao", givenName: "Zhigang")])
        }
        let report = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.store(paper("a", pmid: "111", doi: nil), sourceFile: "x")
            try importer.store(paper("b", pmid: "222", doi: nil), sourceFile: "x")
            try importer.store(paper("c", pmid: nil, doi: nil), sourceFile: "x")
            return importer.report
        }
        #expect(
            report.added == 2 && report.merged == 1, "SYNTHETIC: c (no identifiers) merges into a; b has another PMID")
        #expect(
            try store.read { try $0.duplicateCandidates() }.first?.reason.contains("different PMIDs: 111 and 222")
                == true)
    }

    // MARK: - 4. Names, years and DOI fields

    @Test func namesYearsAndDOIFieldsAreReadAndTheRestKeptAsNotes() throws {
        let all = try publications(Self.shapes)
        let byNumber = Dictionary(uniqueKeysWithValues: all.map { ($0.source?.recordID ?? "", $0) })
        let first = try #require(byNumber["1"])
        #expect(first.authors[0].familyName == "Gao" && first.authors[0].givenName == "Zhigang")
        #expect(first.authors[1].familyName == "van der Berg" && first.authors[1].givenName == "Mei-Ling")
        #expect(first.doi == "10.5555/fict.journal.2020.7" && first.notes == nil)
        let inPress = try #require(byNumber["4"])
        #expect(inPress.published == nil && inPress.doi == nil)
        #expect(inPress.notes == ["year: in press", "electronic-resource-num (not a DOI): 978-7-117-12345-6"])
        #expect(inPress.authors[0].familyName == "Lin" && inPress.authors[0].givenName == "Xiaoming")
        let submitted = try #require(byNumber["5"])
        #expect(submitted.notes == ["year: Submitted", "electronic-resource-num (not a DOI): see PDF"])
        #expect(submitted.authors[0].familyName == "Lin" && submitted.authors[0].initials == "X")
    }

    @Test(
        arguments: [
            ("DOI 10.1016/J.JPEDSURG.2019.01.001", "10.1016/j.jpedsurg.2019.01.001"),
            ("https://dx.doi.org/10.1186/s40504-020-00106-2", "10.1186/s40504-020-00106-2"),
            ("doi: 10.1000/xyz", "10.1000/xyz"),
            ("http://www.doi.org/10.1000/xyz", "10.1000/xyz"),
            ("978-7-117-12345-6", nil),
            ("10.abc/def", nil),
            ("10.1000/", nil),
            ("https://example.org/10.1000/x", nil),
            ("see PDF", nil),
        ] as [(String, String?)])
    func onlyRealDOIsAreTakenAsDOIs(_ text: String, _ expected: String?) {
        #expect(DOI.normalize(text) == expected)
    }

    // MARK: - 5. MEDLINE before 2017

    @Test func medlineCitationSetOf2016IsReadWithDOIsAndDeletions() throws {
        var items: [PubMedItem] = []
        try PubMedReader.read(file: Self.medline, displayName: "medline16n0902-excerpt.xml") { items.append($0) }
        let papers = items.compactMap { if case .publication(let p) = $0 { p } else { nil } }
        #expect(papers.map(\.id) == ["pmid-17942999", "pmid-18621939", "pmid-25378408"])
        #expect(papers.map(\.doi) == [nil, "10.1176/appi.psy.49.4.332", "10.1074/jbc.m114.605394"])
        #expect(papers[0].title.plain.hasPrefix("Neuroplasticity in the processing of pitch dimensions"))
        #expect(papers[0].journal?.issnPrint == "0922-6028" && papers[0].published?.year == 2007)
        #expect(
            papers[2].authors.last?.isCorresponding == true,
            "the e-mail inside the affiliation marks the corresponding author")
        guard case .deletion(let pmids, _)? = items.last else {
            Issue.record("the DeleteCitation at the end is read")
            return
        }
        #expect(pmids == ["26432306"])
    }

    @Test func medlineDeletionsAreReportedByPMID() throws {
        let store = try store()
        _ = try store.write {
            try $0.upsert(
                Publication(
                    id: "pmid-26432306", kind: .journalArticle, title: MarkupText(plain: "Withdrawn"), pmid: "26432306")
            )
        }
        let report = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: Self.medline, displayName: "medline16n0902-excerpt.xml")
            return importer.report
        }
        #expect(report.added == 3 && report.deleted == 1 && report.deletedPMIDs == ["26432306"])
        #expect(report.description.contains("deleted (withdrawn from PubMed by DeleteCitation): PMID 26432306"))
    }

    // MARK: - 6. CERIF as CRISs write it

    @Test func cerifProfile11PublicationAsTheWholeDocumentImports() throws {
        let store = try folder.newRegistry()
        let read = try CerifImporter.read(file: Self.cerifEntity, displayName: "cerif-1.1-publication-entity.xml")
        let report = try store.write { try CerifImporter.apply(read, to: $0) }
        #expect(report.publications.added == 1)
        let p = try #require(try store.write { try $0.publication(id: "812348") })
        #expect(
            p.doi == "10.2218/ijdc.v8i1.257"
                && p.title.plain == "Linking Data and Publications: Towards a Cross-Disciplinary Approach")
        #expect(p.authors.count == 8 && p.authors[1].familyName == "Lösch" && p.published?.year == 2013)
    }

    /// SYNTHETIC: a CRIS's own attributes on the entity and its fields, and the entity's prefix `cerif:` re-bound
    /// to the vocabulary's namespace on `Type`, in a profile-1.2 OAI-PMH response and as a bare entity.
    static let vendorPublication = """
        <cerif:Publication xmlns:cerif="https://www.openaire.eu/cerif-profile/1.2/" xmlns:pure="urn:example:pure-vendor" \
        id="Publications/v1" pure:uuid="0f0e" pure:portalURL="https://example.org/p/v1">\
        <cerif:Type xmlns:cerif="https://www.openaire.eu/cerif-profile/vocab/COAR_Publication_Types" pure:source="x">\
        http://purl.org/coar/resource_type/c_6501</cerif:Type>\
        <cerif:Language>en</cerif:Language>\
        <cerif:Title xml:lang="en" pure:translated="false">A vendor-written record</cerif:Title>\
        <cerif:PublicationDate>2024-03</cerif:PublicationDate><cerif:DOI pure:checked="true">10.5555/vendor.1</cerif:DOI>\
        </cerif:Publication>
        """

    @Test func cerifWithVendorAttributesAndRebindPrefixesImports() throws {
        let enveloped = folder.write(
            "oai.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" pure:exported="2024" xmlns:pure="urn:example:pure-vendor"><ListRecords><record>\
            <header><identifier>oai:x:1</identifier><datestamp>2024-01-01</datestamp></header>\
            <metadata>\(Self.vendorPublication)</metadata></record></ListRecords></OAI-PMH>

            """)
        let bare = folder.write("entity.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(Self.vendorPublication)\n")
        for file in [enveloped, bare] {
            let store = try folder.newRegistry()
            let read = try CerifImporter.read(file: file, displayName: file.lastPathComponent)
            let report = try store.write { try CerifImporter.apply(read, to: $0) }
            #expect(report.publications.added == 1, "\(file.lastPathComponent)")
            let p = try #require(try store.write { try $0.publication(id: "v1") })
            #expect(p.doi == "10.5555/vendor.1" && p.kind == .journalArticle && p.published?.year == 2024)
        }
    }

    @Test func aCerifDOIThatIsNoDOIIsKeptAsANoteNotAsTheDOI() throws {
        // SYNTHETIC: an ISBN in the DOI field.
        let entity = Self.vendorPublication.replacingOccurrences(of: "10.5555/vendor.1", with: "ISBN 978-7-117-12345-6")
        let file = folder.write("isbn.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(entity)\n")
        let store = try folder.newRegistry()
        let read = try CerifImporter.read(file: file, displayName: "isbn.xml")
        _ = try store.write { try CerifImporter.apply(read, to: $0) }
        let p = try #require(try store.write { try $0.publication(id: "v1") })
        #expect(p.doi == nil && p.notes == ["DOI (not a DOI): ISBN 978-7-117-12345-6"])
    }

    @Test func aFileThatIsNotCerifIsStillRefused() throws {
        let file = folder.write(
            "other.xml",
            "<?xml version=\"1.0\"?>\n<Publication xmlns=\"urn:example:not-cerif\" id=\"1\"><Title>T</Title></Publication>\n"
        )
        let error = try #require(throws: DiagnosticError.self) {
            try CerifImporter.read(file: file, displayName: "other.xml")
        }
        #expect(error.code == .cerifNotCerif)
        #expect(error.description.hasPrefix("other.xml:2:"))
        #expect(error.description.contains("not an OpenAIRE CERIF file"))
    }

    // MARK: - 7. Chinese affiliations

    @Test(arguments: [
        "Department of General Surgery, The Children's Hospital of Zhejiang University School of Medicine, Hangzhou 310052, China. gaozg@zju.edu.cn.",
        "Children\u{2019}s Hospital, Zhejiang University School of Medicine, National Clinical Research Center for Child Health, Hangzhou, China.",
        "Children's\u{A0}Hospital,\u{A0}Zhejiang\u{A0}University School of Medicine, Hangzhou",
        "Childrens Hospital Zhejiang University School of Medicine, Hangzhou, China",
        "Children's Hospital Affiliated to Zhejiang University School of Medicine",
        "Children's Hospital, Zhejiang University, School of Medicine, Hangzhou",
        "浙江大学医学院附属儿童医院普外科，杭州 310052；Electronic address: gaozg@zju.edu.cn",
    ])
    func theHospitalIsRecognisedHoweverItsNameIsWritten(_ affiliation: String) {
        // SYNTHETIC affiliations in the ways Chinese authors write the hospital's name.
        let attributor = Attributor(orgUnits: [AttributionTests.hospital], people: [], projects: [])
        #expect(attributor.namesInstitution(affiliation))
    }

    @Test(arguments: [
        "Children's Hospital of Fudan University, Shanghai, China.",
        "Zhejiang University School of Medicine, Hangzhou, China.",
        "The First Affiliated Hospital, Zhejiang University School of Medicine, Hangzhou, China.",
    ])
    func otherInstitutionsAreNotTakenForTheHospital(_ affiliation: String) {
        let attributor = Attributor(orgUnits: [AttributionTests.hospital], people: [], projects: [])
        #expect(!attributor.namesInstitution(affiliation))
    }

    /// `pubmed-29768149-initials-affiliation.xml` (real, NEJM 2018): one affiliation string for all ten authors,
    /// naming each institution's authors by initials. Only Zhong Nanshan ("(N.Z.)") is at the Guangzhou hospital;
    /// Peter J Barnes, whose name the registry also holds, is at Imperial College and must not be credited.
    @Test func aSharedAffiliationNamingAuthorsByInitialsCreditsOnlyTheAuthorItNames() throws {
        let registry = """
            <?xml version="1.0" encoding="UTF-8"?>
            <registry xmlns="urn:annals:registry:1" version="1">
              <orgUnit id="gmu1" kind="hospital">
                <name>First Affiliated Hospital, Guangzhou Medical University</name>
                <affiliationPattern>First Affiliated Hospital, Guangzhou Medical University</affiliationPattern>
              </orgUnit>
              <person id="zhong-nanshan"><familyName>Zhong</familyName><givenName>Nanshan</givenName></person>
              <person id="barnes-peter"><familyName>Barnes</familyName><givenName>Peter</givenName></person>
            </registry>
            """
        let store = try store(registry: registry)
        let file = Self.fixture("pubmed-29768149-initials-affiliation.xml")
        let report = try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: file, displayName: file.lastPathComponent)
            return importer.report
        }
        #expect(report.added == 1 && report.forReview == 0)
        let p = try #require(try store.write { try $0.publication(id: "pmid-29768149") })
        #expect(p.authors.map(\.familyName)[3...4] == ["Barnes", "Zhong"])
        #expect(p.authors[4].personID == "zhong-nanshan")
        #expect(p.authors[3].personID == nil, "Barnes's own part of the string is Imperial College, London")
    }

    @Test func anAuthorTheInitialsNeverNameGoesToReviewWithTheReason() {
        // SYNTHETIC: the shared string names two other authors by initials, not Gao Zhigang.
        let attributor = Attributor(orgUnits: [AttributionTests.hospital], people: [AttributionTests.gao], projects: [])
        let shared =
            "Children's Hospital, Zhejiang University School of Medicine, Hangzhou, China (X.L., M.Z.); Peking University, Beijing, China (Q.C.)."
        var p = Publication(
            id: "p", kind: .journalArticle, title: MarkupText(plain: "T"),
            authors: [Author(familyName: "Gao", givenName: "Zhigang", initials: "Z", affiliations: [shared])])
        let uncertain = attributor.attribute(&p) { _, _ in nil }
        #expect(p.authors[0].personID == nil)
        #expect(
            uncertain.map(\.reason) == [
                "the paper names its authors' institutions by initials, and none of them is this author's"
            ])
    }
}
