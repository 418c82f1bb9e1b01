public import AnnalsModel
public import Foundation

/// Read access on a backend (SQLite's `RegistrySnapshot`, PostgreSQL's `PostgresSnapshot`).
protocol StoreReading: TallyReading, ChangeLogSQL {
    func totalCases() throws -> Int
    func publication(id: String) throws -> Publication?
    func recordHistory(_ kind: EntityKind, id: String) throws -> [RecordRevision]
    /// The content of attachment `id` (bytes: SQLite BLOB, PostgreSQL bytea).
    func attachmentContent(id: String) throws -> Data?
}

/// Write access on a backend, inside one transaction.
protocol StoreWriting: StoreReading, PublicationWriting {
    /// Who writes and why; set once, before the transaction's body runs.
    var change: ChangeContext? { get set }
    /// Writes the log line of this transaction if it is not written yet; returns its number.
    func changeLineID() throws -> Int
    /// Writes the records' rows under this transaction's line (the line first, if need be), in one go.
    func logChanges(_ records: [RecordChange]) throws
    /// Runs one statement written with `?1`, `?2` … (see `ChangeLogSQL`).
    func execute(_ sql: String, _ arguments: [String?]) throws
    /// Keeps an attachment's row with its content.
    func insertAttachment(_ attachment: Attachment, content: Data) throws
}

/// One way of keeping a registry. `RegistryStore` holds exactly one and forwards to it; the SQLite
/// backend is GRDB over a file, the PostgreSQL backend postgres-nio over a server.
protocol RegistryBackend: Sendable {
    /// How the registry is named to the user: the file's path, or the server URL without its password.
    var displayName: String { get }
    /// True when opening created the registry (a new file, or a server database given its tables now).
    var isNew: Bool { get }
    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T
    func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T
    func dryRun<T>(_ body: (any StoreWriting) throws -> T) throws -> T
    func check() throws -> [String]
    func backup(to destination: String) throws
    /// Every row of every table in `tables` (all of its columns, ordered by them), from one consistent snapshot,
    /// handed over up to 1,000 rows at a time, for copying a registry whole.
    func forEachRowBatch(of tables: [StoreTable], _ body: (StoreTable, [[StoreValue]]) throws -> Void) throws
    /// How many rows `table` holds.
    func rowCount(of table: StoreTable) throws -> Int
    /// Runs `fill` in one write transaction; `fill` hands rows (as `forEachRowBatch` gives them) to the
    /// function it gets, which writes them into their table. Afterwards, numbering of serial columns goes on
    /// from the largest number copied.
    func copyIn(_ fill: (_ insert: (StoreTable, [[StoreValue]]) throws -> Void) throws -> Void) throws
}

extension RegistrySnapshot: StoreReading {}
extension RegistryTransaction: StoreWriting {}

/// Read access to the registry inside `RegistryStore.read`, the same on every backend: the model's
/// `RegistryReading` and `TallyReading`, so that importers, exporters and reports never see SQL.
public class RegistryReader: TallyReading {
    let reading: any StoreReading

    init(_ reading: any StoreReading) { self.reading = reading }

