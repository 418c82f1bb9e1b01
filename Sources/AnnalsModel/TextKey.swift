import Foundation

/// Keys for matching names, terms and titles: case, accents, width, punctuation and spacing ignored.
public enum TextKey {
    /// "Zhi-Gang  GAO," → "zhi gang gao"; "高志刚" stays "高志刚".
    public static func fold(_ text: String) -> String {
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

    /// `fold` with the spaces removed too: "Zhi-Gang" and "Zhigang" both give "zhigang".
    public static func compact(_ text: String) -> String {
        fold(text).replacingOccurrences(of: " ", with: "")
    }
}
