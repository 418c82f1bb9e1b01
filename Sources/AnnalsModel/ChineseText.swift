/// Telling Chinese characters (hanzi) apart from other text: a name or term written in hanzi is
/// matched and written as Chinese, never as Latin words and initials.
public enum ChineseText {
    /// True for a CJK ideograph (the unified blocks, their extensions and the compatibility block).
    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x30000...0x323AF: true
        default: false
        }
    }

    /// True when `text` holds at least one hanzi ("普外科", "Rex手术").
    public static func containsHan(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isHan)
    }

    /// True when every letter of `text` is a hanzi, ignoring spaces and the middle dot of transcribed
    /// names ("高志刚", "欧阳 明"); false for empty text and for text mixing in Latin letters.
    public static func isHanOnly(_ text: some StringProtocol) -> Bool {
        var sawHan = false
        for scalar in text.unicodeScalars {
            if isHan(scalar) {
                sawHan = true
            } else if scalar == " " || scalar == "\u{3000}" || scalar == "·" || scalar == "・" {
                continue
            } else {
                return false
            }
        }
        return sawHan
    }
}

/// Chinese personal names, kept as Chinese: never cut into initials, written whole ("高志刚"), and split
/// into family and given name knowing the two-character family names (欧阳明 is 欧阳 明, not 欧 阳明).
public enum ChineseName {
    /// Two-character family names (复姓), simplified and traditional; every other Chinese family name has one character.
    public static let compoundFamilyNames: Set<String> = [
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒",
        "端木", "轩辕", "澹台", "南宫", "西门", "申屠", "闻人", "呼延", "独孤", "万俟", "钟离", "司空", "太史", "淳于",
        "单于", "公冶", "宗政", "濮阳", "仲孙", "拓跋", "百里", "东郭", "左丘", "第五", "赫连", "谷梁", "乐正", "鲜于",
        "歐陽", "諸葛", "東方", "長孫", "令狐", "夏侯", "尉遲", "公孫", "皇甫", "慕容", "司徒", "鍾離", "軒轅", "獨孤",
    ]

    /// The family and given name of a name written in characters, family name first: "高志刚" → 高, 志刚;
    /// "欧阳明" → 欧阳, 明; "欧阳 明" as written. Nil for a name that is not all hanzi, and for one character.
    public static func split(_ name: String) -> (family: String, given: String)? {
        guard ChineseText.isHanOnly(name) else { return nil }
        let parts = name.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        if parts.count == 2 { return (parts[0], parts[1]) }
        let whole = parts.joined()
        guard whole.count > 1 else { return nil }
        // A two-character name is family + given even when its two characters form a compound family name.
        let familyLength = whole.count > 2 && compoundFamilyNames.contains(String(whole.prefix(2))) ? 2 : 1
        return (String(whole.prefix(familyLength)), String(whole.dropFirst(familyLength)))
    }

    /// The name written whole, family name first and without a space, when family and given name are in
    /// characters ("高" "志刚" → "高志刚"; a family name alone, "高志刚", as it is); nil otherwise.
    public static func whole(family: String?, given: String?) -> String? {
        let parts = [family, given].compactMap { $0?.trimmingSpaces }.filter { !$0.isEmpty }
        guard !parts.isEmpty, parts.allSatisfy(ChineseText.isHanOnly) else { return nil }
        return parts.joined().filter { $0 != " " && $0 != "\u{3000}" }
    }
}

extension String {
    /// Without spaces at either end.
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\u{3000}" { text = text.dropFirst() }
        while text.last == " " || text.last == "\u{3000}" { text = text.dropLast() }
        return String(text)
    }
}
