// Benchmark for case-tally questions and the annual report: builds a registry of about 1,000,000
// generated tallies (monthly counts over 25 years for 10 departments × 2 campuses × 60 procedures × 3
// approaches) and 100,000 generated publications, then times `annals cases` questions and the annual
// report in-process (as the commands run them) and as whole processes (the release `annals` binary,
// start to exit).
//
//   swift build -c release && swift run -c release annals-bench [--tallies N] [--publications N] [--keep DIR]
//
// `--breakdowns PROCEDURE` times only the breakdowns (`annals cases PROCEDURE --by year`, …) of one
// procedure, over the registry at `--keep DIR`/tallies.sqlite (which may be one `annals import tallies`
// made, e.g. from scripts/make-tally-bench.py's files).
//
// `annals-bench --pubmed-read FILE` instead times the stages of reading a PubMed file, without storing:
// every record built as an element tree, the publications as the import reads them (events), and those
// publications with their stored JSON form.
import AnnalsInterchange
import AnnalsModel
import AnnalsReports
import AnnalsStatistics
import AnnalsStore
import AnnalsXML
import Foundation

var arguments = CommandLine.arguments.dropFirst()
var target = 1_000_000
var keep: String?
var publicationTarget = 100_000
var breakdownProcedure: String?
while let argument = arguments.popFirst() {
    switch argument {
    case "--tallies": target = Int(arguments.popFirst() ?? "") ?? target
    case "--publications": publicationTarget = Int(arguments.popFirst() ?? "") ?? publicationTarget
    case "--keep": keep = arguments.popFirst()
    case "--breakdowns": breakdownProcedure = arguments.popFirst()
    case "--pubmed-read":
        try timePubMedReading(URL(fileURLWithPath: arguments.popFirst() ?? ""))
        exit(0)
    default:
        print(
            "usage: annals-bench [--tallies N] [--publications N] [--keep FOLDER] [--breakdowns PROCEDURE]"
                + " | --pubmed-read FILE")
        exit(2)
    }
}

let folder =
    keep.map { URL(fileURLWithPath: $0) }
    ?? FileManager.default.temporaryDirectory.appendingPathComponent(
        "annals-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let dbPath = folder.appendingPathComponent("tallies.sqlite").path
defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }

