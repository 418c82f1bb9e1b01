/// What a spreadsheet may open is written so that no cell becomes a formula.
///
/// Excel, LibreOffice Calc and WPS treat a cell that starts with `=`, `+`, `-` or `@` as a formula
/// (`=HYPERLINK(…)`, `@SUM(…)`, `-1+cmd|…`), and trim a leading tab or carriage return first, so an
/// imported title such as `=HYPERLINK("http://…","click")` would run when the export is opened.
/// Following OWASP's advice on CSV injection, such a cell is written with a single quote in front
/// (`'=HYPERLINK(…)`), which every spreadsheet shows as text. The registry keeps the text as it was;
/// only what is written for a spreadsheet changes.
///
/// A plain number (`-0.5`, `+3`, `-12.5%`, `1e-3`) is left as it is, in every column: a number cannot
/// run anything, and a negative growth or a signed count must stay a number the spreadsheet can add
/// up. Deciding by the value rather than by the column keeps one rule for every table and for
/// columns added later, and it still neutralises `-1+1` or `-A1`, which are not plain numbers.
///
/// Every CSV writer in Annals (``CSVWriter``) and any later spreadsheet writer (.xlsx) calls
/// ``neutralised(_:)`` for every cell.
public enum SpreadsheetCell {
    /// `value` as a spreadsheet cell that is never a formula: with a `'` in front when it starts with
    /// `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed (after any leading spaces, which
    /// some spreadsheets trim) and is not a plain number; otherwise unchanged.
    public static func neutralised(_ value: String) -> String {
        needsQuote(value) ? "'" + value : value
    }

    /// True when a spreadsheet could take `value` for a formula.
    public static func needsQuote(_ value: String) -> Bool {
        var scalars = value.unicodeScalars[...]
        // Spaces in front are trimmed by some spreadsheets when a file is opened.
        while let first = scalars.first, first == " " { scalars = scalars.dropFirst() }
        guard let first = scalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r", "\n": return true
        case "+", "-": return !isPlainNumber(scalars)
        default: return false
        }
    }

    /// An optional sign, digits with at most one decimal point, an optional exponent and an optional
    /// percent sign, nothing else: `-0.5`, `+3`, `-12.5%`, `-1e-3`.
    static func isPlainNumber(_ scalars: Substring.UnicodeScalarView) -> Bool {
        var i = scalars.startIndex
        func peek() -> Unicode.Scalar? { i < scalars.endIndex ? scalars[i] : nil }
        func digits() -> Int {
            var n = 0
            while let c = peek(), ("0"..."9").contains(c) {
                n += 1
                i = scalars.index(after: i)
            }
            return n
        }
        if let c = peek(), c == "+" || c == "-" { i = scalars.index(after: i) }
        var mantissa = digits()
        if peek() == "." {
            i = scalars.index(after: i)
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let c = peek(), c == "e" || c == "E" {
            i = scalars.index(after: i)
            if let s = peek(), s == "+" || s == "-" { i = scalars.index(after: i) }
            guard digits() > 0 else { return false }
        }
        if peek() == "%" { i = scalars.index(after: i) }
        return i == scalars.endIndex
    }
}
