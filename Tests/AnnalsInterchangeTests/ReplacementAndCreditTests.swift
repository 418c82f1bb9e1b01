import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import AnnalsTestSupport
import Foundation
import Testing

/// A record replaced under its own id is named in the summary and its earlier version kept; papers
/// imported before their departments and people are credited once those arrive.
@Suite(.serialized) struct ReplacementAndCreditTests {
    let folder = TemporaryFolder()

    func importRegistry(_ store: RegistryStore, _ file: URL) throws -> ImportReport {
        let read = try RegistryImporter.read(file: file, displayName: file.lastPathComponent)
        return try store.write { try RegistryImporter.apply([read], to: $0) }
    }

    func importPubMed(_ store: RegistryStore) throws -> PublicationImportReport {
        try store.write { tx in
            var importer = try PublicationImporter(registry: tx)
            try importer.importPubMed(
                file: Fixtures.samples.appendingPathComponent("pubmed-sample.xml"), displayName: "pubmed-sample.xml")
            return importer.report
        }
    }

    @Test func aRecordReplacedUnderItsIdIsNamedAndItsEarlierVersionKept() throws {
        let store = try folder.newRegistry()
        _ = try importRegistry(store, Fixtures.sampleRegistry)
        let before = try #require(try store.read { try $0.projects() }.first { $0.id == "proj-gs-prov-major-1" })
        let file = folder.write(
            "grant.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <registry xmlns="urn:annals:registry:1" version="1">
              <project id="proj-gs-prov-major-1" level="provincial" status="completed">
                <title>Another grant altogether</title>
                <funder>Ministry of Science and Technology</funder>
                <principalInvestigator ref="chen-qingjiang"/>
                <department ref="oncology-surgery" role="lead"/>
                <start>2014</start>
                <end>2017</end>
              </project>
            </registry>
            """)
        let report = try importRegistry(store, file)
        #expect(report.count(.updated) == 1)
        let replacement = try #require(report.replacements.first)
        #expect(report.replacements.count == 1)
        #expect(replacement.kind == .project && replacement.id == "proj-gs-prov-major-1")
        #expect(replacement.changes.map(\.field) == ["title", "principal investigator", "funder", "departments"])
        #expect(replacement.changes[1].old == "gao-zhigang" && replacement.changes[1].new == "chen-qingjiang")
        let summary = report.description
        #expect(summary.contains("1 record was replaced under the same id"))
        #expect(
            summary.contains(
                "replaced project 'proj-gs-prov-major-1' (\"\(before.title)\"): title \"\(before.title)\" → \"Another grant altogether\"; principal investigator \"gao-zhigang\" → \"chen-qingjiang\"; funder \"Science and Technology Department of Zhejiang Province\" → \"Ministry of Science and Technology\"; departments \"general-surgery\" → \"oncology-surgery\""
            ), "\(summary)")

        // The earlier version is in the registry's history, with when and by whom it was replaced.
        let history = try store.read { try $0.recordHistory(.project, id: "proj-gs-prov-major-1") }
        #expect(history.count == 1)
        let earlier = try JSONDecoder().decode(Project.self, from: Data(try #require(history.first).body.utf8))
        #expect(earlier == before)
        #expect(history.first?.replacedAt.isEmpty == false && history.first?.replacedBy.isEmpty == false)

        // Importing the same file again replaces nothing and keeps no further version.
        let again = try importRegistry(store, file)
        #expect(again.replacements.isEmpty && again.count(.unchanged) == 1)
        #expect(try store.read { try $0.recordHistory(.project, id: "proj-gs-prov-major-1") }.count == 1)
    }

    @Test func anUpdateThatKeepsTitleFunderAndDepartmentsIsNotReportedAsAReplacement() throws {
        let store = try folder.newRegistry()
        _ = try importRegistry(store, Fixtures.sampleRegistry)
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8)
            .replacingOccurrences(
                of: "<amount currency=\"CNY\">1000000</amount>", with: "<amount currency=\"CNY\">1200000</amount>")
        let report = try importRegistry(store, folder.write("amount.xml", sample))
        #expect(report.count(.updated) == 1)
        #expect(report.replacements.isEmpty)
    }

    @Test func aPaperWithAnotherTitleIsNamedAndKeptButAPaperRevisedOtherwiseIsNotKept() throws {
        let store = try folder.newRegistry()
        _ = try importRegistry(store, Fixtures.sampleRegistry)
        let sample = try String(contentsOf: Fixtures.sampleRegistry, encoding: .utf8)
        let renamed = sample.replacingOccurrences(
            of: "<title>Illustrative SCI paper 1 of General Surgery</title>", with: "<title>Another paper</title>")
        let report = try importRegistry(store, folder.write("renamed.xml", renamed))
        #expect(
            report.replacements.map(\.description) == [
                "publication 'pub-gs-sci-001' (\"Illustrative SCI paper 1 of General Surgery\"): title \"Illustrative SCI paper 1 of General Surgery\" → \"Another paper\""
            ])
        #expect(try store.read { try $0.recordHistory(.publication, id: "pub-gs-sci-001") }.count == 1)

        // A revision that keeps the title and departments (PubMed revises many records so) keeps no copy.
        var paper: Publication?
        try store.read { try $0.forEachPublication { if $0.id == "pub-gs-sci-002" { paper = $0 } } }
        var revised = try #require(paper)
        revised.volume = "999"
        try store.write { try $0.upsert(revised) }
        #expect(try store.read { try $0.recordHistory(.publication, id: "pub-gs-sci-002") }.isEmpty)
    }

    /// Credits of the PubMed sample's papers: departments, authors' people and projects, by paper.
    func credits(_ store: RegistryStore) throws -> [String: [String]] {
        var credits: [String: [String]] = [:]
        try store.read {
            try $0.forEachPublication { p in
                guard p.id.hasPrefix("pmid-") else { return }
                credits[p.id] = p.departmentIDs + ["|"] + p.authors.map { $0.personID ?? "-" } + ["|"] + p.projectIDs
            }
        }
        return credits
    }

    func reviewList(_ store: RegistryStore) throws -> [String] {
        try store.write { try $0.reviewItems(status: nil) }.map {
            "\($0.publicationID) \($0.authorPosition) \($0.personID) \($0.status)"
        }.sorted()
    }

    @Test func papersImportedBeforeTheirPeopleAreCreditedOnceThePeopleArrive() throws {
        let peopleFirst = try folder.newRegistry()
        _ = try importRegistry(peopleFirst, Fixtures.sampleRegistry)
        let first = try importPubMed(peopleFirst)
        #expect(!first.uncredited)

        let papersFirst = try folder.newRegistry()
        let early = try importPubMed(papersFirst)
        // Nothing could be credited, and the summary says so and what to do.
        #expect(early.uncredited)
        #expect(early.description.contains("annals import registry"))
        #expect(try credits(papersFirst).values.allSatisfy { $0.first == "|" })
        let report = try importRegistry(papersFirst, Fixtures.sampleRegistry)
        #expect((report.recredited?.credited ?? 0) > 0)
        #expect(report.description.contains("credited again:"))

        #expect(!(try credits(peopleFirst)).isEmpty)
        #expect(try credits(papersFirst) == credits(peopleFirst))
        #expect(try reviewList(papersFirst) == reviewList(peopleFirst))
    }

    @Test func recreditingChangesNothingWhenNothingChanged() throws {
        let store = try folder.newRegistry()
        _ = try importRegistry(store, Fixtures.sampleRegistry)
        _ = try importPubMed(store)
        let before = try credits(store)
        let report = try store.write { try Recrediting.run(in: $0) }
        #expect(report.credited == 0 && report.forReview == 0)
        #expect(try credits(store) == before)
    }
}
