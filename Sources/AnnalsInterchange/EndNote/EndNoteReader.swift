import AnnalsDiagnostics
public import AnnalsModel
public import AnnalsXML
public import Foundation

extension DiagnosticError {
    /// A record in an EndNote XML file that cannot become a publication (it has no title, or no record
    /// number), at the line of its `<record>` start tag: `library.xml:12:1: error: EndNote record 42 has no title. ...`
    static func endNoteRecord(
        _ code: Diagnostic.Code = .endnoteIncompleteRecord, file: String, line: Int, message: String
    ) -> DiagnosticError {
        DiagnosticError(Diagnostic(code, file: file, line: line, column: 1, message: message))
    }
}

/// One `<record>` of an EndNote XML file: a publication, or a record that cannot be one.
public enum EndNoteItem: Sendable {
    case publication(Publication)
    /// The `position`-th record of the file (1-based), at `line`, left out for `reason`.
    case skipped(position: Int, line: Int, reason: String)
}

/// Reads EndNote XML exports (`<xml><records><record>…`) as publications.
///
/// Written against exports of EndNote 15 to 21 and of tools that write the same format (Bookends,
/// JabRef): every field is optional except the title and the record number. Text fields may be split into
/// `<style>` runs and hold `&#xD;` line breaks; both are cleaned away. Nothing is attributed to departments
/// or registry people here: that is done later, by the attribution step.
///
/// ```swift
/// try EndNoteReader.read(file: url, displayName: "library.xml") { publication in
///     print(publication.id, publication.title)
/// }
/// ```
public enum EndNoteReader {
    /// Streams the EndNote XML `file`, calling `body` with one publication per `<record>`, in file order.
    ///
    /// Memory stays flat in the size of the file. Records before a problem have already been handed to
    /// `body` when the problem is found, so run the whole read inside one transaction.
    ///
    /// - Parameters:
    ///   - displayName: the file's name in diagnostics.
    /// - Throws: `DiagnosticError` (file, line, column) when the file is not well-formed XML;
    ///   `DiagnosticError` (file, line) for a record that cannot be used, or when the file is not an
    ///   EndNote export at all; or the first error thrown by `body`. `readItems` skips unusable records instead.
    public static func read(file: URL, displayName: String, _ body: (Publication) throws -> Void) throws {
        try stream(file: file, displayName: displayName, skipUnusable: false) { item in
            if case .publication(let publication) = item { try body(publication) }
        }
    }

    /// Streams `file` as `read` does, but a record that cannot be a paper (no title, or Mendeley's "No Title"
    /// placeholder) is handed to `body` as `.skipped` with its position and reason instead of refusing the
    /// file. A file that is not well-formed XML, or not EndNote XML, is still refused.
    public static func readItems(file: URL, displayName: String, _ body: (EndNoteItem) throws -> Void) throws {
        try stream(file: file, displayName: displayName, skipUnusable: true, body)
    }

    private static func stream(
        file: URL, displayName: String, skipUnusable: Bool, _ body: (EndNoteItem) throws -> Void
    ) throws {
        let fileName = file.lastPathComponent
        var position = 0
        // Records without a record number get an id from their content; the same content twice in one
        // file (a library holding a copy) gets "-2", "-3" … in file order, so both are kept and a second
        // import of the file gives the same ids again.
        var contentIDs: [String: Int] = [:]
        try XMLStreamReader.read(
            file: file, displayName: displayName, recordDepth: 2,
            root: { root in
                guard root.name == "xml" else {
                    throw DiagnosticError.endNoteRecord(
                        .endnoteNotEndNote, file: displayName, line: root.line,
                        message: "the root element is <\(root.qualifiedName)>, not <xml>: this is not an EndNote XML "
                            + "export. In EndNote, choose File > Export and save as XML.")
                }
            },
            record: { element in
                guard element.name == "record" else { return }
                position += 1
                var publication: Publication
                do {
                    publication = try Self.publication(from: element, fileName: fileName)
                } catch var error as DiagnosticError {
                    if skipUnusable, error.code == .endnoteIncompleteRecord, let diagnostic = error.diagnostics.first {
                        try body(.skipped(position: position, line: diagnostic.line, reason: diagnostic.message))
                        return
                    }
                    for i in error.diagnostics.indices { error.diagnostics[i].file = displayName }
                    throw error
                }
                if publication.source?.recordID == nil {
                    let seen = contentIDs[publication.id, default: 0] + 1
                    contentIDs[publication.id] = seen
                    if seen > 1 {
                        publication.id = contentID(database: element.child("database"), record: element, copy: seen)
                    }
                }
                try body(.publication(publication))
            })
    }

