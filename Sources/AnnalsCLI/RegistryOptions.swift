import AnnalsInterchange
import AnnalsModel
import AnnalsStore
import ArgumentParser
import Foundation

/// `--db PATH`, shared by every command that opens the registry.
struct RegistryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The registry: a file, or a PostgreSQL database as postgres://USER@HOST:PORT/DATABASE (password from "
                + "PGPASSWORD or ~/.pgpass). Default: $ANNALS_DB, or annals.sqlite in the current folder.",
            valueName: "path"))
    var db: String?

    /// The path to use: --db, then ANNALS_DB, then the default.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ANNALS_DB"], !env.isEmpty { return env }
        return RegistryStore.defaultPath
    }

    /// The registry as it may be shown: a server URL never with its password.
    var name: String { RegistryStore.displayName(for: path) }

    /// Opens the registry; `create` is false for commands that only read. A registry Annals creates
    /// starts with the built-in procedure vocabulary.
    func open(create: Bool) throws -> RegistryStore {
        do {
            let store = try RegistryStore(path: path, create: create) { backup in
                printError("\(name) was written by an older Annals; it is being updated. A copy of it as it was: \(backup)")
            }
            if store.isNew { _ = try store.write { try ProcedureVocabulary.install(into: $0) } }
            return store
        } catch let error as StoreError {
            throw Failure(error.message)
        }
    }
}

/// A command that failed: the message goes to stderr, the exit status is 1.
struct Failure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Refuses a year that is not a plausible four-digit year (`--year 24`) as an argument error.
func validateYear(_ year: Int?, option: String = "--year") throws {
    guard let year else { return }
    do { try ReferenceCheck.year(year, option: option) } catch { throw ValidationError(error.description) }
}
