import AnnalsModel
import Foundation
import Testing

/// The hand-written canonical JSON of publications must be exactly what `JSONEncoder` writes for their
/// `Codable` form (sorted keys, slashes unescaped): the store compares stored bodies byte for byte to
/// tell an unchanged record, and reads them back with `JSONDecoder`.
@Suite struct CanonicalJSONTests {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func foundation(_ p: Publication) throws -> String {
        String(decoding: try encoder().encode(p), as: UTF8.self)
    }

    /// A publication with every optional field set and every list non-empty, with text that needs escaping.
    static let full: Publication = {
        let awkward =
            "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{7} unit \u{1F} del \u{7F} nbsp \u{A0} 中文 👩‍⚕️ \u{2028} \u{E000}"
        let author = Author(
            familyName: "Gao", givenName: "Zhi-Gang", initials: "ZG", collectiveName: "Group " + awkward,
            orcid: "0000-0002-1825-0097", affiliations: ["A", awkward], personID: "gao-zhigang", isFirst: true,
            isCorresponding: true, equalContribution: true)
        return Publication(
            id: "pmid-1", kind: .bookChapter, title: MarkupText(markup: "Title <i>x</i> &amp; " + awkward),
            vernacularTitle: "Titel",
            journal: JournalReference(
                journalID: "j-1", title: "J", issnPrint: "1234-5678", issnElectronic: "2345-6789",
                issnLinking: "1234-5678"),
            published: PartialDate(year: 2024, month: 2, day: 29), volume: "12", issue: "3", pages: "123-129",
            doi: "10.5555/x", pmid: "1", pmcid: "PMC1", languages: ["eng", "chi"], authors: [author, Author()],
            editors: [author], bookTitle: "Book", publisher: "Publisher", abstract: MarkupText(markup: awkward),
            publicationTypes: ["Review"], keywords: ["k"], meshHeadings: ["m"],
            grants: [Publication.Grant(id: "81771641", agency: "NSFC", country: "China"), Publication.Grant()],
            projectIDs: ["p"], departmentIDs: ["d"],
            notices: [Publication.Notice(kind: .retractedBy, reference: "PMID 2")],
            revised: PartialDate(year: 2025), source: Provenance(kind: .pubmed, file: "f.xml", recordID: "1"),
            supervisors: [author], notes: ["year: in press", awkward])
    }()

    @Test func aFullPublicationIsWrittenAsJSONEncoderWritesIt() throws {
        #expect(Self.full.canonicalJSON == (try Self.foundation(Self.full)))
    }

    @Test func aBarePublicationIsWrittenAsJSONEncoderWritesIt() throws {
        let bare = Publication(
            id: "x", kind: .other, title: MarkupText(markup: ""), journal: JournalReference(title: ""))
        #expect(bare.canonicalJSON == (try Self.foundation(bare)))
        let emptyParts = Publication(
            id: "y", kind: .journalArticle, title: MarkupText(plain: "t"), authors: [Author()],
            grants: [Publication.Grant()],
            source: Provenance(kind: .manual))
        #expect(emptyParts.canonicalJSON == (try Self.foundation(emptyParts)))
    }

    @Test func itReadsBackAsTheSamePublication() throws {
        let decoded = try JSONDecoder().decode(Publication.self, from: Data(Self.full.canonicalJSON.utf8))
        #expect(decoded == Self.full)
    }

    @Test func theCanonicalReaderReadsBackWhatIsWritten() throws {
        let bare = Publication(
            id: "x", kind: .other, title: MarkupText(markup: ""), journal: JournalReference(title: ""))
        let emptyParts = Publication(
            id: "y", kind: .journalArticle, title: MarkupText(plain: "t"), authors: [Author()],
            grants: [Publication.Grant()], source: Provenance(kind: .manual))
        for p in [Self.full, bare, emptyParts] {
            #expect(Publication(canonicalJSON: p.canonicalJSON) == p)
        }
    }

    /// A publication with only its required keys, `middle` put in the middle of them.
    static func minimal(id: String = #""a""#, kind: String = #""review""#, _ middle: String = "") -> String {
        #"{"authors":[],"departmentIDs":[],"editors":[],"grants":[],"id":"# + id + #","keywords":[],"kind":"# + kind
            + #","languages":[],"meshHeadings":[],"notices":[],"projectIDs":[],"publicationTypes":[],"# + middle
            + #""title":{"markup":"T"}}"#
    }

