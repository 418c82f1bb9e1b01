/// The words of the upload page, in Chinese and English.
extension Words {
    static let uploads: [String: (zh: String, en: String)] = [
        "uploadTitle": ("上传文件导入", "Upload a file"),
        // The menu's word: short, so that the menu stays on one line at 1280 px.
        "navUploads": ("导入", "Upload"),
        "uploadIntro": (
            "先检查文件：会列出将新增、更新、合并和跳过的记录，确认后才写入。",
            "The file is checked first: you see what would be added, updated, merged and skipped, and nothing is written until you confirm."
        ),
        "uploadKind": ("文件类型", "Kind of file"),
        "uploadFile": ("文件", "File"),
        "uploadLimit": ("最大", "At most"),
        "uploadCheck": ("检查文件", "Check the file"),
        "uploadSending": ("正在上传：{percent}%", "Sending the file: {percent}%"),
        "uploadChecking": (
            "文件已上传，正在检查……大文件可能需要几分钟，请不要关闭此页面。",
            "The file is sent and being checked… a large file can take a few minutes; please keep this page open."
        ),
        "uploadFailed": (
            "上传中断（网络连接问题），未写入任何内容。请再试一次。",
            "The upload was cut off (a network problem); nothing was written. Please try again."
        ),
        "upload.kind.pubmed": ("PubMed XML（论文）", "PubMed XML (papers)"),
        "upload.kind.endnote": ("EndNote XML（论文）", "EndNote XML (papers)"),
        "upload.kind.cerif": ("CERIF XML", "CERIF XML"),
        "upload.kind.registry": ("登记库 XML", "Registry XML"),
        "upload.kind.tallies": ("手术例数 CSV", "Case tally CSV"),
        "upload.kind.xlsx": ("Excel 工作簿（xlsx）", "Excel workbook (xlsx)"),
        "upload.entity.org-unit": ("科室", "Departments"),
        "upload.entity.campus": ("院区", "Campuses"),
        "upload.entity.person": ("人员", "People"),
        "upload.entity.journal": ("期刊", "Journals"),
        "upload.entity.procedure": ("术式", "Procedures"),
        "upload.entity.project": ("科研项目", "Projects"),
        "upload.entity.publication": ("论文", "Papers"),
        "upload.entity.patent": ("专利", "Patents"),
        "upload.entity.award": ("获奖", "Awards"),
        "upload.entity.staff-census": ("人员统计", "Staff counts"),
        "upload.entity.tally": ("手术例数", "Case tallies"),
        "uploadRecord": ("记录", "Records"),
        "uploadAdded": ("新增", "Added"),
        "uploadUpdated": ("更新", "Updated"),
        "uploadMerged": ("合并", "Merged"),
        "uploadUnchanged": ("不变", "Unchanged"),
        "uploadDeleted": ("删除", "Deleted"),
        "uploadSkipped": ("跳过的记录", "Skipped"),
        "uploadNotes": ("说明", "Notes"),
        "upload.credited": ("已有论文新增归属 %d 篇。", "%d papers already here credited again."),
        "upload.forReview": ("%d 处作者匹配待人工核对。", "%d author matches put on the review list."),
        "upload.nothing": ("这个文件不会改变任何内容。", "This file would change nothing."),
        "upload.previewOf": ("检查结果：%@", "Check of %@"),
        "upload.previewIntro": (
            "以下是导入后将发生的变化，尚未写入任何内容。", "This is what importing the file would do; nothing has been written yet."
        ),
        "uploadConfirm": ("确认导入", "Import it"),
        "uploadCancel": ("取消", "Cancel"),
        "upload.doneOf": ("已导入：%@", "Imported %@"),
        "upload.doneIntro": ("已写入登记库，并记入修改记录。", "Written to the registry, and recorded in the history."),
        "uploadAnother": ("再上传一个文件", "Upload another file"),
        "uploadAgain": ("改正后重新上传", "Correct the file and upload it again"),
        "upload.refusedOf": ("未导入：%@", "Not imported: %@"),
        "upload.problems": ("文件有 %d 处问题，未写入任何内容：", "The file has %d problems; nothing was written:"),
        "upload.tooLarge": ("文件太大：最大 %@ MB。", "The file is too large: at most %@ MB."),
        "upload.noFile": ("请选择一个文件。", "Choose a file."),
        "upload.malformed": ("上传的内容不完整，请重新上传。", "The upload arrived incomplete; send it again."),
        "upload.kindRefused": (
            "您不能上传这种文件（科室秘书可上传 PubMed、EndNote 和手术例数文件）。",
            "You may not upload this kind of file (department secretaries upload PubMed, EndNote and tally files)."
        ),
        "upload.expired": (
            "这个文件已导入或已过期，请重新上传。", "This file was imported already or has expired; upload it again."
        ),
        "upload.confirmWithin": ("请在 %@ 分钟内确认，逾时需重新上传。", " Confirm within %@ minutes, or upload it again."),
        "upload.timedOut": (
            "这个文件检查后超过 %@ 分钟未确认，已失效并删除，未写入任何内容。请重新上传。",
            "This file waited more than %@ minutes for its confirmation and was deleted; nothing was written. Upload it again."
        ),
        "attTitle": ("附件", "Attachments"),
        "attNone": ("暂无附件（如立项通知书、专利证书、获奖证书）。", "No attachments yet (grant letters, patent or award certificates)."),
        "attAdd": ("添加附件", "Attach a file"),
        "attHint": ("PDF、JPEG 或 PNG，最大", "PDF, JPEG or PNG, at most"),
        "attButton": ("上传附件", "Attach"),
        "attach.refused": ("未添加附件：", "The attachment was not added:"),
        "attRemove": ("删除", "Remove"),
        "attach.notRemoved": ("未删除附件：", "The attachment was not removed:"),
        "attach.notFound": ("没有这个附件。", "There is no such attachment."),
        "attach.notYours": ("这个附件所属的记录不在您的科室。", "This attachment belongs to a record outside your departments."),
    ]
}
