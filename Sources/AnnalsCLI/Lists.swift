import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Departments: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "departments",
            abstract:
                "List the departments (and the hospital) with their campuses: the ids --department and --campus take.")

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        func run() throws {
            let store = try registry.open(create: false)
            let rows = try store.read { try RegistryListing.departments(in: $0) }
            switch format {
            case .table: print(RegistryListing.table(rows))
            case .json: print(try RegistryListing.json(rows))
            case .csv: FileHandle.standardOutput.write(Data(RegistryListing.csv(rows).utf8))
            }
        }
    }

    struct People: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people", abstract: "List the people in the registry: the ids --person and --surgeon take.")

        @OptionGroup var registry: RegistryOptions

        @Option(
            name: .long,
            help: ArgumentHelp("Only the people of this department (its id or Chinese name).", valueName: "id"))
        var department: String?

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        func run() throws {
            let store = try registry.open(create: false)
            let rows = try store.read { try RegistryListing.people(in: $0, department: department) }
            switch format {
            case .table: print(RegistryListing.table(rows))
            case .json: print(try RegistryListing.json(rows))
            case .csv: FileHandle.standardOutput.write(Data(RegistryListing.csv(rows).utf8))
            }
        }
    }
}
