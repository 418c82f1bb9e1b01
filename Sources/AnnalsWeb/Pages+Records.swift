import AnnalsInterchange
import AnnalsModel
import AnnalsOffice
import AnnalsRegistry
import AnnalsReports
import AnnalsStore
import Foundation
import Hummingbird

/// The pages of projects, patents, awards and people (lists and details), a person's page and the change log.
/// Filtering, sorting and paging are the application layer's (`Registry.projects(_:)` and the like); these
/// handlers read the query, ask, and present.
extension Pages {
    static let recordsPerPage = 20

    // MARK: lists

    /// The filter of a list page's query string.
    static func recordFilter(_ q: Query) throws -> RecordFilter {
        let year = try API.intParameter(q, "year")
        if let year {
            do { try ReferenceCheck.year(year, option: "year") } catch {
                throw WebError(.badRequest, error.description)
            }
        }
        var level: Level?
        if let word = q.first("level") {
            guard let found = Level(rawValue: word) else {
                throw WebError(
                    .badRequest,
                    "level '\(word)' is not one of \(Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            level = found
        }
        var order = ListOrder.newest
        if let word = q.first("sort") {
            guard let found = ListOrder(rawValue: word) else {
                throw WebError(.badRequest, "sort takes newest, oldest or title")
            }
            order = found
        }
        let page = try API.intParameter(q, "page") ?? 1
        guard page >= 1 else { throw WebError(.badRequest, "page counts from 1") }
        return RecordFilter(
            department: q.first("department"), year: year, level: level, funder: q.first("funder"),
            search: q.first("q"), order: order, page: page, pageSize: recordsPerPage)
    }

    /// The values every list page shows: its filters as they were asked, the pager and the count.
    static func listValues<T>(
        _ result: ListPage<T>, path: String, _ q: Query, units: [OrgUnit], context: WebContext
    ) -> [String: Any] {
        let language = context.language
        func link(_ page: Int) -> String {
            var pairs = q.pairs.filter { $0.0 != "page" && !$0.1.isEmpty }
            pairs.append(("page", "\(page)"))
            return path + "?" + RouteGuard.encode(pairs)
        }
        return [
            "year": q.first("year") ?? "", "q": q.first("q") ?? "", "funder": q.first("funder") ?? "",
            "departments": departmentOptions(
                units, selected: q.first("department"), account: context.account, language: language),
            "levels": Level.allCases.map {
                ["value": $0.rawValue, "label": levelWord($0, language), "selected": $0.rawValue == q.first("level")]
            },
            "sorts": ListOrder.allCases.map {
                [
                    "value": $0.rawValue, "label": Words.word("sort." + $0.rawValue, language),
                    "selected": $0.rawValue == (q.first("sort") ?? "newest"),
                ]
            },
            "totalText": String(format: Words.word("found", language), result.total),
            "pageText": String(format: Words.word("page", language), result.page, result.pageCount),
            "previous": result.page > 1 ? link(result.page - 1) : nil as String?,
            "next": result.page < result.pageCount ? link(result.page + 1) : nil as String?,
            "hasItems": !result.items.isEmpty,
        ]
    }

    static func projects(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let filter = try recordFilter(q)
        let language = context.language
        let (result, units) = try await API.asking(app) { (try $0.projects(filter), try $0.read { try $0.orgUnits() }) }
        var values = listValues(result, path: "/projects", q, units: units, context: context)
        values["items"] = result.items.map { projectLine($0, language, department: q.first("department")) }
        values["action"] = "/projects"
        values["heading"] = Words.word("projects", language)
        values["searchLabel"] = Words.word("search.projects", language)
        for flag in ["year", "level", "funder", "sort"] { values["has" + flag.capitalized] = true }
        values["newLink"] = Entry.newLink(.projects, context, department: q.first("department"))
        return page("records", values, title: Words.word("projects", language), current: "/projects", request, context)
    }

    static func patents(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let filter = try recordFilter(q)
        let language = context.language
        let (result, units) = try await API.asking(app) { (try $0.patents(filter), try $0.read { try $0.orgUnits() }) }
        var values = listValues(result, path: "/patents", q, units: units, context: context)
        values["items"] = result.items.map { patentLine($0, language, department: q.first("department")) }
        values["action"] = "/patents"
        values["heading"] = Words.word("patents", language)
        values["searchLabel"] = Words.word("search.patents", language)
        for flag in ["year", "sort"] { values["has" + flag.capitalized] = true }
        values["newLink"] = Entry.newLink(.patents, context, department: q.first("department"))
        return page("records", values, title: Words.word("patents", language), current: "/patents", request, context)
    }

    static func awards(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let filter = try recordFilter(q)
        let language = context.language
        let (result, units) = try await API.asking(app) { (try $0.awards(filter), try $0.read { try $0.orgUnits() }) }
        var values = listValues(result, path: "/awards", q, units: units, context: context)
        values["items"] = result.items.map { awardLine($0, language, department: q.first("department")) }
        values["action"] = "/awards"
        values["heading"] = Words.word("awards", language)
        values["searchLabel"] = Words.word("search.awards", language)
        for flag in ["year", "level", "sort"] { values["has" + flag.capitalized] = true }
        values["newLink"] = Entry.newLink(.awards, context, department: q.first("department"))
        return page("records", values, title: Words.word("awards", language), current: "/awards", request, context)
    }

    static func people(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let filter = try recordFilter(q)
        let language = context.language
        let (result, units) = try await API.asking(app) { (try $0.people(filter), try $0.read { try $0.orgUnits() }) }
        var values = listValues(result, path: "/people", q, units: units, context: context)
        let names = Dictionary(units.map { ($0.id, language == .zh ? ($0.nameZH ?? $0.name) : $0.name) }) { a, _ in a }
        values["items"] = result.items.map { person in
            [
                "href": detailLink("/people", person.id, department: q.first("department")),
                "title": personName(person, language),
                "meta": [
                    language == .zh ? person.displayName : person.chineseName,
                    person.departmentIDs.map { names[$0] ?? $0 }.joined(separator: "、"),
                    language == .zh ? person.academicTitleZH ?? person.academicTitle : person.academicTitle,
                ].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "),
            ]
        }
        values["action"] = "/people"
        values["heading"] = Words.word("people", language)
        values["searchLabel"] = Words.word("search.people", language)
        for flag in [String]() { values["has" + flag.capitalized] = true }
        values["newLink"] = Entry.newLink(.people, context, department: q.first("department"))
        return page("records", values, title: Words.word("people", language), current: "/people", request, context)
    }

    // MARK: details

    /// A record shown to an account limited to some departments must be credited to the department it names
    /// (`RouteGuard` has made sure it names one of its own); other accounts see every record.
    static func visible(_ departments: [String], _ context: WebContext, _ request: Request, units: [OrgUnit]) -> Bool {
        guard let account = context.account, !account.role.seesEveryDepartment, !account.departments.isEmpty else {
            return true
        }
        guard let asked = Query(request.uri.query).first("department") else { return false }
        let id = units.first { $0.id == asked || $0.nameZH == asked || $0.name == asked }?.id ?? asked
        return departments.contains(id)
    }

    static func notFound(_ kind: String, _ id: String, _ language: WebLanguage) -> WebError {
        WebError(
            .notFound,
            language == .zh
                ? "没有编号为 \(id) 的\(Words.word(kind, .zh))（或不属于所选科室）。"
                : "No \(Words.word(kind, .en).lowercased()) with id \(id) (or not of the chosen department).")
    }

    static func project(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let language = context.language
        let (found, units, people) = try await API.asking(app) {
            (try $0.project(id: id), try $0.read { try $0.orgUnits() }, try $0.read { try $0.people() })
        }
        guard let project = found, visible(project.departments.map(\.departmentID), context, request, units: units)
        else { throw notFound("project", id, language) }
        let department = Query(request.uri.query).first("department")
        let pi = project.principalInvestigatorID.flatMap { id in people.first { $0.id == id } }
        var fields: [(String, String?)] = [
            ("funder", language == .zh ? project.funderZH ?? project.funder : project.funder),
            ("programme", language == .zh ? project.programmeZH ?? project.programme : project.programme),
            ("level", levelWord(project.level, language)),
            ("grantNumber", project.grantNumber),
            ("status", Words.word("status." + project.status.rawValue, language)),
            ("start", project.start?.description), ("end", project.end?.description),
            (
                "amount",
                project.amount.map { Numbers.money($0.amount, currency: $0.currency, language == .zh ? .zh : .en) }
            ),
        ]
        fields.append(
            (
                "departments",
                project.departments.map { role in
                    // Chinese takes full-width brackets with no space: 普外科（牵头）.
                    let word = Words.word("role." + role.role.rawValue, language)
                    return unitName(role.departmentID, units, language)
                        + (language == .zh ? "（\(word)）" : " (\(word))")
                }.joined(separator: language == .zh ? "、" : ", ")
            ))
        var values = detailValues(
            title: TitleHTML.escape(language == .zh ? project.titleZH ?? project.title : project.title),
            other: language == .zh ? (project.titleZH == nil ? nil : project.title) : project.titleZH,
            fields: fields, language: language)
        if let pi {
            values["person"] = [
                "label": Words.word("principalInvestigator", language), "name": personName(pi, language),
                "href": detailLink("/people", pi.id, department: department),
            ]
        }
        values["workflow"] = try await WorkflowPages.section(.project, id, context, app)
        values["attachments"] = try await AttachmentRoutes.section(.project, id, context, app)
        values["editLink"] = Entry.editLink(
            .projects, id: id, context, department: Query(request.uri.query).first("department"))
        return page("detail", values, title: Words.word("project", language), current: "/projects", request, context)
    }

    static func patent(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let language = context.language
        let (found, units) = try await API.asking(app) {
            (try $0.patent(id: id), try $0.read { try $0.orgUnits() })
        }
        guard let patent = found, visible(patent.departmentIDs, context, request, units: units) else {
            throw notFound("patent", id, language)
        }
        let department = Query(request.uri.query).first("department")
        let fields: [(String, String?)] = [
            ("kind", Words.word("patent." + patent.kind.rawValue, language)),
            ("status", Words.word("status." + patent.status.rawValue, language)),
            ("applicationNumber", patent.applicationNumber), ("grantNumber", patent.grantNumber),
            ("filed", patent.filed?.description), ("granted", patent.granted?.description),
            ("departments", patent.departmentIDs.map { unitName($0, units, language) }.joined(separator: "、")),
        ]
        var values = detailValues(
            title: TitleHTML.escape(language == .zh ? patent.titleZH ?? patent.title : patent.title),
            other: language == .zh ? (patent.titleZH == nil ? nil : patent.title) : patent.titleZH,
            fields: fields, language: language)
        values["contributorsLabel"] = patent.inventors.isEmpty ? nil : Words.word("inventors", language)
        values["contributors"] = contributors(patent.inventors, department: department)
        values["workflow"] = try await WorkflowPages.section(.patent, id, context, app)
        values["attachments"] = try await AttachmentRoutes.section(.patent, id, context, app)
        values["editLink"] = Entry.editLink(
            .patents, id: id, context, department: Query(request.uri.query).first("department"))
        return page("detail", values, title: Words.word("patent", language), current: "/patents", request, context)
    }

    static func award(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let language = context.language
        let (found, units) = try await API.asking(app) {
            (try $0.award(id: id), try $0.read { try $0.orgUnits() })
        }
        guard let award = found, visible(award.departmentIDs, context, request, units: units) else {
            throw notFound("award", id, language)
        }
        let department = Query(request.uri.query).first("department")
        let fields: [(String, String?)] = [
            ("year", "\(award.year)"), ("level", levelWord(award.level, language)),
            ("grade", language == .zh ? award.gradeZH ?? award.grade : award.grade),
            ("departments", award.departmentIDs.map { unitName($0, units, language) }.joined(separator: "、")),
        ]
        var values = detailValues(
            title: TitleHTML.escape(language == .zh ? award.nameZH ?? award.name : award.name),
            other: language == .zh ? (award.nameZH == nil ? nil : award.name) : award.nameZH,
            fields: fields, language: language)
        values["contributorsLabel"] = award.recipients.isEmpty ? nil : Words.word("recipients", language)
        values["contributors"] = contributors(award.recipients, department: department)
        if let project = award.projectID {
            values["link"] = [
                "label": Words.word("project", language),
                "href": detailLink("/projects", project, department: department),
                "text": project,
            ]
        }
        values["workflow"] = try await WorkflowPages.section(.award, id, context, app)
        values["attachments"] = try await AttachmentRoutes.section(.award, id, context, app)
        values["editLink"] = Entry.editLink(
            .awards, id: id, context, department: Query(request.uri.query).first("department"))
        return page("detail", values, title: Words.word("award", language), current: "/awards", request, context)
    }

    static func paper(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let language = context.language
        let (found, units) = try await API.asking(app) {
            (try $0.publication(id: id), try $0.read { try $0.orgUnits() })
        }
        guard let paper = found, visible(paper.departmentIDs, context, request, units: units) else {
            throw notFound("paper", id, language)
        }
        let department = Query(request.uri.query).first("department")
        let fields: [(String, String?)] = [
            ("journal", paper.journal?.title), ("published", paper.published?.description),
            (
                "volume",
                [paper.volume, paper.issue.map { "(\($0))" }, paper.pages.map { ": " + $0 }]
                    .compactMap { $0 }.joined()
            ),
            ("doi", paper.doi), ("pmid", paper.pmid),
            ("departments", paper.departmentIDs.map { unitName($0, units, language) }.joined(separator: "、")),
        ]
        var values = detailValues(
            title: TitleHTML.render(paper.title.markup), other: paper.vernacularTitle, fields: fields,
            language: language)
        values["contributorsLabel"] = paper.authors.isEmpty ? nil : Words.word("authors", language)
        values["contributors"] = separated(
            paper.authors.map { author -> [String: Any] in
                let name =
                    author.collectiveName
                    ?? [author.familyName, author.givenName ?? author.initials].compactMap { $0 }.joined(separator: " ")
                return [
                    "name": name,
                    "href": author.personID.map { detailLink("/people", $0, department: department) } as Any,
                ]
            })
        values["retracted"] = paper.isRetracted
        values["abstract"] = paper.abstract.map { TitleHTML.render($0.markup) } as Any
        values["workflow"] = try await WorkflowPages.section(.publication, id, context, app)
        values["attachments"] = try await AttachmentRoutes.section(.publication, id, context, app)
        values["editLink"] = Entry.editLink(
            .papers, id: id, context, department: Query(request.uri.query).first("department"))
        return page("detail", values, title: Words.word("paper", language), current: "/papers", request, context)
    }

    /// A person's page: their papers, projects, patents and awards, and the operations tallied to them as surgeon
    /// (the answers of `annals cases --surgeon ID`, with their exactness).
    /// What a person's page shows of the registry, as `WebApp.people` keeps it.
    struct PersonPage: Sendable {
        var record: PersonRecord?
        var units: [OrgUnit]
        /// Where the person's record stands in the approval chain, nothing permitted yet (each account's rights are
        /// worked out when the page is shown), and their files.
        var workflow: RecordWorkflow?
        var attachments: [Attachment]
    }

    static func person(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let language = context.language
        // Kept until the registry changes (the stamp read first: what is kept is never older than its stamp). At the
        // stamp the request's session was read with, a kept page is shown without another transaction.
        let kept = try await kept(app.people, id, context, app) { registry in
            let record = try registry.personRecord(id: id)
            return try registry.read { r in
                PersonPage(
                    record: record, units: try r.orgUnits(),
                    workflow: record == nil ? nil : try Registry.workflow(in: r, kind: .person, id: id),
                    attachments: try r.attachments(of: .person, id: id))
            }
        }
        let units = kept.units
        guard let record = kept.record, visible(record.person.departmentIDs, context, request, units: units) else {
            throw notFound("person", id, language)
        }
        let q = Query(request.uri.query)
        let department = q.first("department")
        let person = record.person
        // Their papers (newest first) a page at a time, like the paper list (a surgeon of a busy department has
        // a thousand; all on one page took 50 ms to write and scrolled for ever).
        let pageNumber = max(1, try API.intParameter(q, "page") ?? 1)
        let pages = max(1, (record.publications.count + papersPerPage - 1) / papersPerPage)
        let shown = record.publications.dropFirst(API.offset(page: pageNumber, size: papersPerPage))
            .prefix(papersPerPage)
        func link(_ page: Int) -> String {
            var pairs = q.pairs.filter { $0.0 != "page" && $0.0 != "lang" }
            pairs.append(("page", String(page)))
            return "/people/" + RouteGuard.encode(person.id) + "?" + RouteGuard.encode(pairs) + "#papers"
        }
        var values: [String: Any] = [
            "name": personName(person, language),
            "other": language == .zh ? person.displayName : (person.chineseName ?? ""),
            "title": (language == .zh ? person.academicTitleZH ?? person.academicTitle : person.academicTitle) as Any,
            "departments": person.departmentIDs.map { unitName($0, units, language) }.joined(separator: "、"),
            "orcid": person.orcid as Any,
            "papers": shown.map { row -> [String: Any] in
                [
                    "href": detailLink("/papers", row.id, department: department), "title": row.title,
                    "meta": [row.journal, row.year.map(String.init)].compactMap { $0 }.joined(separator: " "),
                    "sci": row.sci == true,
                ]
            },
            "papersPager": pages > 1
                ? [
                    "pageText": String(format: Words.word("page", language), min(pageNumber, pages), pages),
                    "previous": pageNumber > 1 ? link(pageNumber - 1) : nil as String?,
                    "next": pageNumber < pages ? link(pageNumber + 1) : nil as String?,
                ] as [String: Any] : NSNull(),
            "projects": record.projects.map { projectLine($0, language, department: department) },
            "patents": record.patents.map { patentLine($0, language, department: department) },
            "awards": record.awards.map { awardLine($0, language, department: department) },
            "papersCount": String(format: Words.word("count", language), record.publications.count),
            "projectsCount": String(format: Words.word("count", language), record.projects.count),
            "patentsCount": String(format: Words.word("count", language), record.patents.count),
            "awardsCount": String(format: Words.word("count", language), record.awards.count),
        ]
        if let total = record.operations.flatMap({ caseObject($0) as? [String: Any] }) {
            values["operations"] = answerLine(total, language)
        }
        if let rows = record.operationsByYear.flatMap({ caseObject($0) as? [[String: Any]] }) {
            values["hasOperationRows"] = !rows.isEmpty
            values["operationRows"] = rows.map { item in
                var line = answerLine(item["total"] as? [String: Any] ?? [:], language)
                line["group"] = CaseGroupLabel.text(item["group"] as? String ?? "", language == .zh ? .zh : .en)
                return line
            }
        }
        values["casesLink"] =
            "/cases?surgeon=" + RouteGuard.encode(person.id)
            + (department.map { "&department=" + RouteGuard.encode($0) } ?? "")
        if let workflow = kept.workflow {
            values["workflow"] = WorkflowPages.section(workflow.permitted(for: context.account), context)
        }
        values["attachments"] = AttachmentRoutes.section(kept.attachments, .person, id, context, app)
        values["editLink"] = Entry.editLink(
            .people, id: person.id, context, department: Query(request.uri.query).first("department"))
        return page("person", values, title: personName(person, language), current: "/people", request, context)
    }

    /// A case answer as the JSON of `annals cases --format json` (the figures and their exactness come from there).
    static func caseObject(_ answer: CaseAnswer) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(answer.rendered(.json).utf8))
    }

