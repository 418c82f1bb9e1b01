/// Two publication records found to be one paper and merged, as the registry remembers it.
public struct PublicationMerge: Sendable, Hashable, Identifiable {
    public var id: Int
    /// The record that was kept.
    public var keptID: String
    /// The incoming record's own id (`pmid-123`, `endnote-lib-17`).
    public var mergedID: String
    /// Why they were taken for one paper: "same PMID", "same DOI", "same title, year and first author".
    public var reason: String
    public var sourceFile: String?
    /// The incoming record as it arrived, so that rejecting the merge can restore it on its own.
    public var merged: Publication
    /// When the merge was made (ISO 8601).
    public var mergedAt: String

    public init(
        id: Int = 0, keptID: String, mergedID: String, reason: String, sourceFile: String?, merged: Publication,
        mergedAt: String = ""
    ) {
        self.id = id
        self.keptID = keptID
        self.mergedID = mergedID
        self.reason = reason
        self.sourceFile = sourceFile
        self.merged = merged
        self.mergedAt = mergedAt
    }
}

/// A record an import left out because it cannot be a paper (no title, a "No Title" placeholder), kept so
/// that `annals review` can list it by file and record number.
public struct SkippedRecord: Sendable, Hashable, Identifiable {
    public var id: Int
    /// The file as the user named it.
    public var sourceFile: String
    /// The record's place in the file, 1-based (the 5th `<record>`).
    public var position: Int
    public var line: Int
    public var reason: String
    /// When the import skipped it (ISO 8601).
    public var skippedAt: String

    public init(id: Int = 0, sourceFile: String, position: Int, line: Int, reason: String, skippedAt: String = "") {
        self.id = id
        self.sourceFile = sourceFile
        self.position = position
        self.line = line
        self.reason = reason
        self.skippedAt = skippedAt
    }
}

/// Two publications that may be one paper (the same title, year and first author) but were kept apart,
/// because their DOIs or PMIDs differ (a journal paper and its conference version); someone decides.
public struct DuplicateCandidate: Sendable, Hashable {
    public var firstID: String
    public var secondID: String
    public var title: String
    public var year: Int?
    /// Why they are listed and why they were not merged ("different DOIs: 10.1/a and 10.1/b").
    public var reason: String

    public init(firstID: String, secondID: String, title: String, year: Int?, reason: String) {
        self.firstID = firstID
        self.secondID = secondID
        self.title = title
        self.year = year
        self.reason = reason
    }
}

/// An author who may be a registry person, waiting for someone to say yes or no.
public struct ReviewItem: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case pending, accepted, rejected
    }

    public var id: Int
    public var publicationID: String
    /// 1-based position in the author list.
    public var authorPosition: Int
    /// The author as the paper writes them ("Gao Z").
    public var authorName: String
    public var personID: String
    /// Why the match is not certain ("no affiliation given", "two people match").
    public var reason: String
    public var status: Status

    public init(
        id: Int = 0, publicationID: String, authorPosition: Int, authorName: String, personID: String, reason: String,
        status: Status = .pending
    ) {
        self.id = id
        self.publicationID = publicationID
        self.authorPosition = authorPosition
        self.authorName = authorName
        self.personID = personID
        self.reason = reason
        self.status = status
    }
}

/// Finding, merging and removing publications during an import.
public protocol PublicationWriting: RegistryWriting {
    func publication(id: String) throws -> Publication?
    /// The id of the publication with this PMID, if any.
    func publicationID(pmid: String) throws -> String?
    /// The id of the publication with this DOI (lower case), if any.
    func publicationID(doi: String) throws -> String?
    /// Publications of `year` whose title and first author's family name match, ignoring case and punctuation.
    func publicationIDs(title: String, year: Int, firstAuthor: String) throws -> [String]
    /// Every way the registry may already hold the paper an import brings, in one look-up.
    func sameRecordCandidates(
        id: String, pmid: String?, doi: String?, title: String, year: Int?, firstAuthor: String?
    ) throws -> SameRecordCandidates
    /// Removes a publication and everything attached to it; false when there was none.
    func deletePublication(id: String) throws -> Bool