    /// Whatever the canonical reader reads, `JSONDecoder` reads the same; what it does not read (nil), the store
    /// hands to `JSONDecoder`. Texts in other forms: spaces, other key orders, escapes JSONEncoder does not write,
    /// nulls, unknown and missing keys, wrong types, broken strings and dates, text after the end.
    @Test(arguments: [
        minimal(),
        #" { "title" : { "markup" : "T" } , "kind" : "review" , "id" : "a" , "authors" : [ ] , "departmentIDs" : [ ] , "editors" : [ ] , "grants" : [ ] , "keywords" : [ ] , "languages" : [ ] , "meshHeadings" : [ ] , "notices" : [ ] , "projectIDs" : [ ] , "publicationTypes" : [ ] } "#,
        minimal(id: #""\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\""#),
        minimal(id: #""\ud83d \ude00""#),
        minimal(id: #""\ude00""#),
        minimal(id: #""\ud83d""#),
        minimal(id: #""\u12G4""#),
        minimal(id: #""tab"# + "\t" + #"here""#),
        minimal(id: "1"),
        minimal(kind: #""poem""#),
        minimal(#""doi":null,"#),
        minimal(#""extra":1,"#),
        minimal(#""published":"2024-13","#),
        minimal(#""published":"2024-02","revised":"2025","#),
        minimal(#""notices":[{"kind":"retracted-by"}],"#),
        minimal(#""journal":{"issnPrint":"1234-5678"},"#),
        minimal(#""source":{"file":"f"},"#),
        #"{"authors":[{"affiliations":[],"equalContribution":"no","isCorresponding":false,"isFirst":false}],"departmentIDs":[],"editors":[],"grants":[],"id":"a","keywords":[],"kind":"review","languages":[],"meshHeadings":[],"notices":[],"projectIDs":[],"publicationTypes":[],"title":{"markup":"T"}}"#,
        #"{"authors":[{"affiliations":[],"isCorresponding":false,"isFirst":false}],"departmentIDs":[],"editors":[],"grants":[],"id":"a","keywords":[],"kind":"review","languages":[],"meshHeadings":[],"notices":[],"projectIDs":[],"publicationTypes":[],"title":{"markup":"T"}}"#,
        #"{"authors":[],"departmentIDs":[],"editors":[],"grants":[],"id":"a","keywords":[],"kind":"review","languages":[],"meshHeadings":[],"notices":[],"projectIDs":[],"title":{"markup":"T"}}"#,
        minimal() + " x",
        minimal() + ",",
        "",
        "[]",
    ])
    func theCanonicalReaderNeverReadsOtherwiseThanJSONDecoder(_ text: String) throws {
        let foundation = try? JSONDecoder().decode(Publication.self, from: Data(text.utf8))
        if let read = Publication(canonicalJSON: text) {
            #expect(read == foundation, "read as JSONDecoder does not: \(text)")
        }
    }

    /// The forms Annals writes, and plain variants of them, are read by the canonical reader itself.
    @Test func theCanonicalReaderReadsSpacesOtherOrdersAndEscapes() {
        let spaced =
            #" { "title" : { "markup" : "T" } , "kind" : "review" , "id" : "a" , "authors" : [ ] , "departmentIDs" : [ ] , "editors" : [ ] , "grants" : [ ] , "keywords" : [ ] , "languages" : [ ] , "meshHeadings" : [ ] , "notices" : [ ] , "projectIDs" : [ ] , "publicationTypes" : [ ] } "#
        #expect(Publication(canonicalJSON: spaced)?.id == "a")
        #expect(Publication(canonicalJSON: Self.minimal(id: #""\u00e9\ud83d\ude00\/""#))?.id == "é😀/")
        #expect(Publication(canonicalJSON: Self.minimal(#""doi":null,"#)) == nil, "a null goes to JSONDecoder")
        #expect(Publication(canonicalJSON: Self.minimal(id: #""\ud83d""#)) == nil, "half a surrogate pair")
    }

    /// A property added to a publication (or to a part of one) without adding it to the writer would be
    /// lost from the registry: every stored property must appear in the full publication's JSON.
    @Test func everyStoredPropertyIsWritten() throws {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.full.canonicalJSON.utf8)) as? [String: Any])
        func check(_ value: Any, _ object: [String: Any]?, _ path: String) {
            let labels = Set(Mirror(reflecting: value).children.compactMap(\.label))
            #expect(Set(object?.keys.map { $0 } ?? []) == labels, "\(path): properties and JSON keys differ")
        }
        check(Self.full, json, "Publication")
        let author = (json["authors"] as? [[String: Any]])?.first
        check(Self.full.authors[0], author, "Author")
        check(Self.full.journal!, json["journal"] as? [String: Any], "JournalReference")
        check(Self.full.grants[0], (json["grants"] as? [[String: Any]])?.first, "Grant")
        check(Self.full.notices[0], (json["notices"] as? [[String: Any]])?.first, "Notice")
        check(Self.full.source!, json["source"] as? [String: Any], "Provenance")
        check(Self.full.title, json["title"] as? [String: Any], "MarkupText")
    }
}
