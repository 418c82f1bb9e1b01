import AnnalsInterchange
import AnnalsModel
import AnnalsStatistics
import AnnalsStore
import ArgumentParser
import Foundation

/// The question every case command shares: which procedure, approach, department, campus, surgeon, when.
struct CaseQuestion: ParsableArguments {
    @Argument(help: ArgumentHelp("A procedure from the vocabulary (any of its names; `annals procedures` lists them). All procedures when left out.", valueName: "procedure"))
    var procedure: String?

    @Option(name: .long, help: ArgumentHelp("open, laparoscopic, robotic, endoscopic, interventional, hybrid or converted (or 开放, 腹腔镜, 机器人, 内镜, 介入, 杂交, 中转开腹).", valueName: "approach"))
    var approach: Approach?

    @Option(name: .long, help: ArgumentHelp("A department's id or Chinese name (普外科); `annals departments` lists them.", valueName: "id"))
    var department: String?

    @Option(name: .long, help: ArgumentHelp("A campus's id or Chinese name (滨江院区); `annals departments` lists them.", valueName: "id"))
    var campus: String?

    @Option(name: .long, help: ArgumentHelp("A surgeon's person id or name in Chinese characters; `annals people` lists them.", valueName: "id"))
    var surgeon: String?

    @Option(name: .long, help: ArgumentHelp("From this date (YYYY, YYYY-MM or YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Up to this date, inclusive.", valueName: "date"))
    var to: String?

    func validate() throws {
        if let problem = query.dateProblem() { throw ValidationError(problem) }
    }

    /// The question as the library takes it.
    var query: CaseQuery {
        CaseQuery(procedure: procedure, approach: approach, department: department, campus: campus, surgeon: surgeon, from: from, to: to)
    }

    /// What the question names (see `CaseQuery.resolve`); a question that cannot be answered is a `Failure`.
    func resolve(in registry: some TallyReading) throws -> (filter: TallyFilter, procedure: Procedure?, approach: Approach?, vocabulary: [Procedure]) {
        do { return try query.resolve(in: registry) } catch let error as CaseQueryError { throw Failure(error.message) }
    }
}

extension Approach: ExpressibleByArgument {
    /// An approach's name or a word people write for it: `--approach laparoscopic`, `--approach 腹腔镜`.
    public init?(argument: String) {
        guard let approach = ApproachWords.approach(named: argument) else { return nil }
        self = approach
    }
}

typealias OutputFormat = AnswerFormat
extension AnswerFormat: ExpressibleByArgument {}

extension Annals {
    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How many operations: totals, breakdowns and shares from the case tallies.",
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
        @OptionGroup var question: CaseQuestion

        @Option(name: .long, help: "Break the count down: year, month, department, campus, approach, surgeon, procedure, category or grade.")
        var by: CaseGrouping?

        @Flag(name: .long, help: "With --by year or month: running totals.")
        var cumulative = false

        @Option(name: .long, help: "minimally-invasive or grade4: the share of operations, overall or --by year|department.")
        var share: CaseStatistics.ShareKind?

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        func validate() throws {
            if cumulative && by != .year && by != .month { throw ValidationError("--cumulative needs --by year or --by month.") }
            if share != nil, let by, by != .year, by != .department { throw ValidationError("--share can be broken down --by year or --by department.") }
        }

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let output = try store.read { registry -> String in
                do {
                    return try question.query.answer(in: registry, by: by, cumulative: cumulative, share: share, format: format)
                } catch let error as CaseQueryError { throw Failure(error.message) }
            }
            print(output)
        }
    }

    struct Milestones: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "When the running total of operations passed 100, 200, 500, 1000, … (or --threshold N).",
            discussion: "Each milestone is placed as precisely as the tallies allow: a year, a month, or within a cumulative baseline.")

        @OptionGroup var registry: RegistryOptions
        @OptionGroup var question: CaseQuestion

        @Option(name: .long, help: ArgumentHelp("Only this threshold (repeatable).", valueName: "N"))
        var threshold: [Int] = []

        func run() throws {
            let store = try registry.open(create: false, readOnly: true)
            let (sums, label) = try store.read { registry in
                let (filter, procedure, approach, _) = try question.resolve(in: registry)
                return (
                    try registry.tallySums(matching: filter, by: nil)[nil] ?? [],
                    [approach?.rawValue, procedure?.preferredTerm ?? "operations"].compactMap { $0 }.joined(separator: " ")
                )
            }
            let milestones = CaseStatistics.milestones(sums, thresholds: threshold.isEmpty ? nil : threshold)
            guard !milestones.isEmpty else {
                print("No milestone reached: \(sums.reduce(0) { $0 + $1.count }) \(label) tallied.")
                return
            }
            for m in milestones { print("\(m.threshold) \(label): \(m.when) (running total \(m.total))") }
        }
    }
}

extension CaseGrouping: ExpressibleByArgument {}
extension CaseStatistics.ShareKind: ExpressibleByArgument {}
