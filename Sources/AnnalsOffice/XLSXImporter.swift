import AnnalsDiagnostics
public import AnnalsInterchange
public import AnnalsModel
import AnnalsXML
public import Foundation

/// Workbooks read for import: every sheet whose header names a kind's columns, turned into the files
/// the registry's own imports read, so that every rule of those imports holds unchanged.
///
/// Registry records (projects, papers, patents, awards, people) become one registry XML file, which
/// ``RegistryImporter`` reads (schema, dates, ORCIDs, periods) and applies (references, replacements
/// kept in the history, re-crediting); case tallies become one tally CSV, which ``TallyImporter``
/// imports (vocabulary, Chinese names, overlaps, corrections). Problems found there are reported at
/// the sheet's cell, not at the intermediate file.
public struct XLSXImport {
    /// The workbooks as the user named them.
    public var files: [String]
    var urls: [URL] = []
    /// What was found: sheet → kind and rows.
    public var found: [(file: String, sheet: String, kind: SheetKind, rows: Int)]
    var registryContent = RegistryContent()
    /// Record (kind, id) → where it came from.
    var origins: [String: Origin] = [:]
    /// The tally rows, as a CSV body with Annals' column names, and each CSV line's origin.
    var tallyCSV: String?
    var tallyLines: [Int: Origin] = [:]
    /// Sheet row → the registry records it gave (kind and id).
    var recordIDs: [Int: [(EntityKind, String)]] = [:]
    let scratch: URL

    struct Origin {
        var file: String
        var table: SheetTable
        var row: Int
    }

    /// Reads `files` (each an .xlsx) with the registry's units and people for names: every problem of
    /// every file is thrown at once, nothing is written.
    public static func read(files: [(url: URL, displayName: String)], registry: some PublicationWriting) throws
        -> XLSXImport
    {
        var result = XLSXImport(
            files: files.map(\.displayName), found: [],
            scratch: FileManager.default.temporaryDirectory.appendingPathComponent("annals-xlsx-\(UUID().uuidString)"))
        // The scratch folder is made by `apply`, which removes it whatever happens: a workbook refused here
        // leaves nothing behind.
        result.urls = files.map(\.url)
        var problems: [Diagnostic] = []
        var resolver = try NameResolver(registry: registry)
        let existing = try ExistingRecords(registry: registry)
        var tables: [(String, SheetTable)] = []
        for (url, name) in files {
            let book = try XLSXReader.read(file: url, displayName: name)
            var any = false
            for sheet in book.sheets {
                guard var table = SheetTable.find(in: sheet, file: name, problems: &problems) else { continue }
                table.fileName = name
                any = true
                tables.append((name, table))
            }
            if !any {
                problems.append(
                    Diagnostic(
                        .sheetNoTable, at: .init(file: name),
                        message:
                            "no sheet has a header row Annals knows. Put the column names in one of the first \(SheetTable.headerSearchDepth) rows, in English or Chinese, as in a template (annals template xlsx KIND): for example 题目, 作者 for papers, or 术式, 科室, 结束, 例数 for case tallies."
                    ))
            }
        }
        try result.take(tables, resolver: &resolver, existing: existing, problems: &problems)
        if !problems.isEmpty { throw DiagnosticError(problems) }
        return result
    }

