import AnnalsDiagnostics
import AnnalsXML
import Foundation

// Temporary, while the formats are folded into `Diagnostic` one at a time; removed by the last of them.
typealias XMLDiagnostic = Diagnostic
public typealias ImportFailure = DiagnosticError

extension Diagnostic {
    init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.init(.unexpected, file: file, line: line, column: column, severity: severity, message: message)
    }
}

public typealias XMLFileError = DiagnosticError

extension Diagnostic {
    static func at(element name: String, line: Int, in source: URL, displayName: String, message: String) -> Diagnostic {
        at(element: name, line: line, in: source, displayName: displayName, code: .unexpected, message: message)
    }
}
