import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsTestSupport
import AnnalsXML
import Foundation
import Testing

/// The XML layer's element (Foundation on macOS has a class of the same name).
private typealias Element = AnnalsXML.XMLElement

/// The EndNote reader over its own fixture, over the third-party exports in ../shared/corpus, and over
/// broken files. Serialized: libxml2's error handler is per thread.
@Suite(.serialized) struct EndNoteTests {
    let folder = TemporaryFolder()

    /// `Fixtures/endnote-small.xml`: fictitious records written for these tests.
    static let smallFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/endnote-small.xml")

    /// Every publication in `file`, in file order.
    func readAll(_ file: URL) throws -> [Publication] {
        var publications: [Publication] = []
        try EndNoteReader.read(file: file, displayName: file.lastPathComponent) { publications.append($0) }
        return publications
    }

    /// A file of ../shared/corpus/endnote, or nil (saying so) when ../shared is not beside this clone.
    func corpusFile(_ name: String) -> URL? {
        guard let shared = Fixtures.shared else {
            print("skipped: ../shared/corpus is not beside this clone")
            return nil
        }
        return shared.appendingPathComponent("corpus/endnote").appendingPathComponent(name)
    }

    /// The publication whose EndNote record number is `number`.
    func record(_ number: String, in publications: [Publication]) throws -> Publication {
        try #require(publications.first { $0.source?.recordID == number }, "no record \(number)")
    }

    /// A `<record>` element with `fields` as its children (each wrapped in a `<style>` run, as EndNote does).
    private func recordElement(_ fields: [Element], line: Int = 3) -> Element {
        Element(name: "record", children: fields.map { .element($0) }, line: line)
    }

    private func field(_ name: String, _ text: String) -> Element {
        let style = Element(
            name: "style",
            attributes: [
                .init(name: "face", value: "normal"), .init(name: "font", value: "default"),
                .init(name: "size", value: "100%"),
            ],
            children: [.text(text)])
        return Element(name: name, children: [.element(style)])
    }

    private func element(_ name: String, _ children: [Element], attributes: [Element.Attribute] = []) -> Element {
        Element(name: name, attributes: attributes, children: children.map { .element($0) })
    }

    /// A minimal record with these authors, read back as a publication.
    func publication(authors: [String], database: String = "Test.enl") throws -> Publication {
        let record = recordElement([
            element("database", [], attributes: [.init(name: "name", value: database)]),
            field("rec-number", "7"),
            element("contributors", [element("authors", authors.map { field("author", $0) })]),
            element("titles", [field("title", "A title")]),
        ])
        return try EndNoteReader.publication(from: record, fileName: "test.xml")
    }

    // MARK: - The fixture

    @Test func fixtureJournalArticleWithChineseTitleAndAuthor() throws {
        let publications = try readAll(Self.smallFixture)
        #expect(publications.map(\.id) == (101...104).map { "endnote-annals-fixture-enl-\($0)" })

        let p = try record("101", in: publications)
        #expect(p.kind == .journalArticle)
        #expect(p.title.plain == "腹腔镜胆总管囊肿切除术治疗儿童的十年经验", "style runs join with nothing between them")
        #expect(p.source == Provenance(kind: .endnote, file: "endnote-small.xml", recordID: "101"))
        #expect(p.publicationTypes == ["Journal Article"])

        #expect(p.authors.count == 3)
        let gao = p.authors[0]
        #expect(gao.familyName == "高" && gao.givenName == "志刚" && gao.initials == nil)
        #expect(gao.isFirst)
        #expect(
            gao.affiliations == [
                "Department of General Surgery, Fictional Children's Hospital, Hangzhou, China.",
                "Fictional Institute of Paediatric Research, Hangzhou, China.",
            ])
        #expect(p.authors[1] == Author(familyName: "Lin", initials: "X"))
        #expect(p.authors[2] == Author(familyName: "Zhou", givenName: "Mei-Ling", initials: "ML"))
        #expect(p.authors.dropFirst().allSatisfy { !$0.isFirst && $0.affiliations.isEmpty && $0.personID == nil })

