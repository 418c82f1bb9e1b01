public import AnnalsDiagnostics
internal import CLibXML2
public import Foundation

/// Collects libxml2's structured errors for one synchronous parse or validation.
///
/// libxml2 keeps its structured error handler per thread, so the handler is installed for the
/// duration of `collect(_:)` only, and the work inside must not suspend (no `await`).
final class DiagnosticCollector {
    let displayName: String
    private(set) var diagnostics: [Diagnostic] = []

    init(displayName: String) {
        self.displayName = displayName
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func add(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Runs `body` with this collector receiving every libxml2 error raised on this thread.
    func collect<T>(_ body: () throws -> T) rethrows -> T {
        LibXML2.ensureInitialised()
        let context = Unmanaged.passUnretained(self).toOpaque()
        xmlSetStructuredErrorFunc(context, annalsStructuredErrorHandler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        return try withExtendedLifetime(self) { try body() }
    }

    /// At most this many problems are kept: a hostile file can raise one per text chunk.
    static let limit = 100
    private var dropped = 0

    fileprivate func receive(_ error: xmlErrorPtr) {
        let e = error.pointee
        guard diagnostics.count < Self.limit else {
            dropped += 1
            return
        }
        // XML_ERR_WARNING = 1, XML_ERR_ERROR = 2, XML_ERR_FATAL = 3.
        let severity: Diagnostic.Severity = e.level.rawValue >= 2 ? .error : .warning
        var message = e.message.map { String(cString: $0) } ?? "unknown XML error"
        while message.last?.isNewline == true || message.last == " " { message.removeLast() }
        var elementName: String?
        if let node = e.node?.assumingMemoryBound(to: xmlNode.self), node.pointee.type == XML_ELEMENT_NODE,
            let name = node.pointee.name
        {
            elementName = String(cString: name)
        } else if message.hasPrefix("Element '"), let end = message.dropFirst(9).firstIndex(of: "'") {
            // "Element '{urn:x}item': …" names the element; drop the namespace part.
            var name = message[message.index(message.startIndex, offsetBy: 9)..<end]
            if let brace = name.lastIndex(of: "}") { name = name[name.index(after: brace)...] }
            elementName = String(name)
        }
        let code: Diagnostic.Code =
            switch e.domain {
            case Int32(XML_FROM_SCHEMASV.rawValue): .xmlSchema
            case Int32(XML_FROM_SCHEMASP.rawValue): .xmlSchemaUnusable
            default: .xmlMalformed
            }
        var diagnostic = Diagnostic(
            code, file: displayName, line: Int(e.line), column: Int(e.int2), severity: severity, message: message)
        // The same problem reported again on the same line (schema checks do this per chunk of text) is one problem.
        if let last = diagnostics.last, last.line == diagnostic.line, last.message == diagnostic.message { return }
        if diagnostic.column == 0, let elementName {
            // Schema errors carry a line but no column; remember the element so the column can be
            // found in the source afterwards (see `resolveColumns`).
            pendingColumns[diagnostics.count] = elementName
            diagnostic.column = 0
        }
        diagnostics.append(diagnostic)
    }

    private var pendingColumns: [Int: String] = [:]

    /// Fills in the column of diagnostics that libxml2 left at 0 (schema validity errors), by finding
    /// the start tag of the element they concern on their line of `source`.
    func resolveColumns(source: URL?) {
        if dropped > 0 {
            diagnostics.append(
                Diagnostic(
                    .xmlTooManyProblems, file: displayName, line: 0, column: 0,
                    message: "\(dropped) more problems not shown; fix these first and check the file again"))
            dropped = 0
        }
        guard !pendingColumns.isEmpty else { return }
        defer { pendingColumns.removeAll() }
        guard let source else { return }
        let wanted = Set(pendingColumns.keys.map { diagnostics[$0].line })
        let lines = SourceLines.read(source, lines: wanted)
        for (index, name) in pendingColumns {
            let line = diagnostics[index].line
            guard let text = lines[line] else { continue }
            diagnostics[index].column = SourceLines.column(ofStartTag: name, in: text) ?? 1
        }
    }
}

/// The C handler: finds its collector through the context pointer, so no global Swift state is used.
private func annalsStructuredErrorHandler(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    Unmanaged<DiagnosticCollector>.fromOpaque(context).takeUnretainedValue().receive(error)
}

/// Reads selected lines of a file to place diagnostics precisely.
enum SourceLines {
    /// The text of each requested 1-based line that exists in `url`.
    static func read(_ url: URL, lines wanted: Set<Int>) -> [Int: String] {
        guard let maxLine = wanted.max(), let handle = try? FileHandle(forReadingFrom: url) else { return [:] }
        defer { try? handle.close() }
        var result: [Int: String] = [:]
        var lineNumber = 1
        var current: [UInt8] = []
        while lineNumber <= maxLine, let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            for byte in chunk {
                if byte == UInt8(ascii: "\n") {
                    if wanted.contains(lineNumber) { result[lineNumber] = String(decoding: current, as: UTF8.self) }
                    lineNumber += 1
                    current.removeAll(keepingCapacity: true)
                    if lineNumber > maxLine { break }
                } else if wanted.contains(lineNumber) {
                    current.append(byte)
                }
            }
        }
        if wanted.contains(lineNumber), !current.isEmpty {
            result[lineNumber] = String(decoding: current, as: UTF8.self)
        }
        return result
    }

    /// The 1-based column (in characters) of `<name` or `<prefix:name` on `line`. Works on the line's
    /// bytes and looks no further than its first megabyte, so a hostile 10 MB line costs little.
    static func column(ofStartTag name: String, in line: String) -> Int? {
        let bytes = Array(line.utf8.prefix(1 << 20))
        let target = Array(name.utf8)
        guard !target.isEmpty else { return nil }
        func isNameEnd(_ b: UInt8) -> Bool {
            b == 32 || b == 9 || b == 10 || b == 13 || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
        }
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                var end = index + 1
                var nameStart = end
                while end < bytes.count, !isNameEnd(bytes[end]), end - nameStart <= 256 {
                    if bytes[end] == UInt8(ascii: ":") { nameStart = end + 1 }
                    end += 1
                }
                if end - nameStart == target.count, bytes[nameStart..<end].elementsEqual(target) {
                    return String(decoding: bytes[..<index], as: UTF8.self).count + 1
                }
            }
            index += 1
        }
        return nil
    }

    /// The 1-based line and column of the first occurrence of `needle` in the file, if any.
    static func locate(_ needle: String, in url: URL, withinBytes limit: Int = 1 << 20) -> (line: Int, column: Int)? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lastNewline = before.lastIndex(of: "\n")
        let column =
            before.distance(from: lastNewline.map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex)
            + 1
        return (line, column)
    }
}

extension Diagnostic {
    /// A diagnostic about the element `name` whose start tag is on `line` of `source`; the column is
    /// found by reading that line of the file.
    public static func at(
        element name: String, line: Int, in source: URL, displayName: String, code: Code, message: String
    ) -> Diagnostic {
        let text = SourceLines.read(source, lines: [line])[line]
        let column = text.flatMap { SourceLines.column(ofStartTag: name, in: $0) } ?? 1
        return Diagnostic(code, file: displayName, line: line, column: column, message: message)
    }
}
