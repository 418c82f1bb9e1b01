public import AnnalsDiagnostics
import AnnalsInterchange
public import AnnalsModel
import Foundation

/// A record typed into a form: one row of its kind's sheet. The form's fields are the sheet's columns, and what
/// is typed goes the way a spreadsheet's row goes (``RowValues``, ``RecordBuilder``, then ``RegistryImporter`` or
/// ``TallyImporter``), so a form obeys every rule of the imports and no other.
public enum RecordForm {
    /// The fields of `kind`'s form, in order: the sheet's columns a person fills in (not those the registry
    /// works out itself, such as a paper's SCI flag).
    public static func fields(_ kind: SheetKind) -> [SheetColumn] { kind.columns.filter { !$0.computed } }

    /// The kind of registry record a form of `kind` writes.
    public static func entity(_ kind: SheetKind) -> EntityKind {
        switch kind {
        case .tallies: .tally
        case .projects: .project
        case .papers: .publication
        case .patents: .patent
        case .awards: .award
        case .people: .person
        case .staff: .staffCensus
        }
    }

    /// Checks `rows` (field key → text as typed; blank rows are left out) as rows of `kind`'s sheet and writes
    /// them into `registry`: every rule of a spreadsheet import holds. `departments`, when given, are the only
    /// departments the records may be credited to (a secretary's). Call it inside one transaction: on any
    /// problem it throws ``FormRejection`` (every problem, at its row and field) and nothing must be kept.
    /// Returns the ids written, row by row (the rows given, blank ones included, each with its records' ids).
    public static func submit(
        _ kind: SheetKind, rows: [[String: String]], departments: Set<String>?,
        into registry: some PublicationWriting & TallyReading
    ) throws -> [[String]] {
        let table = SheetTable.form(kind, rows: rows)
        guard !table.rows.isEmpty else {
            throw FormRejection([
                FormProblem(
                    row: 0, field: nil, code: .sheetInvalidValue, english: "Nothing was filled in.",
                    chinese: "表单是空的，请填写后再提交。")
            ])
        }
        var read = XLSXImport(
            files: ["form"], found: [],
            scratch: FileManager.default.temporaryDirectory.appendingPathComponent("annals-form-\(UUID().uuidString)"))
        try FileManager.default.createDirectory(at: read.scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: read.scratch) }
        var problems: [Diagnostic] = []
        var resolver = try NameResolver(registry: registry)
        let existing = try ExistingRecords(registry: registry)
        try read.take([("form", table)], resolver: &resolver, existing: existing, problems: &problems)
        if !problems.isEmpty { throw FormRejection(problems.map { FormMessages.problem($0, table: table) }) }
        var ids = Array(repeating: [String](), count: rows.count)
        do {
            if kind == .tallies, let csvText = read.tallyCSV {
                let csv = read.scratch.appendingPathComponent("form-tallies.csv")
                try Data(csvText.utf8).write(to: csv)
                let tallies = try TallyImporter.read(file: csv, displayName: "form-tallies.csv", registry: registry)
                var refused: [FormProblem] = []
                for row in tallies {
                    guard let origin = read.tallyLines[row.line] else { continue }
                    if let departments, !departments.contains(row.tally.departmentID) {
                        refused.append(FormMessages.outOfScope(row: origin.row - 2, field: "department", departments))
                    }
                    ids[origin.row - 2].append(row.tally.id)
                }
                if !refused.isEmpty { throw FormRejection(refused) }
                _ = try TallyImporter.apply(tallies, file: "form-tallies.csv", to: registry)
            } else {
                var refused: [FormProblem] = []
                for (row, records) in read.recordIDs {
                    for (entity, id) in records {
                        ids[row - 2].append(id)
                        if let departments {
                            let credited = read.registryContent.departments(of: entity, id: id)
                            if credited.allSatisfy({ !departments.contains($0) }) {
                                refused.append(
                                    FormMessages.outOfScope(
                                        row: row - 2, field: kind == .staff ? "department" : "departments", departments)
                                )
                            }
                        }
                    }
                }
                if !refused.isEmpty { throw FormRejection(refused) }
                _ = try read.applyRecords(to: registry, logImport: false)
            }
        } catch let error as DiagnosticError {
            let located = kind == .tallies ? read.mapTallies(error.diagnostics) : error.diagnostics
            throw FormRejection(located.map { FormMessages.problem($0, table: table) })
        }
        return ids
    }

    /// The fields of the record `id` of `kind` as its form shows them (the way an export writes them, in
    /// `language`); nil when there is no such record.
    public static func values(
        of kind: SheetKind, id: String, in registry: some RegistryReading, language: SheetLanguage
    ) throws -> [String: String]? {
        let sheet = try OfficeTables.sheet(
            kind, from: registry, selection: OfficeTables.Selection(id: id), language: language)
        let columns = kind.columns
        guard let idColumn = columns.firstIndex(where: { $0.key == "id" }),
            let row = sheet.rows.dropFirst().first(where: { $0[idColumn] == .text(id) })
        else { return nil }
        var values: [String: String] = [:]
        for (column, cell) in zip(columns, row) where !column.computed {
            switch cell {
            case .text(let text): values[column.key] = text
            case .integer(let n): values[column.key] = String(n)
            case .number(let x):
                values[column.key] = x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
            case .date(let year, let month, let day):
                values[column.key] = String(format: "%04d-%02d-%02d", year, month, day)
            case .bool(let b): values[column.key] = b ? (language == .zh ? "是" : "yes") : (language == .zh ? "否" : "no")
            case .empty: break
            }
        }
        return values
    }

    /// The departments the record `id` of `entity` is credited to; nil when there is no such record.
    public static func departments(of entity: EntityKind, id: String, in registry: some TallyReading) throws
        -> [String]?
    {
        switch entity {
        case .project: return try registry.projects().first { $0.id == id }.map { $0.departments.map(\.departmentID) }
        case .publication:
            var found: [String]?
            try registry.forEachPublication(year: nil, department: nil, person: nil) { p in
                if p.id == id { found = p.departmentIDs }
            }
            return found
        case .patent: return try registry.patents().first { $0.id == id }?.departmentIDs
        case .award: return try registry.awards().first { $0.id == id }?.departmentIDs
        case .person: return try registry.people().first { $0.id == id }?.departmentIDs
        case .staffCensus: return try registry.staffCensus().first { $0.id == id }.map { [$0.departmentID] }
        case .tally: return try registry.tally(id: id).map { [$0.departmentID] }
        default: return nil
        }
    }
}

