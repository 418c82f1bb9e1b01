import Foundation
import Hummingbird

/// A `multipart/form-data` body read one part at a time as it arrives (RFC 7578), holding only a small buffer:
/// a field's value is read into memory up to a bound, a file is handed on in pieces (to a temporary file).
/// The whole body is bounded too: past `limit` bytes the read stops with `MultipartError.tooLarge`.
///
/// One request reads it, on one task at a time (`RouteGuard` reads the first part, the form token, and the
/// handler the rest), hence `@unchecked Sendable`.
final class MultipartReader: @unchecked Sendable {
    /// What a part's headers say.
    struct Part: Sendable, Equatable {
        var name: String
        /// The file's name as the browser sent it; nil for a plain field.
        var fileName: String?
        var contentType: String?
    }

    private let next: () async throws -> ByteBuffer?
    /// `CRLF--boundary`: what ends every part (the body is read as if it began with CRLF, so the first
    /// boundary line is found the same way).
    private let delimiter: [UInt8]
    private var buffer: [UInt8] = [13, 10]
    private var start = 0
    private var ended = false
    /// Where the reader is: before a part's headers, inside a part's content, or past the closing boundary.
    private enum State { case betweenParts, inPart, done }
    private var state = State.betweenParts
    private var preambleSkipped = false
    /// Bytes of the body read so far, and the most it may have.
    private(set) var bytesRead = 0
    let limit: Int

    init(boundary: String, limit: Int, next: @escaping () async throws -> ByteBuffer?) {
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.limit = limit
        self.next = next
    }

    /// A reader of `body`, whose boundary is named in `contentType`.
    convenience init<Body: AsyncSequence>(body: Body, boundary: String, limit: Int) where Body.Element == ByteBuffer {
        let box = IteratorBox(body.makeAsyncIterator())
        self.init(boundary: boundary, limit: limit) { try await box.next() }
    }

    /// The boundary of a `multipart/form-data` content type; nil for any other type.
    static func boundary(ofContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, kv[0].lowercased() == "boundary" else { continue }
            var value = kv[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            // RFC 2046: 1 to 70 characters.
            guard (1...70).contains(value.utf8.count), !value.contains("\r"), !value.contains("\n") else { return nil }
            return value
        }
        return nil
    }

