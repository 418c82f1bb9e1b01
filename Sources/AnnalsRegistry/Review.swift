import AnnalsCuration
import AnnalsInterchange
public import AnnalsModel
import AnnalsStore
import Foundation

/// An author match waiting for a decision, with what a reviewer needs to decide it: the paper (title, journal,
/// year), the author as the paper writes them with their affiliation, and the person proposed.
public struct ReviewEntry: Sendable {
    public var item: ReviewItem
    /// The paper's title as plain text, and with its allowed inline markup.
    public var title: String
    public var titleMarkup: String
    public var journal: String?
    public var year: Int?
    /// The author's affiliations as the paper gives them (none: the paper gives none).
    public var affiliations: [String]
    /// The person proposed (nil only when the registry no longer holds them).
    public var person: Person?
    /// The departments the item belongs to: the proposed person's.
    public var departmentIDs: [String]
}

/// A merge made by an import (or confirmed by a reviewer), with the record kept.
public struct MergeEntry: Sendable {
    public var merge: PublicationMerge
    public var kept: Publication?
    /// The departments of the kept record and of the record merged into it.
    public var departmentIDs: [String]
}

/// Two records with the same title, year and first author kept apart because their identifiers differ.
public struct CandidateEntry: Sendable {
    public var candidate: DuplicateCandidate
    public var first: Publication?
    public var second: Publication?
    /// The departments credited on either record.
    public var departmentIDs: [String]
}

/// What waits for a reviewer: author matches, past merges to check, candidate duplicates.
public struct ReviewQueue: Sendable {
    public var items: [ReviewEntry]
    public var merges: [MergeEntry]
    public var candidates: [CandidateEntry]
}

/// One decision on an author match: yes, this author is the person; or no.
public struct ReviewDecision: Sendable, Hashable {
    public var itemID: Int
    public var accept: Bool

    public init(itemID: Int, accept: Bool) {
        self.itemID = itemID
        self.accept = accept
    }
}

/// A review request refused, said in both languages: an item, merge or record that is not there (`unknown`), or one
/// of a department the request was limited to that it does not belong to (`outsideDepartment`).
public struct ReviewRefusal: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case unknown, outsideDepartment }
    public var kind: Kind
    public var message: String
    public var messageZH: String

    public init(_ kind: Kind, _ message: String, zh: String) {
        self.kind = kind
        self.message = message
        self.messageZH = zh
    }

    public var description: String { message }
}

/// The review queue: `annals review` and `annals duplicates` and the web's review page ask the same questions here.
///
/// A department's queue: an author match belongs to the departments of the person proposed; a merge or a candidate
/// pair to the departments credited on its records. With `department` nil (the research office) everything is
/// shown and may be decided; with a department, only what belongs to it, and a decision on anything else is refused
/// whole (nothing is written).
extension Registry {
    /// The author matches with status `status` (pending: waiting), the merges and the candidate duplicates, of
    /// `department` (an id or name) or of the whole hospital.
    public func reviewQueue(department: String?, status: ReviewItem.Status? = .pending) throws -> ReviewQueue {
        try read { registry in
            let scope = try department.map { try ReferenceCheck.check(department: $0, in: registry).department }
                .flatMap { $0 }
            let people = Dictionary(try registry.people().map { ($0.id, $0) }) { a, _ in a }
            var papers: [String: Publication?] = [:]
            func paper(_ id: String) throws -> Publication? {
                if let known = papers[id] { return known }
                let found = try registry.publication(id: id)
                papers[id] = found
                return found
            }
            func inScope(_ departments: [String]) -> Bool { scope.map { departments.contains($0) } ?? true }
            var items: [ReviewEntry] = []
            for item in try registry.reviewItems(status: status) {
                let person = people[item.personID]
                let departments = person?.departmentIDs ?? []
                guard inScope(departments) else { continue }
                let publication = try paper(item.publicationID)
                let author = publication.flatMap { p in
                    item.authorPosition >= 1 && item.authorPosition <= p.authors.count
                        ? p.authors[item.authorPosition - 1] : nil
                }
                items.append(
                    ReviewEntry(
                        item: item, title: publication?.title.plain ?? item.publicationID,
                        titleMarkup: publication?.title.markup ?? "", journal: publication?.journal?.title,
                        year: publication?.published?.year, affiliations: author?.affiliations ?? [], person: person,
                        departmentIDs: departments))
            }
            var merges: [MergeEntry] = []
            for merge in try registry.merges() {
                let kept = try paper(merge.keptID)
                let departments = Array(Set((kept?.departmentIDs ?? []) + merge.merged.departmentIDs)).sorted()
                guard inScope(departments) else { continue }
                merges.append(MergeEntry(merge: merge, kept: kept, departmentIDs: departments))
            }
            var candidates: [CandidateEntry] = []
            for candidate in try registry.duplicateCandidates() {
                let (first, second) = (try paper(candidate.firstID), try paper(candidate.secondID))
                let departments = Array(Set((first?.departmentIDs ?? []) + (second?.departmentIDs ?? []))).sorted()
                guard inScope(departments) else { continue }
                candidates.append(
                    CandidateEntry(candidate: candidate, first: first, second: second, departmentIDs: departments))
            }
            return ReviewQueue(items: items, merges: merges, candidates: candidates)
        }
    }

