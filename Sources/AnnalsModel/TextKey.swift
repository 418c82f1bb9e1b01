import Foundation

/// Keys for matching names, terms and titles: case, accents, width, punctuation and spacing ignored.
public enum TextKey {
    /// "Zhi-Gang  GAO," → "zhi gang gao"; "高志刚" stays "高志刚".
    public static func fold(_ text: String) -> String {
        if let ascii = foldASCII(text) { return ascii }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ")
    }

    /// `fold` for plain ASCII text without Foundation (most names and affiliations): nil for other text.
    private static func foldASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            guard b < 0x80 else { return nil }
            let lower = b >= 65 && b <= 90 ? b + 32 : b
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                if pendingSpace && !bytes.isEmpty { bytes.append(32) }
                pendingSpace = false
                bytes.append(lower)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `fold` with the spaces removed too: "Zhi-Gang" and "Zhigang" both give "zhigang".
    public static func compact(_ text: String) -> String {
        fold(text).replacingOccurrences(of: " ", with: "")
    }
}
