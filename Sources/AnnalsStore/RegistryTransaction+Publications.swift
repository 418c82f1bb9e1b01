import AnnalsModel
import Foundation
internal import GRDB

extension RegistryTransaction: PublicationWriting {
    public func publicationIdentifiers(id: String) throws -> PublicationIdentifiers? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT doi, pmid FROM publication WHERE id = ?"), arguments: [id])
            .map { PublicationIdentifiers(doi: $0[0], pmid: $0[1]) }
    }

    public func publicationID(pmid: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM publication WHERE pmid = ? ORDER BY id LIMIT 1"), arguments: [pmid])
    }

    public func publicationID(doi: String) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM publication WHERE doi = ? ORDER BY id LIMIT 1"),
            arguments: [doi.lowercased()])
    }

    public func publicationIDs(title: String, year: Int, firstAuthor: String) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(
                sql: "SELECT id FROM publication WHERE title_key = ? AND year = ? AND first_author_key = ? ORDER BY id"),
            arguments: [Self.fold(title), year, Self.fold(firstAuthor)])
    }

    public func sameRecordCandidates(
        id: String, pmid: String?, doi: String?, title: String, year: Int?, firstAuthor: String?
    ) throws -> SameRecordCandidates {
        // One statement instead of four: each import looks up every record it brings.
        let statement = try db.cachedStatement(
            sql: """
                SELECT 0, id, import_key FROM publication WHERE id = ?
                UNION ALL SELECT * FROM (SELECT 1, id, NULL FROM publication WHERE pmid = ? ORDER BY id LIMIT 1)
                UNION ALL SELECT * FROM (SELECT 2, id, NULL FROM publication WHERE doi = ? ORDER BY id LIMIT 1)
                UNION ALL SELECT 3, id, NULL FROM publication WHERE title_key = ? AND year = ? AND first_author_key = ?
                ORDER BY 1, 2
                """)
        let titleArguments: [DatabaseValueConvertible?] =
            if let year, let firstAuthor { [Self.fold(title), year, Self.fold(firstAuthor)] } else { [nil, nil, nil] }
        var candidates = SameRecordCandidates()
        let rows = try Row.fetchCursor(
            statement, arguments: StatementArguments([id, pmid, doi?.lowercased()] + titleArguments))
        while let row = try rows.next() {
            let found: String = row[1]
            switch row[0] as Int {
            case 0:
                candidates.idExists = true
                candidates.importKey = row[2]
            case 1: candidates.byPMID = found
            case 2: candidates.byDOI = found
            default: candidates.byTitle.append(found)
            }
        }
        return candidates
    }

    public func deletePublication(id: String) throws -> Bool {
        guard let before = try String.fetchOne(db, sql: "SELECT body FROM publication WHERE id = ?", arguments: [id])
        else { return false }
        try db.execute(sql: "DELETE FROM publication WHERE id = ?", arguments: [id])
        try logChange(
            RecordChange(kind: EntityKind.publication.rawValue, recordID: id, operation: .deleted, before: before))
        return true
    }

    @discardableResult
    public func recordMerge(_ merge: PublicationMerge) throws -> Bool {
        let known =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM publication_merge WHERE kept_id = ? AND merged_id = ?",
                arguments: [merge.keptID, merge.mergedID]) ?? false
        try db.execute(
            sql: """
                INSERT INTO publication_merge (kept_id, merged_id, reason, source_file, merged_body, merged_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (kept_id, merged_id) DO UPDATE SET reason = excluded.reason,
                    source_file = excluded.source_file, merged_body = excluded.merged_body
                """,
            arguments: [
                merge.keptID, merge.mergedID, merge.reason, merge.sourceFile, try Self.encode(merge.merged),
                merge.mergedAt.isEmpty ? Self.now() : merge.mergedAt,
            ])
        try logChange(
            RecordChange(
                kind: ChangeLogKind.merge, recordID: merge.mergedID, operation: known ? .replaced : .added,
                after: ChangeLogKind.json(merge)))
        return !known
    }

    public func merge(id: Int) throws -> PublicationMerge? {
        try Row.fetchOne(db, sql: "SELECT * FROM publication_merge WHERE id = ?", arguments: [id]).map(Self.merge)
    }

    public func rejectMerge(id: Int) throws {
        guard let merge = try merge(id: id) else { return }
        try db.execute(
            sql: "INSERT OR IGNORE INTO merge_rejection (first_id, second_id, rejected_at) VALUES (?, ?, ?)",
            arguments: [min(merge.keptID, merge.mergedID), max(merge.keptID, merge.mergedID), Self.now()])
        try db.execute(sql: "DELETE FROM publication_merge WHERE id = ?", arguments: [id])
        try logChange(
            RecordChange(
                kind: ChangeLogKind.merge, recordID: merge.mergedID, operation: .deleted,
                before: ChangeLogKind.json(merge)))
    }

    public func isMergeRejected(_ first: String, _ second: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT 1 FROM merge_rejection WHERE first_id = ? AND second_id = ?",
            arguments: [min(first, second), max(first, second)]) ?? false
    }

    public func reviewStatus(publicationID: String, authorPosition: Int, personID: String) throws -> ReviewItem.Status?
    {
        try String.fetchOne(
            db,
            sql: "SELECT status FROM review_item WHERE publication_id = ? AND author_position = ? AND person_id = ?",
            arguments: [publicationID, authorPosition, personID]
        ).flatMap(ReviewItem.Status.init)
    }

    public func addReviewItem(_ item: ReviewItem) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO review_item (publication_id, author_position, author_name, person_id, reason, status)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                item.publicationID, item.authorPosition, item.authorName, item.personID, item.reason,
                item.status.rawValue,
            ])
        if db.changesCount > 0 {
            try logChange(
                RecordChange(
                    kind: ChangeLogKind.reviewItem, recordID: item.publicationID, operation: .added,
                    after: ChangeLogKind.json(item)))
        }
    }

    public func reviewItem(id: Int) throws -> ReviewItem? {
        try Row.fetchOne(db, sql: "SELECT * FROM review_item WHERE id = ?", arguments: [id]).map(Self.reviewItem)
    }

    public func decideReview(id: Int, status: ReviewItem.Status) throws {
        if var item = try reviewItem(id: id), item.status != status {
            let before = ChangeLogKind.json(item)
            item.status = status
            // A decision changes how the paper is credited: the next import must credit it again.
            try db.execute(
                sql: "UPDATE publication SET import_key = NULL WHERE id = ?", arguments: [item.publicationID])
            try logChange(
                RecordChange(
                    kind: ChangeLogKind.reviewItem, recordID: item.publicationID, operation: .replaced, before: before,
                    after: ChangeLogKind.json(item)))
        }
        try db.execute(
            sql: "UPDATE review_item SET status = ?, decided_at = ? WHERE id = ?",
            arguments: [status.rawValue, Self.now(), id])
    }

    public func addSkippedRecord(_ record: SkippedRecord) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO import_skipped (source_file, position, line, reason, skipped_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [
                record.sourceFile, record.position, record.line, record.reason,
                record.skippedAt.isEmpty ? Self.now() : record.skippedAt,
            ])
    }

    // MARK: - Rows

    static func now() -> String { ChangeEntry.timestamp(Date()) }
}