    /// One `<record>` element as a publication.
    ///
    /// The id is `endnote-` + a slug of the `<database name="…">` attribute + `-` + the `<rec-number>`, so
    /// importing the same export again gives the same ids. A record without a record number (written by
    /// Zotero, Bookends, a CNKI converter or a tool reading an EndNote database) is named by its content
    /// instead: `endnote-<database slug>-c` + 16 hex digits of the SHA-256 of its bibliographic fields.
    ///
    /// - Parameters:
    ///   - fileName: the file's last path component, recorded as the publication's provenance (and named
    ///     by errors).
    /// - Throws: `DiagnosticError` (`endnote.incompleteRecord`) when the record has no title (or only
    ///   Mendeley's "No Title" placeholder), or a record number that cannot form an id.
    public static func publication(from record: AnnalsXML.XMLElement, fileName: String) throws -> Publication {
        let fields = Fields(record)
        let recordNumber = fields.text("rec-number")
        let label = recordNumber.map { "EndNote record \($0)" } ?? "this EndNote record"

        let id: String
        if let recordNumber {
            guard let numbered = publicationID(database: record.child("database"), recordNumber: recordNumber) else {
                throw DiagnosticError.endNoteRecord(
                    file: fileName, line: record.line,
                    message: "\(label) has a record number ('\(recordNumber)') that cannot form an id.")
            }
            id = numbered
        } else {
            id = contentID(database: record.child("database"), record: record)
        }
        guard
            let title = [
                fields.text("titles", "title"), fields.text("titles", "short-title"),
                fields.text("titles", "translated-title"),
            ]
            .compactMap({ $0 }).first(where: { !isPlaceholderTitle($0) })
        else {
            let placeholder = fields.text("titles", "title").map { " (only the placeholder '\($0)')" } ?? ""
            throw DiagnosticError.endNoteRecord(
                file: fileName, line: record.line,
                message: "\(label) has no title\(placeholder), so it cannot be a paper. Add the title in the reference "
                    + "manager and export the library again.")
        }

        let refType = record.child("ref-type")
        let refTypeName = refType?[attribute: "name"].map { collapse($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let kind = Self.kind(name: refTypeName, number: refType.map { collapse($0.text) })

        var publication = Publication(
            id: id, kind: kind, title: MarkupText(plain: title),
            source: Provenance(kind: .endnote, file: fileName, recordID: recordNumber))
        var notes: [String] = []

        // Who.
        publication.authors = names(fields.element("contributors", "authors"))
        if !publication.authors.isEmpty {
            publication.authors[0].isFirst = true
            // EndNote has one address field for the whole record; it is the first author's.
            publication.authors[0].affiliations = fields.lines("auth-address")
        }
        publication.editors = names(fields.element("contributors", "secondary-authors"))
        if isThesis(name: refTypeName, number: refType.map { collapse($0.text) }) {
            // A thesis's supervisor is its tertiary author (EndNote's "Advisor"; CNKI's 导师).
            let supervisors = names(fields.element("contributors", "tertiary-authors"))
            if !supervisors.isEmpty { publication.supervisors = supervisors }
        }

        // Where.
        let secondaryTitle = fields.text("titles", "secondary-title")
        let periodical = fields.text("periodical", "full-title")
        let journalTitle: String?
        switch kind {
        case .bookChapter:
            publication.bookTitle = secondaryTitle
            journalTitle = nil
        case .book:
            publication.bookTitle = title
            journalTitle = nil
        case .conferencePaper:
            publication.bookTitle = secondaryTitle
            journalTitle = periodical
        default:
            journalTitle = secondaryTitle ?? periodical ?? fields.text("alt-periodical", "full-title")
        }
        if let journalTitle {
            let issn = issns(fields.rawText("isbn") ?? "")
            publication.journal = JournalReference(
                title: journalTitle, issnPrint: issn.print, issnElectronic: issn.electronic)
        }
        if kind == .journalArticle, title.hasPrefix("["), let original = fields.text("orig-pub") {
            // PubMed brackets a translated title ("[Anti-Alzheimer drugs: ...]") and EndNote files the
            // original-language title (PubMed's VernacularTitle) as "Original Publication".
            publication.vernacularTitle = original
        }
        publication.volume = fields.text("volume")
        publication.issue = fields.text("number")
        publication.pages = fields.text("pages")
        publication.publisher = fields.text("publisher")

        // When.
        let yearText = fields.text("dates", "year")
        if let year = yearText.flatMap(firstYear) {
            let monthNumber = fields.text("dates", "pub-dates", "date").flatMap { Self.month(in: $0, year: year) }
            publication.published = PartialDate(year: year, month: monthNumber) ?? PartialDate(year: year)
        } else if let yearText {
            notes.append("year: \(yearText)")  // "in press", "submitted", "待发表"
        }

        // Identifiers.
        let doiField = fields.text("electronic-resource-num")
        publication.doi = fields.rawText("electronic-resource-num").flatMap(doi)
        if let doiField, publication.doi == nil {
            notes.append("electronic-resource-num (not a DOI): \(doiField)")  // an ISBN, a URL, a PII
        }
        publication.pmid =
            fields.text("accession-num").flatMap(pmidIfDigits)
            ?? fields.text("notes").flatMap(pmidInNotes)

        // Description.
        publication.languages = languages(fields.rawText("language") ?? "")
        publication.keywords = unique(fields.elements("keywords", "keyword").flatMap { lines($0.text) })
        publication.abstract = fields.text("abstract").map { MarkupText(plain: $0) }
        publication.publicationTypes = unique([refTypeName, fields.text("work-type")].compactMap { $0 })
        if !notes.isEmpty { publication.notes = notes }
        return publication
    }
}

// MARK: - Fields

extension EndNoteReader {
    /// Paths into a record, giving cleaned text.
    private struct Fields {
        let record: AnnalsXML.XMLElement

        init(_ record: AnnalsXML.XMLElement) { self.record = record }

        func element(_ path: String...) -> AnnalsXML.XMLElement? { element(path) }

        func element(_ path: [String]) -> AnnalsXML.XMLElement? {
            var current = record
            for name in path {
                guard let next = current.child(name) else { return nil }
                current = next
            }
            return current
        }

        /// Every element named by the last step of `path`, under the element named by the others.
        func elements(_ path: String...) -> [AnnalsXML.XMLElement] {
            guard let last = path.last, let parent = element(Array(path.dropLast())) else { return [] }
            return parent.children(last)
        }

        /// All the text of the field, style runs joined, line breaks kept.
        func rawText(_ path: String...) -> String? { element(path)?.text }

        /// The field's text on one line, whitespace collapsed; nil when absent or empty.
        func text(_ path: String...) -> String? {
            guard let element = element(path) else { return nil }
            let text = collapse(element.text)
            return text.isEmpty ? nil : text
        }

        /// The field's lines (EndNote separates list items with `&#xD;`), each cleaned, empty ones left out.
        func lines(_ path: String...) -> [String] {
            element(path).map { EndNoteReader.lines($0.text) } ?? []
        }
    }

    /// XML whitespace (space, tab, CR, LF; CR LF is one `Character`).
    private static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n"
    }

    /// The text with each run of whitespace made one space, trimmed.
    static func collapse(_ text: some StringProtocol) -> String {
        var result = ""
        var pendingSpace = false
        for c in text {
            if isSpace(c) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(c)
        }
        return result
    }

    /// The text split at line breaks, each line collapsed, empty lines left out.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(collapse).filter { !$0.isEmpty }
    }

