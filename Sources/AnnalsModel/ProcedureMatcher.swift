import Foundation

/// Finds a procedure in the vocabulary from what people type: case, hyphens, word order and
/// approach words are forgiven ("laparoscopic common bile duct cystectomy" is the choledochal cyst
/// excision, laparoscopic approach), in English and in Chinese ("腹腔镜胆总管囊肿切除术" is the same). A
/// term that names an approach always answers for that approach, never for all of them.
public struct ProcedureMatcher: Sendable {
    /// What a term names.
    public enum Match: Sendable, Hashable {
        /// A procedure, and the approach the term named, if any ("laparoscopic …").
        case procedure(Procedure, approach: Approach?)
        /// No procedure; the closest terms in the vocabulary, best first.
        case unknown(suggestions: [String])
        /// A term naming approaches that cannot all be ("开腹" and "介入"), in `Approach.allCases` order.
        case conflictingApproaches([Approach])
    }

    private let procedures: [Procedure]
    /// Word-set key → procedure index, for every preferred term, synonym and id.
    private let exact: [String: Int]
    /// Each procedure's terms in characters, with their keys and pairs of neighbouring characters, for
    /// `chineseSuggestions` (worked out once: a file of many misspelt names asks for suggestions many times).
    private let chineseTerms: [[(term: String, key: String, pairs: Set<String>)]]
    /// Each procedure's terms as sets of stemmed words, approach phrases left out, for `suggestions`.
    private let wordTerms: [[Set<String>]]

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
    static let fillers: Set<String> = [
        "surgery", "operation", "operations", "procedure", "procedures", "of", "the", "for", "cases", "case",
    ]

    public init(procedures: [Procedure]) {
        self.procedures = procedures
        wordTerms = procedures.map { procedure in
            procedure.terms.map { Set(Self.stripped(Self.words($0)).words.map(Self.stem)) }
        }
        chineseTerms = procedures.map { procedure in
            procedure.terms.filter { ChineseText.containsHan($0) }.map { term in
                let key = Self.chineseKey(TextKey.compact(term))
                return (term, key, Self.pairs(key))
            }
        }
        var exact: [String: Int] = [:]
        for (index, procedure) in procedures.enumerated() {
            for term in [procedure.id] + procedure.terms {
                if ChineseText.containsHan(term) {
                    // Without spaces; an approach phrase in it stays (`match` reads it as the approach).
                    let key = Self.chineseKey(TextKey.compact(term))
                    if exact[key] == nil && !key.isEmpty { exact[key] = index }
                    continue
                }
                let words = Self.words(term)
                for key in [Self.key(words), Self.key(Self.stripped(words).words)]
                where exact[key] == nil && !key.isEmpty {
                    exact[key] = index
                }
            }
        }
        self.exact = exact
    }

    /// The matcher of the most recent vocabulary, for `made(for:)`.
    private final class Latest: @unchecked Sendable {
        static let shared = Latest()
        private let lock = NSLock()
        private var matcher: ProcedureMatcher?
        var kept: ProcedureMatcher? {
            get { lock.withLock { matcher } }
            set { lock.withLock { matcher = newValue } }
        }
    }

    /// A matcher for `procedures`, made once for the same vocabulary: every tally file, tally form and case
    /// question reads the registry's procedures and would otherwise work out all their keys again (hundreds of
    /// terms, each folded and split into words and pairs of characters). Comparing the vocabulary with the one
    /// kept is far cheaper than that; any change to it (a procedure or synonym added) makes a new matcher.
    public static func made(for procedures: [Procedure]) -> ProcedureMatcher {
        if let kept = Latest.shared.kept, kept.procedures == procedures { return kept }
        let matcher = ProcedureMatcher(procedures: procedures)
        Latest.shared.kept = matcher
        return matcher
    }

    /// The procedure `term` names (a preferred term, synonym or id), with the approach it names. A term
    /// that names an approach answers for it even when it is a synonym as written ("giant spleen hybrid
    /// surgery", or a synonym someone added with "腹腔镜" in it).
    public func match(_ term: String) -> Match {
        let words = Self.words(term)
        let (rest, approach) = Self.stripped(words)
        if ChineseText.containsHan(term) { return matchChinese(words: words, rest: rest, approach: approach) }
        if let index = exact[Self.key(words)] { return .procedure(procedures[index], approach: approach) }
        if let index = exact[Self.key(rest)] { return .procedure(procedures[index], approach: approach) }
        return .unknown(suggestions: suggestions(for: rest))
    }

    /// `match` for a term with Chinese characters ("腹腔镜胆总管囊肿切除术", "Rex手术", "laparoscopic 胆总管囊肿切除术"):
    /// the approach phrases are found anywhere in it, and the rest is compared without spaces.
    private func matchChinese(words: [String], rest: [String], approach english: Approach?) -> Match {
        let whole = words.joined()
        let (chineseRest, chinese) = ApproachWords.strippedChinese(rest.joined())
        let named = (english.map { [$0] } ?? []) + chinese
        let (approach, conflicting) = ApproachWords.combined(named)
        if conflicting { return .conflictingApproaches(Approach.allCases.filter(named.contains)) }
        for key in [Self.chineseKey(whole), Self.chineseKey(chineseRest)] where !key.isEmpty {
            if let index = exact[key] { return .procedure(procedures[index], approach: approach) }
        }
        return .unknown(suggestions: chineseSuggestions(for: Self.chineseKey(chineseRest)))
    }

