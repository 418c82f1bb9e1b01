// The registry the office targets read against: the sample registry (Samples/registry.xml: its hospital,
// departments, campuses, people, projects and papers) and the built-in procedure vocabulary, held in memory.
// A spreadsheet import and a form read names, departments, procedures and the records a row may correct from
// the registry before anything is written; this registry answers those questions and refuses every write
// (`NotStored`), so a fuzz execution stops where storing would begin and the registry never changes between
// executions.
import AnnalsInterchange
import AnnalsModel
import Foundation

final class FuzzRegistry: PublicationWriting, TallyReading {
    /// A write, or a question only storing asks: the fuzz targets stop before storing.
    struct NotStored: Error {}

    let content: RegistryContent

    init(content: RegistryContent) { self.content = content }

    /// The sample registry and the built-in procedures, read once.
    static func sample() throws -> FuzzRegistry {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Samples/registry.xml").standardizedFileURL
        var content = try RegistryImporter.read(file: samples, displayName: "registry.xml").content
        content.procedures = try ProcedureVocabulary.builtIn()
        return FuzzRegistry(content: content)
    }

    // MARK: Reading

    func orgUnits() throws -> [OrgUnit] { content.orgUnits }
    func people() throws -> [Person] { content.people }
    func journals() throws -> [Journal] { content.journals }
    func procedures() throws -> [Procedure] { content.procedures }
    func projects() throws -> [Project] { content.projects }
    func forEachPublication(_ body: (Publication) throws -> Void) throws { try content.publications.forEach(body) }
    func forEachPublication(
        year: Int?, department: String?, person: String?, _ body: (Publication) throws -> Void
    ) throws {
        for p in content.publications {
            if let year, p.published?.year != year { continue }
            if let department, !p.departmentIDs.contains(department) { continue }
            if let person, !p.authors.contains(where: { $0.personID == person }) { continue }
            try body(p)
        }
    }
    func patents() throws -> [Patent] { content.patents }
    func awards() throws -> [Award] { content.awards }
    func staffCensus() throws -> [StaffCensus] { content.staffCensus }
    func forEachTally(_ body: (CaseTally) throws -> Void) throws { try content.tallies.forEach(body) }
    func existing(_ kind: EntityKind, among ids: Set<String>) throws -> Set<String> {
        let all: [String]
        switch kind {
        case .orgUnit: all = content.orgUnits.map(\.id)
        case .person: all = content.people.map(\.id)
        case .journal: all = content.journals.map(\.id)
        case .procedure: all = content.procedures.map(\.id)
        case .project: all = content.projects.map(\.id)
        case .publication: all = content.publications.map(\.id)
        case .patent: all = content.patents.map(\.id)
        case .award: all = content.awards.map(\.id)
        case .staffCensus: all = content.staffCensus.map(\.id)
        case .tally: all = content.tallies.map(\.id)
        default: all = []
        }
        return ids.intersection(all)
    }
    func counts() throws -> [EntityKind: Int] { content.counts }
    func merges() throws -> [PublicationMerge] { [] }
    func reviewItems(status: ReviewItem.Status?) throws -> [ReviewItem] { [] }
    func skippedRecords() throws -> [SkippedRecord] { [] }
    func duplicateCandidates() throws -> [DuplicateCandidate] { [] }

    func publication(id: String) throws -> Publication? { content.publications.first { $0.id == id } }
    func publicationID(pmid: String) throws -> String? { content.publications.first { $0.pmid == pmid }?.id }
    func publicationID(doi: String) throws -> String? {
        content.publications.first { $0.doi?.lowercased() == doi }?.id
    }
    func publicationIDs(title: String, year: Int, firstAuthor: String) throws -> [String] { [] }
    func merge(id: Int) throws -> PublicationMerge? { nil }
    func isMergeRejected(_ first: String, _ second: String) throws -> Bool { false }
    func reviewStatus(publicationID: String, authorPosition: Int, personID: String) throws -> ReviewItem.Status? {
        nil
    }
    func reviewItem(id: Int) throws -> ReviewItem? { nil }

    func tally(id: String) throws -> CaseTally? { content.tallies.first { $0.id == id } }
    func tallyHistory(id: String) throws -> [TallyRevision] { [] }

    // Sums and overlaps are asked once tallies are written: never here.
    func tallySums(matching filter: TallyFilter, by key: TallyKey?) throws -> [String?: [TallyPeriodSum]] {
        throw NotStored()
    }
    func tallyLineSums(matching filter: TallyFilter) throws -> [TallyLine: [TallyPeriodSum]] { throw NotStored() }
    func tallySeriesSums(matching filter: TallyFilter, from: Day?, to: Day?) throws -> [TallySeries:
        [TallyPeriodSum]]
    {
        throw NotStored()
    }
    func tallyWindowSums(matching filter: TallyFilter, windows: [ClosedRange<Day>]) throws -> [TallySeries:
        [TallyWindowSum]]
    {
        throw NotStored()
    }
    func tallyCount(matching filter: TallyFilter, atMost limit: Int) throws -> Int? { throw NotStored() }
    func tallies(matching filter: TallyFilter) throws -> [CaseTally] { throw NotStored() }
    func forEachTallyEntry(procedures: Set<String>?, _ body: (TallyPeriodEntry) throws -> Void) throws {
        throw NotStored()
    }

    // MARK: Writing: refused

    func upsert(_ unit: OrgUnit) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ person: Person) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ journal: Journal) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ procedure: Procedure) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ project: Project) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ publication: Publication) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ patent: Patent) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ award: Award) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ census: StaffCensus) throws -> UpsertOutcome { throw NotStored() }
    func upsert(_ tally: CaseTally) throws -> UpsertOutcome { throw NotStored() }
    func upsertTallies(_ tallies: [CaseTally]) throws -> [UpsertOutcome] { throw NotStored() }
    func logImport(kind: String, file: String, sha256: String, summary: String) throws { throw NotStored() }
    func deletePublication(id: String) throws -> Bool { throw NotStored() }
    func recordMerge(_ merge: PublicationMerge) throws -> Bool { throw NotStored() }
    func rejectMerge(id: Int) throws { throw NotStored() }
    func addReviewItem(_ item: ReviewItem) throws { throw NotStored() }
    func addSkippedRecord(_ record: SkippedRecord) throws { throw NotStored() }
    func decideReview(id: Int, status: ReviewItem.Status) throws { throw NotStored() }
}