    // MARK: history

    static func history(_ request: Request, _ context: WebContext, _ app: WebApp) async throws -> Response {
        let q = Query(request.uri.query)
        let language = context.language
        func day(_ name: String) throws -> Date? {
            guard let text = q.first(name) else { return nil }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.isLenient = false
            guard text.count == 10, let date = formatter.date(from: text) else {
                throw WebError(
                    .badRequest,
                    language == .zh
                        ? "日期请写成 YYYY-MM-DD；“\(text)”不是。" : "write a day as YYYY-MM-DD; '\(text)' is not one")
            }
            return date
        }
        let since = try day("from")
        let until = try day("to")
        let pageNumber = try API.intParameter(q, "page") ?? 1
        guard pageNumber >= 1 else { throw WebError(.badRequest, "page counts from 1") }
        let record = q.first("record")
        let actor = q.first("actor")
        let result = try await API.asking(app) {
            try $0.history(record: record, actor: actor, since: since, until: until, page: pageNumber, pageSize: 50)
        }
        var values = listValues(result, path: "/history", q, units: [], context: context)
        values["record"] = record ?? ""
        values["actor"] = actor ?? ""
        values["from"] = q.first("from") ?? ""
        values["to"] = q.first("to") ?? ""
        values["items"] = result.items.map { entry -> [String: Any] in
            [
                "at": ChangeEntry.timestamp(entry.at).replacingOccurrences(of: "T", with: " ")
                    .replacingOccurrences(of: "Z", with: " UTC"),
                "actor": entry.actor.name, "action": actionText(entry.action, language),
                "records": entry.records.map { change -> [String: Any] in
                    [
                        "kind": Words.table["kind." + change.kind] == nil
                            ? change.kind : Words.word("kind." + change.kind, language),
                        "id": change.recordID,
                        "operation": Words.word("op." + change.operation.rawValue, language),
                        "fields": change.operation == .replaced && !change.fieldChanges.isEmpty
                            ? change.fieldChanges.prefix(12).map { $0.readableName }.joined(separator: ", ")
                            : nil as String?,
                    ]
                },
                "more": entry.recordCount > entry.records.count
                    ? String(format: Words.word("moreRecords", language), entry.recordCount - entry.records.count)
                    : nil as String?,
            ]
        }
        return page("history", values, title: Words.word("history", language), current: "/history", request, context)
    }

