import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsRegistry
import ArgumentParser
import Foundation

extension Annals {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check registry XML files against the registry schema, without importing them.",
            discussion: "Every problem is printed as FILE:LINE:COLUMN: error: MESSAGE. The registry is not opened.")

        @Argument(help: ArgumentHelp("Registry XML files.", valueName: "file"))
        var files: [String]

        func run() throws {
            var problems = 0
            for file in files {
                let diagnostics = try RegistryImporter.validate(file: URL(fileURLWithPath: file), displayName: file)
                DiagnosticPrinter.print(diagnostics)
                problems += diagnostics.count
                if diagnostics.isEmpty { print("\(file): valid") }
            }
            if problems > 0 {
                throw Failure("\(problems) problem\(problems == 1 ? "" : "s") found.")
            }
        }
    }
}
