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

/// Two case tallies that would count the same operations twice.
public struct TallyConflict: Sendable, Hashable {
    public var first: CaseTally
    public var second: CaseTally

    public init(first: CaseTally, second: CaseTally) {
        self.first = first
        self.second = second
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

/// The tally questions a registry answers.
public protocol TallyReading: RegistryReading {
    /// The tallies matching `filter`, in id order.
    func tallies(matching filter: TallyFilter) throws -> [CaseTally]
    /// Pairs of tallies for the same procedure, approach and department, on the same campus (or one of
    /// them for the whole department) and by the same surgeon (or one for all surgeons), whose periods
    /// overlap. Only pairs involving `ids` when given.
    func tallyConflicts(involving ids: Set<String>?) throws -> [TallyConflict]
    /// Earlier versions of a tally, oldest first.
    func tallyHistory(id: String) throws -> [TallyRevision]
}
