public import AnnalsModel
import Foundation

/// What importing publication files did.
public struct PublicationImportReport: Sendable, CustomStringConvertible {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    /// Records merged into a publication the registry already held (the same paper from another source).
    public var merged = 0
    public var deleted = 0
    /// The PMIDs a DeleteCitation removed from the registry.
    public var deletedPMIDs: [String] = []
    /// Records left out, with the reason for each.
    public var skips: [ImportSkip] = []
    /// Records left out, with the reason for each, in English.
    public var skipped: [String] { skips.map(\.description) }
    /// PMIDs a DeleteCitation named that the registry never held.
    public var notFoundForDeletion: [String] = []
    /// Authors put on the review list.
    public var forReview = 0
    /// True when papers were stored while the registry had no hospital to credit them to (its
    /// departments and people not imported yet).
    public var uncredited = false

    public init() {}

    public var description: String {
        var text =
            "added \(added), updated \(updated), unchanged \(unchanged), merged \(merged), deleted \(deleted), skipped \(skipped.count)"
        if forReview > 0 {
            text += "\n  \(forReview) author match\(forReview == 1 ? "" : "es") to confirm: see `annals review`"
        }
        if !deletedPMIDs.isEmpty {
            text +=
                "\n  deleted (withdrawn from PubMed by DeleteCitation): PMID \(deletedPMIDs.prefix(50).joined(separator: ", "))"
            if deletedPMIDs.count > 50 { text += " … and \(deletedPMIDs.count - 50) more" }
        }
        if !notFoundForDeletion.isEmpty {
            text += "\n  to delete but never in the registry: PMID \(notFoundForDeletion.joined(separator: ", "))"
        }
        if uncredited {
            text +=
                "\n  no paper was credited to a department or person: the registry has no hospital (with its"
                + " affiliation patterns) yet. Import the departments and people (`annals import registry FILE`);"
                + " the papers are credited then (or run `annals recredit`)."
        }
        for reason in skipped.prefix(20) { text += "\n  skipped: \(reason)" }
        if skipped.count > 20 { text += "\n  … and \(skipped.count - 20) more skipped" }
        return text
    }
}

/// Stores incoming publications, whatever file they were read from: finds the same paper already in the registry
/// (`MergePolicy`), merges or updates it, credits departments and people (`Attributor`), and applies deletions.
/// Call it inside one transaction per file; `report` says what it did.
public struct PublicationCurator<Registry: PublicationWriting> {
    let registry: Registry
    let attributor: Attributor
    /// A digest of everything the attributor credits from (departments with their affiliation patterns,
    /// people with their names, projects) and of how it credits (`creditingRevision`), for import keys.
    let registryDigest: String
    public private(set) var report = PublicationImportReport()

    /// Raise whenever crediting or merging an imported record changes (the same record against the same
    /// registry would come out otherwise), so that papers keyed by an earlier version are credited again.
    static var creditingRevision: String { "annals-credit-1" }

    public init(registry: Registry) throws {
        self.registry = registry
        let orgUnits = try registry.orgUnits()
        let people = try registry.people()
        let projects = try registry.projects()
        attributor = Attributor(orgUnits: orgUnits, people: people, projects: projects)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var digest = RecordDigest()
        digest.update(Self.creditingRevision)
        for text in [try encoder.encode(orgUnits), try encoder.encode(people), try encoder.encode(projects)] {
            digest.update(String(decoding: text, as: UTF8.self))
        }
        registryDigest = digest.finalize()
    }

    /// The import key of an incoming record: a digest of the record as read and of the registry it is
    /// credited against. The key stored is this, a space, and how many authors the import put on the
    /// review list, so that an unchanged record reports them again as a full import does.
    func importDigest(of incoming: Publication) -> String {
        RecordDigest.hex(of: registryDigest, incoming.canonicalJSON)
    }

    /// Notes a record the reader left out; `remembering` also keeps it for `annals review` (a record that cannot be
    /// a paper, by its place in the file).
    public mutating func leaveOut(_ skip: ImportSkip, remembering record: SkippedRecord? = nil) throws {
        report.skips.append(skip)
        if let record { try registry.addSkippedRecord(record) }
    }

