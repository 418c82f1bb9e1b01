import AnnalsModel

/// The keys that find the same paper again (PMID, DOI, title + year + first author, id), for every
/// publication, held in memory by a PostgreSQL write transaction once it has looked papers up often
/// enough to be an import of many (`PostgresTransaction.keysAfterLookups`).
///
/// Why it is safe: every writer holds the registry's writers' lock until it commits, so while this
/// transaction runs no one else changes a publication; the transaction's own writes update the keys as
/// they go (`PostgresTransaction.upsert`, `deletePublication`). Answers are the ones the SQL lookups give:
/// the smallest id byte by byte (the columns are `COLLATE "C"`), DOIs compared with the stored text.
///
/// Why: a server is a round trip away. Five lookups for each incoming paper, each a round trip, cost more
/// than SQLite's whole import; with the keys here a new paper costs none, and its rows are sent without
/// waiting.
final class PublicationKeys {
    struct TitleKey: Hashable {
        var title: String
        var year: Int
        var firstAuthor: String
    }

    private struct Row {
        var pmid: String?
        var doi: String?
        var title: TitleKey?
    }

    private var rows: [String: Row] = [:]
    private var byPMID: [String: Set<String>] = [:]
    private var byDOI: [String: Set<String>] = [:]
    private var byTitle: [TitleKey: Set<String>] = [:]

    init(_ session: PostgresSession) throws {
        let result = try session.query("SELECT id, pmid, doi, title_key, year, first_author_key FROM publication")
        rows.reserveCapacity(result.count)
        for row in result {
            guard let id = try row.string(0) else { continue }
            let title = try Self.titleKey(row.string(3), row.int(4), row.string(5))
            add(id, Row(pmid: try row.string(1), doi: try row.string(2), title: title))
        }
    }

    static func titleKey(_ title: String?, _ year: Int?, _ firstAuthor: String?) -> TitleKey? {
        guard let title, let year, let firstAuthor else { return nil }
        return TitleKey(title: title, year: year, firstAuthor: firstAuthor)
    }

    func contains(_ id: String) -> Bool { rows[id] != nil }
    func id(pmid: String) -> String? { Self.first(byPMID[pmid]) }
    func id(doi: String) -> String? { Self.first(byDOI[doi]) }
    func ids(title: TitleKey) -> [String] { (byTitle[title] ?? []).sorted(by: Self.bytewise) }

    /// Notes what a publication row now holds (after an insert or update).
    func set(_ id: String, pmid: String?, doi: String?, title: TitleKey?) {
        remove(id)
        add(id, Row(pmid: pmid, doi: doi, title: title))
    }

    func remove(_ id: String) {
        guard let old = rows.removeValue(forKey: id) else { return }
        if let pmid = old.pmid { byPMID[pmid]?.remove(id) }
        if let doi = old.doi { byDOI[doi]?.remove(id) }
        if let title = old.title { byTitle[title]?.remove(id) }
    }

    private func add(_ id: String, _ row: Row) {
        rows[id] = row
        if let pmid = row.pmid { byPMID[pmid, default: []].insert(id) }
        if let doi = row.doi { byDOI[doi, default: []].insert(id) }
        if let title = row.title { byTitle[title, default: []].insert(id) }
    }

    private static func first(_ ids: Set<String>?) -> String? { ids?.min(by: bytewise) }
    /// The order of `COLLATE "C"` (and of SQLite): by UTF-8 bytes.
    static func bytewise(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
