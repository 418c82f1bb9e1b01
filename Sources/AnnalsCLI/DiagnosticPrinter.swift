import AnnalsDiagnostics
import AnnalsRegistry
import Foundation

/// The one place the CLI prints problems, on standard error.
///
/// As text, one line per diagnostic the way compilers print theirs (`FILE:LINE:COLUMN: error: MESSAGE`),
/// so editors can jump to them, and a `note:` line at the same place for suggestions the message does not
/// already name. With `ANNALS_ERROR_FORMAT=json` in the environment, one line of JSON instead:
/// `{"diagnostics":[…]}`, the shape of the web API's 422 body (docs/diagnostics.md).
enum DiagnosticPrinter {
    enum Format: String {
        case text, json
    }

    /// The format chosen by `ANNALS_ERROR_FORMAT` (`text`, the default, or `json`).
    static var format: Format {
        ProcessInfo.processInfo.environment["ANNALS_ERROR_FORMAT"].flatMap { Format(rawValue: $0.lowercased()) }
            ?? .text
    }

    /// What `print` writes for `diagnostics`, without the final newline.
    static func render(_ diagnostics: [Diagnostic], as format: Format) -> String {
        switch format {
        case .text:
            return diagnostics.flatMap(lines).joined(separator: "\n")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(DiagnosticError(diagnostics))) ?? Data("{\"diagnostics\":[]}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// The diagnostic's line, and a note for the suggestions its message does not name.
    static func lines(_ diagnostic: Diagnostic) -> [String] {
        let unnamed = diagnostic.suggestions.filter { !diagnostic.message.contains("'\($0)'") }
        guard !unnamed.isEmpty else { return [diagnostic.description] }
        var note = Diagnostic(
            diagnostic.code, at: diagnostic.location, severity: .note,
            message: "did you mean \(unnamed.map { "'\($0)'" }.joined(separator: " or "))?")
        note.suggestions = []
        return [diagnostic.description, note.description]
    }

    /// Prints `diagnostics` on standard error.
    static func print(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        printError(render(diagnostics, as: format))
    }

    /// Prints the diagnostics of any error (see `Diagnostic.from`).
    static func print(_ error: any Error) {
        print(Diagnostic.from(error))
    }
}

/// Prints every diagnostic of a refused input and gives the closing message: "nothing was imported: 2
/// problems to fix first."
func refusal(_ error: any Error, _ what: String) -> Failure {
    let diagnostics = Diagnostic.from(error)
    DiagnosticPrinter.print(diagnostics)
    let count = diagnostics.count
    return Failure("\(what): \(count) problem\(count == 1 ? "" : "s") to fix first.")
}
