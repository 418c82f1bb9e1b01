import AnnalsDiagnostics
public import AnnalsModel
public import AnnalsXML
public import Foundation

/// One item of a PubMed file: an article (or book, or chapter) to store, or PMIDs to delete.
public enum PubMedItem: Sendable {
    case publication(Publication)
    /// A `DeleteCitation`: these PMIDs were withdrawn from PubMed.
    case deletion(pmids: [String], line: Int)
    /// A record that cannot be stored (no PMID, no title), and why.
    case skipped(reason: String, line: Int)
}

extension DiagnosticError {
    /// A PubMed record that cannot be used (`pubmed.incompleteRecord`), at its line; such a record is skipped.
    static func incompletePubMedRecord(file: String, line: Int, message: String) -> DiagnosticError {
        DiagnosticError(Diagnostic(.pubmedIncompleteRecord, file: file, line: line, column: 1, message: message))
    }

    /// The message of a skipped PubMed record: "line 12: PMID 1 has no title".
    var skippedPubMedRecord: (reason: String, line: Int)? {
        guard code == .pubmedIncompleteRecord, let d = diagnostics.first else { return nil }
        return ("line \(d.line): \(d.message)", d.line)
    }
}

/// Reads PubMed XML as it comes: efetch answers and MEDLINE baseline and update files, every DTD
/// generation from 2008 on, `PubmedArticleSet` and `PubmedBookArticleSet`, and the leased-MEDLINE files
/// before 2017 (`MedlineCitationSet` of bare `MedlineCitation` records, whose DOI is only in ELocationID),
/// plain or gzip-compressed.
/// Streaming: one record in memory at a time. The DTD a file names is never fetched.
public enum PubMedReader {
    /// Streams `file`, calling `body` with each article, book, chapter or deletion in file order.
    /// `progress` (optional) gets the bytes read so far and the file's size after each record.
    public static func read(
        file: URL, displayName: String, progress: ((Int, Int) -> Void)? = nil, _ body: (PubMedItem) throws -> Void
    ) throws {
        try withoutActuallyEscaping(body) { body in
            let events = PubMedEvents(fileName: file.lastPathComponent, displayName: displayName, emit: body)
            try XMLStreamReader.read(
                file: file, displayName: displayName, skipping: unused, handler: events, progress: progress)
        }
    }

    /// `read`, with every record built as a whole tree first: the plain way, slower on large files,
    /// kept as the reference the event reader is tested against.
    static func readTrees(
        file: URL, displayName: String, progress: ((Int, Int) -> Void)? = nil, _ body: (PubMedItem) throws -> Void
    ) throws {
        let fileName = file.lastPathComponent
        // A set of records, or (as some tools save it) one record as the whole document.
        let rootName = try XMLStreamReader.rootElementName(of: file, displayName: displayName)
        let recordDepth: Int
        switch rootName {
        case "PubmedArticleSet", "PubmedBookArticleSet", "MedlineCitationSet": recordDepth = 1
        case "PubmedArticle", "PubmedBookArticle", "MedlineCitation": recordDepth = 0
        default:
            throw DiagnosticError(
                Diagnostic(
                    .pubmedNotPubMed, file: displayName, line: 1, column: 1, message: notPubMedMessage(rootName ?? "?"))
            )
        }
        try XMLStreamReader.read(
            file: file, displayName: displayName, recordDepth: recordDepth, skipping: unused, progress: progress,
            record: { element in
                do {
                    switch element.name {
                    case "PubmedArticle", "MedlineCitation":
                        try body(.publication(try article(element, fileName: fileName, displayName: displayName)))
                    case "PubmedBookArticle":
                        try body(.publication(try bookArticle(element, fileName: fileName, displayName: displayName)))
                    case "DeleteCitation":
                        try body(.deletion(pmids: element.texts("PMID"), line: element.line))
                    default:
                        break  // Nothing else at this level carries records.
                    }
                } catch let error as DiagnosticError where error.code == .pubmedIncompleteRecord {
                    let skipped = error.skippedPubMedRecord!
                    try body(.skipped(reason: skipped.reason, line: skipped.line))
                }
            })
    }

    /// Parts of a record Annals does not keep; skipped whole while reading (cited references alone are
    /// often most of a baseline file).
    public static var skippedElements: Set<String> { unused }

    static let unused: Set<String> = [
        "ReferenceList", "History", "InvestigatorList", "DataBankList", "ChemicalList", "SupplMeshList",
        "CoiStatement", "PersonalNameSubjectList", "OtherAbstract", "GeneSymbolList", "GeneralNote", "OtherID",
    ]

