/// The inline markup a title or an abstract may carry, and nothing else.
///
/// Imported titles are data from outside (PubMed, EndNote, CERIF, another registry's XML). Markup in
/// them is an allow-list, applied from import onwards and again to every export:
/// - `i`, `b`, `u`, `sup`, `sub` and `sc` (small capitals), without attributes (`I`, `em`, `strong` and
///   JATS's `italic`, `bold`, `underline` are written as these);
/// - MathML elements (in the MathML namespace, or inside a `math` element), with the presentation
///   attributes that only change how a formula looks (`mathvariant`, `stretchy`, …) and values made of
///   letters, digits and `#.%+-_,` only; never `href`, `src`, `style`, `on…`, `definitionURL` or
///   `encoding` (which makes `annotation-xml` a place where HTML is parsed), and never `mglyph`.
///
/// Everything else is text: any other element (`script`, `img`, `iframe`, `a`, `span`, …) is left out
/// and its text kept, exactly as ``MarkupText/plain`` already reads it, so a title's plain form (and the
/// keys that find the same paper again) do not change. Comments and processing instructions are left
/// out; a `<` that starts no tag is text. A carriage return is written `&#13;`, so that it survives
/// being read back as XML (which would turn a raw one into a line feed).
///
/// The result is a well-formed XML fragment, in the form libxml2's reader gives it back (`<x/>` for an
/// empty element, declarations before attributes), so sanitising what was sanitised changes nothing
/// and a registry export read back gives the same markup byte for byte. Markup without `<` and without
/// a carriage return is returned as it is, without a copy: most titles cost one scan of their bytes.
public enum InlineMarkup {
    /// The MathML namespace.
    public static let mathMLNamespace = "http://www.w3.org/1998/Math/MathML"

    /// Formatting elements kept outside MathML, by their name in lower case: the six themselves, and
    /// other names for them (HTML's `em` and `strong`, JATS's `italic`, `bold`, `underline`), written as
    /// the six, so that they look the same and the plain text stays the same.
    static let formatting: [String: String] = [
        "i": "i", "b": "b", "u": "u", "sup": "sup", "sub": "sub", "sc": "sc", "em": "i", "italic": "i", "strong": "b",
        "bold": "b", "underline": "u",
    ]

    /// MathML 3 presentation elements, `semantics` and its annotations, and the content elements a
    /// formula in a title may use.
    static let mathML: Set<String> = [
        "math", "mi", "mn", "mo", "mtext", "mspace", "ms", "mrow", "mfrac", "msqrt", "mroot", "mstyle", "merror",
        "mpadded", "mphantom", "mfenced", "menclose", "msub", "msup", "msubsup", "munder", "mover", "munderover",
        "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mlabeledtr", "mtd", "maligngroup", "malignmark",
        "mstack", "mlongdiv", "msgroup", "msrow", "mscarries", "mscarry", "msline", "semantics", "annotation",
        "annotation-xml", "apply", "ci", "cn", "csymbol", "cs", "bvar", "lowlimit", "uplimit", "degree",
    ]

    /// MathML attributes that only change how a formula looks.
    static let mathMLAttributes: Set<String> = [
        "mathvariant", "mathsize", "mathcolor", "mathbackground", "dir", "display", "displaystyle", "scriptlevel",
        "form", "fence", "separator", "stretchy", "symmetric", "largeop", "movablelimits", "accent", "accentunder",
        "lspace", "rspace", "minsize", "maxsize", "linethickness", "numalign", "denomalign", "bevelled", "notation",
        "open", "close", "separators", "width", "height", "depth", "voffset", "columnalign", "rowalign", "columnspan",
        "rowspan", "columnlines", "rowlines", "columnspacing", "rowspacing", "frame", "align", "subscriptshift",
        "superscriptshift", "type",
    ]

    /// `markup` with only allowed inline elements left (see ``InlineMarkup``).
    public static func sanitized(_ markup: String) -> String {
        let needed = markup.utf8.contains { $0 == 0x3C || $0 == 0x0D }
        guard needed else { return markup }
        var sanitiser = Sanitiser(Array(markup.utf8))
        return sanitiser.run()
    }
}

