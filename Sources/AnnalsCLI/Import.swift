import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Bring records into the registry from files.",
            subcommands: [Registry.self, PubMed.self, EndNote.self, Journals.self, Tallies.self, Cerif.self, XLSX.self])
    }
}

extension Annals.Import {
    struct Registry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "registry", abstract: "Import registry XML files (the format of `annals export`).",
            discussion: """
                Each file is checked against the registry schema, then every reference (an author's person, a \
                tally's procedure and department) must be found in the files or in the registry. All files are \
                written together in one transaction: if any file has a problem, nothing is imported. Records are \
                matched by id, so importing the same file again changes nothing.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("Registry XML files.", valueName: "file"))
        var files: [String]

        func run() throws {
            let registry = try self.registry.open(create: false)
            let report: ImportReport
            do {
                report = try registry.importRegistryFiles(files.map(ImportSource.init(path:)))
            } catch let failure as DiagnosticError {
                throw refusal(failure, "nothing was imported")
            } catch let error as StoreError {
                throw Failure("nothing was imported: \(error.message)")
            }
            print("Imported into \(registry.name): \(report)")
        }
    }
}

extension Annals.Import {
    struct PubMed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pubmed",
            abstract:
                "Import PubMed XML files (efetch results, MEDLINE baseline and update files of any year, .xml or .xml.gz).",
            discussion: """
                Each file is imported in one transaction: a file with an error imports nothing and is reported as \
                FILE:LINE:COLUMN. A paper already in the registry (same PMID, DOI, or title, year and first \
                author) is updated or merged, never added twice; `annals duplicates` lists the merges. Papers are \
                credited to departments and people through the affiliation patterns in the registry; uncertain \
                author matches wait in `annals review`. DeleteCitation entries remove those PMIDs, and the summary \
                lists them. MEDLINE files before 2017 (<MedlineCitationSet>) are read as well.
                """)

        @OptionGroup var registry: RegistryOptions

        @Flag(name: .long, help: "Report what would change, and change nothing.")
        var dryRun = false

        @Argument(help: ArgumentHelp("PubMed XML files.", valueName: "file"))
        var files: [String]

        func run() throws {
            try importPublicationFiles(files, into: try registry.open(create: false), format: .pubmed, dryRun: dryRun)
        }
    }
}

extension Annals.Import {
    struct EndNote: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "endnote",
            abstract:
                "Import EndNote XML libraries (File > Export > XML in EndNote; also Zotero, Bookends, CNKI converters).",
            discussion: """
                Each file is imported in one transaction. Papers already in the registry (same PMID, DOI, or title, \
                year and first author) are merged, never added twice, unless their DOIs or PMIDs differ: then both \
                are kept and `annals duplicates` lists them to check. Authors and departments are credited as for \
                PubMed files. Records without a record number are named by their content, so importing the file \
                again updates them. A record that cannot be a paper (no title, or "No Title") is left out and listed \
                by its line and place in the file, here and in `annals review`; the rest is imported.
                """)

        @OptionGroup var registry: RegistryOptions

        @Flag(name: .long, help: "Report what would change, and change nothing.")
        var dryRun = false

        @Argument(help: ArgumentHelp("EndNote XML files.", valueName: "file"))
        var files: [String]

        func run() throws {
            try importPublicationFiles(files, into: try registry.open(create: false), format: .endnote, dryRun: dryRun)
        }
    }

    struct Journals: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "journals",
            abstract: "Import your journal lists (CSV: title, ISSNs, year, index, impact factor, quartile, CAS zone).",
            discussion: """
                Journals are matched by print, electronic or linking ISSN; a year's figures replace that year's \
                figures for the journal and leave other years alone. The CSV format is described in \
                docs/journal-lists.md. A registry XML file with <journal> records is imported as with \
                `annals import registry`. Every bad row is reported as FILE:LINE: and nothing is imported.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("Journal list files (.csv, or registry .xml).", valueName: "file"))
        var files: [String]

        func run() throws {
            let registry = try self.registry.open(create: false)
            do {
                for file in files { print("\(file): \(try registry.importJournals(ImportSource(path: file)))") }
            } catch let failure as DiagnosticError {
                throw refusal(failure, "nothing was imported from that file")
            }
        }
    }
}

