import AnnalsInterchange
import AnnalsModel
import Foundation

/// The kinds of record a workbook may hold, one sheet each, found by their headers.
public enum SheetKind: String, Sendable, CaseIterable {
    case tallies, projects, papers, patents, awards, people
    /// The staff census: how many of each rank, degree or role a department has on a date.
    case staff

    /// The sheet's name in a template or an export.
    public func sheetName(_ language: SheetLanguage) -> String {
        switch (self, language) {
        case (.tallies, .zh): "手术例数"
        case (.projects, .zh): "科研项目"
        case (.papers, .zh): "论文"
        case (.patents, .zh): "专利"
        case (.awards, .zh): "获奖"
        case (.people, .zh): "人员"
        case (.staff, .zh): "人员统计"
        case (_, .en): rawValue
        }
    }

    /// The columns, in template and export order.
    public var columns: [SheetColumn] {
        let id = SheetColumn(
            "id", "编号", aliases: ["标识", "ID"],
            en:
                "Leave empty for a new record (Annals gives it a stable id); keep it when you correct a record, so that importing again corrects rather than adds.",
            zh: "新记录留空（系统自动生成稳定编号）；修改已有记录时保留编号，再次导入即为更正而非新增。")
        let departments = SheetColumn(
            "departments", "科室", .list, aliases: ["所属科室", "科室名称", "departments credited", "署名科室"],
            en: "Department ids or Chinese names, separated by ; or 、.", zh: "科室编号或中文名称，多个用；或、分隔。")
        switch self {
        case .tallies:
            return [
                SheetColumn(
                    "id", "编号", aliases: ["标识"], en: "Optional; a tally is known by its series and period.",
                    zh: "可留空：同一术式、入路、科室、院区、术者与时段即为同一条。"),
                SheetColumn(
                    "procedure", "术式", required: true, aliases: ["手术方式", "手术名称", "手术", "手术名"],
                    en: "A procedure of the vocabulary, in English or Chinese (annals procedures).",
                    zh: "术式词表中的名称，中英文均可（annals procedures）。"),
                SheetColumn(
                    "approach", "入路", .choice(Vocabulary.approach), aliases: ["手术入路"],
                    en: "open, laparoscopic, robotic, …", zh: "开放、腹腔镜、机器人等。"),
                SheetColumn(
                    "department", "科室", required: true, aliases: ["科别"],
                    en: "The department's id or Chinese name (or the hospital's id).", zh: "科室编号或中文名称（或医院编号）。"),
                SheetColumn("campus", "院区", en: "Empty for all campuses.", zh: "留空表示全部院区。"),
                SheetColumn(
                    "surgeon", "术者", aliases: ["主刀", "主刀医生", "主刀医师", "手术医生", "手术医师"], en: "Empty for all surgeons.",
                    zh: "留空表示全部术者。"),
                SheetColumn(
                    "from", "开始", .date, aliases: ["开始日期", "起始日期", "起始", "起"],
                    en: "First day counted; empty for a cumulative baseline.", zh: "统计起始日期；留空表示截至结束日期的累计数。"),
                SheetColumn(
                    "to", "结束", .date, required: true, aliases: ["结束日期", "截止日期", "截止", "止"],
                    en: "Last day counted (a year or a month is enough).", zh: "统计截止日期（可只写年或年月）。"),
                SheetColumn(
                    "count", "例数", .integer, required: true, aliases: ["手术例数", "台数", "数量"],
                    en: "How many operations, never patient data.", zh: "手术例数（不含任何患者信息）。"),
                SheetColumn("source", "来源", aliases: ["数据来源"], en: "Where the count comes from.", zh: "数据来源。"),
                SheetColumn("note", "备注", aliases: ["说明"], en: "Anything else.", zh: "其他说明。"),
            ]
        case .projects:
            return [
                id,
                SheetColumn(
                    "title", "项目名称", required: true, aliases: ["项目", "课题名称", "名称"], en: "The project's title.",
                    zh: "项目名称。"),
                SheetColumn(
                    "funder", "资助机构", required: true, aliases: ["资助方", "项目来源", "来源"], en: "Who pays.", zh: "资助机构。"),
                SheetColumn(
                    "programme", "项目类别", aliases: ["类别", "计划"], en: "The funder's programme.", zh: "项目类别或计划名称。"),
                SheetColumn(
                    "level", "级别", .choice(Vocabulary.level), required: true, aliases: ["项目级别"],
                    en: "national, ministerial, provincial, municipal, institutional or other.",
                    zh: "国家级、部级、省级、市级、院级或其他。"),
                SheetColumn(
                    "grant_number", "项目编号", aliases: ["批准号", "立项编号", "grant number"], en: "The funder's number.",
                    zh: "资助方的项目编号或批准号。"),
                SheetColumn(
                    "principal_investigator", "负责人", aliases: ["项目负责人", "principal investigator", "PI"],
                    en: "A person's id or Chinese name.", zh: "人员编号或姓名。"),
                SheetColumn(
                    "departments", "科室", .list, aliases: ["承担科室", "所属科室"],
                    en: "Department ids or names; the first leads, the others take part.",
                    zh: "科室编号或名称；第一个为主持科室，其余为参与科室。"),
                SheetColumn(
                    "start", "开始日期", .date, aliases: ["起始日期", "开始"], en: "A date, a month or a year.", zh: "日期、年月或年份。"),
                SheetColumn(
                    "end", "结束日期", .date, aliases: ["截止日期", "结束"], en: "A date, a month or a year.", zh: "日期、年月或年份。"),
                SheetColumn(
                    "amount", "经费", .decimal, aliases: ["金额", "资助金额", "经费（元）"], en: "The amount granted, a number.",
                    zh: "资助金额（数字）。"),
                SheetColumn(
                    "currency", "币种", aliases: ["货币"], en: "Three letters; CNY when empty.", zh: "三位字母代码；留空为人民币（CNY）。"),
                SheetColumn(
                    "status", "状态", .choice(Vocabulary.projectStatus), required: true, aliases: ["项目状态"],
                    en: "applied, ongoing, completed or terminated.", zh: "申报中、在研、结题或终止。"),
            ]
        case .papers:
            return [
                SheetColumn(
                    "no", "序号", .integer, computed: true, aliases: ["No."], en: "Row number (ignored on import).",
                    zh: "序号（导入时忽略）。"),
                id,
                SheetColumn(
                    "title", "题目", required: true, aliases: ["论文题目", "标题", "论文名称"], en: "The paper's title.",
                    zh: "论文题目。"),
                SheetColumn("journal", "期刊", aliases: ["期刊名称", "刊物", "发表期刊"], en: "The journal's title.", zh: "期刊名称。"),
                SheetColumn(
                    "issn", "ISSN", aliases: ["issn"], en: "The journal's print ISSN (1234-5678).",
                    zh: "期刊印刷版ISSN（1234-5678）。"),
                SheetColumn(
                    "year", "年份", .year, aliases: ["发表年份", "年"],
                    en: "The year of publication (from the date when there is one).", zh: "发表年份。"),
                SheetColumn(
                    "published", "发表日期", .date, aliases: ["出版日期", "日期"],
                    en: "A date, a month or a year; with only a year column, that year.", zh: "发表日期、年月或年份。"),
                SheetColumn("volume", "卷", aliases: ["卷号"], en: "Volume.", zh: "卷。"),
                SheetColumn("issue", "期", aliases: ["期号"], en: "Issue.", zh: "期。"),
                SheetColumn("pages", "页码", aliases: ["页"], en: "Pages, 12-19.", zh: "页码，如12-19。"),
                SheetColumn("doi", "DOI", en: "10.xxxx/…", zh: "DOI号。"),
                SheetColumn("pmid", "PMID", en: "PubMed id, digits.", zh: "PubMed编号（数字）。"),
                SheetColumn(
                    "authors", "作者", .list, aliases: ["全部作者", "作者列表"],
                    en: "In order, separated by ; (Zhang S; Li M) or 、 (张三、李四).", zh: "按署名顺序，用；或、分隔。"),
                SheetColumn(
                    "first_author", "第一作者", computed: true, aliases: ["first author"],
                    en: "The first of the authors (ignored on import).", zh: "第一作者（导入时取作者列表第一位）。"),
                SheetColumn(
                    "corresponding_author", "通讯作者", .list, aliases: ["corresponding author"],
                    en: "Authors of the list who are corresponding authors.", zh: "作者中的通讯作者。"),
                departments,
                SheetColumn(
                    "type", "类型", .choice(Vocabulary.paperKind), aliases: ["论文类型", "文献类型"],
                    en: "journal article when empty.", zh: "留空为论著。"),
                SheetColumn(
                    "sci", "SCI", .flag, computed: true, aliases: ["是否SCI", "SCI收录"],
                    en: "From the journal lists (annals import journals); ignored on import.", zh: "依据期刊目录判定（导入时忽略）。"),
                SheetColumn(
                    "impact_factor", "影响因子", .decimal, computed: true, aliases: ["IF", "impact factor"],
                    en: "From the journal lists, for the year of publication.", zh: "发表当年期刊影响因子（取自期刊目录）。"),
                SheetColumn(
                    "jcr_quartile", "JCR分区", computed: true, aliases: ["JCR", "quartile"],
                    en: "From the journal lists.", zh: "JCR分区（取自期刊目录）。"),
                SheetColumn(
                    "cas_zone", "中科院分区", .integer, computed: true, aliases: ["分区", "CAS zone"],
                    en: "From the journal lists.", zh: "中科院分区（取自期刊目录）。"),
            ]
        case .patents:
            return [
                id,
                SheetColumn(
                    "kind", "专利类型", .choice(Vocabulary.patentKind), required: true, aliases: ["类型", "类别"],
                    en: "invention, utility model or design.", zh: "发明专利、实用新型或外观设计。"),
                SheetColumn("title", "专利名称", required: true, aliases: ["名称"], en: "The patent's title.", zh: "专利名称。"),
                SheetColumn("application_number", "申请号", aliases: ["application number"], en: "CN2024…", zh: "申请号。"),
                SheetColumn(
                    "grant_number", "授权号", aliases: ["专利号", "授权公告号", "grant number"], en: "When granted.", zh: "授权后填写。"),
                SheetColumn(
                    "inventors", "发明人", .list, aliases: ["发明（设计）人"], en: "Names (or person ids), in order.",
                    zh: "按顺序填写姓名或人员编号。"),
                SheetColumn("filed", "申请日期", .date, aliases: ["申请日"], en: "A date.", zh: "日期。"),
                SheetColumn("granted", "授权日期", .date, aliases: ["授权日", "授权公告日"], en: "A date.", zh: "日期。"),
                SheetColumn(
                    "status", "状态", .choice(Vocabulary.patentStatus), required: true, aliases: ["法律状态"],
                    en: "filed, granted, lapsed, rejected or withdrawn.", zh: "已申请、已授权、已失效、已驳回或已撤回。"),
                departments,
            ]
        case .awards:
            return [
                id,
                SheetColumn(
                    "name", "奖项名称", required: true, aliases: ["获奖名称", "成果名称", "名称"],
                    en: "The award and the work it honours.", zh: "奖项及获奖成果名称。"),
                SheetColumn("grade", "等级", aliases: ["获奖等级", "奖励等级"], en: "一等奖, second prize, …", zh: "一等奖、二等奖等。"),
                SheetColumn(
                    "level", "级别", .choice(Vocabulary.level), required: true, aliases: ["奖项级别"],
                    en: "national, ministerial, provincial, municipal, institutional or other.",
                    zh: "国家级、部级、省级、市级、院级或其他。"),
                SheetColumn(
                    "year", "年份", .year, required: true, aliases: ["获奖年份", "年度"], en: "The year awarded.", zh: "获奖年份。"),
                SheetColumn(
                    "recipients", "获奖人", .list, aliases: ["完成人", "获奖者"], en: "Names (or person ids), in order.",
                    zh: "按顺序填写姓名或人员编号。"),
                SheetColumn(
                    "project", "项目编号", aliases: ["相关项目"], en: "The id of the project it came from, if any.",
                    zh: "相关科研项目编号（可留空）。"),
                departments,
            ]
        case .people:
            return [
                id,
                SheetColumn(
                    "chinese_name", "姓名", aliases: ["中文名", "chinese name"], en: "The name in characters (高志刚).",
                    zh: "中文姓名。"),
                SheetColumn(
                    "family_name", "姓（拼音）", aliases: ["family name", "姓"],
                    en: "In pinyin; from the Chinese name when empty.", zh: "拼音姓；留空时由中文姓名生成。"),
                SheetColumn(
                    "given_name", "名（拼音）", aliases: ["given name", "名"],
                    en: "In pinyin; from the Chinese name when empty.", zh: "拼音名；留空时由中文姓名生成。"),
                SheetColumn("orcid", "ORCID", en: "0000-0002-…", zh: "ORCID号。"),
                SheetColumn(
                    "clinical_rank", "职称", .choice(Vocabulary.clinicalRank), aliases: ["临床职称", "clinical rank"],
                    en: "chief physician, attending physician, …", zh: "主任医师、主治医师等。"),
                SheetColumn(
                    "academic_title", "学术职称", aliases: ["academic title", "教学职称"], en: "Professor, …", zh: "教授、副教授等。"),
                SheetColumn(
                    "degree", "学位", .choice(Vocabulary.degree), aliases: ["最高学位"], en: "doctorate, master or bachelor.",
                    zh: "博士、硕士或学士。"),
                SheetColumn(
                    "supervisor", "导师", .list, aliases: ["导师资格"], en: "doctoral and/or master.", zh: "博士生导师、硕士生导师。"),
                departments,
            ]
        case .staff:
            return [
                id,
                SheetColumn(
                    "department", "科室", required: true, aliases: ["科别"], en: "The department's id or Chinese name.",
                    zh: "科室编号或中文名称。"),
                SheetColumn(
                    "category", "类别", .choice(Vocabulary.staffCategory), required: true, aliases: ["人员类别", "职称/学位"],
                    en: "chief physicians, nurses, holding a doctorate, …", zh: "主任医师、护士、博士等。"),
                SheetColumn("count", "人数", .integer, required: true, aliases: ["数量"], en: "How many.", zh: "人数。"),
                SheetColumn(
                    "as_of", "统计日期", .date, required: true, aliases: ["截止日期", "as of"],
                    en: "The date the count is for.", zh: "统计截止日期。"),
                SheetColumn("note", "备注", aliases: ["说明"], en: "Anything else.", zh: "其他说明。"),
            ]
        }
    }

    /// The column a header cell names (any case, English or Chinese, the usual other words); nil when none.
    public func column(named header: String) -> SheetColumn? {
        let key = Self.normalise(header)
        guard !key.isEmpty else { return nil }
        return Self.columnNames[self]?[key]
    }

    /// Each kind's column names, normalised, → the first column (in order) with that name: worked out once, not
    /// for every header cell (a header search looks at every cell of ten rows for every kind).
    private static let columnNames: [SheetKind: [String: SheetColumn]] = Dictionary(
        uniqueKeysWithValues: allCases.map { kind in
            var names: [String: SheetColumn] = [:]
            for c in kind.columns {
                for name in [c.key, c.zh, c.key.replacingOccurrences(of: "_", with: " ")] + c.aliases {
                    let key = normalise(name)
                    if names[key] == nil { names[key] = c }
                }
            }
            return (kind, names)
        })

    /// Header text compared without case, spaces, full-width brackets or a trailing `*` (required marks).
    public static func normalise(_ text: String) -> String {
        var s = ""
        for character in text.lowercased() {
            switch character {
            case "（": s.append("(")
            case "）": s.append(")")
            case "*": continue
            default: if !character.isWhitespace { s.append(character) }
            }
        }
        return s
    }
}
