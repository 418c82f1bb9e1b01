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

    /// Who is running Annals, for the registry's change log.
    var actor: ChangeActor { .operatingSystemUser }

    /// The registry as it may be shown: a server URL never with its password.
    var name: String { RegistryStore.displayName(for: path) }

    /// Opens the registry. Only `annals init` passes `create`; every other command refuses a missing
    /// registry. Commands that only read pass `readOnly`: they never wait for an import, need only read
    /// permission and leave nothing beside the registry. A registry Annals creates starts with the built-in
    /// procedure vocabulary.
    func open(create: Bool, readOnly: Bool = false) throws -> RegistryStore {
        do {
            let store = try RegistryStore(
                path: path, create: create, readOnly: readOnly,
                onMigrationBackup: { backup in
                    printError("\(name) was written by an older Annals; it is being updated. A copy of it as it was: \(backup)")
                },
                onWaiting: { message in printError(message) })
            if store.isNew { _ = try store.write(as: actor, doing: .setUp) { try ProcedureVocabulary.install(into: $0) } }
            return store
        } catch let error as StoreError {
            if error.code == .missing && db == nil {
                let source = ProcessInfo.processInfo.environment["ANNALS_DB"].map { $0.isEmpty ? "" : " (from ANNALS_DB)" } ?? " (the default)"
                throw Failure(
                    error.message.replacingOccurrences(of: "no registry at \(path).", with: "no registry at \(path)\(source)."),
                    code: error.code)
            }
            throw Failure(error.message, code: error.code)
        }
    }
}

extension ChangeActor {
    /// The operating-system user running Annals (the login name of the effective user), for the change log.
    static var operatingSystemUser: ChangeActor {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return ChangeActor(String(cString: name)) }
        return ChangeActor("user \(geteuid())")
    }
}

/// A command that failed: the message goes to stderr, the exit status is 1.
struct Failure: Error, CustomStringConvertible {
    var message: String
    /// What was wrong with the registry, when that is why the command failed.
    var code: StoreError.Code?
    init(_ message: String, code: StoreError.Code? = nil) {
        self.message = message
        self.code = code
    }
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