    /// Decides author matches in one transaction, each in the change log as a review decision by this registry's
    /// actor: accepting credits the author to the person (and the person's department), rejecting remembers that
    /// they are not (`ImportDecisions.decide`). Refused whole, writing nothing, when an item is unknown or (with
    /// `department`) is not of that department. Returns the items as decided.
    public func decideReviews(_ decisions: [ReviewDecision], department: String?) throws -> [ReviewItem] {
        try write(.reviewDecision) { registry in
            let scope = try department.map { try ReferenceCheck.check(department: $0, in: registry).department }
                .flatMap { $0 }
            let people = Dictionary(try registry.people().map { ($0.id, $0) }) { a, _ in a }
            var decided: [ReviewItem] = []
            for decision in decisions {
                guard let item = try registry.reviewItem(id: decision.itemID) else {
                    throw Self.unknownItem(decision.itemID)
                }
                if let scope, !(people[item.personID]?.departmentIDs.contains(scope) ?? false) {
                    throw ReviewRefusal(
                        .outsideDepartment,
                        "review item \(item.id) (\(item.authorName) → \(item.personID)) is not of department \(scope)",
                        zh: "待审核项 \(item.id)（\(item.authorName) → \(item.personID)）不属于科室 \(scope)，不能在此决定。")
                }
                guard
                    let result = try ImportDecisions.decide(reviewItem: item.id, accept: decision.accept, in: registry)
                else { throw Self.unknownItem(decision.itemID) }
                decided.append(result)
            }
            return decided
        }
    }

    /// Undoes merge `id` (as `annals duplicates --reject`): the merged-in record is restored on its own and later
    /// imports keep the two apart. With `department`, the merge must be of that department.
    public func undoMerge(id: Int, department: String?) throws -> PublicationMerge {
        try write(.mergeRejected) { registry in
            let scope = try department.map { try ReferenceCheck.check(department: $0, in: registry).department }
                .flatMap { $0 }
            guard let merge = try registry.merge(id: id) else {
                throw ReviewRefusal(
                    .unknown, "there is no merge number \(id); `annals duplicates` lists them",
                    zh: "没有编号为 \(id) 的合并记录（可能已被撤销）。")
            }
            if let scope {
                let kept = try registry.publication(id: merge.keptID)
                guard ((kept?.departmentIDs ?? []) + merge.merged.departmentIDs).contains(scope) else {
                    throw ReviewRefusal(
                        .outsideDepartment, "merge \(id) is not of department \(scope)",
                        zh: "合并记录 \(id) 不属于科室 \(scope)，不能在此撤销。")
                }
            }
            guard let undone = try ImportDecisions.rejectMerge(id: id, in: registry) else {
                throw ReviewRefusal(
                    .unknown, "there is no merge number \(id); `annals duplicates` lists them",
                    zh: "没有编号为 \(id) 的合并记录（可能已被撤销）。")
            }
            return undone
        }
    }

    /// Merges two records listed as candidate duplicates, keeping `keptID` (`ImportDecisions.mergeDuplicates`).
    /// Only a pair the registry lists as candidates is merged; with `department`, one of its records must be
    /// credited to that department.
    public func mergeDuplicates(keptID: String, mergedID: String, department: String?) throws -> PublicationMerge {
        try write(.merge) { registry in
            let scope = try department.map { try ReferenceCheck.check(department: $0, in: registry).department }
                .flatMap { $0 }
            let listed = try registry.duplicateCandidates().contains {
                ($0.firstID == keptID && $0.secondID == mergedID) || ($0.firstID == mergedID && $0.secondID == keptID)
            }
            guard listed, let kept = try registry.publication(id: keptID),
                let merged = try registry.publication(id: mergedID)
            else {
                throw ReviewRefusal(
                    .unknown,
                    "\(keptID) and \(mergedID) are not a pair of candidate duplicates; `annals duplicates` lists them",
                    zh: "\(keptID) 与 \(mergedID) 不是待确认的疑似重复记录（可能已处理）。")
            }
            if let scope, !(kept.departmentIDs + merged.departmentIDs).contains(scope) {
                throw ReviewRefusal(
                    .outsideDepartment, "neither \(keptID) nor \(mergedID) is credited to department \(scope)",
                    zh: "\(keptID) 与 \(mergedID) 都不属于科室 \(scope)，不能在此合并。")
            }
            guard let merge = try ImportDecisions.mergeDuplicates(keptID: keptID, mergedID: mergedID, in: registry)
            else {
                throw ReviewRefusal(
                    .unknown, "\(keptID) and \(mergedID) could not be merged",
                    zh: "\(keptID) 与 \(mergedID) 无法合并。")
            }
            return merge
        }
    }

    static func unknownItem(_ id: Int) -> ReviewRefusal {
        ReviewRefusal(
            .unknown, "there is no review item \(id); `annals review` lists them", zh: "没有编号为 \(id) 的待审核项。")
    }
}
