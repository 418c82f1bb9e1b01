public import AnnalsModel
import Foundation

/// Credits imported papers to the registry's departments and people.
///
/// An author is taken to be a registry person only when the name matches one of the person's written
/// forms AND one of the author's own affiliations names the institution. A name that matches without
/// that evidence (no affiliation given, or several people match) goes to the review list instead.
/// A department is credited when an affiliation names both the institution and the department, or
/// through a credited person who belongs to one department only.
public struct Attributor: Sendable {
    struct Candidate: Sendable {
        var person: Person
        /// Compact forms of the given name ("zhigang") and the initials accepted ("zg", "z").
        var givenNames: Set<String>
        var initials: Set<String>
        var chineseNames: Set<String>
    }

    private let institutionPatterns: [String]
    private let departmentPatterns: [(department: String, pattern: String)]
    private let peopleByFamily: [String: [Candidate]]
    private let peopleByChineseName: [String: [Candidate]]
    private let projectsByGrant: [String: String]

    /// An author who may be a registry person, for the review list.
    public struct Uncertain: Sendable, Hashable {
        public var authorPosition: Int
        public var authorName: String
        public var personID: String
        public var reason: String
    }

    public init(orgUnits: [OrgUnit], people: [Person], projects: [Project]) {
        institutionPatterns = orgUnits.filter { $0.kind == .hospital }.flatMap(\.affiliationPatterns).map(
            Self.affiliationKey
        )
        .filter { !$0.isEmpty }
        departmentPatterns = orgUnits.filter { $0.kind == .department }
            .flatMap { unit in unit.affiliationPatterns.map { (unit.id, Self.affiliationKey($0)) } }
            .filter { !$0.1.isEmpty }
        var byFamily: [String: [Candidate]] = [:]
        var byChinese: [String: [Candidate]] = [:]
        for person in people {
            var candidate = Candidate(
                person: person, givenNames: [TextKey.compact(person.givenName)], initials: [], chineseNames: [])
            candidate.initials.insert(Self.initials(ofGiven: person.givenName))
            if let first = TextKey.compact(person.givenName).first { candidate.initials.insert(String(first)) }
            var families: Set<String> = [TextKey.compact(person.familyName)]
            // Every form in characters, whatever its kind, and the name itself when recorded in characters
            // (欧阳 明): an author written in hanzi is matched whole, the pinyin forms below by family name.
            for chinese in ReferenceCheck.chineseNames(of: person) {
                candidate.chineseNames.insert(TextKey.compact(chinese))
            }
            for variant in person.nameVariants {
                if ChineseText.isHanOnly(variant.value) { continue }
                switch variant.kind {
                case .chinese:
                    candidate.chineseNames.insert(TextKey.compact(variant.value))
                case .initials:
                    // "Gao ZG": family name, then initials.
                    let words = TextKey.fold(variant.value).split(separator: " ")
                    if words.count >= 2 {
                        families.insert(String(words[0]))
                        candidate.initials.insert(words.dropFirst().joined())
                    }
                case .givenFamily, .other:
                    let words = TextKey.fold(variant.value).split(separator: " ")
                    if words.count >= 2, let family = words.last {
                        families.insert(String(family))
                        candidate.givenNames.insert(words.dropLast().joined())
                        // The pinyin of a name recorded in characters ("Ming Ouyang" for 欧阳明): "Ouyang M" too.
                        if ChineseText.containsHan(person.givenName) {
                            candidate.initials.insert(words.dropLast().compactMap(\.first).map(String.init).joined())
                            if let first = words.first?.first { candidate.initials.insert(String(first)) }
                        }
                    }
                }
            }
            for family in families { byFamily[family, default: []].append(candidate) }
            for chinese in candidate.chineseNames { byChinese[chinese, default: []].append(candidate) }
        }
        peopleByFamily = byFamily
        peopleByChineseName = byChinese
        var grants: [String: String] = [:]
        for project in projects {
            if let number = project.grantNumber { grants[Self.grantKey(number)] = project.id }
        }
        projectsByGrant = grants
    }

    /// "Zhi-Gang" → "zg"; "Zhigang" → "z" (run-together pinyin is not split).
    static func initials(ofGiven given: String) -> String {
        TextKey.fold(given).split(separator: " ").compactMap(\.first).map(String.init).joined()
    }

