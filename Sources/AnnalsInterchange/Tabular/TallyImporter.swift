import AnnalsCuration
public import AnnalsDiagnostics
public import AnnalsModel
import AnnalsXML
public import Foundation

/// Case tallies from CSV (`annals import tallies`), and the rule every tally import obeys: two tallies
/// that would count the same operations twice are refused.
///
/// Columns (header row required, any order): `procedure, approach, department, campus, surgeon, from,
/// to, count, source, note`, and optionally `id`. `procedure` is a vocabulary term or id; `department`
/// a department's or the hospital's id; `from` empty means a cumulative baseline up to `to`. Without
/// an `id`, the id is made from the tally's procedure, approach, unit, campus, surgeon and period. A
/// tally is the same tally as one in the registry with its series and period, whatever its id or
/// the file it came from (CSV or registry XML), so importing a corrected count for the same period
/// replaces the earlier one (and the earlier one is kept in the tally's history).
public enum TallyImporter {
    public static let columns = [
        "id", "procedure", "approach", "department", "campus", "surgeon", "from", "to", "count", "source", "note",
    ]

    /// One row read, with its line.
    public struct Row: Sendable, Hashable {
        public var tally: CaseTally
        public var line: Int
        /// True when the file gave the id (an `id` column), false when it was made from the row.
        public var givenID = false
    }

    /// Imports one tally CSV into `registry` as it is read, `batchSize` good rows at a time: memory does not
    /// grow with the file. Every row is checked against the registry's vocabulary, units, campuses and people; every
    /// bad row is reported and any problem refuses the whole file (`DiagnosticError`), so call it inside
    /// one transaction. A row with the series and period of a tally already in the registry replaces
    /// it (kept in the tally's history); one that would count operations another tally counts is
    /// refused (`TallyRules`).
    public static func importFile(
        _ file: URL, displayName: String, into registry: some RegistryWriting & TallyReading
    ) throws -> ImportReport {
        try CSV.checkFile(file, displayName: displayName, maximumSize: CSV.maximumStreamedFileSize)
        var reader = try RowReader(file: file, displayName: displayName, registry: registry)
        var outcomes: [UpsertOutcome: Int] = [:]
        var procedures: Set<String> = []
        // Hashes of the series-and-period of each row and of each id given, to find a row given twice
        // without keeping the rows: a repeated hash is confirmed (or not) by reading the file again.
        var seen = Set<Int>()
        var suspects = Set<Int>()
        // Good rows are written `batchSize` at a time (`upsertTallies`: many to a statement).
        var batch: [CaseTally] = []
        batch.reserveCapacity(batchSize)
        func write() throws {
            for outcome in try registry.upsertTallies(batch) { outcomes[outcome, default: 0] += 1 }
            batch.removeAll(keepingCapacity: true)
        }
        try reader.scan { row in
            let identity = row.tally.identity.hashValue
            if !seen.insert(identity).inserted { suspects.insert(identity) }
            if row.givenID {
                let id = RowKey.id(row.tally.id).hashValue
                if !seen.insert(id).inserted { suspects.insert(id) }
            }
            procedures.insert(row.tally.procedureID)
            batch.append(row.tally)
            if batch.count == batchSize { try write() }
        }
        try write()
        if !suspects.isEmpty {
            let repeats = try reader.repeatedRows(among: suspects)
            if !repeats.isEmpty { throw DiagnosticError(repeats) }
        }
        try TallyRules.refuseOverlaps(
            procedures: procedures, in: registry, imported: { seen.contains($0.hashValue) },
            places: { identities in try reader.places(of: identities) })
        return ImportReport(files: [displayName], outcomes: [.tally: outcomes])
    }

    /// How many good rows `importFile` gathers before writing them: memory stays small (a few MB), and a
    /// batch is large enough for the registry to add its sums once (`RegistryWriting.upsertTallies`).
    static let batchSize = 1024

    /// The hashes a row is known by: its series and period, and the id it gives.
    private static func keys(of row: Row) -> [Int] {
        var keys = [row.tally.identity.hashValue]
        if row.givenID { keys.append(RowKey.id(row.tally.id).hashValue) }
        return keys
    }

    private enum RowKey: Hashable {
        case identity(TallyIdentity)
        case id(String)
    }

    /// Reads a tally CSV whole, with the checks of `importFile`; nothing is written. For small files.
    public static func read(file: URL, displayName: String, registry: some RegistryReading) throws -> [Row] {
        try CSV.checkFile(file, displayName: displayName, maximumSize: CSV.maximumStreamedFileSize)
        var reader = try RowReader(file: file, displayName: displayName, registry: registry)
        var rows: [Row] = []
        try reader.scan { rows.append($0) }
        let repeats = repeated(rows, file: displayName)
        if !repeats.isEmpty { throw DiagnosticError(repeats) }
        return rows
    }

