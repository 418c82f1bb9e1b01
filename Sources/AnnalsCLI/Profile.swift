import AnnalsModel
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile",
            abstract: "Write a department's profile: prose like the hospital's department pages, from the registry.",
            discussion: """
                Founding, campuses and beds, staff by rank and degree, committee seats, key procedures with their \
                counts (stated honestly: 512 is "more than 500", never rounded up), history, research directions, \
                projects by level, papers, patents, awards and the expert team.
                """)

        @OptionGroup var registry: RegistryOptions

        @Argument(help: ArgumentHelp("The department's id or Chinese name (普外科).", valueName: "department"))
        var department: String

        @Option(name: .long, help: "en or zh (Simplified Chinese).")
        var lang: ReportLanguage = .en

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        func run() throws {
            let registry = try self.registry.open(create: false, readOnly: true)
            try write(try registry.profile(of: department, language: lang), to: out, sparing: registry)
            if let out { print("Wrote \(out).") }
        }
    }
}
