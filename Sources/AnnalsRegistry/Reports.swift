public import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
public import AnnalsReports
import AnnalsStore
public import Foundation

/// The file formats of the annual report.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, markdown, json
    /// A Word document made from the Markdown report, to be edited before it goes up.
    case docx

    /// The file name's extension.
    public var fileExtension: String {
        switch self {
        case .html: "html"
        case .markdown: "md"
        case .json: "json"
        case .docx: "docx"
        }
    }
}

/// What an annual report is asked for: a year, the whole hospital or one department, a language.
public struct ReportRequest: Sendable {
    public var year: Int
    /// A department's id or Chinese name; the whole hospital when nil.
    public var department: String?
    public var language: ReportLanguage
    /// The generation date printed in the report (YYYY-MM-DD); today when nil.
    public var asOf: String?
    /// Count validated records only (true), every record (false), or the registry's default (nil: validated
    /// only once an admin configured an approval chain).
    public var validatedOnly: Bool?

    public init(
        year: Int, department: String? = nil, language: ReportLanguage = .en, asOf: String? = nil,
        validatedOnly: Bool? = nil
    ) {
        self.year = year
        self.department = department
        self.language = language
        self.asOf = asOf
        self.validatedOnly = validatedOnly
    }

    /// The report's file name: `annual-report-2024-general-surgery-zh.html` (the department by its id).
    public func fileName(format: ReportFormat, departmentID: String?) -> String {
        "annual-report-\(year)\(departmentID.map { "-\($0)" } ?? "")\(language == .en ? "" : "-\(language.rawValue)").\(format.fileExtension)"
    }
}

/// A written report, with the department's id it was made for.
public struct RenderedReport: Sendable {
    /// The file's bytes (UTF-8 text but for a Word document).
    public var data: Data
    public var departmentID: String?
    public var fileName: String
    public var format: ReportFormat

    /// The report as text (HTML, Markdown or JSON); empty for a Word document.
    public var text: String { format == .docx ? "" : String(decoding: data, as: UTF8.self) }
}

extension Registry {
    /// The annual report as text. A year the registry holds nothing for is refused: an all-zero report would
    /// look like a true account of an empty year.
    public func report(_ request: ReportRequest, format: ReportFormat) throws -> RenderedReport {
        let (department, hasRecords) = try read { r in
            let department = try ReferenceCheck.check(department: request.department, in: r).department
            return (department, try ReferenceCheck.hasRecords(in: request.year, department: department, registry: r))
        }
        guard hasRecords else {
            throw RegistryFailure(
                "the registry holds nothing dated \(request.year)\(department.map { " for \($0)" } ?? ""): no papers, projects, patents, "
                    + "awards, staff census or operations. Check the year, or import that year's records first; no report was written."
            )
        }
        let text = try renderedReport(
            year: request.year, departmentID: department, format: format == .docx ? .markdown : format,
            language: request.language, asOf: request.asOf, validatedOnly: request.validatedOnly)
        let data =
            format == .docx
            ? try WordDocument(reportMarkdown: text, language: request.language.rawValue).data() : Data(text.utf8)
        return RenderedReport(
            data: data, departmentID: department, fileName: request.fileName(format: format, departmentID: department),
            format: format)
    }

    /// The annual report of `departmentID` (an id; the hospital when nil) as text, without the empty-year check (a
    /// Word document is asked for through `report(_:format:)`; here it is the Markdown it is made from).
    public func renderedReport(
        year: Int, departmentID: String?, format: ReportFormat, language: ReportLanguage, asOf: String?,
        validatedOnly: Bool? = nil
    ) throws -> String {
        var report: AnnualReport
        do {
            report = try read { r in
                let chain = try r.approvalChain()
                let onlyValidated = validatedOnly ?? chain.isConfigured
                var report = try AnnualReportBuilder.build(
                    from: r, year: year, department: departmentID, language: language,
                    generatedOn: asOf ?? Registry.today(),
                    leavingOut: onlyValidated ? UnvalidatedRecords(try r.workflowPending()) : nil)
                if onlyValidated { report.validatedOnly = true }
                return report
            }
        } catch let error as AnnualReportBuilder.UnknownDepartment {
            throw RegistryFailure(error.description)
        }
        switch format {
        case .html: return ReportRenderer.html(report)
        case .markdown, .docx: return ReportRenderer.markdown(report)
        case .json: return try ReportRenderer.json(report)
        }
    }