    /// `values` without repeats, in first-seen order.
    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

// MARK: - Id and kind

extension EndNoteReader {
    /// `endnote-<database slug>-<rec-number>`, or nil when the record number has nothing usable in it.
    static func publicationID(database: AnnalsXML.XMLElement?, recordNumber: String) -> String? {
        let number = slug(recordNumber)
        guard !number.text.isEmpty, number.text.count <= 100 else { return nil }
        let name =
            database?[attribute: "name"].map { collapse($0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? database.map { collapse($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
        var base = "db"
        if let name {
            let s = slug(name)
            var text = s.text
            // Letters outside ASCII (a Chinese library name) vanish from the slug; a short hash of the whole
            // name keeps two such libraries apart.
            if s.droppedNonASCII { text += (text.isEmpty ? "" : "-") + fnv1a(name) }
            if !text.isEmpty { base = text }
        }
        let room = 128 - "endnote-".count - 1 - number.text.count
        if base.count > room {
            base = String(base.prefix(room))
            while base.hasSuffix("-") { base.removeLast() }
        }
        return "endnote-\(base)-\(number.text)"
    }

    /// Fields left out of a content id: where the library lives, its own numbering, links to files and
    /// dates of access, which change when the same record is exported from another copy of the library.
    private static let volatileFields: Set<String> = [
        "database", "source-app", "rec-number", "foreign-keys", "urls", "access-date", "modified-date", "label",
        "research-notes",
    ]

    /// `endnote-<database slug>-c<16 hex digits>`: the SHA-256 of the record's fields (names and cleaned text, in
    /// file order, volatile fields left out), for records without a record number. Two records that differ in any
    /// bibliographic field get different ids; the same record exported again gets the same id.
    /// `copy` 2, 3 … names the second, third … record of the same content in one file (`…-c<hex>-2`).
    static func contentID(database: AnnalsXML.XMLElement?, record: AnnalsXML.XMLElement, copy: Int = 1) -> String {
        var hash = SHA256()
        func add(_ element: AnnalsXML.XMLElement, depth: Int) {
            let children = element.elements.filter { $0.name != "style" }
            hash.update(Array("\u{1}\(depth)\u{2}\(element.name)\u{3}".utf8))
            if children.isEmpty {
                hash.update(Array(collapse(element.text).utf8))
            } else {
                for child in children { add(child, depth: depth + 1) }
            }
        }
        for field in record.elements where !volatileFields.contains(field.name) { add(field, depth: 0) }
        let digest = "c" + hash.finalize().prefix(16) + (copy > 1 ? "-\(copy)" : "")
        return publicationID(database: database, recordNumber: digest) ?? "endnote-db-\(digest)"
    }

    /// Mendeley writes "No Title" for a document it could not name; other tools "[No title]" or "Untitled".
    static func isPlaceholderTitle(_ title: String) -> Bool {
        var key = title.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]().: "))
        key = key.replacingOccurrences(of: "  ", with: " ")
        return key == "no title" || key == "untitled" || key == "no title available" || key == "无标题"
    }

    /// True for EndNote's Thesis reference type (by name, or number 32 when the name is missing or localised).
    static func isThesis(name: String?, number: String?) -> Bool {
        if let name, ["thesis", "dissertation", "学位论文"].contains(name.lowercased()) { return true }
        return number.flatMap { Int($0) } == 32
    }

    /// Lower-case ASCII letters and digits, every other run of characters made one `-`, trimmed of `-`.
    private static func slug(_ text: String) -> (text: String, droppedNonASCII: Bool) {
        var result = ""
        var droppedNonASCII = false
        var pendingHyphen = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isLower = v >= 0x61 && v <= 0x7A
            let isUpper = v >= 0x41 && v <= 0x5A
            let isDigit = v >= 0x30 && v <= 0x39
            if isLower || isUpper || isDigit {
                if pendingHyphen, !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(isUpper ? Unicode.Scalar(v + 0x20)! : scalar)
            } else {
                if v > 0x7F, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    droppedNonASCII = true
                }
                pendingHyphen = true
            }
        }
        return (result, droppedNonASCII)
    }

    /// The 32-bit FNV-1a hash of the UTF-8 bytes, as 8 hex digits: short, stable across platforms and runs.
    private static func fnv1a(_ text: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The kind from `<ref-type name="…">N</ref-type>`: by name, else by EndNote's number.
    static func kind(name: String?, number: String?) -> Publication.Kind {
        switch name?.lowercased() {
        case "journal article", "electronic article": return .journalArticle
        case "book", "edited book", "electronic book": return .book
        case "book section", "electronic book section": return .bookChapter
        case "conference proceedings", "conference paper": return .conferencePaper
        default: break  // no name, or one EndNote localised ("Zeitschriftenartikel"): the number decides
        }
        switch number.flatMap({ Int($0) }) {
        case 17, 43: return .journalArticle
        case 6, 28, 44: return .book
        case 5, 60: return .bookChapter
        case 10, 47: return .conferencePaper
        default: return .other
        }
    }
}

// MARK: - Names

extension EndNoteReader {
    /// The `<author>` children of `list`, as authors (none for an absent or empty list). A list holding its
    /// names as text without `<author>` elements (CNKI converters write `<tertiary-authors><style>林景全</style>`)
    /// is read as names separated by semicolons.
    private static func names(_ list: AnnalsXML.XMLElement?) -> [Author] {
        guard let list else { return [] }
        let authors = list.children("author")
        if authors.isEmpty {
            return list.text.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "\r" || $0 == "\n" })
                .compactMap { author(collapse($0)) }
        }
        return authors.compactMap { author(collapse($0.text)) }
    }