/// Merges and the review list are read like any record, so listing them never takes the write lock.
extension RegistrySnapshot {
    /// The paper with id `id`, or nil: one row by its key.
    public func publication(id: String) throws -> Publication? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM publication WHERE id = ?"), arguments: [id])
            .map { try Self.decode(Publication.self, from: $0) }
    }

    public func merges() throws -> [PublicationMerge] {
        try Row.fetchAll(db, sql: "SELECT * FROM publication_merge ORDER BY id").map(Self.merge)
    }

    public func reviewItems(status: ReviewItem.Status?) throws -> [ReviewItem] {
        let rows =
            if let status {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM review_item WHERE status = ? ORDER BY id", arguments: [status.rawValue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM review_item ORDER BY id")
            }
        return rows.map(Self.reviewItem)
    }

    public func skippedRecords() throws -> [SkippedRecord] {
        try Row.fetchAll(
            db, sql: "SELECT id, source_file, position, line, reason, skipped_at FROM import_skipped ORDER BY id"
        ).map {
            SkippedRecord(
                id: $0["id"], sourceFile: $0["source_file"], position: $0["position"], line: $0["line"],
                reason: $0["reason"],
                skippedAt: $0["skipped_at"])
        }
    }

    public func duplicateCandidates() throws -> [DuplicateCandidate] {
        try Row.fetchAll(db, sql: DuplicateCandidateQuery.sql).map {
            DuplicateCandidateQuery.candidate(
                firstID: $0[0], secondID: $0[1], title: $0[2], year: $0[3], firstDOI: $0[4], secondDOI: $0[5],
                firstPMID: $0[6], secondPMID: $0[7])
        }
    }

    fileprivate static func merge(_ row: Row) throws -> PublicationMerge {
        PublicationMerge(
            id: row["id"], keptID: row["kept_id"], mergedID: row["merged_id"], reason: row["reason"],
            sourceFile: row["source_file"], merged: try decode(Publication.self, from: row["merged_body"]),
            mergedAt: row["merged_at"])
    }

    fileprivate static func reviewItem(_ row: Row) -> ReviewItem {
        ReviewItem(
            id: row["id"], publicationID: row["publication_id"], authorPosition: row["author_position"],
            authorName: row["author_name"], personID: row["person_id"], reason: row["reason"],
            status: ReviewItem.Status(rawValue: row["status"]) ?? .pending)
    }
}

/// Publications with the same title key, year and first author kept as two records: the same query on
/// both backends (plain SQL both dialects read alike).
enum DuplicateCandidateQuery {
    static let sql = """
        SELECT a.id, b.id, a.title, a.year, a.doi, b.doi, a.pmid, b.pmid
        FROM publication a JOIN publication b
            ON b.title_key = a.title_key AND b.year = a.year AND b.first_author_key = a.first_author_key AND b.id > a.id
        WHERE NOT EXISTS (SELECT 1 FROM merge_rejection r WHERE r.first_id = a.id AND r.second_id = b.id)
        ORDER BY a.id, b.id
        """

    static func candidate(
        firstID: String, secondID: String, title: String, year: Int?, firstDOI: String?, secondDOI: String?,
        firstPMID: String?, secondPMID: String?
    ) -> DuplicateCandidate {
        var why: [String] = []
        if let a = firstDOI, let b = secondDOI, a != b { why.append("different DOIs: \(a) and \(b)") }
        if let a = firstPMID, let b = secondPMID, a != b { why.append("different PMIDs: \(a) and \(b)") }
        let reason = "same title, year and first author; " + (why.isEmpty ? "not merged" : why.joined(separator: "; "))
        return DuplicateCandidate(firstID: firstID, secondID: secondID, title: title, year: year, reason: reason)
    }
}
