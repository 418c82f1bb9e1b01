/// The largest count Annals keeps: the registry schema's `xs:int` (2,147,483,647). Every import path,
/// the store and `annals check` hold counts to it, so that any sum of a registry's counts fits in `Int`.
public enum CountLimit {
    public static let maximum = 2_147_483_647

    /// True for 0 through `maximum`.
    public static func allows(_ count: Int) -> Bool { count >= 0 && count <= maximum }

    /// "2,147,483,647"
    public static var maximumText: String { "2,147,483,647" }
}

/// What makes a tally the tally it is: its series (procedure, approach, organisation unit, campus,
/// surgeon) and its period in days. Two tallies with the same identity are the same count; a newer one
/// replaces the older, whatever their ids or the files they came from.
public struct TallyIdentity: Sendable, Hashable {
    public var procedureID: String
    public var approach: String
    public var departmentID: String
    public var campusID: String?
    public var surgeonID: String?
    /// The first day (`YYYY-MM-DD`), nil for a cumulative baseline.
    public var fromDay: String?
    public var toDay: String

    public init(
        procedureID: String, approach: String, departmentID: String, campusID: String?, surgeonID: String?,
        fromDay: String?, toDay: String
    ) {
        self.procedureID = procedureID
        self.approach = approach
        self.departmentID = departmentID
        self.campusID = campusID
        self.surgeonID = surgeonID
        self.fromDay = fromDay
        self.toDay = toDay
    }
}

extension CaseTally {
    /// The tally's series and period (`TallyIdentity`).
    public var identity: TallyIdentity {
        TallyIdentity(
            procedureID: procedureID, approach: approach.rawValue, departmentID: departmentID, campusID: campusID,
            surgeonID: surgeonID, fromDay: from?.firstDay.description, toDay: to.lastDay.description)
    }
}

/// One tally as the rule against counting twice sees it: id, series and period.
public struct TallyPeriodEntry: Sendable, Hashable {
    public var id: String
    public var identity: TallyIdentity

    public init(id: String, identity: TallyIdentity) {
        self.id = id
        self.identity = identity
    }
}

/// The registry's rule that no operation is counted twice, as one streaming pass.
///
/// Two tallies count the same operations when they are for the same procedure and approach, their
/// periods share a day, and on every level of the organisation one contains the other:
/// - unit: the same department, or one is the hospital (or another unit above) the other belongs to;
/// - campus: the same campus, or one is for all campuses;
/// - surgeon: the same surgeon, or one is for all surgeons.
///
/// Feed it every tally of the procedures in question ordered by procedure, then by the first day
/// (cumulative baselines first); each tally is compared only with the earlier ones whose periods
/// have not ended yet in the same procedure, approach and hospital. Memory and time grow with the
/// number of tallies running at once, not with the number of tallies.
public struct TallyOverlapSweep {
    private struct Group: Hashable {
        var approach: String
        var root: String
    }

    /// Each unit with the units above it, nearest first.
    private let chains: [String: [String]]
    private var procedure: String?
    private var lastFrom: String?
    private var active: [Group: [TallyPeriodEntry]] = [:]
    /// False once a tally came out of order (a store bug); the caller must not trust the result.
    public private(set) var inOrder = true

    public init(orgUnits: [OrgUnit]) {
        let parents = Dictionary(orgUnits.map { ($0.id, $0.parentID) }, uniquingKeysWith: { a, _ in a })
        var chains: [String: [String]] = [:]
        for unit in orgUnits {
            var chain = [unit.id]
            var next = parents[unit.id] ?? nil
            while let parent = next, !chain.contains(parent) {
                chain.append(parent)
                next = parents[parent] ?? nil
            }
            chains[unit.id] = chain
        }
        self.chains = chains
    }

    private func chain(_ unit: String) -> [String] { chains[unit] ?? [unit] }

    /// Whether two units are the same or one lies within the other.
    public func nested(_ a: String, _ b: String) -> Bool {
        a == b || chain(a).contains(b) || chain(b).contains(a)
    }

    /// Whether `a` and `b` would count the same operations (the rule above, for any two tallies).
    public func overlap(_ a: TallyIdentity, _ b: TallyIdentity) -> Bool {
        a.procedureID == b.procedureID && a.approach == b.approach
            && (a.campusID == nil || b.campusID == nil || a.campusID == b.campusID)
            && (a.surgeonID == nil || b.surgeonID == nil || a.surgeonID == b.surgeonID)
            && (a.fromDay.map { b.toDay >= $0 } ?? true) && (b.fromDay.map { a.toDay >= $0 } ?? true)
            && nested(a.departmentID, b.departmentID)
    }

    /// Adds the next tally and calls `conflict` with every earlier one it overlaps.
    public mutating func add(_ entry: TallyPeriodEntry, conflict: (TallyPeriodEntry) throws -> Void) rethrows {
        let t = entry.identity
        if t.procedureID != procedure {
            procedure = t.procedureID
            active.removeAll(keepingCapacity: true)
            lastFrom = nil
        } else if let from = t.fromDay, let last = lastFrom, from < last {
            inOrder = false
        } else if t.fromDay == nil, lastFrom != nil {
            inOrder = false
        }
        lastFrom = t.fromDay ?? lastFrom
        let group = Group(approach: t.approach, root: chain(t.departmentID).last ?? t.departmentID)
        var running = active.removeValue(forKey: group) ?? []
        // Earlier tallies start on or before this one's first day: they overlap it unless they ended before it.
        var kept = 0
        for index in running.indices {
            let other = running[index]
            if let from = t.fromDay, other.identity.toDay < from { continue }
            running[kept] = other
            kept += 1
            if overlap(other.identity, t) { try conflict(other) }
        }
        running.removeLast(running.count - kept)
        running.append(entry)
        active[group] = running
    }
}

/// Tallies that count the same operations twice, as far as a caller asked to know.
public struct TallyOverlapFindings: Sendable {
    /// The first pairs found (at most the limit asked for), each with the lower id first, sorted.
    public var conflicts: [TallyConflict]
    /// How many pairs there are in all.
    public var total: Int

    public init(conflicts: [TallyConflict], total: Int) {
        self.conflicts = conflicts
        self.total = total
    }
}