extension MarkupText {
    /// This text with only the allowed inline markup (``InlineMarkup``).
    public var sanitized: MarkupText { MarkupText(markup: InlineMarkup.sanitized(markup)) }
}

/// One pass over a markup fragment's bytes.
private struct Sanitiser {
    let bytes: [UInt8]
    var i = 0
    var out: [UInt8] = []

    /// An element being read: whether it is written, and the namespace scope inside it.
    struct Open {
        var qualifiedName: [UInt8]
        /// The name written for it.
        var outputName: [UInt8]
        var kept: Bool
        /// Prefix ("" for the default namespace) to URI, as declared in the input.
        var scope: [String: String]
        /// Prefixes declared in what is written.
        var written: Set<String>
        var isMathML: Bool
    }
    var stack: [Open] = []
    /// A start tag written without its closing `>`, so that an element closed at once becomes `<x/>`.
    var pendingStart = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        out.reserveCapacity(bytes.count)
    }

    mutating func run() -> String {
        while i < bytes.count {
            if bytes[i] == 0x3C, tag() { continue }
            text()
        }
        while !stack.isEmpty { close() }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Text

    /// Text up to the next `<` (or one `<` that starts no tag), references decoded and escaped again.
    mutating func text() {
        let start = i
        if bytes[i] == 0x3C { i += 1 }
        while i < bytes.count, bytes[i] != 0x3C { i += 1 }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(i - start)
        var k = start
        while k < i {
            if bytes[k] == 0x26, let (scalar, next) = reference(at: k, end: i) {
                // A reference to a character XML cannot hold (only possible in markup not read from XML) is left out.
                if let scalar, Self.isXMLChar(scalar) { decoded.append(contentsOf: Array(String(scalar).utf8)) }
                k = next
                continue
            }
            decoded.append(bytes[k])
            k += 1
        }
        writeText(decoded)
    }

    /// Writes text escaped as libxml2's reader gives it back: `&`, `<`, `>` and a carriage return.
    mutating func writeText<C: Collection<UInt8>>(_ text: C) {
        guard !text.isEmpty else { return }
        flushStart()
        for b in text {
            switch b {
            case 0x26: out.append(contentsOf: Array("&amp;".utf8))
            case 0x3C: out.append(contentsOf: Array("&lt;".utf8))
            case 0x3E: out.append(contentsOf: Array("&gt;".utf8))
            case 0x0D: out.append(contentsOf: Array("&#13;".utf8))
            default: out.append(b)
            }
        }
    }

    /// The character a reference at `k` stands for (nil for one that is not XML's), and where it ends;
    /// nil when `&` starts no reference (it is then text).
    func reference(at k: Int, end: Int) -> (Unicode.Scalar?, Int)? {
        var j = k + 1
        while j < end, j - k <= 12, bytes[j] != 0x3B { j += 1 }
        guard j < end, bytes[j] == 0x3B, j > k + 1 else { return nil }
        let name = String(decoding: bytes[(k + 1)..<j], as: UTF8.self)
        switch name {
        case "amp": return ("&", j + 1)
        case "lt": return ("<", j + 1)
        case "gt": return (">", j + 1)
        case "quot": return ("\"", j + 1)
        case "apos": return ("'", j + 1)
        default:
            guard name.hasPrefix("#") else { return nil }
            var digits = name.dropFirst()
            var radix = 10
            if digits.first == "x" || digits.first == "X" {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, let value = UInt32(digits, radix: radix) else { return nil }
            return (Unicode.Scalar(value), j + 1)
        }
    }

    /// XML 1.0's `Char`: tab, line feed, carriage return and everything from U+0020 except U+FFFE and U+FFFF.
    static func isXMLChar(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || (s.value >= 0x20 && s.value != 0xFFFE && s.value != 0xFFFF)
    }

    // MARK: Tags

    /// Reads the tag at `i` (a `<`); false when it is no tag, so the `<` is text.
    mutating func tag() -> Bool {
        let n = bytes.count
        guard i + 1 < n else { return false }
        let next = bytes[i + 1]
        if next == 0x21 || next == 0x3F {  // "<!" or "<?": a comment, CDATA or processing instruction.
            return markupDeclaration()
        }
        let closing = next == 0x2F
        var j = i + (closing ? 2 : 1)
        let nameStart = j
        while j < n, Self.isNameByte(bytes[j]) { j += 1 }
        guard j > nameStart, Self.isNameStart(bytes[nameStart]) else { return false }
        let qualifiedName = Array(bytes[nameStart..<j])
        // Attributes: name = "value" or 'value', up to ">" or "/>".
        var attributes: [(name: [UInt8], value: [UInt8])] = []
        var selfClosing = false
        while true {
            while j < n, Self.isSpace(bytes[j]) { j += 1 }
            guard j < n else { return false }
            if bytes[j] == 0x3E {
                j += 1
                break
            }
            if bytes[j] == 0x2F, j + 1 < n, bytes[j + 1] == 0x3E, !closing {
                selfClosing = true
                j += 2
                break
            }
            guard !closing else { return false }
            let attributeStart = j
            while j < n, Self.isNameByte(bytes[j]) { j += 1 }
            guard j > attributeStart else { return false }
            let name = Array(bytes[attributeStart..<j])
            while j < n, Self.isSpace(bytes[j]) { j += 1 }
            guard j < n, bytes[j] == 0x3D else { return false }
            j += 1
            while j < n, Self.isSpace(bytes[j]) { j += 1 }
            guard j < n, bytes[j] == 0x22 || bytes[j] == 0x27 else { return false }
            let quote = bytes[j]
            j += 1
            let valueStart = j
            while j < n, bytes[j] != quote, bytes[j] != 0x3C { j += 1 }
            guard j < n, bytes[j] == quote else { return false }
            attributes.append((name, Array(bytes[valueStart..<j])))
            j += 1
        }
        i = j
        if closing {
            end(qualifiedName)
        } else {
            start(qualifiedName, attributes)
            if selfClosing { close() }
        }
        return true
    }

    /// Skips `<!--…-->`, `<?…?>` and `<!…>`; writes the text of `<![CDATA[…]]>`. False when unterminated.
    mutating func markupDeclaration() -> Bool {
        func find(_ terminator: String, from: Int) -> Int? {
            let t = Array(terminator.utf8)
            var k = from
            while k + t.count <= bytes.count {
                if bytes[k] == t[0], Array(bytes[k..<(k + t.count)]) == t { return k }
                k += 1
            }
            return nil
        }
        let rest = bytes[i...]
        if rest.starts(with: Array("<![CDATA[".utf8)) {
            guard let close = find("]]>", from: i + 9) else { return false }
            let content = bytes[(i + 9)..<close]
            i = close + 3
            writeText(content)
            return true
        }
        let terminator =
            rest.starts(with: Array("<!--".utf8)) ? "-->" : rest.starts(with: Array("<?".utf8)) ? "?>" : ">"
        guard let close = find(terminator, from: i + 2) else { return false }
        i = close + terminator.utf8.count
        return true
    }

    mutating func start(_ qualifiedName: [UInt8], _ attributes: [(name: [UInt8], value: [UInt8])]) {
        let parent = stack.last
        var scope = parent?.scope ?? [:]
        var declarations: [(prefix: String, uri: String)] = []
        for attribute in attributes {
            let name = String(decoding: attribute.name, as: UTF8.self)
            if name == "xmlns" || name.hasPrefix("xmlns:") {
                let prefix = name == "xmlns" ? "" : String(name.dropFirst(6))
                let uri = Self.decodedAttribute(attribute.value)
                scope[prefix] = uri
                declarations.append((prefix, uri))
            }
        }
        let name = String(decoding: qualifiedName, as: UTF8.self)
        let prefix = name.firstIndex(of: ":").map { String(name[..<$0]) } ?? ""
        let local = name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
        let namespace = scope[prefix]
        let inMathML = parent?.isMathML ?? false
        // In the MathML namespace, or without a namespace inside (or as) a `math` element, as a browser reads it.
        let isMathML =
            namespace == InlineMarkup.mathMLNamespace
            || (prefix.isEmpty && namespace == nil && (local == "math" || inMathML))
        var outputName = qualifiedName
        let kept: Bool
        if isMathML {
            kept = InlineMarkup.mathML.contains(local)
        } else if prefix.isEmpty, !inMathML, let formatting = InlineMarkup.formatting[local.lowercased()] {
            kept = true
            outputName = Array(formatting.utf8)
        } else {
            kept = false
        }
        var written = parent?.written ?? []
        if kept {
            flushStart()
            out.append(0x3C)
            out.append(contentsOf: outputName)
            if isMathML {
                // Declarations of the MathML namespace only, as written; then one for the element's own
                // prefix when what is written does not declare it yet.
                for d in declarations where d.uri == InlineMarkup.mathMLNamespace {
                    append(attribute: d.prefix.isEmpty ? "xmlns" : "xmlns:" + d.prefix, value: d.uri)
                    written.insert(d.prefix)
                }
                if let namespace, !written.contains(prefix) {
                    append(attribute: prefix.isEmpty ? "xmlns" : "xmlns:" + prefix, value: namespace)
                    written.insert(prefix)
                }
                for attribute in attributes {
                    let attributeName = String(decoding: attribute.name, as: UTF8.self)
                    guard InlineMarkup.mathMLAttributes.contains(attributeName) else { continue }
                    let value = Self.decodedAttribute(attribute.value)
                    guard value.unicodeScalars.allSatisfy(Self.isHarmlessValueScalar) else { continue }
                    append(attribute: attributeName, value: value)
                }
            }
            pendingStart = true
        }
        stack.append(
            Open(
                qualifiedName: qualifiedName, outputName: outputName, kept: kept, scope: scope, written: written,
                isMathML: isMathML))
    }

    /// An end tag: closes the innermost open element of that name (and any left open inside it); an
    /// end tag that matches nothing open is left out.
    mutating func end(_ qualifiedName: [UInt8]) {
        guard let index = stack.lastIndex(where: { $0.qualifiedName == qualifiedName }) else { return }
        while stack.count > index { close() }
    }

    mutating func close() {
        guard let open = stack.popLast() else { return }
        guard open.kept else { return }
        if pendingStart {
            out.append(contentsOf: Array("/>".utf8))
            pendingStart = false
        } else {
            out.append(contentsOf: Array("</".utf8))
            out.append(contentsOf: open.outputName)
            out.append(0x3E)
        }
    }

    mutating func flushStart() {
        if pendingStart {
            out.append(0x3E)
            pendingStart = false
        }
    }

    mutating func append(attribute name: String, value: String) {
        out.append(0x20)
        out.append(contentsOf: Array(name.utf8))
        out.append(contentsOf: Array("=\"".utf8))
        for b in value.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: Array("&amp;".utf8))
            case 0x3C: out.append(contentsOf: Array("&lt;".utf8))
            case 0x3E: out.append(contentsOf: Array("&gt;".utf8))
            case 0x22: out.append(contentsOf: Array("&quot;".utf8))
            case 0x0A: out.append(contentsOf: Array("&#10;".utf8))
            case 0x09: out.append(contentsOf: Array("&#9;".utf8))
            case 0x0D: out.append(contentsOf: Array("&#13;".utf8))
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// An attribute value with its references decoded.
    static func decodedAttribute(_ bytes: [UInt8]) -> String {
        let s = Sanitiser(bytes)
        var decoded: [UInt8] = []
        var k = 0
        while k < bytes.count {
            if bytes[k] == 0x26, let (scalar, next) = s.reference(at: k, end: bytes.count) {
                if let scalar { decoded.append(contentsOf: Array(String(scalar).utf8)) }
                k = next
                continue
            }
            decoded.append(bytes[k])
            k += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Letters, digits, space and `#.%+-_,`: enough for a colour, a length or an alignment, and no
    /// room for a URL, a script or CSS.
    static func isHarmlessValueScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", " ", "#", ".", "%", "+", "-", "_", ",": true
        default: false
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x5F || b == 0x3A || b >= 0x80
    }
    static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }
}
