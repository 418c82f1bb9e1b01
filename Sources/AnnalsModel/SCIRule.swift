/// When a paper counts as an "SCI paper": its journal is listed in SCIE or SSCI by the journal list of
/// the paper's year, or the nearest earlier list. The journal is the registry journal the paper names
/// by id, or else any registry journal sharing one of its ISSNs (print, electronic or linking).
public enum SCIRule {
    /// True or false for a paper whose journal the registry knows; nil when it does not (nothing can be said).
    public static func isSCI(_ publication: Publication, journals: [Journal]) -> Bool? {
        isSCI(publication, in: JournalLookup(journals))
    }

    /// The same with a lookup made once for many papers.
    public static func isSCI(_ publication: Publication, in lookup: JournalLookup) -> Bool? {
        guard let year = publication.published?.year, let reference = publication.journal else { return nil }
        let matching = lookup.journals(for: reference)
        guard !matching.isEmpty else { return nil }
        return matching.contains { $0.metrics(applyingTo: year)?.isSCI ?? false }
    }

    /// The same for a paper's summary.
    public static func isSCI(_ summary: PublicationSummary, in lookup: JournalLookup) -> Bool? {
        guard let year = summary.published?.year, let reference = summary.journal else { return nil }
        let matching = lookup.journals(for: reference)
        guard !matching.isEmpty else { return nil }
        return matching.contains { $0.metrics(applyingTo: year)?.isSCI ?? false }
    }

    /// The same rule for a journal known only by ISSNs. Should two registry journals share an ISSN, the
    /// paper is SCI when either of them says so.
    public static func isSCI(issns: [String], year: Int, journals: [Journal]) -> Bool? {
        let matching = JournalLookup(journals).journals(issns: issns)
        guard !matching.isEmpty else { return nil }
        return matching.contains { $0.metrics(applyingTo: year)?.isSCI ?? false }
    }
}

/// The registry's journals found by id or by any ISSN, for looking up many papers.
public struct JournalLookup: Sendable {
    private let byID: [String: Journal]
    private let byISSN: [String: [Journal]]

    public init(_ journals: [Journal]) {
        byID = Dictionary(journals.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byISSN: [String: [Journal]] = [:]
        for journal in journals {
            for issn in Set(journal.issns.map(Self.key)) where !issn.isEmpty {
                byISSN[issn, default: []].append(journal)
            }
        }
        self.byISSN = byISSN
    }

    /// The journal a paper names by id, else the journals sharing one of its ISSNs.
    public func journals(for reference: JournalReference) -> [Journal] {
        if let id = reference.journalID, let journal = byID[id] { return [journal] }
        return journals(issns: reference.issns)
    }

    public func journals(issns: [String]) -> [Journal] {
        var found: [Journal] = []
        for issn in issns {
            for journal in byISSN[Self.key(issn)] ?? [] where !found.contains(where: { $0.id == journal.id }) {
                found.append(journal)
            }
        }
        return found
    }

    /// "0022-3468", "00223468" and "0022-346x" spellings compare equal.
    static func key(_ issn: String) -> String {
        var key = ""
        for c in issn.utf8 {
            if c >= 48 && c <= 57 {
                key.unicodeScalars.append(Unicode.Scalar(c))
            } else if c == 88 || c == 120 {
                key.append("X")
            }
        }
        return key
    }
}
