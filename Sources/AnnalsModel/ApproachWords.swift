import Foundation

/// The words that name an approach, in English and in Chinese, and reading them off a term
/// ("腹腔镜胆总管囊肿切除术" is the choledochal cyst excision, laparoscopic).
public enum ApproachWords {
    /// Chinese approach phrases, longest first: each is looked for anywhere in a term written in
    /// characters (Chinese has no spaces between words). The words a department writes after one
    /// ("下", "辅助") belong to it: "腹腔镜下", "机器人辅助".
    static let chinese: [(phrase: String, approach: Approach)] = {
        let stems: [(String, Approach)] = [
            ("腹腔镜中转开腹", .converted), ("腹腔镜中转开放", .converted), ("中转开腹", .converted), ("中转开放", .converted),
            ("达芬奇机器人", .robotic), ("达芬奇", .robotic), ("机器人", .robotic),
            ("dsa引导", .interventional), ("介入", .interventional),
            ("腹腔镜", .laparoscopic),
            ("内窥镜", .endoscopic), ("内镜", .endoscopic),
            ("杂交", .hybrid),
            ("开腹", .open), ("开放", .open),
        ]
        var phrases: [(phrase: String, approach: Approach)] = []
        for (stem, approach) in stems {
            for tail in ["辅助下", "辅助", "下", ""] { phrases.append((stem + tail, approach)) }
        }
        return phrases.sorted { $0.phrase.count > $1.phrase.count }
    }()

    /// The approach `word` names on its own: a raw value ("laparoscopic", any case) or a word people
    /// write for it ("腹腔镜", "达芬奇", "开腹", "Da Vinci", "converted to open"); nil for anything else.
    public static func approach(named word: String) -> Approach? {
        let folded = TextKey.fold(word)
        if let approach = Approach(rawValue: String(folded.map { $0 == " " ? "-" : $0 })) { return approach }
        let words = folded.split(separator: " ").map(String.init)
        if let english = ProcedureMatcher.approachWords.first(where: { $0.words == words }) { return english.approach }
        let compact = TextKey.compact(word)
        if let chinese = chinese.first(where: { $0.phrase == compact }) { return chinese.approach }
        // "腹腔镜手术", "开放手术": the approach's own operation word.
        for suffix in ["手术", "术"] where compact.hasSuffix(suffix) && compact.count > suffix.count {
            if let chinese = chinese.first(where: { $0.phrase == String(compact.dropLast(suffix.count)) }) {
                return chinese.approach
            }
        }
        return nil
    }

    /// `text` (folded and without spaces) without the Chinese approach phrases in it, and the approaches
    /// they named, in the order found.
    static func strippedChinese(_ text: String) -> (rest: String, approaches: [Approach]) {
        var rest = text
        var found: [Approach] = []
        for (phrase, approach) in chinese {
            while let range = rest.range(of: phrase) {
                rest.removeSubrange(range)
                found.append(approach)
            }
        }
        return (rest, found)
    }

    /// The one approach the approaches a term names come to: none, one, or nil (`conflicting`) when they
    /// contradict each other. Converted names a laparoscopic operation that became open ("腹腔镜…中转开腹");
    /// robotic surgery is robot-assisted laparoscopy ("机器人辅助腹腔镜…").
    static func combined(_ approaches: [Approach]) -> (approach: Approach?, conflicting: Bool) {
        let distinct = Set(approaches)
        if distinct.count <= 1 { return (distinct.first, false) }
        if distinct.contains(.converted), distinct.isSubset(of: [.converted, .laparoscopic, .open]) {
            return (.converted, false)
        }
        if distinct == [.robotic, .laparoscopic] { return (.robotic, false) }
        return (nil, true)
    }
}
