import AnnalsModel
import AnnalsReports
import AnnalsStore
import ArgumentParser

extension Annals {
    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            let store = try registry.open(create: false, readOnly: true)
            // The department's id, also when it was given by its Chinese name (`annals profile 普外科`).
            let department = try store.read { try ReferenceCheck.check(department: self.department, in: $0).department! }
            let content = try store.read { try $0.content() }
            do {
                try write(try DepartmentProfile.text(department: department, in: content, language: lang), to: out, sparing: store)
            } catch let error as DepartmentProfileError {
                throw Failure(error.description)
            }
            if let out { print("Wrote \(out).") }
        }
    }
}