    // MARK: - Articles

    /// The message for a file whose root is `rootName`, which no PubMed or MEDLINE file has.
    static func notPubMedMessage(_ rootName: String) -> String {
        "this is not a PubMed file: its root element is <\(rootName)>, where PubMed files start with <PubmedArticleSet> "
            + "(or <PubmedBookArticleSet>, or <MedlineCitationSet> in MEDLINE files before 2017). Save the search "
            + "from PubMed as XML, or import the file with the command for its own format."
    }

    /// A `PubmedArticle` element (or a bare `MedlineCitation` of a MEDLINE file before 2017) as a publication.
    public static func article(_ element: XMLElement, fileName: String, displayName: String) throws -> Publication {
        var parts = ArticleParts(line: element.line)
        if let citation = element.name == "MedlineCitation" ? element : element.child("MedlineCitation") {
            parts.hasCitation = true
            parts.pmid = citation.childText("PMID")
            parts.revised =
                citation.child("DateRevised") ?? citation.child("DateCompleted") ?? citation.child("DateCreated")
            parts.issnLinking = citation.child("MedlineJournalInfo")?.childText("ISSNLinking")
            parts.keywords = citation.children("KeywordList").flatMap { $0.texts("Keyword") }
            parts.meshHeadings =
                citation.child("MeshHeadingList")?.children("MeshHeading").compactMap { $0.childText("DescriptorName") }
                ?? []
            parts.commentsCorrections = citation.child("CommentsCorrectionsList")
            if let article = citation.child("Article") {
                parts.hasArticle = true
                parts.journal = article.child("Journal")
                parts.title = article.child("ArticleTitle")
                parts.vernacularTitle = article.child("VernacularTitle")
                parts.medlinePages = article.child("Pagination")?.childText("MedlinePgn")
                parts.eLocationIDs = article.children("ELocationID").map { ($0[attribute: "EIdType"], $0.text) }
                parts.abstract = article.child("Abstract")
                parts.authors = authors(article.child("AuthorList"))
                parts.languages = article.texts("Language")
                parts.grantList = article.child("GrantList")
                parts.publicationTypes = article.child("PublicationTypeList")?.texts("PublicationType") ?? []
                parts.legacyAffiliation = article.childText("Affiliation")
            }
        }
        parts.articleIDs = articleIDs(element.child("PubmedData")?.child("ArticleIdList"))
        return try publication(parts, fileName: fileName, displayName: displayName)
    }

    /// What a `PubmedArticle` says, gathered from its tree or from reading events, before it becomes a
    /// publication. Singular parts hold the first element of their name, as `XMLElement.child` finds it.
    struct ArticleParts {
        var line: Int
        var hasCitation = false
        var hasArticle = false
        var pmid: String?
        /// DateRevised, else DateCompleted, else DateCreated.
        var revised: XMLElement?
        var issnLinking: String?
        var keywords: [String] = []
        var meshHeadings: [String] = []
        var commentsCorrections: XMLElement?
        var journal: XMLElement?
        var title: XMLElement?
        var vernacularTitle: XMLElement?
        var medlinePages: String?
        /// Each ELocationID's EIdType and text as written.
        var eLocationIDs: [(type: String?, text: String)] = []
        var abstract: XMLElement?
        /// The authors, first authorship marked.
        var authors: [Author] = []
        var languages: [String] = []
        var grantList: XMLElement?
        var publicationTypes: [String] = []
        var legacyAffiliation: String?
        var articleIDs: [String: String] = [:]
    }

