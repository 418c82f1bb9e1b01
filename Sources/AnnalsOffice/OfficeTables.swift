import AnnalsDiagnostics
import AnnalsInterchange
public import AnnalsModel
public import Foundation

/// Templates to fill in and exports of the registry, as .xlsx workbooks.
public enum OfficeTables {
    /// The hidden sheet holding the drop-down lists.
    static func listsSheetName(_ language: SheetLanguage) -> String { language == .zh ? "选项" : "lists" }

    /// A template for `kind`: the header row in `language` (frozen), drop-down lists for closed
    /// vocabularies and departments, date columns formatted as dates, and a notes sheet that explains
    /// every column.
    /// `units` are the registry's units, for the departments' drop-down list (none without a registry).
    public static func template(_ kind: SheetKind, language: SheetLanguage, units: [OrgUnit]) throws -> Data {
        let columns = kind.columns.filter { !$0.computed }
        var main = OutputSheet(name: kind.sheetName(language), rows: [columns.map { .text($0.header(language)) }])
        main.blankRows = 500
        var lists: [[String]] = []
        let departments = units.filter { $0.kind == .department }.map { language == .zh ? ($0.nameZH ?? $0.id) : $0.id }
            .sorted()
        for (index, column) in columns.enumerated() {
            var choices: [String]?
            switch column.type {
            case .choice(let vocabulary): choices = vocabulary.map { $0.label(language) }
            case .flag: choices = language == .zh ? ["是", "否"] : ["yes", "no"]
            case .date: main.dateColumns.insert(index + 1)
            default: break
            }
            if column.key == "department", !departments.isEmpty { choices = departments }
            if let choices {
                lists.append(choices)
                let letters = CellReference.letters(lists.count)
                main.validations[index + 1] =
                    "\(XLSXWriter.quotedSheet(listsSheetName(language)))!$\(letters)$1:$\(letters)$\(choices.count)"
            }
        }
        var notes = OutputSheet(
            name: language == .zh ? "填写说明" : "notes",
            rows: [
                language == .zh
                    ? [.text("列名"), .text("必填"), .text("说明")] : [.text("column"), .text("required"), .text("notes")]
            ])
        for column in columns {
            notes.rows.append([
                .text(column.header(language)), .text(column.required ? (language == .zh ? "是" : "yes") : ""),
                .text(language == .zh ? column.noteZH : column.noteEN),
            ])
        }
        notes.rows.append([])
        notes.rows.append([
            .text(
                language == .zh
                    ? "导入：annals import xlsx 文件.xlsx。列的顺序不限，中英文列名均可；有错误时不导入任何记录，并指出单元格（文件:工作表!C7）。保留“编号”列，再次导入同一文件不会重复，修改后的行即为更正（历史中保留原值）。"
                    : "Import with: annals import xlsx FILE.xlsx. Columns may come in any order, with English or Chinese names; on any error nothing is imported and the cell is named (FILE:SHEET!C7). Keep the id column: importing the same file again changes nothing, and a corrected row is a correction (the earlier values stay in the history)."
            )
        ])
        notes.autofilter = false
        var sheets = [main, notes]
        if !lists.isEmpty {
            let height = lists.map(\.count).max() ?? 0
            var listSheet = OutputSheet(
                name: listsSheetName(language),
                rows: (0..<height).map { r in lists.map { r < $0.count ? OutputCell.text($0[r]) : .empty } })
            listSheet.header = false
            listSheet.autofilter = false
            listSheet.hidden = true
            sheets.append(listSheet)
        }
        return try XLSXWriter.data(sheets)
    }

    /// Which records an export holds.
    public struct Selection: Sendable {
        public var year: Int?
        public var department: String?
        public var sciOnly: Bool
        /// One record only (a form filled with it).
        public var id: String?

        public init(year: Int? = nil, department: String? = nil, sciOnly: Bool = false, id: String? = nil) {
            self.year = year
            self.department = department
            self.sciOnly = sciOnly
            self.id = id
        }
    }

    /// `kind`'s records as a workbook of one sheet, with the header in `language`: numbers as numbers,
    /// dates as dates, the header frozen and filtered.
    public static func export(
        _ kind: SheetKind, from registry: some RegistryReading, selection: Selection, language: SheetLanguage
    ) throws -> Data {
        try XLSXWriter.data([sheet(kind, from: registry, selection: selection, language: language)])
    }

