/// Finds a procedure in the vocabulary from what people type: case, hyphens, word order and
/// approach words are forgiven ("laparoscopic common bile duct cystectomy" is the choledochal cyst
/// excision, laparoscopic approach).
public struct ProcedureMatcher: Sendable {
    /// What a term names.
    public enum Match: Sendable, Hashable {
        /// A procedure, and the approach the term named, if any ("laparoscopic …").
        case procedure(Procedure, approach: Approach?)
        /// No procedure; the closest terms in the vocabulary, best first.
        case unknown(suggestions: [String])
    }

    private let procedures: [Procedure]
    /// Word-set key → procedure index, for every preferred term, synonym and id.
    private let exact: [String: Int]

    /// Approach words as people write them, longest first.
    static let approachWords: [(words: [String], approach: Approach)] = [
        (["laparoscopic", "converted", "to", "open"], .converted),
        (["converted", "to", "open"], .converted),
        (["da", "vinci"], .robotic),
        (["robot", "assisted"], .robotic),
        (["dsa", "guided"], .interventional),
        (["laparoscopic"], .laparoscopic),
        (["laparoscopy"], .laparoscopic),
        (["robotic"], .robotic),
        (["endoscopic"], .endoscopic),
        (["interventional"], .interventional),
        (["hybrid"], .hybrid),
        (["converted"], .converted),
        (["open"], .open),
    ]

    /// Words that add nothing to a procedure name.
    static let fillers: Set<String> = ["surgery", "operation", "operations", "procedure", "procedures", "of", "the", "for", "cases", "case"]

    public init(procedures: [Procedure]) {
        self.procedures = procedures
        var exact: [String: Int] = [:]
        for (index, procedure) in procedures.enumerated() {
            for term in [procedure.preferredTerm, procedure.id] + procedure.synonyms {
                let words = Self.words(term)
                for key in [Self.key(words), Self.key(Self.stripped(words).words)] where exact[key] == nil && !key.isEmpty {
                    exact[key] = index
                }
            }
        }
        self.exact = exact
    }

    /// The procedure `term` names (a preferred term, synonym or id), with the approach it names.
    public func match(_ term: String) -> Match {
        let words = Self.words(term)
        if let index = exact[Self.key(words)] { return .procedure(procedures[index], approach: nil) }
        let (rest, approach) = Self.stripped(words)
        if let index = exact[Self.key(rest)] { return .procedure(procedures[index], approach: approach) }
        return .unknown(suggestions: suggestions(for: rest))
    }

    /// The closest preferred terms and synonyms, best first (at most `limit`).
    public func suggestions(for words: [String], limit: Int = 3) -> [String] {
        let wanted = Set(words.map(Self.stem))
        var scored: [(score: Double, term: String)] = []
        for procedure in procedures {
            var best = 0.0
            for term in [procedure.preferredTerm] + procedure.synonyms {
                let theirs = Set(Self.stripped(Self.words(term)).words.map(Self.stem))
                let shared = Double(wanted.intersection(theirs).count)
                let near = wanted.subtracting(theirs).reduce(0.0) { total, word in
                    total + (theirs.contains { Self.isNear(word, $0) } ? 0.7 : 0)
                }
                let score = (shared + near) / Double(max(1, wanted.union(theirs).count))
                best = max(best, score)
            }
            if best > 0.15 { scored.append((best, procedure.preferredTerm)) }
        }
        return scored.sorted { ($0.score, $1.term) > ($1.score, $0.term) }.prefix(limit).map(\.term)
    }

    static func words(_ term: String) -> [String] {
        TextKey.fold(term).split(separator: " ").map(String.init)
    }

    /// Order-free key of the words, fillers and plural endings ignored.
    static func key(_ words: [String]) -> String {
        words.filter { !fillers.contains($0) }.map(stem).sorted().joined(separator: " ")
    }

    /// The words without an approach phrase, and the approach it named.
    static func stripped(_ words: [String]) -> (words: [String], approach: Approach?) {
        for (phrase, approach) in approachWords {
            guard phrase.count <= words.count else { continue }
            for start in 0...(words.count - phrase.count) where Array(words[start..<start + phrase.count]) == phrase {
                return (Array(words[..<start] + words[(start + phrase.count)...]), approach)
            }
        }
        return (words, nil)
    }

    /// "excisions" → "excision"; short words and words ending in "ss" or "us" are kept.
    static func stem(_ word: String) -> String {
        guard word.count > 4, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else {
            return word
        }
        return String(word.dropLast())
    }

    /// One typo apart (one insertion, deletion, substitution or swap of neighbours) for words of five
    /// letters or more; the same distance as the "did you mean" suggestions (`ReferenceCheck.editDistance`).
    static func isNear(_ a: String, _ b: String) -> Bool {
        guard a.count >= 5, b.count >= 5 else { return false }
        return ReferenceCheck.editDistance(a, b, atMost: 1) <= 1
    }
}