extension Annals.Import {
    struct Tallies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tallies", abstract: "Import case tallies from CSV: how many operations, never patient data.",
            discussion: """
                Header (any order): procedure, approach, department, campus, surgeon, from, to, count, source, note \
                (and optionally id), or in Chinese: 术式, 入路, 科室, 院区, 术者, 开始, 结束, 例数, 来源, 备注. procedure is \
                any name in the vocabulary, English or Chinese (`annals procedures`); department, campus and surgeon \
                are ids or the registry's Chinese names (普外科, 滨江院区, 高志刚); from left empty \
                means a cumulative baseline up to to. Every bad row is reported as FILE:LINE and nothing is imported. \
                department may also be the hospital's id. A tally whose period overlaps another for the same \
                procedure and approach, where one unit, campus and surgeon includes the other (the hospital its \
                departments, a whole department its campuses, all surgeons each surgeon), is refused: it would \
                count the same operations twice. Importing a corrected count for the same series and period (or \
                the same id) replaces the old one, whichever file it came from, and the old one is kept in the \
                tally's history. A count is at most 2,147,483,647.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("CSV files.", valueName: "file"))
        var files: [String]

        func run() throws {
            let registry = try self.registry.open(create: false)
            do {
                for file in files { print("\(file): \(try registry.importTallies(ImportSource(path: file)))") }
            } catch let failure as DiagnosticError {
                throw refusal(failure, "nothing was imported from that file")
            }
        }
    }
}

extension Annals.Import {
    struct Cerif: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cerif",
            abstract:
                "Import an OpenAIRE CERIF-XML file (profile 1.1 or 1.2) from a CRIS (or from `annals export --format cerif`).",
            discussion: """
                Reads organisation units, persons, projects with their fundings, publications (journals become \
                journal records) and patents. The file is one transaction: any problem imports nothing and is \
                reported as FILE:LINE:COLUMN. Papers already in the registry (same PMID, DOI, or title, year and \
                first author) are merged, never added twice. Links to records that are neither in the file nor in \
                the registry are left out and listed. The file may be an OAI-PMH response or one entity alone \
                (as DSpace-CRIS writes a record). See docs/cerif-mapping.md for what maps to what.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("A CERIF XML file.", valueName: "file"))
        var file: String

        func run() throws {
            let registry = try self.registry.open(create: false)
            do {
                print("\(file): \(try registry.importCerif(ImportSource(path: file)))")
            } catch let failure as DiagnosticError {
                throw refusal(failure, "nothing was imported")
            }
        }
    }
}

/// Imports each file in its own transaction (rolled back for a dry run) and prints a summary per file.
func importPublicationFiles(_ files: [String], into registry: Registry, format: PublicationFormat, dryRun: Bool) throws
{
    var failed = 0
    for file in files {
        let progress = ProgressLine(noun: format.recordNoun)
        do {
            let report = try registry.importPublications(
                ImportSource(path: file), format: format, dryRun: dryRun,
                progress: progress.map { p in { p.update(bytes: $0, of: $1) } })
            progress?.finish()
            print("\(file)\(dryRun ? " (dry run: nothing was changed)" : ""): \(report)")
        } catch {
            progress?.finish()
            failed += 1
            DiagnosticPrinter.print(error)
            printError("\(file): nothing was imported from this file.")
        }
    }
    if failed > 0 {
        throw Failure("\(failed) of \(files.count) file\(files.count == 1 ? "" : "s") could not be imported.")
    }
}

/// "12,345 articles, 3,210/s, 45%" on one line of stderr, redrawn at most twice a second, and only
/// when stderr is a terminal (never in logs or pipes).
final class ProgressLine {
    private let noun: String
    private let started = Date()
    private var last = Date.distantPast
    private var records = 0

    init?(noun: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.noun = noun
    }

    func update(bytes: Int, of total: Int) {
        records += 1
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.5 else { return }
        last = now
        let rate = Double(records) / max(now.timeIntervalSince(started), 0.001)
        let percent = total > 0 ? min(100, bytes * 100 / total) : 0
        FileHandle.standardError.write(Data("\r\(records) \(noun), \(Int(rate))/s, \(percent)%   ".utf8))
    }

    func finish() {
        if last != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
