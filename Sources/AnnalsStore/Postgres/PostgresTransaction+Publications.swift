import AnnalsModel
import Foundation

extension PostgresTransaction {
    func publicationIdentifiers(id: String) throws -> PublicationIdentifiers? {
        try session.query("SELECT doi, pmid FROM publication WHERE id = $1", [.text(id)]).first.map {
            PublicationIdentifiers(doi: try $0.string(0), pmid: try $0.string(1))
        }
    }

    func publicationID(pmid: String) throws -> String? {
        if let keys = try publicationKeys() { return keys.id(pmid: pmid) }
        return try session.query("SELECT id FROM publication WHERE pmid = $1 ORDER BY id LIMIT 1", [.text(pmid)]).first?
            .string(0)
    }

    func publicationID(doi: String) throws -> String? {
        if let keys = try publicationKeys() { return keys.id(doi: doi.lowercased()) }
        return try session.query(
            "SELECT id FROM publication WHERE doi = $1 ORDER BY id LIMIT 1", [.text(doi.lowercased())]
        ).first?.string(0)
    }

    func publicationIDs(title: String, year: Int, firstAuthor: String) throws -> [String] {
        if let keys = try publicationKeys() {
            return keys.ids(
                title: .init(
                    title: RegistryTransaction.fold(title), year: year,
                    firstAuthor: RegistryTransaction.fold(firstAuthor)))
        }
        return try session.query(
            "SELECT id FROM publication WHERE title_key = $1 AND year = $2 AND first_author_key = $3 ORDER BY id",
            [.text(RegistryTransaction.fold(title)), .int(year), .text(RegistryTransaction.fold(firstAuthor))]
        ).compactMap { try $0.string(0) }
    }

    func sameRecordCandidates(
        id: String, pmid: String?, doi: String?, title: String, year: Int?, firstAuthor: String?
    ) throws -> SameRecordCandidates {
        let titleKey: PublicationKeys.TitleKey? =
            if let year, let firstAuthor {
                .init(
                    title: RegistryTransaction.fold(title), year: year,
                    firstAuthor: RegistryTransaction.fold(firstAuthor))
            } else { nil }
        if let keys = try publicationKeys() {
            return SameRecordCandidates(
                idExists: keys.contains(id), byPMID: pmid.flatMap(keys.id(pmid:)),
                byDOI: doi.flatMap { keys.id(doi: $0.lowercased()) },
                byTitle: titleKey.map(keys.ids(title:)) ?? [])
        }
        // One round trip instead of four.
        let row = try session.query(
            """
            SELECT EXISTS (SELECT 1 FROM publication WHERE id = $1),
                   (SELECT id FROM publication WHERE pmid = $2 ORDER BY id LIMIT 1),
                   (SELECT id FROM publication WHERE doi = $3 ORDER BY id LIMIT 1),
                   ARRAY(SELECT id FROM publication WHERE title_key = $4 AND year = $5 AND first_author_key = $6 ORDER BY id)
            """,
            [
                .text(id), .text(pmid), .text(doi?.lowercased()), .text(titleKey?.title), .int(titleKey?.year),
                .text(titleKey?.firstAuthor),
            ]
        ).first
        return SameRecordCandidates(
            idExists: try row?.bool(0) ?? false, byPMID: try row?.string(1), byDOI: try row?.string(2),
            byTitle: try row?.strings(3) ?? [])
    }

    func deletePublication(id: String) throws -> Bool {
        guard let before = try session.query("SELECT body FROM publication WHERE id = $1", [.text(id)]).first?.string(0)
        else { return false }
        keys?.remove(id)
        _ = try session.execute("DELETE FROM publication WHERE id = $1", [.text(id)])
        try logChange(
            RecordChange(kind: EntityKind.publication.rawValue, recordID: id, operation: .deleted, before: before))
        return true
    }

    @discardableResult
    func recordMerge(_ merge: PublicationMerge) throws -> Bool {
        let known = try !session.query(
            "SELECT 1 FROM publication_merge WHERE kept_id = $1 AND merged_id = $2",
            [.text(merge.keptID), .text(merge.mergedID)]
        ).isEmpty
        session.send(
            """
            INSERT INTO publication_merge (kept_id, merged_id, reason, source_file, merged_body, merged_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (kept_id, merged_id) DO UPDATE SET reason = excluded.reason,
                source_file = excluded.source_file, merged_body = excluded.merged_body
            """,
            [
                .text(merge.keptID), .text(merge.mergedID), .text(merge.reason), .text(merge.sourceFile),
                .text(try RegistryTransaction.encode(merge.merged)),
                .text(merge.mergedAt.isEmpty ? RegistryTransaction.now() : merge.mergedAt),
            ])
        try logChange(
            RecordChange(
                kind: ChangeLogKind.merge, recordID: merge.mergedID, operation: known ? .replaced : .added,
                after: ChangeLogKind.json(merge)))
        return !known
    }

    func merge(id: Int) throws -> PublicationMerge? {
        try session.query("SELECT \(Self.mergeColumns) FROM publication_merge WHERE id = $1", [.int(id)]).first.map(
            Self.merge)
    }

