/// When a paper counts as an "SCI paper": its journal is listed in SCIE or SSCI by the journal list of
/// the paper's year, or the nearest earlier list. The journal is the registry journal the paper names
/// by id, or else any registry journal sharing one of its ISSNs (print, electronic or linking).
public enum SCIRule {
    /// True or false for a paper whose journal the registry knows; nil when it does not (nothing can be said).
    public static func isSCI(_ publication: Publication, journals: [Journal]) -> Bool? {
        guard let year = publication.published?.year, let reference = publication.journal else { return nil }
        if let id = reference.journalID, let journal = journals.first(where: { $0.id == id }) {
            return journal.metrics(applyingTo: year)?.isSCI ?? false
        }
        return isSCI(issns: reference.issns, year: year, journals: journals)
    }

    /// The same rule for a journal known only by ISSNs. Should two registry journals share an ISSN, the
    /// paper is SCI when either of them says so.
    public static func isSCI(issns: [String], year: Int, journals: [Journal]) -> Bool? {
        let wanted = Set(issns.map(issnKey).filter { !$0.isEmpty })
        guard !wanted.isEmpty else { return nil }
        let matching = journals.filter { $0.issns.contains { wanted.contains(issnKey($0)) } }
        guard !matching.isEmpty else { return nil }
        return matching.contains { $0.metrics(applyingTo: year)?.isSCI ?? false }
    }

    /// "0022-3468", "00223468" and "0022-346x" style spellings compare equal.
    static func issnKey(_ issn: String) -> String {
        String(issn.uppercased().filter { $0.isNumber || $0 == "X" })
    }
}
