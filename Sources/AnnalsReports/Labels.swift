import AnnalsModel

/// The words of a report in its language.
struct Labels {
    let language: ReportLanguage
    init(_ language: ReportLanguage) { self.language = language }

    private func pick(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }

    /// A name in Chinese characters when writing Chinese and the registry has them.
    func name(_ en: String, _ zh: String?) -> String { language == .zh ? (zh ?? en) : en }

    func staff(_ c: StaffCategory) -> String {
        switch c {
        case .chiefPhysician: pick("Chief physicians", "主任医师")
        case .deputyChiefPhysician: pick("Deputy chief physicians", "副主任医师")
        case .attendingPhysician: pick("Attending physicians", "主治医师")
        case .residentPhysician: pick("Resident physicians", "住院医师")
        case .specialistDoctor: pick("Specialist doctors", "专科医师")
        case .supervisorNurse: pick("Supervisor nurses", "主管护师")
        case .nursePractitioner: pick("Nurse practitioners", "护师")
        case .nurse: pick("Nurses", "护士")
        case .doctorate: pick("Holding a doctorate", "博士")
        case .master: pick("Holding a master's degree", "硕士")
        case .doctoralSupervisor: pick("Doctoral supervisors", "博士生导师")
        case .masterSupervisor: pick("Master's supervisors", "硕士生导师")
        case .committeeMember: pick("Committee members", "学术委员会任职")
        }
    }

    func level(_ l: Level) -> String {
        switch l {
        case .national: pick("National", "国家级")
        case .ministerial: pick("Ministerial", "部级")
        case .provincial: pick("Provincial", "省级")
        case .municipal: pick("Municipal", "市级")
        case .institutional: pick("Institutional", "院级")
        case .other: pick("Other", "其他")
        }
    }

    func status(_ s: Project.Status) -> String {
        switch s {
        case .applied: pick("applied", "申报中")
        case .ongoing: pick("ongoing", "在研")
        case .completed: pick("completed", "结题")
        case .terminated: pick("terminated", "终止")
        }
    }

    func status(_ s: Patent.Status) -> String {
        switch s {
        case .filed: pick("filed", "已申请")
        case .granted: pick("granted", "已授权")
        case .lapsed: pick("lapsed", "已失效")
        case .rejected: pick("rejected", "已驳回")
        case .withdrawn: pick("withdrawn", "已撤回")
        }
    }

    func patentKind(_ k: Patent.Kind) -> String {
        switch k {
        case .invention: pick("invention", "发明专利")
        case .utilityModel: pick("utility model", "实用新型")
        case .design: pick("design", "外观设计")
        }
    }

    func approach(_ a: Approach) -> String {
        switch a {
        case .open: pick("open", "开放")
        case .laparoscopic: pick("laparoscopic", "腹腔镜")
        case .robotic: pick("robotic", "机器人")
        case .endoscopic: pick("endoscopic", "内镜")
        case .interventional: pick("interventional", "介入")
        case .hybrid: pick("hybrid", "杂交")
        case .converted: pick("converted to open", "中转开放")
        }
    }

    /// Procedure names as the vocabulary has them (it holds English terms, with their capitals).
    func procedure(_ term: String) -> String { term }

    func zone(_ z: Int) -> String { pick("CAS zone \(z)", "中科院\(z)区") }

    var notExact: String { pick("not exact", "不精确") }

    func milestone(_ threshold: Int, _ approach: String, _ procedure: String, _ when: String) -> String {
        pick("\(Numbers.grouped(threshold)) \(approach) \(procedure) passed \(when)", "\(approach)\(procedure)累计突破\(threshold)例（\(when)）")
    }

    // Headings and table labels.
    var title: String { pick("Annual Research Report", "年度科研报告") }
    var hospitalWide: String { pick("All departments", "全院") }
    var generated: String { pick("Generated on", "生成日期") }
    var staffHeading: String { pick("Staff", "人员") }
    var namedStaff: String { pick("Named in the registry", "在册专家") }
    var funder: String { pick("Funder", "资助方") }
    var bedsHeading: String { pick("Beds", "床位") }
    var campus: String { pick("Campus", "院区") }
    var department: String { pick("Department", "科室") }
    var bedsLabel: String { pick("Beds", "床位") }
    var vipBeds: String { pick("VIP beds", "VIP床位") }
    var projectsHeading: String { pick("Research projects", "科研项目") }
    var level: String { pick("Level", "级别") }
    var new: String { pick("New", "新立项") }
    var ongoing: String { pick("Running", "在研") }
    var funding: String { pick("Funding", "经费") }
    var publicationsHeading: String { pick("Publications", "论文") }
    var sciPapers: String { pick("SCI papers", "SCI论文") }
    var nationalPapers: String { pick("National journal papers", "国内期刊论文") }
    var firstOrCorresponding: String { pick("First or corresponding author in the department", "本科室第一或通讯作者") }
    var impactFactorSum: String { pick("Impact factor, sum", "影响因子合计") }
    var impactFactorMedian: String { pick("Impact factor, median", "影响因子中位数") }
    var retractedHeading: String { pick("Retracted (not counted)", "已撤稿（不计入）") }
    var papersPerYear: String { pick("Papers per year", "历年论文数") }
    var fundingByLevel: String { pick("Funding by level", "各级别经费") }
    var patentsHeading: String { pick("Patents", "专利") }
    var filed: String { pick("Filed", "申请") }
    var granted: String { pick("Granted", "授权") }
    var awardsHeading: String { pick("Awards", "获奖") }
    var casesHeading: String { pick("Operations", "手术量") }
    var totalOperations: String { pick("Operations tallied", "手术总量") }
    var previousYear: String { pick("Previous year", "上一年") }
    var procedureLabel: String { pick("Procedure", "术式") }
    var approachLabel: String { pick("Approach", "入路") }
    var growth: String { pick("Growth", "增长") }
    var minimallyInvasiveShare: String { pick("Minimally invasive share", "微创手术占比") }
    var grade4Share: String { pick("Grade-4 share", "四级手术占比") }
    var approachMix: String { pick("Approach mix", "手术入路构成") }
    var caseTrend: String { pick("Case volumes per year, top procedures", "主要术式历年手术量") }
    var milestonesHeading: String { pick("Milestones reached in the year", "本年度里程碑") }
    var count: String { pick("Count", "数量") }
    var year: String { pick("Year", "年份") }
    var none: String { pick("None.", "无。") }
    var citationsHeading: String { pick("Papers of the year", "本年度论文") }
    var notExactNote: String {
        pick("A figure marked ≥ is a lower bound: the tallies do not cover the whole period.", "标有“≥”的数字为下限：手术登记未覆盖整个期间。")
    }
}
