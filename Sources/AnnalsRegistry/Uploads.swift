public import AnnalsCuration
import AnnalsDiagnostics
public import AnnalsInterchange
public import AnnalsModel
import AnnalsOffice
public import AnnalsStore
public import Foundation

/// The kinds of file a person may hand the registry through a front end other than the command line (the
/// web's upload page), each going to its import entry point.
public enum UploadKind: String, Sendable, CaseIterable {
    case pubmed, endnote, cerif, registry, tallies, xlsx

    /// Whether a department secretary may upload this kind: papers (credited by the importer as any import
    /// is) and the tallies of their own departments. Registry XML, CERIF and workbooks may change any record
    /// of the hospital (departments, people, projects), so they are the office's.
    public var forSecretaries: Bool { [.pubmed, .endnote, .tallies].contains(self) }
}

/// What an import did, or would do in a dry run, as the front ends present it: per kind of record how many were
/// added, updated, unchanged and merged, what was left out and why, and what was credited. Built from the
/// import's own report, never counted again.
public struct ImportSummary: Sendable {
    /// One kind of record.
    public struct Line: Sendable, Hashable {
        public var kind: EntityKind
        public var added = 0
        public var updated = 0
        public var unchanged = 0
        public var merged = 0
        public var deleted = 0
    }

    public var lines: [Line] = []
    /// Records left out, with the reason for each (a value the front end words in its reader's language).
    public var skips: [ImportSkip] = []
    /// Records left out, with the reason for each, in English.
    public var skipped: [String] { skips.map(\.description) }
    /// Author matches put on the review list.
    public var forReview = 0
    /// Papers already in the registry credited again (a department, person or project gained).
    public var credited = 0
    /// Records replaced under their own id by one with other details (title, name, principal investigator …).
    public var replacements: [RecordReplacement] = []
    /// Other things the import says (links left out, papers not credited because there is no hospital yet).
    public var notes: [ImportNote] = []
    /// The workbook's sheets read: sheet name, kind, rows.
    public var sheets: [SpreadsheetSheet] = []

    /// True when the file would change nothing.
    public var changesNothing: Bool {
        lines.allSatisfy { $0.added + $0.updated + $0.merged + $0.deleted == 0 } && credited == 0
    }

    public init() {}

    init(_ report: ImportReport) {
        for kind in EntityKind.allCases {
            guard let o = report.outcomes[kind] else { continue }
            lines.append(
                Line(kind: kind, added: o[.inserted] ?? 0, updated: o[.updated] ?? 0, unchanged: o[.unchanged] ?? 0))
        }
        replacements = report.replacements
        if let recredited = report.recredited {
            credited = recredited.credited
            forReview = recredited.forReview
        }
    }

    init(_ report: PublicationImportReport) {
        add(report)
    }

    init(_ report: CerifImportReport) {
        for kind in EntityKind.allCases where kind != .publication {
            guard let o = report.outcomes[kind] else { continue }
            lines.append(
                Line(kind: kind, added: o[.inserted] ?? 0, updated: o[.updated] ?? 0, unchanged: o[.unchanged] ?? 0))
        }
        let p = report.publications
        if p.added + p.updated + p.unchanged + p.merged + p.deleted > 0 || !p.skipped.isEmpty { add(p) }
        notes += report.notes.map { .other($0) }
        replacements = report.replacements
        if let recredited = report.recredited {
            credited += recredited.credited
            forReview += recredited.forReview
        }
    }

    private mutating func add(_ report: PublicationImportReport) {
        lines.append(
            Line(
                kind: .publication, added: report.added, updated: report.updated, unchanged: report.unchanged,
                merged: report.merged, deleted: report.deleted))
        skips += report.skips
        forReview += report.forReview
        if report.uncredited { notes.append(.uncredited) }
        if !report.notFoundForDeletion.isEmpty { notes.append(.notFoundForDeletion(report.notFoundForDeletion)) }
    }
}

/// Something an import says beside its counts, as a value the front end words in its reader's language.
public enum ImportNote: Sendable, Hashable, CustomStringConvertible {
    /// No paper was credited: the registry has no hospital (with its affiliation patterns) yet.
    case uncredited
    /// PMIDs a DeleteCitation named that the registry never held.
    case notFoundForDeletion([String])
    /// A note of the importer's own, in English (CERIF: links left out).
    case other(String)

    public var description: String {
        switch self {
        case .uncredited:
            "no paper was credited to a department or person: the registry has no hospital (with its affiliation patterns) yet"
        case .notFoundForDeletion(let pmids):
            "to delete but never in the registry: PMID \(pmids.joined(separator: ", "))"
        case .other(let text): text
        }
    }
}

