public import AnnalsDiagnostics

/// A department, person, campus or year named in a question that the registry does not hold, with what the
/// user may have meant. Asking about it would give an empty answer that looks like a true "none".
public struct UnknownReference: Error, Sendable, Hashable, CustomStringConvertible, DiagnosticConvertible {
    /// What was named.
    public enum Kind: String, Sendable, Hashable {
        case department, person, campus, year
    }

    public var kind: Kind
    /// What was given, as given.
    public var value: String
    /// The ids the user may have meant, best first (empty for a year).
    public var suggestions: [String]
    /// The message for people: what is wrong and what to do.
    public var description: String

    public init(kind: Kind, value: String, suggestions: [String], description: String) {
        self.kind = kind
        self.value = value
        self.suggestions = suggestions
        self.description = description
    }

    /// One `query.invalidYear` or `query.unknownReference` error, with the suggestions.
    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                kind == .year ? .invalidYear : .unknownReference, at: .init(), message: description,
                suggestions: suggestions)
        ]
    }
}

/// Checks the ids and years a question names before it is asked, so a typing mistake is an error with
/// suggestions, never a silent "0 publications". Every front end calls these before it queries.
public enum ReferenceCheck {
    /// The years Annals takes for a question: four digits, and within reach of a hospital's records.
    public static let plausibleYears = 1900...2100

    /// Throws unless `year` is a plausible four-digit year; `option` names where it was given ("--year").
    public static func year(_ year: Int, option: String = "--year") throws(UnknownReference) {
        guard !plausibleYears.contains(year) else { return }
        let hint =
            (0...99).contains(year)
            ? "write the year with all four digits (\(year < 50 ? 2000 + year : 1900 + year), not \(year))"
            : "a year is four digits, between \(plausibleYears.lowerBound) and \(plausibleYears.upperBound)"
        throw UnknownReference(
            kind: .year, value: String(year), suggestions: [], description: "\(option) \(year) is not a year: \(hint).")
    }

    /// Checks each id that is given against `registry`: a department (any organisation unit), a person, a
    /// surgeon (a person) and a campus, and returns the ids they name. Each may be given as its id or as
    /// the Chinese name the registry holds for it ("普外科", "滨江院区", "高志刚"). Throws `UnknownReference`,
    /// with the closest ids, for the first one the registry does not hold.
    @discardableResult
    public static func check(
        department: String? = nil, person: String? = nil, surgeon: String? = nil, campus: String? = nil,
        in registry: some RegistryReading
    ) throws -> References {
        var resolved = References()
        if department != nil || campus != nil {
            let units = try registry.orgUnits()
            if let department { resolved.department = try self.department(department, among: units) }
            if let campus { resolved.campus = try self.campus(campus, among: units) }
        }
        if person != nil || surgeon != nil {
            let people = try registry.people()
            if let person { resolved.person = try self.person(person, among: people, option: "--person") }
            if let surgeon { resolved.surgeon = try self.person(surgeon, among: people, option: "--surgeon") }
        }
        return resolved
    }

    /// The ids a question names, as `check` resolved them (nil where nothing was given).
    public struct References: Sendable, Hashable {
        public var department: String?
        public var person: String?
        public var surgeon: String?
        public var campus: String?

        public init(department: String? = nil, person: String? = nil, surgeon: String? = nil, campus: String? = nil) {
            self.department = department
            self.person = person
            self.surgeon = surgeon
            self.campus = campus
        }
    }

    /// The id of the unit `id` names: its id, or its Chinese name. Throws unless it is one of `units`.
    @discardableResult
    public static func department(_ id: String, among units: [OrgUnit]) throws(UnknownReference) -> String {
        if units.contains(where: { $0.id == id }) { return id }
        let named: [(id: String, names: [String])] = units.map { ($0.id, $0.nameZH.map { [$0] } ?? []) }
        if let found = try byChineseName(
            id, among: named, kind: .department, what: "units", listing: "`annals departments` lists them")
        {
            return found
        }
        let departments = units.filter { $0.kind == .department }
        let candidates: [(id: String, names: [String])] = (departments.isEmpty ? units : departments).map {
            ($0.id, [$0.name] + ($0.nameZH.map { [$0] } ?? []))
        }
        let suggestions = closest(to: id, among: candidates)
        let hint = suggestions.isEmpty ? "" : " Did you mean \(quoted(suggestions, names: candidates, for: id))?"
        let list =
            units.isEmpty
            ? " The registry holds no departments yet: import them first (`annals import registry`)."
            : " `annals departments` lists them."
        throw UnknownReference(
            kind: .department, value: id, suggestions: suggestions,
            description: "no department '\(id)' in the registry.\(hint)\(list)")
    }

