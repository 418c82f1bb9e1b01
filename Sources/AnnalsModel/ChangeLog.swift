public import Foundation

/// Who made a change: for the command line the operating-system user running Annals, later the person signed
/// in to the web application. Every write to a registry names one.
public struct ChangeActor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String

    public init(_ name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.name = trimmed.isEmpty ? "unknown" : trimmed
    }

    public var description: String { name }
}

/// What a change was. Stored as a short code (`import`, `edit`, …) and a detail (the file imported, …).
public enum ChangeAction: Sendable, Hashable, CustomStringConvertible {
    /// An import of a file; `kind` is the format ("registry", "pubmed", "tallies", …).
    case importFile(kind: String, file: String)
    /// A change made by hand (a form, a correction).
    case edit
    /// Two records found to be the same one and merged.
    case merge
    /// A proposed merge undone by a person: the two records are different.
    case mergeRejected
    /// A person's decision on an author waiting for review.
    case reviewDecision
    /// Papers credited again to departments and people.
    case recredit
    /// A record removed (`annals delete`, or a form with the reason given).
    case delete(reason: String?)
    /// A record brought back with `annals restore`.
    case restore
    /// What a new registry starts with (the built-in procedure vocabulary).
    case setUp
    /// Changes kept by an Annals older than the change log, copied into it when the registry was updated.
    case earlier(String)
    /// An action this Annals does not know (written by a newer one).
    case other(code: String, detail: String?)

    /// The code stored in the log.
    public var code: String {
        switch self {
        case .importFile: "import"
        case .edit: "edit"
        case .merge: "merge"
        case .mergeRejected: "merge-rejected"
        case .reviewDecision: "review-decision"
        case .recredit: "recredit"
        case .delete: "delete"
        case .restore: "restore"
        case .setUp: "set-up"
        case .earlier: "earlier"
        case .other(let code, _): code
        }
    }

    /// The detail stored in the log beside the code (for an import, "KIND FILE").
    public var detail: String? {
        switch self {
        case .importFile(let kind, let file): "\(kind) \(file)"
        case .delete(let reason): reason
        case .earlier(let what): what
        case .other(_, let detail): detail
        default: nil
        }
    }

    /// The action as the log stores it, read back.
    public init(code: String, detail: String?) {
        switch code {
        case "import":
            let parts = (detail ?? "").split(separator: " ", maxSplits: 1).map(String.init)
            self = .importFile(kind: parts.first ?? "", file: parts.count > 1 ? parts[1] : "")
        case "edit": self = .edit
        case "merge": self = .merge
        case "merge-rejected": self = .mergeRejected
        case "review-decision": self = .reviewDecision
        case "recredit": self = .recredit
        case "delete": self = .delete(reason: detail)
        case "restore": self = .restore
        case "set-up": self = .setUp
        case "earlier": self = .earlier(detail ?? "")
        default: self = .other(code: code, detail: detail)
        }
    }

    /// The action in a few plain words, for the history table.
    public var description: String {
        switch self {
        case .importFile(let kind, let file): "import of \(file) (\(kind))"
        case .edit: "edit"
        case .merge: "merge"
        case .mergeRejected: "merge rejected"
        case .reviewDecision: "review decision"
        case .recredit: "credit again"
        case .delete(let reason): reason.map { "delete (\($0))" } ?? "delete"
        case .restore: "restore"
        case .setUp: "new registry set up"
        case .earlier(let what): "earlier change (\(what))"
        case .other(let code, let detail): detail.map { "\(code) \($0)" } ?? code
        }
    }
}

/// What one change did to one record.
public enum RecordOperation: String, Sendable, Hashable, Codable {
    case added
    case replaced
    case deleted
}

/// One record changed by a change: its kind (an `EntityKind` raw value such as "patent" or "org-unit", or
/// "merge" and "review-item" for the registry's decisions), id, and its canonical JSON before and after.
///
/// `before` is nil for a record added; `after` is nil for a record deleted. For a record added, `after` is
/// not kept (it is the record's first stored version: what the next change found, or the record as it is
/// now) and is filled in when a record's history is read; the same holds for changes copied from an Annals
/// older than the log.
public struct RecordChange: Sendable, Hashable, Codable {
    public var kind: String
    public var recordID: String
    public var operation: RecordOperation
    public var before: String?
    public var after: String?

    public init(kind: String, recordID: String, operation: RecordOperation, before: String? = nil, after: String? = nil)
    {
        self.kind = kind
        self.recordID = recordID
        self.operation = operation
        self.before = before
        self.after = after
    }

    /// The fields that differ between `before` and `after`, when both are known.
    public var fieldChanges: [FieldChange] {
        guard let before, let after else { return [] }
        return FieldChange.between(before, after)
    }
}

