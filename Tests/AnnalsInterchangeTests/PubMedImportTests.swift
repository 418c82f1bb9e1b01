import AnnalsCuration
import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// The project's own PubMed fixtures (fictitious records), which run in every clone.
enum PubMedFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static var small: URL { folder.appendingPathComponent("pubmed-small.xml") }
    static var update: URL { folder.appendingPathComponent("pubmed-update.xml") }

    /// A registry with a hospital, its General Surgery department, two people and a project with a grant number.
    static let registry = """
        <?xml version="1.0" encoding="UTF-8"?>
        <registry xmlns="urn:annals:registry:1" version="1">
          <orgUnit id="hospital" kind="hospital">
            <name>Children's Hospital, Zhejiang University School of Medicine</name>
            <affiliationPattern>Children's Hospital, Zhejiang University School of Medicine</affiliationPattern>
            <affiliationPattern>National Clinical Research Center for Child Health</affiliationPattern>
          </orgUnit>
          <orgUnit id="general-surgery" kind="department" parent="hospital">
            <name>General Surgery</name>
            <affiliationPattern>Department of General Surgery</affiliationPattern>
          </orgUnit>
          <person id="gao-zhigang">
            <familyName>Gao</familyName><givenName>Zhigang</givenName>
            <nameVariant kind="initials">Gao ZG</nameVariant>
            <department ref="general-surgery"/>
          </person>
          <person id="chen-qingjiang">
            <familyName>Chen</familyName><givenName>Qingjiang</givenName>
            <department ref="general-surgery"/>
          </person>
          <project id="p1" level="provincial" status="completed">
            <title>Illustrative project</title><funder>Zhejiang Provincial Natural Science Foundation</funder>
            <grantNumber>LY18 H030001</grantNumber>
          </project>
        </registry>
        """
}

@Suite(.serialized) struct PubMedImportTests {
    let folder = TemporaryFolder()

