import AnnalsDiagnostics
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
    var code: Diagnostic.Code
    var line: Int
    var column: Int
    var message: String

    /// The problem as a diagnostic in `file`.
    func diagnostic(in file: String) -> Diagnostic {
        Diagnostic(code, file: file, line: line, column: column, message: message)
    }
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
    /// The largest CSV file Annals reads whole (64 MiB): a journal list of every indexed journal for a
    /// decade is a few megabytes.
    static let maximumFileSize = 64 << 20

    /// The largest CSV file Annals reads a piece at a time (1 GiB, tally files): a million monthly
    /// tallies are about 70 MB; anything near this limit is most likely not the file meant.
    static let maximumStreamedFileSize = 1 << 30

    /// The bytes of a CSV file to import; a folder, an unreadable file or one larger than
    /// `maximumFileSize` is refused with a message for the user, naming the file.
    static func contents(of file: URL, displayName: String) throws -> Data {
        try checkFile(file, displayName: displayName, maximumSize: maximumFileSize)
        do {
            return try Data(contentsOf: file)
        } catch {
            throw DiagnosticError(
                Diagnostic(
                    .fileUnreadable, file: displayName, line: 0, column: 0,
                    message: "cannot read the file: \(error.localizedDescription)"))
        }
    }

    /// Refuses a missing file, a folder, or a file larger than `maximumSize`, with a message for the user.
    static func checkFile(_ file: URL, displayName: String, maximumSize: Int) throws {
        func refuse(_ code: Diagnostic.Code, _ message: String) -> DiagnosticError {
            DiagnosticError(Diagnostic(code, file: displayName, line: 0, column: 0, message: message))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else {
            throw refuse(.fileMissing, "no such file. Check the path and try again.")
        }
        if isDirectory.boolValue {
            throw refuse(.fileIsFolder, "this is a folder, not a file. Name the CSV file inside it.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        if size > maximumSize {
            throw refuse(
                .fileTooLarge,
                "the file is \(size >> 20) MB, more than the \(maximumSize >> 20) MB a CSV file for Annals can be; check that this is the file you meant"
            )
        }
    }

    /// Reads the records of `data`, which must be UTF-8. Structural problems are returned alongside
    /// the records rather than thrown, so that a caller can report them with all its other findings.
    /// A file that is not UTF-8 gives no records and that one problem.
    static func read(_ data: Data) -> (records: [CSVRecord], problems: [CSVProblem]) {
        var records: [CSVRecord] = []
        var problems: [CSVProblem] = []
        if let encoding = forEachRecord(in: data, { records.append($0) }, problem: { problems.append($0) }) {
            return ([], [encoding])
        }
        return (records, problems)
    }

    /// Reads the records of `text`.
    static func read(_ text: String) -> (records: [CSVRecord], problems: [CSVProblem]) {
        read(Data(text.utf8))
    }

    /// Hands the records of `data` to `body` one at a time, in file order, and structural problems to
    /// `problem` as they are met; memory does not grow with the file. Stops at the first byte that is not
    /// UTF-8 and returns that problem (the records handed over before it should then be disregarded:
    /// the file is in another encoding).
    @discardableResult
    static func forEachRecord(
        in data: Data, _ body: (CSVRecord) throws -> Void, problem: (CSVProblem) -> Void
    ) rethrows -> CSVProblem? {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return CSVProblem(
                code: .csvUTF16, line: 1, column: 1,
                message:
                    "the file is UTF-16 text (Excel's \"Unicode Text\"), not CSV in UTF-8; in Excel, save it as \"CSV UTF-8 (Comma delimited) (*.csv)\""
            )
        }
        return try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> CSVProblem? in
            var scanner = Scanner(bytes, line: 1, atFileStart: true, final: true)
            guard case .finished(let encoding) = try scanner.run(body, problem: problem) else { return nil }
            return encoding
        }
    }

    /// `forEachRecord(in:)` over a file read a megabyte at a time: memory stays flat however large the
    /// file. The file must first pass `checkFile`.
    @discardableResult
    static func forEachRecord(
        inFile file: URL, displayName: String, chunkSize: Int = 1 << 20, _ body: (CSVRecord) throws -> Void,
        problem: (CSVProblem) -> Void
    ) throws -> CSVProblem? {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw DiagnosticError(
                Diagnostic(
                    .fileUnreadable, file: displayName, line: 0, column: 0,
                    message: "cannot read the file: \(error.localizedDescription)"))
        }
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        var line = 1
        var atFileStart = true
        var final = false
        while true {
            if !final {
                let more: Data?
                do {
                    // A record longer than a chunk (an unclosed quote) is read again each time: grow geometrically.
                    more = try handle.read(upToCount: max(chunkSize, buffer.count))
                } catch {
                    throw DiagnosticError(
                        Diagnostic(
                            .fileUnreadable, file: displayName, line: 0, column: 0,
                            message: "cannot read the file: \(error.localizedDescription)"))
                }
                if let more, !more.isEmpty { buffer.append(contentsOf: more) } else { final = true }
            }
            if atFileStart, buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
                return forEachRecord(in: Data(buffer.prefix(2)), { _ in }, problem: { _ in })
            }
            let outcome = try buffer.withUnsafeBytes { bytes in
                var scanner = Scanner(bytes, line: line, atFileStart: atFileStart, final: final)
                return try scanner.run(body, problem: problem)
            }
            switch outcome {
            case .finished(let encoding):
                return encoding
            case .needMore(let consumed, let nextLine):
                if consumed > 0 {
                    buffer.removeFirst(consumed)
                    atFileStart = false
                }
                line = nextLine
            }
        }
    }

    static let notUTF8 =
        "the file is not UTF-8 text (Excel's plain \"CSV (Comma delimited)\" on a Chinese system saves GBK); in Excel, save it as \"CSV UTF-8 (Comma delimited) (*.csv)\""

    /// The reader proper, over the file's bytes. The structural characters (comma, quote, CR, LF, space,
    /// tab) are ASCII and never part of a multi-byte UTF-8 sequence, so fields are found byte by byte;
    /// each field's text is checked to be UTF-8 when it is made a String. Columns count Unicode
    /// scalars (bytes that are not UTF-8 continuation bytes).
    private struct Scanner {
        /// How a run over the bytes ended.
        enum Outcome {
            /// At the end of the file; the problem when a byte was not UTF-8.
            case finished(CSVProblem?)
            /// At the end of the bytes but not of the file: the record starting at `consumed` (on
            /// `line`) is read again when more bytes are there.
            case needMore(consumed: Int, line: Int)
        }

        let s: UnsafeRawBufferPointer
        let n: Int
        /// True when the bytes run to the end of the file.
        let final: Bool
        let atFileStart: Bool
        var i = 0
        var line: Int
        /// Index of the first byte of the current line.
        var lineStart = 0
        /// The column of byte `columnIndex`, remembered so that columns along a line cost one pass.
        var columnIndex = 0
        var columnValue = 1
        var buffer: [UInt8] = []

        init(_ bytes: UnsafeRawBufferPointer, line: Int, atFileStart: Bool, final: Bool) {
            s = bytes
            n = bytes.count
            self.line = line
            self.atFileStart = atFileStart
            self.final = final
        }

        static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"),
            lf = UInt8(ascii: "\n")
        static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

        mutating func column(_ index: Int) -> Int {
            if columnIndex < lineStart || index < columnIndex {
                columnIndex = lineStart
                columnValue = 1
            }
            while columnIndex < index {
                if s[columnIndex] & 0xC0 != 0x80 { columnValue += 1 }
                columnIndex += 1
            }
            return columnValue
        }

        func isLineBreak(_ index: Int) -> Bool { index < n && (s[index] == Self.lf || s[index] == Self.cr) }
        func isBlank(_ index: Int) -> Bool { index < n && (s[index] == Self.space || s[index] == Self.tab) }

        /// Consumes the line break at `i` (CRLF, LF or CR), appending it to `buffer` when asked.
        mutating func consumeLineBreak(keep: Bool) {
            if s[i] == Self.cr, i + 1 < n, s[i + 1] == Self.lf {
                if keep { buffer.append(s[i]) }
                i += 1
            }
            if keep { buffer.append(s[i]) }
            i += 1
            line += 1
            lineStart = i
        }

        /// A line and column moved on byte by byte as the reader counts them: CR LF, LF and CR each end a
        /// line; a column is one Unicode scalar (UTF-8 continuation bytes do not count).
        struct Position {
            var line: Int
            var column: Int
            var previous: UInt8 = 0

            mutating func advance(over byte: UInt8) {
                if byte == Scanner.lf {
                    if previous != Scanner.cr { line += 1 }
                    column = 1
                } else if byte == Scanner.cr {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                previous = byte
            }
        }

        /// Where the first byte that is not UTF-8 lies, at or after `start` (on `line`, starting at `column`).
        func encodingProblem(from start: Int, line startLine: Int, column startColumn: Int) -> CSVProblem {
            var position = Position(line: startLine, column: startColumn)
            var index = start
            while index < n {
                let byte = s[index]
                let length: Int
                if byte < 0x80 {
                    length = 1
                } else if byte & 0xE0 == 0xC0 {
                    length = 2
                } else if byte & 0xF0 == 0xE0 {
                    length = 3
                } else if byte & 0xF8 == 0xF0 {
                    length = 4
                } else {
                    break
                }
                guard index + length <= n,
                    String(validating: UnsafeRawBufferPointer(rebasing: s[index..<index + length]), as: UTF8.self)
                        != nil
                else { break }
                for offset in 0..<length { position.advance(over: s[index + offset]) }
                index += length
            }
            return CSVProblem(code: .csvNotUTF8, line: position.line, column: position.column, message: CSV.notUTF8)
        }

        /// A problem for each character the registry cannot keep (``ImportedText``) in bytes `start..<end`,
        /// which begin on `startLine` at `startColumn` (the first 20 of a field; then one saying how many more),
        /// and one when the field's text is longer than the registry keeps.
        func unacceptable(_ text: String, from start: Int, to end: Int, line startLine: Int, column startColumn: Int)
            -> [CSVProblem]
        {
            var problems: [CSVProblem] = []
            let bytes = text.utf8.count
            if bytes > ImportedText.maximumBytes {
                problems.append(
                    CSVProblem(
                        code: .csvFieldTooLong, line: startLine, column: startColumn,
                        message: ImportedText.refusal(ofLength: bytes)))
            }
            // Only control characters (one byte below 0x20) and U+FFFE/U+FFFF (EF BF BE/BF) are refused.
            func refused(at index: Int) -> Unicode.Scalar? {
                let byte = s[index]
                if byte < 0x20 {
                    return byte == Self.tab || byte == Self.lf || byte == Self.cr ? nil : Unicode.Scalar(byte)
                }
                if byte == 0xEF, index + 2 < end, s[index + 1] == 0xBF, s[index + 2] == 0xBE || s[index + 2] == 0xBF {
                    return Unicode.Scalar(s[index + 2] == 0xBE ? 0xFFFE : 0xFFFF)
                }
                return nil
            }
            guard (start..<end).contains(where: { refused(at: $0) != nil }) else { return problems }
            var position = Position(line: startLine, column: startColumn)
            var more = 0
            for index in start..<end {
                if let scalar = refused(at: index) {
                    if problems.count < 20 {
                        problems.append(
                            CSVProblem(
                                code: .csvControlCharacter, line: position.line, column: position.column,
                                message: "this field holds " + ImportedText.refusal(of: scalar)))
                    } else {
                        more += 1
                    }
                }
                position.advance(over: s[index])
            }
            if more > 0, let last = problems.last {
                problems.append(
                    CSVProblem(
                        code: .csvControlCharacter, line: last.line, column: last.column,
                        message: "and \(more) more such characters after this one"))
            }
            return problems
        }

        /// The text of bytes `start..<end`, or nil when they are not UTF-8.
        func text(_ start: Int, _ end: Int) -> String? {
            guard end > start, let base = s.baseAddress else { return "" }
            return String(
                validating: UnsafeBufferPointer(
                    start: base.assumingMemoryBound(to: UInt8.self) + start, count: end - start), as: UTF8.self)
        }

        mutating func run(_ body: (CSVRecord) throws -> Void, problem: (CSVProblem) -> Void) rethrows -> Outcome {
            if atFileStart {
                if !final, n < 3 { return .needMore(consumed: 0, line: line) }
                if n >= 3, s[0] == 0xEF, s[1] == 0xBB, s[2] == 0xBF {
                    i = 3
                    lineStart = 3
                }
            }
            // A record's problems are handed on with the record, once it is known to be whole.
            var problems: [CSVProblem] = []
            func report(_ found: CSVProblem) { problems.append(found) }
            while i < n {
                let recordStart = i
                let recordLine = line
                func incomplete() -> Outcome { .needMore(consumed: recordStart, line: recordLine) }
                problems.removeAll(keepingCapacity: true)
                var fields: [CSVField] = []
                var onlyEmptyUnquoted = true
                while true {
                    var start = i
                    var lookahead = i
                    while isBlank(lookahead) { lookahead += 1 }
                    if lookahead < n, s[lookahead] == Self.quote {
                        // A quoted field.
                        onlyEmptyUnquoted = false
                        start = lookahead
                        let fieldLine = line
                        let fieldColumn = column(start)
                        i = lookahead + 1
                        buffer.removeAll(keepingCapacity: true)
                        var closed = false
                        while i < n {
                            let byte = s[i]
                            if byte == Self.quote {
                                if i + 1 < n, s[i + 1] == Self.quote {
                                    buffer.append(Self.quote)
                                    i += 2
                                } else {
                                    i += 1
                                    closed = true
                                    break
                                }
                            } else if byte == Self.cr || byte == Self.lf {
                                consumeLineBreak(keep: true)
                            } else {
                                buffer.append(byte)
                                i += 1
                            }
                        }
                        if !closed, !final { return incomplete() }
                        if !closed {
                            report(
                                CSVProblem(
                                    code: .csvUnclosedQuote, line: fieldLine, column: fieldColumn,
                                    message:
                                        "this field starts with a quote (\") that is never closed, so it runs to the end of the file; close it, or write a quote inside a field as two quotes (\"\")"
                                ))
                        }
                        while isBlank(i) { i += 1 }
                        if i < n, s[i] != Self.comma, !isLineBreak(i) {
                            if !final,
                                !(i..<n).contains(where: { s[$0] == Self.comma || s[$0] == Self.cr || s[$0] == Self.lf }
                                )
                            {
                                return incomplete()
                            }
                            report(
                                CSVProblem(
                                    code: .csvTextAfterQuote, line: line, column: column(i),
                                    message:
                                        "text after the closing quote of a quoted field; put the whole value in quotes and write each quote inside it as two quotes (\"\")"
                                ))
                            while i < n, s[i] != Self.comma, !isLineBreak(i) {
                                buffer.append(s[i])
                                i += 1
                            }
                        }
                        if i == n, !final { return incomplete() }
                        guard let text = String(validating: buffer, as: UTF8.self) else {
                            return .finished(encodingProblem(from: start, line: fieldLine, column: fieldColumn))
                        }
                        for found in unacceptable(text, from: start, to: i, line: fieldLine, column: fieldColumn) {
                            report(found)
                        }
                        fields.append(CSVField(text: text, line: fieldLine, column: fieldColumn))
                    } else {
                        // An unquoted field: everything up to the next comma or line break.
                        let fieldColumn = column(start)
                        var reported = false
                        while i < n {
                            let byte = s[i]
                            if byte == Self.comma || byte == Self.cr || byte == Self.lf { break }
                            if byte == Self.quote, !reported {
                                reported = true
                                report(
                                    CSVProblem(
                                        code: .csvStrayQuote, line: line, column: column(i),
                                        message:
                                            "a quote (\") inside a field that does not start with one; put the whole value in quotes and write each quote inside it as two quotes (\"\")"
                                    ))
                            }
                            i += 1
                        }
                        if i > start { onlyEmptyUnquoted = false }
                        if i == n, !final { return incomplete() }
                        guard let text = text(start, i) else {
                            return .finished(encodingProblem(from: start, line: line, column: fieldColumn))
                        }
                        for found in unacceptable(text, from: start, to: i, line: line, column: fieldColumn) {
                            report(found)
                        }
                        fields.append(CSVField(text: text, line: line, column: fieldColumn))
                    }
                    if i < n, s[i] == Self.comma {
                        i += 1
                        onlyEmptyUnquoted = false
                        continue
                    }
                    break
                }
                // A CR that ends the bytes may be the first half of a CRLF.
                if !final, i == n - 1, s[i] == Self.cr { return incomplete() }
                if isLineBreak(i) { consumeLineBreak(keep: false) }
                for found in problems { problem(found) }
                // A line with nothing on it is not a record.
                if !(fields.count == 1 && onlyEmptyUnquoted) {
                    try body(CSVRecord(line: recordLine, fields: fields))
                }
            }
            return final ? .finished(nil) : .needMore(consumed: n, line: line)
        }
    }
}