    /// The id of the campus `id` names: its id, or its Chinese name. Throws unless it is a campus of one of `units`.
    @discardableResult
    public static func campus(_ id: String, among units: [OrgUnit]) throws(UnknownReference) -> String {
        var campuses: [Campus] = []
        for campus in units.flatMap(\.campuses) where !campuses.contains(where: { $0.id == campus.id }) {
            campuses.append(campus)
        }
        if campuses.contains(where: { $0.id == id }) { return id }
        let candidates: [(id: String, names: [String])] = campuses.map {
            ($0.id, [$0.name] + ($0.nameZH.map { [$0] } ?? []))
        }
        let named = campuses.map { (id: $0.id, names: $0.nameZH.map { [$0] } ?? []) }
        if let found = try byChineseName(
            id, among: named, kind: .campus, what: "campuses", listing: "`annals departments` lists the campuses")
        {
            return found
        }
        let suggestions = closest(to: id, among: candidates)
        let hint = suggestions.isEmpty ? "" : " Did you mean \(quoted(suggestions, names: candidates, for: id))?"
        let list = campuses.isEmpty ? " The registry names no campuses." : " `annals departments` lists the campuses."
        throw UnknownReference(
            kind: .campus, value: id, suggestions: suggestions,
            description: "no campus '\(id)' in the registry.\(hint)\(list)")
    }

    /// The id of the person `id` names: their id, or their name in Chinese characters. Throws unless it
    /// is one of `people`; `option` says where it was given (--person, --surgeon).
    @discardableResult
    public static func person(_ id: String, among people: [Person], option: String = "--person")
        throws(UnknownReference) -> String
    {
        if people.contains(where: { $0.id == id }) { return id }
        let named = people.map { (id: $0.id, names: chineseNames(of: $0)) }
        if let found = try byChineseName(
            id, among: named, kind: .person, what: "people", listing: "`annals people` lists them")
        {
            return found
        }
        let candidates: [(id: String, names: [String])] = people.map { p in
            (p.id, ["\(p.familyName) \(p.givenName)", "\(p.givenName) \(p.familyName)"] + p.nameVariants.map(\.value))
        }
        let suggestions = closest(to: id, among: candidates)
        let hint = suggestions.isEmpty ? "" : " Did you mean \(quoted(suggestions, names: candidates, for: id))?"
        throw UnknownReference(
            kind: .person, value: id, suggestions: suggestions,
            description:
                "no person '\(id)' in the registry (\(option) takes a person's id).\(hint) `annals people` lists them.")
    }

    /// Every way the registry writes `person`'s name in Chinese characters: the Chinese name form, any
    /// other form written in hanzi, and the family and given names when they are themselves hanzi.
    public static func chineseNames(of person: Person) -> [String] {
        var names = person.nameVariants.filter { $0.kind == .chinese || ChineseText.isHanOnly($0.value) }.map(\.value)
        if ChineseText.isHanOnly(person.familyName + person.givenName) {
            names.append(person.familyName + person.givenName)
        }
        return names
    }

    /// The one id whose Chinese name `typed` is (spacing and width ignored); nil when `typed` holds no
    /// hanzi or names nothing. Two records with the same Chinese name are an error naming both.
    private static func byChineseName(
        _ typed: String, among candidates: [(id: String, names: [String])], kind: UnknownReference.Kind, what: String,
        listing: String
    ) throws(UnknownReference) -> String? {
        guard ChineseText.containsHan(typed) else { return nil }
        let wanted = TextKey.compact(typed)
        guard !wanted.isEmpty else { return nil }
        let ids = candidates.filter { $0.names.contains { TextKey.compact($0) == wanted } }.map(\.id)
        guard ids.count > 1 else { return ids.first }
        throw UnknownReference(
            kind: kind, value: typed, suggestions: ids,
            description:
                "'\(typed)' is the name of \(ids.count) \(what) in the registry: \(ids.map { "'\($0)'" }.joined(separator: ", ")). Give the id of the one you mean; \(listing)."
        )
    }

