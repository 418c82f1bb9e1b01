/// The canonical JSON form of a publication, written directly: byte for byte what `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` writes for its `Codable` conformance (keys in sorted order,
/// nil optionals left out), about ten times faster. Publications are the one record imported by the
/// ten thousand (a PubMed baseline file), so their stored form is written here; the tests compare it
/// with `JSONEncoder` for every corpus record and check that every stored property is written.
extension Publication {
    /// The record as canonical JSON, as the store keeps it.
    public var canonicalJSON: String {
        var json = CanonicalJSONWriter()
        json.write(self)
        return json.string
    }
}

/// Writes canonical JSON into a byte buffer. Each `write` of a record type lists its keys in sorted order.
struct CanonicalJSONWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: - Records (keys in sorted order)

    mutating func write(_ p: Publication) {
        var o = ObjectState()
        if let abstract = p.abstract {
            key("abstract", &o)
            write(abstract)
        }
        key("authors", &o)
        array(p.authors) { $0.write($1) }
        if let bookTitle = p.bookTitle {
            key("bookTitle", &o)
            string(bookTitle)
        }
        key("departmentIDs", &o)
        strings(p.departmentIDs)
        if let doi = p.doi {
            key("doi", &o)
            string(doi)
        }
        key("editors", &o)
        array(p.editors) { $0.write($1) }
        key("grants", &o)
        array(p.grants) { $0.write($1) }
        key("id", &o)
        string(p.id)
        if let issue = p.issue {
            key("issue", &o)
            string(issue)
        }
        if let journal = p.journal {
            key("journal", &o)
            write(journal)
        }
        key("keywords", &o)
        strings(p.keywords)
        key("kind", &o)
        string(p.kind.rawValue)
        key("languages", &o)
        strings(p.languages)
        key("meshHeadings", &o)
        strings(p.meshHeadings)
        if let notes = p.notes {
            key("notes", &o)
            strings(notes)
        }
        key("notices", &o)
        array(p.notices) { $0.write($1) }
        if let pages = p.pages {
            key("pages", &o)
            string(pages)
        }
        if let pmcid = p.pmcid {
            key("pmcid", &o)
            string(pmcid)
        }
        if let pmid = p.pmid {
            key("pmid", &o)
            string(pmid)
        }
        key("projectIDs", &o)
        strings(p.projectIDs)
        key("publicationTypes", &o)
        strings(p.publicationTypes)
        if let published = p.published {
            key("published", &o)
            string(published.description)
        }
        if let publisher = p.publisher {
            key("publisher", &o)
            string(publisher)
        }
        if let revised = p.revised {
            key("revised", &o)
            string(revised.description)
        }
        if let source = p.source {
            key("source", &o)
            write(source)
        }
        if let supervisors = p.supervisors {
            key("supervisors", &o)
            array(supervisors) { $0.write($1) }
        }
        key("title", &o)
        write(p.title)
        if let vernacularTitle = p.vernacularTitle {
            key("vernacularTitle", &o)
            string(vernacularTitle)
        }
        if let volume = p.volume {
            key("volume", &o)
            string(volume)
        }
        close(o)
    }

    mutating func write(_ a: Author) {
        var o = ObjectState()
        key("affiliations", &o)
        strings(a.affiliations)
        if let collectiveName = a.collectiveName {
            key("collectiveName", &o)
            string(collectiveName)
        }
        key("equalContribution", &o)
        bool(a.equalContribution)
        if let familyName = a.familyName {
            key("familyName", &o)
            string(familyName)
        }
        if let givenName = a.givenName {
            key("givenName", &o)
            string(givenName)
        }
        if let initials = a.initials {
            key("initials", &o)
            string(initials)
        }
        key("isCorresponding", &o)
        bool(a.isCorresponding)
        key("isFirst", &o)
        bool(a.isFirst)
        if let orcid = a.orcid {
            key("orcid", &o)
            string(orcid)
        }
        if let personID = a.personID {
            key("personID", &o)
            string(personID)
        }
        close(o)
    }

    mutating func write(_ g: Publication.Grant) {
        var o = ObjectState()
        if let agency = g.agency {
            key("agency", &o)
            string(agency)
        }
        if let country = g.country {
            key("country", &o)
            string(country)
        }
        if let id = g.id {
            key("id", &o)
            string(id)
        }
        close(o)
    }

    mutating func write(_ n: Publication.Notice) {
        var o = ObjectState()
        key("kind", &o)
        string(n.kind.rawValue)
        key("reference", &o)
        string(n.reference)
        close(o)
    }

    mutating func write(_ j: JournalReference) {
        var o = ObjectState()
        if let issnElectronic = j.issnElectronic {
            key("issnElectronic", &o)
            string(issnElectronic)
        }
        if let issnLinking = j.issnLinking {
            key("issnLinking", &o)
            string(issnLinking)
        }
        if let issnPrint = j.issnPrint {
            key("issnPrint", &o)
            string(issnPrint)
        }
        if let journalID = j.journalID {
            key("journalID", &o)
            string(journalID)
        }
        key("title", &o)
        string(j.title)
        close(o)
    }

    mutating func write(_ s: Provenance) {
        var o = ObjectState()
        if let file = s.file {
            key("file", &o)
            string(file)
        }
        key("kind", &o)
        string(s.kind.rawValue)
        if let recordID = s.recordID {
            key("recordID", &o)
            string(recordID)
        }
        close(o)
    }

    mutating func write(_ m: MarkupText) {
        var o = ObjectState()
        key("markup", &o)
        string(m.markup)
        close(o)
    }

    // MARK: - JSON

    /// Whether an object has had a member yet; the opening brace is written with the first key.
    struct ObjectState {
        var opened = false
    }

    private mutating func key(_ name: StaticString, _ state: inout ObjectState) {
        bytes.append(state.opened ? UInt8(ascii: ",") : UInt8(ascii: "{"))
        state.opened = true
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func close(_ state: ObjectState) {
        if !state.opened { bytes.append(UInt8(ascii: "{")) }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
        }
    }

    private mutating func array<T>(_ items: [T], _ element: (inout Self, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func strings(_ items: [String]) {
        array(items) { $0.string($1) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string, escaped as Foundation's `JSONEncoder` escapes it (slashes left as they are).
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)],
                    ])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