    /// Words that mark a group author written without a comma ("ACME Study Group").
    private static let groupWords: Set<String> = [
        "group", "groups", "consortium", "committee", "collaboration", "collaborative", "collaborators", "network",
        "society", "association", "organization", "organisation", "investigators", "team", "council", "alliance",
        "initiative", "institute", "federation", "taskforce",
    ]

    /// Lower-case particles that belong to the family name in "Given Family" order ("Ludwig van Beethoven").
    private static let particles: Set<String> = [
        "van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "dos", "das", "ter", "ten",
    ]

    /// One EndNote name: "Family, Given", "Family, G. H.", "Given Family", "高志刚", or a group ("ACME Group,").
    static func author(_ name: String) -> Author? {
        guard !name.isEmpty else { return nil }
        if let comma = name.firstIndex(of: ",") {
            let family = collapse(name[..<comma])
            var given = Substring(name[name.index(after: comma)...])
            var suffix = ""
            if let second = given.firstIndex(of: ",") {
                suffix = collapse(given[given.index(after: second)...])  // "Jr.", "III"
                given = given[..<second]
            }
            let givenText = collapse(given)
            if family.isEmpty { return givenText.isEmpty ? nil : author(givenText) }
            if givenText.isEmpty {
                // EndNote writes a group author with a trailing comma so it is not split: "World Health Organization,".
                if family.contains(" "), !containsCJK(family) { return Author(collectiveName: family) }
                return Author(familyName: family)
            }
            return person(family: family, given: givenText, suffix: suffix)
        }
        if containsCJK(name) { return chineseName(name) }
        let words = name.split(separator: " ").map(String.init)
        if words.count > 1, words.contains(where: { groupWords.contains($0.lowercased()) }) {
            return Author(collectiveName: name)
        }
        guard words.count > 1 else { return Author(familyName: name) }
        // "Gao ZG", "Smith J": MEDLINE's "Family Initials" order.
        if words.count == 2, isInitials(words[1]), !isInitials(words[0]) {
            return Author(familyName: words[0], initials: initialLetters(words[1]))
        }
        var familyStart = words.count - 1
        while familyStart > 1, particles.contains(words[familyStart - 1]) { familyStart -= 1 }
        let family = words[familyStart...].joined(separator: " ")
        let given = words[..<familyStart].joined(separator: " ")
        return person(family: family, given: given, suffix: "")
    }

