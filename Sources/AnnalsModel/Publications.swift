/// A paper, book, chapter or notice.
public struct Publication: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case journalArticle = "journal-article"
        case review
        case caseReport = "case-report"
        case editorial
        case letter
        case conferencePaper = "conference-paper"
        case book
        case bookChapter = "book-chapter"
        case erratum
        case retractionNotice = "retraction-notice"
        case other
    }

    public var id: String
    public var kind: Kind
    public var title: MarkupText
    /// The title in the original language, when the main title is a translation.
    public var vernacularTitle: String?
    public var journal: JournalReference?
    public var published: PartialDate?
    public var volume: String?
    public var issue: String?
    /// As printed ("123-9", "e2024001").
    public var pages: String?
    /// Lower case, without resolver prefix.
    public var doi: String?
    public var pmid: String?
    public var pmcid: String?
    /// ISO 639-2 codes ("eng", "chi"), in the order the source lists them.
    public var languages: [String]
    public var authors: [Author]
    /// Editors of a book.
    public var editors: [Author]
    /// The book a chapter belongs to, or the book's own title for a book.
    public var bookTitle: String?
    public var publisher: String?
    public var abstract: MarkupText?
    /// Publication types as the source names them ("Journal Article", "Review", "Retracted Publication").
    public var publicationTypes: [String]
    public var keywords: [String]
    /// MeSH descriptor names.
    public var meshHeadings: [String]
    /// Grants the paper acknowledges.
    public var grants: [Grant]
    /// Registry projects the paper comes from (linked when a grant id equals a project's grant number).
    public var projectIDs: [String]
    /// Departments this publication is credited to.
    public var departmentIDs: [String]
    /// Retractions, errata and similar notices that concern this publication.
    public var notices: [Notice]
    /// When the source last revised the record (PubMed DateRevised), to tell newer versions from older.
    public var revised: PartialDate?
    /// Where the record came from.
    public var source: Provenance?
    /// A thesis's supervisors (EndNote's tertiary authors of a thesis); nil when the source names none.
    public var supervisors: [Author]?
    /// What the source wrote that Annals could not take as a value, kept as written: a year "in press",
    /// a DOI field holding an ISBN or a URL that is not a DOI. Nil when there is nothing to keep.
    public var notes: [String]?

    public init(
        id: String, kind: Kind, title: MarkupText, vernacularTitle: String? = nil, journal: JournalReference? = nil,
        published: PartialDate? = nil, volume: String? = nil, issue: String? = nil, pages: String? = nil,
        doi: String? = nil, pmid: String? = nil, pmcid: String? = nil, languages: [String] = [], authors: [Author] = [],
        editors: [Author] = [], bookTitle: String? = nil, publisher: String? = nil, abstract: MarkupText? = nil,
        publicationTypes: [String] = [], keywords: [String] = [], meshHeadings: [String] = [], grants: [Grant] = [],
        projectIDs: [String] = [], departmentIDs: [String] = [], notices: [Notice] = [], revised: PartialDate? = nil,
        source: Provenance? = nil, supervisors: [Author]? = nil, notes: [String]? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.vernacularTitle = vernacularTitle
        self.journal = journal
        self.published = published
        self.volume = volume
        self.issue = issue
        self.pages = pages
        self.doi = doi
        self.pmid = pmid
        self.pmcid = pmcid
        self.languages = languages
        self.authors = authors
        self.editors = editors
        self.bookTitle = bookTitle
        self.publisher = publisher
        self.abstract = abstract
        self.publicationTypes = publicationTypes
        self.keywords = keywords
        self.meshHeadings = meshHeadings
        self.grants = grants
        self.projectIDs = projectIDs
        self.departmentIDs = departmentIDs
        self.notices = notices
        self.revised = revised
        self.source = source
        self.supervisors = supervisors
        self.notes = notes
    }

    /// A grant a paper acknowledges ("81771641", National Natural Science Foundation of China).
    public struct Grant: Sendable, Hashable, Codable {
        public var id: String?
        public var agency: String?
        public var country: String?
        public init(id: String? = nil, agency: String? = nil, country: String? = nil) {
            self.id = id
            self.agency = agency
            self.country = country
        }
    }

    /// True when a retraction notice concerns this publication.
    public var isRetracted: Bool { notices.contains { $0.kind == .retractedBy } }

    /// A notice about a publication, pointing at the notice itself.
    public struct Notice: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case retractedBy = "retracted-by"
            case erratumIn = "erratum-in"
            case expressionOfConcernIn = "expression-of-concern-in"
            case retractionOf = "retraction-of"
            case erratumFor = "erratum-for"
        }
        public var kind: Kind
        /// The other item: a PMID, a DOI or a citation.
        public var reference: String
        public init(kind: Kind, reference: String) {
            self.kind = kind
            self.reference = reference
        }
    }
}

