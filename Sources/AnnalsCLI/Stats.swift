import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStore
import ArgumentParser
import Foundation

extension Annals {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summary statistics per year: staff, beds, projects, papers, patents, awards, operations.",
            discussion: "The same figures as the annual report (`annals report`), one column per year. --explain lists the records behind each figure.")

        @OptionGroup var registry: RegistryOptions

        @Option(name: .long, help: "One year.")
        var year: Int?

        @Option(name: .long, help: "The first year of a range (with --to).")
        var from: Int?

        @Option(name: .long, help: "The last year of a range (with --from).")
        var to: Int?

        @Option(name: .long, help: ArgumentHelp("One department (its id or Chinese name); the whole hospital when left out.", valueName: "id"))
        var department: String?

        @Option(name: .long, help: "table, json or csv.")
        var format: OutputFormat = .table

        @Flag(name: .long, help: "After the figures, list the records behind each one (their ids).")
        var explain = false

        func validate() throws {
            if year == nil && (from == nil || to == nil) { throw ValidationError("Give --year Y, or --from Y --to Y.") }
            if year != nil && (from != nil || to != nil) { throw ValidationError("Give --year or --from/--to, not both.") }
            try validateYear(year)
            try validateYear(from, option: "--from")
            try validateYear(to, option: "--to")
            if let from, let to, from > to { throw ValidationError("--from comes after --to.") }
        }

        func run() throws {
            let years = year.map { [$0] } ?? Array(from!...to!)
            let store = try registry.open(create: false, readOnly: true)
            let department = try store.read { try ReferenceCheck.check(department: self.department, in: $0).department }
            let reports: [AnnualReport]
            do {
                reports = try store.read { r in
                    try years.map { try AnnualReportBuilder.build(from: r, year: $0, department: department, generatedOn: "", explain: explain) }
                }
            } catch let error as AnnualReportBuilder.UnknownDepartment {
                throw Failure(error.description)
            }
            let stats = reports.map(YearStatistics.init)
            defer {
                if explain {
                    for report in reports {
                        print("\nRecords behind the \(report.year) figures:")
                        for source in report.sources {
                            let noun = EntityKind(rawValue: source.kind).map { source.ids.count == 1 ? $0.noun : $0.pluralNoun } ?? source.kind
                            print("  \(source.figure) (\(source.ids.count) \(noun)): \(source.ids.isEmpty ? "none" : source.ids.joined(separator: ", "))")
                        }
                    }
                }
            }
            switch format {
            case .json:
                print(try YearStatistics.json(stats))
            case .csv:
                var out = CSVWriter.line(["figure"] + years.map(String.init))
                for row in YearStatistics.table(stats) { out += CSVWriter.line([row.label] + row.values.map { $0 ?? "" }) }
                FileHandle.standardOutput.write(Data(out.utf8))
            case .table:
                let rows = YearStatistics.table(stats)
                let width = rows.map(\.label.count).max() ?? 10
                let columns = years.indices.map { i in max(6, rows.map { ($0.values[i] ?? "—").count }.max() ?? 6) }
                print("".padding(toLength: width, withPad: " ", startingAt: 0) + years.indices.map { "  " + String(years[$0]).leftPadded(columns[$0]) }.joined())
                for row in rows {
                    print(row.label.padding(toLength: width, withPad: " ", startingAt: 0) + row.values.indices.map { "  " + (row.values[$0] ?? "—").leftPadded(columns[$0]) }.joined())
                }
                for s in stats where !s.milestones.isEmpty {
                    print("\nMilestones \(s.year): " + s.milestones.joined(separator: "; "))
                }
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
