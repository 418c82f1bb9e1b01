public import Foundation

/// The kinds of file a record may carry as an attachment (a grant letter, a patent or award certificate).
public enum AttachmentType: String, Sendable, Hashable, Codable, CaseIterable {
    case pdf, jpeg, png

    /// The media type the file is served as (always as a download).
    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    /// The file name ending that goes with the type.
    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    /// The type the content itself shows by its first bytes (its "magic number"), whatever the file is called
    /// or the browser said it was; nil when it is none of the kinds taken. A PDF may have a few bytes before
    /// `%PDF-` (some writers put a byte-order mark or a blank line first; readers look in the first kilobyte).
    public static func sniff(_ head: some Collection<UInt8>) -> AttachmentType? {
        let bytes = Array(head.prefix(1024))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        let pdf: [UInt8] = Array("%PDF-".utf8)
        if bytes.count >= pdf.count {
            for start in 0...(bytes.count - pdf.count) where bytes[start..<start + pdf.count].elementsEqual(pdf) {
                return .pdf
            }
        }
        return nil
    }
}

/// A file attached to a record (a project, patent, award, paper or person): what it is and who added it.
/// The content is kept in the registry beside it and read only when it is downloaded.
public struct Attachment: Sendable, Hashable, Codable {
    /// A random id, used in download links.
    public var id: String
    /// The kind of record it belongs to.
    public var recordKind: EntityKind
    public var recordID: String
    /// The file name as the person who added it called it (shown, and offered when downloading).
    public var fileName: String
    public var type: AttachmentType
    /// Bytes.
    public var size: Int
    /// SHA-256 (hex) of the content.
    public var sha256: String
    public var addedAt: Date
    public var addedBy: String

    public init(
        id: String, recordKind: EntityKind, recordID: String, fileName: String, type: AttachmentType, size: Int,
        sha256: String, addedAt: Date, addedBy: String
    ) {
        self.id = id
        self.recordKind = recordKind
        self.recordID = recordID
        self.fileName = fileName
        self.type = type
        self.size = size
        self.sha256 = sha256
        self.addedAt = addedAt
        self.addedBy = addedBy
    }

    /// The kinds of record that take attachments.
    public static let recordKinds: [EntityKind] = [.project, .patent, .award, .publication, .person]

    /// The attachment as the change log keeps it (no content): canonical JSON with sorted keys.
    public var logJSON: String {
        let object: [String: Any] = [
            "attachment": id, "file": fileName, "type": type.rawValue, "size": size, "sha256": sha256,
            "record": "\(recordKind.rawValue) \(recordID)",
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension ChangeAction {
    /// A file attached to a record, or removed from it (`detail`: "add FILE to KIND ID", "remove FILE from …").
    public static func attachment(_ detail: String) -> ChangeAction { .other(code: "attachment", detail: detail) }
}
