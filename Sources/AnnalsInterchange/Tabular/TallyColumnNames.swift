import AnnalsModel
import Foundation

/// The names a tally CSV's header row may give its columns: Annals' own (`procedure`, `approach`, …),
/// any case, and the Chinese ones a department's spreadsheet uses (术式, 入路, 科室, 院区, 术者, 开始,
/// 结束, 例数, 来源, 备注, and the usual longer forms).
public enum TallyColumnNames {
    /// Chinese column names → Annals' column. 术式 is short for 手术方式 (the operation done), so both
    /// name the procedure; the approach is 入路.
    public static let chinese: [String: String] = [
        "编号": "id", "标识": "id",
        "术式": "procedure", "手术方式": "procedure", "手术名称": "procedure", "手术": "procedure", "手术名": "procedure",
        "入路": "approach", "手术入路": "approach",
        "科室": "department", "科别": "department",
        "院区": "campus",
        "术者": "surgeon", "主刀": "surgeon", "主刀医生": "surgeon", "主刀医师": "surgeon", "手术医生": "surgeon", "手术医师": "surgeon",
        "开始": "from", "开始日期": "from", "起始日期": "from", "起始": "from", "起": "from",
        "结束": "to", "结束日期": "to", "截止日期": "to", "截止": "to", "止": "to",
        "例数": "count", "手术例数": "count", "台数": "count", "数量": "count",
        "来源": "source", "数据来源": "source",
        "备注": "note", "说明": "note",
    ]

    /// The Chinese names shown when a column is not known, one per column, in Annals' order.
    public static let shown = "术式, 入路, 科室, 院区, 术者, 开始, 结束, 例数, 来源, 备注"

    /// Annals' column for a header cell as written ("Procedure", " 术式 ", "手术名称"), or the cell lower-cased
    /// and trimmed when it names no column (so the caller can say which cell it was).
    public static func canonical(_ header: String) -> String {
        let trimmed = header.trimmingCharacters(in: .whitespaces).lowercased()
        if ChineseText.containsHan(trimmed), let column = chinese[TextKey.compact(trimmed)] { return column }
        return trimmed
    }
}