    static func grantKey(_ id: String) -> String {
        String(id.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// False when the registry has no hospital affiliation patterns yet, so no paper can be credited.
    public var canCredit: Bool { !institutionPatterns.isEmpty }

    /// True when `affiliation` names the institution.
    public func namesInstitution(_ affiliation: String) -> Bool {
        guard !institutionPatterns.isEmpty else { return false }
        let folded = Self.affiliationKey(affiliation)
        return institutionPatterns.contains { folded.contains($0) }
    }

    /// Words an institution's name is written with or without ("The Children's Hospital of …", "… Affiliated to …").
    private static let looseWords: [[UInt8]] = ["the", "of", "affiliated", "to", "and", "at"].map { Array($0.utf8) }

    /// An affiliation or pattern as compared: `TextKey.fold` (case, accents, width, punctuation, non-breaking
    /// spaces and e-mail punctuation ignored), with "Children's"/"Childrens'"/"Childrens" made one word and
    /// the small words names are written with or without left out, so that "The Children's Hospital of
    /// Zhejiang University School of Medicine" and "Children’s Hospital, Zhejiang University School of
    /// Medicine" have one key. A pattern matches where its key is part of the affiliation's key (text in
    /// characters has no spaces between words: "浙江大学医学院附属儿童医院普外科").
    static func affiliationKey(_ text: String) -> String {
        // Byte-wise over the folded text (words are separated by single spaces): this runs for every distinct
        // affiliation of every paper an import credits.
        let folded = Array(TextKey.fold(text).utf8)
        var key: [UInt8] = []
        key.reserveCapacity(folded.count)
        var start = 0
        while start < folded.count {
            var end = start
            while end < folded.count, folded[end] != 32 { end += 1 }
            let word = folded[start..<end]
            if word.count == 1, word.first == UInt8(ascii: "s"), !key.isEmpty {
                key.append(UInt8(ascii: "s"))  // possessive: "children s" → "childrens"
            } else if !looseWords.contains(where: { $0.elementsEqual(word) }) {
                if !key.isEmpty { key.append(32) }
                key.append(contentsOf: word)
            }
            start = end + 1
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// The parts of `author`'s affiliations that are the author's own. A journal that gives one affiliation
    /// string for all authors, naming them by initials ("…, Guangzhou, China (N.Z.); AstraZeneca …, Sweden
    /// (C.K., C.J., S.I.)"), says which part is whose: only the parts naming this author's initials are kept.
    /// `told` is false when such strings were given but none names this author: whose institution it is
    /// cannot be told.
    static func ownAffiliations(of author: Author) -> (affiliations: [String], told: Bool) {
        // Most affiliations name nobody by initials: no "(" at all, checked byte-wise (this runs for every author).
        guard author.affiliations.contains(where: { $0.utf8.contains(UInt8(ascii: "(")) }) else {
            return (author.affiliations, true)
        }
        let codes = initialsCodes(of: author)
        var own: [String] = []
        var mapped = false
        for affiliation in author.affiliations {
            guard let parts = partsByInitials(affiliation) else {
                own.append(affiliation)
                continue
            }
            mapped = true
            own += parts.filter { !codes.isDisjoint(with: $0.initials) }.map(\.text)
        }
        return (own, !(mapped && own.isEmpty))
    }

    /// The ways a paper may write `author` by initials: given-name initials and the family name's first letter
    /// ("Paul M O'Byrne" → PMO, PO), upper case, without dots.
    private static func initialsCodes(of author: Author) -> Set<String> {
        guard let family = author.familyName?.first(where: \.isLetter) else { return [] }
        var given = (author.initials ?? "").filter(\.isLetter).uppercased()
        if given.isEmpty, let name = author.givenName {
            given = String(name.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "." }).compactMap(\.first))
                .uppercased()
        }
        guard let first = given.first else { return [] }
        let last = String(family).uppercased()
        return [given + last, String(first) + last]
    }

    /// An affiliation cut into parts, each ending with the initials in parentheses that say whose it is; nil
    /// when it names nobody by initials.
    private static func partsByInitials(_ affiliation: String) -> [(text: String, initials: Set<String>)]? {
        var parts: [(text: String, initials: Set<String>)] = []
        var start = affiliation.startIndex
        var search = affiliation.startIndex
        while let open = affiliation[search...].firstIndex(of: "("),
            let close = affiliation[open...].firstIndex(of: ")")
        {
            let inside = affiliation[affiliation.index(after: open)..<close]
            let tokens = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let codes = tokens.map { $0.filter(\.isLetter).uppercased() }
            let isInitials =
                !tokens.isEmpty
                && zip(tokens, codes).allSatisfy { token, code in
                    (2...5).contains(code.count) && token.contains(".")
                        && token.allSatisfy { $0.isLetter || $0 == "." || $0 == "-" }
                        && token.filter(\.isLetter).allSatisfy(\.isUppercase)
                }
            if isInitials {
                parts.append((String(affiliation[start..<open]), Set(codes)))
                start = affiliation.index(after: close)
            }
            search = affiliation.index(after: close)
        }
        return parts.isEmpty ? nil : parts
    }

    /// Credits `publication`: sets authors' person ids, departments and linked projects. `decided` tells
    /// what the review list already says about an author (accepted, rejected). Returns the authors who
    /// still need a decision.
    public func attribute(
        _ publication: inout Publication,
        decided: (_ position: Int, _ personID: String) throws -> ReviewItem.Status?
    ) rethrows -> [Uncertain] {
        var uncertain: [Uncertain] = []
        var departments = Set(publication.departmentIDs)
        // Affiliations repeat across a paper's authors: fold each once.
        var folded: [String: String] = [:]
        func fold(_ affiliation: String) -> String {
            if let known = folded[affiliation] { return known }
            let key = Self.affiliationKey(affiliation)
            folded[affiliation] = key
            return key
        }
        for index in publication.authors.indices {
            let author = publication.authors[index]
            guard author.collectiveName == nil else { continue }
            guard !institutionPatterns.isEmpty || !peopleByFamily.isEmpty || !peopleByChineseName.isEmpty else {
                continue
            }
            let (affiliations, told) = Self.ownAffiliations(of: author)
            let atInstitution =
                institutionPatterns.isEmpty
                ? [] : affiliations.filter { a in institutionPatterns.contains { fold(a).contains($0) } }
            for affiliation in atInstitution.map(fold) {
                for (department, pattern) in departmentPatterns where affiliation.contains(pattern) {
                    departments.insert(department)
                }
            }
            guard !peopleByFamily.isEmpty || !peopleByChineseName.isEmpty else { continue }
            let matches = candidates(for: author)
            guard !matches.isEmpty else { continue }
            let position = index + 1
            var reason: String?
            if matches.count > 1 {
                reason = "the name fits \(matches.count) people in the registry"
            } else if !told {
                reason = "the paper names its authors' institutions by initials, and none of them is this author's"
            } else if affiliations.isEmpty {
                reason = "the paper gives no affiliation for this author"
            } else if atInstitution.isEmpty {
                continue  // Same name, another institution: someone else.
            }
            for candidate in matches {
                let status = try decided(position, candidate.person.id)
                if status == .rejected { continue }
                if reason == nil || status == .accepted {
                    publication.authors[index].personID = candidate.person.id
                    if candidate.person.departmentIDs.count == 1 {
                        departments.insert(candidate.person.departmentIDs[0])
                    }
                    break
                }
                uncertain.append(
                    Uncertain(
                        authorPosition: position, authorName: author.shortName, personID: candidate.person.id,
                        reason: reason!))
            }
        }
        publication.departmentIDs = departments.sorted()
        var projects = Set(publication.projectIDs)
        for grant in publication.grants {
            if let id = grant.id, let project = projectsByGrant[Self.grantKey(id)] { projects.insert(project) }
        }
        publication.projectIDs = projects.sorted()
        return uncertain
    }

    /// The registry people whose written name forms fit this author.
    func candidates(for author: Author) -> [Candidate] {
        let family = TextKey.compact(author.familyName ?? "")
        let given = TextKey.compact(author.givenName ?? "")
        // A Chinese name written whole (EndNote often does): family and given in characters.
        let whole = TextKey.compact((author.familyName ?? "") + (author.givenName ?? ""))
        if let chinese = peopleByChineseName[whole], !whole.isEmpty { return chinese }
        var found: [Candidate] = []
        for candidate in peopleByFamily[family] ?? [] where fits(candidate, given: given, initials: author.initials) {
            found.append(candidate)
        }
        // Names written in the other order ("Zhigang Gao" entered with the given name as family).
        if found.isEmpty, !given.isEmpty {
            for candidate in peopleByFamily[given] ?? [] where candidate.givenNames.contains(family) {
                found.append(candidate)
            }
        }
        return found
    }

    private func fits(_ candidate: Candidate, given: String, initials: String?) -> Bool {
        if !given.isEmpty, candidate.givenNames.contains(given) { return true }
        // Only initials known ("Gao Z", "Gao ZG"), or a given name that is just initials ("Z G").
        let written = TextKey.compact(initials ?? "")
        if given.isEmpty || given == written {
            return !written.isEmpty && candidate.initials.contains(written)
        }
        return false
    }
}
