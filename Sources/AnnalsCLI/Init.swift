import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Create an empty registry (a file, or the tables in a PostgreSQL database).",
            discussion: "Creates the registry (readable by you only). An existing registry is left as it is.")

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let store = try registry.open(create: true)
            print(
                store.isNew
                    ? "Created the registry \(store.store.path)."
                    : "\(store.store.path) is already a registry; nothing changed.")
        }
    }
}