    /// Turns the rows of `tables` into the registry records and the tally CSV that `apply` imports, every
    /// problem at its sheet cell. A workbook's sheets and a form's rows (``RecordForm``) both come here.
    mutating func take(
        _ tables: [(String, SheetTable)], resolver: inout NameResolver, existing: ExistingRecords,
        problems: inout [Diagnostic]
    ) throws {
        // People first, so that the other sheets may name the people they add.
        for (_, table) in tables where table.kind == .people {
            for row in table.rows {
                let values = RowValues(table: table, row: row)
                if let id = values.text("id")
                    ?? values.text("chinese_name").map({ RecordIDs.person(chineseName: $0, family: nil, given: nil) })
                {
                    if let chinese = values.text("chinese_name") { resolver.addPerson(id: id, names: [chinese]) }
                }
            }
        }
        var tallyRows: [[String]] = []
        for (file, table) in tables {
            self.found.append((file, table.sheet.name, table.kind, table.rows.count))
            for row in table.rows {
                var values = RowValues(table: table, row: row)
                if table.kind == .tallies {
                    // Dates as the tally CSV writes them (2025/3/1, 2025年3月 → 2025-03-01, 2025-03); anything else as
                    // written, for the tally import to report.
                    tallyRows.append(
                        TallyImporter.columns.map { key in
                            var probe = values
                            if key == "from" || key == "to", let date = probe.date(key) { return date.description }
                            return values.csvText(key)
                        })
                    self.tallyLines[tallyRows.count + 1] = Origin(file: file, table: table, row: row.number)
                    continue
                }
                guard
                    let (kind, id) = try RecordBuilder.add(
                        &values, kind: table.kind, resolver: &resolver, existing: existing, to: &self.registryContent)
                else {
                    problems += values.problems
                    continue
                }
                problems += values.problems
                let key = "\(kind.rawValue)/\(id)"
                if let earlier = self.origins[key] {
                    problems.append(
                        table.diagnostic(
                            .sheetRepeatedRow, column: table.positions["id"] ?? 1, row: row.number,
                            "this row gives \(kind.noun) '\(id)' again (first in \(earlier.file):\(earlier.table.sheet.name)!\(earlier.row)); keep one row per record"
                        ))
                } else {
                    self.origins[key] = Origin(file: file, table: table, row: row.number)
                    self.recordIDs[row.number, default: []].append((kind, id))
                }
            }
        }
        guard problems.isEmpty else { return }
        if !tallyRows.isEmpty {
            // One line per row: a line break inside a cell becomes a space, so CSV lines are sheet rows.
            let lines = [TallyImporter.columns] + tallyRows
            self.tallyCSV =
                lines.map { fields in
                    fields.map { field in
                        let flat = field.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(
                            of: "\n", with: " "
                        ).replacingOccurrences(of: "\r", with: " ")
                        return flat.contains(where: { $0 == "," || $0 == "\"" })
                            ? "\"" + flat.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : flat
                    }.joined(separator: ",")
                }.joined(separator: "\n") + "\n"
        }
    }

    /// Writes what was read into `registry`, through ``RegistryImporter`` and ``TallyImporter``. Call it
    /// inside one transaction: on any error (thrown as a `DiagnosticError` at the sheets' cells) nothing must be kept.
    public func apply(to registry: some PublicationWriting & TallyReading) throws -> ImportReport {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var report = try applyRecords(to: registry, logImport: true)
        if let tallyCSV {
            let csv = scratch.appendingPathComponent("xlsx-tallies.csv")
            try Data(tallyCSV.utf8).write(to: csv)
            do {
                let tallyReport = try TallyImporter.importFile(csv, displayName: "xlsx-tallies.csv", into: registry)
                for (kind, outcomes) in tallyReport.outcomes { report.outcomes[kind] = outcomes }
            } catch let error as DiagnosticError {
                throw DiagnosticError(mapTallies(error.diagnostics))
            }
        }
        // The workbooks themselves in the import log (the registry import above logs its intermediate file).
        for (url, name) in zip(urls, files) {
            let rows = found.filter { $0.file == name }
            try registry.logImport(
                kind: "xlsx", file: url.lastPathComponent, sha256: try ImportedFileDigest.sha256(ofFile: url),
                summary: rows.map { "\($0.sheet): \($0.rows) \($0.kind.rawValue)" }.joined(separator: "; "))
        }
        return report
    }

    /// Writes the registry records read (not the tallies) through ``RegistryImporter``; `logImport` puts the
    /// intermediate file in the import log.
    func applyRecords(to registry: some PublicationWriting & TallyReading, logImport: Bool) throws -> ImportReport {
        var report = ImportReport(files: files, outcomes: [:])
        if registryContent.counts.values.reduce(0, +) > 0 {
            let xml = scratch.appendingPathComponent("xlsx-records.xml")
            FileManager.default.createFile(atPath: xml.path, contents: nil)
            let handle = try FileHandle(forWritingTo: xml)
            try RegistryExporter.export(registryContent, to: { handle.write(Data($0)) })
            try handle.close()
            let label = "xlsx-records.xml"
            do {
                let file = try RegistryImporter.read(file: xml, displayName: label)
                let registryReport = try RegistryImporter.apply([file], to: registry, logImport: logImport)
                report.outcomes = registryReport.outcomes
                report.replacements = registryReport.replacements
                report.recredited = registryReport.recredited
            } catch let error as DiagnosticError {
                throw DiagnosticError(try mapRegistry(error.diagnostics, xml: xml))
            }
        }
        return report
    }

    /// Diagnostics of the intermediate tally CSV at their sheet cells: CSV line → sheet row, CSV column → the sheet's column.
    func mapTallies(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { d in
            guard let origin = tallyLines[d.line] else { return d }
            let key =
                d.column > 0 ? csvColumn(at: d.column, line: d.line) : nil
            return located(d, origin: origin, key: key)
        }
    }

