import AnnalsModel
import AnnalsStatistics

/// The words of a report in its language.
struct Labels {
    let language: ReportLanguage
    init(_ language: ReportLanguage) { self.language = language }

    private func pick(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }

    /// A name in Chinese characters when writing Chinese and the registry has them.
    func name(_ en: String, _ zh: String?) -> String { language == .zh ? (zh ?? en) : en }
    func name(_ en: String?, _ zh: String?) -> String? { language == .zh ? (zh ?? en) : en }

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

    /// A procedure's name: in Chinese its Chinese preferred term, else its first synonym in characters;
    /// in English the preferred term (with its capitals).
    func procedure(_ p: Procedure?, id: String) -> String {
        guard let p else { return id }
        guard language == .zh else { return p.preferredTerm }
        return p.preferredTermZH ?? p.synonyms.first(where: { ChineseText.containsHan($0) }) ?? p.preferredTerm
    }

    /// An approach and a procedure together: "laparoscopic Choledochal cyst excision", "腹腔镜胆总管囊肿切除术".
    func series(_ approach: Approach, _ procedure: String) -> String {
        pick("\(self.approach(approach)) \(procedure)", "\(self.approach(approach))\(procedure)")
    }

    /// Money: "CNY 1,500,000"; "150万元".
    func money(_ amount: DecimalNumber, _ currency: String) -> String {
        Numbers.money(amount, currency: currency, language)
    }

    // Punctuation: Chinese sentences take Chinese punctuation.
    var colon: String { pick(": ", "：") }
    var stop: String { pick(".", "。") }
    var semicolon: String { pick("; ", "；") }
    var comma: String { pick(", ", "，") }
    var listSeparator: String { pick(", ", "、") }
    func parenthesized(_ text: String) -> String { pick(" (\(text))", "（\(text)）") }

    /// The report's heading: "Children's Hospital … — General Surgery Department: Annual Research Report 2024";
    /// "浙江大学医学院附属儿童医院普外科2024年度科研工作报告".
    func heading(hospital: String, department: String?, year: Int) -> String {
        pick(
            "\(hospital) — \(department ?? hospitalWide): \(title(year))",
            "\(hospital)\(department ?? "")\(title(year))")
    }

    func title(_ year: Int) -> String { pick("Annual Research Report \(year)", "\(year)年度科研工作报告") }

    func generated(_ day: String) -> String { pick("Generated on \(day).", "生成日期：\(day)") }
    var validatedOnly: String {
        pick(
            "Counts validated records only: projects, papers, patents and awards still waiting for validation are left out.",
            "仅统计已审核通过的记录：尚在审核中的项目、论文、专利和奖励未计入。")
    }

    func rank(_ rank: ClinicalRank) -> String {
        switch rank {
        case .chiefPhysician: pick("Chief physician", "主任医师")
        case .deputyChiefPhysician: pick("Deputy chief physician", "副主任医师")
        case .attendingPhysician: pick("Attending physician", "主治医师")
        case .residentPhysician: pick("Resident physician", "住院医师")
        case .supervisorNurse: pick("Supervisor nurse", "主管护师")
        case .nursePractitioner: pick("Nurse practitioner", "护师")
        case .nurse: pick("Nurse", "护士")
        }
    }

    /// "IF 2.40; JCR Q2; CAS zone 3"; "影响因子2.40，JCR Q2，中科院3区"; nil when none is known.
    func journalMetrics(_ c: AnnualReport.Citation) -> String? {
        var parts: [String] = []
        if let f = c.impactFactor.map(Numbers.twoPlaces) { parts.append(pick("IF \(f)", "影响因子\(f)")) }
        if let q = c.jcrQuartile { parts.append("JCR Q\(q)") }
        if let z = c.casZone { parts.append(zone(z)) }
        return parts.isEmpty ? nil : parts.joined(separator: pick("; ", "，"))
    }

    /// "Filed: 2. Granted: 1."; "申请2项，授权1项。"
    func patentCounts(_ filed: Int, _ granted: Int) -> String {
        pick("Filed: \(filed). Granted: \(granted).", "申请\(filed)项，授权\(granted)项。")
    }

