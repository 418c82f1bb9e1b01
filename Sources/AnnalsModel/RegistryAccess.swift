/// Read access to a registry, whatever stores it. Every list is in id order.
///
/// The store module provides it over SQLite; importers and exporters work against this protocol,
/// so they never know the database.
public protocol RegistryReading {
    func orgUnits() throws -> [OrgUnit]
    func people() throws -> [Person]
    func journals() throws -> [Journal]
    func procedures() throws -> [Procedure]
    func projects() throws -> [Project]
    /// Every publication, one at a time (a registry may hold very many).
    func forEachPublication(_ body: (Publication) throws -> Void) throws
    /// The publications that match every filter given (nil: no filter), one at a time, in id order:
    /// published in `year`, credited to `department`, with `person` among the authors.
    func forEachPublication(year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void)
        throws
    /// What counting a year's papers needs of each (id, date, journal, departments, retraction, lead authors), for the
    /// papers published in `year` and credited to `department` (nil: all), in id order, without decoding
    /// each paper whole.
    func forEachPublicationSummary(year: Int, department: String?, _ body: (PublicationSummary) throws -> Void) throws
    func patents() throws -> [Patent]
    func awards() throws -> [Award]
    func staffCensus() throws -> [StaffCensus]
    /// Every case tally, one at a time.
    func forEachTally(_ body: (CaseTally) throws -> Void) throws
    /// Which of `ids` exist as records of `kind`.
    func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String>
    /// How many records of each kind the registry holds.
    func counts() throws -> [EntityKind: Int]
    /// The records imports merged as the same paper, oldest first.
    func merges() throws -> [PublicationMerge]
    /// The author matches waiting for a decision (`status` pending), or with the status given (nil: all).
    func reviewItems(status: ReviewItem.Status?) throws -> [ReviewItem]
    /// The records imports left out because they cannot be papers, oldest first.
    func skippedRecords() throws -> [SkippedRecord]
    /// Pairs of publications with the same title, year and first author that were kept apart (their DOIs
    /// or PMIDs differ) and whose merge nobody rejected, by id.
    func duplicateCandidates() throws -> [DuplicateCandidate]
}

/// What writing one record did.
public enum UpsertOutcome: Sendable, Hashable {
    case inserted
    case updated
    /// The registry already held exactly this record.
    case unchanged
}

/// Write access to a registry, inside one transaction. Records are written by id: a new id inserts,
/// a known id replaces the record, an identical record changes nothing.
public protocol RegistryWriting: RegistryReading {
    @discardableResult func upsert(_ unit: OrgUnit) throws -> UpsertOutcome
    @discardableResult func upsert(_ person: Person) throws -> UpsertOutcome
    @discardableResult func upsert(_ journal: Journal) throws -> UpsertOutcome
    @discardableResult func upsert(_ procedure: Procedure) throws -> UpsertOutcome
    @discardableResult func upsert(_ project: Project) throws -> UpsertOutcome
    @discardableResult func upsert(_ publication: Publication) throws -> UpsertOutcome
    @discardableResult func upsert(_ patent: Patent) throws -> UpsertOutcome
    @discardableResult func upsert(_ award: Award) throws -> UpsertOutcome
    @discardableResult func upsert(_ census: StaffCensus) throws -> UpsertOutcome
    @discardableResult func upsert(_ tally: CaseTally) throws -> UpsertOutcome
    /// Writes `tallies` in order, each exactly as `upsert(_:)` would (a row sees the rows before it), and
    /// returns what each write did: many rows to a statement, for imports of many tallies.
    @discardableResult func upsertTallies(_ tallies: [CaseTally]) throws -> [UpsertOutcome]
    /// Notes an import run (kind, file name, content hash, summary) in the registry's import log.
    func logImport(kind: String, file: String, sha256: String, summary: String) throws
}

extension RegistryReading {
    /// From the whole papers, for registries that keep nothing lighter.
    public func forEachPublicationSummary(year: Int, department: String?, _ body: (PublicationSummary) throws -> Void)
        throws
    {
        try forEachPublication(year: year, department: department, person: nil) { try body(PublicationSummary($0)) }
    }

    /// The whole registry as one value (for tests and small registries; exports stream instead).
    public func content() throws -> RegistryContent {
        var content = RegistryContent()
        content.orgUnits = try orgUnits()
        content.people = try people()
        content.journals = try journals()
        content.procedures = try procedures()
        content.projects = try projects()
        try forEachPublication { content.publications.append($0) }
        content.patents = try patents()
        content.awards = try awards()
        content.staffCensus = try staffCensus()
        try forEachTally { content.tallies.append($0) }
        return content
    }
}

extension RegistryWriting {
    /// Writes every record of `content`, in dependency order; returns what each write did.
    public func upsert(_ content: RegistryContent) throws -> [EntityKind: [UpsertOutcome: Int]] {
        var outcomes: [EntityKind: [UpsertOutcome: Int]] = [:]
        func note(_ kind: EntityKind, _ outcome: UpsertOutcome) {
            outcomes[kind, default: [:]][outcome, default: 0] += 1
        }
        for x in content.orgUnits { note(.orgUnit, try upsert(x)) }
        for x in content.people { note(.person, try upsert(x)) }
        for x in content.journals { note(.journal, try upsert(x)) }
        for x in content.procedures { note(.procedure, try upsert(x)) }
        for x in content.projects { note(.project, try upsert(x)) }
        for x in content.publications { note(.publication, try upsert(x)) }
        for x in content.patents { note(.patent, try upsert(x)) }
        for x in content.awards { note(.award, try upsert(x)) }
        for x in content.staffCensus { note(.staffCensus, try upsert(x)) }
        for x in content.tallies { note(.tally, try upsert(x)) }
        return outcomes
    }
}

/// A paper as counting needs it: enough for the SCI rule, the department and retraction.
public struct PublicationSummary: Sendable, Hashable {
    public var id: String
    public var published: PartialDate?
    public var journal: JournalReference?
    public var departmentIDs: [String]
    public var isRetracted: Bool
    /// The people of the registry among its first and corresponding authors, sorted, each once.
    public var leadAuthorIDs: [String]

    public init(
        id: String, published: PartialDate?, journal: JournalReference?, departmentIDs: [String], isRetracted: Bool,
        leadAuthorIDs: [String] = []
    ) {
        self.id = id
        self.published = published
        self.journal = journal
        self.departmentIDs = departmentIDs
        self.isRetracted = isRetracted
        self.leadAuthorIDs = leadAuthorIDs
    }

    public init(_ p: Publication) {
        self.init(
            id: p.id, published: p.published, journal: p.journal, departmentIDs: p.departmentIDs,
            isRetracted: p.isRetracted,
            leadAuthorIDs: Set(p.authors.filter { $0.isFirst || $0.isCorresponding }.compactMap(\.personID)).sorted())
    }
}
