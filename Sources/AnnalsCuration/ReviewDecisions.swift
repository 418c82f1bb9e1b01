public import AnnalsModel

/// What people decide after an import: a merge that was wrong, an author who is (or is not) ours.
public enum ImportDecisions {
    /// Undoes a merge: the two records are different papers. The merged-in record is stored on its
    /// own again, and later imports will not merge the two.
    public static func rejectMerge(id: Int, in registry: some PublicationWriting) throws -> PublicationMerge? {
        guard let merge = try registry.merge(id: id) else { return nil }
        try registry.rejectMerge(id: id)
        if try registry.publication(id: merge.mergedID) == nil {
            var restored = merge.merged
            let attributor = Attributor(
                orgUnits: try registry.orgUnits(), people: try registry.people(), projects: try registry.projects())
            let restoredID = restored.id
            _ = try attributor.attribute(&restored) { position, person in
                try registry.reviewStatus(publicationID: restoredID, authorPosition: position, personID: person)
            }
            try registry.upsert(restored)
        }
        return merge
    }

    /// Merges two records listed as candidate duplicates (`duplicateCandidates`), which someone has checked to be
    /// one paper: `keptID` stays, filled in from `mergedID` (identifiers, pages, abstract it lacks; the departments,
    /// projects and people credited to either), and `mergedID` is removed and remembered as a merge, exactly as an
    /// import remembers one: `rejectMerge` restores it, and later imports of it go to the kept record.
    /// Nil when either record is missing or the two are one.
    public static func mergeDuplicates(keptID: String, mergedID: String, in registry: some PublicationWriting) throws
        -> PublicationMerge?
    {
        guard keptID != mergedID, let kept = try registry.publication(id: keptID),
            let merged = try registry.publication(id: mergedID)
        else { return nil }
        let combined = MergePolicy.combine(kept, with: merged)
        try registry.recordMerge(
            PublicationMerge(
                keptID: keptID, mergedID: mergedID, reason: MergePolicy.confirmed, sourceFile: nil,
                merged: merged))
        _ = try registry.deletePublication(id: mergedID)
        try registry.upsert(combined)
        return try registry.merges().last { $0.keptID == keptID && $0.mergedID == mergedID }
    }

    /// Accepts or rejects a review item. Accepting credits the author to the person (and the person's
    /// department when they belong to one); the decision is remembered for later imports.
    public static func decide(reviewItem id: Int, accept: Bool, in registry: some PublicationWriting) throws
        -> ReviewItem?
    {
        guard var item = try registry.reviewItem(id: id) else { return nil }
        item.status = accept ? .accepted : .rejected
        try registry.decideReview(id: id, status: item.status)
        guard accept, var publication = try registry.publication(id: item.publicationID),
            item.authorPosition >= 1, item.authorPosition <= publication.authors.count
        else { return item }
        publication.authors[item.authorPosition - 1].personID = item.personID
        if let person = try registry.people().first(where: { $0.id == item.personID }), person.departmentIDs.count == 1,
            !publication.departmentIDs.contains(person.departmentIDs[0])
        {
            publication.departmentIDs = (publication.departmentIDs + person.departmentIDs).sorted()
        }
        try registry.upsert(publication)
        return item
    }
}