    /// "Operations tallied: 640 (previous year: 621)."; "手术总量：640例（上一年：621例）。"
    func operations(_ figure: String, _ previous: String) -> String {
        pick("Operations tallied: \(figure) (previous year: \(previous)).", "手术总量：\(figure)例（上一年：\(previous)例）。")
    }

    func unmappedFunders(_ names: [String]) -> String {
        pick(
            "Not in the funder vocabulary, so counted as written, each apart (annals funders lists the closest known funders; write a known funder's name in the project to count it with that funder): \(names.joined(separator: "; ")).",
            "以下资助方不在资助方名录中，按原名称单列统计（annals funders 命令列出最接近的已知资助方；将项目的资助方改为名录中的名称后即合并统计）：\(names.joined(separator: "；"))。"
        )
    }

    // The project list.
    var projectTitle: String { pick("Project", "项目名称") }
    var principalInvestigator: String { pick("Principal investigator", "负责人") }
    var programme: String { pick("Programme", "项目类别") }
    var grantNumber: String { pick("Grant number", "项目编号") }
    var period: String { pick("Period", "起止年月") }
    var amount: String { pick("Amount", "经费") }
    var statusLabel: String { pick("Status", "状态") }
    var projectList: String { pick("Projects running in the year", "本年度在研项目") }
    // The staff list.
    var name: String { pick("Name", "姓名") }
    var rankLabel: String { pick("Rank", "职称") }
    var academicTitle: String { pick("Academic title", "学术职称") }
    var journalMetricsLabel: String { pick("Journal", "期刊") }

    func zone(_ z: Int) -> String { pick("CAS zone \(z)", "中科院\(z)区") }

    var notExact: String { pick("not exact", "不精确") }

    func milestone(_ threshold: Int, _ series: String, _ when: String) -> String {
        pick(
            "\(Numbers.grouped(threshold)) \(series) passed \(when)",
            "\(series)累计突破\(Numbers.grouped(threshold))例（\(when)）")
    }

    /// "500 laparoscopic Choledochal cyst excision passed in 2024"; "腹腔镜胆总管囊肿切除术累计突破500例（2024年）".
    func milestone(_ m: AnnualReport.MilestoneLine) -> String {
        milestone(m.threshold, series(m.approach, m.procedure), when(m.placement))
    }

    /// "in 2019", "in 2019-03", "between 2016-01-01 and 2016-06-30", "by 2015-12-31 (within the cumulative
    /// baseline)"; "2019年", "2019年3月", "2016-01-01至2016-06-30", "2015-12-31前（累计基数内）".
    func when(_ p: MilestonePlacement) -> String {
        let to = p.to
        switch p.precision {
        case .baseline: return pick("by \(to) (within the cumulative baseline)", "\(to)前（累计基数内）")
        case .year: return pick("in \(to.year)", "\(to.year)年")
        case .month:
            return pick("in \(to.year)-\(to.month < 10 ? "0" : "")\(to.month)", "\(to.year)年\(to.month)月")
        case .days:
            let from = p.from.map(\.description) ?? "…"
            return pick("between \(from) and \(to)", "\(from)至\(to)")
        }
    }

    /// "513", "≥ 512", "between 512 and 530" ("512至530之间").
    func figure(_ c: AnnualReport.CaseFigure) -> String {
        if c.exact { return "\(c.count)" }
        if let most = c.atMost { return pick("between \(c.count) and \(most)", "\(c.count)至\(most)之间") }
        return "≥ \(c.count)"
    }

    /// "28"; "≥ 32" when some department's census does not give it; "—" when none does.
    func figure(_ h: AnnualReport.HeadCount) -> String {
        !h.given ? "—" : h.exact ? "\(h.count)" : "≥ \(h.count)"
    }

    /// "+2.8%", "-2.9%", "—" when not given.
    func growth(_ ratio: Double?) -> String {
        ratio.map { ($0 >= 0 ? "+" : "") + Numbers.percent($0) } ?? "—"
    }

    /// "CNY 1,500,000"; "150万元".
    func amount(_ a: AnnualReport.Amount) -> String {
        DecimalNumber(a.amount).map { money($0, a.currency) } ?? a.plain
    }

