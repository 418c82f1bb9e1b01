import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// The same paper arriving from EndNote and from PubMed: merged once, listed, and undone on request.
@Suite(.serialized) struct MergeTests {
    let folder = TemporaryFolder()

    /// An EndNote library holding PubMed fixture 900000001 under its DOI (written differently), and a
    /// record of 900000002 known only by title, year and first author.
    var endNoteLibrary: URL {
        folder.write(
            "library.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <xml><records>
              <record>
                <database name="Department.enl">Department.enl</database>
                <rec-number>1</rec-number>
                <ref-type name="Journal Article">17</ref-type>
                <contributors><authors><author><style face="normal" font="default" size="100%">Gao, Zhigang</style></author></authors></contributors>
                <titles>
                  <title><style face="normal" font="default" size="100%">Illustrative variants at the RET gene in Hirschsprung disease</style></title>
                  <secondary-title>Journal of Pediatric Surgery</secondary-title>
                </titles>
                <dates><year>2021</year></dates>
                <electronic-resource-num>https://doi.org/10.5555/Annals.Test.1</electronic-resource-num>
              </record>
              <record>
                <database name="Department.enl">Department.enl</database>
                <rec-number>2</rec-number>
                <ref-type name="Journal Article">17</ref-type>
                <contributors><authors><author>Gao, Z. G.</author></authors></contributors>
                <titles><title>An illustrative review of choledochal cyst excision</title></titles>
                <dates><year>1998</year></dates>
              </record>
            </records></xml>
            """)
    }

    func store() throws -> RegistryStore {
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "annals"))
        let file = try RegistryImporter.read(file: folder.write("registry.xml", PubMedFixtures.registry))
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    func run(_ store: RegistryStore, _ body: (inout PublicationImporter<RegistryWriter>) throws -> Void) throws
        -> PublicationImportReport
    {
        try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try body(&importer)
            return importer.report
        }
    }

    @Test func endNoteThenPubMedMergesByDOIAndByTitleYearAndAuthor() throws {
        let store = try store()
        let endNote = try run(store) { try $0.importEndNote(file: endNoteLibrary, displayName: "library.xml") }
        #expect(endNote.added == 2)
        let pubMed = try run(store) { try $0.importPubMed(file: PubMedFixtures.small, displayName: "pubmed-small.xml") }
        #expect(pubMed.merged == 2)
        #expect(pubMed.added == 1, "only 900000003 is new")
        #expect(try store.read { try $0.counts()[.publication] } == 3)

        let merges = try store.write { try $0.merges() }
        #expect(merges.map(\.reason).sorted() == ["same DOI", "same title, year and first author"])
        let kept = try #require(try store.write { try $0.publication(id: "endnote-department-enl-1") })
        #expect(kept.pmid == "900000001", "the kept record gains what it lacked")
        #expect(kept.pmcid == "PMC900001")
        #expect(kept.departmentIDs == ["general-surgery"])

        // Importing PubMed again changes nothing and merges nothing new.
        let again = try run(store) { try $0.importPubMed(file: PubMedFixtures.small, displayName: "pubmed-small.xml") }
        #expect(again.added == 0 && again.merged == 0)
        #expect(try store.write { try $0.merges() }.count == 2)
    }

    @Test func aRejectedMergeIsUndoneAndRemembered() throws {
        let store = try store()
        _ = try run(store) { try $0.importEndNote(file: endNoteLibrary, displayName: "library.xml") }
        _ = try run(store) { try $0.importPubMed(file: PubMedFixtures.small, displayName: "pubmed-small.xml") }
        let titleMerge = try #require(try store.write { try $0.merges() }.first { $0.reason.hasPrefix("same title") })

        _ = try store.write { try ImportDecisions.rejectMerge(id: titleMerge.id, in: $0) }
        #expect(try store.read { try $0.counts()[.publication] } == 4, "the PubMed record stands on its own again")
        #expect(try store.write { try $0.merges() }.count == 1)

        let again = try run(store) { try $0.importPubMed(file: PubMedFixtures.small, displayName: "pubmed-small.xml") }
        #expect(
            again.added == 0 && again.merged == 0,
            "the kept DOI merge needs no change; the PubMed record is updated in place")
        #expect(try store.read { try $0.counts()[.publication] } == 4, "the rejected pair is not merged again")
        #expect(try store.write { try $0.merges() }.count == 1)
    }

    @Test func aDryRunChangesNothing() throws {
        let store = try store()
        let report = try store.dryRun { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: PubMedFixtures.small, displayName: "pubmed-small.xml")
            return importer.report
        }
        #expect(report.added == 3)
        #expect(try store.read { try $0.counts()[.publication] } == 0)
    }
}
