import AnnalsModel
import AnnalsXML
import Foundation

/// Case tallies from CSV (`annals import tallies`), and the rule every tally import obeys: two tallies
/// that would count the same operations twice are refused.
///
/// Columns (header row required, any order): `procedure, approach, department, campus, surgeon, from,
/// to, count, source, note`, and optionally `id`. `procedure` is a vocabulary term or id; `from` empty
/// means a cumulative baseline up to `to`. Without an `id`, the id is made from the tally's procedure,
/// approach, department, campus, surgeon and period, so importing a corrected count for the same
/// period replaces the earlier one (and the earlier one is kept in the tally's history).
public enum TallyImporter {
    public static let columns = ["id", "procedure", "approach", "department", "campus", "surgeon", "from", "to", "count", "source", "note"]

    /// One row read, with its line.
    public struct Row: Sendable, Hashable {
        public var tally: CaseTally
        public var line: Int
    }

    /// Reads a tally CSV, checking every row against the registry's vocabulary, departments, campuses
    /// and people. Every bad row is reported; any problem refuses the whole file (`ImportFailure`).
    public static func read(file: URL, displayName: String, registry: some RegistryReading) throws -> [Row] {
        let data = try CSV.contents(of: file, displayName: displayName)
        var diagnostics: [XMLDiagnostic] = []
        func report(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(XMLDiagnostic(file: displayName, line: line, column: column, message: message))
        }
        let (records, problems) = CSV.read(data)
        for problem in problems { report(problem.line, problem.column, problem.message) }
        let nonBlank = records.filter { !$0.isBlank }
        guard let header = nonBlank.first else {
            report(0, 0, "the file has no header row; its first line must name the columns: \(columns.joined(separator: ","))")
            throw ImportFailure(diagnostics)
        }
        var position: [String: Int] = [:]
        for (index, field) in header.fields.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            if !columns.contains(name) {
                report(field.line, field.column, "unknown column '\(field.text)'; the columns are \(columns.joined(separator: ", ")) (see README: Case tallies)")
            } else if position[name] != nil {
                report(field.line, field.column, "column '\(name)' appears twice; keep one")
            } else {
                position[name] = index
            }
        }
        for required in ["procedure", "department", "to", "count"] where position[required] == nil {
            report(header.line, 1, "the header has no '\(required)' column")
        }
        guard diagnostics.isEmpty else { throw ImportFailure(diagnostics) }

        let matcher = ProcedureMatcher(procedures: try registry.procedures())
        let units = try registry.orgUnits()
        let departments = Set(units.filter { $0.kind == .department }.map(\.id))
        let campuses = Set(units.flatMap { $0.campuses.map(\.id) })
        let people = Set(try registry.people().map(\.id))

