public import AnnalsModel
import Foundation

/// Who is writing and why, for the change log; the log line's number once the first change has written it.
/// One per write transaction, set by `RegistryStore.write(as:doing:)` before its body runs.
final class ChangeContext {
    let actor: ChangeActor
    let action: ChangeAction
    var changeID: Int?

    init(_ actor: ChangeActor, _ action: ChangeAction) {
        self.actor = actor
        self.action = action
    }
}

/// The few statements the change log needs, the same on both backends: SQL written with `?1`, `?2` … (SQLite
/// takes them as they are; PostgreSQL gets `$1`, `$2` …), every value read back as text (numbers are cast).
protocol ChangeLogSQL: AnyObject {
    func textRows(_ sql: String, _ arguments: [String?]) throws -> [[String?]]
}

extension StoreReading {
    /// Changes whenever the registry's records change: the number of lines in the change log and the last one's
    /// number and time. Every write that changes a record adds a line; the count (not only the last number) covers
    /// PostgreSQL transactions that commit in another order than they took their numbers, and the time covers a
    /// registry restored from a backup and written again up to the same number.
    func changeStamp() throws -> String {
        let row = try textRows(
            "SELECT CAST(COUNT(*) AS TEXT), CAST(MAX(id) AS TEXT), MAX(changed_at) FROM change_log", []
        ).first
        return (row ?? []).map { $0 ?? "-" }.joined(separator: "/")
    }

