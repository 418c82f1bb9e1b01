import ArgumentParser

/// The `annals` command: dispatches to one subcommand per task.
public struct Annals: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "annals",
        abstract: "A registry of a surgical department's research output and case tallies.",
        discussion: """
            Annals keeps projects, papers, patents, awards, staff and operation counts in one registry: a file \
            (annals.sqlite in the current folder unless --db or ANNALS_DB names another), or a PostgreSQL \
            database shared by many (--db postgres://USER@HOST:PORT/DATABASE).

            Start with `annals demo` to see a registry built from the samples.
            """,
        subcommands: [
            Init.self, Import.self, Export.self, Validate.self, Publications.self, Duplicates.self, Review.self, Recredit.self, Cases.self,
            Milestones.self, Tally.self, Procedures.self, Report.self, Stats.self, Profile.self, Check.self, Backup.self, MigrateStore.self, Demo.self,
        ]
    )

    public init() {}
}
