import Foundation

/// Text from the registry written into Markdown so that it stays text.
///
/// A Markdown tool passes HTML through and turns `[text](url)` into a link, so an imported title such as
/// `<img src=x onerror=alert(1)>` or `[click](javascript:alert(1))` would become live HTML or a script
/// link in a rendered report. Every text that comes from the registry is therefore escaped:
/// `<` and `>` as `&lt;` and `&gt;` (understood by every Markdown dialect), `&` as `&amp;` only where it
/// would start a character reference (`&lt;` written in a title stays those four characters; "R&D"
/// stays as it is), and the characters that make links, emphasis and code (`\`, `` ` ``, `*`, `_`, `[`,
/// `]`) with a backslash. What the report writes itself (headings, lists, tables) is not escaped.
public enum MarkdownText {
    /// `text` as Markdown that renders as exactly this text.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { special.contains($0) }) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, c) in scalars.enumerated() {
            switch c {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&" where startsReference(scalars, at: index): out.append(contentsOf: "&amp;".unicodeScalars)
            case "\\", "`", "*", "_", "[", "]":
                out.append("\\")
                out.append(c)
            default: out.append(c)
            }
        }
        return String(out)
    }

    private static let special: Set<Unicode.Scalar> = ["<", ">", "&", "\\", "`", "*", "_", "[", "]"]

    /// True when the `&` at `index` begins something a Markdown tool would read as a character
    /// reference: `&name;`, `&#digits;` or `&#xhex;`.
    private static func startsReference(_ s: [Unicode.Scalar], at index: Int) -> Bool {
        var j = index + 1
        var length = 0
        while j < s.count, length <= 32,
            s[j].properties.isASCIIHexDigit || ("a"..."z").contains(s[j]) || ("A"..."Z").contains(s[j]) || s[j] == "#"
        {
            j += 1
            length += 1
        }
        return length > 0 && j < s.count && s[j] == ";"
    }

    /// `value` with every string inside it escaped (``escaped(_:)``): used on the report before it is
    /// written as Markdown, so that every text taken from the registry, now and in fields added later,
    /// is escaped, and the Markdown the renderer writes itself is not.
    static func escapingEveryText<T: Codable>(in value: T) -> T {
        do {
            let data = try JSONEncoder().encode(value)
            let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let escapedData = try JSONSerialization.data(
                withJSONObject: escapingStrings(in: object), options: [.fragmentsAllowed])
            return try JSONDecoder().decode(T.self, from: escapedData)
        } catch {
            preconditionFailure("a report that encodes as JSON decodes from it: \(error)")
        }
    }

    private static func escapingStrings(in object: Any) -> Any {
        switch object {
        case let s as String: return escaped(s)
        case let array as [Any]: return array.map(escapingStrings)
        case let dictionary as [String: Any]: return dictionary.mapValues(escapingStrings)
        default: return object
        }
    }
}
