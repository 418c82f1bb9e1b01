/// A small, immutable XML element tree: one record read from a stream, not a whole document.
public struct XMLElement: Sendable, Hashable {
    /// The local name (no prefix).
    public var name: String
    /// The name as written, with its prefix if any ("mml:math").
    public var qualifiedName: String
    /// The namespace URI, or nil when the element is in no namespace.
    public var namespaceURI: String?
    /// Namespace declarations written on this element (`xmlns:mml="…"` as name "xmlns:mml"), kept so
    /// inner markup can be written back as it was.
    public var namespaceDeclarations: [Attribute]
    /// Attributes in document order, by local name (namespace declarations left out).
    public var attributes: [Attribute]
    public var children: [XMLNode]
    /// The 1-based line of the start tag.
    public var line: Int

    /// One attribute.
    public struct Attribute: Sendable, Hashable {
        /// The local name.
        public var name: String
        /// The name as written ("xlink:href").
        public var qualifiedName: String
        public var value: String
        public init(name: String, qualifiedName: String? = nil, value: String) {
            self.name = name
            self.qualifiedName = qualifiedName ?? name
            self.value = value
        }
    }

    public init(
        name: String, qualifiedName: String? = nil, namespaceURI: String? = nil,
        namespaceDeclarations: [Attribute] = [],
        attributes: [Attribute] = [], children: [XMLNode] = [], line: Int = 0
    ) {
        self.name = name
        self.qualifiedName = qualifiedName ?? name
        self.namespaceURI = namespaceURI
        self.namespaceDeclarations = namespaceDeclarations
        self.attributes = attributes
        self.children = children
        self.line = line
    }

    /// The value of the attribute with this local name.
    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Child elements, in order.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// The first child element with this name.
    public func child(_ name: String) -> XMLElement? {
        for case .element(let e) in children where e.name == name { return e }
        return nil
    }

    /// Every child element with this name, in order.
    public func children(_ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for case .element(let e) in children where e.name == name { found.append(e) }
        return found
    }

    /// All text inside, markup removed, exactly as written (whitespace kept).
    public var text: String {
        var result = ""
        appendText(to: &result)
        return result
    }

    private func appendText(to result: inout String) {
        for child in children {
            switch child {
            case .text(let t): result += t
            case .element(let e): e.appendText(to: &result)
            }
        }
    }

    /// The text of the named child, trimmed; nil when the child is absent or empty.
    public func childText(_ name: String) -> String? {
        guard let text = child(name)?.text.trimmingXMLWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The content as XML markup (children only, without this element's own tags), with text escaped.
    /// Keeps inline markup such as `<i>`, `<sup>` or MathML losslessly.
    /// A prefixed element whose prefix is declared outside the fragment gets the declaration added,
    /// so the markup is well-formed on its own.
    public var innerMarkup: String {
        var result = ""
        for child in children { child.appendMarkup(to: &result, declared: []) }
        return result
    }
}

/// A node inside an `XMLElement`.
public enum XMLNode: Sendable, Hashable {
    case element(XMLElement)
    case text(String)

    func appendMarkup(to result: inout String, declared: Set<String>) {
        switch self {
        case .text(let t):
            result += XMLEscaping.escapeText(t)
        case .element(let e):
            result += "<" + e.qualifiedName
            var declared = declared
            for d in e.namespaceDeclarations {
                result += " \(d.qualifiedName)=\"\(XMLEscaping.escapeAttribute(d.value))\""
                declared.insert(d.qualifiedName)
            }
            if let colon = e.qualifiedName.firstIndex(of: ":"), let uri = e.namespaceURI {
                let declaration = "xmlns:" + e.qualifiedName[..<colon]
                if !declared.contains(declaration) {
                    result += " \(declaration)=\"\(XMLEscaping.escapeAttribute(uri))\""
                    declared.insert(declaration)
                }
            }
            for a in e.attributes { result += " \(a.qualifiedName)=\"\(XMLEscaping.escapeAttribute(a.value))\"" }
            if e.children.isEmpty {
                result += "/>"
            } else {
                result += ">"
                for c in e.children { c.appendMarkup(to: &result, declared: declared) }
                result += "</\(e.qualifiedName)>"
            }
        }
    }
}

/// Escaping for text and attribute values.
public enum XMLEscaping {
    public static func escapeText(_ s: String) -> String {
        // Byte-wise: the three characters are ASCII, and a UTF-8 sequence never contains an ASCII byte.
        var s = s
        let needed = s.withUTF8 { bytes in bytes.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E } }
        guard needed else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func escapeAttribute(_ s: String) -> String {
        var out = ""
        for c in escapeText(s) {
            switch c {
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension String {
    /// Trims the four XML whitespace characters (space, tab, CR, LF) from both ends.
    public func trimmingXMLWhitespace() -> String {
        // Byte-wise: the four are ASCII, and no byte of a longer UTF-8 sequence is ASCII.
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        if first == bytes.startIndex && last == bytes.index(before: bytes.endIndex) { return self }
        return String(self[first...last])
    }
}