    /// The key of a term in characters: folded, without spaces, without the words every name may carry or
    /// leave out ("先天性", "小儿", a closing "手术" or "术"): "先天性胆总管囊肿切除术" → "胆总管囊肿切除".
    static func chineseKey(_ compact: String) -> String {
        var key = Substring(compact)
        for prefix in ["先天性", "小儿", "儿童"] where key.hasPrefix(prefix) && key.count > prefix.count {
            key = key.dropFirst(prefix.count)
        }
        for suffix in ["手术", "术"] where key.hasSuffix(suffix) && key.count > suffix.count {
            key = key.dropLast(suffix.count)
            break
        }
        return String(key)
    }

    /// The closest terms in characters, best first: those sharing most pairs of neighbouring characters
    /// with what was typed, or holding it whole ("胆总管" → "胆总管囊肿切除术").
    func chineseSuggestions(for key: String, limit: Int = 3) -> [String] {
        guard key.count >= 2 else { return [] }
        let wanted = Self.pairs(key)
        var scored: [(score: Double, term: String)] = []
        for terms in chineseTerms {
            var best: (score: Double, term: String)?
            for (term, theirs, other) in terms {
                var shared = 0
                for pair in wanted where other.contains(pair) { shared += 1 }
                var score = 2 * Double(shared) / Double(max(1, wanted.count + other.count))
                if TextKey.holds(theirs, key) || TextKey.holds(key, theirs) { score = max(score, 0.5) }
                if score > (best?.score ?? 0.3) { best = (score, term) }
            }
            if let best { scored.append(best) }
        }
        return scored.sorted { ($0.score, $1.term) > ($1.score, $0.term) }.prefix(limit).map(\.term)
    }

    /// The pairs of neighbouring characters of `text`.
    static func pairs(_ text: String) -> Set<String> {
        let characters = Array(text)
        return Set((0..<max(0, characters.count - 1)).map { String(characters[$0...$0 + 1]) })
    }

    /// The procedures whose names (id, preferred term, synonyms) hold every word of `text`, approach
    /// words left out: `annals procedures 胆总管`, `annals procedures bile duct`.
    public func search(_ text: String) -> [Procedure] {
        var pieces: [String] = []
        for word in Self.stripped(Self.words(text)).words {
            let piece = ChineseText.containsHan(word) ? ApproachWords.strippedChinese(word).rest : word
            if !piece.isEmpty { pieces.append(piece) }
        }
        guard !pieces.isEmpty else { return [] }
        return procedures.filter { p in
            let names = ([p.id] + p.terms).map(TextKey.fold)
            let spaced = names.joined(separator: " ")
            let compact = names.map { $0.replacingOccurrences(of: " ", with: "") }.joined(separator: " ")
            return pieces.allSatisfy { ChineseText.containsHan($0) ? compact.contains($0) : spaced.contains($0) }
        }
    }

    /// What to tell someone whose `term` named `approaches` that contradict each other.
    public static func conflictMessage(_ term: String, _ approaches: [Approach]) -> String {
        var distinct: [Approach] = []
        for approach in approaches where !distinct.contains(approach) { distinct.append(approach) }
        return
            "'\(term)' names more than one approach (\(distinct.map(\.rawValue).joined(separator: " and "))); name one"
    }

    /// The closest preferred terms and synonyms, best first (at most `limit`).
    public func suggestions(for words: [String], limit: Int = 3) -> [String] {
        let wanted = Set(words.map(Self.stem))
        var scored: [(score: Double, term: String)] = []
        for (index, procedure) in procedures.enumerated() {
            var best = 0.0
            for theirs in wordTerms[index] {
                // Words in both, and words one typo from one of theirs, over the words of either (counted
                // without making the sets: this runs for every term of the vocabulary).
                var shared = 0
                var near = 0.0
                for word in wanted {
                    if theirs.contains(word) {
                        shared += 1
                    } else if theirs.contains(where: { Self.isNear(word, $0) }) {
                        near += 0.7
                    }
                }
                let score = (Double(shared) + near) / Double(max(1, wanted.count + theirs.count - shared))
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
        guard word.count > 4, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is")
        else {
            return word
        }
        return String(word.dropLast())
    }

    /// One typo apart (one insertion, deletion, substitution or swap of neighbours) for words of five
    /// letters or more; the same distance as the "did you mean" suggestions (`ReferenceCheck.editDistance`).
    /// Worked out in one pass without copying either word: `suggestions` asks it for every word of every term of
    /// the vocabulary (`ReferenceCheck.editDistance(a, b, atMost: 1) <= 1` is the same answer, much slower).
    static func isNear(_ a: String, _ b: String) -> Bool {
        let (m, n) = (a.count, b.count)
        guard m >= 5, n >= 5, abs(m - n) <= 1 else { return false }
        var (i, j) = (a.startIndex, b.startIndex)
        while i < a.endIndex, j < b.endIndex, a[i] == b[j] {
            a.formIndex(after: &i)
            b.formIndex(after: &j)
        }
        // The same, or one longer by its last character.
        guard i < a.endIndex, j < b.endIndex else { return true }
        let (afterI, afterJ) = (a.index(after: i), b.index(after: j))
        if m > n { return a[afterI...].elementsEqual(b[j...]) }  // one deleted from a
        if m < n { return a[i...].elementsEqual(b[afterJ...]) }  // one inserted into a
        if a[afterI...].elementsEqual(b[afterJ...]) { return true }  // one replaced
        // Two neighbours swapped.
        guard afterI < a.endIndex, afterJ < b.endIndex, a[i] == b[afterJ], a[afterI] == b[j] else { return false }
        return a[a.index(after: afterI)...].elementsEqual(b[b.index(after: afterJ)...])
    }
}
