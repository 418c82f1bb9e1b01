/// An imported title as HTML: its inline markup kept through an allow-list (`i`, `b`, `sup`, `sub`, `em`,
/// `strong`, without attributes), everything else escaped, so no imported text can run script or change the page.
///
/// The registry keeps titles as XML fragments (text escaped, inline elements as written); a character
/// reference (`&amp;`, `&#945;`) stays as it is, any other `&`, `<`, `>` or quote is escaped, an allowed tag
/// closes only what it opened, and every tag still open at the end is closed.
enum TitleHTML {
    static let allowed: Set<String> = ["i", "b", "sup", "sub", "em", "strong"]

    static func render(_ markup: String) -> String {
        var out = ""
        var open: [String] = []
        let chars = Array(markup)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "<", let close = chars[i...].firstIndex(of: ">") {
                let inner = String(chars[(i + 1)..<close])
                let closing = inner.hasPrefix("/")
                let name = closing ? String(inner.dropFirst()) : inner
                if allowed.contains(name) {
                    if !closing {
                        out += "<\(name)>"
                        open.append(name)
                        i = close + 1
                        continue
                    }
                    if open.last == name {
                        out += "</\(name)>"
                        open.removeLast()
                        i = close + 1
                        continue
                    }
                }
                out += "&lt;"
                i += 1
                continue
            }
            if c == "&", let end = chars[i...].prefix(12).firstIndex(of: ";"), isReference(String(chars[(i + 1)..<end]))
            {
                out += String(chars[i...end])
                i = end + 1
                continue
            }
            out += escape(c)
            i += 1
        }
        for name in open.reversed() { out += "</\(name)>" }
        return out
    }

    static func escape(_ c: Character) -> String {
        switch c {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: String(c)
        }
    }

    static func escape(_ text: String) -> String { text.map(escape).joined() }

    /// `amp`, `lt`, `gt`, `quot`, `apos`, `#123`, `#x1F`.
    private static func isReference(_ name: String) -> Bool {
        if ["amp", "lt", "gt", "quot", "apos"].contains(name) { return true }
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return name.count > 2 && name.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        if name.hasPrefix("#") {
            return name.count > 1 && name.dropFirst().allSatisfy(\.isNumber) && name.dropFirst().allSatisfy(\.isASCII)
        }
        return false
    }
}
