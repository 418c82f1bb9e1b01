import Foundation
import Logging

/// A log handler that writes one JSON object per line (`time`, `level`, `logger`, `message`, then the
/// metadata), for journald and log collectors. `annals serve` logs through it; what is logged is chosen by the
/// callers (the access log names a request's id, method, route pattern, status, duration and role, never a
/// path with its values, a query, cookie, token, password, session id or account name).
struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    /// Lines go to `write`, each without its line end.
    public init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    /// Lines go to standard error (journald keeps them for a systemd service).
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label) { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        write(Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)", metadata: all))
    }

    /// One log line: a JSON object with the fixed fields first, then the metadata by key.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata)
        -> String
    {
        var fields = [
            "\"time\":" + quote(timestamp(time)), "\"level\":" + quote(level.rawValue), "\"logger\":" + quote(label),
            "\"message\":" + quote(message),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key })
        where !["time", "level", "logger", "message"].contains(key) {
            fields.append(quote(key) + ":" + json(value))
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .stringConvertible(let item):
            if let number = item as? Int { return String(number) }
            if let number = item as? Double, number.isFinite { return String(number) }
            if let flag = item as? Bool { return flag ? "true" : "false" }
            return quote(item.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{"
                + entries.sorted(by: { $0.key < $1.key }).map { quote($0.key) + ":" + json($0.value) }.joined(
                    separator: ",") + "}"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped; everything else as is (UTF-8).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// UTC, to the millisecond: `2026-12-06T04:05:06.123Z`.
    static func timestamp(_ date: Date) -> String { millisecondStyle.format(date) }
    private static let millisecondStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
