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
            && id.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }
}

/// ORCID iDs, written in any of their forms, reduced to the bare `0000-0002-1825-0097`.
public enum ORCID {
    /// The bare iD when `text` is an ORCID (bare, `orcid.org/…`, `http://` or `https://orcid.org/…`)
    /// with a correct check digit; nil otherwise.
    public static func normalize(_ text: String) -> String? {
        var s = Substring(text.trimmingCharacters(in: " \t\r\n"))
        for prefix in ["https://orcid.org/", "http://orcid.org/", "https://www.orcid.org/", "http://www.orcid.org/", "orcid.org/"]
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
}

/// DOIs in their canonical registry form: lower case, without a resolver prefix.
public enum DOI {
    public static func normalize(_ text: String) -> String? {
        var s = text.trimmingCharacters(in: " \t\r\n").lowercased()
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:"]
        where s.hasPrefix(prefix) {
            s.removeFirst(prefix.count)
            break
        }
        s = s.trimmingCharacters(in: " ")
        guard s.hasPrefix("10."), s.contains("/") else { return nil }
        return s
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        guard let first = firstIndex(where: { !chars.contains($0) }), let last = lastIndex(where: { !chars.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
