/// A record an import left out, and why, as a value: front ends word it in their reader's language (the web's
/// Chinese pages); `description` is the English the command line prints.
public struct ImportSkip: Sendable, Hashable, CustomStringConvertible {
    /// Why the record was left out.
    public enum Reason: Sendable, Hashable {
        /// It has no title, so it cannot be a paper.
        case noTitle
        /// It is an older version of a paper than the registry's (`incoming` and `registry`: the dates revised).
        case olderVersion(incoming: String, registry: String)
        /// It lacks what a paper needs (a PubMed record without PMID or Article, an EndNote record without a
        /// title, a book chapter fragment); `description` says what.
        case incomplete
    }

    public var reason: Reason
    /// The record's id or PMID, when known.
    public var record: String?
    /// Its line in the file, when known.
    public var line: Int?
    /// Its place among the file's records (EndNote), when known.
    public var position: Int?
    public var description: String

    public init(_ reason: Reason, record: String? = nil, line: Int? = nil, position: Int? = nil, description: String) {
        self.reason = reason
        self.record = record
        self.line = line
        self.position = position
        self.description = description
    }
}