    /// The tally column a 1-based character column of the intermediate CSV falls in.
    private func csvColumn(at column: Int, line: Int) -> String? {
        guard let tallyCSV else { return nil }
        let lines = tallyCSV.split(separator: "\n", omittingEmptySubsequences: false)
        guard line - 1 < lines.count else { return nil }
        var field = 0
        var inQuotes = false
        for (offset, character) in lines[line - 1].enumerated() {
            if offset + 1 >= column { break }
            if character == "\"" { inQuotes.toggle() }
            if character == ",", !inQuotes { field += 1 }
        }
        return field < TallyImporter.columns.count ? TallyImporter.columns[field] : nil
    }

    /// Diagnostics of the intermediate registry XML at their sheet cells: the record a line falls in
    /// gives the row, the element the message names gives the column.
    func mapRegistry(_ diagnostics: [Diagnostic], xml: URL) throws -> [Diagnostic] {
        var starts: [(line: Int, key: String)] = []
        try XMLStreamReader.read(file: xml, recordDepth: 1) { element in
            guard let id = element[attribute: "id"],
                let kind = EntityKind.allCases.first(where: { $0.elementName == element.name })
            else { return }
            starts.append((element.line, "\(kind.rawValue)/\(id)"))
        }
        return diagnostics.map { d in
            var d = d
            if let record = d.location.record, let origin = origins["\(record.kind)/\(record.id)"] {
                return located(d, origin: origin, key: nil)
            }
            guard d.line > 0, let start = starts.last(where: { $0.line <= d.line }), let origin = origins[start.key]
            else {
                d.file = files.joined(separator: ", ")
                d.line = 0
                return d
            }
            let element =
                d.message.firstMatch(of: /attribute '([A-Za-z]+)'/).map { String($0.1) }
                ?? d.message.firstMatch(of: /Element '(?:\{[^}]*\})?([A-Za-z]+)'/).map { String($0.1) }
            let key = element.flatMap { origin.table.kind.columnKey(forElement: $0) }
            return located(d, origin: origin, key: key)
        }
    }

    func located(_ d: Diagnostic, origin: Origin, key: String?) -> Diagnostic {
        let table = origin.table
        let column = key.flatMap { table.positions[$0] } ?? table.positions["id"] ?? table.columns.keys.min() ?? 1
        let header = key.flatMap { table.headers[$0] }
        var message = d.message
        if let header { message = "(\(header)) " + message }
        return Diagnostic(
            d.code,
            at: .init(
                file: origin.file, sheet: table.sheet.name,
                cell: CellReference(column: column, row: origin.row).description),
            severity: d.severity, message: message, suggestions: d.suggestions)
    }
}

extension EntityKind {
    /// The registry XML element of a record of this kind.
    var elementName: String {
        switch self {
        case .orgUnit: "orgUnit"
        case .person: "person"
        case .journal: "journal"
        case .procedure: "procedure"
        case .project: "project"
        case .publication: "publication"
        case .patent: "patent"
        case .award: "award"
        case .staffCensus: "staffCensus"
        case .tally: "tally"
        default: rawValue
        }
    }
}

extension SheetKind {
    /// The column a registry XML element comes from.
    func columnKey(forElement element: String) -> String? {
        let map: [String: String] = [
            "title": "title", "funder": "funder", "programme": "programme", "level": "level",
            "grantNumber": "grant_number",
            "principalInvestigator": "principal_investigator", "department": "departments", "start": "start",
            "end": "end",
            "amount": "amount", "status": "status", "journal": "journal", "published": "published", "volume": "volume",
            "issue": "issue", "pages": "pages", "doi": "doi", "pmid": "pmid", "author": "authors",
            "applicationNumber": "application_number",
            "inventor": "inventors", "filed": "filed", "granted": "granted", "name": "name", "grade": "grade",
            "year": "year",
            "recipient": "recipients", "project": "project", "orcid": "orcid", "familyName": "family_name",
            "givenName": "given_name",
            "clinicalRank": "clinical_rank", "academicTitle": "academic_title", "degree": "degree",
            "supervisor": "supervisor",
            "nameVariant": "chinese_name", "issnPrint": "issn",
        ]
        if self == .staff {
            return [
                "department": "department", "category": "category", "count": "count", "asOf": "as_of", "note": "note",
            ][element]
        }
        guard let key = map[element], columns.contains(where: { $0.key == key }) else { return nil }
        return key
    }
}
