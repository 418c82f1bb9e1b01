import AnnalsTestSupport
import Foundation
import Testing

/// The publication commands, run as a user would on the samples.
@Suite struct PublicationCommandTests {
    let folder = TemporaryFolder()

    func annals(_ arguments: String...) throws -> ProcessResult {
        try AnnalsCommand.run(arguments, in: folder.url)
    }

    func sample(_ name: String) -> String { Fixtures.samples.appendingPathComponent(name).path }

    func loadSamples() throws {
        #expect(try annals("init").status == 0)
        #expect(try annals("import", "registry", sample("registry.xml")).status == 0)
        #expect(try annals("import", "journals", sample("journals.csv")).status == 0)
    }

    @Test func pubmedImportCreditsAndListsAsJSON() throws {
        try loadSamples()
        let imported = try annals("import", "pubmed", sample("pubmed-sample.xml"))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("added 3"))
        #expect(imported.stdout.contains("1 author match to confirm"))

        let listed = try annals(
            "publications", "--department", "oncology-surgery", "--year", "2024", "--sci", "--format", "json")
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["pmid"] as? String == "900001002" })
        #expect(row["doi"] as? String == "10.5555/annals.sample.2")
        #expect(
            row["title"] as? String
                == "Illustrative record: digital navigation for resection of MYCN-amplified neuroblastoma.")
        #expect(row["journal"] as? String == "Cancer letters")
        #expect(row["issn"] as? String == "0304-3835")
        #expect(row["year"] as? Int == 2024)
        #expect(row["type"] as? String == "journal-article")
        #expect(row["sci"] as? Bool == true)
        #expect(row["departments"] as? [String] == ["oncology-surgery"])
        let authors = try #require(row["authors"] as? [[String: Any]])
        #expect(authors.first?["family"] as? String == "Wang")
        #expect(authors.first?["given"] as? String == "Jinhu")
        #expect(
            (authors.first?["affiliations"] as? [String])?.first?.hasPrefix("Department of Surgical Oncology") == true)
    }

    @Test func dryRunChangesNothing() throws {
        try loadSamples()
        let dry = try annals("import", "pubmed", "--dry-run", sample("pubmed-sample.xml"))
        #expect(dry.stdout.contains("dry run: nothing was changed"))
        #expect(dry.stdout.contains("added 3"))
        #expect(try annals("publications", "--year", "2024", "--format", "csv").stdout.contains("900001001") == false)
    }

    @Test func reviewAndDuplicatesCommands() throws {
        try loadSamples()
        _ = try annals("import", "pubmed", sample("pubmed-sample.xml"))
        let endnote = try annals("import", "endnote", sample("endnote-sample.xml"))
        #expect(endnote.status == 0, "\(endnote.stderr)")
        #expect(endnote.stdout.contains("merged 1"))

        let duplicates = try annals("duplicates")
        #expect(duplicates.stdout.contains("pmid-900001001 ← endnote-annals-demo-enl-3 (same DOI"))

        let review = try annals("review")
        #expect(
            review.stdout.contains(
                "pmid-900001002, author 3 Li M → li-minju? (the paper gives no affiliation for this author)"))
        let number = try #require(review.stdout.split(separator: ".").first.map(String.init))
        let accepted = try annals("review", "--accept", number)
        #expect(accepted.status == 0)
        #expect(try annals("review").stdout.contains("Nothing to review."))
        let json = try annals("publications", "--person", "li-minju", "--format", "json").stdout
        #expect(json.contains("900001002"))
    }

    /// SYNTHETIC `endnote-shapes-synthetic.xml` (Tests/AnnalsInterchangeTests/Fixtures/README.md): its untitled
    /// record is left out and listed by `annals review`; its journal and conference versions (other DOIs) are
    /// kept apart and listed by `annals duplicates`.
    @Test func skippedRecordsAreInReviewAndKeptApartPairsInDuplicates() throws {
        try loadSamples()
        let file = Fixtures.repository.appendingPathComponent(
            "Tests/AnnalsInterchangeTests/Fixtures/endnote-shapes-synthetic.xml")
        let imported = try annals("import", "endnote", file.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("added 4"))
        #expect(imported.stdout.contains("skipped 1"))
        #expect(
            imported.stdout.contains(
                "record 3 left out: EndNote record 3 has no title (only the placeholder 'No Title')"))

        let review = try annals("review")
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("Records left out by imports (1)"))
        #expect(review.stdout.contains(":8: record 3: EndNote record 3 has no title"))

        let duplicates = try annals("duplicates")
        #expect(duplicates.status == 0, "\(duplicates.stderr)")
        #expect(
            duplicates.stdout.contains(
                "- endnote-shapes-enl-1 and endnote-shapes-enl-2 (same title, year and first author; different DOIs"))
    }

    @Test func aMalformedPubMedFileIsRefusedWithItsPosition() throws {
        let bad = folder.write("bad.xml", "<PubmedArticleSet>\n  <PubmedArticle>\n</PubmedArticleSet>\n")
        #expect(try annals("init").status == 0)
        let result = try annals("import", "pubmed", bad.lastPathComponent)
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.xml:3:"))
        #expect(result.stderr.contains("nothing was imported from this file"))
    }
}
