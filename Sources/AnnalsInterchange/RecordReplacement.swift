import AnnalsModel

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
        /// Compares the records of one kind whose ids the registry already holds.
        func compare<T>(
            _ kind: EntityKind, _ records: [T], id: (T) -> String, existing load: () throws -> [T],
            name: (T) -> String, fields: [(String, (T) -> String)]
        ) throws {
            let ids = Set(records.map(id))
            guard !ids.isEmpty else { return }
            let known = try registry.existing(kind, among: ids)
            guard !known.isEmpty else { return }
            var earlier: [String: T] = [:]
            for record in try load() where known.contains(id(record)) { earlier[id(record)] = record }
            for record in records.sorted(by: { id($0) < id($1) }) {
                guard let old = earlier[id(record)] else { continue }
                let changes = fields.compactMap { field, value -> Change? in
                    let (before, after) = (value(old), value(record))
                    return before == after ? nil : Change(field: field, old: before, new: after)
                }
                if !changes.isEmpty { found.append(RecordReplacement(kind: kind, id: id(record), name: name(old), changes: changes)) }
            }
        }
        func list(_ values: [String]) -> String { Set(values).sorted().joined(separator: ", ") }

        try compare(
            .orgUnit, incoming.orgUnits, id: \.id, existing: registry.orgUnits, name: \.name,
            fields: [("name", \.name), ("part of", { $0.parentID ?? "" })])
        try compare(
            .person, incoming.people, id: \.id, existing: registry.people, name: \.displayName,
            fields: [("name", \.displayName), ("departments", { list($0.departmentIDs) })])
        try compare(.journal, incoming.journals, id: \.id, existing: registry.journals, name: \.title, fields: [("title", \.title)])
        try compare(
            .procedure, incoming.procedures, id: \.id, existing: registry.procedures, name: \.preferredTerm,
            fields: [("name", \.preferredTerm)])
        try compare(
            .project, incoming.projects, id: \.id, existing: registry.projects, name: \.title,
            fields: [
                ("title", \.title), ("principal investigator", { $0.principalInvestigatorID ?? "" }), ("funder", \.funder),
                ("departments", { list($0.departments.map(\.departmentID)) }),
            ])
        if !incoming.publications.isEmpty {
            try compare(
                .publication, incoming.publications, id: \.id,
                existing: {
                    var all: [Publication] = []
                    let ids = Set(incoming.publications.map(\.id))
                    try registry.forEachPublication { if ids.contains($0.id) { all.append($0) } }
                    return all
                }, name: \.title.plain,
                fields: [("title", \.title.plain), ("departments", { list($0.departmentIDs) })])
        }
        try compare(
            .patent, incoming.patents, id: \.id, existing: registry.patents, name: \.title,
            fields: [("title", \.title), ("departments", { list($0.departmentIDs) })])
        try compare(
            .award, incoming.awards, id: \.id, existing: registry.awards, name: \.name,
            fields: [("name", \.name), ("departments", { list($0.departmentIDs) })])
        return found
    }
}
