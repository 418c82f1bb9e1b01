import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the registry: the database file, references between records, and no tally counted twice.")

        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let problems: [String]
            do {
                problems = try registry.open(create: false, readOnly: true).store.check()
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
            commandName: "backup", abstract: "Copy the registry to a new file, safely, even while others are using it.",
            discussion: """
                Without --out the copy is annals-backup-YYYYMMDD-HHMMSS.sqlite (UTC time) in the current folder; an \
                existing file is never replaced. The copy is a complete registry: `annals check --db FILE` checks \
                it, and the README says how to put it back in place.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The backup file to create (it must not exist yet). Default: a new dated file in the current folder.",
                valueName: "file"))
        var out: String?

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let destination = out ?? Self.datedName(now: Date(), exists: { FileManager.default.fileExists(atPath: $0) })
            do { try store.store.backup(to: destination) } catch let error as StoreError {
                throw Failure(error.message)
            }
            let shown =
                out == nil
                ? "\(destination) in the current folder (\(FileManager.default.currentDirectoryPath))" : destination
            print("Backed up \(registry.name) to \(shown).")
        }

        /// `annals-backup-20261204-171000.sqlite` for `now` in UTC, with `-2`, `-3`, … added while `exists`.
        static func datedName(now: Date, exists: (String) -> Bool) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            let stem = "annals-backup-\(formatter.string(from: now))"
            var name = stem + ".sqlite"
            var n = 2
            while exists(name) {
                name = "\(stem)-\(n).sqlite"
                n += 1
            }
            return name
        }
    }
}