    func rejectMerge(id: Int) throws {
        guard let merge = try merge(id: id) else { return }
        try session.execute(
            "INSERT INTO merge_rejection (first_id, second_id, rejected_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [
                .text(min(merge.keptID, merge.mergedID)), .text(max(merge.keptID, merge.mergedID)),
                .text(RegistryTransaction.now()),
            ])
        try session.execute("DELETE FROM publication_merge WHERE id = $1", [.int(id)])
        try logChange(
            RecordChange(
                kind: ChangeLogKind.merge, recordID: merge.mergedID, operation: .deleted,
                before: ChangeLogKind.json(merge)))
    }

    func isMergeRejected(_ first: String, _ second: String) throws -> Bool {
        try !session.query(
            "SELECT 1 FROM merge_rejection WHERE first_id = $1 AND second_id = $2",
            [.text(min(first, second)), .text(max(first, second))]
        ).isEmpty
    }

    func reviewStatus(publicationID: String, authorPosition: Int, personID: String) throws -> ReviewItem.Status? {
        try session.query(
            "SELECT status FROM review_item WHERE publication_id = $1 AND author_position = $2 AND person_id = $3",
            [.text(publicationID), .int(authorPosition), .text(personID)]
        ).first?.string(0).flatMap(ReviewItem.Status.init)
    }

    func addReviewItem(_ item: ReviewItem) throws {
        // The item and its line in the change log are written only when the item is new: an import that
        // proposes again what is already waiting for review changes nothing, and so logs nothing.
        let added = try session.query(
            """
            INSERT INTO review_item (publication_id, author_position, author_name, person_id, reason, status)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id
            """,
            [
                .text(item.publicationID), .int(item.authorPosition), .text(item.authorName), .text(item.personID),
                .text(item.reason),
                .text(item.status.rawValue),
            ])
        guard !added.isEmpty else { return }
        try logChange(
            RecordChange(
                kind: ChangeLogKind.reviewItem, recordID: item.publicationID, operation: .added,
                after: ChangeLogKind.json(item)))
    }

    func addSkippedRecord(_ record: SkippedRecord) throws {
        try session.execute(
            """
            INSERT INTO import_skipped (source_file, position, line, reason, skipped_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING
            """,
            [
                .text(record.sourceFile), .int(record.position), .int(record.line), .text(record.reason),
                .text(record.skippedAt.isEmpty ? RegistryTransaction.now() : record.skippedAt),
            ])
    }

    func reviewItem(id: Int) throws -> ReviewItem? {
        try session.query("SELECT \(Self.reviewColumns) FROM review_item WHERE id = $1", [.int(id)]).first.map(
            Self.reviewItem)
    }

    func decideReview(id: Int, status: ReviewItem.Status) throws {
        if var item = try reviewItem(id: id), item.status != status {
            let before = ChangeLogKind.json(item)
            item.status = status
            try logChange(
                RecordChange(
                    kind: ChangeLogKind.reviewItem, recordID: item.publicationID, operation: .replaced, before: before,
                    after: ChangeLogKind.json(item)))
        }
        try session.execute(
            "UPDATE review_item SET status = $1, decided_at = $2 WHERE id = $3",
            [.text(status.rawValue), .text(RegistryTransaction.now()), .int(id)])
    }
}

/// Merges and the review list are read like any record, so listing them never takes the write lock.
extension PostgresSnapshot {
    static let mergeColumns = "id, kept_id, merged_id, reason, source_file, merged_body, merged_at"
    static let reviewColumns = "id, publication_id, author_position, author_name, person_id, reason, status"

    func publication(id: String) throws -> Publication? {
        try session.query("SELECT body FROM publication WHERE id = $1", [.text(id)]).first.map {
            try RegistrySnapshot.decode(Publication.self, from: try $0.string(0) ?? "")
        }
    }

    func merges() throws -> [PublicationMerge] {
        try session.query("SELECT \(Self.mergeColumns) FROM publication_merge ORDER BY id").map(Self.merge)
    }

    func reviewItems(status: ReviewItem.Status?) throws -> [ReviewItem] {
        let rows =
            if let status {
                try session.query(
                    "SELECT \(Self.reviewColumns) FROM review_item WHERE status = $1 ORDER BY id",
                    [.text(status.rawValue)])
            } else {
                try session.query("SELECT \(Self.reviewColumns) FROM review_item ORDER BY id")
            }
        return try rows.map(Self.reviewItem)
    }

    func skippedRecords() throws -> [SkippedRecord] {
        try session.query("SELECT id, source_file, position, line, reason, skipped_at FROM import_skipped ORDER BY id")
            .map {
                SkippedRecord(
                    id: try $0.int(0) ?? 0, sourceFile: try $0.string(1) ?? "", position: try $0.int(2) ?? 0,
                    line: try $0.int(3) ?? 0,
                    reason: try $0.string(4) ?? "", skippedAt: try $0.string(5) ?? "")
            }
    }

    func duplicateCandidates() throws -> [DuplicateCandidate] {
        try session.query(DuplicateCandidateQuery.sql).map {
            DuplicateCandidateQuery.candidate(
                firstID: try $0.string(0) ?? "", secondID: try $0.string(1) ?? "", title: try $0.string(2) ?? "",
                year: try $0.int(3),
                firstDOI: try $0.string(4), secondDOI: try $0.string(5), firstPMID: try $0.string(6),
                secondPMID: try $0.string(7))
        }
    }

    fileprivate static func merge(_ row: PGRow) throws -> PublicationMerge {
        PublicationMerge(
            id: try row.int(0) ?? 0, keptID: try row.string(1) ?? "", mergedID: try row.string(2) ?? "",
            reason: try row.string(3) ?? "",
            sourceFile: try row.string(4),
            merged: try RegistrySnapshot.decode(Publication.self, from: try row.string(5) ?? ""),
            mergedAt: try row.string(6) ?? "")
    }

    fileprivate static func reviewItem(_ row: PGRow) throws -> ReviewItem {
        ReviewItem(
            id: try row.int(0) ?? 0, publicationID: try row.string(1) ?? "", authorPosition: try row.int(2) ?? 0,
            authorName: try row.string(3) ?? "", personID: try row.string(4) ?? "", reason: try row.string(5) ?? "",
            status: ReviewItem.Status(rawValue: try row.string(6) ?? "") ?? .pending)
    }
}
