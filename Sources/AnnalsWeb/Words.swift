import AnnalsModel

/// Every word of the pages, in Chinese and English, in one place.
enum Words {
    static let table: [String: (zh: String, en: String)] = common.merging(records, uniquingKeysWith: { $1 })
        .merging(workflow, uniquingKeysWith: { $1 }).merging(entry, uniquingKeysWith: { $1 })
        .merging(chain, uniquingKeysWith: { $1 })
        .merging(uploads, uniquingKeysWith: { $1 }).merging(review, uniquingKeysWith: { $1 })

    static let common: [String: (zh: String, en: String)] = [
        "appName": ("科研与手术登记", "Annals registry"),
        "signIn": ("登录", "Sign in"),
        "signOut": ("退出", "Sign out"),
        "userName": ("用户名", "User name"),
        "password": ("密码", "Password"),
        "dashboard": ("概览", "Dashboard"),
        "papers": ("论文", "Papers"),
        "cases": ("手术例数", "Operations"),
        "reports": ("报告", "Reports"),
        "users": ("用户", "Users"),
        "year": ("年份", "Year"),
        "department": ("科室", "Department"),
        "wholeHospital": ("全院", "Whole hospital"),
        "show": ("显示", "Show"),
        "search": ("检索（题名、作者、DOI、PMID）", "Search (title, author, DOI, PMID)"),
        "sciOnly": ("仅 SCI", "SCI only"),
        "papersTotal": ("论文", "Papers"),
        "doctors": ("医师（人数）", "Doctors (people)"),
        "nurses": ("护理人员（人数）", "Nurses (people)"),
        "sciPapers": ("SCI 论文", "SCI papers"),
        "nationalPapers": ("国内期刊论文", "National papers"),
        "impactFactorSum": ("影响因子合计", "Impact factor sum"),
        "projectsNew": ("新立项目", "New projects"),
        "projectsOngoing": ("在研项目", "Ongoing projects"),
        "patentsFiled": ("专利申请", "Patents filed"),
        "patentsGranted": ("专利授权", "Patents granted"),
        "awards": ("获奖", "Awards"),
        "operations": ("手术", "Operations"),
        "miShare": ("微创占比", "Minimally invasive share"),
        "grade4Share": ("四级手术占比", "Grade-4 share"),
        "milestones": ("里程碑", "Milestones"),
        "papersByYear": ("近年论文（SCI / 国内）", "Papers by year (SCI / national)"),
        "notExact": ("不精确：", "not exact: "),
        "noCensus": ("不精确，未登记人员：", "not exact, no staff census for: "),
        "incompleteSeries": ("个系列登记不全", "series incomplete"),
        "page": ("第 %d 页，共 %d 页", "Page %d of %d"),
        "previous": ("上一页", "Previous"),
        "next": ("下一页", "Next"),
        "noPapers": ("没有符合条件的论文。", "No paper matches."),
        "procedure": ("术式（中文或英文）", "Procedure (Chinese or English)"),
        "approach": ("入路", "Approach"),
        "anyApproach": ("不限", "Any"),
        "campus": ("院区", "Campus"),
        "surgeon": ("术者", "Surgeon"),
        "from": ("自", "From"),
        "to": ("至", "To"),
        "by": ("分组", "Break down by"),
        "noBreakdown": ("不分组", "No breakdown"),
        "ask": ("查询", "Ask"),
        "answer": ("结果", "Answer"),
        "annualReport": ("年度报告", "Annual report"),
        "download": ("下载", "Download"),
        // The reports page's downloads (Downloads.swift).
        "departmentProfile": ("科室简介", "Department profile"),
        "tablesXLSX": ("数据表（Excel）", "Tables (Excel)"),
        "templatesXLSX": ("空白模板（Excel）", "Blank templates (Excel)"),
        "sheet.tallies": ("手术例数", "Operation tallies"),
        "sheet.projects": ("科研项目", "Projects"),
        "sheet.papers": ("论文", "Papers"),
        "sheet.patents": ("专利", "Patents"),
        "sheet.awards": ("获奖", "Awards"),
        "sheet.people": ("人员", "People"),
        "sheet.staff": ("人员统计", "Staff census"),
        // The case question's approaches and breakdowns, by their raw values.
        "approach.open": ("开放", "Open"),
        "approach.laparoscopic": ("腹腔镜", "Laparoscopic"),
        "approach.robotic": ("机器人", "Robotic"),
        "approach.endoscopic": ("内镜", "Endoscopic"),
        "approach.interventional": ("介入", "Interventional"),
        "approach.hybrid": ("杂交", "Hybrid"),
        "approach.converted": ("中转开放", "Converted to open"),
        "by.year": ("按年", "By year"),
        "by.month": ("按月", "By month"),
        "by.department": ("按科室", "By department"),
        "by.campus": ("按院区", "By campus"),
        "by.approach": ("按入路", "By approach"),
        "by.surgeon": ("按术者", "By surgeon"),
        "by.procedure": ("按术式", "By procedure"),
        "by.category": ("按类别", "By category"),
        "by.grade": ("按手术分级", "By grade"),
        "language": ("English", "中文"),
        "role": ("角色", "Role"),
        "departments": ("科室", "Departments"),
        "disabled": ("已停用", "Disabled"),
        "active": ("启用", "Active"),
        "signedInAs": ("当前用户", "Signed in as"),
        "error": ("出错了", "Something went wrong"),
        "back": ("返回概览", "Back to the dashboard"),
        "retracted": ("已撤稿", "retracted"),
        "journal": ("期刊", "Journal"),
        "authors": ("作者", "Authors"),
        "total": ("共 %d 篇", "%d in all"),
    ]

