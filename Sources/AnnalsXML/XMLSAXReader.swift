import AnnalsDiagnostics
internal import CLibXML2
import Foundation

/// The record loop of `XMLStreamReader.read` for files read without a schema (PubMed, EndNote, CERIF):
/// libxml2's SAX2 parser calling back into Swift, with the same records, the same secure options and
/// the same refusals as the `xmlTextReader` loop used with a schema.
///
/// Why a second loop: `xmlTextReader` builds and frees a libxml2 node for everything it reads, which
/// costs more than the parse itself (`xmllint --stream` takes 2.5 times as long as a SAX parse of a
/// baseline file). Here nothing is built outside the records, and skipped subtrees cost only the parse.
///
/// libxml2 checks what it checks in both loops (well-formedness, encodings, nesting depth, attribute
/// and name lengths). What its tree builder checks and SAX leaves to the caller is checked here: no
/// text longer than libxml2's own limit (`maxTextLength`), no entity declared, no entity referenced.
final class SAXRecordReader {
    /// libxml2's limit on one text node without `XML_PARSE_HUGE` (`XML_MAX_TEXT_LENGTH`, 10,000,000 bytes).
    static let maxTextLength = 10_000_000

    private let collector: DiagnosticCollector
    private let file: URL
    private let handler: any XMLEventHandler
    /// Inside trees: subtrees never built.
    private let skipping: Set<String>

    /// What changes while reading. It lives behind a pointer rather than in stored properties: the
    /// callbacks touch it for every tag and every run of text, and a class's stored properties would
    /// cost a dynamic exclusivity check on each access (a tenth of the whole read, measured).
    private struct State {
        var context: xmlParserCtxtPtr?
        /// Depth of the element being read; -1 before the root.
        var depth = -1
        /// While inside a skipped subtree, the depth of its top element.
        var skippedFrom: Int?
        /// The open elements of the tree being built, innermost last.
        var stack: [XMLElement] = []
        /// Text read since the last tag, not yet added to the innermost open element.
        var text: [UInt8] = []
        /// Bytes of text handed to the handler since the last tag.
        var eventText = 0
        /// The first error thrown by the handler.
        var callbackError: (any Error)?
        /// Names as Swift strings, by the address of libxml2's interned copy (names, prefixes and
        /// namespace URIs all live in the parser's dictionary for as long as the parse).
        var names: [UnsafeRawPointer: KnownName] = [:]
        var recentKeys = [UnsafeRawPointer?](repeating: nil, count: recentCapacity)
        var recentNames = [KnownName](repeating: KnownName(name: "", skipped: false), count: recentCapacity)
    }

    private let state: UnsafeMutablePointer<State>

    /// The first error thrown by the handler.
    var callbackError: (any Error)? { state.pointee.callbackError }

    /// Called after each child of the root element ends.
    private let recordEnded: (() -> Void)?

