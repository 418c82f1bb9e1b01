import AnnalsStore
import ArgumentParser

extension Annals {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an empty registry file.",
            discussion: "Creates the registry (readable by you only). An existing registry is left as it is.")

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let existed = FileManager.default.fileExists(atPath: registry.path)
            _ = try registry.open(create: true)
            print(existed ? "\(registry.path) is already a registry; nothing changed." : "Created the registry \(registry.path).")
        }
    }
}

import Foundation
