import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Recredit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recredit", abstract: "Credit the registry's papers again to its departments and people.",
            discussion: """
                Papers are credited when they are imported, from the departments, people and name forms the \
                registry holds then. A registry import that adds or changes departments, people or projects \
                credits the other papers again by itself; run this after any other change. Crediting only \
                adds, and the review list's decisions hold.
                """)

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let store = try registry.open(create: false)
            let report = try store.write(.recredit) { try Recrediting.run(in: $0) }
            print("\(registry.name): \(report)")
        }
    }
}
