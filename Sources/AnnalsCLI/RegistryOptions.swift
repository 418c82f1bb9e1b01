import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
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

    /// The registry to use: --db, then ANNALS_DB, then the default.
    var location: RegistryLocation { RegistryLocation.resolve(db) }

    /// The path to use: --db, then ANNALS_DB, then the default.
    var path: String { location.path }

    /// Who is running Annals, for the registry's change log.
    var actor: ChangeActor { .operatingSystemUser }

    /// The registry as it may be shown: a server URL never with its password.
    var name: String { RegistryStore.displayName(for: path) }

    /// Opens the registry. Only `annals init` passes `create`; every other command refuses a missing
    /// registry. Commands that only read pass `readOnly`: they never wait for an import, need only read
    /// permission and leave nothing beside the registry. A registry Annals creates starts with the built-in
    /// procedure vocabulary.
    /// What the registry says while it opens (where the copy before a migration is, that it waits for an
    /// import) goes to `notify`: standard error, or the server's JSON log under `annals serve`.
    func open(create: Bool, readOnly: Bool = false, notify: @escaping @Sendable (String) -> Void = printError) throws
        -> Registry
    {
        try Registry.open(
            location, create: create, readOnly: readOnly, as: actor, onMigrationBackup: notify, onWaiting: notify)
    }
}

/// A command that failed: the message goes to stderr, the exit status is 1.
typealias Failure = RegistryFailure

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Refuses a year that is not a plausible four-digit year (`--year 24`) as an argument error.
func validateYear(_ year: Int?, option: String = "--year") throws {
    guard let year else { return }
    do { try ReferenceCheck.year(year, option: option) } catch { throw ValidationError(error.description) }
}
