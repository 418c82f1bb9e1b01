import AnnalsModel

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
    func publicationPage(year: Int?, department: String?, offset: Int, limit: Int) throws -> PublicationPage {
        let (filter, arguments) = Self.publicationFilter(year: year, department: department)
        let total = try textRows("SELECT CAST(COUNT(*) AS TEXT) FROM publication\(filter)", arguments)
            .first?.first?.flatMap { Int($0) }
        // Ids first: ordering the whole list with each paper's body would copy every body into the sort.
        let ids = try textRows(
            """
            SELECT id FROM publication\(filter) ORDER BY year DESC NULLS LAST, id
            LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """, arguments
        ).compactMap { $0.first ?? nil }
        return PublicationPage(total: total ?? 0, publications: try publications(ids: ids))
    }

    /// The newest year a paper (credited to `department`; nil: any) is published in; nil when none is dated.
    func latestPublicationYear(department: String?) throws -> Int? {
        let (filter, arguments) = Self.publicationFilter(year: nil, department: department)
        return try textRows("SELECT CAST(MAX(year) AS TEXT) FROM publication\(filter)", arguments)
            .first?.first?.flatMap { Int($0) }
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

    /// ` WHERE …` for the filters given, with its arguments (`?1`, `?2` …; the year cast, as every argument is
    /// text).
    private static func publicationFilter(year: Int?, department: String?) -> (String, [String?]) {
        var conditions: [String] = []
        var arguments: [String?] = []
        if let year {
            arguments.append(String(year))
            conditions.append("year = CAST(?\(arguments.count) AS INTEGER)")
        }
        if let department {
            arguments.append(department)
            conditions.append(
                "id IN (SELECT publication_id FROM publication_department WHERE department_id = ?\(arguments.count))")
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
