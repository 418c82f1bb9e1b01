public import AnnalsDiagnostics
internal import CLibXML2
public import Foundation

/// A compiled XML Schema (XSD), ready to validate any number of documents, from any thread.
///
/// Read-only after compilation; each validation uses its own validation context, so sharing one
/// compiled schema between threads is safe.
public final class XMLSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr

    /// Compiles the schema at `url`; imports and includes are resolved relative to it, never from the network.
    public init(contentsOf url: URL) throws {
        let collector = DiagnosticCollector(displayName: url.path)
        let compiled: xmlSchemaPtr? = collector.collect {
            guard let parser = xmlSchemaNewParserCtxt(url.path) else { return nil }
            defer { xmlSchemaFreeParserCtxt(parser) }
            return xmlSchemaParse(parser)
        }
        guard let compiled else {
            let problems = collector.diagnostics.filter { $0.severity == .error }
            throw DiagnosticError(
                problems.isEmpty
                    ? [
                        Diagnostic(
                            .xmlSchemaUnusable, file: url.path, line: 0, column: 0,
                            message: "the schema could not be compiled")
                    ]
                    : problems)
        }
        pointer = compiled
    }

    deinit { xmlSchemaFree(pointer) }

    /// Validates `file` as a stream and returns every problem found (empty when the file is valid).
    public func validate(file: URL, displayName: String? = nil) -> [Diagnostic] {
        do {
            try XMLStreamReader.read(file: file, displayName: displayName, schema: self, recordDepth: .max) { _ in }
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics
        } catch {
            return [Diagnostic(.unexpected, file: displayName ?? file.path, line: 0, column: 0, message: "\(error)")]
        }
    }
}