    public func orgUnits() throws -> [OrgUnit] { try reading.orgUnits() }
    public func people() throws -> [Person] { try reading.people() }
    public func journals() throws -> [Journal] { try reading.journals() }
    public func procedures() throws -> [Procedure] { try reading.procedures() }
    public func projects() throws -> [Project] { try reading.projects() }
    public func forEachPublication(_ body: (Publication) throws -> Void) throws { try reading.forEachPublication(body) }
    /// The paper with id `id`, or nil (read by its key, not by going through the papers).
    public func publication(id: String) throws -> Publication? { try reading.publication(id: id) }
    /// The papers matching the filters, newest year first (undated last), then by id: `limit` of them from
    /// `offset` on, with how many match in all (counted and ordered by the database; only these are read whole).
    public func publicationPage(year: Int?, department: String?, offset: Int, limit: Int) throws -> PublicationPage {
        try reading.publicationPage(year: year, department: department, offset: offset, limit: limit)
    }
    /// A text that changes whenever the registry's records change (see the change log): what is made from
    /// the registry at one stamp holds for as long as the stamp stays the same.
    public func changeStamp() throws -> String { try reading.changeStamp() }
    /// The newest year a paper (credited to `department`; nil: any) is published in; nil when none is dated.
    public func latestPublicationYear(department: String?) throws -> Int? {
        try reading.latestPublicationYear(department: department)
    }
    public func forEachPublication(
        year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void
    ) throws {
        try reading.forEachPublication(year: year, department: department, person: person, body)
    }
    public func forEachPublicationSummary(year: Int, department: String?, _ body: (PublicationSummary) throws -> Void)
        throws
    {
        try reading.forEachPublicationSummary(year: year, department: department, body)
    }
    public func patents() throws -> [Patent] { try reading.patents() }
    public func awards() throws -> [Award] { try reading.awards() }
    public func staffCensus() throws -> [StaffCensus] { try reading.staffCensus() }
    public func forEachTally(_ body: (CaseTally) throws -> Void) throws { try reading.forEachTally(body) }
    public func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        try reading.existing(kind, among: ids)
    }
    public func counts() throws -> [EntityKind: Int] { try reading.counts() }
    public func merges() throws -> [PublicationMerge] { try reading.merges() }
    public func reviewItems(status: ReviewItem.Status?) throws -> [ReviewItem] {
        try reading.reviewItems(status: status)
    }
    public func skippedRecords() throws -> [SkippedRecord] { try reading.skippedRecords() }
    public func duplicateCandidates() throws -> [DuplicateCandidate] { try reading.duplicateCandidates() }
    /// The sum of all case tallies, for a quick summary.
    public func totalCases() throws -> Int { try reading.totalCases() }

    public func tallySums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        try reading.tallySums(matching: filter, by: key)
    }
    public func tallyLineSums(matching filter: TallyFilter) throws -> [TallyLine: [TallyPeriodSum]] {
        try reading.tallyLineSums(matching: filter)
    }
    public func tallySeriesSums(matching filter: TallyFilter, from: Day?, to: Day?) throws -> [TallySeries:
        [TallyPeriodSum]]
    {
        try reading.tallySeriesSums(matching: filter, from: from, to: to)
    }
    public func tallyWindowSums(matching filter: TallyFilter, windows: [ClosedRange<Day>]) throws -> [TallySeries:
        [TallyWindowSum]]
    {
        try reading.tallyWindowSums(matching: filter, windows: windows)
    }
    public func tallyCount(matching filter: TallyFilter, atMost limit: Int) throws -> Int? {
        try reading.tallyCount(matching: filter, atMost: limit)
    }
    public func tallies(matching filter: TallyFilter) throws -> [CaseTally] { try reading.tallies(matching: filter) }
    public func forEachTallyEntry(procedures: Set<String>?, _ body: (TallyPeriodEntry) throws -> Void) throws {
        try reading.forEachTallyEntry(procedures: procedures, body)
    }
    public func tally(id: String) throws -> CaseTally? { try reading.tally(id: id) }
    public func tallyHistory(id: String) throws -> [TallyRevision] { try reading.tallyHistory(id: id) }
    /// The earlier versions of a record replaced under its own id (a new title, principal investigator,
    /// funder or department), oldest first.
    public func recordHistory(_ kind: EntityKind, id: String) throws -> [RecordRevision] {
        try reading.recordHistory(kind, id: id)
    }

    /// The change log, oldest first: every line from `since` on (nil: all). With `recordID`, only the lines
    /// that changed a record with that id (of `kind`, when given), each with that record's changes and both
    /// versions filled in; otherwise each line with its records, at most `recordsPerChange` of them (nil: all).
    public func history(recordID: String? = nil, kind: String? = nil, since: Date? = nil, recordsPerChange: Int? = nil)
        throws
        -> [ChangeEntry]
    {
        try reading.changeEntries(
            recordID: recordID, kind: kind, since: since.map(ChangeEntry.timestamp), recordsPerChange: recordsPerChange)
    }

    /// The records that refer to record `kind` `id` (a few of each kind of reference), which would stop it being deleted.
    public func referrers(of kind: EntityKind, id: String) throws -> [Referrer] {
        try reading.referrers(of: kind, id: id)
    }
}

/// Write access to the registry inside `RegistryStore.write` (one transaction), the same on every backend.
public final class RegistryWriter: RegistryReader, PublicationWriting {
    let writing: any StoreWriting

    init(_ writing: any StoreWriting) {
        self.writing = writing
        super.init(writing)
    }