    /// Stores one incoming publication.
    public mutating func store(_ incoming: Publication, sourceFile: String) throws {
        guard !incoming.title.plain.isEmpty else {
            report.skips.append(ImportSkip(.noTitle, record: incoming.id, description: "\(incoming.id): no title"))
            return
        }
        let digest = importDigest(of: incoming)
        let first = incoming.authors.first
        let candidates = try registry.sameRecordCandidates(
            id: incoming.id, pmid: incoming.pmid, doi: incoming.doi, title: incoming.title.plain,
            year: incoming.published?.year, firstAuthor: first?.familyName ?? first?.collectiveName)
        // The same record, read before from the same input and credited against the same registry, and
        // written by nothing else since (any other write clears the key, and so does a review decision):
        // crediting and storing it again would change nothing.
        if candidates.idExists, let stored = candidates.importKey, stored.hasPrefix(digest + " "),
            let forReview = Int(stored.dropFirst(digest.count + 1))
        {
            if !attributor.canCredit { report.uncredited = true }
            report.forReview += forReview
            report.unchanged += 1
            return
        }
        guard let (existingID, reason) = try findExisting(incoming, candidates: candidates),
            let existing = try registry.publication(id: existingID)
        else {
            try write(incoming, replacing: nil, importDigest: digest)
            return
        }
        if existingID == incoming.id {
            if let old = existing.revised, let new = incoming.revised, new < old {
                report.skips.append(
                    ImportSkip(
                        .olderVersion(incoming: "\(new)", registry: "\(old)"), record: incoming.id,
                        description: "\(incoming.id): an older version (revised \(new)) than the registry's (\(old))"))
                return
            }
            try write(incoming, replacing: existing, importDigest: digest)
            return
        }
        // The same paper from another source: keep the registry's record, fill in what it lacks.
        let isNew = try registry.recordMerge(
            PublicationMerge(
                keptID: existingID, mergedID: incoming.id, reason: reason, sourceFile: sourceFile, merged: incoming))
        let outcome = try write(MergePolicy.combine(existing, with: incoming), replacing: existing, counting: false)
        if isNew || outcome != .unchanged { report.merged += 1 } else { report.unchanged += 1 }
    }

    /// Removes the publication with this PMID (PubMed's DeleteCitation).
    public mutating func delete(pmid: String) throws {
        if let id = try registry.publicationID(pmid: pmid), try registry.deletePublication(id: id) {
            report.deleted += 1
            report.deletedPMIDs.append(pmid)
        } else {
            report.notFoundForDeletion.append(pmid)
        }
    }

    /// The registry publication that is the same paper by `MergePolicy`, and why; merges people rejected are
    /// skipped, and a pair whose identifiers disagree only when a reviewer confirmed it.
    private func findExisting(_ p: Publication, candidates: SameRecordCandidates) throws -> (String, String)? {
        let found = MergePolicy.ranked(candidates)
        if let own = found.first(where: { $0.id == p.id }) { return own }
        if candidates.idExists { return (p.id, "same record") }
        for candidate in found where !(try registry.isMergeRejected(candidate.id, p.id)) {
            if let existing = try registry.publicationIdentifiers(id: candidate.id),
                MergePolicy.identifiersDisagree(existing, PublicationIdentifiers(doi: p.doi, pmid: p.pmid))
            {
                // Kept apart, unless someone confirmed the two are one paper (`ImportDecisions.mergeDuplicates`).
                let confirmed = try registry.merges().contains { $0.keptID == candidate.id && $0.mergedID == p.id }
                if confirmed { return (candidate.id, MergePolicy.confirmed) }
                continue
            }
            return candidate
        }
        return nil
    }

    /// Credits and writes `incoming`; keeps what the registry had added by hand (departments, accepted authors)
    /// when it replaces an earlier version. `importDigest` (for a record stored under its own id) is kept with it
    /// as its import key.
    @discardableResult
    private mutating func write(
        _ incoming: Publication, replacing existing: Publication?, counting: Bool = true, importDigest: String? = nil
    ) throws -> UpsertOutcome {
        var publication = existing.map { MergePolicy.keepingCredits(of: $0, in: incoming) } ?? incoming
        if !attributor.canCredit { report.uncredited = true }
        let registry = self.registry
        let publicationID = publication.id
        let uncertain = try attributor.attribute(&publication) { position, person in
            try registry.reviewStatus(publicationID: publicationID, authorPosition: position, personID: person)
        }
        let outcome = try registry.upsert(publication, importKey: importDigest.map { "\($0) \(uncertain.count)" })
        for item in uncertain {
            try registry.addReviewItem(
                ReviewItem(
                    publicationID: publication.id, authorPosition: item.authorPosition, authorName: item.authorName,
                    personID: item.personID, reason: item.reason))
        }
        report.forReview += uncertain.count
        if counting {
            switch outcome {
            case .inserted: report.added += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            }
        }
        return outcome
    }
}

/// The one merge policy: when an incoming record is the same paper as one the registry holds, and what the two
/// become. Imports (`PublicationCurator`) and a reviewer's confirmed merge (`ImportDecisions.mergeDuplicates`) both
/// follow it.
///
/// A record is the same paper when it has the same PMID, the same DOI, or the same title, year and first author,
/// unless the two records carry different DOIs or different PMIDs: two identifiers that disagree name two papers (a
/// journal paper and its conference version), so such a pair is never merged automatically; both are kept and
/// `annals duplicates` lists them to confirm.
public enum MergePolicy {
    /// Why a candidate found by each kind of match is the same paper, strongest first.
    public static let samePMID = "same PMID"
    public static let sameDOI = "same DOI"
    public static let sameTitle = "same title, year and first author"
    public static let confirmed = "merge confirmed by a reviewer"

