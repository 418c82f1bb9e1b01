public import AnnalsModel
import Foundation

/// The change log as JSON (`annals history --format json`, `GET /api/history`): each line with its records,
/// their bodies before and after parsed, and the fields a replacement changed.
public enum HistoryJSON {
    public static func render(_ entries: [ChangeEntry]) throws -> String {
        func parsed(_ text: String?) -> Any {
            guard let text,
                let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            else {
                return NSNull()
            }
            return value
        }
        let list: [[String: Any]] = entries.map { entry in
            [
                "change": entry.id,
                "at": ChangeEntry.timestamp(entry.at),
                "actor": entry.actor.name,
                "action": entry.action.code,
                "detail": entry.action.detail ?? NSNull(),
                "recordCount": entry.recordCount,
                "records": entry.records.map { record -> [String: Any] in
                    [
                        "kind": record.kind, "id": record.recordID, "operation": record.operation.rawValue,
                        "before": parsed(record.before), "after": parsed(record.after),
                        "fields": record.operation == .replaced
                            ? record.fieldChanges.map { field -> [String: Any] in
                                [
                                    "field": field.path, "name": field.readableName, "before": parsed(field.before),
                                    "after": parsed(field.after),
                                ]
                            } : [],
                    ]
                },
            ]
        }
        let data = try JSONSerialization.data(
            withJSONObject: list, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
