public import AnnalsModel
import AnnalsRegistry
import AnnalsStatistics
import AnnalsStore
public import ArgumentParser
import Foundation

/// The question every case command shares: which procedure, approach, department, campus, surgeon, when.
struct CaseQuestionOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "A procedure from the vocabulary (any of its names; `annals procedures` lists them). All procedures when left out.",
            valueName: "procedure"))
    var procedure: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "open, laparoscopic, robotic, endoscopic, interventional, hybrid or converted (or 开放, 腹腔镜, 机器人, 内镜, 介入, 杂交, 中转开腹).",
            valueName: "approach"))
    var approach: Approach?

    @Option(
        name: .long,
        help: ArgumentHelp("A department's id or Chinese name (普外科); `annals departments` lists them.", valueName: "id")
    )
    var department: String?

    @Option(
        name: .long,
        help: ArgumentHelp("A campus's id or Chinese name (滨江院区); `annals departments` lists them.", valueName: "id"))
    var campus: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A surgeon's person id or name in Chinese characters; `annals people` lists them.", valueName: "id"))
    var surgeon: String?

    @Option(name: .long, help: ArgumentHelp("From this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Up to this date, inclusive.", valueName: "date"))
    var to: String?

    /// The question as the application layer takes it.
    var question: CaseQuestion {
        CaseQuestion(
            procedure: procedure, approach: approach, department: department, campus: campus, surgeon: surgeon,
            from: from, to: to)
    }

    func validate() throws {
        if let problem = question.problem() { throw ValidationError(problem) }
    }
}

extension Approach: ExpressibleByArgument {
    /// An approach's name or a word people write for it: `--approach laparoscopic`, `--approach 腹腔镜`.
    public init?(argument: String) {
        guard let approach = ApproachWords.approach(named: argument) else { return nil }
        self = approach
    }
}

extension OutputFormat: ExpressibleByArgument {}

extension Annals {
    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cases", abstract: "How many operations: totals, breakdowns and shares from the case tallies.",
            discussion: """
                A total is exact only when every series in it — each procedure by approach and department (and \
                by campus or surgeon where tallied apart) that the registry has tallies for in any period — is \
                tallied for every day asked about; otherwise it is shown as "≥ N" (or "between N and M") with what \
                the tallies cover and which series are incomplete — never a guess. A cumulative baseline \
                ("through 2015-12-31: 300") counts for questions that start at the beginning.

                Examples:
                  annals cases "common bile duct cystectomy" --approach laparoscopic --department general-surgery
                  annals cases --department general-surgery --approach robotic --by year --from 2018
                  annals cases --share minimally-invasive --by year
                """)

        @OptionGroup var registry: RegistryOptions
        @OptionGroup var question: CaseQuestionOptions

        @Option(
            name: .long,
            help:
                "Break the count down: year, month, department, campus, approach, surgeon, procedure, category or grade."
        )
        var by: CaseGrouping?

        @Flag(name: .long, help: "With --by year or month: running totals.")
        var cumulative = false

        @Option(
            name: .long, help: "minimally-invasive or grade4: the share of operations, overall or --by year|department."
        )
        var share: CaseStatistics.ShareKind?

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        func validate() throws {
            if let problem = CaseQuestion.breakdownProblem(by: by, cumulative: cumulative, share: share) {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            let answer = try registry.open(create: false, readOnly: true).cases(
                question.question, by: by, cumulative: cumulative, share: share)
            print(answer.rendered(format))
        }
    }

    struct Milestones: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "milestones",
            abstract: "When the running total of operations passed 100, 200, 500, 1000, … (or --threshold N).",
            discussion:
                "Each milestone is placed as precisely as the tallies allow: a year, a month, or within a cumulative baseline."
        )

        @OptionGroup var registry: RegistryOptions
        @OptionGroup var question: CaseQuestionOptions

        @Option(name: .long, help: ArgumentHelp("Only this threshold (repeatable).", valueName: "N"))
        var threshold: [Int] = []

        func run() throws {
            let answer = try registry.open(create: false, readOnly: true).milestones(
                question.question, thresholds: threshold.isEmpty ? nil : threshold)
            print(answer.text)
        }
    }
}

extension CaseGrouping: ExpressibleByArgument {}
extension CaseStatistics.ShareKind: ExpressibleByArgument {}
