import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

@testable import AnnalsModel

/// The real third-party PubMed files in ../shared/corpus/pubmed. In a clone without ../shared these
/// tests print why they skip and pass; the project's own fixtures cover the core cases.
@Suite(.serialized) struct PubMedCorpusTests {
    static var corpus: URL? { Fixtures.shared?.appendingPathComponent("corpus/pubmed") }

    /// Every item of a corpus file, or nil (with a message) when the corpus is absent.
    func items(_ name: String) throws -> [PubMedItem]? {
        guard let corpus = Self.corpus else {
            print("skipped: ../shared/corpus is not beside this clone, so \(name) cannot be read")
            return nil
        }
        var items: [PubMedItem] = []
        try PubMedReader.read(file: corpus.appendingPathComponent(name), displayName: name) { items.append($0) }
        return items
    }

    func publications(_ name: String) throws -> [Publication]? {
        try items(name)?.compactMap { if case .publication(let p) = $0 { p } else { nil } }
    }

    /// The store keeps publications in the hand-written canonical JSON; for every real record it must be
    /// byte for byte what `JSONEncoder` writes (the project's own fixtures when ../shared is absent).
    @Test func canonicalJSONOfEveryRecordIsWhatJSONEncoderWritesAndReadsBack() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var files = [
            Fixtures.repository.appendingPathComponent("Tests/AnnalsInterchangeTests/Fixtures/pubmed-small.xml")
        ]
        if let corpus = Self.corpus {
            files += try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter {
                $0.hasSuffix(".xml") && !$0.contains("MALFORMED")
            }
            .sorted().map { corpus.appendingPathComponent($0) }
        } else {
            print("skipped: ../shared/corpus is not beside this clone; comparing the project's own fixture only")
        }
        var compared = 0
        for file in files {
            try PubMedReader.read(file: file, displayName: file.lastPathComponent) { item in
                guard case .publication(let p) = item else { return }
                let foundation = String(decoding: try encoder.encode(p), as: UTF8.self)
                #expect(p.canonicalJSON == foundation, "\(file.lastPathComponent): \(p.id)")
                // And the canonical reader reads it back as the record, as JSONDecoder does.
                #expect(Publication(canonicalJSON: foundation) == p, "\(file.lastPathComponent): \(p.id)")
                // Names and affiliations are matched through folded keys, folded character by character.
                for author in p.authors {
                    for text in author.affiliations
                        + [author.familyName, author.givenName, author.collectiveName].compactMap({ $0 })
                    {
                        #expect(TextKey.fold(text) == TextKey.foundationFold(text), "\(text)")
                    }
                }
                compared += 1
            }
        }
        #expect(compared > 0)
    }

    @Test func everyWellFormedCorpusFileReads() throws {
        guard let corpus = Self.corpus else {
            print("skipped: ../shared/corpus is not beside this clone")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".xml") }
            .sorted()
        #expect(files.count >= 20)
        for file in files where !file.contains("MALFORMED") {
            var count = 0
            try PubMedReader.read(file: corpus.appendingPathComponent(file), displayName: file) { _ in count += 1 }
            if !file.contains("empty_set") { #expect(count > 0, "\(file)") }
        }
    }

    @Test func theMalformedFileIsRefusedWithItsPosition() throws {
        guard let corpus = Self.corpus else { return print("skipped: ../shared/corpus is absent") }
        let name = "jabref__MedlineImporterTestMalformedEntry__MALFORMED.xml"
        let error = try #require(throws: DiagnosticError.self) {
            try PubMedReader.read(file: corpus.appendingPathComponent(name), displayName: name) { _ in }
        }
        #expect(error.diagnostics[0].description.hasPrefix("\(name):4:20: error: Opening and ending tag mismatch"))
    }

    @Test func legacy2008AndCurrentDTDGiveTheSameArticles() throws {
        guard let old = try publications("biopython__pubmed1__dtd080101_legacy.xml"),
            let new = try publications("biopython__pubmed1__dtd250101.xml")
        else { return }
        #expect(old.map(\.pmid) == ["12091962", "9997"])
        #expect(new.map(\.pmid) == old.map(\.pmid))
        #expect(old.map(\.title.plain) == new.map(\.title.plain))
        #expect(old[0].revised != nil)
    }

    @Test func gluedItalicsKeepMarkupAndGetSpacesInPlainText() throws {
        guard let p = try publications("biopython__title_with_html_tags__glued_italic.xml")?.first else { return }
        #expect(p.title.markup.contains("at the<i>TERT</i>gene region"))
        #expect(
            p.title.plain
                == "Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.")
    }

    @Test func italicsAcrossLinesAndNineAffiliations() throws {
        guard let p = try publications("jabref__MedlineImporterTestArticleItalics__9affiliations.xml")?.first else {
            return
        }
        #expect(p.title.plain == "Genome-wide significant risk factors on chromosome 19 and the APOE locus.")
        #expect(p.authors.contains { $0.affiliations.count >= 2 })
    }

    @Test func collectiveAuthorsOrcidFormsAndMathML() throws {
        guard let p = try publications("biopython__pubmed7__mathml_collective_orcid.xml")?.first else { return }
        #expect(p.pmid == "29963580")
        #expect(p.authors.contains { $0.collectiveName == "Canadian Respiratory Research Network" })
        #expect(p.authors.compactMap(\.orcid).contains("0000-0002-4590-7461"), "https:// ORCID form normalised")
        #expect(p.abstract?.markup.contains("mml:") == true, "MathML kept in the abstract markup")
    }

    @Test func equalContributionAndAccentedNames() throws {
        guard let p = try publications("metapub__39382274__collective_orcid_equalcontrib.xml")?.first else { return }
        #expect(p.doi == "10.1128/aac.00924-24")
        #expect(p.authors[0].familyName == "Blanco-Martín")
        #expect(p.authors[1].familyName == "López-Hernández")
        #expect(p.authors[0].equalContribution)
        #expect(p.authors[0].isFirst && p.authors[1].isFirst, "co-first authors contributing equally")
    }

    @Test func singleArticleDocumentAndSpringMedlineDate() throws {
        guard let all = try publications("jabref__MedlineImporterTestKeywordSingleEntry__medlinedate_spring.xml") else {
            return
        }
        let p = try #require(all.first)
        #expect(all.count == 1)
        #expect(
            p.pmid == "1",
            "the file (hand-edited upstream) lists PMID 1 first, then 10097079; the first is the record's")
        #expect(p.published?.description == "1999")
        #expect(p.title.plain == "Formate assay in body fluids: application in methanol poisoning.")
        #expect(p.keywords == ["apnea syndrome", "cardiovascular disease", "self management"])
    }

    @Test func vernacularTitlesLanguagesAndNonASCIIInitials() throws {
        guard let p = try publications("metapub__36987902__norwegian_initial_O_slash.xml")?.first else { return }
        #expect(p.languages == ["eng", "nor"])
        #expect(
            p.vernacularTitle
                == "Pasienter over 75\u{a0}år innlagt ved Brannskadeavdelinga, Haukeland universitetssjukehus 2000–19.")
        #expect(p.authors[0].initials == "Ø")
    }

    @Test func publishedErratumPointsAtItsArticle() throws {
        guard let p = try publications("metapub__38833988__published_erratum_spanish.xml")?.first else { return }
        #expect(p.kind == .erratum)
        #expect(p.notices.contains(Publication.Notice(kind: .erratumFor, reference: "PMID 33279609")))
    }

    @Test func privateUseCharactersSurvive() throws {
        guard let p = try publications("metapub__34817495__private_use_char.xml")?.first else { return }
        #expect(p.abstract?.plain.contains("\u{e009}CF") == true)
        #expect(p.authors.compactMap(\.orcid).count == 3)
    }

    @Test func bookChaptersCarryBookTitleEditorsAndPublisher() throws {
        guard let p = try publications("metapub__sample_article_20301577__book_genereviews.xml")?.first else { return }
        #expect(p.kind == .bookChapter)
        #expect(p.title.markup == "<i>CACNA1C</i>-Related Disorders")
        #expect(p.bookTitle == "GeneReviews®")
        #expect(p.publisher == "University of Washington, Seattle")
        #expect(!p.editors.isEmpty)
        #expect(!p.authors.isEmpty)
    }

    @Test func bookArticleSetRootWithAFragmentRecord() throws {
        guard let items = try items("jabref__MedlineImporterTestBookArticleSet.xml") else { return }
        let books = items.compactMap { if case .publication(let p) = $0 { p } else { nil } }
        #expect(books.count == 1)
        #expect(books[0].kind == .bookChapter)
        #expect(books[0].title.plain == "Title for some article")
        #expect(
            books[0].bookTitle
                == "Rheumatoid Arthritis: National Clinical Guideline for Management and Treatment in Adults")
        #expect(books[0].publisher == "Royal College of Physicians (UK)")
        #expect(books[0].published?.description == "2009-02")
        #expect(books[0].authors.first?.collectiveName == "National Collaborating Centre for Chronic Conditions (UK)")
        #expect(
            items.contains { if case .skipped = $0 { true } else { false } },
            "the second BookDocument has no Book: skipped with a reason")
    }

    @Test func baselineSampleHasARetractionNoticeAndAVernacularOnlyTitle() throws {
        guard let all = try publications("pmparser__pubmed26n1334__baseline2026_sample.xml") else { return }
        #expect(all.count == 30)
        #expect(
            all.contains { $0.notices.contains(Publication.Notice(kind: .retractionOf, reference: "PMID 21595987")) })
        let vernacularOnly = try #require(all.first { $0.pmid == "41605226" })
        #expect(vernacularOnly.title.plain.hasPrefix("Kommentar zu „ABDOMEN BECKEN"))
    }

    @Test func updateFileCarriesDeleteCitation() throws {
        guard let items = try items("pmparser__pubmed26n1335__update2026_sample_deletecitation.xml") else { return }
        let deleted: [String] = items.flatMap { item -> [String] in
            if case .deletion(let pmids, _) = item { return pmids }
            return []
        }
        #expect(deleted == ["41456105", "41557076", "41616784", "41618748", "41618749", "41618779"])
        let first = items.compactMap { if case .publication(let p) = $0 { p } else { nil } }.first
        #expect(first?.pmid == "26228458")
        #expect(first?.pages == "181-185")
        #expect(first?.grants.first?.id == "098504/Z/12/Z")
        #expect(first?.pmcid == "PMC4677453")
        #expect(first?.journal?.issnLinking == "0307-0565")
    }

    @Test func medlinePageRangesAreExpanded() throws {
        guard let all = try publications("tipplerow__pubmed20n0001__baseline_head_1975.xml") else { return }
        #expect(all.count == 10)
        #expect(all.map(\.pages).contains("117-126"))
        #expect(all.map(\.pages).contains("1173-1179"))
    }

    @Test func emptySetHasNoRecords() throws {
        guard let items = try items("metapub__37909814__empty_set.xml") else { return }
        #expect(items.isEmpty)
    }

    @Test func underlineAndSubscriptMarkupInAbstracts() throws {
        guard let p = try publications("biopython__pubmed5__u_markup_in_abstract.xml")?.first else { return }
        #expect(p.abstract?.markup.contains("<u>&lt;</u>") == true)
        #expect(p.abstract?.markup.contains("<sub>") == true)
    }
}
