public import AnnalsInterchange
public import AnnalsModel
import AnnalsStatistics
import AnnalsStore
public import Foundation

/// One page of a list: the items shown and how many there are in all.
///
/// The lists of projects, patents, awards and people are filtered, sorted and paged in memory after one read of
/// the kind (the store returns them whole); a registry holds thousands of these, not millions, so this stays
/// simple. Papers are paged by the store's own listing (`publications`).
public struct ListPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Items matching the filter, on every page.
    public var total: Int
    /// The page shown, from 1.
    public var page: Int
    public var pageSize: Int

    /// Pages in all (at least 1, so "page 1 of 1" is said of an empty list).
    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }

    /// `all` cut to page `page` of `pageSize` (a page past the end is the last page).
    public init(_ all: [Item], page: Int, pageSize: Int) {
        let size = max(1, pageSize)
        let count = max(1, (all.count + size - 1) / size)
        let shown = min(max(1, page), count)
        self.items = Array(all.dropFirst((shown - 1) * size).prefix(size))
        self.total = all.count
        self.page = shown
        self.pageSize = size
    }
}

/// How a list is ordered.
public enum ListOrder: String, Sendable, CaseIterable {
    /// Newest first (then by title).
    case newest
    /// Oldest first (then by title).
    case oldest
    /// By title (or name).
    case title
}

/// What a list of research records asks for: every filter is optional; `search` matches words of the title
/// (English or Chinese) and the record's numbers (grant, application), case and width folded.
public struct RecordFilter: Sendable, Equatable {
    /// A department id or the Chinese name the registry holds.
    public var department: String?
    public var year: Int?
    public var level: Level?
    /// Part of a funder's name (English or Chinese), for projects.
    public var funder: String?
    public var search: String?
    public var order: ListOrder
    public var page: Int
    public var pageSize: Int

    public init(
        department: String? = nil, year: Int? = nil, level: Level? = nil, funder: String? = nil,
        search: String? = nil, order: ListOrder = .newest, page: Int = 1, pageSize: Int = 20
    ) {
        self.department = department
        self.year = year
        self.level = level
        self.funder = funder
        self.search = search
        self.order = order
        self.page = page
        self.pageSize = pageSize
    }
}

/// Everything the registry credits to one person: their papers, projects (as principal investigator), patents
/// (as inventor), awards (as recipient) and the operations tallied to them as surgeon, by year.
public struct PersonRecord: Sendable {
    public var person: Person
    public var publications: [PublicationRow]
    public var projects: [Project]
    public var patents: [Patent]
    public var awards: [Award]
    /// The answer of `annals cases --surgeon ID --by year` (with its exactness); nil when no tally names them.
    public var operationsByYear: CaseAnswer?
    /// The answer of `annals cases --surgeon ID` (all time).
    public var operations: CaseAnswer?
}

extension Registry {
    /// Projects matching `filter`: `year` is the year the project started; newest first by start.
    public func projects(_ filter: RecordFilter) throws -> ListPage<Project> {
        let department = try departmentID(filter.department)
        let all = try read { try $0.projects() }.filter { project in
            if let department, !project.departments.contains(where: { $0.departmentID == department }) { return false }
            if let year = filter.year, project.start?.year != year { return false }
            if let level = filter.level, project.level != level { return false }
            if let funder = filter.funder,
                !Self.contains([project.funder, project.funderZH, project.programme, project.programmeZH], funder)
            {
                return false
            }
            if let search = filter.search,
                !Self.contains([project.title, project.titleZH, project.grantNumber, project.id], search)
            {
                return false
            }
            return true
        }
        return ListPage(
            Self.ordered(all, filter.order, date: { $0.start }, title: { $0.titleZH ?? $0.title }, id: \.id),
            page: filter.page, pageSize: filter.pageSize)
    }

    /// Patents matching `filter`: `year` is the year filed.
    public func patents(_ filter: RecordFilter) throws -> ListPage<Patent> {
        let department = try departmentID(filter.department)
        let all = try read { try $0.patents() }.filter { patent in
            if let department, !patent.departmentIDs.contains(department) { return false }
            if let year = filter.year, patent.filed?.year != year { return false }
            if let search = filter.search,
                !Self.contains(
                    [patent.title, patent.titleZH, patent.applicationNumber, patent.grantNumber, patent.id]
                        + patent.inventors.map(\.name), search)
            {
                return false
            }
            return true
        }
        return ListPage(
            Self.ordered(all, filter.order, date: { $0.filed }, title: { $0.titleZH ?? $0.title }, id: \.id),
            page: filter.page, pageSize: filter.pageSize)
    }

    /// Awards matching `filter`: `year` is the award's year.
    public func awards(_ filter: RecordFilter) throws -> ListPage<Award> {
        let department = try departmentID(filter.department)
        let all = try read { try $0.awards() }.filter { award in
            if let department, !award.departmentIDs.contains(department) { return false }
            if let year = filter.year, award.year != year { return false }
            if let level = filter.level, award.level != level { return false }
            if let search = filter.search,
                !Self.contains([award.name, award.nameZH, award.id] + award.recipients.map(\.name), search)
            {
                return false
            }
            return true
        }
        return ListPage(
            Self.ordered(
                all, filter.order, date: { PartialDate(year: $0.year) }, title: { $0.nameZH ?? $0.name }, id: \.id),
            page: filter.page, pageSize: filter.pageSize)
    }

