public import AnnalsModel

/// A record an import replaced under its own id with another title, name, principal investigator,
/// funder or department: the same id may be a different grant, paper or person, so the import summary
/// names each one (the earlier version is kept in the registry's record history).
public struct RecordReplacement: Sendable, Hashable, CustomStringConvertible {
    /// One field that changed, as the user reads it.
    public struct Change: Sendable, Hashable {
        public var field: String
        public var old: String
        public var new: String
    }

    public var kind: EntityKind
    public var id: String
    /// The record's title or name before the import.
    public var name: String
    public var changes: [Change]

    /// `project 'nsfc-82071234' ("Old title"): title "Old title" → "New title"; funder NSFC → MOST`
    public var description: String {
        "\(kind.noun) '\(id)' (\(Self.quoted(name))): "
            + changes.map { "\($0.field) \(Self.quoted($0.old)) → \(Self.quoted($0.new))" }.joined(separator: "; ")
    }

    static func quoted(_ value: String) -> String { value.isEmpty ? "(none)" : "\"\(value)\"" }

    /// The records of `incoming` that would replace a record of the registry under the same id with a
    /// different title or name, principal investigator, funder or department (tallies and staff
    /// counts aside: they keep their own history), in kind and id order.
    static func find(_ incoming: RegistryContent, in registry: some RegistryReading) throws -> [RecordReplacement] {
        var found: [RecordReplacement] = []
        /// What is compared of a record: its name, and the value of each field.
        typealias Summary = (name: String, values: [String])
        /// Compares the records of one kind whose ids the registry already holds; `load` hands each
        /// registry record of that kind to its argument (only summaries are kept).
        func compare<T>(
            _ kind: EntityKind, _ records: [T], id: @escaping (T) -> String,
            existing load: (_ each: (T) -> Void) throws -> Void, name: @escaping (T) -> String,
            fields: [(String, (T) -> String)]
        ) throws {
            let ids = Set(records.map(id))
            guard !ids.isEmpty else { return }
            let known = try registry.existing(kind, among: ids)
            guard !known.isEmpty else { return }
            func summary(_ record: T) -> Summary { (name(record), fields.map { $0.1(record) }) }
            var earlier: [String: Summary] = [:]
            try load { record in if known.contains(id(record)) { earlier[id(record)] = summary(record) } }
            for record in records.sorted(by: { id($0) < id($1) }) {
                guard let old = earlier[id(record)] else { continue }
                let new = summary(record)
                let changes = fields.indices.compactMap { i -> Change? in
                    old.values[i] == new.values[i]
                        ? nil : Change(field: fields[i].0, old: old.values[i], new: new.values[i])
                }
                if !changes.isEmpty {
                    found.append(RecordReplacement(kind: kind, id: id(record), name: old.name, changes: changes))
                }
            }
        }
        /// `load` for a kind the registry lists whole.
        func each<T>(_ all: @escaping () throws -> [T]) -> ((T) -> Void) throws -> Void {
            { body in for record in try all() { body(record) } }
        }
        func list(_ values: [String]) -> String { Set(values).sorted().joined(separator: ", ") }

        try compare(
            .orgUnit, incoming.orgUnits, id: \.id, existing: each(registry.orgUnits), name: \.name,
            fields: [("name", \.name), ("part of", { $0.parentID ?? "" })])
        try compare(
            .person, incoming.people, id: \.id, existing: each(registry.people), name: \.displayName,
            fields: [("name", \.displayName), ("departments", { list($0.departmentIDs) })])
        try compare(
            .journal, incoming.journals, id: \.id, existing: each(registry.journals), name: \.title,
            fields: [("title", \.title)])
        try compare(
            .procedure, incoming.procedures, id: \.id, existing: each(registry.procedures), name: \.preferredTerm,
            fields: [("name", \.preferredTerm)])
        try compare(
            .project, incoming.projects, id: \.id, existing: each(registry.projects), name: \.title,
            fields: [
                ("title", \.title), ("principal investigator", { $0.principalInvestigatorID ?? "" }),
                ("funder", \.funder),
                ("departments", { list($0.departments.map(\.departmentID)) }),
            ])
        // Publications one at a time (a registry may hold very many); only the summaries are kept.
        try compare(
            .publication, incoming.publications, id: \.id,
            existing: { body in try registry.forEachPublication { body($0) } },
            name: \.title.plain, fields: [("title", \.title.plain), ("departments", { list($0.departmentIDs) })])
        try compare(
            .patent, incoming.patents, id: \.id, existing: each(registry.patents), name: \.title,
            fields: [("title", \.title), ("departments", { list($0.departmentIDs) })])
        try compare(
            .award, incoming.awards, id: \.id, existing: each(registry.awards), name: \.name,
            fields: [("name", \.name), ("departments", { list($0.departmentIDs) })])
        return found
    }
}
