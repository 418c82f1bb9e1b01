import AnnalsXML
import Foundation

/// One field of a CSV record: its text (outer quotes removed, doubled quotes undone) and where it starts.
struct CSVField: Sendable, Hashable {
    /// The value, exactly as the file holds it (embedded line breaks included).
    var text: String
    /// The 1-based line the field starts on.
    var line: Int
    /// The 1-based column the field starts at, counted in characters (Unicode scalars); the opening
    /// quote's column when the field is quoted.
    var column: Int
}

/// One record (row) of a CSV file.
struct CSVRecord: Sendable, Hashable {
    /// The 1-based line of the record's first line.
    var line: Int
    var fields: [CSVField]

    /// True when every field is empty or blank (a spreadsheet's leftover `,,,,` row).
    var isBlank: Bool { fields.allSatisfy { $0.text.allSatisfy(\.isWhitespace) } }
}

/// A fault in the CSV structure itself (an unclosed quote, text after a closing quote), or in the encoding.
struct CSVProblem: Sendable, Hashable {
    var line: Int
    var column: Int
    var message: String
}

/// A small RFC 4180 reader: comma-separated fields, optionally enclosed in double quotes; a quote
/// inside a quoted field is written twice; quoted fields may hold commas and line breaks.
///
/// Lenient where spreadsheets and hand editing differ from the RFC, strict where a guess could
/// change a value:
/// - lines end in CRLF, LF or a lone CR (old Mac Excel), in any mixture;
/// - a UTF-8 byte-order mark at the start is skipped; any other encoding is refused with its line;
/// - blank lines are skipped;
/// - spaces or tabs before an opening quote or after a closing quote are ignored;
/// - a quote inside an unquoted field, or text after a closing quote, is a problem (reported, and the
///   text is kept as written so that reading can go on and report later problems too).
enum CSV {
    /// The largest CSV file Annals reads (64 MiB): a journal list of every indexed journal for a decade
    /// or a hospital's tallies for decades is a few megabytes, and the file is read whole.
    static let maximumFileSize = 64 << 20