    /// A person with a family name and a given part that is either initials or a given name.
    private static func person(family: String, given: String, suffix: String) -> Author {
        if isInitials(given) {
            return Author(familyName: family, initials: initialLetters(given))
        }
        let givenName = suffix.isEmpty ? given : "\(given) \(suffix)"
        return Author(
            familyName: family, givenName: givenName, initials: containsCJK(given) ? nil : initials(of: given))
    }

    /// A Chinese (or other CJK) name without a comma, kept exactly: family name first.
    /// Split by `ChineseName`, which knows the two-character family names (欧阳, 司马, 诸葛 …).
    private static func chineseName(_ name: String) -> Author {
        let parts = name.split(separator: " ").map(String.init)
        if parts.count == 2 { return Author(familyName: parts[0], givenName: parts[1]) }
        guard parts.count == 1, name.count > 1 else { return Author(familyName: name) }
        if let split = ChineseName.split(name) { return Author(familyName: split.family, givenName: split.given) }
        return Author(familyName: String(name.prefix(1)), givenName: String(name.dropFirst()))  // Korean, Japanese kana
    }

    /// True when `given` holds only initials: "G.", "G. H.", "G.H.", "Z.-G.", "GH".
    private static func isInitials(_ given: String) -> Bool {
        let tokens = given.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "-" })
        guard !tokens.isEmpty else { return false }
        let hasDot = given.contains(".")
        return tokens.allSatisfy { token in
            guard token.allSatisfy(\.isLetter), !token.contains(where: isCJK) else { return false }
            if token.count == 1 { return true }
            // "GH" without dots: upper-case letters only, at most three.
            return !hasDot && token.count <= 3 && token.allSatisfy(\.isUppercase)
        }
    }

    /// The letters of an initials-only given part, upper case: "G. H." → "GH".
    private static func initialLetters(_ given: String) -> String {
        String(given.filter(\.isLetter)).uppercased()
    }

    /// The first letter of each word and hyphenated part of a given name: "Zhi-Gang" → "ZG", "Timothy S." → "TS".
    private static func initials(of given: String) -> String? {
        let parts = given.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "." })
        let letters = parts.compactMap { $0.first(where: \.isLetter) }
        return letters.isEmpty ? nil : String(letters).uppercased()
    }

    /// True for Chinese, Japanese and Korean characters.
    private static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.contains { s in
            switch s.value {
            case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F:
                return true
            default:
                return false
            }
        }
    }

    private static func containsCJK(_ text: some StringProtocol) -> Bool { text.contains(where: isCJK) }
}