extension Registry {
    /// One uploaded file, imported as its kind in one transaction as this registry's actor; with `dryRun`, what
    /// it would do, and nothing changed. `departments` limits a department secretary: only the kinds they may
    /// upload (`UploadKind.forSecretaries`), and tallies of those departments only (each other one is reported
    /// at its line). A file with any problem throws its diagnostics and writes nothing.
    public func importUpload(_ kind: UploadKind, _ file: ImportSource, dryRun: Bool, departments: Set<String>? = nil)
        throws -> ImportSummary
    {
        if departments != nil && !kind.forSecretaries {
            throw RegistryFailure("a department secretary may upload PubMed, EndNote and tally files only")
        }
        switch kind {
        case .pubmed, .endnote:
            return ImportSummary(
                try importPublications(file, format: kind == .pubmed ? .pubmed : .endnote, dryRun: dryRun))
        case .cerif:
            return ImportSummary(try importCerif(file, dryRun: dryRun))
        case .registry:
            return ImportSummary(try importRegistryFiles([file], dryRun: dryRun))
        case .tallies:
            guard let departments else { return ImportSummary(try importTallies(file, dryRun: dryRun)) }
            let action = ChangeAction.importFile(kind: "tallies", file: file.displayName)
            let body = { (tx: RegistryWriter) throws -> ImportReport in
                let rows = try TallyImporter.read(file: file.url, displayName: file.displayName, registry: tx)
                let outside = rows.filter { !departments.contains($0.tally.departmentID) }
                if !outside.isEmpty {
                    throw DiagnosticError(
                        outside.prefix(100).map {
                            Diagnostic(
                                .tallyOtherDepartment, file: file.displayName, line: $0.line, column: 1,
                                message:
                                    "department \($0.tally.departmentID) is not one of yours (\(departments.sorted().joined(separator: ", ")))"
                            )
                        })
                }
                return try TallyImporter.apply(rows, file: file.displayName, to: tx)
            }
            return ImportSummary(dryRun ? try self.dryRun(action, body) : try write(action, body))
        case .xlsx:
            let (sheets, report) = try importSpreadsheets([file], dryRun: dryRun)
            var summary = ImportSummary(report)
            summary.sheets = sheets
            return summary
        }
    }
}

extension Registry {
    /// The largest attachment taken unless the front end says otherwise: 20 MB.
    public static let defaultAttachmentLimit = 20 * 1024 * 1024

    /// The departments record `id` of `kind` is credited to, or nil when the registry has no such record.
    public static func departments(of kind: EntityKind, id: String, in registry: RegistryReader) throws -> [String]? {
        switch kind {
        case .project: return try registry.projects().first { $0.id == id }.map { $0.departments.map(\.departmentID) }
        case .patent: return try registry.patents().first { $0.id == id }?.departmentIDs
        case .award: return try registry.awards().first { $0.id == id }?.departmentIDs
        case .person: return try registry.people().first { $0.id == id }?.departmentIDs
        case .publication:
            var found: [String]?
            try registry.forEachPublication { if $0.id == id { found = $0.departmentIDs } }
            return found
        default: return nil
        }
    }

    /// Attaches `content` to record `id` of `kind`, as this registry's actor: refused unless the record exists
    /// (and, for an account limited to `departments`, is credited to one of them), the kind takes attachments,
    /// the content is at most `limit` bytes and is a PDF, JPEG or PNG by its own first bytes (the name and what
    /// the browser said do not count). Logged in the record's history.
    public func attach(
        _ content: Data, named fileName: String, to kind: EntityKind, id: String, departments: Set<String>? = nil,
        limit: Int = Registry.defaultAttachmentLimit
    ) throws -> Attachment {
        guard Attachment.recordKinds.contains(kind) else {
            throw RegistryFailure("a \(kind.noun) takes no attachments")
        }
        guard !content.isEmpty else { throw RegistryFailure("the file is empty") }
        guard content.count <= limit else {
            throw RegistryFailure("the file has \(content.count) bytes; an attachment may have \(limit) at most")
        }
        guard let type = AttachmentType.sniff(content) else {
            throw RegistryFailure(
                "\(fileName) is not a PDF, JPEG or PNG file (its content says so, whatever its name); attach a PDF, JPEG or PNG"
            )
        }
        let name = Self.cleanFileName(fileName, type: type)
        let attachment = Attachment(
            id: UUID().uuidString.lowercased(), recordKind: kind, recordID: id, fileName: name, type: type,
            size: content.count, sha256: SHA256.hexDigest(of: content), addedAt: Date(), addedBy: actor.name)
        return try write(.attachment("add \(name) to \(kind.rawValue) \(id)")) { tx in
            try Self.checkWritable(kind, id: id, departments: departments, in: tx)
            try tx.addAttachment(attachment, content: content)
            return attachment
        }
    }

    /// Removes attachment `id` as this registry's actor (logged in its record's history); refused for an account
    /// limited to `departments` when the record is not credited to one of them.
    public func removeAttachment(id: String, departments: Set<String>? = nil) throws -> Attachment {
        guard let found = try read({ try $0.attachment(id: id) }) else {
            throw RegistryFailure("there is no attachment \(id)")
        }
        return try write(.attachment("remove \(found.fileName) from \(found.recordKind.rawValue) \(found.recordID)")) {
            tx in
            try Self.checkWritable(found.recordKind, id: found.recordID, departments: departments, in: tx)
            guard let removed = try tx.removeAttachment(id: id) else {
                throw RegistryFailure("there is no attachment \(id)")
            }
            return removed
        }
    }

    static func checkWritable(_ kind: EntityKind, id: String, departments: Set<String>?, in tx: RegistryReader)
        throws
    {
        guard let credited = try Self.departments(of: kind, id: id, in: tx) else {
            throw RegistryFailure("there is no \(kind.noun) \(id)")
        }
        if let departments, departments.isDisjoint(with: credited) {
            throw RegistryFailure(
                "\(kind.noun) \(id) is not credited to your departments (\(departments.sorted().joined(separator: ", ")))"
            )
        }
    }

    /// The file name kept: its last path component, without control characters or quotes, at most 200
    /// characters, ending as its type does.
    static func cleanFileName(_ name: String, type: AttachmentType) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(
            last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.map(
                Character.init)
        ).trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty { cleaned = "attachment" }
        cleaned = String(cleaned.prefix(200))
        let ext = (cleaned as NSString).pathExtension.lowercased()
        let fits = type == .jpeg ? ["jpg", "jpeg"].contains(ext) : ext == type.fileExtension
        return fits ? cleaned : cleaned + "." + type.fileExtension
    }
}
