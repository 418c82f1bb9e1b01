/// One problem found in an XML file, located by file, 1-based line and column.
///
/// Printed the way compilers print theirs, so editors can jump to it:
/// `Samples/registry.xml:12:5: error: Element 'tally': The attribute 'count' is required but missing.`
public struct XMLDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable {
        case warning
        case error
    }

    /// The file as the user named it.
    public var file: String
    /// 1-based line; 0 when the problem is not tied to a line (an unreadable file).
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    public var severity: Severity
    /// The message, for people, without a trailing newline.
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, or `FILE: error: MESSAGE` when there is no line.
    public var description: String {
        if line > 0 {
            return "\(file):\(line):\(max(column, 1)): \(severity.rawValue): \(message)"
        }
        return "\(file): \(severity.rawValue): \(message)"
    }
}

/// A file that was refused, with every problem found in it (at least one).
public struct XMLFileError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [XMLDiagnostic]

    public init(_ diagnostics: [XMLDiagnostic]) {
        precondition(!diagnostics.isEmpty, "an XMLFileError carries at least one diagnostic")
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
