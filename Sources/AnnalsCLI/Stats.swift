import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Summary statistics per year: staff, beds, projects, papers, patents, awards, operations.",
            discussion:
                "The same figures as the annual report (`annals report`), one column per year. --explain lists the records behind each figure."
        )

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "One year.")
        var year: Int?

        @Option(name: .long, help: "The first year of a range (with --to).")
        var from: Int?

        @Option(name: .long, help: "The last year of a range (with --from).")
        var to: Int?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "One department (its id or Chinese name); the whole hospital when left out.", valueName: "id"))
        var department: String?

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        @Flag(name: .long, help: "After the figures, list the records behind each one (their ids).")
        var explain = false

        @Flag(
            name: .customLong("validated-only"),
            help:
                "Count validated projects, papers, patents and awards only (leave out those waiting in the approval chain)."
        )
        var validatedOnly = false

        func validate() throws {
            if year == nil && (from == nil || to == nil) { throw ValidationError("Give --year Y, or --from Y --to Y.") }
            if year != nil && (from != nil || to != nil) {
                throw ValidationError("Give --year or --from/--to, not both.")
            }
            try validateYear(year)
            try validateYear(from, option: "--from")
            try validateYear(to, option: "--to")
            if let from, let to, from > to { throw ValidationError("--from comes after --to.") }
        }

        func run() throws {
            let years = year.map { [$0] } ?? Array(from!...to!)
            let answer = try registry.open(create: false, readOnly: true).statistics(
                years: years, department: department, explain: explain, validatedOnly: validatedOnly)
            FileHandle.standardOutput.write(Data(try answer.rendered(format).utf8))
            if explain { FileHandle.standardOutput.write(Data(answer.explanation.utf8)) }
        }
    }
}