        var rows: [Row] = []
        for record in nonBlank.dropFirst() {
            func field(_ name: String) -> CSVField? {
                guard let index = position[name], index < record.fields.count else { return nil }
                return record.fields[index]
            }
            func value(_ name: String) -> String? {
                let text = field(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                return text.isEmpty ? nil : text
            }
            func fail(_ name: String, _ message: String) {
                report(record.line, field(name)?.column ?? 1, message)
            }
            let before = diagnostics.count
            if record.fields.count > header.fields.count {
                report(record.line, record.fields[header.fields.count].column, "this row has \(record.fields.count) fields; the header has \(header.fields.count)")
            }

            var procedureID: String?
            var impliedApproach: Approach?
            if let term = value("procedure") {
                switch matcher.match(term) {
                case .procedure(let procedure, let approach):
                    procedureID = procedure.id
                    impliedApproach = approach
                case .unknown(let suggestions):
                    fail("procedure", "unknown procedure '\(term)'\(suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?") (`annals procedures` lists the vocabulary)")
                }
            } else {
                fail("procedure", "the procedure is empty")
            }
            var approach = impliedApproach
            if let written = value("approach") {
                if let named = Approach(rawValue: written.lowercased()) {
                    if let implied = impliedApproach, implied != named {
                        fail("approach", "the procedure says \(implied.rawValue) but the approach column says \(named.rawValue)")
                    }
                    approach = named
                } else {
                    fail("approach", "unknown approach '\(written)'; use one of \(Approach.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            } else if approach == nil {
                fail("approach", "the approach is empty; use one of \(Approach.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let department = value("department")
            if let department, !departments.contains(department) {
                fail("department", "no department '\(department)' in the registry (use the department's id, such as \(departments.sorted().first ?? "general-surgery"))")
            } else if department == nil {
                fail("department", "the department is empty")
            }
            let campus = value("campus")
            if let campus, !campuses.contains(campus) {
                fail("campus", "no campus '\(campus)' in the registry\(campuses.isEmpty ? "" : " (campuses: \(campuses.sorted().joined(separator: ", ")))")")
            }
            let surgeon = value("surgeon")
            if let surgeon, !people.contains(surgeon) {
                fail("surgeon", "no person '\(surgeon)' in the registry (use the person's id)")
            }
            var from: PartialDate?
            if let text = value("from") {
                from = PartialDate(text)
                if from == nil { fail("from", "'\(text)' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)") }
            }
            var to: PartialDate?
            if let text = value("to") {
                to = PartialDate(text)
                if to == nil { fail("to", "'\(text)' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)") }
            } else {
                fail("to", "the end of the period ('to') is empty")
            }
            if let from, let to, from.firstDay > to.lastDay { fail("from", "the period ends (\(to)) before it starts (\(from))") }
            var count: Int?
            if let text = value("count") {
                count = Int(text)
                if count == nil || count! < 0 { fail("count", "'\(text)' is not a count (a whole number, 0 or more)") }
            } else {
                fail("count", "the count is empty")
            }
            var id = value("id")
            if let given = id, !RecordID.isValid(given) {
                fail("id", "'\(given)' is not a valid id (lower-case letters, digits, - _ . inside)")
                id = nil
            }
            guard diagnostics.count == before, let procedureID, let approach, let department, let to, let count else { continue }
            let tally = CaseTally(
                id: id ?? derivedID(procedureID, approach, department, campus, surgeon, from, to),
                procedureID: procedureID, approach: approach, departmentID: department, campusID: campus,
                surgeonID: surgeon, from: from, to: to, count: count, source: value("source"), note: value("note"))
            if let earlier = rows.first(where: { $0.tally.id == tally.id }) {
                report(record.line, 1, "this row is tally '\(tally.id)' again (first on line \(earlier.line)); keep one")
                continue
            }
            rows.append(Row(tally: tally, line: record.line))
        }
        if !diagnostics.isEmpty { throw ImportFailure(diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return rows
    }

    /// Writes the rows and refuses the lot if any tally would count operations another already counts.
    /// Call inside one transaction.
    public static func apply(_ rows: [Row], file: String, to registry: some RegistryWriting & TallyReading) throws -> ImportReport {
        var outcomes: [UpsertOutcome: Int] = [:]
        for row in rows { outcomes[try registry.upsert(row.tally), default: 0] += 1 }
        let lines = Dictionary(rows.map { ($0.tally.id, $0.line) }, uniquingKeysWith: { a, _ in a })
        try TallyRules.refuseOverlaps(involving: Set(rows.map(\.tally.id)), in: registry) { id in
            lines[id].map { XMLDiagnostic(file: file, line: $0, column: 1, message: "") }
        }
        return ImportReport(files: [file], outcomes: [.tally: outcomes])
    }

    /// "choledochal-cyst-excision.laparoscopic.general-surgery.binjiang.all.2016.2016"
    static func derivedID(
        _ procedure: String, _ approach: Approach, _ department: String, _ campus: String?, _ surgeon: String?,
        _ from: PartialDate?, _ to: PartialDate
    ) -> String {
        let parts = [procedure, approach.rawValue, department, campus ?? "all", surgeon ?? "all", from?.description ?? "start", to.description]
        return parts.joined(separator: ".")
    }
}

/// The registry's rule against counting twice.
public enum TallyRules {
    /// Throws `ImportFailure` listing every pair of overlapping tallies that involves `ids`.
    /// `place` gives the file position of a tally being imported (nil when it was already in the registry).
    public static func refuseOverlaps(
        involving ids: Set<String>, in registry: some TallyReading, place: (String) -> XMLDiagnostic?
    ) throws {
        let conflicts = try registry.tallyConflicts(involving: ids)
        guard !conflicts.isEmpty else { return }
        throw ImportFailure(
            conflicts.map { conflict in
                let (incoming, other) = ids.contains(conflict.first.id) ? (conflict.first, conflict.second) : (conflict.second, conflict.first)
                var diagnostic = place(incoming.id) ?? XMLDiagnostic(file: "registry", line: 0, column: 0, message: "")
                let where_ = ids.contains(other.id) ? "also being imported" : "already in the registry"
                diagnostic.message =
                    "case tally '\(incoming.id)' (\(describe(incoming))) overlaps case tally '\(other.id)' (\(describe(other))), \(where_): "
                    + "the same operations would be counted twice. Correct the periods, or give a correction the id of the tally it replaces."
                return diagnostic
            })
    }

    /// "laparoscopic choledochal-cyst-excision, general-surgery, binjiang, 2016: 20"
    public static func describe(_ t: CaseTally) -> String {
        let period = t.from.map { $0 == t.to ? "\($0)" : "\($0) to \(t.to)" } ?? "through \(t.to)"
        return [t.approach.rawValue + " " + t.procedureID, t.departmentID, t.campusID, t.surgeonID, period]
            .compactMap { $0 }.joined(separator: ", ") + ": \(t.count)"
    }
}