    /// The ids among `candidates` closest to `typed`, best first: an id or name one or two typing mistakes
    /// away, a name written out in full ("Wang Jinhu", "普外科"), or an id that contains what was typed.
    public static func closest(to typed: String, among candidates: [(id: String, names: [String])], limit: Int = 3)
        -> [String]
    {
        let hanzi = ChineseText.containsHan(typed)
        // Spaces mean nothing inside a Chinese name ("普 外科").
        let wanted = hanzi ? TextKey.compact(typed) : TextKey.fold(typed)
        guard !wanted.isEmpty else { return [] }
        var scored: [(score: Int, id: String)] = []
        for (id, names) in candidates {
            var best = Int.max
            for text in [id] + names {
                let theirs = hanzi && ChineseText.containsHan(text) ? TextKey.compact(text) : TextKey.fold(text)
                if theirs.isEmpty { continue }
                if theirs == wanted {
                    best = 0
                    break
                }
                let allowed = max(1, min(3, min(wanted.count, theirs.count) / 4))
                let distance = editDistance(wanted, theirs, atMost: allowed)
                if distance <= allowed { best = min(best, distance) }
                if wanted.count >= 3,
                    theirs.split(separator: " ").contains(where: { $0 == wanted }) || theirs.hasPrefix(wanted)
                {
                    best = min(best, allowed + 1)
                }
                // Chinese has no spaces between words and two characters make a word: part of a name
                // ("滨江" for 滨江院区, "外科") or a name with a few characters more ("浙大儿院普外科").
                if hanzi, ChineseText.containsHan(theirs), wanted.count >= 2, theirs.count >= 2,
                    TextKey.holds(theirs, wanted) || TextKey.holds(wanted, theirs)
                {
                    best = min(best, allowed + 1)
                }
            }
            if best != Int.max { scored.append((best, id)) }
        }
        return scored.sorted { ($0.score, $0.id) < ($1.score, $1.id) }.prefix(limit).map(\.id)
    }

    /// The number of single-character insertions, deletions, substitutions and swaps of two neighbours
    /// ("reprot") between `a` and `b`; any value over `limit` is returned as `limit + 1`.
    static func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int {
        let x = Array(a)
        let y = Array(b)
        if abs(x.count - y.count) > limit { return limit + 1 }
        guard !x.isEmpty, !y.isEmpty else { return min(max(x.count, y.count), limit + 1) }
        var before = [Int]()
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            if current.min()! > limit, previous.min()! > limit { return limit + 1 }
            before = previous
            previous = current
        }
        return min(previous[y.count], limit + 1)
    }

    /// "'a' (Name) or 'b' (Name)"; the Chinese name when what was typed is Chinese ("'general-surgery' (普外科)").
    private static func quoted(_ ids: [String], names: [(id: String, names: [String])], for typed: String) -> String {
        let chinese = ChineseText.containsHan(typed)
        return ids.map { id in
            let all = names.first { $0.id == id }?.names ?? []
            let name = (chinese ? all.first(where: { ChineseText.containsHan($0) }) : nil) ?? all.first
            return "'\(id)'\(name.map { " (\($0))" } ?? "")"
        }.joined(separator: " or ")
    }
}

extension ReferenceCheck {
    /// Whether the registry holds anything dated in `year` (for `department`, or the whole hospital): a
    /// paper published, a project starting, ending or running, a patent filed or granted, an award, a staff
    /// census or operations tallied in it. Beds and staff counted in earlier years do not count: a report
    /// of such a year would be made of last year's standing figures only.
    public static func hasRecords(in year: Int, department: String? = nil, registry: some TallyReading) throws -> Bool {
        func credited(_ ids: [String]) -> Bool { department.map(ids.contains) ?? true }
        if try registry.awards().contains(where: { $0.year == year && credited($0.departmentIDs) }) { return true }
        if try registry.patents().contains(where: {
            ($0.filed?.year == year || $0.granted?.year == year) && credited($0.departmentIDs)
        }) {
            return true
        }
        let running = try registry.projects().contains { p in
            guard credited(p.departments.map(\.departmentID)) else { return false }
            if p.start?.year == year || p.end?.year == year { return true }
            guard let start = p.start?.year, let end = p.end?.year else { return false }
            return start <= year && year <= end
        }
        if running { return true }
        if try registry.staffCensus().contains(where: { $0.asOf.year == year && credited([$0.departmentID]) }) {
            return true
        }
        let sums = try registry.tallySums(matching: TallyFilter(departmentID: department), by: nil)[nil] ?? []
        if sums.contains(where: { s in s.from.map { $0.year <= year && year <= s.to.year } ?? false }) { return true }
        do {
            try registry.forEachPublication(year: year, department: department, person: nil) { _ in throw FoundOne() }
        } catch is FoundOne {
            return true
        }
        return false
    }
}

/// Ends a walk over records at the first one.
private struct FoundOne: Error {}
