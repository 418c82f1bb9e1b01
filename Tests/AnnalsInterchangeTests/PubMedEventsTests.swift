import AnnalsModel
import AnnalsTestSupport
import Foundation
import Testing

@testable import AnnalsInterchange

/// PubMed files are read as events for speed; every file must give exactly the items that reading
/// each record as a whole tree (the plain way, `PubMedReader.readTrees`) gives.
@Suite(.serialized) struct PubMedEventsTests {
    static var files: [URL] {
        var files = [
            Fixtures.repository.appendingPathComponent("Tests/AnnalsInterchangeTests/Fixtures/pubmed-small.xml"),
            Fixtures.repository.appendingPathComponent("Tests/AnnalsInterchangeTests/Fixtures/pubmed-update.xml"),
            Fixtures.repository.appendingPathComponent(
                "Tests/AnnalsInterchangeTests/Fixtures/medline16n0902-excerpt.xml"),
            Fixtures.samples.appendingPathComponent("pubmed-sample.xml"),
        ]
        if let corpus = Fixtures.shared?.appendingPathComponent("corpus/pubmed"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path)
        {
            files += names.filter { $0.hasSuffix(".xml") && !$0.contains("MALFORMED") }.sorted().map {
                corpus.appendingPathComponent($0)
            }
        } else {
            print("skipped: ../shared/corpus is not beside this clone; comparing the project's own files only")
        }
        return files
    }

    /// An item as text that differs whenever two items differ.
    static func describe(_ item: PubMedItem) -> String {
        switch item {
        case .publication(let p): "publication \(p.canonicalJSON)"
        case .deletion(let pmids, let line): "deletion \(pmids) at \(line)"
        case .skipped(let reason, let line): "skipped \(reason) at \(line)"
        }
    }

    @Test(arguments: files)
    func eventsAndTreesGiveTheSameItems(_ file: URL) throws {
        var events: [String] = []
        try PubMedReader.read(file: file, displayName: file.lastPathComponent) { events.append(Self.describe($0)) }
        var trees: [String] = []
        try PubMedReader.readTrees(file: file, displayName: file.lastPathComponent) { trees.append(Self.describe($0)) }
        #expect(events.count == trees.count, "\(file.lastPathComponent)")
        for (a, b) in zip(events, trees) { #expect(a == b, "\(file.lastPathComponent)") }
    }

    /// Odd shapes the corpus does not have: repeated singular parts (the first counts), markup inside
    /// plain fields, an invalid author, a record without a title, a single-record document.
    @Test func oddShapesGiveTheSameItems() throws {
        let folder = TemporaryFolder()
        let odd = folder.write(
            "odd.xml",
            """
            <?xml version="1.0"?>
            <PubmedArticleSet>
            <PubmedArticle><MedlineCitation><PMID>  </PMID><PMID>7</PMID><Article><ArticleTitle>Empty PMID first</ArticleTitle></Article></MedlineCitation></PubmedArticle>
            <PubmedArticle><MedlineCitation><PMID>8</PMID><DateCreated><Year>2001</Year></DateCreated><DateCompleted><Year>2002</Year></DateCompleted>
              <Article><Journal><Title>J1</Title></Journal><Journal><Title>J2</Title></Journal><ArticleTitle>T <i>x</i></ArticleTitle><ArticleTitle>Second</ArticleTitle>
              <Affiliation>  Legacy <sup>1</sup> Dept. Electronic address: a@b.org </Affiliation><Affiliation>second</Affiliation>
              <AuthorList><Author ValidYN="N"><LastName>Gone</LastName></Author>
                <Author EqualContrib="Y"><LastName> Li </LastName><LastName>Wang</LastName><ForeName></ForeName><Identifier Source="GRID">x</Identifier>
                  <Identifier Source="ORCID">https://orcid.org/0000-0002-1825-0097</Identifier><Identifier Source="ORCID">0000-0001-5109-3700</Identifier>
                  <AffiliationInfo><Affiliation>A <b>one</b></Affiliation><Affiliation>ignored</Affiliation></AffiliationInfo><AffiliationInfo><Affiliation> </Affiliation></AffiliationInfo></Author>
                <Author EqualContrib="Y"><CollectiveName>The <i>Study</i> Group</CollectiveName><CollectiveName>Other</CollectiveName></Author>
                <Author><LastName>Zhao</LastName></Author></AuthorList>
              <AuthorList><Author><LastName>Second list</LastName></Author></AuthorList>
              <Language>eng</Language><Language> </Language><Language>chi</Language>
              <PublicationTypeList><PublicationType>Review</PublicationType><PublicationType/></PublicationTypeList>
              <PublicationTypeList><PublicationType>Letter</PublicationType></PublicationTypeList>
              <ELocationID EIdType="pii">e1</ELocationID><ELocationID EIdType="doi"> 10.5555/X </ELocationID></Article>
              <Article><ArticleTitle>Second article</ArticleTitle></Article>
              <KeywordList><Keyword>k1</Keyword><Keyword> </Keyword></KeywordList><KeywordList><Keyword>k2</Keyword></KeywordList>
              <MeshHeadingList><MeshHeading><QualifierName>q</QualifierName><DescriptorName>D1</DescriptorName><DescriptorName>D2</DescriptorName></MeshHeading><MeshHeading><DescriptorName> </DescriptorName></MeshHeading></MeshHeadingList>
              <MeshHeadingList><MeshHeading><DescriptorName>Other list</DescriptorName></MeshHeading></MeshHeadingList>
            </MedlineCitation>
            <PubmedData><ArticleIdList><ArticleId IdType="pmc"> PMC1 </ArticleId><ArticleId IdType="pmc">PMC2</ArticleId><ArticleId>none</ArticleId></ArticleIdList></PubmedData>
            <PubmedData><ArticleIdList><ArticleId IdType="doi">10.5555/y</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
            <PubmedArticle><MedlineCitation><PMID>9</PMID><Article><ArticleTitle> </ArticleTitle></Article></MedlineCitation></PubmedArticle>
            <PubmedArticle><MedlineCitation><PMID>10</PMID></MedlineCitation></PubmedArticle>
            <Unknown><PubmedArticle><MedlineCitation><PMID>11</PMID></MedlineCitation></PubmedArticle></Unknown>
            <DeleteCitation><PMID>1</PMID><PMID>2</PMID></DeleteCitation>
            </PubmedArticleSet>
            """)
        let single = folder.write(
            "single.xml",
            "<PubmedArticle><MedlineCitation><PMID>12</PMID><Article><ArticleTitle>Alone</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        )
        for file in [odd, single] {
            var events: [String] = []
            try PubMedReader.read(file: file, displayName: file.lastPathComponent) { events.append(Self.describe($0)) }
            var trees: [String] = []
            try PubMedReader.readTrees(file: file, displayName: file.lastPathComponent) {
                trees.append(Self.describe($0))
            }
            #expect(events == trees, "\(file.lastPathComponent)")
            #expect(!events.isEmpty)
        }
    }
}
