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
