public import AnnalsDiagnostics

/// Which case tallies a question is about; nil fields do not filter.
public struct TallyFilter: Sendable, Hashable {
    public var procedureIDs: Set<String>?
    public var approaches: Set<Approach>?
    public var departmentID: String?
    public var campusID: String?
    public var surgeonID: String?

    public init(
        procedureIDs: Set<String>? = nil, approaches: Set<Approach>? = nil, departmentID: String? = nil,
        campusID: String? = nil, surgeonID: String? = nil
    ) {
        self.procedureIDs = procedureIDs
        self.approaches = approaches
        self.departmentID = departmentID
        self.campusID = campusID
        self.surgeonID = surgeonID
    }
}

extension TallyFilter {
    /// The filter's procedures, department and a single approach only: what a registry can look up in series
    /// order without sorting (`tallyWindowSums`); `admits` applies the rest to each series afterwards.
    public var procedureAndDepartment: TallyFilter {
        TallyFilter(
            procedureIDs: procedureIDs, approaches: approaches?.count == 1 ? approaches : nil,
            departmentID: departmentID)
    }

    /// True when the tallies of `series` match the filter.
    public func admits(_ series: TallySeries) -> Bool {
        (procedureIDs?.contains(series.procedureID) ?? true) && (approaches?.contains(series.approach) ?? true)
            && (departmentID.map { $0 == series.departmentID } ?? true)
            && (campusID.map { $0 == series.campusID } ?? true)
            && (surgeonID.map { $0 == series.surgeonID } ?? true)
    }
}

/// Two case tallies that would count the same operations twice.
public struct TallyConflict: Sendable, Hashable {
    public var first: CaseTally
    public var second: CaseTally

    public init(first: CaseTally, second: CaseTally) {
        self.first = first
        self.second = second
    }
}

/// One earlier version of a record that was replaced under its own id (a tally's are `TallyRevision`s).
public struct RecordRevision: Sendable, Hashable {
    public var kind: EntityKind
    public var id: String
    /// The record as it was, as canonical JSON (sorted keys).
    public var body: String
    /// When it was replaced (ISO 8601).
    public var replacedAt: String
    /// Who replaced it: the login name of the user who ran the import.
    public var replacedBy: String

    public init(kind: EntityKind, id: String, body: String, replacedAt: String, replacedBy: String) {
        self.kind = kind
        self.id = id
        self.body = body
        self.replacedAt = replacedAt
        self.replacedBy = replacedBy
    }
}

/// One earlier version of a corrected tally.
public struct TallyRevision: Sendable, Hashable {
    public var tally: CaseTally
    /// When it was replaced (ISO 8601).
    public var replacedAt: String

    public init(tally: CaseTally, replacedAt: String) {
        self.tally = tally
        self.replacedAt = replacedAt
    }
}

/// The operations of all tallies (of one group) that share one period: what counting needs, without
/// the tallies themselves (a million tallies have only a few hundred distinct periods).
public struct TallyPeriodSum: Sendable, Hashable {
    /// The period's first day; nil for a cumulative baseline.
    public var from: Day?
    public var to: Day
    public var count: Int
    /// How many tallies were added up.
    public var tallies: Int

    public init(from: Day?, to: Day, count: Int, tallies: Int) {
        self.from = from
        self.to = to
        self.count = count
        self.tallies = tallies
    }

    /// The sums of `tallies` by period.
    public static func of(_ tallies: [CaseTally]) -> [TallyPeriodSum] {
        var sums: [PeriodKey: TallyPeriodSum] = [:]
        for t in tallies {
            let key = PeriodKey(from: t.from?.firstDay, to: t.to.lastDay)
            sums[key, default: TallyPeriodSum(from: key.from, to: key.to, count: 0, tallies: 0)].count += t.count
            sums[key]!.tallies += 1
        }
        return sums.values.sorted { ($0.from?.ordinal ?? Int.min, $0.to) < ($1.from?.ordinal ?? Int.min, $1.to) }
    }

    private struct PeriodKey: Hashable {
        var from: Day?
        var to: Day
    }
}

