extension Publication {
    /// Reads the canonical JSON form back (`canonicalJSON`, the form the store keeps), several times faster than
    /// `JSONDecoder`: a report reads thousands of papers whole for their citations.
    ///
    /// Nil when the text is not exactly a publication in that form — a key it does not know, a required key missing,
    /// a `null`, a value of another type, a date that is not one, anything after the end — so that the caller falls
    /// back to `JSONDecoder`, which reads every form the `Codable` conformance accepts and says what is wrong with
    /// the rest. Whatever this returns, `JSONDecoder` returns too (the tests compare the two).
    public init?(canonicalJSON text: String) {
        var text = text
        let read = text.withUTF8 { bytes -> Publication? in
            var reader = CanonicalJSONReader(bytes)
            guard let publication = reader.publication(), reader.atEnd else { return nil }
            return publication
        }
        guard let read else { return nil }
        self = read
    }
}

/// Reads the JSON `CanonicalJSONWriter` writes: objects, arrays, strings and booleans. Every method returns nil
/// (or false) at the first thing it does not expect, leaving the reader where it stopped.
struct CanonicalJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    // MARK: - Records

    /// The required keys of a publication, as bits: the non-optional properties, which `JSONDecoder` requires too.
    private static let publicationRequired: UInt32 = (1 << 13) - 1

    mutating func publication() -> Publication? {
        var p = Publication(id: "", kind: .other, title: MarkupText(markup: ""))
        var seen: UInt32 = 0
        let read = object { r, key in
            switch key {
            case "abstract": return r.set(&p.abstract, r.markup())
            case "authors": return r.required(&p.authors, r.authors(), bit: 0, &seen)
            case "bookTitle": return r.set(&p.bookTitle, r.string())
            case "departmentIDs": return r.required(&p.departmentIDs, r.strings(), bit: 1, &seen)
            case "doi": return r.set(&p.doi, r.string())
            case "editors": return r.required(&p.editors, r.authors(), bit: 2, &seen)
            case "grants": return r.required(&p.grants, r.array { $0.grant() }, bit: 3, &seen)
            case "id": return r.required(&p.id, r.string(), bit: 4, &seen)
            case "issue": return r.set(&p.issue, r.string())
            case "journal": return r.set(&p.journal, r.journal())
            case "keywords": return r.required(&p.keywords, r.strings(), bit: 5, &seen)
            case "kind": return r.required(&p.kind, r.string().flatMap(Publication.Kind.init), bit: 6, &seen)
            case "languages": return r.required(&p.languages, r.strings(), bit: 7, &seen)
            case "meshHeadings": return r.required(&p.meshHeadings, r.strings(), bit: 8, &seen)
            case "notes": return r.set(&p.notes, r.strings())
            case "notices": return r.required(&p.notices, r.array { $0.notice() }, bit: 9, &seen)
            case "pages": return r.set(&p.pages, r.string())
            case "pmcid": return r.set(&p.pmcid, r.string())
            case "pmid": return r.set(&p.pmid, r.string())
            case "projectIDs": return r.required(&p.projectIDs, r.strings(), bit: 10, &seen)
            case "publicationTypes": return r.required(&p.publicationTypes, r.strings(), bit: 11, &seen)
            case "published": return r.set(&p.published, r.string().flatMap(PartialDate.init))
            case "publisher": return r.set(&p.publisher, r.string())
            case "revised": return r.set(&p.revised, r.string().flatMap(PartialDate.init))
            case "source": return r.set(&p.source, r.provenance())
            case "supervisors": return r.set(&p.supervisors, r.authors())
            case "title": return r.required(&p.title, r.markup(), bit: 12, &seen)
            case "vernacularTitle": return r.set(&p.vernacularTitle, r.string())
            case "volume": return r.set(&p.volume, r.string())
            default: return false
            }
        }
        guard read, seen == Self.publicationRequired else { return nil }
        return p
    }

    private mutating func authors() -> [Author]? { array { $0.author() } }

    private mutating func author() -> Author? {
        var a = Author()
        var seen: UInt32 = 0
        let read = object { r, key in
            switch key {
            case "affiliations": return r.required(&a.affiliations, r.strings(), bit: 0, &seen)
            case "collectiveName": return r.set(&a.collectiveName, r.string())
            case "equalContribution": return r.required(&a.equalContribution, r.bool(), bit: 1, &seen)
            case "familyName": return r.set(&a.familyName, r.string())
            case "givenName": return r.set(&a.givenName, r.string())
            case "initials": return r.set(&a.initials, r.string())
            case "isCorresponding": return r.required(&a.isCorresponding, r.bool(), bit: 2, &seen)
            case "isFirst": return r.required(&a.isFirst, r.bool(), bit: 3, &seen)
            case "orcid": return r.set(&a.orcid, r.string())
            case "personID": return r.set(&a.personID, r.string())
            default: return false
            }
        }
        return read && seen == 0b1111 ? a : nil
    }

    private mutating func grant() -> Publication.Grant? {
        var g = Publication.Grant()
        let read = object { r, key in
            switch key {
            case "agency": return r.set(&g.agency, r.string())
            case "country": return r.set(&g.country, r.string())
            case "id": return r.set(&g.id, r.string())
            default: return false
            }
        }
        return read ? g : nil
    }

    private mutating func notice() -> Publication.Notice? {
        var kind: Publication.Notice.Kind?
        var reference: String?
        let read = object { r, key in
            switch key {
            case "kind": return r.set(&kind, r.string().flatMap(Publication.Notice.Kind.init))
            case "reference": return r.set(&reference, r.string())
            default: return false
            }
        }
        guard read, let kind, let reference else { return nil }
        return Publication.Notice(kind: kind, reference: reference)
    }

    private mutating func journal() -> JournalReference? {
        var j = JournalReference(title: "")
        var titled = false
        let read = object { r, key in
            switch key {
            case "issnElectronic": return r.set(&j.issnElectronic, r.string())
            case "issnLinking": return r.set(&j.issnLinking, r.string())
            case "issnPrint": return r.set(&j.issnPrint, r.string())
            case "journalID": return r.set(&j.journalID, r.string())
            case "title":
                titled = true
                return r.assign(&j.title, r.string())
            default: return false
            }
        }
        return read && titled ? j : nil
    }

    private mutating func provenance() -> Provenance? {
        var kind: Provenance.Kind?
        var file: String?
        var recordID: String?
        let read = object { r, key in
            switch key {
            case "file": return r.set(&file, r.string())
            case "kind": return r.set(&kind, r.string().flatMap(Provenance.Kind.init))
            case "recordID": return r.set(&recordID, r.string())
            default: return false
            }
        }
        guard read, let kind else { return nil }
        return Provenance(kind: kind, file: file, recordID: recordID)
    }

    private mutating func markup() -> MarkupText? {
        var markup: String?
        let read = object { r, key in key == "markup" ? r.set(&markup, r.string()) : false }
        guard read, let markup else { return nil }
        return MarkupText(markup: markup)
    }

    /// Stores `value` when there is one; false (stop) when there is none.
    private func set<T>(_ target: inout T?, _ value: T?) -> Bool {
        guard let value else { return false }
        target = value
        return true
    }

    /// Stores `value` into a member that is not optional; false (stop) when there is none.
    private func assign<T>(_ target: inout T, _ value: T?) -> Bool {
        guard let value else { return false }
        target = value
        return true
    }

    /// Stores a required member's `value` and notes it in `seen`.
    private func required<T>(_ target: inout T, _ value: T?, bit: UInt32, _ seen: inout UInt32) -> Bool {
        guard let value else { return false }
        target = value
        seen |= 1 << bit
        return true
    }

    // MARK: - JSON

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// An object; `member` reads the value of each key and says whether it could.
    private mutating func object(_ member: (inout Self, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func array<T>(_ element: (inout Self) -> T?) -> [T]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [T] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = element(&self) else { return nil }
            items.append(item)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    private mutating func strings() -> [String]? { array { $0.string() } }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)

    private mutating func bool() -> Bool? {
        skipSpace()
        for (word, value) in [(Self.trueBytes, true), (Self.falseBytes, false)]
        where index + word.count <= bytes.count && bytes[index..<index + word.count].elementsEqual(word) {
            index += word.count
            return value
        }
        return nil
    }

    /// A string: its bytes as they are up to the first escape, then escape by escape (`\uXXXX` with surrogate
    /// pairs). Nil for a control character, a broken escape or an unpaired surrogate, which JSON does not allow.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        // The low half follows at once: `\uDC00`, no space between.
                        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { return nil }
                        index += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    text.append(contentsOf: String(Character(unicode)).utf8)
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                text.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            index += 1
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