        #expect(
            p.journal
                == JournalReference(
                    title: "Journal of Fictional Paediatric Surgery", issnPrint: "1234-5679",
                    issnElectronic: "2345-6787"))
        #expect(p.published == PartialDate(year: 2019, month: 3))
        #expect(p.volume == "12" && p.issue == "3" && p.pages == "101-9")
        #expect(p.doi == "10.5555/fict.2019.0101")
        #expect(p.pmid == "99000001")
        #expect(p.languages == ["chi"])
        #expect(p.keywords == ["choledochal cyst", "laparoscopy", "children", "follow-up studies"])
        #expect(
            p.abstract?.plain
                == "BACKGROUND: A fictitious abstract. METHODS: Nothing was done; RESULTS <none> & no patients.")
        #expect(p.abstract?.markup.contains("&lt;none&gt; &amp; no") == true)
        #expect(p.departmentIDs.isEmpty && p.projectIDs.isEmpty)
    }

    @Test func fixtureBookSectionHasEditorsBookTitleAndNoJournal() throws {
        let p = try record("102", in: try readAll(Self.smallFixture))
        #expect(p.kind == .bookChapter)
        #expect(
            p.title.plain == "Minimally invasive repair of pectus excavatum",
            "&#xD; and runs of spaces become one space")
        #expect(
            p.authors == [
                Author(familyName: "Li", givenName: "Zhi-Gang", initials: "ZG", isFirst: true),
                Author(familyName: "Chen", givenName: "Zhigang", initials: "Z"),
                Author(familyName: "van der Berg", givenName: "Anna Maria", initials: "AM"),
            ])
        #expect(p.editors == [Author(familyName: "Okafor", initials: "CN")])
        #expect(p.bookTitle == "Fictional Handbook of Paediatric Surgery")
        #expect(p.journal == nil, "a chapter's secondary title is its book, and the ISBN is no ISSN")
        #expect(p.publisher == "Fictional Medical Press")
        #expect(p.published == PartialDate(year: 2021), "'Sep-Oct' is two months: only the year is known")
        #expect(p.languages == ["eng"])
        #expect(p.doi == nil && p.pmid == nil && p.abstract == nil && p.keywords.isEmpty)
    }

    @Test func fixtureConferencePaperByNumberWithoutAuthors() throws {
        let p = try record("103", in: try readAll(Self.smallFixture))
        #expect(p.kind == .conferencePaper, "ref-type 47 without a name is a conference paper")
        #expect(p.authors.isEmpty)
        #expect(p.bookTitle == "Fictional Congress of Paediatric Surgeons")
        #expect(
            p.journal == JournalReference(title: "Journal of Fictional Paediatric Surgery"), "an ISBN gives no ISSN")
        #expect(
            p.published == PartialDate(year: 2020, month: 10), "Ovid's '10 11' is month and day; the day is not kept")
        #expect(p.pmid == "99000003", "an ISI accession number is no PMID; the notes' 'PMID: NLM…' is")
        #expect(p.doi == nil, "a PII is not a DOI")
        #expect(p.languages == ["eng"], "an unknown language is left out")
    }

    @Test func fixtureBookendsThesisWithGroupAuthorAndPlainFields() throws {
        let p = try record("104", in: try readAll(Self.smallFixture))
        #expect(p.kind == .other)
        #expect(p.title.plain == "Outcomes of fictional operations")
        #expect(p.authors == [Author(collectiveName: "Fictional Paediatric Surgery Study Group", isFirst: true)])
        #expect(p.published == nil && p.journal == nil)
        #expect(p.publicationTypes == ["Thesis", "Doctoral thesis"])
    }

    // MARK: - Names, ids, kinds

    @Test(
        arguments: [
            ("Gao, Z.", "Gao", nil, "Z"),
            ("Gao, Z. G.", "Gao", nil, "ZG"),
            ("Ainley, D.G.", "Ainley", nil, "DG"),
            ("Gao, Z.-G.", "Gao", nil, "ZG"),
            ("Gao, ZG", "Gao", nil, "ZG"),
            ("Gao, Zhi-Gang", "Gao", "Zhi-Gang", "ZG"),
            ("Gao, Zhigang", "Gao", "Zhigang", "Z"),
            ("Anderson, Timothy S.", "Anderson", "Timothy S.", "TS"),
            ("de Arruda, L. H.", "de Arruda", nil, "LH"),
            ("Smith, John, Jr.", "Smith", "John Jr.", "J"),
            ("Zhigang Gao", "Gao", "Zhigang", "Z"),
            ("Gao ZG", "Gao", nil, "ZG"),
            ("高志刚", "高", "志刚", nil),
            ("欧阳志刚", "欧阳", "志刚", nil),
            ("高, 志刚", "高", "志刚", nil),
        ] as [(String, String, String?, String?)])
    func authorNames(name: String, family: String, given: String?, initials: String?) throws {
        let author = try #require(try publication(authors: [name]).authors.first)
        #expect(author.familyName == family)
        #expect(author.givenName == given)
        #expect(author.initials == initials)
        #expect(author.collectiveName == nil)
    }

    @Test func groupAuthorsAndEmptyNames() throws {
        let authors = try publication(authors: ["World Health Organization,", "ACME Study Group", "  ", "Plato"])
            .authors
        #expect(authors.map(\.collectiveName) == ["World Health Organization", "ACME Study Group", nil])
        #expect(authors.last?.familyName == "Plato")
        #expect(authors.first?.isFirst == true)
    }

    @Test func idsAreStableSlugsWithinTheRegistryPattern() throws {
        #expect(try publication(authors: [], database: "My Library.enl").id == "endnote-my-library-enl-7")
        let chineseA = try publication(authors: [], database: "普外科论文.enl").id
        let chineseB = try publication(authors: [], database: "泌尿外科论文.enl").id
        #expect(chineseA != chineseB, "libraries named in Chinese must not share ids")
        #expect(chineseA == (try publication(authors: [], database: "普外科论文.enl").id), "the same name gives the same id")
        let long = try publication(authors: [], database: String(repeating: "Surgery ", count: 40)).id
        for id in [chineseA, chineseB, long] {
            #expect(RecordID.isValid(id), "\(id)")
        }
        let noDatabase = try EndNoteReader.publication(
            from: recordElement([field("rec-number", "12"), element("titles", [field("title", "T")])]),
            fileName: "x.xml")
        #expect(noDatabase.id == "endnote-db-12")
    }

    @Test func kindFallsBackToTheRefTypeNumber() throws {
        func kind(name: String?, number: String) throws -> Publication.Kind {
            let refType = Element(
                name: "ref-type", attributes: name.map { [.init(name: "name", value: $0)] } ?? [],
                children: [.text(number)])
            let record = recordElement([field("rec-number", "1"), refType, element("titles", [field("title", "T")])])
            return try EndNoteReader.publication(from: record, fileName: "x.xml").kind
        }
        #expect(try kind(name: "Journal Article", number: "17") == .journalArticle)
        #expect(try kind(name: "Zeitschriftenartikel", number: "17") == .journalArticle)
        #expect(try kind(name: nil, number: "6") == .book)
        #expect(try kind(name: nil, number: "5") == .bookChapter)
        #expect(try kind(name: nil, number: "10") == .conferencePaper)
        #expect(try kind(name: "Conference Paper", number: "47") == .conferencePaper)
        #expect(try kind(name: "Report", number: "27") == .other)
        #expect(try kind(name: "Generic", number: "13") == .other)
    }

    @Test func originalPublicationIsTheVernacularTitleOfABracketedTranslation() throws {
        func vernacular(title: String) throws -> String? {
            let record = recordElement([
                field("rec-number", "3"), field("ref-type", "17"), element("titles", [field("title", title)]),
                field("orig-pub", "Anti-Alzheimermiddelen: ethische aspecten"),
            ])
            return try EndNoteReader.publication(from: record, fileName: "x.xml").vernacularTitle
        }
        #expect(try vernacular(title: "[Anti-Alzheimer drugs]") == "Anti-Alzheimermiddelen: ethische aspecten")
        #expect(try vernacular(title: "Anti-Alzheimer drugs") == nil, "not a translation: orig-pub is something else")
    }

    // MARK: - Broken files

    @Test func malformedFileThrowsDiagnosticErrorWithLine() throws {
        let file = folder.write(
            "broken.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <xml><records>
            <record><rec-number>1</rec-number><titles><title>Fine</title></titles></record>
            <record><rec-number>2</rec-number><titles><title>Unclosed</titles></record>
            </records></xml>

            """)
        let error = try #require(throws: DiagnosticError.self) { try readAll(file) }
        #expect(error.diagnostics.allSatisfy { $0.file == "broken.xml" })
        #expect(error.diagnostics.contains { $0.line > 0 })
    }

    @Test func recordWithoutTitleThrowsRecordErrorNamingItsLine() throws {
        let file = folder.write(
            "untitled.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <xml><records>
            <record><rec-number>1</rec-number><titles><title>Fine</title></titles></record>
            <record><rec-number>2</rec-number><titles><title><style face="normal">  </style></title></titles></record>
            </records></xml>

            """)
        var seen: [String] = []
        let error = try #require(throws: DiagnosticError.self) {
            try EndNoteReader.read(file: file, displayName: "library/untitled.xml") { seen.append($0.id) }
        }
        #expect(seen == ["endnote-db-1"], "records before the bad one were read")
        #expect(error.diagnostics[0].file == "library/untitled.xml" && error.diagnostics[0].line == 4)
        #expect(error.code == .endnoteIncompleteRecord)
        #expect(error.description.hasPrefix("library/untitled.xml:4:1: error: EndNote record 2 has no title"))
    }

    @Test func aFileThatIsNotEndNoteIsRefused() throws {
        let file = folder.write(
            "pubmed.xml", "<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n<PubmedArticle/>\n</PubmedArticleSet>\n")
        let error = try #require(throws: DiagnosticError.self) { try readAll(file) }
        #expect(error.diagnostics[0].line == 2 && error.diagnostics[0].message.contains("not an EndNote XML export"))
        #expect(error.code == .endnoteNotEndNote)
    }

    // MARK: - The corpus (../shared/corpus/endnote)

    @Test func corpusSpiderCiteEndNote20() throws {
        guard let file = corpusFile("reflib__SpiderCite_demo__endnote20.4.xml") else { return }
        let publications = try readAll(file)
        #expect(publications.count == 10)
        #expect(
            publications.allSatisfy { $0.kind == .journalArticle && $0.id.hasPrefix("endnote-spidercite-demo-enl-") })
        #expect(publications.map { $0.source?.recordID ?? "" } == ["2", "3", "7", "6", "5", "4", "1", "10", "8", "9"])

        let p = try record("2", in: publications)
        #expect(p.id == "endnote-spidercite-demo-enl-2")
        #expect(
            p.title.plain
                == "A multicenter, randomized, split-face clinical trial evaluating the efficacy and safety of chromophore "
                + "gel-assisted blue light phototherapy for the treatment of acne")
        #expect(p.authors.count == 9)
        #expect(
            p.authors[0]
                == Author(
                    familyName: "Antoniou", initials: "C", affiliations: p.authors[0].affiliations, isFirst: true))
        #expect(p.authors[0].affiliations.count == 9, "nine &#xD;-separated addresses")
        #expect(
            p.authors[0].affiliations.first
                == "1st Department of Dermatology, University of Athens, Andreas Sygros Hospital, Athens, Greece. anikolis@vicpark.com."
        )
        #expect(p.authors[8].familyName == "Nikolis" && p.authors[8].affiliations.isEmpty)
        #expect(p.journal == JournalReference(title: "Int J Dermatol", issnPrint: "0011-9059"))
        #expect(p.published == PartialDate(year: 2016, month: 12))
        #expect(p.volume == "55" && p.issue == "12" && p.pages == "1321-1328")
        #expect(p.doi == "10.1111/ijd.13349")
        #expect(p.pmid == "27575854")
        #expect(p.languages == ["eng"])
        #expect(p.keywords.count == 13 && p.keywords.first == "Acne Vulgaris/complications/*therapy")
        #expect(p.abstract?.plain.hasPrefix("BACKGROUND: Although a variety of laser/light-based devices") == true)

        let portuguese = try record("7", in: publications)
        #expect(portuguese.authors.first?.familyName == "de Arruda" && portuguese.authors.first?.initials == "LH")
        #expect(portuguese.vernacularTitle?.hasPrefix("Estudo clínico, prospectivo, aberto, randomizado") == true)
        #expect(portuguese.languages == ["por"])
        #expect(portuguese.published == PartialDate(year: 2009), "'Sep-Oct' names two months")

        let printLabelled = try record("10", in: publications)
        #expect(printLabelled.journal == JournalReference(title: "Br J Dermatol", issnPrint: "0007-0963"))
        #expect(try record("8", in: publications).doi == nil, "record 8 has no electronic-resource-num")

        for p in publications {
            for text in [p.title.plain, p.abstract?.plain ?? ""] + p.authors.flatMap(\.affiliations) + p.keywords {
                #expect(
                    !text.contains("\r") && !text.contains("\n") && !text.contains("  "), "\(p.id): \(text.prefix(60))")
            }
        }
    }

    @Test func corpusDumpConvertedEndNote21() throws {
        guard let file = corpusFile("reflib__Dump-Converted_test__endnote21.3.xml") else { return }
        let publications = try readAll(file)
        #expect(publications.count == 25)
        #expect(Set(publications.map(\.id)).count == 25)
        #expect(publications.filter(\.authors.isEmpty).compactMap(\.source?.recordID) == ["9092", "9104"])

        let retracted = try record("9092", in: publications)
        #expect(retracted.authors.isEmpty, "<contributors></contributors> is no authors")
        #expect(
            retracted.title.plain
                == "AAN's First 21st-Century Position Statement on Ethical Consideration in Dementia Diagnosis and Care"
        )
        #expect(retracted.journal == JournalReference(title: "Neurology", issnPrint: "0028-3878"))
        #expect(retracted.doi == "10.1212/wnl.0000000000012606")
        #expect(retracted.pmid == "34520387", "from the notes' 'PMID: NLM34520387'")
        #expect(retracted.published == PartialDate(year: 2021))

        let jama = try record("9114", in: publications)
        #expect(
            jama.authors.first
                == Author(
                    familyName: "Anderson", givenName: "Timothy S.", initials: "TS",
                    affiliations: jama.authors.first?.affiliations ?? [], isFirst: true))
        #expect(jama.authors.map(\.shortName) == ["Anderson TS", "Ayanian JZ", "Souza J", "Landon BE"])
        #expect(jama.pmid == "34499725")

        let review = try record("9108", in: publications)
        #expect(review.doi == "10.1186/s40504-020-00106-2", "the dx.doi.org resolver is dropped")
        #expect(review.pmid == "33043412")
        #expect(review.published == PartialDate(year: 2020, month: 10), "'Oct 12'")
        #expect(review.publicationTypes == ["Journal Article", "Review"])
        #expect(review.journal?.title == "Life Sciences, Society and Policy")

        #expect(try record("9107", in: publications).journal?.issnPrint == "1741-203X")
        #expect(try record("9110", in: publications).published == PartialDate(year: 2023, month: 10), "'10 11'")
        #expect(try record("9102", in: publications).published == PartialDate(year: 2024, month: 5), "'05'")
        #expect(try record("9101", in: publications).published == PartialDate(year: 2024), "'Apr-Jun'")
        #expect(try record("9115", in: publications).authors.first?.initials == "NSL", "'Yeo-Teh, N. S. L.'")
        #expect(
            try record("9103", in: publications).journal?.title == "CONTINUUM: Lifelong Learning in Neurology",
            "no <periodical>: the secondary title names the journal")
        let dutch = try record("9094", in: publications)
        #expect(dutch.languages == ["dut"])
        #expect(dutch.vernacularTitle == "Anti-Alzheimermiddelen: ethische aspecten van research en praktijk")
    }

    @Test func corpusJabRefLabelAndMultiTitle() throws {
        guard let file = corpusFile("jabref__EndnoteXmlImporterTestLabelAndMultiTitle.xml") else { return }
        let publications = try readAll(file)
        #expect(
            publications.map(\.id) == [
                "endnote-endnote-ecology-enl-13264", "endnote-endnote-ecology-enl-13265",
                "endnote-birdsurvival-converted-enl-650",
            ])

        let chapman = publications[0]
        #expect(chapman.kind == .journalArticle)
        #expect(
            chapman.title.plain
                == "An ecological basis for reforestation of submariginal lands in the Central Hardwood Region")
        #expect(
            chapman.authors == [
                Author(
                    familyName: "Chapman", initials: "AG",
                    affiliations: ["Cent States Forest Expt Stn, Columbus, OH USA"], isFirst: true)
            ])
        #expect(chapman.journal == JournalReference(title: "Ecology", issnPrint: "0012-9658"))
        #expect(chapman.published == PartialDate(year: 1937, month: 1))
        #expect(chapman.volume == "18" && chapman.issue == "1" && chapman.pages == "93-105")
        #expect(chapman.pmid == nil, "'ISI:000200148800007' is a Web of Science number")
        #expect(chapman.languages == ["eng"])

        let book = publications[1]
        #expect(book.kind == .book)
        #expect(book.bookTitle == "A survey of soil temperatures in the Chicago area" && book.journal == nil)
        #expect(book.authors.first?.familyName == "Strohecker" && book.authors.first?.initials == "HF")

        let skua = publications[2]
        #expect(
            skua.title.plain == "A demographic study of the south polar skua Catharacta maccormicki at Cape Crozier",
            "three style runs, one italic, across pretty-printed lines")
        #expect(skua.authors.map(\.shortName) == ["Ainley DG", "Ribic CA", "Wodd RC"])
        #expect(skua.journal == JournalReference(title: "Journal of Animal Ecology"))
        #expect(skua.published == PartialDate(year: 1990) && skua.volume == "59" && skua.pages == "1-20")
        #expect(skua.source == Provenance(kind: .endnote, file: file.lastPathComponent, recordID: "650"))
    }
}
