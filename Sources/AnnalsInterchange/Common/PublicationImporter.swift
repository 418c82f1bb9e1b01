public import AnnalsCuration
public import AnnalsModel
public import Foundation

/// A PubMed item and how far into the file the reader was.
struct PubMedRead: Sendable {
    var item: PubMedItem
    var bytes: Int
    var total: Int
}

/// Imports publication files: reads them record by record (PubMed, EndNote; CERIF through `CerifImporter`) and hands
/// each record to a `PublicationCurator`, which matches, merges and credits it. Call it inside one transaction per
/// file.
public struct PublicationImporter<Registry: PublicationWriting> {
    var curator: PublicationCurator<Registry>
    /// What the import did.
    public var report: PublicationImportReport { curator.report }

    public init(registry: Registry) throws {
        curator = try PublicationCurator(registry: registry)
    }

    /// Imports a PubMed file (`.xml` or `.xml.gz`). The file is read on a thread of its own while the
    /// records are stored here, so parsing and writing overlap.
    public mutating func importPubMed(file: URL, displayName: String, progress: ((Int, Int) -> Void)? = nil) throws {
        try Handoff<PubMedRead>.run(
            produce: { put in
                var last: (Int, Int) = (0, 0)
                try PubMedReader.read(file: file, displayName: displayName, progress: { last = ($0, $1) }) { item in
                    try put(PubMedRead(item: item, bytes: last.0, total: last.1))
                }
            },
            consume: { read in
                switch read.item {
                case .publication(let publication):
                    try curator.store(publication, sourceFile: file.lastPathComponent)
                case .deletion(let pmids, _):
                    for pmid in pmids { try curator.delete(pmid: pmid) }
                case .skipped(let reason, let line):
                    try curator.leaveOut(ImportSkip(.incomplete, line: line, description: reason))
                }
                progress?(read.bytes, read.total)
            })
    }

    /// Imports an EndNote XML export. A record that cannot be a paper (no title) is left out, listed in the
    /// report and remembered for `annals review` by its place in the file; the rest is imported.
    public mutating func importEndNote(file: URL, displayName: String) throws {
        try EndNoteReader.readItems(file: file, displayName: displayName) { item in
            switch item {
            case .publication(let publication):
                try curator.store(publication, sourceFile: file.lastPathComponent)
            case .skipped(let position, let line, let reason):
                try curator.leaveOut(
                    ImportSkip(
                        .incomplete, line: line, position: position,
                        description: "\(displayName):\(line): record \(position) left out: \(reason)"),
                    remembering: SkippedRecord(sourceFile: displayName, position: position, line: line, reason: reason))
            }
        }
    }

    /// Stores one publication read by another reader (CERIF).
    public mutating func store(_ incoming: Publication, sourceFile: String) throws {
        try curator.store(incoming, sourceFile: sourceFile)
    }
}
