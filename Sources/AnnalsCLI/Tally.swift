import AnnalsCuration
import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: "Show one case tally and every earlier version of it (corrections are kept).")

        @OptionGroup var registry: RegistryOptions

        @Argument(
            help: ArgumentHelp(
                "The tally's id (as `annals cases --format json` lists them in its sources, or as imported).",
                valueName: "id"))
        var id: String

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let (current, history) = try store.read { r in
                (try r.tally(id: id), try r.tallyHistory(id: id))
            }
            guard let current else { throw Failure("no case tally '\(id)' in the registry.") }
            print("\(id): \(TallyRules.describe(current))\(current.source.map { " (source: \($0))" } ?? "")")
            if history.isEmpty {
                print("  never corrected")
            }
            for revision in history.reversed() {
                print(
                    "  before \(revision.replacedAt): \(revision.tally.count)\(revision.tally.source.map { " (source: \($0))" } ?? "")"
                )
            }
        }
    }
}
