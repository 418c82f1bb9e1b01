public import AnnalsModel

/// Citations as GB/T 7714-2015 ("信息与文献 参考文献著录规则") writes them, for Chinese reports:
///
///     高志刚, 示例作者. 示例记录：腹腔镜胆总管囊肿切除术的学习曲线[J]. 中华小儿外科杂志, 2023, 44(3): 201-205.
///     GAO Z, CHEN Q. Illustrative record[J]. Journal of Pediatric Surgery, 2024, 59(1): 101-107. DOI:10.5555/annals.sample.1.
///
/// - Authors: at most three, then ", 等" (a Chinese paper) or ", et al" (any other); a name in Chinese
///   characters whole, any other family name first in capitals with the initials of the given names,
///   without full stops ("GAO Z G").
/// - The type after the title: [J] a journal's article (reviews, case reports, letters and notices too),
///   [M] a book, [M]// a chapter in one, [C] a paper in proceedings, [D] a thesis, [Z] anything else.
/// - The journal's full title, in Chinese for a Chinese journal (the registry's Chinese title, or the
///   paper's own when it is written in characters); the title of a Chinese paper in Chinese when the
///   record has it.
/// - The punctuation of the standard (". ", ", ", ": ") in Chinese entries as in others.
public enum GBT7714 {
    /// The citation of `p`.
    public static func citation(_ p: Publication, journals: [Journal]) -> String {
        citation(p, in: JournalLookup(journals))
    }

    /// The same with a journal lookup made once for many papers.
    public static func citation(_ p: Publication, in lookup: JournalLookup) -> String {
        let journal = p.journal.flatMap { lookup.journals(for: $0).first }
        let chinese = isChinese(p, journal: journal)
        var out = ""
        let names = p.authors.prefix(3).map(name)
        if !names.isEmpty {
            out += names.joined(separator: ", ")
            if p.authors.count > 3 { out += chinese ? ", 等" : ", et al" }
            out += ". "
        }
        let title =
            chinese
            ? (p.vernacularTitle.flatMap { ChineseText.containsHan($0) ? $0 : nil } ?? p.title.plain) : p.title.plain
        out += strip(title)
        let year = p.published.map { "\($0.year)" }
        switch type(of: p) {
        case "M" where p.kind == .bookChapter, "C":
            out += "[\(type(of: p))]//"
            let editors = p.editors.prefix(3).map(name)
            if !editors.isEmpty {
                out +=
                    editors.joined(separator: ", ") + (p.editors.count > 3 ? (chinese ? ", 等" : ", et al") : "") + ". "
            }
            out += strip(p.bookTitle ?? "") + ". "
            out += [p.publisher, year].compactMap { $0 }.joined(separator: ", ")
            if let pages = p.pages { out += ": \(pages)" }
            out += "."
        case "M", "D":
            out += "[\(type(of: p))]. "
            let tail = [p.publisher, year].compactMap { $0 }.joined(separator: ", ")
            out += tail.isEmpty ? "" : tail + "."
        default:
            out += "[\(type(of: p))]. "
            var source = journalTitle(p, journal: journal, chinese: chinese) ?? ""
            if let year { source += (source.isEmpty ? "" : ", ") + year }
            if let volume = p.volume { source += ", \(volume)" }
            if let issue = p.issue { source += p.volume == nil ? ", (\(issue))" : "(\(issue))" }
            if let pages = p.pages { source += ": \(pages)" }
            out += source.isEmpty ? "" : source + "."
        }
        if let doi = p.doi { out += " DOI:\(doi)." }
        if p.isRetracted { out += chinese ? " [已撤稿]" : " [Retracted]" }
        return out.trimmingCharacters(in: " ")
    }

    /// The letter of the document type.
    static func type(of p: Publication) -> String {
        let types = p.publicationTypes.map { $0.lowercased() }
        if types.contains(where: { $0.contains("thesis") || $0.contains("dissertation") }) { return "D" }
        switch p.kind {
        case .journalArticle, .review, .caseReport, .editorial, .letter, .erratum, .retractionNotice: return "J"
        case .book, .bookChapter: return "M"
        case .conferencePaper: return "C"
        case .other: return p.journal != nil ? "J" : "Z"
        }
    }

    /// A Chinese paper: in Chinese by its language, its title or its journal.
    static func isChinese(_ p: Publication, journal: Journal?) -> Bool {
        if p.languages.contains(where: { ["chi", "zho", "chinese", "zh"].contains($0.lowercased()) }) { return true }
        if ChineseText.containsHan(p.title.plain) { return true }
        return false
    }

    /// The journal's full title; for a Chinese journal its Chinese title where known.
    static func journalTitle(_ p: Publication, journal: Journal?, chinese: Bool) -> String? {
        guard let reference = p.journal else { return nil }
        if let zh = journal?.titleZH { return zh }
        if ChineseText.containsHan(reference.title) { return reference.title }
        return strip(journal?.title ?? reference.title)
    }

    /// "高志刚", "GAO Z G", a group's name.
    static func name(_ a: Author) -> String {
        if let collective = a.collectiveName { return collective }
        if let chinese = a.chineseName { return chinese }
        let initials: [String]
        if let written = a.initials {
            initials = written.filter(\.isLetter).map(String.init)
        } else {
            initials = (a.givenName ?? "").split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "." }).compactMap(
                \.first
            ).map(String.init)
        }
        let family = (a.familyName ?? "").uppercased()
        return ([family] + initials.map { $0.uppercased() }).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The text without a final full stop (the entry puts its own).
    static func strip(_ text: String) -> String {
        var t = text.trimmingCharacters(in: " ")
        while t.hasSuffix(".") || t.hasSuffix("。") { t.removeLast() }
        return t
    }
}
