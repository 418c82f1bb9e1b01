public import AnnalsModel

/// Citations in the Vancouver (ICMJE / NLM) style:
/// `Gao Z, Chen Q. Title. J Pediatr Surg. 2024;59(1):101-107. doi:10.5555/annals.sample.1`
public enum Vancouver {
    /// The citation of `p`; the journal is abbreviated as the registry's journal list abbreviates it.
    public static func citation(_ p: Publication, journals: [Journal]) -> String {
        citation(p, in: JournalLookup(journals))
    }

    /// The same with a journal lookup made once for many papers.
    public static func citation(_ p: Publication, in lookup: JournalLookup) -> String {
        var authors = p.authors.prefix(6).map { a -> String in
            if let collective = a.collectiveName { return collective }
            if let chinese = a.chineseName { return chinese }  // 高志刚, never "高 志"
            // Initials are capitals: "Qi-xing" is "QX".
            let initials =
                a.initials
                ?? (a.givenName.map { given in
                    given.split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first).map { $0.uppercased() }
                        .joined()
                } ?? "")
            return [a.familyName, initials.isEmpty ? nil : initials].compactMap { $0 }.joined(separator: " ")
        }
        if p.authors.count > 6 { authors.append("et al") }
        var parts: [String] = []
        if !authors.isEmpty { parts.append(authors.joined(separator: ", ") + ".") }
        parts.append(terminated(p.title.plain))
        var source = ""
        if let journal = p.journal {
            source = terminated(lookup.journals(for: journal).first?.isoAbbreviation ?? journal.title)
        } else if let book = p.bookTitle {
            source = "In: " + terminated(book) + (p.publisher.map { " " + terminated($0) } ?? "")
        }
        var detail = p.published.map { "\($0.year)" } ?? ""
        if let volume = p.volume { detail += ";\(volume)" }
        if let issue = p.issue { detail += "(\(issue))" }
        if let pages = p.pages { detail += ":\(pages)" }
        if !detail.isEmpty { source += (source.isEmpty ? "" : " ") + detail + "." }
        if !source.isEmpty { parts.append(source) }
        if let doi = p.doi { parts.append("doi:\(doi)") }
        if p.isRetracted { parts.append("Retracted.") }
        return parts.joined(separator: " ")
    }

    private static func terminated(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: " ")
        return trimmed.hasSuffix(".") || trimmed.hasSuffix("?") || trimmed.hasSuffix("!") ? trimmed : trimmed + "."
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        // By scalar: "\r\n" is one Character, and a lone "\n" must be trimmed as well as the pair.
        let scalars = Set(set.unicodeScalars)
        let trimmed = { (c: Character) in c.unicodeScalars.allSatisfy(scalars.contains) }
        guard let first = firstIndex(where: { !trimmed($0) }), let last = lastIndex(where: { !trimmed($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
