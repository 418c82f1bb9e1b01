public import AnnalsModel

/// What crediting papers again did.
public struct RecreditReport: Sendable, Hashable, CustomStringConvertible {
    /// Papers looked at.
    public var examined = 0
    /// Papers that gained a department, an author's person or a project.
    public var credited = 0
    /// Authors put on the review list.
    public var forReview = 0

    public init() {}

    public var description: String {
        var text =
            "credited again: \(credited) of \(examined) paper\(examined == 1 ? "" : "s") gained a department or an author"
        if forReview > 0 {
            text += "; \(forReview) author match\(forReview == 1 ? "" : "es") to confirm: see `annals review`"
        }
        return text
    }
}

/// Credits the registry's papers again from its current departments, people, name forms and projects.
///
/// Papers are credited when they are imported, from what the registry holds then; papers imported
/// before their departments and people are credited here once those arrive (a registry import that
/// adds or changes departments, people or projects does it in the same transaction; `annals recredit`
/// does it on request). Crediting only adds: a department, an author's person or a project already
/// credited stays, and the review list's decisions hold. So the same files give the same credits in
/// whatever order they are imported.
public enum Recrediting {
    /// Credits again every publication of `registry` except those in `skipping` (papers an import has
    /// just written as its file states them). Call it inside the import's transaction.
    public static func run(in registry: some PublicationWriting, skipping: Set<String> = []) throws -> RecreditReport {
        let attributor = Attributor(
            orgUnits: try registry.orgUnits(), people: try registry.people(), projects: try registry.projects())
        var report = RecreditReport()
        // First pass, in memory only: which papers might change (review decisions not consulted, so this
        // finds every paper they could matter for too).
        var candidates: [String] = []
        try registry.forEachPublication { publication in
            guard !skipping.contains(publication.id) else { return }
            report.examined += 1
            var credited = publication
            let uncertain = attributor.attribute(&credited) { _, _ in nil }
            if credited != publication || !uncertain.isEmpty { candidates.append(publication.id) }
        }
        // Second pass: the papers that may change, with the review list's decisions.
        for id in candidates {
            guard let publication = try registry.publication(id: id) else { continue }
            var credited = publication
            let uncertain = try attributor.attribute(&credited) { position, person in
                try registry.reviewStatus(publicationID: id, authorPosition: position, personID: person)
            }
            if credited != publication {
                try registry.upsert(credited)
                report.credited += 1
            }
            for item in uncertain {
                let review = ReviewItem(
                    publicationID: id, authorPosition: item.authorPosition, authorName: item.authorName,
                    personID: item.personID,
                    reason: item.reason)
                if try registry.reviewStatus(
                    publicationID: id, authorPosition: item.authorPosition, personID: item.personID) == nil
                {
                    report.forReview += 1
                }
                try registry.addReviewItem(review)
            }
        }
        return report
    }
}