    /// "91.2% (719 of all 788 operations in 2024)"; "— (not given: …)" when withheld; nil when there is none.
    func share(_ share: AnnualReport.Share?, withheld: Bool, year: Int) -> String? {
        if let share { return self.share(Numbers.percent(share.ratio), shareOf(share.part, share.whole, year)) }
        return withheld ? self.share("—", shareNeedsWholeYear(year)) : nil
    }

    /// "robotic Choledochal cyst excision (General Surgery Department): not tallied in this year".
    func incomplete(_ s: AnnualReport.IncompleteSeries) -> String {
        let name = seriesName(series(s.approach, s.procedure), s.place)
        if s.absent { return seriesAbsent(name) }
        return seriesGaps(
            name,
            s.gaps.map { gap in
                gap.from.map { missingDays($0.description, gap.to.description) }
                    ?? nothingBefore(Day(ordinal: gap.to.ordinal + 1).description)
            })
    }

    /// "Title (invention; ZL2020…)"; "题名（发明专利；ZL2020…）".
    func patent(_ p: AnnualReport.PatentLine) -> String {
        "\(p.title)\(parenthesized(patentKind(p.kind) + semicolon + (p.number ?? status(p.status))))"
    }

    /// The figure whose records `annals stats --explain` lists, as the report names it.
    func source(_ f: AnnualReport.SourceFigure) -> String {
        switch f {
        case .sciPapers: sciPapers
        case .nationalPapers: nationalPapers
        case .firstOrCorresponding: firstOrCorresponding
        case .retracted: retractedHeading
        case .projectsRunning: "\(projectsHeading): \(ongoing)"
        case .projectsNew: "\(projectsHeading): \(new)"
        case .patentsFiled: "\(patentsHeading): \(filed)"
        case .patentsGranted: "\(patentsHeading): \(granted)"
        case .awards: awardsHeading
        case .operations: totalOperations
        }
    }

