import AnnalsModel
import Foundation
internal import GRDB

/// Read access to the registry, inside `RegistryStore.read` or `write`. Every list is in id order.
public class RegistrySnapshot: RegistryReading {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    public func orgUnits() throws -> [OrgUnit] { try decodeAll("org_unit") }
    public func people() throws -> [Person] { try decodeAll("person") }
    public func journals() throws -> [Journal] { try decodeAll("journal") }
    public func procedures() throws -> [Procedure] { try decodeAll("procedure") }
    public func projects() throws -> [Project] { try decodeAll("project") }
    public func patents() throws -> [Patent] { try decodeAll("patent") }
    public func awards() throws -> [Award] { try decodeAll("award") }

    /// Every publication in id order, one at a time (the registry may hold very many).
    public func forEachPublication(_ body: (Publication) throws -> Void) throws {
        try forEachPublication(year: nil, department: nil, person: nil, body)
    }

    public func forEachPublication(
        year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void
    ) throws {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible] = []
        if let year {
            conditions.append("year = ?")
            arguments.append(year)
        }
        if let department {
            conditions.append("id IN (SELECT publication_id FROM publication_department WHERE department_id = ?)")
            arguments.append(department)
        }
        if let person {
            conditions.append("id IN (SELECT publication_id FROM publication_author WHERE person_id = ?)")
            arguments.append(person)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(
            db, sql: "SELECT body FROM publication \(filter) ORDER BY id", arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            try body(try Self.decode(Publication.self, from: row[0]))
        }
    }

    public func staffCensus() throws -> [StaffCensus] {
        try Row.fetchAll(db, sql: "SELECT id, department_id, category, count, as_of, note FROM staff_census ORDER BY id")
            .map { row in
                guard let category = StaffCategory(rawValue: row[2]), let asOf = PartialDate(row[4] as String) else {
                    throw StoreError(.other, "staff census '\(row[0] as String)' is damaged in the registry")
                }
                return StaffCensus(id: row[0], departmentID: row[1], category: category, count: row[3], asOf: asOf, note: row[5])
            }
    }

    /// Every case tally in id order, one at a time.
    public func forEachTally(_ body: (CaseTally) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, procedure_id, approach, department_id, campus_id, surgeon_id, period_from, period_to,
                       count, source, note
                FROM tally ORDER BY id
                """)
        while let row = try rows.next() {
            let fromText: String? = row[6]
            guard let approach = Approach(rawValue: row[2]), let to = PartialDate(row[7] as String) else {
                throw StoreError(.other, "case tally '\(row[0] as String)' is damaged in the registry")
            }
            try body(
                CaseTally(
                    id: row[0], procedureID: row[1], approach: approach, departmentID: row[3], campusID: row[4],
                    surgeonID: row[5], from: fromText.flatMap(PartialDate.init), to: to, count: row[8], source: row[9],
                    note: row[10]))
        }
    }

    /// Which of `ids` exist as records of `kind`.
    public func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let table = Self.table(for: kind)
        var found: Set<String> = []
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM \(table) WHERE id = ?")
        for id in ids where try Bool.fetchOne(statement, arguments: [id]) == true {
            found.insert(id)
        }
        return found
    }

    /// How many records of each kind the registry holds.
    public func counts() throws -> [EntityKind: Int] {
        var counts: [EntityKind: Int] = [:]
        for kind in EntityKind.allCases {
            counts[kind] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(Self.table(for: kind))") ?? 0
        }
        return counts
    }

    /// The sum of all case tallies, for a quick summary.
    public func totalCases() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(count), 0) FROM tally") ?? 0
    }

    static func table(for kind: EntityKind) -> String {
        switch kind {
        case .orgUnit: "org_unit"
        case .campus: "campus"
        case .person: "person"
        case .journal: "journal"
        case .procedure: "procedure"
        case .project: "project"
        case .publication: "publication"
        case .patent: "patent"
        case .award: "award"
        case .staffCensus: "staff_census"
        case .tally: "tally"
        }
    }

    private func decodeAll<T: Decodable>(_ table: String) throws -> [T] {
        try String.fetchAll(db, sql: "SELECT body FROM \(table) ORDER BY id").map { try Self.decode(T.self, from: $0) }
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.utf8))
        } catch {
            throw StoreError(.other, "a stored \(T.self) record could not be read back: \(error)")
        }
    }
}

@available(*, unavailable)
extension RegistrySnapshot: Sendable {}