    /// The bytes of a CSV file to import; a folder, an unreadable file or one larger than
    /// `maximumFileSize` is refused with a message for the user, naming the file.
    static func contents(of file: URL, displayName: String) throws -> Data {
        func refuse(_ message: String) -> ImportFailure {
            ImportFailure([XMLDiagnostic(file: displayName, line: 0, column: 0, message: message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
            throw refuse("no such file. Check the path and try again.")
        }
        if isDirectory.boolValue { throw refuse("this is a folder, not a file. Name the CSV file inside it.") }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        if size > maximumFileSize {
            throw refuse(
                "the file is \(size >> 20) MB, more than the \(maximumFileSize >> 20) MB a CSV file for Annals can be; check that this is the file you meant")
        }
        do {
            return try Data(contentsOf: file)
        } catch {
            throw refuse("cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Reads the records of `data`, which must be UTF-8. Structural problems are returned alongside
    /// the records rather than thrown, so that a caller can report them with all its other findings.
    static func read(_ data: Data) -> (records: [CSVRecord], problems: [CSVProblem]) {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return (
                [],
                [
                    CSVProblem(
                        line: 1, column: 1,
                        message:
                            "the file is UTF-16 text (Excel's \"Unicode Text\"), not CSV in UTF-8; in Excel, save it as \"CSV UTF-8 (Comma delimited) (*.csv)\""
                    )
                ]
            )
        }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        var codec = UTF8()
        decoding: while true {
            switch codec.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break decoding
            case .error:
                let (line, column) = position(after: scalars)
                return (
                    [],
                    [
                        CSVProblem(
                            line: line, column: column,
                            message:
                                "the file is not UTF-8 text (Excel's plain \"CSV (Comma delimited)\" on a Chinese system saves GBK); in Excel, save it as \"CSV UTF-8 (Comma delimited) (*.csv)\""
                        )
                    ]
                )
            }
        }
        return read(scalars)
    }

    /// Reads the records of `text`.
    static func read(_ text: String) -> (records: [CSVRecord], problems: [CSVProblem]) {
        read(Array(text.unicodeScalars))
    }

    /// A problem for each character the registry cannot keep (``ImportedText``), at its line and column
    /// (the first 20; then one saying how many more).
    private static func unacceptableCharacters(in scalars: [Unicode.Scalar]) -> [CSVProblem] {
        guard scalars.contains(where: { !ImportedText.accepts($0) }) else { return [] }
        var problems: [CSVProblem] = []
        var more = 0
        var line = 1
        var column = 1
        var previous: Unicode.Scalar?
        for (index, scalar) in scalars.enumerated() {
            if !ImportedText.accepts(scalar) {
                if problems.count < 20 {
                    problems.append(CSVProblem(line: line, column: column, message: "this field holds " + ImportedText.refusal(of: scalar)))
                } else {
                    more += 1
                }
            }
            if scalar == "\n" {
                if previous != "\r" { line += 1 }
                column = 1
            } else if scalar == "\r" {
                line += 1
                column = 1
            } else if !(index == 0 && scalar == "\u{FEFF}") {
                column += 1
            }
            previous = scalar
        }
        if more > 0, let last = problems.last {
            problems.append(CSVProblem(line: last.line, column: last.column, message: "and \(more) more such characters after this one"))
        }
        return problems
    }

    /// The line and column just after `scalars`, counting line breaks the way the reader does.
    private static func position(after scalars: [Unicode.Scalar]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var previous: Unicode.Scalar?
        for scalar in scalars {
            if scalar == "\n" {
                if previous != "\r" { line += 1 }
                column = 1
            } else if scalar == "\r" {
                line += 1
                column = 1
            } else if !(line == 1 && column == 1 && scalar == "\u{FEFF}") {
                column += 1
            }
            previous = scalar
        }
        return (line, column)
    }

    private static func read(_ s: [Unicode.Scalar]) -> (records: [CSVRecord], problems: [CSVProblem]) {
        var records: [CSVRecord] = []
        var problems: [CSVProblem] = unacceptableCharacters(in: s)
        let n = s.count
        var i = 0
        var line = 1
        // Index of the first scalar of the current line, so that column(i) = i - lineStart + 1.
        var lineStart = 0
        if n > 0, s[0] == "\u{FEFF}" {
            i = 1
            lineStart = 1
        }
        func column(_ index: Int) -> Int { index - lineStart + 1 }
        func isLineBreak(_ index: Int) -> Bool { index < n && (s[index] == "\n" || s[index] == "\r") }
        func isBlank(_ index: Int) -> Bool { index < n && (s[index] == " " || s[index] == "\t") }
        func checkLength(_ field: CSVField) {
            let bytes = field.text.utf8.count
            if bytes > ImportedText.maximumBytes {
                problems.append(CSVProblem(line: field.line, column: field.column, message: ImportedText.refusal(ofLength: bytes)))
            }
        }
        /// Consumes the line break at `i` (CRLF, LF or CR), appending it to `text` when given.
        func consumeLineBreak(into text: inout String.UnicodeScalarView) {
            if s[i] == "\r", i + 1 < n, s[i + 1] == "\n" {
                text.append(s[i])
                i += 1
            }
            text.append(s[i])
            i += 1
            line += 1
            lineStart = i
        }

        while i < n {
            let recordLine = line
            var fields: [CSVField] = []
            var onlyEmptyUnquoted = true
            while true {
                var text = String.UnicodeScalarView()
                var start = i
                var lookahead = i
                while isBlank(lookahead) { lookahead += 1 }
                if lookahead < n, s[lookahead] == "\"" {
                    // A quoted field.
                    onlyEmptyUnquoted = false
                    start = lookahead
                    let fieldLine = line
                    let fieldColumn = column(start)
                    i = lookahead + 1
                    var closed = false
                    while i < n {
                        if s[i] == "\"" {
                            if i + 1 < n, s[i + 1] == "\"" {
                                text.append("\"")
                                i += 2
                            } else {
                                i += 1
                                closed = true
                                break
                            }
                        } else if isLineBreak(i) {
                            consumeLineBreak(into: &text)
                        } else {
                            text.append(s[i])
                            i += 1
                        }
                    }
                    if !closed {
                        problems.append(
                            CSVProblem(
                                line: fieldLine, column: fieldColumn,
                                message:
                                    "this field starts with a quote (\") that is never closed, so it runs to the end of the file; close it, or write a quote inside a field as two quotes (\"\")"
                            ))
                    }
                    while isBlank(i) { i += 1 }
                    if i < n, s[i] != ",", !isLineBreak(i) {
                        problems.append(
                            CSVProblem(
                                line: line, column: column(i),
                                message:
                                    "text after the closing quote of a quoted field; put the whole value in quotes and write each quote inside it as two quotes (\"\")"
                            ))
                        while i < n, s[i] != ",", !isLineBreak(i) {
                            text.append(s[i])
                            i += 1
                        }
                    }
                    fields.append(CSVField(text: String(text), line: fieldLine, column: fieldColumn))
                    checkLength(fields.last!)
                } else {
                    // An unquoted field: everything up to the next comma or line break.
                    var reported = false
                    while i < n, s[i] != ",", !isLineBreak(i) {
                        if s[i] == "\"", !reported {
                            reported = true
                            problems.append(
                                CSVProblem(
                                    line: line, column: column(i),
                                    message:
                                        "a quote (\") inside a field that does not start with one; put the whole value in quotes and write each quote inside it as two quotes (\"\")"
                                ))
                        }
                        text.append(s[i])
                        i += 1
                    }
                    if !text.isEmpty { onlyEmptyUnquoted = false }
                    fields.append(CSVField(text: String(text), line: line, column: column(start)))
                    checkLength(fields.last!)
                }
                if i < n, s[i] == "," {
                    i += 1
                    onlyEmptyUnquoted = false
                    continue
                }
                break
            }
            if isLineBreak(i) {
                var discarded = String.UnicodeScalarView()
                consumeLineBreak(into: &discarded)
            }
            // A line with nothing on it is not a record.
            if !(fields.count == 1 && onlyEmptyUnquoted) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
        }
        return (records, problems)
    }
}
