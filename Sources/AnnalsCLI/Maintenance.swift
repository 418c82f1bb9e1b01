import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the registry: the database file, references between records, and no tally counted twice.")

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let problems: [String]
            do {
                problems = try registry.open(create: false, readOnly: true).check()
            } catch let error as Failure where error.code == .damaged {
                // A file too damaged to open: say what SQLite finds in it, and how to restore a backup.
                problems = RegistryStore.damageReport(at: registry.path)
            } catch let error as StoreError where error.code == .damaged {
                problems = RegistryStore.damageReport(at: registry.path)
            }
            guard !problems.isEmpty else {
                print("\(registry.name): no problems found.")
                return
            }
            for problem in problems { printError("\(registry.name): error: \(problem)") }
            if problems.contains(where: RegistryStore.isDamage) {
                printError("\(registry.name): note: \(RegistryStore.restoreAdvice(registry.path))")
            }
            throw Failure("\(problems.count) problem\(problems.count == 1 ? "" : "s") found.")
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the registry to a new file, safely, even while others are using it.")

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: ArgumentHelp("The backup file to create (it must not exist yet).", valueName: "file"))
        var out: String

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            do { try store.backup(to: out) } catch let error as StoreError { throw Failure(error.message) }
            print("Backed up \(registry.name) to \(out).")
        }
    }
}
