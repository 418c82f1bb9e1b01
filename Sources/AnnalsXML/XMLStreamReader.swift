import AnnalsDiagnostics
internal import CAnnalsZlib
internal import CLibXML2
public import Foundation

/// Reads an XML file as a stream, handing over one small element tree per record.
///
/// Memory stays flat in the size of the file: only the record being read is held. Every file is
/// parsed with Annals' secure options (no network, no entity substitution, no DTD loading) and a
/// document that declares entities in its DOCTYPE is refused.
///
/// ```swift
/// try XMLStreamReader.read(file: url, recordDepth: 1) { record in
///     print(record.name, record[attribute: "id"] ?? "")
/// }
/// ```
public enum XMLStreamReader {
    /// Reads `file` from start to end.
    ///
    /// - Parameters:
    ///   - displayName: the file name used in diagnostics (defaults to the path as given).
    ///   - schema: when given, the stream is validated against it as it is read (after a first read
    ///     without it, which must find the file well-formed). `root` and `record` should not throw then:
    ///     a validated parse stopped half-way leaks memory inside libxml2 2.9.
    ///   - recordDepth: the depth of the elements handed to `record` (the root element is depth 0).
    ///   - root: called once with the root element, attributes only.
    ///   - skipping: names of elements inside records whose whole subtree the caller does not need; they
    ///     are parsed (and checked for well-formedness) but not built, which saves time on large files.
    ///   - progress: called after each record with the bytes of the file read so far and its size.
    ///   - record: called with each complete element at `recordDepth`, in document order.
    /// - Throws: `DiagnosticError` with every problem libxml2 reported (file, line, column), or the
    ///   first error thrown by `root` or `record`, which stops the read.
    public static func read(
        file: URL,
        displayName: String? = nil,
        schema: XMLSchema? = nil,
        recordDepth: Int = 1,
        skipping: Set<String> = [],
        root: (XMLElement) throws -> Void = { _ in },
        progress: ((Int, Int) -> Void)? = nil,
        record: (XMLElement) throws -> Void
    ) throws {
        if schema != nil {
            // libxml2 2.9.14 leaks the schema validator's identity-constraint state (about 1.2 KB for
            // Annals' schema) whenever a validated parse stops before the end of the document: a
            // well-formedness error, a truncated gzip, a refused entity. So a file is first read without
            // the schema, and only a well-formed file, whose validated parse runs to its end, is validated.
            // Found by fuzzing; see docs/fuzzing.md.
            try read(file: file, displayName: displayName, recordDepth: .max, record: { _ in })
        }
        try parse(file: file, displayName: displayName) { input, collector in
            guard schema == nil else {
                return readLoop(
                    input: input, file: file, collector: collector, schema: schema, recordDepth: recordDepth,
                    skipping: skipping, root: root,
                    record: { element in
                        try record(element)
                        progress?(input.bytesConsumed, input.size)
                    })
            }
            return withoutActuallyEscaping(root) { root in
                withoutActuallyEscaping(record) { record in
                    let handler = RecordHandler(
                        recordDepth: recordDepth, root: root,
                        record: { element in
                            try record(element)
                            progress?(input.bytesConsumed, input.size)
                        })
                    let reader = SAXRecordReader(collector: collector, file: file, handler: handler, skipping: skipping)
                    reader.parse(input: input)
                    return reader.callbackError
                }
            }
        }
    }

    /// Reads `file` from start to end as events for `handler` (see `XMLEventHandler`), which asks for
    /// each element as events, as a whole tree, or not at all. Parsed without a schema, with the same
    /// secure options and refusals as `read(file:…)`.
    ///
    /// - Parameters:
    ///   - skipping: names of elements never built inside trees (they are parsed, not built).
    ///   - progress: called after each child of the root element (each record, in a file of records)
    ///     with the bytes of the file read so far and its size.
    /// - Throws: `DiagnosticError` with every problem libxml2 reported, or the first error the handler threw.
    public static func read(
        file: URL, displayName: String? = nil, skipping: Set<String> = [], handler: any XMLEventHandler,
        progress: ((Int, Int) -> Void)? = nil
    ) throws {
        try parse(file: file, displayName: displayName) { input, collector in
            let reader = SAXRecordReader(
                collector: collector, file: file, handler: handler, skipping: skipping,
                recordEnded: progress.map { progress in { progress(input.bytesConsumed, input.size) } })
            reader.parse(input: input)
            return reader.callbackError
        }
    }

