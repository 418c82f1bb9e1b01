import AnnalsDiagnostics
internal import CLibXML2
import Foundation

/// Writes XML as a stream through libxml2's xmlTextWriter, in UTF-8, indented two spaces.
///
/// Output goes to `sink` in chunks as it is produced, so a large export never sits in memory.
/// Not thread-safe: one writer belongs to one task.
public final class XMLStreamWriter {
    /// Receives the output bytes in order.
    public typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private let output: OutputBox
    fileprivate let writer: xmlTextWriterPtr

    /// A writer sending its bytes to `sink`.
    public init(indented: Bool = true, sink: @escaping Sink) throws {
        LibXML2.ensureInitialised()
        output = OutputBox(sink: sink)
        let context = Unmanaged.passUnretained(output).toOpaque()
        guard let buffer = xmlOutputBufferCreateIO(annalsWriteOutput, annalsCloseOutput, context, nil),
            let writer = xmlNewTextWriter(buffer)
        else {
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "could not create the XML writer"))
        }
        self.writer = writer
        if indented {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
        }
    }

    deinit { xmlFreeTextWriter(writer) }

    /// `<?xml version="1.0" encoding="UTF-8"?>`
    public func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
    }

    /// Closes every open element and flushes everything to the sink.
    public func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer))
        try check(xmlTextWriterFlush(writer))
    }

    public func startElement(_ name: String) throws {
        try check(xmlTextWriterStartElement(writer, name))
    }

    /// Writes `xmlns="uri"` on the element just started.
    public func defaultNamespace(_ uri: String) throws {
        try attribute("xmlns", uri)
    }

    public func endElement() throws {
        try check(xmlTextWriterEndElement(writer))
    }

    /// An attribute on the element just started; nothing when `value` is nil.
    public func attribute(_ name: String, _ value: String?) throws {
        guard let value else { return }
        try check(xmlTextWriterWriteAttribute(writer, name, value))
    }

    /// Escaped character data.
    public func text(_ value: String) throws {
        try check(xmlTextWriterWriteString(writer, value))
    }

    /// `<name a="…">text</name>`, or nothing when `text` is nil and there are no attributes.
    public func element(_ name: String, _ text: String?, attributes: KeyValuePairs<String, String?> = [:]) throws {
        let hasAttributes = attributes.contains { $0.value != nil }
        guard text != nil || hasAttributes else { return }
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// Throws when a libxml2 writer call failed. libxml2's own message is caught by a collector, so
    /// nothing is printed behind the user's back; the sink's error, when there is one, is the cause.
    fileprivate func check(_ call: @autoclosure () -> Int32) throws {
        let collector = DiagnosticCollector(displayName: "output")
        let status = collector.collect { call() }
        if status < 0 {
            if let failure = output.failure { throw failure }
            throw DiagnosticError(Diagnostic(.xmlWrite, at: .init(), message: "libxml2 could not write the XML output"))
        }
    }
}

@available(*, unavailable)
extension XMLStreamWriter: Sendable {}

private final class OutputBox {
    let sink: XMLStreamWriter.Sink
    var failure: (any Error)?
    init(sink: @escaping XMLStreamWriter.Sink) { self.sink = sink }
}

private func annalsWriteOutput(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafePointer<CChar>?, _ length: Int32)
    -> Int32
{
    guard let context else { return -1 }
    let box = Unmanaged<OutputBox>.fromOpaque(context).takeUnretainedValue()
    guard box.failure == nil else { return -1 }
    guard let buffer, length > 0 else { return 0 }
    do {
        try box.sink(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
        return length
    } catch {
        box.failure = error
        return -1
    }
}

private func annalsCloseOutput(_ context: UnsafeMutableRawPointer?) -> Int32 { 0 }

extension XMLStreamWriter {
    /// Writes `markup` unescaped: a well-formed XML fragment such as a title with inline `<i>`.
    public func raw(_ markup: String) throws {
        try check(xmlTextWriterWriteRaw(writer, markup))
    }
}
