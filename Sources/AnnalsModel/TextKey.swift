import Foundation

/// Keys for matching names, terms and titles: case, accents, width, punctuation and spacing ignored.
public enum TextKey {
    /// "Zhi-Gang  GAO," → "zhi gang gao"; "高志刚" stays "高志刚".
    public static func fold(_ text: String) -> String {
        if let ascii = foldASCII(text) { return ascii }
        return foldByScalar(text)
    }

    /// Whether the key `text` holds the key `part` whole. Keys are folded, so their UTF-8 bytes are compared:
    /// Foundation's `contains` goes through NSString, many times slower, and name and procedure suggestions ask
    /// this for every candidate.
    static func holds(_ text: String, _ part: String) -> Bool {
        var (text, part) = (text, part)
        return text.withUTF8 { whole in
            part.withUTF8 { piece in
                guard let first = piece.first, piece.count <= whole.count else { return false }
                for start in 0...(whole.count - piece.count) where whole[start] == first {
                    if memcmp(whole.baseAddress! + start, piece.baseAddress!, piece.count) == 0 { return true }
                }
                return false
            }
        }
    }

    /// `fold` for any text, one base character (with the combining marks that follow it) at a time:
    /// ASCII directly, everything else folded by Foundation once per process and remembered. Folding
    /// a character with its marks alone gives what folding it inside its text gives (case folding,
    /// diacritic and width removal do not reach across base characters); the tests check this.
    static func foldByScalar(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        func append(_ scalar: Unicode.Scalar) {
            if pendingSpace && !bytes.isEmpty { bytes.append(32) }
            pendingSpace = false
            if scalar.isASCII {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            var end = i + 1
            while end < scalars.count, isCombining(scalars[end]) { end += 1 }
            if end == i + 1, scalars[i].isASCII {
                let b = UInt8(scalars[i].value)
                let lower = b >= 65 && b <= 90 ? b + 32 : b
                if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                    append(Unicode.Scalar(lower))
                } else {
                    pendingSpace = true
                }
            } else {
                var cluster = String.UnicodeScalarView()
                cluster.append(contentsOf: scalars[i..<end])
                for folded in ClusterFolds.shared.fold(String(cluster)) {
                    if let folded { append(folded) } else { pendingSpace = true }
                }
            }
            i = end
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// The original rule, through Foundation on the whole text: what `fold` must equal.
    static func foundationFold(_ text: String) -> String {
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

    /// How each character outside ASCII folds: its scalars after folding, nil for each that is not a
    /// letter, mark or digit. Worked out by Foundation the first time the character is seen.
    final class ClusterFolds: @unchecked Sendable {
        static let shared = ClusterFolds()
        private let lock = NSLock()
        private var folds: [String: [Unicode.Scalar?]] = [:]

        func fold(_ cluster: String) -> [Unicode.Scalar?] {
            lock.lock()
            defer { lock.unlock() }
            if let known = folds[cluster] { return known }
            let folded = cluster.folding(
                options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            let result = folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? $0 : nil }
            folds[cluster] = result
            return result
        }
    }

    /// `fold` with the spaces removed too: "Zhi-Gang" and "Zhigang" both give "zhigang".
    public static func compact(_ text: String) -> String {
        var key = fold(text)
        key.removeAll { $0 == " " }
        return key
    }
}
