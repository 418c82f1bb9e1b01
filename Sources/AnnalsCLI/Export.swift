import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import ArgumentParser
import Foundation

extension TableExport.Table: ExpressibleByArgument {}

extension Annals {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the registry out: registry XML (all of it), CSV tables for spreadsheets, RIS, or CERIF for a CRIS.",
            discussion: """
                registry (the default): the whole registry; it validates against Schemas/annals-registry.xsd and is \
                the same bytes for the same registry, so exports can be compared and kept under version control.
                csv: one table (--table), RFC 4180, one row per record, columns in a fixed order (see README); \
                --excel starts the file with a byte-order mark so Excel opens Chinese text correctly.
                ris: the publications (of --year and --department when given) for EndNote or Zotero.
                cerif: OpenAIRE CERIF-XML 1.2 for a CRIS (Pure, DSpace-CRIS, IRIS): organisation units, people, \
                projects, fundings, publications and patents; with --year, the year's publications, patents filed or \
                granted in it and projects running in it; with --department, that department's records. What CERIF \
                has no place for (funder level, case tallies, awards, …) is left out: see docs/cerif-mapping.md.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case registry, csv, ris, cerif }

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        @Option(name: .long, help: "registry, csv, ris or cerif.")
        var format: Format = .registry

        @Option(name: .long, help: "With --format csv: publications, projects, patents, awards, tallies or people.")
        var table: TableExport.Table?

        @Flag(name: .long, help: "With --format csv: a byte-order mark for Excel.")
        var excel = false

        @Option(name: .long, help: "With --format ris or cerif: only this year's records.")
        var year: Int?

        @Option(name: .long, help: ArgumentHelp("With --format ris or cerif: only this department's records (its id or Chinese name).", valueName: "id"))
        var department: String?

        func validate() throws {
            if format == .csv && table == nil { throw ValidationError("--format csv needs --table (\(TableExport.Table.allCases.map(\.rawValue).joined(separator: ", ")))") }
            if format != .csv && (table != nil || excel) { throw ValidationError("--table and --excel go with --format csv.") }
            if format != .ris && format != .cerif && (year != nil || department != nil) { throw ValidationError("--year and --department go with --format ris or cerif.") }
            try validateYear(year)
        }

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let department = try store.read { try ReferenceCheck.check(department: self.department, in: $0).department }
            let produce: (@escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Void = { sink in
                let text: (String) throws -> Void = { string in try Data(string.utf8).withUnsafeBytes { try sink($0) } }
                try store.read { r in
                    switch format {
                    case .registry: try RegistryExporter.export(r, to: sink)
                    case .csv: try TableExport.csv(table!, from: r, excel: excel, write: text)
                    case .ris: try TableExport.ris(from: r, year: year, department: department, write: text)
                    case .cerif: try CerifExporter.export(r, selection: .init(year: year, department: department), to: sink)
                    }
                }
            }
            if let out {
                try OutputFile.write(to: out, sparing: store.store, produce)
            } else {
                let stdout = FileHandle.standardOutput
                try produce { stdout.write(Data($0)) }
            }
        }
    }
}
