import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsStore
public import ArgumentParser
import Foundation

extension SheetKind: ExpressibleByArgument {}
extension SheetLanguage: ExpressibleByArgument {}

extension Annals {
    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template", abstract: "Write a spreadsheet template to fill in and import.",
            subcommands: [XLSX.self])
    }
}

extension Annals.Template {
    struct XLSX: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xlsx",
            abstract:
                "An Excel template for one kind of record: tallies, projects, papers, patents, awards, people or staff (census).",
            discussion: """
                The header row (frozen) names the columns in --lang (zh, the default, or en); closed vocabularies \
                (level, status, approach, department, …) have drop-down lists; date columns are formatted as dates; a \
                notes sheet explains each column. Fill it in Excel or WPS and import it with `annals import xlsx`. \
                The departments' list comes from the registry when there is one.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: "tallies, projects, papers, patents, awards, people or staff.")
        var kind: SheetKind

        @Option(name: .customLong("lang"), help: "zh or en.")
        var language: SheetLanguage = .zh

        @Option(name: .long, help: ArgumentHelp("The .xlsx file to write.", valueName: "file"))
        var out: String

        func run() throws {
            let store = try? registry.open(create: false, readOnly: true)
            let units = try store.map { try $0.read { try $0.orgUnits() } } ?? []
            let data = try OfficeTables.template(kind, language: language, units: units)
            try OutputFile.write(to: out, sparing: store?.store) { sink in try data.withUnsafeBytes { try sink($0) } }
            print("Wrote \(out): a template for \(kind.rawValue) (\(kind.sheetName(language))).")
        }
    }
}

extension Annals.Import {
    struct XLSX: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xlsx",
            abstract: "Import Excel workbooks (.xlsx, from Excel, WPS or a template of `annals template xlsx`).",
            discussion: """
                Every sheet whose header row (in the first ten rows, English or Chinese, any column order) names the \
                columns of a kind is read: case tallies, projects, papers, patents, awards, people. Tallies go through \
                the same checks as `annals import tallies`, the other records (and the staff census) through those of `annals import \
                registry`. All files are one transaction: any problem imports nothing and is reported at its cell, \
                FILE:SHEET!C7, with the column's header. An id column makes importing the same sheet again change \
                nothing, and a corrected row a correction (the earlier version is kept in the history); rows without \
                an id get a stable one. Old .xls files, password-protected workbooks and ZIP bombs are refused.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp(".xlsx files.", valueName: "file"))
        var files: [String]

        func run() throws {
            let registry = try self.registry.open(create: false)
            do {
                let (found, report) = try registry.importSpreadsheets(files.map(ImportSource.init(path:)))
                for sheet in found {
                    print(
                        "\(sheet.file):\(sheet.sheet): \(sheet.rows) row\(sheet.rows == 1 ? "" : "s") of \(sheet.kind.rawValue)"
                    )
                }
                print("Imported into \(registry.name): \(report)")
            } catch let failure as DiagnosticError {
                throw refusal(failure, "nothing was imported")
            }
        }
    }
}