    /// Opens `file`, runs `loop` (synchronously, with libxml2's errors collected) and throws what went
    /// wrong: the file's own problems first, then the first error a callback threw.
    private static func parse(
        file: URL, displayName: String?, _ loop: (FileInput, DiagnosticCollector) -> (any Error)?
    ) throws {
        let name = displayName ?? file.path
        let collector = DiagnosticCollector(displayName: name)
        let input: FileInput
        do {
            input = try FileInput(url: file)
        } catch let message as InputProblem {
            throw DiagnosticError(Diagnostic(message.code, file: name, line: 0, column: 0, message: message.text))
        }
        let callbackError = collector.collect { loop(input, collector) }
        if let problem = input.problem {
            collector.add(Diagnostic(.fileUnreadable, file: name, line: 0, column: 0, message: problem))
        }
        collector.resolveColumns(source: input.isCompressed ? nil : file)
        if collector.hasErrors {
            throw DiagnosticError(collector.diagnostics.filter { $0.severity == .error })
        }
        if let callbackError { throw callbackError }
    }

    /// The name of the document's root element, reading no further than its start tag; nil for a file
    /// with no element. Problems (unreadable, not XML) are thrown as for `read`.
    public static func rootElementName(of file: URL, displayName: String? = nil) throws -> String? {
        struct Found: Error { var name: String }
        do {
            try read(
                file: file, displayName: displayName, recordDepth: .max, root: { throw Found(name: $0.name) },
                record: { _ in })
        } catch let found as Found {
            return found.name
        }
        return nil
    }

    /// The loop proper: synchronous from start to end, since libxml2's error handler is per thread.
    private static func readLoop(
        input: FileInput, file: URL, collector: DiagnosticCollector, schema: XMLSchema?, recordDepth: Int,
        skipping: Set<String>, root: (XMLElement) throws -> Void, record: (XMLElement) throws -> Void
    ) -> (any Error)? {
        let context = Unmanaged.passUnretained(input).toOpaque()
        let options = LibXML2.secureParseOptions | Int32(XML_PARSE_BIG_LINES.rawValue)
        guard let reader = xmlReaderForIO(annalsReadInput, annalsCloseInput, context, file.path, nil, options)
        else {
            collector.add(
                Diagnostic(
                    .fileUnreadable, file: collector.displayName, line: 0, column: 0,
                    message: "could not start reading the file"))
            return nil
        }
        var validation: xmlSchemaValidCtxtPtr?
        if let schema {
            validation = xmlSchemaNewValidCtxt(schema.pointer)
            if xmlTextReaderSchemaValidateCtxt(reader, validation, 0) != 0 {
                collector.add(
                    Diagnostic(
                        .xmlSchemaUnusable, file: collector.displayName, line: 0, column: 0,
                        message: "could not attach the schema"))
            }
        }
        // The reader uses the validation context, so it goes first.
        defer {
            xmlFreeTextReader(reader)
            if let validation { xmlSchemaFreeValidCtxt(validation) }
        }

        var stack: [XMLElement] = []
        func finish(_ element: XMLElement) throws {
            if stack.isEmpty {
                try record(element)
            } else {
                stack[stack.count - 1].children.append(.element(element))
            }
        }

        do {
            var status = xmlTextReaderRead(reader)
            while true {
                if status == 0 { break }
                if status < 0 {
                    if !collector.hasErrors, let last = xmlGetLastError() {
                        let e = last.pointee
                        let message = e.message.map { String(cString: $0) } ?? "the file is not well-formed XML"
                        collector.add(
                            Diagnostic(
                                .xmlMalformed, file: collector.displayName, line: Int(e.line), column: Int(e.int2),
                                message: message.trimmingXMLWhitespace()))
                    }
                    if !collector.hasErrors {
                        collector.add(
                            Diagnostic(
                                .xmlMalformed, file: collector.displayName, line: 0, column: 0,
                                message: "the file is not well-formed XML"))
                    }
                    return nil
                }
                let depth = Int(xmlTextReaderDepth(reader))
                switch xmlTextReaderNodeType(reader) {
                case 1:  // element
                    if depth > recordDepth, !skipping.isEmpty,
                        let name = xmlTextReaderConstLocalName(reader), skipping.contains(String(cString: name))
                    {
                        status = xmlTextReaderNext(reader)  // past the whole subtree, to its next sibling
                        continue
                    }
                    let element = currentElement(reader)
                    if depth == 0 { try root(element) }
                    if depth >= recordDepth {
                        if xmlTextReaderIsEmptyElement(reader) == 1 {
                            try finish(element)
                        } else {
                            stack.append(element)
                        }
                    }
                case 15:  // end of element
                    if depth >= recordDepth, let element = stack.popLast() {
                        try finish(element)
                    }
                case 3, 4, 13, 14:  // text, CDATA, whitespace
                    if depth > recordDepth, !stack.isEmpty, let value = xmlTextReaderConstValue(reader) {
                        let text = String(cString: value)
                        let last = stack.count - 1
                        if case .text(let previous)? = stack[last].children.last {
                            stack[last].children[stack[last].children.count - 1] = .text(previous + text)
                        } else {
                            stack[last].children.append(.text(text))
                        }
                    }
                case 5:  // entity reference
                    let entity = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? "?"
                    let node = xmlTextReaderCurrentNode(reader)
                    let line = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
                    collector.add(
                        Diagnostic(
                            .xmlEntity, file: collector.displayName, line: line, column: 0,
                            message:
                                "the entity reference '&\(entity);' is not allowed: Annals never expands entities. Replace it with the text it stands for."
                        ))
                    return nil
                case 10:  // DOCTYPE
                    if annals_dtdDeclaresEntities(xmlTextReaderCurrentNode(reader)) != 0 {
                        let place = SourceLines.locate("<!ENTITY", in: file)
                        collector.add(
                            Diagnostic(
                                .xmlEntity, file: collector.displayName,
                                line: place?.line ?? Int(xmlTextReaderGetParserLineNumber(reader)),
                                column: place?.column ?? 0,
                                message:
                                    "the document declares entities in its DOCTYPE, which Annals refuses for safety (entities can read local files or expand without bound). Remove the <!ENTITY ...> declarations and write the text out."
                            ))
                        return nil
                    }
                default:
                    break
                }
                status = xmlTextReaderRead(reader)
            }
            if schema != nil, xmlTextReaderIsValid(reader) != 1, !collector.hasErrors {
                collector.add(
                    Diagnostic(
                        .xmlSchema, file: collector.displayName, line: 0, column: 0,
                        message: "the document is not valid against the schema"))
            }
        } catch {
            return error
        }
        return nil
    }