    // MARK: parts

    /// What a change was, in the page's language: the action's word and its detail (a file name, an account).
    static func actionText(_ action: ChangeAction, _ language: WebLanguage) -> String {
        let key = "action." + action.code
        guard Words.table[key] != nil else { return action.description }
        var detail = action.detail
        if language == .zh, action.code == "account", let text = detail {
            // The account service's details: "add NAME", "disable NAME", "password NAME", "sign in NAME", …
            let words = [
                ("sign in ", "登录 "), ("sign out ", "退出 "), ("add ", "添加 "), ("disable ", "停用 "),
                ("password ", "设置密码 "), ("token for ", "发放令牌 "), ("revoke token ", "吊销令牌 "),
            ]
            if let (english, chinese) = words.first(where: { text.hasPrefix($0.0) }) {
                detail = chinese + text.dropFirst(english.count)
            }
        }
        return Words.word(key, language) + (detail.map { " " + $0 } ?? "")
    }

    static func detailLink(_ base: String, _ id: String, department: String?) -> String {
        base + "/" + RouteGuard.encode(id) + (department.map { "?department=" + RouteGuard.encode($0) } ?? "")
    }

    static func personName(_ person: Person, _ language: WebLanguage) -> String {
        language == .zh ? (person.chineseName ?? person.displayName) : person.displayName
    }