// MARK: - Identifiers, dates, languages

extension EndNoteReader {
    /// ISSNs in EndNote's ISBN/ISSN field ("1531-5037 (Electronic)&#xD;0022-3468 (Linking)"), with a correct
    /// check digit. Labels decide where each goes; unlabelled ones fill print, then electronic; a linking ISSN
    /// stands in for a missing print one. ISBNs are not ISSNs and are left out.
    static func issns(_ text: String) -> (print: String?, electronic: String?) {
        let chars = Array(text)
        var found: [(issn: String, start: Int, end: Int)] = []
        var i = 0
        while i + 9 <= chars.count {
            if let match = issn(at: i, in: chars) {
                found.append((match, i, i + 9))
                i += 9
            } else {
                i += 1
            }
        }
        var labelled: (print: String?, electronic: String?, linking: String?) = (nil, nil, nil)
        var unlabelled: [String] = []
        for (n, match) in found.enumerated() {
            let labelEnd = n + 1 < found.count ? found[n + 1].start : chars.count
            let label = String(chars[match.end..<labelEnd]).lowercased()
            if label.contains("electronic") || label.contains("online") {
                labelled.electronic = labelled.electronic ?? match.issn
            } else if label.contains("print") {
                labelled.print = labelled.print ?? match.issn
            } else if label.contains("linking") {
                labelled.linking = labelled.linking ?? match.issn
            } else {
                unlabelled.append(match.issn)
            }
        }
        var print = labelled.print
        var electronic = labelled.electronic
        for issn in unlabelled where issn != print && issn != electronic {
            if print == nil {
                print = issn
            } else if electronic == nil {
                electronic = issn
            }
        }
        if print == nil, let linking = labelled.linking, linking != electronic { print = linking }
        return (print, electronic)
    }

    /// The ISSN starting at `i` ("NNNN-NNNC", C a digit or X), standing alone and with a correct check digit.
    private static func issn(at i: Int, in chars: [Character]) -> String? {
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        let candidate = chars[i..<i + 9]
        guard
            candidate.enumerated().allSatisfy({ offset, c in
                switch offset {
                case 4: return c == "-"
                case 8: return isDigit(c) || c == "X" || c == "x"
                default: return isDigit(c)
                }
            })
        else { return nil }
        // Not part of a longer number or an ISBN's hyphenated groups.
        if i > 0, isDigit(chars[i - 1]) || chars[i - 1] == "-" || chars[i - 1].isLetter { return nil }
        if i + 9 < chars.count, isDigit(chars[i + 9]) || chars[i + 9] == "-" { return nil }
        let digits = candidate.filter { $0 != "-" }.map { $0 == "x" || $0 == "X" ? 10 : Int(String($0))! }
        let sum = zip(digits.prefix(7), (2...8).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
        guard (11 - sum % 11) % 11 == digits[7] else { return nil }
        return String(candidate).uppercased()
    }

    /// The first DOI among the field's words ("10.1111/ijd.13349", "https://dx.doi.org/10…", "10… [doi]").
    static func doi(_ text: String) -> String? {
        for word in text.split(whereSeparator: isSpace) {
            if let doi = DOI.normalize(String(word)) { return doi }
        }
        return nil
    }

    /// The accession number as a PMID when it is 1–9 digits (Web of Science "ISI:000…" numbers are not).
    private static func pmidIfDigits(_ text: String) -> String? {
        (1...9).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber } ? text : nil
    }