/// The tallies of one series lying wholly inside one window, added up: what checking that a series
/// covers the window needs (`TallyReading.tallyWindowSums`). No two tallies of a series overlap (the
/// overlap rule holds on every write path), so the series covers the window exactly when `days`
/// equals the window's length.
public struct TallyWindowSum: Sendable, Hashable {
    public var count: Int
    public var tallies: Int
    /// The days the tallies cover, added up; a cumulative baseline's run from `Day.first`.
    public var days: Int
    /// The first and last day the tallies cover (a baseline's from `Day.first`); nil without tallies, and when
    /// the registry did not read them (it does for a single window open at the start). With no
    /// overlap, the tallies cover first…last without a hole exactly when `days` is that span's length.
    public var first: Day?
    public var last: Day?
    /// How many of the tallies are cumulative baselines (open at the start), and their count: read with
    /// `first` and `last`, zero when those are not.
    public var baselines: Int
    public var baseline: Int

    public init(
        count: Int = 0, tallies: Int = 0, days: Int = 0, first: Day? = nil, last: Day? = nil, baselines: Int = 0,
        baseline: Int = 0
    ) {
        self.count = count
        self.tallies = tallies
        self.days = days
        self.first = first
        self.last = last
        self.baselines = baselines
        self.baseline = baseline
    }

    /// Whether the tallies cover `first…last` without a hole.
    public var isContiguous: Bool {
        guard let first, let last else { return false }
        return days == last.ordinal - first.ordinal + 1
    }

    public static func + (a: TallyWindowSum, b: TallyWindowSum) -> TallyWindowSum {
        TallyWindowSum(
            count: a.count + b.count, tallies: a.tallies + b.tallies, days: a.days + b.days,
            first: [a.first, b.first].compactMap { $0 }.min(), last: [a.last, b.last].compactMap { $0 }.max(),
            baselines: a.baselines + b.baselines, baseline: a.baseline + b.baseline)
    }
}

/// One procedure by one approach, over every department, campus and surgeon: a line of the report's tables.
public struct TallyLine: Sendable, Hashable, Comparable {
    public var procedureID: String
    public var approach: Approach

    public init(procedureID: String, approach: Approach) {
        self.procedureID = procedureID
        self.approach = approach
    }

    public static func < (a: TallyLine, b: TallyLine) -> Bool {
        (a.procedureID, a.approach.rawValue) < (b.procedureID, b.approach.rawValue)
    }
}

/// One series of tallies: one procedure by one approach in one department, for one campus or the
/// whole department, and by one surgeon or all. A total is exact only when every series in it is.
public struct TallySeries: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var procedureID: String
    public var approach: Approach
    public var departmentID: String
    public var campusID: String?
    public var surgeonID: String?

    public init(
        procedureID: String, approach: Approach, departmentID: String, campusID: String? = nil, surgeonID: String? = nil
    ) {
        self.procedureID = procedureID
        self.approach = approach
        self.departmentID = departmentID
        self.campusID = campusID
        self.surgeonID = surgeonID
    }

    public static func < (a: TallySeries, b: TallySeries) -> Bool {
        (a.procedureID, a.approach.rawValue, a.departmentID, a.campusID ?? "", a.surgeonID ?? "")
            < (b.procedureID, b.approach.rawValue, b.departmentID, b.campusID ?? "", b.surgeonID ?? "")
    }

    /// "laparoscopic choledochal-cyst-excision, general-surgery, campus binjiang".
    public var description: String {
        "\(approach.rawValue) \(procedureID), \(departmentID)" + (campusID.map { ", campus \($0)" } ?? "")
            + (surgeonID.map { ", surgeon \($0)" } ?? "")
    }
}

/// A column case questions break counts down by.
public enum TallyKey: String, Sendable, CaseIterable {
    case department, campus, approach, surgeon, procedure
}

