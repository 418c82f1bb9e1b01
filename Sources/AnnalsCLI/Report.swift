import AnnalsModel
import AnnalsOffice
import AnnalsReports
import AnnalsStore
import ArgumentParser
import Foundation

extension ReportLanguage: ExpressibleByArgument {}

extension Annals {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the annual research report: HTML (charts, print-ready), Word (.docx), Markdown or JSON.",
            discussion: """
                The HTML report is one self-contained file (no network) with a title page, staff and beds, \
                projects by level, publications (SCI and national, the year's papers in Vancouver style), patents, \
                awards and operations (top procedures, shares, milestones). Retracted papers are listed apart and \
                not counted. The only date inside is the generation date, which --as-of fixes, so a report for a \
                closed year is the same every time.

                Without --out the report goes to a file in the current folder named after the year, department and \
                language (annual-report-2024.html, annual-report-2024-general-surgery-zh.md); --out - prints it. A \
                year the registry holds nothing for is refused: no empty report is written.

                docx: a Word document to edit before it goes up, with the Markdown report's content and numbers: a \
                title page, Word's own heading styles (navigation pane, table of contents), real Word tables, 宋体/黑体 \
                for Chinese text, page numbers, A4. The charts of the HTML report are not in it; their numbers are, \
                in the tables.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case html, markdown, json, docx }

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "The year reported on.")
        var year: Int

        @Option(name: .long, help: ArgumentHelp("One department (its id or Chinese name); the whole hospital when left out.", valueName: "id"))
        var department: String?

        @Option(name: .long, help: "html, markdown, json or docx.")
        var format: Format = .html

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The file to write, or - for standard output. Default: annual-report-YEAR[-DEPARTMENT][-zh].html (.md, .json) in the current folder.",
                valueName: "file"))
        var out: String?

        @Option(name: .long, help: "en or zh (Simplified Chinese).")
        var lang: ReportLanguage = .en

        @Option(name: .customLong("as-of"), help: ArgumentHelp("The generation date printed in the report (YYYY-MM-DD). Default: today.", valueName: "date"))
        var asOf: String?

        func validate() throws {
            try validateYear(year)
            if let asOf, Day(asOf) == nil { throw ValidationError("--as-of '\(asOf)' is not a date: write YYYY-MM-DD.") }
        }

        /// The file name used without --out: `annual-report-2024-general-surgery-zh.html` (the department's id).
        func fileName(department: String?) -> String {
            let ext = switch format {
            case .html: "html"
            case .markdown: "md"
            case .json: "json"
            case .docx: "docx"
            }
            return "annual-report-\(year)\(department.map { "-\($0)" } ?? "")\(lang == .en ? "" : "-\(lang.rawValue)").\(ext)"
        }

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            // Nothing dated in the year (a mistyped year, or the year's records not imported yet): a report
            // would be all zeros and look like a true account of an empty year, so none is written.
            // The department's id, also when it was given by its Chinese name ("--department 普外科").
            let (department, hasRecords) = try store.read { r in
                let department = try ReferenceCheck.check(department: self.department, in: r).department
                return (department, try ReferenceCheck.hasRecords(in: year, department: department, registry: r))
            }
            guard hasRecords else {
                throw Failure(
                    "the registry holds nothing dated \(year)\(department.map { " for \($0)" } ?? ""): no papers, projects, patents, "
                        + "awards, staff census or operations. Check the year, or import that year's records first; no report was written.")
            }
            let defaultFileName = fileName(department: department)
            if format == .docx {
                let markdown = try renderReport(store: store, year: year, department: department, format: .markdown, language: lang, asOf: asOf)
                let data = try WordDocument(reportMarkdown: markdown, language: lang.rawValue).data()
                guard out != "-" else { throw Failure("a Word document is not written to the terminal: give --out FILE.docx, or leave --out out.") }
                let path = out ?? defaultFileName
                try OutputFile.write(to: path, sparing: store) { sink in try data.withUnsafeBytes { try sink($0) } }
                print(out == nil ? "Wrote \(path) in the current folder (\(FileManager.default.currentDirectoryPath))." : "Wrote \(path).")
                return
            }
            let text = try renderReport(store: store, year: year, department: department, format: format, language: lang, asOf: asOf)
            if out == "-" {
                try write(text, to: nil, sparing: store)
                return
            }
            if let out {
                try write(text, to: out, sparing: store)
                print("Wrote \(out).")
            } else {
                try write(text, to: defaultFileName, sparing: store)
                print("Wrote \(defaultFileName) in the current folder (\(FileManager.default.currentDirectoryPath)).")
            }
        }
    }
}

/// Today's date as YYYY-MM-DD (the only "now" a report may hold).
func today() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date())
}

func renderReport(
    store: RegistryStore, year: Int, department: String?, format: Annals.Report.Format, language: ReportLanguage, asOf: String?
) throws -> String {
    let report: AnnualReport
    do {
        report = try store.read {
            try AnnualReportBuilder.build(from: $0, year: year, department: department, language: language, generatedOn: asOf ?? today())
        }
    } catch let error as AnnualReportBuilder.UnknownDepartment {
        throw Failure(error.description)
    }
    switch format {
    case .html: return ReportRenderer.html(report)
    case .markdown, .docx: return ReportRenderer.markdown(report)
    case .json: return try ReportRenderer.json(report)
    }
}

/// Writes text to a file (never over the registry `sparing`, through a temporary file) or to standard output.
func write(_ text: String, to path: String?, sparing registry: RegistryStore) throws {
    if let path {
        try OutputFile.write(to: path, sparing: registry) { sink in try Data(text.utf8).withUnsafeBytes { try sink($0) } }
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