    /// Writes the rows and refuses the lot if any tally would count operations another already counts.
    /// Call inside one transaction.
    public static func apply(_ rows: [Row], file: String, to registry: some RegistryWriting & TallyReading) throws
        -> ImportReport
    {
        var outcomes: [UpsertOutcome: Int] = [:]
        for outcome in try registry.upsertTallies(rows.map(\.tally)) { outcomes[outcome, default: 0] += 1 }
        let lines = Dictionary(rows.map { ($0.tally.identity, $0.line) }, uniquingKeysWith: { a, _ in a })
        try TallyRules.refuseOverlaps(
            procedures: Set(rows.map(\.tally.procedureID)), in: registry, imported: { lines[$0] != nil },
            places: { identities in
                lines.filter { identities.contains($0.key) }.mapValues {
                    Diagnostic(.tallyOverlap, file: file, line: $0, column: 1, message: "")
                }
            })
        return ImportReport(files: [file], outcomes: [.tally: outcomes])
    }

    /// Rows that give the same tally twice (the same id, or the same series and period), reported at the later row.
    static func repeated(_ rows: [Row], file: String) -> [Diagnostic] {
        var first: [RowKey: Int] = [:]
        var diagnostics: [Diagnostic] = []
        for row in rows {
            for key in [RowKey.identity(row.tally.identity)] + (row.givenID ? [RowKey.id(row.tally.id)] : []) {
                if let earlier = first[key] {
                    diagnostics.append(
                        Diagnostic(
                            .tallyRepeated, file: file, line: row.line, column: 1, message: repeatMessage(key, earlier))
                    )
                    break
                }
                first[key] = row.line
            }
        }
        return diagnostics
    }

    private static func repeatMessage(_ key: RowKey, _ earlier: Int) -> String {
        switch key {
        case .id(let id): "this row is tally '\(id)' again (first on line \(earlier)); keep one"
        case .identity:
            "this row counts the same procedure, approach, unit, campus, surgeon and period as line \(earlier); keep one (a corrected count replaces the old one when imported on its own)"
        }
    }

