import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct MigrateStore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-store",
            abstract: "Copy a whole registry into a new one: a file to a PostgreSQL database, or back.",
            discussion: """
                Copies every record, every tally's history, the import log, merges, rejected merges and review \
                decisions, in one transaction, then counts the rows of every table on both sides. The destination \
                must be new or empty (a PostgreSQL database is created when the user may). Compare \
                `annals export` of both afterwards: the two files are the same.
                """)

        @Option(
            name: .long, help: ArgumentHelp("The registry to copy: a file or a postgres:// URL.", valueName: "registry")
        )
        var from: String

        @Option(
            name: .long, help: ArgumentHelp("The new registry: a file or a postgres:// URL.", valueName: "registry"))
        var to: String

        func validate() throws {
            if RegistryStore.displayName(for: from) == RegistryStore.displayName(for: to) {
                throw ValidationError("--from and --to name the same registry")
            }
        }

        func run() throws {
            do {
                let source = try RegistryStore(path: from, create: false)
                let destination = try RegistryStore(path: to, create: true)
                let report = try destination.copy(from: source)
                for table in report.tables where table.source > 0 {
                    print("  \(table.table): \(table.copy) of \(table.source)")
                }
                guard report.isComplete else {
                    throw Failure("the copy in \(destination.path) does not hold every row of \(source.path)")
                }
                let problems = try destination.check()
                guard problems.isEmpty else {
                    for problem in problems { printError("\(destination.path): error: \(problem)") }
                    throw Failure("the copy in \(destination.path) has problems (above)")
                }
                print("Copied \(source.path) to \(destination.path): every row, checked.")
            } catch let error as StoreError {
                throw Failure(error.message)
            }
        }
    }
}
