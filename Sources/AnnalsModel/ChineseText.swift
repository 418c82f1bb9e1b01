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

