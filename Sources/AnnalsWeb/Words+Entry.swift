/// The words of the entry forms, in Chinese and English.
extension Words {
    static let entry: [String: (zh: String, en: String)] = [
        "entry.new.projects": ("新增科研项目", "New project"),
        "entry.new.papers": ("新增论文", "New paper"),
        "entry.new.patents": ("新增专利", "New patent"),
        "entry.new.awards": ("新增获奖", "New award"),
        "entry.new.people": ("新增人员", "New person"),
        "entry.new.staff": ("新增人员统计", "New staff count"),
        "entry.new.tallies": ("录入手术例数", "New case tally"),
        "entry.edit.projects": ("修改科研项目", "Correct a project"),
        "entry.edit.papers": ("修改论文", "Correct a paper"),
        "entry.edit.patents": ("修改专利", "Correct a patent"),
        "entry.edit.awards": ("修改获奖", "Correct an award"),
        "entry.edit.people": ("修改人员", "Correct a person"),
        "entry.edit.staff": ("修改人员统计", "Correct a staff count"),
        "entry.edit.tallies": ("修改手术例数", "Correct a case tally"),
        "entry.month": ("按月录入手术例数", "A month of case tallies"),
        "entry.saved": ("已保存（编号 %@）。", "Saved (id %@)."),
        "entry.gridSaved": ("已保存 %d 格（%@）。", "Saved %d cells (%@)."),
        "entry.problems": ("有 %d 处需要修改（已在下面标出），未保存任何内容。", "%d things to correct (marked below); nothing was saved."),
        "entry.reasonNeeded": ("删除前请写明原因。", "Say why before deleting."),
        "entry.chooseDepartment": ("请先选择科室和月份。", "Choose a department and a month first."),
        "entryChooseDepartment": ("请先选择科室和月份。", "Choose a department and a month first."),
        "entryChoose": ("请选择", "Choose"),
        "entryRequired": ("必填", "required"),
        "entrySave": ("保存", "Save"),
        "entrySaveMonth": ("保存本月例数", "Save the month"),
        "entryDelete": ("删除", "Delete"),
        "entryDeleteReason": ("删除原因", "Reason for deleting"),
        "entryDeleteHint": (
            "删除会记入修改记录（含原因），需要时可恢复。", "The deletion and its reason go into the history; it can be restored."
        ),
        "entryMonthField": ("月份", "Month"),
        "entryMonthLink": ("按月录入（术式 × 入路表格）", "Enter a month as a grid (procedures × approaches)"),
        "entryOneTally": ("逐条录入", "Enter one tally at a time"),
        "entryOtherProcedure": ("其他术式", "Another procedure"),
        "entryProcedureColumn": ("术式", "Procedure"),
        "entryGridHint": (
            "按手术登记本填写本科室本月例数：空格表示不录入，0 表示本月没有。已录入的数可直接改正；清空一格不会删除已有的数。",
            "Fill in the department's counts for the month from the theatre log: a blank cell enters nothing, 0 is none. Counts already entered may be corrected; clearing a cell does not delete one."
        ),
        "entrySource": ("数据来源", "Source"),
        "entryNew": ("新增", "New"),
        "entryEdit": ("修改", "Correct"),
    ]
}