/// Text that may carry inline markup (`<i>`, `<sup>`, MathML), kept losslessly, with a plain form.
public struct MarkupText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// XML content (text escaped, inline elements as written in the source).
    public var markup: String

    public init(markup: String) {
        self.markup = markup
    }

    /// Plain text: a string without markup.
    public init(plain: String) {
        var escaped = ""
        for c in plain {
            switch c {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(c)
            }
        }
        self.markup = escaped
    }

    /// The text with tags removed, character references decoded and white space collapsed.
    ///
    /// Sources sometimes lose the spaces around italics (`at the<i>TERT</i>gene`); where a word-level
    /// formatting tag (i, b, u, em, strong) sits between two letters or digits, a space is put back.
    /// Subscripts, superscripts and MathML join without a space (`H<sub>2</sub>O` is "H2O").
    public var plain: String {
        asciiPlain() ?? characterPlain()
    }

    /// `plain`, character by character: for any markup.
    func characterPlain() -> String {
        var result = ""
        var boundary = false
        var index = markup.startIndex
        func isXMLSpace(_ c: Character) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\r\n" }
        func append(_ c: Character) {
            // Only XML's own white space collapses; a no-break space is kept as written.
            if isXMLSpace(c) {
                if let last = result.last, last != " " { result.append(" ") }
                return
            }
            if boundary, let last = result.last, last.isLetter || last.isNumber, c.isLetter || c.isNumber {
                result.append(" ")
            }
            boundary = false
            result.append(c)
        }
        while index < markup.endIndex {
            let c = markup[index]
            if c == "<", let close = markup[index...].firstIndex(of: ">") {
                let tag = markup[markup.index(after: index)..<close]
                let name = tag.drop { $0 == "/" }.prefix { !$0.isWhitespace && $0 != "/" }
                if Self.wordLevelTags.contains(name.lowercased()) { boundary = true }
                index = markup.index(after: close)
                continue
            }
            if c == "&", let semicolon = markup[index...].prefix(12).firstIndex(of: ";") {
                let name = markup[markup.index(after: index)..<semicolon]
                if let decoded = Self.decodeEntity(name) {
                    append(decoded)
                    index = markup.index(after: semicolon)
                    continue
                }
            }
            append(c)
            index = markup.index(after: index)
        }
        if result.last == " " { result.removeLast() }
        return result
    }

    private static let wordLevelTags: Set<String> = ["i", "b", "u", "em", "strong", "italic", "bold", "underline"]

    /// `plain` for markup that is all ASCII (most titles and abstracts), byte by byte: the same rules
    /// without breaking the text into characters. Nil for other markup, and where an entity stands for
    /// a character outside ASCII.
    func asciiPlain() -> String? {
        let bytes = Array(markup.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
        func isAlphanumeric(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || (b >= 0x30 && b <= 0x39) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var boundary = false
        func append(_ b: UInt8) {
            if isSpace(b) {
                if let last = result.last, last != 0x20 { result.append(0x20) }
                return
            }
            if boundary, let last = result.last, isAlphanumeric(last), isAlphanumeric(b) { result.append(0x20) }
            boundary = false
            result.append(b)
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "<"), let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) {
                // The tag's name: after any '/', up to white space or '/'.
                var start = i + 1
                while start < close, bytes[start] == UInt8(ascii: "/") { start += 1 }
                var end = start
                while end < close, !Self.isASCIIWhitespace(bytes[end]), bytes[end] != UInt8(ascii: "/") { end += 1 }
                let name = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
                if Self.wordLevelTags.contains(name) { boundary = true }
                i = close + 1
                continue
            }
            if b == UInt8(ascii: "&"),
                let semicolon = bytes[i..<min(i + 12, bytes.count)].firstIndex(of: UInt8(ascii: ";"))
            {
                let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
                if let decoded = Self.decodeEntity(name[...]) {
                    guard decoded.isASCII, let value = decoded.asciiValue else { return nil }
                    append(value)
                    i = semicolon + 1
                    continue
                }
            }
            append(b)
            i += 1
        }
        if result.last == 0x20 { result.removeLast() }
        return String(decoding: result, as: UTF8.self)
    }

    /// `Character.isWhitespace` for ASCII: space, tab, line feed, vertical tab, form feed, return.
    private static func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    public var description: String { plain }

    private static func decodeEntity(_ name: Substring) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var digits = name
            guard digits.first == "#" else { return nil }
            digits = digits.dropFirst()
            let radix = digits.first == "x" || digits.first == "X" ? 16 : 10
            if radix == 16 { digits = digits.dropFirst() }
            guard let value = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(value) else { return nil }
            return Character(scalar)
        }
    }
}