    /// The publication an article's parts describe.
    static func publication(_ parts: ArticleParts, fileName: String, displayName: String) throws -> Publication {
        guard parts.hasCitation, parts.hasArticle, let pmid = parts.pmid else {
            throw DiagnosticError.incompletePubMedRecord(
                file: displayName, line: parts.line, message: "a PubmedArticle without MedlineCitation, PMID or Article"
            )
        }
        let journal = parts.journal
        let issue = journal?.child("JournalIssue")
        let ids = parts.articleIDs
        let doi =
            parts.eLocationIDs.first { $0.type == "doi" }.flatMap { DOI.normalize($0.text) }
            ?? ids["doi"].flatMap(DOI.normalize)
        var issnPrint: String?
        var issnElectronic: String?
        for issn in journal?.children("ISSN") ?? [] {
            let value = issn.text.trimmingXMLWhitespace()
            if issn[attribute: "IssnType"] == "Electronic" { issnElectronic = value } else { issnPrint = value }
        }
        let types = parts.publicationTypes
        var authors = parts.authors
        if let legacy = parts.legacyAffiliation, !authors.isEmpty, authors[0].affiliations.isEmpty {
            // Before 2014 one affiliation, for the first author, sat on the article.
            authors[0].affiliations = [legacy]
            authors[0].isCorresponding = authors[0].isCorresponding || Self.isCorrespondingAddress(legacy)
        }
        let vernacular = parts.vernacularTitle.map { MarkupText(markup: $0.inlineMarkup.trimmingXMLWhitespace()) }
        // A paper known only by its title in the original language has an empty ArticleTitle.
        var title = parts.title.map { MarkupText(markup: $0.inlineMarkup.trimmingXMLWhitespace()) }
        if title?.plain.isEmpty ?? true { title = vernacular }
        guard let title, !title.plain.isEmpty else {
            throw DiagnosticError.incompletePubMedRecord(
                file: displayName, line: parts.line, message: "PMID \(pmid) has no title")
        }
        return Publication(
            id: "pmid-\(pmid)", kind: kind(types), title: title,
            vernacularTitle: vernacular?.plain,
            journal: journal.map {
                JournalReference(
                    title: $0.childText("Title") ?? $0.childText("ISOAbbreviation") ?? "", issnPrint: issnPrint,
                    issnElectronic: issnElectronic, issnLinking: parts.issnLinking)
            },
            published: issue?.child("PubDate").flatMap(pubDate), volume: issue?.childText("Volume"),
            issue: issue?.childText("Issue"),
            pages: parts.medlinePages.map(PageRange.expand)
                ?? parts.eLocationIDs.first { $0.type == "pii" }?.text.trimmingXMLWhitespace(),
            doi: doi, pmid: pmid, pmcid: ids["pmc"], languages: parts.languages, authors: authors,
            abstract: abstract(parts.abstract), publicationTypes: types,
            keywords: parts.keywords, meshHeadings: parts.meshHeadings,
            grants: parts.grantList?.children("Grant").map {
                Publication.Grant(
                    id: $0.childText("GrantID"), agency: $0.childText("Agency"), country: $0.childText("Country"))
            } ?? [],
            notices: notices(parts.commentsCorrections, types: types),
            revised: parts.revised.flatMap(pubDate),
            source: Provenance(kind: .pubmed, file: fileName, recordID: pmid))
    }

    /// A `PubmedBookArticle` element: a book, or a chapter of one.
    public static func bookArticle(_ element: XMLElement, fileName: String, displayName: String) throws -> Publication {
        guard let document = element.child("BookDocument"), let pmid = document.childText("PMID"),
            let book = document.child("Book")
        else {
            throw DiagnosticError.incompletePubMedRecord(
                file: displayName, line: element.line,
                message: "a PubmedBookArticle without BookDocument, PMID or Book (a fragment, not a record)")
        }
        let bookTitle = book.child("BookTitle").map { MarkupText(markup: $0.inlineMarkup.trimmingXMLWhitespace()) }
        guard chapterTitleOrBook(document, bookTitle) else {
            throw DiagnosticError.incompletePubMedRecord(
                file: displayName, line: element.line, message: "PMID \(pmid) has no title")
        }
        let chapterTitle = document.child("ArticleTitle").map {
            MarkupText(markup: $0.inlineMarkup.trimmingXMLWhitespace())
        }
        let types = document.texts("PublicationType")
        let ids = articleIDs(document.child("ArticleIdList")).merging(
            articleIDs(element.child("PubmedBookData")?.child("ArticleIdList"))
        ) { a, _ in a }
        let authorLists = document.children("AuthorList")
        let bookAuthorLists = book.children("AuthorList")
        return Publication(
            id: "pmid-\(pmid)", kind: chapterTitle == nil ? .book : .bookChapter,
            title: chapterTitle ?? bookTitle ?? MarkupText(plain: ""),
            published: book.child("PubDate").flatMap(pubDate),
            volume: book.childText("Volume"), doi: ids["doi"].flatMap(DOI.normalize), pmid: pmid, pmcid: ids["pmc"],
            languages: document.texts("Language"),
            authors: authors(
                authorLists.first { $0[attribute: "Type"] != "editors" }
                    ?? bookAuthorLists.first { $0[attribute: "Type"] == "authors" }),
            editors: authors((authorLists + bookAuthorLists).first { $0[attribute: "Type"] == "editors" }),
            bookTitle: bookTitle?.plain, publisher: book.child("Publisher")?.childText("PublisherName"),
            abstract: abstract(document.child("Abstract")), publicationTypes: types,
            keywords: document.children("KeywordList").flatMap { $0.texts("Keyword") },
            grants: document.child("GrantList")?.children("Grant").map {
                Publication.Grant(
                    id: $0.childText("GrantID"), agency: $0.childText("Agency"), country: $0.childText("Country"))
            } ?? [],
            revised: (document.child("DateRevised") ?? document.child("ContributionDate")).flatMap(pubDate),
            source: Provenance(kind: .pubmed, file: fileName, recordID: pmid))
    }

