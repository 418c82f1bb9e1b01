import AnnalsCuration
import AnnalsDiagnostics
import AnnalsInterchange
import AnnalsModel
import AnnalsRegistry

/// What an import says, in the reader's language: records left out and why, notes, records replaced, and a
/// refused file's diagnostics (by their code; the English detail quotes the file and is kept beside it). The
/// registry's layers give values (`ImportSkip`, `ImportNote`, `RecordReplacement`, `Diagnostic.Code`); this
/// only words them.
enum ImportWords {
    static func skip(_ skip: ImportSkip, _ language: WebLanguage) -> String {
        guard language == .zh else { return skip.description }
        let record = skip.record.map { "记录 \($0)" } ?? ""
        let place =
            [skip.line.map { "第 \($0) 行" }, skip.position.map { "第 \($0) 条记录" }].compactMap { $0 }.joined(
                separator: "，")
        let who = [place, record].filter { !$0.isEmpty }.joined(separator: "，")
        let prefix = who.isEmpty ? "" : who + "："
        switch skip.reason {
        case .noTitle: return prefix + "没有标题，不能作为论文，已跳过。"
        case .olderVersion(let incoming, let registry):
            return prefix + "文件中的版本（修订于 \(incoming)）比登记库中的（修订于 \(registry)）旧，已跳过。"
        case .incomplete:
            return prefix + "缺少论文必需的内容（如标题、PMID 或正文），已跳过。"
        }
    }

    static func note(_ note: ImportNote, _ language: WebLanguage) -> String {
        guard language == .zh else { return note.description }
        switch note {
        case .uncredited: return "论文未归属到任何科室或人员：登记库中还没有医院（及其单位名称写法）。请先导入科室和人员。"
        case .notFoundForDeletion(let pmids): return "要删除但登记库中从未有过的论文：PMID \(pmids.joined(separator: "、"))"
        case .other(let text): return text
        }
    }

    static let fields: [String: String] = [
        "title": "标题", "name": "名称", "departments": "科室", "funder": "资助机构", "principal investigator": "负责人",
        "part of": "上级单位",
    ]

    static let kinds: [EntityKind: String] = [
        .project: "科研项目", .publication: "论文", .patent: "专利", .award: "获奖", .person: "人员", .orgUnit: "科室",
        .procedure: "术式",
    ]

    static func replacement(_ r: RecordReplacement, _ language: WebLanguage) -> String {
        guard language == .zh else { return r.description }
        func quoted(_ value: String) -> String { value.isEmpty ? "（空）" : "“\(value)”" }
        let changes = r.changes.map { "\(fields[$0.field] ?? $0.field) \(quoted($0.old)) → \(quoted($0.new))" }
        return "\(kinds[r.kind] ?? r.kind.rawValue) \(r.id)（\(quoted(r.name))）将被替换：" + changes.joined(separator: "；")
    }

    /// What a diagnostic's code means, in Chinese; nil in English (the message says it) and for codes not worded.
    static func diagnostic(_ code: Diagnostic.Code, _ language: WebLanguage) -> String? {
        guard language == .zh else { return nil }
        if let known = diagnostics[code.rawValue] { return known }
        let family = code.rawValue.split(separator: ".").first.map(String.init) ?? ""
        return families[family]
    }

    static let diagnostics: [String: String] = [
        "file.missing": "找不到文件。",
        "file.isFolder": "这是一个文件夹，不是文件。",
        "file.tooLarge": "文件太大。",
        "file.unreadable": "文件无法读取（可能已损坏或压缩不完整）。",
        "xml.malformed": "不是格式正确的 XML 文件（可能不是所选类型的文件，或已损坏）。",
        "xml.schema": "XML 内容不符合格式要求。",
        "xml.entity": "文件含有实体声明，出于安全原因不予读取。",
        "xml.textTooLong": "某个字段的文字过长。",
        "xml.tooManyProblems": "问题太多，只列出前面一部分。",
        "csv.notUTF8": "CSV 文件不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”。",
        "csv.utf16": "这是 Unicode 文本（UTF-16），不是 UTF-8 的 CSV：请另存为“CSV UTF-8”。",
        "csv.controlCharacter": "某个单元格含有无法保存的控制字符。",
        "csv.fieldTooLong": "某个单元格的文字过长。",
        "csv.unclosedQuote": "引号没有闭合。",
        "csv.textAfterQuote": "引号后还有多余的文字。",
        "csv.strayQuote": "单元格中有多余的引号。",
        "csv.noHeader": "文件没有表头行。",
        "csv.unknownColumn": "表头中有不认识的列名。",
        "csv.duplicateColumn": "表头中有重复的列。",
        "csv.missingColumn": "缺少必需的列。",
        "csv.fieldCount": "这一行的列数与表头不一致。",
        "tally.invalidValue": "值不正确（如术式、入路、日期或例数）。",
        "tally.repeated": "同一行重复出现。",
        "tally.overlap": "与已有的手术例数时间段重叠，同一台手术不能计两次。",
        "tally.orderFault": "开始日期晚于结束日期。",
        "registry.invalidRecord": "记录内容不正确。",
        "registry.duplicateRecord": "同一编号的记录出现了两次。",
        "registry.unknownReference": "引用了登记库中不存在的记录。",
        "office.notOffice": "不是 Excel 工作簿（.xlsx）。",
        "office.oldFormat": "这是旧版 Excel 文件（.xls）：请另存为 .xlsx。",
        "office.encrypted": "工作簿有密码保护：请去掉密码后再上传。",
        "office.damaged": "工作簿已损坏。",
        "sheet.noTable": "工作表中没有找到表格。",
        "sheet.column": "列名不正确。",
        "sheet.invalidValue": "单元格的值不正确。",
        "sheet.repeatedRow": "同一行重复出现。",
        "cerif.notCerif": "这不是 CERIF XML 文件。",
        "cerif.invalidRecord": "CERIF 记录内容不正确。",
        "pubmed.notPubMed": "这不是 PubMed XML 文件：请在 PubMed 中选择“保存 > 格式：PubMed XML”。",
        "pubmed.incompleteRecord": "PubMed 记录不完整。",
        "endnote.notEndNote": "这不是 EndNote XML 导出文件：请在 EndNote 中选择“文件 > 导出”，保存为 XML。",
        "endnote.incompleteRecord": "EndNote 记录不完整。",
        "tally.otherDepartment": "该行的科室不是您负责的科室。",
    ]

    /// A Chinese word for each family of codes not worded one by one.
    static let families: [String: String] = [
        "file": "文件问题。", "xml": "XML 文件问题。", "csv": "CSV 文件问题。", "tally": "手术例数问题。",
        "pubmed": "PubMed 文件问题。", "endnote": "EndNote 文件问题。", "cerif": "CERIF 文件问题。",
        "registry": "登记库 XML 问题。", "office": "Excel 工作簿问题。", "sheet": "工作表问题。", "journals": "期刊列表问题。",
        "store": "登记库出错。", "internal": "程序内部错误。",
    ]
}
