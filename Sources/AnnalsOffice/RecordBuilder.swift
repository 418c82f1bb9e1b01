import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import Foundation

/// One data row of a table, read column by column; every problem is kept with its cell and header.
struct RowValues {
    let table: SheetTable
    let row: SheetRow
    var problems: [Diagnostic] = []

    init(table: SheetTable, row: SheetRow) {
        self.table = table
        self.row = row
    }

    func cell(_ key: String) -> CellValue? {
        guard let column = table.positions[key], let value = row.cells[column], !value.isBlank else { return nil }
        return value
    }

    mutating func problem(_ key: String, _ message: String, suggestions: [String] = []) {
        let column = table.positions[key] ?? table.columns.keys.min() ?? 1
        let header = table.headers[key] ?? table.kind.columns.first { $0.key == key }?.zh ?? key
        problems.append(
            table.diagnostic(
                .sheetInvalidValue, column: column, row: row.number, "(\(header)) \(message)", suggestions: suggestions)
        )
    }

    /// Text, trimmed; a number as written, a date as `2024-03-05`.
    func text(_ key: String) -> String? {
        guard let value = cell(key) else { return nil }
        let text: String
        switch value {
        case .number(let n, let written):
            // 12.0 written by some programs for a whole number
            text = n == n.rounded() && abs(n) < 1e15 && written.contains(".") ? String(Int(n)) : written
        default: text = value.description
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The cell as the tally CSV writes it (dates as dates, numbers as written).
    func csvText(_ key: String) -> String { text(key) ?? "" }

    mutating func required(_ key: String) -> String? {
        guard let value = text(key) else {
            problem(key, "this column needs a value in every row; fill it in or delete the row")
            return nil
        }
        return value
    }

    func list(_ key: String) -> [String] {
        guard let value = text(key) else { return [] }
        return value.split(whereSeparator: { ";；、\n\r".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    mutating func integer(_ key: String) -> Int? {
        guard let value = cell(key) else { return nil }
        if case .number(let n, _) = value, n == n.rounded(), abs(n) < 1e15 { return Int(n) }
        if case .text(let t) = value, let n = Int(t.trimmingCharacters(in: .whitespaces)) { return n }
        problem(key, "'\(value)' is not a whole number; write digits only")
        return nil
    }

    mutating func decimal(_ key: String) -> DecimalNumber? {
        guard let value = cell(key) else { return nil }
        var text = value.description.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if case .number(let n, _) = value, n == n.rounded(), abs(n) < 1e15 { text = String(Int(n)) }
        // 52万, 52万元, 1.2亿, 520000元: the units Chinese offices write after an amount.
        var power = 0
        for (suffix, places) in [("万元", 4), ("亿元", 8), ("万", 4), ("亿", 8), ("元", 0)] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            power = places
            break
        }
        if let number = DecimalNumber(text) { return power == 0 ? number : Self.shifted(number, by: power) }
        problem(
            key,
            "'\(value)' is not a number; write it as digits with at most one decimal point (520000, or 52万)"
        )
        return nil
    }

    /// `number` × 10^`places`, exactly (52.5 by 4 → 525000).
    static func shifted(_ number: DecimalNumber, by places: Int) -> DecimalNumber {
        var text = number.text
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let fraction = (parts.count > 1 ? parts[1] : "").padding(
            toLength: max(places, parts.count > 1 ? parts[1].count : 0), withPad: "0", startingAt: 0)
        let whole = parts[0] + fraction.prefix(places)
        let rest = fraction.dropFirst(places)
        return DecimalNumber((negative ? "-" : "") + whole + (rest.isEmpty ? "" : "." + rest)) ?? number
    }

    /// A date cell, or text `2024`, `2024-03`, `2024-03-05` (also with / or . or 年月日).
    mutating func date(_ key: String) -> PartialDate? {
        guard let value = cell(key) else { return nil }
        switch value {
        case .date(let d):
            if let date = PartialDate(year: d.year, month: d.month, day: d.day) { return date }
        case .number(let n, _) where (1900...2100).contains(n) && n == n.rounded():
            return PartialDate(year: Int(n))
        default:
            var text = value.description.trimmingCharacters(in: .whitespaces)
            for (from, to) in [("年", "-"), ("月", "-"), ("日", ""), ("/", "-"), (".", "-")] {
                text = text.replacingOccurrences(of: from, with: to)
            }
            if text.hasSuffix("-") { text.removeLast() }
            let parts = text.split(separator: "-").map(String.init)
            if (1...3).contains(parts.count), parts.allSatisfy({ Int($0) != nil }),
                let date = PartialDate(
                    year: Int(parts[0])!, month: parts.count > 1 ? Int(parts[1]) : nil,
                    day: parts.count > 2 ? Int(parts[2]) : nil)
            {
                return date
            }
        }
        problem(key, "'\(value)' is not a date; write 2024-03-05, 2024-03 or 2024, or format the cell as a date")
        return nil
    }

    mutating func year(_ key: String) -> Int? {
        guard let value = cell(key) else { return nil }
        if case .date(let d) = value { return d.year }
        if let n = integer(key) {
            if ReferenceCheck.plausibleYears.contains(n) { return n }
            problem(key, "\(n) is not a year between 1900 and 2100")
        }
        return nil
    }

    /// The registry's value for a vocabulary cell, written as the value, its English or its Chinese label.
    mutating func choice(_ key: String, _ choices: [Choice]) -> String? {
        guard let written = text(key) else { return nil }
        let key2 = SheetKind.normalise(written)
        if let found = choices.first(where: { c in
            ([c.value, c.en, c.zh] + c.aliases).contains { SheetKind.normalise($0) == key2 }
        }) {
            return found.value
        }
        problem(
            key,
            "'\(written)' is not one of \(choices.map { "\($0.zh) (\($0.value))" }.joined(separator: ", ")); pick one from the drop-down list"
        )
        return nil
    }

    mutating func flag(_ key: String) -> Bool? {
        guard let value = cell(key) else { return nil }
        if case .bool(let b) = value { return b }
        switch SheetKind.normalise(value.description) {
        case "是", "yes", "y", "true", "1", "√": return true
        case "否", "no", "n", "false", "0": return false
        default:
            problem(key, "'\(value)' is neither 是 nor 否 (yes/no)")
            return nil
        }
    }
}

/// People and departments named in sheets: ids, or names as a research office writes them.
struct NameResolver {
    let units: [OrgUnit]
    /// Person id → names it is known by (Chinese name, "Family Given").
    var people: [String: [String]] = [:]

    init(registry: some RegistryReading) throws {
        units = try registry.orgUnits()
        for person in try registry.people() {
            people[person.id] = [person.chineseName, person.displayName, "\(person.familyName) \(person.givenName)"]
                .compactMap { $0 }
        }
    }

    mutating func addPerson(id: String, names: [String]) { people[id, default: []] += names }

    /// The person `text` names: an id, or a name only one person has.
    func person(_ text: String) -> String? {
        if people[text] != nil { return text }
        let key = SheetKind.normalise(text)
        let matches = people.filter { $0.value.contains { SheetKind.normalise($0) == key } }.map(\.key)
        return matches.count == 1 ? matches[0] : nil
    }

    func department(_ text: String) throws(UnknownReference) -> String {
        try ReferenceCheck.department(text, among: units)
    }
}

/// Stable ids for rows without one: the same row gives the same id on every import.
enum RecordIDs {
    static func stable(_ prefix: String, _ parts: [String?]) -> String {
        // FNV-1a, 64 bits: stable across runs and machines (Swift's hashValue is not).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.map({ SheetKind.normalise($0 ?? "") }).joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return prefix + "-" + String(hash, radix: 16)
    }

    static func person(chineseName: String?, family: String?, given: String?) -> String {
        stable("person", [chineseName ?? "\(family ?? "") \(given ?? "")"])
    }
}

/// Turns a row into a registry record.
enum RecordBuilder {
    /// Adds the record of `values`' row to `content`; nil (with problems in `values`) when it cannot be made.
    static func add(
        _ v: inout RowValues, kind: SheetKind, resolver: inout NameResolver, existing: ExistingRecords,
        to content: inout RegistryContent
    ) throws -> (EntityKind, String)? {
        let columns = Set(v.table.positions.keys).subtracting(v.table.kind.columns.filter(\.computed).map(\.key)).union(
            v.table.positions["year"] != nil ? ["year"] : [])
        let before = v.problems.count
        func departments() -> [String] {
            var ids: [String] = []
            for name in v.list("departments") {
                do throws(UnknownReference) {
                    ids.append(try resolver.department(name))
                } catch {
                    v.problem("departments", error.description, suggestions: error.suggestions)
                }
            }
            return ids
        }
        func contributors(_ key: String) -> [Contributor] {
            v.list(key).map { Contributor(name: $0, personID: resolver.person($0)) }
        }
        let givenID = v.text("id")?.lowercased()
        if let givenID, givenID.range(of: "^[a-z0-9][a-z0-9._\\-]*$", options: .regularExpression) == nil {
            v.problem(
                "id",
                "'\(givenID)' is not an id: use lower-case letters, digits, '.', '_' and '-' only, or leave it empty for a new record"
            )
        }
        switch kind {
        case .tallies:
            return nil
        case .projects:
            let title = v.required("title")
            let funder = v.required("funder")
            let level = v.choice("level", Vocabulary.level).flatMap(Level.init(rawValue:))
            let status = v.choice("status", Vocabulary.projectStatus).flatMap(Project.Status.init(rawValue:))
            if v.text("level") == nil { v.problem("level", "this column needs a value in every row") }
            if v.text("status") == nil { v.problem("status", "this column needs a value in every row") }
            var pi: String?
            if let name = v.text("principal_investigator") {
                pi = resolver.person(name)
                if pi == nil {
                    v.problem(
                        "principal_investigator",
                        "no person '\(name)' in the registry or on the 人员 (people) sheet; add them there, or write their id"
                    )
                }
            }
            let depts = departments()
            let start = v.date("start")
            let end = v.date("end")
            let amount = v.decimal("amount").map {
                Money(amount: $0, currency: (v.text("currency") ?? "CNY").uppercased())
            }
            guard v.problems.count == before, let title, let funder, let level, let status else { return nil }
            let id =
                givenID
                ?? RecordIDs.stable(
                    "project", [v.text("grant_number") ?? title, v.text("grant_number") == nil ? funder : nil])
            let project = Project(
                id: id, title: title, funder: funder, programme: v.text("programme"), level: level,
                grantNumber: v.text("grant_number"),
                principalInvestigatorID: pi,
                departments: depts.enumerated().map {
                    Project.DepartmentRole(departmentID: $0.element, role: $0.offset == 0 ? .lead : .participant)
                },
                start: start, end: end, amount: amount, status: status)
            content.projects.append(
                existing.projects[id].map { RecordMerge.project(project, onto: $0, columns: columns) } ?? project)
            return (.project, id)
        case .papers:
            let title = v.required("title")
            let names = v.list("authors")
            let corresponding = Set(v.list("corresponding_author").map(SheetKind.normalise))
            let published = v.date("published") ?? v.year("year").flatMap { PartialDate(year: $0) }
            let typeValue = v.choice("type", Vocabulary.paperKind)
            let depts = departments()
            let doi = v.text("doi")?.lowercased().replacingOccurrences(of: "https://doi.org/", with: "")
            let pmid = v.text("pmid")
            if let doi, doi.range(of: "^10\\.[0-9]+(\\.[0-9]+)*/\\S+$", options: .regularExpression) == nil {
                v.problem(
                    "doi",
                    "'\(doi)' is not a DOI; write it as 10.xxxx/… (without https://doi.org/ or leave the cell empty)")
            }
            if let pmid, pmid.range(of: "^[1-9][0-9]{0,8}$", options: .regularExpression) == nil {
                v.problem("pmid", "'\(pmid)' is not a PMID; a PMID is 1 to 9 digits, as PubMed shows it")
            }
            var journal: JournalReference?
            if let name = v.text("journal") { journal = JournalReference(title: name, issnPrint: v.text("issn")) }
            guard v.problems.count == before, let title else { return nil }
            let authors = names.enumerated().map { index, name in
                var author = author(named: name)
                author.isFirst = index == 0
                author.isCorresponding = corresponding.contains(SheetKind.normalise(name))
                author.personID = resolver.person(name)
                return author
            }
            let known = try doi.flatMap { try existing.publicationByDOI($0) }
            let id =
                givenID ?? pmid.map { "pmid-\($0)" } ?? known
                ?? RecordIDs.stable("paper", [doi ?? title, doi == nil ? published.map { "\($0.year)" } : nil])
            let publication = Publication(
                id: id, kind: typeValue.flatMap(Publication.Kind.init(rawValue:)) ?? .journalArticle,
                title: MarkupText(plain: title), journal: journal,
                published: published, volume: v.text("volume"), issue: v.text("issue"), pages: v.text("pages"),
                doi: doi, pmid: pmid,
                authors: authors, departmentIDs: depts, source: Provenance(kind: .manual))
            content.publications.append(
                try existing.publication(id).map { RecordMerge.publication(publication, onto: $0, columns: columns) }
                    ?? publication)
            return (.publication, id)
        case .patents:
            let title = v.required("title")
            let patentKind = v.choice("kind", Vocabulary.patentKind).flatMap(Patent.Kind.init(rawValue:))
            let status = v.choice("status", Vocabulary.patentStatus).flatMap(Patent.Status.init(rawValue:))
            if v.text("kind") == nil { v.problem("kind", "this column needs a value in every row") }
            if v.text("status") == nil { v.problem("status", "this column needs a value in every row") }
            let filed = v.date("filed")
            let granted = v.date("granted")
            let depts = departments()
            guard v.problems.count == before, let title, let patentKind, let status else { return nil }
            let application = v.text("application_number")
            let id = givenID ?? RecordIDs.stable("patent", [application ?? title])
            let patent = Patent(
                id: id, kind: patentKind, title: title, applicationNumber: application,
                grantNumber: v.text("grant_number"),
                inventors: contributors("inventors"), filed: filed, granted: granted, status: status,
                departmentIDs: depts)
            content.patents.append(
                existing.patents[id].map { RecordMerge.patent(patent, onto: $0, columns: columns, resolver: resolver) }
                    ?? patent)
            return (.patent, id)
        case .awards:
            let name = v.required("name")
            let level = v.choice("level", Vocabulary.level).flatMap(Level.init(rawValue:))
            if v.text("level") == nil { v.problem("level", "this column needs a value in every row") }
            let year = v.year("year")
            if v.text("year") == nil { v.problem("year", "this column needs a value in every row") }
            let depts = departments()
            guard v.problems.count == before, let name, let level, let year else { return nil }
            let id = givenID ?? RecordIDs.stable("award", [name, String(year)])
            let award = Award(
                id: id, name: name, grade: v.text("grade"), level: level, year: year,
                recipients: contributors("recipients"),
                projectID: v.text("project"), departmentIDs: depts)
            content.awards.append(
                existing.awards[id].map { RecordMerge.award(award, onto: $0, columns: columns, resolver: resolver) }
                    ?? award)
            return (.award, id)
        case .staff:
            var department: String?
            if let name = v.required("department") {
                do throws(UnknownReference) {
                    department = try resolver.department(name)
                } catch {
                    v.problem("department", error.description, suggestions: error.suggestions)
                }
            }
            let category = v.choice("category", Vocabulary.staffCategory).flatMap(StaffCategory.init(rawValue:))
            if v.text("category") == nil { v.problem("category", "this column needs a value in every row") }
            let count = v.integer("count")
            if v.text("count") == nil { v.problem("count", "this column needs a value in every row") }
            if let count, count < 0 || count > Int(Int32.max) {
                v.problem("count", "\(count) is not a head count; write a number from 0 to 2,147,483,647")
            }
            let asOf = v.date("as_of")
            if v.text("as_of") == nil { v.problem("as_of", "this column needs a value in every row") }
            guard v.problems.count == before, let department, let category, let count, let asOf else { return nil }
            let id = givenID ?? RecordIDs.stable("staff", [department, category.rawValue, asOf.description])
            let census = StaffCensus(
                id: id, departmentID: department, category: category, count: count, asOf: asOf, note: v.text("note"))
            content.staffCensus.append(
                existing.staff[id].map { RecordMerge.staff(census, onto: $0, columns: columns) } ?? census)
            return (.staffCensus, id)
        case .people:
            let chinese = v.text("chinese_name")
            let split = chinese.flatMap(ChineseName.split)
            let family = v.text("family_name") ?? split?.family
            let given = v.text("given_name") ?? split?.given
            if family == nil || given == nil {
                v.problem(
                    v.table.positions["chinese_name"] != nil ? "chinese_name" : "family_name",
                    "a person needs a Chinese name (姓名) or a family and given name in pinyin")
            }
            let rank = v.choice("clinical_rank", Vocabulary.clinicalRank).flatMap(ClinicalRank.init(rawValue:))
            let degree = v.choice("degree", Vocabulary.degree).flatMap(Degree.init(rawValue:))
            var roles: [SupervisorRole] = []
            for written in v.list("supervisor") {
                let key = SheetKind.normalise(written)
                if let c = Vocabulary.supervisor.first(where: { c in
                    ([c.value, c.en, c.zh] + c.aliases).contains { SheetKind.normalise($0) == key }
                }),
                    let role = SupervisorRole(rawValue: c.value)
                {
                    roles.append(role)
                } else {
                    v.problem("supervisor", "'\(written)' is not 博士生导师 (doctoral) or 硕士生导师 (master)")
                }
            }
            let depts = departments()
            guard v.problems.count == before, let family, let given else { return nil }
            let id = givenID ?? RecordIDs.person(chineseName: chinese, family: family, given: given)
            let person = Person(
                id: id, familyName: family, givenName: given,
                nameVariants: chinese.map { [NameVariant(kind: .chinese, value: $0)] } ?? [],
                orcid: v.text("orcid"), clinicalRank: rank, academicTitle: v.text("academic_title"), degree: degree,
                supervisorRoles: roles,
                departmentIDs: depts)
            content.people.append(
                existing.people[id].map { RecordMerge.person(person, onto: $0, columns: columns) } ?? person)
            return (.person, id)
        }
    }

    /// An author as written in a list: 高志刚 (family name first), "Gao Z" (family, initials), "Gao, Zhigang".
    static func author(named name: String) -> Author {
        if let (family, given) = ChineseName.split(name) { return Author(familyName: family, givenName: given) }
        if let comma = name.firstIndex(of: ",") {
            return Author(
                familyName: name[..<comma].trimmingCharacters(in: .whitespaces),
                givenName: name[name.index(after: comma)...].trimmingCharacters(in: .whitespaces))
        }
        let parts = name.split(separator: " ").map(String.init)
        if parts.count >= 2, let last = parts.last, last.allSatisfy({ $0.isUppercase }), last.count <= 3 {
            return Author(familyName: parts.dropLast().joined(separator: " "), initials: last)
        }
        return Author(collectiveName: name)
    }
}

/// The registry's records that rows may correct: a row whose id is already in the registry changes only
/// what its sheet's columns say differently, so that a sheet (an export read back, a list with fewer
/// columns) never wipes what it does not show: a paper's abstract, affiliations or MeSH headings, a
/// project's department roles.
struct ExistingRecords {
    var projects: [String: Project] = [:]
    var patents: [String: Patent] = [:]
    var awards: [String: Award] = [:]
    var people: [String: Person] = [:]
    var staff: [String: StaffCensus] = [:]
    var publication: (String) throws -> Publication?
    var publicationByDOI: (String) throws -> String?

    init(registry: some PublicationWriting) throws {
        for p in try registry.projects() { projects[p.id] = p }
        for p in try registry.patents() { patents[p.id] = p }
        for a in try registry.awards() { awards[a.id] = a }
        for p in try registry.people() { people[p.id] = p }
        for c in try registry.staffCensus() { staff[c.id] = c }
        publication = { try registry.publication(id: $0) }
        publicationByDOI = { try registry.publicationID(doi: $0) }
    }
}

/// Overlays a row's record on the registry's record of the same id, column by column.
enum RecordMerge {
    /// `new`'s value where the sheet has the column and it differs; otherwise `old`'s.
    struct Overlay<Record> {
        var result: Record
        let new: Record
        let columns: Set<String>

        mutating func take<T: Equatable>(_ key: String, _ path: WritableKeyPath<Record, T>) {
            if columns.contains(key), new[keyPath: path] != result[keyPath: path] {
                result[keyPath: path] = new[keyPath: path]
            }
        }
    }

    /// Whether a list of contributors as written equals the registry's (a person written by id or by name).
    static func sameContributors(_ written: [Contributor], _ old: [Contributor], resolver: NameResolver) -> Bool {
        written.count == old.count
            && zip(written, old).allSatisfy { w, o in
                w.name == o.name
                    || (o.personID != nil && (w.name == o.personID || resolver.person(w.name) == o.personID))
            }
    }

    static func project(_ new: Project, onto old: Project, columns: Set<String>) -> Project {
        var o = Overlay(result: old, new: new, columns: columns)
        o.take("title", \.title)
        o.take("funder", \.funder)
        o.take("programme", \.programme)
        o.take("level", \.level)
        o.take("grant_number", \.grantNumber)
        o.take("principal_investigator", \.principalInvestigatorID)
        o.take("start", \.start)
        o.take("end", \.end)
        o.take("status", \.status)
        if columns.contains("departments"), new.departments.map(\.departmentID) != old.departments.map(\.departmentID) {
            o.result.departments = new.departments
        }
        if columns.contains("amount") || columns.contains("currency") {
            var amount = new.amount
            if !columns.contains("currency"), let a = amount {
                amount = Money(amount: a.amount, currency: old.amount?.currency ?? a.currency)
            }
            if amount?.amount.text != old.amount?.amount.text || amount?.currency != old.amount?.currency {
                o.result.amount = amount
            }
        }
        return o.result
    }

    static func patent(_ new: Patent, onto old: Patent, columns: Set<String>, resolver: NameResolver) -> Patent {
        var o = Overlay(result: old, new: new, columns: columns)
        o.take("kind", \.kind)
        o.take("title", \.title)
        o.take("application_number", \.applicationNumber)
        o.take("grant_number", \.grantNumber)
        o.take("filed", \.filed)
        o.take("granted", \.granted)
        o.take("status", \.status)
        o.take("departments", \.departmentIDs)
        if columns.contains("inventors"), !sameContributors(new.inventors, old.inventors, resolver: resolver) {
            o.result.inventors = new.inventors
        }
        return o.result
    }

    static func award(_ new: Award, onto old: Award, columns: Set<String>, resolver: NameResolver) -> Award {
        var o = Overlay(result: old, new: new, columns: columns)
        o.take("name", \.name)
        o.take("grade", \.grade)
        o.take("level", \.level)
        o.take("year", \.year)
        o.take("project", \.projectID)
        o.take("departments", \.departmentIDs)
        if columns.contains("recipients"), !sameContributors(new.recipients, old.recipients, resolver: resolver) {
            o.result.recipients = new.recipients
        }
        return o.result
    }

    static func person(_ new: Person, onto old: Person, columns: Set<String>) -> Person {
        var o = Overlay(result: old, new: new, columns: columns)
        o.take("family_name", \.familyName)
        o.take("given_name", \.givenName)
        o.take("orcid", \.orcid)
        o.take("clinical_rank", \.clinicalRank)
        o.take("academic_title", \.academicTitle)
        o.take("degree", \.degree)
        o.take("supervisor", \.supervisorRoles)
        o.take("departments", \.departmentIDs)
        if columns.contains("chinese_name"), new.chineseName != old.chineseName {
            o.result.nameVariants =
                old.nameVariants.filter { $0.kind != .chinese } + new.nameVariants.filter { $0.kind == .chinese }
            if !columns.contains("family_name") && !columns.contains("given_name") {
                o.result.familyName = new.familyName
                o.result.givenName = new.givenName
            }
        }
        return o.result
    }

    static func staff(_ new: StaffCensus, onto old: StaffCensus, columns: Set<String>) -> StaffCensus {
        var o = Overlay(result: old, new: new, columns: columns)
        o.take("department", \.departmentID)
        o.take("category", \.category)
        o.take("count", \.count)
        o.take("as_of", \.asOf)
        o.take("note", \.note)
        return o.result
    }

    static func publication(_ new: Publication, onto old: Publication, columns: Set<String>) -> Publication {
        var o = Overlay(result: old, new: new, columns: columns)
        if columns.contains("title"), new.title.plain != old.title.plain { o.result.title = new.title }
        o.take("volume", \.volume)
        o.take("issue", \.issue)
        o.take("pages", \.pages)
        o.take("doi", \.doi)
        o.take("pmid", \.pmid)
        o.take("type", \.kind)
        o.take("departments", \.departmentIDs)
        if columns.contains("published") {
            o.take("published", \.published)
        } else if columns.contains("year"), new.published?.year != old.published?.year {
            o.result.published = new.published
        }
        if columns.contains("journal") || columns.contains("issn") {
            let sameTitle =
                !columns.contains("journal")
                || SheetKind.normalise(new.journal?.title ?? "") == SheetKind.normalise(old.journal?.title ?? "")
            let oldISSN = old.journal?.issnPrint ?? old.journal?.issnElectronic
            let sameISSN = !columns.contains("issn") || new.journal?.issnPrint == oldISSN
            if !(sameTitle && sameISSN) {
                var journal = new.journal
                if !columns.contains("issn"), var j = journal {
                    j.issnPrint = old.journal?.issnPrint
                    journal = j
                }
                o.result.journal = journal
            }
        }
        if columns.contains("authors") || columns.contains("corresponding_author") {
            let names = { (authors: [Author]) in authors.map { SheetKind.normalise($0.shortName) } }
            let corresponding = { (authors: [Author]) in
                authors.filter(\.isCorresponding).map { SheetKind.normalise($0.shortName) }
            }
            if columns.contains("authors"), names(new.authors) != names(old.authors) {
                // Authors named as before keep what the registry knows of them (affiliations, ORCID, person).
                o.result.authors = new.authors.map { author in
                    guard
                        var known = old.authors.first(where: {
                            SheetKind.normalise($0.shortName) == SheetKind.normalise(author.shortName)
                        })
                    else { return author }
                    known.isFirst = author.isFirst
                    known.isCorresponding =
                        columns.contains("corresponding_author") ? author.isCorresponding : known.isCorresponding
                    return known
                }
            } else if columns.contains("corresponding_author"), corresponding(new.authors) != corresponding(old.authors)
            {
                let wanted = Set(corresponding(new.authors))
                o.result.authors = old.authors.map {
                    var a = $0
                    a.isCorresponding = wanted.contains(SheetKind.normalise(a.shortName))
                    return a
                }
            }
        }
        return o.result
    }
}
