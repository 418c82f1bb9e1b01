import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import Foundation

/// The problems of the imports said to a person filling in a form: at the field they concern, in Chinese and
/// English, without file positions or schema words. The rules stay the imports'; only the words differ.
enum FormMessages {
    /// `diagnostic` (located at a cell of `table`, as the spreadsheet import locates it) as a form's problem.
    static func problem(_ diagnostic: Diagnostic, table: SheetTable) -> FormProblem {
        var row = 0
        var field: String?
        if let cell = diagnostic.location.cell, let reference = CellReference(cell) {
            row = max(0, reference.row - 2)
            field = table.columns[reference.column]
        }
        var message = diagnostic.message
        while let prefix = locationPrefix.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)),
            let range = Range(prefix.range, in: message)
        {
            message.removeSubrange(range)
        }
        let (english, chinese, moved) = words(message, code: diagnostic.code, field: field, kind: table.kind)
        if let moved { field = moved }
        if field == "id" && table.kind == .tallies && diagnostic.code != .tallyInvalidValue { field = "from" }
        return FormProblem(row: row, field: field, code: diagnostic.code, english: english, chinese: chinese)
    }

    /// A record credited to none of `departments` (a secretary's).
    static func outOfScope(row: Int, field: String, _ departments: Set<String>) -> FormProblem {
        let list = departments.sorted().joined(separator: ", ")
        return FormProblem(
            row: row, field: field, code: .unknownDepartment,
            english: "You enter records of your own departments only (\(list)); name one of them here.",
            chinese: "您只能录入本科室（\(departments.sorted().joined(separator: "、"))）的记录，请在此填写本科室。")
    }

    /// The English and Chinese of a message, from its first quoted value.
    typealias Say = @Sendable (String) -> (String, String, String?)

    /// The messages of the imports by what they say (regular expressions, made once), and their words in a form.
    private static let rules: [(NSRegularExpression, Say)] = ruleWords.map { pattern, say in
        (compiled(pattern), say)
    }

    private static let ruleWords: [(String, Say)] = [
        (
            ("needs a value in every row|is empty$"),
            { _ in ("This field is required.", "此项必填。", nil) }
        ),
        (
            ("is not one of"),
            { q in ("'\(q)' is not one of the choices; pick one from the list.", "「\(q)」不在可选范围内，请从列表中选择。", nil) }
        ),
        (
            ("is not a date"),
            { q in
                (
                    "'\(q)' is not a date; write 2025-03-01, 2025-03 or 2025 (2025/3/1 is fine too).",
                    "「\(q)」不是日期，请写成 2025-03-01、2025-03 或 2025（也可写 2025/3/1、2025年3月1日）。", nil
                )
            }
        ),
        (
            ("is not a whole number|is not a count"),
            { q in ("'\(q)' is not a whole number; write digits only.", "「\(q)」不是整数，请只填数字。", nil) }
        ),
        (
            ("is more than .* the largest count"),
            { _ in ("This count is larger than Annals keeps; check it.", "例数过大，请核对。", nil) }
        ),
        (
            ("is not a number"),
            { q in ("'\(q)' is not a number; write 520000 or 52万.", "「\(q)」不是数字，请写成 520000 或 52万。", nil) }
        ),
        (
            ("is not a year between"),
            { _ in ("Write a year between 1900 and 2100.", "请填写 1900 至 2100 年之间的年份。", nil) }
        ),
        (
            ("is not an id|is not a valid id"),
            { q in
                (
                    "'\(q)' cannot be an id: use lower-case letters, digits, '.', '_' and '-', or leave it empty.",
                    "编号「\(q)」不合规：只能用小写字母、数字和 . _ -；新记录请留空。", nil
                )
            }
        ),
        (
            ("^no person"),
            { q in
                (
                    "There is no person '\(q)' in the registry; enter the person first, or write their id.",
                    "登记中没有「\(q)」这个人员：请先录入该人员，或填写其人员编号。", nil
                )
            }
        ),
        (
            ("^no department or hospital|^no department"),
            { q in
                (
                    "There is no department '\(q)'; write its id or its Chinese name.",
                    "没有「\(q)」这个科室，请填写科室编号或中文名称。", nil
                )
            }
        ),
        (
            ("^no campus"),
            { q in ("There is no campus '\(q)'.", "没有「\(q)」这个院区。", nil) }
        ),
        (
            ("is not a DOI"),
            { q in ("'\(q)' is not a DOI; write it as 10.xxxx/….", "「\(q)」不是 DOI，请写成 10.xxxx/… 的形式。", nil) }
        ),
        (
            ("is not a PMID"),
            { q in ("'\(q)' is not a PMID: 1 to 9 digits.", "「\(q)」不是 PMID：PMID 为 1 至 9 位数字。", nil) }
        ),
        (
            ("needs a Chinese name"),
            { _ in
                (
                    "Write the Chinese name, or the family and given name in pinyin.", "请填写中文姓名，或拼音的姓和名。",
                    nil
                )
            }
        ),
        (
            ("is not 博士生导师"),
            { q in ("'\(q)' is neither doctoral nor master's supervisor.", "「\(q)」不是博士生导师或硕士生导师。", nil) }
        ),
        (
            ("is not a head count"),
            { _ in ("Write a head count, 0 or more.", "人数应为 0 或正整数。", nil) }
        ),
        (
            ("^unknown procedure"),
            { q in
                (
                    "'\(q)' is not in the procedure vocabulary; pick one from the list.",
                    "术式词表中没有「\(q)」，请从列表中选择。", nil
                )
            }
        ),
        (
            ("^unknown approach"),
            { q in
                (
                    "'\(q)' is not an approach; pick one from the list.",
                    "「\(q)」不是入路，请选择开放、腹腔镜、机器人、内镜、介入、杂交或中转开放。", nil
                )
            }
        ),
        (
            ("ORCID|Element 'orcid'"),
            { _ in
                (
                    "An ORCID is 16 digits in four groups, such as 0000-0002-1825-0097; copy it again from orcid.org.",
                    "ORCID 应为 16 位、分四组，如 0000-0002-1825-0097，请从 orcid.org 重新复制。", "orcid"
                )
            }
        ),
    ]

    /// The patterns words are read out of, compiled once (a regular expression written in a function is compiled
    /// again at every call, which made checking a form's rows slow).
    private static let locationPrefix = compiled(#"^\([^)]*\) "#)
    private static let firstQuoted = compiled("'([^']*)'")
    private static let overlapped = compiled("overlaps case tally '([^']*)'")
    private static let approachConflict = compiled(#"the procedure says (\w+) but the approach column says (\w+)"#)
    private static let backwards = compiled(#"ends \(([^)]*)\) before it starts \(([^)]*)\)"#)
    private static let unknownTarget = compiled("names [a-z -]+ '([^']*)'")
    private static let schemaValue = compiled("The value '([^']*)'")

    private static func compiled(_ pattern: String) -> NSRegularExpression {
        // A pattern that does not compile is a programming error, caught by every test that shows a problem.
        try! NSRegularExpression(pattern: pattern)
    }

    /// The groups of `pattern`'s first match in `text`, or nil when it does not match.
    private static func groups(_ pattern: NSRegularExpression, _ text: String) -> [String]? {
        guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
    }

    /// The first quoted value of `text` ('…').
    static func quoted(_ text: String) -> String {
        groups(firstQuoted, text)?.first ?? ""
    }

    /// The English and Chinese of an import's message, and the field it belongs at when it is not the one the
    /// import named.
    static func words(_ message: String, code: Diagnostic.Code, field: String?, kind: SheetKind)
        -> (String, String, String?)
    {
        let q = quoted(message)
        func approach(_ raw: String) -> String { Vocabulary.approach.first { $0.value == raw }?.zh ?? raw }
        if code == .tallyOverlap {
            let other = groups(overlapped, message)?.first ?? ""
            if message.contains("also being imported") {
                return (
                    "This count overlaps another one entered here (\(other)): the same operations would be counted twice. Correct the periods.",
                    "与本次填写的另一条例数时段重叠，同一批手术会被重复计算，请更正时段。", nil
                )
            }
            return (
                "This count overlaps a count already in the registry (\(other)): the same operations would be counted twice. Correct the period; a corrected count for exactly the same procedure, approach, department, campus, surgeon and period replaces the old one.",
                "与登记中已有的手术例数（编号 \(other)）时段重叠，同一批手术会被重复计算。请更正时段；若要更正同一术式、入路、科室、院区、术者和时段的例数，会直接替换原数。",
                nil
            )
        }
        if code == .tallyRepeated || code == .sheetRepeatedRow {
            return (
                "This is the same record as another row of the form; keep one.", "与表中另一行是同一条记录，请只保留一行。", nil
            )
        }
        let whole = NSRange(message.startIndex..., in: message)
        for (pattern, say) in rules where pattern.firstMatch(in: message, range: whole) != nil {
            return say(q)
        }
        if let m = groups(approachConflict, message), m.count == 2 {
            let (a, b) = (m[0], m[1])
            return (
                "The procedure's name says \(a), the approach says \(b).",
                "术式名称含入路「\(approach(a))」，与所选入路「\(approach(b))」不一致。",
                nil
            )
        }
        if let m = groups(backwards, message), m.count == 2 {
            let (end, start) = (m[0], m[1])
            return (
                "The end (\(end)) is before the start (\(start)).", "结束（\(end)）早于开始（\(start)）。",
                kind == .projects ? "end" : (kind == .tallies ? "to" : nil)
            )
        }
        if message.contains("the years run backwards") {
            return ("The end is before the start.", "结束早于开始。", nil)
        }
        if code == .registryUnknownReference {
            let target = groups(unknownTarget, message)?.first ?? q
            return (
                "'\(target)' is not in the registry; enter it first or correct the id.", "登记中没有「\(target)」，请先录入或改正编号。",
                nil
            )
        }
        if message.contains("[facet") || message.contains("Element '") || code == .xmlSchema {
            let value = groups(schemaValue, message)?.first ?? q
            return (
                "'\(value)' is not written the way this field takes it; check it.", "「\(value)」的写法不符合此项的要求，请核对。", nil
            )
        }
        return (message, "此项填写有误，请核对。", nil)
    }
}