/// One line of the change log: when, who, what, and the records it changed.
public struct ChangeEntry: Sendable, Hashable {
    /// The change's number in the log (increasing).
    public var id: Int
    /// When, in UTC.
    public var at: Date
    public var actor: ChangeActor
    public var action: ChangeAction
    public var records: [RecordChange]
    /// How many records the change touched in all (`records` may hold only some of them, or only one record's).
    public var recordCount: Int

    public init(
        id: Int, at: Date, actor: ChangeActor, action: ChangeAction, records: [RecordChange], recordCount: Int? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.records = records
        self.recordCount = recordCount ?? records.count
    }

    /// The time as the log stores it: ISO 8601 in UTC, to the second (`2026-12-06T22:03:00Z`).
    ///
    /// Foundation's format style, not `ISO8601DateFormatter`: the same text, but making a formatter took about
    /// 0.1 ms and reading with one 0.2 ms, and the server reads three of these for every request it serves.
    public static func timestamp(_ date: Date) -> String { secondsStyle.format(date) }

    /// A stored timestamp read back (to the second, or with a fraction of a second); nil when it is not ISO 8601.
    public static func date(_ text: String) -> Date? {
        try? (text.contains(".") ? fractionStyle : secondsStyle).parse(text)
    }

    private static let secondsStyle = Date.ISO8601FormatStyle()
    private static let fractionStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// A field whose value differs between two versions of a record.
public struct FieldChange: Sendable, Hashable, Codable {
    /// The field's path in the record's JSON ("title", "departmentIDs", "authors[2].personID").
    public var path: String
    /// The value before and after, as compact JSON; nil when the field was absent.
    public var before: String?
    public var after: String?

    public init(path: String, before: String?, after: String?) {
        self.path = path
        self.before = before
        self.after = after
    }

    /// The field's name in plain words: "principalInvestigatorID" → "principal investigator ID",
    /// "authors[2].personID" → "author 3 › person ID".
    public var readableName: String {
        path.split(separator: ".").map { part -> String in
            var name = String(part)
            var suffix = ""
            if let open = name.firstIndex(of: "["), let close = name.firstIndex(of: "]"), open < close,
                let index = Int(name[name.index(after: open)..<close])
            {
                let base = String(name[..<open])
                name = base.hasSuffix("s") && base.count > 2 ? String(base.dropLast()) : base
                suffix = " \(index + 1)"
            }
            return Self.words(name) + suffix
        }.joined(separator: " › ")
    }

    /// "departmentIDs" → "department IDs"; "issnPrint" → "issn print".
    static func words(_ name: String) -> String {
        var out = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previousLower = chars[i - 1].isLowercase
                let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase && chars[i - 1].isUppercase
                if previousLower || nextLower { out.append(" ") }
            }
            if c == "_" || c == "-" {
                out.append(" ")
                continue
            }
            out.append(c)
        }
        // Keep acronyms (ID, IDs, DOI, PMID); lower-case ordinary words.
        return out.split(separator: " ").map { word -> String in
            let letters = word.filter(\.isLetter)
            let upper = letters.filter(\.isUppercase).count
            return upper >= 2 || (upper == letters.count && !letters.isEmpty) ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }

    /// The fields that differ between two JSON documents (objects compared key by key, arrays item by item;
    /// an array of plain values is compared whole).
    public static func between(_ before: String, _ after: String) -> [FieldChange] {
        let old = try? JSONSerialization.jsonObject(with: Data(before.utf8), options: [.fragmentsAllowed])
        let new = try? JSONSerialization.jsonObject(with: Data(after.utf8), options: [.fragmentsAllowed])
        var changes: [FieldChange] = []
        compare(old, new, path: "", into: &changes)
        return changes
    }

    private static func compare(_ old: Any?, _ new: Any?, path: String, into changes: inout [FieldChange]) {
        if let a = old as? [String: Any], let b = new as? [String: Any] {
            for key in Set(a.keys).union(b.keys).sorted() {
                compare(a[key], b[key], path: path.isEmpty ? key : "\(path).\(key)", into: &changes)
            }
            return
        }
        if let a = old as? [Any], let b = new as? [Any],
            a.contains(where: { $0 is [String: Any] }) || b.contains(where: { $0 is [String: Any] })
        {
            for i in 0..<max(a.count, b.count) {
                compare(i < a.count ? a[i] : nil, i < b.count ? b[i] : nil, path: "\(path)[\(i)]", into: &changes)
            }
            return
        }
        let a = old.map(json)
        let b = new.map(json)
        if a != b { changes.append(FieldChange(path: path.isEmpty ? "record" : path, before: a, after: b)) }
    }

    private static func json(_ value: Any) -> String {
        if value is NSNull { return "null" }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What `annals delete` refused: other records still refer to the one to delete.
public struct Referrer: Sendable, Hashable {
    /// The kind of the referring record ("person", "case tally", …) and its id.
    public var kind: String
    public var id: String
    /// How it refers ("author", "department", …).
    public var role: String

    public init(kind: String, id: String, role: String) {
        self.kind = kind
        self.id = id
        self.role = role
    }
}
