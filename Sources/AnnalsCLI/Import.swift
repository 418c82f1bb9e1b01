import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring records into the registry from files.",
            subcommands: [Registry.self])
    }
}

extension Annals.Import {
    struct Registry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import registry XML files (the format of `annals export`).",
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
            let store = try registry.open(create: true)
            let report: ImportReport
            do {
                let read = try files.map { try RegistryImporter.read(file: URL(fileURLWithPath: $0), displayName: $0) }
                report = try store.write { try RegistryImporter.apply(read, to: $0) }
            } catch let failure as ImportFailure {
                for diagnostic in failure.diagnostics { printError(diagnostic.description) }
                let count = failure.diagnostics.count
                throw Failure("nothing was imported: \(count) problem\(count == 1 ? "" : "s") to fix first.")
            } catch let error as StoreError {
                throw Failure("nothing was imported: \(error.message)")
            }
            print("Imported into \(registry.path): \(report)")
        }
    }
}
