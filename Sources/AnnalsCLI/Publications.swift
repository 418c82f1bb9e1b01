import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Publications: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publications", abstract: "List the registry's publications.",
            discussion: """
                A paper counts as SCI when its journal is listed in SCIE or SSCI for the paper's year (or the \
                nearest earlier list loaded with `annals import journals`), matched by print, electronic or \
                linking ISSN. `annals departments` and `annals people` list the ids --department and --person take.
                """)

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "Only papers published in this year.")
        var year: Int?

        @Option(
            name: .long,
            help: ArgumentHelp("Only papers credited to this department (its id or Chinese name).", valueName: "id"))
        var department: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Only papers with this person (their id or name in Chinese characters) among the authors.",
                valueName: "id"))
        var person: String?

        @Flag(name: .long, help: "Only SCI papers.")
        var sci = false

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        func validate() throws {
            try validateYear(year)
        }

        func run() throws {
            let rows = try registry.open(create: false, readOnly: true).publications(
                year: year, department: department, person: person, sciOnly: sci)
            switch format {
            case .table: print(PublicationListing.table(rows))
            case .json: print(try PublicationListing.json(rows))
            case .csv: FileHandle.standardOutput.write(Data(PublicationListing.csv(rows).utf8))
            }
        }
    }
}