    // MARK: - Parts

    private static func chapterTitleOrBook(_ document: XMLElement, _ bookTitle: MarkupText?) -> Bool {
        !(document.child("ArticleTitle")?.text.trimmingXMLWhitespace().isEmpty ?? true)
            || !(bookTitle?.plain.isEmpty ?? true)
    }

    static func authors(_ list: XMLElement?) -> [Author] {
        guard let list else { return [] }
        var result: [Author] = []
        for element in list.children("Author") where element[attribute: "ValidYN"] != "N" {
            let affiliations = element.children("AffiliationInfo").compactMap { $0.childText("Affiliation") }
            let orcid = element.children("Identifier").first { $0[attribute: "Source"] == "ORCID" }.map(\.text)
            result.append(
                author(
                    familyName: element.childText("LastName"), givenName: element.childText("ForeName"),
                    initials: element.childText("Initials"), collectiveName: element.child("CollectiveName"),
                    orcid: orcid, affiliations: affiliations,
                    equalContribution: element[attribute: "EqualContrib"] == "Y"))
        }
        markFirstAuthors(&result)
        return result
    }

    /// One author from the parts of an `Author` element (`orcid` as written in the first ORCID Identifier).
    static func author(
        familyName: String?, givenName: String?, initials: String?, collectiveName: XMLElement?, orcid: String?,
        affiliations: [String], equalContribution: Bool
    ) -> Author {
        Author(
            familyName: familyName, givenName: givenName, initials: initials,
            collectiveName: collectiveName.map { MarkupText(markup: $0.innerMarkup).plain },
            orcid: orcid.flatMap(ORCID.normalize), affiliations: affiliations,
            isCorresponding: affiliations.contains(where: isCorrespondingAddress), equalContribution: equalContribution)
    }

    /// The first author, and co-first authors marked as contributing equally with them.
    static func markFirstAuthors(_ result: inout [Author]) {
        if !result.isEmpty {
            result[0].isFirst = true
            if result[0].equalContribution {
                var i = 1
                while i < result.count, result[i].equalContribution {
                    result[i].isFirst = true
                    i += 1
                }
            }
        }
    }

    /// An affiliation that gives an e-mail address ("Electronic address: x@y.org") marks the corresponding author.
    static func isCorrespondingAddress(_ affiliation: String) -> Bool {
        // Byte-wise: this runs for every affiliation of every author of a baseline file.
        let bytes = Array(affiliation.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
            return namesAnElectronicAddress(bytes) ?? namesAnElectronicAddress(Array(TextKey.fold(affiliation).utf8))
                ?? false
        }
        func isWordByte(_ b: UInt8) -> Bool { b != 32 && b != 59 && b != 44 && b != 9 && b != 10 }
        let hasLocal = at > 0 && isWordByte(bytes[at - 1])
        var i = at + 1
        var dot = false
        while i < bytes.count, isWordByte(bytes[i]) {
            if bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && isWordByte(bytes[i + 1]) { dot = true }
            i += 1
        }
        return hasLocal && dot
    }

