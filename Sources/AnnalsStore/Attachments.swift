public import AnnalsModel
public import Foundation
internal import GRDB

/// Files attached to records, the same on both backends: what is shown of them through the shared text SQL,
/// the content through each backend's own binding (SQLite BLOB, PostgreSQL bytea). Adding and removing one
/// is logged in the change log as a change of kind "attachment" under the record's id, so it shows in the
/// record's history (the content is never logged, only its name, type, size and SHA-256).
extension RegistryReader {
    static let attachmentColumns =
        "id, record_kind, record_id, file_name, media_type, CAST(size AS TEXT), sha256, added_at, added_by"

    /// The attachments of one record, oldest first.
    public func attachments(of kind: EntityKind, id: String) throws -> [Attachment] {
        try reading.textRows(
            "SELECT \(Self.attachmentColumns) FROM attachment WHERE record_kind = ?1 AND record_id = ?2 ORDER BY added_at, id",
            [kind.rawValue, id]
        ).compactMap(Self.attachment)
    }

    /// The attachment with id `id` (without its content); nil when there is none.
    public func attachment(id: String) throws -> Attachment? {
        try reading.textRows("SELECT \(Self.attachmentColumns) FROM attachment WHERE id = ?1", [id]).first.flatMap(
            Self.attachment)
    }

    /// The content of attachment `id`; nil when there is none.
    public func attachmentContent(id: String) throws -> Data? { try reading.attachmentContent(id: id) }

    static func attachment(_ row: [String?]) -> Attachment? {
        guard let id = row[0], let kind = row[1].flatMap(EntityKind.init(rawValue:)), let recordID = row[2],
            let type = row[4].flatMap(AttachmentType.init(rawValue:))
        else { return nil }
        return Attachment(
            id: id, recordKind: kind, recordID: recordID, fileName: row[3] ?? "", type: type,
            size: row[5].flatMap(Int.init) ?? 0, sha256: row[6] ?? "",
            addedAt: row[7].flatMap(ChangeEntry.date) ?? Date(timeIntervalSince1970: 0), addedBy: row[8] ?? "")
    }
}

extension RegistryWriter {
    /// Keeps `attachment` with its content; logged as added to its record.
    public func addAttachment(_ attachment: Attachment, content: Data) throws {
        try writing.insertAttachment(attachment, content: content)
        try writing.logChanges([
            RecordChange(
                kind: "attachment", recordID: attachment.recordID, operation: .added, before: nil,
                after: attachment.logJSON)
        ])
    }

    /// Removes attachment `id`; logged as deleted from its record. Returns what was removed (nil: none such).
    @discardableResult
    public func removeAttachment(id: String) throws -> Attachment? {
        guard let found = try attachment(id: id) else { return nil }
        try writing.execute("DELETE FROM attachment WHERE id = ?1", [id])
        try writing.logChanges([
            RecordChange(
                kind: "attachment", recordID: found.recordID, operation: .deleted, before: found.logJSON, after: nil)
        ])
        return found
    }
}

extension RegistrySnapshot {
    func attachmentContent(id: String) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT content FROM attachment WHERE id = ?", arguments: [id])
    }
}

extension RegistryTransaction {
    func insertAttachment(_ a: Attachment, content: Data) throws {
        try db.execute(
            sql: """
                INSERT INTO attachment (id, record_kind, record_id, file_name, media_type, size, sha256, added_at,
                    added_by, content)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                a.id, a.recordKind.rawValue, a.recordID, a.fileName, a.type.rawValue, a.size, a.sha256,
                ChangeEntry.timestamp(a.addedAt), a.addedBy, content,
            ])
    }
}

extension PostgresSnapshot {
    func attachmentContent(id: String) throws -> Data? {
        try session.query("SELECT content FROM attachment WHERE id = $1", [.text(id)]).first?.bytes(0)
    }
}

extension PostgresTransaction {
    func insertAttachment(_ a: Attachment, content: Data) throws {
        _ = try session.execute(
            """
            INSERT INTO attachment (id, record_kind, record_id, file_name, media_type, size, sha256, added_at,
                added_by, content)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                .text(a.id), .text(a.recordKind.rawValue), .text(a.recordID), .text(a.fileName), .text(a.type.rawValue),
                .int(a.size), .text(a.sha256), .text(ChangeEntry.timestamp(a.addedAt)), .text(a.addedBy),
                .bytes(content),
            ])
    }
}