    /// The sheet `export` writes.
    public static func sheet(
        _ kind: SheetKind, from registry: some RegistryReading, selection: Selection, language: SheetLanguage
    ) throws -> OutputSheet {
        let columns = kind.columns
        var rows: [[OutputCell]] = [columns.map { .text($0.header(language)) }]
        let units = try registry.orgUnits()
        let people = try registry.people()
        let unitName: (String) -> String = { id in
            language == .zh ? (units.first { $0.id == id }?.nameZH ?? id) : id
        }
        let resolver = try NameResolver(registry: registry)
        let personName: (String) -> String = { id in
            guard language == .zh, let person = people.first(where: { $0.id == id }), let name = person.chineseName,
                resolver.person(name) == id
            else { return id }
            return name
        }
        func label(_ choices: [Choice], _ value: String?) -> OutputCell {
            guard let value else { return .empty }
            return .text(choices.first { $0.value == value }?.label(language) ?? value)
        }
        func date(_ d: PartialDate?) -> OutputCell {
            guard let d else { return .empty }
            if let m = d.month, let day = d.day { return .date(year: d.year, month: m, day: day) }
            return .text(d.description)
        }
        func text(_ s: String?) -> OutputCell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        func list(_ items: [String]) -> OutputCell {
            items.isEmpty ? .empty : .text(items.joined(separator: language == .zh ? "、" : "; "))
        }
        let inDepartment: ([String]) -> Bool = { ids in selection.department.map { ids.contains($0) } ?? true }
        let wanted: (String) -> Bool = { id in selection.id.map { $0 == id } ?? true }
        let overlapsYear: (PartialDate?, PartialDate?) -> Bool = { start, end in
            guard let year = selection.year else { return true }
            return (start?.year ?? Int.min) <= year && (end?.year ?? Int.max) >= year
        }

        switch kind {
        case .tallies:
            try registry.forEachTally { t in
                guard wanted(t.id), selection.department.map({ t.departmentID == $0 }) ?? true,
                    overlapsYear(t.from, t.to)
                else {
                    return
                }
                rows.append([
                    .text(t.id), .text(t.procedureID), label(Vocabulary.approach, t.approach.rawValue),
                    .text(unitName(t.departmentID)),
                    text(t.campusID), text(t.surgeonID.map(personName)), date(t.from), date(t.to), .integer(t.count),
                    text(t.source), text(t.note),
                ])
            }
        case .projects:
            for p in try registry.projects()
            where wanted(p.id) && inDepartment(p.departments.map(\.departmentID)) && overlapsYear(p.start, p.end) {
                rows.append([
                    .text(p.id), .text(p.title), .text(p.funder), text(p.programme),
                    label(Vocabulary.level, p.level.rawValue), text(p.grantNumber),
                    text(p.principalInvestigatorID.map(personName)),
                    list(p.departments.map { unitName($0.departmentID) }), date(p.start), date(p.end),
                    p.amount.map { .number($0.amount.doubleValue) } ?? .empty, text(p.amount?.currency),
                    label(Vocabulary.projectStatus, p.status.rawValue),
                ])
            }
        case .papers:
            let journals = JournalLookup(try registry.journals())
            var number = 0
            try registry.forEachPublication(year: selection.year, department: selection.department, person: nil) { p in
                if !wanted(p.id) { return }
                let sci = SCIRule.isSCI(p, in: journals)
                if selection.sciOnly && sci != true { return }
                number += 1
                let metrics = p.journal.flatMap { reference -> JournalMetrics? in
                    guard let year = p.published?.year else { return nil }
                    return journals.journals(for: reference).flatMap(\.metrics).filter { $0.year <= year }.max {
                        $0.year < $1.year
                    }
                }
                let corresponding = p.authors.filter(\.isCorresponding).map(\.shortName)
                rows.append([
                    .integer(number), .text(p.id), .text(p.title.plain), text(p.journal?.title),
                    text(p.journal?.issnPrint ?? p.journal?.issnElectronic),
                    p.published.map { .integer($0.year) } ?? .empty, date(p.published), text(p.volume), text(p.issue),
                    text(p.pages), text(p.doi),
                    text(p.pmid), list(p.authors.map(\.shortName)), text(p.authors.first?.shortName),
                    list(corresponding),
                    list(p.departmentIDs.map(unitName)), label(Vocabulary.paperKind, p.kind.rawValue),
                    sci.map { .text($0 ? (language == .zh ? "是" : "yes") : (language == .zh ? "否" : "no")) } ?? .empty,
                    metrics?.impactFactor.map { .number($0.doubleValue) } ?? .empty,
                    metrics?.jcrQuartile.map { .text("Q\($0)") } ?? .empty,
                    metrics?.casZone.map { .integer($0) } ?? .empty,
                ])
            }
        case .patents:
            for p in try registry.patents() where wanted(p.id) && inDepartment(p.departmentIDs) {
                if let year = selection.year, p.filed?.year != year && p.granted?.year != year { continue }
                rows.append([
                    .text(p.id), label(Vocabulary.patentKind, p.kind.rawValue), .text(p.title),
                    text(p.applicationNumber), text(p.grantNumber),
                    list(p.inventors.map { $0.personID.map(personName) ?? $0.name }), date(p.filed), date(p.granted),
                    label(Vocabulary.patentStatus, p.status.rawValue), list(p.departmentIDs.map(unitName)),
                ])
            }
        case .awards:
            for a in try registry.awards()
            where wanted(a.id) && inDepartment(a.departmentIDs) && (selection.year.map { a.year == $0 } ?? true) {
                rows.append([
                    .text(a.id), .text(a.name), text(a.grade), label(Vocabulary.level, a.level.rawValue),
                    .integer(a.year),
                    list(a.recipients.map { $0.personID.map(personName) ?? $0.name }), text(a.projectID),
                    list(a.departmentIDs.map(unitName)),
                ])
            }
        case .staff:
            for c in try registry.staffCensus()
            where wanted(c.id) && inDepartment([c.departmentID]) && (selection.year.map { c.asOf.year == $0 } ?? true) {
                rows.append([
                    .text(c.id), .text(unitName(c.departmentID)), label(Vocabulary.staffCategory, c.category.rawValue),
                    .integer(c.count),
                    date(c.asOf), text(c.note),
                ])
            }
        case .people:
            for p in people where wanted(p.id) && inDepartment(p.departmentIDs) {
                rows.append([
                    .text(p.id), text(p.chineseName), .text(p.familyName), .text(p.givenName), text(p.orcid),
                    label(Vocabulary.clinicalRank, p.clinicalRank?.rawValue), text(p.academicTitle),
                    label(Vocabulary.degree, p.degree?.rawValue),
                    list(
                        p.supervisorRoles.map { r in
                            Vocabulary.supervisor.first { $0.value == r.rawValue }?.label(language) ?? r.rawValue
                        }),
                    list(p.departmentIDs.map(unitName)),
                ])
            }
        }
        return OutputSheet(name: kind.sheetName(language), rows: rows)
    }
}
