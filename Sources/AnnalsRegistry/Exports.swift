public import AnnalsInterchange
import AnnalsModel
public import AnnalsOffice
public import AnnalsStore
public import Foundation

/// What an export writes: a format, and for the formats that select, a year and a department. `annals export`
/// and the web's downloads both go through `write(from:to:)`, so a file is the same whichever asked for it.
public struct ExportRequest: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        /// The whole registry as registry XML (the same bytes for the same registry).
        case registry
        /// One CSV table; `excel` starts it with a byte-order mark so that Excel reads Chinese text.
        case csv(TableExport.Table, excel: Bool)
        /// The publications as RIS, for EndNote or Zotero.
        case ris
        /// CERIF-XML 1.2 for a CRIS.
        case cerif
        /// One table as an Excel workbook, the header in `language`; `sciOnly` keeps the SCI papers.
        case xlsx(SheetKind, language: SheetLanguage, sciOnly: Bool)
    }

    public var format: Format
    /// Only this year's records (RIS, CERIF, workbooks).
    public var year: Int?
    /// Only this department's records (RIS, CERIF, workbooks): its id or Chinese name, checked against the registry.
    public var department: String?

    public init(_ format: Format, year: Int? = nil, department: String? = nil) {
        self.format = format
        self.year = year
        self.department = department
    }

    /// Writes the export of `registry` to `sink`. A department the registry does not have is refused
    /// (`UnknownReference`, with suggestions) before anything is written.
    public func write(from registry: RegistryReader, to sink: @escaping (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        let department = try ReferenceCheck.check(department: department, in: registry).department
        let text: (String) throws -> Void = { string in try Data(string.utf8).withUnsafeBytes { try sink($0) } }
        switch format {
        case .registry: try RegistryExporter.export(registry, to: sink)
        case .csv(let table, let excel): try TableExport.csv(table, from: registry, excel: excel, write: text)
        case .ris: try TableExport.ris(from: registry, year: year, department: department, write: text)
        case .cerif:
            try CerifExporter.export(registry, selection: .init(year: year, department: department), to: sink)
        case .xlsx(let kind, let language, let sciOnly):
            let data = try OfficeTables.export(
                kind, from: registry, selection: .init(year: year, department: department, sciOnly: sciOnly),
                language: language)
            try data.withUnsafeBytes { try sink($0) }
        }
    }

    /// The export of `registry` as bytes (a workbook for a download).
    public func data(from registry: RegistryReader) throws -> Data {
        var data = Data()
        try write(from: registry) { data.append(contentsOf: $0) }
        return data
    }
}

extension Registry {
    /// Writes `request`'s export to `sink`, from one consistent read of the registry.
    public func export(_ request: ExportRequest, to sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        try read { try request.write(from: $0, to: sink) }
    }

    /// Writes `request`'s export to the file at `path`, never over the registry's own file (`OutputFile`).
    public func export(_ request: ExportRequest, toFile path: String) throws {
        try OutputFile.write(to: path, sparing: store) { sink in try export(request, to: sink) }
    }
}