    /// Every word of one language, as templates read them (`{{t.key}}`): made once, not per page.
    static func of(_ language: WebLanguage) -> [String: String] { language == .zh ? chinese : english }
    private static let chinese = table.mapValues(\.zh)
    private static let english = table.mapValues(\.en)

    static func word(_ key: String, _ language: WebLanguage) -> String {
        guard let entry = table[key] else { return key }
        return language == .zh ? entry.zh : entry.en
    }

    // MARK: refusals of `RouteGuard`

    static func signInFirstAPI(_ language: WebLanguage) -> String {
        language == .zh
            ? "请先登录：以 `Authorization: Bearer 令牌` 发送 API 令牌（`annals token create 用户名` 可生成）。"
            : "sign in first: send an API token as `Authorization: Bearer TOKEN` (`annals token create USER` makes one)"
    }

    static func needsRole(_ needed: AccountRole, _ account: Account, _ language: WebLanguage) -> String {
        language == .zh
            ? "此功能需要“\(word("role." + needed.rawValue, .zh))”或更高角色；\(account.name) 的角色是“\(word("role." + account.role.rawValue, .zh))”。"
            : "this needs the \(needed.rawValue) role; \(account.name) has the \(account.role.rawValue) role"
    }

    /// `departments`: the account's departments as the language names them.
    static func notWholeHospital(_ account: Account, _ departments: [String], _ language: WebLanguage) -> String {
        language == .zh
            ? "\(account.name) 只能查看本科室（\(departments.joined(separator: "、"))）的数据，不能查看全院。"
            : "\(account.name) sees the departments \(departments.joined(separator: ", ")) only, not the whole hospital"
    }

    static func nameADepartment(_ account: Account, _ departments: [String], _ language: WebLanguage) -> String {
        language == .zh
            ? "\(account.name) 只能查看科室 \(departments.joined(separator: "、"))：请用 department=科室编号 指定其中一个。"
            : "\(account.name) sees the departments \(departments.joined(separator: ", ")) only: name one with department=ID"
    }

    static func notTheirDepartment(_ account: Account, asked: String, _ departments: [String], _ language: WebLanguage)
        -> String
    {
        language == .zh
            ? "\(account.name) 不能查看科室“\(asked)”；可查看的科室：\(departments.joined(separator: "、"))。"
            : "\(account.name) does not see department \(asked); theirs: \(departments.joined(separator: ", "))"
    }

    /// A record (`id`) credited to `credited`, none of them `departments`, the account's (as the language names them).
    static func notTheirRecord(
        _ account: String, departments: [String], id: String, credited: [String], _ language: WebLanguage
    ) -> String {
        if language == .zh {
            let owner = credited.isEmpty ? "未记入任何科室" : "记在科室 " + credited.joined(separator: "、") + " 名下"
            return "\(account) 只负责科室 \(departments.joined(separator: "、"))；\(id) \(owner)，不能在此修改。"
        }
        let owner = credited.isEmpty ? "no department" : credited.joined(separator: ", ")
        return "\(account) works for \(departments.joined(separator: ", ")) only; \(id) is credited to \(owner)"
    }

    static func staleForm(_ language: WebLanguage) -> String {
        language == .zh
            ? "表单已过期，或不是从本站页面提交的：请刷新页面后重新提交。"
            : "this form is out of date or did not come from this site: reload the page and send it again"
    }

    /// A change that did not come from a page of this site; `detail` says what the request carried.
    static func notSameOrigin(_ detail: String, _ language: WebLanguage) -> String {
        language == .zh
            ? "修改必须从本站页面提交（\(detail)）。" : "a change must come from a page of this site: \(detail)"
    }

    static func wrongPassword(_ language: WebLanguage) -> String {
        language == .zh ? "用户名或密码不对，请再试一次。" : "The user name or password is not right; try again."
    }

    static func throttled(_ seconds: Int, _ language: WebLanguage) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return language == .zh
            ? "登录失败次数过多，请 \(minutes) 分钟后再试。"
            : "Too many failed sign-ins; try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
    }
}