/// A form refused: every problem, each at its row and field.
public struct FormRejection: Error, Sendable, CustomStringConvertible {
    public var problems: [FormProblem]

    public init(_ problems: [FormProblem]) { self.problems = problems }

    public var description: String { problems.map(\.english).joined(separator: "\n") }
}

/// One problem of a form: the row (0 for a single form; a month grid's cell for the grid), the field (a column
/// key of the kind's sheet; nil for the whole form), and what is wrong in words a secretary understands, in
/// Chinese and English.
public struct FormProblem: Sendable, Hashable, Codable {
    public var row: Int
    public var field: String?
    public var code: Diagnostic.Code
    public var english: String
    public var chinese: String

    public init(row: Int, field: String?, code: Diagnostic.Code, english: String, chinese: String) {
        self.row = row
        self.field = field
        self.code = code
        self.english = english
        self.chinese = chinese
    }

    /// The message in `language`.
    public func message(_ language: SheetLanguage) -> String { language == .zh ? chinese : english }
}

extension SheetTable {
    /// A table of `kind` holding `rows` as a sheet would: a header naming every field, then one row per entry
    /// (sheet row 2 is `rows[0]`).
    static func form(_ kind: SheetKind, rows: [[String: String]]) -> SheetTable {
        let keys = RecordForm.fields(kind).map(\.key)
        var sheetRows = [
            SheetRow(
                number: 1,
                cells: Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.offset + 1, .text($0.element)) }))
        ]
        for (index, row) in rows.enumerated() {
            var cells: [Int: CellValue] = [:]
            for (column, key) in keys.enumerated() {
                if let value = row[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
                    cells[column + 1] = .text(value)
                }
            }
            sheetRows.append(SheetRow(number: index + 2, cells: cells))
        }
        var table = SheetTable(
            kind: kind, sheet: Sheet(name: "form", rows: sheetRows, merged: []), headerRow: 1,
            columns: Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.offset + 1, $0.element) }),
            headers: Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) }),
            positions: Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, $0.offset + 1) }))
        table.fileName = "form"
        return table
    }
}

extension RegistryContent {
    /// The departments a record of this content is credited to.
    func departments(of entity: EntityKind, id: String) -> [String] {
        switch entity {
        case .project: projects.first { $0.id == id }?.departments.map(\.departmentID) ?? []
        case .publication: publications.first { $0.id == id }?.departmentIDs ?? []
        case .patent: patents.first { $0.id == id }?.departmentIDs ?? []
        case .award: awards.first { $0.id == id }?.departmentIDs ?? []
        case .person: people.first { $0.id == id }?.departmentIDs ?? []
        case .staffCensus: staffCensus.first { $0.id == id }.map { [$0.departmentID] } ?? []
        default: []
        }
    }
}
