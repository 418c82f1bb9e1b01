import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
public import ArgumentParser

/// The `annals` command: dispatches to one subcommand per task.
public struct Annals: ParsableCommand {
    /// This Annals' version, as `annals --version` prints it.
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "annals",
        abstract: "A registry of a surgical department's research output and case tallies.",
        discussion: """
            Annals keeps projects, papers, patents, awards, staff and operation counts in one registry: a file \
            (annals.sqlite in the current folder unless --db or ANNALS_DB names another), or a PostgreSQL \
            database shared by many (--db postgres://USER@HOST:PORT/DATABASE).

            Start with `annals demo` to see a registry built from the samples.
            """,
        version: "annals \(version) (registry XML format \(RegistryFormat.version); reads 1 and 2)",
        subcommands: [
            Init.self, Import.self, Export.self, Validate.self, Publications.self, Duplicates.self, Review.self,
            Recredit.self,
            Cases.self, Milestones.self, Tally.self, Procedures.self, Funders.self, Report.self, Stats.self,
            Profile.self, Departments.self,
            People.self, History.self, Delete.self, Restore.self, Check.self, Backup.self, MigrateStore.self, Demo.self,
            Template.self, Serve.self, User.self, Token.self, Year.self, Chain.self,
        ]
    )

    public init() {}

    /// Runs the command line; a misspelt command gets a suggestion, as a misspelt option does.
    public static func main(_ arguments: [String]?) {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        if let message = unknownCommand(in: arguments) { Self.exit(withError: ValidationError(message)) }
        runAsRoot(Annals.self, arguments)
    }

    /// Runs the program's command line.
    public static func main() { main(nil) }

    /// The message for a command (or `import` kind) that does not exist, with the closest names; nil when
    /// every command word is known (options and arguments are left to the parser).
    static func unknownCommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Annals.self
        var path = ["annals"]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-"), argument != "help" else { return nil }
            if let next = subcommands.first(where: {
                $0._commandName == argument || $0.configuration.aliases.contains(argument)
            }) {
                command = next
                path.append(argument)
                continue
            }
            guard command.configuration.defaultSubcommand == nil else { return nil }
            let names = subcommands.map { $0._commandName }
            let suggestions = ReferenceCheck.closest(to: argument, among: names.map { ($0, []) })
            let hint =
                suggestions.isEmpty ? "" : " Did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
            let place = path.count > 1 ? " for '\(path.joined(separator: " "))'" : ""
            let list =
                suggestions.isEmpty
                ? " The commands are: \(names.joined(separator: ", ")); `\(path.joined(separator: " ")) --help` says what each does."
                : " `\(path.joined(separator: " ")) --help` lists the commands."
            return "Unknown command '\(argument)'\(place).\(hint)\(list)"
        }
        return nil
    }
}

/// ArgumentParser's `main(_:)`, except that a problem a command leaves unhandled that can say itself as
/// diagnostics (a refused file, an unknown id, the store's errors) is printed by `DiagnosticPrinter`, the
/// CLI's one printer of problems, and exits with status 1.
private func runAsRoot<Command: ParsableCommand>(_: Command.Type, _ arguments: [String]) {
    do {
        var command = try Command.parseAsRoot(arguments)
        try command.run()
    } catch let error as any DiagnosticConvertible {
        DiagnosticPrinter.print(error.diagnostics)
        Command.exit(withError: ExitCode.failure)
    } catch {
        Command.exit(withError: error)
    }
}