    func registry() throws -> RegistryStore {
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "annals"))
        let file = try RegistryImporter.read(file: folder.write("registry.xml", PubMedFixtures.registry))
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        return store
    }

    @discardableResult
    func importPubMed(_ file: URL, into store: RegistryStore) throws -> PublicationImportReport {
        try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(file: file, displayName: file.lastPathComponent)
            return importer.report
        }
    }

    func publication(_ id: String, in store: RegistryStore) throws -> Publication {
        try #require(try store.write { try $0.publication(id: id) })
    }

    @Test func readsEveryFieldOfAnArticle() throws {
        let store = try registry()
        let report = try importPubMed(PubMedFixtures.small, into: store)
        #expect(report.added == 3)
        let p = try publication("pmid-900000001", in: store)
        #expect(p.pmid == "900000001")
        #expect(p.doi == "10.5555/annals.test.1")
        #expect(p.pmcid == "PMC900001")
        #expect(p.title.markup == "Illustrative variants at the<i>RET</i>gene in Hirschsprung disease.")
        #expect(p.title.plain == "Illustrative variants at the RET gene in Hirschsprung disease.")
        #expect(p.pages == "123-129")
        #expect(p.published?.description == "2021-03")
        #expect(p.volume == "56")
        #expect(p.issue == "3")
        #expect(p.journal?.issnPrint == "0022-3468")
        #expect(p.journal?.issnLinking == "0022-3468")
        #expect(p.languages == ["eng"])
        #expect(p.meshHeadings == ["Hirschsprung Disease"])
        #expect(p.keywords == ["laparoscopy"])
        #expect(p.grants.first?.id == "LY18H030001")
        #expect(p.abstract?.plain == "BACKGROUND: Fictitious background with H2O. RESULTS: Fictitious results.")
        #expect(p.revised?.description == "2022-01-10")
        #expect(p.source == Provenance(kind: .pubmed, file: "pubmed-small.xml", recordID: "900000001"))
        #expect(p.authors.count == 3)
        #expect(p.authors[0].orcid == "0000-0002-1825-0097")
        #expect(p.authors[0].isFirst)
        #expect(p.authors[0].isCorresponding, "an affiliation with an e-mail address marks the corresponding author")
        #expect(p.authors[1].affiliations.count == 2)
        #expect(p.authors[2].collectiveName == "Illustrative Study Group")
    }

    @Test func creditsDepartmentsPeopleAndProjects() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let p = try publication("pmid-900000001", in: store)
        #expect(p.authors[0].personID == "gao-zhigang")
        #expect(p.authors[1].personID == "chen-qingjiang", "initials plus an affiliation naming the institution")
        #expect(p.departmentIDs == ["general-surgery"])
        #expect(p.projectIDs == ["p1"], "grant LY18H030001 is the project's grant number written with a space")

        let sameNameElsewhere = try publication("pmid-900000003", in: store)
        #expect(sameNameElsewhere.authors[0].personID == nil)
        #expect(sameNameElsewhere.departmentIDs.isEmpty)
        #expect(sameNameElsewhere.kind == .caseReport)
        #expect(sameNameElsewhere.published?.description == "2020")
    }

    @Test func uncertainMatchesWaitForReviewAndDecisionsAreRemembered() throws {
        let store = try registry()
        let report = try importPubMed(PubMedFixtures.small, into: store)
        #expect(report.forReview == 1)
        let items = try store.write { try $0.reviewItems(status: .pending) }
        let item = try #require(items.first)
        #expect(items.count == 1)
        #expect(item.publicationID == "pmid-900000002")
        #expect(item.personID == "gao-zhigang")
        #expect(item.reason.contains("no affiliation"))
        #expect(try publication("pmid-900000002", in: store).authors[0].personID == nil)

        _ = try store.write { try ImportDecisions.decide(reviewItem: item.id, accept: true, in: $0) }
        #expect(try publication("pmid-900000002", in: store).authors[0].personID == "gao-zhigang")
        #expect(try publication("pmid-900000002", in: store).departmentIDs == ["general-surgery"])

        // Importing again keeps the decision and asks nothing new.
        let again = try importPubMed(PubMedFixtures.small, into: store)
        #expect(again.forReview == 0)
        #expect(try publication("pmid-900000002", in: store).authors[0].personID == "gao-zhigang")
        #expect(try store.write { try $0.reviewItems(status: .pending) }.isEmpty)
    }

    @Test func aRejectedMatchIsNotProposedAgain() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let item = try #require(try store.write { try $0.reviewItems(status: .pending) }.first)
        _ = try store.write { try ImportDecisions.decide(reviewItem: item.id, accept: false, in: $0) }
        let again = try importPubMed(PubMedFixtures.small, into: store)
        #expect(again.forReview == 0)
        #expect(try publication("pmid-900000002", in: store).authors[0].personID == nil)
    }

    @Test func reimportingTheSameFileAddsNothing() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let again = try importPubMed(PubMedFixtures.small, into: store)
        #expect(again.added == 0)
        #expect(again.updated == 0)
        #expect(again.unchanged == 3)
        #expect(try store.read { try $0.counts()[.publication] } == 3)
    }

    /// Issue 16: re-importing an unchanged file into a registry with people and affiliation patterns (so
    /// authors are credited) changes nothing: no change-log line, no record line, the same publications.
    @Test func reimportingAnUnchangedFileLeavesNoChangeLogLines() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let before = try store.read { try $0.history() }
        let papers = try store.read { try $0.content().publications }
        #expect(papers.contains { $0.authors.contains { $0.personID != nil } })
        let again = try importPubMed(PubMedFixtures.small, into: store)
        #expect(again.unchanged == 3)
        #expect(again.added + again.updated + again.merged == 0)
        let after = try store.read { try $0.history() }
        #expect(after.count == before.count)
        #expect(after.map(\.recordCount) == before.map(\.recordCount))
        #expect(try store.read { try $0.content().publications } == papers)
    }

    /// A re-imported record that differs from the one stored (here its title, with the same revision date)
    /// is stored again, not taken for unchanged.
    @Test func aChangedRecordReimportedIsStoredAgain() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        #expect(try importPubMed(PubMedFixtures.small, into: store).unchanged == 3)
        let text = try String(contentsOf: PubMedFixtures.small, encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: "gene in Hirschsprung disease.</ArticleTitle>",
            with: "gene in Hirschsprung disease, corrected.</ArticleTitle>")
        #expect(changed != text)
        // The same file name: the source file is part of the record.
        let file = try folder.write("pubmed-small.xml", changed)
        let report = try importPubMed(file, into: store)
        #expect(report.updated == 1)
        #expect(report.unchanged == 2)
        #expect(try publication("pmid-900000001", in: store).title.plain.hasSuffix("disease, corrected."))
        let again = try importPubMed(file, into: store)
        #expect(again.unchanged == 3)
        #expect(again.added + again.updated + again.merged == 0)
    }

    /// A paper re-imported unchanged is credited again when the registry's people or affiliation patterns
    /// changed since the last import (here changed directly, as an edit does, with no crediting run after
    /// it): it takes no short cut past crediting.
    @Test(arguments: ["a person's name corrected", "an affiliation pattern added"])
    func anUnchangedPaperIsCreditedAgainWhenPeopleOrPatternsChanged(change: String) throws {
        let pattern = "National Clinical Research Center for Child Health"
        let store = try RegistryStore(path: folder.registryLocation(.underTest, "annals"))
        let reduced =
            change == "an affiliation pattern added"
            ? PubMedFixtures.registry.replacingOccurrences(
                of: "<affiliationPattern>\(pattern)</affiliationPattern>", with: "")
            : PubMedFixtures.registry.replacingOccurrences(
                of: "<familyName>Chen</familyName>", with: "<familyName>Zhou</familyName>")
        #expect(reduced != PubMedFixtures.registry)
        let file = try RegistryImporter.read(file: folder.write("registry-reduced.xml", reduced))
        _ = try store.write { try RegistryImporter.apply([file], to: $0) }
        try importPubMed(PubMedFixtures.small, into: store)
        #expect(try importPubMed(PubMedFixtures.small, into: store).unchanged == 3)
        #expect(try publication("pmid-900000001", in: store).authors[1].personID == nil, "before \(change)")

        try store.write { tx in
            if change == "an affiliation pattern added" {
                var hospital = try #require(try tx.orgUnits().first { $0.id == "hospital" })
                hospital.affiliationPatterns.append(pattern)
                try tx.upsert(hospital)
            } else {
                var person = try #require(try tx.people().first { $0.id == "chen-qingjiang" })
                person.familyName = "Chen"
                try tx.upsert(person)
            }
        }
        let report = try importPubMed(PubMedFixtures.small, into: store)
        #expect(report.updated == 1, "after \(change)")
        #expect(try publication("pmid-900000001", in: store).authors[1].personID == "chen-qingjiang", "after \(change)")
        // Credited now, the same file again changes nothing and reports the same authors to confirm.
        let again = try importPubMed(PubMedFixtures.small, into: store)
        #expect(again.unchanged == 3)
        #expect(again.added + again.updated + again.merged == 0)
        #expect(again.forReview == report.forReview)
    }

    @Test func updateFilesReplaceOlderVersionsSkipOlderOnesAndDelete() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let report = try importPubMed(PubMedFixtures.update, into: store)
        #expect(report.updated == 1)
        #expect(report.skipped.count == 1)
        #expect(report.skipped[0].contains("older version"))
        #expect(report.deleted == 1)
        #expect(report.notFoundForDeletion == ["900000099"])
        #expect(try publication("pmid-900000001", in: store).title.plain.hasSuffix("(revised)."))
        #expect(
            try publication("pmid-900000002", in: store).title.plain
                == "An illustrative review of choledochal cyst excision.")
        #expect(try store.write { try $0.publication(id: "pmid-900000003") } == nil)
    }

    @Test func reviewsRetractionsAndMedlineDates() throws {
        let store = try registry()
        try importPubMed(PubMedFixtures.small, into: store)
        let p = try publication("pmid-900000002", in: store)
        #expect(p.kind == .review)
        #expect(p.isRetracted)
        #expect(p.notices.contains(Publication.Notice(kind: .retractedBy, reference: "PMID 900000009")))
        #expect(p.published?.description == "1998-12")
    }

    @Test func gzipFilesReadTheSameAsPlainOnes() throws {
        let gz = folder.url.appendingPathComponent("pubmed-small.xml.gz")
        try gzip(PubMedFixtures.small, to: gz)
        let store = try registry()
        let report = try importPubMed(gz, into: store)
        #expect(report.added == 3)
        #expect(try publication("pmid-900000001", in: store).pages == "123-129")
    }

    @Test func aTruncatedGzipFileIsRefusedAndWritesNothing() throws {
        let gz = folder.url.appendingPathComponent("whole.xml.gz")
        try gzip(PubMedFixtures.small, to: gz)
        let bytes = try Data(contentsOf: gz)
        let truncated = folder.url.appendingPathComponent("truncated.xml.gz")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let store = try registry()
        let error = try #require(throws: DiagnosticError.self) { try importPubMed(truncated, into: store) }
        #expect(error.description.contains("truncated"))
        #expect(try store.read { try $0.counts()[.publication] } == 0)
    }

    @Test func aMalformedFileWritesNothingAndSaysWhere() throws {
        let store = try registry()
        let bad = folder.write(
            "bad.xml", "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID>\n</PubmedArticleSet>\n")
        let error = try #require(throws: DiagnosticError.self) { try importPubMed(bad, into: store) }
        #expect(error.diagnostics.first?.line == 3)
        #expect(try store.read { try $0.counts()[.publication] } == 0)
    }

    @Test func aFileThatIsNotPubMedIsNamedAsSuch() throws {
        let store = try registry()
        let other = folder.write("other.xml", "<records><record/></records>")
        let error = try #require(throws: DiagnosticError.self) { try importPubMed(other, into: store) }
        #expect(error.description.contains("not a PubMed file"))
        #expect(error.code == .pubmedNotPubMed)
    }

    private func gzip(_ source: URL, to target: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", source.path, target.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }
}