    /// Every line of the log from `since` (a UTC timestamp) on, oldest first, with its records: all of them,
    /// or at most `recordsPerChange`, or only those of `recordID`.
    func changeEntries(recordID: String?, kind: String?, since: String?, recordsPerChange: Int?) throws -> [ChangeEntry]
    {
        var conditions: [String] = []
        var arguments: [String?] = []
        if let since {
            arguments.append(since)
            conditions.append("l.changed_at >= ?\(arguments.count)")
        }
        var records: [Int: [(Int, RecordChange)]] = [:]
        if let recordID {
            var recordArguments: [String?] = [recordID]
            var kindCondition = ""
            if let kind {
                recordArguments.append(kind)
                kindCondition = " AND kind = ?2"
            }
            for row in try textRows(
                """
                SELECT CAST(change_id AS TEXT), kind, record_id, operation, body_before, body_after, CAST(id AS TEXT)
                FROM change_record WHERE record_id = ?1\(kindCondition) ORDER BY id
                """, recordArguments)
            {
                guard let change = row[0].flatMap(Int.init), let record = Self.recordChange(row) else { continue }
                records[change, default: []].append((Int(row[6] ?? "") ?? 0, record))
            }
            if records.isEmpty { return [] }
            conditions.append("l.id IN (\(records.keys.sorted().map(String.init).joined(separator: ", ")))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var entries: [ChangeEntry] = []
        for row in try textRows(
            """
            SELECT CAST(l.id AS TEXT), l.changed_at, l.actor, l.action, l.detail,
                   CAST((SELECT COUNT(*) FROM change_record r WHERE r.change_id = l.id) AS TEXT)
            FROM change_log l \(whereClause) ORDER BY l.changed_at, l.id
            """, arguments)
        {
            guard let id = row[0].flatMap(Int.init) else { continue }
            let count = row[5].flatMap(Int.init) ?? 0
            var entry = ChangeEntry(
                id: id, at: ChangeEntry.date(row[1] ?? "") ?? Date(timeIntervalSince1970: 0),
                actor: ChangeActor(row[2] ?? ""),
                action: ChangeAction(code: row[3] ?? "", detail: row[4]), records: [], recordCount: count)
            if recordID != nil {
                entry.records = (records[id] ?? []).map(\.1)
            } else if count > 0 {
                let limit = recordsPerChange.map { " LIMIT \($0)" } ?? ""
                entry.records = try textRows(
                    """
                    SELECT CAST(change_id AS TEXT), kind, record_id, operation, body_before, body_after
                    FROM change_record WHERE change_id = CAST(?1 AS BIGINT) ORDER BY id\(limit)
                    """, [String(id)]
                ).compactMap(Self.recordChange)
            }
            entries.append(entry)
        }
        if recordID != nil { try fillInAfter(&entries) }
        return entries
    }

    static func recordChange(_ row: [String?]) -> RecordChange? {
        guard let kind = row[1], let id = row[2], let operation = row[3].flatMap(RecordOperation.init(rawValue:)) else {
            return nil
        }
        return RecordChange(kind: kind, recordID: id, operation: operation, before: row[4], after: row[5])
    }

    /// Fills in the `after` not kept (a record added, a change copied from before the log): what the next
    /// change of the same record found, or the record as it is now.
    private func fillInAfter(_ entries: inout [ChangeEntry]) throws {
        var next: [String: String?] = [:]  // "kind id" → the body the next change found (nil: deleted)
        for e in entries.indices.reversed() {
            for r in entries[e].records.indices.reversed() {
                let record = entries[e].records[r]
                let key = "\(record.kind) \(record.recordID)"
                if record.after == nil && record.operation != .deleted {
                    if let found = next[key] {
                        entries[e].records[r].after = found
                    } else {
                        entries[e].records[r].after = try currentBody(kind: record.kind, id: record.recordID)
                    }
                }
                next[key] = .some(record.before)
            }
        }
    }

    /// The record's canonical JSON as the registry holds it now; nil when there is none.
    func currentBody(kind: String, id: String) throws -> String? {
        guard let entity = EntityKind(rawValue: kind) else { return nil }
        switch entity {
        case .tally:
            return try tally(id: id).map(RegistryTransaction.encode)
        case .staffCensus:
            return try staffCensus().first { $0.id == id }.map(RegistryTransaction.encode)
        case .campus:
            return nil
        default:
            return try textRows("SELECT body FROM \(Self.table(entity)) WHERE id = ?1", [id]).first?[0] ?? nil
        }
    }

    static func table(_ kind: EntityKind) -> String {
        switch kind {
        case .orgUnit: "org_unit"
        case .staffCensus: "staff_census"
        default: kind.rawValue
        }
    }

    /// The records that refer to the record `kind` `id`, which stop it being deleted: up to
    /// `referrersPerRole` + 1 of each kind of reference (one more than is named, so that "and others" can be said).
    func referrers(of kind: EntityKind, id: String) throws -> [Referrer] {
        let parts: [String]
        switch kind {
        case .orgUnit:
            parts = [
                "SELECT 'org-unit', id, 'parent unit' FROM org_unit WHERE parent_id = ?1",
                "SELECT 'person', person_id, 'department' FROM person_department WHERE department_id = ?1",
                "SELECT 'project', project_id, 'department' FROM project_department WHERE department_id = ?1",
                "SELECT 'publication', publication_id, 'credited department' FROM publication_department WHERE department_id = ?1",
                "SELECT 'patent', patent_id, 'department' FROM patent_department WHERE department_id = ?1",
                "SELECT 'award', award_id, 'department' FROM award_department WHERE department_id = ?1",
                "SELECT 'staff-census', id, 'department' FROM staff_census WHERE department_id = ?1",
                "SELECT 'tally', id, 'department' FROM tally WHERE department_id = ?1",
                "SELECT 'tally', t.id, 'campus' FROM tally t JOIN campus c ON c.id = t.campus_id WHERE c.org_unit_id = ?1",
            ]
        case .person:
            parts = [
                "SELECT 'project', id, 'principal investigator' FROM project WHERE principal_investigator_id = ?1",
                "SELECT 'publication', publication_id, 'author' FROM publication_author WHERE person_id = ?1",
                "SELECT 'patent', patent_id, 'inventor' FROM patent_inventor WHERE person_id = ?1",
                "SELECT 'award', award_id, 'recipient' FROM award_recipient WHERE person_id = ?1",
                "SELECT 'tally', id, 'surgeon' FROM tally WHERE surgeon_id = ?1",
            ]
        case .journal: parts = ["SELECT 'publication', id, 'journal' FROM publication WHERE journal_id = ?1"]
        case .procedure: parts = ["SELECT 'tally', id, 'procedure' FROM tally WHERE procedure_id = ?1"]
        case .project: parts = ["SELECT 'award', id, 'project' FROM award WHERE project_id = ?1"]
        default: parts = []
        }
        var seen = Set<String>()
        var found: [Referrer] = []
        for part in parts {
            for row in try textRows(part + " ORDER BY 2 LIMIT \(referrersPerRole + 1)", [id]) {
                guard let kind = row[0], let id = row[1], seen.insert("\(kind) \(id) \(row[2] ?? "")").inserted else {
                    continue
                }
                found.append(Referrer(kind: kind, id: id, role: row[2] ?? ""))
            }
        }
        return found
    }
}

/// How many records of each kind of reference a refused delete names.
let referrersPerRole = 5

extension StoreWriting {
    func logChange(_ record: RecordChange) throws { try logChanges([record]) }

    /// Removes the record `kind` `id` and logs it with its last body; refuses while other records refer to it,
    /// naming them. Returns false when there is no such record.
    func delete(_ kind: EntityKind, id: String) throws -> Bool {
        guard kind != .campus else {
            throw StoreError(
                .other,
                "a campus is part of its organisation unit: change the unit (remove the campus from it) instead of deleting the campus"
            )
        }
        // A paper goes the way merges remove one (the PostgreSQL writer keeps a cache of papers' keys).
        if kind == .publication { return try deletePublication(id: id) }
        guard let before = try currentBody(kind: kind.rawValue, id: id) else { return false }
        let referrers = try referrers(of: kind, id: id)
        guard referrers.isEmpty else { throw DeleteRefused(kind: kind, id: id, referrers: referrers) }
        if kind == .orgUnit { try execute("DELETE FROM campus WHERE org_unit_id = ?1", [id]) }
        try execute("DELETE FROM \(Self.table(kind)) WHERE id = ?1", [id])
        try logChange(RecordChange(kind: kind.rawValue, recordID: id, operation: .deleted, before: before))
        return true
    }
}

/// `annals delete` refused: other records refer to the one to delete.
public struct DeleteRefused: Error, Sendable, CustomStringConvertible {
    public var kind: EntityKind
    public var id: String
    /// The records that refer to it (a few of each kind of reference).
    public var referrers: [Referrer]

    public var description: String {
        var shown: [String: Int] = [:]
        var more = ""
        var names: [String] = []
        for referrer in referrers {
            let role = "\(referrer.kind) \(referrer.role)"
            shown[role, default: 0] += 1
            if shown[role]! > referrersPerRole {
                more = " and others"
            } else {
                names.append("\(referrer.kind) \(referrer.id) (as \(referrer.role))")
            }
        }
        let list = names.joined(separator: ", ")
        return
            "\(kind.noun) \(id) was not deleted: other records still refer to it: \(list)\(more). Change or delete those first, then delete \(id) again."
    }
}

/// What `RegistryWriter.restore` did.
public struct RestoreOutcome: Sendable {
    public var kind: EntityKind
    public var id: String
    /// The change whose version was brought back (the record as it was after it), nil for "before the last change".
    public var fromChange: Int?
    /// True when the record had been deleted.
    public var wasDeleted: Bool
}

/// A restore that cannot be done, said for the user.
public struct RestoreRefused: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

extension RegistryWriter {
    /// Brings back record `id`: as it was before its last change (a deleted record comes back, a replaced one
    /// gets its earlier version), or, with `change`, as it was right after that change. Written as any write
    /// (logged under this transaction's action).
    public func restore(id: String, kind: EntityKind?, change: Int?) throws -> RestoreOutcome {
        let entries = try writing.changeEntries(recordID: id, kind: kind?.rawValue, since: nil, recordsPerChange: nil)
        let changes = entries.flatMap { entry in entry.records.map { (entry.id, $0) } }
            .filter { EntityKind(rawValue: $0.1.kind) != nil }
        guard !changes.isEmpty else {
            throw RestoreRefused(
                message:
                    "the history holds no change of a record with id \(id); `annals history` lists the records that changed"
            )
        }
        let kinds = Set(changes.map(\.1.kind))
        guard kinds.count == 1, let entity = EntityKind(rawValue: kinds.first!) else {
            throw RestoreRefused(
                message:
                    "\(id) names records of several kinds (\(kinds.sorted().joined(separator: ", "))); say which with --kind KIND"
            )
        }
        let body: String
        if let change {
            guard let found = changes.last(where: { $0.0 == change }) else {
                let numbers = Set(changes.map(\.0)).sorted().map(String.init).joined(separator: ", ")
                throw RestoreRefused(
                    message:
                        "change \(change) did not change \(entity.noun) \(id); the changes that did are: \(numbers)")
            }
            guard found.1.operation != .deleted, let after = found.1.after else {
                throw RestoreRefused(
                    message: "change \(change) deleted \(entity.noun) \(id); choose an earlier change to bring back")
            }
            body = after
        } else {
            let last = changes.last!.1
            guard let before = last.before else {
                throw RestoreRefused(
                    message:
                        "\(entity.noun) \(id) is still as it was first stored; there is no earlier version to bring back"
                )
            }
            body = before
        }
        let current = try writing.currentBody(kind: entity.rawValue, id: id)
        if current == body {
            throw RestoreRefused(message: "\(entity.noun) \(id) is already as it was then; nothing was changed")
        }
        try upsert(decodingBody: body, as: entity)
        return RestoreOutcome(kind: entity, id: id, fromChange: change, wasDeleted: current == nil)
    }

    private func upsert(decodingBody body: String, as kind: EntityKind) throws {
        switch kind {
        case .orgUnit: try upsert(RegistrySnapshot.decode(OrgUnit.self, from: body))
        case .person: try upsert(RegistrySnapshot.decode(Person.self, from: body))
        case .journal: try upsert(RegistrySnapshot.decode(Journal.self, from: body))
        case .procedure: try upsert(RegistrySnapshot.decode(Procedure.self, from: body))
        case .project: try upsert(RegistrySnapshot.decode(Project.self, from: body))
        case .publication: try upsert(RegistrySnapshot.decode(Publication.self, from: body))
        case .patent: try upsert(RegistrySnapshot.decode(Patent.self, from: body))
        case .award: try upsert(RegistrySnapshot.decode(Award.self, from: body))
        case .staffCensus: try upsert(RegistrySnapshot.decode(StaffCensus.self, from: body))
        case .tally: try upsert(RegistrySnapshot.decode(CaseTally.self, from: body))
        case .campus: throw RestoreRefused(message: "a campus comes back with its organisation unit; restore the unit")
        }
    }
}

/// The change log's names for what is not a record kind: merges and review items.
enum ChangeLogKind {
    /// A merge of two papers; its record id is the id of the paper merged into the other.
    static let merge = "merge"
    /// An author waiting for review (or decided); its record id is the paper's.
    static let reviewItem = "review-item"

    static func json(_ merge: PublicationMerge) -> String {
        object([
            "keptID": merge.keptID, "mergedID": merge.mergedID, "reason": merge.reason,
            "sourceFile": merge.sourceFile ?? NSNull(),
        ])
    }

    static func json(_ item: ReviewItem) -> String {
        object([
            "publicationID": item.publicationID, "authorPosition": item.authorPosition, "authorName": item.authorName,
            "personID": item.personID, "reason": item.reason, "status": item.status.rawValue,
        ])
    }

    private static func object(_ value: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