    // Headings and table labels.
    var hospitalWide: String { pick("All departments", "全院") }
    var staffHeading: String { pick("Staff", "人员") }
    var namedStaff: String { pick("Named in the registry", "在册专家") }
    var funder: String { pick("Funder", "资助方") }
    var bedsHeading: String { pick("Beds", "床位") }
    var campus: String { pick("Campus", "院区") }
    var department: String { pick("Department", "科室") }
    var bedsLabel: String { pick("Beds", "床位") }
    var vipBeds: String { pick("VIP beds", "VIP床位") }
    var fundingUnit: String { pick("", "万元") }
    var projectsHeading: String { pick("Research projects", "科研项目") }
    var level: String { pick("Level", "级别") }
    var new: String { pick("New", "新立项") }
    var ongoing: String { pick("Running", "在研") }
    var awardedInYear: String { pick("Awarded in the year (grants starting in it)", "本年度新立项经费") }
    var runningValue: String { pick("Whole value of the grants running", "在研项目合同总经费") }
    var runningValueNote: String {
        pick(
            "A grant's whole value is listed in every year it runs; only the amounts awarded in a year can be added up over years.",
            "在研项目合同总经费在项目执行的每一年都列出；跨年度累加只能使用当年新立项经费。")
    }
    var doctorsHeadcount: String { pick("Doctors (head count)", "医师（人数）") }
    var nursesHeadcount: String { pick("Nurses (head count)", "护理人员（人数）") }
    var staffByCategory: String { pick("By category", "按类别") }
    func staffCensusNote(_ asOf: String) -> String {
        pick(
            "Latest census: \(asOf). Ranks, degrees and roles overlap (a chief physician may hold a doctorate and supervise students; specialist doctors include the chief physicians), so the categories are not added together.",
            "最近一次人员统计：\(asOf)。职称、学位与任职相互重叠（主任医师可同时为博士、研究生导师；专科医师包含主任医师），各类别不相加。")
    }
    func noStaffCensus(_ year: Int) -> String {
        pick("No staff census on or before \(year)-12-31.", "\(year)年底前无人员统计。")
    }
    func headcountMissing(_ names: [String]) -> String {
        pick(
            "≥: the census of \(names.joined(separator: ", ")) does not give this count.",
            "≥：\(names.joined(separator: "、"))的人员统计未给出此项。")
    }
    var publicationsHeading: String { pick("Publications", "论文") }
    var sciPapers: String { pick("SCI papers", "SCI论文") }
    var nationalPapers: String { pick("National journal papers", "国内期刊论文") }
    var firstOrCorresponding: String { pick("First or corresponding author in the department", "本科室第一或通讯作者") }
    var impactFactorSum: String { pick("Impact factor, sum", "影响因子合计") }
    var impactFactorMedian: String { pick("Impact factor, median", "影响因子中位数") }
    var retractedHeading: String { pick("Retracted (not counted)", "已撤稿（不计入）") }
    var papersPerYear: String { pick("Papers per year", "历年论文数") }
    var fundingByLevel: String { pick("Funding awarded in the year, by level", "本年度各级别新立项经费") }
    var patentsHeading: String { pick("Patents", "专利") }
    var filed: String { pick("Filed", "申请") }
    var granted: String { pick("Granted", "授权") }
    var awardsHeading: String { pick("Awards", "获奖") }
    var casesHeading: String { pick("Operations", "手术量") }
    var totalOperations: String { pick("Operations tallied", "手术总量") }
    func share(_ percent: String, _ of: String) -> String { pick("\(percent) (\(of))", "\(percent)（\(of)）") }
    var previousYear: String { pick("Previous year", "上一年") }
    var procedureLabel: String { pick("Procedure", "术式") }
    var approachLabel: String { pick("Approach", "入路") }
    var growth: String { pick("Growth", "增长") }
    var minimallyInvasiveShare: String { pick("Minimally invasive share", "微创手术占比") }
    var grade4Share: String { pick("Grade-4 share", "四级手术占比") }
    func shareOf(_ part: Int, _ whole: Int, _ year: Int) -> String {
        pick(
            "\(Numbers.grouped(part)) of all \(Numbers.grouped(whole)) operations in \(year)",
            "\(year)年全部\(Numbers.grouped(whole))例手术中的\(Numbers.grouped(part))例")
    }
    func shareNeedsWholeYear(_ year: Int) -> String {
        pick("not given: not all of \(year)'s operations are tallied", "未计算：\(year)年手术未完整登记")
    }
    /// "robotic Choledochal cyst excision (General Surgery Department, Binjiang Campus)"; "机器人胆总管囊肿切除术（普外科，滨江院区）".
    func seriesName(_ series: String, _ place: [String]) -> String {
        pick("\(series) (\(place.joined(separator: ", ")))", "\(series)（\(place.joined(separator: "，"))）")
    }
    func seriesGaps(_ name: String, _ gaps: [String]) -> String {
        pick("\(name): \(gaps.joined(separator: ", "))", "\(name)：\(gaps.joined(separator: "，"))")
    }
    func seriesAbsent(_ name: String) -> String { pick("\(name): not tallied in this year", "\(name)：本年度无登记") }
    func nothingBefore(_ day: String) -> String { pick("nothing tallied before \(day)", "\(day)之前无登记") }
    func missingDays(_ from: String, _ to: String) -> String {
        from == to ? pick("\(from) missing", "\(from)缺失") : pick("\(from) to \(to) missing", "\(from)至\(to)缺失")
    }
    func andMore(_ n: Int) -> String { pick("and \(n) more", "另有\(n)个") }
    var incompleteHeading: String {
        pick("Not tallied for the whole year (so the total is a lower bound):", "以下系列本年度未完整登记（总量为下限）：")
    }
    func previousIncomplete(_ n: Int) -> String {
        pick(
            "the previous year's total is a lower bound: \(n) series not tallied for the whole year",
            "上一年总量为下限：\(n)个系列未完整登记")
    }
    var approachMix: String { pick("Approach mix", "手术入路构成") }
    var caseTrend: String { pick("Case volumes per year, top procedures", "主要术式历年手术量") }
    var milestonesHeading: String { pick("Milestones reached in the year", "本年度里程碑") }
    var count: String { pick("Count", "数量") }
    var year: String { pick("Year", "年份") }
    var none: String { pick("None.", "无。") }
    var citationsHeading: String { pick("Papers of the year", "本年度论文") }
    var notExactNote: String {
        pick(
            "A figure marked ≥ is a lower bound: the tallies do not cover the whole period.", "标有“≥”的数字为下限：手术登记未覆盖整个期间。"
        )
    }
}