/// The tally questions a registry answers.
public protocol TallyReading: RegistryReading {
    /// The tallies matching `filter` summed by period, and by `key` when given (nil key: tallies with no
    /// campus or surgeon). The registry adds them up itself, so a question over a million tallies
    /// moves only a few hundred sums.
    func tallySums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]]
    /// The tallies matching `filter` summed by procedure and approach (over departments, campuses and surgeons)
    /// and period, periods in order: the running totals behind milestones, in one pass.
    func tallyLineSums(matching filter: TallyFilter) throws -> [TallyLine: [TallyPeriodSum]]
    /// The tallies matching `filter` summed by series and period: every series the registry holds
    /// tallies for in any period is a key; its list has the sums of its tallies that overlap the days
    /// `from`…`to` (nil: open), and is empty when none does.
    func tallySeriesSums(matching filter: TallyFilter, from: Day?, to: Day?) throws -> [TallySeries: [TallyPeriodSum]]
    /// The tallies matching `filter` added up by series, for each of `windows` (a window open at the start
    /// begins on `Day.first`), counting only the tallies lying wholly inside it: every series the registry
    /// holds tallies for in any period is a key, with one sum per window, in order (zero where none lies
    /// inside). A few thousand rows where `tallySeriesSums` gives one per series and period.
    func tallyWindowSums(matching filter: TallyFilter, windows: [ClosedRange<Day>]) throws -> [TallySeries:
        [TallyWindowSum]]
    /// How many tallies match `filter`, or nil when more than `limit` do: counted no further than that, so
    /// a question can find out cheaply whether it is a small one.
    func tallyCount(matching filter: TallyFilter, atMost limit: Int) throws -> Int?
    /// The tallies matching `filter`, in id order.
    func tallies(matching filter: TallyFilter) throws -> [CaseTally]
    /// Every tally of `procedures` (all when nil) as the rule against counting twice needs it, ordered by
    /// procedure, then first day (cumulative baselines first), then last day; one at a time.
    func forEachTallyEntry(procedures: Set<String>?, _ body: (TallyPeriodEntry) throws -> Void) throws
    /// One tally by id.
    func tally(id: String) throws -> CaseTally?
    /// Earlier versions of a tally, oldest first.
    func tallyHistory(id: String) throws -> [TallyRevision]
}

extension TallyReading {
    /// Pairs of tallies that would count the same operations twice (`TallyOverlapSweep`: same procedure
    /// and approach, overlapping periods, and on every level — hospital and department, campus, surgeon —
    /// the same or one containing the other). Only pairs with at least one tally `involving` accepts
    /// (`{ _ in true }`: all pairs), among the tallies of `procedures` (all when nil); the first `limit`
    /// pairs are kept.
    public func tallyOverlaps(
        procedures: Set<String>?, involving: (TallyPeriodEntry) -> Bool, limit: Int = 100
    ) throws -> TallyOverlapFindings {
        var sweep = TallyOverlapSweep(orgUnits: try orgUnits())
        var pairs: [(String, String)] = []
        var total = 0
        try forEachTallyEntry(procedures: procedures) { entry in
            let incoming = involving(entry)
            sweep.add(entry) { other in
                guard incoming || involving(other) else { return }
                total += 1
                if pairs.count < limit {
                    pairs.append(entry.id < other.id ? (entry.id, other.id) : (other.id, entry.id))
                }
            }
        }
        guard sweep.inOrder else {
            throw TallyOrderError()
        }
        var conflicts: [TallyConflict] = []
        for (a, b) in pairs.sorted(by: { $0 < $1 }) {
            guard let first = try tally(id: a), let second = try tally(id: b) else { continue }
            conflicts.append(TallyConflict(first: first, second: second))
        }
        return TallyOverlapFindings(conflicts: conflicts, total: total)
    }

    /// Every pair of tallies that would count the same operations twice; only pairs involving `ids` when given.
    public func tallyConflicts(involving ids: Set<String>?) throws -> [TallyConflict] {
        if let ids, ids.isEmpty { return [] }
        return try tallyOverlaps(procedures: nil, involving: { ids?.contains($0.id) ?? true }, limit: .max).conflicts
    }
}

/// The registry handed the overlap check its tallies out of order: a fault in Annals, not in the data.
public struct TallyOrderError: Error, CustomStringConvertible, DiagnosticConvertible {
    public init() {}
    /// One `tally.orderFault` error.
    public var diagnostics: [Diagnostic] { [Diagnostic(.tallyOrderFault, at: .init(), message: description)] }
    public var description: String {
        "the registry returned case tallies out of period order, so the check against counting twice could not be made; nothing was changed. Please report this."
    }
}
