/// The one rule for text an import accepts, on every import path: whatever is accepted, the registry's
/// XML export writes and reads back byte for byte; whatever could not be kept is refused, with its place.
///
/// XML 1.0 cannot hold most control characters, even written as `&#1;`: an ESC or a U+0001 in a note
/// would make the export ill-formed, and a NUL would cut the text short where it is handed to C. The
/// XML readers get this from libxml2 (it refuses such files); CSV, the other way text comes in, checks
/// it with this rule (`CSV.read`).
///
/// A field is at most 1 MB. libxml2 refuses a text over 10 MB, but its validating reader (the one a
/// registry import uses) joins a long text from its pieces at a cost that grows with the square of the
/// length: a 10 MB note, once exported, took hours to read back (measured: a note of 10 million `&`,
/// exported as `&amp;`, was still being read after ten minutes). 1 MB is far beyond any title, abstract
/// (PubMed cuts abstracts at about 10,000 characters) or note, and reads back in seconds.
public enum ImportedText {
    /// The longest text one field may hold, in bytes of UTF-8 (see above).
    public static let maximumBytes = 1_000_000

    /// True when the registry's XML can hold `scalar` (XML 1.0's `Char`): tab, line feed, carriage
    /// return and every character from U+0020 on, except U+FFFE and U+FFFF.
    public static func accepts(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20, 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// Why `scalar` is refused, in words for the user.
    public static func refusal(of scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        let what: String =
            switch scalar.value {
            case 0x00: "a NUL character (\(code))"
            case 0x1B: "an escape character (ESC, \(code))"
            case 0xFFFE, 0xFFFF: "the non-character \(code)"
            default: "a control character (\(code))"
            }
        return "\(what), which is not text and cannot be kept (most editors do not show it); delete it and import again"
    }

    /// Why a text of `bytes` bytes is refused.
    public static func refusal(ofLength bytes: Int) -> String {
        "this field is \(bytes) bytes long, more than the 1 MB (1,000,000 bytes) Annals keeps in one field; check that this is the file you meant"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
