/// Stable record identifiers: `general-surgery`, `gao-zhigang`, `tally.2019.lccs`.
///
/// Lower-case ASCII letters and digits, with `-`, `_` and `.` inside, at most 128 characters. The
/// same rule is the `Id` pattern of the registry schema.
public enum RecordID {
    public static func isValid(_ id: String) -> Bool {
        guard let first = id.utf8.first, id.utf8.count <= 128 else { return false }
        func isAlphanumeric(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        return isAlphanumeric(first)
            && id.utf8.allSatisfy {
                isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }
}

/// ORCID iDs, written in any of their forms, reduced to the bare `0000-0002-1825-0097`.
public enum ORCID {
    /// The bare iD when `text` is an ORCID (bare, `orcid.org/…`, `http://` or `https://orcid.org/…`)
    /// with a correct check digit; nil otherwise.
    public static func normalize(_ text: String) -> String? {
        if let ascii = normalizeASCII(text) { return ascii.isEmpty ? nil : ascii }
        return normalizeCharacters(text)
    }

    /// `normalize` for any text, character by character.
    static func normalizeCharacters(_ text: String) -> String? {
        var s = Substring(text.trimmingCharacters(in: " \t\r\n"))
        for prefix in [
            "https://orcid.org/", "http://orcid.org/", "https://www.orcid.org/", "http://www.orcid.org/", "orcid.org/",
        ]
        where s.lowercased().hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            break
        }
        var digits = s.filter { $0 != "-" }.uppercased()
        guard digits.count == 16, digits.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
            let last = digits.last, last == "X" || (last.isASCII && last.isNumber)
        else { return nil }
        var total = 0
        for c in digits.dropLast() { total = (total + Int(String(c))!) * 2 }
        let remainder = (12 - total % 11) % 11
        let check: Character = remainder == 10 ? "X" : Character(String(remainder))
        guard check == last else { return nil }
        digits.insert("-", at: digits.index(digits.startIndex, offsetBy: 12))
        digits.insert("-", at: digits.index(digits.startIndex, offsetBy: 8))
        digits.insert("-", at: digits.index(digits.startIndex, offsetBy: 4))
        return digits
    }

    private static let prefixes = [
        "https://orcid.org/", "http://orcid.org/", "https://www.orcid.org/", "http://www.orcid.org/", "orcid.org/",
    ]
    .map { Array($0.utf8) }

    /// `normalize` byte by byte for ASCII text (every iD as PubMed writes it): the iD, "" for no iD, nil
    /// for text outside ASCII (left to `normalize`'s own way).
    static func normalizeASCII(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        var start = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        for prefix in prefixes where bytes.count - start >= prefix.count {
            if prefix.indices.allSatisfy({
                (bytes[start + $0] | (bytes[start + $0] >= 0x41 && bytes[start + $0] <= 0x5A ? 0x20 : 0)) == prefix[$0]
            }) {
                start += prefix.count
                break
            }
        }
        var digits: [UInt8] = []
        for b in bytes[start...] where b != UInt8(ascii: "-") { digits.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        guard digits.count == 16, digits.dropLast().allSatisfy(isDigit), let last = digits.last,
            last == UInt8(ascii: "X") || isDigit(last)
        else { return "" }
        var total = 0
        for b in digits.dropLast() { total = (total + Int(b - 0x30)) * 2 }
        let remainder = (12 - total % 11) % 11
        guard last == (remainder == 10 ? UInt8(ascii: "X") : UInt8(0x30 + remainder)) else { return "" }
        var result = [UInt8]()
        for (i, b) in digits.enumerated() {
            if i > 0 && i % 4 == 0 { result.append(UInt8(ascii: "-")) }
            result.append(b)
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// DOIs in their canonical registry form: lower case, without a resolver prefix.
public enum DOI {
    /// The DOI in `text`, lower case and without resolver prefix ("https://dx.doi.org/10.1000/X" → "10.1000/x",
    /// "DOI 10.1000/x", "doi: 10.1000/x"); nil when the text is not a DOI (an ISBN, a URL elsewhere, junk).
    /// A DOI is "10.", a registrant code of digits (and dots), "/", and a suffix without spaces.
    public static func normalize(_ text: String) -> String? {
        var s = Substring(text.trimmingCharacters(in: " \t\r\n").lowercased())
        for prefix in [
            "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "https://www.doi.org/",
            "http://www.doi.org/", "dx.doi.org/", "doi.org/",
        ] where s.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
            break
        }
        if s.hasPrefix("doi") {
            s = s.dropFirst(3).drop { $0 == ":" || $0 == " " || $0 == "\u{A0}" }
        }
        guard s.hasPrefix("10."), let slash = s.firstIndex(of: "/") else { return nil }
        let registrant = s[s.index(s.startIndex, offsetBy: 3)..<slash]
        let suffix = s[s.index(after: slash)...]
        guard let first = registrant.first, first.isASCII, first.isNumber,
            registrant.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }),
            !suffix.isEmpty, !suffix.contains(where: { $0.isWhitespace })
        else { return nil }
        return String(s)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        // By scalar: "\r\n" is one Character, and a lone "\n" must be trimmed as well as the pair.
        let scalars = Set(set.unicodeScalars)
        let trimmed = { (c: Character) in c.unicodeScalars.allSatisfy(scalars.contains) }
        guard let first = firstIndex(where: { !trimmed($0) }), let last = lastIndex(where: { !trimmed($0) })
        else { return "" }
        return String(self[first...last])
    }
}