    /// The candidates of `candidates` in the order they are tried, each with its reason.
    public static func ranked(_ candidates: SameRecordCandidates) -> [(id: String, reason: String)] {
        var found: [(id: String, reason: String)] = []
        if let id = candidates.byPMID { found.append((id, samePMID)) }
        if let id = candidates.byDOI { found.append((id, sameDOI)) }
        for id in candidates.byTitle { found.append((id, sameTitle)) }
        return found
    }

    /// True when both records have a DOI and the DOIs differ, or both have a PMID and the PMIDs differ.
    public static func identifiersDisagree(_ a: PublicationIdentifiers, _ b: PublicationIdentifiers) -> Bool {
        if let x = a.doi, let y = b.doi, x.lowercased() != y.lowercased() { return true }
        if let x = a.pmid, let y = b.pmid, x != y { return true }
        return false
    }

    /// `kept` filled in from `other`, the same paper from another source: the fields `kept` lacks (identifiers,
    /// pages, abstract, …), and every department, project and person credited to either.
    public static func combine(_ kept: Publication, with other: Publication) -> Publication {
        var p = kept
        p.doi = p.doi ?? other.doi
        p.pmid = p.pmid ?? other.pmid
        p.pmcid = p.pmcid ?? other.pmcid
        p.vernacularTitle = p.vernacularTitle ?? other.vernacularTitle
        p.published = p.published ?? other.published
        p.volume = p.volume ?? other.volume
        p.issue = p.issue ?? other.issue
        p.pages = p.pages ?? other.pages
        p.abstract = p.abstract ?? other.abstract
        p.bookTitle = p.bookTitle ?? other.bookTitle
        p.publisher = p.publisher ?? other.publisher
        p.revised = p.revised ?? other.revised
        if var journal = p.journal, let theirs = other.journal {
            journal.issnPrint = journal.issnPrint ?? theirs.issnPrint
            journal.issnElectronic = journal.issnElectronic ?? theirs.issnElectronic
            journal.issnLinking = journal.issnLinking ?? theirs.issnLinking
            p.journal = journal
        } else if p.journal == nil {
            p.journal = other.journal
        }
        if p.languages.isEmpty { p.languages = other.languages }
        if p.authors.isEmpty { p.authors = other.authors }
        for i in p.authors.indices
        where i < other.authors.count && p.authors[i].familyName == other.authors[i].familyName {
            p.authors[i].orcid = p.authors[i].orcid ?? other.authors[i].orcid
            if p.authors[i].affiliations.isEmpty { p.authors[i].affiliations = other.authors[i].affiliations }
            p.authors[i].isCorresponding = p.authors[i].isCorresponding || other.authors[i].isCorresponding
        }
        if p.editors.isEmpty { p.editors = other.editors }
        if p.publicationTypes.isEmpty { p.publicationTypes = other.publicationTypes }
        if p.keywords.isEmpty { p.keywords = other.keywords }
        if p.meshHeadings.isEmpty { p.meshHeadings = other.meshHeadings }
        if p.grants.isEmpty { p.grants = other.grants }
        p.supervisors = p.supervisors ?? other.supervisors
        for note in other.notes ?? [] where !(p.notes ?? []).contains(note) { p.notes = (p.notes ?? []) + [note] }
        p.departmentIDs = Array(Set(p.departmentIDs).union(other.departmentIDs)).sorted()
        p.projectIDs = Array(Set(p.projectIDs).union(other.projectIDs)).sorted()
        for notice in other.notices where !p.notices.contains(notice) { p.notices.append(notice) }
        return keepingCredits(of: other, in: p)
    }

    /// `incoming`, a new version of `existing` under the same id or the record kept for it, with what the registry
    /// had credited by hand or by review kept: `existing`'s departments and projects, and the person of each author
    /// the new version leaves unmatched (same place, same family name).
    public static func keepingCredits(of existing: Publication, in incoming: Publication) -> Publication {
        var publication = incoming
        publication.departmentIDs = Array(Set(publication.departmentIDs).union(existing.departmentIDs)).sorted()
        publication.projectIDs = Array(Set(publication.projectIDs).union(existing.projectIDs)).sorted()
        for (i, old) in existing.authors.enumerated() where i < publication.authors.count {
            if publication.authors[i].personID == nil, old.personID != nil,
                publication.authors[i].familyName == old.familyName
            {
                publication.authors[i].personID = old.personID
            }
        }
        return publication
    }
}
