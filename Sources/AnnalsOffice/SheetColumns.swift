import AnnalsInterchange
import AnnalsModel

/// The language of a template's or an export's headers and labels.
public enum SheetLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// One choice of a closed vocabulary: the registry's value and what a person writes for it.
public struct Choice: Sendable, Hashable {
    public var value: String
    public var en: String
    public var zh: String
    /// Other words taken for it on import.
    public var aliases: [String]

    init(_ value: String, _ en: String, _ zh: String, _ aliases: [String] = []) {
        self.value = value
        self.en = en
        self.zh = zh
        self.aliases = aliases
    }

    /// What a person reads for it in `language`.
    public func label(_ language: SheetLanguage) -> String { language == .zh ? zh : en }
}

/// What a column holds.
public enum ColumnType: Sendable, Hashable {
    case text
    /// Several values in one cell, separated by `;`, `；`, `、` or a line break.
    case list
    case integer
    case decimal
    /// A date, a year-month (`2024-03`) or a year; a date cell is taken as it is.
    case date
    case year
    case choice([Choice])
    /// A yes/no cell (是/否, yes/no, TRUE/FALSE).
    case flag
}

/// One column of a kind's sheet.
public struct SheetColumn: Sendable, Hashable {
    /// Annals' name for it (the English header).
    public var key: String
    public var zh: String
    /// Other headers taken for it on import (Chinese and English).
    public var aliases: [String]
    public var type: ColumnType
    public var required: Bool
    /// Written by exports and accepted in imports, but never read (序号, SCI, impact factor…: the
    /// registry works them out itself).
    public var computed: Bool
    public var noteEN: String
    public var noteZH: String

    init(
        _ key: String, _ zh: String, _ type: ColumnType = .text, required: Bool = false, computed: Bool = false,
        aliases: [String] = [], en noteEN: String, zh noteZH: String
    ) {
        self.key = key
        self.zh = zh
        self.aliases = aliases
        self.type = type
        self.required = required
        self.computed = computed
        self.noteEN = noteEN
        self.noteZH = noteZH
    }

    public func header(_ language: SheetLanguage) -> String { language == .zh ? zh : key }

    /// The column's note (what to write in it) in `language`.
    public func note(_ language: SheetLanguage) -> String { language == .zh ? noteZH : noteEN }
}

/// The vocabularies of the registry, with the words a Chinese office writes for them.
enum Vocabulary {
    static let level: [Choice] = [
        Choice("national", "national", "国家级"), Choice("ministerial", "ministerial", "部级", ["省部级"]),
        Choice("provincial", "provincial", "省级"), Choice("municipal", "municipal", "市级", ["厅局级", "市厅级"]),
        Choice("institutional", "institutional", "院级", ["校级"]), Choice("other", "other", "其他"),
    ]
    static let projectStatus: [Choice] = [
        Choice("applied", "applied", "申报中"), Choice("ongoing", "ongoing", "在研"),
        Choice("completed", "completed", "结题", ["已结题"]), Choice("terminated", "terminated", "终止", ["已终止"]),
    ]
    static let patentKind: [Choice] = [
        Choice("invention", "invention", "发明专利", ["发明"]), Choice("utility-model", "utility model", "实用新型", ["实用新型专利"]),
        Choice("design", "design", "外观设计", ["外观设计专利"]),
    ]
    static let patentStatus: [Choice] = [
        Choice("filed", "filed", "已申请", ["申请中"]), Choice("granted", "granted", "已授权", ["授权"]),
        Choice("lapsed", "lapsed", "已失效", ["失效"]), Choice("rejected", "rejected", "已驳回", ["驳回"]),
        Choice("withdrawn", "withdrawn", "已撤回", ["撤回"]),
    ]
    static let approach: [Choice] = [
        Choice("open", "open", "开放"), Choice("laparoscopic", "laparoscopic", "腹腔镜"),
        Choice("robotic", "robotic", "机器人"),
        Choice("endoscopic", "endoscopic", "内镜"), Choice("interventional", "interventional", "介入"),
        Choice("hybrid", "hybrid", "杂交"),
        Choice("converted", "converted to open", "中转开放"),
    ]
    static let clinicalRank: [Choice] = [
        Choice("chief-physician", "chief physician", "主任医师"),
        Choice("deputy-chief-physician", "deputy chief physician", "副主任医师"),
        Choice("attending-physician", "attending physician", "主治医师"),
        Choice("resident-physician", "resident physician", "住院医师"),
        Choice("supervisor-nurse", "supervisor nurse", "主管护师"),
        Choice("nurse-practitioner", "nurse practitioner", "护师"),
        Choice("nurse", "nurse", "护士"),
    ]
    static let degree: [Choice] = [
        Choice("doctorate", "doctorate", "博士"), Choice("master", "master", "硕士"),
        Choice("bachelor", "bachelor", "学士", ["本科"]),
    ]
    static let supervisor: [Choice] = [
        Choice("doctoral", "doctoral", "博士生导师", ["博导"]), Choice("master", "master", "硕士生导师", ["硕导"]),
    ]
    static let staffCategory: [Choice] = [
        Choice("chief-physician", "chief physicians", "主任医师"),
        Choice("deputy-chief-physician", "deputy chief physicians", "副主任医师"),
        Choice("attending-physician", "attending physicians", "主治医师"),
        Choice("resident-physician", "resident physicians", "住院医师"),
        Choice("specialist-doctor", "specialist doctors", "专科医师"),
        Choice("supervisor-nurse", "supervisor nurses", "主管护师"),
        Choice("nurse-practitioner", "nurse practitioners", "护师"), Choice("nurse", "nurses", "护士"),
        Choice("doctorate", "holding a doctorate", "博士"), Choice("master", "holding a master's degree", "硕士"),
        Choice("doctoral-supervisor", "doctoral supervisors", "博士生导师", ["博导"]),
        Choice("master-supervisor", "master's supervisors", "硕士生导师", ["硕导"]),
        Choice("committee-member", "committee members", "学术委员会任职"),
    ]
    static let paperKind: [Choice] = [
        Choice("journal-article", "journal article", "论著", ["期刊论文", "article"]), Choice("review", "review", "综述"),
        Choice("case-report", "case report", "病例报告", ["个案报道"]), Choice("editorial", "editorial", "述评", ["社论"]),
        Choice("letter", "letter", "通讯", ["快报"]), Choice("conference-paper", "conference paper", "会议论文"),
        Choice("book", "book", "专著"), Choice("book-chapter", "book chapter", "章节"), Choice("erratum", "erratum", "勘误"),
        Choice("retraction-notice", "retraction notice", "撤稿声明"), Choice("other", "other", "其他"),
    ]
}