/// An author as the publication lists them.
public struct Author: Sendable, Hashable, Codable {
    public var familyName: String?
    public var givenName: String?
    public var initials: String?
    /// A group author ("the ACME Study Group"), instead of a person's name.
    public var collectiveName: String?
    public var orcid: String?
    public var affiliations: [String]
    /// The registry person this author is, when matched.
    public var personID: String?
    /// A first author (co-first authors each carry it).
    public var isFirst: Bool
    public var isCorresponding: Bool
    public var equalContribution: Bool

    public init(
        familyName: String? = nil, givenName: String? = nil, initials: String? = nil, collectiveName: String? = nil,
        orcid: String? = nil, affiliations: [String] = [], personID: String? = nil, isFirst: Bool = false,
        isCorresponding: Bool = false, equalContribution: Bool = false
    ) {
        self.familyName = familyName
        self.givenName = givenName
        self.initials = initials
        self.collectiveName = collectiveName
        self.orcid = orcid
        self.affiliations = affiliations
        self.personID = personID
        self.isFirst = isFirst
        self.isCorresponding = isCorresponding
        self.equalContribution = equalContribution
    }

    /// "Gao Z", "高志刚" (a name in characters is never cut into initials), or the collective name.
    public var shortName: String {
        if let collectiveName { return collectiveName }
        if let chineseName { return chineseName }
        return [familyName, initials ?? givenName].compactMap { $0 }.joined(separator: " ")
    }

    /// The name written whole when it is in Chinese characters ("高志刚"); nil for other names.
    public var chineseName: String? {
        guard collectiveName == nil, givenName != nil || initials == nil else { return nil }
        return ChineseName.whole(family: familyName, given: givenName)
    }
}

/// Where a record came from: the kind of source, the file and the record's id in it.
public struct Provenance: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case registry, pubmed, endnote, cerif, manual
    }
    public var kind: Kind
    /// The file's name (not its full path, which differs between machines).
    public var file: String?
    /// The record's id in that file (a PMID, an EndNote rec-number).
    public var recordID: String?

    public init(kind: Kind, file: String? = nil, recordID: String? = nil) {
        self.kind = kind
        self.file = file
        self.recordID = recordID
    }
}