    /// The next part's headers, skipping whatever of the current part was not read; nil after the last part.
    func nextPart() async throws -> Part? {
        if state == .inPart { try await skipContent() }
        if !preambleSkipped {
            // Anything before the first boundary is a preamble, to be ignored.
            try await skipContent()
            preambleSkipped = true
        }
        guard state == .betweenParts else { return nil }
        // After a boundary: "--" ends the body; otherwise optional white space, then CRLF.
        try await fill(2)
        if buffer[start] == UInt8(ascii: "-") && buffer[start + 1] == UInt8(ascii: "-") {
            state = .done
            return nil
        }
        while true {
            try await fill(1)
            let byte = buffer[start]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                start += 1
                continue
            }
            break
        }
        try await fill(2)
        guard buffer[start] == 13, buffer[start + 1] == 10 else {
            throw MultipartError.malformed("no line end after a boundary")
        }
        start += 2
        // The headers end with an empty line; they are small (8 KB at most).
        var headerBytes: [UInt8] = []
        while true {
            if let end = find([13, 10, 13, 10], from: start) {
                headerBytes = Array(buffer[start..<end])
                start = end + 4
                break
            }
            if buffer.count - start > 8192 { throw MultipartError.malformed("a part's headers are longer than 8 KB") }
            guard try await more() else { throw MultipartError.malformed("the body ends inside a part's headers") }
        }
        state = .inPart
        return try Self.part(fromHeaders: String(decoding: headerBytes, as: UTF8.self))
    }

    /// Reads the current part's content into memory; more than `limit` bytes throw `MultipartError.fieldTooLarge`.
    func readContent(limit: Int) async throws -> [UInt8] {
        var value: [UInt8] = []
        try await streamContent { piece in
            if value.count + piece.count > limit { throw MultipartError.fieldTooLarge(limit) }
            value += piece
        }
        return value
    }

    /// Hands the current part's content to `sink` in pieces as it arrives.
    func streamContent(_ sink: (ArraySlice<UInt8>) throws -> Void) async throws {
        guard state == .inPart else { return }
        while true {
            if let end = find(delimiter, from: start) {
                if end > start { try sink(buffer[start..<end]) }
                start = end + delimiter.count
                state = .betweenParts
                return
            }
            // Everything but what could be the start of the delimiter is content.
            let safe = buffer.count - (delimiter.count - 1)
            if safe > start {
                try sink(buffer[start..<safe])
                start = safe
            }
            guard try await more() else { throw MultipartError.malformed("the body ends inside a part") }
        }
    }

    private func skipContent() async throws {
        if !preambleSkipped || state == .inPart {
            state = .inPart
            try await streamContent { _ in }
        }
    }

    /// Reads more of the body into the buffer; false at its end.
    private func more() async throws -> Bool {
        if ended { return false }
        if start > 0 && (start >= 65536 || start == buffer.count) {
            buffer.removeFirst(start)
            start = 0
        }
        guard var chunk = try await next() else {
            ended = true
            return false
        }
        bytesRead += chunk.readableBytes
        if bytesRead > limit { throw MultipartError.tooLarge(limit) }
        if let bytes = chunk.readBytes(length: chunk.readableBytes) { buffer += bytes }
        return true
    }

    /// Makes sure `count` bytes are buffered after `start`.
    private func fill(_ count: Int) async throws {
        while buffer.count - start < count {
            guard try await more() else { throw MultipartError.malformed("the body ends too early") }
        }
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, buffer.count - from >= needle.count else { return nil }
        var i = from
        let last = buffer.count - needle.count
        while i <= last {
            if buffer[i] == first {
                var j = 1
                while j < needle.count && buffer[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The name, file name and type a part's headers give (`Content-Disposition: form-data; name="…"; filename="…"`).
    static func part(fromHeaders text: String) throws -> Part {
        var name: String?
        var fileName: String?
        var type: String?
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { type = value }
            guard field == "content-disposition" else { continue }
            for (key, parameter) in parameters(value) {
                if key == "name" { name = parameter }
                if key == "filename" { fileName = parameter }
            }
        }
        guard let name else { throw MultipartError.malformed("a part has no name") }
        return Part(name: name, fileName: fileName, contentType: type)
    }

    /// `form-data; name="a"; filename="b \"c\".pdf"` → [("name", "a"), ("filename", "b \"c\".pdf")]. Browsers
    /// send a name as UTF-8 and write `"` as `%22` (and CR, LF as `%0D`, `%0A`), which is undone.
    static func parameters(_ value: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = Substring(value)
        // Skip the disposition type.
        guard let semicolon = rest.firstIndex(of: ";") else { return [] }
        rest = rest[rest.index(after: semicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var parameter = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        parameter.append(c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        parameter.append(c)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parameter = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            for (code, character) in [("%22", "\""), ("%0D", "\r"), ("%0A", "\n")] {
                parameter = parameter.replacingOccurrences(of: code, with: character)
            }
            result.append((key, parameter))
        }
        return result
    }
}

/// Why a multipart body was not read.
enum MultipartError: Error, Equatable {
    /// The body is larger than the limit (bytes).
    case tooLarge(Int)
    /// A field's value is larger than its limit (bytes).
    case fieldTooLarge(Int)
    case malformed(String)
}

/// An async iterator kept by reference, so a reader can go on pulling from it.
private final class IteratorBox<Iterator: AsyncIteratorProtocol>: @unchecked Sendable
where Iterator.Element == ByteBuffer {
    var iterator: Iterator
    init(_ iterator: Iterator) { self.iterator = iterator }
    func next() async throws -> ByteBuffer? { try await iterator.next() }
}
