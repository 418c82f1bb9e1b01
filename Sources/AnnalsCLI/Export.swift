import AnnalsInterchange
import AnnalsOffice
import AnnalsRegistry
import ArgumentParser
import Foundation

/// The tables `--table` names: the CSV tables, `papers` for `publications` (as the .xlsx sheets name them), and
/// the staff census (.xlsx only).
enum ExportTable: String, ExpressibleByArgument, CaseIterable {
    case publications, papers, projects, patents, awards, tallies, people, staff

    /// The CSV table; nil for one CSV does not have.
    var csvTable: TableExport.Table? { self == .papers ? .publications : TableExport.Table(rawValue: rawValue) }
    var sheetKind: SheetKind { self == .publications ? .papers : SheetKind(rawValue: rawValue)! }
}

extension Annals {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract:
                "Write the registry out: registry XML (all of it), CSV tables for spreadsheets, RIS, or CERIF for a CRIS.",
            discussion: """
                registry (the default): the whole registry; it validates against Schemas/annals-registry.xsd and is \
                the same bytes for the same registry, so exports can be compared and kept under version control.
                csv: one table (--table), RFC 4180, one row per record, columns in a fixed order (see README); \
                --excel starts the file with a byte-order mark so Excel opens Chinese text correctly.
                ris: the publications (of --year and --department when given) for EndNote or Zotero.
                xlsx: one table (--table) as an Excel workbook with the header in --lang (zh or en), numbers as numbers, \
                dates as dates, the header frozen and filtered; --year and --department select, --sci keeps the SCI \
                papers. The papers sheet has 序号, title, journal, year, volume, issue, pages, DOI, PMID, authors, first \
                and corresponding author, departments, SCI, impact factor, JCR quartile and 中科院分区 (docs/office-files.md).
                cerif: OpenAIRE CERIF-XML 1.2 for a CRIS (Pure, DSpace-CRIS, IRIS): organisation units, people, \
                projects, fundings, publications and patents; with --year, the year's publications, patents filed or \
                granted in it and projects running in it; with --department, that department's records. What CERIF \
                has no place for (funder level, case tallies, awards, …) is left out: see docs/cerif-mapping.md.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case registry, csv, ris, cerif, xlsx }

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        @Option(name: .long, help: "registry, csv, ris, cerif or xlsx.")
        var format: Format = .registry

        @Option(
            name: .long,
            help:
                "With --format csv or xlsx: publications (papers), projects, patents, awards, tallies or people; staff with xlsx."
        )
        var table: ExportTable?

        @Flag(name: .long, help: "With --format csv: a byte-order mark for Excel.")
        var excel = false

        @Flag(name: .long, help: "With --format xlsx --table papers: only SCI papers.")
        var sci = false

        @Option(name: .customLong("lang"), help: "With --format xlsx: the headers' language, zh or en.")
        var language: SheetLanguage = .zh

        @Option(name: .long, help: "With --format ris, cerif or xlsx: only this year's records.")
        var year: Int?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "With --format ris or cerif: only this department's records (its id or Chinese name).", valueName: "id")
        )
        var department: String?

        func validate() throws {
            if (format == .csv || format == .xlsx) && table == nil {
                throw ValidationError(
                    "--format \(format.rawValue) needs --table (\((format == .csv ? TableExport.Table.allCases.map(\.rawValue) : SheetKind.allCases.map(\.rawValue)).joined(separator: ", ")))"
                )
            }
            if format != .csv && format != .xlsx && table != nil {
                throw ValidationError("--table goes with --format csv or xlsx.")
            }
            if format != .csv && excel {
                throw ValidationError("--excel goes with --format csv (--format xlsx writes an Excel workbook).")
            }
            if format != .ris && format != .cerif && format != .xlsx && (year != nil || department != nil) {
                throw ValidationError("--year and --department go with --format ris, cerif or xlsx.")
            }
            if format == .xlsx && out == nil {
                throw ValidationError(
                    "--format xlsx needs --out FILE.xlsx (a workbook is not written to the terminal).")
            }
            if format == .csv, let table, table.csvTable == nil {
                throw ValidationError("--table \(table.rawValue) goes with --format xlsx; CSV has no such table.")
            }
            if sci && !(format == .xlsx && table?.sheetKind == .papers) {
                throw ValidationError("--sci goes with --format xlsx --table papers.")
            }
            try validateYear(year)
        }

        func run() throws {
            let registry = try registry.open(create: false, readOnly: true)
            let format: ExportRequest.Format =
                switch format {
                case .registry: .registry
                case .csv: .csv(table!.csvTable!, excel: excel)
                case .ris: .ris
                case .cerif: .cerif
                case .xlsx: .xlsx(table!.sheetKind, language: language, sciOnly: sci)
                }
            let request = ExportRequest(format, year: year, department: department)
            if let out {
                try registry.export(request, toFile: out)
            } else {
                let stdout = FileHandle.standardOutput
                try registry.export(request) { stdout.write(Data($0)) }
            }
        }
    }
}