    static func unitName(_ id: String, _ units: [OrgUnit], _ language: WebLanguage) -> String {
        guard let unit = units.first(where: { $0.id == id }) else { return id }
        return language == .zh ? (unit.nameZH ?? unit.name) : unit.name
    }

    static func levelWord(_ level: Level, _ language: WebLanguage) -> String {
        Words.word("level." + level.rawValue, language)
    }

    static func contributors(_ list: [Contributor], department: String?) -> [[String: Any]] {
        separated(
            list.map {
                ["name": $0.name, "href": $0.personID.map { detailLink("/people", $0, department: department) } as Any]
            })
    }

    /// Names with a separator after all but the last (`{{sep}}`).
    static func separated(_ names: [[String: Any]]) -> [[String: Any]] {
        names.enumerated().map { i, name in
            var name = name
            if i < names.count - 1 { name["sep"] = ", " }
            return name
        }
    }

    static func detailValues(title: String, other: String?, fields: [(String, String?)], language: WebLanguage)
        -> [String: Any]
    {
        [
            "title": title, "other": other as Any,
            "fields": fields.compactMap { key, value in
                value.flatMap { $0.isEmpty ? nil : ["label": Words.word(key, language), "value": $0] }
            },
        ]
    }

    static func projectLine(_ project: Project, _ language: WebLanguage, department: String?) -> [String: Any] {
        [
            "href": detailLink("/projects", project.id, department: department),
            "title": language == .zh ? project.titleZH ?? project.title : project.title,
            "meta": [
                language == .zh ? project.funderZH ?? project.funder : project.funder,
                levelWord(project.level, language), project.grantNumber,
                project.start.map { "\($0)–" + (project.end.map { "\($0)" } ?? "") },
            ].compactMap { $0 }.joined(separator: " · "),
        ]
    }

    static func patentLine(_ patent: Patent, _ language: WebLanguage, department: String?) -> [String: Any] {
        [
            "href": detailLink("/patents", patent.id, department: department),
            "title": language == .zh ? patent.titleZH ?? patent.title : patent.title,
            "meta": [
                Words.word("patent." + patent.kind.rawValue, language),
                Words.word("status." + patent.status.rawValue, language),
                patent.grantNumber ?? patent.applicationNumber,
                patent.filed?.description,
            ].compactMap { $0 }.joined(separator: " · "),
        ]
    }

    static func awardLine(_ award: Award, _ language: WebLanguage, department: String?) -> [String: Any] {
        [
            "href": detailLink("/awards", award.id, department: department),
            "title": language == .zh ? award.nameZH ?? award.name : award.name,
            "meta": [
                "\(award.year)", levelWord(award.level, language),
                language == .zh ? award.gradeZH ?? award.grade : award.grade,
            ].compactMap { $0 }.joined(separator: " · "),
        ]
    }
}
