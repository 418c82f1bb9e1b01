import AnnalsModel
import Synchronization

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
    private var byPMID: [String: IDs] = [:]
    private var byDOI: [String: IDs] = [:]
    private var byTitle: [TitleKey: IDs] = [:]

    /// The ids under one key: nearly always one paper's, so held without a set of its own (a set per key was a
    /// third of the memory the keys of 100,000 papers took).
    struct IDs {
        private(set) var first: String
        private(set) var others: [String] = []

        init(_ id: String) { first = id }

        var all: [String] { [first] + others }
        /// The smallest id, byte by byte (what SQL's `MIN` or `ORDER BY … LIMIT 1` answers).
        var smallest: String { others.reduce(first) { PublicationKeys.bytewise($1, $0) ? $1 : $0 } }

        mutating func insert(_ id: String) {
            if id != first && !others.contains(id) { others.append(id) }
        }

        /// Removes `id`; false when no id is left.
        mutating func remove(_ id: String) -> Bool {
            if id == first {
                guard let next = others.popLast() else { return false }
                first = next
            } else {
                others.removeAll { $0 == id }
            }
            return true
        }
    }

    /// The papers are read this many at a time, in the order of their ids: the keys of 100,000 papers read in one
    /// answer held the whole answer (and the connection's buffer it grew) beside the keys made of it, about 60 MB
    /// more at the peak of an upload. Tests make it small, to read in many pieces.
    static let rowsPerRead = Atomic<Int>(10_000)

    init(_ session: PostgresSession) throws {
        let count = try session.query("SELECT COUNT(*) FROM publication").first?.int(0) ?? 0
        rows.reserveCapacity(count)
        byPMID.reserveCapacity(count)
        byDOI.reserveCapacity(count)
        byTitle.reserveCapacity(count)
        let limit = max(1, Self.rowsPerRead.load(ordering: .relaxed))
        var after = ""
        while true {
            let result = try session.query(
                "SELECT id, pmid, doi, title_key, year, first_author_key FROM publication WHERE id > $1 ORDER BY id LIMIT \(limit)",
                [.text(after)])
            for row in result {
                guard let id = try row.string(0) else { continue }
                let title = try Self.titleKey(row.string(3), row.int(4), row.string(5))
                add(id, Row(pmid: try row.string(1), doi: try row.string(2), title: title))
                after = id
            }
            if result.count < limit { break }
        }
    }

    static func titleKey(_ title: String?, _ year: Int?, _ firstAuthor: String?) -> TitleKey? {
        guard let title, let year, let firstAuthor else { return nil }
        return TitleKey(title: title, year: year, firstAuthor: firstAuthor)
    }

    func contains(_ id: String) -> Bool { rows[id] != nil }
    func id(pmid: String) -> String? { byPMID[pmid]?.smallest }
    func id(doi: String) -> String? { byDOI[doi]?.smallest }
    func ids(title: TitleKey) -> [String] { (byTitle[title]?.all ?? []).sorted(by: Self.bytewise) }

    /// Notes what a publication row now holds (after an insert or update).
    func set(_ id: String, pmid: String?, doi: String?, title: TitleKey?) {
        remove(id)
        add(id, Row(pmid: pmid, doi: doi, title: title))
    }

    func remove(_ id: String) {
        guard let old = rows.removeValue(forKey: id) else { return }
        if let pmid = old.pmid { Self.remove(id, at: pmid, in: &byPMID) }
        if let doi = old.doi { Self.remove(id, at: doi, in: &byDOI) }
        if let title = old.title { Self.remove(id, at: title, in: &byTitle) }
    }

    private func add(_ id: String, _ row: Row) {
        rows[id] = row
        if let pmid = row.pmid { Self.insert(id, at: pmid, in: &byPMID) }
        if let doi = row.doi { Self.insert(id, at: doi, in: &byDOI) }
        if let title = row.title { Self.insert(id, at: title, in: &byTitle) }
    }

    private static func insert<Key: Hashable>(_ id: String, at key: Key, in index: inout [Key: IDs]) {
        if index[key]?.insert(id) == nil { index[key] = IDs(id) }
    }

    private static func remove<Key: Hashable>(_ id: String, at key: Key, in index: inout [Key: IDs]) {
        if index[key]?.remove(id) == false { index[key] = nil }
    }

    /// The order of `COLLATE "C"` (and of SQLite): by UTF-8 bytes.
    static func bytewise(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