    /// `text` without white space or line breaks at either end, as Foundation trims them; without
    /// Foundation when the ends are ASCII (nearly every field of a tally file).
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isSpace($0) })!
        // White space beyond ASCII (an ideographic space, a no-break space) is Foundation's to find.
        if utf8[first] >= 0x80 || utf8[last] >= 0x80 { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    /// "choledochal-cyst-excision.laparoscopic.general-surgery.binjiang.all.2016.2016"
    static func derivedID(
        _ procedure: String, _ approach: Approach, _ department: String, _ campus: String?, _ surgeon: String?,
        _ from: PartialDate?, _ to: PartialDate
    ) -> String {
        let parts = [
            procedure, approach.rawValue, department, campus ?? "all", surgeon ?? "all", from?.description ?? "start",
            to.description,
        ]
        return parts.joined(separator: ".")
    }

    /// Checks rows of one file against the registry and turns them into tallies.
    struct RowReader {
        let file: URL
        let displayName: String
        let matcher: ProcedureMatcher
        /// Departments and hospitals: a tally may be for either (`TallyRules` keeps them from overlapping).
        let units: Set<String>
        let unitExample: String
        let campuses: Set<String>
        let people: Set<String>
        /// For units, campuses and people named in Chinese (普外科, 滨江院区, 高志刚): `ReferenceCheck` reads them.
        let orgUnits: [OrgUnit]
        let persons: [Person]
        /// What each procedure term, Chinese name and date written in the file means (files repeat a few of each).
        var terms: [String: ProcedureMatcher.Match] = [:]
        var chineseNames: [String: Result<String, UnknownReference>] = [:]
        var dates: [String: PartialDate?] = [:]

        init(file: URL, displayName: String, registry: some RegistryReading) throws {
            self.file = file
            self.displayName = displayName
            matcher = ProcedureMatcher.made(for: try registry.procedures())
            let orgUnits = try registry.orgUnits()
            units = Set(orgUnits.map(\.id))
            unitExample = orgUnits.filter { $0.kind == .department }.map(\.id).sorted().first ?? "general-surgery"
            campuses = Set(orgUnits.flatMap { $0.campuses.map(\.id) })
            self.orgUnits = orgUnits
            persons = try registry.people()
            people = Set(persons.map(\.id))
        }

        /// Reads `data`, handing each good row to `body` for as long as no problem has been found; then
        /// throws `DiagnosticError` with every problem, if there were any.
        mutating func scan(_ body: (Row) throws -> Void) throws {
            var structural: [Diagnostic] = []
            var diagnostics: [Diagnostic] = []
            var header: CSVRecord?
            var position: [String: Int] = [:]
            let file = displayName
            func report(_ line: Int, _ column: Int, _ message: String) {
                diagnostics.append(
                    Diagnostic(.tallyInvalidValue, file: file, line: line, column: column, message: message))
            }
            let encoding = try CSV.forEachRecord(
                inFile: self.file, displayName: file,
                { record in
                    if record.isBlank { return }
                    guard let header else {
                        header = record
                        for (index, field) in record.fields.enumerated() {
                            let name = TallyColumnNames.canonical(field.text)
                            if !TallyImporter.columns.contains(name) {
                                structural.append(
                                    Diagnostic(
                                        .csvUnknownColumn, file: file, line: field.line, column: field.column,
                                        message:
                                            "unknown column '\(field.text)'; the columns are \(TallyImporter.columns.joined(separator: ", ")) (in Chinese \(TallyColumnNames.shown); see README: Case tallies)"
                                    ))
                            } else if position[name] != nil {
                                structural.append(
                                    Diagnostic(
                                        .csvDuplicateColumn, file: file, line: field.line, column: field.column,
                                        message: "column '\(name)' appears twice; keep one"))
                            } else {
                                position[name] = index
                            }
                        }
                        for required in ["procedure", "department", "to", "count"] where position[required] == nil {
                            structural.append(
                                Diagnostic(
                                    .csvMissingColumn, file: file, line: record.line, column: 1,
                                    message: "the header has no '\(required)' column"))
                        }
                        return
                    }
                    guard structural.isEmpty else { return }
                    let before = diagnostics.count
                    let row = self.row(record, header: header, position: position, report: report)
                    if let row, diagnostics.count == before, diagnostics.isEmpty { try body(row) }
                },
                problem: { structural.append($0.diagnostic(in: file)) })
            if let encoding {
                throw DiagnosticError(encoding.diagnostic(in: file))
            }
            if header == nil {
                structural.append(
                    Diagnostic(
                        .csvNoHeader, file: file, line: 0, column: 0,
                        message:
                            "the file has no header row; its first line must name the columns: \(TallyImporter.columns.joined(separator: ","))"
                    ))
            }
            if !structural.isEmpty { throw DiagnosticError(structural) }
            if !diagnostics.isEmpty {
                throw DiagnosticError(diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
            }
        }

        /// The tally of one row, or nil (with its problems reported).
        mutating func row(
            _ record: CSVRecord, header: CSVRecord, position: [String: Int], report: (Int, Int, String) -> Void
        ) -> Row? {
            func field(_ name: String) -> CSVField? {
                guard let index = position[name], index < record.fields.count else { return nil }
                return record.fields[index]
            }
            func value(_ name: String) -> String? {
                guard let text = field(name)?.text else { return nil }
                let trimmed = TallyImporter.trimmed(text)
                return trimmed.isEmpty ? nil : trimmed
            }
            var ok = true
            func fail(_ name: String, _ message: String) {
                ok = false
                report(record.line, field(name)?.column ?? 1, message)
            }
            if record.fields.count > header.fields.count {
                ok = false
                report(
                    record.line, record.fields[header.fields.count].column,
                    "this row has \(record.fields.count) fields; the header has \(header.fields.count)")
            }

            var procedureID: String?
            var impliedApproach: Approach?
            if let term = value("procedure") {
                let match: ProcedureMatcher.Match
                if let known = terms[term] {
                    match = known
                } else {
                    match = matcher.match(term)
                    terms[term] = match
                }
                switch match {
                case .procedure(let procedure, let approach):
                    procedureID = procedure.id
                    impliedApproach = approach
                case .conflictingApproaches(let approaches):
                    fail("procedure", ProcedureMatcher.conflictMessage(term, approaches))
                case .unknown(let suggestions):
                    fail(
                        "procedure",
                        "unknown procedure '\(term)'\(suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?") (`annals procedures` lists the vocabulary)"
                    )
                }
            } else {
                fail("procedure", "the procedure is empty")
            }
            var approach = impliedApproach
            if let written = value("approach") {
                if let named = ApproachWords.approach(named: written) {
                    if let implied = impliedApproach, implied != named {
                        fail(
                            "approach",
                            "the procedure says \(implied.rawValue) but the approach column says \(named.rawValue)")
                    }
                    approach = named
                } else {
                    fail(
                        "approach",
                        "unknown approach '\(written)'; use one of \(Approach.allCases.map(\.rawValue).joined(separator: ", ")) (or 开放, 腹腔镜, 机器人, 内镜, 介入, 杂交, 中转开腹)"
                    )
                }
            } else if approach == nil {
                fail(
                    "approach",
                    "the approach is empty; use one of \(Approach.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            // A unit, campus or person named in Chinese is its id; a Chinese near miss is refused with suggestions.
            func chinese(_ name: String, _ kind: String, _ resolve: (String) throws(UnknownReference) -> String)
                -> String?
            {
                guard let text = value(name), ChineseText.containsHan(text) else { return value(name) }
                if chineseNames["\(kind):\(text)"] == nil {
                    chineseNames["\(kind):\(text)"] = Result { () throws(UnknownReference) in try resolve(text) }
                }
                switch chineseNames["\(kind):\(text)"]! {
                case .success(let id): return id
                case .failure(let error):
                    fail(name, error.description)
                    return nil
                }
            }
            let department = chinese("department", "unit") { text throws(UnknownReference) in
                try ReferenceCheck.department(text, among: orgUnits)
            }
            if let department, !units.contains(department) {
                fail(
                    "department",
                    "no department or hospital '\(department)' in the registry (use the unit's id, such as \(unitExample))"
                )
            } else if department == nil, value("department") == nil {
                fail("department", "the department is empty")
            }
            let campus = chinese("campus", "campus") { text throws(UnknownReference) in
                try ReferenceCheck.campus(text, among: orgUnits)
            }
            if let campus, !campuses.contains(campus) {
                fail(
                    "campus",
                    "no campus '\(campus)' in the registry\(campuses.isEmpty ? "" : " (campuses: \(campuses.sorted().joined(separator: ", ")))")"
                )
            }
            let surgeon = chinese("surgeon", "person") { text throws(UnknownReference) in
                try ReferenceCheck.person(text, among: persons, option: "the surgeon column")
            }
            if let surgeon, !people.contains(surgeon) {
                fail("surgeon", "no person '\(surgeon)' in the registry (use the person's id)")
            }
            func date(_ text: String) -> PartialDate? {
                if let known = dates[text] { return known }
                let parsed = PartialDate(text)
                dates[text] = parsed
                return parsed
            }
            var from: PartialDate?
            if let text = value("from") {
                from = date(text)
                if from == nil { fail("from", "'\(text)' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)") }
            }
            var to: PartialDate?
            if let text = value("to") {
                to = date(text)
                if to == nil { fail("to", "'\(text)' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)") }
            } else {
                fail("to", "the end of the period ('to') is empty")
            }
            if let from, let to, from.firstDay > to.lastDay {
                fail("from", "the period ends (\(to)) before it starts (\(from))")
            }
            var count: Int?
            if let text = value("count") {
                count = Int(text)
                if let number = count, number > CountLimit.maximum {
                    fail(
                        "count",
                        "\(text) is more than \(CountLimit.maximumText), the largest count Annals keeps; check the number"
                    )
                } else if count == nil || count! < 0 {
                    fail("count", "'\(text)' is not a count (a whole number, 0 or more)")
                }
            } else {
                fail("count", "the count is empty")
            }
            var id = value("id")
            if let given = id, !RecordID.isValid(given) {
                fail("id", "'\(given)' is not a valid id (lower-case letters, digits, - _ . inside)")
                id = nil
            }
            guard ok, let procedureID, let approach, let department, let to, let count else { return nil }
            let tally = CaseTally(
                id: id ?? derivedID(procedureID, approach, department, campus, surgeon, from, to),
                procedureID: procedureID, approach: approach, departmentID: department, campusID: campus,
                surgeonID: surgeon, from: from, to: to, count: count, source: value("source"), note: value("note"))
            return Row(tally: tally, line: record.line, givenID: id != nil)
        }

        /// Reads the file again for the rows whose keys hashed to one of `suspects`: the rows given twice.
        mutating func repeatedRows(among suspects: Set<Int>) throws -> [Diagnostic] {
            var rows: [Row] = []
            try scan { row in
                if TallyImporter.keys(of: row).contains(where: suspects.contains) { rows.append(row) }
            }
            return TallyImporter.repeated(rows, file: displayName)
        }

        /// Reads the file again for where the tallies of `identities` are.
        mutating func places(of identities: Set<TallyIdentity>) throws -> [TallyIdentity: Diagnostic] {
            var places: [TallyIdentity: Diagnostic] = [:]
            let file = displayName
            try scan { row in
                let identity = row.tally.identity
                if identities.contains(identity), places[identity] == nil {
                    places[identity] = Diagnostic(.tallyOverlap, file: file, line: row.line, column: 1, message: "")
                }
            }
            return places
        }
    }
}