    /// Remembers a merge (replacing an earlier record of the same two ids); true when it is new.
    @discardableResult func recordMerge(_ merge: PublicationMerge) throws -> Bool
    func merge(id: Int) throws -> PublicationMerge?
    /// Forgets a merge and remembers that these two records are different papers.
    func rejectMerge(id: Int) throws
    func isMergeRejected(_ first: String, _ second: String) throws -> Bool

    /// What was decided about this author, if anything.
    func reviewStatus(publicationID: String, authorPosition: Int, personID: String) throws -> ReviewItem.Status?
    /// Adds an item to the review list (nothing when it is already there).
    func addReviewItem(_ item: ReviewItem) throws
    /// Remembers a record an import left out (nothing when the same file's same record is already listed).
    func addSkippedRecord(_ record: SkippedRecord) throws
    func reviewItem(id: Int) throws -> ReviewItem?
    func decideReview(id: Int, status: ReviewItem.Status) throws

    /// Stores a publication an import credited, with its import key: what the importer read and the
    /// registry it credited against (see `SameRecordCandidates.importKey`). A store without keys stores it
    /// as `upsert(_:)` does; every other write of the publication forgets the key.
    @discardableResult func upsert(_ publication: Publication, importKey: String?) throws -> UpsertOutcome
    /// The DOI and PMID of a stored publication (nil when there is none), without reading the whole record.
    func publicationIdentifiers(id: String) throws -> PublicationIdentifiers?
}

/// A stored publication's DOI and PMID.
public struct PublicationIdentifiers: Sendable, Equatable {
    public var doi: String?
    public var pmid: String?

    public init(doi: String?, pmid: String?) {
        self.doi = doi
        self.pmid = pmid
    }
}

/// Where the registry may already hold an incoming paper: under its own id, or as another record with
/// the same PMID, the same DOI, or the same title, year and first author.
public struct SameRecordCandidates: Sendable, Equatable {
    /// A record with the incoming id exists.
    public var idExists: Bool
    public var byPMID: String?
    public var byDOI: String?
    /// Every record of the same year whose title and first author's family name match, by id.
    public var byTitle: [String]
    /// The import key stored with the record of the incoming id (nil when none, or when the store keeps
    /// none): when it equals the key of the incoming record, the record is the one an earlier import stored
    /// from exactly this input against exactly this registry, unchanged since, so importing it again
    /// would change nothing.
    public var importKey: String?

    public init(
        idExists: Bool = false, byPMID: String? = nil, byDOI: String? = nil, byTitle: [String] = [],
        importKey: String? = nil
    ) {
        self.idExists = idExists
        self.byPMID = byPMID
        self.byDOI = byDOI
        self.byTitle = byTitle
        self.importKey = importKey
    }
}

extension PublicationWriting {
    @discardableResult public func upsert(_ publication: Publication, importKey: String?) throws -> UpsertOutcome {
        try upsert(publication)
    }

    public func publicationIdentifiers(id: String) throws -> PublicationIdentifiers? {
        try publication(id: id).map { PublicationIdentifiers(doi: $0.doi, pmid: $0.pmid) }
    }

    /// The candidates through the single look-ups; a store may answer in one query instead.
    public func sameRecordCandidates(
        id: String, pmid: String?, doi: String?, title: String, year: Int?, firstAuthor: String?
    ) throws -> SameRecordCandidates {
        var candidates = SameRecordCandidates()
        candidates.idExists = try existing(.publication, among: [id]).contains(id)
        candidates.byPMID = try pmid.flatMap { try publicationID(pmid: $0) }
        candidates.byDOI = try doi.flatMap { try publicationID(doi: $0) }
        if let year, let firstAuthor {
            candidates.byTitle = try publicationIDs(title: title, year: year, firstAuthor: firstAuthor)
        }
        return candidates
    }
}
