import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "Show who changed what in the registry, and when.",
            discussion: """
                Every change to the registry is kept in its history: when (shown in this computer's time), who \
                (the user name that ran Annals), what (the import of a file, an edit, a merge, a review \
                decision, a delete, a restore) and the records it added, replaced or deleted. For a replaced \
                record the fields that changed are shown, before → after. Give a record's id to see only its \
                changes. The history cannot be changed or removed.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("Only the changes of the record with this id.", valueName: "record-id"))
        var recordID: String?

        @Option(
            name: .long,
            help: ArgumentHelp("With a record id: only records of this kind (patent, project, …).", valueName: "kind"))
        var kind: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only changes on or after this day (YYYY-MM-DD, this computer's time).", valueName: "date"))
        var since: String?

        @Option(name: .long, help: "table (for reading) or json (for programs).")
        var format: Format = .table

        /// How many records of one change the table lists (the JSON lists all).
        static let recordsShown = 20

        func validate() throws {
            if let since, Self.day(since) == nil {
                throw ValidationError(
                    "--since takes a day written YYYY-MM-DD (for example 2026-12-01); '\(since)' is not one.")
            }
            if let kind, RecordKindArgument.kind(kind) == nil {
                throw ValidationError(RecordKindArgument.unknown(kind))
            }
        }

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let entries = try store.read { reader in
                try reader.history(
                    recordID: recordID, kind: kind.flatMap(RecordKindArgument.kind)?.rawValue,
                    since: since.flatMap(Self.day),
                    recordsPerChange: recordID == nil && format == .table ? Self.recordsShown : nil)
            }
            switch format {
            case .json:
                print(try HistoryRendering.json(entries))
            case .table:
                if entries.isEmpty {
                    if let recordID {
                        print(
                            "No change of a record with id \(recordID) is in the history of \(registry.name)\(since.map { " since \($0)" } ?? "")."
                        )
                    } else {
                        print("No change is in the history of \(registry.name)\(since.map { " since \($0)" } ?? "").")
                    }
                    return
                }
                print(HistoryRendering.table(entries, oneRecord: recordID != nil))
            }
        }

        /// The start of `text` (YYYY-MM-DD) in this computer's time zone.
        static func day(_ text: String) -> Date? {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = .current
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.isLenient = false
            guard text.count == 10, let date = formatter.date(from: text) else { return nil }
            return date
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete one record (kept in the history; `annals restore` brings it back).",
            discussion: """
                KIND is one of: \(RecordKindArgument.names). A record that other records refer to (a person who is \
                an author, a department with papers or tallies, a journal with papers …) is not deleted; the \
                message names those records. The delete is recorded in `annals history` with the record as it was.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("The kind of record.", valueName: "kind"))
        var kind: String

        @Argument(help: ArgumentHelp("The record's id.", valueName: "id"))
        var id: String

        func validate() throws {
            if RecordKindArgument.kind(kind) == nil { throw ValidationError(RecordKindArgument.unknown(kind)) }
        }

        func run() throws {
            let entity = RecordKindArgument.kind(kind)!
            let store = try registry.open(create: false)
            let deleted: Bool
            do {
                deleted = try store.delete(entity, id: id, reason: nil)
            } catch let refused as DeleteRefused {
                throw Failure(refused.description)
            } catch let error as StoreError {
                throw Failure("\(entity.noun) \(id) was not deleted: \(error.message)", code: error.code)
            }
            guard deleted else {
                throw Failure(
                    "there is no \(entity.noun) with id \(id) in \(registry.name); nothing was deleted. Check the id (ids are case-sensitive)."
                )
            }
            print(
                "Deleted \(entity.noun) \(id) from \(registry.name). It is kept in the history; `annals restore \(id)` brings it back."
            )
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Bring back a deleted record, or an earlier version of a record, from the history.",
            discussion: """
                Without --change, the record comes back as it was before its last change: a deleted record is \
                restored, a replaced record gets its earlier version. With --change N (a number from `annals \
                history ID`), the record comes back as it was right after that change. The restore is recorded \
                in the history, so it can be undone the same way.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("The record's id.", valueName: "id"))
        var id: String

        @Option(
            name: .long,
            help: ArgumentHelp("When records of several kinds have this id: which kind.", valueName: "kind"))
        var kind: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Bring back the version as it was right after this change.", valueName: "number"))
        var change: Int?

        func validate() throws {
            if let kind, RecordKindArgument.kind(kind) == nil {
                throw ValidationError(RecordKindArgument.unknown(kind))
            }
        }

        func run() throws {
            let store = try registry.open(create: false)
            let outcome: RestoreOutcome
            do {
                outcome = try store.restore(id: id, kind: kind.flatMap(RecordKindArgument.kind), change: change)
            } catch let refused as RestoreRefused {
                throw Failure("nothing was restored: \(refused.message)")
            } catch let error as StoreError {
                throw Failure(
                    "nothing was restored: \(error.message). A record it refers to may have been deleted since; restore that one first.",
                    code: error.code)
            }
            let version =
                outcome.wasDeleted
                ? "it had been deleted"
                : outcome.fromChange.map { "as it was after change \($0)" } ?? "as it was before its last change"
            print("Restored \(outcome.kind.noun) \(outcome.id) in \(registry.name) (\(version)).")
        }
    }
}

/// The record kinds `annals delete`, `restore` and `history` take.
enum RecordKindArgument {
    static let kinds: [EntityKind] = [
        .orgUnit, .person, .journal, .procedure, .project, .publication, .patent, .award, .staffCensus, .tally,
    ]

    static var names: String { kinds.map(\.rawValue).joined(separator: ", ") }

    static func kind(_ text: String) -> EntityKind? {
        let word = text.lowercased()
        switch word {
        case "department", "hospital", "orgunit", "org_unit", "unit": return .orgUnit
        case "paper": return .publication
        case "census", "staff_census": return .staffCensus
        case "case-tally", "case_tally": return .tally
        default: return kinds.first { $0.rawValue == word }
        }
    }

    static func unknown(_ text: String) -> String {
        let close = ReferenceCheck.closest(to: text, among: kinds.map { ($0.rawValue, []) })
        let hint = close.isEmpty ? "" : " Did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"
        return "'\(text)' is not a kind of record.\(hint) The kinds are: \(names)."
    }
}

/// The history as a table for people and as JSON for programs.
enum HistoryRendering {
    static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func noun(_ kind: String) -> String {
        if let entity = EntityKind(rawValue: kind) { return entity.noun }
        switch kind {
        case "merge": return "merge of"
        case "review-item": return "author review of"
        default: return kind
        }
    }

    static func operation(_ record: RecordChange) -> String {
        switch (record.kind, record.operation) {
        case ("merge", .added): "made"
        case ("merge", .deleted): "undone"
        case ("review-item", .added): "waiting"
        case ("review-item", .replaced): "decided"
        case (_, let operation): operation.rawValue
        }
    }

    static func table(_ entries: [ChangeEntry], oneRecord: Bool) -> String {
        var lines = ["Times are this computer's time (\(TimeZone.current.identifier))."]
        for entry in entries {
            let count = oneRecord ? "" : " — \(entry.recordCount) record\(entry.recordCount == 1 ? "" : "s")"
            lines.append("")
            lines.append("change \(entry.id)  \(localTime(entry.at))  by \(entry.actor.name)  \(entry.action)\(count)")
            for record in entry.records {
                lines.append(
                    "    \(operation(record).padding(toLength: 9, withPad: " ", startingAt: 0)) \(noun(record.kind)) \(record.recordID)"
                )
                if record.operation == .replaced {
                    let fields = record.fieldChanges
                    for field in fields.prefix(30) {
                        lines.append("        \(field.readableName): \(shown(field.before)) → \(shown(field.after))")
                    }
                    if fields.count > 30 {
                        lines.append("        … and \(fields.count - 30) more fields (--format json shows all)")
                    }
                }
            }
            if entry.records.count < entry.recordCount && !oneRecord {
                lines.append(
                    "    … and \(entry.recordCount - entry.records.count) more (give a record id to see one record; --format json lists all)"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    static func shown(_ value: String?) -> String {
        guard let value else { return "(none)" }
        return value.count > 80 ? String(value.prefix(77)) + "…" : value
    }

    static func json(_ entries: [ChangeEntry]) throws -> String { try HistoryJSON.render(entries) }
}
