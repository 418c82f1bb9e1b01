import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
public import ArgumentParser
import Foundation

extension ReportLanguage: ExpressibleByArgument {}

extension Annals {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write the annual research report: HTML (charts, print-ready), Markdown or JSON.",
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

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "The year reported on.")
        var year: Int

        @Option(
            name: .long,
            help: ArgumentHelp(
                "One department (its id or Chinese name); the whole hospital when left out.", valueName: "id"))
        var department: String?

        @Option(name: .long, help: "html, markdown, json or docx.")
        var format: ReportFormat = .html

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The file to write, or - for standard output. Default: annual-report-YEAR[-DEPARTMENT][-zh].html (.md, .json) in the current folder.",
                valueName: "file"))
        var out: String?

        @Option(name: .long, help: "en or zh (Simplified Chinese).")
        var lang: ReportLanguage = .en

        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp(
                "The generation date printed in the report (YYYY-MM-DD). Default: today.", valueName: "date"))
        var asOf: String?

        @Flag(
            inversion: .prefixedNo,
            help: ArgumentHelp(
                "Count validated projects, papers, patents and awards only (--validated-only), or every record (--no-validated-only). Default: validated only once an admin has set an approval chain.",
                visibility: .default))
        var validatedOnly: Bool?

        func validate() throws {
            try validateYear(year)
            if let asOf, Day(asOf) == nil {
                throw ValidationError("--as-of '\(asOf)' is not a date: write YYYY-MM-DD.")
            }
        }

        func run() throws {
            if format == .docx && out == "-" {
                throw Failure(
                    "a Word document is not written to the terminal: give --out FILE.docx, or leave --out out.")
            }
            let registry = try self.registry.open(create: false, readOnly: true)
            let report = try registry.report(
                ReportRequest(
                    year: year, department: department, language: lang, asOf: asOf, validatedOnly: validatedOnly),
                format: format)
            if out == "-" {
                FileHandle.standardOutput.write(report.data)
                return
            }
            let path = out ?? report.fileName
            try OutputFile.write(to: path, sparing: registry.store) { sink in
                try report.data.withUnsafeBytes { try sink($0) }
            }
            print(
                out == nil
                    ? "Wrote \(path) in the current folder (\(FileManager.default.currentDirectoryPath))."
                    : "Wrote \(path).")
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// Writes text to a file (never over the registry `sparing`, through a temporary file) or to standard output.
func write(_ text: String, to path: String?, sparing registry: Registry) throws {
    if let path {
        try OutputFile.write(text, to: path, sparing: registry.store)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