    /// For ASCII text, whether `TextKey.fold` of it contains "electronic address" ("Electronic address:",
    /// "electronic-address"), without building the folded text; nil for other text.
    static func namesAnElectronicAddress(_ bytes: [UInt8]) -> Bool? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        func matches(_ word: [UInt8], at start: Int) -> Bool {
            start + word.count <= bytes.count && word.indices.allSatisfy { lower(bytes[start + $0]) == word[$0] }
        }
        var i = 0
        while i + electronic.count <= bytes.count {
            if lower(bytes[i]) == electronic[0], matches(electronic, at: i) {
                var j = i + electronic.count
                while j < bytes.count, !isAlphanumeric(lower(bytes[j])) { j += 1 }
                if j > i + electronic.count, matches(address, at: j) { return true }
            }
            i += 1
        }
        return false
    }

    private static let electronic = Array("electronic".utf8)
    private static let address = Array("address".utf8)

    static func abstract(_ element: XMLElement?) -> MarkupText? {
        guard let element else { return nil }
        let parts = element.children("AbstractText").map { text -> String in
            let body = text.inlineMarkup.trimmingXMLWhitespace()
            guard let label = text[attribute: "Label"], !label.isEmpty else { return body }
            return "<b>\(XMLEscaping.escapeText(label)):</b> \(body)"
        }
        guard !parts.isEmpty else { return nil }
        return MarkupText(markup: parts.joined(separator: "\n"))
    }

    static func articleIDs(_ list: XMLElement?) -> [String: String] {
        var ids: [String: String] = [:]
        for id in list?.children("ArticleId") ?? [] {
            if let type = id[attribute: "IdType"], ids[type] == nil { ids[type] = id.text.trimmingXMLWhitespace() }
        }
        return ids
    }

    static func notices(_ list: XMLElement?, types: [String]) -> [Publication.Notice] {
        var notices: [Publication.Notice] = []
        for item in list?.children("CommentsCorrections") ?? [] {
            let kind: Publication.Notice.Kind? =
                switch item[attribute: "RefType"] {
                case "RetractionIn": .retractedBy
                case "ErratumIn": .erratumIn
                case "ExpressionOfConcernIn": .expressionOfConcernIn
                case "RetractionOf": .retractionOf
                case "ErratumFor": .erratumFor
                default: nil
                }
            guard let kind else { continue }
            let reference = item.childText("PMID").map { "PMID \($0)" } ?? item.childText("RefSource") ?? ""
            guard !reference.isEmpty else { continue }
            notices.append(Publication.Notice(kind: kind, reference: reference))
        }
        if types.contains("Retracted Publication"), !notices.contains(where: { $0.kind == .retractedBy }) {
            notices.append(Publication.Notice(kind: .retractedBy, reference: "PubMed: Retracted Publication"))
        }
        return notices
    }

    /// The publication kind from PubMed's publication types; notices and case reports win over reviews.
    static func kind(_ types: [String]) -> Publication.Kind {
        let set = Set(types)
        if set.contains("Retraction of Publication") { return .retractionNotice }
        if set.contains("Published Erratum") { return .erratum }
        if set.contains("Case Reports") { return .caseReport }
        if set.contains("Review") || set.contains("Systematic Review") { return .review }
        if set.contains("Editorial") { return .editorial }
        if set.contains("Letter") { return .letter }
        if set.contains("Congress") { return .conferencePaper }
        return .journalArticle
    }

    /// `PubDate`, `DateRevised` and the like: Year/Month/Day, Season, or MedlineDate ("1998 Dec-1999 Jan").
    static func pubDate(_ element: XMLElement) -> PartialDate? {
        if let year = element.childText("Year").flatMap({ Int($0) }) {
            guard let month = element.childText("Month").flatMap(PubMedMonth.number) else {
                return PartialDate(year: year)
            }
            let day = element.childText("Day").flatMap { Int($0) }
            return PartialDate(year: year, month: month, day: day) ?? PartialDate(year: year, month: month)
        }
        guard let medline = element.childText("MedlineDate") else { return nil }
        // "1978 Sep-OCT", "1999 Spring", "1998 Dec-1999 Jan", "2000-2001": the first year, and its month if named.
        let words = medline.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "/" })
        guard let yearWord = words.first, yearWord.count == 4, let year = Int(yearWord) else { return nil }
        if words.count > 1, let month = PubMedMonth.number(String(words[1])) {
            return PartialDate(year: year, month: month)
        }
        return PartialDate(year: year)
    }
}

/// Month names and numbers as PubMed writes them.
enum PubMedMonth {
    static let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func number(_ text: String) -> Int? {
        if let n = Int(text), (1...12).contains(n) { return n }
        let prefix = text.lowercased().prefix(3)
        return names.firstIndex(of: String(prefix)).map { $0 + 1 }
    }
}

/// MEDLINE page ranges, written short ("123-9" is pages 123 to 129).
public enum PageRange {
    /// "123-9" → "123-129", "1123-45" → "1123-1145"; anything else is returned as written.
    public static func expand(_ pages: String) -> String {
        let parts = pages.trimmingXMLWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = parts.first, let last = parts.last,
            !first.isEmpty, !last.isEmpty, first.allSatisfy(\.isASCII), last.allSatisfy(\.isASCII),
            first.allSatisfy(\.isNumber), last.allSatisfy(\.isNumber), last.count < first.count
        else { return pages.trimmingXMLWhitespace() }
        return "\(first)-\(first.dropLast(last.count))\(last)"
    }
}