    init(
        collector: DiagnosticCollector, file: URL, handler: any XMLEventHandler, skipping: Set<String>,
        recordEnded: (() -> Void)? = nil
    ) {
        self.recordEnded = recordEnded
        self.collector = collector
        self.file = file
        self.handler = handler
        self.skipping = skipping
        state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses the whole input; problems go to the collector, a callback's error to `callbackError`.
    func parse(input: FileInput) {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = saxStartElement
        handler.endElementNs = saxEndElement
        handler.characters = saxCharacters
        handler.ignorableWhitespace = saxCharacters
        handler.cdataBlock = saxCharacters
        handler.reference = saxReference
        handler.entityDecl = saxEntityDeclaration
        // Everything else stays nil: no document is built, no external subset is loaded, errors go to
        // the per-thread structured handler the collector installed.
        let me = Unmanaged.passUnretained(self).toOpaque()
        let source = Unmanaged.passUnretained(input).toOpaque()
        guard
            let context = xmlCreateIOParserCtxt(
                &handler, me, annalsReadInput, annalsCloseInput, source, XML_CHAR_ENCODING_NONE)
        else {
            collector.add(
                Diagnostic(
                    .fileUnreadable, file: collector.displayName, line: 0, column: 0,
                    message: "could not start reading the file"))
            return
        }
        state.pointee.context = context
        defer {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
            state.pointee.context = nil
        }
        xmlCtxtUseOptions(context, LibXML2.secureParseOptions | Int32(XML_PARSE_BIG_LINES.rawValue))
        withExtendedLifetime((self, input)) {
            _ = xmlParseDocument(context)
        }
        if state.pointee.callbackError == nil, !collector.hasErrors, context.pointee.wellFormed == 0 {
            collector.add(
                Diagnostic(
                    .xmlMalformed, file: collector.displayName, line: 0, column: 0,
                    message: "the file is not well-formed XML"))
        }
    }

    // MARK: - Events

    private var line: Int { state.pointee.context.map { Int($0.pointee.input.pointee.line) } ?? 0 }
    private var column: Int { state.pointee.context.map { Int($0.pointee.input.pointee.col) } ?? 0 }

    private func name(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        return known(pointer).name
    }

    /// A name as a Swift string, and whether elements of that name are skipped inside trees, by the
    /// address of libxml2's interned copy. A direct-mapped cache sits in front of the dictionary: a
    /// file uses a few dozen names, over and over.
    private func known(_ pointer: UnsafePointer<xmlChar>) -> KnownName {
        let key = UnsafeRawPointer(pointer)
        let slot = Int(bitPattern: UInt(bitPattern: key) >> 4) & (Self.recentCapacity - 1)
        if state.pointee.recentKeys[slot] == key { return state.pointee.recentNames[slot] }
        let known: KnownName
        if let found = state.pointee.names[key] {
            known = found
        } else {
            let name = String(cString: pointer)
            known = KnownName(name: name, skipped: skipping.contains(name))
            state.pointee.names[key] = known
        }
        state.pointee.recentKeys[slot] = key
        state.pointee.recentNames[slot] = known
        return known
    }

    fileprivate struct KnownName {
        var name: String
        var skipped: Bool
    }

    private static let recentCapacity = 256

    /// Stops the parse: nothing more is reported.
    private func stop() {
        if let context = state.pointee.context { xmlStopParser(context) }
    }

    fileprivate func startElement(
        localName: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
        namespaceCount: Int, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        state.pointee.depth += 1
        let depth = state.pointee.depth
        if state.pointee.skippedFrom != nil { return }
        let known = localName.map(known) ?? KnownName(name: "", skipped: false)
        let local = known.name
        let building = !state.pointee.stack.isEmpty
        if building, known.skipped {
            state.pointee.skippedFrom = depth
            return
        }
        flushText()
        state.pointee.eventText = 0
        let tag = XMLStartTag(
            name: local, line: line, reader: self, localName: localName, prefix: prefix, uri: uri,
            namespaceCount: namespaceCount,
            namespaces: namespaces, attributeCount: attributeCount, attributes: attributes)
        if building {
            state.pointee.stack.append(tag.element)
            return
        }
        do {
            switch try handler.startElement(tag) {
            case .events: break
            case .tree: state.pointee.stack.append(tag.element)
            case .skip: state.pointee.skippedFrom = depth
            }
        } catch {
            fail(error)
        }
    }

    /// The element a start tag opens, without its content.
    fileprivate func element(of tag: XMLStartTag) -> XMLElement {
        let local = tag.name
        let prefixName = name(tag.prefix)
        var element = XMLElement(
            name: local, qualifiedName: prefixName.map { "\($0):\(local)" } ?? local, namespaceURI: name(tag.uri),
            line: tag.line)
        if let namespaces = tag.namespaces, tag.namespaceCount > 0 {
            for i in 0..<tag.namespaceCount {
                let declaredPrefix = name(namespaces[2 * i])
                element.namespaceDeclarations.append(
                    XMLElement.Attribute(
                        name: declaredPrefix ?? "xmlns", qualifiedName: declaredPrefix.map { "xmlns:\($0)" } ?? "xmlns",
                        value: name(namespaces[2 * i + 1]) ?? ""))
            }
        }
        for i in 0..<tag.attributeCount {
            let attributeName = name(tag.attributes?[5 * i]) ?? ""
            element.attributes.append(
                XMLElement.Attribute(
                    name: attributeName,
                    qualifiedName: name(tag.attributes?[5 * i + 1]).map { "\($0):\(attributeName)" } ?? attributeName,
                    value: tag.attributeValue(at: i)))
        }
        return element
    }

    fileprivate func attributeIndex(named wanted: String, in tag: XMLStartTag) -> Int? {
        (0..<tag.attributeCount).first { name(tag.attributes?[5 * $0]) == wanted }
    }

    fileprivate func endElement() {
        let depth = state.pointee.depth
        defer {
            state.pointee.depth -= 1
            if depth == 1 { recordEnded?() }
        }
        if let skipped = state.pointee.skippedFrom {
            if skipped == depth { state.pointee.skippedFrom = nil }
            return
        }
        state.pointee.eventText = 0
        do {
            guard !state.pointee.stack.isEmpty else {
                try handler.endElement()
                return
            }
            flushText()
            let element = state.pointee.stack.removeLast()
            if state.pointee.stack.isEmpty {
                try handler.element(element)
            } else {
                state.pointee.stack[state.pointee.stack.count - 1].children.append(.element(element))
            }
        } catch {
            fail(error)
        }
    }

    fileprivate func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int) {
        guard state.pointee.skippedFrom == nil, state.pointee.depth >= 0, let bytes, count > 0 else { return }
        let building = !state.pointee.stack.isEmpty
        let length = (building ? state.pointee.text.count : state.pointee.eventText) + count
        if length > Self.maxTextLength {
            collector.add(
                Diagnostic(
                    .xmlTextTooLong, file: collector.displayName, line: line, column: column,
                    message:
                        "a text in this file is longer than 10 MB, more than Annals accepts in one field; check that this is the file you meant"
                ))
            stop()
            return
        }
        if building {
            state.pointee.text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        } else {
            state.pointee.eventText = length
            handler.text(UnsafeBufferPointer(start: bytes, count: count))
        }
    }

