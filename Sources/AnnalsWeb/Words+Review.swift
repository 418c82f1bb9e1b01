import Foundation

/// The words of the review page, in Chinese and English.
extension Words {
    static let review: [String: (zh: String, en: String)] = [
        "review": ("审核", "Review"),
        "reviewMatches": ("作者匹配待确认", "Author matches to decide"),
        "reviewMatchesHelp": (
            "导入时无法确定的作者匹配：确认后，论文记到此人（及其科室）名下；否认后，再次导入也不会匹配。",
            "Matches an import was not sure of: accepting credits the paper to the person (and their department); "
                + "rejecting keeps it so when the paper is imported again."
        ),
        "reviewChoose": ("选择", "Select"),
        "reviewAuthor": ("论文中的作者", "Author as the paper names them"),
        "reviewPosition": ("第", "position"),
        "reviewProposed": ("建议匹配的人员", "Person proposed"),
        "reviewDecide": ("决定", "Decide"),
        "reviewNoAffiliation": ("论文未给出此作者的单位", "the paper gives no affiliation"),
        "reviewAccept": ("确认", "Accept"),
        "reviewReject": ("否认", "Reject"),
        "reviewChecked": ("对勾选的各项：", "The checked items:"),
        "reviewAcceptChecked": ("全部确认", "Accept all checked"),
        "reviewRejectChecked": ("全部否认", "Reject all checked"),
        "reviewNoMatches": ("没有待确认的作者匹配。", "No author match waits for a decision."),
        "reviewCandidates": ("疑似重复", "Candidate duplicates"),
        "reviewCandidatesHelp": (
            "题名、年份和第一作者相同，但 DOI 或 PMID 不同，导入时未合并。确为同一篇论文时合并（保留左侧记录）；合并后可在下方撤销。",
            "The same title, year and first author but other DOIs or PMIDs, so imports kept them apart. Merge them "
                + "when they are one paper (the left record is kept); a merge can be undone below."
        ),
        "reviewKept": ("保留的记录", "Record kept"),
        "reviewOther": ("另一条记录", "Other record"),
        "reviewWhy": ("原因", "Why"),
        "reviewMerge": ("合并", "Merge"),
        "reviewNoCandidates": ("没有疑似重复的记录。", "No candidate duplicates."),
        "reviewMerges": ("已合并的记录", "Merged records"),
        "reviewMergesHelp": (
            "导入时作为同一篇论文合并的记录。如合并有误，撤销后被并入的记录恢复为单独一条，以后导入也不再合并。",
            "Records imports merged as one paper. If a merge was wrong, undo it: the merged-in record is restored on "
                + "its own and later imports keep the two apart."
        ),
        "reviewMergedIn": ("并入的记录", "Record merged in"),
        "reviewUndo": ("撤销合并", "Undo the merge"),
        "reviewNoMerges": ("没有合并过的记录。", "No merged records."),
        "reviewNothingChosen": ("请先勾选要决定的作者匹配。", "Check the author matches to decide first."),
        "done.reviewAccepted": ("已确认 %d 项作者匹配。", "%d author matches accepted."),
        "done.reviewRejected": ("已否认 %d 项作者匹配。", "%d author matches rejected."),
        "done.reviewUndone": ("已撤销合并 %@，两条记录分开保存。", "Merge %@ undone: the two records are kept apart."),
        "done.reviewMerged": ("已合并：%@。", "Merged: %@."),
    ]

    /// The reasons the library gives (for a match that waits, a merge, a pair kept apart), in the page's language.
    static func reviewReason(_ reason: String, _ language: WebLanguage) -> String {
        guard language == .zh else { return reason }
        var text = reason
        let fits = "the name fits "
        if text.hasPrefix(fits), text.hasSuffix(" people in the registry") {
            let count = text.dropFirst(fits.count).prefix { $0.isNumber }
            return "姓名与登记库中 \(count) 人相符"
        }
        let phrases: [(String, String)] = [
            (
                "the paper names its authors' institutions by initials, and none of them is this author's",
                "论文以缩写标注作者单位，其中没有此作者的单位"
            ),
            ("the paper gives no affiliation for this author", "论文未给出此作者的单位"),
            ("merge confirmed by a reviewer", "经审核确认为同一篇论文"),
            ("same title, year and first author", "题名、年份和第一作者相同"),
            ("same PMID", "PMID 相同"), ("same DOI", "DOI 相同"), ("not merged", "未合并"),
            ("different DOIs: ", "DOI 不同："), ("different PMIDs: ", "PMID 不同："), (" and ", " 与 "), ("; ", "；"),
        ]
        for (english, chinese) in phrases { text = text.replacingOccurrences(of: english, with: chinese) }
        return text
    }
}