    /// A department's profile (given by id or Chinese name), as prose.
    public func profile(of department: String, language: ReportLanguage) throws -> String {
        // The department's id, also when it was given by its Chinese name (`annals profile 普外科`).
        let (id, content) = try read { r in
            (try ReferenceCheck.check(department: department, in: r).department!, try r.content())
        }
        do {
            return try DepartmentProfile.text(department: id, in: content, language: language)
        } catch let error as DepartmentProfileError {
            throw RegistryFailure(error.description)
        }
    }

    /// Today's date as YYYY-MM-DD (the only "now" a report may hold).
    public static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

/// The figures of several years, side by side: what `annals stats` shows.
public struct StatisticsAnswer: Sendable {
    public var years: [Int]
    public var reports: [AnnualReport]
    public var statistics: [YearStatistics]

    /// The figures as a table, JSON or CSV; a figure a year does not have is empty ("—" in the table).
    public func rendered(_ format: OutputFormat) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(statistics), as: UTF8.self) + "\n"
        case .csv:
            var out = CSVWriter.line(["figure"] + years.map(String.init))
            for row in YearStatistics.table(statistics) {
                out += CSVWriter.line([row.label] + row.values.map { $0 ?? "" })
            }
            return out
        case .table:
            let rows = YearStatistics.table(statistics)
            let width = rows.map(\.label.count).max() ?? 10
            let columns = years.indices.map { i in max(6, rows.map { ($0.values[i] ?? "—").count }.max() ?? 6) }
            var lines = [
                "".padding(toLength: width, withPad: " ", startingAt: 0)
                    + years.indices.map { "  " + String(years[$0]).leftPadded(columns[$0]) }.joined()
            ]
            for row in rows {
                lines.append(
                    row.label.padding(toLength: width, withPad: " ", startingAt: 0)
                        + row.values.indices.map { "  " + (row.values[$0] ?? "—").leftPadded(columns[$0]) }.joined())
            }
            for s in statistics where !s.milestones.isEmpty {
                lines.append("\nMilestones \(s.year): " + s.milestones.map { $0.text(.en) }.joined(separator: "; "))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// The records behind each figure, by id.
    public var explanation: String {
        var lines: [String] = []
        for report in reports {
            lines.append("\nRecords behind the \(report.year) figures:")
            for source in report.sources {
                let noun =
                    EntityKind(rawValue: source.kind).map { source.ids.count == 1 ? $0.noun : $0.pluralNoun }
                    ?? source.kind
                lines.append(
                    "  \(source.figure.name(report.language)) (\(source.ids.count) \(noun)): \(source.ids.isEmpty ? "none" : source.ids.joined(separator: ", "))"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Registry {
    /// The statistics of each year, for the hospital or one department (id or Chinese name); `explain` keeps
    /// the ids of the records behind each figure.
    public func statistics(years: [Int], department: String?, explain: Bool = false, validatedOnly: Bool = false)
        throws -> StatisticsAnswer
    {
        let reports: [AnnualReport]
        do {
            reports = try read { r in
                let department = try ReferenceCheck.check(department: department, in: r).department
                let unvalidated = validatedOnly ? UnvalidatedRecords(try r.workflowPending()) : nil
                return try years.map {
                    try AnnualReportBuilder.build(
                        from: r, year: $0, department: department, generatedOn: "", explain: explain,
                        leavingOut: unvalidated)
                }
            }
        } catch let error as AnnualReportBuilder.UnknownDepartment {
            throw RegistryFailure(error.description)
        }
        return StatisticsAnswer(years: years, reports: reports, statistics: reports.map(YearStatistics.init))
    }

    /// The publications of a year, department (id or Chinese name) and person (id or hanzi name), SCI only when asked.
    public func publications(year: Int? = nil, department: String? = nil, person: String? = nil, sciOnly: Bool = false)
        throws
        -> [PublicationRow]
    {
        try read {
            let ids = try ReferenceCheck.check(department: department, person: person, in: $0)
            return try PublicationListing.rows(
                in: $0, year: year, department: ids.department, person: ids.person, sciOnly: sciOnly)
        }
    }
}