    private static func currentElement(_ reader: xmlTextReaderPtr) -> XMLElement {
        let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
        let qualifiedName = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? name
        let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
        let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? 0
        var attributes: [XMLElement.Attribute] = []
        var declarations: [XMLElement.Attribute] = []
        if xmlTextReaderHasAttributes(reader) == 1 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                let attribute = XMLElement.Attribute(
                    name: xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? "",
                    qualifiedName: xmlTextReaderConstName(reader).map { String(cString: $0) },
                    value: xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? "")
                if xmlTextReaderIsNamespaceDecl(reader) == 1 {
                    declarations.append(attribute)
                } else {
                    attributes.append(attribute)
                }
            }
            xmlTextReaderMoveToElement(reader)
        }
        return XMLElement(
            name: name, qualifiedName: qualifiedName, namespaceURI: namespace, namespaceDeclarations: declarations,
            attributes: attributes, line: line)
    }
}

/// Why a file could not be opened, in words for the user.
struct InputProblem: Error {
    var code: Diagnostic.Code
    var text: String
}

/// The bytes of one file for libxml2's input callbacks, decompressed when the file is gzip
/// (zlib reads an uncompressed file unchanged), so the result does not depend on libxml2's version.
final class FileInput {
    private let file: gzFile
    /// The file's size on disk.
    let size: Int
    /// Why reading stopped early, in words for the user.
    private(set) var problem: String?

    init(url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputProblem(code: .fileMissing, text: "no such file. Check the path and try again.")
        }
        if isDirectory.boolValue {
            throw InputProblem(code: .fileIsFolder, text: "this is a folder, not a file. Name the XML file inside it.")
        }
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw InputProblem(
                code: .fileUnreadable,
                text: "cannot be opened (\(String(cString: strerror(errno)))). Check that you may read it.")
        }
        var status = stat()
        size = fstat(fd, &status) == 0 ? Int(status.st_size) : 0
        guard let file = gzdopen(fd, "rb") else {
            close(fd)
            throw InputProblem(code: .fileUnreadable, text: "cannot be read: out of memory")
        }
        gzbuffer(file, 1 << 17)
        self.file = file
    }

    deinit { gzclose(file) }

    /// True when the file is gzip-compressed.
    var isCompressed: Bool { gzdirect(file) == 0 }

    /// Bytes of the file consumed so far (compressed bytes for a gzip file).
    var bytesConsumed: Int { Int(gzoffset(file)) }

    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        let n = gzread(file, buffer, UInt32(count))
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            problem =
                code == Z_BUF_ERROR
                ? "the compressed file ends too early (\(message)); it is probably truncated: download it again."
                : "the file cannot be read: \(message)."
        }
        return n
    }
}

func annalsReadInput(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32)
    -> Int32
{
    guard let context, let buffer, length > 0 else { return -1 }
    return Unmanaged<FileInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(length))
}

func annalsCloseInput(_ context: UnsafeMutableRawPointer?) -> Int32 {
    0  // FileInput closes its descriptor when it is released.
}
