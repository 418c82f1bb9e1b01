public import AnnalsModel

/// One page of a list of papers, and how many papers the whole list holds.
public struct PublicationPage: Sendable {
    public var total: Int
    public var publications: [Publication]
}

/// Paper lists read a page at a time, the same SQL on both backends (through `textRows`): a department's list
/// of 30,000 papers is counted and ordered by the database, and only the papers shown are read whole.
extension StoreReading {
    /// The papers matching the filters (nil: no filter), newest year first (undated last), then by id: `limit`
    /// of them from `offset` on, with how many match in all.
    ///
    /// Counted and paged from one index each, without reading a paper's row: a department's list from the
    /// credits, which carry the paper's year (migration v15-paper-list-order), the hospital's from the papers'
    /// year and id. Every credit names a paper the registry holds (a foreign key), so counting credits counts
    /// papers.
    func publicationPage(year: Int?, department: String?, offset: Int, limit: Int) throws -> PublicationPage {
        let (table, id, filter, arguments) = Self.publicationList(year: year, department: department)
        let total = try textRows("SELECT CAST(COUNT(*) AS TEXT) FROM \(table)\(filter)", arguments)
            .first?.first?.flatMap { Int($0) }
        let ids = try textRows(
            """
            SELECT \(id) FROM \(table)\(filter) ORDER BY year DESC NULLS LAST, \(id)
            LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """, arguments
        ).compactMap { $0.first ?? nil }
        return PublicationPage(total: total ?? 0, publications: try publications(ids: ids))
    }

    /// The newest year a paper (credited to `department`; nil: any) is published in; nil when none is dated.
    func latestPublicationYear(department: String?) throws -> Int? {
        let (table, _, filter, arguments) = Self.publicationList(year: nil, department: department)
        return try textRows("SELECT CAST(MAX(year) AS TEXT) FROM \(table)\(filter)", arguments)
            .first?.first?.flatMap { Int($0) }
    }

    /// What `check` says when a department's credit carries a year other than its paper's (the department's
    /// paper list would then be out of order): nothing, or one line.
    func paperListProblems() throws -> [String] {
        let rows = try textRows(
            """
            SELECT CAST(COUNT(*) AS TEXT) FROM publication_department d JOIN publication p ON p.id = d.publication_id
            WHERE d.year <> p.year OR (d.year IS NULL) <> (p.year IS NULL)
            """, [])
        let count = rows.first?.first?.flatMap { Int($0) } ?? 0
        guard count > 0 else { return [] }
        return [
            "\(count) department credits of papers carry another year than their paper, so paper lists are out of order: the registry was changed outside Annals; restore it from a backup"
        ]
    }

    /// The papers with these ids, in the order given (ids no paper has are left out).
    func publications(ids: [String]) throws -> [Publication] {
        guard !ids.isEmpty else { return [] }
        let marks = (1...ids.count).map { "?\($0)" }.joined(separator: ", ")
        let bodies = try textRows("SELECT id, body FROM publication WHERE id IN (\(marks))", ids)
        var byID: [String: Publication] = [:]
        for row in bodies {
            guard let id = row[0], let body = row[1] else { continue }
            byID[id] = try RegistrySnapshot.decode(Publication.self, from: body)
        }
        return ids.compactMap { byID[$0] }
    }

    /// Where a list with these filters is read: the table (a department's credits, or the papers), its paper id
    /// column, ` WHERE …` and the arguments (`?1`, `?2` …; the year cast, as every argument is text). Both tables
    /// have a `year` column.
    private static func publicationList(year: Int?, department: String?) -> (
        table: String, id: String, filter: String, arguments: [String?]
    ) {
        var conditions: [String] = []
        var arguments: [String?] = []
        if let department {
            arguments.append(department)
            conditions.append("department_id = ?\(arguments.count)")
        }
        if let year {
            arguments.append(String(year))
            conditions.append("year = CAST(?\(arguments.count) AS INTEGER)")
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return department == nil
            ? ("publication", "id", filter, arguments) : ("publication_department", "publication_id", filter, arguments)
    }
}
