import Foundation

/// One problem found by Annals: how bad it is, a stable code, where it is, what is wrong and what to do.
///
/// Every layer reports its problems as diagnostics: the readers of each file format, the registry
/// checks, the store. The CLI prints them the way compilers print theirs, so editors can jump to them:
/// `Samples/registry.xml:12:5: error: Element 'tally': The attribute 'count' is required but missing.`
/// The web API sends them as JSON (see docs/diagnostics.md for the shape and every code).
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The input is refused.
        case error
        /// The input is taken, but something in it is probably not what was meant.
        case warning
        /// More about the diagnostic before it.
        case note
    }

    public var severity: Severity
    /// What kind of problem this is; stable across versions, unlike the message.
    public var code: Code
    /// Where the problem is.
    public var location: Location
    /// The message, for people, without a trailing newline: what is wrong and what to do.
    public var message: String
    /// Values the user may have meant ("did you mean"), best first; empty when there are none.
    public var suggestions: [String]

    /// A diagnostic at `location`.
    public init(
        _ code: Code, at location: Location, severity: Severity = .error, message: String, suggestions: [String] = []
    ) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.suggestions = suggestions
    }

    /// A diagnostic in `file` at a 1-based `line` and `column` (0 when there is no line or no known column).
    public init(
        _ code: Code, file: String, line: Int, column: Int, severity: Severity = .error, message: String,
        suggestions: [String] = []
    ) {
        self.init(
            code, at: Location(file: file, line: line, column: column), severity: severity, message: message,
            suggestions: suggestions)
    }

    /// The file as the user named it; empty when the problem is not in a file.
    public var file: String {
        get { location.file ?? "" }
        set { location.file = newValue }
    }

    /// 1-based line; 0 when the problem is not tied to a line (an unreadable file).
    public var line: Int {
        get { location.line ?? 0 }
        set { location.line = newValue > 0 ? newValue : nil }
    }

    /// 1-based column; 0 when unknown.
    public var column: Int {
        get { location.column ?? 0 }
        set { location.column = newValue > 0 ? newValue : nil }
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, or `FILE: error: MESSAGE` when there is no line.
    public var description: String {
        let place = location.description
        return place.isEmpty ? "\(severity.rawValue): \(message)" : "\(place): \(severity.rawValue): \(message)"
    }
}

extension Diagnostic {
    /// Where a problem is: in a file (line and column), in a spreadsheet (sheet and cell), or in a record of
    /// the registry. Every part is optional; JSON leaves out the parts that are not known.
    public struct Location: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The file as the user named it.
        public var file: String?
        /// 1-based line.
        public var line: Int?
        /// 1-based column.
        public var column: Int?
        /// A spreadsheet's sheet name.
        public var sheet: String?
        /// A spreadsheet cell, as `B12`.
        public var cell: String?
        /// A record of the registry.
        public var record: Record?

        /// A record by kind (as the registry XML names it: `tally`, `person`, …) and id.
        public struct Record: Sendable, Hashable, Codable {
            public var kind: String
            public var id: String
            public init(kind: String, id: String) {
                self.kind = kind
                self.id = id
            }
        }

        /// A location; a `line` or `column` of 0 or less means "not known".
        public init(
            file: String? = nil, line: Int? = nil, column: Int? = nil, sheet: String? = nil, cell: String? = nil,
            record: Record? = nil
        ) {
            self.file = file
            self.line = line.flatMap { $0 > 0 ? $0 : nil }
            self.column = column.flatMap { $0 > 0 ? $0 : nil }
            self.sheet = sheet
            self.cell = cell
            self.record = record
        }

        /// The record `id` of `kind`.
        public static func record(_ kind: String, _ id: String) -> Location {
            Location(record: Record(kind: kind, id: id))
        }

        /// `FILE:LINE:COLUMN` (column 1 when the line is known and the column is not), `FILE:SHEET!CELL`,
        /// `FILE`, or `KIND 'ID'`; empty when nothing is known.
        public var description: String {
            var parts: [String] = []
            if let file { parts.append(file) }
            if let line {
                parts.append("\(line)")
                parts.append("\(column ?? 1)")
            } else if sheet != nil || cell != nil {
                parts.append([sheet, cell].compactMap { $0 }.joined(separator: "!"))
            }
            if parts.isEmpty, let record { return "\(record.kind) '\(record.id)'" }
            return parts.joined(separator: ":")
        }
    }
}

/// Input that was refused, with every problem found in it (at least one).
///
/// The one error type that readers, importers and checks throw; its diagnostics are printed by the CLI
/// and become the web API's 422 response body (`{"diagnostics": […]}`).
public struct DiagnosticError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// An error carrying one diagnostic.
    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    /// The first diagnostic's code (every error carries at least one diagnostic).
    public var code: Diagnostic.Code? { diagnostics.first?.code }

    /// One diagnostic a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// An error that can say what it is as diagnostics, for the one printer of the CLI and the web's 422 body.
public protocol DiagnosticConvertible: Error {
    /// The problems, at least one.
    var diagnostics: [Diagnostic] { get }
}

extension DiagnosticError: DiagnosticConvertible {}

extension Diagnostic {
    /// The diagnostics of any error: those of a `DiagnosticConvertible`, else one `internal.unexpected`
    /// error carrying the error's text.
    public static func from(_ error: any Error) -> [Diagnostic] {
        if let convertible = error as? any DiagnosticConvertible, !convertible.diagnostics.isEmpty {
            return convertible.diagnostics
        }
        return [Diagnostic(.unexpected, at: Location(), message: "\(error)")]
    }
}