/// The journal a paper appeared in: a registry journal when known, and what the paper itself says.
public struct JournalReference: Sendable, Hashable, Codable {
    public var journalID: String?
    public var title: String
    public var issnPrint: String?
    public var issnElectronic: String?
    public var issnLinking: String?

    public init(
        journalID: String? = nil, title: String, issnPrint: String? = nil, issnElectronic: String? = nil,
        issnLinking: String? = nil
    ) {
        self.journalID = journalID
        self.title = title
        self.issnPrint = issnPrint
        self.issnElectronic = issnElectronic
        self.issnLinking = issnLinking
    }

    /// Every ISSN the paper gives for its journal.
    public var issns: [String] { [issnPrint, issnElectronic, issnLinking].compactMap { $0 } }
}

/// A journal, with its year-by-year index membership and metrics.
public struct Journal: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var title: String
    /// The title in Chinese, for a Chinese journal ("中华小儿外科杂志").
    public var titleZH: String?
    public var isoAbbreviation: String?
    public var issnPrint: String?
    public var issnElectronic: String?
    /// The ISSN-L that links a journal's print and electronic ISSNs.
    public var issnLinking: String?
    public var metrics: [JournalMetrics]

    public init(
        id: String, title: String, isoAbbreviation: String? = nil, issnPrint: String? = nil,
        issnElectronic: String? = nil, issnLinking: String? = nil, metrics: [JournalMetrics] = [],
        titleZH: String? = nil
    ) {
        self.id = id
        self.title = title
        self.titleZH = titleZH
        self.isoAbbreviation = isoAbbreviation
        self.issnPrint = issnPrint
        self.issnElectronic = issnElectronic
        self.issnLinking = issnLinking
        self.metrics = metrics
    }

    /// The metrics for `year`, if loaded.
    public func metrics(for year: Int) -> JournalMetrics? { metrics.first { $0.year == year } }

    /// The list that applies to a paper of `year`: that year's, else the nearest earlier year's. A paper
    /// older than every loaded list has none (a later list says nothing about an earlier year).
    public func metrics(applyingTo year: Int) -> JournalMetrics? {
        metrics.filter { $0.year <= year }.max { $0.year < $1.year }
    }

    /// Every ISSN this journal is known by.
    public var issns: [String] { [issnPrint, issnElectronic, issnLinking].compactMap { $0 } }
}

/// One year of a journal's standing: the indexes that list it and its metrics.
public struct JournalMetrics: Sendable, Hashable, Codable {
    public var year: Int
    public var indexes: [JournalIndex]
    public var impactFactor: DecimalNumber?
    /// JCR quartile, 1–4.
    public var jcrQuartile: Int?
    /// Chinese Academy of Sciences zone, 1–4.
    public var casZone: Int?

    public init(
        year: Int, indexes: [JournalIndex], impactFactor: DecimalNumber? = nil, jcrQuartile: Int? = nil,
        casZone: Int? = nil
    ) {
        self.year = year
        self.indexes = indexes
        self.impactFactor = impactFactor
        self.jcrQuartile = jcrQuartile
        self.casZone = casZone
    }

    /// Counted as an "SCI paper" in Chinese research reporting: listed in SCIE or SSCI. ESCI, the
    /// Emerging Sources index, has no impact factor tier and is not counted as SCI.
    public var isSCI: Bool { indexes.contains { $0 == .scie || $0 == .ssci } }
}

/// Journal lists a department's papers are counted against.
public enum JournalIndex: String, Sendable, Hashable, Codable, CaseIterable {
    case scie = "SCIE"
    case ssci = "SSCI"
    case esci = "ESCI"
    /// Chinese Science Citation Database.
    case cscd = "CSCD"
    /// Peking University core journal list.
    case pkuCore = "PKU-core"
    /// China Science and Technology Paper Citation Database (the "statistical source" list).
    case cstpcd = "CSTPCD"
    case other
}
