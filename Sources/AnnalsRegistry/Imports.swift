public import AnnalsCuration
public import AnnalsInterchange
import AnnalsModel
public import AnnalsOffice
import AnnalsStore
public import Foundation

/// A file handed to an import: where it is, and the name it is reported by (FILE:LINE:COLUMN).
public struct ImportSource: Sendable {
    public var url: URL
    public var displayName: String

    public init(url: URL, displayName: String) {
        self.url = url
        self.displayName = displayName
    }

    /// A file named by its path, reported by that path.
    public init(path: String) { self.init(url: URL(fileURLWithPath: path), displayName: path) }
}

/// Which publication format a file is in.
public enum PublicationFormat: String, Sendable, CaseIterable {
    case pubmed, endnote

    /// What one record of the format is called in progress lines.
    public var recordNoun: String { self == .pubmed ? "articles" : "records" }
}

/// The imports: one entry point per kind of file, each one transaction recorded as this registry's actor.
/// A file with any problem throws its diagnostics (FILE:LINE:COLUMN) and writes nothing.
extension Registry {
    /// Registry XML files (the format of `annals export`), all in one transaction.
    /// `dryRun` reports what would change and changes nothing.
    public func importRegistryFiles(_ files: [ImportSource], dryRun: Bool = false) throws -> ImportReport {
        let read = try files.map { try RegistryImporter.read(file: $0.url, displayName: $0.displayName) }
        let action = ChangeAction.importFile(kind: "registry", file: files.map(\.displayName).joined(separator: ", "))
        let body = { (tx: RegistryWriter) throws -> ImportReport in try RegistryImporter.apply(read, to: tx) }
        return dryRun ? try self.dryRun(action, body) : try write(action, body)
    }

    /// A PubMed or EndNote file, in its own transaction; `dryRun` reports what would change and changes nothing.
    /// `progress` is told (bytes read, file size) after each record.
    public func importPublications(
        _ file: ImportSource, format: PublicationFormat, dryRun: Bool = false, progress: ((Int, Int) -> Void)? = nil
    ) throws -> PublicationImportReport {
        let body = { (tx: RegistryWriter) throws -> PublicationImportReport in
            var importer = try PublicationImporter(registry: tx)
            switch format {
            case .pubmed: try importer.importPubMed(file: file.url, displayName: file.displayName, progress: progress)
            case .endnote: try importer.importEndNote(file: file.url, displayName: file.displayName)
            }
            return importer.report
        }
        let action = ChangeAction.importFile(kind: format.rawValue, file: file.displayName)
        return dryRun ? try self.dryRun(action, body) : try write(action, body)
    }

    /// A journal list (CSV), or a registry XML file holding journal records.
    public func importJournals(_ file: ImportSource) throws -> any CustomStringConvertible & Sendable {
        if file.url.pathExtension.lowercased() == "csv" {
            let entries = try JournalListImporter.read(file: file.url, displayName: file.displayName)
            return try write(.importFile(kind: "journals", file: file.displayName)) {
                try JournalListImporter.apply(entries, to: $0)
            }
        }
        return try importRegistryFiles([file])
    }

    /// A case tally CSV file (English or Chinese header).
    public func importTallies(_ file: ImportSource, dryRun: Bool = false) throws -> ImportReport {
        let action = ChangeAction.importFile(kind: "tallies", file: file.displayName)
        let body = { (tx: RegistryWriter) throws -> ImportReport in
            try TallyImporter.importFile(file.url, displayName: file.displayName, into: tx)
        }
        return dryRun ? try self.dryRun(action, body) : try write(action, body)
    }

    /// An OpenAIRE CERIF-XML file.
    public func importCerif(_ file: ImportSource, dryRun: Bool = false) throws -> CerifImportReport {
        let read = try CerifImporter.read(file: file.url, displayName: file.displayName)
        let action = ChangeAction.importFile(kind: "cerif", file: file.displayName)
        let body = { (tx: RegistryWriter) throws -> CerifImportReport in try CerifImporter.apply(read, to: tx) }
        return dryRun ? try self.dryRun(action, body) : try write(action, body)
    }

    /// Excel workbooks (.xlsx): every sheet whose header names a kind's columns, all in one transaction.
    /// Returns the sheets read (file, sheet, kind, rows) and what the import did.
    /// `dryRun` reports what would change and changes nothing.
    public func importSpreadsheets(_ files: [ImportSource], dryRun: Bool = false) throws -> (
        sheets: [SpreadsheetSheet], report: ImportReport
    ) {
        let action = ChangeAction.importFile(kind: "xlsx", file: files.map(\.displayName).joined(separator: ", "))
        let body = { (tx: RegistryWriter) throws -> ([SpreadsheetSheet], ImportReport) in
            let read = try XLSXImport.read(files: files.map { ($0.url, $0.displayName) }, registry: tx)
            return (
                read.found.map { SpreadsheetSheet(file: $0.file, sheet: $0.sheet, kind: $0.kind, rows: $0.rows) },
                try read.apply(to: tx)
            )
        }
        let (sheets, report) = dryRun ? try self.dryRun(action, body) : try write(action, body)
        return (sheets, report)
    }
}

/// One sheet an Excel import read.
public struct SpreadsheetSheet: Sendable {
    public var file: String
    public var sheet: String
    public var kind: SheetKind
    public var rows: Int
}
