import AnnalsModel
import AnnalsRegistry
import ArgumentParser
import Foundation

extension Annals {
    struct Year: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "year", abstract: "Close a year, or reopen it, or list the closed years.",
            discussion: """
                The research office closes a year once its records are checked: from then on nothing dated in \
                it (projects starting, papers published, patents filed or granted, awards, staff census, operation \
                tallies) can be changed, by any path, until it is reopened. Closing and reopening are in the \
                change log.
                """,
            subcommands: [Close.self, Reopen.self, List.self])

        struct Close: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a year.")
            @OptionGroup var registry: RegistryOptions
            @Argument(help: "The year (four digits).") var year: Int

            func validate() throws { try validateYear(year) }

            func run() throws {
                let done = try registry.open(create: false).closeYear(year, by: nil)
                print(
                    done
                        ? "\(year) is closed: its records change only after `annals year reopen \(year)`."
                        : "\(year) was closed already.")
            }
        }

        struct Reopen: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a closed year.")
            @OptionGroup var registry: RegistryOptions
            @Argument(help: "The year (four digits).") var year: Int

            func validate() throws { try validateYear(year) }

            func run() throws {
                let done = try registry.open(create: false).reopenYear(year, by: nil)
                print(done ? "\(year) is open again." : "\(year) was not closed.")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the closed years.")
            @OptionGroup var registry: RegistryOptions

            func run() throws {
                let years = try registry.open(create: false, readOnly: true).closedYears()
                if years.isEmpty { print("No year is closed.") }
                for year in years {
                    print("\(year.year)  closed by \(year.closedBy) on \(ChangeEntryTime.text(year.closedAt))")
                }
            }
        }
    }
}

enum ChangeEntryTime {
    static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