func seconds(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

let departments = (1...10).map { "department-\($0)" }
let campuses = ["campus-a", "campus-b"]
let approaches: [Approach] = [.open, .laparoscopic, .robotic]
let years = 2000..<2025
let perDepartment = approaches.count * campuses.count * years.count * 12
let procedureCount = max(1, target / (departments.count * perDepartment))
let procedures = (1...procedureCount).map {
    Procedure(id: "procedure-\($0)", preferredTerm: "Procedure \($0)", category: "other", grade: $0 % 4 + 1)
}

if !FileManager.default.fileExists(atPath: dbPath) {
    print("Generating \(departments.count * procedures.count * perDepartment) tallies into \(dbPath) …")
    let store = try RegistryStore(path: dbPath)
    let start = DispatchTime.now()
    try store.write(as: ChangeActor("annals-bench"), doing: .importFile(kind: "generated", file: "benchmark data")) {
        tx in
        try tx.upsert(
            OrgUnit(
                id: "hospital", kind: .hospital, name: "Hospital", campuses: campuses.map { Campus(id: $0, name: $0) }))
        for d in departments { try tx.upsert(OrgUnit(id: d, kind: .department, name: d, parentID: "hospital")) }
        for p in procedures { try tx.upsert(p) }
    }
    var generator = SystemRandomNumberGenerator()
    for d in departments {
        try store.write(as: ChangeActor("annals-bench"), doing: .importFile(kind: "generated", file: "benchmark data"))
        { tx in
            for p in procedures {
                for a in approaches {
                    for c in campuses {
                        for y in years {
                            for m in 1...12 {
                                let month = PartialDate(year: y, month: m)!
                                try tx.upsert(
                                    CaseTally(
                                        id: "\(p.id).\(a.rawValue).\(d).\(c).\(month)", procedureID: p.id, approach: a,
                                        departmentID: d,
                                        campusID: c, from: month, to: month,
                                        count: Int.random(in: 0...9, using: &generator)))
                            }
                        }
                    }
                }
            }
        }
    }
    print(String(format: "  generated in %.1f s", seconds(start)))
}

let store = try RegistryStore(path: dbPath)
let total = try store.read { try $0.counts()[.tally] ?? 0 }
print("Registry: \(total) tallies\n")

/// A question as `annals cases` asks it.
struct Question {
    var label: String
    var arguments: [String]
    var filter: TallyFilter
    var window: DayWindow
}

let questions = [
    Question(
        label: "one procedure, all time", arguments: ["cases", "procedure-7"],
        filter: TallyFilter(procedureIDs: ["procedure-7"]), window: DayWindow()),
    Question(
        label: "one procedure, approach, department",
        arguments: ["cases", "procedure-7", "--approach", "laparoscopic", "--department", "department-3"],
        filter: TallyFilter(procedureIDs: ["procedure-7"], approaches: [.laparoscopic], departmentID: "department-3"),
        window: DayWindow()),
    Question(
        label: "one procedure, department, one year",
        arguments: ["cases", "procedure-7", "--department", "department-3", "--from", "2019", "--to", "2019"],
        filter: TallyFilter(procedureIDs: ["procedure-7"], departmentID: "department-3"), window: .year(2019)),
    Question(
        label: "one procedure, campus, surgeon-free, 5 years",
        arguments: ["cases", "procedure-12", "--campus", "campus-b", "--from", "2015", "--to", "2019"],
        filter: TallyFilter(procedureIDs: ["procedure-12"], campusID: "campus-b"),
        window: DayWindow(from: Day(year: 2015, month: 1, day: 1), to: Day(year: 2019, month: 12, day: 31))),
    Question(
        label: "a whole department, all procedures", arguments: ["cases", "--department", "department-3"],
        filter: TallyFilter(departmentID: "department-3"), window: DayWindow()),
    Question(
        label: "the whole registry", arguments: ["cases"], filter: TallyFilter(), window: DayWindow()),
]

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Runs a program with its output discarded and waits for it with waitpid (Foundation's Process
/// polls for the child's exit and would add tens of milliseconds to every measurement).
func run(_ path: String, _ arguments: [String]) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (status >> 8) & 0xff
}

let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("annals")

/// Times breakdowns of one procedure's operations (`annals cases PROCEDURE --by …`, `GET /api/cases?procedure=…&by=…`):
/// in-process as the command runs them (median of 20), and as whole processes (median of 10).
func timeBreakdowns(of procedure: String) throws {
    let vocabulary = try store.read { try $0.procedures() }
    let filter = TallyFilter(procedureIDs: [procedure])
    let breakdowns: [(label: String, by: CaseGrouping, cumulative: Bool)] = [
        ("by year", .year, false), ("by month", .month, false), ("by year, cumulative", .year, true),
        ("by approach", .approach, false), ("by department", .department, false), ("by campus", .campus, false),
    ]
    print(
        "breakdown of \(procedure)                     rows   in-process (median of 20)   whole process (median of 10)")
    for b in breakdowns {
        var inProcess: [Double] = []
        var rows: [CaseRow] = []
        for _ in 0..<20 {
            let start = DispatchTime.now()
            rows = try store.read {
                try CaseStatistics.rows(
                    in: $0, matching: filter, window: DayWindow(), by: b.by, cumulative: b.cumulative,
                    procedures: vocabulary)
            }
            inProcess.append(seconds(start))
        }
        var whole: [Double] = []
        if FileManager.default.isExecutableFile(atPath: binary.path) {
            let arguments = ["cases", procedure, "--by", b.by.rawValue] + (b.cumulative ? ["--cumulative"] : [])
            for _ in 0..<10 {
                let start = DispatchTime.now()
                let status = run(binary.path, arguments + ["--db", dbPath])
                whole.append(seconds(start))
                if status != 0 { print("  annals exited with \(status) for \(arguments)") }
            }
        }
        let exact = rows.filter(\.count.exact).count
        print(
            b.label.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(
                    format: "%6d   %8.2f ms               %8.1f ms", rows.count, median(inProcess) * 1000,
                    whole.isEmpty ? .nan : median(whole) * 1000) + "   (\(exact) exact)")
    }
}
if let breakdownProcedure {
    try timeBreakdowns(of: breakdownProcedure)
    exit(0)
}

print("question                                      rows   in-process (median of 20)   whole process (median of 10)")
var failed = false
for q in questions {
    var inProcess: [Double] = []
    var answer = CaseCount.empty
    var rows = 0
    for _ in 0..<20 {
        let start = DispatchTime.now()
        answer = try store.read { try CaseStatistics.total(in: $0, matching: q.filter, window: q.window) }
        inProcess.append(seconds(start))
        rows = answer.tallies + 0
    }
    var whole: [Double] = []
    if FileManager.default.isExecutableFile(atPath: binary.path) {
        for _ in 0..<10 {
            let start = DispatchTime.now()
            let status = run(binary.path, q.arguments + ["--db", dbPath])
            whole.append(seconds(start))
            if status != 0 { print("  annals exited with \(status) for \(q.arguments)") }
        }
    }
    let inMs = median(inProcess) * 1000
    let wholeMs = whole.isEmpty ? .nan : median(whole) * 1000
    failed = failed || inMs >= 5 || !(wholeMs < 50)
    print(
        q.label.padding(toLength: 44, withPad: " ", startingAt: 0)
            + String(
                format: "%6d   %8.2f ms %@            %8.1f ms %@", rows, inMs, inMs < 5 ? "ok" : "SLOW",
                wholeMs, wholeMs < 50 ? "ok" : "SLOW") + "   (\(answer.figure))")
}
print("\nTargets: under 5 ms in-process, under 50 ms as a whole process.")

// The annual report over the same registry with publications added.
let publicationCount = try store.read { try $0.counts()[.publication] ?? 0 }
if publicationCount < publicationTarget {
    print("\nGenerating \(publicationTarget - publicationCount) publications …")
    let start = DispatchTime.now()
    let journals = (1...200).map { i in
        Journal(
            id: "journal-\(i)", title: "Journal \(i)", isoAbbreviation: "J \(i)", issnPrint: issn(i),
            metrics: (2000...2024).map {
                JournalMetrics(
                    year: $0, indexes: i % 3 == 0 ? [.cscd] : [.scie],
                    impactFactor: DecimalNumber("\(i % 9 + 1).\(i % 7)"), jcrQuartile: i % 4 + 1, casZone: i % 4 + 1)
            })
    }
    try store.write(as: ChangeActor("annals-bench"), doing: .importFile(kind: "generated", file: "benchmark data")) {
        tx in for j in journals { try tx.upsert(j) }
    }
    var index = publicationCount
    while index < publicationTarget {
        try store.write(as: ChangeActor("annals-bench"), doing: .importFile(kind: "generated", file: "benchmark data"))
        { tx in
            for _ in 0..<10_000 where index < publicationTarget {
                index += 1
                let journal = journals[index % journals.count]
                let department = departments[index % departments.count]
                try tx.upsert(
                    Publication(
                        id: "bench-\(index)", kind: .journalArticle,
                        title: MarkupText(plain: "Generated paper \(index) on procedure \(index % 60)"),
                        journal: JournalReference(title: journal.title, issnPrint: journal.issnPrint),
                        published: PartialDate(year: 2000 + index % 25, month: index % 12 + 1), volume: "\(index % 40)",
                        pages: "\(index % 900)-\(index % 900 + 7)",
                        pmid: "\(90_000_000 + index)", languages: ["eng"],
                        authors: (0..<6).map {
                            Author(
                                familyName: "Author\($0)", initials: "AB", affiliations: ["Department \(department)"],
                                isFirst: $0 == 0)
                        },
                        departmentIDs: [department]))
            }
        }
    }
    print(String(format: "  generated in %.1f s", seconds(start)))
}

/// A checksum-correct ISSN for a number.
func issn(_ n: Int) -> String {
    let digits = String(format: "%07d", 1_000_000 + n).suffix(7).map { Int(String($0))! }
    let sum = digits.enumerated().reduce(0) { $0 + $1.element * (8 - $1.offset) }
    let check = (11 - sum % 11) % 11
    return digits.prefix(4).map(String.init).joined() + "-" + digits.suffix(3).map(String.init).joined()
        + (check == 10 ? "X" : "\(check)")
}

print(
    "\nAnnual report for 2020 over \(try store.read { try $0.counts()[.publication] ?? 0 }) publications and \(total) tallies"
)
for (label, department) in [("whole hospital", nil as String?), ("one department", "department-3")] {
    var times: [Double] = []
    var size = 0
    for _ in 0..<5 {
        let start = DispatchTime.now()
        let report = try store.read {
            try AnnualReportBuilder.build(from: $0, year: 2020, department: department, generatedOn: "2025-01-01")
        }
        size = ReportRenderer.html(report).utf8.count
        times.append(seconds(start))
    }
    var whole: [Double] = []
    if FileManager.default.isExecutableFile(atPath: binary.path) {
        for _ in 0..<3 {
            let start = DispatchTime.now()
            // Written into the benchmark's folder, never into the folder it was started from.
            let out = folder.appendingPathComponent("annual-report-2020\(department.map { "-\($0)" } ?? "").html").path
            _ = run(
                binary.path,
                ["report", "--year", "2020", "--as-of", "2025-01-01", "--db", dbPath, "--out", out]
                    + (department.map { ["--department", $0] } ?? []))
            whole.append(seconds(start))
        }
    }
    let inMs = median(times) * 1000
    let wholeMs = whole.isEmpty ? Double.nan : median(whole) * 1000
    failed = failed || wholeMs >= 2000 || inMs >= 2000
    print(
        label.padding(toLength: 20, withPad: " ", startingAt: 0)
            + String(
                format: "in-process %7.0f ms   whole process %7.0f ms   %@   (%d KB of HTML)", inMs, wholeMs,
                wholeMs < 2000 ? "ok" : "SLOW", size / 1024))
}
print("Target: under 2 s.")
if !FileManager.default.isExecutableFile(atPath: binary.path) {
    print("(no annals binary beside annals-bench: build it with `swift build -c release`)")
}
exit(failed ? 1 : 0)

/// The stages of reading a PubMed file, each timed on its own (CPU time of this thread).
func timePubMedReading(_ file: URL) throws {
    func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    var start = cpu()
    var records = 0
    try XMLStreamReader.read(file: file, recordDepth: 1, skipping: PubMedReader.skippedElements) { _ in records += 1 }
    print(String(format: "records as element trees:         %6.2f s CPU (%d records)", cpu() - start, records))
    start = cpu()
    var publications: [Publication] = []
    try PubMedReader.read(file: file, displayName: file.lastPathComponent) { item in
        if case .publication(let p) = item { publications.append(p) }
        if publications.count == 1000 { publications.removeAll(keepingCapacity: true) }
    }
    print(String(format: "publications, as the import reads: %6.2f s CPU", cpu() - start))
    start = cpu()
    var bytes = 0
    try PubMedReader.read(file: file, displayName: file.lastPathComponent) { item in
        if case .publication(let p) = item { bytes += p.canonicalJSON.utf8.count }
    }
    print(String(format: "... and their canonical JSON:     %6.2f s CPU (%d MB)", cpu() - start, bytes >> 20))
}