    @discardableResult public func upsert(_ unit: OrgUnit) throws -> UpsertOutcome { try writing.upsert(unit) }
    @discardableResult public func upsert(_ person: Person) throws -> UpsertOutcome { try writing.upsert(person) }
    @discardableResult public func upsert(_ journal: Journal) throws -> UpsertOutcome { try writing.upsert(journal) }
    @discardableResult public func upsert(_ procedure: Procedure) throws -> UpsertOutcome {
        try writing.upsert(procedure)
    }
    @discardableResult public func upsert(_ project: Project) throws -> UpsertOutcome { try writing.upsert(project) }
    @discardableResult public func upsert(_ publication: Publication) throws -> UpsertOutcome {
        try writing.upsert(publication)
    }
    @discardableResult public func upsert(_ publication: Publication, importKey: String?) throws -> UpsertOutcome {
        try writing.upsert(publication, importKey: importKey)
    }
    @discardableResult public func upsert(_ patent: Patent) throws -> UpsertOutcome { try writing.upsert(patent) }
    @discardableResult public func upsert(_ award: Award) throws -> UpsertOutcome { try writing.upsert(award) }
    @discardableResult public func upsert(_ census: StaffCensus) throws -> UpsertOutcome { try writing.upsert(census) }
    @discardableResult public func upsert(_ tally: CaseTally) throws -> UpsertOutcome { try writing.upsert(tally) }
    @discardableResult public func upsertTallies(_ tallies: [CaseTally]) throws -> [UpsertOutcome] {
        try writing.upsertTallies(tallies)
    }
    public func logImport(kind: String, file: String, sha256: String, summary: String) throws {
        try writing.logImport(kind: kind, file: file, sha256: sha256, summary: summary)
    }

    public func publicationIdentifiers(id: String) throws -> PublicationIdentifiers? {
        try writing.publicationIdentifiers(id: id)
    }
    public func publicationID(pmid: String) throws -> String? { try writing.publicationID(pmid: pmid) }
    public func publicationID(doi: String) throws -> String? { try writing.publicationID(doi: doi) }
    public func publicationIDs(title: String, year: Int, firstAuthor: String) throws -> [String] {
        try writing.publicationIDs(title: title, year: year, firstAuthor: firstAuthor)
    }
    public func sameRecordCandidates(
        id: String, pmid: String?, doi: String?, title: String, year: Int?, firstAuthor: String?
    ) throws -> SameRecordCandidates {
        try writing.sameRecordCandidates(
            id: id, pmid: pmid, doi: doi, title: title, year: year, firstAuthor: firstAuthor)
    }
    public func deletePublication(id: String) throws -> Bool { try writing.deletePublication(id: id) }
    @discardableResult public func recordMerge(_ merge: PublicationMerge) throws -> Bool {
        try writing.recordMerge(merge)
    }
    public func merge(id: Int) throws -> PublicationMerge? { try writing.merge(id: id) }
    public func rejectMerge(id: Int) throws { try writing.rejectMerge(id: id) }
    public func isMergeRejected(_ first: String, _ second: String) throws -> Bool {
        try writing.isMergeRejected(first, second)
    }
    public func reviewStatus(publicationID: String, authorPosition: Int, personID: String) throws -> ReviewItem.Status?
    {
        try writing.reviewStatus(publicationID: publicationID, authorPosition: authorPosition, personID: personID)
    }
    public func addReviewItem(_ item: ReviewItem) throws { try writing.addReviewItem(item) }
    public func addSkippedRecord(_ record: SkippedRecord) throws { try writing.addSkippedRecord(record) }
    public func reviewItem(id: Int) throws -> ReviewItem? { try writing.reviewItem(id: id) }
    public func decideReview(id: Int, status: ReviewItem.Status) throws {
        try writing.decideReview(id: id, status: status)
    }

    /// Logs records changed outside the record writers above (a batched insert, for one), all in one go,
    /// under this write's line of the change log. `before` and `after` are the records' canonical JSON.
    public func logChanges(_ records: [RecordChange]) throws { try writing.logChanges(records) }

    /// Removes record `kind` `id` (its lists with it), logging it with its last version; refuses with
    /// `DeleteRefused`, naming them, while other records refer to it. False when there is no such record.
    public func delete(_ kind: EntityKind, id: String) throws -> Bool { try writing.delete(kind, id: id) }
}

@available(*, unavailable)
extension RegistryReader: Sendable {}