    private func flushText() {
        guard !state.pointee.text.isEmpty else { return }
        if !state.pointee.stack.isEmpty {
            let text = String(decoding: state.pointee.text, as: UTF8.self)
            state.pointee.stack[state.pointee.stack.count - 1].children.append(.text(text))
        }
        state.pointee.text.removeAll(keepingCapacity: true)
    }

    fileprivate func reference(_ entity: UnsafePointer<xmlChar>?) {
        let entity = entity.map { String(cString: $0) } ?? "?"
        collector.add(
            Diagnostic(
                .xmlEntity, file: collector.displayName, line: line, column: 0,
                message:
                    "the entity reference '&\(entity);' is not allowed: Annals never expands entities. Replace it with the text it stands for."
            ))
        stop()
    }

    fileprivate func entityDeclaration() {
        let place = SourceLines.locate("<!ENTITY", in: file)
        collector.add(
            Diagnostic(
                .xmlEntity, file: collector.displayName, line: place?.line ?? line, column: place?.column ?? 0,
                message:
                    "the document declares entities in its DOCTYPE, which Annals refuses for safety (entities can read local files or expand without bound). Remove the <!ENTITY ...> declarations and write the text out."
            ))
        stop()
    }

    private func fail(_ error: any Error) {
        if state.pointee.callbackError == nil { state.pointee.callbackError = error }
        stop()
    }
}

/// A start tag, as an event handler sees it: its name and line at once, its attributes and the whole
/// element (without content) when asked. Valid only during the `startElement` call that receives it.
public struct XMLStartTag {
    /// The local name.
    public let name: String
    /// The 1-based line of the tag.
    public let line: Int
    fileprivate unowned(unsafe) let reader: SAXRecordReader
    fileprivate let localName: UnsafePointer<xmlChar>?
    fileprivate let prefix: UnsafePointer<xmlChar>?
    fileprivate let uri: UnsafePointer<xmlChar>?
    fileprivate let namespaceCount: Int
    fileprivate let namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    fileprivate let attributeCount: Int
    /// Five pointers per attribute: local name, prefix, URI, value start, value end.
    fileprivate let attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    /// The value of the attribute with this local name.
    public func attribute(_ name: String) -> String? {
        reader.attributeIndex(named: name, in: self).map(attributeValue)
    }