    /// A PMID written in the notes as "PMID: 34520387" or (CINAHL) "PMID: NLM34520387".
    private static func pmidInNotes(_ notes: String) -> String? {
        var rest = Substring(notes)
        while let range = rest.range(of: "PMID") {
            var tail = rest[range.upperBound...].drop(while: { $0 == ":" || $0 == " " })
            if tail.hasPrefix("NLM") { tail = tail.dropFirst(3) }
            let digits = tail.prefix(while: { $0.isASCII && $0.isNumber })
            let after = tail.dropFirst(digits.count).first
            if (1...9).contains(digits.count), after.map({ !($0.isLetter || $0.isNumber) }) ?? true {
                return String(digits)
            }
            rest = rest[range.upperBound...]
        }
        return nil
    }

    /// The first four-digit year in the text ("2016", "[2016]", "2016 Dec").
    private static func firstYear(_ text: String) -> Int? {
        let chars = Array(text)
        var i = 0
        while i + 4 <= chars.count {
            let window = chars[i..<i + 4]
            let before = i > 0 ? chars[i - 1] : " "
            let after = i + 4 < chars.count ? chars[i + 4] : " "
            if window.allSatisfy({ $0.isASCII && $0.isNumber }), !(before.isASCII && before.isNumber),
                !(after.isASCII && after.isNumber)
            {
                return Int(String(window))
            }
            i += 1
        }
        return nil
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ]

    /// The month in EndNote's date field: "Jan", "January", "Sept.", "01", "Oct 12", "07 01" (month, day),
    /// "2016/11/05". A range ("Sep-Oct") or a season gives none: the date says more than one month.
    static func month(in text: String, year: Int) -> Int? {
        let numeric = text.split(whereSeparator: { $0 == "/" || $0 == "-" })
        if numeric.count >= 2, numeric[0].count == 4, Int(numeric[0]) == year,
            numeric.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        {
            return Int(numeric[1]).flatMap { (1...12).contains($0) ? $0 : nil }
        }
        guard let first = text.split(separator: " ").first, !first.contains("-"), !first.contains("/") else {
            return nil
        }
        var token = first.lowercased()
        if token.hasSuffix(".") || token.hasSuffix(",") { token.removeLast() }
        if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard token.count <= 2, let n = Int(token), (1...12).contains(n) else { return nil }
            return n
        }
        guard token.count >= 3 else { return nil }
        return monthNames.firstIndex { $0.hasPrefix(token) }.map { $0 + 1 }
    }

    /// Language names and codes as ISO 639-2 bibliographic codes.
    private static let languageCodes: [String: String] = [
        "english": "eng", "chinese": "chi", "german": "ger", "spanish": "spa", "french": "fre",
        "japanese": "jpn", "korean": "kor", "portuguese": "por", "italian": "ita", "russian": "rus", "dutch": "dut",
        "polish": "pol", "turkish": "tur", "swedish": "swe", "norwegian": "nor", "danish": "dan", "czech": "cze",
        "hungarian": "hun", "greek": "gre", "arabic": "ara", "persian": "per", "hebrew": "heb",
        "中文": "chi", "汉语": "chi", "英文": "eng", "英语": "eng",
    ]

    /// The languages of the field ("English", "eng", "English; Chinese"), as codes, in order; unknown ones left out.
    static func languages(_ text: String) -> [String] {
        let names = text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
        var codes: [String] = []
        for name in names.map(collapse) where !name.isEmpty {
            let code: String?
            if name.count == 3, name.allSatisfy({ $0.isASCII && $0.isLowercase }) {
                code = name
            } else {
                code = languageCodes[name.lowercased()]
            }
            if let code, !codes.contains(code) { codes.append(code) }
        }
        return codes
    }
}