    /// People of a department (or all), whose name — in hanzi, pinyin or any variant the registry holds —
    /// contains `filter.search` (spaces and case ignored: "gaozhigang", "Gao Zhigang" and "高志刚" all find 高志刚).
    /// Ordered by family name, then given name; `year`, `level` and `order` are not used.
    public func people(_ filter: RecordFilter) throws -> ListPage<Person> {
        let department = try departmentID(filter.department)
        let all = try read { try $0.people() }.filter { person in
            if let department, !person.departmentIDs.contains(department) { return false }
            if let search = filter.search {
                let names =
                    [person.familyName + person.givenName, person.givenName + person.familyName, person.id]
                    + person.nameVariants.map(\.value)
                if !Self.contains(names, search) { return false }
            }
            return true
        }
        .sorted { ($0.familyName, $0.givenName, $0.id) < ($1.familyName, $1.givenName, $1.id) }
        return ListPage(all, page: filter.page, pageSize: filter.pageSize)
    }

    /// The project with id `id`, or nil.
    public func project(id: String) throws -> Project? { try read { try $0.projects() }.first { $0.id == id } }
    /// The patent with id `id`, or nil.
    public func patent(id: String) throws -> Patent? { try read { try $0.patents() }.first { $0.id == id } }
    /// The award with id `id`, or nil.
    public func award(id: String) throws -> Award? { try read { try $0.awards() }.first { $0.id == id } }

    /// The paper with id `id`, or nil (one read by its key).
    public func publication(id: String) throws -> Publication? { try read { try $0.publication(id: id) } }

    /// Everything credited to person `id` (id or hanzi name); nil when the registry has no such person.
    /// The operations are the case questions `annals cases --surgeon ID` and `--by year` ask, with their exactness.
    public func personRecord(id: String) throws -> PersonRecord? {
        let people = try read { try $0.people() }
        guard let person = people.first(where: { $0.id == id || $0.chineseName == id }) else { return nil }
        // Newest first, as every list of papers (undated last, then by id).
        let publications = try self.publications(person: person.id).sorted(by: PublicationRow.newestFirst)
        let (projects, patents, awards) = try read { registry in
            (
                try registry.projects().filter { $0.principalInvestigatorID == person.id },
                try registry.patents().filter { $0.inventors.contains { $0.personID == person.id } },
                try registry.awards().filter { $0.recipients.contains { $0.personID == person.id } }
            )
        }
        let byDate: (PartialDate?, PartialDate?) -> Bool = { ($0 ?? .distantPast) > ($1 ?? .distantPast) }
        let question = CaseQuestion(surgeon: person.id)
        return PersonRecord(
            person: person, publications: publications,
            projects: projects.sorted { byDate($0.start, $1.start) },
            patents: patents.sorted { byDate($0.filed, $1.filed) },
            awards: awards.sorted { $0.year > $1.year },
            operationsByYear: try cases(question, by: .year), operations: try cases(question))
    }

    /// The change log, filtered: the changes of record `record`, made by `actor` (the account or login name, exact),
    /// from day `since` to day `until` (both included, UTC). Newest first, a page at a time.
    public func history(record: String?, actor: String?, since: Date?, until: Date?, page: Int, pageSize: Int) throws
        -> ListPage<ChangeEntry>
    {
        let entries = try read { try $0.history(recordID: record, since: since, recordsPerChange: 20) }
        let end = until.map { $0.addingTimeInterval(86_400) }
        let kept = entries.filter { entry in
            if let actor, entry.actor.name != actor { return false }
            if let end, entry.at >= end { return false }
            return true
        }
        .sorted { $0.id > $1.id }
        return ListPage(kept, page: page, pageSize: pageSize)
    }

    private func departmentID(_ department: String?) throws -> String? {
        guard let department else { return nil }
        return try read { try ReferenceCheck.check(department: department, in: $0).department }
    }

    /// Whether one of `texts` contains `needle`, ignoring case, width, diacritics and spaces.
    static func contains(_ texts: [String?], _ needle: String) -> Bool {
        let folded = fold(needle)
        guard !folded.isEmpty else { return true }
        return texts.contains { $0.map { fold($0).contains(folded) } ?? false }
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .widthInsensitive, .diacriticInsensitive], locale: nil)
            .filter { !$0.isWhitespace && $0 != "-" && $0 != "'" }
    }

    static func ordered<T>(
        _ items: [T], _ order: ListOrder, date: (T) -> PartialDate?, title: (T) -> String, id: (T) -> String
    ) -> [T] {
        switch order {
        case .title:
            return items.sorted { (title($0), id($0)) < (title($1), id($1)) }
        case .newest, .oldest:
            return items.sorted { a, b in
                let (da, db) = (date(a) ?? .distantPast, date(b) ?? .distantPast)
                if da != db { return order == .newest ? da > db : da < db }
                return (title(a), id(a)) < (title(b), id(b))
            }
        }
    }
}

extension PartialDate {
    /// Before every date a registry holds, to sort records without one last.
    static let distantPast = PartialDate(year: 1)!
}