    /// The element this tag opens, with its attributes and namespace declarations, without content.
    public var element: XMLElement { reader.element(of: self) }

    fileprivate func attributeValue(at index: Int) -> String {
        guard let start = attributes?[5 * index + 3], let end = attributes?[5 * index + 4] else { return "" }
        let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
        // Without entity substitution libxml2 hands `&amp;` in an attribute over as "&#38;" (its tree
        // builder decodes it later); nothing else can put a '&' there.
        return value.utf8.contains(UInt8(ascii: "&")) ? value.replacingOccurrences(of: "&#38;", with: "&") : value
    }
}

/// How a reader driven by events wants an element read.
public enum XMLElementHandling: Sendable {
    /// Report its content as events: its children's starts and ends, and its text.
    case events
    /// Build it whole, with everything inside, and hand it over as one `XMLElement` at its end.
    case tree
    /// Read past it (it is still checked for well-formedness).
    case skip
}

/// Receives a document as a stream of events, asking for parts of it as element trees where that is
/// easier. The handler lives only for one `XMLStreamReader.read(file:displayName:handler:)` call.
public protocol XMLEventHandler: AnyObject {
    /// An element starts; `tag` gives its name, line and attributes (no content yet).
    func startElement(_ tag: XMLStartTag) throws -> XMLElementHandling
    /// Text inside an element read as events, in pieces as it comes.
    func text(_ bytes: UnsafeBufferPointer<UInt8>)
    /// The end of an element read as events.
    func endElement() throws
    /// An element asked for as a tree, complete.
    func element(_ element: XMLElement) throws
}

/// The record reading of `XMLStreamReader.read(file:recordDepth:…)` as an event handler: elements above
/// `recordDepth` as events, the root element reported on its own, each record as a tree.
final class RecordHandler: XMLEventHandler {
    private let recordDepth: Int
    private let root: (XMLElement) throws -> Void
    private let record: (XMLElement) throws -> Void
    private var depth = -1

    init(recordDepth: Int, root: @escaping (XMLElement) throws -> Void, record: @escaping (XMLElement) throws -> Void) {
        self.recordDepth = recordDepth
        self.root = root
        self.record = record
    }

    func startElement(_ tag: XMLStartTag) throws -> XMLElementHandling {
        depth += 1
        if depth == 0 { try root(tag.element) }
        return depth >= recordDepth ? .tree : .events
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    func endElement() throws { depth -= 1 }

    func element(_ element: XMLElement) throws {
        depth -= 1
        try record(element)
    }
}

// MARK: - C callbacks: each finds its reader through the user-data pointer.

private func reader(_ context: UnsafeMutableRawPointer?) -> SAXRecordReader {
    Unmanaged<SAXRecordReader>.fromOpaque(context!).takeUnretainedValue()
}

private func saxStartElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32,
    _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ attributeCount: Int32, _ defaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    reader(context).startElement(
        localName: localName, prefix: prefix, uri: uri, namespaceCount: Int(namespaceCount), namespaces: namespaces,
        attributeCount: Int(attributeCount), attributes: attributes)
}

private func saxEndElement(
    _ context: UnsafeMutableRawPointer?, _ localName: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?
) {
    reader(context).endElement()
}

private func saxCharacters(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
    reader(context).characters(bytes, Int(count))
}

private func saxReference(_ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?) {
    reader(context).reference(name)
}

private func saxEntityDeclaration(
    _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ type: Int32,
    _ publicID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?, _ content: UnsafeMutablePointer<xmlChar>?
) {
    reader(context).entityDeclaration()
}
